//! Client-side rate limiting against the emulator, which enforces each action's documented limit
//! the way the service does.

use std::time::{Duration, Instant};

use tencentcloud_emulator::Emulator;
use tencentcloud_sdk::dts::v20180330::{Client, DescribeMigrateCheckJob};
use tencentcloud_sdk::runtime::Action;
use tencentcloud_sdk::{RateLimits, RetryConfig, SdkError};

/// How many `DescribeMigrateCheckJob` requests one test sends at once.
const PARALLEL_POLLS: usize = 100;

/// Sends `PARALLEL_POLLS` checks at once, each from its own clone of the client, and returns the
/// error codes in the order the calls finished. The jobs do not exist, which the emulator says
/// only after the rate limit let the request through.
async fn poll_in_parallel(client: &Client) -> Vec<String> {
    let mut calls = tokio::task::JoinSet::new();
    for n in 0..PARALLEL_POLLS {
        let client = client.clone();
        calls.spawn(async move {
            let job_id = format!("dts-{n:08}");
            let outcome = client
                .describe_migrate_check_job()
                .job_id(job_id)
                .send()
                .await;
            match outcome {
                Ok(_) => "ok".to_owned(),
                Err(err) => err.code().unwrap_or("no code").to_owned(),
            }
        });
    }
    let mut codes = Vec::new();
    while let Some(code) = calls.join_next().await {
        codes.push(code.expect("the call's task"));
    }
    codes
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_parallel_polls_stay_within_the_documented_limit() {
    let emulator = Emulator::start().await.expect("emulator");
    // No retries: a refused request would show up as RequestLimitExceeded.
    let config = emulator
        .sdk_config()
        .retry(RetryConfig::disabled())
        .build()
        .expect("config");
    let client = Client::new(config);
    let started = Instant::now();
    let codes = poll_in_parallel(&client).await;
    let elapsed = started.elapsed();

    let throttled = codes
        .iter()
        .filter(|c| *c == "RequestLimitExceeded")
        .count();
    assert_eq!(throttled, 0, "{codes:?}");
    assert!(
        codes.iter().all(|c| c == "ResourceNotFound.JobNotExist"),
        "{codes:?}"
    );
    // 20 per second, paced at 18: the 100th request leaves 99/18 = 5.5 s after the first.
    assert!(elapsed >= Duration::from_millis(5400), "{elapsed:?}");
    assert_eq!(
        emulator.calls("DescribeMigrateCheckJob"),
        PARALLEL_POLLS as u64
    );
    println!(
        "{PARALLEL_POLLS} parallel DescribeMigrateCheckJob calls: 0 throttled, {:.2} s ({:.1} calls/s)",
        elapsed.as_secs_f64(),
        PARALLEL_POLLS as f64 / elapsed.as_secs_f64()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_client_side_limits_the_service_refuses_the_excess() {
    let emulator = Emulator::start().await.expect("emulator");
    let limit = DescribeMigrateCheckJob::INFO
        .rate_limit
        .expect("the check action has a rate limit");
    let config = emulator
        .sdk_config()
        .retry(RetryConfig::disabled())
        .rate_limits(RateLimits::disabled())
        .build()
        .expect("config");
    let started = Instant::now();
    let codes = poll_in_parallel(&Client::new(config)).await;
    let span = started.elapsed();

    let throttled = codes
        .iter()
        .filter(|c| *c == "RequestLimitExceeded")
        .count();
    let accepted = codes
        .iter()
        .filter(|c| *c == "ResourceNotFound.JobNotExist")
        .count();
    println!(
        "{PARALLEL_POLLS} unpaced calls within {span:?}: {accepted} accepted, {throttled} refused"
    );
    // Nothing held any call back on the client's side: each reached the service, which either
    // let it through or refused it.
    assert_eq!(accepted + throttled, PARALLEL_POLLS, "{codes:?}");
    assert_eq!(emulator.calls("DescribeMigrateCheckJob"), accepted as u64);
    // The service lets `limit` through in any one second, so over the span of the calls, covered
    // by `floor(span) + 1` seconds, at most that many times `limit`; the rest it refused. How
    // long the span is depends on the machine and is not asserted: the bound follows it (on any
    // machine that sends 100 requests within a second, 80 are refused).
    let seconds = span.as_secs() as usize + 1;
    let allowed = limit as usize * seconds;
    assert!(
        accepted <= allowed,
        "{accepted} let through within {span:?}, more than {limit} a second allow: {codes:?}"
    );
}

#[tokio::test]
async fn another_action_has_its_own_bucket() {
    let emulator = Emulator::start().await.expect("emulator");
    // Buckets that refill once every 500 s: the check action's burst goes out at once, and each
    // check after it would have to wait past the call's deadline, so the client refuses it at
    // once with a timeout rather than sending it. Which calls go out is then fixed by the
    // schedule alone, not by how fast the machine is.
    let limits = RateLimits::from_spec().with_utilization(0.0001);
    let (rate, burst) = limits
        .bucket_for(DescribeMigrateCheckJob::INFO.rate_limit)
        .expect("the check action has a rate limit");
    let deadline = Duration::from_secs(60);
    assert!(Duration::from_secs_f64(1.0 / rate) > deadline);
    let client = Client::new(
        emulator
            .sdk_config()
            .retry(RetryConfig::disabled())
            .rate_limits(limits)
            .operation_timeout(Some(deadline))
            .build()
            .expect("config"),
    );
    // Use up the check action's burst and more, then list jobs: the list does not wait behind
    // the checks.
    let checks = 2 * burst as usize;
    let mut calls = tokio::task::JoinSet::new();
    for n in 0..checks {
        let client = client.clone();
        calls.spawn(async move {
            client
                .describe_migrate_check_job()
                .job_id(format!("dts-{n:08}"))
                .send()
                .await
        });
    }
    let mut refused = 0;
    while let Some(outcome) = calls.join_next().await {
        match outcome.expect("check task") {
            Err(SdkError::Timeout(err)) => {
                assert!(err.to_string().contains("the rate limit"), "{err}");
                assert_eq!(err.attempts(), 0, "{err}");
                refused += 1;
            }
            Err(err) => assert_eq!(err.code(), Some("ResourceNotFound.JobNotExist"), "{err}"),
            Ok(answer) => panic!("the job does not exist, yet the check answered {answer:?}"),
        }
    }
    assert_eq!(refused, checks - burst as usize);
    assert_eq!(emulator.calls("DescribeMigrateCheckJob"), u64::from(burst));

    // Had the list shared the checks' bucket, its turn would be past the deadline too, and it
    // would be refused the same way.
    client
        .describe_migrate_jobs()
        .send()
        .await
        .expect("listing jobs");
    assert_eq!(emulator.calls("DescribeMigrateJobs"), 1);
}
