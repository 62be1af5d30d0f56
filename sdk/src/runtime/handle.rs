//! Sending a signed request and reading its answer: credentials, rate limit, signature, retries
//! and clock correction around each call.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::header::{
    AUTHORIZATION, CONTENT_TYPE, DATE, HOST, HeaderMap, HeaderName, HeaderValue,
};
use tracing::Instrument;
use tracing::field::Empty;

use super::decode::{Decoded, decode_with_request_id};
use super::{Action, ServiceInfo};
use crate::clock::parse_http_date;
use crate::config::Config;
use crate::credentials::{Credentials, ProvideCredentials};
use crate::endpoint::Endpoint;
use crate::error::{BuildError, SdkError, TimeoutError, TransportError};
use crate::retry::{self, RetryDecision};
use crate::signer::{self, SigningInput};

/// The content type of every request body.
pub const CONTENT_TYPE_JSON: &str = "application/json";

/// The value of `X-TC-RequestClient`: this SDK and its version.
pub const REQUEST_CLIENT: &str = concat!("tencentcloud-sdk-rust/", env!("CARGO_PKG_VERSION"));

/// The error code of a signature whose timestamp is too far from the service's clock.
const SIGNATURE_EXPIRE: &str = "AuthFailure.SignatureExpire";

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

/// What one attempt brought back.
struct Attempt<A: Action> {
    result: Decoded<A>,
    /// The service's clock, from the answer's `Date` header.
    server_time: Option<u64>,
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

    /// Sends one request and decodes its answer, with the configured retries, rate limit and
    /// deadline, inside a `tencentcloud_call` tracing span.
    ///
    /// The span carries `service`, `version`, `action` and `region` from the start, and records
    /// `attempts`, `request_id`, `status` (`ok` or what failed) and `latency_ms` at the end.
    pub async fn send<A: Action>(&self, request: &A) -> Result<A::Output, SdkError<A::Error>> {
        let span = tracing::debug_span!(
            "tencentcloud_call",
            service = self.inner.service.name,
            version = self.inner.service.version,
            action = A::NAME,
            region = self.inner.config.region.as_deref().unwrap_or(""),
            attempts = Empty,
            request_id = Empty,
            status = Empty,
            latency_ms = Empty,
        );
        let started = Instant::now();
        let outcome = self
            .send_with_retries(request, started)
            .instrument(span.clone())
            .await;
        if !span.is_disabled() {
            let status = match &outcome {
                Ok(_) => "ok".to_owned(),
                Err(err) => status_of(err),
            };
            let request_id = match &outcome {
                Ok((_, id)) => id.as_deref(),
                Err(err) => err.request_id(),
            };
            let request_id = request_id.unwrap_or("");
            let latency_ms = millis(started.elapsed());
            span.record("status", status.as_str());
            span.record("request_id", request_id);
            span.record("latency_ms", latency_ms);
            span.in_scope(|| tracing::debug!(status, request_id, latency_ms, "call finished"));
        }
        outcome.map(|(output, _)| output)
    }

    async fn send_with_retries<A: Action>(&self, request: &A, started: Instant) -> Decoded<A> {
        let inner = &*self.inner;
        let config = &inner.config;
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
        let deadline = config.operation_timeout.map(|timeout| started + timeout);
        let out_of_time = |attempts, waiting_for| {
            SdkError::Timeout(TimeoutError::new(
                A::NAME,
                config.operation_timeout.unwrap_or_default(),
                attempts,
                waiting_for,
            ))
        };
        let safe_to_repeat = request.safe_to_repeat();
        let bucket = config.rate_limits.bucket_for(A::RATE_LIMIT);
        let span = tracing::Span::current();
        let mut rng = fastrand::Rng::new();
        let mut attempts = 0;
        // Failed attempts that count against the retry budget (a clock correction does not).
        let mut failures = 0;
        let mut clock_corrected = false;
        loop {
            let credentials = config
                .credentials
                .provide_credentials()
                .await
                .map_err(SdkError::Credentials)?;
            if let Some(bucket) = bucket {
                let now = Instant::now();
                let wait = config.shared.limiter.reserve(
                    inner.service.name,
                    A::NAME,
                    credentials.secret_id(),
                    bucket,
                    now,
                );
                if !wait.is_zero() {
                    if deadline.is_some_and(|deadline| now + wait >= deadline) {
                        return Err(out_of_time(attempts, "the rate limit"));
                    }
                    tracing::debug!(wait_ms = millis(wait), "waiting for the rate limit");
                    tokio::time::sleep(wait).await;
                }
            }
            let timeout = match deadline {
                Some(deadline) => {
                    let left = deadline.saturating_duration_since(Instant::now());
                    if left.is_zero() {
                        return Err(out_of_time(attempts, "a connection"));
                    }
                    left.min(config.timeout)
                }
                None => config.timeout,
            };

            attempts += 1;
            span.record("attempts", attempts);
            let attempt_started = Instant::now();
            let attempt = self
                .attempt::<A>(endpoint, &credentials, &payload, timeout)
                .await;
            let err = match attempt.result {
                Ok(answer) => {
                    tracing::trace!(
                        attempt = attempts,
                        latency_ms = millis(attempt_started.elapsed()),
                        "attempt succeeded"
                    );
                    return Ok(answer);
                }
                Err(err) => err,
            };
            tracing::debug!(
                attempt = attempts,
                latency_ms = millis(attempt_started.elapsed()),
                status = status_of(&err),
                "attempt failed"
            );

            if err.code() == Some(SIGNATURE_EXPIRE) && !clock_corrected {
                if let Some(server_time) = attempt.server_time {
                    clock_corrected = true;
                    let offset = config.shared.clock.correct_to(server_time);
                    tracing::warn!(
                        offset_secs = offset,
                        "the local clock is off from the service's; signing with the service's time from now on"
                    );
                    continue;
                }
            }

            failures += 1;
            let reason = match retry::classify(&err, safe_to_repeat) {
                RetryDecision::Retry(reason) => reason,
                RetryDecision::MayHaveRun(reason) => {
                    tracing::debug!(
                        reason,
                        "not retried: the request may have been carried out, and {} is not safe to repeat",
                        A::NAME
                    );
                    return Err(err);
                }
                RetryDecision::Final => return Err(err),
            };
            if failures >= config.retry.max_attempts() {
                if config.retry.max_attempts() > 1 {
                    tracing::debug!(reason, attempts, "not retried: no attempts left");
                }
                return Err(err);
            }
            let delay = config.retry.backoff(failures, &mut rng);
            if deadline.is_some_and(|deadline| Instant::now() + delay >= deadline) {
                tracing::debug!(reason, "not retried: the call's deadline would pass");
                return Err(err);
            }
            tracing::debug!(
                attempt = attempts,
                reason,
                delay_ms = millis(delay),
                error = %err,
                "retrying"
            );
            tokio::time::sleep(delay).await;
        }
    }

    /// Signs and sends the request once, and decodes the answer.
    async fn attempt<A: Action>(
        &self,
        endpoint: &Endpoint,
        credentials: &Credentials,
        payload: &[u8],
        timeout: Duration,
    ) -> Attempt<A> {
        let config = &self.inner.config;
        let timestamp = config.shared.clock.now();
        let headers = match self.headers::<A>(endpoint, credentials, payload, timestamp) {
            Ok(headers) => headers,
            Err(err) => {
                return Attempt {
                    result: Err(err),
                    server_time: None,
                };
            }
        };
        let url = endpoint.url();
        let transport =
            |err| SdkError::Transport(TransportError::new(A::NAME, url.to_string(), err));
        let response = config
            .http
            .post(url.clone())
            .headers(headers)
            .timeout(timeout)
            .body(payload.to_vec())
            .send()
            .await;
        let response = match response {
            Ok(response) => response,
            Err(err) => {
                return Attempt {
                    result: Err(transport(err)),
                    server_time: None,
                };
            }
        };
        let status = response.status().as_u16();
        let server_time = response
            .headers()
            .get(DATE)
            .and_then(|value| value.to_str().ok())
            .and_then(parse_http_date);
        let result = match response.bytes().await {
            Ok(body) => decode_with_request_id::<A>(status, &body),
            Err(err) => Err(transport(err)),
        };
        Attempt {
            result,
            server_time,
        }
    }

    /// The headers of one request, signed.
    fn headers<A: Action>(
        &self,
        endpoint: &Endpoint,
        credentials: &Credentials,
        payload: &[u8],
        timestamp: u64,
    ) -> Result<HeaderMap, SdkError<A::Error>> {
        let inner = &*self.inner;
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

/// What a failure is called in the call's span: the service's code, or the kind of failure.
fn status_of<E>(err: &SdkError<E>) -> String {
    match err {
        SdkError::Service(service) => service.code().to_owned(),
        SdkError::InvalidResponse(invalid) => {
            format!("invalid response (HTTP {})", invalid.http_status())
        }
        SdkError::Transport(transport) if transport.is_timeout() => "timed out".to_owned(),
        SdkError::Transport(transport) if transport.is_connect() => "connection failed".to_owned(),
        SdkError::Transport(_) => "connection broke".to_owned(),
        SdkError::Build(_) => "not built".to_owned(),
        SdkError::Credentials(_) => "no credentials".to_owned(),
        SdkError::Timeout(_) => "deadline".to_owned(),
    }
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

fn header(name: &'static str) -> HeaderName {
    HeaderName::from_static(name)
}
