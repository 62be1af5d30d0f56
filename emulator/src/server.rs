//! HTTP/1.1 with keep-alive on a tokio listener, handing each request to the gateway.
//!
//! A client cannot hold the server: a request's head must arrive within the header timeout
//! (which also bounds the idle time between requests on a kept-alive connection), its body
//! within the body timeout, heads are capped at [`MAX_HEADER_SIZE`], bodies declared larger
//! than [`MAX_BODY`] are refused before a byte of them is read, all bodies being read at once
//! hold at most [`BODY_BUDGET`] bytes, and past the connection cap new connections are
//! answered 503 and closed at once. A client that stops taking its answers (sending requests
//! without reading them) is disconnected after the body timeout too.

use std::fmt;
use std::future::Future as _;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Body as _;
use hyper::body::Incoming as Body;
use hyper::header::{CONNECTION, CONTENT_TYPE, DATE, HeaderValue};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, watch};
use tokio::task::JoinSet;
use tokio::time::Sleep;

use crate::clock::http_date;
use crate::gateway::{Gateway, Incoming, MAX_BODY, Outcome};

/// The largest request head (request line and headers) read; larger ones are answered 431.
pub(crate) const MAX_HEADER_SIZE: usize = 64 * 1024;

/// How many bytes of request bodies all connections together may hold at once (256 MiB): past
/// it, bodies wait for room (within the body timeout), so memory stays bounded however many
/// connections send large bodies at once.
const BODY_BUDGET: usize = 256 * 1024 * 1024;

/// The unit in which bodies take from [`BODY_BUDGET`].
const BUDGET_UNIT: usize = 1024;

/// How the server bounds what one client can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ConnectionLimits {
    /// How long a client may take to send a request's head, and stay idle between requests.
    pub header_timeout: Duration,
    /// How long a client may take to send a request's whole body, from the end of its head;
    /// also how long an answer may wait for a client that stopped reading.
    pub body_timeout: Duration,
    /// How many connections are served at once.
    pub max_connections: usize,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        Self {
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(10),
            max_connections: 512,
        }
    }
}

impl ConnectionLimits {
    /// Refuses settings that would make the server useless.
    pub(crate) fn validate(&self) -> Result<(), String> {
        if self.header_timeout.is_zero() {
            return Err("the header timeout must be longer than 0".into());
        }
        if self.body_timeout.is_zero() {
            return Err("the body timeout must be longer than 0".into());
        }
        if self.max_connections == 0 || self.max_connections > Semaphore::MAX_PERMITS {
            return Err(format!(
                "max connections must be between 1 and {}, not {}",
                Semaphore::MAX_PERMITS,
                self.max_connections
            ));
        }
        Ok(())
    }
}

/// The bytes sent on a connection over the cap before it is closed.
fn over_capacity_answer(max_connections: usize) -> Vec<u8> {
    let body = format!(
        "The emulator serves at most {max_connections} connections at once; try again shortly.\n"
    );
    format!(
        "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// Returned by the service to make hyper close the connection without an answer.
#[derive(Debug)]
struct Dropped;

impl fmt::Display for Dropped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("connection dropped on purpose")
    }
}

impl std::error::Error for Dropped {}

/// Accepts connections until `shutdown` turns true, then closes them all.
///
/// At most `limits.max_connections` are served at once; one more is answered 503 and closed
/// at once, without waiting on it.
pub(crate) async fn run(
    listener: TcpListener,
    gateway: Arc<Gateway>,
    limits: ConnectionLimits,
    mut shutdown: watch::Receiver<bool>,
) {
    let mut connections = JoinSet::new();
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    let budget = Arc::new(Semaphore::new(BODY_BUDGET / BUDGET_UNIT));
    let refusal = over_capacity_answer(limits.max_connections);
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _peer)) => match Arc::clone(&slots).try_acquire_owned() {
                    Ok(slot) => {
                        // Answers are small; sending them at once matters more than batching.
                        let _ = stream.set_nodelay(true);
                        connections.spawn(serve_connection(
                            stream,
                            Arc::clone(&gateway),
                            limits,
                            Arc::clone(&budget),
                            slot,
                        ));
                    }
                    Err(_) => refuse(stream, &refusal),
                },
                // Out of file descriptors and the like: wait a little instead of spinning.
                Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
            },
            _ = shutdown.changed() => break,
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    connections.shutdown().await;
}

/// Answers a connection over the cap and closes it, without waiting for anything: what the
/// client already sent is read and dropped (so that closing does not reset the connection
/// before the answer is read), the answer goes into the empty send buffer, and the socket is
/// closed when `stream` drops here.
fn refuse(stream: TcpStream, answer: &[u8]) {
    let mut scratch = [0u8; 4096];
    for _ in 0..16 {
        match stream.try_read(&mut scratch) {
            Ok(read) if read > 0 => {}
            _ => break,
        }
    }
    let _ = stream.try_write(answer);
}

async fn serve_connection(
    stream: TcpStream,
    gateway: Arc<Gateway>,
    limits: ConnectionLimits,
    budget: Arc<Semaphore>,
    // Held while the connection is served, released when it ends.
    _slot: OwnedSemaphorePermit,
) {
    let service = service_fn(move |request| {
        let gateway = Arc::clone(&gateway);
        let budget = Arc::clone(&budget);
        async move { handle(&gateway, limits.body_timeout, &budget, request).await }
    });
    let mut builder = http1::Builder::new();
    builder
        .keep_alive(true)
        .timer(TokioTimer::new())
        // Hyper starts this clock whenever it waits for a head, so it also closes connections
        // idle between requests.
        .header_read_timeout(limits.header_timeout)
        .max_header_size(MAX_HEADER_SIZE)
        // Room for the largest head, and a bound on what each connection buffers (hyper's
        // default is about 400 KiB).
        .max_buf_size(2 * MAX_HEADER_SIZE)
        // Answers carry the emulator's clock (see `handle`); hyper's would be real time, so
        // its own answers to broken HTTP carry no Date rather than a contradicting one.
        .auto_date_header(false);
    // A connection that ends badly (a client that hangs up, a dropped answer) only ends itself.
    let _ = builder
        .serve_connection(
            TokioIo::new(SendDeadline::new(stream, limits.body_timeout)),
            service,
        )
        .await;
}

/// A connection whose writes must make progress: once a write has waited `timeout` for the
/// client to take bytes, it fails, and hyper closes the connection. Without it a client that
/// sends requests and never reads the answers would hold its connection for ever.
struct SendDeadline {
    stream: TcpStream,
    timeout: Duration,
    /// Armed when a write first waits, disarmed when one goes through.
    stalled: Option<Pin<Box<Sleep>>>,
}

impl SendDeadline {
    fn new(stream: TcpStream, timeout: Duration) -> Self {
        Self {
            stream,
            timeout,
            stalled: None,
        }
    }

    /// Passes on the result of a write, or an error once writes waited too long.
    fn deadline<T>(
        &mut self,
        cx: &mut Context<'_>,
        polled: Poll<io::Result<T>>,
    ) -> Poll<io::Result<T>> {
        if polled.is_ready() {
            self.stalled = None;
            return polled;
        }
        let timeout = self.timeout;
        let stalled = self
            .stalled
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(timeout)));
        match stalled.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the client stopped taking its answers",
            ))),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl AsyncRead for SendDeadline {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for SendDeadline {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let polled = Pin::new(&mut this.stream).poll_write(cx, buf);
        this.deadline(cx, polled)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let polled = Pin::new(&mut this.stream).poll_write_vectored(cx, bufs);
        this.deadline(cx, polled)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let polled = Pin::new(&mut this.stream).poll_flush(cx);
        this.deadline(cx, polled)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let polled = Pin::new(&mut this.stream).poll_shutdown(cx);
        this.deadline(cx, polled)
    }
}

/// Answers one request, dated by the emulator's clock (offset included).
async fn handle(
    gateway: &Gateway,
    body_timeout: Duration,
    budget: &Arc<Semaphore>,
    request: Request<Body>,
) -> Result<Response<Full<Bytes>>, Dropped> {
    let mut response = respond(gateway, body_timeout, budget, request).await?;
    // An HTTP date is plain ASCII, so this always succeeds.
    if let Ok(date) = HeaderValue::from_str(&http_date(gateway.clock.unix_now())) {
        response.headers_mut().insert(DATE, date);
    }
    Ok(response)
}

/// The answer to one request, or `Dropped` to close the connection without one.
///
/// The body must arrive whole within `body_timeout`, or the answer is `408 Request Timeout`
/// and the connection closes. A body larger than [`MAX_BODY`] is not kept: the gateway
/// answers `RequestSizeLimitExceeded` and the connection closes, at once when
/// `Content-Length` declared the size, else as soon as the excess arrives. The body's bytes
/// are taken from `budget` until the answer is ready.
async fn respond(
    gateway: &Gateway,
    body_timeout: Duration,
    budget: &Arc<Semaphore>,
    request: Request<Body>,
) -> Result<Response<Full<Bytes>>, Dropped> {
    let (parts, body) = request.into_parts();
    if parts.uri.path() != "/" {
        return Ok(plain(
            StatusCode::NOT_FOUND,
            "Tencent Cloud API 3.0 takes requests at `/` only.\n",
        ));
    }
    // Hyper's size hint of a body with `Content-Length` is exactly that length.
    let (body, _held) = if body.size_hint().lower() > MAX_BODY as u64 {
        (None, None)
    } else {
        match tokio::time::timeout(body_timeout, read_body(body, MAX_BODY, budget)).await {
            Ok(Ok(BodyRead::Whole(bytes, held))) => (Some(bytes), held),
            Ok(Ok(BodyRead::TooLarge)) => (None, None),
            // The client went away in the middle of its body, or its chunks do not parse.
            Ok(Err(Dropped)) => return Err(Dropped),
            Err(_elapsed) => {
                let mut response = plain(
                    StatusCode::REQUEST_TIMEOUT,
                    "The request body did not arrive in time.\n",
                );
                close_after(&mut response);
                return Ok(response);
            }
        }
    };
    // The rest of a body too large was not read: the connection cannot carry another request.
    let unread_body = body.is_none();
    let incoming = Incoming {
        method: parts.method.as_str(),
        query: parts.uri.query().unwrap_or(""),
        headers: &parts.headers,
        body: body.as_deref(),
    };
    match gateway.serve(incoming).await {
        Outcome::Drop => Err(Dropped),
        Outcome::Answer {
            status,
            content_type,
            body,
        } => {
            let mut response = Response::new(Full::new(Bytes::from(body)));
            *response.status_mut() =
                StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            response
                .headers_mut()
                .insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
            if unread_body {
                close_after(&mut response);
            }
            Ok(response)
        }
    }
}

/// A request body as read.
#[derive(Debug)]
enum BodyRead {
    /// All of it, with the share of the budget it holds.
    Whole(Vec<u8>, Option<OwnedSemaphorePermit>),
    /// More than the limit; the rest is left unread.
    TooLarge,
}

/// Reads a body of at most `limit` bytes, taking room from `budget` (in [`BUDGET_UNIT`]s) as
/// its bytes arrive and waiting for room when there is none.
async fn read_body<B>(
    mut body: B,
    limit: usize,
    budget: &Arc<Semaphore>,
) -> Result<BodyRead, Dropped>
where
    B: hyper::body::Body<Data = Bytes> + Unpin,
{
    let mut bytes = Vec::new();
    let mut held: Option<OwnedSemaphorePermit> = None;
    while let Some(frame) = body.frame().await {
        let Ok(data) = frame.map_err(|_| Dropped)?.into_data() else {
            // Trailers carry nothing the gateway reads.
            continue;
        };
        let total = bytes.len() + data.len();
        if total > limit {
            return Ok(BodyRead::TooLarge);
        }
        let have = held.as_ref().map_or(0, OwnedSemaphorePermit::num_permits);
        let more = total.div_ceil(BUDGET_UNIT).saturating_sub(have);
        if more > 0 {
            let more = u32::try_from(more).map_err(|_| Dropped)?;
            // The budget is never closed, so this only waits.
            let permit = Arc::clone(budget)
                .acquire_many_owned(more)
                .await
                .map_err(|_| Dropped)?;
            match held.as_mut() {
                Some(held) => held.merge(permit),
                None => held = Some(permit),
            }
        }
        bytes.extend_from_slice(&data);
    }
    Ok(BodyRead::Whole(bytes, held))
}

/// Makes hyper close the connection once `response` is written.
fn close_after(response: &mut Response<Full<Bytes>>) {
    response
        .headers_mut()
        .insert(CONNECTION, HeaderValue::from_static("close"));
}

fn plain(status: StatusCode, text: &'static str) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from_static(text.as_bytes())));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("text/plain"));
    response
}

/// The address a listener is bound to, for the URL.
pub(crate) fn url_of(addr: SocketAddr) -> String {
    format!("http://{addr}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(len: usize) -> Full<Bytes> {
        Full::new(Bytes::from(vec![b'x'; len]))
    }

    #[tokio::test]
    async fn a_body_holds_its_share_of_the_budget_until_dropped() {
        let budget = Arc::new(Semaphore::new(16));
        let read = read_body(body(3 * BUDGET_UNIT + 1), 10 * BUDGET_UNIT, &budget).await;
        let Ok(BodyRead::Whole(bytes, held)) = read else {
            panic!("{read:?}");
        };
        assert_eq!(bytes.len(), 3 * BUDGET_UNIT + 1);
        assert_eq!(
            held.as_ref().map(OwnedSemaphorePermit::num_permits),
            Some(4)
        );
        assert_eq!(budget.available_permits(), 12);
        drop(held);
        assert_eq!(budget.available_permits(), 16);
        // An empty body takes nothing.
        let read = read_body(body(0), 10 * BUDGET_UNIT, &budget).await;
        assert!(
            matches!(read, Ok(BodyRead::Whole(ref b, None)) if b.is_empty()),
            "{read:?}"
        );
    }

    #[tokio::test]
    async fn a_body_over_the_limit_is_not_kept() {
        let budget = Arc::new(Semaphore::new(16));
        let read = read_body(body(BUDGET_UNIT + 1), BUDGET_UNIT, &budget).await;
        assert!(matches!(read, Ok(BodyRead::TooLarge)), "{read:?}");
        assert_eq!(budget.available_permits(), 16);
    }

    #[tokio::test]
    async fn a_body_waits_while_the_budget_is_spent() {
        let budget = Arc::new(Semaphore::new(2));
        let reading = read_body(body(3 * BUDGET_UNIT), 10 * BUDGET_UNIT, &budget);
        // It can never fit, so it is still waiting when the timeout (the body timeout in the
        // server) ends it.
        let waited = tokio::time::timeout(Duration::from_millis(50), reading).await;
        assert!(waited.is_err());
        assert_eq!(budget.available_permits(), 2);
    }

    #[test]
    fn settings_are_checked() {
        assert_eq!(ConnectionLimits::default().validate(), Ok(()));
        let zero = Duration::ZERO;
        for limits in [
            ConnectionLimits {
                header_timeout: zero,
                ..ConnectionLimits::default()
            },
            ConnectionLimits {
                body_timeout: zero,
                ..ConnectionLimits::default()
            },
            ConnectionLimits {
                max_connections: 0,
                ..ConnectionLimits::default()
            },
        ] {
            assert!(limits.validate().is_err(), "{limits:?}");
        }
    }

    #[test]
    fn the_answer_over_the_cap_is_whole_http() {
        let answer = String::from_utf8(over_capacity_answer(7)).expect("text");
        let (head, body) = answer.split_once("\r\n\r\n").expect("a head and a body");
        assert!(head.starts_with("HTTP/1.1 503 "), "{head}");
        assert!(head.contains("\r\nConnection: close"), "{head}");
        assert!(
            head.contains(&format!("\r\nContent-Length: {}", body.len())),
            "{head}"
        );
        assert!(body.contains("at most 7 connections"), "{body}");
    }
}
