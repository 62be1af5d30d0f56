//! Property tests of the response decoder and the signer.
//!
//! They run with `cargo test` for a bounded number of cases (256 per property, or
//! `PROPTEST_CASES`), without saving failures to disk; the cargo-fuzz targets in `fuzz/` explore
//! the same ground for as long as one cares to let them.
//!
//! - Decoding: raw bytes, JSON-looking token soup, random JSON, random envelopes and the spec's
//!   example answers with random changes, under random HTTP statuses, give a value or an error,
//!   never a panic; errors show their parts and keep their message within a bound.
//! - Round trips: a random `DescribeMigrateCheckJob` answer decodes to exactly its values, and a
//!   random `Error` envelope to a service error with its code, message and RequestId.
//! - Signing: any input signs without a panic into a well-formed header, the same every time;
//!   one changed payload byte or key character changes the signature; the scope's date is the
//!   timestamp's UTC day, worked out here in a way of our own.

use std::sync::LazyLock;

use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::Config as ProptestConfig;
use serde_json::{Map, Value};
use tencentcloud_sdk::dts::v20180330::{
    CheckFlag, DescribeMigrateCheckJob, DescribeMigrateCheckJobError, DescribeMigrateJobs,
    DescribeSubscribes, MigrateCheckStatus,
};
use tencentcloud_sdk::runtime::{Action, decode_response};
use tencentcloud_sdk::signer::{self, ALGORITHM, SIGNED_HEADERS, SigningInput};
use tencentcloud_sdk::{Credentials, SdkError};

/// 256 cases per property unless `PROPTEST_CASES` asks for another number; nothing is written to
/// disk when a case fails (the failing input is in the panic message).
fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|cases| cases.parse().ok())
        .unwrap_or(256);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

// ---------------------------------------------------------------------------------------------
// Decoding
// ---------------------------------------------------------------------------------------------

/// The most characters of the body an unusable answer keeps: 200 and an ellipsis.
const EXCERPT_MAX_CHARS: usize = 201;
/// The longest message an unusable answer may give: 301 characters of explanation and 101 of
/// RequestId at up to 4 bytes each, 201 excerpt characters Debug-escaped at up to 10 bytes each,
/// and some fixed text.
const MESSAGE_MAX_BYTES: usize = 4096;

/// Member names the decoder or the answers know, so that random objects hit them often.
const MEMBER_NAMES: &[&str] = &[
    "Response",
    "Error",
    "Code",
    "Message",
    "RequestId",
    "Status",
    "Progress",
    "CheckFlag",
    "ErrorCode",
    "ErrorMessage",
    "TotalCount",
    "JobList",
    "JobId",
    "JobName",
    "MigrateOption",
    "SrcInfo",
    "DstInfo",
    "Detail",
    "StepInfo",
    "ErrorInfo",
    "Tags",
    "TagKey",
    "TagValue",
    "SrcInfoMulti",
    "SubscribeId",
    "Port",
];

/// Spec examples of the answers the decode properties use, one list per action.
struct Examples {
    check_job: Vec<Value>,
    migrate_jobs: Vec<Value>,
    subscribes: Vec<Value>,
}

static EXAMPLES: LazyLock<Examples> = LazyLock::new(|| {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../api-spec/dts/2018-03-30.json"
    );
    let text = std::fs::read_to_string(path).expect("the DTS spec is readable");
    let spec: Value = serde_json::from_str(&text).expect("the DTS spec is JSON");
    let outputs = |name: &str| -> Vec<Value> {
        let action = spec["actions"]
            .as_array()
            .expect("the spec lists actions")
            .iter()
            .find(|action| action["name"] == name)
            .unwrap_or_else(|| panic!("{name} is in the spec"));
        let outputs: Vec<Value> = action["examples"]
            .as_array()
            .expect("the action has examples")
            .iter()
            .map(|example| example["output"].clone())
            .collect();
        assert!(!outputs.is_empty(), "{name} has an example answer");
        outputs
    };
    Examples {
        check_job: outputs("DescribeMigrateCheckJob"),
        migrate_jobs: outputs("DescribeMigrateJobs"),
        subscribes: outputs("DescribeSubscribes"),
    }
});

/// Strings that are sometimes a known name or enum value and otherwise any Unicode at all.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => any::<String>(),
        1 => prop::sample::select(MEMBER_NAMES).prop_map(str::to_owned),
        1 => prop::sample::select(&["finished", "running", "unavailable", "starting", "mysql",
            "cdb", "extranet", "ASC", "DESC", "", "0", "100", "\u{7f}", "\\", "\u{0}"][..])
            .prop_map(str::to_owned),
    ]
}

fn member_name() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(MEMBER_NAMES).prop_map(str::to_owned),
        1 => any::<String>(),
    ]
}

/// Any JSON value, nested a few levels, with numbers at the edges of the integer types.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        prop::sample::select(&[0, 1, 3, -1, i64::MIN, i64::MAX][..]).prop_map(Value::from),
        any::<f64>().prop_filter_map("finite", |f| {
            serde_json::Number::from_f64(f).map(Value::Number)
        }),
        text().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((member_name(), inner), 0..6)
                .prop_map(|members| Value::Object(members.into_iter().collect())),
        ]
    })
}

/// One random change to a JSON document, at a random place in it.
#[derive(Debug, Clone)]
enum Change {
    Replace(Value),
    Remove,
    Insert(String, Value),
    Repeat,
}

fn change() -> impl Strategy<Value = (Vec<Index>, Change)> {
    let kind = prop_oneof![
        3 => json_value().prop_map(Change::Replace),
        2 => Just(Change::Remove),
        1 => (member_name(), json_value()).prop_map(|(name, value)| Change::Insert(name, value)),
        1 => Just(Change::Repeat),
    ];
    (prop::collection::vec(any::<Index>(), 0..6), kind)
}

/// Walks down `path` (each index picks a member or an element) and applies `change` where the
/// path ends or the document has nothing deeper.
fn apply(value: &mut Value, path: &[Index], change: &Change) {
    let Some((step, rest)) = path.split_first() else {
        apply_here(value, change);
        return;
    };
    match value {
        Value::Object(map) if !map.is_empty() => {
            let key = map
                .keys()
                .nth(step.index(map.len()))
                .cloned()
                .expect("the index is in range");
            match change {
                Change::Remove if rest.is_empty() => {
                    map.remove(&key);
                }
                _ => apply(map.get_mut(&key).expect("the key exists"), rest, change),
            }
        }
        Value::Array(items) if !items.is_empty() => {
            let at = step.index(items.len());
            match change {
                Change::Remove if rest.is_empty() => {
                    items.remove(at);
                }
                _ => apply(&mut items[at], rest, change),
            }
        }
        _ => apply_here(value, change),
    }
}

fn apply_here(value: &mut Value, change: &Change) {
    match change {
        Change::Replace(new) => *value = new.clone(),
        Change::Remove => *value = Value::Null,
        Change::Insert(name, new) => {
            if let Value::Object(map) = value {
                map.insert(name.clone(), new.clone());
            } else {
                *value = Value::Object(Map::from_iter([(name.clone(), new.clone())]));
            }
        }
        Change::Repeat => match value {
            Value::Array(items) if !items.is_empty() => items.push(items[0].clone()),
            _ => *value = Value::Array(vec![value.clone(), value.clone()]),
        },
    }
}

/// What is done to the serialized text afterwards: nothing, cut it short, or overwrite a byte.
#[derive(Debug, Clone)]
enum Damage {
    None,
    Truncate(Index),
    Overwrite(Index, u8),
}

fn damage() -> impl Strategy<Value = Damage> {
    prop_oneof![
        4 => Just(Damage::None),
        1 => any::<Index>().prop_map(Damage::Truncate),
        1 => (any::<Index>(), any::<u8>()).prop_map(|(at, byte)| Damage::Overwrite(at, byte)),
    ]
}

fn damaged(mut bytes: Vec<u8>, damage: &Damage) -> Vec<u8> {
    match damage {
        Damage::None => {}
        Damage::Truncate(at) => bytes.truncate(at.index(bytes.len() + 1)),
        Damage::Overwrite(at, byte) if !bytes.is_empty() => {
            let at = at.index(bytes.len());
            bytes[at] = *byte;
        }
        Damage::Overwrite(..) => bytes.push(0),
    }
    bytes
}

/// A spec example answer of one of the three actions, changed a few times, then maybe damaged.
fn changed_example() -> impl Strategy<Value = Vec<u8>> {
    (
        0..3usize,
        any::<Index>(),
        prop::collection::vec(change(), 0..3),
        damage(),
    )
        .prop_map(|(action, example, changes, damage)| {
            let examples = match action {
                0 => &EXAMPLES.check_job,
                1 => &EXAMPLES.migrate_jobs,
                _ => &EXAMPLES.subscribes,
            };
            let mut answer = examples[example.index(examples.len())].clone();
            for (path, change) in &changes {
                // Changes start below `Response` most of the time: that is where the types are.
                match answer.get_mut("Response") {
                    Some(response) if !path.is_empty() => apply(response, path, change),
                    _ => apply(&mut answer, path, change),
                }
            }
            damaged(
                serde_json::to_vec(&answer).expect("a Value serializes"),
                &damage,
            )
        })
}

/// An `Error` member: mostly `Code` and `Message` strings (and maybe more), sometimes anything.
fn error_member() -> impl Strategy<Value = Value> {
    prop_oneof![
        3 => (text(), text(), prop::collection::vec((member_name(), json_value()), 0..2))
            .prop_map(|(code, message, extra)| {
                let mut error: Map<String, Value> = extra.into_iter().collect();
                error.insert("Code".to_owned(), Value::from(code));
                error.insert("Message".to_owned(), Value::from(message));
                Value::Object(error)
            }),
        1 => json_value(),
    ]
}

/// `{"Response": {...}}` with random members, some of them the known ones, and maybe an `Error`.
fn random_envelope() -> impl Strategy<Value = Vec<u8>> {
    (
        prop::collection::vec((member_name(), json_value()), 0..8),
        prop::option::of(error_member()),
        damage(),
    )
        .prop_map(|(members, error, damage)| {
            let mut response: Map<String, Value> = members.into_iter().collect();
            if let Some(error) = error {
                response.insert("Error".to_owned(), error);
            }
            let answer = serde_json::json!({ "Response": response });
            damaged(
                serde_json::to_vec(&answer).expect("a Value serializes"),
                &damage,
            )
        })
}

/// Fragments of JSON glued in any order: mostly invalid, sometimes nearly right.
fn token_soup() -> impl Strategy<Value = Vec<u8>> {
    const TOKENS: &[&str] = &[
        "{",
        "}",
        "[",
        "]",
        ":",
        ",",
        "\"",
        " ",
        "\n",
        "null",
        "true",
        "false",
        "0",
        "-1",
        "1e999",
        "18446744073709551616",
        "0.5",
        "\"Response\"",
        "\"Error\"",
        "\"Code\"",
        "\"Message\"",
        "\"RequestId\"",
        "\"Status\"",
        "\"JobList\"",
        "\"x\"",
        "\\u0000",
        "\\ud800",
        "\\",
        "é",
        "\u{7f}",
        "\u{0}",
    ];
    prop::collection::vec(prop::sample::select(TOKENS), 0..48)
        .prop_map(|tokens| tokens.concat().into_bytes())
}

fn any_body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        1 => prop::collection::vec(any::<u8>(), 0..512),
        1 => token_soup(),
        1 => json_value().prop_map(|value| serde_json::to_vec(&value).expect("a Value serializes")),
        2 => random_envelope(),
        3 => changed_example(),
    ]
}

fn http_status() -> impl Strategy<Value = u16> {
    prop_oneof![
        3 => Just(200u16),
        1 => prop::sample::select(&[0u16, 400, 404, 500, 502, 503, 504, u16::MAX][..]),
        1 => any::<u16>(),
    ]
}

/// Decodes `body` as an answer to `A` and checks what any outcome must satisfy.
fn decodes_or_errs<A: Action>(status: u16, body: &[u8]) -> Result<(), TestCaseError> {
    let err = match decode_response::<A>(status, body) {
        Ok(_) => {
            prop_assert_eq!(status, 200, "only a 200 answer gives a value");
            return Ok(());
        }
        Err(err) => err,
    };
    let shown = err.to_string();
    match &err {
        SdkError::Service(service) => {
            prop_assert!(shown.contains(service.code()));
            prop_assert!(shown.contains(service.message()));
            prop_assert!(shown.contains(service.request_id()));
            prop_assert_eq!(service.http_status(), status);
            // Code, message and RequestId are decoded strings, never longer than their JSON.
            prop_assert!(shown.len() <= body.len() + 128, "{}", shown);
        }
        SdkError::InvalidResponse(invalid) => {
            prop_assert_eq!(invalid.http_status(), status);
            prop_assert!(invalid.body_excerpt().chars().count() <= EXCERPT_MAX_CHARS);
            // The excerpt, serde's explanation and the RequestId are each clipped, so the message
            // has a fixed bound whatever the body's length.
            prop_assert!(
                shown.len() <= MESSAGE_MAX_BYTES,
                "{} bytes of message for {} bytes of body",
                shown.len(),
                body.len()
            );
        }
        other => {
            return Err(TestCaseError::fail(format!(
                "decoding gave another kind of error: {other:?}"
            )));
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_body_decodes_to_a_value_or_an_error(status in http_status(), body in any_body()) {
        decodes_or_errs::<DescribeMigrateCheckJob>(status, &body)?;
        decodes_or_errs::<DescribeMigrateJobs>(status, &body)?;
        decodes_or_errs::<DescribeSubscribes>(status, &body)?;
    }

    #[test]
    fn a_check_job_answer_decodes_to_its_values(
        status in prop_oneof![
            4 => prop::sample::select(&["unavailable", "starting", "running", "finished"][..])
                .prop_map(str::to_owned),
            1 => any::<String>(),
        ],
        progress in any::<String>(),
        check_flag in prop_oneof![prop::sample::select(&[0i64, 1, 3][..]), any::<i64>()],
        error_code in any::<i64>(),
        error_message in any::<String>(),
        request_id in any::<String>(),
        extra in prop::collection::vec(("[a-z]{1,12}", json_value()), 0..3),
        order in Just((0..6).collect::<Vec<usize>>()).prop_shuffle(),
    ) {
        let known = [
            ("Status", Value::from(status.clone())),
            ("Progress", Value::from(progress.clone())),
            ("CheckFlag", Value::from(check_flag)),
            ("ErrorCode", Value::from(error_code)),
            ("ErrorMessage", Value::from(error_message.clone())),
            ("RequestId", Value::from(request_id.clone())),
        ];
        // The members in a random order, with a few unknown ones between them (the decoder must
        // ignore them); written by hand so that the order is the one chosen.
        let mut members: Vec<String> = order
            .iter()
            .map(|&at| format!("{}:{}", Value::from(known[at].0), known[at].1))
            .collect();
        for (position, (name, value)) in extra.iter().enumerate() {
            members.insert(position * 2 % (members.len() + 1), format!("{}:{value}", Value::from(name.as_str())));
        }
        let body = format!("{{\"Response\":{{{}}}}}", members.join(","));

        let answer = decode_response::<DescribeMigrateCheckJob>(200, body.as_bytes())
            .map_err(|err| TestCaseError::fail(format!("{err}\n{body}")))?;
        prop_assert_eq!(answer.status.as_str(), status.as_str());
        prop_assert_eq!(&answer.status, &MigrateCheckStatus::from(status.as_str()));
        prop_assert_eq!(&answer.progress, &progress);
        prop_assert_eq!(answer.check_flag.value(), check_flag);
        prop_assert_eq!(&answer.check_flag, &CheckFlag::from(check_flag));
        prop_assert_eq!(answer.error_code, error_code);
        prop_assert_eq!(&answer.error_message, &error_message);
        prop_assert_eq!(&answer.request_id, &request_id);
    }

    #[test]
    fn an_error_answer_decodes_to_a_service_error(
        code in prop_oneof![
            prop::sample::select(&["ResourceNotFound.JobNotExist", "InternalError.DatabaseError",
                "RequestLimitExceeded", "AuthFailure.SignatureFailure", "InternalError"][..])
                .prop_map(str::to_owned),
            any::<String>(),
        ],
        message in any::<String>(),
        request_id in any::<String>(),
        status in http_status(),
        with_output in any::<bool>(),
    ) {
        let mut response = serde_json::json!({
            "Error": { "Code": code, "Message": message },
            "RequestId": request_id,
        });
        if with_output {
            // An error next to the members of a success: the error wins.
            response["Status"] = Value::from("finished");
            response["CheckFlag"] = Value::from(1);
        }
        let body = serde_json::to_vec(&serde_json::json!({ "Response": response }))
            .expect("a Value serializes");

        let err = match decode_response::<DescribeMigrateCheckJob>(status, &body) {
            Err(SdkError::Service(err)) => err,
            other => return Err(TestCaseError::fail(format!("not a service error: {other:?}"))),
        };
        prop_assert_eq!(err.code(), code.as_str());
        prop_assert_eq!(err.message(), message.as_str());
        prop_assert_eq!(err.request_id(), request_id.as_str());
        prop_assert_eq!(err.http_status(), status);
        prop_assert_eq!(err.kind().code(), code.as_str());
        if code == "ResourceNotFound.JobNotExist" {
            prop_assert_eq!(err.kind(), &DescribeMigrateCheckJobError::ResourceNotFoundJobNotExist);
        }
        let shown = err.to_string();
        prop_assert!(shown.contains(&code), "{}", shown);
        prop_assert!(shown.contains(&message), "{}", shown);
        prop_assert!(shown.contains(&request_id), "{}", shown);
        prop_assert!(shown.starts_with("DescribeMigrateCheckJob failed with "), "{}", shown);
    }
}

// ---------------------------------------------------------------------------------------------
// Signing
// ---------------------------------------------------------------------------------------------

/// The last second of 9999-12-31, the end of four-digit years.
const LAST_FOUR_DIGIT_SECOND: u64 = 253_402_300_799;

#[derive(Debug, Clone)]
struct SignerInput {
    secret_id: String,
    secret_key: String,
    token: String,
    service: String,
    host: String,
    method: String,
    content_type: String,
    canonical_query: String,
    payload: Vec<u8>,
    timestamp: u64,
}

impl SignerInput {
    fn sign_with(&self, credentials: &Credentials) -> signer::SigningSteps {
        signer::sign(&SigningInput {
            credentials,
            service: &self.service,
            host: &self.host,
            method: &self.method,
            content_type: &self.content_type,
            canonical_query: &self.canonical_query,
            payload: &self.payload,
            timestamp: self.timestamp,
        })
    }
}

fn signer_input() -> impl Strategy<Value = SignerInput> {
    let realistic = |pattern: &'static str| prop_oneof![1 => any::<String>(), 1 => pattern].boxed();
    (
        (
            realistic("AKID[A-Za-z0-9]{0,32}"),
            realistic("[A-Za-z0-9]{0,40}"),
            any::<String>(),
            realistic("[a-z]{1,12}"),
            realistic("[a-z]{1,12}\\.tencentcloudapi\\.com(:[0-9]{1,5})?"),
        ),
        (
            realistic("POST|GET"),
            realistic("application/json|application/x-www-form-urlencoded"),
            realistic("([A-Za-z]{1,8}=[A-Za-z0-9%]{0,8}&?){0,4}"),
            prop::collection::vec(any::<u8>(), 0..256),
            prop_oneof![
                4 => 0..=LAST_FOUR_DIGIT_SECOND,
                1 => any::<u64>(),
                1 => prop::sample::select(&[0, LAST_FOUR_DIGIT_SECOND, LAST_FOUR_DIGIT_SECOND + 1,
                    i64::MAX as u64, u64::MAX - 86_399, u64::MAX][..]),
            ],
        ),
    )
        .prop_map(
            |(
                (secret_id, secret_key, token, service, host),
                (method, content_type, canonical_query, payload, timestamp),
            )| SignerInput {
                secret_id,
                secret_key,
                token,
                service,
                host,
                method,
                content_type,
                canonical_query,
                payload,
                timestamp,
            },
        )
}

fn is_lower_hex_64(text: &str) -> bool {
    text.len() == 64
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

fn is_leap_year(year: u64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn month_lengths(year: u64) -> [u64; 12] {
    let february = if is_leap_year(year) { 29 } else { 28 };
    [31, february, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
}

/// Days from 1970-01-01 to the given date: 365 a year, one more for each leap day passed, then
/// the months of the year so far.
fn days_from_civil(year: u64, month: u64, day: u64) -> u64 {
    let leap_days_before = |year: u64| {
        let y = year - 1;
        y / 4 - y / 100 + y / 400
    };
    let whole_years = 365 * (year - 1970) + leap_days_before(year) - leap_days_before(1970);
    let whole_months: u64 = month_lengths(year)[..(month - 1) as usize].iter().sum();
    whole_years + whole_months + day - 1
}

/// The UTC date of a timestamp, counted year by year and month by month from 1970.
fn utc_date_by_counting(timestamp: u64) -> (u64, u64, u64) {
    let mut days = timestamp / 86_400;
    let mut year = 1970;
    loop {
        let length = if is_leap_year(year) { 366 } else { 365 };
        if days < length {
            break;
        }
        days -= length;
        year += 1;
    }
    let mut month = 1;
    for length in month_lengths(year) {
        if days < length {
            break;
        }
        days -= length;
        month += 1;
    }
    (year, month, days + 1)
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_input_signs_into_a_well_formed_header(input in signer_input()) {
        let credentials = Credentials::new(input.secret_id.as_str(), input.secret_key.as_str());
        let steps = input.sign_with(&credentials);

        prop_assert!(is_lower_hex_64(&steps.signature), "{:?}", steps.signature);
        let prefix = format!("{ALGORITHM} Credential={}/", input.secret_id);
        prop_assert!(steps.authorization.starts_with(&prefix), "{}", steps.authorization);
        prop_assert!(steps.authorization.contains("SignedHeaders=content-type;host"));
        prop_assert_eq!(
            &steps.authorization,
            &format!(
                "{prefix}{}, SignedHeaders={SIGNED_HEADERS}, Signature={}",
                steps.credential_scope, steps.signature
            )
        );
        let date = signer::utc_date(input.timestamp);
        prop_assert_eq!(
            &steps.credential_scope,
            &format!("{date}/{}/tc3_request", input.service)
        );
        let hashed = steps
            .string_to_sign
            .strip_prefix(&format!("{ALGORITHM}\n{}\n{}\n", input.timestamp, steps.credential_scope));
        prop_assert!(hashed.is_some_and(is_lower_hex_64), "{:?}", steps.string_to_sign);

        // The same input, the same signature; the token is not signed.
        prop_assert_eq!(&input.sign_with(&credentials), &steps);
        let with_token = credentials.clone().with_token(input.token.as_str());
        prop_assert_eq!(&input.sign_with(&with_token), &steps);
        let header = signer::authorization(&SigningInput {
            credentials: &credentials,
            service: &input.service,
            host: &input.host,
            method: &input.method,
            content_type: &input.content_type,
            canonical_query: &input.canonical_query,
            payload: &input.payload,
            timestamp: input.timestamp,
        });
        prop_assert_eq!(header, steps.authorization);
    }

    #[test]
    fn one_changed_payload_byte_changes_the_signature(
        input in signer_input(),
        at in any::<Index>(),
        flip in 1..=u8::MAX,
    ) {
        let credentials = Credentials::new(input.secret_id.as_str(), input.secret_key.as_str());
        let before = input.sign_with(&credentials);
        let mut changed = input.clone();
        if changed.payload.is_empty() {
            changed.payload.push(flip);
        } else {
            let at = at.index(changed.payload.len());
            changed.payload[at] ^= flip;
        }
        let after = changed.sign_with(&credentials);
        prop_assert_ne!(&after.signature, &before.signature);
        prop_assert_ne!(&after.canonical_request, &before.canonical_request);
        prop_assert_eq!(&after.credential_scope, &before.credential_scope);
    }

    #[test]
    fn one_changed_key_character_changes_the_signature(
        input in signer_input(),
        at in any::<Index>(),
        replacement in any::<char>(),
    ) {
        let credentials = Credentials::new(input.secret_id.as_str(), input.secret_key.as_str());
        let before = input.sign_with(&credentials);
        let mut key: Vec<char> = input.secret_key.chars().collect();
        if key.is_empty() {
            // Not a NUL: HMAC pads short keys with zero bytes, so a key and the same key with a
            // NUL added at the end sign alike (`""` and `"\0"`, say). Changing a character in
            // place has no such twin.
            key.push(if replacement == '\0' { 'k' } else { replacement });
        } else {
            // Flipping the lowest bit of a scalar value never lands on a surrogate.
            let at = at.index(key.len());
            key[at] = if key[at] == replacement {
                char::from_u32(u32::from(replacement) ^ 1).expect("a scalar value")
            } else {
                replacement
            };
        }
        let key: String = key.into_iter().collect();
        prop_assert_ne!(&key, &input.secret_key);
        let after = input.sign_with(&Credentials::new(input.secret_id.as_str(), key.as_str()));
        prop_assert_ne!(&after.signature, &before.signature);
        // Only the last step depends on the key.
        prop_assert_eq!(&after.string_to_sign, &before.string_to_sign);
    }

    #[test]
    fn the_scope_date_is_the_utc_day_of_the_timestamp(
        timestamp in 0..=LAST_FOUR_DIGIT_SECOND,
        service in "[a-z]{1,8}",
    ) {
        let (year, month, day) = utc_date_by_counting(timestamp);
        prop_assert_eq!(days_from_civil(year, month, day), timestamp / 86_400);
        let expected = format!("{year:04}-{month:02}-{day:02}");
        prop_assert_eq!(signer::utc_date(timestamp), expected.as_str());

        let credentials = Credentials::new("AKIDEXAMPLE", "key");
        let steps = signer::sign(&SigningInput {
            credentials: &credentials,
            service: &service,
            host: "dts.tencentcloudapi.com",
            method: "POST",
            content_type: "application/json",
            canonical_query: "",
            payload: b"{}",
            timestamp,
        });
        prop_assert_eq!(steps.credential_scope, format!("{expected}/{service}/tc3_request"));
    }
}

#[test]
fn dates_at_the_edges_of_the_range() {
    for (timestamp, date) in [
        (0, "1970-01-01"),
        (86_399, "1970-01-01"),
        (951_782_400, "2000-02-29"),
        (4_107_542_399, "2100-02-28"),
        (4_107_542_400, "2100-03-01"),
        (LAST_FOUR_DIGIT_SECOND, "9999-12-31"),
        (LAST_FOUR_DIGIT_SECOND + 1, "10000-01-01"),
    ] {
        let (year, month, day) = utc_date_by_counting(timestamp);
        assert_eq!(format!("{year:04}-{month:02}-{day:02}"), date);
        assert_eq!(signer::utc_date(timestamp), date);
    }
    // Far beyond: more digits in the year, no panic, and still the right day.
    let last = signer::utc_date(u64::MAX);
    let mut parts = last.split('-').map(|part| part.parse::<u64>().unwrap());
    let (year, month, day) = (
        parts.next().unwrap(),
        parts.next().unwrap(),
        parts.next().unwrap(),
    );
    assert_eq!(
        days_from_civil(year, month, day),
        u64::MAX / 86_400,
        "{last}"
    );
}
