//! Answers chosen by tests, from the library and from the binary's `--answers` file, and the
//! catalogue's actions answered from their specs, all behind the gateway's real checks.

mod support;

use std::ffi::OsStr;
use std::process::Command;

use serde_json::{Value, json};
use tencentcloud_emulator::{Emulator, Reply, Script};
use tencentcloud_sdk::generic::GenericClient;
use tencentcloud_sdk::{Config, Credentials, RetryConfig, SdkError};

use support::Running;

fn cvm(config: Config) -> GenericClient {
    GenericClient::new(config, "cvm", "2017-03-12").expect("cvm is a valid service")
}

fn config(url: &str, credentials: Credentials) -> Config {
    Config::builder()
        .endpoint(url)
        .credentials(credentials)
        .region("ap-guangzhou")
        .retry(RetryConfig::disabled())
        .build()
        .expect("a valid config")
}

fn service_code(err: SdkError<tencentcloud_sdk::GenericError>) -> String {
    match err {
        SdkError::Service(service) => service.code().to_owned(),
        other => panic!("expected a service error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_catalogue_action_answers_from_its_spec_the_same_for_the_same_request() {
    let emulator = Emulator::start().await.unwrap();
    let client = cvm(emulator.sdk_config().build().unwrap());
    let first: Value = client.call("DescribeInstances").send().await.unwrap();
    let again: Value = client.call("DescribeInstances").send().await.unwrap();
    let set = first["InstanceSet"]
        .as_array()
        .expect("a list of instances");
    assert_eq!(set.len(), 1, "{first}");
    assert!(set[0]["InstanceId"].is_string(), "{first}");
    let without_id = |mut answer: Value| {
        answer.as_object_mut().unwrap().remove("RequestId");
        answer
    };
    assert_ne!(first["RequestId"], again["RequestId"]);
    assert_eq!(without_id(first), without_id(again));

    // The gateway still checks parameters against the spec.
    let err = client
        .call("DescribeInstances")
        .param("Limit", "ten")
        .send()
        .await
        .unwrap_err();
    assert_eq!(service_code(err), "InvalidParameter");
}

#[tokio::test]
async fn a_sample_request_of_any_action_is_served() {
    let emulator = Emulator::start().await.unwrap();
    let config = emulator.sdk_config().build().unwrap();
    for (service, version, action) in [
        ("cvm", "2017-03-12", "RunInstances"),
        ("vpc", "2017-03-12", "CreateVpc"),
        ("cam", "2019-01-16", "CreateRole"),
    ] {
        let params = emulator
            .sample_request(service, version, action)
            .unwrap_or_else(|| panic!("{service} {action} is served"));
        let client = GenericClient::new(config.clone(), service, version).unwrap();
        let answer: Value = client
            .call(action)
            .params(&params)
            .send()
            .await
            .unwrap_or_else(|err| panic!("{service} {action}: {err}"));
        assert!(answer["RequestId"].is_string(), "{answer}");
    }
    assert!(
        emulator
            .sample_request("cvm", "2017-03-12", "NoSuchAction")
            .is_none()
    );
    assert!(
        emulator
            .sample_request("cvm", "1999-01-01", "RunInstances")
            .is_none()
    );
}

#[tokio::test]
async fn scripts_answer_always_in_turn_or_from_the_call() {
    let emulator = Emulator::builder()
        .script(
            "cvm",
            "DescribeInstances",
            Script::always(Reply::answer(json!({
                "TotalCount": 1,
                "InstanceSet": [{"InstanceId": "ins-scripted"}],
            }))),
        )
        .script(
            "cvm",
            "RunInstances",
            Script::sequence([
                Reply::error("ResourceInsufficient", "no capacity left"),
                Reply::answer(json!({"InstanceIdSet": ["ins-new"]})),
            ]),
        )
        .start()
        .await
        .unwrap();
    let client = cvm(emulator.sdk_config().build().unwrap());

    let listed: Value = client.call("DescribeInstances").send().await.unwrap();
    assert_eq!(listed["InstanceSet"][0]["InstanceId"], "ins-scripted");
    assert_eq!(listed["TotalCount"], 1);
    assert!(listed["RequestId"].is_string());

    let params = emulator
        .sample_request("cvm", "2017-03-12", "RunInstances")
        .unwrap();
    let run = || async { client.call("RunInstances").params(&params).send().await };
    let refused = run().await.unwrap_err();
    assert_eq!(service_code(refused), "ResourceInsufficient");
    let created = run().await.unwrap();
    assert_eq!(created["InstanceIdSet"], json!(["ins-new"]));
    // The sequence is spent: the action answers from its spec again.
    let made_up = run().await.unwrap();
    assert_ne!(made_up["InstanceIdSet"], json!(["ins-new"]), "{made_up}");

    // A script set while running, from the request.
    emulator.script(
        "cvm",
        "DescribeInstances",
        Script::from_fn(|call| {
            Reply::answer(json!({
                "TotalCount": 0,
                "InstanceSet": [],
                "Region": call.region,
            }))
        }),
    );
    let echoed: Value = client.call("DescribeInstances").send().await.unwrap();
    assert_eq!(echoed["Region"], "ap-guangzhou");
    emulator.unscript("cvm", "DescribeInstances");
    let made_up: Value = client.call("DescribeInstances").send().await.unwrap();
    assert!(made_up.get("Region").is_none(), "{made_up}");

    // Scripted calls are counted like others.
    assert_eq!(emulator.calls("RunInstances"), 3);
    assert_eq!(emulator.executed("RunInstances"), 2);
}

#[tokio::test]
async fn a_scripted_action_still_checks_the_signature() {
    let emulator = Emulator::builder()
        .script(
            "cvm",
            "DescribeInstances",
            Script::always(Reply::answer(json!({"TotalCount": 0, "InstanceSet": []}))),
        )
        .start()
        .await
        .unwrap();
    let stranger = Credentials::new(emulator.credentials().secret_id(), "not-the-key");
    let err = cvm(config(emulator.url(), stranger))
        .call("DescribeInstances")
        .send()
        .await
        .unwrap_err();
    assert_eq!(service_code(err), "AuthFailure.SignatureFailure");
    assert_eq!(emulator.calls("DescribeInstances"), 0);
}

#[tokio::test]
async fn the_binary_reads_its_answers_from_a_file() {
    let dir = std::env::temp_dir().join(format!("emulator-answers-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("answers.json");
    std::fs::write(
        &file,
        r#"{"cvm": {"DescribeInstances": [
                {"Error": {"Code": "RequestLimitExceeded", "Message": "slow down"}},
                {"Response": {"TotalCount": 7, "InstanceSet": []}}
            ]}}"#,
    )
    .unwrap();
    let flags = [
        "--secret-id",
        "AKIDanswers",
        "--secret-key",
        "answers-key",
        "--answers",
    ];
    let running = Running::start(flags.map(OsStr::new).into_iter().chain([file.as_os_str()]));
    let client = cvm(config(
        &running.url,
        Credentials::new("AKIDanswers", "answers-key"),
    ));
    let err = client.call("DescribeInstances").send().await.unwrap_err();
    assert_eq!(service_code(err), "RequestLimitExceeded");
    let answer: Value = client.call("DescribeInstances").send().await.unwrap();
    assert_eq!(answer["TotalCount"], 7);

    // A file that does not read is refused before anything is served.
    std::fs::write(&file, r#"{"cvm": {"DescribeInstances": [{"Error": {}}]}}"#).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_tencentcloud-emulator"))
        .args(["--secret-id", "AKIDanswers", "--secret-key", "answers-key"])
        .arg("--answers")
        .arg(&file)
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("cvm DescribeInstances: an Error needs a Code"),
        "{stderr}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
