//! Client configuration: credentials, region, language, endpoint, timeouts, retries, rate limits
//! and the HTTP client.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::Credentials;
use crate::clock::Clock;
use crate::credentials::{
    self, CachedProvider, DefaultCredentialsChain, ProvideCredentials, SharedCredentialsProvider,
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

    /// The region sent as `X-TC-Region`, if any.
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

/// Collects the settings of a [`Config`].
#[derive(Debug, Clone, Default)]
#[must_use]
pub struct ConfigBuilder {
    credentials: Option<CredentialsSource>,
    region: Option<String>,
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
    /// CVM instance role. What it finds is kept ([`CachedProvider`]) until it is about to expire.
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.credentials = Some(CredentialsSource::Provider(SharedCredentialsProvider::new(
            provider,
        )));
        self
    }

    /// The region to act in, such as `ap-guangzhou`. Most actions need one.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
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
    /// Its connection pool is shared with whoever else holds it.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Checks every setting and builds the configuration.
    pub fn build(self) -> Result<Config, ConfigError> {
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
                credentials::check_environment(|name| std::env::var(name).ok())
                    .map_err(|err| ConfigError::new("credentials", err.to_string()))?;
                SharedCredentialsProvider::new(CachedProvider::new(DefaultCredentialsChain::new()))
            }
        };
        if let Some(region) = &self.region {
            check_region(region)?;
        }
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
        let rate_limits = self.rate_limits.unwrap_or_default();
        rate_limits
            .check()
            .map_err(|reason| ConfigError::new("rate_limits", reason))?;

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
            region: self.region,
            language: self.language,
            endpoint,
            timeout,
            connect_timeout,
            operation_timeout,
            retry,
            rate_limits,
            http,
            shared: Arc::default(),
        })
    }
}

/// The HTTP client built from the settings: rustls, a keep-alive connection pool, no redirects
/// (the API never sends one, and following one would post the signed body elsewhere), and HTTPS
/// only unless the endpoint itself is plain HTTP.
fn http_client(
    proxy: &Proxy,
    connect_timeout: Duration,
    plain_http_allowed: bool,
) -> Result<reqwest::Client, ConfigError> {
    let mut builder = reqwest::Client::builder()
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

fn check_region(region: &str) -> Result<(), ConfigError> {
    if region.is_empty() {
        return Err(ConfigError::new("region", "must not be empty"));
    }
    let valid = region
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !valid {
        return Err(ConfigError::new(
            "region",
            format!("`{region}` may only hold lowercase letters, digits and `-`"),
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

    fn builder() -> ConfigBuilder {
        Config::builder().credentials(Credentials::new("AKIDx", "key"))
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
                Config::builder().credentials(Credentials::new("AKIDx", " key")),
                "credentials",
            ),
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
                    .http_client(reqwest::Client::new())
                    .proxy("http://127.0.0.1:3128"),
                "proxy",
            ),
            (
                builder()
                    .http_client(reqwest::Client::new())
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
        let config = Config::builder()
            .credentials(Credentials::new("AKIDx", "super-secret").with_token("tok-secret"))
            .build()
            .unwrap();
        let shown = format!("{config:?}");
        assert!(!shown.contains("super-secret"), "{shown}");
        assert!(!shown.contains("tok-secret"), "{shown}");
    }
}
