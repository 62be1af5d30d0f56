//! Client configuration: credentials, region, language, endpoint and timeouts.

use std::fmt;
use std::time::Duration;

use crate::Credentials;
use crate::endpoint::{self, EndpointOptions};

/// The default time allowed for one request, from sending to the end of the answer.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

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
#[derive(Debug, Clone)]
pub struct Config {
    pub(crate) credentials: Credentials,
    pub(crate) region: Option<String>,
    pub(crate) language: Option<Language>,
    pub(crate) endpoint: EndpointOptions,
    pub(crate) timeout: Duration,
    pub(crate) http: reqwest::Client,
}

impl Config {
    /// Starts a configuration.
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    /// The credentials that sign requests.
    pub fn credentials(&self) -> &Credentials {
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

    /// The time allowed for one request.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }
}

/// Collects the settings of a [`Config`].
#[derive(Debug, Clone, Default)]
#[must_use]
pub struct ConfigBuilder {
    credentials: Option<Credentials>,
    region: Option<String>,
    language: Option<Language>,
    endpoint: Option<String>,
    root_domain: Option<String>,
    regional: bool,
    timeout: Option<Duration>,
}

impl ConfigBuilder {
    /// The credentials that sign requests (required).
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
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

    /// The time allowed for one request (default [`DEFAULT_TIMEOUT`]).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Checks every setting and builds the configuration.
    pub fn build(self) -> Result<Config, ConfigError> {
        let credentials = self.credentials.ok_or_else(|| {
            ConfigError::new(
                "credentials",
                "no credentials were given (see Credentials::new and Credentials::from_env)",
            )
        })?;
        credentials
            .validate()
            .map_err(|err| ConfigError::new("credentials", err.to_string()))?;
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
        let timeout = self.timeout.unwrap_or(DEFAULT_TIMEOUT);
        if timeout.is_zero() {
            return Err(ConfigError::new("timeout", "must be longer than zero"));
        }
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .build()
            .map_err(|err| {
                ConfigError::new("http", format!("the HTTP client could not start: {err}"))
            })?;
        Ok(Config {
            credentials,
            region: self.region,
            language: self.language,
            endpoint,
            timeout,
            http,
        })
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
    }

    #[test]
    fn each_bad_setting_is_named() {
        let cases = [
            (Config::builder().region("ap-guangzhou"), "credentials"),
            (
                Config::builder().credentials(Credentials::new("AKIDx", " key")),
                "credentials",
            ),
            (builder().region(""), "region"),
            (builder().region("Ap Guangzhou"), "region"),
            (builder().endpoint("127.0.0.1:8080"), "endpoint"),
            (builder().root_domain("bad domain"), "root_domain"),
            (builder().timeout(Duration::ZERO), "timeout"),
        ];
        for (builder, setting) in cases {
            let err = builder.build().unwrap_err();
            assert_eq!(err.setting(), setting, "{err}");
        }
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
