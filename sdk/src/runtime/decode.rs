//! Turning an HTTP answer into an action's output or error.

use serde::Deserialize;
use serde_json::value::RawValue;

use super::Action;
use crate::error::{ErrorKind, InvalidResponse, InvalidResponseKind, SdkError, ServiceError};

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
    decode_with_request_id::<A>(http_status, body).map(|(output, _)| output)
}

/// A decoded answer with its RequestId, or the error it held.
pub(crate) type Decoded<A> =
    Result<(<A as Action>::Output, Option<String>), SdkError<<A as Action>::Error>>;

/// [`decode_response`], also giving the RequestId of a successful answer.
pub(crate) fn decode_with_request_id<A: Action>(http_status: u16, body: &[u8]) -> Decoded<A> {
    let ok_status = http_status == 200;
    // Under an error status, whatever is wrong with the body, the status is the news.
    let invalid = |kind, request_id| {
        let kind = if ok_status {
            kind
        } else {
            InvalidResponseKind::HttpStatus
        };
        SdkError::InvalidResponse(InvalidResponse::new(
            A::NAME,
            http_status,
            kind,
            request_id,
            body,
        ))
    };

    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(invalid(InvalidResponseKind::Empty, None));
    }
    let envelope: Envelope<'_> =
        serde_json::from_slice(body).map_err(|err| invalid(classify(&err), None))?;
    // Serde would also read a struct from a JSON array; an answer is always an object.
    if !starts_with_brace(body) {
        return Err(invalid(shape("the body is not a JSON object"), None));
    }
    let Some(response) = envelope.response else {
        return Err(invalid(shape("the body has no `Response` member"), None));
    };
    if !starts_with_brace(response.get().as_bytes()) {
        return Err(invalid(shape("`Response` is not an object"), None));
    }
    let outcome: Outcome = serde_json::from_str(response.get())
        .map_err(|err| invalid(shape(&format!("Response: {err}")), None))?;
    if let Some(error) = outcome.error {
        return Err(SdkError::Service(ServiceError::new(
            A::Error::from_code(&error.code),
            error.code,
            error.message,
            outcome.request_id.unwrap_or_default(),
            A::NAME,
            http_status,
        )));
    }
    if !ok_status {
        return Err(invalid(InvalidResponseKind::HttpStatus, outcome.request_id));
    }

    // The plain decoder is fast; only when it fails is the answer read again to name the path.
    let output = match serde_json::from_str(response.get()) {
        Ok(output) => output,
        Err(_) => {
            let mut deserializer = serde_json::Deserializer::from_str(response.get());
            let err = match serde_path_to_error::deserialize::<_, A::Output>(&mut deserializer) {
                Err(err) => err,
                // Both read the same text with the same types, so this cannot succeed; if it
                // did, the answer would be usable.
                Ok(output) => return Ok((output, outcome.request_id)),
            };
            let path = err.path().to_string();
            let detail = if path == "." {
                format!("Response: {}", err.inner())
            } else {
                format!("Response.{path}: {}", err.inner())
            };
            return Err(invalid(
                InvalidResponseKind::Shape(detail),
                outcome.request_id,
            ));
        }
    };
    Ok((output, outcome.request_id))
}

fn shape(detail: &str) -> InvalidResponseKind {
    InvalidResponseKind::Shape(detail.to_owned())
}

fn starts_with_brace(bytes: &[u8]) -> bool {
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
