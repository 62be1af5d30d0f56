//! Where requests go: the host of a service in a region, or a custom URL.
//!
//! By default a service is reached at `https://<service>.tencentcloudapi.com/`. Finance regions
//! (names ending in `-fsi`, such as `ap-shanghai-fsi`) only accept requests on their regional host
//! `<service>.<region>.tencentcloudapi.com`, so those are chosen automatically. Regional hosts can
//! also be asked for in any region, the root domain can be changed (`intl.tencentcloudapi.com`), and
//! a full custom URL (an emulator on `http://127.0.0.1:port`) replaces all of it.

use reqwest::Url;

use crate::config::ConfigError;

/// The root domain of Tencent Cloud API 3.0.
pub const DEFAULT_ROOT_DOMAIN: &str = "tencentcloudapi.com";

/// Whether a region is a finance region, which requires its regional host.
pub fn is_finance_region(region: &str) -> bool {
    region.ends_with("-fsi")
}

/// How hosts are chosen, as configured on [`Config`](crate::Config).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EndpointOptions {
    pub(crate) custom_url: Option<Url>,
    pub(crate) root_domain: String,
    pub(crate) regional: bool,
}

impl Default for EndpointOptions {
    fn default() -> Self {
        Self {
            custom_url: None,
            root_domain: DEFAULT_ROOT_DOMAIN.to_owned(),
            regional: false,
        }
    }
}

/// A resolved endpoint: the URL to post to and the `Host` value that is sent and signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    url: Url,
    host: String,
}

impl Endpoint {
    /// The URL requests are posted to.
    pub fn url(&self) -> &Url {
        &self.url
    }

    /// The `Host` header value, with the port when it is not the scheme's default.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// Resolves the endpoint of a service (its host prefix, such as `dts`) for a region.
    pub(crate) fn resolve(
        service: &str,
        region: Option<&str>,
        options: &EndpointOptions,
    ) -> Result<Self, ConfigError> {
        if let Some(url) = &options.custom_url {
            return Self::from_url(url.clone());
        }
        let root = &options.root_domain;
        let host = match region {
            Some(region) if options.regional || is_finance_region(region) => {
                format!("{service}.{region}.{root}")
            }
            _ => format!("{service}.{root}"),
        };
        let url = Url::parse(&format!("https://{host}/")).map_err(|err| {
            ConfigError::new("endpoint", format!("`{host}` is not a valid host: {err}"))
        })?;
        Self::from_url(url)
    }

    fn from_url(url: Url) -> Result<Self, ConfigError> {
        let Some(host_name) = url.host_str() else {
            return Err(ConfigError::new("endpoint", format!("`{url}` has no host")));
        };
        let host = match url.port() {
            Some(port) => format!("{host_name}:{port}"),
            None => host_name.to_owned(),
        };
        Ok(Self { url, host })
    }
}

/// Parses and checks a custom endpoint URL given in the configuration.
pub(crate) fn parse_custom_url(text: &str) -> Result<Url, ConfigError> {
    let url = Url::parse(text)
        .map_err(|err| ConfigError::new("endpoint", format!("`{text}` is not a URL: {err}")))?;
    if url.scheme() != "https" && url.scheme() != "http" {
        return Err(ConfigError::new(
            "endpoint",
            format!("`{text}` must use http or https"),
        ));
    }
    if url.host_str().is_none() {
        return Err(ConfigError::new(
            "endpoint",
            format!("`{text}` has no host"),
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(ConfigError::new(
            "endpoint",
            format!("`{text}` must not have a query or fragment"),
        ));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(ConfigError::new(
            "endpoint",
            "must not carry a user name or password".to_owned(),
        ));
    }
    Ok(url)
}

/// Checks a root domain such as `intl.tencentcloudapi.com`.
pub(crate) fn check_root_domain(domain: &str) -> Result<(), ConfigError> {
    let valid = !domain.is_empty()
        && domain.split('.').all(|label| {
            !label.is_empty()
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        });
    if valid {
        Ok(())
    } else {
        Err(ConfigError::new(
            "root_domain",
            format!("`{domain}` is not a domain name"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve(region: Option<&str>, options: &EndpointOptions) -> Endpoint {
        Endpoint::resolve("dts", region, options).unwrap()
    }

    #[test]
    fn default_host_is_global() {
        let ep = resolve(Some("ap-guangzhou"), &EndpointOptions::default());
        assert_eq!(ep.host(), "dts.tencentcloudapi.com");
        assert_eq!(ep.url().as_str(), "https://dts.tencentcloudapi.com/");
    }

    #[test]
    fn finance_region_goes_to_its_regional_host() {
        let ep = resolve(Some("ap-shanghai-fsi"), &EndpointOptions::default());
        assert_eq!(ep.host(), "dts.ap-shanghai-fsi.tencentcloudapi.com");
        assert_eq!(
            ep.url().as_str(),
            "https://dts.ap-shanghai-fsi.tencentcloudapi.com/"
        );
    }

    #[test]
    fn regional_and_root_domain_options() {
        let options = EndpointOptions {
            regional: true,
            root_domain: "intl.tencentcloudapi.com".to_owned(),
            ..EndpointOptions::default()
        };
        let ep = resolve(Some("ap-singapore"), &options);
        assert_eq!(ep.host(), "dts.ap-singapore.intl.tencentcloudapi.com");
        // Without a region there is no regional host to choose.
        let ep = resolve(None, &options);
        assert_eq!(ep.host(), "dts.intl.tencentcloudapi.com");
    }

    #[test]
    fn custom_url_keeps_its_port_in_the_host() {
        let options = EndpointOptions {
            custom_url: Some(parse_custom_url("http://127.0.0.1:8080").unwrap()),
            ..EndpointOptions::default()
        };
        let ep = resolve(Some("ap-shanghai-fsi"), &options);
        assert_eq!(ep.host(), "127.0.0.1:8080");
        assert_eq!(ep.url().as_str(), "http://127.0.0.1:8080/");

        let options = EndpointOptions {
            custom_url: Some(parse_custom_url("https://dts.example.com:443/").unwrap()),
            ..EndpointOptions::default()
        };
        assert_eq!(resolve(None, &options).host(), "dts.example.com");
    }

    #[test]
    fn bad_custom_urls_are_refused_with_a_reason() {
        for (text, needle) in [
            ("not a url", "not a URL"),
            ("ftp://example.com", "http or https"),
            ("http://example.com/?a=b", "query"),
            ("http://user:pw@example.com/", "user name"),
        ] {
            let err = parse_custom_url(text).unwrap_err();
            assert_eq!(err.setting(), "endpoint");
            assert!(err.to_string().contains(needle), "{text}: {err}");
        }
    }

    #[test]
    fn root_domain_is_checked() {
        assert!(check_root_domain("intl.tencentcloudapi.com").is_ok());
        assert!(check_root_domain("").is_err());
        assert!(check_root_domain("a..b").is_err());
        assert!(check_root_domain("a/b").is_err());
    }
}
