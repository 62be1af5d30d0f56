//! Streamed answers (`text/event-stream`) against a scripted loopback server: a long stream, one
//! that breaks, error events, answers that come whole, limits, and where retries stop.
//!
//! The typed form is tested with a hand-declared action, declared the way generated code
//! declares one; the generic form with [`GenericClient`].

mod support;

use std::time::Duration;

use futures_util::StreamExt;
use serde_json::{Value, json};
use support::{Reply, Server, Step, config, within_deadline};
use tencentcloud_sdk::generic::{GenericCall, GenericClient};
use tencentcloud_sdk::runtime::{self as rt, ErrorKind, Event, EventStream, Handle, ServiceInfo};
use tencentcloud_sdk::{GenericError, InvalidResponseKind, RetryConfig, SdkError};

static SERVICE: ServiceInfo = ServiceInfo::new("chat", "2023-09-01", "chat");

/// The answer of a hand-written chat action: each event fills `choices` and `id`.
#[derive(Debug, Clone, Default, PartialEq, rt::Fields)]
#[tc(response)]
pub struct ChatResponse {
    choices: Option<Vec<Choice>>,
    id: Option<String>,
    request_id: String,
}

#[derive(Debug, Clone, Default, PartialEq, rt::Fields)]
pub struct Choice {
    delta: Option<Delta>,
}

#[derive(Debug, Clone, Default, PartialEq, rt::Fields)]
pub struct Delta {
    content: Option<String>,
}

#[derive(Debug, PartialEq)]
pub enum ChatError {
    Other(String),
}

impl ErrorKind for ChatError {
    fn from_code(code: &str) -> Self {
        Self::Other(code.to_owned())
    }
}

rt::action!(Chat, ChatRequest, ChatCall, ChatResponse, ChatError);

impl ChatCall {
    /// What generated code adds to actions with a boolean `Stream` member.
    fn send_stream(self) -> rt::Streaming<ChatResponse, ChatError> {
        self.0.send_stream()
    }
}

fn chat_handle(
    server: &Server,
    configure: impl FnOnce(tencentcloud_sdk::ConfigBuilder) -> tencentcloud_sdk::ConfigBuilder,
) -> Handle {
    Handle::new(configure(config(server)).build().expect("config"), &SERVICE)
}

fn chat(handle: &Handle) -> ChatCall {
    ChatCall::new(handle).param("Model", json!("lite"))
}

fn generic(server: &Server) -> GenericClient {
    GenericClient::for_service(config(server).build().expect("config"), SERVICE.clone())
}

/// One event whose delta says `text`.
fn event(text: &str) -> String {
    format!(
        "data: {}\n\n",
        json!({"Choices": [{"Delta": {"Content": text}}], "Id": "chat-1"})
    )
}

fn content(event: &Event<ChatResponse>) -> String {
    event
        .data
        .choices
        .as_ref()
        .and_then(|choices| choices.first())
        .and_then(|choice| choice.delta.as_ref())
        .and_then(|delta| delta.content.clone())
        .unwrap_or_default()
}

/// Everything the stream yields, to its end.
async fn drain<T, E: ErrorKind>(stream: EventStream<T, E>) -> Vec<Result<Event<T>, SdkError<E>>> {
    within_deadline(stream.collect::<Vec<_>>()).await
}

#[tokio::test]
async fn ten_thousand_events_arrive_in_order_with_bounded_memory() {
    // 100 chunks of 100 events; each event is small, so a limit of 4 KiB (which applies to one
    // event, not the stream) lets the whole megabyte through.
    let mut steps: Vec<Step> = (0..100)
        .map(|chunk| {
            let text: String = (0..100)
                .map(|i| event(&format!("token {}", chunk * 100 + i)))
                .collect();
            Step::Bytes(text.into_bytes())
        })
        .collect();
    steps.push(Step::Bytes(b"data: [DONE]\n\n".to_vec()));
    let server =
        Server::start([Reply::events(steps).with_header("X-TC-RequestId", "req-stream")]).await;
    let handle = chat_handle(&server, |config| config.max_response_size(4096));

    let stream = within_deadline(chat(&handle).send_stream())
        .await
        .expect("stream starts");
    assert_eq!(stream.request_id(), "req-stream");
    let events = drain(stream).await;
    assert_eq!(events.len(), 10_000);
    for (i, event) in events.iter().enumerate() {
        let event = event.as_ref().expect("an event");
        assert_eq!(content(event), format!("token {i}"));
        assert_eq!(event.data.id.as_deref(), Some("chat-1"));
    }
    // The request asked for a stream.
    let request = server.only_request();
    let body: Value = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(body["Stream"], json!(true));
    assert_eq!(request.header("X-TC-Action"), Some("Chat"));
}

#[tokio::test]
async fn a_stream_that_breaks_yields_its_events_then_a_transport_error() {
    let steps = vec![
        Step::Bytes(format!("{}{}", event("a"), event("b")).into_bytes()),
        Step::Bytes(b"data: {\"Choices\": [".to_vec()),
    ];
    let server = Server::start([Reply::events(steps).broken()]).await;
    // Retries are on: a stream that has started is never sent again.
    let handle = chat_handle(&server, |config| config.retry(RetryConfig::standard()));
    let events = drain(within_deadline(chat(&handle).send_stream()).await.unwrap()).await;
    assert_eq!(events.len(), 3, "{events:?}");
    assert_eq!(content(events[0].as_ref().unwrap()), "a");
    assert_eq!(content(events[1].as_ref().unwrap()), "b");
    match &events[2] {
        Err(SdkError::Transport(err)) => assert!(err.to_string().contains("Chat"), "{err}"),
        other => panic!("expected a transport error, got {other:?}"),
    }
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn an_error_event_ends_the_stream_with_the_service_error() {
    let error = json!({"Response": {"Error": {"Code": "InternalError.ModelCrashed", "Message": "the model stopped"}, "RequestId": "req-err"}});
    let steps = vec![Step::Bytes(
        format!("{}data: {error}\n\n{}", event("a"), event("never")).into_bytes(),
    )];
    let server = Server::start([Reply::events(steps)]).await;
    let handle = chat_handle(&server, |config| config);
    let events = drain(within_deadline(chat(&handle).send_stream()).await.unwrap()).await;
    assert_eq!(events.len(), 2, "{events:?}");
    let err = events[1].as_ref().expect_err("the error event");
    assert_eq!(err.code(), Some("InternalError.ModelCrashed"));
    assert_eq!(err.request_id(), Some("req-err"));
    assert_eq!(
        err.kind(),
        Some(&ChatError::Other("InternalError.ModelCrashed".to_owned()))
    );
    let shown = err.to_string();
    assert!(
        shown.contains("the model stopped") && shown.contains("req-err"),
        "{shown}"
    );

    // The short form, and an event named `error` without an API error in it.
    let steps = vec![Step::Bytes(
        b"data: {\"Error\": {\"Code\": \"LimitExceeded\", \"Message\": \"quota\"}}\n\n".to_vec(),
    )];
    let server = Server::start([Reply::events(steps)]).await;
    let events = drain(chat(&handle_for(&server)).send_stream().await.unwrap()).await;
    assert_eq!(events.len(), 1);
    assert_eq!(
        events[0].as_ref().unwrap_err().code(),
        Some("LimitExceeded")
    );

    let steps = vec![Step::Bytes(
        b"event: error\ndata: {\"Note\": \"overloaded\"}\n\n".to_vec(),
    )];
    let server = Server::start([Reply::events(steps)]).await;
    let events = drain(chat(&handle_for(&server)).send_stream().await.unwrap()).await;
    match &events[..] {
        [Err(SdkError::InvalidResponse(invalid))] => {
            assert!(invalid.to_string().contains("overloaded"), "{invalid}");
        }
        other => panic!("expected one invalid-response error, got {other:?}"),
    }
}

fn handle_for(server: &Server) -> Handle {
    chat_handle(server, |config| config)
}

#[tokio::test]
async fn an_error_before_the_stream_fails_the_call_and_is_retried_when_it_may_be() {
    let steps = vec![Step::Bytes(event("after the retry").into_bytes())];
    let server = Server::start([
        Reply::service_error("RequestLimitExceeded", "slow down", "req-1"),
        Reply::events(steps),
    ])
    .await;
    let handle = chat_handle(&server, |config| {
        config.retry(
            RetryConfig::standard()
                .with_initial_backoff(Duration::from_millis(1))
                .with_max_backoff(Duration::from_millis(1)),
        )
    });
    let events = drain(within_deadline(chat(&handle).send_stream()).await.unwrap()).await;
    assert_eq!(events.len(), 1);
    assert_eq!(content(events[0].as_ref().unwrap()), "after the retry");
    assert_eq!(server.received().len(), 2);

    let server = Server::start([Reply::service_error(
        "AuthFailure.UnauthorizedOperation",
        "no",
        "req-2",
    )])
    .await;
    let err = within_deadline(chat(&handle_for(&server)).send_stream())
        .await
        .expect_err("refused before any event");
    assert_eq!(err.code(), Some("AuthFailure.UnauthorizedOperation"));
    assert_eq!(err.request_id(), Some("req-2"));
}

#[tokio::test]
async fn an_answer_that_comes_whole_is_a_stream_of_one() {
    let whole = json!({"Response": {"Choices": [{"Delta": {"Content": "all at once"}}], "RequestId": "req-whole"}});
    let server = Server::start([Reply::json(whole.to_string())]).await;
    let stream = within_deadline(chat(&handle_for(&server)).send_stream())
        .await
        .unwrap();
    assert_eq!(stream.request_id(), "req-whole");
    let events = drain(stream).await;
    assert_eq!(events.len(), 1);
    assert_eq!(content(events[0].as_ref().unwrap()), "all at once");
}

#[tokio::test]
async fn the_limits_end_a_stream_with_a_typed_error() {
    // One event larger than the limit.
    let big = event(&"x".repeat(10_000));
    let server = Server::start([Reply::events(vec![Step::Bytes(big.into_bytes())])]).await;
    let handle = chat_handle(&server, |config| config.max_response_size(4096));
    let events = drain(chat(&handle).send_stream().await.unwrap()).await;
    assert!(
        matches!(&events[..], [Err(SdkError::InvalidResponse(invalid))] if *invalid.kind() == InvalidResponseKind::TooLarge { limit: 4096 }),
        "{events:?}"
    );

    // A line that never ends, sent for ever: reading stops at the limit.
    let server = Server::start([Reply::Endless {
        content_type: "text/event-stream",
        chunk: b"data: never-ending-".repeat(100),
    }])
    .await;
    let handle = chat_handle(&server, |config| config.max_response_size(64 * 1024));
    let events = drain(chat(&handle).send_stream().await.unwrap()).await;
    assert!(
        matches!(&events[..], [Err(SdkError::InvalidResponse(invalid))] if matches!(invalid.kind(), InvalidResponseKind::TooLarge { .. })),
        "{events:?}"
    );

    // A stream that stops inside an event, cleanly: the event is not silently dropped.
    let steps = vec![Step::Bytes(
        format!("{}data: {{\"Id\": \"half", event("a")).into_bytes(),
    )];
    let server = Server::start([Reply::events(steps)]).await;
    let events = drain(chat(&handle_for(&server)).send_stream().await.unwrap()).await;
    assert_eq!(events.len(), 2);
    assert!(
        matches!(&events[1], Err(SdkError::InvalidResponse(invalid)) if *invalid.kind() == InvalidResponseKind::Truncated),
        "{events:?}"
    );
}

#[tokio::test]
async fn a_stream_that_goes_quiet_times_out() {
    let steps = vec![
        Step::Bytes(event("a").into_bytes()),
        Step::Pause(Duration::from_secs(30)),
    ];
    let server = Server::start([Reply::events(steps)]).await;
    let handle = chat_handle(&server, |config| config.timeout(Duration::from_millis(300)));
    let events = drain(chat(&handle).send_stream().await.unwrap()).await;
    assert_eq!(events.len(), 2, "{events:?}");
    match &events[1] {
        Err(SdkError::Transport(err)) => assert!(err.is_timeout(), "{err}"),
        other => panic!("expected a timeout, got {other:?}"),
    }
}

#[tokio::test]
async fn generic_calls_stream_json_events() {
    let steps = vec![Step::Bytes(
        format!(
            "{}{}id: 42\nevent: delta\n{}data: [DONE]\n\n",
            event("a"),
            event("b"),
            event("c")
        )
        .into_bytes(),
    )];
    let server = Server::start([Reply::events(steps)]).await;
    let call: GenericCall = generic(&server)
        .call("ChatCompletions")
        .param("Model", "lite");
    let events = drain(within_deadline(call.send_stream()).await.unwrap()).await;
    let events: Vec<Event<Value>> = events.into_iter().map(Result::unwrap).collect();
    assert_eq!(events.len(), 3);
    assert_eq!(events[0].data["Choices"][0]["Delta"]["Content"], "a");
    assert_eq!(events[2].event.as_deref(), Some("delta"));
    assert_eq!(events[2].id.as_deref(), Some("42"));
    let body: Value = serde_json::from_slice(&server.only_request().body).unwrap();
    assert_eq!(body, json!({"Model": "lite", "Stream": true}));

    // An error event in a generic stream.
    let steps = vec![Step::Bytes(
        b"data: {\"Response\": {\"Error\": {\"Code\": \"FailedOperation\", \"Message\": \"m\"}, \"RequestId\": \"r\"}}\n\n".to_vec(),
    )];
    let server = Server::start([Reply::events(steps)]).await;
    let events = drain(
        generic(&server)
            .call("ChatCompletions")
            .send_stream()
            .await
            .unwrap(),
    )
    .await;
    let err = events[0].as_ref().unwrap_err();
    assert_eq!(
        err.kind(),
        Some(&GenericError::Common(
            tencentcloud_sdk::CommonError::FailedOperation
        ))
    );
}
