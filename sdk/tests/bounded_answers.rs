//! Answers of any size cost bounded memory: an endless body, a huge declared length and a huge
//! error message all end in typed errors, and what is kept of them is clipped.

mod support;

use support::{Reply, Server, client, config, within_deadline};
use tencentcloud_sdk::dts::v20180330::Client;
use tencentcloud_sdk::error::MESSAGE_CHARS;
use tencentcloud_sdk::{ErrorMetadata, InvalidResponseKind, SdkError};

fn too_large<E: std::fmt::Debug>(err: &SdkError<E>) -> Option<u64> {
    match err {
        SdkError::InvalidResponse(invalid) => match invalid.kind() {
            InvalidResponseKind::TooLarge { limit } => Some(*limit),
            _ => None,
        },
        _ => None,
    }
}

#[tokio::test]
async fn an_endless_body_stops_at_the_limit() {
    let server = Server::start([Reply::Endless {
        content_type: "application/json",
        chunk: br#"{"Response":{"JobList":["#.repeat(1000),
    }])
    .await;
    let client = Client::new(config(&server).max_response_size(1 << 20).build().unwrap());
    let err = within_deadline(client.describe_migrate_jobs().send())
        .await
        .expect_err("an endless answer");
    assert_eq!(too_large(&err), Some(1 << 20), "{err}");
    let shown = err.to_string();
    assert!(shown.contains("max_response_size"), "{shown}");
    assert!(shown.len() < 500, "{shown}");
}

#[tokio::test]
async fn a_huge_declared_length_is_refused_before_reading() {
    // The headers promise a gigabyte; only a few bytes follow.
    let server = Server::start([Reply::cut_short(1 << 30, r#"{"Response":"#)]).await;
    let err = within_deadline(client(&server).describe_migrate_jobs().send())
        .await
        .expect_err("too large");
    assert_eq!(
        too_large(&err),
        Some(tencentcloud_sdk::config::DEFAULT_MAX_RESPONSE_SIZE),
        "{err}"
    );
}

#[tokio::test]
async fn answers_up_to_the_limit_are_read() {
    let body = format!(
        r#"{{"Response":{{"TotalCount":0,"JobList":[],"RequestId":"{}"}}}}"#,
        "r".repeat(50)
    );
    let limit = body.len() as u64;
    let server = Server::start([Reply::json(body.clone()), Reply::json(body + " ")]).await;
    let client = Client::new(config(&server).max_response_size(limit).build().unwrap());
    within_deadline(client.describe_migrate_jobs().send())
        .await
        .expect("exactly at the limit");
    let err = within_deadline(client.describe_migrate_jobs().send())
        .await
        .expect_err("one byte over");
    assert_eq!(too_large(&err), Some(limit));
}

#[tokio::test]
async fn a_fifty_megabyte_error_message_is_kept_clipped() {
    let message = "m".repeat(50 * 1024 * 1024);
    let server = Server::start([Reply::service_error(
        "FailedOperation",
        &message,
        "req-huge",
    )])
    .await;
    let err = within_deadline(client(&server).describe_migrate_jobs().send())
        .await
        .expect_err("an error");
    let kept = ErrorMetadata::message(&err).expect("a message");
    assert_eq!(kept.chars().count(), MESSAGE_CHARS + 1);
    assert!(kept.ends_with('…'));
    assert_eq!(ErrorMetadata::code(&err), Some("FailedOperation"));
    assert_eq!(ErrorMetadata::request_id(&err), Some("req-huge"));
    let shown = err.to_string();
    assert!(
        shown.len() < 2 * MESSAGE_CHARS + 200,
        "{} bytes shown",
        shown.len()
    );
    assert!(
        shown.contains("req-huge") && shown.contains("FailedOperation"),
        "shown: {}",
        &shown[..200]
    );
}
