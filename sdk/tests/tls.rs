//! HTTPS through the SDK's own TLS settings (rustls with *ring*, the system's certificate
//! verifier) against a TLS server on loopback: a certificate from a trusted authority is
//! accepted and HTTP/1.1 is offered (and HTTP/2 too, with the `http2` feature); one from an
//! unknown authority is refused.
//!
//! The test authorities and keys in `tests/fixtures/tls/` were made for these tests only. The
//! trusted one is made trusted the way a system's is: through `SSL_CERT_FILE`, which this
//! binary sets for itself before any client exists.

use std::sync::{Arc, Mutex, Once};

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::server::{ClientHello, ResolvesServerCert};
use rustls::sign::CertifiedKey;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

use tencentcloud_sdk::dts::v20180330::Client;
use tencentcloud_sdk::{Config, Credentials, RetryConfig, SdkError};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/tls");
const ANSWER: &str = r#"{"Response":{"TotalCount":0,"JobList":[],"RequestId":"req-tls"}}"#;

fn trust_the_test_authority() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // SAFETY: called before any thread of this test binary reads the environment for
        // certificates (the first client is built after this), and never changed again.
        unsafe { std::env::set_var("SSL_CERT_FILE", format!("{FIXTURES}/trusted-ca.pem")) };
    });
}

/// Hands out one certificate, noting the protocols each client offered by ALPN.
#[derive(Debug)]
struct Recording {
    key: Arc<CertifiedKey>,
    offered: Mutex<Vec<Vec<String>>>,
}

impl ResolvesServerCert for Recording {
    fn resolve(&self, hello: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        let offered = hello
            .alpn()
            .map(|protocols| {
                protocols
                    .map(|p| String::from_utf8_lossy(p).into_owned())
                    .collect()
            })
            .unwrap_or_default();
        self.offered.lock().unwrap().push(offered);
        Some(Arc::clone(&self.key))
    }
}

/// Serves `answer` over HTTPS/1.1 with the certificate `name-server.pem`, for each connection.
async fn serve(name: &str) -> (String, Arc<Recording>) {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let certs: Vec<CertificateDer<'static>> =
        CertificateDer::pem_file_iter(format!("{FIXTURES}/{name}-server.pem"))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
    let key = PrivateKeyDer::from_pem_file(format!("{FIXTURES}/{name}-server.key")).unwrap();
    let key = CertifiedKey::from_der(certs, key, &provider).unwrap();
    let recording = Arc::new(Recording {
        key: Arc::new(key),
        offered: Mutex::new(Vec::new()),
    });
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_cert_resolver(recording.clone());
    // The server speaks only HTTP/1.1, so the client falls back to it.
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("https://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(stream).await else {
                    return;
                };
                // One small request: read until the end of its head and the body after it.
                let mut request = Vec::new();
                let mut buf = [0u8; 4096];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match tls.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => request.extend_from_slice(&buf[..n]),
                    }
                }
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    ANSWER.len()
                );
                let _ = tls.write_all(head.as_bytes()).await;
                let _ = tls.write_all(ANSWER.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    (url, recording)
}

fn client(url: &str) -> Client {
    let config = Config::builder()
        .credentials(Credentials::new("AKIDtls", "tls-key"))
        .region("ap-guangzhou")
        .endpoint(url)
        .retry(RetryConfig::disabled())
        .no_proxy()
        .build()
        .expect("config");
    Client::new(config)
}

#[tokio::test]
async fn a_trusted_certificate_is_accepted_and_the_built_protocols_are_offered() {
    trust_the_test_authority();
    let (url, recording) = serve("trusted").await;
    let jobs = client(&url)
        .describe_migrate_jobs()
        .send()
        .await
        .expect("an answer over HTTPS");
    assert_eq!(jobs.request_id, "req-tls");
    let offered = recording.offered.lock().unwrap().clone();
    let protocols: &[&str] = if cfg!(feature = "http2") {
        &["h2", "http/1.1"]
    } else {
        &["http/1.1"]
    };
    assert_eq!(offered, [protocols]);
}

#[tokio::test]
async fn a_certificate_from_an_unknown_authority_is_refused() {
    trust_the_test_authority();
    let (url, _) = serve("stranger").await;
    let err = client(&url)
        .describe_migrate_jobs()
        .send()
        .await
        .expect_err("refused");
    match &err {
        SdkError::Transport(transport) => assert!(transport.is_connect(), "{err}"),
        other => panic!("expected a transport error, got {other}"),
    }
    let shown = err.to_string().to_lowercase();
    assert!(shown.contains("certificate"), "{shown}");
}
