//! The binary under hostile clients: broken HTTP, oversized heads and bodies, deep JSON and
//! slow connections, with small timeouts and a small connection cap so that it runs in seconds.
//! Afterwards it must still serve a normal signed request, and (on Linux) give back the memory
//! and file descriptors those clients held.

mod support;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tencentcloud_sdk::dts::v20180330::Client;
use tencentcloud_sdk::signer::{self, SigningInput};
use tencentcloud_sdk::{Config, Credentials};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::task::JoinSet;

use support::Running;

const SECRET_ID: &str = "AKIDhostile";
const SECRET_KEY: &str = "hostile-key";
/// Slow connections per phase, more than the cap below.
const SLOW_CONNECTIONS: usize = 300;
const MAX_CONNECTIONS: usize = 200;
/// How long anything here waits for the server before the test gives up.
const PATIENCE: Duration = Duration::from_secs(30);

fn start() -> Running {
    let max_connections = MAX_CONNECTIONS.to_string();
    Running::start([
        "--secret-id",
        SECRET_ID,
        "--secret-key",
        SECRET_KEY,
        "--body-timeout",
        "1s",
        "--header-timeout",
        "1s",
        "--max-connections",
        &max_connections,
    ])
}

/// A normal signed call through the SDK.
async fn normal_call(running: &Running) {
    let client = Client::new(
        Config::builder()
            .endpoint(running.url.clone())
            .credentials(Credentials::new(SECRET_ID, SECRET_KEY))
            .region("ap-guangzhou")
            .build()
            .expect("a valid config"),
    );
    let jobs = client
        .describe_migrate_jobs()
        .send()
        .await
        .expect("a normal request is served");
    assert_eq!(jobs.total_count, 0);
}

/// What the server sent on a connection until it closed it.
struct Closed {
    received: Vec<u8>,
}

impl Closed {
    /// The HTTP status of the first answer, if one came.
    fn status(&self) -> Option<u16> {
        let text = std::str::from_utf8(self.received.get(..12)?).ok()?;
        text.strip_prefix("HTTP/1.1 ")?.parse().ok()
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.received).into_owned()
    }
}

/// Reads until the server closes the connection (end of stream or a reset); panics if it is
/// still open after [`PATIENCE`].
async fn until_closed(mut stream: TcpStream) -> Closed {
    let mut received = Vec::new();
    let reading = async {
        let mut buf = [0u8; 4096];
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(read) => {
                    // Keep the start of what came; a server flooding us would be a bug too.
                    if received.len() < 64 * 1024 {
                        received.extend_from_slice(&buf[..read]);
                    }
                }
            }
        }
    };
    tokio::time::timeout(PATIENCE, reading)
        .await
        .expect("the server closed the connection");
    Closed { received }
}

async fn connect(running: &Running) -> TcpStream {
    TcpStream::connect(running.host())
        .await
        .expect("the emulator accepts connections")
}

/// Sends `bytes` (the server may close before taking them all) and reads until it closes.
async fn exchange(running: &Running, bytes: Vec<u8>) -> Closed {
    let stream = connect(running).await;
    let (mut reader, mut writer) = stream.into_split();
    let sending = tokio::spawn(async move {
        // Writes fail once the server closed; that is expected.
        let _ = writer.write_all(&bytes).await;
        writer
    });
    let mut received = Vec::new();
    let reading = async {
        let mut buf = [0u8; 4096];
        loop {
            match reader.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(read) if received.len() < 64 * 1024 => received.extend_from_slice(&buf[..read]),
                Ok(_) => {}
            }
        }
    };
    tokio::time::timeout(PATIENCE, reading)
        .await
        .expect("the server closed the connection");
    sending.abort();
    Closed { received }
}

/// A signed POST of `body` for DescribeMigrateJobs, closing the connection after the answer.
fn signed_request(running: &Running, body: &[u8]) -> Vec<u8> {
    let timestamp = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs());
    let credentials = Credentials::new(SECRET_ID, SECRET_KEY);
    let authorization = signer::authorization(&SigningInput {
        credentials: &credentials,
        service: "dts",
        host: running.host(),
        method: "POST",
        content_type: "application/json",
        canonical_query: "",
        payload: body,
        timestamp,
    });
    let mut request = format!(
        "POST / HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\n\
         Authorization: {authorization}\r\nX-TC-Action: DescribeMigrateJobs\r\n\
         X-TC-Version: 2018-03-30\r\nX-TC-Timestamp: {timestamp}\r\n\
         X-TC-Region: ap-guangzhou\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        running.host(),
        body.len()
    )
    .into_bytes();
    request.extend_from_slice(body);
    request
}

/// Opens `SLOW_CONNECTIONS` connections that each send `start` and then nothing, and waits
/// until the server closed every one; the statuses of what they were answered.
async fn slow_clients(running: &Running, start: &'static [u8]) -> Vec<Option<u16>> {
    let mut streams = Vec::new();
    for _ in 0..SLOW_CONNECTIONS {
        let mut stream = connect(running).await;
        // A connection over the cap may already be closed; then the write may fail.
        let _ = stream.write_all(start).await;
        streams.push(stream);
    }
    let mut waits = JoinSet::new();
    for stream in streams {
        waits.spawn(until_closed(stream));
    }
    let mut statuses = Vec::new();
    while let Some(closed) = waits.join_next().await {
        statuses.push(closed.expect("reader task").status());
    }
    statuses
}

/// The process's resident memory in KiB and its open file descriptors.
#[cfg(target_os = "linux")]
fn usage(pid: u32) -> (u64, usize) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("status");
    let rss = status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS in /proc/<pid>/status");
    let fds = std::fs::read_dir(format!("/proc/{pid}/fd"))
        .expect("fd directory")
        .count();
    (rss, fds)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn survives_hostile_clients_and_gives_back_what_they_held() {
    let running = start();
    normal_call(&running).await;
    #[cfg(target_os = "linux")]
    let (baseline_rss, baseline_fds) = usage(running.pid());

    // Garbage instead of HTTP: a 400 or a plain close.
    let garbage = exchange(&running, b"\x00\xff\xfe\x16\x03\x01 junk\r\n\r\n".to_vec()).await;
    assert!(
        matches!(garbage.status(), None | Some(400)),
        "{}",
        garbage.text()
    );

    // A request line and headers past the 64 KiB cap on heads.
    let long_line = format!("GET /{} HTTP/1.1\r\nHost: x\r\n\r\n", "a".repeat(100_000));
    let long_line = exchange(&running, long_line.into_bytes()).await;
    assert!(
        matches!(long_line.status(), None | Some(400 | 414 | 431)),
        "{}",
        long_line.text()
    );
    let mut many_headers = String::from("POST / HTTP/1.1\r\nHost: x\r\n");
    for n in 0..2_000 {
        many_headers.push_str(&format!("X-Pad-{n}: {}\r\n", "b".repeat(100)));
    }
    many_headers.push_str("\r\n");
    let many_headers = exchange(&running, many_headers.into_bytes()).await;
    assert!(
        matches!(many_headers.status(), None | Some(400 | 431)),
        "{}",
        many_headers.text()
    );

    // Chunk sizes that do not parse, or overflow.
    for chunks in [
        "zz\r\n{}\r\n0\r\n\r\n",
        "ffffffffffffffffffff\r\n{}\r\n0\r\n\r\n",
    ] {
        let request = format!(
            "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
             Transfer-Encoding: chunked\r\n\r\n{chunks}"
        );
        let closed = exchange(&running, request.into_bytes()).await;
        assert!(
            matches!(closed.status(), None | Some(400)),
            "{}",
            closed.text()
        );
    }

    // 50 MB declared: refused from the head alone, before a byte of the body is sent.
    let declared = "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
                    Content-Length: 52428800\r\n\r\n";
    let declared = exchange(&running, declared.as_bytes().to_vec()).await;
    assert!(
        declared.text().contains("RequestSizeLimitExceeded"),
        "{}",
        declared.text()
    );
    // 50 MB in chunks: the server stops reading past 10 MB and closes.
    let mut chunked = b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
                        Transfer-Encoding: chunked\r\n\r\n"
        .to_vec();
    let chunk = format!("100000\r\n{}\r\n", "c".repeat(0x10_0000));
    for _ in 0..50 {
        chunked.extend_from_slice(chunk.as_bytes());
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    let chunked = exchange(&running, chunked).await;
    assert!(
        matches!(chunked.status(), None | Some(200)),
        "{}",
        chunked.text()
    );

    // Signed bodies that are JSON 100,000 levels deep, or not UTF-8: InvalidParameter.
    let deep = "[".repeat(100_000) + &"]".repeat(100_000);
    for body in [deep.as_bytes(), &b"{\"Limit\": \"\xff\xfe\"}"[..]] {
        let answer = exchange(&running, signed_request(&running, body)).await;
        assert_eq!(answer.status(), Some(200), "{}", answer.text());
        assert!(
            answer.text().contains("\"InvalidParameter\""),
            "{}",
            answer.text()
        );
    }
    normal_call(&running).await;

    // Slow heads: past the cap, answered 503 at once; within it, closed at the header timeout.
    let heads = slow_clients(&running, b"POST / HTTP/1.1\r\nHost: x\r\nX-Slow: ").await;
    assert_eq!(heads.len(), SLOW_CONNECTIONS, "every slow head was closed");
    let refused = heads.iter().filter(|s| **s == Some(503)).count();
    assert!(refused > 0, "none refused over the cap: {heads:?}");
    println!("slow heads: {refused} answered 503 over the cap, the rest closed");
    assert!(
        heads.iter().all(|s| matches!(s, None | Some(408 | 503))),
        "{heads:?}"
    );
    normal_call(&running).await;

    // Slow bodies: 2 bytes of 1,000 declared; answered 408 at the body timeout and closed.
    let bodies = slow_clients(
        &running,
        b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
          Content-Length: 1000\r\n\r\n{\"",
    )
    .await;
    assert_eq!(bodies.len(), SLOW_CONNECTIONS, "every slow body was closed");
    let timed_out = bodies.iter().filter(|s| **s == Some(408)).count();
    assert!(timed_out > 0, "no body timed out: {bodies:?}");
    println!("slow bodies: {timed_out} answered 408, the rest 503 over the cap");
    assert!(
        bodies.iter().all(|s| matches!(s, Some(408 | 503))),
        "{bodies:?}"
    );
    normal_call(&running).await;

    // A client that sends requests and never reads the answers: once the answers stop going
    // out, the server closes the connection rather than wait on it for ever.
    #[cfg(target_os = "linux")]
    {
        let socket = tokio::net::TcpSocket::new_v4().expect("a socket");
        socket
            .set_recv_buffer_size(4096)
            .expect("a small receive buffer");
        let stream = socket
            .connect(running.host().parse().expect("an address"))
            .await
            .expect("connects");
        let (mut reader, mut writer) = stream.into_split();
        // The server reads requests only as long as its answers go out, so these writes wait
        // until it closes the connection, and then fail.
        let sending = tokio::spawn(async move {
            let request = b"GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n";
            for _ in 0..200_000 {
                if writer.write_all(request).await.is_err() {
                    return true;
                }
            }
            false
        });
        let refused = tokio::time::timeout(PATIENCE, sending)
            .await
            .expect("the server closed the connection of a client that does not read")
            .expect("the sending task");
        assert!(refused, "the server read and answered every request");
        // Only now read: the connection has ended (what was sent before may still arrive).
        let mut buf = vec![0u8; 64 * 1024];
        let drained = tokio::time::timeout(PATIENCE, async {
            while let Ok(read) = reader.read(&mut buf).await {
                if read == 0 {
                    break;
                }
            }
        })
        .await;
        assert!(drained.is_ok(), "the server closed the connection");
        normal_call(&running).await;
    }

    // What the hostile clients held comes back: descriptors to about the baseline, memory to
    // within a generous margin of it (the allocator may keep some).
    #[cfg(target_os = "linux")]
    {
        let pid = running.pid();
        let rss_margin = (64 * 1024).max(baseline_rss / 2);
        let waited = tokio::time::timeout(PATIENCE, async {
            loop {
                let (rss, fds) = usage(pid);
                if fds <= baseline_fds + 8 && rss <= baseline_rss + rss_margin {
                    return (rss, fds);
                }
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        })
        .await;
        let (rss, fds) = waited.unwrap_or_else(|_| {
            let (rss, fds) = usage(pid);
            panic!(
                "still {fds} descriptors (baseline {baseline_fds}) and {rss} KiB resident \
                 (baseline {baseline_rss} KiB)"
            )
        });
        println!(
            "baseline {baseline_fds} fds, {baseline_rss} KiB; after the hostile clients {fds} fds, \
             {rss} KiB"
        );
    }
}
