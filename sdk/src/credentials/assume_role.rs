//! Credentials of a CAM role, assumed through STS `AssumeRole` with other credentials.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use serde_json::Value;

use super::refreshing::{Fetch, Refreshing};
use super::sts::{self, Target};
use super::{
    CredentialsError, DefaultCredentialsChain, ProvideCredentials, ProvideFuture,
    SharedCredentialsProvider, check_value, describe_time,
};
use crate::Credentials;
use crate::generic::GenericClient;

/// The name of the call in errors and logs.
const SOURCE: &str = "STS AssumeRole";

/// Temporary credentials of a CAM role, from STS `AssumeRole`, signed with the credentials of a
/// source provider.
///
/// ```no_run
/// # async fn run() -> Result<(), tencentcloud_sdk::credentials::CredentialsError> {
/// use std::time::Duration;
/// use tencentcloud_sdk::credentials::{AssumeRoleProvider, EnvironmentProvider, ProvideCredentials};
///
/// let role = AssumeRoleProvider::builder("qcs::cam::uin/100000000001:roleName/deployer", "ci-run")
///     .source(EnvironmentProvider::new())
///     .duration(Duration::from_secs(3600))
///     .build();
/// let credentials = role.provide_credentials().await?;
/// # Ok(())
/// # }
/// ```
///
/// The source is the [`DefaultCredentialsChain`] unless another is given with
/// [`source`](AssumeRoleProviderBuilder::source); it is asked only when the role's credentials
/// are fetched. The call goes to `sts.tencentcloudapi.com` in region `ap-guangzhou` unless told
/// otherwise, and asks for credentials lasting 2 hours.
///
/// The credentials are cached and fetched again once less than the refresh margin (5 minutes
/// by default) is left before they expire. Only one fetch runs at a time: callers arriving while
/// credentials are being fetched either keep using the cached ones, if they are still valid, or
/// wait for the fetch and share its outcome. When an early refresh fails, the cached credentials
/// are used until they expire, a warning is logged, and the refresh is tried again 10 seconds
/// later at the earliest.
///
/// The settings are checked when credentials are first asked for; a wrong one is an
/// [`Invalid`](super::CredentialsErrorKind::Invalid) error naming it (`session_name`,
/// `duration`, `policy`). STS errors and unusable answers are
/// [`Unavailable`](super::CredentialsErrorKind::Unavailable) errors naming `STS AssumeRole`, with
/// the error code and RequestId. Errors, logs and `Debug` output never show a secret key or a
/// token, nor the external id.
///
/// Clones share the cache.
#[derive(Clone)]
pub struct AssumeRoleProvider {
    inner: Arc<Refreshing<AssumeRole>>,
}

struct AssumeRole {
    settings: Settings,
    /// Made at the first fetch and kept, so that connections are reused.
    client: Mutex<Option<GenericClient>>,
}

#[derive(Clone)]
struct Settings {
    role_arn: String,
    session_name: String,
    duration: Duration,
    policy: Option<String>,
    external_id: Option<String>,
    source: Option<SharedCredentialsProvider>,
    target: Target,
    refresh_margin: Duration,
}

impl AssumeRoleProvider {
    /// Starts choosing the settings for assuming the role `role_arn`
    /// (`qcs::cam::uin/<account>:roleName/<name>`) under the session name `session_name` (2 to
    /// 128 letters, digits and `+=,.@_-`; it shows in the audit logs of the calls made with the
    /// credentials).
    pub fn builder(
        role_arn: impl Into<String>,
        session_name: impl Into<String>,
    ) -> AssumeRoleProviderBuilder {
        AssumeRoleProviderBuilder {
            settings: Settings {
                role_arn: role_arn.into(),
                session_name: session_name.into(),
                duration: sts::DEFAULT_DURATION,
                policy: None,
                external_id: None,
                source: None,
                target: Target::default(),
                refresh_margin: sts::DEFAULT_REFRESH_MARGIN,
            },
        }
    }
}

impl AssumeRole {
    async fn fetch_credentials(&self) -> Result<Credentials, CredentialsError> {
        let settings = &self.settings;
        check_value("role_arn", &settings.role_arn)?;
        sts::check_session_name(&settings.session_name)?;
        let duration_seconds = sts::check_duration(settings.duration, settings.refresh_margin)?;
        let policy = settings.policy.as_deref().map(encoded_policy).transpose()?;
        if settings.external_id.as_deref() == Some("") {
            return Err(CredentialsError::invalid("external_id", "is empty"));
        }

        let client = self.client()?;
        let mut call = client
            .call("AssumeRole")
            .param("RoleArn", settings.role_arn.clone())
            .param("RoleSessionName", settings.session_name.clone())
            .param("DurationSeconds", duration_seconds)
            // Assuming a role twice only gives two sets of credentials.
            .idempotent(true);
        if let Some(policy) = policy {
            call = call.param("Policy", policy);
        }
        if let Some(external_id) = &settings.external_id {
            call = call.secret_param("ExternalId", external_id.clone());
        }
        let response: Value = call
            .send()
            .await
            .map_err(|err| sts::describe_failure(SOURCE, err, settings.external_id.as_deref()))?;
        let credentials =
            sts::read_credentials(SOURCE, &response, SystemTime::now(), settings.duration)?;
        let expires_at = credentials
            .expires_at()
            .map(describe_time)
            .unwrap_or_default();
        tracing::debug!(
            role_arn = %settings.role_arn,
            session_name = %settings.session_name,
            secret_id = credentials.secret_id(),
            %expires_at,
            request_id = sts::request_id(&response),
            "assumed a CAM role through STS AssumeRole"
        );
        Ok(credentials)
    }

    fn client(&self) -> Result<GenericClient, CredentialsError> {
        let mut client = self.client.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(client) = &*client {
            return Ok(client.clone());
        }
        let source = match &self.settings.source {
            Some(source) => source.clone(),
            None => SharedCredentialsProvider::new(DefaultCredentialsChain::new()),
        };
        let made = sts::client("AssumeRole", &self.settings.target, source)?;
        *client = Some(made.clone());
        Ok(made)
    }
}

impl Fetch for AssumeRole {
    fn fetch(&self) -> impl Future<Output = Result<Credentials, CredentialsError>> + Send + '_ {
        self.fetch_credentials()
    }
}

/// Checks that the policy is JSON and encodes it as STS wants it.
fn encoded_policy(policy: &str) -> Result<String, CredentialsError> {
    match serde_json::from_str::<Value>(policy) {
        Ok(Value::Object(_)) => Ok(sts::url_encode(policy)),
        Ok(_) => Err(CredentialsError::invalid(
            "policy",
            "is JSON but not an object",
        )),
        Err(err) => Err(CredentialsError::invalid(
            "policy",
            format!(
                "is not valid JSON (error at line {}, column {})",
                err.line(),
                err.column()
            ),
        )),
    }
}

impl ProvideCredentials for AssumeRoleProvider {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(self.inner.provide())
    }

    fn name(&self) -> &str {
        "assumed role"
    }
}

impl fmt::Debug for AssumeRoleProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut shown = f.debug_struct("AssumeRoleProvider");
        self.inner.fetcher().settings.show(&mut shown);
        shown
            .field("cached_until", &self.inner.cached_until())
            .finish()
    }
}

impl Settings {
    fn show(&self, shown: &mut fmt::DebugStruct<'_, '_>) {
        shown
            .field("role_arn", &self.role_arn)
            .field("session_name", &self.session_name)
            .field("duration", &self.duration)
            .field("policy", &self.policy.as_ref().map(|_| "<set>"))
            .field(
                "external_id",
                &self.external_id.as_ref().map(|_| "<redacted>"),
            )
            .field("source", &self.source)
            .field("region", &self.target.region)
            .field("endpoint", &self.target.endpoint)
            .field("timeout", &self.target.timeout)
            .field("refresh_margin", &self.refresh_margin);
    }
}

/// Chooses the settings of an [`AssumeRoleProvider`].
#[derive(Clone)]
pub struct AssumeRoleProviderBuilder {
    settings: Settings,
}

impl AssumeRoleProviderBuilder {
    /// How long the credentials should last: from 1 second to 12 hours (43200 seconds), in whole
    /// seconds; 2 hours unless set. STS may give less than asked (for instance when the role's
    /// own maximum is shorter).
    pub fn duration(mut self, duration: Duration) -> Self {
        self.settings.duration = duration;
        self
    }

    /// A policy (CAM policy JSON, such as
    /// `{"version":"2.0","statement":[{"effect":"allow","action":["cos:GetObject"],"resource":["*"]}]}`)
    /// that narrows what the credentials may do: they get what both the role and this policy
    /// allow. Give the JSON as it is; the provider URL-encodes it, as STS requires.
    pub fn policy(mut self, json: impl Into<String>) -> Self {
        self.settings.policy = Some(json.into());
        self
    }

    /// The external id the role's trust policy asks for. It is never shown in `Debug` output,
    /// logs or errors.
    pub fn external_id(mut self, external_id: impl Into<String>) -> Self {
        self.settings.external_id = Some(external_id.into());
        self
    }

    /// Signs the `AssumeRole` calls with the credentials of `provider` instead of those of the
    /// [`DefaultCredentialsChain`].
    pub fn source(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.settings.source = Some(SharedCredentialsProvider::new(provider));
        self
    }

    /// The region the `AssumeRole` calls are sent to (`ap-guangzhou` unless set). It does not
    /// limit where the credentials can be used.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.settings.target.region = region.into();
        self
    }

    /// Sends the `AssumeRole` calls to this URL instead of `https://sts.tencentcloudapi.com`
    /// (a private endpoint, or a local server in tests).
    pub fn endpoint(mut self, url: impl Into<String>) -> Self {
        self.settings.target.endpoint = Some(url.into());
        self
    }

    /// The time allowed for one `AssumeRole` call, retries included (20 seconds unless set).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.settings.target.timeout = timeout;
        self
    }

    /// How long before they expire the credentials are fetched again (5 minutes unless set). It
    /// must be shorter than the [`duration`](Self::duration).
    pub fn refresh_margin(mut self, margin: Duration) -> Self {
        self.settings.refresh_margin = margin;
        self
    }

    /// Makes the provider. Nothing is checked or sent before credentials are first asked for.
    pub fn build(self) -> AssumeRoleProvider {
        let margin = self.settings.refresh_margin;
        let fetcher = AssumeRole {
            settings: self.settings,
            client: Mutex::new(None),
        };
        AssumeRoleProvider {
            inner: Arc::new(Refreshing::new(
                fetcher,
                "credentials of the assumed role",
                margin,
            )),
        }
    }
}

impl fmt::Debug for AssumeRoleProviderBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut shown = f.debug_struct("AssumeRoleProviderBuilder");
        self.settings.show(&mut shown);
        shown.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::CredentialsErrorKind;

    async fn error_of(builder: AssumeRoleProviderBuilder) -> CredentialsError {
        // Nothing listens on port 1: a setting that passed its checks would fail to connect.
        builder
            .source(Credentials::new("AKIDsource", "Zq8-source-key"))
            .endpoint("http://127.0.0.1:1")
            .timeout(Duration::from_secs(2))
            .build()
            .provide_credentials()
            .await
            .unwrap_err()
    }

    #[tokio::test]
    async fn bad_settings_are_invalid_and_named() {
        let role = "qcs::cam::uin/100000000001:roleName/test";
        let cases = [
            (AssumeRoleProvider::builder("", "session"), "role_arn"),
            (AssumeRoleProvider::builder(role, "s"), "session_name"),
            (
                AssumeRoleProvider::builder(role, "with space"),
                "session_name",
            ),
            (
                AssumeRoleProvider::builder(role, "session").duration(Duration::ZERO),
                "duration",
            ),
            (
                AssumeRoleProvider::builder(role, "session").duration(Duration::from_secs(43_201)),
                "duration",
            ),
            (
                AssumeRoleProvider::builder(role, "session")
                    .duration(Duration::from_secs(600))
                    .refresh_margin(Duration::from_secs(600)),
                "refresh_margin",
            ),
            (
                AssumeRoleProvider::builder(role, "session").policy("{\"version\":"),
                "policy",
            ),
            (
                AssumeRoleProvider::builder(role, "session").policy("[]"),
                "policy",
            ),
            (
                AssumeRoleProvider::builder(role, "session").external_id(""),
                "external_id",
            ),
            (
                AssumeRoleProvider::builder(role, "session").region("Not A Region"),
                "region",
            ),
        ];
        for (builder, named) in cases {
            let err = error_of(builder).await;
            assert_eq!(err.kind(), CredentialsErrorKind::Invalid, "{err}");
            assert_eq!(err.source_name(), named, "{err}");
            assert!(!format!("{err} {err:?}").contains("Zq8"), "{err}");
        }
    }

    #[tokio::test]
    async fn an_unreachable_sts_is_unavailable() {
        let builder =
            AssumeRoleProvider::builder("qcs::cam::uin/100000000001:roleName/test", "session");
        let err = error_of(builder).await;
        assert_eq!(err.kind(), CredentialsErrorKind::Unavailable, "{err}");
        assert_eq!(err.source_name(), SOURCE, "{err}");
        assert!(err.to_string().contains("could not be reached"), "{err}");
    }

    #[test]
    fn debug_hides_the_external_id_and_the_source_secret() {
        let builder = AssumeRoleProvider::builder("qcs::cam::uin/1:roleName/r", "session")
            .external_id("Zq8-external")
            .policy("{}")
            .source(Credentials::new("AKIDsource", "Zq8-source-key"));
        let provider = builder.clone().build();
        let shown = format!("{builder:?} {provider:?} {provider:#?}");
        assert!(shown.contains("qcs::cam::uin/1:roleName/r"), "{shown}");
        assert!(shown.contains("AKIDsource"), "{shown}");
        assert!(!shown.contains("Zq8"), "{shown}");
    }
}
