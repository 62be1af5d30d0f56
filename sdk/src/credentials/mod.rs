//! The key pair (and optional session token) that signs requests, and the providers that find it.
//!
//! [`Credentials`] are plain values. A [`ProvideCredentials`] implementation finds them when
//! they are needed:
//!
//! - [`Credentials`] themselves (fixed values),
//! - [`EnvironmentProvider`]: `TENCENTCLOUD_SECRET_ID`, `TENCENTCLOUD_SECRET_KEY` and
//!   `TENCENTCLOUD_SESSION_TOKEN`,
//! - [`ProfileFileProvider`]: the INI credentials file (`TENCENTCLOUD_CREDENTIALS_FILE`, else
//!   `~/.tencentcloud/credentials`, else `/etc/tencentcloud/credentials`),
//! - [`InstanceRoleProvider`]: the CAM role of the CVM instance the program runs on, fetched from
//!   the metadata service and refreshed before it expires,
//! - [`AssumeRoleProvider`]: a CAM role assumed through STS `AssumeRole` with other credentials,
//!   refreshed before it expires,
//! - [`WebIdentityProvider`]: a CAM role assumed through STS `AssumeRoleWithWebIdentity` with an
//!   OIDC token from a file; [`WebIdentityProvider::from_tke_env`] for the workload identity of
//!   a TKE pod (`TKE_REGION`, `TKE_PROVIDER_ID`, `TKE_WEB_IDENTITY_TOKEN_FILE`, `TKE_ROLE_ARN`),
//! - [`CredentialsChain`]: the first of several sources that has credentials,
//! - [`DefaultCredentialsChain`]: environment, then credentials file, then CVM instance role,
//!   then TKE workload identity,
//! - [`CachedProvider`]: keeps what another provider found until it is about to expire.
//!
//! A source that is simply not configured answers with a "not found" error
//! ([`CredentialsError::is_not_found`]) and a chain moves on to the next one. A source that is
//! configured but wrong (a variable with a trailing newline, a profile without its key) stops the
//! chain: quietly signing as some other identity would be worse than failing.
//!
//! ```no_run
//! # async fn run() -> Result<(), tencentcloud_sdk::credentials::CredentialsError> {
//! use tencentcloud_sdk::credentials::{
//!     CredentialsChain, DefaultCredentialsChain, EnvironmentProvider, InstanceRoleProvider,
//!     ProvideCredentials,
//! };
//!
//! // The usual order, reading the `[prod]` profile of the credentials file.
//! let chain = DefaultCredentialsChain::builder().profile("prod").build();
//! let credentials = chain.provide_credentials().await?;
//! println!("signing as {}", credentials.secret_id());
//!
//! // An order of your own.
//! let chain = CredentialsChain::first_try(EnvironmentProvider::new())
//!     .or_else(InstanceRoleProvider::builder().role_name("app-role").build());
//! let credentials = chain.provide_credentials().await?;
//! # Ok(())
//! # }
//! ```
//!
//! Secret keys and tokens never show in `Debug` output, in log events or in error messages.

mod assume_role;
mod cache;
mod chain;
mod environment;
mod error;
mod instance_role;
mod profile;
mod refreshing;
mod sts;
mod web_identity;

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

pub use assume_role::{AssumeRoleProvider, AssumeRoleProviderBuilder};
pub use cache::CachedProvider;
pub use chain::{CredentialsChain, DefaultCredentialsChain, DefaultCredentialsChainBuilder};
pub use environment::EnvironmentProvider;
pub use error::{CredentialsError, CredentialsErrorKind};
pub use instance_role::{InstanceRoleProvider, InstanceRoleProviderBuilder};
pub use profile::{ProfileFileProvider, ProfileFileProviderBuilder};
pub use web_identity::{
    ENV_TKE_PROVIDER_ID, ENV_TKE_REGION, ENV_TKE_ROLE_ARN, ENV_TKE_WEB_IDENTITY_TOKEN_FILE,
    TkeWebIdentityBuilder, WebIdentityProvider, WebIdentityProviderBuilder,
};

/// The environment variable holding the secret id.
pub const ENV_SECRET_ID: &str = "TENCENTCLOUD_SECRET_ID";
/// The environment variable holding the secret key.
pub const ENV_SECRET_KEY: &str = "TENCENTCLOUD_SECRET_KEY";
/// The environment variable holding the session token of temporary credentials.
pub const ENV_SESSION_TOKEN: &str = "TENCENTCLOUD_SESSION_TOKEN";
/// The environment variable naming the credentials file to read instead of the default locations.
pub const ENV_CREDENTIALS_FILE: &str = "TENCENTCLOUD_CREDENTIALS_FILE";

/// A secret id, secret key and, for temporary credentials, a session token and an expiry time.
///
/// `Debug` shows the secret id but never the key or the token. Cloning is cheap: the values are
/// shared, not copied.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    secret_id: Arc<str>,
    secret_key: Arc<str>,
    token: Option<Arc<str>>,
    expires_at: Option<SystemTime>,
}

impl Credentials {
    /// Long-lived credentials: a secret id and its key.
    ///
    /// The values are checked when a [`Config`](crate::Config) is built with them.
    pub fn new(secret_id: impl Into<String>, secret_key: impl Into<String>) -> Self {
        Self {
            secret_id: secret_id.into().into(),
            secret_key: secret_key.into().into(),
            token: None,
            expires_at: None,
        }
    }

    /// Adds the session token of temporary credentials (sent as `X-TC-Token`).
    #[must_use]
    pub fn with_token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into().into());
        self
    }

    /// Marks the credentials as valid until `at` (temporary credentials).
    #[must_use]
    pub fn with_expiry(mut self, at: SystemTime) -> Self {
        self.expires_at = Some(at);
        self
    }

    /// Reads `TENCENTCLOUD_SECRET_ID`, `TENCENTCLOUD_SECRET_KEY` and, when set and not empty,
    /// `TENCENTCLOUD_SESSION_TOKEN`.
    ///
    /// The values are checked as [`validate`](Self::validate) does, with the variable named in
    /// the error.
    pub fn from_env() -> Result<Self, CredentialsError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Like [`from_env`](Self::from_env), with variables looked up by a function instead.
    pub fn from_lookup(
        mut lookup: impl FnMut(&str) -> Option<String>,
    ) -> Result<Self, CredentialsError> {
        environment::read(&mut lookup)
    }

    /// The secret id (`AKID...`), which is not secret and appears in every signature.
    pub fn secret_id(&self) -> &str {
        &self.secret_id
    }

    /// The secret key. Handle with care: it must never be logged.
    pub fn secret_key(&self) -> &str {
        &self.secret_key
    }

    /// The secret key as shared, so that a cache can tell it from another without copying it.
    pub(crate) fn shared_secret_key(&self) -> &Arc<str> {
        &self.secret_key
    }

    /// The session token of temporary credentials.
    pub fn token(&self) -> Option<&str> {
        self.token.as_deref()
    }

    /// When temporary credentials stop being accepted; `None` for long-lived ones.
    pub fn expires_at(&self) -> Option<SystemTime> {
        self.expires_at
    }

    /// Checks the values for mistakes that would make every signature fail.
    ///
    /// Empty values and values with whitespace or control characters anywhere (a trailing newline
    /// pasted from a file is the usual one) are refused; the message names the field but never
    /// shows the secret. The expiry time is not looked at.
    pub fn validate(&self) -> Result<(), CredentialsError> {
        check_value("secret id", &self.secret_id)?;
        check_value("secret key", &self.secret_key)?;
        if let Some(token) = self.token.as_deref() {
            check_value("session token", token)?;
        }
        Ok(())
    }

    /// Refuses credentials whose expiry time is not after `now`.
    fn check_unexpired(&self, now: SystemTime) -> Result<(), CredentialsError> {
        match self.expires_at {
            Some(at) if at <= now => Err(CredentialsError::invalid(
                "credentials",
                format!("expired at {}", describe_time(at)),
            )),
            _ => Ok(()),
        }
    }
}

/// Checks one value (a secret id, key or token) for the mistakes [`Credentials::validate`]
/// refuses; `field` names it in the error.
fn check_value(field: impl Into<String>, value: &str) -> Result<(), CredentialsError> {
    let problem = if value.is_empty() {
        "is empty"
    } else if value.trim() != value {
        "has leading or trailing whitespace (often a newline copied along with it)"
    } else if value.chars().any(char::is_whitespace) {
        "contains whitespace or a line break"
    } else if value.chars().any(char::is_control) {
        "contains control characters"
    } else {
        return Ok(());
    };
    Err(CredentialsError::invalid(field.into(), problem))
}

/// An `ExpiredTime` as the metadata service and STS send it: Unix seconds, perhaps written as a
/// float (its fraction is dropped). `None` for anything else: text, a negative number, or a time
/// too far out.
fn expiry_time(value: Option<&serde_json::Value>) -> Option<SystemTime> {
    let value = value?;
    let seconds = value.as_u64().or_else(|| {
        value
            .as_f64()
            .filter(|seconds| seconds.is_finite() && *seconds >= 0.0 && *seconds < 1e15)
            // Truncation is intended: the services send whole seconds.
            .map(|seconds| seconds as u64)
    })?;
    UNIX_EPOCH.checked_add(std::time::Duration::from_secs(seconds))
}

/// A point in time as the error messages show it: seconds since the Unix epoch.
fn describe_time(at: SystemTime) -> String {
    match at.duration_since(UNIX_EPOCH) {
        Ok(since) => format!("unix time {}", since.as_secs()),
        Err(_) => "a time before 1970".to_owned(),
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("secret_id", &&*self.secret_id)
            .field("secret_key", &"<redacted>")
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// What [`ProvideCredentials::provide_credentials`] returns: a boxed future, so that the trait
/// can be used as `dyn ProvideCredentials`.
pub type ProvideFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Credentials, CredentialsError>> + Send + 'a>>;

/// A source of credentials, asked each time credentials are needed.
///
/// Implementations answer with a [`CredentialsError`] of kind
/// [`NotFound`](CredentialsErrorKind::NotFound) when they are not configured at all, so that a
/// [`CredentialsChain`] can try the next source, and with another kind when they are configured
/// but cannot give usable credentials.
pub trait ProvideCredentials: fmt::Debug + Send + Sync {
    /// Returns valid (validated, unexpired) credentials or says why not.
    fn provide_credentials(&self) -> ProvideFuture<'_>;

    /// A short name for the source ("environment", "credentials file"), used by
    /// [`CredentialsChain`] in its errors.
    fn name(&self) -> &str {
        "custom provider"
    }
}

/// Fixed credentials: checked with [`Credentials::validate`] and for expiry, then handed out.
impl ProvideCredentials for Credentials {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        let checked = self
            .validate()
            .and_then(|()| self.check_unexpired(SystemTime::now()))
            .map(|()| self.clone());
        Box::pin(std::future::ready(checked))
    }

    fn name(&self) -> &str {
        "static credentials"
    }
}

/// Fixed credentials that were checked when the configuration was built, so that they are not
/// checked again for every request; only an expiry is still looked at.
#[derive(Debug)]
pub(crate) struct Checked(pub(crate) Credentials);

impl ProvideCredentials for Checked {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        let credentials = &self.0;
        let outcome = match credentials.expires_at {
            Some(_) => credentials
                .check_unexpired(SystemTime::now())
                .map(|()| credentials.clone()),
            None => Ok(credentials.clone()),
        };
        Box::pin(std::future::ready(outcome))
    }

    fn name(&self) -> &str {
        self.0.name()
    }
}

/// A provider that can be cloned cheaply and shared between clients and tasks.
#[derive(Clone, Debug)]
pub struct SharedCredentialsProvider(Arc<dyn ProvideCredentials>);

impl SharedCredentialsProvider {
    /// Wraps a provider.
    pub fn new(provider: impl ProvideCredentials + 'static) -> Self {
        Self(Arc::new(provider))
    }
}

impl ProvideCredentials for SharedCredentialsProvider {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        self.0.provide_credentials()
    }

    fn name(&self) -> &str {
        self.0.name()
    }
}

/// Synchronous early check used by the Config builder: Err when the environment is half set
/// (secret id without key or the reverse, or a value with whitespace) so bad configuration fails
/// at Config build time rather than at the first request.
///
/// An environment without any of the variables is fine (credentials may come from elsewhere).
/// A session token without a secret id and key counts as half set.
pub fn check_environment(
    mut lookup: impl FnMut(&str) -> Option<String>,
) -> Result<(), CredentialsError> {
    match environment::read(&mut lookup) {
        Ok(_) => Ok(()),
        Err(err) if err.is_not_found() => Ok(()),
        Err(err) => Err(err),
    }
}

/// How providers look environment variables up: the process environment, or a function given
/// for tests.
type Lookup = Arc<dyn Fn(&str) -> Option<String> + Send + Sync>;

fn process_environment() -> Lookup {
    Arc::new(|name| std::env::var(name).ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;
    use std::time::Duration;

    pub(super) fn lookup(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + use<> {
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
        assert_eq!(creds.expires_at(), None);
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
        assert!(text.contains(ENV_SECRET_KEY), "{text}");
        assert!(text.contains("whitespace"), "{text}");
        assert!(!text.contains("very-secret"), "{text}");
        assert_eq!(err.kind(), CredentialsErrorKind::Invalid);
    }

    #[test]
    fn validate_names_each_kind_of_bad_value() {
        let cases = [
            (Credentials::new("", "key"), "secret id is empty"),
            (
                Credentials::new("AKIDx", " key"),
                "secret key has leading or trailing whitespace",
            ),
            (
                Credentials::new("AKIDx", "ke y"),
                "secret key contains whitespace",
            ),
            (
                Credentials::new("AKIDx", "ke\ry"),
                "secret key contains whitespace or a line break",
            ),
            (
                Credentials::new("AKIDx", "ke\u{7}y"),
                "secret key contains control characters",
            ),
            (
                Credentials::new("AKIDx", "key").with_token("to\nken"),
                "session token contains whitespace",
            ),
        ];
        for (credentials, expected) in cases {
            let err = credentials.validate().unwrap_err();
            assert!(err.to_string().contains(expected), "{err} / {expected}");
            assert_eq!(err.kind(), CredentialsErrorKind::Invalid);
        }
        Credentials::new("AKIDx", "key")
            .with_token("tok")
            .validate()
            .unwrap();
    }

    #[test]
    fn debug_hides_key_and_token() {
        let creds = Credentials::new("AKIDvisible", "hidden-key").with_token("hidden-token");
        let shown = format!("{creds:?} {creds:#?}");
        assert!(shown.contains("AKIDvisible"));
        assert!(!shown.contains("hidden-key"));
        assert!(!shown.contains("hidden-token"));

        let shared = SharedCredentialsProvider::new(creds);
        let shown = format!("{shared:?} {shared:#?}");
        assert!(shown.contains("AKIDvisible"), "{shown}");
        assert!(!shown.contains("hidden-key"), "{shown}");
        assert!(!shown.contains("hidden-token"), "{shown}");
    }

    #[tokio::test]
    async fn static_credentials_are_checked_before_they_are_handed_out() {
        let good = Credentials::new("AKIDx", "key").with_token("tok");
        assert_eq!(good.provide_credentials().await.unwrap(), good);

        let err = Credentials::new("AKIDx", "key\n")
            .provide_credentials()
            .await
            .unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::Invalid);

        let later = SystemTime::now() + Duration::from_secs(600);
        let temporary = Credentials::new("AKIDx", "key").with_expiry(later);
        assert_eq!(
            temporary.provide_credentials().await.unwrap().expires_at(),
            Some(later)
        );

        let expired = Credentials::new("AKIDx", "key")
            .with_expiry(UNIX_EPOCH + Duration::from_secs(1_000_000_000));
        let err = expired.provide_credentials().await.unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::Invalid);
        assert!(
            err.to_string().contains("expired at unix time 1000000000"),
            "{err}"
        );
    }

    #[tokio::test]
    async fn shared_provider_forwards_answers_and_name() {
        let shared = SharedCredentialsProvider::new(Credentials::new("AKIDx", "key"));
        let copy = shared.clone();
        assert_eq!(copy.name(), "static credentials");
        assert_eq!(
            copy.provide_credentials().await.unwrap().secret_id(),
            "AKIDx"
        );
    }

    #[test]
    fn check_environment_accepts_nothing_or_everything_and_refuses_halves() {
        check_environment(lookup(&[])).unwrap();
        check_environment(lookup(&[(ENV_SECRET_ID, ""), (ENV_SECRET_KEY, "")])).unwrap();
        check_environment(lookup(&[(ENV_SECRET_ID, "AKIDx"), (ENV_SECRET_KEY, "key")])).unwrap();

        let cases: [(&[(&str, &str)], &str); 5] = [
            (&[(ENV_SECRET_ID, "AKIDx")], ENV_SECRET_KEY),
            (&[(ENV_SECRET_KEY, "key")], ENV_SECRET_ID),
            (
                &[(ENV_SECRET_ID, "AKIDx"), (ENV_SECRET_KEY, "")],
                ENV_SECRET_KEY,
            ),
            (&[(ENV_SESSION_TOKEN, "tok")], ENV_SECRET_ID),
            (
                &[(ENV_SECRET_ID, "AKIDx "), (ENV_SECRET_KEY, "key")],
                ENV_SECRET_ID,
            ),
        ];
        for (vars, named) in cases {
            let err = check_environment(lookup(vars)).unwrap_err();
            assert_eq!(err.source_name(), named, "{err}");
            assert_eq!(err.kind(), CredentialsErrorKind::Invalid, "{err}");
        }
    }
}
