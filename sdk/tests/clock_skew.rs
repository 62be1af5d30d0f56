//! A machine whose clock is off by an hour still gets its requests through: the first answer's
//! `Date` header corrects the clock, once, for every later request.

use tencentcloud_emulator::Emulator;
use tencentcloud_sdk::dts::v20180330::Client;
use tencentcloud_sdk::{InvalidResponseKind, RetryConfig};

async fn check_with_clock_off_by(offset: i64) {
    let emulator = Emulator::builder()
        .clock_offset(offset)
        .start()
        .await
        .expect("emulator");
    // Retries are off: the clock correction happens anyway, as its own single resend.
    let config = emulator
        .sdk_config()
        .retry(RetryConfig::disabled())
        .build()
        .expect("config");
    let client = Client::new(config.clone());
    assert_eq!(config.clock_offset(), 0);

    let err = client
        .describe_migrate_check_job()
        .job_id("dts-00000001")
        .send()
        .await
        .expect_err("the job does not exist");
    // Past the signature check: the service looked for the job.
    assert_eq!(err.code(), Some("ResourceNotFound.JobNotExist"), "{err}");
    let learnt = config.clock_offset();
    assert!(
        (offset - 2..=offset + 2).contains(&learnt),
        "offset {learnt}, expected {offset}"
    );

    // The next call, from a clone, is signed with the corrected clock at once.
    let jobs = client
        .clone()
        .describe_migrate_jobs()
        .send()
        .await
        .expect("listing jobs");
    assert_eq!(jobs.total_count, 0);
    assert_eq!(emulator.calls("DescribeMigrateCheckJob"), 1);
    assert_eq!(emulator.calls("DescribeMigrateJobs"), 1);
}

#[tokio::test]
async fn a_clock_an_hour_behind_is_corrected() {
    check_with_clock_off_by(3600).await;
}

#[tokio::test]
async fn a_clock_an_hour_ahead_is_corrected() {
    check_with_clock_off_by(-3600).await;
}

#[tokio::test]
async fn without_skew_nothing_changes() {
    let emulator = Emulator::start().await.expect("emulator");
    let config = emulator.sdk_config().build().expect("config");
    let client = Client::new(config.clone());
    client
        .describe_migrate_jobs()
        .send()
        .await
        .expect("listing jobs");
    assert!(config.clock_offset().abs() <= 1);
}

/// A service whose clock is decades off answers `AuthFailure.SignatureExpire` with a `Date` that
/// cannot be right: the call fails saying so, and the shared clock is left alone.
async fn check_refused_for(offset: i64) {
    let emulator = Emulator::builder()
        .clock_offset(offset)
        .start()
        .await
        .expect("emulator");
    let config = emulator.sdk_config().build().expect("config");
    let client = Client::new(config.clone());
    let err = client
        .describe_migrate_jobs()
        .send()
        .await
        .expect_err("the clocks are too far apart");
    match &err {
        tencentcloud_sdk::SdkError::InvalidResponse(invalid) => match invalid.kind() {
            InvalidResponseKind::ImplausibleDate { offset_secs, .. } => {
                assert!((offset - 2..=offset + 2).contains(offset_secs), "{err}");
            }
            other => panic!("expected an implausible date, got {other:?}: {err}"),
        },
        other => panic!("expected an invalid response, got {other}"),
    }
    let shown = err.to_string();
    assert!(shown.contains("not plausible"), "{shown}");
    assert!(err.request_id().is_some(), "{shown}");
    assert_eq!(config.clock_offset(), 0);
    // One attempt: a clock that will not be corrected is not tried again.
    assert_eq!(emulator.calls("DescribeMigrateJobs"), 0);
}

#[tokio::test]
async fn a_date_decades_away_does_not_move_the_clock() {
    // The server says it is the year 2000.
    let to_2000 = 946_684_800 - i64::try_from(support_now()).unwrap();
    check_refused_for(to_2000).await;
}

#[tokio::test]
async fn a_date_two_days_away_does_not_move_the_clock() {
    check_refused_for(2 * 86_400).await;
}

#[tokio::test]
async fn a_clock_most_of_a_day_off_is_still_corrected() {
    check_with_clock_off_by(-23 * 3600).await;
}

fn support_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs())
}
