//! Client-side rate limiting against the emulator, which enforces each action's documented limit
//! the way the service does.

use std::time::{Duration, Instant};

use tencentcloud_emulator::Emulator;
use tencentcloud_sdk::dts::v20180330::Client;
use tencentcloud_sdk::{RateLimits, RetryConfig};

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
    let config = emulator
        .sdk_config()
        .retry(RetryConfig::disabled())
        .rate_limits(RateLimits::disabled())
        .build()
        .expect("config");
    let codes = poll_in_parallel(&Client::new(config)).await;
    let throttled = codes
        .iter()
        .filter(|c| *c == "RequestLimitExceeded")
        .count();
    // All 100 leave at once; the service takes 20 in its window and refuses the rest.
    assert!(
        throttled >= 50,
        "only {throttled} of {PARALLEL_POLLS} refused: {codes:?}"
    );
}

#[tokio::test]
async fn another_action_has_its_own_bucket() {
    let emulator = Emulator::start().await.expect("emulator");
    let client = Client::new(
        emulator
            .sdk_config()
            .retry(RetryConfig::disabled())
            .build()
            .expect("config"),
    );
    // Use up the check action's burst and more, then list jobs: the list does not wait behind
    // the checks.
    let checks: Vec<_> = (0..36)
        .map(|n| {
            let client = client.clone();
            tokio::spawn(async move {
                let _ = client
                    .describe_migrate_check_job()
                    .job_id(format!("dts-{n:08}"))
                    .send()
                    .await;
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(50)).await;
    let started = Instant::now();
    client
        .describe_migrate_jobs()
        .send()
        .await
        .expect("listing jobs");
    assert!(
        started.elapsed() < Duration::from_millis(500),
        "{:?}",
        started.elapsed()
    );
    for check in checks {
        check.await.expect("check task");
    }
}
