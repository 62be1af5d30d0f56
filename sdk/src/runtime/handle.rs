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
use super::members::{Params, Request};
use super::stream::{EventDecoder, EventSource, EventStream};
use super::wire::Response;
use super::{Action, ServiceInfo};
use crate::calendar::parse_http_date;
use crate::config::{Config, ConfigError, MAX_CLOCK_CORRECTION};
use crate::credentials::{Credentials, ProvideCredentials};
use crate::endpoint::Endpoint;
use crate::error::{
    BuildError, ErrorKind, InvalidResponse, InvalidResponseKind, Name, SdkError, TimeoutError,
    TransportError,
};
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
    service: ServiceInfo,
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
            service.endpoint_prefix(),
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
        fixed_headers.insert(X_TC_VERSION, value(service.version(), "version")?);
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
            .field("service", &self.inner.service.name())
            .field("version", &self.inner.service.version())
            .field("endpoint", &self.endpoint())
            .field("config", &self.inner.config)
            .finish()
    }
}

/// An answer of any action, boxed so that the loop that sends requests is the same code for
/// every action, with its RequestId.
pub(crate) struct Answer {
    body: AnswerBody,
    request_id: String,
}

enum AnswerBody {
    /// The decoded output (of the type the call's decoder reads).
    Decoded(Box<dyn Any + Send>),
    /// A stream of events, not read yet.
    Events(Box<EventSource>),
}

/// Reads an answer into an output type. Instantiated once per output type, it is the only part
/// of sending that is.
pub(crate) type Decoder = fn(&Name, u16, &[u8]) -> Result<Answer, SdkError<()>>;

/// The [`Decoder`] of a generated output type: one pass over the body.
pub(crate) fn decode_answer<T: Response + DeserializeOwned + Send + 'static>(
    action: &Name,
    http_status: u16,
    body: &[u8],
) -> Result<Answer, SdkError<()>> {
    let output = decode::<T>(action, http_status, body)?;
    Ok(Answer::decoded(output.request_id().to_owned(), output))
}

impl Answer {
    /// The RequestId of the answer.
    #[cfg_attr(not(test), allow(dead_code))]
    pub(crate) fn request_id(&self) -> &str {
        &self.request_id
    }

    pub(crate) fn decoded<T: Send + 'static>(request_id: String, value: T) -> Self {
        Self {
            body: AnswerBody::Decoded(Box::new(value)),
            request_id,
        }
    }

    /// The output, as the type its decoder made.
    fn into_output<T: 'static, E: ErrorKind>(self, action: &Name) -> Result<T, SdkError<E>> {
        let value = match self.body {
            AnswerBody::Decoded(value) => value,
            AnswerBody::Events(_) => {
                return Err(SdkError::InvalidResponse(InvalidResponse::new(
                    action.clone(),
                    200,
                    InvalidResponseKind::Shape(
                        "a stream of events answered a call that did not ask for one".to_owned(),
                    ),
                    None,
                    b"",
                )));
            }
        };
        value.downcast::<T>().map(|output| *output).map_err(|_| {
            // Each future decodes with its own output type's decoder, so this cannot happen.
            SdkError::Build(BuildError::invalid(
                action.clone(),
                "the answer was decoded as another type".to_owned(),
            ))
        })
    }
}

/// How a request is sent: what the runtime needs to know of its action.
#[derive(Debug, Clone)]
pub(crate) struct Dispatch {
    pub(crate) action: Name,
    pub(crate) rate_limit: Option<u32>,
    pub(crate) signed: bool,
    pub(crate) multipart: bool,
    pub(crate) safe_to_repeat: bool,
    /// Whether the call takes its answer as a stream of events when the service sends one.
    pub(crate) stream: bool,
}

impl Dispatch {
    fn of<A: Action>(request: &Request<A>) -> Self {
        let info = A::INFO;
        Self {
            action: Name::Borrowed(info.name),
            rate_limit: info.rate_limit,
            signed: info.signed,
            multipart: info.multipart,
            safe_to_repeat: request.safe_to_repeat(),
            stream: false,
        }
    }
}

/// A request ready to go: how it is sent and its body.
struct Outgoing {
    how: Dispatch,
    body: Bytes,
    /// `None` for JSON; the `multipart/form-data` type with its boundary otherwise.
    content_type: Option<String>,
}

impl Outgoing {
    fn new(how: Dispatch, params: &Params) -> Result<Self, BuildError> {
        let (body, content_type) = if how.multipart || params.has_binary() {
            let boundary = super::multipart::boundary();
            let body = super::multipart::body(params.parts(), &boundary);
            (
                body,
                Some(format!("multipart/form-data; boundary={boundary}")),
            )
        } else {
            let body = serde_json::to_vec(params).map_err(|err| {
                BuildError::invalid(
                    how.action.clone(),
                    format!("could not be serialized: {err}"),
                )
            })?;
            (body, None)
        };
        Ok(Self {
            how,
            body: Bytes::from(body),
            content_type,
        })
    }
}

pub(crate) type CallFuture = Pin<Box<dyn Future<Output = Result<Answer, SdkError<()>>> + Send>>;

/// The answer of a call on its way: await it for the output `T` or the error with kind `E`.
///
/// Everything a call does (credentials, rate limit, signing, retries) runs in one future shared
/// by every action, generated or [generic](crate::generic); this wrapper only gives the answer
/// its type.
#[must_use = "nothing is sent until the call is awaited"]
pub struct Sending<T, E> {
    future: CallFuture,
    action: Name,
    types: PhantomData<fn() -> (T, E)>,
}

impl<T: 'static, E: ErrorKind> Sending<T, E> {
    pub(crate) fn new(action: Name, future: CallFuture) -> Self {
        Self {
            future,
            action,
            types: PhantomData,
        }
    }

    pub(crate) fn failed(err: BuildError) -> Self {
        let action = Name::Owned(err.structure().to_owned());
        Self::new(
            action,
            Box::pin(std::future::ready(Err(SdkError::Build(err)))),
        )
    }
}

impl<T: 'static, E: ErrorKind> Future for Sending<T, E> {
    type Output = Result<T, SdkError<E>>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        this.future.as_mut().poll(cx).map(|answer| {
            answer
                .map_err(SdkError::map_kind)?
                .into_output(&this.action)
        })
    }
}

impl<T, E> fmt::Debug for Sending<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sending")
            .field("action", &self.action)
            .finish()
    }
}

/// A call whose answer may come as a stream of events, on its way: await it for an
/// [`EventStream`] of `T` items, or the error with kind `E` that came before any event.
#[must_use = "nothing is sent until the call is awaited"]
pub struct Streaming<T, E> {
    future: CallFuture,
    action: Name,
    decoder: EventDecoder<T>,
    types: PhantomData<fn() -> E>,
}

impl<T: 'static, E: ErrorKind> Streaming<T, E> {
    pub(crate) fn new(action: Name, future: CallFuture, decoder: EventDecoder<T>) -> Self {
        Self {
            future,
            action,
            decoder,
            types: PhantomData,
        }
    }

    fn failed(err: BuildError, decoder: EventDecoder<T>) -> Self {
        let action = Name::Owned(err.structure().to_owned());
        let future = Box::pin(std::future::ready(Err(SdkError::Build(err))));
        Self::new(action, future, decoder)
    }
}

impl<T: 'static, E: ErrorKind> Future for Streaming<T, E> {
    type Output = Result<EventStream<T, E>, SdkError<E>>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        this.future.as_mut().poll(cx).map(|answer| {
            let answer = answer.map_err(SdkError::map_kind)?;
            match answer.body {
                AnswerBody::Events(source) => Ok(EventStream::new(source, this.decoder)),
                // The service answered in one piece, as it may when it does not stream.
                body @ AnswerBody::Decoded(_) => {
                    let answer = Answer {
                        body,
                        request_id: answer.request_id,
                    };
                    let request_id = answer.request_id.clone();
                    let output = answer.into_output(&this.action)?;
                    Ok(EventStream::single(output, request_id))
                }
            }
        })
    }
}

impl<T, E> fmt::Debug for Streaming<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Streaming")
            .field("action", &self.action)
            .finish()
    }
}

/// What one attempt brought back.
struct Attempt {
    result: Result<Answer, SdkError<()>>,
    /// The answer's `Date` header, read only if the service says the clock is off.
    server_date: Option<HeaderValue>,
}

impl Attempt {
    fn failed(err: SdkError<()>) -> Self {
        Self {
            result: Err(err),
            server_date: None,
        }
    }
}

impl Handle {
    /// Connects a service version with a configuration.
    pub fn new(config: Config, service: &'static ServiceInfo) -> Self {
        Self::for_service(config, service.clone())
    }

    /// Connects a service version known only at run time (see [`ServiceInfo::named`]).
    pub fn for_service(config: Config, service: ServiceInfo) -> Self {
        let route = Route::new(&config, &service);
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
    pub fn service(&self) -> &ServiceInfo {
        &self.inner.service
    }

    /// Where requests go, or why no endpoint could be made from the configuration.
    pub fn endpoint(&self) -> Result<&Endpoint, &ConfigError> {
        self.inner.route.as_ref().map(|route| &route.endpoint)
    }

    /// The route, or the configuration's mistake as a build error of `action`.
    fn route(&self, action: &Name) -> Result<&Route, SdkError<()>> {
        self.inner
            .route
            .as_ref()
            .map_err(|err| SdkError::Build(BuildError::invalid(action.clone(), err.to_string())))
    }

    /// Sends a built request and decodes its answer, with the configured retries, rate limit
    /// and deadline, inside a `tencentcloud_call` tracing span.
    ///
    /// The span carries `service`, `version`, `action` and `region` from the start, and records
    /// `attempts`, `request_id`, `status` (`ok` or what failed) and `latency_ms` at the end.
    pub fn send<A: Action>(&self, request: &Request<A>) -> Sending<A::Output, A::Error> {
        let how = Dispatch::of(request);
        let action = how.action.clone();
        match Outgoing::new(how, request.params()) {
            Ok(outgoing) => Sending::new(action, self.start(outgoing, decode_answer::<A::Output>)),
            Err(err) => Sending::failed(err),
        }
    }

    /// Sends a built request whose answer may be a stream of events (`text/event-stream`), as
    /// [`send`](Self::send) does otherwise. Retries stop once events start to arrive.
    ///
    /// The request is sent as it is: an action that streams only when asked (`Stream: true`)
    /// must be asked in the request.
    pub fn send_stream<A: Action>(&self, request: &Request<A>) -> Streaming<A::Output, A::Error> {
        let mut how = Dispatch::of(request);
        how.stream = true;
        let action = how.action.clone();
        let decoder = super::decode::decode_event::<A::Output>;
        match Outgoing::new(how, request.params()) {
            Ok(outgoing) => Streaming::new(
                action,
                self.start(outgoing, decode_answer::<A::Output>),
                decoder,
            ),
            Err(err) => Streaming::failed(err, decoder),
        }
    }

    /// Sends a request whose required members were checked, or fails with why they were not.
    pub(crate) fn send_checked<A: Action>(
        &self,
        request: Result<Request<A>, BuildError>,
    ) -> Sending<A::Output, A::Error> {
        match request {
            Ok(request) => self.send(&request),
            Err(err) => Sending::failed(err),
        }
    }

    /// Like [`send_checked`](Self::send_checked), for an answer that may stream.
    pub(crate) fn send_checked_stream<A: Action>(
        &self,
        request: Result<Request<A>, BuildError>,
    ) -> Streaming<A::Output, A::Error> {
        match request {
            Ok(request) => self.send_stream(&request),
            Err(err) => Streaming::failed(err, super::decode::decode_event::<A::Output>),
        }
    }

    /// Sends parameters however `how` says, decoding the answer with `decoder`: the one entry
    /// to the send loop, for generated and generic calls alike.
    pub(crate) fn dispatch(
        &self,
        how: Dispatch,
        params: &Params,
        decoder: Decoder,
    ) -> Result<CallFuture, BuildError> {
        Outgoing::new(how, params).map(|outgoing| self.start(outgoing, decoder))
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
            service = self.inner.service.name(),
            version = self.inner.service.version(),
            action = &*outgoing.how.action,
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
        let how = &outgoing.how;
        let route = self.route(&how.action)?;
        let deadline = config.operation_timeout.map(|timeout| started + timeout);
        let out_of_time = |attempts, waiting_for| {
            SdkError::Timeout(TimeoutError::new(
                how.action.clone(),
                config.operation_timeout.unwrap_or_default(),
                attempts,
                waiting_for,
            ))
        };
        let bucket = config.rate_limits.bucket_for(how.rate_limit);
        let span = tracing::Span::current();
        let mut rng = fastrand::Rng::new();
        let mut attempts = 0;
        // Failed attempts that count against the retry budget (a clock correction does not).
        let mut failures = 0;
        let mut clock_corrected = false;
        loop {
            // An action that is not signed (such as one that makes credentials) needs none.
            let credentials = if how.signed {
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
                    inner.service.name(),
                    &how.action,
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
                // A server that echoes the secret key or the token it was sent must not get
                // them into logs and error messages.
                Err(SdkError::Service(mut service)) => {
                    if let Some(credentials) = &credentials {
                        service.redact(credentials.secret_key());
                        if let Some(token) = credentials.token() {
                            service.redact(token);
                        }
                    }
                    SdkError::Service(service)
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
                if let Some((date, server_time)) = attempt.server_date.as_ref().and_then(|value| {
                    let text = value.to_str().ok()?;
                    Some((text, parse_http_date(text)?))
                }) {
                    match config
                        .shared
                        .clock
                        .correct_within(server_time, MAX_CLOCK_CORRECTION)
                    {
                        Ok(offset) => {
                            clock_corrected = true;
                            tracing::warn!(
                                offset_secs = offset,
                                "the local clock is off from the service's; signing with the service's time from now on"
                            );
                            continue;
                        }
                        Err(offset) => {
                            tracing::warn!(
                                offset_secs = offset,
                                "the service's Date is too far from the local clock to be believed; the clock is left alone"
                            );
                            return Err(implausible_date(&how.action, &err, date, offset));
                        }
                    }
                }
            }

            failures += 1;
            let reason = match retry::classify(&err, how.safe_to_repeat) {
                RetryDecision::Retry(reason) => reason,
                RetryDecision::MayHaveRun(reason) => {
                    tracing::debug!(
                        reason,
                        "not retried: the request may have been carried out, and {} is not safe to repeat",
                        how.action
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

    /// Signs and sends the request once, and reads the answer.
    async fn attempt(
        &self,
        route: &Route,
        outgoing: &Outgoing,
        credentials: Option<&Credentials>,
        decoder: Decoder,
        timeout: Duration,
    ) -> Attempt {
        let config = &self.inner.config;
        let timestamp = config.shared.clock.now();
        let headers = match self.headers(route, outgoing, credentials, timestamp) {
            Ok(headers) => headers,
            Err(err) => return Attempt::failed(err),
        };
        let url = route.endpoint.url();
        // The signed headers become the request's own map, rather than being copied into it one
        // by one as `RequestBuilder::headers` would.
        let mut request = match config
            .http
            .post(url.clone())
            .body(outgoing.body.clone())
            .build()
        {
            Ok(request) => request,
            Err(err) => return Attempt::failed(self.transport(outgoing, err)),
        };
        *request.headers_mut() = headers;
        if !outgoing.how.stream {
            // The whole exchange, answer included, is bounded by reqwest.
            *request.timeout_mut() = Some(timeout);
            return self.exchange(request, outgoing, decoder).await;
        }
        // A stream may go on far longer than one attempt is allowed: the timeout bounds the wait
        // for its start (or for a whole answer that is not a stream), and then the wait for
        // each part of it.
        match tokio::time::timeout(timeout, self.exchange(request, outgoing, decoder)).await {
            Ok(attempt) => attempt,
            Err(_) => Attempt::failed(SdkError::Transport(TransportError::timed_out(
                outgoing.how.action.clone(),
                url.to_string(),
                timeout,
            ))),
        }
    }

    /// Sends the request and reads its answer, or the start of its stream of events.
    async fn exchange(
        &self,
        request: reqwest::Request,
        outgoing: &Outgoing,
        decoder: Decoder,
    ) -> Attempt {
        let config = &self.inner.config;
        let action = &outgoing.how.action;
        let mut response = match config.http.execute(request).await {
            Ok(response) => response,
            Err(err) => return Attempt::failed(self.transport(outgoing, err)),
        };
        let status = response.status().as_u16();
        let server_date = response.headers().get(DATE).cloned();
        if outgoing.how.stream && status == 200 && is_event_stream(response.headers()) {
            let request_id = response
                .headers()
                .get(X_TC_REQUESTID)
                .and_then(|value| value.to_str().ok())
                .map(|id| crate::error::clip(id, 128).into_owned())
                .unwrap_or_default();
            let source = EventSource::new(
                action.clone(),
                response,
                request_id.clone(),
                config.timeout,
                config.max_response_size,
            );
            return Attempt {
                result: Ok(Answer {
                    body: AnswerBody::Events(Box::new(source)),
                    request_id,
                }),
                server_date,
            };
        }
        let result = match read_body(&mut response, config.max_response_size).await {
            Ok(body) => decoder(action, status, &body),
            Err(BodyError::TooLarge(limit)) => {
                Err(SdkError::InvalidResponse(InvalidResponse::new(
                    action.clone(),
                    status,
                    InvalidResponseKind::TooLarge { limit },
                    None,
                    b"",
                )))
            }
            Err(BodyError::Transport(err)) => Err(self.transport(outgoing, err)),
        };
        Attempt {
            result,
            server_date,
        }
    }

    fn transport(&self, outgoing: &Outgoing, err: reqwest::Error) -> SdkError<()> {
        let url = self
            .inner
            .route
            .as_ref()
            .map_or_else(|_| String::new(), |route| route.endpoint.url().to_string());
        SdkError::Transport(TransportError::new(outgoing.how.action.clone(), url, err))
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
        let outgoing =
            Outgoing::new(Dispatch::of(request), request.params()).map_err(SdkError::Build)?;
        self.sign_outgoing(&outgoing, credentials, timestamp)
            .map_err(SdkError::map_kind)
    }

    fn sign_outgoing(
        &self,
        outgoing: &Outgoing,
        credentials: &Credentials,
        timestamp: u64,
    ) -> Result<SignedRequest, SdkError<()>> {
        let route = self.route(&outgoing.how.action)?;
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
        let service = inner.service.name();
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
        let action = &outgoing.how.action;
        let invalid = |what: &str| {
            SdkError::Build(BuildError::invalid(
                action.clone(),
                format!("{what} is not a valid HTTP header value"),
            ))
        };
        let action_header = match action {
            Name::Borrowed(name) if is_header_text(name) => HeaderValue::from_static(name),
            Name::Borrowed(_) => return Err(invalid("the action")),
            Name::Owned(name) => HeaderValue::from_str(name).map_err(|_| invalid("the action"))?,
        };
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
        headers.insert(X_TC_ACTION, action_header);
        headers.insert(X_TC_TIMESTAMP, HeaderValue::from(timestamp));
        Ok(headers)
    }
}

/// The error of an `AuthFailure.SignatureExpire` answer whose `Date` is too far off to follow.
fn implausible_date(
    action: &Name,
    err: &SdkError<()>,
    date: &str,
    offset_secs: i64,
) -> SdkError<()> {
    let service = err.as_service_error();
    SdkError::InvalidResponse(InvalidResponse::new(
        action.clone(),
        service.map_or(200, |service| service.http_status()),
        InvalidResponseKind::ImplausibleDate {
            date: date.to_owned(),
            offset_secs,
        },
        service.map(|service| service.request_id().to_owned()),
        b"",
    ))
}

/// Whether the answer is a stream of server-sent events.
fn is_event_stream(headers: &HeaderMap) -> bool {
    headers
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .is_some_and(|media| media.trim().eq_ignore_ascii_case("text/event-stream"))
}

/// Why a body could not be read.
enum BodyError {
    /// It is longer than this many bytes.
    TooLarge(u64),
    Transport(reqwest::Error),
}

/// Reads the whole body, but never more than `limit` bytes: a declared length above the limit
/// is refused before reading, and an undeclared one is cut off when it passes it.
async fn read_body(response: &mut reqwest::Response, limit: u64) -> Result<Bytes, BodyError> {
    if response
        .content_length()
        .is_some_and(|length| length > limit)
    {
        return Err(BodyError::TooLarge(limit));
    }
    let capacity = response.content_length().unwrap_or(0);
    // Most answers come in one chunk, which is used as it is.
    let mut first: Option<Bytes> = None;
    let mut joined: Vec<u8> = Vec::new();
    let mut read: u64 = 0;
    while let Some(chunk) = response.chunk().await.map_err(BodyError::Transport)? {
        read = read.saturating_add(chunk.len() as u64);
        if read > limit {
            return Err(BodyError::TooLarge(limit));
        }
        match first.take() {
            None if joined.is_empty() => first = Some(chunk),
            earlier => {
                if let Some(earlier) = earlier {
                    // The declared length, which the limit bounds, or what has come so far.
                    let capacity = usize::try_from(capacity.max(read)).unwrap_or(usize::MAX);
                    joined.reserve(capacity);
                    joined.extend_from_slice(&earlier);
                }
                joined.extend_from_slice(&chunk);
            }
        }
    }
    Ok(first.unwrap_or_else(|| Bytes::from(joined)))
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
const X_TC_REQUESTID: HeaderName = HeaderName::from_static("x-tc-requestid");
