//! Migration jobs: CreateMigrateJob, CreateMigrateCheckJob, DescribeMigrateCheckJob,
//! StartMigrateJob, StopMigrateJob, CompleteMigrateJob, DeleteMigrateJob, ModifyMigrateJob and
//! DescribeMigrateJobs.
//!
//! A job's [`Phase`] changes on calls and, for the steps that take time, lazily: each handler
//! first [settles](Job::settle) the jobs it looks at against the call's clock reading.

use std::cmp::Ordering;
use std::time::Instant;

use serde_json::{Value, json};

use super::params::{
    Page, Params, Stamp, answer, datetime_or_zero, descending, directed, done, get, missing,
    opt_object, opt_str, parse_cloud_datetime, req_str, tags_match, tags_param, without_nulls,
};
use super::timeline::{Check, CheckStage, MigrateKind, Point, Run, check_failure, schedule_delay};
use super::{Context, DtsSettings, MigrateJobSummary, Space};
use crate::backend::{Answer, ApiError, cloud_datetime};

/// No job with the given id exists in the caller's account and region.
const NOT_FOUND: &str = "ResourceNotFound.JobNotExist";
/// The job's status does not allow the operation.
const NOT_ALLOWED: &str = "FailedOperation.NotAllowOperation";
/// Too many jobs that were never started.
const TOO_MANY_UNUSED: &str = "LimitExceeded.MaxUnusedJobs";
/// A value CreateMigrateJob does not accept.
const CREATE_INVALID: &str = "InvalidParameterValue.InvalidParameterValueError";
/// A value ModifyMigrateJob does not accept.
const MODIFY_INVALID: &str = "InvalidParameterValue.BizInvalidParameterValueError";
/// A string that should hold JSON but does not.
const NOT_JSON: &str = "InvalidParameterValue.DataConvertError";
/// A filter, sort or page DescribeMigrateJobs does not accept.
const LIST_INVALID: &str = "InvalidParameterValue.InvalidParameterValueError";

/// How many never-started jobs (statuses 1, 3, 4 and 5) an account may have in one region.
pub(super) const MAX_UNUSED_JOBS: usize = 100;

/// Where the error information of a failed job points for help.
const HELP_DOC: &str = "https://cloud.tencent.com/document/product/571";

/// The values of the spec's `DatabaseType` enum.
const DATABASE_TYPES: &[&str] = &[
    "mysql",
    "redis",
    "mongodb",
    "postgresql",
    "mariadb",
    "percona",
    "sqlserver",
    "cynosdbmysql",
];

/// The values of the spec's `AccessType` enum.
const ACCESS_TYPES: &[&str] = &["extranet", "cvm", "dcg", "vpncloud", "cdb", "ccn"];

/// Where a job stands. Statuses 3, 7, 11 and 12 move on by themselves as time passes.
#[derive(Debug, Clone, Copy)]
enum Phase {
    /// 1: created or modified, not checked since.
    Created,
    /// 3: its check is running.
    Checking,
    /// 4: its last check passed.
    CheckPassed,
    /// 5: its last check failed.
    CheckFailed,
    /// 7: migrating.
    Running(Run),
    /// 8: the full copy is done; incremental changes flow until CompleteMigrateJob.
    ReadyToComplete(Run),
    /// 11: cancelled with StopMigrateJob, winding down.
    Stopping {
        /// The migration being stopped.
        run: Run,
        /// When StopMigrateJob was called.
        since: Stamp,
        /// How far the migration had got then.
        reached: Point,
    },
    /// 12: completed with CompleteMigrateJob, winding down.
    Completing {
        /// The migration being completed.
        run: Run,
        /// When CompleteMigrateJob was called.
        since: Stamp,
    },
    /// 9: finished.
    Succeeded(Run),
    /// 10: cancelled.
    Failed {
        /// The migration that was stopped.
        run: Run,
        /// How far it had got when it was stopped.
        reached: Point,
    },
}

impl Phase {
    /// The `Status` DescribeMigrateJobs reports.
    fn status(&self) -> i64 {
        match self {
            Self::Created => 1,
            Self::Checking => 3,
            Self::CheckPassed => 4,
            Self::CheckFailed => 5,
            Self::Running(_) => 7,
            Self::ReadyToComplete(_) => 8,
            Self::Succeeded(_) => 9,
            Self::Failed { .. } => 10,
            Self::Stopping { .. } => 11,
            Self::Completing { .. } => 12,
        }
    }

    /// The status in words, for error messages.
    fn words(&self) -> &'static str {
        match self {
            Self::Created => "being created",
            Self::Checking => "being checked",
            Self::CheckPassed => "checked and passed",
            Self::CheckFailed => "checked and failed",
            Self::Running(_) => "running",
            Self::ReadyToComplete(_) => "ready to complete",
            Self::Succeeded(_) => "finished successfully",
            Self::Failed { .. } => "failed",
            Self::Stopping { .. } => "stopping",
            Self::Completing { .. } => "completing",
        }
    }

    /// Whether the job was never started (it counts towards [`MAX_UNUSED_JOBS`]).
    fn never_started(&self) -> bool {
        matches!(
            self,
            Self::Created | Self::Checking | Self::CheckPassed | Self::CheckFailed
        )
    }
}

/// A migration job with everything it was created (or last modified) with.
#[derive(Debug, Clone)]
pub(super) struct Job {
    /// `JobId`.
    id: String,
    /// Creation order within the account and region.
    seq: u64,
    /// `JobName`.
    name: String,
    /// `MigrateOption`, as given.
    option: Value,
    /// `SrcDatabaseType`.
    src_database_type: String,
    /// `SrcAccessType`.
    src_access_type: String,
    /// `SrcInfo`, as given.
    src_info: Value,
    /// `DstDatabaseType`.
    dst_database_type: String,
    /// `DstAccessType`.
    dst_access_type: String,
    /// `DstInfo`, as given.
    dst_info: Value,
    /// `DatabaseInfo`, when given.
    database_info: Option<String>,
    /// `Tags`, as given.
    tags: Vec<Value>,
    /// `SrcNodeType`, when given; kept though no answer shows it.
    #[allow(dead_code)]
    src_node_type: Option<String>,
    /// `SrcInfoMulti`, when given.
    src_info_multi: Option<Value>,
    /// When the job was created (Unix seconds).
    created: u64,
    /// When it was started, if it was.
    started: Option<u64>,
    /// When its migration ended, if it did.
    ended: Option<u64>,
    /// Where it stands, as of the last time it was settled.
    phase: Phase,
    /// Its last check, until a modification discards it.
    check: Option<Check>,
}

impl Job {
    /// Moves the job on to where it stands at `now`: a finished check gives its verdict, a
    /// finished migration ends (or waits to be completed), and stopping or completing ends
    /// after a tenth of the migration duration.
    fn settle(&mut self, now: Instant, settings: &DtsSettings) {
        let total = settings.migration_duration;
        let wind_down = total / 10;
        match self.phase {
            Phase::Checking => {
                let Some(check) = &self.check else {
                    self.phase = Phase::Created;
                    return;
                };
                if check.stage(now, settings.check_duration) == CheckStage::Finished {
                    self.phase = if check.failure.is_some() {
                        Phase::CheckFailed
                    } else {
                        Phase::CheckPassed
                    };
                }
            }
            Phase::Running(run) => match run.point(now, total) {
                Point::Incremental => self.phase = Phase::ReadyToComplete(run),
                Point::Finished => {
                    self.phase = Phase::Succeeded(run);
                    self.ended = Some(run.copy_end(total));
                }
                Point::Waiting | Point::Copying(_) => {}
            },
            Phase::Stopping {
                run,
                since,
                reached,
            } if since.elapsed(now) >= wind_down => {
                self.phase = Phase::Failed { run, reached };
                self.ended = Some(since.unix_after(wind_down));
            }
            Phase::Completing { run, since } if since.elapsed(now) >= wind_down => {
                self.phase = Phase::Succeeded(run);
                self.ended = Some(since.unix_after(wind_down));
            }
            _ => {}
        }
    }

    /// The error for an operation the job's status does not allow.
    fn not_allowed(&self, problem: &str) -> ApiError {
        ApiError::new(
            NOT_ALLOWED,
            format!(
                "Migration job {} is {} (status {}). {problem}",
                self.id,
                self.phase.words(),
                self.phase.status()
            ),
        )
    }

    /// `MigrateDetailInfo` at `now` (all zero before the job starts).
    fn detail(&self, now: Instant, settings: &DtsSettings) -> Value {
        let total = settings.migration_duration;
        match self.phase {
            Phase::Created | Phase::Checking | Phase::CheckPassed | Phase::CheckFailed => json!({
                "StepAll": 0,
                "StepNow": 0,
                "Progress": "0",
                "CurrentStepProgress": "0",
                "MasterSlaveDistance": 0,
                "SecondsBehindMaster": 0,
                "StepInfo": [],
            }),
            Phase::Running(run) => run.detail(run.point(now, total), false, total),
            Phase::ReadyToComplete(run) | Phase::Completing { run, .. } => {
                run.detail(Point::Incremental, false, total)
            }
            Phase::Stopping { run, reached, .. } => run.detail(reached, false, total),
            Phase::Succeeded(run) => run.detail(Point::Finished, false, total),
            Phase::Failed { run, reached } => run.detail(reached, true, total),
        }
    }

    /// `ErrorInfo`: one entry for a failed (cancelled) job, none otherwise.
    fn error_info(&self) -> Value {
        match self.phase {
            Phase::Failed { .. } => json!([{
                "ErrorLog": "The migration was cancelled with StopMigrateJob before it finished, \
                    so the target may hold part of the data. A cancelled job cannot resume: \
                    modify it, check it again and start it anew.",
                "HelpDoc": HELP_DOC,
            }]),
            _ => json!([]),
        }
    }

    /// The job as DescribeMigrateJobs lists it (`MigrateJobInfo`).
    fn info(&self, now: Instant, settings: &DtsSettings) -> Value {
        let mut info = json!({
            "JobId": self.id,
            "JobName": self.name,
            "MigrateOption": self.option,
            "SrcDatabaseType": self.src_database_type,
            "SrcAccessType": self.src_access_type,
            "SrcInfo": self.src_info,
            "DstDatabaseType": self.dst_database_type,
            "DstAccessType": self.dst_access_type,
            "DstInfo": self.dst_info,
            "DatabaseInfo": self.database_info.as_deref().unwrap_or("[]"),
            "CreateTime": cloud_datetime(self.created),
            "StartTime": datetime_or_zero(self.started),
            "EndTime": datetime_or_zero(self.ended),
            "Status": self.phase.status(),
            "Detail": self.detail(now, settings),
            "ErrorInfo": self.error_info(),
            "Tags": self.tags,
        });
        if let Some(multi) = &self.src_info_multi {
            info["SrcInfoMulti"] = multi.clone();
        }
        info
    }

    /// The job as [`Dts::migrate_jobs`](super::Dts::migrate_jobs) shows it, settled at `now`
    /// on a copy so that looking changes nothing.
    pub(super) fn summary(&self, now: Instant, settings: &DtsSettings) -> MigrateJobSummary {
        let mut settled = self.clone();
        settled.settle(now, settings);
        MigrateJobSummary {
            job_id: settled.id,
            job_name: settled.name,
            status: settled.phase.status(),
        }
    }

    /// Whether the job passes DescribeMigrateJobs' filters: `JobId` (exact), `JobName` (part
    /// of the name) and `TagFilters`.
    fn matches(&self, params: &Params) -> bool {
        opt_str(params, "JobId").is_none_or(|id| id == self.id)
            && opt_str(params, "JobName").is_none_or(|name| self.name.contains(name))
            && tags_match(&self.tags, params)
    }
}

/// The job named by `JobId`, settled at the call's time.
fn job_mut<'s>(space: &'s mut Space, cx: &Context<'_, '_>) -> Result<&'s mut Job, ApiError> {
    let id = req_str(cx.call.params, "JobId")?;
    let job = space
        .jobs
        .iter_mut()
        .find(|job| job.id == id)
        .ok_or_else(|| {
            ApiError::new(
                NOT_FOUND,
                format!("No migration job has the id `{id}` in this account and region."),
            )
        })?;
    job.settle(cx.call.now, cx.settings);
    Ok(job)
}

/// CreateMigrateJob: stores the job (status 1) and answers its new id.
pub(super) fn create(space: &mut Space, cx: &mut Context<'_, '_>) -> Result<Answer, ApiError> {
    let params = cx.call.params;
    check_definition(params, None)?;
    let unused = space
        .jobs
        .iter()
        .filter(|job| job.phase.never_started())
        .count();
    if unused >= MAX_UNUSED_JOBS {
        return Err(ApiError::new(
            TOO_MANY_UNUSED,
            format!(
                "This account already has {unused} migration jobs in this region that were never \
                 started; start or delete some before creating more (at most {MAX_UNUSED_JOBS})."
            ),
        ));
    }
    let text = |name| req_str(params, name).map(str::to_owned);
    let object = |name| get(params, name).map(without_nulls);
    let job = Job {
        id: cx.ids.short("dts-"),
        seq: space.seq(),
        name: text("JobName")?,
        option: object("MigrateOption").ok_or_else(|| missing("MigrateOption"))?,
        src_database_type: text("SrcDatabaseType")?,
        src_access_type: text("SrcAccessType")?,
        src_info: object("SrcInfo").ok_or_else(|| missing("SrcInfo"))?,
        dst_database_type: text("DstDatabaseType")?,
        dst_access_type: text("DstAccessType")?,
        dst_info: object("DstInfo").ok_or_else(|| missing("DstInfo"))?,
        database_info: opt_str(params, "DatabaseInfo").map(str::to_owned),
        tags: tags_param(params),
        src_node_type: opt_str(params, "SrcNodeType").map(str::to_owned),
        src_info_multi: object("SrcInfoMulti"),
        created: cx.call.unix_time,
        started: None,
        ended: None,
        phase: Phase::Created,
        check: None,
    };
    let id = job.id.clone();
    space.jobs.push(job);
    Ok(answer(json!({ "JobId": id })))
}

/// CreateMigrateCheckJob: starts a check of a job being created (1) or already checked (4 or
/// 5); the job is checking (3) until the check finishes.
pub(super) fn create_check(
    space: &mut Space,
    cx: &mut Context<'_, '_>,
) -> Result<Answer, ApiError> {
    let policy = cx.settings.checks;
    let job = job_mut(space, cx)?;
    if !matches!(
        job.phase,
        Phase::Created | Phase::CheckPassed | Phase::CheckFailed
    ) {
        return Err(job.not_allowed(
            "Only a job being created (1) or already checked (4 or 5) can be checked; \
             a failed job (10) must be modified first.",
        ));
    }
    job.check = Some(Check {
        started: Stamp::of(cx.call),
        failure: check_failure(&job.name, &job.src_database_type, policy),
    });
    job.phase = Phase::Checking;
    done()
}

/// DescribeMigrateCheckJob: the state of the job's last check.
pub(super) fn describe_check(
    space: &mut Space,
    cx: &mut Context<'_, '_>,
) -> Result<Answer, ApiError> {
    let now = cx.call.now;
    let total = cx.settings.check_duration;
    let job = job_mut(space, cx)?;
    let report = match &job.check {
        None => json!({
            "Status": "unavailable",
            "ErrorCode": 0,
            "ErrorMessage": "",
            "Progress": "0",
            "CheckFlag": 3,
        }),
        Some(check) => match check.stage(now, total) {
            CheckStage::Starting => json!({
                "Status": "starting",
                "ErrorCode": 0,
                "ErrorMessage": "",
                "Progress": "0",
                "CheckFlag": 3,
            }),
            CheckStage::Running(progress) => json!({
                "Status": "running",
                "ErrorCode": 0,
                "ErrorMessage": "",
                "Progress": progress.to_string(),
                "CheckFlag": 3,
            }),
            CheckStage::Finished => match &check.failure {
                None => json!({
                    "Status": "finished",
                    "ErrorCode": 0,
                    "ErrorMessage": "ok",
                    "Progress": "100",
                    "CheckFlag": 1,
                }),
                Some(reason) => json!({
                    "Status": "finished",
                    "ErrorCode": -1,
                    "ErrorMessage": reason,
                    "Progress": "100",
                    "CheckFlag": 0,
                }),
            },
        },
    };
    Ok(answer(report))
}

/// StartMigrateJob: starts a job whose check passed (4); it runs (7) from now, or from its
/// `ExpectTime` when it is scheduled.
pub(super) fn start(space: &mut Space, cx: &mut Context<'_, '_>) -> Result<Answer, ApiError> {
    let job = job_mut(space, cx)?;
    if !matches!(job.phase, Phase::CheckPassed) {
        return Err(job.not_allowed(
            "A job must pass a check before it starts: run CreateMigrateCheckJob and wait until \
             DescribeMigrateCheckJob reports it passed (status 4).",
        ));
    }
    let run = Run {
        started: Stamp::of(cx.call),
        delay: schedule_delay(&job.option, cx.call.unix_time),
        kind: MigrateKind::of(&job.option),
    };
    job.phase = Phase::Running(run);
    job.started = Some(cx.call.unix_time);
    done()
}

/// StopMigrateJob: cancels a running (7) or ready (8) job; it stops (11), then fails (10).
pub(super) fn stop(space: &mut Space, cx: &mut Context<'_, '_>) -> Result<Answer, ApiError> {
    let total = cx.settings.migration_duration;
    let job = job_mut(space, cx)?;
    let (run, reached) = match job.phase {
        Phase::Running(run) => (run, run.point(cx.call.now, total)),
        Phase::ReadyToComplete(run) => (run, Point::Incremental),
        _ => {
            return Err(
                job.not_allowed("Only a running (7) or ready to complete (8) job can be stopped.")
            );
        }
    };
    job.phase = Phase::Stopping {
        run,
        since: Stamp::of(cx.call),
        reached,
    };
    done()
}

/// CompleteMigrateJob: ends the incremental sync of a ready job (8); it completes (12), then
/// succeeds (9).
pub(super) fn complete(space: &mut Space, cx: &mut Context<'_, '_>) -> Result<Answer, ApiError> {
    let job = job_mut(space, cx)?;
    let Phase::ReadyToComplete(run) = job.phase else {
        return Err(job.not_allowed(
            "Only a job ready to complete (8) can be completed; it must be a full + incremental \
             migration (MigrateType 3) that finished its full copy.",
        ));
    };
    job.phase = Phase::Completing {
        run,
        since: Stamp::of(cx.call),
    };
    done()
}

/// DeleteMigrateJob: removes a job unless it is checking (3), running (7), ready (8),
/// stopping (11) or completing (12).
pub(super) fn delete(space: &mut Space, cx: &mut Context<'_, '_>) -> Result<Answer, ApiError> {
    let job = job_mut(space, cx)?;
    if matches!(
        job.phase,
        Phase::Checking
            | Phase::Running(_)
            | Phase::ReadyToComplete(_)
            | Phase::Stopping { .. }
            | Phase::Completing { .. }
    ) {
        return Err(job.not_allowed(
            "A job cannot be deleted while it is checking, migrating or winding down; \
             stop a migrating job with StopMigrateJob first.",
        ));
    }
    let id = job.id.clone();
    space.jobs.retain(|job| job.id != id);
    done()
}

/// ModifyMigrateJob: changes the given settings of a job being created (1), checked (4 or 5)
/// or failed (10), which then needs a new check (status 1 again).
pub(super) fn modify(space: &mut Space, cx: &mut Context<'_, '_>) -> Result<Answer, ApiError> {
    let params = cx.call.params;
    let job = job_mut(space, cx)?;
    if !matches!(
        job.phase,
        Phase::Created | Phase::CheckPassed | Phase::CheckFailed | Phase::Failed { .. }
    ) {
        return Err(job.not_allowed(
            "Only a job being created (1), checked (4 or 5) or failed (10) can be modified.",
        ));
    }
    check_definition(params, Some(&*job))?;
    if let Some(name) = opt_str(params, "JobName") {
        job.name = name.to_owned();
    }
    for (name, slot) in [
        ("MigrateOption", &mut job.option),
        ("SrcInfo", &mut job.src_info),
        ("DstInfo", &mut job.dst_info),
    ] {
        if let Some(value) = get(params, name) {
            *slot = without_nulls(value);
        }
    }
    for (name, slot) in [
        ("SrcAccessType", &mut job.src_access_type),
        ("DstAccessType", &mut job.dst_access_type),
    ] {
        if let Some(value) = opt_str(params, name) {
            value.clone_into(slot);
        }
    }
    if let Some(info) = opt_str(params, "DatabaseInfo") {
        job.database_info = Some(info.to_owned());
    }
    if let Some(node_type) = opt_str(params, "SrcNodeType") {
        job.src_node_type = Some(node_type.to_owned());
    }
    if let Some(multi) = get(params, "SrcInfoMulti") {
        job.src_info_multi = Some(without_nulls(multi));
    }
    job.phase = Phase::Created;
    job.check = None;
    job.started = None;
    job.ended = None;
    done()
}

/// Checks the settings of CreateMigrateJob (`job` is `None`) or ModifyMigrateJob (the job
/// being changed) beyond what the gateway checks: enum values, members required by others,
/// JSON in strings, and a target region that cannot change.
fn check_definition(params: &Params, job: Option<&Job>) -> Result<(), ApiError> {
    let code = if job.is_some() {
        MODIFY_INVALID
    } else {
        CREATE_INVALID
    };
    let bad = |message: String| Err(ApiError::new(code, message));
    for name in ["SrcDatabaseType", "DstDatabaseType"] {
        if let Some(value) = opt_str(params, name).filter(|v| !DATABASE_TYPES.contains(v)) {
            return bad(format!(
                "`{name}` must be one of {}, not `{value}`.",
                DATABASE_TYPES.join(", ")
            ));
        }
    }
    if let Some(value) = opt_str(params, "SrcAccessType").filter(|v| !ACCESS_TYPES.contains(v)) {
        return bad(format!(
            "`SrcAccessType` must be one of {}, not `{value}`.",
            ACCESS_TYPES.join(", ")
        ));
    }
    if let Some(value) = opt_str(params, "DstAccessType").filter(|v| *v != "cdb") {
        return bad(format!(
            "`DstAccessType` must be `cdb` (a TencentDB instance), not `{value}`."
        ));
    }
    if let Some(value) =
        opt_str(params, "SrcNodeType").filter(|v| !["", "simple", "cluster"].contains(v))
    {
        return bad(format!(
            "`SrcNodeType` must be `simple` or `cluster`, not `{value}`."
        ));
    }
    if let Some(option) = opt_object(params, "MigrateOption") {
        check_option(option, code)?;
        let selected = option.get("MigrateObject").and_then(Value::as_i64) == Some(2);
        let has_tables = get(params, "DatabaseInfo").is_some()
            || job.is_some_and(|job| job.database_info.is_some());
        if selected && !has_tables {
            return Err(missing("DatabaseInfo"));
        }
    }
    if let Some(info) = opt_str(params, "DatabaseInfo") {
        let parsed: Option<Value> = serde_json::from_str(info).ok();
        if !parsed.as_ref().is_some_and(Value::is_array) {
            return Err(ApiError::new(
                NOT_JSON,
                "`DatabaseInfo` must be a JSON array of databases and tables, in a string.",
            ));
        }
    }
    if let Some(dst) = opt_object(params, "DstInfo") {
        check_enum(dst, "ReadOnly", "DstInfo.ReadOnly", &[0, 1], code)?;
        let old_region = job.and_then(|job| job.dst_info.get("Region"));
        let new_region = dst.get("Region");
        if old_region.is_some() && new_region.is_some() && old_region != new_region {
            return bad("The target instance's region (`DstInfo.Region`) cannot change.".into());
        }
    }
    Ok(())
}

/// Checks a `MigrateOption`.
fn check_option(option: &Params, code: &str) -> Result<(), ApiError> {
    check_enum(option, "RunMode", "MigrateOption.RunMode", &[1, 2], code)?;
    check_enum(
        option,
        "MigrateType",
        "MigrateOption.MigrateType",
        &[1, 2, 3],
        code,
    )?;
    check_enum(
        option,
        "MigrateObject",
        "MigrateOption.MigrateObject",
        &[1, 2],
        code,
    )?;
    let consistency = &[1, 2, 3, 4, 5];
    check_enum(
        option,
        "ConsistencyType",
        "MigrateOption.ConsistencyType",
        consistency,
        code,
    )?;
    check_enum(
        option,
        "IsOverrideRoot",
        "MigrateOption.IsOverrideRoot",
        &[0, 1],
        code,
    )?;
    if get(option, "RunMode").and_then(Value::as_i64) == Some(2) {
        let Some(expected) = opt_str(option, "ExpectTime") else {
            return Err(missing("MigrateOption.ExpectTime"));
        };
        if parse_cloud_datetime(expected).is_none() {
            return Err(ApiError::new(
                code,
                format!(
                    "`MigrateOption.ExpectTime` must be written `YYYY-MM-DD hh:mm:ss`, not \
                     `{expected}`."
                ),
            ));
        }
    }
    let spot_check = get(option, "ConsistencyType").and_then(Value::as_i64) == Some(3);
    if spot_check && get(option, "ConsistencyParams").is_none() {
        return Err(missing("MigrateOption.ConsistencyParams"));
    }
    let not_json = |text: &str| serde_json::from_str::<Value>(text).is_err();
    if opt_str(option, "ExternParams").is_some_and(not_json) {
        return Err(ApiError::new(
            NOT_JSON,
            "`MigrateOption.ExternParams` must be JSON in a string.",
        ));
    }
    Ok(())
}

/// Refuses an integer member of `object` outside `allowed`, with `code`.
fn check_enum(
    object: &Params,
    name: &str,
    path: &str,
    allowed: &[i64],
    code: &str,
) -> Result<(), ApiError> {
    match get(object, name).and_then(Value::as_i64) {
        Some(value) if !allowed.contains(&value) => {
            let allowed: Vec<String> = allowed.iter().map(i64::to_string).collect();
            Err(ApiError::new(
                code,
                format!(
                    "`{path}` must be one of {}, not {value}.",
                    allowed.join(", ")
                ),
            ))
        }
        _ => Ok(()),
    }
}

/// What DescribeMigrateJobs sorts by (`Order`).
#[derive(Debug, Clone, Copy)]
enum SortKey {
    /// `JobId`, as text.
    JobId,
    /// `Status`, as a number.
    Status,
    /// `JobName`, as text.
    JobName,
    /// `MigrateOption.MigrateType` (jobs without one first).
    MigrateType,
    /// `MigrateOption.RunMode`.
    RunMode,
    /// `CreateTime`.
    CreateTime,
}

impl SortKey {
    /// Reads `Order`; `CreateTime` by default.
    fn read(params: &Params) -> Result<Self, ApiError> {
        Ok(match opt_str(params, "Order") {
            None | Some("CreateTime") => Self::CreateTime,
            Some("JobId") => Self::JobId,
            Some("Status") => Self::Status,
            Some("JobName") => Self::JobName,
            Some("MigrateType") => Self::MigrateType,
            Some("RunMode") => Self::RunMode,
            Some(other) => {
                return Err(ApiError::new(
                    LIST_INVALID,
                    format!(
                        "`Order` must be one of JobId, Status, JobName, MigrateType, RunMode, \
                         CreateTime, not `{other}`."
                    ),
                ));
            }
        })
    }

    /// Compares two jobs by this key (ties are left to the caller).
    fn compare(self, a: &Job, b: &Job) -> Ordering {
        let option = |job: &Job, name: &str| job.option.get(name).and_then(Value::as_i64);
        match self {
            Self::JobId => a.id.cmp(&b.id),
            Self::Status => a.phase.status().cmp(&b.phase.status()),
            Self::JobName => a.name.cmp(&b.name),
            Self::MigrateType => option(a, "MigrateType").cmp(&option(b, "MigrateType")),
            Self::RunMode => option(a, "RunMode").cmp(&option(b, "RunMode")),
            Self::CreateTime => a.created.cmp(&b.created),
        }
    }
}

/// DescribeMigrateJobs: the jobs that pass the filters, sorted and paged.
pub(super) fn describe(space: &mut Space, cx: &mut Context<'_, '_>) -> Result<Answer, ApiError> {
    let params = cx.call.params;
    let key = SortKey::read(params)?;
    let descending = descending(params, "OrderSeq", LIST_INVALID)?;
    let page = Page::read(params, LIST_INVALID)?;
    let now = cx.call.now;
    for job in &mut space.jobs {
        job.settle(now, cx.settings);
    }
    let mut matches: Vec<&Job> = space
        .jobs
        .iter()
        .filter(|job| job.matches(params))
        .collect();
    matches.sort_by(|a, b| directed(key.compare(a, b).then(a.seq.cmp(&b.seq)), descending));
    let total = matches.len();
    let list: Vec<Value> = page
        .apply(matches)
        .into_iter()
        .map(|job| job.info(now, cx.settings))
        .collect();
    Ok(answer(json!({ "TotalCount": total, "JobList": list })))
}

#[cfg(test)]
mod spec_values {
    use tencentcloud_codegen::model::VariantValue;

    use super::{ACCESS_TYPES, DATABASE_TYPES};
    use crate::catalog::Catalog;

    /// The values of a string enum of the DTS spec.
    fn spec_values(name: &str) -> Vec<String> {
        let catalog = Catalog::load(&[]).unwrap_or_else(|err| panic!("{err}"));
        let service = catalog
            .service("dts", "2018-03-30")
            .unwrap()
            .expect("dts is embedded");
        let definition = service
            .enums
            .iter()
            .find(|e| e.name == name)
            .unwrap_or_else(|| panic!("no enum {name}"));
        definition
            .variants
            .iter()
            .map(|variant| match &variant.value {
                VariantValue::String(text) => text.clone(),
                other => panic!("{name} has a non-string value {other:?}"),
            })
            .collect()
    }

    #[test]
    fn the_accepted_values_are_the_specs() {
        assert_eq!(spec_values("DatabaseType"), DATABASE_TYPES);
        assert_eq!(spec_values("AccessType"), ACCESS_TYPES);
    }
}
