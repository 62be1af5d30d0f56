//! The migration-check waiter against the emulator: a check that passes, one that fails, a job
//! never checked, and a check that outlasts the timeout.

mod support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tencentcloud_emulator::{Emulator, FAIL_CHECK_MARKER};
use tencentcloud_sdk::dts::v20180330::Client;
use tencentcloud_sdk::waiters::dts::MigrateCheckVerdict;

async fn emulator(check: Duration) -> (Emulator, Client) {
    let emulator = Emulator::builder()
        .check_duration(check)
        .start()
        .await
        .expect("the emulator starts");
    let client = Client::new(emulator.sdk_config().build().expect("a valid config"));
    (emulator, client)
}

/// A job, not checked yet.
async fn create_job(client: &Client, name: &str) -> String {
    let job = support::migrate_job_call(client, name, "source-password")
        .send()
        .await
        .expect("the job is created");
    job.job_id
}

/// A job with its check created.
async fn create_checked_job(client: &Client, name: &str) -> String {
    let job_id = create_job(client, name).await;
    client
        .create_migrate_check_job()
        .job_id(&job_id)
        .send()
        .await
        .expect("the check is created");
    job_id
}

#[tokio::test]
async fn a_passing_check_reports_rising_progress_then_passed() {
    let (emulator, client) = emulator(Duration::from_millis(600)).await;
    let job_id = create_checked_job(&client, "orders").await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = Arc::clone(&seen);
    let outcome = client
        .wait_for_migrate_check(&job_id)
        .poll_interval(Duration::from_millis(60))
        .max_poll_interval(Duration::from_millis(120))
        .timeout(Duration::from_secs(20))
        .on_progress(move |progress| {
            if let Ok(mut seen) = record.lock() {
                seen.push((progress.status().to_string(), progress.percent()));
            }
        })
        .await
        .expect("the check finishes");
    assert_eq!(outcome.verdict(), &MigrateCheckVerdict::Passed);
    assert_eq!(outcome.request_id().len(), 36);

    let seen = seen.lock().map(|seen| seen.clone()).unwrap_or_default();
    assert!(
        seen.iter().any(|(status, _)| status == "running"),
        "{seen:?}"
    );
    assert_eq!(
        seen.last().map(|(s, p)| (s.as_str(), *p)),
        Some(("finished", 100))
    );
    let percents: Vec<u8> = seen.iter().map(|(_, p)| *p).collect();
    assert!(percents.windows(2).all(|w| w[0] <= w[1]), "{percents:?}");
    assert_eq!(
        emulator.calls("DescribeMigrateCheckJob"),
        u64::from(outcome.polls())
    );
    // The job can start now, and only now.
    client
        .start_migrate_job()
        .job_id(&job_id)
        .send()
        .await
        .expect("a passed check allows the start");
}

#[tokio::test]
async fn a_failing_check_carries_the_services_error() {
    let (_emulator, client) = emulator(Duration::from_millis(300)).await;
    let job_id = create_checked_job(&client, &format!("orders-{FAIL_CHECK_MARKER}")).await;
    let outcome = client
        .wait_for_migrate_check(&job_id)
        .poll_interval(Duration::from_millis(50))
        .timeout(Duration::from_secs(20))
        .await
        .expect("the check finishes");
    let MigrateCheckVerdict::Failed {
        error_code,
        error_message,
    } = outcome.verdict()
    else {
        panic!("expected a failed check, got {}", outcome.verdict());
    };
    assert_ne!(*error_code, 0);
    assert!(!error_message.is_empty());
    let refused = client
        .start_migrate_job()
        .job_id(&job_id)
        .send()
        .await
        .expect_err("a failed check does not allow the start");
    assert_eq!(refused.code(), Some("FailedOperation.NotAllowOperation"));
}

#[tokio::test]
async fn a_job_never_checked_is_not_checked_at_once() {
    let (emulator, client) = emulator(Duration::from_millis(300)).await;
    let job = client.describe_migrate_jobs().send().await.expect("lists");
    assert_eq!(job.total_count, 0);
    let job_id = create_checked_job(&client, "orders").await;
    let unchecked = create_job(&client, "unchecked").await;
    assert_ne!(unchecked, job_id);
    let outcome = client
        .wait_for_migrate_check(&unchecked)
        .timeout(Duration::from_secs(20))
        .await
        .expect("answered");
    assert_eq!(outcome.verdict(), &MigrateCheckVerdict::NotChecked);
    assert_eq!(outcome.polls(), 1);
    assert_eq!(emulator.calls("DescribeMigrateCheckJob"), 1);
}

#[tokio::test]
async fn a_check_longer_than_the_timeout_gives_up_with_the_last_progress() {
    // A check of an hour cannot end within the test, so the waiter's own deadline is the only
    // way out: a timeout error shows that it gave up there rather than waiting for the check,
    // and the outer minute only catches a deadline that never comes.
    let (_emulator, client) = emulator(Duration::from_secs(3600)).await;
    let job_id = create_checked_job(&client, "slow").await;
    let started = std::time::Instant::now();
    let waiter = client
        .wait_for_migrate_check(&job_id)
        .poll_interval(Duration::from_millis(50))
        .timeout(Duration::from_millis(700));
    let err = tokio::time::timeout(Duration::from_secs(60), waiter.into_future())
        .await
        .expect("the waiter passed its deadline without giving up")
        .expect_err("an hour does not fit in 700 ms");
    let elapsed = started.elapsed();
    println!("gave up after {elapsed:?}");
    assert!(elapsed >= Duration::from_millis(700), "{elapsed:?}");
    let timeout = err.as_timeout().expect("a timeout");
    assert_eq!(timeout.timeout(), Duration::from_millis(700));
    assert_eq!(timeout.job_id(), job_id);
    // How many polls fit in 700 ms depends on the speed of the machine: at least the first.
    println!("{} polls", timeout.polls());
    assert!(timeout.polls() >= 1);
    let text = err.to_string();
    assert!(text.contains(&job_id), "{text}");
    assert!(text.contains("not finished after"), "{text}");
    // The last answer is of a check under way; only a machine too slow to answer a single poll
    // in 700 ms leaves the error none to describe.
    if timeout.last_status().is_some() {
        assert!(
            text.contains("last status running") || text.contains("last status starting"),
            "{text}"
        );
    } else {
        assert!(text.contains("no answer"), "{text}");
    }
}

#[tokio::test]
async fn an_unknown_job_is_an_error_at_once() {
    let (_emulator, client) = emulator(Duration::from_millis(300)).await;
    let err = client
        .wait_for_migrate_check("dts-nosuchjb")
        .timeout(Duration::from_secs(20))
        .await
        .expect_err("no such job");
    let call = err.as_call_error().expect("the service's error");
    assert_eq!(call.code(), Some("ResourceNotFound.JobNotExist"));
}
