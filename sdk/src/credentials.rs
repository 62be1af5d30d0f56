//! The key pair (and optional session token) that signs requests.

use std::fmt;

/// The environment variable holding the secret id.
pub const ENV_SECRET_ID: &str = "TENCENTCLOUD_SECRET_ID";
/// The environment variable holding the secret key.
pub const ENV_SECRET_KEY: &str = "TENCENTCLOUD_SECRET_KEY";
/// The environment variable holding the session token of temporary credentials.
pub const ENV_SESSION_TOKEN: &str = "TENCENTCLOUD_SESSION_TOKEN";

/// A secret id, secret key and, for temporary credentials, a session token.
///
/// `Debug` shows the secret id but never the key or the token.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    secret_id: String,
    secret_key: String,
    token: Option<String>,
}

impl Credentials {
    /// Long-lived credentials: a secret id and its key.
    ///
    /// The values are checked when a [`Config`](crate::Config) is built with them.
    pub fn new(secret_id: impl Into<String>, secret_key: impl Into<String>) -> Self {
        Self {
            secret_id: secret_id.into(),
            secret_key: secret_key.into(),
            token: None,
        }
    }

    /// Adds the session token of temporary credentials (sent as `X-TC-Token`).
    #[must_use]
    pub fn with_token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// Reads `TENCENTCLOUD_SECRET_ID`, `TENCENTCLOUD_SECRET_KEY` and, when set and not empty,
    /// `TENCENTCLOUD_SESSION_TOKEN`.
    pub fn from_env() -> Result<Self, CredentialsError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Like [`from_env`](Self::from_env), with variables looked up by a function instead.
    pub fn from_lookup(
        mut lookup: impl FnMut(&str) -> Option<String>,
    ) -> Result<Self, CredentialsError> {
        let mut require = |name: &'static str| match lookup(name) {
            Some(value) if !value.is_empty() => Ok(value),
            Some(_) => Err(CredentialsError::new(name, "is set but empty")),
            None => Err(CredentialsError::new(name, "is not set")),
        };
        let secret_id = require(ENV_SECRET_ID)?;
        let secret_key = require(ENV_SECRET_KEY)?;
        let token = lookup(ENV_SESSION_TOKEN).filter(|token| !token.is_empty());
        let credentials = Self {
            secret_id,
            secret_key,
            token,
        };
        credentials.validate()?;
        Ok(credentials)
    }

    /// The secret id (`AKID...`), which is not secret and appears in every signature.
    pub fn secret_id(&self) -> &str {
        &self.secret_id
    }

    /// The secret key. Handle with care: it must never be logged.
    pub fn secret_key(&self) -> &str {
        &self.secret_key
    }

    /// The session token of temporary credentials.
    pub fn token(&self) -> Option<&str> {
        self.token.as_deref()
    }

    /// Checks the values for mistakes that would make every signature fail.
    ///
    /// Empty values and values with surrounding whitespace or control characters (a trailing newline
    /// pasted from a file is the usual one) are refused; the message names the field but never shows
    /// the secret.
    pub fn validate(&self) -> Result<(), CredentialsError> {
        check_value("secret id", &self.secret_id)?;
        check_value("secret key", &self.secret_key)?;
        if let Some(token) = &self.token {
            check_value("session token", token)?;
        }
        Ok(())
    }
}

fn check_value(field: &'static str, value: &str) -> Result<(), CredentialsError> {
    if value.is_empty() {
        return Err(CredentialsError::new(field, "is empty"));
    }
    if value.trim() != value {
        return Err(CredentialsError::new(
            field,
            "has leading or trailing whitespace (often a newline copied along with it)",
        ));
    }
    if value.chars().any(char::is_control) {
        return Err(CredentialsError::new(field, "contains control characters"));
    }
    Ok(())
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("secret_id", &self.secret_id)
            .field("secret_key", &"<redacted>")
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

/// Credentials are missing or malformed. The message names the source, never a secret value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CredentialsError {
    source_name: &'static str,
    reason: &'static str,
}

impl CredentialsError {
    fn new(source_name: &'static str, reason: &'static str) -> Self {
        Self {
            source_name,
            reason,
        }
    }

    /// The variable or field that is at fault.
    pub fn source_name(&self) -> &'static str {
        self.source_name
    }
}

impl fmt::Display for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "credentials: {} {}", self.source_name, self.reason)
    }
}

impl std::error::Error for CredentialsError {}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn lookup(vars: &[(&str, &str)]) -> impl FnMut(&str) -> Option<String> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |name| vars.get(name).cloned()
    }

    #[test]
    fn reads_all_three_variables() {
        let creds = Credentials::from_lookup(lookup(&[
            (ENV_SECRET_ID, "AKIDx"),
            (ENV_SECRET_KEY, "key"),
            (ENV_SESSION_TOKEN, "tok"),
        ]))
        .unwrap();
        assert_eq!(creds.secret_id(), "AKIDx");
        assert_eq!(creds.secret_key(), "key");
        assert_eq!(creds.token(), Some("tok"));
    }

    #[test]
    fn empty_token_means_none_and_missing_key_is_named() {
        let creds = Credentials::from_lookup(lookup(&[
            (ENV_SECRET_ID, "AKIDx"),
            (ENV_SECRET_KEY, "key"),
            (ENV_SESSION_TOKEN, ""),
        ]))
        .unwrap();
        assert_eq!(creds.token(), None);

        let err = Credentials::from_lookup(lookup(&[(ENV_SECRET_ID, "AKIDx")])).unwrap_err();
        assert_eq!(err.source_name(), ENV_SECRET_KEY);
        assert!(
            err.to_string()
                .contains("TENCENTCLOUD_SECRET_KEY is not set")
        );
    }

    #[test]
    fn stray_newline_is_refused_without_showing_the_secret() {
        let err = Credentials::from_lookup(lookup(&[
            (ENV_SECRET_ID, "AKIDx"),
            (ENV_SECRET_KEY, "very-secret\n"),
        ]))
        .unwrap_err();
        let text = err.to_string();
        assert!(text.contains("secret key"), "{text}");
        assert!(text.contains("whitespace"), "{text}");
        assert!(!text.contains("very-secret"), "{text}");
    }

    #[test]
    fn debug_hides_key_and_token() {
        let creds = Credentials::new("AKIDvisible", "hidden-key").with_token("hidden-token");
        let shown = format!("{creds:?} {creds:#?}");
        assert!(shown.contains("AKIDvisible"));
        assert!(!shown.contains("hidden-key"));
        assert!(!shown.contains("hidden-token"));
    }
}
