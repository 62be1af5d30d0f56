//! Every example the official CLI documents for DTS 2018-03-30, in English and Chinese
//! (`../shared/reference/tccli-dts-v20180330-{en,zh}/examples.json`), against the generated types:
//! each answer decodes with nothing lost, and each request's parameters read into the request
//! type and are sent back unchanged. The few examples that are broken in the reference itself are
//! named here, and must stay broken in exactly the way described, so nothing is skipped silently.

#![cfg(feature = "full-serde")]
// Decoded answers are written back to compare them with the examples, which needs `full-serde`
// (on in workspace builds, through `golden-compile`).

mod examples_support;

use std::path::PathBuf;

use examples_support::{DTS_ACTIONS, Verdict, check_dts_answer, check_dts_request};
use serde_json::Value;
use tencentcloud_codegen::tccli::{self, Source};

fn reference_dir(lang: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/reference")
        .join(format!("tccli-dts-v20180330-{lang}"))
}

fn read(lang: &str, file: &str) -> String {
    let path = reference_dir(lang).join(file);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()))
}

/// Every example of one language: `(action, title, input text, output text)`.
fn raw_examples(lang: &str) -> Vec<(String, String, String)> {
    let root: Value = serde_json::from_str(&read(lang, "examples.json")).unwrap();
    let mut all = Vec::new();
    for (action, list) in root["actions"].as_object().unwrap() {
        for example in list.as_array().unwrap() {
            all.push((
                action.clone(),
                example["title"].as_str().unwrap().trim().to_owned(),
                example["output"].as_str().unwrap().to_owned(),
            ));
        }
    }
    all
}

/// Known defects of the reference answers: `(language, action, title, what our decoder says)`.
const BROKEN_ANSWERS: &[(&str, &str, &str, &str)] = &[
    // Unescaped quotes inside a string.
    (
        "en",
        "DescribeMigrateCheckJob",
        "Getting the migration check result - 2",
        "not JSON",
    ),
    // An answer without a RequestId, which every real answer has.
    (
        "en",
        "DescribeAsyncRequestInfo",
        "Querying task execution result",
        "RequestId",
    ),
];

/// Known defects of the reference requests: `(language, action, title, why)`.
const BROKEN_REQUESTS: &[(&str, &str, &str, &str)] = &[(
    "en",
    "ModifySubscribeVipVport",
    "Modifying the IP and port number of data subscription instance",
    "DstVip is not a member",
)];

#[test]
fn every_reference_answer_decodes_with_nothing_lost() {
    for (lang, expected) in [("en", 24), ("zh", 25)] {
        let examples = raw_examples(lang);
        assert_eq!(
            examples.len(),
            expected,
            "{lang}: examples in the reference"
        );
        let mut decoded = 0;
        let mut broken = Vec::new();
        for (action, title, output) in &examples {
            assert!(
                DTS_ACTIONS.contains(&action.as_str()),
                "{lang}: the SDK lacks {action}"
            );
            let known = BROKEN_ANSWERS
                .iter()
                .find(|(l, a, t, _)| *l == lang && a == action && t == title);
            let outcome = match serde_json::from_str::<Value>(output) {
                Err(err) => Err(format!("not JSON: {err}")),
                Ok(output) => check_answer(action, &output),
            };
            match (outcome, known) {
                (Ok(()), None) => decoded += 1,
                (Err(problem), Some((_, _, _, symptom))) => {
                    assert!(
                        problem.contains(symptom),
                        "{lang} {action} \"{title}\": expected {symptom:?} in {problem}"
                    );
                    broken.push(title.clone());
                }
                (Ok(()), Some(_)) => panic!(
                    "{lang} {action} \"{title}\" is listed as broken but decodes: update the list"
                ),
                (Err(problem), None) => panic!("{lang} {action} \"{title}\": {problem}"),
            }
        }
        let listed = BROKEN_ANSWERS.iter().filter(|(l, ..)| *l == lang).count();
        assert_eq!(broken.len(), listed, "{lang}: broken answers {broken:?}");
        println!(
            "{lang}: {decoded} answers decoded, {} known broken",
            broken.len()
        );
    }
}

fn check_answer(action: &str, output: &Value) -> Result<(), String> {
    match check_dts_answer(action, output)? {
        Verdict::Decoded => Ok(()),
        Verdict::ServiceError(code) => Err(format!("an error answer ({code})")),
    }
}

#[test]
fn every_reference_request_reads_into_the_request_type() {
    for (lang, expected) in [("en", 24), ("zh", 25)] {
        let api = read(lang, "api.json");
        let examples = read(lang, "examples.json");
        let requests = tccli::request_examples(
            Source {
                display: "api.json",
                text: &api,
            },
            Source {
                display: "examples.json",
                text: &examples,
            },
        )
        .unwrap();
        assert_eq!(
            requests.len(),
            expected,
            "{lang}: examples in the reference"
        );
        let mut accepted = 0;
        for request in &requests {
            let known = BROKEN_REQUESTS
                .iter()
                .find(|(l, a, t, _)| *l == lang && *a == request.action && *t == request.title);
            match (&request.parameters, known) {
                (Ok(parameters), None) => {
                    let parameters = Value::Object(parameters.clone());
                    check_dts_request(&request.action, &parameters).unwrap_or_else(|problem| {
                        panic!("{lang} {} \"{}\": {problem}", request.action, request.title)
                    });
                    accepted += 1;
                }
                (Err(problem), Some((_, _, _, why))) => {
                    let member = why.split(' ').next().unwrap();
                    assert!(problem.contains(member), "{lang}: {problem}");
                }
                (Ok(_), Some(_)) => panic!(
                    "{lang} {} \"{}\" is listed as broken but reads: update the list",
                    request.action, request.title
                ),
                (Err(problem), None) => {
                    panic!("{lang} {} \"{}\": {problem}", request.action, request.title)
                }
            }
        }
        let listed = BROKEN_REQUESTS.iter().filter(|(l, ..)| *l == lang).count();
        assert_eq!(accepted + listed, requests.len(), "{lang}");
        println!("{lang}: {accepted} requests accepted, {listed} known broken");
    }
}
