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
    static CLIENT: reqwest::Client = tencentcloud_sdk::config::http_client_builder()
        .expect("TLS settings")
        .build()
        .expect("client");
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
    wrong_service.service = "nosuchservice";
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
async fn actions_without_a_documented_limit_get_the_clouds_default() {
    // DTS 2021-12-06 documents no rate limits.
    let undocumented = |emulator: &Emulator| Raw {
        version: "2021-12-06",
        ..Raw::new(emulator, "DescribeMigrationJobs", json!({}))
    };
    let emulator = emulator().await;
    let raw = undocumented(&emulator);
    let mut codes = Vec::new();
    for _ in 0..=tencentcloud_emulator::DEFAULT_RATE_LIMIT {
        codes.push(code(&raw.send(&emulator).await.1));
    }
    // 20 per second; the 21st in the same second is refused (the requests take far less than
    // a second on loopback).
    assert_eq!(tencentcloud_emulator::DEFAULT_RATE_LIMIT, 20);
    assert!(codes[..20].iter().all(|c| c == "ok"), "{codes:?}");
    assert_eq!(codes[20], "RequestLimitExceeded");
    assert_eq!(emulator.calls("DescribeMigrationJobs"), 20);

    let raised = Emulator::builder()
        .rate_limits(RateLimits::FromSpecOr(1_000))
        .start()
        .await
        .expect("starts");
    let raw = undocumented(&raised);
    for _ in 0..40 {
        assert_eq!(code(&raw.send(&raised).await.1), "ok");
    }
    // Documented limits still hold.
    let documented = Raw::new(
        &raised,
        "DescribeMigrateCheckJob",
        json!({"JobId": "dts-1"}),
    );
    let mut refused = 0;
    for _ in 0..21 {
        if code(&documented.send(&raised).await.1) == "RequestLimitExceeded" {
            refused += 1;
        }
    }
    assert_eq!(refused, 1);
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

// The emulator's clock, what really happened behind faults, and what is left in its state.

/// CreateMigrateJob parameters for a MySQL job called `name`.
fn job_params(name: &str) -> Value {
    json!({
        "JobName": name,
        "MigrateOption": { "RunMode": 1, "MigrateType": 2 },
        "SrcDatabaseType": "mysql",
        "SrcAccessType": "extranet",
        "SrcInfo": { "Ip": "203.0.113.10", "Port": 3306, "User": "dts", "Password": "secret" },
        "DstDatabaseType": "mysql",
        "DstAccessType": "cdb",
        "DstInfo": { "Region": "ap-guangzhou", "InstanceId": "cdb-l78e0nbv" },
    })
}

/// The names of the migration jobs the emulator's first key pair has in ap-guangzhou.
fn job_names(emulator: &Emulator) -> Vec<String> {
    let secret_id = emulator.credentials().secret_id();
    emulator
        .migrate_jobs(secret_id, "ap-guangzhou")
        .into_iter()
        .map(|job| job.job_name)
        .collect()
}

/// Days from 1970-01-01 to a date of the proleptic Gregorian calendar.
fn days_from_civil(year: u64, month: u64, day: u64) -> u64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year / 400;
    let year_of_era = year % 400;
    let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// Reads an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`) as Unix seconds, checking the weekday.
fn parse_http_date(text: &str) -> Option<u64> {
    const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let (weekday, rest) = text.strip_suffix(" GMT")?.split_once(", ")?;
    let fields: Vec<&str> = rest.split(' ').collect();
    let [day, month, year, time] = fields[..] else {
        return None;
    };
    let times: Vec<&str> = time.split(':').collect();
    let [hour, minute, second] = times[..] else {
        return None;
    };
    let two_digits = |text: &str| (text.len() == 2).then(|| text.parse::<u64>().ok())?;
    let month = MONTHS.iter().position(|name| *name == month)? as u64 + 1;
    let year = (year.len() == 4).then(|| year.parse().ok())??;
    let days = days_from_civil(year, month, two_digits(day)?);
    if WEEKDAYS[(days % 7) as usize] != weekday {
        return None;
    }
    Some(days * 86_400 + two_digits(hour)? * 3_600 + two_digits(minute)? * 60 + two_digits(second)?)
}

/// The only `Date` header of an answer, as Unix seconds.
fn date_of(answer: &reqwest::Response) -> u64 {
    let dates: Vec<&str> = answer
        .headers()
        .get_all("date")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .collect();
    let [date] = dates[..] else {
        panic!("one Date header expected, got {dates:?}");
    };
    parse_http_date(date).unwrap_or_else(|| panic!("not an IMF-fixdate: {date}"))
}

/// Reads the cloud's `YYYY-MM-DD hh:mm:ss` in Beijing time (UTC+8) as Unix seconds.
fn parse_cloud_datetime(text: &str) -> u64 {
    let numbers: Vec<u64> = text
        .split(['-', ' ', ':'])
        .map(|part| part.parse().expect("a number"))
        .collect();
    let [year, month, day, hour, minute, second] = numbers[..] else {
        panic!("not a cloud datetime: {text}");
    };
    days_from_civil(year, month, day) * 86_400 + hour * 3_600 + minute * 60 + second - 8 * 3_600
}

#[test]
fn the_test_date_reader_agrees_with_known_dates() {
    assert_eq!(parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
    assert_eq!(
        parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"),
        Some(784_111_777)
    );
    assert_eq!(
        parse_http_date("Tue, 29 Feb 2000 00:00:00 GMT"),
        Some(951_782_400)
    );
    assert_eq!(parse_http_date("Mon, 06 Nov 1994 08:49:37 GMT"), None);
    assert_eq!(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"), None);
    assert_eq!(parse_cloud_datetime("1970-01-01 08:00:00"), 0);
}

#[tokio::test]
async fn the_clock_offset_moves_the_signature_window() {
    for offset in [3_600_i64, -3_600] {
        let emulator = Emulator::builder()
            .clock_offset(offset)
            .start()
            .await
            .expect("starts");
        let shifted = now().saturating_add_signed(offset);
        assert!(emulator.unix_time().abs_diff(shifted) <= 1, "{offset}");

        let own_clock = Raw::new(&emulator, "DescribeMigrateJobs", json!({}));
        let (status, response) = own_clock.send(&emulator).await;
        assert_eq!(status, 200);
        assert_eq!(
            code(&response),
            "AuthFailure.SignatureExpire",
            "{offset}: {response}"
        );
        let corrected = Raw {
            timestamp: shifted,
            ..Raw::new(&emulator, "DescribeMigrateJobs", json!({}))
        };
        assert_eq!(code(&corrected.send(&emulator).await.1), "ok", "{offset}");
        let by_its_clock = Raw {
            timestamp: emulator.unix_time(),
            ..Raw::new(&emulator, "DescribeMigrateJobs", json!({}))
        };
        assert_eq!(
            code(&by_its_clock.send(&emulator).await.1),
            "ok",
            "{offset}"
        );
        // The refused request never reached the service.
        assert_eq!(emulator.calls("DescribeMigrateJobs"), 2);
    }
}

#[tokio::test]
async fn backends_date_resources_by_the_emulators_clock() {
    let emulator = Emulator::builder()
        .clock_offset(-86_400)
        .start()
        .await
        .expect("starts");
    let timestamp = emulator.unix_time();
    let create = Raw {
        timestamp,
        ..Raw::new(&emulator, "CreateMigrateJob", job_params("yesterday"))
    };
    assert_eq!(code(&create.send(&emulator).await.1), "ok");
    let describe = Raw {
        timestamp,
        ..Raw::new(&emulator, "DescribeMigrateJobs", json!({}))
    };
    let (_, response) = describe.send(&emulator).await;
    let created = response["JobList"][0]["CreateTime"]
        .as_str()
        .unwrap_or_else(|| panic!("no CreateTime in {response}"));
    assert!(
        parse_cloud_datetime(created).abs_diff(now() - 86_400) <= 2,
        "{created}"
    );
}

#[tokio::test]
async fn every_answer_is_dated_by_the_emulators_clock() {
    let emulator = Emulator::builder()
        .clock_offset(3_600)
        .faults(
            Faults::none()
                .with(Fault::BadGateway, 1.0)
                .only_actions(["DescribeSubscribes"]),
        )
        .start()
        .await
        .expect("starts");
    let expected = now() + 3_600;
    let signed = Raw {
        timestamp: emulator.unix_time(),
        ..Raw::new(&emulator, "DescribeMigrateJobs", json!({}))
    };
    let fault_page = Raw::new(&emulator, "DescribeSubscribes", json!({}));
    let refused = Raw::new(&emulator, "DescribeMigrateJobs", json!({}));
    for (name, request, status) in [
        ("an answer", signed.build(&emulator), 200),
        ("a 502 page", fault_page.build(&emulator), 502),
        ("an error", refused.build(&emulator), 200),
        (
            "a 404",
            http().get(format!("{}/index.html", emulator.url())),
            404,
        ),
    ] {
        let answer = request.send().await.expect("answered");
        assert_eq!(answer.status().as_u16(), status, "{name}");
        let date = date_of(&answer);
        assert!(
            date.abs_diff(expected) <= 2,
            "{name}: dated {date}, expected about {expected}"
        );
    }
}

#[tokio::test]
async fn an_offset_beyond_the_calendar_is_refused() {
    for offset in [i64::MIN, -(now() as i64) - 3_600, i64::MAX] {
        let err = Emulator::builder()
            .clock_offset(offset)
            .start()
            .await
            .expect_err("out of range");
        assert!(err.to_string().contains("clock offset"), "{err}");
    }
}

#[tokio::test]
async fn fault_counts_match_what_the_client_saw() {
    let delay = Fault::Delay(Duration::from_millis(5));
    let emulator = Emulator::builder()
        .rate_limits(RateLimits::Off)
        .faults(
            Faults::none()
                .with(Fault::BadGateway, 0.12)
                .with(Fault::ServiceUnavailable, 0.12)
                .with(Fault::InternalError, 0.12)
                .with(Fault::RequestLimitExceeded, 0.12)
                .with(Fault::DropConnection, 0.12)
                .with(Fault::DropAfterProcessing, 0.12)
                .with(delay, 0.12)
                .seed(5),
        )
        .start()
        .await
        .expect("starts");
    let requests = 100;
    let (mut bad_gateway, mut unavailable, mut internal, mut limit, mut ok, mut no_answer) =
        (0, 0, 0, 0, 0, 0);
    for _ in 0..requests {
        let raw = Raw::new(&emulator, "DescribeMigrateJobs", json!({}));
        let Ok(answer) = raw.build(&emulator).send().await else {
            no_answer += 1;
            continue;
        };
        match answer.status().as_u16() {
            502 => bad_gateway += 1,
            503 => unavailable += 1,
            _ => {
                let text = answer.text().await.expect("a body");
                let body: Value = serde_json::from_str(&text).expect("JSON");
                match code(&body["Response"]).as_str() {
                    "InternalError" => internal += 1,
                    "RequestLimitExceeded" => limit += 1,
                    "ok" => ok += 1,
                    other => panic!("unexpected {other}"),
                }
            }
        }
    }
    let counts = emulator.faults_injected();
    assert_eq!(counts.bad_gateway(), bad_gateway, "{counts}");
    assert_eq!(counts.service_unavailable(), unavailable, "{counts}");
    assert_eq!(counts.internal_error(), internal, "{counts}");
    assert_eq!(counts.request_limit_exceeded(), limit, "{counts}");
    assert_eq!(
        counts.drop_connection() + counts.drop_after_processing(),
        no_answer,
        "{counts}"
    );
    // Answered normally: those that met no fault, and the delayed ones.
    assert_eq!(ok, requests - counts.total() + counts.delays(), "{counts}");
    assert_eq!(counts.delays(), counts.get(delay));
    // Reached the service: the answered ones and those whose answer was dropped.
    let reached = ok + counts.drop_after_processing();
    assert_eq!(emulator.calls("DescribeMigrateJobs"), reached);
    assert_eq!(emulator.executed("DescribeMigrateJobs"), reached);
    // With this seed every kind happened, so each was compared above.
    assert!(counts.iter().all(|(_, count)| count > 0), "{counts}");
    assert_eq!(
        counts.to_string(),
        format!(
            "502: {bad_gateway}, 503: {unavailable}, internal-error: {internal}, limit: {limit}, \
             drop: {}, drop-after: {}, delay:5ms: {}",
            counts.drop_connection(),
            counts.drop_after_processing(),
            counts.delays()
        )
    );
}

#[tokio::test]
async fn a_fault_met_by_every_request_is_counted_for_each() {
    for fault in [
        Fault::BadGateway,
        Fault::ServiceUnavailable,
        Fault::InternalError,
        Fault::RequestLimitExceeded,
        Fault::DropConnection,
        Fault::DropAfterProcessing,
        Fault::Delay(Duration::from_millis(1)),
    ] {
        let emulator = Emulator::builder()
            .faults(
                Faults::none()
                    .with(fault, 1.0)
                    .only_actions(["DescribeMigrateJobs"]),
            )
            .start()
            .await
            .expect("starts");
        for _ in 0..5 {
            let raw = Raw::new(&emulator, "DescribeMigrateJobs", json!({}));
            let _ = raw.build(&emulator).send().await;
        }
        // Actions left out never draw a fault.
        let other = Raw::new(&emulator, "DescribeSubscribes", json!({}));
        assert_eq!(code(&other.send(&emulator).await.1), "ok");
        let counts = emulator.faults_injected();
        assert_eq!(
            (counts.get(fault), counts.total()),
            (5, 5),
            "{fault}: {counts}"
        );
        assert_eq!(counts.to_string(), format!("{fault}: 5"));
    }
}

#[tokio::test]
async fn a_create_whose_answer_is_dropped_was_still_carried_out() {
    let emulator = Emulator::builder()
        .faults(
            Faults::none()
                .with(Fault::DropAfterProcessing, 1.0)
                .only_actions(["CreateMigrateJob"]),
        )
        .start()
        .await
        .expect("starts");
    let create = Raw::new(&emulator, "CreateMigrateJob", job_params("dropped-answer"));
    let result = create.build(&emulator).send().await;
    assert!(result.is_err(), "no answer: {result:?}");
    assert_eq!(job_names(&emulator), ["dropped-answer"]);
    assert_eq!(emulator.calls("CreateMigrateJob"), 1);
    assert_eq!(emulator.executed("CreateMigrateJob"), 1);
    assert_eq!(emulator.faults_injected().drop_after_processing(), 1);
    // The API shows it as well.
    let (_, listed) = Raw::new(&emulator, "DescribeMigrateJobs", json!({}))
        .send(&emulator)
        .await;
    assert_eq!(listed["TotalCount"], 1, "{listed}");
    assert_eq!(listed["JobList"][0]["JobName"], "dropped-answer");
    let summary = &emulator.migrate_jobs(emulator.credentials().secret_id(), "ap-guangzhou")[0];
    assert_eq!(json!(summary.job_id), listed["JobList"][0]["JobId"]);
    assert_eq!(summary.status, 1);
}

#[tokio::test]
async fn a_create_whose_connection_is_dropped_creates_nothing() {
    let emulator = Emulator::builder()
        .faults(
            Faults::none()
                .with(Fault::DropConnection, 1.0)
                .only_actions(["CreateMigrateJob"]),
        )
        .start()
        .await
        .expect("starts");
    let create = Raw::new(&emulator, "CreateMigrateJob", job_params("never-made"));
    let result = create.build(&emulator).send().await;
    assert!(result.is_err(), "no answer: {result:?}");
    assert!(job_names(&emulator).is_empty());
    assert_eq!(emulator.calls("CreateMigrateJob"), 0);
    assert_eq!(emulator.executed("CreateMigrateJob"), 0);
    assert_eq!(emulator.faults_injected().drop_connection(), 1);
}

#[tokio::test]
async fn a_dropped_answer_can_hide_a_refusal_by_the_rate_limit() {
    let emulator = Emulator::builder()
        .rate_limits(RateLimits::PerSecond(1))
        .faults(
            Faults::none()
                .with(Fault::DropAfterProcessing, 1.0)
                .only_actions(["CreateMigrateJob"]),
        )
        .start()
        .await
        .expect("starts");
    for name in ["first", "second"] {
        let create = Raw::new(&emulator, "CreateMigrateJob", job_params(name));
        assert!(create.build(&emulator).send().await.is_err(), "{name}");
    }
    // Both answers were dropped; only the first create fitted in the limit and was carried out.
    assert_eq!(job_names(&emulator), ["first"]);
    assert_eq!(emulator.calls("CreateMigrateJob"), 1);
    assert_eq!(emulator.executed("CreateMigrateJob"), 1);
    assert_eq!(emulator.faults_injected().drop_after_processing(), 2);
}

#[tokio::test]
async fn a_delayed_request_whose_client_gave_up_is_not_carried_out() {
    let emulator = Emulator::builder()
        .faults(
            Faults::none()
                .with(Fault::Delay(Duration::from_millis(500)), 1.0)
                .only_actions(["CreateMigrateJob"]),
        )
        .start()
        .await
        .expect("starts");
    let create = Raw::new(&emulator, "CreateMigrateJob", job_params("abandoned"));
    let result = create
        .build(&emulator)
        .timeout(Duration::from_millis(100))
        .send()
        .await;
    assert!(result.is_err(), "timed out: {result:?}");
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert!(job_names(&emulator).is_empty());
    assert_eq!(emulator.calls("CreateMigrateJob"), 0);
    assert_eq!(emulator.faults_injected().delays(), 1);
    // A client that waits gets its answer, and the job.
    let patient = Raw::new(&emulator, "CreateMigrateJob", job_params("awaited"));
    assert_eq!(code(&patient.send(&emulator).await.1), "ok");
    assert_eq!(job_names(&emulator), ["awaited"]);
    assert_eq!(emulator.executed("CreateMigrateJob"), 1);
    assert_eq!(emulator.faults_injected().delays(), 2);
}

#[tokio::test]
async fn the_state_shows_each_accounts_jobs_and_what_was_carried_out() {
    let alice = Credentials::new("AKIDalice", "alice-key");
    let bob = Credentials::new("AKIDbob", "bob-key");
    let emulator = Emulator::builder()
        .credentials(alice.clone())
        .credentials(bob.clone())
        .check_duration(Duration::from_millis(100))
        .start()
        .await
        .expect("starts");
    let as_bob = |action, body| Raw {
        credentials: bob.clone(),
        ..Raw::new(&emulator, action, body)
    };
    let mut created = Vec::new();
    for name in ["one", "two", "three"] {
        let (_, response) = Raw::new(&emulator, "CreateMigrateJob", job_params(name))
            .send(&emulator)
            .await;
        created.push(response["JobId"].as_str().expect("JobId").to_owned());
    }
    let mut elsewhere = Raw::new(&emulator, "CreateMigrateJob", job_params("shanghai"));
    elsewhere.region = Some("ap-shanghai");
    assert_eq!(code(&elsewhere.send(&emulator).await.1), "ok");
    assert_eq!(
        code(
            &as_bob("CreateMigrateJob", job_params("bobs"))
                .send(&emulator)
                .await
                .1
        ),
        "ok"
    );
    // Refused by the service: it reached it, but was not carried out.
    let mut bad = job_params("refused");
    bad["DstAccessType"] = json!("cvm");
    let (_, response) = Raw::new(&emulator, "CreateMigrateJob", bad)
        .send(&emulator)
        .await;
    assert_ne!(code(&response), "ok");
    assert_eq!(emulator.calls("CreateMigrateJob"), 6);
    assert_eq!(emulator.executed("CreateMigrateJob"), 5);

    let jobs = emulator.migrate_jobs("AKIDalice", "ap-guangzhou");
    let ids: Vec<&str> = jobs.iter().map(|job| job.job_id.as_str()).collect();
    let names: Vec<&str> = jobs.iter().map(|job| job.job_name.as_str()).collect();
    assert_eq!(ids, created);
    assert_eq!(names, ["one", "two", "three"], "oldest first");
    assert!(jobs.iter().all(|job| job.status == 1));
    let name_of = |secret_id, region| -> Vec<String> {
        emulator
            .migrate_jobs(secret_id, region)
            .into_iter()
            .map(|job| job.job_name)
            .collect()
    };
    assert_eq!(name_of("AKIDalice", "ap-shanghai"), ["shanghai"]);
    assert_eq!(name_of("AKIDbob", "ap-guangzhou"), ["bobs"]);
    assert!(name_of("AKIDbob", "ap-shanghai").is_empty());
    assert!(name_of("AKIDnobody", "ap-guangzhou").is_empty());

    // Statuses move with time, as DescribeMigrateJobs would report them.
    let check = Raw::new(
        &emulator,
        "CreateMigrateCheckJob",
        json!({ "JobId": created[0] }),
    );
    assert_eq!(code(&check.send(&emulator).await.1), "ok");
    assert_eq!(
        emulator.migrate_jobs("AKIDalice", "ap-guangzhou")[0].status,
        3
    );
    tokio::time::sleep(Duration::from_millis(150)).await;
    assert_eq!(
        emulator.migrate_jobs("AKIDalice", "ap-guangzhou")[0].status,
        4
    );
}

#[tokio::test]
async fn the_service_comes_from_the_scope_the_host_or_the_default() {
    // An SDK that takes the scope's service from the endpoint's first label signs `127`.
    let plain = emulator().await;
    let mut from_ip = Raw::new(&plain, "DescribeMigrateJobs", json!({}));
    from_ip.service = "127";
    let (_, answer) = from_ip.send(&plain).await;
    assert_eq!(code(&answer), "InvalidAction", "{answer}");

    let emulator = Emulator::builder()
        .default_service("dts")
        .start()
        .await
        .expect("the emulator starts");
    let mut from_ip = Raw::new(&emulator, "DescribeMigrateJobs", json!({}));
    from_ip.service = "127";
    let (_, answer) = from_ip.send(&emulator).await;
    assert_eq!(code(&answer), "ok", "{answer}");
    // The signature is still over the scope's service as sent.
    let mut lying = Raw::new(&emulator, "DescribeMigrateJobs", json!({}));
    lying.service = "127";
    let host = emulator.addr().to_string();
    let over_dts = signer::authorization(&SigningInput {
        credentials: &lying.credentials,
        service: "dts",
        host: &host,
        method: "POST",
        content_type: "application/json",
        canonical_query: "",
        payload: lying.body.as_bytes(),
        timestamp: lying.timestamp,
    });
    lying.authorization = Some(over_dts.replace("/dts/", "/127/"));
    let (_, answer) = lying.send(&emulator).await;
    assert_eq!(code(&answer), "AuthFailure.SignatureFailure", "{answer}");
    // A scope naming a served service wins over the default.
    let mut cvm = Raw::new(&emulator, "DescribeInstances", json!({}));
    (cvm.service, cvm.version) = ("cvm", "2017-03-12");
    let (_, answer) = cvm.send(&emulator).await;
    assert_eq!(code(&answer), "ok", "{answer}");

    let refused = Emulator::builder().default_service("no-such").start().await;
    assert!(refused.is_err());
}

#[tokio::test]
async fn the_host_may_be_signed_without_its_port() {
    let emulator = emulator().await;
    let mut raw = Raw::new(&emulator, "DescribeMigrateJobs", json!({}));
    let bare_host = emulator.addr().ip().to_string();
    raw.authorization = Some(signer::authorization(&SigningInput {
        credentials: &raw.credentials,
        service: "dts",
        host: &bare_host,
        method: "POST",
        content_type: "application/json",
        canonical_query: "",
        payload: raw.body.as_bytes(),
        timestamp: raw.timestamp,
    }));
    let (_, answer) = raw.send(&emulator).await;
    assert_eq!(code(&answer), "ok", "{answer}");
}
