//! Several sources tried in order.

use std::borrow::Cow;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use super::{
    CredentialsError, EnvironmentProvider, InstanceRoleProvider, Lookup, ProfileFileProvider,
    ProfileFileProviderBuilder, ProvideCredentials, ProvideFuture, SharedCredentialsProvider,
    WebIdentityProvider,
};
use crate::Credentials;

/// Sources of credentials tried in order until one has them.
///
/// ```
/// use tencentcloud_sdk::credentials::{
///     Credentials, CredentialsChain, EnvironmentProvider, ProfileFileProvider,
/// };
///
/// let chain = CredentialsChain::first_try(EnvironmentProvider::new())
///     .or_else(ProfileFileProvider::builder().profile("ci").build())
///     .or_else_named("fallback", Credentials::new("AKIDexample", "example-key"));
/// ```
///
/// A source answering "not found" ([`CredentialsError::is_not_found`]) passes on to the next. Any
/// other error stops the chain and is returned as it is, with the name of the source
/// ([`CredentialsError::provider`]): a source that is configured but wrong must be fixed, not
/// quietly replaced by another identity. When no source has credentials, the error lists each
/// one with the reason it had none ([`CredentialsError::tried`]).
///
/// Each source is named by [`ProvideCredentials::name`] unless named with
/// [`first_try_named`](Self::first_try_named) or [`or_else_named`](Self::or_else_named).
#[derive(Clone, Debug)]
pub struct CredentialsChain {
    links: Vec<Link>,
}

#[derive(Clone, Debug)]
struct Link {
    name: Cow<'static, str>,
    provider: SharedCredentialsProvider,
}

impl Link {
    fn new(name: Option<Cow<'static, str>>, provider: SharedCredentialsProvider) -> Self {
        let name = name.unwrap_or_else(|| Cow::Owned(provider.name().to_owned()));
        Self { name, provider }
    }
}

impl CredentialsChain {
    /// A chain whose first source is `provider`.
    pub fn first_try(provider: impl ProvideCredentials + 'static) -> Self {
        Self {
            links: vec![Link::new(None, SharedCredentialsProvider::new(provider))],
        }
    }

    /// Like [`first_try`](Self::first_try), naming the source `name` in errors.
    pub fn first_try_named(
        name: impl Into<Cow<'static, str>>,
        provider: impl ProvideCredentials + 'static,
    ) -> Self {
        Self {
            links: vec![Link::new(
                Some(name.into()),
                SharedCredentialsProvider::new(provider),
            )],
        }
    }

    /// Adds `provider`, tried when the sources before it have no credentials.
    #[must_use]
    pub fn or_else(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.links
            .push(Link::new(None, SharedCredentialsProvider::new(provider)));
        self
    }

    /// Like [`or_else`](Self::or_else), naming the source `name` in errors.
    #[must_use]
    pub fn or_else_named(
        mut self,
        name: impl Into<Cow<'static, str>>,
        provider: impl ProvideCredentials + 'static,
    ) -> Self {
        self.links.push(Link::new(
            Some(name.into()),
            SharedCredentialsProvider::new(provider),
        ));
        self
    }

    /// The names of the sources, in the order they are tried.
    pub fn source_names(&self) -> impl Iterator<Item = &str> {
        self.links.iter().map(|link| &*link.name)
    }

    async fn provide(&self) -> Result<Credentials, CredentialsError> {
        let mut tried = Vec::with_capacity(self.links.len());
        for link in &self.links {
            match link.provider.provide_credentials().await {
                Ok(credentials) => {
                    tracing::debug!(source = %link.name, "credentials found");
                    return Ok(credentials);
                }
                Err(error) if error.is_not_found() => {
                    tracing::debug!(source = %link.name, %error, "no credentials in this source");
                    if error.tried().is_empty() {
                        tried.push(error.reported_by(link.name.clone()));
                    } else {
                        // A nested chain: list its sources rather than the chain itself.
                        tried.extend(error.into_tried());
                    }
                }
                Err(error) => return Err(error.reported_by(link.name.clone())),
            }
        }
        Err(CredentialsError::nothing_found(tried))
    }
}

impl ProvideCredentials for CredentialsChain {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(self.provide())
    }

    fn name(&self) -> &str {
        "credentials chain"
    }
}

/// The usual sources, in order, as in the official SDKs: the environment
/// ([`EnvironmentProvider`]), the credentials file ([`ProfileFileProvider`]), the role of the
/// CVM instance ([`InstanceRoleProvider`]) and the workload identity of a TKE pod
/// ([`WebIdentityProvider::from_tke_env`], which needs the `TKE_*` variables).
///
/// Off CVM, finding out that there is no instance role takes up to the instance role's connect
/// timeout (1 second by default) before the TKE workload identity is tried. On a TKE node whose
/// CVM instance has a role of its own, that role is found first: leave it out with
/// [`without_instance_role`](DefaultCredentialsChainBuilder::without_instance_role) so that pods
/// use their workload identity.
///
/// When none has credentials the error says why for each, for example:
///
/// ```text
/// no credentials found: environment: TENCENTCLOUD_SECRET_ID is not set; credentials file:
/// /root/.tencentcloud/credentials does not exist, nor does /etc/tencentcloud/credentials
/// (TENCENTCLOUD_CREDENTIALS_FILE is not set); CVM instance role: metadata service unreachable
/// at http://metadata.tencentyun.com/latest/meta-data/cam/security-credentials/: connect timeout
/// after 1s; TKE OIDC role: TKE_REGION, TKE_PROVIDER_ID, TKE_WEB_IDENTITY_TOKEN_FILE and
/// TKE_ROLE_ARN are not set
/// ```
#[derive(Clone, Debug)]
pub struct DefaultCredentialsChain {
    chain: CredentialsChain,
}

impl DefaultCredentialsChain {
    /// The environment, the `[default]` profile of the default credentials file, the instance
    /// role, then the TKE workload identity, all with the default settings.
    pub fn new() -> Self {
        Self::builder().build()
    }

    /// Starts choosing the profile, the file, and the instance role and web identity settings.
    pub fn builder() -> DefaultCredentialsChainBuilder {
        DefaultCredentialsChainBuilder::default()
    }
}

impl Default for DefaultCredentialsChain {
    fn default() -> Self {
        Self::new()
    }
}

impl ProvideCredentials for DefaultCredentialsChain {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        self.chain.provide_credentials()
    }

    fn name(&self) -> &str {
        "default credentials chain"
    }
}

/// Chooses the settings of a [`DefaultCredentialsChain`].
#[derive(Clone)]
pub struct DefaultCredentialsChainBuilder {
    lookup: Option<Lookup>,
    profile_file: ProfileFileProviderBuilder,
    instance_role: Option<InstanceRoleProvider>,
    web_identity: WebIdentityChoice,
}

/// What the last source of a [`DefaultCredentialsChain`] is.
#[derive(Clone, Debug)]
enum WebIdentityChoice {
    /// The TKE workload identity, from the variables the chain's lookup finds.
    Tke,
    Given(WebIdentityProvider),
    Without,
}

impl Default for DefaultCredentialsChainBuilder {
    fn default() -> Self {
        Self {
            lookup: None,
            profile_file: ProfileFileProvider::builder(),
            instance_role: Some(InstanceRoleProvider::new()),
            web_identity: WebIdentityChoice::Tke,
        }
    }
}

impl DefaultCredentialsChainBuilder {
    /// Looks environment variables up with `lookup` instead of in the process environment: the
    /// credential variables, `TENCENTCLOUD_CREDENTIALS_FILE`, `HOME` and the `TKE_*` variables
    /// (for tests).
    pub fn lookup(
        mut self,
        lookup: impl Fn(&str) -> Option<String> + Send + Sync + 'static,
    ) -> Self {
        let lookup: Lookup = Arc::new(lookup);
        self.profile_file = self.profile_file.shared_lookup(lookup.clone());
        self.lookup = Some(lookup);
        self
    }

    /// Reads the section `[name]` of the credentials file instead of `[default]`.
    pub fn profile(mut self, name: impl Into<String>) -> Self {
        self.profile_file = self.profile_file.profile(name);
        self
    }

    /// Reads this credentials file instead of looking for one; it must exist.
    pub fn credentials_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.profile_file = self.profile_file.path(path);
        self
    }

    /// The last credentials file tried, `/etc/tencentcloud/credentials` unless changed here (for
    /// tests and unusual installations).
    pub fn system_credentials_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.profile_file = self.profile_file.system_path(path);
        self
    }

    /// Uses this instance role provider (another metadata address, role or timeouts).
    pub fn instance_role(mut self, provider: InstanceRoleProvider) -> Self {
        self.instance_role = Some(provider);
        self
    }

    /// Leaves the instance role out, for programs known not to run on CVM, or pods of TKE that
    /// should use their workload identity rather than the role of their node.
    pub fn without_instance_role(mut self) -> Self {
        self.instance_role = None;
        self
    }

    /// Uses this provider as the last source instead of the TKE workload identity read from the
    /// `TKE_*` variables (another OIDC identity provider, or other settings).
    pub fn web_identity(mut self, provider: WebIdentityProvider) -> Self {
        self.web_identity = WebIdentityChoice::Given(provider);
        self
    }

    /// Leaves the TKE workload identity out, for programs known not to run on TKE.
    pub fn without_web_identity(mut self) -> Self {
        self.web_identity = WebIdentityChoice::Without;
        self
    }

    /// Makes the chain.
    pub fn build(self) -> DefaultCredentialsChain {
        let environment = match &self.lookup {
            Some(lookup) => EnvironmentProvider::with_shared_lookup(lookup.clone()),
            None => EnvironmentProvider::new(),
        };
        let mut chain = CredentialsChain::first_try(environment).or_else(self.profile_file.build());
        if let Some(instance_role) = self.instance_role {
            chain = chain.or_else(instance_role);
        }
        let web_identity = match self.web_identity {
            WebIdentityChoice::Tke => {
                let builder = WebIdentityProvider::tke_builder();
                Some(match self.lookup {
                    Some(lookup) => builder.shared_lookup(lookup).build(),
                    None => builder.build(),
                })
            }
            WebIdentityChoice::Given(provider) => Some(provider),
            WebIdentityChoice::Without => None,
        };
        if let Some(web_identity) = web_identity {
            chain = chain.or_else(web_identity);
        }
        DefaultCredentialsChain { chain }
    }
}

impl fmt::Debug for DefaultCredentialsChainBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DefaultCredentialsChainBuilder")
            .field("custom_lookup", &self.lookup.is_some())
            .field("profile_file", &self.profile_file)
            .field("instance_role", &self.instance_role)
            .field("web_identity", &self.web_identity)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::lookup;
    use super::*;
    use crate::credentials::{CredentialsErrorKind, ENV_SECRET_ID, ENV_SECRET_KEY};
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// A source with a fixed answer that counts how often it is asked.
    #[derive(Debug)]
    struct Canned {
        answer: Result<Credentials, CredentialsError>,
        asked: Arc<AtomicUsize>,
    }

    impl Canned {
        fn new(answer: Result<Credentials, CredentialsError>) -> (Self, Arc<AtomicUsize>) {
            let asked = Arc::new(AtomicUsize::new(0));
            let canned = Self {
                answer,
                asked: asked.clone(),
            };
            (canned, asked)
        }
    }

    impl ProvideCredentials for Canned {
        fn provide_credentials(&self) -> ProvideFuture<'_> {
            self.asked.fetch_add(1, Ordering::SeqCst);
            Box::pin(std::future::ready(self.answer.clone()))
        }
    }

    fn credentials(id: &str) -> Credentials {
        Credentials::new(id, "Zq8-chain-secret").with_token("Zq8-chain-token")
    }

    #[tokio::test]
    async fn first_success_wins_and_later_sources_are_not_asked() {
        let (missing, asked_missing) =
            Canned::new(Err(CredentialsError::not_found("A", "is not set")));
        let (first, asked_first) = Canned::new(Ok(credentials("AKIDfirst")));
        let (second, asked_second) = Canned::new(Ok(credentials("AKIDsecond")));
        let chain = CredentialsChain::first_try(missing)
            .or_else(first)
            .or_else(second);
        let found = chain.provide_credentials().await.unwrap();
        assert_eq!(found.secret_id(), "AKIDfirst");
        assert_eq!(asked_missing.load(Ordering::SeqCst), 1);
        assert_eq!(asked_first.load(Ordering::SeqCst), 1);
        assert_eq!(asked_second.load(Ordering::SeqCst), 0);
    }

    #[tokio::test]
    async fn invalid_or_unavailable_stops_the_chain_with_the_source_named() {
        for error in [
            CredentialsError::invalid("B", "has a stray newline"),
            CredentialsError::unavailable("C", "answered HTTP 500"),
        ] {
            let (broken, _) = Canned::new(Err(error.clone()));
            let (fallback, asked_fallback) = Canned::new(Ok(credentials("AKIDfallback")));
            let chain =
                CredentialsChain::first_try_named("broken source", broken).or_else(fallback);
            let err = chain.provide_credentials().await.unwrap_err();
            assert_eq!(err.kind(), error.kind());
            assert_eq!(err.provider(), Some("broken source"));
            assert_eq!(err.source_name(), error.source_name());
            assert!(
                err.to_string().starts_with("credentials: broken source: "),
                "{err}"
            );
            assert_eq!(asked_fallback.load(Ordering::SeqCst), 0);
        }
    }

    #[tokio::test]
    async fn nothing_found_lists_every_source_with_its_reason() {
        let (a, _) = Canned::new(Err(CredentialsError::not_found("A", "is not set")));
        let (b, _) = Canned::new(Err(CredentialsError::not_found("/b", "does not exist")));
        let (c, _) = Canned::new(Err(CredentialsError::not_found(
            "service",
            "is unreachable",
        )));
        let inner = CredentialsChain::first_try_named("second", b).or_else_named("third", c);
        let chain = CredentialsChain::first_try_named("first", a).or_else(inner);
        assert_eq!(
            chain.source_names().collect::<Vec<_>>(),
            ["first", "credentials chain"]
        );
        let err = chain.provide_credentials().await.unwrap_err();
        assert!(err.is_not_found());
        assert_eq!(
            err.to_string(),
            "no credentials found: first: A is not set; second: /b does not exist; \
             third: service is unreachable"
        );
        let providers: Vec<_> = err.tried().iter().map(|e| e.provider()).collect();
        assert_eq!(providers, [Some("first"), Some("second"), Some("third")]);
    }

    #[tokio::test]
    async fn unnamed_sources_use_their_own_names() {
        let chain = CredentialsChain::first_try(EnvironmentProvider::with_lookup(|_| None))
            .or_else(Credentials::new("AKIDstatic", "key\n"));
        assert_eq!(
            chain.source_names().collect::<Vec<_>>(),
            ["environment", "static credentials"]
        );
        let err = chain.provide_credentials().await.unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::Invalid);
        assert_eq!(
            err.to_string(),
            "credentials: static credentials: secret key has leading or trailing whitespace \
             (often a newline copied along with it)"
        );
    }

    #[tokio::test]
    async fn default_chain_prefers_the_environment_and_hides_secrets() {
        let chain = DefaultCredentialsChain::builder()
            .lookup(lookup(&[
                (ENV_SECRET_ID, "AKIDenv"),
                (ENV_SECRET_KEY, "Zq8-env-key"),
            ]))
            .credentials_file("/nonexistent/never/read")
            .without_instance_role()
            .build();
        let found = chain.provide_credentials().await.unwrap();
        assert_eq!(found.secret_id(), "AKIDenv");
        let shown = format!(
            "{chain:?} {found:?} {:?}",
            DefaultCredentialsChain::builder()
        );
        assert!(!shown.contains("Zq8"), "{shown}");

        let err = DefaultCredentialsChain::builder()
            .lookup(lookup(&[(ENV_SECRET_KEY, "Zq8-env-key")]))
            .without_instance_role()
            .build()
            .provide_credentials()
            .await
            .unwrap_err();
        let shown = format!("{err} {err:?}");
        assert_eq!(err.provider(), Some("environment"), "{shown}");
        assert!(!shown.contains("Zq8"), "{shown}");
    }
}
