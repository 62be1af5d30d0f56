//! The HTTP side of the configuration: an explicit proxy, a client of one's own, and timeouts.

mod support;

use support::{Reply, Server, config, within_deadline};
use tencentcloud_sdk::dts::v20180330::Client;

const CHECK_ANSWER: &str = r#"{"Response":{"Status":"finished","ErrorCode":0,"ErrorMessage":"ok","Progress":"100","CheckFlag":1,"RequestId":"req-proxy"}}"#;

#[tokio::test]
async fn an_explicit_proxy_carries_every_request() {
    // The scripted server plays the proxy: a plain-HTTP proxy receives the absolute URL as the
    // request target, and the Host header (which is signed) of the service.
    let proxy = Server::start([Reply::json(CHECK_ANSWER)]).await;
    let client = Client::new(
        config(&proxy)
            .endpoint("http://dts.example.invalid:8080")
            .proxy(proxy.url())
            .build()
            .expect("config"),
    );
    let answer = within_deadline(client.describe_migrate_check_job().job_id("dts-1").send())
        .await
        .expect("through the proxy");
    assert_eq!(answer.request_id, "req-proxy");
    let request = proxy.only_request();
    assert_eq!(request.target, "http://dts.example.invalid:8080/");
    assert_eq!(request.header("Host"), Some("dts.example.invalid:8080"));
    assert_eq!(request.signature, Ok(()));
}

#[tokio::test]
async fn no_proxy_ignores_the_environment_and_still_connects() {
    let server = Server::start([Reply::json(CHECK_ANSWER)]).await;
    let client = Client::new(config(&server).no_proxy().build().expect("config"));
    within_deadline(client.describe_migrate_check_job().job_id("dts-1").send())
        .await
        .expect("direct");
    assert_eq!(server.only_request().target, "/");
}

#[tokio::test]
async fn a_client_of_ones_own_is_used() {
    let server = Server::start([Reply::json(CHECK_ANSWER)]).await;
    let own = tencentcloud_sdk::config::http_client_builder()
        .expect("builder")
        .user_agent("my-service/1.0")
        .build()
        .expect("reqwest client");
    let client = Client::new(config(&server).http_client(own).build().expect("config"));
    within_deadline(client.describe_migrate_check_job().job_id("dts-1").send())
        .await
        .expect("with the given client");
    assert_eq!(
        server.only_request().header("User-Agent"),
        Some("my-service/1.0")
    );
}

#[tokio::test]
async fn the_default_client_names_the_sdk() {
    let server = Server::start([Reply::json(CHECK_ANSWER)]).await;
    let client = Client::new(config(&server).build().expect("config"));
    within_deadline(client.describe_migrate_check_job().job_id("dts-1").send())
        .await
        .expect("answer");
    let request = server.only_request();
    let agent = request.header("User-Agent").unwrap_or_default();
    assert!(agent.starts_with("tencentcloud-sdk-rust/"), "{agent}");
}
