//! Signing without sending: `Handle::presign` and `Handle::sign_with` give requests that another
//! HTTP client can send, signed exactly as `send` signs them, with the signing key derived once
//! a day and never reused across dates or keys.

mod support;

use support::{Reply, SECRET_ID, SECRET_KEY, Server, config, credentials, within_deadline};
use tencentcloud_sdk::Credentials;
use tencentcloud_sdk::dts::v20180330::{DescribeMigrateCheckJobRequest, SERVICE};
use tencentcloud_sdk::runtime::Handle;
use tencentcloud_sdk::signer::{self, SigningInput};

const CHECK_ANSWER: &str = r#"{"Response":{"Status":"finished","ErrorCode":0,"ErrorMessage":"ok","Progress":"100","CheckFlag":1,"RequestId":"req-presigned"}}"#;

fn request() -> DescribeMigrateCheckJobRequest {
    DescribeMigrateCheckJobRequest::builder()
        .job_id("dts-1kl0iy0v")
        .build()
        .expect("request")
}

#[tokio::test]
async fn a_presigned_request_is_accepted_when_sent_by_another_client() {
    let server = Server::start([Reply::json(CHECK_ANSWER)]).await;
    let handle = Handle::new(config(&server).build().expect("config"), &SERVICE);
    let signed = handle.presign(&request()).await.expect("signed");
    assert_eq!(signed.body().as_ref(), br#"{"JobId":"dts-1kl0iy0v"}"#);
    let shown = format!("{signed:?}");
    support::assert_no_secrets(&shown);
    assert!(!shown.contains("TC3-HMAC-SHA256"), "{shown}");

    let (url, headers, body) = signed.into_parts();
    let answer = within_deadline(
        tencentcloud_sdk::config::http_client_builder()
            .expect("TLS settings")
            .build()
            .expect("client")
            .post(url)
            .headers(headers)
            .body(body)
            .send(),
    )
    .await
    .expect("sent");
    assert_eq!(answer.status(), 200);
    let request = server.only_request();
    assert_eq!(request.signature, Ok(()));
    assert_eq!(
        request.header("X-TC-Action"),
        Some("DescribeMigrateCheckJob")
    );
    assert_eq!(request.header("X-TC-Version"), Some("2018-03-30"));
    assert_eq!(request.header("X-TC-Region"), Some(support::REGION));
    assert_eq!(request.header("X-TC-Token"), Some(support::TOKEN));
    assert_eq!(request.header("X-TC-Language"), Some("en-US"));
}

/// What the pure signer gives for the request's body at `timestamp`.
fn expected(credentials: &Credentials, host: &str, body: &[u8], timestamp: u64) -> String {
    signer::authorization(&SigningInput {
        credentials,
        service: "dts",
        host,
        method: "POST",
        content_type: "application/json",
        canonical_query: "",
        payload: body,
        timestamp,
    })
}

#[tokio::test]
async fn the_cached_signing_key_follows_the_date_and_the_secret_key() {
    let server = Server::start([]).await;
    let handle = Handle::new(config(&server).build().expect("config"), &SERVICE);
    let first = credentials();
    let second = Credentials::new(SECRET_ID, format!("{SECRET_KEY}-rotated"));
    // Just before and after midnight UTC, back again, and with another key on the same day.
    let midnight = 1_764_288_000;
    for (credentials, timestamp) in [
        (&first, midnight - 1),
        (&first, midnight - 1),
        (&first, midnight),
        (&first, midnight + 86_399),
        (&second, midnight + 86_399),
        (&first, midnight + 86_399),
        (&first, midnight - 1),
    ] {
        let signed = handle
            .sign_with(&request(), credentials, timestamp)
            .expect("signed");
        let authorization = signed
            .headers()
            .get("authorization")
            .and_then(|value| value.to_str().ok())
            .expect("an Authorization header");
        assert_eq!(
            authorization,
            expected(credentials, &server.host(), signed.body(), timestamp),
            "at {timestamp}"
        );
        assert_eq!(
            signed.headers().get("x-tc-timestamp").map(|v| v.as_bytes()),
            Some(timestamp.to_string().as_bytes())
        );
    }
}
