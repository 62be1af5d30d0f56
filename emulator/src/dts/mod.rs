//! Stateful emulation of the Data Transmission Service (DTS), API version 2018-03-30.
//!
//! [`Dts`] answers all 22 actions of the version. Migration jobs and data subscriptions are
//! kept per account and region, as in the cloud: one account never sees another's resources,
//! nor those of another region, and an id from elsewhere is simply not found. Nothing runs in
//! the background; whatever takes time (a pre-flight check, a migration, a cancellation) is
//! worked out from the clock reading of the call that looks at it, so the same calls at the
//! same moments always give the same answers.
//!
//! # Migration jobs
//!
//! A job goes through these statuses (the numbers DescribeMigrateJobs reports):
//!
//! | Status | Reached by | Leaves for |
//! |---|---|---|
//! | 1 creating | CreateMigrateJob; ModifyMigrateJob | 3 with CreateMigrateCheckJob |
//! | 3 checking | CreateMigrateCheckJob (from 1, 4 or 5) | 4 or 5 after `check_duration` |
//! | 4 check passed | a passed check | 7 with StartMigrateJob; 3 to check again |
//! | 5 check failed | a failed check | 3 to check again; 1 with ModifyMigrateJob |
//! | 7 running | StartMigrateJob (only from 4) | 8 or 9 after `migration_duration`; 11 |
//! | 8 ready to complete | the end of a full + incremental migration | 12; 11 |
//! | 11 stopping | StopMigrateJob (from 7 or 8) | 10 after a tenth of `migration_duration` |
//! | 12 completing | CompleteMigrateJob (from 8) | 9 after a tenth of `migration_duration` |
//! | 9 success | the end of the migration, or of completing | nothing: it is final |
//! | 10 failed | the end of stopping (a cancelled job) | 1 with ModifyMigrateJob |
//!
//! - **Ids** are `dts-` and 8 random characters of `[a-z0-9]`, never handed out twice.
//! - **CreateMigrateJob** keeps everything it is given and echoes it in DescribeMigrateJobs,
//!   passwords included. It refuses values outside the spec's enums, a `DstAccessType` other
//!   than `cdb`, a `DatabaseInfo` or `ExternParams` that is not JSON, and a missing
//!   `ExpectTime` (when `RunMode` is 2), `DatabaseInfo` (when `MigrateObject` is 2) or
//!   `ConsistencyParams` (when `ConsistencyType` is 3). At most 100 never-started jobs
//!   (statuses 1, 3, 4, 5) per account and region.
//! - **Checks** start as `starting` (progress "0") for the first tenth of `check_duration`,
//!   then run (`running`, progress "1" to "99", rising), then are `finished` at "100".
//!   `CheckFlag` is 3 (not checked) until then, and while there is no check at all (`Status`
//!   `unavailable`). A passed check answers `CheckFlag` 1, `ErrorCode` 0 and `ErrorMessage`
//!   `ok`; a failed one `CheckFlag` 0, `ErrorCode` -1 and a reason fitting the source engine
//!   that says why the emulator failed it. The verdict follows [`CheckPolicy`] and is decided
//!   when the check is created.
//! - **StartMigrateJob** needs status 4. The migration goes through named steps (`prepare`,
//!   `structure`, then `dumper` and `loader` for a full copy, then `incremental` for
//!   `MigrateType` 3) that share `migration_duration` evenly; `Detail` reports the step, its
//!   progress and the overall progress, which only rise. A job without `MigrateType` migrates
//!   as type 2 (full). Type 3 then waits at status 8, syncing, until completed or stopped;
//!   types 1 and 2 end at 9. A scheduled job (`RunMode` 2) stays at 7 with no progress until
//!   its `ExpectTime`. `StartTime` is the time of the StartMigrateJob call.
//! - **StopMigrateJob** (7 or 8) freezes the progress; the job ends at 10 with the step it
//!   was in marked failed and one `ErrorInfo` entry. **CompleteMigrateJob** needs 8.
//! - **DeleteMigrateJob** is refused at 3, 7, 8, 11 and 12. **ModifyMigrateJob** is allowed
//!   only at 1, 4, 5 and 10: it replaces the members given, cannot change the target region,
//!   and puts the job back to 1 with no check (and no start or end time).
//! - **DescribeMigrateJobs** filters by `JobId` (exact), `JobName` (part of the name) and
//!   `TagFilters` (the key, and one of the values when some are listed); sorts by `Order`
//!   (`CreateTime` by default) in `OrderSeq` (`DESC` by default, so newest first), jobs created
//!   together keeping their creation order; pages with `Offset` (0) and `Limit` (20, from 1 to
//!   100). `TotalCount` counts every match.
//!
//! # Subscriptions
//!
//! - **CreateSubscribe** makes `Count` (1 to 10, 1 by default) instances `subs-` and 8
//!   characters, for `Product` `mysql` only, not configured (`SubsStatus` `unconfigure`) and in
//!   service (`Status` `normal`), of the legacy edition (`txdts`). Prepaid ones (`PayType` 0)
//!   need `Duration` (1 to 120 months of 30 days) and expire after it. `Name` defaults to the
//!   id.
//! - **ActivateSubscribe** configures an unconfigured instance in service at once: it binds
//!   the database instance and gives the channel an id, address, VPC and subnet (`Vport` 7507
//!   unless given). Its `AsyncRequestId`, like ModifySubscribeObjects', is known to
//!   DescribeAsyncRequestInfo in the same account and region and reports `success`.
//! - **ModifySubscribeObjects**, **ModifySubscribeConsumeTime** (a time within the last 24
//!   hours) and **ModifySubscribeVipVport** (an IPv4 address and/or a port from 1025 to 65535)
//!   need a configured instance in service. **ModifySubscribeName** (1 to 60 characters) and
//!   **ModifySubscribeAutoRenewFlag** (which only affects prepaid instances) work on any
//!   instance that is not offline. **ResetSubscribe** unconfigures an instance in service.
//! - **IsolateSubscribe** isolates a pay-as-you-go instance in service;
//!   **OfflineIsolatedSubscribe** takes an isolated one offline. Offline instances stay listed
//!   (`Status` `offline`) and refuse every change.
//! - **DescribeSubscribes** filters by `SubscribeId`, `InstanceId`, `ChannelId`, `PayType`,
//!   `Product`, `SubscribeVersion` (exact), `SubscribeName` (part of the name), the `Status` and
//!   `SubsStatus` lists, and `TagFilters`; sorts by creation time in `OrderDirection` (`DESC`
//!   by default); pages like DescribeMigrateJobs.

mod jobs;
mod params;
mod subscribes;
mod timeline;

#[cfg(test)]
mod tests;

use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use crate::backend::{Answer, ApiError, Backend, Call};

use self::jobs::Job;
use self::subscribes::{AsyncTask, Subscription};

/// A migration job whose `JobName` contains this text (in any ASCII case) fails its pre-flight
/// check under [`CheckPolicy::ByJobName`].
pub const FAIL_CHECK_MARKER: &str = "fail-check";

/// How the emulated pre-flight checks (CreateMigrateCheckJob) decide their verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CheckPolicy {
    /// A check fails when the job's name contains [`FAIL_CHECK_MARKER`] and passes otherwise.
    #[default]
    ByJobName,
    /// Every check passes.
    PassAll,
    /// Every check fails.
    FailAll,
}

/// A migration job as [`Dts::migrate_jobs`] shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct MigrateJobSummary {
    /// `JobId`, such as `dts-1kl0iy0v`.
    pub job_id: String,
    /// `JobName`, as last created or modified.
    pub job_name: String,
    /// `Status`, as DescribeMigrateJobs would report it now: 1 creating, 3 checking, 4 check
    /// passed, 5 check failed, 7 running, 8 ready to complete, 9 success, 10 failed,
    /// 11 stopping, 12 completing (see the [module documentation](crate::dts)).
    pub status: i64,
}

/// Timings and policies of the emulated DTS.
#[derive(Debug, Clone)]
pub struct DtsSettings {
    /// How long a pre-flight check runs before it finishes.
    pub check_duration: Duration,
    /// How long a started migration takes to copy its data (after the scheduled start time of a
    /// scheduled job). Stopping and completing take a tenth of it.
    pub migration_duration: Duration,
    /// How checks decide their verdict.
    pub checks: CheckPolicy,
}

impl Default for DtsSettings {
    /// Checks of 3 seconds, migrations of 5 seconds, verdicts by job name.
    fn default() -> Self {
        Self {
            check_duration: Duration::from_secs(3),
            migration_duration: Duration::from_secs(5),
            checks: CheckPolicy::ByJobName,
        }
    }
}

/// The DTS 2018-03-30 backend: migration jobs with their checks, and data subscriptions.
#[derive(Debug)]
pub struct Dts {
    /// Timings and policies.
    settings: DtsSettings,
    /// Every resource, behind one lock held only for the length of a call's bookkeeping.
    state: Mutex<State>,
}

impl Dts {
    /// An emulated DTS with no resources yet.
    pub fn new(settings: DtsSettings) -> Self {
        Self {
            settings,
            state: Mutex::new(State::default()),
        }
    }

    /// The timings and policies this backend was made with.
    pub fn settings(&self) -> &DtsSettings {
        &self.settings
    }

    /// The migration jobs `account` (a secret id) has in `region`, oldest first, without going
    /// through the API: for tests that need to know what a run of calls really left behind,
    /// such as whether a retried CreateMigrateJob made a second job. Looking changes nothing;
    /// each job's status is the one DescribeMigrateJobs would report now.
    pub fn migrate_jobs(&self, account: &str, region: &str) -> Vec<MigrateJobSummary> {
        let now = Instant::now();
        let state = self.lock();
        let key = (account.to_owned(), region.to_owned());
        state.spaces.get(&key).map_or_else(Vec::new, |space| {
            space
                .jobs
                .iter()
                .map(|job| job.summary(now, &self.settings))
                .collect()
        })
    }

    /// The state, even if a thread panicked while holding the lock: the handlers do not
    /// panic, and should one ever do so, later calls still get answers instead of failing
    /// one after another.
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Default for Dts {
    /// An emulated DTS with the default settings.
    fn default() -> Self {
        Self::new(DtsSettings::default())
    }
}

impl Backend for Dts {
    fn call(&self, call: &Call<'_>) -> Option<Result<Answer, ApiError>> {
        let handler = handler(call.action)?;
        let mut state = self.lock();
        let State { spaces, ids } = &mut *state;
        let key = (call.account.to_owned(), call.region.to_owned());
        let space = spaces.entry(key).or_default();
        let mut context = Context {
            call,
            settings: &self.settings,
            ids,
        };
        Some(handler(space, &mut context))
    }
}

/// Carries out one action on the resources of the caller's account and region.
type Handler = fn(&mut Space, &mut Context<'_, '_>) -> Result<Answer, ApiError>;

/// The handler of an action; `None` for an action this backend does not know.
fn handler(action: &str) -> Option<Handler> {
    Some(match action {
        "CreateMigrateJob" => jobs::create,
        "CreateMigrateCheckJob" => jobs::create_check,
        "DescribeMigrateCheckJob" => jobs::describe_check,
        "StartMigrateJob" => jobs::start,
        "StopMigrateJob" => jobs::stop,
        "CompleteMigrateJob" => jobs::complete,
        "DeleteMigrateJob" => jobs::delete,
        "ModifyMigrateJob" => jobs::modify,
        "DescribeMigrateJobs" => jobs::describe,
        "CreateSubscribe" => subscribes::create,
        "DescribeSubscribes" => subscribes::describe,
        "DescribeSubscribeConf" => subscribes::describe_conf,
        "ActivateSubscribe" => subscribes::activate,
        "ModifySubscribeObjects" => subscribes::modify_objects,
        "ModifySubscribeName" => subscribes::modify_name,
        "ModifySubscribeConsumeTime" => subscribes::modify_consume_time,
        "ModifySubscribeVipVport" => subscribes::modify_vip_vport,
        "ModifySubscribeAutoRenewFlag" => subscribes::modify_auto_renew,
        "ResetSubscribe" => subscribes::reset,
        "IsolateSubscribe" => subscribes::isolate,
        "OfflineIsolatedSubscribe" => subscribes::offline,
        "DescribeAsyncRequestInfo" => subscribes::describe_async,
        _ => return None,
    })
}

/// Everything the emulator remembers.
#[derive(Debug, Default)]
struct State {
    /// The resources of each (account, region).
    spaces: HashMap<(String, String), Space>,
    /// Every id handed out so far.
    ids: IdPool,
}

/// The resources of one account in one region.
#[derive(Debug, Default)]
struct Space {
    /// Migration jobs, oldest first.
    jobs: Vec<Job>,
    /// Subscription instances, oldest first.
    subscriptions: Vec<Subscription>,
    /// Asynchronous subscription tasks, by id.
    tasks: HashMap<String, AsyncTask>,
    /// Creation counter, to order resources made within the same second.
    next_seq: u64,
}

impl Space {
    /// A new creation sequence number.
    fn seq(&mut self) -> u64 {
        self.next_seq += 1;
        self.next_seq
    }
}

/// What a handler needs besides the resources of the caller's account and region.
struct Context<'a, 'c> {
    /// The call being answered.
    call: &'a Call<'c>,
    /// Timings and policies.
    settings: &'a DtsSettings,
    /// The ids handed out so far, across all accounts and regions.
    ids: &'a mut IdPool,
}

/// Hands out random ids, never the same one twice.
#[derive(Debug, Default)]
struct IdPool {
    /// Every id handed out so far, of any kind.
    issued: HashSet<String>,
}

impl IdPool {
    /// `prefix` followed by `length` random characters from `alphabet`.
    fn fresh(&mut self, prefix: &str, length: usize, alphabet: &[u8]) -> String {
        loop {
            let mut id = String::with_capacity(prefix.len() + length);
            id.push_str(prefix);
            for _ in 0..length {
                let index = fastrand::usize(..alphabet.len().max(1));
                id.push(char::from(alphabet.get(index).copied().unwrap_or(b'0')));
            }
            if self.issued.insert(id.clone()) {
                return id;
            }
        }
    }

    /// `prefix` followed by 8 characters of `[a-z0-9]`, as in `dts-1kl0iy0v`.
    fn short(&mut self, prefix: &str) -> String {
        self.fresh(prefix, 8, LOWER_ALPHANUMERIC)
    }

    /// An id shaped like a UUID, as the ids of asynchronous tasks are.
    fn uuid(&mut self) -> String {
        loop {
            let hex = |length| -> String {
                (0..length)
                    .map(|_| char::from(HEX[fastrand::usize(..HEX.len())]))
                    .collect()
            };
            let id = format!("{}-{}-{}-{}-{}", hex(8), hex(4), hex(4), hex(4), hex(12));
            if self.issued.insert(id.clone()) {
                return id;
            }
        }
    }
}

/// The characters of short resource ids.
const LOWER_ALPHANUMERIC: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
/// The characters of UUID-shaped ids.
const HEX: &[u8] = b"0123456789abcdef";
