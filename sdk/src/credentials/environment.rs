//! Credentials from `TENCENTCLOUD_SECRET_ID`, `TENCENTCLOUD_SECRET_KEY` and
//! `TENCENTCLOUD_SESSION_TOKEN`.

use std::fmt;
use std::sync::Arc;

use super::{
    CredentialsError, ENV_SECRET_ID, ENV_SECRET_KEY, ENV_SESSION_TOKEN, Lookup, ProvideCredentials,
    ProvideFuture, check_value, process_environment,
};
use crate::Credentials;

/// Credentials from the environment variables `TENCENTCLOUD_SECRET_ID`,
/// `TENCENTCLOUD_SECRET_KEY` and, when set and not empty, `TENCENTCLOUD_SESSION_TOKEN`.
///
/// Not found when neither the secret id nor the key is set (an empty value counts as not set).
/// Invalid when only one of them is set, when only the token is set, or when a value has
/// whitespace or control characters; the message names the variable.
#[derive(Clone)]
pub struct EnvironmentProvider {
    lookup: Lookup,
    custom: bool,
}

impl EnvironmentProvider {
    /// Reads the process environment, each time credentials are asked for.
    pub fn new() -> Self {
        Self {
            lookup: process_environment(),
            custom: false,
        }
    }

    /// Looks the variables up with `lookup` instead of the process environment (for tests, or
    /// variables kept elsewhere).
    pub fn with_lookup(lookup: impl Fn(&str) -> Option<String> + Send + Sync + 'static) -> Self {
        Self::with_shared_lookup(Arc::new(lookup))
    }

    pub(super) fn with_shared_lookup(lookup: Lookup) -> Self {
        Self {
            lookup,
            custom: true,
        }
    }
}

impl Default for EnvironmentProvider {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for EnvironmentProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let source = if self.custom {
            "custom lookup"
        } else {
            "process environment"
        };
        f.debug_struct("EnvironmentProvider")
            .field("source", &source)
            .finish()
    }
}

impl ProvideCredentials for EnvironmentProvider {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        let lookup = &*self.lookup;
        Box::pin(std::future::ready(read(&mut |name| lookup(name))))
    }

    fn name(&self) -> &str {
        "environment"
    }
}

/// Reads and checks the three variables (see [`EnvironmentProvider`]).
pub(super) fn read(
    lookup: &mut dyn FnMut(&str) -> Option<String>,
) -> Result<Credentials, CredentialsError> {
    let secret_id = lookup(ENV_SECRET_ID);
    let secret_key = lookup(ENV_SECRET_KEY);
    let token = lookup(ENV_SESSION_TOKEN).filter(|token| !token.is_empty());
    match (
        non_empty(secret_id.as_deref()),
        non_empty(secret_key.as_deref()),
    ) {
        (Some(secret_id), Some(secret_key)) => {
            check_value(ENV_SECRET_ID, secret_id)?;
            check_value(ENV_SECRET_KEY, secret_key)?;
            let mut credentials = Credentials::new(secret_id, secret_key);
            if let Some(token) = token {
                check_value(ENV_SESSION_TOKEN, &token)?;
                credentials = credentials.with_token(token);
            }
            Ok(credentials)
        }
        (Some(_), None) => Err(CredentialsError::invalid(
            ENV_SECRET_KEY,
            format!(
                "{}, but {ENV_SECRET_ID} is set",
                describe_unset(secret_key.as_deref())
            ),
        )),
        (None, Some(_)) => Err(CredentialsError::invalid(
            ENV_SECRET_ID,
            format!(
                "{}, but {ENV_SECRET_KEY} is set",
                describe_unset(secret_id.as_deref())
            ),
        )),
        (None, None) if token.is_some() => Err(CredentialsError::invalid(
            ENV_SECRET_ID,
            format!(
                "{}, but {ENV_SESSION_TOKEN} is set",
                describe_unset(secret_id.as_deref())
            ),
        )),
        (None, None) => Err(CredentialsError::not_found(
            ENV_SECRET_ID,
            describe_unset(secret_id.as_deref()),
        )),
    }
}

fn non_empty(value: Option<&str>) -> Option<&str> {
    value.filter(|value| !value.is_empty())
}

fn describe_unset(value: Option<&str>) -> &'static str {
    match value {
        None => "is not set",
        Some(_) => "is set but empty",
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::lookup;
    use super::*;
    use crate::credentials::CredentialsErrorKind;

    async fn provide(vars: &[(&str, &str)]) -> Result<Credentials, CredentialsError> {
        EnvironmentProvider::with_lookup(lookup(vars))
            .provide_credentials()
            .await
    }

    #[tokio::test]
    async fn nothing_set_is_not_found_and_names_the_variable() {
        let err = provide(&[]).await.unwrap_err();
        assert!(err.is_not_found());
        assert_eq!(
            err.to_string(),
            "credentials: TENCENTCLOUD_SECRET_ID is not set"
        );

        let err = provide(&[(ENV_SECRET_ID, ""), (ENV_SECRET_KEY, "")])
            .await
            .unwrap_err();
        assert!(err.is_not_found());
        assert!(err.to_string().contains("is set but empty"), "{err}");
    }

    #[tokio::test]
    async fn full_set_gives_credentials_with_token() {
        let credentials = provide(&[
            (ENV_SECRET_ID, "AKIDenv"),
            (ENV_SECRET_KEY, "env-key"),
            (ENV_SESSION_TOKEN, "env-token"),
        ])
        .await
        .unwrap();
        assert_eq!(credentials.secret_id(), "AKIDenv");
        assert_eq!(credentials.secret_key(), "env-key");
        assert_eq!(credentials.token(), Some("env-token"));
    }

    #[tokio::test]
    async fn half_set_or_untidy_values_are_invalid_and_never_shown() {
        type Vars<'a> = &'a [(&'a str, &'a str)];
        let cases: [(Vars<'_>, &str, &str); 5] = [
            (
                &[(ENV_SECRET_ID, "AKIDenv")],
                ENV_SECRET_KEY,
                "TENCENTCLOUD_SECRET_KEY is not set, but TENCENTCLOUD_SECRET_ID is set",
            ),
            (
                &[(ENV_SECRET_KEY, "Zsecret-key-1")],
                ENV_SECRET_ID,
                "TENCENTCLOUD_SECRET_ID is not set, but TENCENTCLOUD_SECRET_KEY is set",
            ),
            (
                &[
                    (ENV_SECRET_ID, "AKIDenv"),
                    (ENV_SECRET_KEY, "Zsecret-key-1\n"),
                ],
                ENV_SECRET_KEY,
                "TENCENTCLOUD_SECRET_KEY has leading or trailing whitespace",
            ),
            (
                &[
                    (ENV_SECRET_ID, "AKIDenv"),
                    (ENV_SECRET_KEY, "Zsecret-key-1"),
                    (ENV_SESSION_TOKEN, "Ztoken-1\r\n"),
                ],
                ENV_SESSION_TOKEN,
                "TENCENTCLOUD_SESSION_TOKEN has leading or trailing whitespace",
            ),
            (
                &[(ENV_SESSION_TOKEN, "Ztoken-1")],
                ENV_SECRET_ID,
                "TENCENTCLOUD_SECRET_ID is not set, but TENCENTCLOUD_SESSION_TOKEN is set",
            ),
        ];
        for (vars, named, message) in cases {
            let err = provide(vars).await.unwrap_err();
            let shown = format!("{err} {err:?}");
            assert_eq!(err.kind(), CredentialsErrorKind::Invalid, "{shown}");
            assert_eq!(err.source_name(), named, "{shown}");
            assert!(shown.contains(message), "{shown}");
            assert!(!shown.contains("Zsecret-key-1"), "{shown}");
            assert!(!shown.contains("Ztoken-1"), "{shown}");
        }
    }

    #[test]
    fn debug_says_where_variables_come_from() {
        assert!(format!("{:?}", EnvironmentProvider::new()).contains("process environment"));
        let custom = EnvironmentProvider::with_lookup(|_| None);
        assert!(format!("{custom:?}").contains("custom lookup"));
    }
}
