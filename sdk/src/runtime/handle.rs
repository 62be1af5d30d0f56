//! Sending a signed request and reading its answer: credentials, rate limit, signature, retries
//! and clock correction around each call.

use std::any::Any;
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use bytes::Bytes;
use reqwest::header::{
    AUTHORIZATION, CONTENT_TYPE, DATE, HOST, HeaderMap, HeaderName, HeaderValue,
};
use tracing::Instrument;
use tracing::field::Empty;

use serde::de::DeserializeOwned;

use super::decode::decode;
use super::members::Request;
use super::wire::Response;
use super::{Action, ActionInfo, ServiceInfo};
use crate::calendar::parse_http_date;
use crate::config::Config;
use crate::config::ConfigError;
use crate::credentials::{Credentials, ProvideCredentials};
use crate::endpoint::Endpoint;
use crate::error::{BuildError, SdkError, TimeoutError, TransportError};
use crate::retry::{self, RetryDecision};
use crate::signer::{self, RequestSigner, SigningKey};

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
    /// Where requests go and what they all share, or why the configuration gives no route
    /// (reported when a request is made: making a client cannot fail).
    route: Result<Route, ConfigError>,
    /// The signing key of the last secret key and date seen: derived once a day, not per request.
    signing_key: Mutex<Option<CachedKey>>,
}

/// What every request of a handle shares: where it goes, its fixed headers, and the signer that
/// has hashed the fixed part of its canonical request.
struct Route {
    endpoint: Endpoint,
    /// Host, content type, version, client name, region and language, made once and copied for
    /// each request, with room for the four headers that change (authorization, action,
    /// timestamp and token).
    fixed_headers: HeaderMap,
    signer: RequestSigner,
}

impl Route {
    fn new(config: &Config, service: &ServiceInfo) -> Result<Self, ConfigError> {
        let endpoint = Endpoint::resolve(
            service.endpoint_prefix,
            config.region.as_deref(),
            &config.endpoint,
        )?;
        let value = |text: &str, setting: &'static str| {
            HeaderValue::from_str(text).map_err(|_| {
                ConfigError::new(
                    setting,
                    format!("`{text}` is not a valid HTTP header value"),
                )
            })
        };
        let mut fixed_headers = HeaderMap::with_capacity(12);
        fixed_headers.insert(HOST, value(endpoint.host(), "endpoint")?);
        fixed_headers.insert(CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE_JSON));
        fixed_headers.insert(X_TC_VERSION, value(service.version, "service version")?);
        fixed_headers.insert(X_TC_REQUESTCLIENT, HeaderValue::from_static(REQUEST_CLIENT));
        if let Some(region) = &config.region {
            fixed_headers.insert(X_TC_REGION, value(region, "region")?);
        }
        if let Some(language) = config.language {
            fixed_headers.insert(X_TC_LANGUAGE, HeaderValue::from_static(language.as_str()));
        }
        let signer = RequestSigner::new("POST", "", CONTENT_TYPE_JSON, endpoint.host());
        Ok(Self {
            endpoint,
            fixed_headers,
            signer,
        })
    }
}

struct CachedKey {
    secret_key: Arc<str>,
    key: Arc<SigningKey>,
}

/// A request that is signed and ready to send with any HTTP client: POST it to [`url`](Self::url)
/// with these [`headers`](Self::headers) and this [`body`](Self::body) within five minutes of its
/// timestamp. Made by [`Handle::presign`].
///
/// `Debug` leaves out the header values, which hold the signature and any session token.
#[derive(Clone)]
pub struct SignedRequest {
    url: reqwest::Url,
    headers: HeaderMap,
    body: Bytes,
}

impl SignedRequest {
    /// Where to POST it.
    pub fn url(&self) -> &reqwest::Url {
        &self.url
    }

    /// Every header to send, `Authorization` included.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The JSON body.
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// The three parts, to hand to another HTTP client.
    pub fn into_parts(self) -> (reqwest::Url, HeaderMap, Bytes) {
        (self.url, self.headers, self.body)
    }
}

impl fmt::Debug for SignedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignedRequest")
            .field("url", &self.url.as_str())
            .field("headers", &self.headers.keys().collect::<Vec<_>>())
            .field("body_len", &self.body.len())
            .finish()
    }
}

impl fmt::Debug for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Handle")
            .field("service", &self.inner.service.name)
            .field("version", &self.inner.service.version)
            .field("endpoint", &self.endpoint())
            .field("config", &self.inner.config)
            .finish()
    }
}

/// A decoded answer of any action: the output, boxed so that the loop that sends requests is
/// the same code for every action, with its RequestId.
pub(crate) struct Answer {
    value: Box<dyn Any + Send>,
    request_id: String,
}

/// Reads an answer into an action's output type. Instantiated once per output type, it is the
/// only part of sending that is.
type Decoder = fn(&'static str, u16, &[u8]) -> Result<Answer, SdkError<()>>;

fn decode_answer<T: Response + DeserializeOwned>(
    action: &'static str,
    http_status: u16,
    body: &[u8],
) -> Result<Answer, SdkError<()>> {
    let output = decode::<T>(action, http_status, body)?;
    Ok(Answer {
        request_id: output.request_id().to_owned(),
        value: Box::new(output),
    })
}

/// A request ready to go: its action, its body and whether it may be sent twice.
struct Outgoing {
    info: ActionInfo,
    body: Bytes,
    /// `None` for JSON; the `multipart/form-data` type with its boundary otherwise.
    content_type: Option<String>,
    safe_to_repeat: bool,
}

impl Outgoing {
    fn new<A: Action>(request: &Request<A>) -> Result<Self, BuildError> {
        let (info, params) = (A::INFO, request.params());
        let safe_to_repeat = request.safe_to_repeat();
        let (body, content_type) = if info.multipart || params.has_binary() {
            let boundary = super::multipart::boundary();
            let body = super::multipart::body(params.parts(), &boundary);
            (
                body,
                Some(format!("multipart/form-data; boundary={boundary}")),
            )
        } else {
            let body = serde_json::to_vec(params).map_err(|err| {
                BuildError::invalid(info.name, format!("could not be serialized: {err}"))
            })?;
            (body, None)
        };
        Ok(Self {
            info,
            body: Bytes::from(body),
            content_type,
            safe_to_repeat,
        })
    }
}

type CallFuture = Pin<Box<dyn Future<Output = Result<Answer, SdkError<()>>> + Send>>;

/// The answer of a call of action `A` on its way: await it.
///
/// Everything a call does (credentials, rate limit, signing, retries) runs in one future shared
/// by every action; this wrapper only gives the answer its type.
#[must_use = "nothing is sent until the call is awaited"]
pub struct Sending<A> {
    future: CallFuture,
    action: PhantomData<fn() -> A>,
}

impl<A: Action> Sending<A> {
    fn new(future: CallFuture) -> Self {
        Self {
            future,
            action: PhantomData,
        }
    }

    fn failed(err: BuildError) -> Self {
        Self::new(Box::pin(std::future::ready(Err(SdkError::Build(err)))))
    }
}

impl<A: Action> Future for Sending<A> {
    type Output = Result<A::Output, SdkError<A::Error>>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.get_mut().future.as_mut().poll(cx).map(|answer| {
            let answer = answer.map_err(SdkError::map_kind)?;
            answer
                .value
                .downcast::<A::Output>()
                .map(|output| *output)
                .map_err(|_| {
                    // Each `Sending<A>` decodes with `A::Output`'s decoder, so this cannot happen.
                    SdkError::Build(BuildError::invalid(
                        A::INFO.name,
                        "the answer was decoded as another type".to_owned(),
                    ))
                })
        })
    }
}

impl<A: Action> fmt::Debug for Sending<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sending")
            .field("action", &A::INFO.name)
            .finish()
    }
}

/// What one attempt brought back.
struct Attempt {
    result: Result<Answer, SdkError<()>>,
    /// The service's clock, from the answer's `Date` header.
    server_time: Option<u64>,
}

impl Handle {
    /// Connects a service version with a configuration.
    pub fn new(config: Config, service: &'static ServiceInfo) -> Self {
        let route = Route::new(&config, service);
        Self {
            inner: Arc::new(Inner {
                config,
                service,
                route,
                signing_key: Mutex::new(None),
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
    pub fn endpoint(&self) -> Result<&Endpoint, &ConfigError> {
        self.inner.route.as_ref().map(|route| &route.endpoint)
    }

    /// The route, or the configuration's mistake as a build error of `action`.
    fn route(&self, action: &'static str) -> Result<&Route, SdkError<()>> {
        self.inner
            .route
            .as_ref()
            .map_err(|err| SdkError::Build(BuildError::invalid(action, err.to_string())))
    }

    /// Sends a built request and decodes its answer, with the configured retries, rate limit
    /// and deadline, inside a `tencentcloud_call` tracing span.
    ///
    /// The span carries `service`, `version`, `action` and `region` from the start, and records
    /// `attempts`, `request_id`, `status` (`ok` or what failed) and `latency_ms` at the end.
    pub fn send<A: Action>(&self, request: &Request<A>) -> Sending<A> {
        match Outgoing::new(request) {
            Ok(outgoing) => Sending::new(self.start(outgoing, decode_answer::<A::Output>)),
            Err(err) => Sending::failed(err),
        }
    }

    /// Sends a request whose required members were checked, or fails with why they were not.
    pub(crate) fn send_checked<A: Action>(
        &self,
        request: Result<Request<A>, BuildError>,
    ) -> Sending<A> {
        match request {
            Ok(request) => self.send(&request),
            Err(err) => Sending::failed(err),
        }
    }

    /// The future of a call; not generic, so that it is compiled once for every action.
    fn start(&self, outgoing: Outgoing, decoder: Decoder) -> CallFuture {
        let handle = self.clone();
        Box::pin(async move { handle.call(outgoing, decoder).await })
    }

    /// The one loop every call of every action runs.
    async fn call(&self, outgoing: Outgoing, decoder: Decoder) -> Result<Answer, SdkError<()>> {
        let span = tracing::debug_span!(
            "tencentcloud_call",
            service = self.inner.service.name,
            version = self.inner.service.version,
            action = outgoing.info.name,
            region = self.inner.config.region.as_deref().unwrap_or(""),
            attempts = Empty,
            request_id = Empty,
            status = Empty,
            latency_ms = Empty,
        );
        let started = Instant::now();
        let outcome = self
            .send_with_retries(&outgoing, decoder, started)
            .instrument(span.clone())
            .await;
        if !span.is_disabled() {
            let status = match &outcome {
                Ok(_) => "ok".to_owned(),
                Err(err) => status_of(err),
            };
            let request_id = match &outcome {
                Ok(answer) => Some(answer.request_id.as_str()),
                Err(err) => err.request_id(),
            };
            let request_id = request_id.unwrap_or("");
            let latency_ms = millis(started.elapsed());
            span.record("status", status.as_str());
            span.record("request_id", request_id);
            span.record("latency_ms", latency_ms);
            span.in_scope(|| tracing::debug!(status, request_id, latency_ms, "call finished"));
        }
        outcome
    }

    async fn send_with_retries(
        &self,
        outgoing: &Outgoing,
        decoder: Decoder,
        started: Instant,
    ) -> Result<Answer, SdkError<()>> {
        let inner = &*self.inner;
        let config = &inner.config;
        let info = &outgoing.info;
        let route = self.route(info.name)?;
        let deadline = config.operation_timeout.map(|timeout| started + timeout);
        let out_of_time = |attempts, waiting_for| {
            SdkError::Timeout(TimeoutError::new(
                info.name,
                config.operation_timeout.unwrap_or_default(),
                attempts,
                waiting_for,
            ))
        };
        let safe_to_repeat = outgoing.safe_to_repeat;
        let bucket = config.rate_limits.bucket_for(info.rate_limit);
        let span = tracing::Span::current();
        let mut rng = fastrand::Rng::new();
        let mut attempts = 0;
        // Failed attempts that count against the retry budget (a clock correction does not).
        let mut failures = 0;
        let mut clock_corrected = false;
        loop {
            // An action that is not signed (such as one that makes credentials) needs none.
            let credentials = if info.signed {
                Some(
                    config
                        .credentials
                        .provide_credentials()
                        .await
                        .map_err(SdkError::Credentials)?,
                )
            } else {
                None
            };
            if let Some(bucket) = bucket {
                let now = Instant::now();
                let wait = config.shared.limiter.reserve(
                    inner.service.name,
                    info.name,
                    credentials.as_ref().map_or("", |c| c.secret_id()),
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
                .attempt(route, outgoing, credentials.as_ref(), decoder, timeout)
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
                        info.name
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
    async fn attempt(
        &self,
        route: &Route,
        outgoing: &Outgoing,
        credentials: Option<&Credentials>,
        decoder: Decoder,
        timeout: Duration,
    ) -> Attempt {
        let config = &self.inner.config;
        let action = outgoing.info.name;
        let timestamp = config.shared.clock.now();
        let headers = match self.headers(route, outgoing, credentials, timestamp) {
            Ok(headers) => headers,
            Err(err) => {
                return Attempt {
                    result: Err(err),
                    server_time: None,
                };
            }
        };
        let url = route.endpoint.url();
        let transport =
            |err| SdkError::Transport(TransportError::new(action, url.to_string(), err));
        // The signed headers become the request's own map, rather than being copied into it one
        // by one as `RequestBuilder::headers` would.
        let response = match config
            .http
            .post(url.clone())
            .body(outgoing.body.clone())
            .build()
        {
            Ok(mut request) => {
                *request.headers_mut() = headers;
                *request.timeout_mut() = Some(timeout);
                config.http.execute(request).await
            }
            Err(err) => Err(err),
        };
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
            Ok(body) => decoder(action, status, &body),
            Err(err) => Err(transport(err)),
        };
        Attempt {
            result,
            server_time,
        }
    }

    /// Serializes and signs a request without sending it, with credentials from the configured
    /// provider and the (corrected) current time, for sending with another HTTP client. Retries,
    /// rate limits and timeouts are then the other client's business.
    pub async fn presign<A: Action>(
        &self,
        request: &Request<A>,
    ) -> Result<SignedRequest, SdkError<A::Error>> {
        let credentials = self
            .inner
            .config
            .credentials
            .provide_credentials()
            .await
            .map_err(SdkError::Credentials)?;
        let timestamp = self.inner.config.shared.clock.now();
        self.sign_with(request, &credentials, timestamp)
    }

    /// Serializes and signs a request with the given credentials and timestamp, without sending
    /// it: what every attempt of [`send`](Self::send) does before the request leaves.
    pub fn sign_with<A: Action>(
        &self,
        request: &Request<A>,
        credentials: &Credentials,
        timestamp: u64,
    ) -> Result<SignedRequest, SdkError<A::Error>> {
        let outgoing = Outgoing::new(request).map_err(SdkError::Build)?;
        self.sign_outgoing(&outgoing, credentials, timestamp)
            .map_err(SdkError::map_kind)
    }

    fn sign_outgoing(
        &self,
        outgoing: &Outgoing,
        credentials: &Credentials,
        timestamp: u64,
    ) -> Result<SignedRequest, SdkError<()>> {
        let route = self.route(outgoing.info.name)?;
        let headers = self.headers(route, outgoing, Some(credentials), timestamp)?;
        Ok(SignedRequest {
            url: route.endpoint.url().clone(),
            headers,
            body: outgoing.body.clone(),
        })
    }

    /// The `Authorization` header value, with the signing key derived at most once a day.
    fn authorization(
        &self,
        route: &Route,
        content_type: Option<&str>,
        credentials: &Credentials,
        payload: &[u8],
        timestamp: u64,
    ) -> String {
        let inner = &*self.inner;
        let service = inner.service.name;
        let secret_key = credentials.shared_secret_key();
        let key = {
            let mut cached = inner
                .signing_key
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            match &*cached {
                Some(entry)
                    if entry.key.is_for_date_of(timestamp)
                        && (Arc::ptr_eq(&entry.secret_key, secret_key)
                            || entry.secret_key == *secret_key) =>
                {
                    Arc::clone(&entry.key)
                }
                _ => {
                    let date = signer::utc_date(timestamp);
                    let key = Arc::new(SigningKey::derive(secret_key, &date, service));
                    *cached = Some(CachedKey {
                        secret_key: Arc::clone(secret_key),
                        key: Arc::clone(&key),
                    });
                    key
                }
            }
        };
        let secret_id = credentials.secret_id();
        match content_type {
            None => route
                .signer
                .authorization(&key, secret_id, service, payload, timestamp),
            // Uploads are rare: their signer is made for the request, with its content type.
            Some(content_type) => {
                RequestSigner::new("POST", "", content_type, route.endpoint.host())
                    .authorization(&key, secret_id, service, payload, timestamp)
            }
        }
    }

    /// The headers of one request, signed when it has credentials.
    fn headers(
        &self,
        route: &Route,
        outgoing: &Outgoing,
        credentials: Option<&Credentials>,
        timestamp: u64,
    ) -> Result<HeaderMap, SdkError<()>> {
        let action = outgoing.info.name;
        let invalid = |what: &str| {
            SdkError::Build(BuildError::invalid(
                action,
                format!("{what} is not a valid HTTP header value"),
            ))
        };
        if !is_header_text(action) {
            return Err(invalid("the action"));
        }
        let mut headers = route.fixed_headers.clone();
        let content_type = outgoing.content_type.as_deref();
        if let Some(content_type) = content_type {
            let value =
                HeaderValue::from_str(content_type).map_err(|_| invalid("the content type"))?;
            headers.insert(CONTENT_TYPE, value);
        }
        if let Some(credentials) = credentials {
            let signature =
                self.authorization(route, content_type, credentials, &outgoing.body, timestamp);
            let mut authorization =
                HeaderValue::try_from(signature).map_err(|_| invalid("the authorization"))?;
            // Keeps the signature and the token out of HTTP/2 header compression tables.
            authorization.set_sensitive(true);
            headers.insert(AUTHORIZATION, authorization);
            if let Some(token) = credentials.token() {
                let mut token =
                    HeaderValue::from_str(token).map_err(|_| invalid("the session token"))?;
                token.set_sensitive(true);
                headers.insert(X_TC_TOKEN, token);
            }
        }
        headers.insert(X_TC_ACTION, HeaderValue::from_static(action));
        headers.insert(X_TC_TIMESTAMP, HeaderValue::from(timestamp));
        Ok(headers)
    }
}

/// Whether `text` can be a header value as it is: visible ASCII and spaces, which
/// `HeaderValue::from_static` requires.
fn is_header_text(text: &str) -> bool {
    text.bytes()
        .all(|b| b == b' ' || b == b'\t' || (0x21..0x7f).contains(&b))
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

// Header names, checked when the crate compiles rather than on every request.
const X_TC_ACTION: HeaderName = HeaderName::from_static("x-tc-action");
const X_TC_VERSION: HeaderName = HeaderName::from_static("x-tc-version");
const X_TC_TIMESTAMP: HeaderName = HeaderName::from_static("x-tc-timestamp");
const X_TC_REQUESTCLIENT: HeaderName = HeaderName::from_static("x-tc-requestclient");
const X_TC_REGION: HeaderName = HeaderName::from_static("x-tc-region");
const X_TC_TOKEN: HeaderName = HeaderName::from_static("x-tc-token");
const X_TC_LANGUAGE: HeaderName = HeaderName::from_static("x-tc-language");
