//! The gateway's checks, request by request, with requests signed by hand so that each can be
//! broken in exactly one way.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};
use tencentcloud_emulator::{Emulator, Fault, Faults, RateLimits};
use tencentcloud_sdk::Credentials;
use tencentcloud_sdk::signer::{self, SigningInput};

/// A request to build, sign and send, with knobs to break it.
struct Raw {
    action: &'static str,
    version: &'static str,
    body: String,
    credentials: Credentials,
    timestamp: u64,
    region: Option<&'static str>,
    content_type: &'static str,
    /// Bytes sent instead of the signed body.
    sent_body: Option<String>,
    /// Replaces the whole Authorization header.
    authorization: Option<String>,
    /// The credential scope's service.
    service: &'static str,
}

thread_local! {
    /// One client per test (each runs on its own thread and runtime), so that its requests
    /// reuse connections as SDKs do.
    static CLIENT: reqwest::Client = reqwest::Client::new();
}

fn http() -> reqwest::Client {
    CLIENT.with(reqwest::Client::clone)
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs())
}

impl Raw {
    fn new(emulator: &Emulator, action: &'static str, body: Value) -> Self {
        Self {
            action,
            version: "2018-03-30",
            body: body.to_string(),
            credentials: emulator.credentials().clone(),
            timestamp: now(),
            region: Some("ap-guangzhou"),
            content_type: "application/json",
            sent_body: None,
            authorization: None,
            service: "dts",
        }
    }

    /// The signed HTTP request.
    fn build(&self, emulator: &Emulator) -> reqwest::RequestBuilder {
        let host = emulator.addr().to_string();
        let authorization = self.authorization.clone().unwrap_or_else(|| {
            signer::authorization(&SigningInput {
                credentials: &self.credentials,
                service: self.service,
                host: &host,
                method: "POST",
                content_type: self.content_type,
                canonical_query: "",
                payload: self.body.as_bytes(),
                timestamp: self.timestamp,
            })
        });
        let mut request = http()
            .post(emulator.url())
            .header("Content-Type", self.content_type)
            .header("Authorization", authorization)
            .header("X-TC-Action", self.action)
            .header("X-TC-Version", self.version)
            .header("X-TC-Timestamp", self.timestamp.to_string())
            .body(self.sent_body.clone().unwrap_or_else(|| self.body.clone()));
        if let Some(region) = self.region {
            request = request.header("X-TC-Region", region);
        }
        if let Some(token) = self.credentials.token() {
            request = request.header("X-TC-Token", token);
        }
        request
    }

    /// Sends it and returns the HTTP status and the parsed `Response` object.
    async fn send(&self, emulator: &Emulator) -> (u16, Value) {
        let answer = self
            .build(emulator)
            .send()
            .await
            .expect("the emulator answers");
        let status = answer.status().as_u16();
        let text = answer.text().await.expect("a body");
        let value: Value = serde_json::from_str(&text).unwrap_or(Value::String(text));
        (status, value["Response"].clone())
    }
}

/// The error code of an answer, or `ok`; every answer must carry a RequestId.
fn code(response: &Value) -> String {
    let request_id = response["RequestId"].as_str().unwrap_or_default();
    assert_eq!(request_id.len(), 36, "no RequestId in {response}");
    response["Error"]["Code"]
        .as_str()
        .unwrap_or("ok")
        .to_owned()
}

async fn emulator() -> Emulator {
    Emulator::start().await.expect("the emulator starts")
}

#[tokio::test]
async fn a_correctly_signed_request_is_answered_with_a_fresh_request_id() {
    let emulator = emulator().await;
    let raw = Raw::new(&emulator, "DescribeMigrateJobs", json!({}));
    let (status, first) = raw.send(&emulator).await;
    assert_eq!((status, code(&first).as_str()), (200, "ok"), "{first}");
    let (_, second) = raw.send(&emulator).await;
    assert_ne!(first["RequestId"], second["RequestId"]);
}

#[tokio::test]
async fn authentication_failures_have_the_clouds_codes() {
    let emulator = emulator().await;
    let base = || Raw::new(&emulator, "DescribeMigrateJobs", json!({"Limit": 10}));

    let mut tampered = base();
    tampered.sent_body = Some(json!({"Limit": 11}).to_string());
    let mut wrong_key = base();
    wrong_key.credentials = Credentials::new(emulator.credentials().secret_id(), "not-the-key");
    let mut unknown = base();
    unknown.credentials = Credentials::new("AKIDnobody", "key");
    let mut stale = base();
    stale.timestamp = now() - 301;
    let mut future = base();
    future.timestamp = now() + 400;
    let mut malformed = base();
    malformed.authorization = Some("TC3-HMAC-SHA256 Credential=broken".into());
    let mut other_scheme = base();
    other_scheme.authorization = Some("Basic dXNlcjpwYXNz".into());
    let mut wrong_service = base();
    wrong_service.service = "cvm";
    let mut other_content_type = base();
    other_content_type.content_type = "application/json; charset=utf-8";

    for (name, raw, expected) in [
        ("tampered body", tampered, "AuthFailure.SignatureFailure"),
        ("wrong key", wrong_key, "AuthFailure.SignatureFailure"),
        ("unknown id", unknown, "AuthFailure.SecretIdNotFound"),
        ("stale timestamp", stale, "AuthFailure.SignatureExpire"),
        ("future timestamp", future, "AuthFailure.SignatureExpire"),
        ("malformed", malformed, "AuthFailure.InvalidAuthorization"),
        (
            "other scheme",
            other_scheme,
            "AuthFailure.InvalidAuthorization",
        ),
        ("service not served", wrong_service, "InvalidAction"),
        // Signed with the type it was sent with, any JSON media type is fine.
        ("charset", other_content_type, "ok"),
    ] {
        let (status, response) = raw.send(&emulator).await;
        assert_eq!(status, 200, "{name}");
        assert_eq!(code(&response), expected, "{name}: {response}");
    }
    // None of the refused requests reached the service.
    assert_eq!(emulator.calls("DescribeMigrateJobs"), 1);
}

#[tokio::test]
async fn a_temporary_key_needs_its_token() {
    let temporary = Credentials::new("AKIDtemporary", "temporary-key").with_token("Zq9-session");
    let emulator = Emulator::builder()
        .credentials(temporary.clone())
        .start()
        .await
        .expect("starts");
    let mut raw = Raw::new(&emulator, "DescribeMigrateJobs", json!({}));
    assert_eq!(code(&raw.send(&emulator).await.1), "ok");
    raw.credentials = Credentials::new("AKIDtemporary", "temporary-key").with_token("Zq9-other");
    let (_, response) = raw.send(&emulator).await;
    assert_eq!(code(&response), "AuthFailure.TokenFailure");
    assert!(!response.to_string().contains("Zq9"), "{response}");
    raw.credentials = Credentials::new("AKIDtemporary", "temporary-key");
    assert_eq!(
        code(&raw.send(&emulator).await.1),
        "AuthFailure.TokenFailure"
    );
}

#[tokio::test]
async fn requests_are_checked_against_the_spec() {
    let emulator = emulator().await;
    let check = "DescribeMigrateCheckJob";
    let cases: Vec<(&str, Raw, &str)> = vec![
        (
            "unknown action",
            Raw::new(&emulator, "DescribeEverything", json!({})),
            "InvalidAction",
        ),
        (
            "unknown version",
            Raw {
                version: "2099-01-01",
                ..Raw::new(&emulator, check, json!({"JobId": "dts-1"}))
            },
            "NoSuchVersion",
        ),
        (
            "missing member",
            Raw::new(&emulator, check, json!({})),
            "MissingParameter",
        ),
        (
            "wrong type",
            Raw::new(&emulator, check, json!({"JobId": 12})),
            "InvalidParameter",
        ),
        (
            "unknown member",
            Raw::new(&emulator, check, json!({"JobId": "dts-1", "Force": true})),
            "UnknownParameter",
        ),
        (
            "not JSON",
            Raw {
                body: "{\"JobId\": ".into(),
                ..Raw::new(&emulator, check, json!({}))
            },
            "InvalidParameter",
        ),
        (
            "no region",
            Raw {
                region: None,
                ..Raw::new(&emulator, check, json!({"JobId": "dts-1"}))
            },
            "MissingParameter",
        ),
        (
            "nested wrong type",
            Raw::new(
                &emulator,
                "DescribeMigrateJobs",
                json!({"TagFilters": [{"TagKey": "team", "TagValue": "db"}]}),
            ),
            "InvalidParameter",
        ),
    ];
    for (name, raw, expected) in cases {
        let (status, response) = raw.send(&emulator).await;
        assert_eq!(status, 200, "{name}");
        assert_eq!(code(&response), expected, "{name}: {response}");
        let message = response["Error"]["Message"].as_str().unwrap_or_default();
        assert!(!message.is_empty(), "{name}: no message");
    }
}

#[tokio::test]
async fn the_documented_rate_limit_applies_per_secret_id_and_action() {
    let second = Credentials::new("AKIDsecond", "second-key");
    let emulator = Emulator::builder()
        .credentials(Credentials::new("AKIDfirst", "first-key"))
        .credentials(second.clone())
        .start()
        .await
        .expect("starts");
    let raw = Raw::new(
        &emulator,
        "DescribeMigrateCheckJob",
        json!({"JobId": "dts-1"}),
    );
    let mut codes = Vec::new();
    for _ in 0..21 {
        codes.push(code(&raw.send(&emulator).await.1));
    }
    // 20 per second are allowed; the 21st in the same second is refused (the requests above
    // take far less than a second on loopback).
    assert!(
        codes[..20].iter().all(|c| c != "RequestLimitExceeded"),
        "{codes:?}"
    );
    assert_eq!(codes[20], "RequestLimitExceeded");
    let other_action = Raw::new(&emulator, "DescribeMigrateJobs", json!({}));
    assert_eq!(code(&other_action.send(&emulator).await.1), "ok");
    let other_id = Raw {
        credentials: second,
        ..Raw::new(
            &emulator,
            "DescribeMigrateCheckJob",
            json!({"JobId": "dts-1"}),
        )
    };
    assert_ne!(
        code(&other_id.send(&emulator).await.1),
        "RequestLimitExceeded"
    );
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    assert_ne!(code(&raw.send(&emulator).await.1), "RequestLimitExceeded");
}

#[tokio::test]
async fn rate_limits_can_be_lifted() {
    let emulator = Emulator::builder()
        .rate_limits(RateLimits::Off)
        .start()
        .await
        .expect("starts");
    let raw = Raw::new(
        &emulator,
        "DescribeMigrateCheckJob",
        json!({"JobId": "dts-1"}),
    );
    for _ in 0..40 {
        assert_ne!(code(&raw.send(&emulator).await.1), "RequestLimitExceeded");
    }
}

#[tokio::test]
async fn injected_faults_look_like_the_real_ones() {
    async fn first_answer(fault: Fault) -> Result<(u16, String, String), reqwest::Error> {
        let emulator = Emulator::builder()
            .faults(Faults::none().with(fault, 1.0))
            .start()
            .await
            .expect("starts");
        let answer = Raw::new(&emulator, "DescribeMigrateJobs", json!({}))
            .build(&emulator)
            .send()
            .await?;
        let status = answer.status().as_u16();
        let content_type = answer
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        Ok((status, content_type, answer.text().await?))
    }

    let (status, content_type, body) = first_answer(Fault::BadGateway).await.expect("answered");
    assert_eq!((status, content_type.as_str()), (502, "text/html"));
    assert!(body.contains("<html>"));
    let (status, _, _) = first_answer(Fault::ServiceUnavailable)
        .await
        .expect("answered");
    assert_eq!(status, 503);
    for (fault, expected) in [
        (Fault::InternalError, "InternalError"),
        (Fault::RequestLimitExceeded, "RequestLimitExceeded"),
    ] {
        let (status, _, body) = first_answer(fault).await.expect("answered");
        let response: Value = serde_json::from_str(&body).expect("JSON");
        assert_eq!(status, 200);
        assert_eq!(code(&response["Response"]), expected);
    }
    for fault in [Fault::DropConnection, Fault::DropAfterProcessing] {
        let err = first_answer(fault).await.expect_err("no answer");
        assert!(!err.is_status(), "{fault}: {err}");
    }
    let started = std::time::Instant::now();
    let (status, _, _) = first_answer(Fault::Delay(Duration::from_millis(300)))
        .await
        .expect("answered");
    assert_eq!(status, 200);
    assert!(started.elapsed() >= Duration::from_millis(300));
}

#[tokio::test]
async fn a_dropped_answer_may_still_have_been_carried_out() {
    let emulator = Emulator::builder()
        .faults(
            Faults::none()
                .with(Fault::DropAfterProcessing, 1.0)
                .only_actions(["DescribeMigrateJobs"]),
        )
        .start()
        .await
        .expect("starts");
    let result = Raw::new(&emulator, "DescribeMigrateJobs", json!({}))
        .build(&emulator)
        .send()
        .await;
    assert!(result.is_err(), "the connection closes without an answer");
    assert_eq!(emulator.calls("DescribeMigrateJobs"), 1);
    // Faults limited to one action leave the others alone.
    let other = Raw::new(
        &emulator,
        "DescribeMigrateCheckJob",
        json!({"JobId": "dts-1"}),
    );
    let (status, _) = other.send(&emulator).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn only_the_api_path_is_served() {
    let emulator = emulator().await;
    let answer = http()
        .post(format!("{}/v2/index.php", emulator.url()))
        .body("{}")
        .send()
        .await
        .expect("answered");
    assert_eq!(answer.status().as_u16(), 404);
}

#[tokio::test]
async fn one_connection_carries_many_requests() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let emulator = emulator().await;
    let mut stream = tokio::net::TcpStream::connect(emulator.addr())
        .await
        .expect("connects");
    let request = format!(
        "POST / HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{{}}",
        emulator.addr()
    );
    let mut answers = Vec::new();
    for _ in 0..3 {
        stream
            .write_all(request.as_bytes())
            .await
            .expect("the connection is still open");
        // Each answer is small; read until its JSON body is complete.
        let mut answer = Vec::new();
        let mut chunk = [0u8; 4096];
        while !answer.ends_with(b"}}") {
            let read = stream.read(&mut chunk).await.expect("an answer");
            assert!(read > 0, "the server closed the connection");
            answer.extend_from_slice(&chunk[..read]);
        }
        answers.push(String::from_utf8_lossy(&answer).into_owned());
    }
    for answer in &answers {
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        assert!(answer.contains("\"MissingParameter\""), "{answer}");
    }
}
