//! Proof under faults: with the emulator failing 30 % of requests on purpose (HTTP 502 pages,
//! HTTP 503, throttling, dropped connections before and after the work, delays), a workload of
//! 520 calls mixing creates and reads, with the default retry settings, ends with every call
//! either done or failed with an error that says why; no create is carried out twice; and the
//! time taken is what the attempts, the backoff waits and the rate-limit waits add up to.
//!
//! Run with `--nocapture` to see the figures.

mod support;

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use support::{REGION, migrate_job_call};
use tencentcloud_emulator::{Emulator, Fault, Faults};
use tencentcloud_sdk::dts::v20180330::Client;
use tencentcloud_sdk::{Config, Credentials, SdkError};
use tracing::field::{Field, Visit};
use tracing::instrument::WithSubscriber;
use tracing::{Event, Subscriber};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};

/// Each lane is one account, working through its jobs one call at a time.
const LANES: usize = 10;
/// Jobs per lane; each job takes four calls.
const JOBS_PER_LANE: usize = 13;
const CALLS_PER_JOB: usize = 4;
const INJECTED_DELAY: Duration = Duration::from_millis(200);

/// What the SDK's tracing events said about one lane's calls.
#[derive(Debug, Default)]
struct Tally {
    attempts: AtomicU64,
    retries: AtomicU64,
    backoff_ms: AtomicU64,
    rate_limit_waits: AtomicU64,
    rate_limit_wait_ms: AtomicU64,
    attempt_ms: AtomicU64,
    not_retried_may_have_run: AtomicU64,
}

/// A tracing layer that adds the SDK's events up into a [`Tally`].
struct Counter(Arc<Tally>);

#[derive(Default)]
struct Fields {
    message: String,
    numbers: HashMap<&'static str, u64>,
}

impl Visit for Fields {
    fn record_u64(&mut self, field: &Field, value: u64) {
        self.numbers.insert(field.name(), value);
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            let _ = write!(self.message, "{value:?}");
        }
    }
}

impl<S: Subscriber> Layer<S> for Counter {
    fn on_event(&self, event: &Event<'_>, _: Context<'_, S>) {
        let mut fields = Fields::default();
        event.record(&mut fields);
        let number = |name| fields.numbers.get(name).copied().unwrap_or(0);
        let tally = &self.0;
        match fields.message.as_str() {
            "attempt succeeded" | "attempt failed" => {
                tally.attempts.fetch_add(1, Ordering::Relaxed);
                tally
                    .attempt_ms
                    .fetch_add(number("latency_ms"), Ordering::Relaxed);
            }
            "retrying" => {
                tally.retries.fetch_add(1, Ordering::Relaxed);
                tally
                    .backoff_ms
                    .fetch_add(number("delay_ms"), Ordering::Relaxed);
            }
            "waiting for the rate limit" => {
                tally.rate_limit_waits.fetch_add(1, Ordering::Relaxed);
                tally
                    .rate_limit_wait_ms
                    .fetch_add(number("wait_ms"), Ordering::Relaxed);
            }
            message
                if message.starts_with("not retried: the request may have been carried out") =>
            {
                tally
                    .not_retried_may_have_run
                    .fetch_add(1, Ordering::Relaxed);
            }
            _ => {}
        }
    }
}

/// How one call ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum End {
    Done,
    /// The connection broke after the request left: a create is not sent again.
    ConnectionBroke,
    /// An error page from a gateway that a create is not sent again after (502), or one that
    /// kept coming until the attempts ran out.
    HttpStatus(u16),
    /// A service error code that kept coming until the attempts ran out, or an expected one.
    Service(&'static str),
}

fn end_of<E>(action: &str, outcome: &Result<(), SdkError<E>>) -> End {
    let Err(err) = outcome else {
        return End::Done;
    };
    let shown = err.to_string();
    assert!(
        shown.contains(action),
        "the error does not name {action}: {shown}"
    );
    match err {
        SdkError::Transport(_) => End::ConnectionBroke,
        SdkError::InvalidResponse(invalid) => End::HttpStatus(invalid.http_status()),
        SdkError::Service(service) => match service.code() {
            "RequestLimitExceeded" => End::Service("RequestLimitExceeded"),
            "InternalError" => End::Service("InternalError"),
            "ResourceNotFound.JobNotExist" => End::Service("ResourceNotFound.JobNotExist"),
            other => panic!("{action} failed with an unexpected code: {shown} ({other})"),
        },
        other => panic!("{action} failed unexpectedly: {other}"),
    }
}

/// What one lane did.
#[derive(Debug, Default)]
struct LaneReport {
    ends: Vec<(&'static str, End)>,
    /// Names of jobs whose create succeeded, with the id the answer gave.
    created: HashMap<String, String>,
    elapsed: Duration,
}

fn lane_credentials(lane: usize) -> Credentials {
    Credentials::new(
        format!("AKIDfaultLane{lane:02}xxxxxxxxxxxxxxxxxxxxxx"),
        format!("fault-lane-{lane:02}-secret-key-not-for-logs"),
    )
}

async fn run_lane(client: Client, lane: usize) -> LaneReport {
    let mut report = LaneReport::default();
    let started = Instant::now();
    for job in 0..JOBS_PER_LANE {
        let name = format!("lane{lane:02}-job{job:02}");
        let created = migrate_job_call(&client, &name, "source-password")
            .send()
            .await;
        let job_id = match &created {
            Ok(answer) => {
                report.created.insert(name.clone(), answer.job_id.clone());
                answer.job_id.clone()
            }
            Err(_) => "dts-notmade".to_owned(),
        };
        let outcome = created.map(drop);
        report
            .ends
            .push(("CreateMigrateJob", end_of("CreateMigrateJob", &outcome)));

        let listed = client.describe_migrate_jobs().job_name(&name).send().await;
        if let Ok(page) = &listed {
            assert!(
                page.total_count <= 1,
                "{name} listed {} times",
                page.total_count
            );
        }
        let outcome = listed.map(drop);
        report.ends.push((
            "DescribeMigrateJobs",
            end_of("DescribeMigrateJobs", &outcome),
        ));

        let check = client
            .describe_migrate_check_job()
            .job_id(&job_id)
            .send()
            .await
            .map(drop);
        report.ends.push((
            "DescribeMigrateCheckJob",
            end_of("DescribeMigrateCheckJob", &check),
        ));

        let page = client
            .describe_migrate_jobs()
            .limit(5)
            .send()
            .await
            .map(drop);
        report
            .ends
            .push(("DescribeMigrateJobs", end_of("DescribeMigrateJobs", &page)));
    }
    report.elapsed = started.elapsed();
    report
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mixed_workload_survives_thirty_percent_faults() {
    let faults = Faults::none()
        .with(Fault::BadGateway, 0.06)
        .with(Fault::ServiceUnavailable, 0.06)
        .with(Fault::RequestLimitExceeded, 0.06)
        .with(Fault::DropConnection, 0.04)
        .with(Fault::DropAfterProcessing, 0.04)
        .with(Fault::Delay(INJECTED_DELAY), 0.04)
        .seed(2026);
    let mut builder = Emulator::builder().faults(faults);
    for lane in 0..LANES {
        builder = builder.credentials(lane_credentials(lane));
    }
    let emulator = builder.start().await.expect("emulator");

    let started = Instant::now();
    let mut lanes = tokio::task::JoinSet::new();
    let mut tallies = Vec::new();
    for lane in 0..LANES {
        // The default retry, rate-limit and timeout settings.
        let config = Config::builder()
            .credentials(lane_credentials(lane))
            .region(REGION)
            .endpoint(emulator.url())
            .build()
            .expect("config");
        let tally = Arc::new(Tally::default());
        tallies.push(Arc::clone(&tally));
        let subscriber = tracing_subscriber::registry().with(Counter(tally));
        lanes.spawn(
            async move { (lane, run_lane(Client::new(config), lane).await) }
                .with_subscriber(subscriber),
        );
    }
    let mut reports: Vec<(usize, LaneReport)> = Vec::new();
    while let Some(done) = lanes.join_next().await {
        reports.push(done.expect("lane task"));
    }
    reports.sort_by_key(|(lane, _)| *lane);
    let elapsed = started.elapsed();

    // Every call ended, done or with a reason.
    let calls: usize = reports.iter().map(|(_, r)| r.ends.len()).sum();
    assert_eq!(calls, LANES * JOBS_PER_LANE * CALLS_PER_JOB);
    let mut ends: HashMap<(&str, End), usize> = HashMap::new();
    for (_, report) in &reports {
        for &(action, end) in &report.ends {
            *ends.entry((action, end)).or_default() += 1;
        }
    }

    // No create ran twice: each job name appears at most once in each account, every job the
    // answers reported is there under its name, and every job the service made came from one
    // executed create.
    let mut duplicates = 0;
    let mut orphans = 0;
    let mut jobs_total = 0;
    for (lane, report) in &reports {
        let jobs = emulator.migrate_jobs(lane_credentials(*lane).secret_id(), REGION);
        jobs_total += jobs.len();
        let mut by_name: HashMap<&str, Vec<&str>> = HashMap::new();
        for job in &jobs {
            by_name.entry(&job.job_name).or_default().push(&job.job_id);
        }
        for (name, ids) in &by_name {
            duplicates += ids.len() - 1;
            match report.created.get(*name) {
                Some(id) => assert_eq!(ids, &[id.as_str()], "job {name}"),
                // Made by a create whose answer was lost on the way back.
                None => orphans += 1,
            }
        }
        for name in report.created.keys() {
            assert!(
                by_name.contains_key(name.as_str()),
                "{name} was reported created but is missing"
            );
        }
    }
    assert_eq!(duplicates, 0, "a create was carried out twice");
    assert_eq!(emulator.executed("CreateMigrateJob"), jobs_total as u64);
    let creates_broken = ends
        .get(&("CreateMigrateJob", End::ConnectionBroke))
        .copied()
        .unwrap_or(0);
    assert!(
        orphans <= creates_broken,
        "{orphans} jobs without a create answer, but only {creates_broken} creates lost their connection"
    );

    // Reads are safe to repeat, so with four attempts almost all get through.
    let reads = calls - LANES * JOBS_PER_LANE;
    let reads_failed = ends
        .iter()
        .filter(|((action, end), _)| {
            *action != "CreateMigrateJob"
                && *end != End::Done
                && *end != End::Service("ResourceNotFound.JobNotExist")
        })
        .map(|(_, n)| n)
        .sum::<usize>();
    assert!(
        reads_failed * 20 < reads,
        "{reads_failed} of {reads} reads failed"
    );

    // Each lane's wall time beside what its attempts and waits add up to: printed, never
    // asserted, since a busy machine stretches the one and not the other.
    let total = Tally::default();
    for ((lane, report), tally) in reports.iter().zip(&tallies) {
        let get = |n: &AtomicU64| n.load(Ordering::Relaxed);
        let explained = Duration::from_millis(
            get(&tally.attempt_ms) + get(&tally.backoff_ms) + get(&tally.rate_limit_wait_ms),
        );
        println!(
            "lane {lane}: {} calls in {:.2} s, of which attempts and waits explain {:.2} s",
            report.ends.len(),
            report.elapsed.as_secs_f64(),
            explained.as_secs_f64()
        );
        // And no wait is longer than the schedule allows: 4 attempts, so at most 3 waits of at
        // most 200 + 400 + 800 ms per call.
        assert!(get(&tally.backoff_ms) <= 1400 * report.ends.len() as u64);
        for (sum, part) in [
            (&total.attempts, &tally.attempts),
            (&total.retries, &tally.retries),
            (&total.backoff_ms, &tally.backoff_ms),
            (&total.rate_limit_waits, &tally.rate_limit_waits),
            (&total.rate_limit_wait_ms, &tally.rate_limit_wait_ms),
            (&total.attempt_ms, &tally.attempt_ms),
            (
                &total.not_retried_may_have_run,
                &tally.not_retried_may_have_run,
            ),
        ] {
            sum.fetch_add(get(part), Ordering::Relaxed);
        }
    }
    let get = |n: &AtomicU64| n.load(Ordering::Relaxed);
    let injected = emulator.faults_injected();
    // Every attempt reached the emulator, and each retry follows a failed attempt.
    assert_eq!(get(&total.attempts), calls as u64 + get(&total.retries));
    assert!(injected.total() >= get(&total.retries));

    let failed: usize = ends
        .iter()
        .filter(|((_, end), _)| *end != End::Done)
        .map(|(_, n)| n)
        .sum();
    let mut table: Vec<_> = ends.into_iter().collect();
    table.sort();
    println!(
        "calls: {calls} ({} creates, {reads} reads) in {:.2} s over {LANES} lanes",
        LANES * JOBS_PER_LANE,
        elapsed.as_secs_f64()
    );
    println!("injected faults: {} ({injected})", injected.total());
    println!(
        "attempts: {}, retries: {}, backoff slept: {} ms, rate-limit waits: {} ({} ms)",
        get(&total.attempts),
        get(&total.retries),
        get(&total.backoff_ms),
        get(&total.rate_limit_waits),
        get(&total.rate_limit_wait_ms)
    );
    println!(
        "creates not repeated because they may have run: {}",
        get(&total.not_retried_may_have_run)
    );
    println!(
        "calls that ended in an error: {failed}; duplicates: {duplicates}; jobs made: {jobs_total}, of which {orphans} without an answer"
    );
    for ((action, end), n) in table {
        println!("  {action:<24} {end:?}: {n}");
    }
}
