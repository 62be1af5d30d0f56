//! Checks one DTS example against the generated types, by action name: the request parameters
//! must read into the request type and write back unchanged, and the answer must decode, keeping
//! every value it holds (written back with the `full-serde` feature, the decoded answer is the
//! example's).

// Each test binary uses a different part of this module.
#![allow(dead_code)]

use serde::Serialize;
use serde_json::Value;
use tencentcloud_sdk::SdkError;
use tencentcloud_sdk::dts::v20180330 as dts;
use tencentcloud_sdk::runtime::{Action, Request, decode_response};

/// What checking one example found.
#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    /// A successful answer that decoded with nothing lost.
    Decoded,
    /// An error answer that decoded into the action's error enum with this code.
    ServiceError(String),
}

macro_rules! dts_actions {
    ($($name:ident),* $(,)?) => {
        /// Every action of DTS 2018-03-30 the SDK generates, by wire name.
        pub const DTS_ACTIONS: &[&str] = &[$(stringify!($name)),*];

        /// Checks request parameters against the request type of `action`.
        pub fn check_dts_request(action: &str, input: &Value) -> Result<(), String> {
            $(
                if action == stringify!($name) {
                    return check_request::<dts::$name>(input);
                }
            )*
            Err(format!("the SDK has no DTS action named {action}"))
        }

        /// Checks an answer against the response and error types of `action`.
        pub fn check_dts_answer(action: &str, output: &Value) -> Result<Verdict, String> {
            $(
                if action == stringify!($name) {
                    return check_answer::<dts::$name>(output);
                }
            )*
            Err(format!("the SDK has no DTS action named {action}"))
        }
    };
}

/// Checks both halves of an example of `action`.
pub fn check_dts_example(action: &str, input: &Value, output: &Value) -> Result<Verdict, String> {
    check_dts_request(action, input)?;
    check_dts_answer(action, output)
}

dts_actions! {
    ActivateSubscribe,
    CompleteMigrateJob,
    CreateMigrateCheckJob,
    CreateMigrateJob,
    CreateSubscribe,
    DeleteMigrateJob,
    DescribeAsyncRequestInfo,
    DescribeMigrateCheckJob,
    DescribeMigrateJobs,
    DescribeSubscribeConf,
    DescribeSubscribes,
    IsolateSubscribe,
    ModifyMigrateJob,
    ModifySubscribeAutoRenewFlag,
    ModifySubscribeConsumeTime,
    ModifySubscribeName,
    ModifySubscribeObjects,
    ModifySubscribeVipVport,
    OfflineIsolatedSubscribe,
    ResetSubscribe,
    StartMigrateJob,
    StopMigrateJob,
}

fn check_request<A: Action>(input: &Value) -> Result<(), String> {
    let request: Request<A> = serde_json::from_value(input.clone())
        .map_err(|err| format!("the request type refuses the parameters: {err}"))?;
    if let Some(missing) = A::INFO
        .required
        .iter()
        .find(|name| !request.params().contains(name))
    {
        return Err(format!("the parameters lack the required member {missing}"));
    }
    let sent = serde_json::to_value(&request).map_err(|err| err.to_string())?;
    if sent != *input {
        return Err(format!(
            "the request does not send what the example gives:\n  example: {input}\n  sent:    {sent}"
        ));
    }
    Ok(())
}

fn check_answer<R>(output: &Value) -> Result<Verdict, String>
where
    R: Action,
    R::Output: Serialize,
{
    let body = serde_json::to_vec(output).map_err(|err| err.to_string())?;
    match decode_response::<R>(200, &body) {
        Ok(answer) => {
            let kept = serde_json::to_value(&answer).map_err(|err| err.to_string())?;
            let given = without_nulls(&output["Response"]);
            if kept != given {
                return Err(format!(
                    "decoding lost or changed something:\n  answer:  {given}\n  decoded: {kept}"
                ));
            }
            Ok(Verdict::Decoded)
        }
        Err(SdkError::Service(err)) if output["Response"]["Error"].is_object() => {
            Ok(Verdict::ServiceError(err.code().to_owned()))
        }
        Err(err) => Err(format!("the answer does not decode: {err}")),
    }
}

/// `value` with every `null` object member removed: a decoded `None` is written back by leaving
/// the member out.
pub fn without_nulls(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), without_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_nulls).collect()),
        other => other.clone(),
    }
}
