//! `setup`, `calls` and `memory`: DescribeMigrateCheckJob over loopback against the emulator, with
//! the SDK or with a bare `reqwest` client sending bytes the SDK signed once.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tencentcloud_sdk::dts::v20180330::{
    AccessType, Client, DatabaseType, DescribeMigrateCheckJobRequest, DstInfo, MigrateOption,
    MigrateRunMode, MigrateType, SERVICE, SrcInfo,
};
use tencentcloud_sdk::runtime::{Handle, SignedRequest};
use tencentcloud_sdk::{Config, Credentials, RateLimits, RetryConfig};

use crate::stats::{millis, percentile};
use crate::{BenchResult, Flags};

const REGION: &str = "ap-guangzhou";

/// The concurrency of the memory run.
const MEMORY_CONCURRENCY: usize = 16;

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

/// Creates a migration job and its check, so that describing the check answers with success.
pub async fn setup(target: &Target) -> BenchResult<Value> {
    let client = Client::new(target.config()?);
    let job = client
        .create_migrate_job()
        .job_name("bench")
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
    client
        .create_migrate_check_job()
        .job_id(job.job_id.as_str())
        .send()
        .await?;
    Ok(json!({ "job_id": job.job_id }))
}

/// Calls DescribeMigrateCheckJob in a loop with `client` (`sdk` or `reqwest`) and reports calls
/// per second and latency percentiles. `calls` and `calls_per_second` count successful calls,
/// whose latencies the percentiles are of; `errors` the others.
pub async fn measure(
    target: &Target,
    job_id: &str,
    client: &str,
    options: &LoadOptions,
) -> BenchResult<Value> {
    let outcome = match client {
        "sdk" => warm_then_run(sdk_call(target, job_id)?, options).await,
        "reqwest" => warm_then_run(reqwest_call(target, job_id).await?, options).await,
        other => return Err(format!("--client {other}: use sdk or reqwest").into()),
    };
    if let Some(error) = &outcome.first_error {
        eprintln!("first error of {} ({client}): {error}", outcome.errors);
    }
    let mut latencies = outcome.latencies;
    latencies.sort_unstable();
    let seconds = outcome.elapsed.as_secs_f64();
    Ok(json!({
        "client": client,
        "concurrency": options.concurrency,
        "calls": outcome.successes,
        "errors": outcome.errors,
        "seconds": seconds,
        "calls_per_second": outcome.successes as f64 / seconds,
        "p50_ms": millis(percentile(&latencies, 50.0)),
        "p99_ms": millis(percentile(&latencies, 99.0)),
    }))
}

/// Makes `calls` calls with the SDK on 16 tasks and samples the process's resident memory after
/// each tenth of them.
pub async fn memory(target: &Target, job_id: &str, calls: u64) -> BenchResult<Value> {
    let call = sdk_call(target, job_id)?;
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

/// One call through the generated client.
fn sdk_call(target: &Target, job_id: &str) -> BenchResult<impl Call> {
    let client = Client::new(target.config()?);
    let job_id: Arc<str> = job_id.into();
    Ok(move || {
        let client = client.clone();
        let job_id = Arc::clone(&job_id);
        async move {
            client
                .describe_migrate_check_job()
                .job_id(&*job_id)
                .send()
                .await
                .map(drop)
                .map_err(|err| err.to_string())
        }
    })
}

/// One POST of the bytes the SDK signed once, with a client set up as the SDK sets up its own:
/// rustls, HTTP/1.1 to a plain endpoint, a keep-alive pool, no redirects, no proxy.
async fn reqwest_call(target: &Target, job_id: &str) -> BenchResult<impl Call> {
    let handle = Handle::new(target.config()?, &SERVICE);
    let request = DescribeMigrateCheckJobRequest::builder()
        .job_id(job_id)
        .build()?;
    let signed: Arc<SignedRequest> = Arc::new(handle.presign(&request).await?);
    let http = reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(5))
        .tcp_keepalive(Duration::from_secs(30))
        .pool_idle_timeout(Duration::from_secs(50))
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .build()?;
    check_answer(&http, &signed).await?;
    Ok(move || {
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
    })
}

/// POSTs a signed request and reads the whole answer.
async fn post(
    http: &reqwest::Client,
    signed: &SignedRequest,
) -> reqwest::Result<(reqwest::StatusCode, impl AsRef<[u8]>)> {
    let response = http
        .post(signed.url().clone())
        .headers(signed.headers().clone())
        .body(signed.body().clone())
        .send()
        .await?;
    let status = response.status();
    Ok((status, response.bytes().await?))
}

/// The pre-signed request must be answered with a success: a signature the emulator refused would
/// come back as HTTP 200 too, with an error in the body.
async fn check_answer(http: &reqwest::Client, signed: &SignedRequest) -> BenchResult<()> {
    let (_, body) = post(http, signed).await?;
    let answer: Value = serde_json::from_slice(body.as_ref())
        .map_err(|err| format!("the pre-signed request's answer is not JSON: {err}"))?;
    match answer.pointer("/Response/Error") {
        None if answer.pointer("/Response/RequestId").is_some() => Ok(()),
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
}

/// Runs `call` on `concurrency` tasks until the budget is spent, keeping each successful call's
/// latency if `keep_latencies`.
async fn load<C: Call>(
    concurrency: usize,
    budget: Budget,
    call: C,
    keep_latencies: bool,
) -> Outcome {
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
