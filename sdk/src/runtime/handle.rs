//! Sending a signed request and reading its answer.

use std::fmt;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HOST, HeaderMap, HeaderName, HeaderValue};

use super::{Action, ServiceInfo, decode_response};
use crate::config::Config;
use crate::endpoint::Endpoint;
use crate::error::{BuildError, SdkError, TransportError};
use crate::signer::{self, SigningInput};

/// The content type of every request body.
pub const CONTENT_TYPE_JSON: &str = "application/json";

/// The value of `X-TC-RequestClient`: this SDK and its version.
pub const REQUEST_CLIENT: &str = concat!("tencentcloud-sdk-rust/", env!("CARGO_PKG_VERSION"));

/// A service version's connection to the API: configuration, resolved endpoint and HTTP client.
///
/// Generated clients hold one; cloning shares it.
#[derive(Clone)]
pub struct Handle {
    inner: Arc<Inner>,
}

struct Inner {
    config: Config,
    service: &'static ServiceInfo,
    endpoint: Result<Endpoint, crate::ConfigError>,
}

impl fmt::Debug for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Handle")
            .field("service", &self.inner.service.name)
            .field("version", &self.inner.service.version)
            .field("endpoint", &self.inner.endpoint)
            .field("config", &self.inner.config)
            .finish()
    }
}

impl Handle {
    /// Connects a service version with a configuration.
    pub fn new(config: Config, service: &'static ServiceInfo) -> Self {
        let endpoint = Endpoint::resolve(
            service.endpoint_prefix,
            config.region.as_deref(),
            &config.endpoint,
        );
        Self {
            inner: Arc::new(Inner {
                config,
                service,
                endpoint,
            }),
        }
    }

    /// The configuration requests are made with.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The service version this handle talks to.
    pub fn service(&self) -> &'static ServiceInfo {
        self.inner.service
    }

    /// Where requests go, or why no endpoint could be made from the configuration.
    pub fn endpoint(&self) -> Result<&Endpoint, &crate::ConfigError> {
        self.inner.endpoint.as_ref()
    }

    /// Sends one request and decodes its answer.
    pub async fn send<A: Action>(&self, request: &A) -> Result<A::Output, SdkError<A::Error>> {
        let inner = &*self.inner;
        let endpoint = inner
            .endpoint
            .as_ref()
            .map_err(|err| SdkError::Build(BuildError::invalid(A::NAME, err.to_string())))?;
        let payload = serde_json::to_vec(request).map_err(|err| {
            SdkError::Build(BuildError::invalid(
                A::NAME,
                format!("could not be serialized: {err}"),
            ))
        })?;
        let timestamp = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_secs());
        let headers = self.headers::<A>(endpoint, &payload, timestamp)?;

        let url = endpoint.url().as_str();
        let transport =
            |err| SdkError::Transport(TransportError::new(A::NAME, url.to_owned(), err));
        let answer = inner
            .config
            .http
            .post(endpoint.url().clone())
            .headers(headers)
            .body(payload)
            .send()
            .await
            .map_err(transport)?;
        let status = answer.status().as_u16();
        let body = answer.bytes().await.map_err(transport)?;
        decode_response::<A>(status, &body)
    }

    /// The headers of one request, signed.
    fn headers<A: Action>(
        &self,
        endpoint: &Endpoint,
        payload: &[u8],
        timestamp: u64,
    ) -> Result<HeaderMap, SdkError<A::Error>> {
        let inner = &*self.inner;
        let credentials = &inner.config.credentials;
        let authorization = signer::authorization(&SigningInput {
            credentials,
            service: inner.service.name,
            host: endpoint.host(),
            method: "POST",
            content_type: CONTENT_TYPE_JSON,
            canonical_query: "",
            payload,
            timestamp,
        });

        let mut headers = HeaderMap::with_capacity(10);
        let mut put = |name: HeaderName, value: &str, what: &'static str| {
            let mut value = HeaderValue::from_str(value).map_err(|_| {
                SdkError::Build(BuildError::invalid(
                    A::NAME,
                    format!("{what} is not a valid HTTP header value"),
                ))
            })?;
            // Keeps the signature and the token out of HTTP/2 header compression tables.
            value.set_sensitive(name == AUTHORIZATION || name.as_str() == "x-tc-token");
            headers.insert(name, value);
            Ok::<(), SdkError<A::Error>>(())
        };
        put(HOST, endpoint.host(), "the host")?;
        put(CONTENT_TYPE, CONTENT_TYPE_JSON, "the content type")?;
        put(AUTHORIZATION, &authorization, "the authorization")?;
        put(header("x-tc-action"), A::NAME, "the action")?;
        put(header("x-tc-version"), inner.service.version, "the version")?;
        put(
            header("x-tc-timestamp"),
            &timestamp.to_string(),
            "the timestamp",
        )?;
        put(
            header("x-tc-requestclient"),
            REQUEST_CLIENT,
            "the client name",
        )?;
        if let Some(region) = &inner.config.region {
            put(header("x-tc-region"), region, "the region")?;
        }
        if let Some(token) = credentials.token() {
            put(header("x-tc-token"), token, "the session token")?;
        }
        if let Some(language) = inner.config.language {
            put(header("x-tc-language"), language.as_str(), "the language")?;
        }
        Ok(headers)
    }
}

fn header(name: &'static str) -> HeaderName {
    HeaderName::from_static(name)
}
