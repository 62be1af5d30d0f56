//! What happens to a request between the socket and a service's behaviour: faults, the
//! gateway's checks in the cloud's order, the backend, and the answer in the cloud's format.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Instant;

use hyper::HeaderMap;
use serde_json::{Map, Value, json};
use tencentcloud_sdk::Credentials;

use crate::auth::{self, Received};
use crate::backend::{Answer, ApiError, Backend, Call};
use crate::catalog::{self, Catalog};
use crate::clock::Clock;
use crate::faults::{Fault, FaultPicker};
use crate::limits::{Limiter, RateLimits};
use crate::scripted::Script;
use tencentcloud_codegen::model::{Action, Service};

/// The largest request body the cloud accepts.
pub(crate) const MAX_BODY: usize = 10 * 1024 * 1024;

/// A request as the gateway sees it.
pub(crate) struct Incoming<'a> {
    pub method: &'a str,
    pub query: &'a str,
    pub headers: &'a HeaderMap,
    /// The body, or `None` when it was larger than [`MAX_BODY`].
    pub body: Option<&'a [u8]>,
}

/// What a served call gives back: one answer, or (for a streamed call) a stream of events.
pub(crate) enum Served {
    Answer(Answer),
    Events(Vec<Result<Answer, ApiError>>),
}

/// How many events a streamed call answers when nothing chose them: the made-up answer, once per
/// event.
const MADE_UP_EVENTS: usize = 3;

/// What goes back on the connection.
pub(crate) enum Outcome {
    /// An HTTP answer.
    Answer {
        status: u16,
        content_type: &'static str,
        body: Vec<u8>,
    },
    /// Close the connection without answering.
    Drop,
}

/// Everything the emulator knows and keeps.
pub(crate) struct Gateway {
    pub catalog: Catalog,
    pub credentials: HashMap<String, Credentials>,
    pub backends: HashMap<(String, String), Arc<dyn Backend>>,
    pub rate_limits: RateLimits,
    pub limiter: Limiter,
    pub faults: FaultPicker,
    pub clock: Clock,
    /// The service of requests whose credential scope and `Host` name none that is served.
    pub default_service: Option<String>,
    /// What became of the requests for each action, by name.
    pub counts: Mutex<HashMap<String, ActionCounts>>,
    pub log: bool,
    /// Answers chosen by a test, by service and action.
    pub scripts: Mutex<HashMap<(String, String), Script>>,
}

/// What became of the requests for one action.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct ActionCounts {
    /// Passed every check of the gateway and were handed to the service.
    pub reached: u64,
    /// Of those, the ones the service carried out (it answered with success).
    pub executed: u64,
}

/// The parts of a request that passed the checks.
struct Checked<'a> {
    secret_id: &'a str,
    /// The service version, as `(name, version)` and as its spec.
    service: (&'a str, &'a str),
    spec: &'a Service,
    action: &'a Action,
    region: &'a str,
}

impl Gateway {
    /// Serves one request.
    pub(crate) async fn serve(&self, request: Incoming<'_>) -> Outcome {
        let action = header(request.headers, "x-tc-action");
        match self.faults.pick(action) {
            None => {}
            Some(Fault::BadGateway) => return html(502, "502 Bad Gateway"),
            Some(Fault::ServiceUnavailable) => return html(503, "503 Service Unavailable"),
            Some(Fault::InternalError) => {
                return self.finish(
                    &request,
                    Err(ApiError::new(
                        "InternalError",
                        "An internal error occurred (injected by the emulator).",
                    )),
                );
            }
            Some(Fault::RequestLimitExceeded) => {
                return self.finish(
                    &request,
                    Err(ApiError::new(
                        "RequestLimitExceeded",
                        "Too many requests (injected by the emulator).",
                    )),
                );
            }
            Some(Fault::DropConnection) => return Outcome::Drop,
            Some(Fault::DropAfterProcessing) => {
                let _carried_out = self.process(&request);
                return Outcome::Drop;
            }
            Some(Fault::Delay(delay)) => tokio::time::sleep(delay).await,
        }
        let result = self.process(&request);
        self.finish(&request, result)
    }

    /// Writes the answer and, when asked, a log line (never with secrets).
    fn finish(&self, request: &Incoming<'_>, result: Result<Served, ApiError>) -> Outcome {
        let request_id = request_id();
        if self.log {
            let action = header(request.headers, "x-tc-action").unwrap_or("-");
            let region = header(request.headers, "x-tc-region").unwrap_or("-");
            let verdict = result
                .as_ref()
                .map_or_else(|err| err.code.as_str(), |_| "ok");
            eprintln!("{action} {region} -> {verdict} ({request_id})");
        }
        let response = match result {
            Ok(Served::Answer(mut members)) => {
                members.insert("RequestId".into(), Value::from(request_id));
                json!({ "Response": members })
            }
            Ok(Served::Events(events)) => return event_stream(events, &request_id),
            Err(err) => json!({
                "Response": {
                    "Error": { "Code": err.code, "Message": err.message },
                    "RequestId": request_id,
                }
            }),
        };
        Outcome::Answer {
            status: 200,
            content_type: "application/json",
            body: response.to_string().into_bytes(),
        }
    }

    /// The gateway's checks, then the service.
    fn process(&self, request: &Incoming<'_>) -> Result<Served, ApiError> {
        let checked = self.check(request)?;
        let (service, action) = (checked.spec, checked.action);
        let params = if request.method == "GET" {
            catalog::params_from_query(service, action, request.query)?
        } else {
            parse_params(request.body)?
        };
        catalog::check_request(service, action, &params)?;

        let now = Instant::now();
        if let Some(limit) = self.rate_limits.for_action(action.rate_limit) {
            if !self
                .limiter
                .admit(checked.secret_id, &action.name, limit, now)
            {
                return Err(ApiError::new(
                    "RequestLimitExceeded",
                    format!(
                        "{} allows {limit} requests per second for each secret id.",
                        action.name
                    ),
                ));
            }
        }
        self.count(&action.name, |counts| counts.reached += 1);

        let call = Call {
            action: &action.name,
            params: &params,
            region: checked.region,
            account: checked.secret_id,
            now,
            unix_time: self.clock.unix_now(),
        };
        let (name, version) = checked.service;
        let script = self
            .lock_scripts()
            .get(&(name.to_owned(), action.name.clone()))
            .cloned();
        if let Some(reply) = script.and_then(|script| script.reply(&call)) {
            // What a test chose is answered as it is, spec or not.
            let served = reply.into_served()?;
            self.count(&action.name, |counts| counts.executed += 1);
            return Ok(served);
        }
        let backend = self.backends.get(&(name.to_owned(), version.to_owned()));
        let answer = match backend.and_then(|backend| backend.call(&call)) {
            Some(result) => result?,
            None => catalog::synthesize_answer(service, action, &params),
        };
        self.count(&action.name, |counts| counts.executed += 1);
        catalog::check_answer(service, action, &answer)?;
        if catalog::wants_stream(action, &params) {
            return Ok(Served::Events(vec![Ok(answer); MADE_UP_EVENTS]));
        }
        Ok(Served::Answer(answer))
    }

    /// What became of the requests for `action` so far.
    pub(crate) fn counts(&self, action: &str) -> ActionCounts {
        self.lock_counts().get(action).copied().unwrap_or_default()
    }

    /// Updates the counts of `action`.
    fn count(&self, action: &str, update: impl FnOnce(&mut ActionCounts)) {
        let mut counts = self.lock_counts();
        match counts.get_mut(action) {
            Some(entry) => update(entry),
            None => update(counts.entry(action.to_owned()).or_default()),
        }
    }

    /// The scripts, even if a thread panicked while holding the lock (they are only ever
    /// replaced whole).
    pub(crate) fn lock_scripts(&self) -> MutexGuard<'_, HashMap<(String, String), Script>> {
        self.scripts.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The counts, even if a thread panicked while holding the lock (an update cannot be left
    /// half done).
    fn lock_counts(&self) -> MutexGuard<'_, HashMap<String, ActionCounts>> {
        self.counts.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Authentication and routing, in the order the cloud reports problems.
    fn check<'a>(&'a self, request: &'a Incoming<'_>) -> Result<Checked<'a>, ApiError> {
        let headers = request.headers;
        if request.method != "POST" && request.method != "GET" {
            return Err(ApiError::new(
                "InvalidParameter",
                format!(
                    "API 3.0 takes POST or GET requests, not {}.",
                    request.method
                ),
            ));
        }
        let Some(body) = request.body else {
            return Err(ApiError::new(
                "RequestSizeLimitExceeded",
                format!("The request body is larger than {MAX_BODY} bytes."),
            ));
        };
        let required = |name: &'static str, shown: &str| {
            header(headers, name).ok_or_else(|| {
                ApiError::new(
                    "MissingParameter",
                    format!("The request is missing the `{shown}` header."),
                )
            })
        };
        let action = required("x-tc-action", "X-TC-Action")?;
        let version = required("x-tc-version", "X-TC-Version")?;
        let timestamp_text = required("x-tc-timestamp", "X-TC-Timestamp")?;
        let timestamp: u64 = timestamp_text.parse().map_err(|_| {
            ApiError::new(
                "InvalidParameter",
                format!("X-TC-Timestamp `{timestamp_text}` is not a Unix time in seconds."),
            )
        })?;
        let authorization = header(headers, "authorization").ok_or_else(|| {
            ApiError::new(
                "AuthFailure.InvalidAuthorization",
                "The request has no Authorization header.",
            )
        })?;
        let auth = auth::parse(authorization)?;
        auth::check_clock(timestamp, self.clock.unix_now())?;
        let credentials = self.credentials.get(auth.secret_id).ok_or_else(|| {
            ApiError::new(
                "AuthFailure.SecretIdNotFound",
                "The secret id does not exist or its key is disabled.",
            )
        })?;
        let content_type = header(headers, "content-type").unwrap_or("");
        let received = Received {
            method: request.method,
            headers,
            query: request.query,
            body,
            unsigned_payload: header(headers, "x-tc-content-sha256") == Some("UNSIGNED-PAYLOAD"),
            timestamp,
        };
        auth::verify(&auth, credentials, &received)?;
        auth::check_token(credentials, header(headers, "x-tc-token"))?;

        let host = header(headers, "host").unwrap_or("");
        let Some(name) = auth::choose_service(
            auth.service,
            host,
            self.default_service.as_deref(),
            |name| self.catalog.has_service(name),
        ) else {
            return Err(ApiError::new(
                "InvalidAction",
                format!(
                    "The emulator serves no service `{}`, Host `{host}` names none, and it has \
                     no default service (--default-service).",
                    auth.service
                ),
            ));
        };
        let service = self.catalog.service(name, version).map_err(|err| {
            ApiError::new(
                "InternalError",
                format!("The emulator's spec does not read: {err}"),
            )
        })?;
        let Some(service) = service else {
            return Err(ApiError::new(
                "NoSuchVersion",
                format!("Version {version} of {name} does not exist."),
            ));
        };
        let Some(definition) = catalog::action(service, action) else {
            return Err(ApiError::new(
                "InvalidAction",
                format!("{name} {version} has no action `{action}`."),
            ));
        };
        let region = header(headers, "x-tc-region").unwrap_or("");
        if region.is_empty() {
            return Err(ApiError::new(
                "MissingParameter",
                "The request is missing the `X-TC-Region` header.",
            ));
        }
        if request.method == "POST"
            && !content_type
                .split(';')
                .next()
                .is_some_and(|media| media.trim().eq_ignore_ascii_case("application/json"))
        {
            return Err(ApiError::new(
                "InvalidParameter",
                format!(
                    "The emulator reads JSON bodies (Content-Type: application/json), not `{content_type}`."
                ),
            ));
        }
        Ok(Checked {
            secret_id: auth.secret_id,
            service: (name, version),
            spec: service,
            action: definition,
            region,
        })
    }
}

/// The request parameters: the body as a JSON object.
fn parse_params(body: Option<&[u8]>) -> Result<Map<String, Value>, ApiError> {
    let body = body.unwrap_or_default();
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(params)) => Ok(params),
        Ok(_) => Err(ApiError::new(
            "InvalidParameter",
            "The request body must be a JSON object of parameters.",
        )),
        Err(err) => Err(ApiError::new(
            "InvalidParameter",
            format!("The request body is not valid JSON: {err}."),
        )),
    }
}

/// A header's value, when it is present and readable text.
fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|value| value.to_str().ok())
}

/// A `text/event-stream` answer: one `data:` line per event (the members, with the RequestId,
/// or `{"Error": ...}`), each followed by a blank line.
fn event_stream(events: Vec<Result<Answer, ApiError>>, request_id: &str) -> Outcome {
    let mut body = Vec::new();
    for event in events {
        let data = match event {
            Ok(mut members) => {
                members.insert("RequestId".into(), Value::from(request_id));
                Value::Object(members)
            }
            Err(err) => json!({
                "Error": { "Code": err.code, "Message": err.message },
                "RequestId": request_id,
            }),
        };
        body.extend_from_slice(b"data: ");
        body.extend_from_slice(data.to_string().as_bytes());
        body.extend_from_slice(b"\n\n");
    }
    Outcome::Answer {
        status: 200,
        content_type: "text/event-stream",
        body,
    }
}

fn html(status: u16, title: &str) -> Outcome {
    Outcome::Answer {
        status,
        content_type: "text/html",
        body: format!(
            "<html><head><title>{title}</title></head><body><center><h1>{title}</h1></center></body></html>\n"
        )
        .into_bytes(),
    }
}

/// A new random RequestId, formatted like the cloud's (a version 4 UUID).
fn request_id() -> String {
    let high = fastrand::u64(..);
    let low = fastrand::u64(..);
    // Version 4 in the 13th hex digit, the RFC 4122 variant in the 17th.
    let high = (high & 0xffff_ffff_ffff_0fff) | 0x0000_0000_0000_4000;
    let low = (low & 0x3fff_ffff_ffff_ffff) | 0x8000_0000_0000_0000;
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        high >> 32,
        (high >> 16) & 0xffff,
        high & 0xffff,
        low >> 48,
        low & 0xffff_ffff_ffff
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_a_json_object() {
        assert!(parse_params(Some(br#"{"JobId": "dts-1"}"#)).is_ok());
        for body in [&b"[\"JobId\"]"[..], b"\"JobId\"", b"{", b""] {
            let err = parse_params(Some(body)).expect_err("not an object");
            assert_eq!(err.code, "InvalidParameter");
        }
    }

    #[test]
    fn hostile_bodies_are_refused_as_invalid_parameters() {
        // serde_json stops at a depth of 128, long before the stack runs out.
        let arrays = "[".repeat(100_000) + &"]".repeat(100_000);
        let objects = r#"{"A":"#.repeat(100_000) + "1" + &"}".repeat(100_000);
        let unclosed = r#"{"A":"#.repeat(100_000);
        let invalid_utf8: &[u8] = b"{\"JobId\": \"dts-\xff\xfe\"}";
        for body in [
            arrays.as_bytes(),
            objects.as_bytes(),
            unclosed.as_bytes(),
            invalid_utf8,
        ] {
            let err = parse_params(Some(body)).expect_err("refused");
            assert_eq!(err.code, "InvalidParameter");
        }
    }

    #[test]
    fn request_ids_look_like_the_clouds() {
        let first = request_id();
        assert_eq!(first.len(), 36);
        let groups: Vec<&str> = first.split('-').collect();
        assert_eq!(
            groups.iter().map(|g| g.len()).collect::<Vec<_>>(),
            [8, 4, 4, 4, 12]
        );
        assert!(groups[2].starts_with('4'));
        assert!(matches!(groups[3].as_bytes()[0], b'8' | b'9' | b'a' | b'b'));
        assert_ne!(first, request_id());
    }
}
