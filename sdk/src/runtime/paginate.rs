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

use super::{Action, Handle};
use crate::error::{BuildError, SdkError};

/// A request of a paginated action: generated for actions whose spec declares `pagination`.
pub trait Paginated: Action + Clone + 'static {
    /// One item of a page.
    type Item;

    /// The offset this request asks for (0 when unset).
    fn offset(&self) -> u64;

    /// Asks for the page that starts at `offset`.
    fn set_offset(&mut self, offset: u64);

    /// The items of one page.
    fn page_items(page: &Self::Output) -> &[Self::Item];

    /// Takes the items out of a page.
    fn into_items(page: Self::Output) -> Vec<Self::Item>;

    /// The number of items across all pages, when the page reports it.
    fn total_count(page: &Self::Output) -> Option<u64>;
}

/// A count or offset as the service types it (`i64` or `u64`), seen as a `u64` by the paginator.
pub trait PageIndex: Copy {
    /// The value as an offset; negative values count as 0.
    fn to_offset(self) -> u64;
    /// An offset in this type, saturating at its maximum.
    fn from_offset(offset: u64) -> Self;
}

impl PageIndex for u64 {
    fn to_offset(self) -> u64 {
        self
    }

    fn from_offset(offset: u64) -> Self {
        offset
    }
}

impl PageIndex for i64 {
    fn to_offset(self) -> u64 {
        u64::try_from(self).unwrap_or(0)
    }

    fn from_offset(offset: u64) -> Self {
        i64::try_from(offset).unwrap_or(i64::MAX)
    }
}

type PageResult<R> = Result<<R as Action>::Output, SdkError<<R as Action>::Error>>;
type ItemResult<R> = Result<<R as Paginated>::Item, SdkError<<R as Action>::Error>>;
type PageFuture<R> = Pin<Box<dyn Future<Output = PageResult<R>> + Send>>;

/// A stream of the pages of a list action, one request per page.
///
/// The first request is the one the caller prepared, with its offset (0 when unset) and page size
/// (the service's default when unset). Each following request asks for the next offset with the
/// same page size. Paging stops after the page that reaches the reported total count, after an
/// empty page, or after an error, which is yielded as the last element.
#[must_use = "a paginator sends nothing until it is polled"]
pub struct Paginator<R: Paginated> {
    handle: Handle,
    state: State<R>,
}

enum State<R: Paginated> {
    /// The request for the next page, not sent yet.
    Ready(R),
    /// The builder refused the request; yielded once.
    Invalid(BuildError),
    /// A page is on its way; `R` is the request that asked for it.
    Waiting(R, PageFuture<R>),
    Done,
}

// The only pinned state is the boxed future, which is already `Unpin`.
impl<R: Paginated> Unpin for Paginator<R> {}

impl<R: Paginated> fmt::Debug for Paginator<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match &self.state {
            State::Ready(request) => format!("ready at offset {}", request.offset()),
            State::Invalid(_) => "invalid request".to_owned(),
            State::Waiting(request, _) => format!("waiting for offset {}", request.offset()),
            State::Done => "done".to_owned(),
        };
        f.debug_struct("Paginator")
            .field("action", &R::NAME)
            .field("state", &state)
            .finish()
    }
}

impl<R> Paginator<R>
where
    R: Paginated,
    R::Output: 'static,
    R::Error: Send + 'static,
{
    /// Pages with `request` as the first page's request. A build error is yielded as the first
    /// and only element.
    pub fn new(handle: Handle, request: Result<R, BuildError>) -> Self {
        let state = match request {
            Ok(request) => State::Ready(request),
            Err(err) => State::Invalid(err),
        };
        Self { handle, state }
    }

    /// The next page, or `None` when paging is over.
    pub async fn next(&mut self) -> Option<PageResult<R>> {
        poll_fn(|cx| self.poll_page(cx)).await
    }

    /// Flattens the pages into a stream of their items.
    pub fn items(self) -> Items<R> {
        Items {
            pages: self,
            buffered: VecDeque::new(),
        }
    }

    fn poll_page(&mut self, cx: &mut Context<'_>) -> Poll<Option<PageResult<R>>> {
        loop {
            match std::mem::replace(&mut self.state, State::Done) {
                State::Done => return Poll::Ready(None),
                State::Invalid(err) => return Poll::Ready(Some(Err(SdkError::Build(err)))),
                State::Ready(request) => {
                    let handle = self.handle.clone();
                    let sent = request.clone();
                    let future: PageFuture<R> = Box::pin(async move { handle.send(&sent).await });
                    self.state = State::Waiting(request, future);
                }
                State::Waiting(request, mut future) => {
                    let page = match future.as_mut().poll(cx) {
                        Poll::Pending => {
                            self.state = State::Waiting(request, future);
                            return Poll::Pending;
                        }
                        Poll::Ready(Err(err)) => return Poll::Ready(Some(Err(err))),
                        Poll::Ready(Ok(page)) => page,
                    };
                    if let Some(next) = next_offset::<R>(request.offset(), &page) {
                        let mut request = request;
                        request.set_offset(next);
                        self.state = State::Ready(request);
                    }
                    return Poll::Ready(Some(Ok(page)));
                }
            }
        }
    }
}

/// Where the page after `page` starts, or `None` when `page` was the last one.
fn next_offset<R: Paginated>(offset: u64, page: &R::Output) -> Option<u64> {
    let count = u64::try_from(R::page_items(page).len()).unwrap_or(u64::MAX);
    if count == 0 {
        return None;
    }
    let next = offset.saturating_add(count);
    match R::total_count(page) {
        Some(total) if next >= total => None,
        _ => Some(next),
    }
}

impl<R> Stream for Paginator<R>
where
    R: Paginated,
    R::Output: 'static,
    R::Error: Send + 'static,
{
    type Item = PageResult<R>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_page(cx)
    }
}

/// The items of every page of a list action, in order; see [`Paginator`].
#[must_use = "a paginator sends nothing until it is polled"]
pub struct Items<R: Paginated> {
    pages: Paginator<R>,
    buffered: VecDeque<R::Item>,
}

impl<R: Paginated> Unpin for Items<R> {}

impl<R: Paginated> fmt::Debug for Items<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items")
            .field("pages", &self.pages)
            .field("buffered", &self.buffered.len())
            .finish()
    }
}

impl<R> Items<R>
where
    R: Paginated,
    R::Output: 'static,
    R::Error: Send + 'static,
{
    /// The next item, or `None` when every page has been read.
    pub async fn next(&mut self) -> Option<ItemResult<R>> {
        poll_fn(|cx| self.poll_item(cx)).await
    }

    /// Reads every remaining item; stops at the first error.
    pub async fn try_collect(mut self) -> Result<Vec<R::Item>, SdkError<R::Error>> {
        let mut all = Vec::new();
        while let Some(item) = self.next().await {
            all.push(item?);
        }
        Ok(all)
    }

    fn poll_item(&mut self, cx: &mut Context<'_>) -> Poll<Option<ItemResult<R>>> {
        loop {
            if let Some(item) = self.buffered.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            match self.pages.poll_page(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(err))) => return Poll::Ready(Some(Err(err))),
                Poll::Ready(Some(Ok(page))) => self.buffered.extend(R::into_items(page)),
            }
        }
    }
}

impl<R> Stream for Items<R>
where
    R: Paginated,
    R::Output: 'static,
    R::Error: Send + 'static,
{
    type Item = ItemResult<R>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_item(cx)
    }
}
