//! `setup`, `calls` and `memory`: DTS calls over loopback against the emulator, with the SDK or
//! with a bare `reqwest` client sending bytes the SDK signed once.
//!
//! Two actions are measured: DescribeMigrateCheckJob, whose answer is a few hundred bytes, and
//! DescribeMigrateJobs listing the 100 jobs `setup` creates, whose answer is tens of kilobytes.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tencentcloud_sdk::dts::v20180330::{
    AccessType, Client, DatabaseType, DescribeMigrateCheckJobRequest, DescribeMigrateJobsRequest,
    DstInfo, MigrateOption, MigrateRunMode, MigrateType, SERVICE, SrcInfo,
};
use tencentcloud_sdk::runtime::{Handle, SignedRequest};
use tencentcloud_sdk::{Config, Credentials, RateLimits, RetryConfig};

use crate::stats::{millis, percentile};
use crate::{BenchResult, Flags};

const REGION: &str = "ap-guangzhou";

/// The concurrency of the memory run.
const MEMORY_CONCURRENCY: usize = 16;

/// The most jobs one DescribeMigrateJobs page holds, and the most never-started jobs the emulator
/// (like the cloud) keeps per account and region: `setup` creates at most this many.
pub const MAX_JOBS: u64 = 100;

/// Where the calls go, and as whom.
pub struct Target {
    url: String,
    credentials: Credentials,
}

impl Target {
    /// Reads `--url`, `--secret-id` and `--secret-key`.
    pub fn from_flags(flags: &Flags) -> BenchResult<Self> {
        Ok(Self {
            url: flags.required("url")?,
            credentials: Credentials::new(
                flags.required::<String>("secret-id")?,
                flags.required::<String>("secret-key")?,
            ),
        })
    }

    /// The SDK's configuration for the emulator, with client-side rate limits and retries off, so
    /// that each call is exactly one request, and no proxy between it and loopback.
    fn config(&self) -> BenchResult<Config> {
        Ok(Config::builder()
            .credentials(self.credentials.clone())
            .region(REGION)
            .endpoint(self.url.as_str())
            .no_proxy()
            .rate_limits(RateLimits::disabled())
            .retry(RetryConfig::disabled())
            .build()?)
    }
}

/// When a load run stops.
#[derive(Debug, Clone, Copy)]
pub enum Budget {
    /// Calls start until this much time has passed.
    For(Duration),
    /// This many calls in all.
    Calls(u64),
}

/// How a load run is shaped.
pub struct LoadOptions {
    /// Tasks calling at the same time.
    pub concurrency: usize,
    /// When to stop.
    pub budget: Budget,
    /// Calls made (at the same concurrency) before the timed run, to open the connections.
    pub warmup_calls: u64,
}

/// The action a load run calls.
#[derive(Clone)]
pub enum Action {
    /// DescribeMigrateCheckJob of one job: an answer of a few hundred bytes.
    CheckJob {
        /// The job whose check is described.
        job_id: Arc<str>,
    },
    /// DescribeMigrateJobs with `Limit`: an answer listing up to that many jobs.
    ListJobs {
        /// The `Limit` of each call.
        limit: u64,
    },
}

impl Action {
    /// Reads `--action` (DescribeMigrateCheckJob by default), with `--job-id` for it, or
    /// `--limit` (100 by default) for DescribeMigrateJobs.
    pub fn from_flags(flags: &Flags) -> BenchResult<Self> {
        let name: Option<String> = flags.optional("action")?;
        match name.as_deref().unwrap_or("DescribeMigrateCheckJob") {
            "DescribeMigrateCheckJob" => Ok(Action::CheckJob {
                job_id: flags
                    .optional::<String>("job-id")?
                    .ok_or("--action DescribeMigrateCheckJob needs --job-id")?
                    .into(),
            }),
            "DescribeMigrateJobs" => {
                let limit = flags.optional("limit")?.unwrap_or(MAX_JOBS);
                if (1..=MAX_JOBS).contains(&limit) {
                    Ok(Action::ListJobs { limit })
                } else {
                    Err(format!("--limit {limit}: must be from 1 to {MAX_JOBS}").into())
                }
            }
            other => Err(format!(
                "--action {other}: use DescribeMigrateCheckJob or DescribeMigrateJobs"
            )
            .into()),
        }
    }

    /// The action's name, as the API spells it.
    pub fn name(&self) -> &'static str {
        match self {
            Action::CheckJob { .. } => "DescribeMigrateCheckJob",
            Action::ListJobs { .. } => "DescribeMigrateJobs",
        }
    }
}

/// Creates `jobs` migration jobs (1 to [`MAX_JOBS`]), the first with a check, so that describing
/// that check answers with success and listing the jobs answers with all of them; then checks
/// that DescribeMigrateJobs with `Limit` `jobs` lists exactly them. Prints the first job's id.
pub async fn setup(target: &Target, jobs: u64) -> BenchResult<Value> {
    if !(1..=MAX_JOBS).contains(&jobs) {
        return Err(format!("--jobs {jobs}: must be from 1 to {MAX_JOBS}").into());
    }
    let client = Client::new(target.config()?);
    let job_id = create_job(&client, "bench").await?;
    client
        .create_migrate_check_job()
        .job_id(job_id.as_str())
        .send()
        .await?;
    for index in 1..jobs {
        create_job(&client, &format!("bench-list-{index}")).await?;
    }
    let listed = client.describe_migrate_jobs().limit(jobs).send().await?;
    if listed.total_count != jobs || listed.job_list.len() as u64 != jobs {
        return Err(format!(
            "DescribeMigrateJobs with Limit {jobs} listed {} jobs of {} after {jobs} were created \
             (was the emulator fresh?)",
            listed.job_list.len(),
            listed.total_count
        )
        .into());
    }
    Ok(json!({ "job_id": job_id, "jobs": jobs }))
}

/// Creates one full MySQL-to-CDB migration job named `name` and returns its id.
async fn create_job(client: &Client, name: &str) -> BenchResult<String> {
    let job = client
        .create_migrate_job()
        .job_name(name)
        .migrate_option(
            MigrateOption::builder()
                .run_mode(MigrateRunMode::Immediate)
                .migrate_type(MigrateType::Full)
                .build()?,
        )
        .src_database_type(DatabaseType::Mysql)
        .src_access_type(AccessType::Extranet)
        .src_info(
            SrcInfo::builder()
                .ip("203.0.113.7")
                .port(3306)
                .user("bench")
                .password("bench-password")
                .build()?,
        )
        .dst_database_type(DatabaseType::Mysql)
        .dst_access_type(AccessType::Cdb)
        .dst_info(
            DstInfo::builder()
                .region(REGION)
                .instance_id("cdb-e78e0nnv")
                .build()?,
        )
        .send()
        .await?;
    Ok(job.job_id)
}

/// Calls `action` in a loop with `client` (`sdk` or `reqwest`) and reports calls per second,
/// latency percentiles and the CPU time of this process per call. `calls` and
/// `calls_per_second` count successful calls, whose latencies the percentiles are of; `errors`
/// the others. One probe call first checks the answer: `listed_jobs` is the number of jobs a
/// DescribeMigrateJobs answer lists (`null` for DescribeMigrateCheckJob), and `answer_bytes` the
/// size of the answer's body as the bare client read it (`null` for the SDK).
///
/// `cpu_us_per_call` is the user + system CPU time of the whole process (every thread:
/// the runtime's workers, the resolver, the timer) during the timed run, from
/// `getrusage(RUSAGE_SELF)`, divided by the successful calls.
pub async fn measure(
    target: &Target,
    action: &Action,
    client: &str,
    options: &LoadOptions,
) -> BenchResult<Value> {
    let (probe, outcome) = match client {
        "sdk" => {
            let client = Client::new(target.config()?);
            let probe = sdk_probe(&client, action).await?;
            (
                probe,
                warm_then_run(sdk_call(client, action), options).await,
            )
        }
        "reqwest" => {
            let (probe, call) = reqwest_call(target, action).await?;
            (probe, warm_then_run(call, options).await)
        }
        other => return Err(format!("--client {other}: use sdk or reqwest").into()),
    };
    if let Some(error) = &outcome.first_error {
        eprintln!("first error of {} ({client}): {error}", outcome.errors);
    }
    let mut latencies = outcome.latencies;
    latencies.sort_unstable();
    let seconds = outcome.elapsed.as_secs_f64();
    let cpu_seconds = outcome.cpu.as_secs_f64();
    Ok(json!({
        "client": client,
        "action": action.name(),
        "concurrency": options.concurrency,
        "calls": outcome.successes,
        "errors": outcome.errors,
        "seconds": seconds,
        "calls_per_second": outcome.successes as f64 / seconds,
        "cpu_seconds": cpu_seconds,
        "cpu_us_per_call": (outcome.successes > 0)
            .then(|| cpu_seconds * 1e6 / outcome.successes as f64),
        "p50_ms": millis(percentile(&latencies, 50.0)),
        "p99_ms": millis(percentile(&latencies, 99.0)),
        "listed_jobs": probe.listed_jobs,
        "answer_bytes": probe.answer_bytes,
    }))
}

/// What the probe call before a run saw.
#[derive(Default)]
struct Probe {
    /// The jobs a DescribeMigrateJobs answer listed.
    listed_jobs: Option<usize>,
    /// The size of the answer's body, where the client shows it.
    answer_bytes: Option<usize>,
}

/// The user + system CPU time this process has used so far, all threads together.
fn process_cpu() -> Duration {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::uninit();
    // SAFETY: getrusage writes a whole `rusage` to the pointer it is given, which points to one,
    // and reports failure (only for an invalid `who`) by its return value.
    let usage = unsafe {
        if libc::getrusage(libc::RUSAGE_SELF, usage.as_mut_ptr()) != 0 {
            return Duration::ZERO;
        }
        usage.assume_init()
    };
    let time = |t: libc::timeval| {
        // Both fields are non-negative for resource usage; a negative one would count as 0.
        Duration::from_secs(u64::try_from(t.tv_sec).unwrap_or(0))
            + Duration::from_micros(u64::try_from(t.tv_usec).unwrap_or(0))
    };
    time(usage.ru_utime) + time(usage.ru_stime)
}

/// Makes `calls` calls with the SDK on 16 tasks and samples the process's resident memory after
/// each tenth of them.
pub async fn memory(target: &Target, job_id: &str, calls: u64) -> BenchResult<Value> {
    let action = Action::CheckJob {
        job_id: job_id.into(),
    };
    let call = sdk_call(Client::new(target.config()?), &action);
    let mut samples = Vec::with_capacity(10);
    let mut errors = 0;
    let mut first_error = None;
    for tenth in 1..=10 {
        let share = calls * tenth / 10 - calls * (tenth - 1) / 10;
        // No latencies kept: their growing lists would be the memory measured.
        let outcome = load(
            MEMORY_CONCURRENCY,
            Budget::Calls(share),
            call.clone(),
            false,
        )
        .await;
        errors += outcome.errors;
        first_error = first_error.or(outcome.first_error);
        samples.push(status_kb("VmRSS")?);
    }
    if let Some(error) = &first_error {
        eprintln!("first error of {errors}: {error}");
    }
    let growth = samples[9] as i64 - samples[1] as i64;
    Ok(json!({
        "calls": calls,
        "errors": errors,
        "concurrency": MEMORY_CONCURRENCY,
        "peak_rss_kb": status_kb("VmHWM")?,
        "rss_samples_kb": samples,
        "growth_after_warmup_kb": growth,
    }))
}

/// A field of `/proc/self/status` in kB, such as `VmRSS` (resident now) or `VmHWM` (the peak).
fn status_kb(field: &str) -> BenchResult<u64> {
    let status = std::fs::read_to_string("/proc/self/status")
        .map_err(|err| format!("cannot read /proc/self/status: {err}"))?;
    status
        .lines()
        .find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|rest| rest.trim().strip_suffix("kB"))
        .and_then(|number| number.trim().parse().ok())
        .ok_or_else(|| format!("no {field} in /proc/self/status").into())
}

/// The warm-up calls (at least 4 per task, so that every task has its connection), then the
/// timed run.
async fn warm_then_run<C: Call>(call: C, options: &LoadOptions) -> Outcome {
    let warmup = options.warmup_calls.max(4 * options.concurrency as u64);
    load(
        options.concurrency,
        Budget::Calls(warmup),
        call.clone(),
        false,
    )
    .await;
    load(options.concurrency, options.budget, call, true).await
}

/// One call of `action` through the generated client, the request built afresh each time (the
/// answer decoded into its typed response, then dropped).
fn sdk_call(client: Client, action: &Action) -> impl Call + use<> {
    let action = action.clone();
    move || {
        let client = client.clone();
        let action = action.clone();
        async move {
            match action {
                Action::CheckJob { job_id } => client
                    .describe_migrate_check_job()
                    .job_id(&*job_id)
                    .send()
                    .await
                    .map(drop)
                    .map_err(|err| err.to_string()),
                Action::ListJobs { limit } => client
                    .describe_migrate_jobs()
                    .limit(limit)
                    .send()
                    .await
                    .map(drop)
                    .map_err(|err| err.to_string()),
            }
        }
    }
}

/// One call of `action` through the SDK before the run; fails when the call does.
async fn sdk_probe(client: &Client, action: &Action) -> BenchResult<Probe> {
    Ok(match action {
        Action::CheckJob { job_id } => {
            client
                .describe_migrate_check_job()
                .job_id(&**job_id)
                .send()
                .await?;
            Probe::default()
        }
        Action::ListJobs { limit } => {
            let answer = client.describe_migrate_jobs().limit(*limit).send().await?;
            Probe {
                listed_jobs: Some(answer.job_list.len()),
                answer_bytes: None,
            }
        }
    })
}

/// One POST of the bytes the SDK signed once, with a client set up as the SDK sets up its own:
/// rustls, HTTP/1.1 to a plain endpoint, a keep-alive pool, no redirects, no proxy, and the same
/// connect timeout and time limit per request (a timer per request costs CPU, and the SDK cannot
/// go without one). The answer is read whole but not decoded.
async fn reqwest_call(target: &Target, action: &Action) -> BenchResult<(Probe, impl Call)> {
    let handle = Handle::new(target.config()?, &SERVICE);
    let signed = match action {
        Action::CheckJob { job_id } => {
            let request = DescribeMigrateCheckJobRequest::builder()
                .job_id(&**job_id)
                .build()?;
            handle.presign(&request).await?
        }
        Action::ListJobs { limit } => {
            let request = DescribeMigrateJobsRequest::builder()
                .limit(*limit)
                .build()?;
            handle.presign(&request).await?
        }
    };
    let signed: Arc<SignedRequest> = Arc::new(signed);
    let http = tencentcloud_sdk::config::http_client_builder()?
        .connect_timeout(tencentcloud_sdk::config::DEFAULT_CONNECT_TIMEOUT)
        .tcp_keepalive(Duration::from_secs(30))
        .pool_idle_timeout(Duration::from_secs(50))
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .build()?;
    let probe = check_answer(&http, &signed).await?;
    let call = move || {
        let http = http.clone();
        let signed = Arc::clone(&signed);
        async move {
            let (status, _body) = post(&http, &signed).await.map_err(|err| err.to_string())?;
            if status == reqwest::StatusCode::OK {
                Ok(())
            } else {
                Err(format!("HTTP {status}"))
            }
        }
    };
    Ok((probe, call))
}

/// POSTs a signed request and reads the whole answer.
async fn post(
    http: &reqwest::Client,
    signed: &SignedRequest,
) -> reqwest::Result<(reqwest::StatusCode, impl AsRef<[u8]>)> {
    let response = http
        .post(signed.url().clone())
        .timeout(tencentcloud_sdk::config::DEFAULT_TIMEOUT)
        .headers(signed.headers().clone())
        .body(signed.body().clone())
        .send()
        .await?;
    let status = response.status();
    Ok((status, response.bytes().await?))
}

/// The pre-signed request must be answered with a success: a signature the emulator refused would
/// come back as HTTP 200 too, with an error in the body. Returns the answer's size, and the
/// number of jobs it lists if it is a list.
async fn check_answer(http: &reqwest::Client, signed: &SignedRequest) -> BenchResult<Probe> {
    let (_, body) = post(http, signed).await?;
    let answer: Value = serde_json::from_slice(body.as_ref())
        .map_err(|err| format!("the pre-signed request's answer is not JSON: {err}"))?;
    match answer.pointer("/Response/Error") {
        None if answer.pointer("/Response/RequestId").is_some() => Ok(Probe {
            listed_jobs: answer
                .pointer("/Response/JobList")
                .and_then(Value::as_array)
                .map(Vec::len),
            answer_bytes: Some(body.as_ref().len()),
        }),
        _ => Err(format!("the pre-signed request was not answered with success: {answer}").into()),
    }
}

/// Makes one call; `Err` says why it failed.
pub trait Call: Fn() -> Self::Future + Clone + Send + Sync + 'static {
    /// The call in flight.
    type Future: Future<Output = Result<(), String>> + Send + 'static;
}

impl<F, Fut> Call for F
where
    F: Fn() -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = Result<(), String>> + Send + 'static,
{
    type Future = Fut;
}

/// What a load run saw.
#[derive(Default)]
struct Outcome {
    successes: u64,
    /// The latency of every successful call, when asked for.
    latencies: Vec<Duration>,
    errors: u64,
    first_error: Option<String>,
    /// From the first call's start to the last call's end (set once all tasks are done).
    elapsed: Duration,
    /// The CPU time of this process over the same span.
    cpu: Duration,
}

/// Runs `call` on `concurrency` tasks until the budget is spent, keeping each successful call's
/// latency if `keep_latencies`.
async fn load<C: Call>(
    concurrency: usize,
    budget: Budget,
    call: C,
    keep_latencies: bool,
) -> Outcome {
    let cpu_at_start = process_cpu();
    let started = Instant::now();
    let claim = Arc::new(Claim::new(budget, started));
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..concurrency {
        let claim = Arc::clone(&claim);
        let call = call.clone();
        tasks.spawn(async move {
            let mut seen = Outcome::default();
            while claim.next() {
                let sent = Instant::now();
                match call().await {
                    Ok(()) => {
                        seen.successes += 1;
                        if keep_latencies {
                            seen.latencies.push(sent.elapsed());
                        }
                    }
                    Err(err) => {
                        seen.errors += 1;
                        seen.first_error.get_or_insert(err);
                    }
                }
            }
            seen
        });
    }
    let mut outcome = Outcome::default();
    while let Some(joined) = tasks.join_next().await {
        match joined {
            Ok(seen) => {
                outcome.successes += seen.successes;
                outcome.latencies.extend(seen.latencies);
                outcome.errors += seen.errors;
                outcome.first_error = outcome.first_error.or(seen.first_error);
            }
            Err(err) => {
                outcome.errors += 1;
                outcome
                    .first_error
                    .get_or_insert(format!("a task failed: {err}"));
            }
        }
    }
    outcome.elapsed = started.elapsed();
    outcome.cpu = process_cpu().saturating_sub(cpu_at_start);
    outcome
}

/// Hands out the budget's calls to the tasks.
enum Claim {
    Until(Instant),
    Calls { next: AtomicU64, total: u64 },
}

impl Claim {
    fn new(budget: Budget, started: Instant) -> Self {
        match budget {
            Budget::For(duration) => Claim::Until(started + duration),
            Budget::Calls(total) => Claim::Calls {
                next: AtomicU64::new(0),
                total,
            },
        }
    }

    /// Whether the caller may start another call.
    fn next(&self) -> bool {
        match self {
            Claim::Until(deadline) => Instant::now() < *deadline,
            Claim::Calls { next, total } => next.fetch_add(1, Ordering::Relaxed) < *total,
        }
    }
}
