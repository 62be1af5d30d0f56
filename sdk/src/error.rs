//! What a call can fail with.
//!
//! Every call returns [`SdkError<E>`], where `E` is the action's generated error enum (for example
//! `DescribeMigrateCheckJobError`), or [`GenericError`] for a
//! [generic call](crate::generic). Errors reported by the service become
//! [`SdkError::Service`], which keeps the code, the message, the RequestId and the action, and
//! lets a caller `match` on the code through [`SdkError::kind`].
//!
//! Every error type implements [`ErrorMetadata`], one way to ask any of them for the service's
//! code, message and RequestId.

use std::borrow::Cow;
use std::fmt;
use std::time::Duration;

use crate::CommonError;

/// An action or structure name in an error: fixed for generated actions, owned for generic
/// calls.
pub(crate) type Name = Cow<'static, str>;

/// The generated error enum of an action: one variant per error code the caller can tell apart.
pub trait ErrorKind: fmt::Debug + Send + Sync + 'static {
    /// Maps an error code from the service to its variant; an unknown code keeps its text.
    fn from_code(code: &str) -> Self;
}

/// The service's error code, message and RequestId, asked of any error of this SDK.
///
/// Implemented by [`SdkError`] and by each error it can hold, so that code which logs or reports
/// failures needs one trait whatever the call. Errors that did not come from an answer (a
/// request that could not be built, a connection that failed) answer `None` to all three, except
/// that an unusable answer may still carry a RequestId.
pub trait ErrorMetadata {
    /// The service's error code, such as `ResourceNotFound.JobNotExist`.
    fn code(&self) -> Option<&str>;
    /// The service's message, clipped to [`MESSAGE_CHARS`] characters.
    fn message(&self) -> Option<&str>;
    /// The RequestId of the answer, which Tencent Cloud support asks for.
    fn request_id(&self) -> Option<&str>;
}

/// The error enum of [generic calls](crate::generic), which know no action's own codes: the
/// codes every action may return, and the others as they came.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum GenericError {
    /// One of the codes any action may return.
    Common(CommonError),
    /// Any other code, as the service sent it.
    Unknown(String),
}

impl ErrorKind for GenericError {
    fn from_code(code: &str) -> Self {
        match CommonError::from_code(code) {
            Some(common) => Self::Common(common),
            None => Self::Unknown(code.to_owned()),
        }
    }
}

/// Why a call failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum SdkError<E> {
    /// The request could not be built, so nothing was sent (a required member is missing).
    Build(BuildError),
    /// No complete answer arrived: the connection failed, timed out or broke off.
    Transport(TransportError),
    /// An answer arrived but it is not a valid API response (an HTTP error page, an empty,
    /// truncated or oversized body, JSON of the wrong shape).
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

    /// The service's error, taken out; any other failure is given back as it is.
    ///
    /// ```
    /// # use tencentcloud_sdk::{SdkError, GenericError};
    /// fn not_found(err: SdkError<GenericError>) -> Result<bool, SdkError<GenericError>> {
    ///     let service = err.into_service_error()?;
    ///     Ok(service.code().starts_with("ResourceNotFound"))
    /// }
    /// ```
    pub fn into_service_error(self) -> Result<ServiceError<E>, Self> {
        match self {
            Self::Service(err) => Ok(err),
            other => Err(other),
        }
    }

    /// The error code as a variant of the action's error enum, in one step: `None` when the
    /// service did not answer with an error.
    pub fn kind(&self) -> Option<&E> {
        self.as_service_error().map(ServiceError::kind)
    }

    /// Like [`kind`](Self::kind), taking the variant out.
    pub fn into_kind(self) -> Option<E> {
        self.into_service_error().ok().map(ServiceError::into_kind)
    }

    /// The service's error code (`ResourceNotFound.JobNotExist`), when there is one.
    pub fn code(&self) -> Option<&str> {
        self.as_service_error().map(ServiceError::code)
    }

    /// The service's message, when it answered with an error.
    pub fn message(&self) -> Option<&str> {
        self.as_service_error().map(ServiceError::message)
    }

    /// The service's error code as a [`CommonError`], when it is one.
    pub fn common(&self) -> Option<CommonError> {
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

impl<E> ErrorMetadata for SdkError<E> {
    fn code(&self) -> Option<&str> {
        SdkError::code(self)
    }

    fn message(&self) -> Option<&str> {
        SdkError::message(self)
    }

    fn request_id(&self) -> Option<&str> {
        SdkError::request_id(self)
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

/// Implements [`ErrorMetadata`] for an error that never comes from an answer.
macro_rules! no_metadata {
    ($($error:ty),*) => {
        $(impl ErrorMetadata for $error {
            fn code(&self) -> Option<&str> {
                None
            }

            fn message(&self) -> Option<&str> {
                None
            }

            fn request_id(&self) -> Option<&str> {
                None
            }
        })*
    };
}

no_metadata!(
    TimeoutError,
    BuildError,
    TransportError,
    crate::CredentialsError,
    crate::ConfigError
);

/// A call ran out of time before its request could be sent: the rate limit or the wait before a
/// retry would have taken it past its deadline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeoutError {
    action: Name,
    deadline: Duration,
    attempts: u32,
    waiting_for: &'static str,
}

impl TimeoutError {
    pub(crate) fn new(
        action: Name,
        deadline: Duration,
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
    pub fn action(&self) -> &str {
        &self.action
    }

    /// The deadline the call was given.
    pub fn deadline(&self) -> Duration {
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

/// How many characters of a service's message are kept: real ones are a sentence or two, and
/// the text comes from the network.
pub const MESSAGE_CHARS: usize = 1024;
/// How many characters of an error code or a RequestId are kept (real ones have under 80).
const CODE_CHARS: usize = 128;

/// An error answered by the service: `{"Response": {"Error": {"Code", "Message"}, "RequestId"}}`.
///
/// The code and RequestId are kept up to 128 characters and the message up to
/// [`MESSAGE_CHARS`], with `…` where something was cut: an answer of any size makes an error of
/// bounded size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceError<E> {
    kind: E,
    /// Boxed, so that an `SdkError` stays small enough to return by value cheaply.
    details: Box<Details>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Details {
    code: String,
    message: String,
    request_id: String,
    action: Name,
    http_status: u16,
}

impl<E> ServiceError<E> {
    pub(crate) fn new(
        kind: E,
        code: String,
        message: String,
        request_id: String,
        action: Name,
        http_status: u16,
    ) -> Self {
        Self {
            kind,
            details: Box::new(Details {
                code: clip_owned(code, CODE_CHARS),
                message: clip_owned(message, MESSAGE_CHARS),
                request_id: clip_owned(request_id, CODE_CHARS),
                action,
                http_status,
            }),
        }
    }

    /// Blots `secret` (a value the request was signed or sent with) out of the code and the
    /// message, should the server echo it.
    pub(crate) fn redact(&mut self, secret: &str) {
        if secret.is_empty() {
            return;
        }
        let details = &mut *self.details;
        for text in [&mut details.code, &mut details.message] {
            if text.contains(secret) {
                *text = text.replace(secret, "<redacted>");
            }
        }
    }

    /// The error code as a variant of the action's error enum, for `match`.
    pub fn kind(&self) -> &E {
        &self.kind
    }

    /// The variant, taken out.
    pub fn into_kind(self) -> E {
        self.kind
    }

    /// The error code exactly as the service sent it.
    pub fn code(&self) -> &str {
        &self.details.code
    }

    /// The code as a [`CommonError`], when it is one of the codes any action may return
    /// (throttling, authentication, parameters): the same test for every action.
    pub fn common(&self) -> Option<CommonError> {
        CommonError::from_code(&self.details.code)
    }

    /// The service's message.
    pub fn message(&self) -> &str {
        &self.details.message
    }

    /// The RequestId, which Tencent Cloud support asks for.
    pub fn request_id(&self) -> &str {
        &self.details.request_id
    }

    /// The action that failed.
    pub fn action(&self) -> &str {
        &self.details.action
    }

    /// The HTTP status of the answer (200 for almost every service error).
    pub fn http_status(&self) -> u16 {
        self.details.http_status
    }
}

impl<E> ErrorMetadata for ServiceError<E> {
    fn code(&self) -> Option<&str> {
        Some(&self.details.code)
    }

    fn message(&self) -> Option<&str> {
        Some(&self.details.message)
    }

    fn request_id(&self) -> Option<&str> {
        Some(self.details.request_id.as_str()).filter(|id| !id.is_empty())
    }
}

impl ServiceError<()> {
    /// The same error, with its code mapped to the action's error enum.
    pub(crate) fn map_kind<E: ErrorKind>(self) -> ServiceError<E> {
        ServiceError {
            kind: E::from_code(&self.details.code),
            details: self.details,
        }
    }
}

impl<E> fmt::Display for ServiceError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let details = &*self.details;
        write!(
            f,
            "{} failed with {}: {} (",
            details.action, details.code, details.message
        )?;
        if details.request_id.is_empty() {
            f.write_str("no RequestId")?;
        } else {
            write!(f, "RequestId: {}", details.request_id)?;
        }
        if self.details.http_status != 200 {
            write!(f, ", HTTP {}", self.details.http_status)?;
        }
        f.write_str(")")
    }
}

impl<E: fmt::Debug> std::error::Error for ServiceError<E> {}

/// A request could not be built from what the caller gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildError {
    structure: Name,
    member: Name,
    reason: BuildErrorReason,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum BuildErrorReason {
    Missing,
    Invalid(String),
}

impl BuildError {
    /// A required member was not set.
    pub fn missing(
        structure: impl Into<Cow<'static, str>>,
        member: impl Into<Cow<'static, str>>,
    ) -> Self {
        Self {
            structure: structure.into(),
            member: member.into(),
            reason: BuildErrorReason::Missing,
        }
    }

    pub(crate) fn invalid(structure: impl Into<Name>, detail: String) -> Self {
        Self {
            structure: structure.into(),
            member: Name::Borrowed(""),
            reason: BuildErrorReason::Invalid(detail),
        }
    }

    /// The same fault, blamed on one member.
    pub(crate) fn at_member(mut self, member: impl Into<Name>) -> Self {
        self.member = member.into();
        self
    }

    /// The structure or action being built (`DescribeMigrateCheckJobRequest`).
    pub fn structure(&self) -> &str {
        &self.structure
    }

    /// The wire name of the member at fault (`JobId`), empty when the fault is not one member's.
    pub fn member(&self) -> &str {
        &self.member
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
            BuildErrorReason::Invalid(detail) if self.member.is_empty() => {
                write!(f, "{}: {detail}", self.structure)
            }
            BuildErrorReason::Invalid(detail) => {
                write!(f, "{}: member `{}` {detail}", self.structure, self.member)
            }
        }
    }
}

impl std::error::Error for BuildError {}

/// The request was sent but no complete answer came back.
#[derive(Debug)]
pub struct TransportError {
    action: Name,
    url: String,
    what: Failure,
    source: Option<reqwest::Error>,
}

/// What went wrong in transit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Failure {
    Connect,
    /// No answer, or no more of a stream, within this long.
    TimedOut(Option<Duration>),
    Broken,
}

impl TransportError {
    pub(crate) fn new(action: Name, url: String, source: reqwest::Error) -> Self {
        let what = if source.is_timeout() {
            Failure::TimedOut(None)
        } else if source.is_connect() {
            Failure::Connect
        } else {
            Failure::Broken
        };
        Self {
            action,
            url,
            what,
            source: Some(source),
        }
    }

    /// Nothing arrived for `after`: no answer to the request, or no more of a stream.
    pub(crate) fn timed_out(action: Name, url: String, after: Duration) -> Self {
        Self {
            action,
            url,
            what: Failure::TimedOut(Some(after)),
            source: None,
        }
    }

    /// The action whose request failed.
    pub fn action(&self) -> &str {
        &self.action
    }

    /// Whether the time allowed for the request ran out.
    pub fn is_timeout(&self) -> bool {
        matches!(self.what, Failure::TimedOut(_))
    }

    /// Whether the connection could not be made.
    pub fn is_connect(&self) -> bool {
        self.what == Failure::Connect
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.what {
            Failure::TimedOut(_) => "timed out",
            Failure::Connect => "could not connect",
            Failure::Broken => "failed in transit",
        };
        write!(f, "{}: request to {} {what}", self.action, self.url)?;
        if let Failure::TimedOut(Some(after)) = self.what {
            write!(f, ": nothing arrived for {after:?}")?;
        }
        // reqwest's own text repeats the URL; the innermost cause says what went wrong.
        if let Some(source) = &self.source {
            let mut cause: &dyn std::error::Error = source;
            while let Some(next) = cause.source() {
                cause = next;
            }
            write!(f, ": {cause}")?;
        }
        Ok(())
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_ref()
            .map(|source| source as &(dyn std::error::Error + 'static))
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
    /// The body is JSON that stops before its end, or a stream of events that stops inside one.
    Truncated,
    /// The body is JSON but not of the shape the action's answer has; the detail names the member
    /// path and what was expected.
    Shape(String),
    /// The body (or one event of a stream) is larger than
    /// [`max_response_size`](crate::ConfigBuilder::max_response_size) bytes; reading stopped
    /// there.
    TooLarge {
        /// The limit in bytes.
        limit: u64,
    },
    /// The service refused the request's timestamp (`AuthFailure.SignatureExpire`), but the time
    /// in its `Date` header is further from this machine's clock than the runtime corrects for
    /// (see [`MAX_CLOCK_CORRECTION`](crate::config::MAX_CLOCK_CORRECTION)), so the clock was
    /// left alone.
    ImplausibleDate {
        /// The `Date` header, clipped.
        date: String,
        /// Seconds from this machine's clock to the header's time.
        offset_secs: i64,
    },
}

/// An answer that could not be understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidResponse {
    action: Name,
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

/// The first `limit` characters of `text`, with `…` when something was cut.
pub(crate) fn clip(text: &str, limit: usize) -> Cow<'_, str> {
    match text.char_indices().nth(limit) {
        Some((end, _)) => format!("{}…", &text[..end]).into(),
        None => text.into(),
    }
}

/// [`clip`] for an owned string, which is given back as it is when it is short enough.
fn clip_owned(text: String, limit: usize) -> String {
    match text.char_indices().nth(limit) {
        Some((end, _)) => {
            let mut text = text;
            text.truncate(end);
            text.push('…');
            text
        }
        None => text,
    }
}

impl InvalidResponse {
    pub(crate) fn new(
        action: Name,
        http_status: u16,
        kind: InvalidResponseKind,
        request_id: Option<String>,
        body: &[u8],
    ) -> Self {
        // Only the start of the body is ever shown, so only the start is decoded.
        let start = &body[..body.len().min(EXCERPT_CHARS * 4)];
        let text = String::from_utf8_lossy(start);
        let body_excerpt = clip(&text, EXCERPT_CHARS).into_owned();
        let kind = match kind {
            InvalidResponseKind::Shape(detail) => {
                InvalidResponseKind::Shape(clip_owned(detail, DETAIL_CHARS))
            }
            InvalidResponseKind::ImplausibleDate { date, offset_secs } => {
                InvalidResponseKind::ImplausibleDate {
                    date: clip_owned(date, 64),
                    offset_secs,
                }
            }
            other => other,
        };
        Self {
            action,
            http_status,
            kind,
            request_id: request_id.map(|id| clip_owned(id, CODE_CHARS)),
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
    pub fn action(&self) -> &str {
        &self.action
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

impl ErrorMetadata for InvalidResponse {
    fn code(&self) -> Option<&str> {
        None
    }

    fn message(&self) -> Option<&str> {
        None
    }

    fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
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
            InvalidResponseKind::Truncated => write!(f, "body is truncated")?,
            InvalidResponseKind::Shape(detail) => write!(f, "unexpected shape: {detail}")?,
            InvalidResponseKind::TooLarge { limit } => write!(
                f,
                "larger than the limit of {limit} bytes (ConfigBuilder::max_response_size)"
            )?,
            InvalidResponseKind::ImplausibleDate { date, offset_secs } => write!(
                f,
                "the service says the request's timestamp expired, but its Date header {date:?} \
                 is {offset_secs} s from this machine's clock, beyond the {} s the SDK corrects: \
                 the server's Date is not plausible, so the clock was not moved",
                crate::config::MAX_CLOCK_CORRECTION.as_secs()
            )?,
        }
        if let Some(id) = &self.request_id {
            write!(f, " (RequestId: {id})")?;
        }
        let shows_body = !matches!(
            self.kind,
            InvalidResponseKind::Empty
                | InvalidResponseKind::TooLarge { .. }
                | InvalidResponseKind::ImplausibleDate { .. }
        );
        if !self.body_excerpt.is_empty() && shows_body {
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
            "DescribeMigrateCheckJob".into(),
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
            "DescribeMigrateCheckJob".into(),
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
            "A".into(),
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
            "A".into(),
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

    #[test]
    fn a_huge_message_is_stored_clipped() {
        let err = ServiceError::new(
            (),
            "C".repeat(1000),
            "m".repeat(1_000_000),
            "r".repeat(1000),
            "A".into(),
            200,
        );
        assert_eq!(err.message().chars().count(), MESSAGE_CHARS + 1);
        assert!(err.message().ends_with('…'));
        assert_eq!(err.code().chars().count(), CODE_CHARS + 1);
        assert_eq!(err.request_id().chars().count(), CODE_CHARS + 1);
        assert!(
            err.to_string().len() < 4 * (MESSAGE_CHARS + 3 * CODE_CHARS),
            "shown whole"
        );
        // Short values are kept exactly.
        let short = ServiceError::new((), "C".into(), "m".into(), "r".into(), "A".into(), 200);
        assert_eq!(
            (short.code(), short.message(), short.request_id()),
            ("C", "m", "r")
        );
    }

    #[test]
    fn every_error_answers_the_metadata_trait() {
        fn metadata(err: &dyn ErrorMetadata) -> (Option<&str>, Option<&str>, Option<&str>) {
            (err.code(), err.message(), err.request_id())
        }
        let service = ServiceError::new(
            GenericError::from_code("ResourceNotFound"),
            "ResourceNotFound".to_owned(),
            "gone".to_owned(),
            "req-9".to_owned(),
            "DescribeThing".into(),
            200,
        );
        let expected = (Some("ResourceNotFound"), Some("gone"), Some("req-9"));
        assert_eq!(metadata(&service), expected);
        let sdk = SdkError::Service(service);
        assert_eq!(metadata(&sdk), expected);
        assert_eq!(
            sdk.kind(),
            Some(&GenericError::Common(CommonError::ResourceNotFound))
        );
        let service = sdk.into_service_error().unwrap();
        assert_eq!(
            service.into_kind(),
            GenericError::Common(CommonError::ResourceNotFound)
        );

        let build: SdkError<GenericError> =
            SdkError::Build(BuildError::missing("DescribeThing", "Id"));
        assert_eq!(metadata(&build), (None, None, None));
        assert!(build.kind().is_none());
        let build = build.into_service_error().unwrap_err();
        assert!(matches!(build, SdkError::Build(_)));
        let invalid = InvalidResponse::new(
            "A".into(),
            502,
            InvalidResponseKind::HttpStatus,
            Some("req-1".to_owned()),
            b"",
        );
        assert_eq!(metadata(&invalid), (None, None, Some("req-1")));
        assert_eq!(
            GenericError::from_code("FailedOperation.Custom"),
            GenericError::Unknown("FailedOperation.Custom".to_owned())
        );
    }
}
