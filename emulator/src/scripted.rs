//! Answers chosen by a test: per service and action, one answer, a sequence of them, or a
//! function of the call. The request still goes through every check of the gateway (signature,
//! clock, version, action, parameters, rate limit) first, so the code under test runs against
//! real signing and real HTTP, and only what the service answers is chosen.

use std::collections::VecDeque;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

use serde_json::{Map, Value};

use crate::backend::{Answer, ApiError, Call};
use crate::gateway::Served;

/// One answer of a scripted action: its members (without `RequestId`, which the emulator adds)
/// or a service error.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Reply {
    /// A successful answer with these members.
    Answer(Answer),
    /// An error answer with this code and message.
    Error(ApiError),
    /// A streamed answer (`text/event-stream`): one event per item, the members of an answer or
    /// an error event.
    Events(Vec<Result<Answer, ApiError>>),
}

impl Reply {
    /// A successful answer: `members` is the object that goes inside `Response` (a
    /// `{"Response": {...}}` wrapper is taken off, and a `RequestId` is replaced by a fresh one).
    /// Anything but an object answers an empty object.
    pub fn answer(members: Value) -> Self {
        let members = match members {
            Value::Object(mut object) => match object.remove("Response") {
                Some(Value::Object(inner)) if object.is_empty() => inner,
                Some(other) => {
                    object.insert("Response".to_owned(), other);
                    object
                }
                None => object,
            },
            _ => Map::new(),
        };
        Reply::Answer(members)
    }

    /// An error answer.
    pub fn error(code: impl Into<String>, message: impl Into<String>) -> Self {
        Reply::Error(ApiError::new(code, message))
    }

    /// A streamed answer of these events, in order (an `Events` among them adds its own).
    pub fn events(events: impl IntoIterator<Item = Reply>) -> Self {
        let mut flat = Vec::new();
        for event in events {
            match event {
                Reply::Answer(members) => flat.push(Ok(members)),
                Reply::Error(error) => flat.push(Err(error)),
                Reply::Events(inner) => flat.extend(inner),
            }
        }
        Reply::Events(flat)
    }

    /// Reads a reply as the `--answers` file writes it: `{"Error": {"Code": .., "Message": ..}}`
    /// for an error, `{"Events": [..]}` for a streamed answer of those replies, any other
    /// object for an answer's members.
    pub fn from_json(value: Value) -> Result<Self, String> {
        let Value::Object(object) = value else {
            return Err(format!("an answer must be a JSON object, not {value}"));
        };
        let inner = match object.get("Response") {
            Some(Value::Object(inner)) if object.len() == 1 => inner,
            _ => &object,
        };
        if let Some(events) = inner.get("Events") {
            let Value::Array(events) = events else {
                return Err(format!("Events must be a list, not {events}"));
            };
            let events = events
                .iter()
                .cloned()
                .map(Reply::from_json)
                .collect::<Result<Vec<_>, _>>()?;
            return Ok(Reply::events(events));
        }
        match inner.get("Error") {
            Some(Value::Object(error)) => {
                let code = error
                    .get("Code")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                if code.is_empty() {
                    return Err("an Error needs a Code".to_owned());
                }
                let message = error
                    .get("Message")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                Ok(Reply::error(code, message))
            }
            Some(other) => Err(format!("Error must be an object, not {other}")),
            None => Ok(Reply::answer(Value::Object(object))),
        }
    }

    /// What the gateway sends for it.
    pub(crate) fn into_served(self) -> Result<Served, ApiError> {
        match self {
            Reply::Answer(members) => Ok(Served::Answer(members)),
            Reply::Error(error) => Err(error),
            Reply::Events(events) => Ok(Served::Events(events)),
        }
    }
}

/// What a scripted action answers; see [`Builder::script`](crate::Builder::script) and
/// [`Emulator::script`](crate::Emulator::script).
///
/// ```
/// use serde_json::json;
/// use tencentcloud_emulator::{Reply, Script};
///
/// // Every DescribeInstances call lists one instance.
/// let listing = Script::always(Reply::answer(json!({
///     "TotalCount": 1,
///     "InstanceSet": [{"InstanceId": "ins-1"}],
/// })));
/// // Throttled twice, then answered as usual.
/// let flaky = Script::sequence([
///     Reply::error("RequestLimitExceeded", "slow down"),
///     Reply::error("RequestLimitExceeded", "slow down"),
/// ]);
/// // An answer made from the request.
/// let echo = Script::from_fn(|call| {
///     let id = call.params.get("JobId").cloned().unwrap_or_default();
///     Reply::answer(json!({"JobId": id}))
/// });
/// # let _ = (listing, flaky, echo);
/// ```
///
/// Scripted answers are not checked against the spec: a test may answer what the service would
/// never send, to see how the code under test copes.
#[derive(Clone)]
pub struct Script {
    kind: Kind,
}

#[derive(Clone)]
enum Kind {
    Always(Reply),
    /// The replies not used yet; once they are all used, the action answers as unscripted.
    Sequence(Arc<Mutex<VecDeque<Reply>>>),
    Function(Arc<dyn Fn(&Call<'_>) -> Reply + Send + Sync>),
}

impl Script {
    /// The same reply to every call.
    pub fn always(reply: Reply) -> Self {
        Self {
            kind: Kind::Always(reply),
        }
    }

    /// These replies, one per call in order; after the last one the action answers as it would
    /// without a script (its service's behaviour, or an answer made up from its spec).
    pub fn sequence(replies: impl IntoIterator<Item = Reply>) -> Self {
        Self {
            kind: Kind::Sequence(Arc::new(Mutex::new(replies.into_iter().collect()))),
        }
    }

    /// The reply `answer` gives for each call, from its parameters, region and account.
    pub fn from_fn(answer: impl Fn(&Call<'_>) -> Reply + Send + Sync + 'static) -> Self {
        Self {
            kind: Kind::Function(Arc::new(answer)),
        }
    }

    /// The reply to `call`, or `None` when the script has nothing more to say.
    pub(crate) fn reply(&self, call: &Call<'_>) -> Option<Reply> {
        let reply = match &self.kind {
            Kind::Always(reply) => reply.clone(),
            Kind::Sequence(replies) => replies
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .pop_front()?,
            Kind::Function(answer) => answer(call),
        };
        Some(reply)
    }

    /// Reads the scripts of an `--answers` file:
    /// `{"<service>": {"<Action>": <answer> | [<answer>, ...]}}`, where an answer is the members
    /// of a successful answer or `{"Error": {"Code": .., "Message": ..}}`, and a list is a
    /// [`sequence`](Self::sequence). Gives `(service, action, script)` in file order.
    pub fn parse_file(text: &str) -> Result<Vec<(String, String, Script)>, String> {
        let value: Value =
            serde_json::from_str(text).map_err(|err| format!("not valid JSON: {err}"))?;
        let Value::Object(services) = value else {
            return Err("the file must hold an object of services".to_owned());
        };
        let mut scripts = Vec::new();
        for (service, actions) in services {
            let Value::Object(actions) = actions else {
                return Err(format!("{service}: must be an object of actions"));
            };
            for (action, answers) in actions {
                let place = |err: String| format!("{service} {action}: {err}");
                let script = match answers {
                    Value::Array(list) => Script::sequence(
                        list.into_iter()
                            .map(Reply::from_json)
                            .collect::<Result<Vec<_>, _>>()
                            .map_err(place)?,
                    ),
                    one => Script::always(Reply::from_json(one).map_err(place)?),
                };
                scripts.push((service.clone(), action, script));
            }
        }
        Ok(scripts)
    }
}

impl fmt::Debug for Script {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            Kind::Always(reply) => f.debug_tuple("Always").field(reply).finish(),
            Kind::Sequence(replies) => {
                let left = replies.lock().unwrap_or_else(PoisonError::into_inner).len();
                f.debug_struct("Sequence").field("left", &left).finish()
            }
            Kind::Function(_) => f.write_str("Function"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::time::Instant;

    fn call(params: &Map<String, Value>) -> Call<'_> {
        Call {
            action: "DescribeInstances",
            params,
            region: "ap-guangzhou",
            account: "AKIDtest",
            now: Instant::now(),
            unix_time: 1_700_000_000,
        }
    }

    #[test]
    fn replies_read_answers_and_errors() {
        assert_eq!(
            Reply::from_json(json!({"TotalCount": 0})).unwrap(),
            Reply::answer(json!({"TotalCount": 0}))
        );
        assert_eq!(
            Reply::from_json(json!({"Response": {"TotalCount": 0, "RequestId": "r"}})).unwrap(),
            Reply::answer(json!({"TotalCount": 0, "RequestId": "r"}))
        );
        assert_eq!(
            Reply::from_json(json!({"Error": {"Code": "LimitExceeded", "Message": "no"}})).unwrap(),
            Reply::error("LimitExceeded", "no")
        );
        for bad in [
            json!([1]),
            json!({"Error": "x"}),
            json!({"Error": {"Message": "m"}}),
        ] {
            assert!(Reply::from_json(bad.clone()).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_sequence_runs_out_and_a_function_sees_the_call() {
        let params = Map::new();
        let script = Script::sequence([Reply::error("A", "1"), Reply::error("B", "2")]);
        let codes: Vec<Option<String>> = (0..3)
            .map(|_| {
                script.reply(&call(&params)).map(|reply| match reply {
                    Reply::Error(error) => error.code,
                    other => panic!("{other:?}"),
                })
            })
            .collect();
        assert_eq!(codes, [Some("A".into()), Some("B".into()), None]);

        let echo = Script::from_fn(|call| Reply::answer(json!({"Region": call.region})));
        assert_eq!(
            echo.reply(&call(&params)),
            Some(Reply::answer(json!({"Region": "ap-guangzhou"})))
        );
    }

    #[test]
    fn answer_files_are_read_with_their_place_in_errors() {
        let scripts = Script::parse_file(
            r#"{"cvm": {"DescribeInstances": {"TotalCount": 0, "InstanceSet": []},
                        "RunInstances": [{"Error": {"Code": "ResourceInsufficient", "Message": "m"}},
                                         {"InstanceIdSet": ["ins-1"]}]}}"#,
        )
        .unwrap();
        let names: Vec<_> = scripts
            .iter()
            .map(|(service, action, _)| format!("{service} {action}"))
            .collect();
        assert_eq!(names, ["cvm DescribeInstances", "cvm RunInstances"]);
        let err = Script::parse_file(r#"{"cvm": {"RunInstances": [{"Error": {}}]}}"#).unwrap_err();
        assert_eq!(err, "cvm RunInstances: an Error needs a Code");
        assert!(Script::parse_file("[]").is_err());
        assert!(
            Script::parse_file("{")
                .unwrap_err()
                .starts_with("not valid JSON")
        );
    }
}
