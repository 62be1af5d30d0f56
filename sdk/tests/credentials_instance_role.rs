//! The CVM instance role provider against a stand-in metadata service on 127.0.0.1: role
//! discovery, caching, refresh before expiry, one fetch for many callers, short timeouts, and
//! errors and logs that never show the secret key.

mod credentials_support;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use credentials_support::{Logs, MetadataServer, Reply, credentials_json, unix_now};
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

/// Also turns on the log capture, so that every test's logs are checked for secrets.
fn provider(server: &MetadataServer) -> InstanceRoleProviderBuilder {
    Logs::global();
    InstanceRoleProvider::builder()
        .base_url(&server.base_url)
        .connect_timeout(Duration::from_millis(500))
        .request_timeout(Duration::from_secs(2))
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
    // Valid for 4 to 5 more seconds; with a 3 second margin, fresh for at least 1 second.
    let short = unix_now() + 5;
    let long = unix_now() + 3600;
    let server = MetadataServer::with_role(ROLE, move |count| match count {
        0 => first(short),
        _ => second(long),
    })
    .await;
    let provider = provider(&server)
        .refresh_margin(Duration::from_secs(3))
        .build();

    let old = provider.provide_credentials().await.unwrap();
    assert_eq!(old.secret_id(), "AKIDtmp1");
    assert_eq!(provider.provide_credentials().await.unwrap(), old);
    assert_eq!(
        server.count(ROLE),
        1,
        "fresh credentials are not fetched again"
    );

    // Wait until less than the margin is left, but the old credentials are still valid.
    let expires_at = old.expires_at().unwrap();
    let due_at = expires_at - Duration::from_secs(3) + Duration::from_millis(100);
    tokio::time::sleep(due_at.duration_since(SystemTime::now()).unwrap_or_default()).await;
    assert!(SystemTime::now() < expires_at);

    let new = provider.provide_credentials().await.unwrap();
    assert_eq!(new.secret_id(), "AKIDtmp2");
    assert_eq!(new.token(), Some(TOKEN_2));
    assert_eq!(server.count(ROLE), 2);
    assert_eq!(provider.provide_credentials().await.unwrap(), new);
    assert_eq!(server.count(ROLE), 2);
    assert_eq!(server.count(""), 1, "the role is looked up once");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_callers_with_nothing_cached_share_one_fetch() {
    let expired_time = unix_now() + 3600;
    let server = MetadataServer::with_role(ROLE, move |_| {
        first(expired_time).after(Duration::from_millis(300))
    })
    .await;
    let provider = provider(&server).build();

    let calls: Vec<_> = (0..50)
        .map(|_| {
            let provider = provider.clone();
            tokio::spawn(async move { provider.provide_credentials().await })
        })
        .collect();
    for call in calls {
        assert_eq!(call.await.unwrap().unwrap().secret_id(), "AKIDtmp1");
    }
    assert_eq!(server.count(""), 1);
    assert_eq!(server.count(ROLE), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_callers_during_a_refresh_cause_one_fetch_and_keep_working() {
    // With a 10 minute margin, credentials valid for 5 more minutes are due for a refresh.
    let due = unix_now() + 300;
    let long = unix_now() + 3600;
    let server = MetadataServer::with_role(ROLE, move |count| match count {
        0 => first(due),
        _ => second(long).after(Duration::from_millis(500)),
    })
    .await;
    let provider = provider(&server)
        .refresh_margin(Duration::from_secs(600))
        .build();
    assert_eq!(
        provider.provide_credentials().await.unwrap().secret_id(),
        "AKIDtmp1"
    );

    let calls: Vec<_> = (0..50)
        .map(|_| {
            let provider = provider.clone();
            tokio::spawn(async move {
                let started = Instant::now();
                let credentials = provider.provide_credentials().await;
                (credentials, started.elapsed())
            })
        })
        .collect();
    let mut waited_for_the_refresh = 0;
    for call in calls {
        let (credentials, elapsed) = call.await.unwrap();
        let id = credentials.unwrap().secret_id().to_owned();
        assert!(id == "AKIDtmp1" || id == "AKIDtmp2", "{id}");
        if elapsed >= Duration::from_millis(400) {
            waited_for_the_refresh += 1;
        }
    }
    assert_eq!(server.count(ROLE), 2, "one refresh for fifty callers");
    // Only the caller doing the refresh waits for it; the others use the still valid credentials.
    assert!(
        waited_for_the_refresh <= 1,
        "{waited_for_the_refresh} callers waited"
    );

    let now = provider.provide_credentials().await.unwrap();
    assert_eq!(now.secret_id(), "AKIDtmp2");
    assert_eq!(server.count(ROLE), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_callers_with_nothing_cached_share_one_failure() {
    let server = MetadataServer::with_role(ROLE, |_| {
        Reply::status(500, format!("{{\"TmpSecretKey\":\"{KEY_1}\"}}"))
            .after(Duration::from_secs(1))
    })
    .await;
    let provider = provider(&server).build();
    let calls: Vec<_> = (0..50)
        .map(|_| {
            let provider = provider.clone();
            tokio::spawn(async move { provider.provide_credentials().await })
        })
        .collect();
    for call in calls {
        let err = call.await.unwrap().unwrap_err();
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
    assert_eq!(provider.provide_credentials().await.unwrap(), cached);
    assert_eq!(server.count(ROLE), 2, "a refresh was tried");
    // Not tried again right away.
    assert_eq!(provider.provide_credentials().await.unwrap(), cached);
    assert_eq!(server.count(ROLE), 2);

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
    let soon = unix_now() + 2;
    let server = MetadataServer::with_role(ROLE, move |count| match count {
        0 => first(soon),
        _ => Reply::status(500, "down"),
    })
    .await;
    let provider = provider(&server).refresh_margin(Duration::ZERO).build();
    let old = provider.provide_credentials().await.unwrap();
    let expires_at = old.expires_at().unwrap();
    let wait = expires_at
        .duration_since(SystemTime::now())
        .unwrap_or_default();
    tokio::time::sleep(wait + Duration::from_millis(100)).await;

    let err = provider.provide_credentials().await.unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::Unavailable, "{err}");
    assert!(err.to_string().contains("answered HTTP 500"), "{err}");
}

#[tokio::test]
async fn a_hanging_metadata_service_fails_within_the_timeout() {
    let server =
        MetadataServer::start(|_, _| Reply::ok(ROLE).after(Duration::from_secs(3600))).await;
    let timeout = Duration::from_millis(300);

    // While looking the role up: taken as "not on CVM".
    let started = Instant::now();
    let err = provider(&server)
        .request_timeout(timeout)
        .build()
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
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
    let err = provider(&server)
        .role_name(ROLE)
        .request_timeout(timeout)
        .build()
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(err.kind(), CredentialsErrorKind::Unavailable, "{err}");
    assert!(
        err.to_string().contains("no complete answer within 300ms"),
        "{err}"
    );
}

#[tokio::test]
async fn an_unreachable_metadata_service_is_not_found() {
    let started = Instant::now();
    let err = InstanceRoleProvider::builder()
        .base_url("http://127.0.0.1:1/")
        .connect_timeout(Duration::from_millis(300))
        .request_timeout(Duration::from_millis(600))
        .build()
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    assert!(err.is_not_found(), "{err}");
    assert!(
        err.to_string()
            .starts_with("credentials: metadata service unreachable at http://127.0.0.1:1/: "),
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
