//! Test support: a scripted HTTP/1.1 server on loopback that records what it receives and checks
//! every request's TC3 signature, plus helpers to build clients that talk to it.
//!
//! The server is deliberately small: one request per connection (every answer carries
//! `Connection: close`), bounded reads, and a read timeout so that a broken client cannot make a
//! test hang.

// Each test binary uses a different part of this module.
#![allow(dead_code)]

use std::collections::{HashMap, VecDeque};
use std::fmt::Write as _;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

use tencentcloud_sdk::dts::v20180330::{
    AccessType, Client, CreateMigrateJobCall, DatabaseType, DstInfo, MigrateOption, MigrateRunMode,
    MigrateType, SrcInfo,
};
use tencentcloud_sdk::signer::{self, SigningInput};
use tencentcloud_sdk::{Config, ConfigBuilder, Credentials, Language, RateLimits, RetryConfig};

/// The secret id the server knows.
pub const SECRET_ID: &str = "AKIDtestSecretId0123456789abcdefEXAMPLE";
/// The secret key the server holds for [`SECRET_ID`].
pub const SECRET_KEY: &str = "tEsT-SeCrEt-KeY-must-never-be-shown-4f8a1c";
/// A session token; it must never show up in any output either.
pub const TOKEN: &str = "tEsT-SeSsIoN-ToKeN-must-never-be-shown-9c1e77";
/// A key that is not the one the server holds for [`SECRET_ID`].
pub const WRONG_KEY: &str = "wRoNg-SeCrEt-KeY-must-never-be-shown-0b3d55";

/// The region tests use unless they need another.
pub const REGION: &str = "ap-guangzhou";

/// How long one test may wait for a call before it is declared hung.
pub const CALL_DEADLINE: Duration = Duration::from_secs(10);
/// The client timeout used by default in these tests.
pub const CLIENT_TIMEOUT: Duration = Duration::from_secs(5);

/// The largest request head the server reads.
const MAX_HEAD: usize = 16 * 1024;
/// The largest request body the server reads.
const MAX_BODY: usize = 1024 * 1024;
/// How long the server waits for a complete request.
const READ_TIMEOUT: Duration = Duration::from_secs(5);

/// What the server does with one request.
#[derive(Debug, Clone)]
pub enum Reply {
    /// A complete answer with a correct `Content-Length`.
    Answer {
        status: u16,
        content_type: &'static str,
        body: Vec<u8>,
    },
    /// Headers announce `declared_len` bytes, only `body` is sent, then the connection is closed.
    CutShort {
        status: u16,
        declared_len: usize,
        body: Vec<u8>,
    },
    /// The connection is closed without any answer.
    Hangup,
    /// Waits, then does the inner reply.
    Delayed(Duration, Box<Reply>),
    /// A body in chunks (`Transfer-Encoding: chunked`), one step at a time, with extra headers;
    /// then the last chunk, unless `complete` is false (the connection just closes).
    Chunked {
        status: u16,
        content_type: &'static str,
        headers: Vec<(String, String)>,
        steps: Vec<Step>,
        complete: bool,
    },
    /// The same chunk, sent again and again until the client goes away.
    Endless {
        content_type: &'static str,
        chunk: Vec<u8>,
    },
}

/// One step of a [`Reply::Chunked`] body.
#[derive(Debug, Clone)]
pub enum Step {
    /// Sends these bytes as one chunk.
    Bytes(Vec<u8>),
    /// Waits this long before the next step.
    Pause(Duration),
}

impl Reply {
    /// HTTP 200 with a JSON body.
    pub fn json(body: impl Into<String>) -> Self {
        Self::json_status(200, body)
    }

    /// A JSON body with any status.
    pub fn json_status(status: u16, body: impl Into<String>) -> Self {
        Self::Answer {
            status,
            content_type: "application/json",
            body: body.into().into_bytes(),
        }
    }

    /// An HTML page (what a proxy or gateway answers).
    pub fn html(status: u16, body: impl Into<String>) -> Self {
        Self::Answer {
            status,
            content_type: "text/html; charset=utf-8",
            body: body.into().into_bytes(),
        }
    }

    /// Plain text.
    pub fn text(status: u16, body: impl Into<String>) -> Self {
        Self::Answer {
            status,
            content_type: "text/plain",
            body: body.into().into_bytes(),
        }
    }

    /// An API error in the Tencent Cloud format, with HTTP 200.
    pub fn service_error(code: &str, message: &str, request_id: &str) -> Self {
        Self::json(service_error_body(code, message, request_id))
    }

    /// A JSON answer whose `Content-Length` promises more than is sent before the connection
    /// closes.
    pub fn cut_short(declared_len: usize, body: impl Into<String>) -> Self {
        Self::CutShort {
            status: 200,
            declared_len,
            body: body.into().into_bytes(),
        }
    }

    /// Closes the connection without answering.
    pub fn hangup() -> Self {
        Self::Hangup
    }

    /// A stream of server-sent events in chunks, ending properly.
    pub fn events(steps: Vec<Step>) -> Self {
        Self::Chunked {
            status: 200,
            content_type: "text/event-stream",
            headers: Vec::new(),
            steps,
            complete: true,
        }
    }

    /// The same reply with one more header (for the chunked replies).
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        if let Self::Chunked { headers, .. } = &mut self {
            headers.push((name.to_owned(), value.to_owned()));
        }
        self
    }

    /// The same chunked reply, cut off after its steps: the connection closes without the last
    /// chunk.
    pub fn broken(mut self) -> Self {
        if let Self::Chunked { complete, .. } = &mut self {
            *complete = false;
        }
        self
    }

    /// The same reply after a pause.
    pub fn after(self, delay: Duration) -> Self {
        Self::Delayed(delay, Box::new(self))
    }
}

/// `{"Response":{"Error":{"Code","Message"},"RequestId"}}`.
pub fn service_error_body(code: &str, message: &str, request_id: &str) -> String {
    serde_json::json!({
        "Response": {
            "Error": { "Code": code, "Message": message },
            "RequestId": request_id,
        }
    })
    .to_string()
}

/// One request as the server received it.
#[derive(Debug, Clone)]
pub struct Received {
    /// `POST`, normally.
    pub method: String,
    /// The request target (`/`).
    pub target: String,
    /// `HTTP/1.1`, normally.
    pub version: String,
    /// Every header in the order received, names as sent.
    pub headers: Vec<(String, String)>,
    /// The body, exactly `Content-Length` bytes.
    pub body: Vec<u8>,
    /// The server's verdict on the signature: `Ok` when its recomputation matched.
    pub signature: Result<(), String>,
}

impl Received {
    /// The value of a header (name compared case-insensitively); `None` when absent.
    ///
    /// Panics when the header was sent more than once, which these tests never expect.
    pub fn header(&self, name: &str) -> Option<&str> {
        let all = self.header_all(name);
        assert!(all.len() <= 1, "header {name} sent {} times", all.len());
        all.first().copied()
    }

    /// Every value of a header.
    pub fn header_all(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The body as text.
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

struct State {
    script: Mutex<VecDeque<Reply>>,
    received: Mutex<Vec<Received>>,
    keys: HashMap<String, String>,
}

/// A scripted HTTP/1.1 server on `127.0.0.1`, stopped when dropped.
pub struct Server {
    addr: SocketAddr,
    state: Arc<State>,
    accept: JoinHandle<()>,
}

impl Server {
    /// Starts a server that knows [`SECRET_ID`] with [`SECRET_KEY`] and answers requests with
    /// `replies` in turn.
    pub async fn start(replies: impl IntoIterator<Item = Reply>) -> Self {
        Self::start_with_keys(&[(SECRET_ID, SECRET_KEY)], replies).await
    }

    /// Starts a server with its own table of secret ids and keys.
    pub async fn start_with_keys(
        keys: &[(&str, &str)],
        replies: impl IntoIterator<Item = Reply>,
    ) -> Self {
        let listener = TcpListener::bind(("127.0.0.1", 0))
            .await
            .expect("bind a loopback port");
        let addr = listener.local_addr().expect("local address");
        let state = Arc::new(State {
            script: Mutex::new(replies.into_iter().collect()),
            received: Mutex::new(Vec::new()),
            keys: keys
                .iter()
                .map(|(id, key)| ((*id).to_owned(), (*key).to_owned()))
                .collect(),
        });
        let shared = Arc::clone(&state);
        let accept = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    // Out of descriptors, say: do not spin.
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                };
                tokio::spawn(serve(stream, Arc::clone(&shared)));
            }
        });
        Self {
            addr,
            state,
            accept,
        }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// `127.0.0.1:<port>`, the `Host` a client must send and sign.
    pub fn host(&self) -> String {
        self.addr.to_string()
    }

    /// The port.
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// Every request received so far.
    pub fn received(&self) -> Vec<Received> {
        lock(&self.state.received).clone()
    }

    /// The one request received so far; panics when there were none or several.
    pub fn only_request(&self) -> Received {
        let mut all = self.received();
        assert_eq!(all.len(), 1, "expected exactly one request, got {all:#?}");
        all.remove(0)
    }

    /// How many scripted replies have not been used.
    pub fn replies_left(&self) -> usize {
        lock(&self.state.script).len()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.accept.abort();
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panicking test thread must not hide the data from the assertions that follow.
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

async fn serve(mut stream: TcpStream, state: Arc<State>) {
    let request = match tokio::time::timeout(READ_TIMEOUT, read_request(&mut stream)).await {
        Ok(Ok(request)) => request,
        Ok(Err(reason)) => {
            let reply = Reply::text(400, format!("test server: bad request: {reason}"));
            write_reply(&mut stream, reply).await;
            return;
        }
        Err(_) => {
            let reply = Reply::text(408, "test server: request not complete in time");
            write_reply(&mut stream, reply).await;
            return;
        }
    };
    let (mut method, target, version, headers, body) = request;
    method.make_ascii_uppercase();
    let mut received = Received {
        method,
        target,
        version,
        headers,
        body,
        signature: Ok(()),
    };
    received.signature = verify_signature(&received, &state.keys);

    let number = {
        let mut log = lock(&state.received);
        log.push(received.clone());
        log.len()
    };
    // A request that fails the signature check is refused without using a scripted reply.
    let reply = match &received.signature {
        Err(reason) => Reply::service_error(
            "AuthFailure.SignatureFailure",
            &format!("test server: {reason}"),
            &format!("test-server-signature-check-{number}"),
        ),
        Ok(()) => lock(&state.script).pop_front().unwrap_or_else(|| {
            Reply::text(
                599,
                format!("test server: no scripted reply left for request {number}"),
            )
        }),
    };
    write_reply(&mut stream, reply).await;
}

type RawRequest = (String, String, String, Vec<(String, String)>, Vec<u8>);

async fn read_request(stream: &mut TcpStream) -> Result<RawRequest, String> {
    let mut buf = Vec::with_capacity(4096);
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(at) = find(&buf, b"\r\n\r\n") {
            break at;
        }
        if buf.len() > MAX_HEAD {
            return Err(format!("head longer than {MAX_HEAD} bytes"));
        }
        let n = stream
            .read(&mut chunk)
            .await
            .map_err(|err| format!("read failed: {err}"))?;
        if n == 0 {
            return Err("connection closed before the end of the head".to_owned());
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = std::str::from_utf8(&buf[..head_end]).map_err(|_| "head is not UTF-8")?;
    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap_or_default();
    let mut parts = request_line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(format!("malformed request line {request_line:?}"));
    };
    let mut headers = Vec::new();
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            return Err(format!("malformed header line {line:?}"));
        };
        headers.push((name.trim().to_owned(), value.trim().to_owned()));
    }
    let header = |wanted: &str| {
        headers
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(wanted))
            .map(|(_, value)| value.as_str())
    };
    if header("transfer-encoding").is_some() {
        return Err("chunked bodies are not supported by the test server".to_owned());
    }
    let length = match header("content-length") {
        None => 0,
        Some(text) => text
            .parse::<usize>()
            .map_err(|_| format!("bad Content-Length {text:?}"))?,
    };
    if length > MAX_BODY {
        return Err(format!("body longer than {MAX_BODY} bytes"));
    }
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < length {
        let n = stream
            .read(&mut chunk)
            .await
            .map_err(|err| format!("read failed: {err}"))?;
        if n == 0 {
            return Err("connection closed before the end of the body".to_owned());
        }
        body.extend_from_slice(&chunk[..n]);
    }
    body.truncate(length);
    Ok((
        method.to_owned(),
        target.to_owned(),
        version.to_owned(),
        headers,
        body,
    ))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

fn reason_phrase(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        408 => "Request Timeout",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Test Status",
    }
}

async fn write_reply(stream: &mut TcpStream, mut reply: Reply) {
    while let Reply::Delayed(delay, inner) = reply {
        tokio::time::sleep(delay).await;
        reply = *inner;
    }
    let bytes = match reply {
        Reply::Answer {
            status,
            content_type,
            body,
        } => {
            let mut bytes = format!(
                "HTTP/1.1 {status} {}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                reason_phrase(status),
                body.len()
            )
            .into_bytes();
            bytes.extend_from_slice(&body);
            bytes
        }
        Reply::CutShort {
            status,
            declared_len,
            body,
        } => {
            let mut bytes = format!(
                "HTTP/1.1 {status} {}\r\nContent-Type: application/json\r\nContent-Length: {declared_len}\r\nConnection: close\r\n\r\n",
                reason_phrase(status)
            )
            .into_bytes();
            bytes.extend_from_slice(&body);
            bytes
        }
        Reply::Hangup => Vec::new(),
        Reply::Chunked {
            status,
            content_type,
            headers,
            steps,
            complete,
        } => {
            let mut head = format!(
                "HTTP/1.1 {status} {}\r\nContent-Type: {content_type}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n",
                reason_phrase(status)
            );
            for (name, value) in &headers {
                let _ = write!(head, "{name}: {value}\r\n");
            }
            head.push_str("\r\n");
            if stream.write_all(head.as_bytes()).await.is_err() {
                return;
            }
            for step in steps {
                match step {
                    Step::Pause(delay) => tokio::time::sleep(delay).await,
                    Step::Bytes(bytes) if bytes.is_empty() => {}
                    Step::Bytes(bytes) => {
                        let mut chunk = format!("{:x}\r\n", bytes.len()).into_bytes();
                        chunk.extend_from_slice(&bytes);
                        chunk.extend_from_slice(b"\r\n");
                        if stream.write_all(&chunk).await.is_err() {
                            return;
                        }
                    }
                }
            }
            if complete {
                b"0\r\n\r\n".to_vec()
            } else {
                Vec::new()
            }
        }
        Reply::Endless {
            content_type,
            chunk,
        } => {
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
            );
            let mut framed = format!("{:x}\r\n", chunk.len()).into_bytes();
            framed.extend_from_slice(&chunk);
            framed.extend_from_slice(b"\r\n");
            if stream.write_all(head.as_bytes()).await.is_ok() {
                // Until the client closes the connection, which is the point.
                while stream.write_all(&framed).await.is_ok() {}
            }
            return;
        }
        Reply::Delayed(..) => unreachable!("delays were unwrapped above"),
    };
    // The client may already have gone (a timeout test); write errors are expected then.
    if !bytes.is_empty() {
        let _ = stream.write_all(&bytes).await;
        let _ = stream.flush().await;
    }
    let _ = stream.shutdown().await;
}

/// Recomputes the TC3-HMAC-SHA256 signature of a received request and compares it with the one
/// it carries.
///
/// The `Authorization` header is parsed here; the key comes from the server's table, by the
/// secret id in the credential scope; the date and service come from the scope, and the scope
/// date must be the UTC date of `X-TC-Timestamp`. The signature is then computed twice, with the
/// library's pure [`signer::sign`] on what was *received* (Host, Content-Type, body, timestamp)
/// and with an independent implementation in this file, and both must equal the received one.
pub fn verify_signature(request: &Received, keys: &HashMap<String, String>) -> Result<(), String> {
    let one = |name: &str| -> Result<&str, String> {
        match request.header_all(name).as_slice() {
            [value] => Ok(value),
            [] => Err(format!("header {name} is missing")),
            many => Err(format!("header {name} is sent {} times", many.len())),
        }
    };
    let authorization = one("authorization")?;
    let rest = authorization
        .strip_prefix("TC3-HMAC-SHA256 ")
        .ok_or_else(|| {
            format!("Authorization does not start with the algorithm: {authorization:?}")
        })?;
    let mut fields = HashMap::new();
    for part in rest.split(", ") {
        let (name, value) = part
            .split_once('=')
            .ok_or_else(|| format!("Authorization part {part:?} is not name=value"))?;
        if fields.insert(name, value).is_some() {
            return Err(format!("Authorization repeats {name}"));
        }
    }
    if fields.len() != 3 {
        return Err(format!("Authorization has parts {:?}", fields.keys()));
    }
    let field = |name: &str| {
        fields
            .get(name)
            .copied()
            .ok_or_else(|| format!("Authorization lacks {name}"))
    };
    let credential = field("Credential")?;
    let signed_headers = field("SignedHeaders")?;
    let received_signature = field("Signature")?;
    if signed_headers != "content-type;host" {
        return Err(format!("SignedHeaders is {signed_headers:?}"));
    }
    let scope: Vec<&str> = credential.split('/').collect();
    let [secret_id, date, service, terminator] = scope.as_slice() else {
        return Err(format!(
            "Credential {credential:?} is not id/date/service/tc3_request"
        ));
    };
    if *terminator != "tc3_request" {
        return Err(format!(
            "Credential {credential:?} does not end in tc3_request"
        ));
    }
    let secret_key = keys
        .get(*secret_id)
        .ok_or_else(|| format!("unknown secret id {secret_id:?}"))?;

    let timestamp_text = one("x-tc-timestamp")?;
    let timestamp: u64 = timestamp_text
        .parse()
        .map_err(|_| format!("X-TC-Timestamp {timestamp_text:?} is not a number"))?;
    let expected_date = utc_date_by_counting(timestamp);
    if *date != expected_date {
        return Err(format!(
            "credential scope date {date} is not the UTC date {expected_date} of timestamp {timestamp}"
        ));
    }
    let host = one("host")?;
    let content_type = one("content-type")?;
    let query = request
        .target
        .split_once('?')
        .map_or("", |(_, query)| query);

    let credentials = Credentials::new(*secret_id, secret_key.as_str());
    let steps = signer::sign(&SigningInput {
        credentials: &credentials,
        service,
        host,
        method: &request.method,
        content_type,
        canonical_query: query,
        payload: &request.body,
        timestamp,
    });
    let expected_scope = format!("{date}/{service}/tc3_request");
    if steps.credential_scope != expected_scope {
        return Err(format!(
            "the signer's scope {:?} differs from the received scope {expected_scope:?}",
            steps.credential_scope
        ));
    }
    let independent = independent_signature(
        secret_key,
        date,
        service,
        &request.method,
        query,
        content_type,
        host,
        &request.body,
        timestamp,
    );
    if steps.signature != independent {
        return Err(format!(
            "the library signer ({}) and the independent recomputation ({independent}) disagree",
            steps.signature
        ));
    }
    if received_signature != steps.signature {
        return Err(format!(
            "signature mismatch: received {received_signature}, recomputed {}",
            steps.signature
        ));
    }
    Ok(())
}

/// TC3-HMAC-SHA256 written out step by step from the published algorithm, sharing no code with
/// the library.
#[allow(clippy::too_many_arguments)]
fn independent_signature(
    secret_key: &str,
    date: &str,
    service: &str,
    method: &str,
    query: &str,
    content_type: &str,
    host: &str,
    payload: &[u8],
    timestamp: u64,
) -> String {
    let canonical_request = [
        method.to_owned(),
        "/".to_owned(),
        query.to_owned(),
        format!(
            "content-type:{}\nhost:{}\n",
            content_type.to_ascii_lowercase(),
            host.to_ascii_lowercase()
        ),
        "content-type;host".to_owned(),
        to_hex(&Sha256::digest(payload)),
    ]
    .join("\n");
    let string_to_sign = [
        "TC3-HMAC-SHA256".to_owned(),
        timestamp.to_string(),
        format!("{date}/{service}/tc3_request"),
        to_hex(&Sha256::digest(canonical_request.as_bytes())),
    ]
    .join("\n");
    let mut key = format!("TC3{secret_key}").into_bytes();
    for part in [date, service, "tc3_request"] {
        key = mac(&key, part.as_bytes());
    }
    to_hex(&mac(&key, string_to_sign.as_bytes()))
}

fn mac(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC accepts any key length");
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

fn to_hex(bytes: &[u8]) -> String {
    let mut out = String::new();
    for byte in bytes {
        let _ = write!(out, "{byte:02x}");
    }
    out
}

/// The UTC date of a Unix timestamp, found by counting whole years and months from 1970 (a
/// different method from the library's).
pub fn utc_date_by_counting(timestamp: u64) -> String {
    let leap = |year: u64| (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let mut days = timestamp / 86_400;
    let mut year = 1970;
    loop {
        let length = if leap(year) { 366 } else { 365 };
        if days < length {
            break;
        }
        days -= length;
        year += 1;
    }
    let months = [
        31,
        if leap(year) { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    let mut month = 1;
    for length in months {
        if days < length {
            break;
        }
        days -= length;
        month += 1;
    }
    format!("{year:04}-{month:02}-{:02}", days + 1)
}

/// Seconds since the Unix epoch now.
pub fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs()
}

/// The credentials tests use: the known id and key, with the session token.
pub fn credentials() -> Credentials {
    Credentials::new(SECRET_ID, SECRET_KEY).with_token(TOKEN)
}

/// A configuration aimed at `server`: token, `ap-guangzhou`, English, a short timeout.
///
/// Retries and client-side rate limits are off, so that each call is exactly one request, as
/// most scripts expect; the tests of those features turn them back on.
pub fn config(server: &Server) -> ConfigBuilder {
    Config::builder()
        .credentials(credentials())
        .region(REGION)
        .language(Language::EnUs)
        .endpoint(server.url())
        .timeout(CLIENT_TIMEOUT)
        .retry(RetryConfig::disabled())
        .rate_limits(RateLimits::disabled())
}

/// A client aimed at `server` with [`config`].
pub fn client(server: &Server) -> Client {
    Client::new(config(server).build().expect("test configuration builds"))
}

/// A CreateMigrateJob call with every required member set: a full migration, started at once,
/// from a MySQL server on the internet whose root password is `source_password` into a TencentDB
/// for MySQL instance.
pub fn migrate_job_call(
    client: &Client,
    name: &str,
    source_password: &str,
) -> CreateMigrateJobCall {
    client
        .create_migrate_job()
        .job_name(name)
        .migrate_option(
            MigrateOption::builder()
                .run_mode(MigrateRunMode::Immediate)
                .migrate_type(MigrateType::Full)
                .build()
                .expect("option"),
        )
        .src_database_type(DatabaseType::Mysql)
        .src_access_type(AccessType::Extranet)
        .src_info(
            SrcInfo::builder()
                .ip("203.0.113.7")
                .port(3306)
                .user("root")
                .password(source_password)
                .build()
                .expect("source"),
        )
        .dst_database_type(DatabaseType::Mysql)
        .dst_access_type(AccessType::Cdb)
        .dst_info(
            DstInfo::builder()
                .region(REGION)
                .instance_id("cdb-e78e0nnv")
                .build()
                .expect("target"),
        )
}

/// Awaits a call, failing the test if it takes longer than [`CALL_DEADLINE`].
pub async fn within_deadline<F: Future>(call: F) -> F::Output {
    tokio::time::timeout(CALL_DEADLINE, call)
        .await
        .expect("the call did not finish in time")
}

/// Asserts that no secret (key, wrong key or token) appears in `text`.
pub fn assert_no_secrets(text: &str) {
    for secret in [SECRET_KEY, WRONG_KEY, TOKEN] {
        assert!(!text.contains(secret), "a secret leaked into: {text}");
    }
}

/// Asserts that neither the Display nor the Debug form of an error holds a secret.
pub fn assert_error_hides_secrets<E: std::fmt::Display + std::fmt::Debug>(err: &E) {
    assert_no_secrets(&format!("{err}"));
    assert_no_secrets(&format!("{err:?}"));
    assert_no_secrets(&format!("{err:#?}"));
}

#[cfg(test)]
mod self_tests {
    use super::utc_date_by_counting;

    #[test]
    fn counting_dates() {
        assert_eq!(utc_date_by_counting(0), "1970-01-01");
        assert_eq!(utc_date_by_counting(951_782_400), "2000-02-29");
        assert_eq!(utc_date_by_counting(1_764_287_999), "2025-11-27");
        assert_eq!(utc_date_by_counting(1_764_288_000), "2025-11-28");
    }
}
