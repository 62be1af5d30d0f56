//! Shared by the credentials tests: a stand-in for the CVM metadata service on 127.0.0.1,
//! temporary directories, and a log capture.
#![allow(dead_code)]

use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// Where the metadata service lists the role of the instance.
pub const BASE_PATH: &str = "/latest/meta-data/cam/security-credentials/";

/// What the stand-in answers to one request.
#[derive(Clone, Debug)]
pub struct Reply {
    pub status: u16,
    pub body: String,
    pub delay: Duration,
    /// When set, the answer waits for this gate to open as well.
    pub gate: Option<Gate>,
}

impl Reply {
    pub fn ok(body: impl Into<String>) -> Self {
        Self::status(200, body)
    }

    pub fn status(status: u16, body: impl Into<String>) -> Self {
        Self {
            status,
            body: body.into(),
            delay: Duration::ZERO,
            gate: None,
        }
    }

    /// Waits this long before answering (an hour stands for "never").
    pub fn after(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }

    /// Holds the answer back until `gate` opens, so that a test knows the request is still
    /// unanswered at any point before it opens the gate, however slow the machine.
    pub fn until(mut self, gate: &Gate) -> Self {
        self.gate = Some(gate.clone());
        self
    }
}

/// Shut until [`Gate::open`] is called, then open for good; clones share the state.
#[derive(Clone, Debug)]
pub struct Gate(Arc<tokio::sync::watch::Sender<bool>>);

impl Default for Gate {
    fn default() -> Self {
        Self(Arc::new(tokio::sync::watch::channel(false).0))
    }
}

impl Gate {
    pub fn open(&self) {
        self.0.send_replace(true);
    }

    async fn opened(&self) {
        let mut open = self.0.subscribe();
        // The sender lives in `self`, so waiting cannot fail.
        let _ = open.wait_for(|open| *open).await;
    }
}

/// The JSON the metadata service gives for a role.
pub fn credentials_json(
    secret_id: &str,
    secret_key: &str,
    token: &str,
    expired_time: u64,
) -> String {
    serde_json::json!({
        "TmpSecretId": secret_id,
        "TmpSecretKey": secret_key,
        "Token": token,
        "ExpiredTime": expired_time,
        "Expiration": "2030-01-01T00:00:00Z",
        "Code": "Success",
    })
    .to_string()
}

pub fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("the clock is after 1970")
        .as_secs()
}

/// An HTTP/1.1 server on 127.0.0.1 answering one request per connection. The handler gets the
/// path below [`BASE_PATH`] (`""` for the role list, the role name for its credentials) and how
/// many requests for that path came before.
pub struct MetadataServer {
    pub base_url: String,
    requests: Arc<Mutex<Vec<String>>>,
    task: JoinHandle<()>,
}

impl MetadataServer {
    pub async fn start(handler: impl Fn(&str, usize) -> Reply + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let handler = Arc::new(handler);
        let task = tokio::spawn({
            let requests = requests.clone();
            async move {
                while let Ok((stream, _)) = listener.accept().await {
                    let handler = handler.clone();
                    let requests = requests.clone();
                    tokio::spawn(async move {
                        let _ = serve(stream, &*handler, &requests).await;
                    });
                }
            }
        });
        Self {
            base_url: format!("http://{address}{BASE_PATH}"),
            requests,
            task,
        }
    }

    /// A server that lists `role` and answers its credentials with `credentials(n)` for the n-th
    /// request (from 0); anything else is a 404.
    pub async fn with_role(
        role: &'static str,
        credentials: impl Fn(usize) -> Reply + Send + Sync + 'static,
    ) -> Self {
        Self::start(move |path, count| match path {
            "" => Reply::ok(format!("{role}\n")),
            path if path == role => credentials(count),
            _ => Reply::status(404, "not found"),
        })
        .await
    }

    /// How many requests for `path` (below [`BASE_PATH`]) arrived so far.
    pub fn count(&self, path: &str) -> usize {
        self.requests
            .lock()
            .unwrap()
            .iter()
            .filter(|seen| *seen == path)
            .count()
    }
}

impl Drop for MetadataServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(
    mut stream: TcpStream,
    handler: &(dyn Fn(&str, usize) -> Reply + Send + Sync),
    requests: &Mutex<Vec<String>>,
) -> io::Result<()> {
    let mut head = Vec::new();
    let mut buffer = [0; 1024];
    while !head.windows(4).any(|window| window == b"\r\n\r\n") {
        let read = stream.read(&mut buffer).await?;
        if read == 0 {
            return Ok(());
        }
        head.extend_from_slice(&buffer[..read]);
    }
    let head = String::from_utf8_lossy(&head);
    let target = head.split_whitespace().nth(1).unwrap_or_default();
    let reply = match target.strip_prefix(BASE_PATH) {
        Some(path) => {
            let count = {
                let mut requests = requests.lock().unwrap();
                let count = requests.iter().filter(|seen| *seen == path).count();
                requests.push(path.to_owned());
                count
            };
            handler(path, count)
        }
        None => Reply::status(404, "not found"),
    };
    tokio::time::sleep(reply.delay).await;
    if let Some(gate) = &reply.gate {
        gate.opened().await;
    }
    let reason = match reply.status {
        200 => "OK",
        404 => "Not Found",
        500 => "Internal Server Error",
        _ => "Other",
    };
    let response = format!(
        "HTTP/1.1 {} {reason}\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{}",
        reply.status,
        reply.body.len(),
        reply.body
    );
    stream.write_all(response.as_bytes()).await?;
    stream.shutdown().await
}

/// A fresh directory under the system's temporary directory, removed when dropped.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(label: &str) -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let path = std::env::temp_dir().join(format!(
            "tencentcloud-sdk-{label}-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&path).unwrap();
        Self(path)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    /// Writes `contents` to `relative` (creating directories) and returns the full path.
    pub fn write(&self, relative: &str, contents: &str) -> PathBuf {
        let path = self.0.join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, contents).unwrap();
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Every log line written by the test binary, at every level, from the first call of
/// [`Logs::global`] on.
///
/// A global subscriber rather than a per-thread one: tracing caches per call site whether
/// anyone listens, and with per-thread subscribers a call site first reached by a test running
/// without one may stay silent for the test that captures.
#[derive(Clone, Default)]
pub struct Logs(Arc<Mutex<Vec<u8>>>);

impl Logs {
    pub fn global() -> Self {
        static LOGS: std::sync::OnceLock<Logs> = std::sync::OnceLock::new();
        LOGS.get_or_init(|| {
            let logs = Self::default();
            let subscriber = tracing_subscriber::fmt()
                .with_max_level(tracing::Level::TRACE)
                .with_ansi(false)
                .with_writer(logs.clone())
                .finish();
            tracing::subscriber::set_global_default(subscriber)
                .expect("no other global subscriber in the credentials tests");
            logs
        })
        .clone()
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Logs {
    type Writer = Self;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

impl io::Write for Logs {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
