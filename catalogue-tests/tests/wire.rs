//! Calls of catalogue services over the wire: cvm `DescribeInstances`, vpc `DescribeVpcs` and sts
//! `GetFederationToken`, each against a loopback server that recomputes the signature, checks the
//! action, version and host, and answers with a response built from the action's spec (every
//! member present, with a value of its type) that must decode into the generated types.

#[path = "../../sdk/tests/support/mod.rs"]
mod support;

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};
use support::{Reply, Server, within_deadline};
use tencentcloud_sdk::{cvm, sts, vpc};

/// A spec of `api-spec/`.
fn spec(path: &str) -> Value {
    let path = format!("{}/../api-spec/{path}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{path}: {err}"));
    serde_json::from_str(&text).unwrap_or_else(|err| panic!("{path}: {err}"))
}

/// Builds answers from a spec: every member of an action's output, and of the structures it
/// holds, with a value of its type.
struct Answers {
    structures: BTreeMap<String, Value>,
}

impl Answers {
    fn new(spec: &Value) -> Self {
        let structures = spec["structures"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|s| (s["name"].as_str().unwrap().to_owned(), s["members"].clone()))
            .collect();
        Self { structures }
    }

    /// `{"Response": {...}}` for `action` of `spec`, with `request_id`.
    fn answer(&self, spec: &Value, action: &str, request_id: &str) -> Value {
        let action = spec["actions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["name"] == action)
            .unwrap_or_else(|| panic!("no action {action}"));
        let mut response = self.object(&action["output"], 0);
        response.insert("RequestId".into(), request_id.into());
        json!({ "Response": response })
    }

    fn object(&self, members: &Value, depth: usize) -> Map<String, Value> {
        let mut object = Map::new();
        for member in members.as_array().into_iter().flatten() {
            let name = member["name"].as_str().unwrap();
            let value = match member["type"].as_str().unwrap() {
                "list" => {
                    let item = member["items"].as_str().unwrap();
                    // A structure inside itself ends the nesting with an empty list.
                    if depth > 3 && self.structures.contains_key(item) {
                        json!([])
                    } else {
                        json!([self.value(item, member, name, depth)])
                    }
                }
                ty => self.value(ty, member, name, depth),
            };
            if !value.is_null() {
                object.insert(name.to_owned(), value);
            }
        }
        object
    }

    fn value(&self, ty: &str, member: &Value, name: &str, depth: usize) -> Value {
        match (ty, member["format"].as_str()) {
            ("string", Some("datetime")) => json!("2024-05-06 07:08:09"),
            ("string", Some("datetime_iso")) => json!("2024-05-06T07:08:09Z"),
            ("string", Some("date")) => json!("2024-05-06"),
            ("string", _) => json!(format!("{name}-value")),
            ("integer", _) => json!(-7),
            ("unsigned", _) => json!(7),
            ("float", _) => json!(1.5),
            ("boolean", _) => json!(true),
            (structure, _) => match self.structures.get(structure) {
                Some(_) if depth > 3 => Value::Null,
                Some(members) => Value::Object(self.object(members, depth + 1)),
                None => panic!("{name}: unknown type {structure}"),
            },
        }
    }
}

/// Checks what the server received: one signed request of `action` in `version`, for `host`.
fn assert_sent(server: &Server, action: &str, version: &str) -> Value {
    let request = server.only_request();
    assert_eq!(request.signature, Ok(()), "the signature verifies");
    assert_eq!(request.header("x-tc-action"), Some(action));
    assert_eq!(request.header("x-tc-version"), Some(version));
    assert_eq!(request.header("host"), Some(server.host().as_str()));
    let authorization = request.header("authorization").unwrap_or_default();
    let scope_service = authorization
        .split("Credential=")
        .nth(1)
        .and_then(|c| c.split('/').nth(2));
    assert_eq!(
        scope_service,
        Some(version_service(action)),
        "{authorization}"
    );
    serde_json::from_slice(&request.body).expect("the body is JSON")
}

/// The service in the credential scope of each action called here.
fn version_service(action: &str) -> &'static str {
    match action {
        "DescribeInstances" => "cvm",
        "DescribeVpcs" => "vpc",
        _ => "sts",
    }
}

#[tokio::test]
async fn cvm_describe_instances() {
    let spec = spec("cvm/2017-03-12.json");
    let answer = Answers::new(&spec).answer(&spec, "DescribeInstances", "req-cvm");
    let server = Server::start([Reply::json(answer.to_string())]).await;
    let client = cvm::v20170312::Client::new(support::config(&server).build().unwrap());
    let page = within_deadline(
        client
            .describe_instances()
            .instance_ids(["ins-1", "ins-2"])
            .filters([cvm::v20170312::Filter::builder()
                .name("zone")
                .values(["ap-guangzhou-3"])
                .build()
                .unwrap()])
            .limit(20)
            .send(),
    )
    .await
    .expect("the answer decodes");
    let body = assert_sent(&server, "DescribeInstances", "2017-03-12");
    assert_eq!(
        body,
        json!({
            "InstanceIds": ["ins-1", "ins-2"],
            "Filters": [{ "Name": "zone", "Values": ["ap-guangzhou-3"] }],
            "Limit": 20
        })
    );
    assert_eq!(page.request_id, "req-cvm");
    assert_eq!(page.total_count, -7);
    let instance = &page.instance_set[0];
    assert_eq!(instance.instance_id, "InstanceId-value");
    // `Placement` is also sent in requests, so all its members are optional.
    assert_eq!(instance.placement.zone.as_deref(), Some("Zone-value"));
    assert_eq!(instance.created_time, "2024-05-06T07:08:09Z");
    assert_eq!(instance.cpu, -7);
}

#[tokio::test]
async fn vpc_describe_vpcs() {
    let spec = spec("vpc/2017-03-12.json");
    let answer = Answers::new(&spec).answer(&spec, "DescribeVpcs", "req-vpc");
    let server = Server::start([Reply::json(answer.to_string())]).await;
    let client = vpc::v20170312::Client::new(support::config(&server).build().unwrap());
    let vpcs = within_deadline(client.describe_vpcs().vpc_ids(["vpc-1"]).send())
        .await
        .expect("the answer decodes");
    let body = assert_sent(&server, "DescribeVpcs", "2017-03-12");
    assert_eq!(body, json!({ "VpcIds": ["vpc-1"] }));
    assert_eq!(vpcs.request_id, "req-vpc");
    assert_eq!(vpcs.total_count, 7);
    assert_eq!(vpcs.vpc_set[0].vpc_id, "VpcId-value");
    assert_eq!(vpcs.vpc_set[0].cidr_block, "CidrBlock-value");
}

#[tokio::test]
async fn sts_get_federation_token() {
    let spec = spec("sts/2018-08-13.json");
    let answer = Answers::new(&spec).answer(&spec, "GetFederationToken", "req-sts");
    let server = Server::start([Reply::json(answer.to_string())]).await;
    let client = sts::v20180813::Client::new(support::config(&server).build().unwrap());
    let token = within_deadline(
        client
            .get_federation_token()
            .name("ci")
            .policy(r#"{"version":"2.0","statement":[]}"#)
            .duration_seconds(1800)
            .send(),
    )
    .await
    .expect("the answer decodes");
    let body = assert_sent(&server, "GetFederationToken", "2018-08-13");
    assert_eq!(body["Name"], "ci");
    assert_eq!(body["DurationSeconds"], 1800);
    assert_eq!(token.request_id, "req-sts");
    assert_eq!(token.credentials.tmp_secret_id, "TmpSecretId-value");
    assert_eq!(token.expired_time, 7);
    // The temporary secret and its token are hidden from `Debug`.
    let shown = format!("{token:?}");
    assert!(!shown.contains("TmpSecretKey-value"), "{shown}");
    assert!(!shown.contains("Token-value"), "{shown}");
}

#[test]
fn catalogue_hosts_follow_the_service_name() {
    let config = tencentcloud_sdk::Config::builder()
        .region("ap-guangzhou")
        .credentials(tencentcloud_sdk::Credentials::new("AKIDhost", "key"))
        .build()
        .unwrap();
    let cvm = cvm::v20170312::Client::new(config.clone());
    assert_eq!(
        cvm.handle().endpoint().unwrap().host(),
        "cvm.tencentcloudapi.com"
    );
    let sts = sts::v20180813::Client::new(config);
    assert_eq!(
        sts.handle().endpoint().unwrap().host(),
        "sts.tencentcloudapi.com"
    );
}
