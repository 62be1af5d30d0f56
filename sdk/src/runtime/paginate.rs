//! Paging through list actions that take an offset and a page size and answer with one page of
//! items plus the total count.
//!
//! Generated code implements [`Paginated`] for such requests (the spec names the members) and
//! offers `into_paginator()` on the call. A [`Paginator`] is a stream of whole pages; its
//! [`items`](Paginator::items) flatten them into a stream of items. Both also have an inherent
//! async `next`, so no stream extension trait is needed to use them.

use std::collections::VecDeque;
use std::fmt;
use std::future::{Future, poll_fn};
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;

use super::{Action, Handle, Request, Sending};
use crate::error::{BuildError, SdkError};

/// A paginated action: generated for actions whose spec declares `pagination`.
pub trait Paginated: Action {
    /// One item of a page.
    type Item: Send + 'static;

    /// The wire name of the request member holding the offset of the first item.
    const OFFSET: &'static str;

    /// The number of items in a page.
    fn page_len(page: &Self::Output) -> usize;

    /// Takes the items out of a page.
    fn into_items(page: Self::Output) -> Vec<Self::Item>;

    /// The number of items across all pages, when the page reports it.
    fn total_count(page: &Self::Output) -> Option<u64>;
}

/// A count or offset as the service types it (`i64` or `u64`), seen as a `u64` by the paginator.
pub trait PageIndex: Copy {
    /// The value as an offset; negative values count as 0.
    fn to_offset(self) -> u64;
}

impl PageIndex for u64 {
    fn to_offset(self) -> u64 {
        self
    }
}

impl PageIndex for i64 {
    fn to_offset(self) -> u64 {
        u64::try_from(self).unwrap_or(0)
    }
}

type PageResult<A> = Result<<A as Action>::Output, SdkError<<A as Action>::Error>>;
type ItemResult<A> = Result<<A as Paginated>::Item, SdkError<<A as Action>::Error>>;

/// The offset a request asks for: its offset member as a number, 0 when unset or negative.
fn offset_of<A: Paginated>(request: &Request<A>) -> u64 {
    request
        .params()
        .get(A::OFFSET)
        .and_then(serde_json::Value::as_u64)
        .unwrap_or(0)
}

/// A stream of the pages of a list action, one request per page.
///
/// The first request is the one the caller prepared, with its offset (0 when unset) and page size
/// (the service's default when unset). Each following request asks for the next offset with the
/// same page size. Paging stops after the page that reaches the reported total count, after an
/// empty page, or after an error, which is yielded as the last element.
#[must_use = "a paginator sends nothing until it is polled"]
pub struct Paginator<A: Paginated> {
    handle: Handle,
    state: State<A>,
}

enum State<A: Paginated> {
    /// The request for the next page, not sent yet.
    Ready(Request<A>),
    /// The builder refused the request; yielded once.
    Invalid(BuildError),
    /// A page is on its way; the request is the one that asked for it.
    Waiting(Request<A>, Sending<A::Output, A::Error>),
    Done,
}

// The only pinned state is the call's future, which is boxed.
impl<A: Paginated> Unpin for Paginator<A> {}

impl<A: Paginated> fmt::Debug for Paginator<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match &self.state {
            State::Ready(request) => format!("ready at offset {}", offset_of(request)),
            State::Invalid(_) => "invalid request".to_owned(),
            State::Waiting(request, _) => format!("waiting for offset {}", offset_of(request)),
            State::Done => "done".to_owned(),
        };
        f.debug_struct("Paginator")
            .field("action", &A::INFO.name)
            .field("state", &state)
            .finish()
    }
}

impl<A: Paginated> Paginator<A> {
    /// Pages with `request` as the first page's request. A build error is yielded as the first
    /// and only element.
    pub fn new(handle: Handle, request: Result<Request<A>, BuildError>) -> Self {
        let state = match request {
            Ok(request) => State::Ready(request),
            Err(err) => State::Invalid(err),
        };
        Self { handle, state }
    }

    /// The next page, or `None` when paging is over.
    pub async fn next(&mut self) -> Option<PageResult<A>> {
        poll_fn(|cx| self.poll_page(cx)).await
    }

    /// Flattens the pages into a stream of their items.
    pub fn items(self) -> Items<A> {
        Items {
            pages: self,
            buffered: VecDeque::new(),
        }
    }

    fn poll_page(&mut self, cx: &mut Context<'_>) -> Poll<Option<PageResult<A>>> {
        loop {
            match std::mem::replace(&mut self.state, State::Done) {
                State::Done => return Poll::Ready(None),
                State::Invalid(err) => return Poll::Ready(Some(Err(SdkError::Build(err)))),
                State::Ready(request) => {
                    let future = self.handle.send(&request);
                    self.state = State::Waiting(request, future);
                }
                State::Waiting(request, mut future) => {
                    let page = match Pin::new(&mut future).poll(cx) {
                        Poll::Pending => {
                            self.state = State::Waiting(request, future);
                            return Poll::Pending;
                        }
                        Poll::Ready(Err(err)) => return Poll::Ready(Some(Err(err))),
                        Poll::Ready(Ok(page)) => page,
                    };
                    if let Some(next) = next_offset::<A>(offset_of(&request), &page) {
                        let mut request = request;
                        request
                            .params_mut()
                            .set(A::OFFSET, serde_json::Value::from(next));
                        self.state = State::Ready(request);
                    }
                    return Poll::Ready(Some(Ok(page)));
                }
            }
        }
    }
}

/// Where the page after `page` starts, or `None` when `page` was the last one.
fn next_offset<A: Paginated>(offset: u64, page: &A::Output) -> Option<u64> {
    let count = u64::try_from(A::page_len(page)).unwrap_or(u64::MAX);
    if count == 0 {
        return None;
    }
    let next = offset.saturating_add(count);
    match A::total_count(page) {
        Some(total) if next >= total => None,
        _ => Some(next),
    }
}

impl<A: Paginated> Stream for Paginator<A> {
    type Item = PageResult<A>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_page(cx)
    }
}

/// The items of every page of a list action, in order; see [`Paginator`].
#[must_use = "a paginator sends nothing until it is polled"]
pub struct Items<A: Paginated> {
    pages: Paginator<A>,
    buffered: VecDeque<A::Item>,
}

impl<A: Paginated> Unpin for Items<A> {}

impl<A: Paginated> fmt::Debug for Items<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items")
            .field("pages", &self.pages)
            .field("buffered", &self.buffered.len())
            .finish()
    }
}

impl<A: Paginated> Items<A> {
    /// The next item, or `None` when every page has been read.
    pub async fn next(&mut self) -> Option<ItemResult<A>> {
        poll_fn(|cx| self.poll_item(cx)).await
    }

    /// Reads every remaining item; stops at the first error.
    pub async fn try_collect(mut self) -> Result<Vec<A::Item>, SdkError<A::Error>> {
        let mut all = Vec::new();
        while let Some(item) = self.next().await {
            all.push(item?);
        }
        Ok(all)
    }

    fn poll_item(&mut self, cx: &mut Context<'_>) -> Poll<Option<ItemResult<A>>> {
        loop {
            if let Some(item) = self.buffered.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            match self.pages.poll_page(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(err))) => return Poll::Ready(Some(Err(err))),
                Poll::Ready(Some(Ok(page))) => self.buffered.extend(A::into_items(page)),
            }
        }
    }
}

impl<A: Paginated> Stream for Items<A> {
    type Item = ItemResult<A>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_item(cx)
    }
}
