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
    let invalid = |kind, request_id| {
        SdkError::InvalidResponse(InvalidResponse::new(
            A::NAME,
            http_status,
            kind,
            request_id,
            body,
        ))
    };
    let ok_status = http_status == 200;

    if body.iter().all(u8::is_ascii_whitespace) {
        let kind = if ok_status {
            InvalidResponseKind::Empty
        } else {
            InvalidResponseKind::HttpStatus
        };
        return Err(invalid(kind, None));
    }

    let envelope: Envelope<'_> = match serde_json::from_slice(body) {
        Ok(envelope) => envelope,
        Err(_) if !ok_status => return Err(invalid(InvalidResponseKind::HttpStatus, None)),
        Err(err) => return Err(invalid(classify(&err), None)),
    };
    // Serde would also read a struct from a JSON array; an answer is always an object.
    let response = envelope
        .response
        .filter(|_| starts_with_brace(body))
        .ok_or("the body is not a JSON object with a `Response` member")
        .and_then(|response| {
            if starts_with_brace(response.get().as_bytes()) {
                Ok(response)
            } else {
                Err("`Response` is not an object")
            }
        });
    let response = match response {
        Ok(response) => response,
        Err(_) if !ok_status => return Err(invalid(InvalidResponseKind::HttpStatus, None)),
        Err(problem) => {
            return Err(invalid(
                InvalidResponseKind::Shape(problem.to_owned()),
                None,
            ));
        }
    };

    let outcome: Outcome = match serde_json::from_str(response.get()) {
        Ok(outcome) => outcome,
        Err(err) => {
            let kind = if ok_status {
                InvalidResponseKind::Shape(format!("Response: {err}"))
            } else {
                InvalidResponseKind::HttpStatus
            };
            return Err(invalid(kind, None));
        }
    };
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

    let mut deserializer = serde_json::Deserializer::from_str(response.get());
    serde_path_to_error::deserialize(&mut deserializer).map_err(|err| {
        let path = err.path().to_string();
        let detail = if path == "." {
            format!("Response: {}", err.inner())
        } else {
            format!("Response.{path}: {}", err.inner())
        };
        invalid(InvalidResponseKind::Shape(detail), outcome.request_id)
    })
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
