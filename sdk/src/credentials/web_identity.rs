//! Credentials of a CAM role, assumed through STS `AssumeRoleWithWebIdentity` with an OIDC token:
//! the workload identity of TKE pods, or any OIDC identity provider registered with CAM.

use std::fmt;
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use serde_json::Value;

use super::refreshing::{Fetch, Refreshing};
use super::sts::{self, NoCredentials, Target};
use super::{
    CredentialsError, Lookup, ProvideCredentials, ProvideFuture, SharedCredentialsProvider,
    check_value, describe_time, process_environment,
};
use crate::Credentials;
use crate::generic::GenericClient;

/// The environment variable naming the region of the STS call, in a TKE pod.
pub const ENV_TKE_REGION: &str = "TKE_REGION";
/// The environment variable holding the id of the OIDC identity provider, in a TKE pod.
pub const ENV_TKE_PROVIDER_ID: &str = "TKE_PROVIDER_ID";
/// The environment variable naming the file that holds the pod's OIDC token, in a TKE pod.
pub const ENV_TKE_WEB_IDENTITY_TOKEN_FILE: &str = "TKE_WEB_IDENTITY_TOKEN_FILE";
/// The environment variable naming the CAM role to assume, in a TKE pod.
pub const ENV_TKE_ROLE_ARN: &str = "TKE_ROLE_ARN";

/// The four TKE variables, in the order they are reported.
const TKE_VARIABLES: [&str; 4] = [
    ENV_TKE_REGION,
    ENV_TKE_PROVIDER_ID,
    ENV_TKE_WEB_IDENTITY_TOKEN_FILE,
    ENV_TKE_ROLE_ARN,
];

/// The name of the call in errors and logs.
const SOURCE: &str = "STS AssumeRoleWithWebIdentity";
/// OIDC tokens are a few kilobytes; a longer file is not a token.
const MAX_TOKEN_BYTES: u64 = 64 * 1024;

/// Temporary credentials of a CAM role, from STS `AssumeRoleWithWebIdentity`: an OIDC token
/// read from a file is traded for them, without any other credentials (the call is not signed).
///
/// Two ways to set it up:
///
/// - [`from_tke_env`](Self::from_tke_env) (or [`tke_builder`](Self::tke_builder)) for a pod of
///   TKE with workload identity: the region, provider id, token file and role come from
///   `TKE_REGION`, `TKE_PROVIDER_ID`, `TKE_WEB_IDENTITY_TOKEN_FILE` and `TKE_ROLE_ARN`, read each
///   time credentials are fetched. When none of them is set the provider answers "not found",
///   so that a chain moves on; when only some are, it answers
///   [`Invalid`](super::CredentialsErrorKind::Invalid), naming the first missing one.
/// - [`builder`](Self::builder) for any OIDC identity provider registered with CAM.
///
/// The token file is read again at each fetch, since Kubernetes replaces the token before it
/// expires; it may end with a newline, and may be at most 64 KiB long. The session name is
/// `tencentcloud-rust-sdk-` followed by the time in microseconds, unless one is given.
///
/// The credentials are cached and refreshed as [`AssumeRoleProvider`](super::AssumeRoleProvider)
/// does: fetched again when less than the refresh margin (5 minutes by default) is left, by one
/// caller at a time, the cached ones kept in use while they are valid if a refresh fails. STS
/// errors and unusable answers are [`Unavailable`](super::CredentialsErrorKind::Unavailable)
/// errors naming `STS AssumeRoleWithWebIdentity`, with the error code and RequestId. Errors,
/// logs and `Debug` output never show the token, the secret key or the session token.
///
/// Clones share the cache.
#[derive(Clone)]
pub struct WebIdentityProvider {
    inner: Arc<Refreshing<WebIdentity>>,
}

struct WebIdentity {
    identity: Identity,
    options: Options,
    /// Made at the first fetch and kept, so that connections are reused; made again when the
    /// region changes (the TKE variables are read at each fetch).
    client: Mutex<Option<(String, GenericClient)>>,
}

enum Identity {
    Given(Given),
    Tke { lookup: Lookup, custom: bool },
}

#[derive(Clone, Debug)]
struct Given {
    region: String,
    provider_id: String,
    token_file: PathBuf,
    role_arn: String,
    session_name: Option<String>,
}

#[derive(Clone, Debug)]
struct Options {
    endpoint: Option<String>,
    duration: Duration,
    timeout: Duration,
    refresh_margin: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            endpoint: None,
            duration: sts::DEFAULT_DURATION,
            timeout: sts::DEFAULT_TIMEOUT,
            refresh_margin: sts::DEFAULT_REFRESH_MARGIN,
        }
    }
}

/// The settings of one fetch.
struct Resolved {
    region: String,
    /// The name a wrong region is reported under.
    region_setting: &'static str,
    provider_id: String,
    token_file: PathBuf,
    role_arn: String,
    session_name: String,
}

impl WebIdentityProvider {
    /// Starts choosing the settings for trading the OIDC token in `token_file`, issued by the
    /// identity provider `provider_id` (as registered with CAM), for credentials of the role
    /// `role_arn`.
    pub fn builder(
        provider_id: impl Into<String>,
        token_file: impl Into<PathBuf>,
        role_arn: impl Into<String>,
    ) -> WebIdentityProviderBuilder {
        WebIdentityProviderBuilder {
            given: Given {
                region: sts::DEFAULT_REGION.to_owned(),
                provider_id: provider_id.into(),
                token_file: token_file.into(),
                role_arn: role_arn.into(),
                session_name: None,
            },
            options: Options::default(),
        }
    }

    /// The workload identity of a TKE pod, from the `TKE_*` variables of the process
    /// environment, with the default settings.
    pub fn from_tke_env() -> Self {
        Self::tke_builder().build()
    }

    /// Starts choosing the settings of a provider that reads the `TKE_*` variables.
    pub fn tke_builder() -> TkeWebIdentityBuilder {
        TkeWebIdentityBuilder {
            lookup: None,
            options: Options::default(),
        }
    }
}

impl WebIdentity {
    fn resolve(&self) -> Result<Resolved, CredentialsError> {
        let now = SystemTime::now();
        match &self.identity {
            Identity::Given(given) => {
                check_value("provider_id", &given.provider_id)?;
                check_value("role_arn", &given.role_arn)?;
                if let Some(name) = &given.session_name {
                    sts::check_session_name(name)?;
                }
                Ok(Resolved {
                    region: given.region.clone(),
                    region_setting: "region",
                    provider_id: given.provider_id.clone(),
                    token_file: given.token_file.clone(),
                    role_arn: given.role_arn.clone(),
                    session_name: given
                        .session_name
                        .clone()
                        .unwrap_or_else(|| sts::generated_session_name(now)),
                })
            }
            Identity::Tke { lookup, .. } => {
                let [region, provider_id, token_file, role_arn] = read_tke_variables(&**lookup)?;
                check_value(ENV_TKE_REGION, &region)?;
                check_value(ENV_TKE_PROVIDER_ID, &provider_id)?;
                check_value(ENV_TKE_ROLE_ARN, &role_arn)?;
                Ok(Resolved {
                    region,
                    region_setting: ENV_TKE_REGION,
                    provider_id,
                    token_file: PathBuf::from(token_file),
                    role_arn,
                    session_name: sts::generated_session_name(now),
                })
            }
        }
    }

    async fn fetch_credentials(&self) -> Result<Credentials, CredentialsError> {
        let resolved = self.resolve()?;
        let options = &self.options;
        let duration_seconds = sts::check_duration(options.duration, options.refresh_margin)?;
        let token = read_token(&resolved.token_file)?;
        let client = self.client(&resolved)?;
        let response: Value = client
            .call("AssumeRoleWithWebIdentity")
            .param("ProviderId", resolved.provider_id.clone())
            .secret_param("WebIdentityToken", token.clone())
            .param("RoleArn", resolved.role_arn.clone())
            .param("RoleSessionName", resolved.session_name.clone())
            .param("DurationSeconds", duration_seconds)
            .unsigned()
            // Trading the token twice only gives two sets of credentials.
            .idempotent(true)
            .send()
            .await
            .map_err(|err| sts::describe_failure(SOURCE, err, Some(&token)))?;
        let credentials =
            sts::read_credentials(SOURCE, &response, SystemTime::now(), options.duration)?;
        let expires_at = credentials
            .expires_at()
            .map(describe_time)
            .unwrap_or_default();
        tracing::debug!(
            role_arn = %resolved.role_arn,
            provider_id = %resolved.provider_id,
            session_name = %resolved.session_name,
            secret_id = credentials.secret_id(),
            %expires_at,
            request_id = sts::request_id(&response),
            "assumed a CAM role through STS AssumeRoleWithWebIdentity"
        );
        Ok(credentials)
    }

    fn client(&self, resolved: &Resolved) -> Result<GenericClient, CredentialsError> {
        let mut client = self.client.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((region, client)) = &*client {
            if *region == resolved.region {
                return Ok(client.clone());
            }
        }
        let target = Target {
            region: resolved.region.clone(),
            endpoint: self.options.endpoint.clone(),
            timeout: self.options.timeout,
        };
        let unsigned = SharedCredentialsProvider::new(NoCredentials(SOURCE));
        let made = sts::client("AssumeRoleWithWebIdentity", &target, unsigned).map_err(|err| {
            if err.source_name() == "region" {
                CredentialsError::invalid(resolved.region_setting, err.reason().to_owned())
            } else {
                err
            }
        })?;
        *client = Some((resolved.region.clone(), made.clone()));
        Ok(made)
    }
}

impl Fetch for WebIdentity {
    fn fetch(&self) -> impl Future<Output = Result<Credentials, CredentialsError>> + Send + '_ {
        self.fetch_credentials()
    }
}

/// The four TKE variables (empty counts as not set), or why they cannot be used: not found when
/// none is set, invalid when only some are.
fn read_tke_variables(
    lookup: &(dyn Fn(&str) -> Option<String> + Send + Sync),
) -> Result<[String; 4], CredentialsError> {
    let values = TKE_VARIABLES.map(|name| lookup(name).filter(|value| !value.is_empty()));
    let set: Vec<&str> = TKE_VARIABLES
        .iter()
        .zip(&values)
        .filter(|(_, value)| value.is_some())
        .map(|(name, _)| *name)
        .collect();
    if set.is_empty() {
        return Err(CredentialsError::not_found(
            "TKE_REGION, TKE_PROVIDER_ID, TKE_WEB_IDENTITY_TOKEN_FILE and TKE_ROLE_ARN",
            "are not set",
        ));
    }
    let missing = TKE_VARIABLES
        .iter()
        .zip(&values)
        .find(|(_, value)| value.is_none());
    if let Some((name, _)) = missing {
        let verb = if set.len() == 1 { "is" } else { "are" };
        return Err(CredentialsError::invalid(
            *name,
            format!("is not set, but {} {verb} set", list(&set)),
        ));
    }
    Ok(values.map(Option::unwrap_or_default))
}

/// `A`, `A and B`, `A, B and C`.
fn list(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [only] => (*only).to_owned(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Reads the token, up to [`MAX_TOKEN_BYTES`], without a final line break.
///
/// The file is small and local, so it is read with a blocking call rather than handed to
/// another thread.
fn read_token(path: &Path) -> Result<String, CredentialsError> {
    let name = || format!("web identity token file {}", path.display());
    let unreadable = |err: io::Error| match err.kind() {
        io::ErrorKind::NotFound => CredentialsError::invalid(name(), "does not exist"),
        _ => CredentialsError::unavailable(name(), format!("could not be read ({err})")),
    };
    let file = File::open(path).map_err(unreadable)?;
    let mut bytes = Vec::new();
    file.take(MAX_TOKEN_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() as u64 > MAX_TOKEN_BYTES {
        return Err(CredentialsError::invalid(
            name(),
            format!("is longer than {MAX_TOKEN_BYTES} bytes, which no OIDC token is"),
        ));
    }
    let text =
        String::from_utf8(bytes).map_err(|_| CredentialsError::invalid(name(), "is not text"))?;
    let token = match text.strip_suffix('\n') {
        Some(line) => line.strip_suffix('\r').unwrap_or(line),
        None => &text,
    };
    check_value(name(), token)?;
    Ok(token.to_owned())
}

impl ProvideCredentials for WebIdentityProvider {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(self.inner.provide())
    }

    fn name(&self) -> &str {
        match self.inner.fetcher().identity {
            Identity::Given(_) => "web identity role",
            Identity::Tke { .. } => "TKE OIDC role",
        }
    }
}

impl fmt::Debug for WebIdentityProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let fetcher = self.inner.fetcher();
        let mut shown = f.debug_struct("WebIdentityProvider");
        match &fetcher.identity {
            Identity::Given(given) => given.show(&mut shown),
            Identity::Tke { custom, .. } => show_tke(*custom, &mut shown),
        }
        fetcher.options.show(&mut shown);
        shown
            .field("cached_until", &self.inner.cached_until())
            .finish()
    }
}

impl Given {
    fn show(&self, shown: &mut fmt::DebugStruct<'_, '_>) {
        shown
            .field("region", &self.region)
            .field("provider_id", &self.provider_id)
            .field("token_file", &self.token_file)
            .field("role_arn", &self.role_arn)
            .field("session_name", &self.session_name);
    }
}

fn show_tke(custom: bool, shown: &mut fmt::DebugStruct<'_, '_>) {
    let source = if custom {
        "TKE_* variables from a custom lookup"
    } else {
        "TKE_* variables from the process environment"
    };
    shown.field("settings", &source);
}

impl Options {
    fn show(&self, shown: &mut fmt::DebugStruct<'_, '_>) {
        shown
            .field("endpoint", &self.endpoint)
            .field("duration", &self.duration)
            .field("timeout", &self.timeout)
            .field("refresh_margin", &self.refresh_margin);
    }
}

fn build(identity: Identity, options: Options) -> WebIdentityProvider {
    let what = match identity {
        Identity::Given(_) => "credentials of the web identity role",
        Identity::Tke { .. } => "credentials of the TKE OIDC role",
    };
    let margin = options.refresh_margin;
    let fetcher = WebIdentity {
        identity,
        options,
        client: Mutex::new(None),
    };
    WebIdentityProvider {
        inner: Arc::new(Refreshing::new(fetcher, what, margin)),
    }
}

/// The setters both builders share, of their `options` field.
macro_rules! options_setters {
    () => {
        /// How long the credentials should last: from 1 second to 12 hours (43200 seconds), in whole
        /// seconds; 2 hours unless set.
        pub fn duration(mut self, duration: Duration) -> Self {
            self.options.duration = duration;
            self
        }

        /// Sends the calls to this URL instead of `https://sts.tencentcloudapi.com` (a private
        /// endpoint, or a local server in tests).
        pub fn endpoint(mut self, url: impl Into<String>) -> Self {
            self.options.endpoint = Some(url.into());
            self
        }

        /// The time allowed for one call, retries included (20 seconds unless set).
        pub fn timeout(mut self, timeout: Duration) -> Self {
            self.options.timeout = timeout;
            self
        }

        /// How long before they expire the credentials are fetched again (5 minutes unless set). It
        /// must be shorter than the [`duration`](Self::duration).
        pub fn refresh_margin(mut self, margin: Duration) -> Self {
            self.options.refresh_margin = margin;
            self
        }
    };
}

/// Chooses the settings of a [`WebIdentityProvider`] for an OIDC identity provider of your own.
#[derive(Clone, Debug)]
pub struct WebIdentityProviderBuilder {
    given: Given,
    options: Options,
}

impl WebIdentityProviderBuilder {
    /// The region the calls are sent to (`ap-guangzhou` unless set). It does not limit where
    /// the credentials can be used.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.given.region = region.into();
        self
    }

    /// The session name (2 to 128 letters, digits and `+=,.@_-`), instead of one made up at
    /// each fetch.
    pub fn session_name(mut self, name: impl Into<String>) -> Self {
        self.given.session_name = Some(name.into());
        self
    }

    options_setters!();

    /// Makes the provider. Nothing is checked, read or sent before credentials are first asked
    /// for.
    pub fn build(self) -> WebIdentityProvider {
        build(Identity::Given(self.given), self.options)
    }
}

/// Chooses the settings of a [`WebIdentityProvider`] that reads the `TKE_*` variables.
#[derive(Clone)]
pub struct TkeWebIdentityBuilder {
    lookup: Option<Lookup>,
    options: Options,
}

impl TkeWebIdentityBuilder {
    /// Looks the `TKE_*` variables up with `lookup` instead of in the process environment (for
    /// tests, or variables kept elsewhere).
    pub fn lookup(
        mut self,
        lookup: impl Fn(&str) -> Option<String> + Send + Sync + 'static,
    ) -> Self {
        self.lookup = Some(Arc::new(lookup));
        self
    }

    pub(super) fn shared_lookup(mut self, lookup: Lookup) -> Self {
        self.lookup = Some(lookup);
        self
    }

    options_setters!();

    /// Makes the provider. The variables are read each time credentials are fetched.
    pub fn build(self) -> WebIdentityProvider {
        let identity = match self.lookup {
            Some(lookup) => Identity::Tke {
                lookup,
                custom: true,
            },
            None => Identity::Tke {
                lookup: process_environment(),
                custom: false,
            },
        };
        build(identity, self.options)
    }
}

impl fmt::Debug for TkeWebIdentityBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut shown = f.debug_struct("TkeWebIdentityBuilder");
        show_tke(self.lookup.is_some(), &mut shown);
        self.options.show(&mut shown);
        shown.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::lookup;
    use super::*;
    use crate::credentials::CredentialsErrorKind;

    fn tke(vars: &[(&str, &str)]) -> Result<[String; 4], CredentialsError> {
        let lookup = lookup(vars);
        read_tke_variables(&lookup)
    }

    #[test]
    fn no_tke_variable_is_not_found_and_some_are_invalid() {
        let err = tke(&[]).unwrap_err();
        assert!(err.is_not_found(), "{err}");
        assert_eq!(
            err.to_string(),
            "credentials: TKE_REGION, TKE_PROVIDER_ID, TKE_WEB_IDENTITY_TOKEN_FILE and \
             TKE_ROLE_ARN are not set"
        );
        assert!(tke(&[(ENV_TKE_ROLE_ARN, "")]).unwrap_err().is_not_found());

        let err = tke(&[(ENV_TKE_ROLE_ARN, "qcs::cam::uin/1:roleName/r")]).unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::Invalid);
        assert_eq!(err.source_name(), ENV_TKE_REGION);
        assert_eq!(
            err.to_string(),
            "credentials: TKE_REGION is not set, but TKE_ROLE_ARN is set"
        );

        let err = tke(&[
            (ENV_TKE_REGION, "ap-guangzhou"),
            (ENV_TKE_PROVIDER_ID, "provider"),
            (ENV_TKE_ROLE_ARN, "qcs::cam::uin/1:roleName/r"),
        ])
        .unwrap_err();
        assert_eq!(err.source_name(), ENV_TKE_WEB_IDENTITY_TOKEN_FILE);
        assert!(
            err.to_string()
                .ends_with("but TKE_REGION, TKE_PROVIDER_ID and TKE_ROLE_ARN are set"),
            "{err}"
        );

        let all = tke(&[
            (ENV_TKE_REGION, "ap-shanghai"),
            (ENV_TKE_PROVIDER_ID, "provider"),
            (ENV_TKE_WEB_IDENTITY_TOKEN_FILE, "/token"),
            (ENV_TKE_ROLE_ARN, "qcs::cam::uin/1:roleName/r"),
        ])
        .unwrap();
        assert_eq!(all[0], "ap-shanghai");
        assert_eq!(all[2], "/token");
    }

    #[test]
    fn tokens_are_read_bounded_and_without_the_final_newline() {
        let dir =
            std::env::temp_dir().join(format!("tencentcloud-sdk-token-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("token");
        for (contents, token) in [
            ("Zq8.jwt.one\n", "Zq8.jwt.one"),
            ("Zq8.jwt.two\r\n", "Zq8.jwt.two"),
            ("Zq8.jwt.three", "Zq8.jwt.three"),
        ] {
            std::fs::write(&path, contents).unwrap();
            assert_eq!(read_token(&path).unwrap(), token);
        }
        let too_long = "Z".repeat(70_000);
        for (contents, expected) in [
            ("", "is empty"),
            ("\n", "is empty"),
            ("Zq8.jwt\n\n", "has leading or trailing whitespace"),
            (too_long.as_str(), "is longer than 65536 bytes"),
        ] {
            std::fs::write(&path, contents).unwrap();
            let err = read_token(&path).unwrap_err();
            let shown = format!("{err} {err:?}");
            assert_eq!(err.kind(), CredentialsErrorKind::Invalid, "{shown}");
            assert!(shown.contains(expected), "{shown}");
            assert!(shown.contains("web identity token file"), "{shown}");
            assert!(!shown.contains("Zq8"), "{shown}");
        }
        let _ = std::fs::remove_dir_all(&dir);
        let err = read_token(&dir.join("missing")).unwrap_err();
        assert!(err.to_string().ends_with("does not exist"), "{err}");
    }

    #[test]
    fn names_and_debug_say_where_the_settings_come_from() {
        let tke = WebIdentityProvider::tke_builder().lookup(|_| None).build();
        assert_eq!(tke.name(), "TKE OIDC role");
        assert!(format!("{tke:?}").contains("custom lookup"), "{tke:?}");
        let given = WebIdentityProvider::builder("provider", "/token", "role").build();
        assert_eq!(given.name(), "web identity role");
        assert!(format!("{given:?}").contains("\"/token\""), "{given:?}");
    }
}
