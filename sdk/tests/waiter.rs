//! `Client::wait_for_migrate_check` against the scripted loopback server: verdicts, progress,
//! timeouts, transient and final errors, and the rate-limit floor between polls.

mod support;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use support::{Reply, SECRET_ID, Server, WRONG_KEY, assert_error_hides_secrets};
use tencentcloud_sdk::dts::v20180330::{
    Client, DescribeMigrateCheckJob, DescribeMigrateCheckJobError, MigrateCheckStatus,
};
use tencentcloud_sdk::runtime::Action;
use tencentcloud_sdk::waiters::dts::{
    MigrateCheckProgress, MigrateCheckVerdict, WaitForMigrateCheck, WaitForMigrateCheckError,
};
use tencentcloud_sdk::{CommonError, Credentials, SdkError};

const JOB: &str = "dts-1";

/// The shortest delay between polls: one request's share of `DescribeMigrateCheckJob`'s limit.
fn floor() -> Duration {
    let limit = DescribeMigrateCheckJob::INFO.rate_limit.unwrap_or(1);
    Duration::from_secs(1) / limit
}

/// How long a whole waiter test may take before it is declared hung: far longer than any test
/// takes even on a busy machine. Some tests lean on it: they set an hour between polls, so that
/// a waiter that went to sleep where it must not would still be asleep when this runs out.
const HUNG: Duration = Duration::from_secs(60);

/// A time no test waits out: a sleep, delay or timeout this long shows up as a hang.
const AN_HOUR: Duration = Duration::from_secs(3600);

fn check(status: &str, progress: &str, flag: i64) -> Reply {
    check_with(status, progress, flag, 0, "ok", "req")
}

fn check_with(
    status: &str,
    progress: &str,
    flag: i64,
    error_code: i64,
    error_message: &str,
    request_id: &str,
) -> Reply {
    Reply::json(
        serde_json::json!({
            "Response": {
                "Status": status, "Progress": progress, "CheckFlag": flag,
                "ErrorCode": error_code, "ErrorMessage": error_message,
                "RequestId": request_id,
            }
        })
        .to_string(),
    )
}

/// A client aimed at `server` whose requests never time out: on a busy machine a slow answer
/// must not turn into a transport error that the waiter would retry, taking the next scripted
/// reply. `bounded` catches a hang.
fn client(server: &Server) -> Client {
    Client::new(
        support::config(server)
            .timeout(AN_HOUR)
            .build()
            .expect("test configuration builds"),
    )
}

/// A waiter with millisecond intervals, so that the floor (50 ms) sets the pace, and a deadline
/// no test reaches unless it sets its own: `bounded` catches a hang.
fn fast(client: &Client) -> WaitForMigrateCheck {
    client
        .wait_for_migrate_check(JOB)
        .poll_interval(Duration::from_millis(1))
        .max_poll_interval(Duration::from_millis(5))
        .timeout(AN_HOUR)
}

type Seen = Arc<Mutex<Vec<MigrateCheckProgress>>>;

/// A waiter that records every progress report.
fn recording(waiter: WaitForMigrateCheck) -> (WaitForMigrateCheck, Seen) {
    let seen: Seen = Arc::default();
    let sink = Arc::clone(&seen);
    let waiter = waiter.on_progress(move |progress| {
        sink.lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .push(progress.clone());
    });
    (waiter, seen)
}

fn taken(seen: &Seen) -> Vec<MigrateCheckProgress> {
    seen.lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .clone()
}

async fn bounded<F: std::future::IntoFuture>(waiter: F) -> F::Output {
    tokio::time::timeout(HUNG, waiter.into_future())
        .await
        .expect("the waiter did not finish in time")
}

/// Every request was a correctly signed `DescribeMigrateCheckJob` for [`JOB`]; returns how many.
fn assert_polls_of_job(server: &Server) -> usize {
    let received = server.received();
    for request in &received {
        assert_eq!(request.signature, Ok(()), "{request:#?}");
        assert_eq!(
            request.header("X-TC-Action"),
            Some("DescribeMigrateCheckJob")
        );
        assert_eq!(request.body_text(), r#"{"JobId":"dts-1"}"#);
    }
    received.len()
}

#[tokio::test]
async fn passes_after_starting_and_running() {
    let server = Server::start([
        check("starting", "0", 3),
        check("running", "30", 3),
        check("running", "70", 3),
        check_with("finished", "100", 1, 0, "ok", "req-final"),
    ])
    .await;
    let client = client(&server);
    let (waiter, seen) = recording(fast(&client));
    let outcome = bounded(waiter).await.unwrap();

    assert_eq!(outcome.verdict(), &MigrateCheckVerdict::Passed);
    assert!(outcome.is_passed());
    assert_eq!(outcome.polls(), 4);
    assert_eq!(outcome.request_id(), "req-final");
    assert_eq!(outcome.response().status, MigrateCheckStatus::Finished);
    assert_eq!(assert_polls_of_job(&server), 4);
    assert_eq!(server.replies_left(), 0);

    let seen = taken(&seen);
    let steps: Vec<_> = seen
        .iter()
        .map(|p| (p.status().as_str().to_owned(), p.percent(), p.polls()))
        .collect();
    assert_eq!(
        steps,
        [
            ("starting".to_owned(), 0, 1),
            ("running".to_owned(), 30, 2),
            ("running".to_owned(), 70, 3),
            ("finished".to_owned(), 100, 4),
        ]
    );
    // The outcome's elapsed time is the last report's.
    assert_eq!(seen.last().map(|p| p.elapsed()), Some(outcome.elapsed()));
}

#[tokio::test]
async fn a_failed_check_carries_its_error_code_and_message() {
    let server = Server::start([
        check("running", "50", 3),
        check_with(
            "finished",
            "100",
            0,
            -1,
            "source table db1.t1 does not exist",
            "req-failed",
        ),
    ])
    .await;
    let client = client(&server);
    let outcome = bounded(fast(&client)).await.unwrap();
    assert_eq!(
        outcome.verdict(),
        &MigrateCheckVerdict::Failed {
            error_code: -1,
            error_message: "source table db1.t1 does not exist".to_owned(),
        }
    );
    assert!(!outcome.is_passed());
    assert_eq!(outcome.request_id(), "req-failed");
    assert_eq!(
        outcome.verdict().to_string(),
        "failed with error -1: source table db1.t1 does not exist"
    );
    assert_eq!(assert_polls_of_job(&server), 2);
}

#[tokio::test]
async fn a_job_never_checked_returns_after_one_poll() {
    // Scripted replies to spare show that the waiter stops on its own.
    let server = Server::start([
        check("unavailable", "0", 3),
        check("unavailable", "0", 3),
        check("unavailable", "0", 3),
    ])
    .await;
    let client = client(&server);
    // No sleep at all after the answer: with an hour between polls (and a day before the
    // deadline), a waiter that slept even once would not finish before `bounded` gives up.
    let (waiter, seen) = recording(
        client
            .wait_for_migrate_check(JOB)
            .poll_interval(AN_HOUR)
            .max_poll_interval(AN_HOUR)
            .timeout(AN_HOUR * 24),
    );
    let started = Instant::now();
    let outcome = bounded(waiter).await.unwrap();
    println!("not checked, returned after {:?}", started.elapsed());
    assert_eq!(outcome.verdict(), &MigrateCheckVerdict::NotChecked);
    assert_eq!(outcome.into_verdict().to_string(), "not checked");
    assert_eq!(assert_polls_of_job(&server), 1);
    assert_eq!(server.replies_left(), 2);
    assert_eq!(taken(&seen).len(), 1);
}

#[tokio::test]
async fn a_finished_check_without_verdict_is_not_checked() {
    let server = Server::start([check("running", "10", 3), check("finished", "100", 3)]).await;
    let client = client(&server);
    let outcome = bounded(fast(&client)).await.unwrap();
    assert_eq!(outcome.verdict(), &MigrateCheckVerdict::NotChecked);
    assert_eq!(outcome.polls(), 2);
}

#[tokio::test]
async fn an_unknown_verdict_is_an_error_with_the_answer() {
    let server = Server::start([check_with("finished", "100", 7, 0, "ok", "req-7")]).await;
    let client = client(&server);
    let err = bounded(fast(&client)).await.unwrap_err();
    match &err {
        WaitForMigrateCheckError::UnknownVerdict {
            job_id, response, ..
        } => {
            assert_eq!(job_id, JOB);
            assert_eq!(response.check_flag.value(), 7);
        }
        other => panic!("expected an unknown verdict, got {other:?}"),
    }
    assert_eq!(
        err.to_string(),
        "migration check of job dts-1 finished with CheckFlag 7, which this SDK does not know (RequestId: req-7)"
    );
}

#[tokio::test]
async fn unknown_statuses_keep_polling() {
    let server = Server::start([
        check("queued", "", 3),
        check("verifying", "20", 3),
        check("finished", "100", 1),
    ])
    .await;
    let client = client(&server);
    let (waiter, seen) = recording(fast(&client));
    let outcome = bounded(waiter).await.unwrap();
    assert!(outcome.is_passed());
    assert_eq!(outcome.polls(), 3);
    let seen = taken(&seen);
    assert_eq!(
        seen[0].status(),
        &MigrateCheckStatus::Unknown("queued".to_owned())
    );
    assert_eq!(seen[0].percent(), 0);
}

#[tokio::test]
async fn times_out_near_the_deadline_with_a_clear_error() {
    let timeout = Duration::from_millis(400);
    let server = Server::start((0..100).map(|_| check("running", "40", 3))).await;
    let client = client(&server);
    let (waiter, seen) = recording(fast(&client).timeout(timeout));
    let started = Instant::now();
    let err = bounded(waiter).await.unwrap_err();
    let took = started.elapsed();

    // Giving up takes at least the timeout. How much longer it takes depends on the machine, so
    // that is not asserted: the upper bound on polls below shows that polling stopped at the
    // deadline, and the next test shows that the waiter does not sleep past it.
    assert!(took >= timeout, "gave up early, after {took:?}");
    assert!(err.is_timeout());
    let details = err.as_timeout().expect("a timeout");
    let polls = details.polls();
    let reported = taken(&seen).len();
    println!("gave up after {took:?}: {polls} polls, {reported} answers");
    // At most one poll per floor fits in 400 ms, since the floor is a sleep between polls and no
    // poll starts after the deadline. How many do fit depends on the speed of the machine, so
    // the only lower bound is the first poll.
    assert!((1..=9).contains(&polls), "{polls} polls");
    assert_eq!(details.job_id(), JOB);
    assert_eq!(details.timeout(), timeout);
    assert!(details.elapsed() >= timeout);
    assert!(details.last_error().is_none());
    // The error describes the last answer; only a machine too slow to answer a single poll in
    // 400 ms leaves it none to describe.
    let (last_status, last_percent, last) = if reported == 0 {
        (None, None, "no answer")
    } else {
        (
            Some(&MigrateCheckStatus::Running),
            Some(40),
            "last status running, 40%",
        )
    };
    assert_eq!(details.last_status(), last_status);
    assert_eq!(details.last_percent(), last_percent);
    let noun = if polls == 1 { "poll" } else { "polls" };
    assert_eq!(
        err.to_string(),
        format!("migration check of job dts-1 not finished after 400ms ({polls} {noun}; {last})")
    );
    assert_error_hides_secrets(&err);
    let answered = assert_polls_of_job(&server);
    // Every poll but one cut off by the deadline was answered and reported.
    assert!(answered == polls as usize || answered + 1 == polls as usize);
    assert!(reported + 1 >= polls as usize && reported <= polls as usize);
}

#[tokio::test]
async fn gives_up_at_the_deadline_rather_than_sleeping_past_it() {
    let timeout = Duration::from_millis(300);
    let server = Server::start([check("running", "40", 3), check("finished", "100", 1)]).await;
    let client = client(&server);
    // The next poll would be at least half an hour away: the waiter must sleep only until its
    // deadline and give up, or it is still asleep when `bounded` runs out.
    let waiter = client
        .wait_for_migrate_check(JOB)
        .poll_interval(AN_HOUR)
        .max_poll_interval(AN_HOUR)
        .timeout(timeout);
    let started = Instant::now();
    let err = bounded(waiter).await.unwrap_err();
    let took = started.elapsed();
    println!("gave up after {took:?}");
    assert!(took >= timeout, "gave up early, after {took:?}");
    let details = err.as_timeout().expect("a timeout");
    assert_eq!(details.polls(), 1);
    assert_eq!(details.timeout(), timeout);
    // The second reply was never asked for (nor, on a machine too slow to answer the first poll
    // before the deadline, the first).
    assert!(server.replies_left() >= 1);
}

#[tokio::test]
async fn the_deadline_cuts_off_a_poll_in_flight() {
    let timeout = Duration::from_millis(300);
    // Neither the server (an hour) nor the client's own timeout (an hour) ends the poll: only the
    // waiter's deadline can, or the test hangs until `bounded` gives up. The error then says that
    // the one poll had no answer, rather than reporting a transport timeout.
    let server = Server::start([check("running", "40", 3).after(AN_HOUR)]).await;
    let client = client(&server);
    let started = Instant::now();
    let err = bounded(fast(&client).timeout(timeout)).await.unwrap_err();
    let took = started.elapsed();
    println!("gave up after {took:?}");
    assert!(took >= timeout, "gave up early, after {took:?}");
    assert_eq!(
        err.to_string(),
        "migration check of job dts-1 not finished after 300ms (1 poll; no answer)"
    );
}

#[tokio::test]
async fn a_timeout_mentions_the_last_transient_error() {
    // A progress report and a transient error, served at once, then a poll that the server holds
    // for an hour (as long as the client would wait for it): only the deadline ends the wait, and
    // by then both answers are in. That takes the two answers arriving before the deadline; on a
    // machine too slow for that, the deadline finds fewer than three polls and the run is
    // repeated with a deadline ten times as far, so that only a hang fails the test.
    for timeout in [500, 5_000, 50_000].map(Duration::from_millis) {
        let server = Server::start([
            check("running", "60", 3),
            Reply::service_error("InternalError", "backend busy", "req-ie"),
            check("running", "80", 3).after(AN_HOUR),
        ])
        .await;
        let client = client(&server);
        let err = bounded(fast(&client).timeout(timeout)).await.unwrap_err();
        let details = err.as_timeout().expect("a timeout");
        if details.polls() < 3 {
            println!("the {timeout:?} deadline came before the third poll: {err}");
            continue;
        }
        // The third poll went out, so the first two were answered; it was then cut off.
        assert_eq!(details.polls(), 3);
        assert_eq!(assert_polls_of_job(&server), 3);
        assert_eq!(details.timeout(), timeout);
        assert_eq!(details.last_status(), Some(&MigrateCheckStatus::Running));
        assert_eq!(details.last_percent(), Some(60));
        assert_eq!(
            details.last_error().and_then(SdkError::common),
            Some(CommonError::InternalError)
        );
        assert_eq!(
            err.to_string(),
            format!(
                "migration check of job dts-1 not finished after {timeout:?} (3 polls; last \
                 status running, 60%; last error: DescribeMigrateCheckJob failed with \
                 InternalError: backend busy (RequestId: req-ie))"
            )
        );
        assert_error_hides_secrets(&err);
        return;
    }
    panic!("even a 50 s deadline came before two answers from loopback: a hang");
}

#[tokio::test]
async fn transient_errors_are_survived() {
    let server = Server::start([
        check("running", "10", 3),
        Reply::service_error("RequestLimitExceeded", "slow down", "req-rl"),
        Reply::service_error(
            "RequestLimitExceeded.UinLimitExceeded",
            "slow down",
            "req-rl2",
        ),
        check("running", "50", 3),
        Reply::service_error("InternalError", "oops", "req-ie"),
        Reply::service_error("InternalError.DatabaseError", "db down", "req-db"),
        Reply::html(503, "<html><body>503 Service Unavailable</body></html>"),
        Reply::html(502, "<html><body>502 Bad Gateway</body></html>"),
        Reply::hangup(),
        check("finished", "100", 1),
    ])
    .await;
    let client = client(&server);
    let (waiter, seen) = recording(fast(&client));
    let outcome = bounded(waiter).await.unwrap();
    assert!(outcome.is_passed());
    assert_eq!(outcome.polls(), 10);
    assert_eq!(assert_polls_of_job(&server), 10);
    let reports: Vec<_> = taken(&seen)
        .iter()
        .map(|p| (p.percent(), p.polls()))
        .collect();
    assert_eq!(reports, [(10, 1), (50, 4), (100, 10)]);
}

#[tokio::test]
async fn a_missing_job_is_returned_at_once() {
    let server = Server::start([
        Reply::service_error("ResourceNotFound.JobNotExist", "no job dts-1", "req-nf"),
        check("finished", "100", 1),
    ])
    .await;
    let client = client(&server);
    let (waiter, seen) = recording(fast(&client));
    let err = bounded(waiter).await.unwrap_err();
    let call = err.as_call_error().expect("a call error");
    assert_eq!(
        call.as_service_error().map(|e| e.kind()),
        Some(&DescribeMigrateCheckJobError::ResourceNotFoundJobNotExist)
    );
    assert_eq!(call.request_id(), Some("req-nf"));
    assert_eq!(
        err.to_string(),
        "DescribeMigrateCheckJob failed with ResourceNotFound.JobNotExist: no job dts-1 (RequestId: req-nf)"
    );
    assert_eq!(assert_polls_of_job(&server), 1);
    assert!(taken(&seen).is_empty());
}

#[tokio::test]
async fn an_authentication_failure_is_returned_at_once() {
    // The server refuses the signature made with the wrong key, without using the script.
    let server = Server::start([check("finished", "100", 1)]).await;
    let config = support::config(&server)
        .credentials(Credentials::new(SECRET_ID, WRONG_KEY))
        .build()
        .unwrap();
    let client = Client::new(config);
    let err = bounded(fast(&client)).await.unwrap_err();
    assert!(matches!(
        &err,
        WaitForMigrateCheckError::Call(SdkError::Service(service))
            if service.common() == Some(CommonError::AuthFailureSignatureFailure)
    ));
    assert_eq!(server.received().len(), 1);
    assert_error_hides_secrets(&err);
}

#[tokio::test]
async fn polls_never_come_faster_than_the_rate_limit() {
    let mut script: Vec<Reply> = (0..6)
        .map(|i| check("running", &(i * 10).to_string(), 3))
        .collect();
    script.push(check("finished", "100", 1));
    let server = Server::start(script).await;
    let client = client(&server);
    // Asking for 1 ms between polls must still give at least the floor.
    let (waiter, seen) = recording(
        client
            .wait_for_migrate_check(JOB)
            .poll_interval(Duration::from_millis(1))
            .max_poll_interval(Duration::from_millis(1)),
    );
    let outcome = bounded(waiter).await.unwrap();
    assert_eq!(outcome.polls(), 7);
    let seen = taken(&seen);
    assert_eq!(seen.len(), 7);
    // Timer slack aside, two answers are at least one sleep of the floor apart.
    let lower_bound = floor().mul_f64(0.9);
    for pair in seen.windows(2) {
        let gap = pair[1].elapsed() - pair[0].elapsed();
        assert!(gap >= lower_bound, "polls {gap:?} apart: {seen:#?}");
    }
    // Progress never goes back, and the count goes up by one each time.
    for (i, pair) in seen.windows(2).enumerate() {
        assert!(pair[0].percent() <= pair[1].percent());
        assert_eq!(pair[1].polls(), pair[0].polls() + 1, "report {i}");
    }
}

#[tokio::test]
async fn backoff_grows_towards_the_cap() {
    // 60 ms, then up to 90, 135, and 150 (the cap) from the fourth delay: at least 30, 45, 67,
    // then 75 ms with equal jitter, and never less than the floor.
    //
    // That the delays stop growing at the cap is shown by the waiter finishing at all: without
    // the cap, these 20 delays would add up to at least 60 ms × (1.5²⁰ − 1), over three minutes,
    // while `bounded` gives up after one minute; with it, to at most 20 × 150 ms = 3 s. (An upper
    // bound on each gap would instead fail whenever a busy machine is slow to answer.)
    const DELAYS: usize = 20;
    let mut script: Vec<Reply> = (0..DELAYS).map(|_| check("running", "50", 3)).collect();
    script.push(check("finished", "100", 1));
    let server = Server::start(script).await;
    let client = client(&server);
    let (waiter, seen) = recording(
        client
            .wait_for_migrate_check(JOB)
            .poll_interval(Duration::from_millis(60))
            .max_poll_interval(Duration::from_millis(150)),
    );
    bounded(waiter).await.unwrap();
    let seen = taken(&seen);
    assert_eq!(seen.len(), DELAYS + 1);
    let gaps: Vec<Duration> = seen
        .windows(2)
        .map(|pair| pair[1].elapsed() - pair[0].elapsed())
        .collect();
    println!("gaps between answers: {gaps:?}");
    let minimum = [30, 45, 67].into_iter().chain(std::iter::repeat(75));
    for (gap, min) in gaps.iter().zip(minimum) {
        assert!(*gap >= Duration::from_millis(min).max(floor()), "{gaps:?}");
    }
}

#[tokio::test]
async fn the_waiter_is_send_and_its_debug_hides_secrets() {
    fn assert_send<T: Send + 'static>(_: &T) {}
    let server = Server::start([check("finished", "100", 1)]).await;
    let client = client(&server);
    let waiter = client.wait_for_migrate_check(JOB).on_progress(|_| {});
    let text = format!("{waiter:?}");
    support::assert_no_secrets(&text);
    assert!(
        text.contains("dts-1") && text.contains("<callback>"),
        "{text}"
    );
    assert_eq!(waiter.job_id(), JOB);
    let future = waiter.into_future();
    assert_send(&future);
    // It can be spawned onto another worker.
    let outcome = bounded(async { tokio::spawn(future).await.unwrap() })
        .await
        .unwrap();
    assert!(outcome.is_passed());
}

#[test]
fn defaults() {
    assert_eq!(
        WaitForMigrateCheck::DEFAULT_TIMEOUT,
        Duration::from_secs(1800)
    );
    assert_eq!(
        WaitForMigrateCheck::DEFAULT_POLL_INTERVAL,
        Duration::from_secs(2)
    );
    assert_eq!(
        WaitForMigrateCheck::DEFAULT_MAX_POLL_INTERVAL,
        Duration::from_secs(15)
    );
    assert_eq!(floor(), Duration::from_millis(50));
}
