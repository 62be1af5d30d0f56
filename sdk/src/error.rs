//! What a call can fail with.
//!
//! Every call returns [`SdkError<E>`], where `E` is the action's generated error enum (for example
//! `DescribeMigrateCheckJobError`). Errors reported by the service become
//! [`SdkError::Service`], which keeps the code, the message, the RequestId and the action, and
//! lets a caller `match` on the code through [`ServiceError::kind`].

use std::fmt;

/// The generated error enum of an action: one variant per error code the caller can tell apart.
pub trait ErrorKind: fmt::Debug + Send + Sync + 'static {
    /// Maps an error code from the service to its variant; an unknown code keeps its text.
    fn from_code(code: &str) -> Self;
}

/// Why a call failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum SdkError<E> {
    /// The request could not be built, so nothing was sent (a required member is missing).
    Build(BuildError),
    /// No complete answer arrived: the connection failed, timed out or broke off.
    Transport(TransportError),
    /// An answer arrived but it is not a valid API response (an HTTP error page, an empty or
    /// truncated body, JSON of the wrong shape).
    InvalidResponse(InvalidResponse),
    /// The service answered with an error code.
    Service(ServiceError<E>),
    /// No credentials could be had to sign the request, so nothing was sent.
    Credentials(crate::CredentialsError),
    /// The call's deadline ([`operation_timeout`](crate::ConfigBuilder::operation_timeout)) would
    /// pass before the request could be sent.
    Timeout(TimeoutError),
}

impl<E> SdkError<E> {
    /// The service's error, when the service answered with one.
    pub fn as_service_error(&self) -> Option<&ServiceError<E>> {
        match self {
            Self::Service(err) => Some(err),
            _ => None,
        }
    }

    /// The service's error code (`ResourceNotFound.JobNotExist`), when there is one.
    pub fn code(&self) -> Option<&str> {
        self.as_service_error().map(ServiceError::code)
    }

    /// The service's error code as a [`CommonError`](crate::CommonError), when it is one.
    pub fn common(&self) -> Option<crate::CommonError> {
        self.as_service_error().and_then(ServiceError::common)
    }

    /// The RequestId of the answer, when one was received.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Self::Service(err) => Some(err.request_id()),
            Self::InvalidResponse(err) => err.request_id(),
            Self::Build(_) | Self::Transport(_) | Self::Credentials(_) | Self::Timeout(_) => None,
        }
    }
}

impl<E> fmt::Display for SdkError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Build(err) => err.fmt(f),
            Self::Transport(err) => err.fmt(f),
            Self::InvalidResponse(err) => err.fmt(f),
            Self::Service(err) => err.fmt(f),
            Self::Credentials(err) => err.fmt(f),
            Self::Timeout(err) => err.fmt(f),
        }
    }
}

impl<E: fmt::Debug> std::error::Error for SdkError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Transport(err) => Some(err),
            Self::Credentials(err) => Some(err),
            _ => None,
        }
    }
}

/// A call ran out of time before its request could be sent: the rate limit or the wait before a
/// retry would have taken it past its deadline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeoutError {
    action: &'static str,
    deadline: std::time::Duration,
    attempts: u32,
    waiting_for: &'static str,
}

impl TimeoutError {
    pub(crate) fn new(
        action: &'static str,
        deadline: std::time::Duration,
        attempts: u32,
        waiting_for: &'static str,
    ) -> Self {
        Self {
            action,
            deadline,
            attempts,
            waiting_for,
        }
    }

    /// The action of the call.
    pub fn action(&self) -> &'static str {
        self.action
    }

    /// The deadline the call was given.
    pub fn deadline(&self) -> std::time::Duration {
        self.deadline
    }

    /// How many attempts were made before time ran out.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
}

impl fmt::Display for TimeoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: the call's deadline of {:?} would pass while waiting for {} ({} attempt{} made)",
            self.action,
            self.deadline,
            self.waiting_for,
            self.attempts,
            if self.attempts == 1 { "" } else { "s" }
        )
    }
}

impl std::error::Error for TimeoutError {}

/// An error answered by the service: `{"Response": {"Error": {"Code", "Message"}, "RequestId"}}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceError<E> {
    kind: E,
    code: String,
    message: String,
    request_id: String,
    action: &'static str,
    http_status: u16,
}

impl<E> ServiceError<E> {
    pub(crate) fn new(
        kind: E,
        code: String,
        message: String,
        request_id: String,
        action: &'static str,
        http_status: u16,
    ) -> Self {
        Self {
            kind,
            code,
            message,
            request_id,
            action,
            http_status,
        }
    }

    /// The error code as a variant of the action's error enum, for `match`.
    pub fn kind(&self) -> &E {
        &self.kind
    }

    /// The error code exactly as the service sent it.
    pub fn code(&self) -> &str {
        &self.code
    }

    /// The code as a [`CommonError`](crate::CommonError), when it is one of the codes any action
    /// may return (throttling, authentication, parameters): the same test for every action.
    pub fn common(&self) -> Option<crate::CommonError> {
        crate::CommonError::from_code(&self.code)
    }

    /// The service's message.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The RequestId, which Tencent Cloud support asks for.
    pub fn request_id(&self) -> &str {
        &self.request_id
    }

    /// The action that failed.
    pub fn action(&self) -> &'static str {
        self.action
    }

    /// The HTTP status of the answer (200 for almost every service error).
    pub fn http_status(&self) -> u16 {
        self.http_status
    }
}

impl ServiceError<()> {
    /// The same error, with its code mapped to the action's error enum.
    pub(crate) fn map_kind<E: ErrorKind>(self) -> ServiceError<E> {
        ServiceError {
            kind: E::from_code(&self.code),
            code: self.code,
            message: self.message,
            request_id: self.request_id,
            action: self.action,
            http_status: self.http_status,
        }
    }
}

impl<E> fmt::Display for ServiceError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} failed with {}: {} (",
            self.action, self.code, self.message
        )?;
        if self.request_id.is_empty() {
            f.write_str("no RequestId")?;
        } else {
            write!(f, "RequestId: {}", self.request_id)?;
        }
        if self.http_status != 200 {
            write!(f, ", HTTP {}", self.http_status)?;
        }
        f.write_str(")")
    }
}

impl<E: fmt::Debug> std::error::Error for ServiceError<E> {}

/// A request could not be built from what the caller gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildError {
    structure: &'static str,
    member: &'static str,
    reason: BuildErrorReason,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum BuildErrorReason {
    Missing,
    Invalid(String),
}

impl BuildError {
    /// A required member was not set.
    pub fn missing(structure: &'static str, member: &'static str) -> Self {
        Self {
            structure,
            member,
            reason: BuildErrorReason::Missing,
        }
    }

    pub(crate) fn invalid(structure: &'static str, detail: String) -> Self {
        Self {
            structure,
            member: "",
            reason: BuildErrorReason::Invalid(detail),
        }
    }

    /// The structure being built (`DescribeMigrateCheckJobRequest`).
    pub fn structure(&self) -> &'static str {
        self.structure
    }

    /// The wire name of the member at fault (`JobId`), empty when the fault is not one member's.
    pub fn member(&self) -> &'static str {
        self.member
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.reason {
            BuildErrorReason::Missing => write!(
                f,
                "{}: required member `{}` was not set",
                self.structure, self.member
            ),
            BuildErrorReason::Invalid(detail) => write!(f, "{}: {detail}", self.structure),
        }
    }
}

impl std::error::Error for BuildError {}

/// The request was sent but no complete answer came back.
#[derive(Debug)]
pub struct TransportError {
    action: &'static str,
    url: String,
    source: reqwest::Error,
}

impl TransportError {
    pub(crate) fn new(action: &'static str, url: String, source: reqwest::Error) -> Self {
        Self {
            action,
            url,
            source,
        }
    }

    /// The action whose request failed.
    pub fn action(&self) -> &'static str {
        self.action
    }

    /// Whether the time allowed for the request ran out.
    pub fn is_timeout(&self) -> bool {
        self.source.is_timeout()
    }

    /// Whether the connection could not be made.
    pub fn is_connect(&self) -> bool {
        self.source.is_connect()
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = if self.is_timeout() {
            "timed out"
        } else if self.is_connect() {
            "could not connect"
        } else {
            "failed in transit"
        };
        write!(f, "{}: request to {} {what}", self.action, self.url)?;
        // reqwest's own text repeats the URL; the innermost cause says what went wrong.
        let mut cause: &dyn std::error::Error = &self.source;
        while let Some(next) = cause.source() {
            cause = next;
        }
        write!(f, ": {cause}")
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// What was wrong with an answer that is not a valid API response.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum InvalidResponseKind {
    /// An HTTP status other than 200, without an API error in the body.
    HttpStatus,
    /// The body is empty.
    Empty,
    /// The body is not JSON (an HTML error page from a proxy, for instance).
    NotJson,
    /// The body is JSON that stops before its end.
    Truncated,
    /// The body is JSON but not of the shape the action's answer has; the detail names the member
    /// path and what was expected.
    Shape(String),
}

/// An answer that could not be understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidResponse {
    action: &'static str,
    http_status: u16,
    kind: InvalidResponseKind,
    request_id: Option<String>,
    body_excerpt: String,
}

/// How much of an unusable body is kept for the error message.
const EXCERPT_CHARS: usize = 200;
/// How much of the explanation of a shape error is kept: serde quotes an unexpected string in
/// full, and that string came from the network.
const DETAIL_CHARS: usize = 300;
/// How much of the RequestId of an unusable answer is shown (a real one has 36 characters).
const REQUEST_ID_CHARS: usize = 100;

/// The first `limit` characters of `text`, with `…` when something was cut.
fn clip(text: &str, limit: usize) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(limit) {
        Some((end, _)) => format!("{}…", &text[..end]).into(),
        None => text.into(),
    }
}

impl InvalidResponse {
    pub(crate) fn new(
        action: &'static str,
        http_status: u16,
        kind: InvalidResponseKind,
        request_id: Option<String>,
        body: &[u8],
    ) -> Self {
        let text = String::from_utf8_lossy(body);
        let body_excerpt = clip(&text, EXCERPT_CHARS).into_owned();
        let kind = match kind {
            InvalidResponseKind::Shape(detail) => {
                InvalidResponseKind::Shape(clip(&detail, DETAIL_CHARS).into_owned())
            }
            other => other,
        };
        Self {
            action,
            http_status,
            kind,
            request_id,
            body_excerpt,
        }
    }

    /// What was wrong.
    pub fn kind(&self) -> &InvalidResponseKind {
        &self.kind
    }

    /// The HTTP status of the answer.
    pub fn http_status(&self) -> u16 {
        self.http_status
    }

    /// The action whose answer this was.
    pub fn action(&self) -> &'static str {
        self.action
    }

    /// The RequestId, when the body had one.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The start of the body, for diagnosis.
    pub fn body_excerpt(&self) -> &str {
        &self.body_excerpt
    }
}

impl fmt::Display for InvalidResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: unusable answer (HTTP {}): ",
            self.action, self.http_status
        )?;
        match &self.kind {
            InvalidResponseKind::HttpStatus => write!(f, "error status")?,
            InvalidResponseKind::Empty => write!(f, "empty body")?,
            InvalidResponseKind::NotJson => write!(f, "body is not JSON")?,
            InvalidResponseKind::Truncated => write!(f, "body is truncated JSON")?,
            InvalidResponseKind::Shape(detail) => write!(f, "unexpected shape: {detail}")?,
        }
        if let Some(id) = &self.request_id {
            write!(f, " (RequestId: {})", clip(id, REQUEST_ID_CHARS))?;
        }
        if !self.body_excerpt.is_empty() && self.kind != InvalidResponseKind::Empty {
            write!(f, "; body starts with {:?}", self.body_excerpt)?;
        }
        Ok(())
    }
}

impl std::error::Error for InvalidResponse {}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq)]
    enum Kind {
        NotFound,
    }

    #[test]
    fn service_error_display_has_code_message_and_request_id() {
        let err = ServiceError::new(
            Kind::NotFound,
            "ResourceNotFound.JobNotExist".to_owned(),
            "job missing".to_owned(),
            "req-1".to_owned(),
            "DescribeMigrateCheckJob",
            200,
        );
        assert_eq!(
            err.to_string(),
            "DescribeMigrateCheckJob failed with ResourceNotFound.JobNotExist: job missing (RequestId: req-1)"
        );
        let sdk: SdkError<Kind> = SdkError::Service(err);
        assert_eq!(sdk.code(), Some("ResourceNotFound.JobNotExist"));
        assert_eq!(sdk.request_id(), Some("req-1"));
        assert_eq!(
            sdk.as_service_error().map(|e| e.kind()),
            Some(&Kind::NotFound)
        );
    }

    #[test]
    fn service_error_display_without_request_id_and_with_an_error_status() {
        let err = ServiceError::new(
            Kind::NotFound,
            "ServiceUnavailable".to_owned(),
            "busy".to_owned(),
            String::new(),
            "DescribeMigrateCheckJob",
            503,
        );
        assert_eq!(
            err.to_string(),
            "DescribeMigrateCheckJob failed with ServiceUnavailable: busy (no RequestId, HTTP 503)"
        );
    }

    #[test]
    fn excerpt_is_bounded() {
        let body = "x".repeat(1000);
        let err = InvalidResponse::new(
            "A",
            502,
            InvalidResponseKind::NotJson,
            None,
            body.as_bytes(),
        );
        assert_eq!(err.body_excerpt().chars().count(), EXCERPT_CHARS + 1);
        assert!(err.to_string().contains("HTTP 502"));
    }

    #[test]
    fn a_long_explanation_and_request_id_are_clipped() {
        let detail = format!(
            "Response.CheckFlag: invalid type: string {:?}",
            "\u{7f}".repeat(5000)
        );
        let err = InvalidResponse::new(
            "A",
            200,
            InvalidResponseKind::Shape(detail),
            Some("r".repeat(10_000)),
            b"{}",
        );
        let shown = err.to_string();
        assert!(shown.len() < 2000, "{} bytes", shown.len());
        assert!(shown.contains("Response.CheckFlag"), "{shown}");
        assert_eq!(clip("abc", 3), "abc");
        assert_eq!(clip("abcd", 3), "abc…");
        assert_eq!(clip("日本語です", 2), "日本…");
    }
}
