//! HTTP/1.1 with keep-alive on a tokio listener, handing each request to the gateway.

use std::fmt;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming as Body;
use hyper::header::{CONTENT_TYPE, DATE, HeaderValue};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinSet;

use crate::clock::http_date;
use crate::gateway::{Gateway, Incoming, MAX_BODY, Outcome};

/// How long a client may take to send a request's head.
const HEADER_TIMEOUT: Duration = Duration::from_secs(30);

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
pub(crate) async fn run(
    listener: TcpListener,
    gateway: Arc<Gateway>,
    mut shutdown: watch::Receiver<bool>,
) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _peer)) => {
                    // Answers are small; sending them at once matters more than batching.
                    let _ = stream.set_nodelay(true);
                    connections.spawn(serve_connection(stream, Arc::clone(&gateway)));
                }
                // Out of file descriptors and the like: wait a little instead of spinning.
                Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
            },
            _ = shutdown.changed() => break,
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    connections.shutdown().await;
}

async fn serve_connection(stream: tokio::net::TcpStream, gateway: Arc<Gateway>) {
    let service = service_fn(move |request| {
        let gateway = Arc::clone(&gateway);
        async move { handle(&gateway, request).await }
    });
    let mut builder = http1::Builder::new();
    builder
        .keep_alive(true)
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_TIMEOUT)
        // Answers carry the emulator's clock (see `handle`); hyper's would be real time, so
        // its own answers to broken HTTP carry no Date rather than a contradicting one.
        .auto_date_header(false);
    // A connection that ends badly (a client that hangs up, a dropped answer) only ends itself.
    let _ = builder
        .serve_connection(TokioIo::new(stream), service)
        .await;
}

/// Answers one request, dated by the emulator's clock (offset included).
async fn handle(
    gateway: &Gateway,
    request: Request<Body>,
) -> Result<Response<Full<Bytes>>, Dropped> {
    let mut response = respond(gateway, request).await?;
    // An HTTP date is plain ASCII, so this always succeeds.
    if let Ok(date) = HeaderValue::from_str(&http_date(gateway.clock.unix_now())) {
        response.headers_mut().insert(DATE, date);
    }
    Ok(response)
}

/// The answer to one request, or `Dropped` to close the connection without one.
async fn respond(
    gateway: &Gateway,
    request: Request<Body>,
) -> Result<Response<Full<Bytes>>, Dropped> {
    let (parts, body) = request.into_parts();
    if parts.uri.path() != "/" {
        return Ok(plain(
            StatusCode::NOT_FOUND,
            "Tencent Cloud API 3.0 takes requests at `/` only.\n",
        ));
    }
    let body = match Limited::new(body, MAX_BODY).collect().await {
        Ok(collected) => Some(collected.to_bytes()),
        Err(err) if err.is::<http_body_util::LengthLimitError>() => None,
        // The client went away in the middle of its body.
        Err(_) => return Err(Dropped),
    };
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
            Ok(response)
        }
    }
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
