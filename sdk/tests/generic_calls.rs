//! Generic calls (any action by name, JSON parameters) through the same runtime as generated
//! calls: against the emulator for real answers and errors, and against a scripted server for
//! retries, rate limits, signing and bad input.

mod support;

use std::time::Duration;

use serde_json::{Value, json};
use support::{Reply, Server, config, within_deadline};
use tencentcloud_emulator::Emulator;
use tencentcloud_sdk::dts::v20180330::{DescribeMigrateJobsResponse, SERVICE};
use tencentcloud_sdk::generic::GenericClient;
use tencentcloud_sdk::runtime::is_read_action;
use tencentcloud_sdk::{
    CommonError, ErrorMetadata, GenericError, RateLimits, RetryConfig, SdkError,
};

fn retrying() -> RetryConfig {
    RetryConfig::standard()
        .with_initial_backoff(Duration::from_millis(1))
        .with_max_backoff(Duration::from_millis(1))
}

fn client(server: &Server) -> GenericClient {
    let config = config(server).retry(retrying()).build().expect("config");
    GenericClient::new(config, "demo", "2021-01-01").expect("names")
}

#[tokio::test]
async fn a_generic_call_reads_the_same_answers_as_a_generated_one() {
    let emulator = Emulator::start().await.expect("emulator");
    let config = emulator.sdk_config().build().expect("config");
    let dts = GenericClient::new(config.clone(), "dts", "2018-03-30").expect("names");

    let answer: Value = within_deadline(
        dts.call("DescribeMigrateJobs")
            .params(json!({"Limit": 10, "Offset": 0}))
            .send(),
    )
    .await
    .expect("listing jobs");
    assert_eq!(answer["TotalCount"], json!(0));
    assert!(
        answer["RequestId"]
            .as_str()
            .is_some_and(|id| !id.is_empty())
    );

    // Into a type of one's own, or a generated one.
    let typed: DescribeMigrateJobsResponse = within_deadline(
        GenericClient::for_service(config, SERVICE.clone())
            .call("DescribeMigrateJobs")
            .send_as(),
    )
    .await
    .expect("typed");
    assert_eq!(typed.total_count, 0);
    assert_eq!(emulator.calls("DescribeMigrateJobs"), 2);

    // Errors carry the code, message and RequestId, and map to the common codes.
    let err = within_deadline(
        dts.call("DescribeMigrateCheckJob")
            .param("JobId", "dts-00000000")
            .send(),
    )
    .await
    .expect_err("no such job");
    assert_eq!(err.code(), Some("ResourceNotFound.JobNotExist"));
    assert!(err.request_id().is_some_and(|id| !id.is_empty()));
    assert!(ErrorMetadata::message(&err).is_some_and(|m| !m.is_empty()));
    assert_eq!(
        err.kind(),
        Some(&GenericError::Unknown(
            "ResourceNotFound.JobNotExist".to_owned()
        ))
    );
    let shown = err.to_string();
    assert!(
        shown.contains("DescribeMigrateCheckJob") && shown.contains("RequestId"),
        "{shown}"
    );

    let err = within_deadline(dts.call("DescribeNothingAtAll").send())
        .await
        .expect_err("no such action");
    assert_eq!(
        err.kind(),
        Some(&GenericError::Common(CommonError::InvalidAction))
    );
}

#[tokio::test]
async fn reads_are_retried_by_their_name_and_writes_only_when_safe() {
    // A read (by its name) after an internal error is sent again.
    let ok = Reply::json(r#"{"Response":{"RequestId":"r-ok"}}"#);
    let server = Server::start([
        Reply::service_error("InternalError", "hiccup", "r-1"),
        ok.clone(),
    ])
    .await;
    within_deadline(client(&server).call("DescribeThings").send())
        .await
        .expect("retried");
    assert_eq!(server.received().len(), 2);

    // A write is not: it may have been carried out.
    let server = Server::start([
        Reply::service_error("InternalError", "hiccup", "r-1"),
        ok.clone(),
    ])
    .await;
    let err = within_deadline(client(&server).call("CreateThing").send())
        .await
        .expect_err("not retried");
    assert_eq!(err.code(), Some("InternalError"));
    assert_eq!(server.received().len(), 1);

    // Unless it carries a client token, or is said to be idempotent.
    for call in [
        |c: &GenericClient| c.call("CreateThing").param("ClientToken", "token-1"),
        |c: &GenericClient| c.call("CreateThing").idempotent(true),
    ] {
        let server = Server::start([
            Reply::service_error("InternalError", "hiccup", "r-1"),
            ok.clone(),
        ])
        .await;
        within_deadline(call(&client(&server)).send())
            .await
            .expect("retried");
        assert_eq!(server.received().len(), 2);
    }

    // A read said not to be idempotent is not retried either.
    let server = Server::start([Reply::service_error("InternalError", "hiccup", "r-1"), ok]).await;
    within_deadline(
        client(&server)
            .call("DescribeThings")
            .idempotent(false)
            .send(),
    )
    .await
    .expect_err("not retried");
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn requests_are_signed_and_shaped_like_generated_ones() {
    let server = Server::start([Reply::json(r#"{"Response":{"RequestId":"r"}}"#)]).await;
    within_deadline(
        client(&server)
            .call("DescribeThings")
            .params(json!({"Filters": [{"Name": "zone", "Values": ["ap-guangzhou-3"]}]}))
            .param("Limit", 20)
            .send(),
    )
    .await
    .expect("answer");
    // The server checks every signature; this one passed.
    let request = server.only_request();
    assert!(request.signature.is_ok());
    assert_eq!(request.header("X-TC-Action"), Some("DescribeThings"));
    assert_eq!(request.header("X-TC-Version"), Some("2021-01-01"));
    assert_eq!(request.header("X-TC-Region"), Some("ap-guangzhou"));
    let body: Value = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(
        body,
        json!({"Filters": [{"Name": "zone", "Values": ["ap-guangzhou-3"]}], "Limit": 20})
    );
    assert!(
        request
            .header("Authorization")
            .is_some_and(|value| value.contains("/demo/tc3_request")),
        "{request:?}"
    );

    // Unsigned calls carry neither a signature nor a token.
    let server = Server::start([]).await;
    let _ = within_deadline(
        client(&server)
            .call("AssumeRoleWithWebIdentity")
            .unsigned()
            .send(),
    )
    .await;
    let request = server.only_request();
    assert_eq!(request.header("Authorization"), None);
    assert_eq!(request.header("X-TC-Token"), None);
}

#[tokio::test]
async fn a_generic_rate_limit_paces_calls() {
    let server = Server::start([Reply::json(r#"{"Response":{"RequestId":"r"}}"#)]).await;
    let config = config(&server)
        .rate_limits(RateLimits::from_spec())
        .operation_timeout(Some(Duration::from_millis(200)))
        .build()
        .expect("config");
    let demo = GenericClient::new(config, "demo", "2021-01-01").unwrap();
    within_deadline(demo.call("DescribeThings").rate_limit(1).send())
        .await
        .expect("the first call goes at once");
    // The second would have to wait about a second, past the 200 ms deadline.
    let err = within_deadline(demo.call("DescribeThings").rate_limit(1).send())
        .await
        .expect_err("paced");
    assert!(matches!(err, SdkError::Timeout(_)), "{err}");
    assert!(err.to_string().contains("rate limit"), "{err}");
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn bad_input_fails_before_anything_is_sent() {
    let server = Server::start([]).await;
    let demo = client(&server);
    let cases = [
        demo.call("describe things"),
        demo.call(""),
        demo.call("Describe\r\nX-Evil: 1"),
        demo.call("DescribeThings").params(json!([1, 2])),
        demo.call("DescribeThings").params("text"),
        // JSON object keys must be strings.
        demo.call("DescribeThings")
            .param("Map", std::collections::BTreeMap::from([(vec![1], 1)])),
    ];
    for call in cases {
        let shown = format!("{call:?}");
        let err = within_deadline(call.send()).await.expect_err(&shown);
        assert!(matches!(err, SdkError::Build(_)), "{shown}: {err}");
    }
    assert!(server.received().is_empty());

    let config = || config(&server).build().unwrap();
    for (service, version, setting) in [
        ("CVM", "2017-03-12", "service"),
        ("cvm.evil", "2017-03-12", "service"),
        ("", "2017-03-12", "service"),
        ("cvm", "v1", "version"),
        ("cvm", "2017-03-12\n", "version"),
    ] {
        let err = GenericClient::new(config(), service, version).expect_err(service);
        assert_eq!(err.setting(), setting, "{err}");
    }
}

#[test]
fn the_runtime_and_the_code_generator_agree_on_what_reads() {
    let mut names = vec![
        "Describe",
        "DescribeX",
        "Descriptor",
        "GetUser",
        "Getaway",
        "List",
        "Listener",
        "InquirePrice",
        "Inquirer",
        "CreateThing",
        "",
    ];
    // Every action of the catalogue.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../api-spec");
    let mut catalogue = Vec::new();
    for service in std::fs::read_dir(&root).unwrap() {
        let service = service.unwrap().path();
        if !service.is_dir() {
            continue;
        }
        for spec in std::fs::read_dir(&service).unwrap() {
            let text = std::fs::read_to_string(spec.unwrap().path()).unwrap();
            let spec: Value = serde_json::from_str(&text).unwrap();
            for action in spec["actions"].as_array().unwrap() {
                catalogue.push(action["name"].as_str().unwrap().to_owned());
            }
        }
    }
    assert!(catalogue.len() > 10_000, "{} actions", catalogue.len());
    names.extend(catalogue.iter().map(String::as_str));
    for name in names {
        assert_eq!(
            is_read_action(name),
            tencentcloud_codegen::model::is_read_action(name),
            "{name}"
        );
    }
}
