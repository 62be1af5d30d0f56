//! The runtime paginator against a scripted loopback server, with a hand-written list action:
//! which offsets it asks for, when it stops, and how it reports errors.

mod support;

use futures_util::StreamExt;
use support::{Reply, Server, config, within_deadline};
use tencentcloud_sdk::SdkError;
use tencentcloud_sdk::runtime::{
    self as rt, BuildError, ErrorKind, Handle, Paginated, Paginator, ServiceInfo,
};

static SERVICE: ServiceInfo = ServiceInfo::new("demo", "2021-01-01", "demo");

/// One page of a hand-written list action, declared the way generated code declares answers.
#[derive(Debug, Clone, Default, PartialEq, rt::Fields)]
#[tc(response)]
pub struct ThingPage {
    things: Option<Vec<String>>,
    total_count: Option<u64>,
    request_id: String,
}

#[derive(Debug, PartialEq)]
pub enum ListThingsError {
    Other(String),
}

impl ErrorKind for ListThingsError {
    fn from_code(code: &str) -> Self {
        Self::Other(code.to_owned())
    }
}

rt::action!(
    ListThings,
    ListThingsRequest,
    ListThingsCall,
    ThingPage,
    ListThingsError,
    idempotent
);

impl<T> ListThingsCall<T> {
    rt::setter!(offset, "Offset", i64);
    rt::setter!(limit, "Limit", u64);
}

impl Paginated for ListThings {
    type Item = String;
    const OFFSET: &'static str = "Offset";

    fn page_len(page: &ThingPage) -> usize {
        page.things.as_ref().map_or(0, Vec::len)
    }

    fn into_items(page: ThingPage) -> Vec<String> {
        page.things.unwrap_or_default()
    }

    fn total_count(page: &ThingPage) -> Option<u64> {
        page.total_count
    }
}

/// A page answer: the things named, and the total when given.
fn page(things: &[&str], total: Option<u64>) -> Reply {
    let mut response = serde_json::json!({ "Things": things, "RequestId": "req-page" });
    if let Some(total) = total {
        response["TotalCount"] = total.into();
    }
    Reply::json(serde_json::json!({ "Response": response }).to_string())
}

fn paginator(server: &Server, offset: Option<i64>, limit: Option<u64>) -> Paginator<ListThings> {
    let handle = Handle::new(config(server).build().unwrap(), &SERVICE);
    let mut request = ListThingsRequest::builder();
    if let Some(offset) = offset {
        request = request.offset(offset);
    }
    if let Some(limit) = limit {
        request = request.limit(limit);
    }
    Paginator::new(handle, request.build())
}

/// The `(Offset, Limit)` of every request the server received, in order.
fn requested(server: &Server) -> Vec<(Option<u64>, Option<u64>)> {
    server
        .received()
        .iter()
        .map(|request| {
            assert_eq!(request.signature, Ok(()), "each page request is signed");
            let body: serde_json::Value = serde_json::from_slice(&request.body).unwrap();
            (body["Offset"].as_u64(), body["Limit"].as_u64())
        })
        .collect()
}

#[tokio::test]
async fn stops_at_the_total_count_and_keeps_the_callers_page_size() {
    let server = Server::start([
        page(&["a", "b"], Some(5)),
        page(&["c", "d"], Some(5)),
        page(&["e"], Some(5)),
        // Never asked for: the total was reached.
        page(&["x"], Some(5)),
    ])
    .await;
    let items = within_deadline(paginator(&server, None, Some(2)).items().try_collect())
        .await
        .unwrap();
    assert_eq!(items, ["a", "b", "c", "d", "e"]);
    assert_eq!(
        requested(&server),
        [(None, Some(2)), (Some(2), Some(2)), (Some(4), Some(2))]
    );
    assert_eq!(server.replies_left(), 1);
}

#[tokio::test]
async fn starts_at_the_callers_offset() {
    let server = Server::start([page(&["k", "l"], Some(12)), page(&["m"], Some(12))]).await;
    let mut pages = paginator(&server, Some(9), Some(2));
    let mut sizes = Vec::new();
    while let Some(page) = within_deadline(pages.next()).await {
        sizes.push(page.unwrap().things.unwrap().len());
    }
    assert_eq!(sizes, [2, 1]);
    assert_eq!(
        requested(&server),
        [(Some(9), Some(2)), (Some(11), Some(2))]
    );
}

#[tokio::test]
async fn without_a_total_it_reads_until_an_empty_page() {
    // A server that caps the page size below the caller's limit: short pages do not end paging.
    let server =
        Server::start([page(&["a", "b"], None), page(&["c"], None), page(&[], None)]).await;
    let items: Vec<String> = within_deadline(
        paginator(&server, None, Some(100))
            .items()
            .map(|item| item.unwrap())
            .collect::<Vec<_>>(),
    )
    .await;
    assert_eq!(items, ["a", "b", "c"]);
    assert_eq!(
        requested(&server),
        [
            (None, Some(100)),
            (Some(2), Some(100)),
            (Some(3), Some(100))
        ]
    );
}

#[tokio::test]
async fn an_empty_page_ends_paging_even_below_the_total() {
    // The total says 10, but the list shrank while paging.
    let server = Server::start([page(&["a"], Some(10)), page(&[], Some(10))]).await;
    let items = within_deadline(paginator(&server, None, None).items().try_collect())
        .await
        .unwrap();
    assert_eq!(items, ["a"]);
    assert_eq!(requested(&server).len(), 2);
}

#[tokio::test]
async fn a_first_page_that_holds_everything_is_the_only_request() {
    let server = Server::start([page(&["a", "b"], Some(2))]).await;
    let items = within_deadline(paginator(&server, None, None).items().try_collect())
        .await
        .unwrap();
    assert_eq!(items, ["a", "b"]);
    assert_eq!(requested(&server), [(None, None)]);
}

#[tokio::test]
async fn an_error_is_the_last_element() {
    let server = Server::start([
        page(&["a", "b"], Some(6)),
        Reply::service_error("InternalError", "try later", "req-err"),
    ])
    .await;
    let mut items = paginator(&server, None, Some(2)).items();
    assert_eq!(within_deadline(items.next()).await.unwrap().unwrap(), "a");
    assert_eq!(within_deadline(items.next()).await.unwrap().unwrap(), "b");
    match within_deadline(items.next()).await {
        Some(Err(SdkError::Service(err))) => {
            assert_eq!(*err.kind(), ListThingsError::Other("InternalError".into()));
            assert_eq!(err.request_id(), "req-err");
        }
        other => panic!("expected the service error, got {other:?}"),
    }
    assert!(within_deadline(items.next()).await.is_none());
    assert_eq!(requested(&server).len(), 2);

    // try_collect stops at the error too.
    let server = Server::start([
        page(&["a"], Some(3)),
        Reply::service_error("InternalError", "try later", "req-err"),
    ])
    .await;
    let err = within_deadline(paginator(&server, None, Some(1)).items().try_collect())
        .await
        .unwrap_err();
    assert!(matches!(err, SdkError::Service(_)), "{err:?}");
}

#[tokio::test]
async fn a_request_that_does_not_build_is_reported_without_sending() {
    let server = Server::start([]).await;
    let handle = Handle::new(config(&server).build().unwrap(), &SERVICE);
    let mut pages = Paginator::<ListThings>::new(
        handle,
        Err(BuildError::missing("ListThingsRequest", "Filter")),
    );
    match pages.next().await {
        Some(Err(SdkError::Build(err))) => assert!(err.to_string().contains("Filter"), "{err}"),
        other => panic!("expected the build error, got {other:?}"),
    }
    assert!(pages.next().await.is_none());
    assert!(server.received().is_empty());
}

#[tokio::test]
async fn paginators_are_send_and_can_run_on_another_task() {
    let server = Server::start([page(&["a"], Some(1))]).await;
    let pages = paginator(&server, None, None);
    let items = tokio::spawn(pages.items().try_collect()).await.unwrap();
    assert_eq!(items.unwrap(), ["a"]);
}
