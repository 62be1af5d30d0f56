//! Client configuration: credentials, region, language, endpoint, timeouts, retries, rate limits
//! and the HTTP client.

use std::fmt;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use crate::Credentials;
use crate::clock::Clock;
use crate::credentials::{
    self, CachedProvider, DefaultCredentialsChain, ProfileFileProvider, ProvideCredentials,
    SharedCredentialsProvider,
};
use crate::endpoint::{self, EndpointOptions};
use crate::rate_limit::{RateLimiter, RateLimits};
use crate::retry::RetryConfig;

/// The default time allowed for one attempt, from sending the request to the end of the answer.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// The default time allowed to open a connection (TCP and TLS).
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// The default deadline of a whole call: every attempt, every wait between attempts and every
/// wait for the rate limit.
pub const DEFAULT_OPERATION_TIMEOUT: Duration = Duration::from_secs(120);

/// The default limit on the size of an answer, and of each event of a streamed answer: 64 MiB,
/// hundreds of times the largest real answer, and small enough that a hostile or broken server
/// cannot exhaust memory.
pub const DEFAULT_MAX_RESPONSE_SIZE: u64 = 64 * 1024 * 1024;

/// How far the runtime moves its signing clock to follow the service's, at most: one day.
///
/// When the service refuses a request as signed too far from its own time
/// (`AuthFailure.SignatureExpire`), the runtime signs with the time of the answer's `Date`
/// header from then on, but only when that time is within a day of this machine's clock. A
/// `Date` further off is not plausible (it would come from a broken or hostile server, or a
/// machine clock that is wrong by more than a correction should hide) and the call fails with
/// [`InvalidResponseKind::ImplausibleDate`](crate::InvalidResponseKind::ImplausibleDate).
pub const MAX_CLOCK_CORRECTION: Duration = Duration::from_secs(24 * 60 * 60);

/// The environment variable naming the region, when the builder is given none.
pub const ENV_REGION: &str = "TENCENTCLOUD_REGION";

/// The language of messages in answers (`X-TC-Language`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Language {
    /// Simplified Chinese, `zh-CN` (the service's default).
    ZhCn,
    /// English, `en-US`.
    EnUs,
}

impl Language {
    /// The header value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ZhCn => "zh-CN",
            Self::EnUs => "en-US",
        }
    }
}

/// Settings shared by every service client. Cheap to clone.
///
/// Build one with [`Config::builder`]; every setting is checked by
/// [`ConfigBuilder::build`], so a mistake shows up there and not at the first request.
///
/// The clients made from one configuration, and from its clones, share its connection pool, its
/// rate-limit buckets and its clock correction.
#[derive(Debug, Clone)]
pub struct Config {
    pub(crate) credentials: SharedCredentialsProvider,
    pub(crate) region: Option<String>,
    pub(crate) language: Option<Language>,
    pub(crate) endpoint: EndpointOptions,
    pub(crate) timeout: Duration,
    pub(crate) connect_timeout: Duration,
    pub(crate) operation_timeout: Option<Duration>,
    pub(crate) max_response_size: u64,
    pub(crate) retry: RetryConfig,
    pub(crate) rate_limits: RateLimits,
    pub(crate) http: reqwest::Client,
    pub(crate) shared: Arc<Shared>,
}

/// What the clients of one configuration share as they run.
#[derive(Debug, Default)]
pub(crate) struct Shared {
    pub(crate) limiter: RateLimiter,
    pub(crate) clock: Clock,
}

impl Config {
    /// Starts a configuration.
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    /// Where credentials come from.
    pub fn credentials_provider(&self) -> &SharedCredentialsProvider {
        &self.credentials
    }

    /// The region sent as `X-TC-Region`; `None` only when the builder was told
    /// [`without_region`](ConfigBuilder::without_region).
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    /// The language sent as `X-TC-Language`, if any.
    pub fn language(&self) -> Option<Language> {
        self.language
    }

    /// The time allowed for one attempt.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// The time allowed to open a connection.
    pub fn connect_timeout(&self) -> Duration {
        self.connect_timeout
    }

    /// The deadline of a whole call with its retries, if there is one.
    pub fn operation_timeout(&self) -> Option<Duration> {
        self.operation_timeout
    }

    /// The largest answer, or event of a streamed answer, that is read, in bytes.
    pub fn max_response_size(&self) -> u64 {
        self.max_response_size
    }

    /// How failed calls are retried.
    pub fn retry(&self) -> &RetryConfig {
        &self.retry
    }

    /// How requests are paced to the actions' rate limits.
    pub fn rate_limits(&self) -> &RateLimits {
        &self.rate_limits
    }

    /// The seconds added to this machine's clock when signing, learnt from the service after an
    /// `AuthFailure.SignatureExpire` (0 until then).
    pub fn clock_offset(&self) -> i64 {
        self.shared.clock.offset()
    }
}

/// How the HTTP client is chosen.
#[derive(Debug, Clone, Default)]
enum Proxy {
    /// From `HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY` and `NO_PROXY`, as reqwest reads them.
    #[default]
    FromEnvironment,
    /// None, whatever the environment says.
    Off,
    /// This proxy for every request.
    Url(String),
}

/// Where the builder was told to take credentials from.
#[derive(Debug, Clone)]
enum CredentialsSource {
    Static(Credentials),
    Provider(SharedCredentialsProvider),
}

/// Where the region comes from.
#[derive(Debug, Clone, Default)]
enum RegionSource {
    /// `TENCENTCLOUD_REGION`, else the profile's `region`.
    #[default]
    FromEnvironment,
    Given(String),
    /// None at all: the services called take no region.
    Without,
}

/// Collects the settings of a [`Config`].
#[derive(Clone, Default)]
#[must_use]
pub struct ConfigBuilder {
    credentials: Option<CredentialsSource>,
    region: RegionSource,
    profile: Option<String>,
    lookup: Option<Lookup>,
    max_response_size: Option<u64>,
    language: Option<Language>,
    endpoint: Option<String>,
    root_domain: Option<String>,
    regional: bool,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    operation_timeout: Option<Option<Duration>>,
    retry: Option<RetryConfig>,
    rate_limits: Option<RateLimits>,
    proxy: Proxy,
    http: Option<reqwest::Client>,
}

impl ConfigBuilder {
    /// Signs with these credentials, and no others: the default chain is not consulted.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(CredentialsSource::Static(credentials));
        self
    }

    /// Takes credentials from a provider, asked before every attempt: a
    /// [`CredentialsChain`](crate::credentials::CredentialsChain), an
    /// [`InstanceRoleProvider`](crate::credentials::InstanceRoleProvider), or one of your own.
    ///
    /// Without this or [`credentials`](Self::credentials), the
    /// [`DefaultCredentialsChain`] is used: the environment, then the credentials file, then the
    /// CVM instance role, then the TKE workload identity. What it finds is kept
    /// ([`CachedProvider`]) until it is about to expire.
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.credentials = Some(CredentialsSource::Provider(SharedCredentialsProvider::new(
            provider,
        )));
        self
    }

    /// The region to act in, such as `ap-guangzhou`.
    ///
    /// Without it the region is `TENCENTCLOUD_REGION`, else the `region` of the credentials
    /// file's profile (see [`profile`](Self::profile)); when none of them gives one,
    /// [`build`](Self::build) fails naming the setting, rather than every call failing at the
    /// service with `MissingParameter`.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = RegionSource::Given(region.into());
        self
    }

    /// Sends no region, for programs that only call services without regions (CAM, for one);
    /// the environment and the profile are then not consulted for one.
    pub fn without_region(mut self) -> Self {
        self.region = RegionSource::Without;
        self
    }

    /// Reads the profile `[name]` of the credentials file, instead of `[default]`: for the
    /// default credentials chain and for the region.
    pub fn profile(mut self, name: impl Into<String>) -> Self {
        self.profile = Some(name.into());
        self
    }

    /// Looks environment variables up with `lookup` instead of in the process environment, for
    /// the region, the default credentials chain and the checks of both (for tests and
    /// sandboxes).
    pub fn lookup(
        mut self,
        lookup: impl Fn(&str) -> Option<String> + Send + Sync + 'static,
    ) -> Self {
        self.lookup = Some(Arc::new(lookup));
        self
    }

    /// The largest answer read, in bytes (default [`DEFAULT_MAX_RESPONSE_SIZE`]); for a streamed
    /// answer, the largest event. A larger one ends the call with
    /// [`InvalidResponseKind::TooLarge`](crate::InvalidResponseKind::TooLarge) once the limit
    /// is reached, before more is read.
    pub fn max_response_size(mut self, bytes: u64) -> Self {
        self.max_response_size = Some(bytes);
        self
    }

    /// The language of messages in answers.
    pub fn language(mut self, language: Language) -> Self {
        self.language = Some(language);
        self
    }

    /// Sends every request to this URL instead of the service's host, for example an emulator at
    /// `http://127.0.0.1:8080`. The request is signed for the URL's host (and port).
    ///
    /// This is the only way to send requests over plain HTTP; the service's own hosts are always
    /// reached over HTTPS.
    pub fn endpoint(mut self, url: impl Into<String>) -> Self {
        self.endpoint = Some(url.into());
        self
    }

    /// Replaces the root domain `tencentcloudapi.com`, e.g. with `intl.tencentcloudapi.com`.
    pub fn root_domain(mut self, domain: impl Into<String>) -> Self {
        self.root_domain = Some(domain.into());
        self
    }

    /// Uses the regional host `<service>.<region>.<root domain>` in every region, not only in
    /// finance regions, where it is always used.
    pub fn regional_endpoint(mut self, regional: bool) -> Self {
        self.regional = regional;
        self
    }

    /// The time allowed for one attempt, from sending to the end of the answer (default
    /// [`DEFAULT_TIMEOUT`]).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The time allowed to open a connection (default [`DEFAULT_CONNECT_TIMEOUT`]). Not
    /// available with [`http_client`](Self::http_client), whose own setting applies.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// The deadline of a whole call: all its attempts, the waits between them and the wait for
    /// the rate limit (default [`DEFAULT_OPERATION_TIMEOUT`]). `None` leaves calls bounded only by
    /// the attempt timeout and the retry settings.
    pub fn operation_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.operation_timeout = Some(timeout);
        self
    }

    /// How failed calls are retried (default [`RetryConfig::standard`]; see
    /// [`RetryConfig::disabled`]).
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.retry = Some(retry);
        self
    }

    /// How requests are paced to the actions' documented rate limits (default
    /// [`RateLimits::from_spec`]; see [`RateLimits::disabled`]).
    pub fn rate_limits(mut self, limits: RateLimits) -> Self {
        self.rate_limits = Some(limits);
        self
    }

    /// Sends every request through this proxy (`http://`, `https://` or `socks5://` URL, with
    /// credentials in the URL if the proxy needs them) instead of the one the environment names.
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy = Proxy::Url(url.into());
        self
    }

    /// Uses no proxy at all, ignoring `HTTPS_PROXY` and the like.
    pub fn no_proxy(mut self) -> Self {
        self.proxy = Proxy::Off;
        self
    }

    /// Sends requests with this HTTP client instead of one built from the settings above (the
    /// proxy and connect timeout are then the client's own; the attempt timeout still applies).
    /// Its connection pool is shared with whoever else holds it. Build it from
    /// [`http_client_builder`] for HTTPS to work (see there).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Checks every setting and builds the configuration.
    ///
    /// Fails naming the setting at fault: one that is invalid, or the region when none is set
    /// anywhere (see [`region`](Self::region)).
    pub fn build(self) -> Result<Config, ConfigError> {
        let lookup = self
            .lookup
            .clone()
            .unwrap_or_else(|| Arc::new(|name: &str| std::env::var(name).ok()));
        let credentials = match self.credentials {
            Some(CredentialsSource::Static(credentials)) => {
                credentials
                    .validate()
                    .map_err(|err| ConfigError::new("credentials", err.to_string()))?;
                SharedCredentialsProvider::new(credentials::Checked(credentials))
            }
            Some(CredentialsSource::Provider(provider)) => provider,
            None => {
                // The chain runs at the first request, but a half-set environment is a mistake
                // worth reporting now.
                credentials::check_environment(|name| lookup(name))
                    .map_err(|err| ConfigError::new("credentials", err.to_string()))?;
                let mut chain = DefaultCredentialsChain::builder();
                if let Some(lookup) = &self.lookup {
                    let lookup = Arc::clone(lookup);
                    chain = chain.lookup(move |name| lookup(name));
                }
                if let Some(profile) = &self.profile {
                    chain = chain.profile(profile.clone());
                }
                SharedCredentialsProvider::new(CachedProvider::new(chain.build()))
            }
        };
        let mut endpoint = EndpointOptions {
            regional: self.regional,
            ..EndpointOptions::default()
        };
        if let Some(domain) = self.root_domain {
            endpoint::check_root_domain(&domain)?;
            endpoint.root_domain = domain;
        }
        if let Some(url) = &self.endpoint {
            endpoint.custom_url = Some(endpoint::parse_custom_url(url)?);
        }
        let timeout = positive("timeout", self.timeout.unwrap_or(DEFAULT_TIMEOUT))?;
        let connect_timeout = positive(
            "connect_timeout",
            self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT),
        )?;
        let operation_timeout = self
            .operation_timeout
            .unwrap_or(Some(DEFAULT_OPERATION_TIMEOUT))
            .map(|deadline| positive("operation_timeout", deadline))
            .transpose()?;
        let retry = self.retry.unwrap_or_default();
        retry
            .check()
            .map_err(|reason| ConfigError::new("retry", reason))?;
        let max_response_size = self.max_response_size.unwrap_or(DEFAULT_MAX_RESPONSE_SIZE);
        if max_response_size == 0 {
            return Err(ConfigError::new(
                "max_response_size",
                "must be more than zero",
            ));
        }
        let rate_limits = self.rate_limits.unwrap_or_default();
        rate_limits
            .check()
            .map_err(|reason| ConfigError::new("rate_limits", reason))?;

        // Last, so that a missing region does not hide a mistake in another setting.
        let region = match &self.region {
            RegionSource::Given(region) => {
                check_region(region, "")?;
                Some(region.clone())
            }
            RegionSource::Without => None,
            RegionSource::FromEnvironment => Some(find_region(
                &lookup,
                self.lookup.as_ref(),
                self.profile.as_deref(),
            )?),
        };

        let plain_http_allowed = endpoint
            .custom_url
            .as_ref()
            .is_some_and(|url| url.scheme() == "http");
        let http = match self.http {
            Some(client) => {
                if self.connect_timeout.is_some() {
                    return Err(ConfigError::new(
                        "connect_timeout",
                        "does not apply to a client given with http_client; set it on that client",
                    ));
                }
                if !matches!(self.proxy, Proxy::FromEnvironment) {
                    return Err(ConfigError::new(
                        "proxy",
                        "does not apply to a client given with http_client; set it on that client",
                    ));
                }
                client
            }
            None => http_client(&self.proxy, connect_timeout, plain_http_allowed)?,
        };
        Ok(Config {
            credentials,
            region,
            language: self.language,
            endpoint,
            timeout,
            connect_timeout,
            operation_timeout,
            max_response_size,
            retry,
            rate_limits,
            http,
            shared: Arc::default(),
        })
    }
}

/// The region from `TENCENTCLOUD_REGION`, else from the profile, else an error saying where one
/// can be set. `custom` is the lookup the builder was given, if any.
fn find_region(
    lookup: &Lookup,
    custom: Option<&Lookup>,
    profile: Option<&str>,
) -> Result<String, ConfigError> {
    if let Some(region) = lookup(ENV_REGION).filter(|region| !region.is_empty()) {
        check_region(&region, ENV_REGION)?;
        return Ok(region);
    }
    let mut profile_file = ProfileFileProvider::builder();
    if let Some(lookup) = custom {
        let lookup = Arc::clone(lookup);
        profile_file = profile_file.lookup(move |name| lookup(name));
    }
    if let Some(profile) = profile {
        profile_file = profile_file.profile(profile);
    }
    let profile_file = profile_file.build();
    match profile_file.region_and_place() {
        Ok(Some((region, place))) => {
            check_region(&region, &place)?;
            Ok(region)
        }
        Ok(None) => Err(ConfigError::new(
            "region",
            format!(
                "is not set: call `region(..)`, set {ENV_REGION}, or give the credentials \
                     profile a `region` (for services without regions, call `without_region()`)"
            ),
        )),
        Err(err) => Err(ConfigError::new(
            "region",
            format!("is not set, and the credentials file could not be read for one: {err}"),
        )),
    }
}

impl fmt::Debug for ConfigBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConfigBuilder")
            .field("credentials", &self.credentials)
            .field("region", &self.region)
            .field("profile", &self.profile)
            .field("custom_lookup", &self.lookup.is_some())
            .field("endpoint", &self.endpoint)
            .finish_non_exhaustive()
    }
}

/// How variables are looked up: the process environment, or a function given for tests.
type Lookup = Arc<dyn Fn(&str) -> Option<String> + Send + Sync>;

/// The HTTP client built from the settings: rustls (see [`tls_config`]), a keep-alive connection pool, no redirects
/// (the API never sends one, and following one would post the signed body elsewhere), and HTTPS
/// only unless the endpoint itself is plain HTTP.
fn http_client(
    proxy: &Proxy,
    connect_timeout: Duration,
    plain_http_allowed: bool,
) -> Result<reqwest::Client, ConfigError> {
    let mut builder = http_client_builder()?
        .connect_timeout(connect_timeout)
        .tcp_keepalive(Duration::from_secs(30))
        .pool_idle_timeout(Duration::from_secs(50))
        .redirect(reqwest::redirect::Policy::none())
        .https_only(!plain_http_allowed)
        .user_agent(crate::runtime::REQUEST_CLIENT);
    match proxy {
        Proxy::FromEnvironment => {}
        Proxy::Off => builder = builder.no_proxy(),
        Proxy::Url(url) => {
            let proxy = reqwest::Proxy::all(url.as_str()).map_err(|err| {
                ConfigError::new(
                    "proxy",
                    format!("`{}` is not a proxy URL: {err}", redact_url(url)),
                )
            })?;
            builder = builder.proxy(proxy);
        }
    }
    builder
        .build()
        .map_err(|err| ConfigError::new("http", format!("the HTTP client could not start: {err}")))
}

/// A `reqwest` client builder with the TLS settings the SDK's own client has (see
/// [`ConfigBuilder::http_client`]): start from it to build a client of your own.
///
/// This crate builds reqwest with rustls but without rustls's default crypto provider, so a
/// client made with plain `reqwest::Client::builder()` has none unless your program enables
/// reqwest's `rustls` feature itself or installs a process-wide provider; one made from this
/// builder has *ring*.
pub fn http_client_builder() -> Result<reqwest::ClientBuilder, ConfigError> {
    Ok(reqwest::Client::builder().tls_backend_preconfigured(tls_config()?))
}

/// The TLS settings of the HTTP client: rustls with the *ring* crypto provider, whose build
/// needs only a C compiler for its own small assembly and C parts (the default provider,
/// aws-lc-rs, builds a whole C library), the operating system's certificate verifier, and
/// HTTP/1.1, or with the `http2` feature HTTP/2 or HTTP/1.1 chosen by ALPN. No process-wide
/// default provider is installed.
fn tls_config() -> Result<rustls::ClientConfig, ConfigError> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier = Arc::new(LazyPlatformVerifier {
        provider: Arc::clone(&provider),
        verifier: OnceLock::new(),
    });
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|err| ConfigError::new("http", format!("TLS could not be set up: {err}")))?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    config.alpn_protocols = if cfg!(feature = "http2") {
        vec![b"h2".to_vec(), b"http/1.1".to_vec()]
    } else {
        vec![b"http/1.1".to_vec()]
    };
    Ok(config)
}

/// The platform's certificate verifier, made at the first TLS handshake rather than with the
/// configuration: on Linux it reads every certificate of the system's store, which costs a
/// few milliseconds that a program talking plain HTTP (to an emulator) or starting many times
/// (a command-line tool) should not pay up front. A store that cannot be read fails each
/// handshake with the same error.
#[derive(Debug)]
struct LazyPlatformVerifier {
    provider: Arc<rustls::crypto::CryptoProvider>,
    verifier: OnceLock<Result<rustls_platform_verifier::Verifier, rustls::Error>>,
}

impl LazyPlatformVerifier {
    fn verifier(&self) -> Result<&rustls_platform_verifier::Verifier, rustls::Error> {
        self.verifier
            .get_or_init(|| rustls_platform_verifier::Verifier::new(Arc::clone(&self.provider)))
            .as_ref()
            .map_err(Clone::clone)
    }
}

impl rustls::client::danger::ServerCertVerifier for LazyPlatformVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &rustls::pki_types::CertificateDer<'_>,
        intermediates: &[rustls::pki_types::CertificateDer<'_>],
        server_name: &rustls::pki_types::ServerName<'_>,
        ocsp_response: &[u8],
        now: rustls::pki_types::UnixTime,
    ) -> Result<rustls::client::danger::ServerCertVerified, rustls::Error> {
        self.verifier()?.verify_server_cert(
            end_entity,
            intermediates,
            server_name,
            ocsp_response,
            now,
        )
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        self.verifier()?.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        self.verifier()?.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// A URL for an error message, without the password it may carry.
fn redact_url(url: &str) -> String {
    match reqwest::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("xxxxx"));
            parsed.to_string()
        }
        Ok(parsed) => parsed.to_string(),
        Err(_) if url.contains('@') => "<a URL with credentials>".to_owned(),
        Err(_) => url.to_owned(),
    }
}

fn positive(setting: &'static str, duration: Duration) -> Result<Duration, ConfigError> {
    if duration.is_zero() {
        Err(ConfigError::new(setting, "must be longer than zero"))
    } else {
        Ok(duration)
    }
}

/// Checks a region; `from` names where it came from when that was not the builder.
fn check_region(region: &str, from: &str) -> Result<(), ConfigError> {
    let from = if from.is_empty() {
        String::new()
    } else {
        format!(" (from {from})")
    };
    if region.is_empty() {
        return Err(ConfigError::new(
            "region",
            format!("must not be empty{from}"),
        ));
    }
    let valid = region.len() <= 64
        && region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !valid {
        let shown = crate::error::clip(region, 64);
        return Err(ConfigError::new(
            "region",
            format!(
                "`{}`{from} may only hold lowercase letters, digits and `-`",
                shown.escape_debug()
            ),
        ));
    }
    Ok(())
}

/// A setting of a [`Config`] is missing or invalid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    setting: &'static str,
    reason: String,
}

impl ConfigError {
    pub(crate) fn new(setting: &'static str, reason: impl Into<String>) -> Self {
        Self {
            setting,
            reason: reason.into(),
        }
    }

    /// The name of the setting at fault, as in the builder method.
    pub fn setting(&self) -> &'static str {
        self.setting
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid configuration `{}`: {}",
            self.setting, self.reason
        )
    }
}

impl std::error::Error for ConfigError {}

#[cfg(test)]
mod tests {
    use super::*;

    /// A builder that reads nothing from this machine's environment.
    fn builder() -> ConfigBuilder {
        Config::builder()
            .credentials(Credentials::new("AKIDx", "key"))
            .lookup(|_| None)
            .without_region()
    }

    #[test]
    fn minimal_config_builds_with_defaults() {
        let config = builder().region("ap-guangzhou").build().unwrap();
        assert_eq!(config.region(), Some("ap-guangzhou"));
        assert_eq!(config.language(), None);
        assert_eq!(config.timeout(), DEFAULT_TIMEOUT);
        assert_eq!(config.connect_timeout(), DEFAULT_CONNECT_TIMEOUT);
        assert_eq!(config.operation_timeout(), Some(DEFAULT_OPERATION_TIMEOUT));
        assert_eq!(*config.retry(), RetryConfig::standard());
        assert_eq!(*config.rate_limits(), RateLimits::from_spec());
        assert_eq!(config.clock_offset(), 0);
    }

    #[test]
    fn clones_share_the_rate_limiter_and_the_clock() {
        let config = builder().build().unwrap();
        let clone = config.clone();
        assert!(Arc::ptr_eq(&config.shared, &clone.shared));
        let other = builder().build().unwrap();
        assert!(!Arc::ptr_eq(&config.shared, &other.shared));
    }

    #[test]
    fn each_bad_setting_is_named() {
        let cases = [
            (
                builder().credentials(Credentials::new("AKIDx", " key")),
                "credentials",
            ),
            (builder().max_response_size(0), "max_response_size"),
            (builder().region(""), "region"),
            (builder().region("Ap Guangzhou"), "region"),
            (builder().endpoint("127.0.0.1:8080"), "endpoint"),
            (builder().root_domain("bad domain"), "root_domain"),
            (builder().timeout(Duration::ZERO), "timeout"),
            (builder().connect_timeout(Duration::ZERO), "connect_timeout"),
            (
                builder().operation_timeout(Some(Duration::ZERO)),
                "operation_timeout",
            ),
            (
                builder().retry(RetryConfig::standard().with_max_attempts(0)),
                "retry",
            ),
            (
                builder().rate_limits(RateLimits::from_spec().with_utilization(2.0)),
                "rate_limits",
            ),
            (builder().proxy("http://[::1"), "proxy"),
            (
                builder()
                    .http_client(http_client_builder().unwrap().build().unwrap())
                    .proxy("http://127.0.0.1:3128"),
                "proxy",
            ),
            (
                builder()
                    .http_client(http_client_builder().unwrap().build().unwrap())
                    .connect_timeout(Duration::from_secs(1)),
                "connect_timeout",
            ),
        ];
        for (builder, setting) in cases {
            let err = builder.build().unwrap_err();
            assert_eq!(err.setting(), setting, "{err}");
        }
    }

    #[test]
    fn a_proxy_password_stays_out_of_the_error() {
        let err = builder()
            .proxy("http://user:hunter2@[::1")
            .build()
            .unwrap_err();
        assert!(!err.to_string().contains("hunter2"), "{err}");
        assert_eq!(
            redact_url("http://u:hunter2@proxy:3128"),
            "http://u:xxxxx@proxy:3128/"
        );
    }

    #[test]
    fn config_debug_hides_the_key() {
        let config = builder()
            .credentials(Credentials::new("AKIDx", "super-secret").with_token("tok-secret"))
            .build()
            .unwrap();
        let shown = format!("{config:?}");
        assert!(!shown.contains("super-secret"), "{shown}");
        assert!(!shown.contains("tok-secret"), "{shown}");
    }

    /// A builder whose environment is `vars`, and whose credentials file is `file` when given.
    fn from_environment(vars: &[(&str, &str)], file: Option<&str>) -> ConfigBuilder {
        let mut vars: std::collections::HashMap<String, String> = vars
            .iter()
            .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
            .collect();
        if let Some(text) = file {
            let path = std::env::temp_dir().join(format!(
                "tc-config-test-{}-{}",
                std::process::id(),
                fastrand::u64(..)
            ));
            std::fs::write(&path, text).unwrap();
            vars.insert(
                crate::credentials::ENV_CREDENTIALS_FILE.to_owned(),
                path.display().to_string(),
            );
        }
        Config::builder()
            .credentials(Credentials::new("AKIDx", "key"))
            .lookup(move |name| vars.get(name).cloned())
    }

    #[test]
    fn the_region_comes_from_the_builder_then_the_environment_then_the_profile() {
        let profile = "[default]\nsecret_id = AKIDa\nsecret_key = k\nregion = ap-beijing\n\n\
                       [prod]\nsecret_id = AKIDb\nsecret_key = k\nregion = ap-shanghai\n";
        let region = |builder: ConfigBuilder| builder.build().unwrap().region().map(str::to_owned);
        let env = [(ENV_REGION, "ap-chengdu")];
        assert_eq!(
            region(from_environment(&env, Some(profile)).region("ap-hongkong")).as_deref(),
            Some("ap-hongkong")
        );
        assert_eq!(
            region(from_environment(&env, Some(profile))).as_deref(),
            Some("ap-chengdu")
        );
        assert_eq!(
            region(from_environment(&[], Some(profile))).as_deref(),
            Some("ap-beijing")
        );
        assert_eq!(
            region(from_environment(&[], Some(profile)).profile("prod")).as_deref(),
            Some("ap-shanghai")
        );
        // An empty variable counts as unset.
        assert_eq!(
            region(from_environment(&[(ENV_REGION, "")], Some(profile))).as_deref(),
            Some("ap-beijing")
        );
        assert_eq!(region(from_environment(&env, None).without_region()), None);
    }

    #[test]
    fn without_any_region_the_build_fails_naming_the_setting() {
        let no_region = "[default]\nsecret_id = AKIDa\nsecret_key = k\n";
        for file in [None, Some(no_region)] {
            let err = from_environment(&[], file).build().unwrap_err();
            assert_eq!(err.setting(), "region", "{err}");
            let shown = err.to_string();
            assert!(shown.contains(ENV_REGION), "{shown}");
            assert!(shown.contains("without_region"), "{shown}");
        }
        let err = from_environment(&[(ENV_REGION, "Bad Region\n")], None)
            .build()
            .unwrap_err();
        assert_eq!(err.setting(), "region");
        assert!(err.to_string().contains(ENV_REGION), "{err}");
        let err = from_environment(&[], Some("[default]\nregion = x y\n"))
            .build()
            .unwrap_err();
        assert!(err.to_string().contains("profile [default]"), "{err}");
    }
}
