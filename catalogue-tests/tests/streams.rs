//! The streaming form generated for actions with a boolean `Stream` member: hunyuan
//! `ChatCompletions` against a loopback server that checks the signature and answers with
//! server-sent events, and against the emulator (made-up and scripted streams, 10,000 events
//! and an error event), each event decoded into the generated `ChatCompletionsResponse`.

#[path = "../../sdk/tests/support/mod.rs"]
mod support;

use futures_util::StreamExt;
use serde_json::{Value, json};
use support::{Reply, Server, Step, within_deadline};
use tencentcloud_sdk::SdkError;
use tencentcloud_sdk::hunyuan::v20230901::{ChatCompletionsResponse, Client, Error, Message};
use tencentcloud_sdk::runtime::Event;

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

fn question() -> Message {
    Message::builder()
        .role("user")
        .content("Hello?")
        .build()
        .expect("message")
}

/// One item of a `ChatCompletions` stream: an event, or the error that ended the stream.
type Item = Result<Event<ChatCompletionsResponse>, SdkError<Error>>;

/// Asks the question with `Stream` set and reads the whole stream of answers.
#[allow(deprecated)]
async fn ask_streaming(client: &Client) -> Vec<Item> {
    let stream = within_deadline(
        client
            .chat_completions()
            .model("hunyuan-lite")
            .messages([question()])
            .send_stream(),
    )
    .await
    .expect("the stream starts");
    within_deadline(stream.collect::<Vec<_>>()).await
}

#[tokio::test]
#[allow(deprecated)]
async fn the_emulator_streams_made_up_events_when_stream_is_set() {
    let emulator = tencentcloud_emulator::Emulator::start().await.unwrap();
    let client = Client::new(emulator.sdk_config().build().unwrap());
    let events = ask_streaming(&client).await;
    assert_eq!(events.len(), 3);
    let mut request_ids = std::collections::HashSet::new();
    for event in events {
        let event = event.expect("an event decoded by the generated type");
        request_ids.insert(event.data.request_id);
        assert!(
            event
                .data
                .choices
                .is_some_and(|choices| !choices.is_empty())
        );
    }
    // One call, one RequestId, carried by every event.
    assert_eq!(request_ids.len(), 1);
    assert!(request_ids.iter().all(|id| !id.is_empty()));
    // Without Stream, the same action answers once, as JSON.
    let whole = within_deadline(
        client
            .chat_completions()
            .model("hunyuan-lite")
            .messages([question()])
            .send(),
    )
    .await
    .expect("a whole answer");
    assert!(whole.choices.is_some());
}

#[tokio::test]
#[allow(deprecated)]
async fn ten_thousand_scripted_events_then_an_error_event_through_the_emulator() {
    use tencentcloud_emulator::{Emulator, Reply, Script};

    let events = (0..10_000)
        .map(|n| {
            Reply::answer(json!({
                "Id": format!("chat-{n}"),
                "Created": 1_764_288_000,
                "Choices": [{"Delta": {"Role": "assistant", "Content": "x"}, "FinishReason": ""}],
            }))
        })
        .chain([Reply::error(
            "InternalError.StreamBroken",
            "the model went away",
        )]);
    let emulator = Emulator::builder()
        .script(
            "hunyuan",
            "ChatCompletions",
            Script::always(Reply::events(events)),
        )
        .start()
        .await
        .unwrap();
    let client = Client::new(emulator.sdk_config().build().unwrap());
    let items = ask_streaming(&client).await;
    assert_eq!(items.len(), 10_001);
    for (n, item) in items[..10_000].iter().enumerate() {
        let event = item.as_ref().expect("an event");
        assert_eq!(event.data.id.as_deref(), Some(format!("chat-{n}").as_str()));
    }
    match &items[10_000] {
        Err(SdkError::Service(err)) => {
            assert_eq!(err.code(), "InternalError.StreamBroken");
            assert!(!err.request_id().is_empty());
        }
        other => panic!("expected the error event, got {other:?}"),
    }
}
