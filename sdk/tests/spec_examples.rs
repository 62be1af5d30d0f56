//! The examples kept in the DTS spec decode with the generated types to exactly the documented
//! values, and their request parameters are what the builders send.

#![cfg(feature = "full-serde")]
// Decoded answers are written back to compare them with the examples, which needs `full-serde`
// (on in workspace builds, through `golden-compile`).

mod examples_support;

use examples_support::{DTS_ACTIONS, Verdict, check_dts_example};

use tencentcloud_sdk::dts::v20180330::{
    CheckFlag, DescribeMigrateCheckJob, DescribeMigrateCheckJobRequest,
    DescribeMigrateCheckJobResponse, MigrateCheckStatus,
};
use tencentcloud_sdk::runtime::decode_response;

fn spec() -> serde_json::Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../api-spec/dts/2018-03-30.json"
    );
    let text = std::fs::read_to_string(path).expect("the DTS spec is readable");
    serde_json::from_str(&text).expect("the DTS spec is JSON")
}

#[test]
fn every_example_in_the_spec_fits_the_generated_types() {
    let spec = spec();
    let actions = spec["actions"].as_array().expect("actions");
    let mut names: Vec<&str> = actions.iter().filter_map(|a| a["name"].as_str()).collect();
    names.sort_unstable();
    assert_eq!(
        names, DTS_ACTIONS,
        "the test must know every action of the spec"
    );

    let mut checked = 0;
    let mut failures = Vec::new();
    for action in actions {
        let name = action["name"].as_str().unwrap();
        let examples = action["examples"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        assert!(!examples.is_empty(), "{name} has no example in the spec");
        for example in examples {
            let empty = serde_json::json!({});
            let input = example.get("input").unwrap_or(&empty);
            match check_dts_example(name, input, &example["output"]) {
                Ok(Verdict::Decoded) => checked += 1,
                Ok(Verdict::ServiceError(code)) => {
                    failures.push(format!("{name}: example answer is an error ({code})"))
                }
                Err(problem) => failures.push(format!("{name} / {}: {problem}", example["title"])),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    println!("{checked} examples of {} actions checked", names.len());
    assert!(checked >= 28, "only {checked} examples were checked");
}

fn examples() -> Vec<serde_json::Value> {
    let spec = spec();
    let action = spec["actions"]
        .as_array()
        .expect("actions")
        .iter()
        .find(|a| a["name"] == "DescribeMigrateCheckJob")
        .expect("DescribeMigrateCheckJob is in the spec")
        .clone();
    action["examples"].as_array().expect("examples").clone()
}

fn decode(example: &serde_json::Value) -> DescribeMigrateCheckJobResponse {
    let body = serde_json::to_vec(&example["output"]).unwrap();
    decode_response::<DescribeMigrateCheckJob>(200, &body)
        .unwrap_or_else(|err| panic!("example does not decode: {err}"))
}

fn example_for(job_id: &str) -> serde_json::Value {
    examples()
        .into_iter()
        .find(|e| e["input"]["JobId"] == job_id)
        .unwrap_or_else(|| panic!("no example for {job_id}"))
}

#[test]
fn failed_check_example() {
    let check = decode(&example_for("dts-1kl0iy0v"));
    assert_eq!(check.status, MigrateCheckStatus::Finished);
    assert_eq!(check.check_flag, CheckFlag::Failed);
    assert!(!check.check_flag.is_passed());
    assert_eq!(check.error_code, -1);
    assert_eq!(
        check.error_message,
        "The database table you selected does not exist. Please re-select. [The input parameter table cannot be found in the source instance]"
    );
    assert_eq!(check.progress, "100");
    assert_eq!(check.progress_percent(), Some(100));
    assert_eq!(check.request_id, "67b4cfcf-6957-48ae-b7ef-ba33209895e3");
}

#[test]
fn passed_check_example() {
    let check = decode(&example_for("dts-dau5czmd"));
    assert_eq!(check.status, MigrateCheckStatus::Finished);
    assert_eq!(check.check_flag, CheckFlag::Passed);
    assert!(check.check_flag.is_passed());
    assert_eq!(check.error_code, 0);
    assert_eq!(check.error_message, "ok");
    assert_eq!(check.progress_percent(), Some(100));
    assert_eq!(check.request_id, "336448b0-2a45-4be4-8356-c245eab5784f");
}

#[test]
fn example_inputs_are_what_the_builder_sends() {
    let examples = examples();
    assert_eq!(examples.len(), 2);
    for example in examples {
        let job_id = example["input"]["JobId"]
            .as_str()
            .expect("JobId is a string");
        let request = DescribeMigrateCheckJobRequest::builder()
            .job_id(job_id)
            .build()
            .unwrap();
        assert_eq!(serde_json::to_value(&request).unwrap(), example["input"]);
    }
}

#[test]
fn check_flag_follows_the_service_reference() {
    // 1 = passed, 0 = failed, 3 = not checked; other values are kept, never rejected.
    for (value, flag) in [
        (1, CheckFlag::Passed),
        (0, CheckFlag::Failed),
        (3, CheckFlag::NotChecked),
        (2, CheckFlag::Unknown(2)),
    ] {
        let decoded: CheckFlag = serde_json::from_value(serde_json::json!(value)).unwrap();
        assert_eq!(decoded, flag);
        assert_eq!(decoded.value(), value);
    }
    assert!(CheckFlag::NotChecked.is_not_checked());
}

#[test]
fn the_example_check_catches_what_it_must() {
    let answer = serde_json::json!({"Response": {
        "Status": "finished", "ErrorCode": 0, "ErrorMessage": "ok", "Progress": "100",
        "CheckFlag": 1, "RequestId": "r"
    }});
    let input = serde_json::json!({"JobId": "dts-1"});
    assert_eq!(
        check_dts_example("DescribeMigrateCheckJob", &input, &answer),
        Ok(Verdict::Decoded)
    );

    // A member the spec does not know would be dropped by decoding: reported as a loss.
    let mut extra = answer.clone();
    extra["Response"]["Surprise"] = serde_json::json!(1);
    let problem = check_dts_example("DescribeMigrateCheckJob", &input, &extra).unwrap_err();
    assert!(problem.contains("lost or changed"), "{problem}");

    // Parameters that lack a required member are refused. (Each parameter's name and type are
    // checked against the spec by the loader, which refuses examples that do not fit.)
    let problem = check_dts_example(
        "DescribeMigrateCheckJob",
        &serde_json::json!({"JobID": "x"}),
        &answer,
    )
    .unwrap_err();
    assert!(problem.contains("required member JobId"), "{problem}");

    // An answer of the wrong shape does not decode, and says where.
    let mut wrong = answer.clone();
    wrong["Response"]["ErrorCode"] = serde_json::json!("zero");
    let problem = check_dts_example("DescribeMigrateCheckJob", &input, &wrong).unwrap_err();
    assert!(problem.contains("ErrorCode"), "{problem}");

    // Error answers are recognised as such.
    let error = serde_json::json!({"Response": {
        "Error": {"Code": "ResourceNotFound.JobNotExist", "Message": "no"}, "RequestId": "r"
    }});
    assert_eq!(
        check_dts_example("DescribeMigrateCheckJob", &input, &error),
        Ok(Verdict::ServiceError("ResourceNotFound.JobNotExist".into()))
    );
    assert!(check_dts_example("NoSuchAction", &input, &answer).is_err());
}
