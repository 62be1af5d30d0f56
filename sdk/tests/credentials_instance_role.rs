//! The CVM instance role provider against a stand-in metadata service on 127.0.0.1: role
//! discovery, caching, refresh before expiry, one fetch for many callers, short timeouts, and
//! errors and logs that never show the secret key.

mod credentials_support;

use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::Poll;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use credentials_support::{Gate, Logs, MetadataServer, Reply, credentials_json, unix_now};
use tencentcloud_sdk::credentials::{
    CredentialsErrorKind, InstanceRoleProvider, InstanceRoleProviderBuilder, ProvideCredentials,
};

const ROLE: &str = "app-role";
/// Every secret below starts with this, so one search finds any of them.
const SECRET_MARK: &str = "Zq8";
const KEY_1: &str = "Zq8-tmp-key-one";
const KEY_2: &str = "Zq8-tmp-key-two";
const TOKEN_1: &str = "Zq8-token-one";
const TOKEN_2: &str = "Zq8-token-two";

fn first(expired_time: u64) -> Reply {
    Reply::ok(credentials_json("AKIDtmp1", KEY_1, TOKEN_1, expired_time))
}

fn second(expired_time: u64) -> Reply {
    Reply::ok(credentials_json("AKIDtmp2", KEY_2, TOKEN_2, expired_time))
}

/// How long a test waits for something that should happen at once before calling it a hang:
/// far longer than anything takes on a busy machine.
const HUNG: Duration = Duration::from_secs(60);

/// A time no test waits out: a timeout this long never fires in a test.
const AN_HOUR: Duration = Duration::from_secs(3600);

/// Also turns on the log capture, so that every test's logs are checked for secrets.
///
/// The timeouts only catch hangs: the stand-in answers at once unless told otherwise, and a
/// busy machine must not turn a slow answer into a timeout. Tests of the timeouts set their own.
fn provider(server: &MetadataServer) -> InstanceRoleProviderBuilder {
    Logs::global();
    InstanceRoleProvider::builder()
        .base_url(&server.base_url)
        .connect_timeout(HUNG)
        .request_timeout(HUNG)
}

/// A provider for a stand-in that holds its answers behind a [`Gate`]: timeouts that cannot
/// run out while the gate is shut, so that only the test decides when the answer comes.
fn patient(server: &MetadataServer) -> InstanceRoleProviderBuilder {
    provider(server)
        .connect_timeout(AN_HOUR)
        .request_timeout(AN_HOUR)
}

/// Polls every call once, so that each has asked for credentials and is either fetching them
/// or queued behind the one that is, then opens `gate` (behind which the stand-in holds the
/// credentials) and awaits them all. None can be answered before the gate opens, so all of
/// them are waiting for the same fetch, however slow the machine.
async fn all_asking_then_open<F: Future + Unpin>(mut calls: Vec<F>, gate: &Gate) -> Vec<F::Output> {
    std::future::poll_fn(|cx| {
        for (n, call) in calls.iter_mut().enumerate() {
            assert!(
                Pin::new(call).poll(cx).is_pending(),
                "caller {n} was answered before the metadata service was"
            );
        }
        Poll::Ready(())
    })
    .await;
    gate.open();
    let mut outputs = Vec::with_capacity(calls.len());
    for call in calls {
        outputs.push(call.await);
    }
    outputs
}

/// Awaits `call`, failing the test if it hangs for [`HUNG`].
async fn within_hung<F: Future>(call: F) -> F::Output {
    tokio::time::timeout(HUNG, call)
        .await
        .expect("the call hung")
}

fn assert_no_secret(shown: &str) {
    assert!(!shown.contains(SECRET_MARK), "a secret shows in: {shown}");
}

#[tokio::test]
async fn discovers_the_role_and_returns_its_temporary_credentials() {
    let expired_time = unix_now() + 3600;
    let server = MetadataServer::with_role(ROLE, move |_| first(expired_time)).await;
    let provider = provider(&server).build();

    let credentials = provider.provide_credentials().await.unwrap();
    assert_eq!(credentials.secret_id(), "AKIDtmp1");
    assert_eq!(credentials.secret_key(), KEY_1);
    assert_eq!(credentials.token(), Some(TOKEN_1));
    assert_eq!(
        credentials.expires_at(),
        Some(UNIX_EPOCH + Duration::from_secs(expired_time))
    );

    // Cached: no second request of either kind.
    let again = provider.provide_credentials().await.unwrap();
    assert_eq!(again, credentials);
    assert_eq!(server.count(""), 1);
    assert_eq!(server.count(ROLE), 1);

    // Clones share the cache; Debug shows neither the key nor the token.
    let clone = provider.clone();
    assert_eq!(clone.provide_credentials().await.unwrap(), credentials);
    assert_eq!(server.count(ROLE), 1);
    let shown = format!("{provider:?} {provider:#?} {credentials:?}");
    assert_no_secret(&shown);
    assert!(
        shown.contains(ROLE) || shown.contains("AKIDtmp1"),
        "{shown}"
    );
}

#[tokio::test]
async fn a_given_role_is_not_looked_up() {
    let expired_time = unix_now() + 3600;
    let server = MetadataServer::with_role(ROLE, move |_| first(expired_time)).await;
    let credentials = provider(&server)
        .role_name(ROLE)
        .build()
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(credentials.secret_id(), "AKIDtmp1");
    assert_eq!(server.count(""), 0);
    assert_eq!(server.count(ROLE), 1);
}

#[tokio::test]
async fn credentials_are_fetched_again_once_inside_the_refresh_margin() {
    // With an hour's margin, the first credentials, valid for an hour and 2 to 3 seconds from
    // when they are served, are fresh for their first 2 to 3 seconds and then due for a refresh
    // for a whole hour while still valid: only the check that they are not fetched again while
    // fresh needs the machine to be quick, and it is made only when it was. The second ones,
    // valid for two hours, stay fresh for an hour.
    let margin = AN_HOUR;
    let server = MetadataServer::with_role(ROLE, |count| match count {
        0 => first(unix_now() + 3600 + 3),
        _ => second(unix_now() + 2 * 3600 + 600),
    })
    .await;
    let provider = provider(&server).refresh_margin(margin).build();

    let old = provider.provide_credentials().await.unwrap();
    assert_eq!(old.secret_id(), "AKIDtmp1");
    let expires_at = old.expires_at().unwrap();
    let due_at = expires_at - margin;
    let again = provider.provide_credentials().await.unwrap();
    // Whether they were still fresh when the provider looked: they were if they still are now.
    if SystemTime::now() < due_at {
        assert_eq!(again, old);
        assert_eq!(
            server.count(ROLE),
            1,
            "fresh credentials are not fetched again"
        );
    } else {
        println!("the first credentials were due before they could be asked for again");
    }

    // Wait until less than the margin is left; the old credentials are then valid for almost an
    // hour more.
    while let Ok(left) = due_at.duration_since(SystemTime::now()) {
        tokio::time::sleep(left + Duration::from_millis(100)).await;
    }
    assert!(SystemTime::now() < expires_at);

    let new = provider.provide_credentials().await.unwrap();
    assert_eq!(new.secret_id(), "AKIDtmp2");
    assert_eq!(new.token(), Some(TOKEN_2));
    assert_eq!(server.count(ROLE), 2);
    assert_eq!(provider.provide_credentials().await.unwrap(), new);
    assert_eq!(
        server.count(ROLE),
        2,
        "fresh credentials are not fetched again"
    );
    assert_eq!(server.count(""), 1, "the role is looked up once");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_callers_with_nothing_cached_share_one_fetch() {
    let expired_time = unix_now() + 3600;
    // The credentials are held until all fifty callers have asked for them.
    let gate = Gate::default();
    let server = MetadataServer::with_role(ROLE, {
        let gate = gate.clone();
        move |_| first(expired_time).until(&gate)
    })
    .await;
    let provider = patient(&server).build();
    let providers: Vec<_> = (0..50).map(|_| provider.clone()).collect();
    let calls = providers.iter().map(|p| p.provide_credentials()).collect();

    for credentials in within_hung(all_asking_then_open(calls, &gate)).await {
        assert_eq!(credentials.unwrap().secret_id(), "AKIDtmp1");
    }
    assert_eq!(server.count(""), 1);
    assert_eq!(server.count(ROLE), 1);
}
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_callers_during_a_refresh_cause_one_fetch_and_keep_working() {
    // With a 10 minute margin, credentials valid for 5 more minutes are due for a refresh.
    let due = unix_now() + 300;
    let long = unix_now() + 3600;
    // The refresh is held at the metadata service until the test opens the gate, so a caller
    // that returns before then cannot have waited for it, however slow the machine.
    let gate = Gate::default();
    let server = MetadataServer::with_role(ROLE, {
        let gate = gate.clone();
        move |count| match count {
            0 => first(due),
            _ => second(long).until(&gate),
        }
    })
    .await;
    // Timeouts that do not run out while the refresh is held (the test gives up long before).
    let provider = provider(&server)
        .connect_timeout(Duration::from_secs(3600))
        .request_timeout(Duration::from_secs(3600))
        .refresh_margin(Duration::from_secs(600))
        .build();
    assert_eq!(
        provider.provide_credentials().await.unwrap().secret_id(),
        "AKIDtmp1"
    );

    let mut calls = tokio::task::JoinSet::new();
    for _ in 0..50 {
        let provider = provider.clone();
        calls.spawn(async move { provider.provide_credentials().await });
    }
    // Only the caller doing the refresh waits for it: the other 49 return, with the still valid
    // credentials, while the refresh is held.
    for returned in 0..49 {
        let credentials = tokio::time::timeout(HUNG, calls.join_next())
            .await
            .unwrap_or_else(|_| panic!("only {returned} callers returned without the refresh"))
            .expect("a call left")
            .expect("the call's task")
            .unwrap();
        assert_eq!(credentials.secret_id(), "AKIDtmp1");
    }
    gate.open();
    let refreshed = within_hung(calls.join_next())
        .await
        .expect("the refreshing call")
        .expect("the call's task")
        .unwrap();
    assert_eq!(refreshed.secret_id(), "AKIDtmp2");
    assert_eq!(server.count(ROLE), 2, "one refresh for fifty callers");

    let now = provider.provide_credentials().await.unwrap();
    assert_eq!(now.secret_id(), "AKIDtmp2");
    assert_eq!(server.count(ROLE), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_callers_with_nothing_cached_share_one_failure() {
    // The failure is held until all fifty callers have asked.
    let gate = Gate::default();
    let server = MetadataServer::with_role(ROLE, {
        let gate = gate.clone();
        move |_| Reply::status(500, format!("{{\"TmpSecretKey\":\"{KEY_1}\"}}")).until(&gate)
    })
    .await;
    let provider = patient(&server).build();
    let providers: Vec<_> = (0..50).map(|_| provider.clone()).collect();
    let calls = providers.iter().map(|p| p.provide_credentials()).collect();
    for outcome in within_hung(all_asking_then_open(calls, &gate)).await {
        let err = outcome.unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::Unavailable, "{err}");
        assert!(err.to_string().contains("answered HTTP 500"), "{err}");
        assert_no_secret(&format!("{err} {err:?}"));
    }
    assert_eq!(server.count(ROLE), 1);
}

#[tokio::test]
async fn a_failed_refresh_keeps_the_valid_cached_credentials_and_warns_without_secrets() {
    let logs = Logs::global();
    let due = unix_now() + 300;
    let failing = Arc::new(AtomicBool::new(false));
    let server = MetadataServer::with_role(ROLE, {
        let failing = failing.clone();
        move |_| {
            if failing.load(Ordering::SeqCst) {
                Reply::status(
                    500,
                    credentials_json("AKIDtmp2", KEY_2, TOKEN_2, due).replace("Success", "Boom"),
                )
            } else {
                first(due)
            }
        }
    })
    .await;
    let provider = provider(&server)
        .refresh_margin(Duration::from_secs(600))
        .build();
    let cached = provider.provide_credentials().await.unwrap();

    failing.store(true, Ordering::SeqCst);
    let refreshed_from = Instant::now();
    assert_eq!(provider.provide_credentials().await.unwrap(), cached);
    assert_eq!(server.count(ROLE), 2, "a refresh was tried");
    // Not tried again right away: within 10 seconds of the failure, the cached ones are used
    // without asking. The failure came after `refreshed_from`, so a call that is over less
    // than 10 seconds after it looked within those 10 seconds; a machine slower than that may
    // have tried again (and failed again), which is not a fault.
    assert_eq!(provider.provide_credentials().await.unwrap(), cached);
    if refreshed_from.elapsed() < Duration::from_secs(10) {
        assert_eq!(server.count(ROLE), 2);
    } else {
        println!("too slow to check that the refresh was not tried again at once");
    }

    // The capture holds the logs of every test of this file so far: all of them are checked.
    let text = logs.text();
    assert!(text.contains("WARN"), "{text}");
    assert!(
        text.contains("could not refresh the CVM instance role credentials"),
        "{text}"
    );
    assert!(text.contains("answered HTTP 500"), "{text}");
    assert!(
        text.contains("fetched CVM instance role credentials"),
        "{text}"
    );
    assert_no_secret(&text);
}

#[tokio::test]
async fn expired_credentials_are_not_used_when_the_refresh_fails() {
    // Credentials valid for 2 to 3 seconds from when they are served, until the service breaks.
    let serving = Arc::new(AtomicBool::new(true));
    let server = MetadataServer::with_role(ROLE, {
        let serving = serving.clone();
        move |_| {
            if serving.load(Ordering::SeqCst) {
                first(unix_now() + 3)
            } else {
                Reply::status(500, "down")
            }
        }
    })
    .await;
    let provider = provider(&server).refresh_margin(Duration::ZERO).build();
    // A machine that takes seconds between serving the credentials and reading them finds them
    // expired; it then asks again, so that the test goes on with credentials that were valid.
    let old = within_hung(async {
        loop {
            match provider.provide_credentials().await {
                Ok(credentials) => break credentials,
                Err(err) if err.to_string().contains("with credentials that expired at") => {
                    println!("expired on arrival, asking again: {err}");
                }
                Err(err) => panic!("{err}"),
            }
        }
    })
    .await;
    serving.store(false, Ordering::SeqCst);
    let expires_at = old.expires_at().unwrap();
    while let Ok(left) = expires_at.duration_since(SystemTime::now()) {
        tokio::time::sleep(left + Duration::from_millis(100)).await;
    }

    let err = provider.provide_credentials().await.unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::Unavailable, "{err}");
    assert!(err.to_string().contains("answered HTTP 500"), "{err}");
}

#[tokio::test]
async fn a_hanging_metadata_service_fails_within_the_timeout() {
    // The service answers after an hour, so only the request timeout can end these calls: an
    // error naming it shows that it did, and `within_hung` only catches a timeout that never
    // fires. The timeout cannot fire early, so the lower bound holds on any machine.
    let server =
        MetadataServer::start(|_, _| Reply::ok(ROLE).after(Duration::from_secs(3600))).await;
    let timeout = Duration::from_millis(300);

    // While looking the role up: taken as "not on CVM".
    let started = Instant::now();
    let err = within_hung(
        provider(&server)
            .request_timeout(timeout)
            .build()
            .provide_credentials(),
    )
    .await
    .unwrap_err();
    let took = started.elapsed();
    println!("role lookup gave up after {took:?}");
    assert!(took >= timeout, "gave up early, after {took:?}");
    assert!(err.is_not_found(), "{err}");
    assert!(
        err.to_string().contains(&format!(
            "metadata service unreachable at {}: no complete answer within 300ms",
            server.base_url
        )),
        "{err}"
    );

    // While fetching the credentials of a given role: a failure.
    let started = Instant::now();
    let err = within_hung(
        provider(&server)
            .role_name(ROLE)
            .request_timeout(timeout)
            .build()
            .provide_credentials(),
    )
    .await
    .unwrap_err();
    let took = started.elapsed();
    println!("credentials fetch gave up after {took:?}");
    assert!(took >= timeout, "gave up early, after {took:?}");
    assert_eq!(err.kind(), CredentialsErrorKind::Unavailable, "{err}");
    assert!(
        err.to_string().contains("no complete answer within 300ms"),
        "{err}"
    );
}

#[tokio::test]
async fn an_unreachable_metadata_service_is_not_found() {
    // Nothing listens on port 1, so the connection is refused at once. The timeouts are long on
    // purpose: an error saying "could not connect" shows that the provider gave up on the
    // refusal without waiting for any timeout, whereas with short ones a busy machine could let
    // a timeout fire first.
    let started = Instant::now();
    let err = InstanceRoleProvider::builder()
        .base_url("http://127.0.0.1:1/")
        .connect_timeout(HUNG)
        .request_timeout(HUNG)
        .build()
        .provide_credentials()
        .await
        .unwrap_err();
    println!("unreachable, found out after {:?}", started.elapsed());
    assert!(err.is_not_found(), "{err}");
    assert!(
        err.to_string().starts_with(
            "credentials: metadata service unreachable at http://127.0.0.1:1/: could not connect ("
        ),
        "{err}"
    );
}

#[tokio::test]
async fn an_instance_without_a_role_is_not_found() {
    for reply in [Reply::status(404, "no role"), Reply::ok("\n")] {
        let server = MetadataServer::start(move |_, _| reply.clone()).await;
        let err = provider(&server)
            .build()
            .provide_credentials()
            .await
            .unwrap_err();
        assert!(err.is_not_found(), "{err}");
        assert!(
            err.to_string()
                .contains("names no CAM role for this instance"),
            "{err}"
        );
        assert_eq!(server.count(""), 1);
    }
}

#[tokio::test]
async fn bad_answers_are_errors_that_never_show_the_secret_key() {
    let good = credentials_json("AKIDtmp1", KEY_1, TOKEN_1, unix_now() + 3600);
    let cases = [
        (Reply::ok(&good[..good.len() / 2]), "not valid JSON"),
        (
            Reply::ok(good.replace("Success", "InternalError")),
            "with Code InternalError instead of Success",
        ),
        (
            Reply::ok(good.replace("\"Code\"", "\"Status\"")),
            "without a Code",
        ),
        (
            Reply::ok(good.replace("\"Token\"", "\"token\"")),
            "without Token as a string",
        ),
        (Reply::status(500, good.clone()), "answered HTTP 500"),
        (
            Reply::ok(format!("{good}{}", " ".repeat(70_000))),
            "answer longer than",
        ),
    ];
    for (reply, expected) in cases {
        let server = MetadataServer::with_role(ROLE, move |_| reply.clone()).await;
        let err = provider(&server)
            .build()
            .provide_credentials()
            .await
            .unwrap_err();
        let shown = format!("{err} {err:?}");
        assert_eq!(err.kind(), CredentialsErrorKind::Unavailable, "{shown}");
        assert!(shown.contains(expected), "{shown} lacks {expected}");
        assert!(shown.contains(ROLE), "{shown}");
        assert_no_secret(&shown);
    }
}

#[tokio::test]
async fn a_replaced_role_is_looked_up_again() {
    let expired_time = unix_now() + 3600;
    let server = MetadataServer::start(move |path, count| match (path, count) {
        ("", 0) => Reply::ok("old-role"),
        ("", _) => Reply::ok("new-role"),
        ("new-role", _) => first(expired_time),
        _ => Reply::status(404, "no such role"),
    })
    .await;
    let provider = provider(&server).build();

    let err = provider.provide_credentials().await.unwrap_err();
    assert!(err.to_string().contains("answered HTTP 404"), "{err}");
    assert!(err.to_string().contains("old-role"), "{err}");

    let credentials = provider.provide_credentials().await.unwrap();
    assert_eq!(credentials.secret_id(), "AKIDtmp1");
    assert_eq!(server.count(""), 2);
}
