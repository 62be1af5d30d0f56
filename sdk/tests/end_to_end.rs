//! The generated DTS client against a scripted loopback server: decoding, the wire format of
//! requests, signatures, errors and secrets.

mod support;

use support::{
    REGION, Reply, SECRET_ID, SECRET_KEY, Server, TOKEN, WRONG_KEY, assert_error_hides_secrets,
    assert_no_secrets, client, config, within_deadline,
};
use tencentcloud_sdk::dts::v20180330::{
    CheckFlag, Client, DescribeMigrateCheckJobError, DescribeMigrateCheckJobResponse,
    MigrateCheckStatus,
};
use tencentcloud_sdk::{CommonError, Config, Credentials, SdkError};

const EXAMPLE_A: &str = r#"{"Response":{"CheckFlag":0,"ErrorCode":-1,"ErrorMessage":"The database table you selected does not exist. Please re-select. [The input parameter table cannot be found in the source instance]","Progress":"100","RequestId":"67b4cfcf-6957-48ae-b7ef-ba33209895e3","Status":"finished"}}"#;
const EXAMPLE_B: &str = r#"{"Response":{"CheckFlag":1,"ErrorCode":0,"ErrorMessage":"ok","Progress":"100","RequestId":"336448b0-2a45-4be4-8356-c245eab5784f","Status":"finished"}}"#;

type Outcome = Result<DescribeMigrateCheckJobResponse, SdkError<DescribeMigrateCheckJobError>>;

async fn describe(client: &Client, job_id: &str) -> Outcome {
    within_deadline(client.describe_migrate_check_job().job_id(job_id).send()).await
}

/// Sends one request with the default test client and returns the outcome and what the server
/// received (its signature check must have passed).
async fn one_call(reply: Reply) -> (Outcome, support::Received) {
    let server = Server::start([reply]).await;
    let outcome = describe(&client(&server), "dts-1kl0iy0v").await;
    let request = server.only_request();
    assert_eq!(request.signature, Ok(()), "the server's signature check");
    if let Err(err) = &outcome {
        assert_error_hides_secrets(err);
    }
    (outcome, request)
}

fn service_error(outcome: Outcome) -> tencentcloud_sdk::ServiceError<DescribeMigrateCheckJobError> {
    match outcome {
        Err(SdkError::Service(err)) => err,
        other => panic!("expected a service error, got {other:?}"),
    }
}

#[tokio::test]
async fn spec_example_a_failed_check_decodes_exactly() {
    let server = Server::start([Reply::json(EXAMPLE_A)]).await;
    let answer = describe(&client(&server), "dts-1kl0iy0v")
        .await
        .expect("example A decodes");

    assert_eq!(answer.status, MigrateCheckStatus::Finished);
    assert!(answer.status.is_finished());
    assert_eq!(answer.check_flag, CheckFlag::Failed);
    assert!(answer.check_flag.is_failed());
    assert!(!answer.check_flag.is_passed());
    assert_eq!(answer.error_code, -1);
    assert_eq!(
        answer.error_message,
        "The database table you selected does not exist. Please re-select. \
         [The input parameter table cannot be found in the source instance]"
    );
    assert_eq!(answer.progress, "100");
    assert_eq!(answer.progress_percent(), Some(100));
    assert_eq!(answer.request_id, "67b4cfcf-6957-48ae-b7ef-ba33209895e3");

    let request = server.only_request();
    assert_eq!(request.signature, Ok(()));
    assert_eq!(request.body_text(), r#"{"JobId":"dts-1kl0iy0v"}"#);
}

#[tokio::test]
async fn spec_example_b_passed_check_decodes_exactly() {
    let server = Server::start([Reply::json(EXAMPLE_B)]).await;
    let answer = describe(&client(&server), "dts-dau5czmd")
        .await
        .expect("example B decodes");

    assert_eq!(answer.status, MigrateCheckStatus::Finished);
    assert_eq!(answer.check_flag, CheckFlag::Passed);
    assert!(answer.check_flag.is_passed());
    assert_eq!(answer.error_code, 0);
    assert_eq!(answer.error_message, "ok");
    assert_eq!(answer.progress, "100");
    assert_eq!(answer.progress_percent(), Some(100));
    assert_eq!(answer.request_id, "336448b0-2a45-4be4-8356-c245eab5784f");

    let request = server.only_request();
    assert_eq!(request.signature, Ok(()));
    assert_eq!(request.body_text(), r#"{"JobId":"dts-dau5czmd"}"#);
}

#[tokio::test]
async fn one_client_makes_consecutive_calls() {
    let server = Server::start([Reply::json(EXAMPLE_A), Reply::json(EXAMPLE_B)]).await;
    let client = client(&server);
    let first = describe(&client, "dts-1kl0iy0v").await.expect("first call");
    let second = describe(&client, "dts-dau5czmd")
        .await
        .expect("second call");
    assert!(first.check_flag.is_failed());
    assert!(second.check_flag.is_passed());
    let received = server.received();
    assert_eq!(received.len(), 2);
    assert!(received.iter().all(|request| request.signature.is_ok()));
    assert_eq!(received[0].body_text(), r#"{"JobId":"dts-1kl0iy0v"}"#);
    assert_eq!(received[1].body_text(), r#"{"JobId":"dts-dau5czmd"}"#);
}

#[tokio::test]
async fn request_wire_format_without_token_or_language() {
    let server = Server::start([Reply::json(EXAMPLE_A)]).await;
    let client = Client::new(
        Config::builder()
            .credentials(Credentials::new(SECRET_ID, SECRET_KEY))
            .region(REGION)
            .endpoint(server.url())
            .timeout(support::CLIENT_TIMEOUT)
            .build()
            .unwrap(),
    );
    let before = support::now();
    describe(&client, "dts-1kl0iy0v").await.expect("answer");
    let after = support::now();

    let request = server.only_request();
    assert_eq!(request.signature, Ok(()), "the server's signature check");
    assert_eq!(request.method, "POST");
    assert_eq!(request.target, "/");
    assert_eq!(request.version, "HTTP/1.1");
    assert_eq!(request.header("host"), Some(server.host().as_str()));
    assert_eq!(
        request.header("host"),
        Some(format!("127.0.0.1:{}", server.port()).as_str())
    );
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(
        request.header("x-tc-action"),
        Some("DescribeMigrateCheckJob")
    );
    assert_eq!(request.header("x-tc-version"), Some("2018-03-30"));
    assert_eq!(request.header("x-tc-region"), Some(REGION));
    let client_name = request.header("x-tc-requestclient").unwrap_or_default();
    assert!(
        client_name.starts_with("tencentcloud-sdk-rust/") && client_name.len() > 22,
        "X-TC-RequestClient is {client_name:?}"
    );
    let timestamp: u64 = request
        .header("x-tc-timestamp")
        .expect("X-TC-Timestamp")
        .parse()
        .expect("a number of seconds");
    assert!(
        before.saturating_sub(2) <= timestamp && timestamp <= after + 2,
        "timestamp {timestamp} is not between {before} and {after}"
    );
    assert_eq!(request.header("x-tc-token"), None);
    assert_eq!(request.header("x-tc-language"), None);

    let authorization = request.header("authorization").expect("Authorization");
    let date = support::utc_date_by_counting(timestamp);
    assert!(
        authorization.starts_with(&format!(
            "TC3-HMAC-SHA256 Credential={SECRET_ID}/{date}/dts/tc3_request, \
             SignedHeaders=content-type;host, Signature="
        )),
        "{authorization}"
    );
    assert_eq!(
        request.header("content-length"),
        Some(request.body.len().to_string().as_str())
    );
    assert_eq!(request.body, br#"{"JobId":"dts-1kl0iy0v"}"#);
}

#[tokio::test]
async fn token_and_language_headers_are_sent_when_configured() {
    let (outcome, request) = one_call(Reply::json(EXAMPLE_B)).await;
    outcome.expect("answer");
    assert_eq!(request.header("x-tc-token"), Some(TOKEN));
    assert_eq!(request.header("x-tc-language"), Some("en-US"));
    assert_eq!(
        request.header("x-tc-action"),
        Some("DescribeMigrateCheckJob")
    );
    // The token travels in its own header, never in the signature or the body.
    let authorization = request.header("authorization").unwrap_or_default();
    assert!(!authorization.contains(TOKEN));
    assert!(!request.body_text().contains(TOKEN));
}

#[tokio::test]
async fn job_id_with_quotes_and_non_ascii_is_escaped_and_signed() {
    let job_id = "dts-\"引号\"\\x\u{1F600}";
    let server = Server::start([Reply::json(EXAMPLE_A)]).await;
    describe(&client(&server), job_id).await.expect("answer");
    let request = server.only_request();
    assert_eq!(request.signature, Ok(()), "signature over a non-ASCII body");
    let sent: serde_json::Value = serde_json::from_slice(&request.body).expect("JSON body");
    assert_eq!(sent, serde_json::json!({ "JobId": job_id }));
}

#[tokio::test]
async fn documented_error_code_becomes_a_typed_service_error() {
    let body = support::service_error_body(
        "ResourceNotFound.JobNotExist",
        "The job dts-1kl0iy0v does not exist.",
        "a1b2c3d4-0000-4000-8000-00000000e404",
    );
    let (outcome, _) = one_call(Reply::json(body)).await;
    let err = service_error(outcome);
    assert_eq!(
        err.kind(),
        &DescribeMigrateCheckJobError::ResourceNotFoundJobNotExist
    );
    assert_eq!(err.code(), "ResourceNotFound.JobNotExist");
    assert_eq!(err.message(), "The job dts-1kl0iy0v does not exist.");
    assert_eq!(err.request_id(), "a1b2c3d4-0000-4000-8000-00000000e404");
    assert_eq!(err.action(), "DescribeMigrateCheckJob");
    assert_eq!(err.http_status(), 200);

    let shown = SdkError::Service(err).to_string();
    for needle in [
        "DescribeMigrateCheckJob",
        "ResourceNotFound.JobNotExist",
        "The job dts-1kl0iy0v does not exist.",
        "RequestId",
        "a1b2c3d4-0000-4000-8000-00000000e404",
    ] {
        assert!(shown.contains(needle), "{needle:?} missing from {shown:?}");
    }
}

#[tokio::test]
async fn unknown_error_code_is_kept_as_sent() {
    let body = support::service_error_body(
        "FailedOperation.SomethingNew",
        "Something new went wrong.",
        "req-unknown-code",
    );
    let (outcome, _) = one_call(Reply::json(body)).await;
    let sdk_error = outcome.expect_err("an error");
    assert_eq!(sdk_error.code(), Some("FailedOperation.SomethingNew"));
    assert_eq!(sdk_error.request_id(), Some("req-unknown-code"));
    let err = service_error(Err(sdk_error));
    assert_eq!(
        err.kind(),
        &DescribeMigrateCheckJobError::Unknown("FailedOperation.SomethingNew".into())
    );
    assert_eq!(err.kind().code(), "FailedOperation.SomethingNew");
    assert_eq!(err.message(), "Something new went wrong.");
}

#[tokio::test]
async fn common_error_code_maps_to_its_variant() {
    let body = support::service_error_body(
        "RequestLimitExceeded",
        "Your current request times equals to `21` in a second.",
        "req-rate",
    );
    let (outcome, _) = one_call(Reply::json(body)).await;
    let err = service_error(outcome);
    assert_eq!(
        err.kind(),
        &DescribeMigrateCheckJobError::Common(CommonError::RequestLimitExceeded)
    );
    assert_eq!(err.common(), Some(CommonError::RequestLimitExceeded));
    assert_eq!(err.request_id(), "req-rate");
    assert_eq!(err.action(), "DescribeMigrateCheckJob");
}

#[tokio::test]
async fn unknown_enum_values_and_extra_members_are_tolerated() {
    let body = r#"{"Response":{
        "CheckFlag": 7,
        "ErrorCode": 0,
        "ErrorMessage": "",
        "Progress": "42",
        "RequestId": "req-future",
        "Status": "paused",
        "NewMember": {"Nested": [1, 2, {"x": null}]},
        "AnotherOne": "added later"
    }}"#;
    let (outcome, _) = one_call(Reply::json(body)).await;
    let answer = outcome.expect("a newer answer still decodes");
    assert_eq!(answer.status, MigrateCheckStatus::Unknown("paused".into()));
    assert_eq!(answer.status.to_string(), "paused");
    assert_eq!(answer.check_flag, CheckFlag::Unknown(7));
    assert_eq!(answer.check_flag.value(), 7);
    assert!(!answer.check_flag.is_passed());
    assert_eq!(answer.progress_percent(), Some(42));
    assert_eq!(answer.request_id, "req-future");
}

#[tokio::test]
async fn wrong_secret_key_fails_the_servers_signature_check() {
    let server = Server::start([Reply::json(EXAMPLE_B)]).await;
    let client = Client::new(
        config(&server)
            .credentials(Credentials::new(SECRET_ID, WRONG_KEY).with_token(TOKEN))
            .build()
            .unwrap(),
    );
    let outcome = describe(&client, "dts-dau5czmd").await;
    let request = server.only_request();
    let reason = request.signature.clone().expect_err("the check must fail");
    assert!(reason.contains("signature mismatch"), "{reason}");

    let sdk_error = outcome.expect_err("the server refuses the signature");
    assert_error_hides_secrets(&sdk_error);
    let err = service_error(Err(sdk_error));
    assert_eq!(
        err.kind(),
        &DescribeMigrateCheckJobError::Common(CommonError::AuthFailureSignatureFailure)
    );
    assert_eq!(err.code(), "AuthFailure.SignatureFailure");
    assert_eq!(err.action(), "DescribeMigrateCheckJob");
    // The scripted answer was not used.
    assert_eq!(server.replies_left(), 1);
}

#[tokio::test]
async fn unknown_secret_id_fails_the_servers_signature_check() {
    let server = Server::start([Reply::json(EXAMPLE_B)]).await;
    let client = Client::new(
        config(&server)
            .credentials(Credentials::new("AKIDsomebodyElse", SECRET_KEY))
            .build()
            .unwrap(),
    );
    let outcome = describe(&client, "dts-dau5czmd").await;
    let err = service_error(outcome);
    assert_eq!(
        err.kind(),
        &DescribeMigrateCheckJobError::Common(CommonError::AuthFailureSignatureFailure)
    );
    assert!(err.message().contains("unknown secret id"), "{err}");
    assert_error_hides_secrets(&err);
}

#[tokio::test]
async fn missing_job_id_is_a_build_error_and_nothing_is_sent() {
    let server = Server::start([Reply::json(EXAMPLE_A)]).await;
    let client = client(&server);
    let outcome = within_deadline(client.describe_migrate_check_job().send()).await;
    let err = match outcome {
        Err(SdkError::Build(err)) => err,
        other => panic!("expected a build error, got {other:?}"),
    };
    assert_eq!(err.member(), "JobId");
    assert_eq!(err.structure(), "DescribeMigrateCheckJob");
    let shown = err.to_string();
    assert!(shown.contains("JobId"), "{shown}");
    assert_error_hides_secrets(&err);
    // Give a stray request the chance to arrive before looking.
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    assert!(server.received().is_empty(), "a request reached the server");
    assert_eq!(server.replies_left(), 1);
}

#[tokio::test]
async fn secrets_stay_out_of_debug_output() {
    let server = Server::start([]).await;
    let config = config(&server).build().unwrap();
    assert_no_secrets(&format!("{config:?}"));
    assert_no_secrets(&format!("{config:#?}"));
    assert_no_secrets(&format!("{:?}", config.credentials_provider()));
    let client = Client::new(config.clone());
    assert_no_secrets(&format!("{client:?}"));
    assert_no_secrets(&format!("{client:#?}"));
    assert_no_secrets(&format!("{:?}", client.handle()));
    assert_no_secrets(&format!("{:?}", client.describe_migrate_check_job()));
    // The id is not secret and helps diagnosis.
    assert!(format!("{client:?}").contains(SECRET_ID));

    let wrong = Client::new(config_with(
        &server,
        Credentials::new(SECRET_ID, WRONG_KEY).with_token(TOKEN),
    ));
    assert_no_secrets(&format!("{wrong:#?}"));
}

fn config_with(server: &Server, credentials: Credentials) -> Config {
    config(server).credentials(credentials).build().unwrap()
}
