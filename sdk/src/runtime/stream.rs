//! Answers that come as a stream of server-sent events (`text/event-stream`), as the actions
//! that take `Stream: true` send them.
//!
//! The body is read a chunk at a time and cut into events as the
//! [HTML standard](https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation)
//! says: lines ending in LF, CRLF or CR; `data`, `event` and `id` fields; comments; an event
//! at each blank line. Only the event being read is held in memory, and it may be no larger
//! than [`max_response_size`](crate::ConfigBuilder::max_response_size), so a stream of any
//! length costs the same.
//!
//! The stream ends after the last event, or at an event whose data is `[DONE]`. An event that
//! holds an API error (`{"Response": {"Error": ...}}`, or `{"Error": ...}`) is yielded as an
//! [`SdkError::Service`] and ends the stream, as does an event named `error`, a connection that
//! breaks, a wait for the next chunk longer than the configured
//! [`timeout`](crate::ConfigBuilder::timeout), and a body that stops in the middle of an event.

use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll, ready};
use std::time::Duration;

use bytes::Bytes;
use futures_core::Stream;

use crate::error::{
    ErrorKind, InvalidResponse, InvalidResponseKind, Name, SdkError, TransportError,
};

/// One event of a streamed answer.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Event<T> {
    /// The event's data, decoded: for a generated action, its response type, of which each
    /// event fills the members it carries.
    pub data: T,
    /// The event's name (its `event` field), when it has one.
    pub event: Option<String>,
    /// The last event id the stream gave (its `id` field), when it gave one.
    pub id: Option<String>,
}

/// Reads one event's data into `T`, with the RequestId it holds (empty when it holds none).
pub(crate) type EventDecoder<T> = fn(&Name, &[u8]) -> Result<(T, String), SdkError<()>>;

/// The events of a streamed answer, as a [`Stream`] of `Result<Event<T>, SdkError<E>>`.
///
/// Made by awaiting a `send_stream()` call. When the service answers in one piece rather than as
/// a stream, the stream holds that one answer. After an error, the stream ends.
///
/// ```no_run
/// # async fn run(client: tencentcloud_sdk::generic::GenericClient) -> Result<(), Box<dyn std::error::Error>> {
/// use futures_util::StreamExt;
///
/// let mut events = client
///     .call("ChatCompletions")
///     .param("Model", "hunyuan-lite")
///     .param("Messages", serde_json::json!([{"Role": "user", "Content": "Hello"}]))
///     .send_stream()
///     .await?;
/// while let Some(event) = events.next().await {
///     println!("{}", event?.data);
/// }
/// # Ok(())
/// # }
/// ```
#[must_use = "a stream does nothing unless polled"]
pub struct EventStream<T, E> {
    state: State<T>,
    decoder: EventDecoder<T>,
    request_id: String,
    kind: PhantomData<fn() -> E>,
}

enum State<T> {
    /// An answer that came whole, yielded once.
    Single(Option<T>),
    Live(Box<EventSource>),
    Done,
}

impl<T, E> EventStream<T, E> {
    pub(crate) fn new(source: Box<EventSource>, decoder: EventDecoder<T>) -> Self {
        Self {
            request_id: source.request_id.clone(),
            state: State::Live(source),
            decoder,
            kind: PhantomData,
        }
    }

    /// A stream of the one answer the service sent instead of events.
    pub(crate) fn single(output: T, request_id: String) -> Self {
        fn unused<T>(_: &Name, _: &[u8]) -> Result<(T, String), SdkError<()>> {
            Err(SdkError::Build(crate::BuildError::invalid(
                "event",
                "no events to decode".to_owned(),
            )))
        }
        Self {
            state: State::Single(Some(output)),
            decoder: unused::<T>,
            request_id,
            kind: PhantomData,
        }
    }

    /// The RequestId: from the `X-TC-RequestId` header, else from the first event that carries
    /// one (empty until then). Actions whose events name it `Id` carry it there.
    pub fn request_id(&self) -> &str {
        &self.request_id
    }
}

impl<T, E> Unpin for EventStream<T, E> {}

impl<T, E: ErrorKind> Stream for EventStream<T, E> {
    type Item = Result<Event<T>, SdkError<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        let source = match &mut this.state {
            State::Done => return Poll::Ready(None),
            State::Single(output) => {
                let output = output.take();
                this.state = State::Done;
                return Poll::Ready(output.map(|data| {
                    Ok(Event {
                        data,
                        event: None,
                        id: None,
                    })
                }));
            }
            State::Live(source) => source,
        };
        let item = match ready!(source.poll_event(cx)) {
            Some(Ok(raw)) => this.decode(raw),
            Some(Err(err)) => Some(Err(err)),
            None => None,
        };
        if !matches!(item, Some(Ok(_))) {
            // The end, or an error, which ends the stream too; the connection is dropped.
            this.state = State::Done;
        }
        Poll::Ready(item.map(|item| item.map_err(SdkError::map_kind)))
    }
}

impl<T, E> EventStream<T, E> {
    fn decode(&mut self, raw: RawEvent) -> Option<Result<Event<T>, SdkError<()>>> {
        let State::Live(source) = &self.state else {
            return None;
        };
        if raw.data.trim_ascii() == b"[DONE]" {
            return None;
        }
        let action = &source.action;
        let (data, request_id) = match (self.decoder)(action, &raw.data) {
            Ok(decoded) => decoded,
            Err(err) => return Some(Err(err)),
        };
        if raw.event.as_deref() == Some("error") {
            // An error event without an API error in it: say what it held.
            return Some(Err(SdkError::InvalidResponse(InvalidResponse::new(
                action.clone(),
                200,
                InvalidResponseKind::Shape("the stream sent an `error` event".to_owned()),
                None,
                &raw.data,
            ))));
        }
        if self.request_id.is_empty() && !request_id.is_empty() {
            self.request_id = request_id;
        }
        Some(Ok(Event {
            data,
            event: raw.event,
            id: raw.id,
        }))
    }
}

impl<T, E> fmt::Debug for EventStream<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match &self.state {
            State::Single(Some(_)) => "one answer",
            State::Live(_) => "streaming",
            State::Single(None) | State::Done => "done",
        };
        f.debug_struct("EventStream")
            .field("request_id", &self.request_id)
            .field("state", &state)
            .finish()
    }
}

/// An event as it came, before its data is decoded.
#[derive(Debug, PartialEq)]
struct RawEvent {
    data: Vec<u8>,
    event: Option<String>,
    id: Option<String>,
}

/// What waiting for the next chunk gave.
enum Chunk {
    Bytes(Bytes),
    End,
    Failed(reqwest::Error),
    /// Nothing came within the idle timeout.
    Idle,
}

type ChunkFuture = Pin<Box<dyn Future<Output = (reqwest::Response, Chunk)> + Send>>;

/// The body of a streamed answer, read as events; the part of [`EventStream`] that does not
/// depend on the event type.
pub(crate) struct EventSource {
    action: Name,
    url: String,
    request_id: String,
    /// The answer, when no chunk is being waited for.
    response: Option<reqwest::Response>,
    pending: Option<ChunkFuture>,
    idle_timeout: Duration,
    parser: Parser,
    ended: bool,
}

impl EventSource {
    pub(crate) fn new(
        action: Name,
        response: reqwest::Response,
        request_id: String,
        idle_timeout: Duration,
        limit: u64,
    ) -> Self {
        Self {
            action,
            url: response.url().to_string(),
            request_id,
            response: Some(response),
            pending: None,
            idle_timeout,
            parser: Parser::new(usize::try_from(limit).unwrap_or(usize::MAX)),
            ended: false,
        }
    }

    /// The next event, an error, or the end.
    fn poll_event(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<RawEvent, SdkError<()>>>> {
        loop {
            if let Some(event) = self.parser.events.pop_front() {
                return Poll::Ready(Some(Ok(event)));
            }
            if self.parser.too_large {
                self.ended = true;
                self.response = None;
                return Poll::Ready(Some(Err(self.invalid(InvalidResponseKind::TooLarge {
                    limit: self.parser.limit as u64,
                }))));
            }
            if self.ended {
                return Poll::Ready(None);
            }
            if self.pending.is_none() {
                let Some(mut response) = self.response.take() else {
                    return Poll::Ready(None);
                };
                let idle = self.idle_timeout;
                self.pending = Some(Box::pin(async move {
                    let chunk = match tokio::time::timeout(idle, response.chunk()).await {
                        Ok(Ok(Some(bytes))) => Chunk::Bytes(bytes),
                        Ok(Ok(None)) => Chunk::End,
                        Ok(Err(err)) => Chunk::Failed(err),
                        Err(_) => Chunk::Idle,
                    };
                    (response, chunk)
                }));
            }
            let Some(pending) = self.pending.as_mut() else {
                return Poll::Ready(None);
            };
            let (response, chunk) = ready!(pending.as_mut().poll(cx));
            self.pending = None;
            match chunk {
                Chunk::Bytes(bytes) => {
                    self.response = Some(response);
                    self.parser.feed(&bytes);
                }
                Chunk::End => {
                    self.ended = true;
                    if self.parser.in_event() {
                        return Poll::Ready(Some(
                            Err(self.invalid(InvalidResponseKind::Truncated)),
                        ));
                    }
                }
                Chunk::Failed(err) => {
                    self.ended = true;
                    return Poll::Ready(Some(Err(SdkError::Transport(TransportError::new(
                        self.action.clone(),
                        self.url.clone(),
                        err,
                    )))));
                }
                Chunk::Idle => {
                    self.ended = true;
                    return Poll::Ready(Some(Err(SdkError::Transport(TransportError::timed_out(
                        self.action.clone(),
                        self.url.clone(),
                        self.idle_timeout,
                    )))));
                }
            }
        }
    }

    fn invalid(&self, kind: InvalidResponseKind) -> SdkError<()> {
        let request_id = Some(self.request_id.clone()).filter(|id| !id.is_empty());
        SdkError::InvalidResponse(InvalidResponse::new(
            self.action.clone(),
            200,
            kind,
            request_id,
            b"",
        ))
    }
}

/// Cuts a byte stream into events. Holds at most one line and one event's fields, each within
/// `limit` bytes; events are queued as each blank line completes one.
struct Parser {
    limit: usize,
    /// The line being read, without its end.
    line: Vec<u8>,
    /// The data of the event being read, each `data` line followed by a LF.
    data: Vec<u8>,
    has_data: bool,
    event: Option<String>,
    /// The last event id seen: it carries over to later events, as the standard says.
    id: Option<String>,
    /// The last byte fed was a CR, so a LF right after it ends nothing more.
    after_cr: bool,
    /// Nothing has been fed yet (a byte-order mark may start the stream).
    at_start: bool,
    too_large: bool,
    events: VecDeque<RawEvent>,
}

impl Parser {
    fn new(limit: usize) -> Self {
        Self {
            limit,
            line: Vec::new(),
            data: Vec::new(),
            has_data: false,
            event: None,
            id: None,
            after_cr: false,
            at_start: true,
            too_large: false,
            events: VecDeque::new(),
        }
    }

    /// Whether the stream stopped inside an event (or a line).
    fn in_event(&self) -> bool {
        !self.line.is_empty() || self.has_data || self.event.is_some()
    }

    fn feed(&mut self, mut bytes: &[u8]) {
        if self.at_start && !bytes.is_empty() {
            self.at_start = false;
            bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
        }
        while !bytes.is_empty() && !self.too_large {
            if self.after_cr {
                self.after_cr = false;
                if bytes[0] == b'\n' {
                    bytes = &bytes[1..];
                    continue;
                }
            }
            match bytes.iter().position(|&b| b == b'\n' || b == b'\r') {
                Some(end) => {
                    self.push(&bytes[..end]);
                    self.after_cr = bytes[end] == b'\r';
                    bytes = &bytes[end + 1..];
                    self.end_line();
                }
                None => {
                    self.push(bytes);
                    bytes = &[];
                }
            }
        }
    }

    fn push(&mut self, part: &[u8]) {
        if self.line.len() + self.data.len() + part.len() > self.limit {
            self.too_large = true;
            self.line = Vec::new();
            self.data = Vec::new();
        } else {
            self.line.extend_from_slice(part);
        }
    }

    fn end_line(&mut self) {
        if self.too_large {
            return;
        }
        let line = std::mem::take(&mut self.line);
        if line.is_empty() {
            self.dispatch();
            return;
        }
        if line[0] == b':' {
            return;
        }
        let (field, value) = match line.iter().position(|&b| b == b':') {
            Some(colon) => {
                let value = &line[colon + 1..];
                (&line[..colon], value.strip_prefix(b" ").unwrap_or(value))
            }
            None => (&line[..], &b""[..]),
        };
        match field {
            b"data" => {
                self.data.extend_from_slice(value);
                self.data.push(b'\n');
                self.has_data = true;
            }
            b"event" => self.event = Some(String::from_utf8_lossy(value).into_owned()),
            b"id" if !value.contains(&0) => {
                self.id = Some(String::from_utf8_lossy(value).into_owned());
            }
            // `retry` is for clients that reconnect, which an API call does not; other fields
            // are ignored, as the standard says.
            _ => {}
        }
        // Keeps the buffer the line was read into, for the next line.
        self.line = line;
        self.line.clear();
    }

    fn dispatch(&mut self) {
        let event = self.event.take();
        if !self.has_data {
            return;
        }
        self.has_data = false;
        let mut data = std::mem::take(&mut self.data);
        data.pop();
        self.events.push_back(RawEvent {
            data,
            event,
            id: self.id.clone(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(chunks: &[&[u8]], limit: usize) -> (Vec<RawEvent>, Parser) {
        let mut parser = Parser::new(limit);
        for chunk in chunks {
            parser.feed(chunk);
        }
        let events = parser.events.drain(..).collect();
        (events, parser)
    }

    fn event(data: &str, event: Option<&str>, id: Option<&str>) -> RawEvent {
        RawEvent {
            data: data.as_bytes().to_vec(),
            event: event.map(str::to_owned),
            id: id.map(str::to_owned),
        }
    }

    #[test]
    fn fields_comments_and_line_ends() {
        let (events, parser) = parse(
            &[b"\xef\xbb\xbf: a comment\r\ndata: one\r\n\r\nevent: delta\rdata:two\rdata:  three\r\rid: 7\ndata\n\n"],
            1024,
        );
        assert_eq!(
            events,
            [
                event("one", None, None),
                event("two\n three", Some("delta"), None),
                event("", None, Some("7")),
            ]
        );
        assert!(!parser.in_event());
    }

    #[test]
    fn events_split_anywhere_across_chunks() {
        let text =
            b"data: {\"a\":1}\r\n\r\nevent: x\ndata: {\"b\":2}\n\nid: 9\r\ndata: last\r\n\r\n";
        let (whole, _) = parse(&[text], 1024);
        for split in 0..text.len() {
            let (parts, parser) = parse(&[&text[..split], &text[split..]], 1024);
            assert_eq!(parts, whole, "split at {split}");
            assert!(!parser.in_event());
        }
        // One byte at a time.
        let bytes: Vec<&[u8]> = text.chunks(1).collect();
        assert_eq!(parse(&bytes, 1024).0, whole);
    }

    #[test]
    fn an_event_without_data_is_not_dispatched_and_the_id_carries_over() {
        let (events, _) = parse(&[b"event: ping\n\nid: 1\n\ndata: a\n\n"], 1024);
        assert_eq!(events, [event("a", None, Some("1"))]);
    }

    #[test]
    fn a_stream_that_stops_inside_an_event_is_noticed() {
        let (events, parser) = parse(&[b"data: a\n\ndata: half"], 1024);
        assert_eq!(events.len(), 1);
        assert!(parser.in_event());
        let (_, parser) = parse(&[b"data: a\n"], 1024);
        assert!(parser.in_event(), "an event without its blank line");
    }

    #[test]
    fn memory_is_bounded_by_the_limit() {
        let (events, parser) = parse(&[b"data: 0123456789\n\n", b"data: ", &[b'x'; 64]], 32);
        assert_eq!(events.len(), 1);
        assert!(parser.too_large);
        assert!(parser.line.capacity() <= 64 && parser.data.capacity() <= 64);
        // Many data lines add up to one event.
        let (events, parser) = parse(&[&b"data: 0123456789\n".repeat(10)], 64);
        assert!(events.is_empty());
        assert!(parser.too_large);
        // A line without an end, fed forever, stops at the limit.
        let mut parser = Parser::new(1000);
        for _ in 0..10_000 {
            parser.feed(b"data: endless");
        }
        assert!(parser.too_large);
        assert!(parser.line.capacity() <= 2000);
    }
}
