//! The `tencentcloud-emulator` binary: the URL on the first line, several key pairs, options.

mod support;

use std::process::Command;

use support::Running;

use tencentcloud_sdk::dts::v20180330::Client;
use tencentcloud_sdk::{Config, Credentials};

fn start(args: &[&str]) -> Running {
    Running::start(args)
}

fn client(url: &str, credentials: Credentials) -> Client {
    Client::new(
        Config::builder()
            .endpoint(url)
            .credentials(credentials)
            .region("ap-guangzhou")
            .build()
            .expect("a valid config"),
    )
}

#[tokio::test]
async fn serves_every_pair_it_was_given_each_as_its_own_account() {
    let running = start(&[
        "--secret-id",
        "AKIDone",
        "--secret-key",
        "key-one",
        "--secret-id",
        "AKIDtwo",
        "--secret-key",
        "key-two",
        "--token",
        "token-two",
        "--check-duration",
        "100ms",
    ]);
    let one = client(&running.url, Credentials::new("AKIDone", "key-one"));
    let two = client(
        &running.url,
        Credentials::new("AKIDtwo", "key-two").with_token("token-two"),
    );
    let created = one
        .create_subscribe()
        .product("mysql")
        .pay_type(1)
        .send()
        .await
        .expect("the first pair is accepted");
    assert_eq!(created.subscribe_ids.map(|ids| ids.len()), Some(1));
    let theirs = two
        .describe_subscribes()
        .send()
        .await
        .expect("the second pair, with its token, is accepted");
    assert_eq!(theirs.total_count, 0, "accounts do not share resources");

    let without_token = client(&running.url, Credentials::new("AKIDtwo", "key-two"));
    let err = without_token
        .describe_subscribes()
        .send()
        .await
        .expect_err("the token is required");
    assert_eq!(err.code(), Some("AuthFailure.TokenFailure"));
    let stranger = client(&running.url, Credentials::new("AKIDthree", "key"));
    let err = stranger
        .describe_subscribes()
        .send()
        .await
        .expect_err("an unknown pair");
    assert_eq!(err.code(), Some("AuthFailure.SecretIdNotFound"));
}

#[tokio::test]
async fn injects_the_faults_it_is_asked_for() {
    let running = start(&[
        "--secret-id",
        "AKIDone",
        "--secret-key",
        "key-one",
        "--fault",
        "503=1",
        "--fault-actions",
        "DescribeSubscribes",
    ]);
    let one = client(&running.url, Credentials::new("AKIDone", "key-one"));
    let err = one
        .describe_subscribes()
        .send()
        .await
        .expect_err("every request meets a 503");
    let tencentcloud_sdk::SdkError::InvalidResponse(invalid) = &err else {
        panic!("a 503 page is not an API answer: {err}");
    };
    assert_eq!(invalid.http_status(), 503);
    one.describe_migrate_jobs()
        .send()
        .await
        .expect("other actions are served");
}

#[tokio::test]
async fn runs_its_clock_at_the_offset_it_is_given() {
    use std::time::{SystemTime, UNIX_EPOCH};
    use tencentcloud_sdk::signer::{self, SigningInput};

    let running = start(&[
        "--secret-id",
        "AKIDone",
        "--secret-key",
        "key-one",
        "--clock-offset",
        "-7200",
    ]);
    let credentials = Credentials::new("AKIDone", "key-one");
    let host = running.url.trim_start_matches("http://");
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs());
    let http = tencentcloud_sdk::config::http_client_builder()
        .expect("TLS settings")
        .build()
        .expect("client");
    // Signed two hours ago, as the emulator's clock reads now; then signed with real time.
    for (timestamp, expected) in [
        (now - 7_200, None),
        (now, Some("AuthFailure.SignatureExpire")),
    ] {
        let body = "{}";
        let authorization = signer::authorization(&SigningInput {
            credentials: &credentials,
            service: "dts",
            host,
            method: "POST",
            content_type: "application/json",
            canonical_query: "",
            payload: body.as_bytes(),
            timestamp,
        });
        let answer = http
            .post(&running.url)
            .header("Content-Type", "application/json")
            .header("Authorization", authorization)
            .header("X-TC-Action", "DescribeSubscribes")
            .header("X-TC-Version", "2018-03-30")
            .header("X-TC-Region", "ap-guangzhou")
            .header("X-TC-Timestamp", timestamp.to_string())
            .body(body)
            .send()
            .await
            .expect("answered");
        let text = answer.text().await.expect("a body");
        let value: serde_json::Value = serde_json::from_str(&text).expect("JSON");
        assert_eq!(
            value["Response"]["Error"]["Code"].as_str(),
            expected,
            "{text}"
        );
    }
}

#[test]
fn bad_command_lines_are_refused_with_a_reason() {
    for (args, expected) in [
        (&[][..], "at least one --secret-id"),
        (&["--secret-id", "AKID"][..], "has no --secret-key"),
        (&["--secret-key", "k"][..], "must follow its --secret-id"),
        (
            &["--token", "t"][..],
            "must follow a --secret-id/--secret-key pair",
        ),
        (
            &[
                "--secret-id",
                "a",
                "--secret-key",
                "k",
                "--fault",
                "504=0.1",
            ][..],
            "is not a fault",
        ),
        (
            &[
                "--secret-id",
                "a",
                "--secret-key",
                "k",
                "--fault",
                "502=0.7",
                "--fault",
                "503=0.7",
            ][..],
            "more than 1",
        ),
        (
            &[
                "--secret-id",
                "a",
                "--secret-key",
                "k",
                "--check-duration",
                "soon",
            ][..],
            "not a duration",
        ),
        (
            &["--secret-id", "a", "--secret-key", "k", "--addr", "nowhere"][..],
            "not HOST:PORT",
        ),
        (
            &[
                "--secret-id",
                "a",
                "--secret-key",
                "k",
                "--clock-offset",
                "1h",
            ][..],
            "not a whole number of seconds",
        ),
        (
            &[
                "--secret-id",
                "a",
                "--secret-key",
                "k",
                "--clock-offset",
                "-99999999999",
            ][..],
            "outside the years 1970 to 9999",
        ),
        (
            &[
                "--secret-id",
                "a",
                "--secret-key",
                "k",
                "--default-service",
                "no-such",
            ][..],
            "is not one the emulator serves",
        ),
        (&["--frobnicate"][..], "unknown option"),
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_tencentcloud-emulator"))
            .args(args)
            .output()
            .expect("the binary runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "{args:?}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
        assert!(output.stdout.is_empty(), "{args:?}: no URL on failure");
    }
    let help = Command::new(env!("CARGO_BIN_EXE_tencentcloud-emulator"))
        .arg("--help")
        .output()
        .expect("the binary runs");
    assert!(help.status.success());
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(help.contains("--fault KIND=FRACTION"));
    assert!(help.contains("--clock-offset SECONDS"));
    assert!(help.contains("--default-service NAME"));
}
