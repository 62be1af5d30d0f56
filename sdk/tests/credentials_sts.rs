//! The STS role providers (`AssumeRoleProvider`, `WebIdentityProvider`) against a stand-in STS
//! on 127.0.0.1: what is sent, caching and refresh, one STS call for many callers, the TKE
//! variables, the default chain reaching the TKE workload identity, and errors, logs and `Debug`
//! output that never show a secret.

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};
use tencentcloud_sdk::credentials::{
    AssumeRoleProvider, AssumeRoleProviderBuilder, Credentials, CredentialsErrorKind,
    DefaultCredentialsChain, ENV_TKE_PROVIDER_ID, ENV_TKE_REGION, ENV_TKE_ROLE_ARN,
    ENV_TKE_WEB_IDENTITY_TOKEN_FILE, InstanceRoleProvider, ProvideCredentials, WebIdentityProvider,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// Every secret below starts with this, so one search finds any of them.
const SECRET_MARK: &str = "Zq8";
const SOURCE_ID: &str = "AKIDsource";
const SOURCE_KEY: &str = "Zq8-source-key";
const SOURCE_TOKEN: &str = "Zq8-source-token";
const ROLE_ARN: &str = "qcs::cam::uin/100000000001:roleName/deployer";
const POLICY: &str = r#"{"version":"2.0","statement":[{"effect":"allow","action":["cos:GetObject"],"resource":["*"]}]}"#;
const POLICY_ENCODED: &str = "%7B%22version%22%3A%222.0%22%2C%22statement%22%3A%5B%7B%22effect%22%3A%22allow%22%2C%22action%22%3A%5B%22cos%3AGetObject%22%5D%2C%22resource%22%3A%5B%22%2A%22%5D%7D%5D%7D";
const PROVIDER_ID: &str = "tke-oidc-provider";

// ---------------------------------------------------------------------------------------------
// A stand-in STS.

/// What the stand-in saw of one request.
#[derive(Clone, Debug)]
struct Seen {
    action: String,
    region: Option<String>,
    authorization: Option<String>,
    token: Option<String>,
    body: Value,
}

/// What the stand-in answers to one request.
#[derive(Clone)]
struct Reply {
    status: u16,
    body: String,
    gate: Option<Gate>,
}

impl Reply {
    fn ok(body: impl Into<String>) -> Self {
        Self::status(200, body)
    }

    fn status(status: u16, body: impl Into<String>) -> Self {
        Self {
            status,
            body: body.into(),
            gate: None,
        }
    }

    /// Holds the answer back until `gate` opens.
    fn until(mut self, gate: &Gate) -> Self {
        self.gate = Some(gate.clone());
        self
    }
}

/// Shut until opened, then open for good.
#[derive(Clone)]
struct Gate(Arc<watch::Sender<bool>>);

impl Gate {
    fn new() -> Self {
        Self(Arc::new(watch::channel(false).0))
    }

    fn open(&self) {
        self.0.send_replace(true);
    }

    async fn opened(&self) {
        let mut open = self.0.subscribe();
        let _ = open.wait_for(|open| *open).await;
    }
}

type Handler = dyn Fn(&Seen, usize) -> Reply + Send + Sync;

/// An HTTP/1.1 server on 127.0.0.1 answering one request per connection with JSON. The handler
/// gets the request and how many came before it.
struct StsServer {
    url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
    arrived: watch::Receiver<usize>,
    task: JoinHandle<()>,
}

impl StsServer {
    async fn start(handler: impl Fn(&Seen, usize) -> Reply + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let (count, arrived) = watch::channel(0);
        let count = Arc::new(count);
        let handler: Arc<Handler> = Arc::new(handler);
        let task = tokio::spawn({
            let seen = seen.clone();
            async move {
                while let Ok((stream, _)) = listener.accept().await {
                    let handler = handler.clone();
                    let seen = seen.clone();
                    let count = count.clone();
                    tokio::spawn(async move {
                        let _ = serve(stream, &*handler, &seen, &count).await;
                    });
                }
            }
        });
        Self {
            url: format!("http://{address}"),
            seen,
            arrived,
            task,
        }
    }

    /// Answers each request in turn with the next of `replies`, the last one from then on.
    async fn answering(replies: Vec<Reply>) -> Self {
        Self::start(move |_, count| replies[count.min(replies.len() - 1)].clone()).await
    }

    fn requests(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    fn count(&self) -> usize {
        self.seen.lock().unwrap().len()
    }

    /// Waits until `n` requests have arrived (however long that takes).
    async fn arrived(&self, n: usize) {
        let mut arrived = self.arrived.clone();
        let _ = arrived.wait_for(|count| *count >= n).await;
    }
}

impl Drop for StsServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(
    mut stream: TcpStream,
    handler: &Handler,
    seen: &Mutex<Vec<Seen>>,
    count: &watch::Sender<usize>,
) -> io::Result<()> {
    let mut received = Vec::new();
    let mut buffer = [0; 4096];
    let head_end = loop {
        if let Some(at) = received.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        let read = stream.read(&mut buffer).await?;
        if read == 0 {
            return Ok(());
        }
        received.extend_from_slice(&buffer[..read]);
    };
    let head = String::from_utf8_lossy(&received[..head_end]).into_owned();
    let headers: HashMap<String, String> = head
        .lines()
        .skip(1)
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    let length: usize = headers
        .get("content-length")
        .and_then(|length| length.parse().ok())
        .unwrap_or(0);
    while received.len() < head_end + length {
        let read = stream.read(&mut buffer).await?;
        if read == 0 {
            return Ok(());
        }
        received.extend_from_slice(&buffer[..read]);
    }
    let body =
        serde_json::from_slice(&received[head_end..head_end + length]).unwrap_or(Value::Null);
    let request = Seen {
        action: headers.get("x-tc-action").cloned().unwrap_or_default(),
        region: headers.get("x-tc-region").cloned(),
        authorization: headers.get("authorization").cloned(),
        token: headers.get("x-tc-token").cloned(),
        body,
    };
    let before = {
        let mut seen = seen.lock().unwrap();
        seen.push(request.clone());
        seen.len() - 1
    };
    count.send_replace(before + 1);
    let reply = handler(&request, before);
    if let Some(gate) = &reply.gate {
        gate.opened().await;
    }
    let reason = match reply.status {
        200 => "OK",
        500 => "Internal Server Error",
        _ => "Other",
    };
    let response = format!(
        "HTTP/1.1 {} {reason}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{}",
        reply.status,
        reply.body.len(),
        reply.body
    );
    stream.write_all(response.as_bytes()).await?;
    stream.shutdown().await
}

/// STS's answer to `AssumeRole` or `AssumeRoleWithWebIdentity`.
fn answer(n: usize, expired_time: u64) -> Reply {
    Reply::ok(
        json!({"Response": {
            "Credentials": {
                "Token": format!("Zq8-token-{n}"),
                "TmpSecretId": format!("AKIDtmp{n}"),
                "TmpSecretKey": format!("Zq8-tmp-key-{n}"),
            },
            "ExpiredTime": expired_time,
            "Expiration": "2030-01-01T00:00:00Z",
            "RequestId": format!("req-{n}"),
        }})
        .to_string(),
    )
}

/// STS's answer when it refuses.
fn refusal(code: &str, message: &str) -> Reply {
    Reply::ok(
        json!({"Response": {
            "Error": {"Code": code, "Message": message},
            "RequestId": "req-refused",
        }})
        .to_string(),
    )
}

// ---------------------------------------------------------------------------------------------
// Log capture, temporary files, settings.

/// Every log line written by the test binary, at every level, from the first call on (a global
/// subscriber: tracing caches per call site whether anyone listens).
#[derive(Clone, Default)]
struct Logs(Arc<Mutex<Vec<u8>>>);

impl Logs {
    fn global() -> Self {
        static LOGS: std::sync::OnceLock<Logs> = std::sync::OnceLock::new();
        LOGS.get_or_init(|| {
            let logs = Self::default();
            let subscriber = tracing_subscriber::fmt()
                .with_max_level(tracing::Level::TRACE)
                .with_ansi(false)
                .with_writer(logs.clone())
                .finish();
            tracing::subscriber::set_global_default(subscriber)
                .expect("no other global subscriber in this test binary");
            logs
        })
        .clone()
    }

    fn text(&self) -> String {
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

/// A fresh directory under the system's temporary directory, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let path = std::env::temp_dir().join(format!(
            "tencentcloud-sdk-sts-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&path).unwrap();
        Self(path)
    }

    fn path(&self) -> &Path {
        &self.0
    }

    fn write(&self, name: &str, contents: &str) -> PathBuf {
        let path = self.0.join(name);
        std::fs::write(&path, contents).unwrap();
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

fn assert_no_secret(shown: &str) {
    assert!(!shown.contains(SECRET_MARK), "a secret shows in: {shown}");
}

fn source() -> Credentials {
    Credentials::new(SOURCE_ID, SOURCE_KEY).with_token(SOURCE_TOKEN)
}

/// Also turns on the log capture, so that every test's logs are checked for secrets.
fn assume_role(server: &StsServer) -> AssumeRoleProviderBuilder {
    Logs::global();
    AssumeRoleProvider::builder(ROLE_ARN, "ci-run@build.42")
        .source(source())
        .endpoint(&server.url)
}

fn lookup(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + Send + Sync + use<> {
    let vars: HashMap<String, String> = vars
        .iter()
        .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
        .collect();
    move |name| vars.get(name).cloned()
}

/// The four TKE variables, with the token in `token_file`.
fn tke_vars(token_file: &Path) -> Vec<(&'static str, String)> {
    vec![
        (ENV_TKE_REGION, "ap-shanghai".to_owned()),
        (ENV_TKE_PROVIDER_ID, PROVIDER_ID.to_owned()),
        (
            ENV_TKE_WEB_IDENTITY_TOKEN_FILE,
            token_file.display().to_string(),
        ),
        (ENV_TKE_ROLE_ARN, ROLE_ARN.to_owned()),
    ]
}

fn tke_lookup(
    vars: &[(&'static str, String)],
) -> impl Fn(&str) -> Option<String> + Send + Sync + use<> {
    let pairs: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (*k, v.as_str())).collect();
    lookup(&pairs)
}

fn tke_provider(server: &StsServer, vars: &[(&'static str, String)]) -> WebIdentityProvider {
    Logs::global();
    WebIdentityProvider::tke_builder()
        .lookup(tke_lookup(vars))
        .endpoint(&server.url)
        .build()
}

// ---------------------------------------------------------------------------------------------
// AssumeRole.

#[tokio::test]
async fn assume_role_sends_the_settings_signed_with_the_source_and_caches_the_answer() {
    let expired_time = unix_now() + 3600;
    let server = StsServer::answering(vec![answer(1, expired_time)]).await;
    let provider = assume_role(&server)
        .duration(Duration::from_secs(3600))
        .policy(POLICY)
        .external_id("Zq8-external-id")
        .build();

    let credentials = provider.provide_credentials().await.unwrap();
    assert_eq!(credentials.secret_id(), "AKIDtmp1");
    assert_eq!(credentials.secret_key(), "Zq8-tmp-key-1");
    assert_eq!(credentials.token(), Some("Zq8-token-1"));
    assert_eq!(
        credentials.expires_at(),
        Some(UNIX_EPOCH + Duration::from_secs(expired_time))
    );

    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.action, "AssumeRole");
    assert_eq!(request.region.as_deref(), Some("ap-guangzhou"));
    let authorization = request.authorization.as_deref().unwrap_or_default();
    assert!(
        authorization.contains(&format!("Credential={SOURCE_ID}/")),
        "{authorization}"
    );
    assert!(
        authorization.contains("/sts/tc3_request"),
        "{authorization}"
    );
    assert_eq!(request.token.as_deref(), Some(SOURCE_TOKEN));
    assert_eq!(
        request.body,
        json!({
            "RoleArn": ROLE_ARN,
            "RoleSessionName": "ci-run@build.42",
            "DurationSeconds": 3600,
            "Policy": POLICY_ENCODED,
            "ExternalId": "Zq8-external-id",
        })
    );

    // Cached: no second request, and clones share the cache.
    assert_eq!(provider.provide_credentials().await.unwrap(), credentials);
    assert_eq!(
        provider.clone().provide_credentials().await.unwrap(),
        credentials
    );
    assert_eq!(server.count(), 1);

    let shown = format!("{provider:?} {provider:#?} {credentials:?}");
    assert!(shown.contains(ROLE_ARN), "{shown}");
    assert_no_secret(&shown);
    assert_no_secret(&Logs::global().text());
}

#[tokio::test]
async fn assume_role_without_options_sends_the_default_duration_and_region_setting() {
    let server = StsServer::answering(vec![answer(1, unix_now() + 3600)]).await;
    assume_role(&server)
        .region("ap-singapore")
        .build()
        .provide_credentials()
        .await
        .unwrap();
    let request = &server.requests()[0];
    assert_eq!(request.region.as_deref(), Some("ap-singapore"));
    assert_eq!(
        request.body,
        json!({
            "RoleArn": ROLE_ARN,
            "RoleSessionName": "ci-run@build.42",
            "DurationSeconds": 7200,
        })
    );
}

#[tokio::test]
async fn credentials_inside_the_refresh_margin_are_fetched_again() {
    // Two minutes left, inside the default margin of five: due for a refresh at once.
    let server = StsServer::answering(vec![
        answer(1, unix_now() + 120),
        answer(2, unix_now() + 7200),
    ])
    .await;
    let provider = assume_role(&server).build();

    assert_eq!(
        provider.provide_credentials().await.unwrap().secret_id(),
        "AKIDtmp1"
    );
    assert_eq!(server.count(), 1);
    let new = provider.provide_credentials().await.unwrap();
    assert_eq!(new.secret_id(), "AKIDtmp2");
    assert_eq!(new.token(), Some("Zq8-token-2"));
    assert_eq!(server.count(), 2);
    assert_eq!(provider.provide_credentials().await.unwrap(), new);
    assert_eq!(server.count(), 2, "fresh credentials are not fetched again");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_callers_during_a_refresh_cause_one_sts_call_and_keep_working() {
    let gate = Gate::new();
    let server = StsServer::answering(vec![
        answer(1, unix_now() + 120),
        answer(2, unix_now() + 7200).until(&gate),
    ])
    .await;
    let provider = assume_role(&server).build();
    assert_eq!(
        provider.provide_credentials().await.unwrap().secret_id(),
        "AKIDtmp1"
    );

    let (done, mut finished) = tokio::sync::mpsc::unbounded_channel();
    for _ in 0..50 {
        let provider = provider.clone();
        let done = done.clone();
        tokio::spawn(async move {
            let _ = done.send(provider.provide_credentials().await);
        });
    }
    // While the refresh is held at the server, every other caller goes on with the cached
    // credentials, which are still valid.
    for _ in 0..49 {
        let credentials = finished.recv().await.unwrap().unwrap();
        assert_eq!(credentials.secret_id(), "AKIDtmp1");
    }
    server.arrived(2).await;
    assert_eq!(server.count(), 2);
    gate.open();
    let refreshed = finished.recv().await.unwrap().unwrap();
    assert_eq!(refreshed.secret_id(), "AKIDtmp2");

    assert_eq!(server.count(), 2, "one STS call for fifty callers");
    assert_eq!(
        provider.provide_credentials().await.unwrap().secret_id(),
        "AKIDtmp2"
    );
    assert_eq!(server.count(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_callers_with_nothing_cached_share_one_sts_call() {
    let gate = Gate::new();
    let server = StsServer::answering(vec![answer(1, unix_now() + 7200).until(&gate)]).await;
    let provider = assume_role(&server).build();
    let calls: Vec<_> = (0..50)
        .map(|_| {
            let provider = provider.clone();
            tokio::spawn(async move { provider.provide_credentials().await })
        })
        .collect();
    server.arrived(1).await;
    gate.open();
    for call in calls {
        assert_eq!(call.await.unwrap().unwrap().secret_id(), "AKIDtmp1");
    }
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn an_sts_error_names_the_source_code_and_request_id_but_no_secret() {
    let server = StsServer::answering(vec![refusal(
        "InvalidParameter.AccountNotAvaliable",
        "the account is not available",
    )])
    .await;
    let err = assume_role(&server)
        .external_id("Zq8-external-id")
        .build()
        .provide_credentials()
        .await
        .unwrap_err();
    let shown = format!("{err} {err:?}");
    assert_eq!(err.kind(), CredentialsErrorKind::Unavailable, "{shown}");
    assert_eq!(err.source_name(), "STS AssumeRole", "{shown}");
    assert!(
        err.to_string().starts_with(
            "credentials: STS AssumeRole failed with InvalidParameter.AccountNotAvaliable: \
             the account is not available (RequestId: req-refused"
        ),
        "{shown}"
    );
    assert_no_secret(&shown);
    assert_no_secret(&Logs::global().text());
}

#[tokio::test]
async fn a_failed_refresh_keeps_the_cached_credentials_and_warns_without_secrets() {
    let logs = Logs::global();
    let server = StsServer::answering(vec![
        answer(1, unix_now() + 120),
        refusal(
            "AuthFailure.UnauthorizedOperation",
            "Zq8-source-key is not allowed",
        ),
    ])
    .await;
    let provider = assume_role(&server).build();
    let cached = provider.provide_credentials().await.unwrap();

    assert_eq!(provider.provide_credentials().await.unwrap(), cached);
    assert_eq!(server.count(), 2, "a refresh was tried");
    // Not tried again right away.
    assert_eq!(provider.provide_credentials().await.unwrap(), cached);
    assert_eq!(server.count(), 2);

    let text = logs.text();
    assert!(text.contains("WARN"), "{text}");
    assert!(
        text.contains("could not refresh the credentials of the assumed role"),
        "{text}"
    );
    assert!(text.contains("AuthFailure.UnauthorizedOperation"), "{text}");
    assert!(
        text.contains("assumed a CAM role through STS AssumeRole"),
        "{text}"
    );
}

#[tokio::test]
async fn hostile_answers_are_typed_errors_without_secrets() {
    let good = json!({"Response": {
        "Credentials": {"Token": "Zq8-t", "TmpSecretId": "AKIDtmp", "TmpSecretKey": "Zq8-k"},
        "ExpiredTime": unix_now() + 3600,
        "RequestId": "req-hostile",
    }});
    let without_key = {
        let mut answer = good.clone();
        answer["Response"]["Credentials"]
            .as_object_mut()
            .unwrap()
            .remove("TmpSecretKey");
        answer.to_string()
    };
    let empty_token = {
        let mut answer = good.clone();
        answer["Response"]["Credentials"]["Token"] = json!("");
        answer.to_string()
    };
    let expired = {
        let mut answer = good.clone();
        answer["Response"]["ExpiredTime"] = json!(unix_now() - 60);
        answer.to_string()
    };
    let good = good.to_string();
    let huge = format!(
        "{{\"Response\":{{\"Padding\":\"{}\",\"Key\":\"Zq8\"}}}}",
        "x".repeat(1 << 20)
    );
    let cases = [
        (
            Reply::ok("<html>Zq8 gateway</html>"),
            "a body that is not JSON",
        ),
        (Reply::ok(&good[..good.len() / 2]), "a truncated body"),
        (Reply::ok(huge), "a body longer than 64 KiB"),
        (Reply::ok(""), "an empty body"),
        (Reply::ok("[\"Zq8\"]"), "JSON that is not an API answer"),
        (Reply::status(500, "Zq8 oops"), "HTTP 500"),
        (
            Reply::ok(without_key),
            "answered without Credentials.TmpSecretKey as a string",
        ),
        (Reply::ok(empty_token), "a Credentials.Token that is empty"),
        (Reply::ok(expired), "credentials that expired at"),
        (
            Reply::ok(r#"{"Response":{"RequestId":"req-x"}}"#),
            "without Credentials as an object",
        ),
    ];
    for (reply, expected) in cases {
        let server = StsServer::answering(vec![reply]).await;
        let provider = assume_role(&server).build();
        let err = provider.provide_credentials().await.unwrap_err();
        let shown = format!("{err} {err:?}");
        assert_eq!(err.kind(), CredentialsErrorKind::Unavailable, "{shown}");
        assert_eq!(err.source_name(), "STS AssumeRole", "{shown}");
        assert!(shown.contains(expected), "{shown} lacks {expected}");
        assert_no_secret(&shown);
        assert_no_secret(&format!("{provider:?}"));
    }
    assert_no_secret(&Logs::global().text());
}

#[tokio::test]
async fn missing_source_credentials_are_invalid_and_nothing_is_sent() {
    let server = StsServer::answering(vec![answer(1, unix_now() + 3600)]).await;
    let err = assume_role(&server)
        .source(
            DefaultCredentialsChain::builder()
                .lookup(|_| None)
                .credentials_file("/nonexistent/tencentcloud/credentials")
                .without_instance_role()
                .without_web_identity()
                .build(),
        )
        .build()
        .provide_credentials()
        .await
        .unwrap_err();
    // The chosen file does not exist: the source chain stops with that error.
    assert_eq!(err.kind(), CredentialsErrorKind::Invalid, "{err}");
    assert_eq!(server.count(), 0);

    let empty_chain = DefaultCredentialsChain::builder()
        .lookup(lookup(&[("HOME", "/nonexistent/home")]))
        .system_credentials_file("/nonexistent/etc/credentials")
        .without_instance_role()
        .without_web_identity()
        .build();
    let err = assume_role(&server)
        .source(empty_chain)
        .build()
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::Invalid, "{err}");
    assert_eq!(
        err.source_name(),
        "source credentials for STS AssumeRole",
        "{err}"
    );
    assert!(err.to_string().contains("no credentials found"), "{err}");
    assert_eq!(server.count(), 0);
}

// ---------------------------------------------------------------------------------------------
// AssumeRoleWithWebIdentity and the TKE variables.

#[tokio::test]
async fn web_identity_sends_the_token_from_the_file_unsigned_and_rereads_it() {
    let dir = TempDir::new();
    let token_file = dir.write("token", "Zq8.jwt.one\n");
    let server = StsServer::answering(vec![
        answer(1, unix_now() + 120),
        answer(2, unix_now() + 7200),
    ])
    .await;
    let provider = tke_provider(&server, &tke_vars(&token_file));
    assert_eq!(provider.name(), "TKE OIDC role");

    let first = provider.provide_credentials().await.unwrap();
    assert_eq!(first.secret_id(), "AKIDtmp1");
    let request = &server.requests()[0];
    assert_eq!(request.action, "AssumeRoleWithWebIdentity");
    assert_eq!(request.authorization, None, "sent unsigned");
    assert_eq!(request.token, None);
    assert_eq!(request.region.as_deref(), Some("ap-shanghai"));
    assert_eq!(request.body["ProviderId"], PROVIDER_ID);
    assert_eq!(request.body["WebIdentityToken"], "Zq8.jwt.one");
    assert_eq!(request.body["RoleArn"], ROLE_ARN);
    assert_eq!(request.body["DurationSeconds"], 7200);
    let session = request.body["RoleSessionName"].as_str().unwrap_or_default();
    let micros = session
        .strip_prefix("tencentcloud-rust-sdk-")
        .unwrap_or_default();
    assert!(
        !micros.is_empty() && micros.bytes().all(|b| b.is_ascii_digit()),
        "{session}"
    );

    // Kubernetes replaces the token; the refresh sends the new one.
    dir.write("token", "Zq8.jwt.two\n");
    let second = provider.provide_credentials().await.unwrap();
    assert_eq!(second.secret_id(), "AKIDtmp2");
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[1].body["WebIdentityToken"], "Zq8.jwt.two");
    assert_eq!(requests[1].authorization, None);

    assert_no_secret(&format!("{provider:?} {first:?} {second:?}"));
    assert_no_secret(&Logs::global().text());
}

#[tokio::test]
async fn web_identity_with_explicit_settings() {
    let dir = TempDir::new();
    let token_file = dir.write("token", "Zq8.jwt.explicit");
    let server = StsServer::answering(vec![answer(1, unix_now() + 3600)]).await;
    Logs::global();
    let provider = WebIdentityProvider::builder(PROVIDER_ID, &token_file, ROLE_ARN)
        .region("ap-beijing")
        .session_name("my-app")
        .duration(Duration::from_secs(1800))
        .endpoint(&server.url)
        .build();
    assert_eq!(provider.name(), "web identity role");
    assert_eq!(
        provider.provide_credentials().await.unwrap().secret_id(),
        "AKIDtmp1"
    );
    let request = &server.requests()[0];
    assert_eq!(request.region.as_deref(), Some("ap-beijing"));
    assert_eq!(
        request.body,
        json!({
            "ProviderId": PROVIDER_ID,
            "WebIdentityToken": "Zq8.jwt.explicit",
            "RoleArn": ROLE_ARN,
            "RoleSessionName": "my-app",
            "DurationSeconds": 1800,
        })
    );
}

#[tokio::test]
async fn a_web_identity_refusal_never_echoes_the_token() {
    let dir = TempDir::new();
    let token_file = dir.write("token", "Zq8.jwt.refused\n");
    let server = StsServer::answering(vec![refusal(
        "InvalidParameter.WebIdentityTokenError",
        "token Zq8.jwt.refused has expired",
    )])
    .await;
    let err = tke_provider(&server, &tke_vars(&token_file))
        .provide_credentials()
        .await
        .unwrap_err();
    let shown = format!("{err} {err:?}");
    assert_eq!(err.kind(), CredentialsErrorKind::Unavailable, "{shown}");
    assert_eq!(
        err.source_name(),
        "STS AssumeRoleWithWebIdentity",
        "{shown}"
    );
    assert!(
        shown.contains(
            "failed with InvalidParameter.WebIdentityTokenError: token <redacted> has expired"
        ),
        "{shown}"
    );
    assert!(shown.contains("RequestId: req-refused"), "{shown}");
    assert_no_secret(&shown);
    assert_no_secret(&Logs::global().text());
}

#[tokio::test]
async fn tke_variables_none_set_is_not_found_and_some_set_is_invalid() {
    let dir = TempDir::new();
    let token_file = dir.write("token", "Zq8.jwt\n");
    let server = StsServer::answering(vec![answer(1, unix_now() + 3600)]).await;

    let err = tke_provider(&server, &[])
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err}");
    assert!(
        err.to_string().contains("TKE_ROLE_ARN are not set"),
        "{err}"
    );

    let all = tke_vars(&token_file);
    for missing in [
        ENV_TKE_REGION,
        ENV_TKE_PROVIDER_ID,
        ENV_TKE_WEB_IDENTITY_TOKEN_FILE,
        ENV_TKE_ROLE_ARN,
    ] {
        let some: Vec<_> = all
            .iter()
            .filter(|(name, _)| *name != missing)
            .cloned()
            .collect();
        let err = tke_provider(&server, &some)
            .provide_credentials()
            .await
            .unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::Invalid, "{err}");
        assert_eq!(err.source_name(), missing, "{err}");
        assert!(err.to_string().contains("is not set, but"), "{err}");
    }

    // All set, but the token file is missing or the region malformed.
    let mut wrong = all.clone();
    wrong[2].1 = dir.path().join("absent").display().to_string();
    let err = tke_provider(&server, &wrong)
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::Invalid, "{err}");
    assert!(err.to_string().ends_with("absent does not exist"), "{err}");

    let mut wrong = all.clone();
    wrong[0].1 = "Shanghai!".to_owned();
    let err = tke_provider(&server, &wrong)
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::Invalid, "{err}");
    assert_eq!(err.source_name(), ENV_TKE_REGION, "{err}");

    assert_eq!(server.count(), 0, "nothing was sent");
}

// ---------------------------------------------------------------------------------------------
// The default chain.

/// Nothing listens on port 1: the connection is refused at once, so the instance role is "not
/// found" without waiting for a timeout.
fn unreachable_instance_role() -> InstanceRoleProvider {
    InstanceRoleProvider::builder()
        .base_url("http://127.0.0.1:1/")
        .connect_timeout(Duration::from_secs(60))
        .request_timeout(Duration::from_secs(60))
        .build()
}

#[tokio::test]
async fn the_default_chain_reaches_the_tke_workload_identity_last() {
    let dir = TempDir::new();
    let token_file = dir.write("token", "Zq8.jwt.chain\n");
    let server = StsServer::answering(vec![answer(1, unix_now() + 3600)]).await;
    let home = dir.path().join("home").display().to_string();
    let mut vars = tke_vars(&token_file);
    vars.push(("HOME", home));
    Logs::global();

    // The chain's lookup reaches the TKE provider: with a variable missing, the chain stops
    // there, naming it.
    let partial: Vec<_> = vars
        .iter()
        .filter(|(name, _)| *name != ENV_TKE_ROLE_ARN)
        .cloned()
        .collect();
    let err = DefaultCredentialsChain::builder()
        .lookup(tke_lookup(&partial))
        .system_credentials_file(dir.path().join("etc/credentials"))
        .instance_role(unreachable_instance_role())
        .build()
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::Invalid, "{err}");
    assert_eq!(err.provider(), Some("TKE OIDC role"), "{err}");
    assert_eq!(err.source_name(), ENV_TKE_ROLE_ARN, "{err}");

    // With no environment credentials, no credentials file and no instance role, the TKE
    // workload identity gives the credentials.
    let chain = DefaultCredentialsChain::builder()
        .lookup(tke_lookup(&vars))
        .system_credentials_file(dir.path().join("etc/credentials"))
        .instance_role(unreachable_instance_role())
        .web_identity(tke_provider(&server, &vars))
        .build();
    let credentials = chain.provide_credentials().await.unwrap();
    assert_eq!(credentials.secret_id(), "AKIDtmp1");
    assert_eq!(
        server.requests()[0].body["WebIdentityToken"],
        "Zq8.jwt.chain"
    );
    assert_no_secret(&format!("{chain:?} {credentials:?}"));

    // Without any TKE variable, the chain lists the TKE provider among those that had nothing.
    let err = DefaultCredentialsChain::builder()
        .lookup(lookup(&[(
            "HOME",
            &dir.path().join("home").display().to_string(),
        )]))
        .system_credentials_file(dir.path().join("etc/credentials"))
        .without_instance_role()
        .build()
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err}");
    let sources: Vec<_> = err.tried().iter().map(|tried| tried.provider()).collect();
    assert_eq!(
        sources,
        [
            Some("environment"),
            Some("credentials file"),
            Some("TKE OIDC role")
        ]
    );
    assert!(
        err.to_string().ends_with(
            "TKE OIDC role: TKE_REGION, TKE_PROVIDER_ID, TKE_WEB_IDENTITY_TOKEN_FILE and \
             TKE_ROLE_ARN are not set"
        ),
        "{err}"
    );
    assert_eq!(server.count(), 1);
    assert_no_secret(&Logs::global().text());
}
