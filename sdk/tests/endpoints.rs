//! Where requests go, and which settings are refused when a configuration is built.

mod support;

use support::{
    Reply, SECRET_ID, SECRET_KEY, Server, assert_no_secrets, credentials, within_deadline,
};
use tencentcloud_sdk::dts::v20180330::Client;
use tencentcloud_sdk::{Config, ConfigBuilder, Credentials};

fn client_in(builder: ConfigBuilder) -> Client {
    Client::new(builder.build().expect("configuration builds"))
}

fn host_of(client: &Client) -> (String, String) {
    let endpoint = client.handle().endpoint().expect("an endpoint resolves");
    (endpoint.host().to_owned(), endpoint.url().to_string())
}

#[test]
fn finance_region_uses_its_regional_host() {
    let client = client_in(
        Config::builder()
            .credentials(credentials())
            .region("ap-shanghai-fsi"),
    );
    let (host, url) = host_of(&client);
    assert_eq!(host, "dts.ap-shanghai-fsi.tencentcloudapi.com");
    assert_eq!(url, "https://dts.ap-shanghai-fsi.tencentcloudapi.com/");
}

#[test]
fn ordinary_region_uses_the_global_host() {
    let client = client_in(
        Config::builder()
            .credentials(credentials())
            .region("ap-guangzhou"),
    );
    let (host, url) = host_of(&client);
    assert_eq!(host, "dts.tencentcloudapi.com");
    assert_eq!(url, "https://dts.tencentcloudapi.com/");
}

#[test]
fn regional_endpoint_with_the_international_root_domain() {
    let client = client_in(
        Config::builder()
            .credentials(credentials())
            .region("ap-guangzhou")
            .regional_endpoint(true)
            .root_domain("intl.tencentcloudapi.com"),
    );
    let (host, url) = host_of(&client);
    assert_eq!(host, "dts.ap-guangzhou.intl.tencentcloudapi.com");
    assert_eq!(url, "https://dts.ap-guangzhou.intl.tencentcloudapi.com/");
}

#[tokio::test]
async fn custom_endpoint_wins_over_a_finance_region_and_is_signed_for_its_host() {
    let body = r#"{"Response":{"CheckFlag":1,"ErrorCode":0,"ErrorMessage":"ok","Progress":"100","RequestId":"req-fsi","Status":"finished"}}"#;
    let server = Server::start([Reply::json(body)]).await;
    let client = client_in(
        support::config(&server)
            .region("ap-shanghai-fsi")
            .regional_endpoint(true),
    );
    let (host, url) = host_of(&client);
    assert_eq!(host, format!("127.0.0.1:{}", server.port()));
    assert_eq!(url, format!("http://127.0.0.1:{}/", server.port()));

    let answer = within_deadline(
        client
            .describe_migrate_check_job()
            .job_id("dts-dau5czmd")
            .send(),
    )
    .await
    .expect("the loopback server answers");
    assert_eq!(answer.request_id, "req-fsi");

    let request = server.only_request();
    assert_eq!(request.signature, Ok(()), "the server's signature check");
    assert_eq!(request.header("host"), Some(host.as_str()));
    assert_eq!(request.header("x-tc-region"), Some("ap-shanghai-fsi"));
}

#[test]
fn bad_settings_fail_at_build_naming_the_setting() {
    let with_credentials = || Config::builder().credentials(credentials());
    let cases = [
        ("empty region", with_credentials().region(""), "region"),
        (
            "endpoint without a scheme",
            with_credentials().endpoint("127.0.0.1:8080"),
            "endpoint",
        ),
        (
            "endpoint that is not a URL",
            with_credentials().endpoint("http//not a url"),
            "endpoint",
        ),
        (
            "endpoint with an unsupported scheme",
            with_credentials().endpoint("ftp://127.0.0.1:21/"),
            "endpoint",
        ),
        (
            "secret id without a key",
            Config::builder()
                .credentials(Credentials::new(SECRET_ID, ""))
                .region("ap-guangzhou"),
            "credentials",
        ),
        (
            "secret key with a trailing newline",
            Config::builder()
                .credentials(Credentials::new(SECRET_ID, format!("{SECRET_KEY}\n")))
                .region("ap-guangzhou"),
            "credentials",
        ),
        (
            "token with a trailing newline",
            Config::builder()
                .credentials(
                    Credentials::new(SECRET_ID, SECRET_KEY)
                        .with_token(format!("{}\n", support::TOKEN)),
                )
                .region("ap-guangzhou"),
            "credentials",
        ),
    ];
    for (what, builder, setting) in cases {
        // The builder itself must not show secrets either.
        assert_no_secrets(&format!("{builder:?}"));
        let err = match builder.build() {
            Ok(config) => panic!("{what}: built {config:?}"),
            Err(err) => err,
        };
        assert_eq!(err.setting(), setting, "{what}: {err}");
        let shown = err.to_string();
        assert!(shown.contains(setting), "{what}: {shown}");
        assert_no_secrets(&shown);
        assert_no_secrets(&format!("{err:?}"));
    }
}

#[test]
fn trailing_newline_in_the_key_is_explained() {
    let err = Config::builder()
        .credentials(Credentials::new(SECRET_ID, format!("{SECRET_KEY}\n")))
        .build()
        .expect_err("refused");
    let shown = err.to_string();
    assert!(shown.contains("secret key"), "{shown}");
    assert!(shown.contains("whitespace"), "{shown}");
}
