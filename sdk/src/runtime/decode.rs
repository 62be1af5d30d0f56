//! Turning an HTTP answer into an action's output or error, in one pass over the body.
//!
//! The body is read once: the members of `Response` go straight into the output structure, and
//! an `Error` member, when there is one, is read on the way. Only when that pass fails is the
//! body looked at again, to say exactly what is wrong with it (which member, which shape).

use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{DeserializeOwned, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::value::RawValue;

use super::Action;
use super::wire::{Key, Response, read_member};
use crate::error::{ErrorKind, InvalidResponse, InvalidResponseKind, Name, SdkError, ServiceError};

/// The `Error` member of a failed answer.
#[derive(Deserialize)]
#[serde(expecting = "an object with `Code` and `Message`")]
struct ErrorBody {
    #[serde(rename = "Code")]
    code: String,
    #[serde(rename = "Message", default)]
    message: String,
}

/// Decodes the body of an answer to action `A`.
///
/// `{"Response": {...}}` becomes `A::Output`; `{"Response": {"Error": ...}}` becomes
/// [`SdkError::Service`] with the code mapped to `A::Error`; anything else becomes
/// [`SdkError::InvalidResponse`] saying what was wrong. Never panics, whatever the bytes.
pub fn decode_response<A: Action>(
    http_status: u16,
    body: &[u8],
) -> Result<A::Output, SdkError<A::Error>> {
    decode::<A::Output>(&Name::Borrowed(A::INFO.name), http_status, body)
        .map_err(|err| err.map_kind())
}

/// Decodes an answer into `T`, leaving the error code unmapped.
pub(crate) fn decode<T>(action: &Name, http_status: u16, body: &[u8]) -> Result<T, SdkError<()>>
where
    T: Response + DeserializeOwned,
{
    // Checking the whole body is UTF-8 at once is quicker than checking each string as it is
    // read, which is what parsing from bytes does; a body that is not UTF-8 is not JSON.
    let fast = std::str::from_utf8(body).ok().and_then(|text| {
        let mut deserializer = serde_json::Deserializer::from_str(text);
        EnvelopeSeed::<T>(PhantomData)
            .deserialize(&mut deserializer)
            .and_then(|decoded| deserializer.end().map(|()| decoded))
            .ok()
    });
    match fast {
        Some(Some((output, None))) if http_status == 200 && starts_with_brace(body) => Ok(output),
        Some(Some((output, Some(error)))) if starts_with_brace(body) => {
            Err(SdkError::Service(ServiceError::new(
                (),
                error.code,
                error.message,
                output.request_id().to_owned(),
                action.clone(),
                http_status,
            )))
        }
        // Something is off: find out exactly what, reading the body again.
        _ => Err(diagnose::<T>(action, http_status, body)),
    }
}

/// Decodes the data of one event of a streamed answer into `T`, with its RequestId (empty when
/// it has none).
///
/// The data is usually the members of the answer (`{"Choices": ..., "Id": ...}`), but may also
/// be a whole answer (`{"Response": {...}}`); either way an `Error` member makes it a
/// [`SdkError::Service`].
pub(crate) fn decode_event<T>(action: &Name, data: &[u8]) -> Result<(T, String), SdkError<()>>
where
    T: Response + DeserializeOwned,
{
    let mut deserializer = serde_json::Deserializer::from_slice(data);
    let decoded = EventSeed::<T>(PhantomData)
        .deserialize(&mut deserializer)
        .and_then(|decoded| deserializer.end().map(|()| decoded));
    match decoded {
        Ok((output, None)) if starts_with_brace(data) => {
            let request_id = output.request_id().to_owned();
            Ok((output, request_id))
        }
        Ok((output, Some(error))) => Err(SdkError::Service(ServiceError::new(
            (),
            error.code,
            error.message,
            output.request_id().to_owned(),
            action.clone(),
            200,
        ))),
        Ok(_) => Err(invalid_event(
            action,
            shape("the event's data is not a JSON object"),
            data,
        )),
        Err(err) => {
            let kind = match classify(&err) {
                InvalidResponseKind::Shape(_) => {
                    // Read again, only to name the member at fault.
                    let mut deserializer = serde_json::Deserializer::from_slice(data);
                    match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
                        Err(err) => InvalidResponseKind::Shape(format!(
                            "event data.{}: {}",
                            err.path(),
                            err.inner()
                        )),
                        Ok(_) => InvalidResponseKind::Shape(format!("event data: {err}")),
                    }
                }
                other => other,
            };
            Err(invalid_event(action, kind, data))
        }
    }
}

fn invalid_event(action: &Name, kind: InvalidResponseKind, data: &[u8]) -> SdkError<()> {
    SdkError::InvalidResponse(InvalidResponse::new(action.clone(), 200, kind, None, data))
}

/// Reads an event's data: the answer's members, or a whole `{"Response": ...}`.
struct EventSeed<T>(PhantomData<fn() -> T>);

impl<'de, T: Response> DeserializeSeed<'de> for EventSeed<T> {
    type Value = (T, Option<ErrorBody>);

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de, T: Response> Visitor<'de> for EventSeed<T> {
    type Value = (T, Option<ErrorBody>);

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Self::Value, M::Error> {
        let mut output = T::default();
        let mut error = None;
        while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
            match &*key {
                "Response" => {
                    let (inner, inner_error) =
                        map.next_value_seed(ResponseSeed::<T>(PhantomData))?;
                    output = inner;
                    error = inner_error.or(error);
                }
                "Error" => error = Some(map.next_value::<ErrorBody>()?),
                _ => read_member(&mut map, &key, &mut output)?,
            }
        }
        Ok((output, error))
    }
}

/// A decoded `Response`: the output, and the error it held, if any.
type Decoded<T> = Option<(T, Option<ErrorBody>)>;

struct EnvelopeSeed<T>(PhantomData<fn() -> T>);

impl<'de, T: Response> DeserializeSeed<'de> for EnvelopeSeed<T> {
    type Value = Decoded<T>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Decoded<T>, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de, T: Response> Visitor<'de> for EnvelopeSeed<T> {
    type Value = Decoded<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object with a `Response` member")
    }

    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Decoded<T>, M::Error> {
        let mut decoded = None;
        while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
            if key == "Response" && decoded.is_none() {
                decoded = Some(map.next_value_seed(ResponseSeed::<T>(PhantomData))?);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(decoded)
    }
}

struct ResponseSeed<T>(PhantomData<fn() -> T>);

impl<'de, T: Response> DeserializeSeed<'de> for ResponseSeed<T> {
    type Value = (T, Option<ErrorBody>);

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de, T: Response> Visitor<'de> for ResponseSeed<T> {
    type Value = (T, Option<ErrorBody>);

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Self::Value, M::Error> {
        let mut output = T::default();
        let mut error = None;
        while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
            if key == "Error" {
                error = Some(map.next_value::<ErrorBody>()?);
            } else {
                read_member(&mut map, &key, &mut output)?;
            }
        }
        Ok((output, error))
    }
}

#[derive(Deserialize)]
#[serde(expecting = "a JSON object with a `Response` member")]
struct Envelope<'a> {
    #[serde(rename = "Response", borrow)]
    response: Option<&'a RawValue>,
}

/// The part of every answer that says whether it is an error.
#[derive(Deserialize)]
#[serde(expecting = "an object")]
struct Outcome {
    #[serde(rename = "Error")]
    error: Option<ErrorBody>,
    #[serde(rename = "RequestId")]
    request_id: Option<String>,
}

/// Why an answer could not be decoded, found by reading it step by step. Only called when the
/// one-pass decoder failed, so it does not need to be fast.
pub(crate) fn diagnose<T: DeserializeOwned>(
    action: &Name,
    http_status: u16,
    body: &[u8],
) -> SdkError<()> {
    let ok_status = http_status == 200;
    // Under an error status, whatever is wrong with the body, the status is the news.
    let invalid = |kind, request_id| {
        let kind = if ok_status {
            kind
        } else {
            InvalidResponseKind::HttpStatus
        };
        SdkError::InvalidResponse(InvalidResponse::new(
            action.clone(),
            http_status,
            kind,
            request_id,
            body,
        ))
    };

    if body.iter().all(u8::is_ascii_whitespace) {
        return invalid(InvalidResponseKind::Empty, None);
    }
    let envelope: Envelope<'_> = match serde_json::from_slice(body) {
        Ok(envelope) => envelope,
        Err(err) => return invalid(classify(&err), None),
    };
    // Serde would also read a struct from a JSON array; an answer is always an object.
    if !starts_with_brace(body) {
        return invalid(shape("the body is not a JSON object"), None);
    }
    let Some(response) = envelope.response else {
        return invalid(shape("the body has no `Response` member"), None);
    };
    if !starts_with_brace(response.get().as_bytes()) {
        return invalid(shape("`Response` is not an object"), None);
    }
    let outcome: Outcome = match serde_json::from_str(response.get()) {
        Ok(outcome) => outcome,
        Err(err) => return invalid(shape(&format!("Response: {err}")), None),
    };
    if let Some(error) = outcome.error {
        return SdkError::Service(ServiceError::new(
            (),
            error.code,
            error.message,
            outcome.request_id.unwrap_or_default(),
            action.clone(),
            http_status,
        ));
    }
    if !ok_status {
        return invalid(InvalidResponseKind::HttpStatus, outcome.request_id);
    }
    let mut deserializer = serde_json::Deserializer::from_str(response.get());
    let detail = match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
        Err(err) => {
            let path = err.path().to_string();
            if path == "." {
                format!("Response: {}", err.inner())
            } else {
                format!("Response.{path}: {}", err.inner())
            }
        }
        // The one-pass decoder failed on the same text, so this does not happen; if it did,
        // the duplicate `Response` members the first pass skips would be the cause.
        Ok(_) => "Response appears more than once".to_owned(),
    };
    invalid(InvalidResponseKind::Shape(detail), outcome.request_id)
}

fn shape(detail: &str) -> InvalidResponseKind {
    InvalidResponseKind::Shape(detail.to_owned())
}

pub(crate) fn starts_with_brace(bytes: &[u8]) -> bool {
    bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{')
}

fn classify(err: &serde_json::Error) -> InvalidResponseKind {
    use serde_json::error::Category;
    match err.classify() {
        Category::Eof => InvalidResponseKind::Truncated,
        Category::Syntax | Category::Io => InvalidResponseKind::NotJson,
        Category::Data => InvalidResponseKind::Shape(err.to_string()),
    }
}

impl SdkError<()> {
    /// The same error, with a service error's code mapped to the action's error enum.
    pub(crate) fn map_kind<E: ErrorKind>(self) -> SdkError<E> {
        match self {
            SdkError::Service(err) => SdkError::Service(err.map_kind()),
            SdkError::Build(err) => SdkError::Build(err),
            SdkError::Transport(err) => SdkError::Transport(err),
            SdkError::InvalidResponse(err) => SdkError::InvalidResponse(err),
            SdkError::Credentials(err) => SdkError::Credentials(err),
            SdkError::Timeout(err) => SdkError::Timeout(err),
        }
    }
}
