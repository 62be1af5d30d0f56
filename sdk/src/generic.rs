//! Calls of any action of any service version, named at run time, with JSON parameters.
//!
//! A [`GenericClient`] sends what the generated clients send, through the same runtime: the
//! same signing, endpoints, retries, rate limits, tracing span and errors. Use it for an
//! action this SDK does not have yet, a service whose feature is not enabled, or an action
//! chosen at run time (a command-line tool, a proxy).
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use serde_json::json;
//! use tencentcloud_sdk::Config;
//! use tencentcloud_sdk::generic::GenericClient;
//!
//! let config = Config::builder().region("ap-guangzhou").build()?;
//! let cvm = GenericClient::new(config, "cvm", "2017-03-12")?;
//! let answer = cvm
//!     .call("DescribeInstances")
//!     .params(json!({"Limit": 10}))
//!     .send()
//!     .await?;
//! println!("{} instances", answer["TotalCount"]);
//! # Ok(())
//! # }
//! ```
//!
//! The answer is the `Response` object as JSON (its `RequestId` included), or any
//! `Deserialize` type with [`GenericCall::send_as`]. Errors are [`SdkError`]s whose kind is a
//! [`GenericError`]: [`CommonError`](crate::CommonError) for the codes every action may return,
//! the code as it came otherwise.
//!
//! Whether a failed call may be sent again is decided as for generated actions whose spec says
//! nothing: actions named `Describe…`, `Get…`, `List…` or `Inquire…` only read and are safe to
//! repeat, and so is any request with a non-empty `ClientToken`. Say otherwise with
//! [`GenericCall::idempotent`].

use std::borrow::Cow;
use std::fmt;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::config::{Config, ConfigError};
use crate::error::{BuildError, GenericError, Name, SdkError};
use crate::runtime::decode::{diagnose, starts_with_brace};
use crate::runtime::handle::{Answer, Dispatch};
use crate::runtime::{CLIENT_TOKEN, Handle, Params, Sending, ServiceInfo, Streaming};

/// A client of one service version named at run time. Cheap to clone; clones share
/// connections.
#[derive(Debug, Clone)]
pub struct GenericClient {
    handle: Handle,
}

impl GenericClient {
    /// A client of `service` (its short name, `cvm`) at API `version` (`2017-03-12`), reached
    /// at `<service>.tencentcloudapi.com` unless the configuration says otherwise.
    ///
    /// Fails when the name is not a host label or the version not a date.
    pub fn new(
        config: Config,
        service: impl Into<Cow<'static, str>>,
        version: impl Into<Cow<'static, str>>,
    ) -> Result<Self, ConfigError> {
        Ok(Self::for_service(
            config,
            ServiceInfo::named(service, version)?,
        ))
    }

    /// A client of a service version described by a [`ServiceInfo`], such as a generated
    /// module's `SERVICE`.
    pub fn for_service(config: Config, service: ServiceInfo) -> Self {
        Self {
            handle: Handle::for_service(config, service),
        }
    }

    /// Starts a call of `action` (`DescribeInstances`), without parameters yet.
    pub fn call(&self, action: impl Into<Cow<'static, str>>) -> GenericCall {
        GenericCall {
            handle: self.handle.clone(),
            action: action.into(),
            params: Params::new(),
            fault: None,
            idempotent: None,
            rate_limit: None,
            signed: true,
        }
    }

    /// The handle requests go through.
    pub fn handle(&self) -> &Handle {
        &self.handle
    }
}

/// A generic call being prepared: parameters, then [`send`](Self::send).
///
/// A parameter that cannot be turned into JSON, or parameters that are not a JSON object, make
/// the call fail with [`SdkError::Build`] when it is sent, before anything leaves.
#[must_use = "nothing is sent until `send` is awaited"]
#[derive(Clone)]
pub struct GenericCall {
    handle: Handle,
    action: Name,
    params: Params,
    fault: Option<BuildError>,
    idempotent: Option<bool>,
    rate_limit: Option<u32>,
    signed: bool,
}

impl GenericCall {
    /// Sets every parameter from one value that serializes to a JSON object, such as
    /// `json!({"Limit": 10})` or a struct of your own; the parameters set before are dropped.
    pub fn params(mut self, params: impl Serialize) -> Self {
        match serde_json::to_value(params) {
            Ok(Value::Object(object)) => {
                self.params = Params::new();
                for (name, value) in object {
                    self.params.set(name, value);
                }
            }
            Ok(other) => {
                self.fault = Some(BuildError::invalid(
                    self.action.clone(),
                    format!(
                        "the parameters must be a JSON object, not {}",
                        json_kind(&other)
                    ),
                ));
            }
            Err(err) => {
                self.fault = Some(BuildError::invalid(
                    self.action.clone(),
                    format!("the parameters could not be serialized: {err}"),
                ));
            }
        }
        self
    }

    /// Sets the parameter `name` to `value`, replacing an earlier value.
    pub fn param(mut self, name: impl Into<Cow<'static, str>>, value: impl Serialize) -> Self {
        let name = name.into();
        match serde_json::to_value(value) {
            Ok(value) => self.params.set(name, value),
            Err(err) => {
                self.fault = Some(
                    BuildError::invalid(
                        self.action.clone(),
                        format!("could not be serialized: {err}"),
                    )
                    .at_member(name),
                );
            }
        }
        self
    }

    /// Sets the parameter `name` to a secret `value` (a password), which `Debug` never shows.
    pub fn secret_param(
        mut self,
        name: impl Into<Cow<'static, str>>,
        value: impl Into<String>,
    ) -> Self {
        self.params.set_secret(name, Value::String(value.into()));
        self
    }

    /// Says whether sending the request twice has the same effect as sending it once, instead
    /// of deciding it from the action's name (see the [module docs](self)).
    pub fn idempotent(mut self, idempotent: bool) -> Self {
        self.idempotent = Some(idempotent);
        self
    }

    /// Paces the calls of this action to at most `per_second` a second, as the runtime paces
    /// generated actions to their documented limits (with the configured
    /// [`RateLimits`](crate::RateLimits)).
    pub fn rate_limit(mut self, per_second: u32) -> Self {
        self.rate_limit = Some(per_second).filter(|rate| *rate > 0);
        self
    }

    /// Sends the request without a signature and without asking for credentials, as the few
    /// actions that make credentials from another proof of identity
    /// (`AssumeRoleWithWebIdentity`) require.
    pub fn unsigned(mut self) -> Self {
        self.signed = false;
        self
    }

    /// The parameters set so far.
    pub fn params_set(&self) -> &Params {
        &self.params
    }

    /// Sends the request; the answer is its `Response` object as JSON.
    pub fn send(self) -> Sending<Value, GenericError> {
        self.send_as::<Value>()
    }

    /// Sends the request and reads its `Response` object into `T`.
    pub fn send_as<T: DeserializeOwned + Send + 'static>(self) -> Sending<T, GenericError> {
        let action = self.action.clone();
        match self.dispatch(false, decode_json::<T>) {
            Ok(future) => Sending::new(action, future),
            Err(err) => Sending::failed(err),
        }
    }

    /// Sets `Stream` to `true` (unless it is set) and sends the request, giving the answer as a
    /// stream of events, each one's data as JSON; see
    /// [`EventStream`](crate::runtime::EventStream).
    pub fn send_stream(self) -> Streaming<Value, GenericError> {
        self.send_stream_as::<Value>()
    }

    /// Like [`send_stream`](Self::send_stream), reading each event's data into `T`.
    pub fn send_stream_as<T: DeserializeOwned + Send + 'static>(
        mut self,
    ) -> Streaming<T, GenericError> {
        if !self.params.contains("Stream") {
            self.params.set("Stream", Value::Bool(true));
        }
        let action = self.action.clone();
        match self.dispatch(true, decode_json::<T>) {
            Ok(future) => Streaming::new(action, future, decode_json_event::<T>),
            Err(err) => Streaming::new(
                err.structure().to_owned().into(),
                Box::pin(std::future::ready(Err(SdkError::Build(err)))),
                decode_json_event::<T>,
            ),
        }
    }

    fn dispatch(
        self,
        stream: bool,
        decoder: crate::runtime::handle::Decoder,
    ) -> Result<crate::runtime::handle::CallFuture, BuildError> {
        if let Some(fault) = self.fault {
            return Err(fault);
        }
        if !is_action_name(&self.action) {
            return Err(BuildError::invalid(
                self.action.clone(),
                "is not an action name (letters and digits, starting with a capital)".to_owned(),
            ));
        }
        let has_token = self
            .params
            .get(CLIENT_TOKEN)
            .and_then(Value::as_str)
            .is_some_and(|token| !token.is_empty());
        let idempotent = self
            .idempotent
            .unwrap_or_else(|| crate::runtime::is_read_action(&self.action));
        let how = Dispatch {
            action: self.action,
            rate_limit: self.rate_limit,
            signed: self.signed,
            multipart: false,
            safe_to_repeat: idempotent || has_token,
            stream,
        };
        self.handle.dispatch(how, &self.params, decoder)
    }
}

impl fmt::Debug for GenericCall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GenericCall")
            .field("service", &self.handle.service().name())
            .field("action", &self.action)
            .field("params", &self.params)
            .finish_non_exhaustive()
    }
}

/// Whether `name` can be an action: `DescribeInstances`, not an empty string, a header
/// injection or a path.
fn is_action_name(name: &str) -> bool {
    name.len() <= 128
        && name.bytes().next().is_some_and(|b| b.is_ascii_uppercase())
        && name.bytes().all(|b| b.is_ascii_alphanumeric())
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The `Response` object of an answer, when the body is `{"Response": {...}}`.
#[derive(serde::Deserialize)]
struct Envelope {
    #[serde(rename = "Response")]
    response: Option<Map<String, Value>>,
}

/// The decoder of generic answers: the `Response` object into `T`. Anything unusual (an
/// error, an error status, a body of another shape) is left to the diagnosis that generated
/// answers get, so the errors are the same.
fn decode_json<T: DeserializeOwned + Send + 'static>(
    action: &Name,
    http_status: u16,
    body: &[u8],
) -> Result<Answer, SdkError<()>> {
    if http_status == 200 && starts_with_brace(body) {
        if let Ok(Envelope {
            response: Some(response),
        }) = serde_json::from_slice(body)
        {
            if !response.contains_key("Error") {
                let request_id = request_id_of(&response);
                if let Ok(output) = T::deserialize(Value::Object(response)) {
                    return Ok(Answer::decoded(request_id, output));
                }
            }
        }
    }
    Err(diagnose::<T>(action, http_status, body))
}

/// The event decoder of generic streams: the event's data (or the `Response` it holds) into
/// `T`, an `Error` in it into a service error.
fn decode_json_event<T: DeserializeOwned>(
    action: &Name,
    data: &[u8],
) -> Result<(T, String), SdkError<()>> {
    let invalid = |kind| {
        SdkError::InvalidResponse(crate::InvalidResponse::new(
            action.clone(),
            200,
            kind,
            None,
            data,
        ))
    };
    let object = match serde_json::from_slice::<Value>(data) {
        Ok(Value::Object(object)) => object,
        Ok(_) => {
            return Err(invalid(crate::InvalidResponseKind::Shape(
                "the event's data is not a JSON object".to_owned(),
            )));
        }
        Err(err) if err.is_eof() => return Err(invalid(crate::InvalidResponseKind::Truncated)),
        Err(_) => return Err(invalid(crate::InvalidResponseKind::NotJson)),
    };
    let object = match object.get("Response") {
        Some(Value::Object(response)) => response.clone(),
        _ => object,
    };
    let request_id = request_id_of(&object);
    if let Some(error) = object.get("Error") {
        let text = |key| {
            error
                .get(key)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned()
        };
        return Err(SdkError::Service(crate::ServiceError::new(
            (),
            text("Code"),
            text("Message"),
            request_id,
            action.clone(),
            200,
        )));
    }
    match T::deserialize(Value::Object(object)) {
        Ok(output) => Ok((output, request_id)),
        Err(err) => Err(invalid(crate::InvalidResponseKind::Shape(format!(
            "event data: {err}"
        )))),
    }
}

fn request_id_of(object: &Map<String, Value>) -> String {
    object
        .get("RequestId")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn action_names() {
        for good in ["DescribeInstances", "A", "RunInstances2"] {
            assert!(is_action_name(good), "{good}");
        }
        for bad in [
            "",
            "describeInstances",
            "Describe Instances",
            "A\r\nX-Evil: 1",
            "../x",
        ] {
            assert!(!is_action_name(bad), "{bad:?}");
        }
    }

    #[test]
    fn a_json_answer_is_its_response_object() {
        let action = Name::Borrowed("DescribeThing");
        let answer = decode_json::<Value>(
            &action,
            200,
            br#"{"Response":{"Total":2,"RequestId":"r-1"}}"#,
        )
        .unwrap();
        assert_eq!(answer.request_id(), "r-1");
        let Err(err) = decode_json::<Value>(
            &action,
            200,
            br#"{"Response":{"Error":{"Code":"InvalidAction","Message":"no"},"RequestId":"r-2"}}"#,
        ) else {
            panic!("an error answer decoded");
        };
        assert_eq!(err.code(), Some("InvalidAction"));
        assert_eq!(err.request_id(), Some("r-2"));
        let Err(err) = decode_json::<Value>(&action, 502, b"<html>bad gateway</html>") else {
            panic!("an error page decoded");
        };
        assert!(matches!(err, SdkError::InvalidResponse(_)), "{err}");
    }
}
