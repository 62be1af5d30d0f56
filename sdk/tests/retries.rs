//! Retries against a scripted server: what is tried again, how often, and what never is.

mod support;

use std::time::{Duration, Instant};

use support::{Reply, Server, config, migrate_job_call, within_deadline};
use tencentcloud_sdk::dts::v20180330::{
    Client, CreateMigrateJobError, CreateMigrateJobResponse, DescribeMigrateCheckJobError,
    DescribeMigrateCheckJobResponse,
};
use tencentcloud_sdk::{RetryConfig, SdkError};

const CHECK_ANSWER: &str = r#"{"Response":{"Status":"finished","ErrorCode":0,"ErrorMessage":"ok","Progress":"100","CheckFlag":1,"RequestId":"req-ok"}}"#;
const CREATE_ANSWER: &str = r#"{"Response":{"JobId":"dts-newjob01","RequestId":"req-created"}}"#;

/// Retries on, with waits short enough for tests.
fn quick_retries(attempts: u32) -> RetryConfig {
    RetryConfig::standard()
        .with_max_attempts(attempts)
        .with_initial_backoff(Duration::from_millis(20))
        .with_max_backoff(Duration::from_millis(80))
}

fn client_with(server: &Server, retry: RetryConfig) -> Client {
    Client::new(config(server).retry(retry).build().expect("config"))
}

async fn describe(
    client: &Client,
) -> Result<DescribeMigrateCheckJobResponse, SdkError<DescribeMigrateCheckJobError>> {
    within_deadline(client.describe_migrate_check_job().job_id("dts-1").send()).await
}

async fn create(
    client: &Client,
) -> Result<CreateMigrateJobResponse, SdkError<CreateMigrateJobError>> {
    within_deadline(migrate_job_call(client, "retry-test", "source-password").send()).await
}

fn gateway_page(status: u16) -> Reply {
    Reply::html(
        status,
        format!("<html><body><h1>{status}</h1></body></html>"),
    )
}

#[tokio::test]
async fn a_read_is_retried_through_every_temporary_failure() {
    let server = Server::start([
        gateway_page(502),
        gateway_page(503),
        Reply::service_error("InternalError", "try later", "r1"),
        Reply::service_error("RequestLimitExceeded", "slow down", "r2"),
        Reply::hangup(),
        Reply::json(CHECK_ANSWER),
    ])
    .await;
    let answer = describe(&client_with(&server, quick_retries(6)))
        .await
        .expect("the sixth attempt succeeds");
    assert_eq!(answer.request_id, "req-ok");
    let received = server.received();
    assert_eq!(received.len(), 6);
    for request in &received {
        // Every attempt carries a signature the server accepts, and the same body.
        assert_eq!(request.signature, Ok(()));
        assert_eq!(request.body, received[0].body);
    }
}

#[tokio::test]
async fn each_attempt_is_signed_again_with_a_fresh_timestamp() {
    // The first answer takes over a second, so the second attempt falls in a later second.
    let server = Server::start([
        Reply::hangup().after(Duration::from_millis(1100)),
        Reply::json(CHECK_ANSWER),
    ])
    .await;
    describe(&client_with(&server, quick_retries(2)))
        .await
        .expect("the retry succeeds");
    let received = server.received();
    assert_eq!(received.len(), 2);
    let timestamp = |n: usize| -> u64 {
        received[n]
            .header("X-TC-Timestamp")
            .and_then(|t| t.parse().ok())
            .expect("timestamp")
    };
    assert!(
        timestamp(1) > timestamp(0),
        "{} then {}",
        timestamp(0),
        timestamp(1)
    );
    assert_ne!(
        received[0].header("Authorization"),
        received[1].header("Authorization")
    );
    assert_eq!(received[1].signature, Ok(()));
}

#[tokio::test]
async fn a_create_that_may_have_run_is_sent_once() {
    for (reply, what) in [
        (Reply::hangup(), "connection broke"),
        (gateway_page(502), "HTTP 502"),
        (gateway_page(504), "HTTP 504"),
        (
            Reply::service_error("InternalError", "boom", "r-int"),
            "InternalError",
        ),
    ] {
        let server = Server::start([reply, Reply::json(CREATE_ANSWER)]).await;
        let err = create(&client_with(&server, quick_retries(4)))
            .await
            .expect_err(what);
        assert_eq!(
            server.received().len(),
            1,
            "{what}: the create was sent again"
        );
        assert!(
            err.to_string().contains("CreateMigrateJob"),
            "{what}: {err}"
        );
    }
}

#[tokio::test]
async fn a_create_turned_away_before_it_ran_is_retried() {
    let server = Server::start([
        Reply::service_error("RequestLimitExceeded", "slow down", "r1"),
        gateway_page(503),
        Reply::json(CREATE_ANSWER),
    ])
    .await;
    let answer = create(&client_with(&server, quick_retries(4)))
        .await
        .expect("the third attempt creates the job");
    assert_eq!(answer.job_id, "dts-newjob01");
    assert_eq!(server.received().len(), 3);
}

#[tokio::test]
async fn attempts_stop_at_the_limit_with_the_last_error() {
    let server = Server::start(
        (0..5).map(|n| Reply::service_error("InternalError", "still failing", &format!("r{n}"))),
    )
    .await;
    let err = describe(&client_with(&server, quick_retries(3)))
        .await
        .expect_err("every attempt fails");
    assert_eq!(server.received().len(), 3);
    assert_eq!(err.code(), Some("InternalError"));
    assert_eq!(err.request_id(), Some("r2"));
}

#[tokio::test]
async fn disabled_retries_make_one_attempt() {
    let server = Server::start([gateway_page(503), Reply::json(CHECK_ANSWER)]).await;
    let err = describe(&client_with(&server, RetryConfig::disabled()))
        .await
        .expect_err("no retry");
    assert_eq!(server.received().len(), 1);
    assert!(err.to_string().contains("HTTP 503"), "{err}");
}

#[tokio::test]
async fn final_errors_are_not_retried() {
    for code in [
        "ResourceNotFound.JobNotExist",
        "AuthFailure.SignatureFailure",
        "InvalidParameter",
        "FailedOperation.NotAllowOperation",
    ] {
        let server = Server::start([
            Reply::service_error(code, "no", "r-final"),
            Reply::json(CHECK_ANSWER),
        ])
        .await;
        let err = describe(&client_with(&server, quick_retries(4)))
            .await
            .expect_err(code);
        assert_eq!(err.code(), Some(code));
        assert_eq!(server.received().len(), 1, "{code} was retried");
    }
}

#[tokio::test]
async fn retries_are_on_by_default() {
    let server = Server::start([gateway_page(503), Reply::json(CHECK_ANSWER)]).await;
    let client = Client::new(
        config(&server)
            .retry(RetryConfig::default())
            .build()
            .expect("config"),
    );
    describe(&client)
        .await
        .expect("the default retries cover a 503");
    assert_eq!(server.received().len(), 2);
}

#[tokio::test]
async fn the_deadline_cuts_retries_short() {
    let server =
        Server::start((0..20).map(|_| gateway_page(503).after(Duration::from_millis(150)))).await;
    let client = Client::new(
        config(&server)
            .retry(
                RetryConfig::standard()
                    .with_max_attempts(20)
                    .with_initial_backoff(Duration::from_millis(100))
                    .with_max_backoff(Duration::from_millis(100)),
            )
            .operation_timeout(Some(Duration::from_millis(700)))
            .build()
            .expect("config"),
    );
    let started = Instant::now();
    let err = describe(&client).await.expect_err("the deadline passes");
    let elapsed = started.elapsed();
    let attempts = server.received().len();
    println!("{attempts} attempts in {elapsed:?}");
    // Of the 20 attempts allowed, the deadline leaves room for 5 at most: every attempt before
    // the last waits the server's 150 ms, so a sixth could not start before 750 ms, and none
    // starts after the deadline. That bound holds however slow the machine; how many attempts do
    // fit depends on its speed, so the only lower bound is the first. (The call's wall time is
    // not asserted: a busy machine stretches it.)
    assert!((1..=5).contains(&attempts), "{attempts} attempts");
    // The error is the last failure, which says what went wrong, or the deadline itself.
    let shown = err.to_string();
    assert!(
        shown.contains("HTTP 503") || shown.contains("deadline") || shown.contains("timed out"),
        "{shown}"
    );
}

#[tokio::test]
async fn the_attempt_timeout_applies_to_each_attempt() {
    // The first answer would come after an hour, so only the attempt timeout can end the first
    // attempt: a second request, answered, shows that it did and that the call went on. The
    // timeout cannot fire early, so the lower bound holds on any machine.
    let timeout = Duration::from_millis(300);
    let server = Server::start([
        Reply::json(CHECK_ANSWER).after(Duration::from_secs(3600)),
        Reply::json(CHECK_ANSWER),
    ])
    .await;
    let client = Client::new(
        config(&server)
            .retry(quick_retries(2))
            .timeout(timeout)
            .build()
            .expect("config"),
    );
    let started = Instant::now();
    describe(&client)
        .await
        .expect("the second attempt answers at once");
    let elapsed = started.elapsed();
    println!("answered after {elapsed:?}");
    assert!(elapsed >= timeout, "{elapsed:?}");
    assert_eq!(server.received().len(), 2);
}
