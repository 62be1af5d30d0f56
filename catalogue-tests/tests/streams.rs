//! The streaming form generated for actions with a boolean `Stream` member: hunyuan
//! `ChatCompletions` against a loopback server that checks the signature and answers with
//! server-sent events, each decoded into the generated `ChatCompletionsResponse`.

#[path = "../../sdk/tests/support/mod.rs"]
mod support;

use futures_util::StreamExt;
use serde_json::{Value, json};
use support::{Reply, Server, Step, within_deadline};
use tencentcloud_sdk::hunyuan::v20230901::{Client, Message};

#[tokio::test]
#[allow(deprecated)] // The spec marks ChatCompletions deprecated; it still streams.
async fn chat_completions_streams_typed_events() {
    let events: String = ["Hel", "lo"]
        .iter()
        .map(|text| {
            let data = json!({
                "Id": "req-chat",
                "Created": 1_764_288_000,
                "Choices": [{"Delta": {"Role": "assistant", "Content": text}, "FinishReason": ""}],
                "Usage": {"PromptTokens": 3, "CompletionTokens": 1, "TotalTokens": 4},
            });
            format!("data: {data}\n\n")
        })
        .collect();
    let server = Server::start([Reply::events(vec![Step::Bytes(events.into_bytes())])]).await;
    let client = Client::new(support::config(&server).build().expect("config"));
    let stream = within_deadline(
        client
            .chat_completions()
            .model("hunyuan-lite")
            .messages([Message::builder()
                .role("user")
                .content("Hello?")
                .build()
                .expect("message")])
            .send_stream(),
    )
    .await
    .expect("the stream starts");
    let events: Vec<_> = within_deadline(stream.collect::<Vec<_>>()).await;
    let text: String = events
        .iter()
        .map(|event| {
            let event = event.as_ref().expect("an event");
            assert_eq!(event.data.id.as_deref(), Some("req-chat"));
            let choice = &event.data.choices.as_ref().expect("choices")[0];
            choice
                .delta
                .as_ref()
                .and_then(|d| d.content.clone())
                .unwrap_or_default()
        })
        .collect();
    assert_eq!(text, "Hello");

    let request = server.only_request();
    assert_eq!(request.signature, Ok(()));
    assert_eq!(request.header("X-TC-Action"), Some("ChatCompletions"));
    assert_eq!(request.header("X-TC-Version"), Some("2023-09-01"));
    let body: Value = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(body["Stream"], json!(true));
    assert_eq!(body["Messages"][0]["Content"], json!("Hello?"));
}
