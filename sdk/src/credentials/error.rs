//! Why no credentials could be provided.

use std::borrow::Cow;
use std::fmt;

/// What kind of problem a [`CredentialsError`] reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CredentialsErrorKind {
    /// The source is not configured here (no variables, no file, not on a CVM instance): a
    /// chain moves on to its next source.
    NotFound,
    /// The source is configured but its credentials cannot be used: half of a key pair, a value
    /// with a stray newline, a malformed file, a missing profile, expired credentials.
    Invalid,
    /// The source is configured but failed to answer properly (the metadata service answered
    /// with an error or with something that is not credentials).
    Unavailable,
}

/// Credentials are missing or unusable. The message names the source, never a secret value.
///
/// The error of a [`CredentialsChain`](super::CredentialsChain) that found nothing keeps the
/// error of every source it tried ([`tried`](Self::tried)) and lists them in its message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CredentialsError {
    kind: CredentialsErrorKind,
    provider: Option<Cow<'static, str>>,
    source_name: Cow<'static, str>,
    reason: Cow<'static, str>,
    tried: Vec<CredentialsError>,
}

impl CredentialsError {
    fn new(
        kind: CredentialsErrorKind,
        source_name: impl Into<Cow<'static, str>>,
        reason: impl Into<Cow<'static, str>>,
    ) -> Self {
        Self {
            kind,
            provider: None,
            source_name: source_name.into(),
            reason: reason.into(),
            tried: Vec::new(),
        }
    }

    /// The source is not configured: `source_name` is what was looked for (a variable, a file),
    /// `reason` says what was found instead ("is not set"). Never pass a secret value.
    pub fn not_found(
        source_name: impl Into<Cow<'static, str>>,
        reason: impl Into<Cow<'static, str>>,
    ) -> Self {
        Self::new(CredentialsErrorKind::NotFound, source_name, reason)
    }

    /// The source is configured but wrong: `source_name` is the variable, field or file at
    /// fault, `reason` the problem ("is empty"). Never pass a secret value.
    pub fn invalid(
        source_name: impl Into<Cow<'static, str>>,
        reason: impl Into<Cow<'static, str>>,
    ) -> Self {
        Self::new(CredentialsErrorKind::Invalid, source_name, reason)
    }

    /// The source is configured but failed: `source_name` is the service or file, `reason` the
    /// failure. Never pass a secret value, nor an excerpt of an answer that may hold one.
    pub fn unavailable(
        source_name: impl Into<Cow<'static, str>>,
        reason: impl Into<Cow<'static, str>>,
    ) -> Self {
        Self::new(CredentialsErrorKind::Unavailable, source_name, reason)
    }

    /// A chain found nothing; `tried` holds the answer of each of its sources, in order.
    pub(super) fn nothing_found(tried: Vec<CredentialsError>) -> Self {
        Self {
            tried,
            ..Self::not_found("credentials", "were not found in any source")
        }
    }

    /// Names the chain link that reported the error, unless a nested chain already did.
    pub(super) fn reported_by(mut self, provider: Cow<'static, str>) -> Self {
        if self.provider.is_none() {
            self.provider = Some(provider);
        }
        self
    }

    /// The answers of a nested chain's sources, taken out of its "nothing found" error.
    pub(super) fn into_tried(self) -> Vec<CredentialsError> {
        self.tried
    }

    /// What kind of problem this is.
    pub fn kind(&self) -> CredentialsErrorKind {
        self.kind
    }

    /// True when the source is simply not configured (as opposed to configured but wrong).
    pub fn is_not_found(&self) -> bool {
        self.kind == CredentialsErrorKind::NotFound
    }

    /// The variable, field, file or service that is at fault.
    pub fn source_name(&self) -> &str {
        &self.source_name
    }

    /// What is wrong with it, without the source name ("is not set").
    pub fn reason(&self) -> &str {
        &self.reason
    }

    /// The name of the chain link that reported the error ("environment", "credentials file"),
    /// when it came through a [`CredentialsChain`](super::CredentialsChain).
    pub fn provider(&self) -> Option<&str> {
        self.provider.as_deref()
    }

    /// For the error of a chain that found nothing: each source's answer, in the order tried.
    /// Empty for any other error.
    pub fn tried(&self) -> &[CredentialsError] {
        &self.tried
    }

    fn fmt_detail(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(provider) = &self.provider {
            write!(f, "{provider}: ")?;
        }
        write!(f, "{} {}", self.source_name, self.reason)
    }
}

impl fmt::Display for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.tried.is_empty() {
            f.write_str("credentials: ")?;
            return self.fmt_detail(f);
        }
        f.write_str("no credentials found: ")?;
        for (index, tried) in self.tried.iter().enumerate() {
            if index > 0 {
                f.write_str("; ")?;
            }
            tried.fmt_detail(f)?;
        }
        Ok(())
    }
}

impl std::error::Error for CredentialsError {}
