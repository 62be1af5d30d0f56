//! Which actions are safe to repeat: the spec's `idempotent` key, the read-action name rule, and
//! `ClientToken` members, from the model through the generated code to the SDK's DTS module.

use std::path::Path;

use serde_json::{Value, json};
use tencentcloud_codegen::model::{Action, Service, is_read_action};

const FILE: &str = "api-spec/demo/2021-01-01.json";

fn service(actions: Value) -> Service {
    let spec = json!({
        "service": "demo",
        "version": "2021-01-01",
        "title": "Demo",
        "host": "demo.tencentcloudapi.com",
        "description": "A service for tests.",
        "actions": actions,
        "structures": [{
            "name": "Options",
            "description": "Options.",
            "members": [{ "name": "ClientToken", "type": "string", "description": "Nested." }]
        }]
    });
    tencentcloud_codegen::parse(&spec.to_string(), FILE).unwrap_or_else(|err| panic!("{err}"))
}

fn action<'a>(service: &'a Service, name: &str) -> &'a Action {
    service
        .actions
        .iter()
        .find(|action| action.name == name)
        .unwrap_or_else(|| panic!("no action {name}"))
}

fn dts() -> Service {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../api-spec/dts/2018-03-30.json");
    tencentcloud_codegen::load(&path, "api-spec/dts/2018-03-30.json")
        .unwrap_or_else(|err| panic!("{err}"))
}

#[test]
fn the_spec_key_overrides_the_name_rule() {
    let service = service(json!([
        { "name": "DescribeJob", "summary": "Reads." },
        { "name": "CreateJob", "summary": "Writes." },
        { "name": "CreateTag", "summary": "Writes, harmlessly.", "idempotent": true },
        { "name": "DescribeAndResetJob", "summary": "Reads and writes.", "idempotent": false }
    ]));
    let cases = [
        ("DescribeJob", true, false),
        ("CreateJob", false, false),
        ("CreateTag", true, true),
        ("DescribeAndResetJob", false, true),
    ];
    for (name, idempotent, in_spec) in cases {
        let action = action(&service, name);
        assert_eq!(action.idempotent, idempotent, "{name}");
        assert_eq!(action.idempotent_in_spec, in_spec, "{name}");
    }
}

#[test]
fn a_client_token_is_a_top_level_string_member_of_that_name() {
    let member = |name: &str, ty: &str, required: bool| json!({ "name": name, "type": ty, "required": required, "description": "A token." });
    let service = service(json!([
        { "name": "RunA", "summary": "Optional.", "input": [member("ClientToken", "string", false)] },
        { "name": "RunB", "summary": "Required.", "input": [member("ClientToken", "string", true)] },
        { "name": "RunC", "summary": "A number.", "input": [member("ClientToken", "integer", false)] },
        { "name": "RunD", "summary": "Other case.", "input": [member("Clienttoken", "string", false)] },
        { "name": "RunE", "summary": "Nested.", "input": [member("Options", "Options", false)] }
    ]));
    assert!(action(&service, "RunA").client_token().is_some());
    assert!(
        action(&service, "RunB")
            .client_token()
            .is_some_and(|f| f.required)
    );
    for name in ["RunC", "RunD", "RunE"] {
        assert!(action(&service, name).client_token().is_none(), "{name}");
    }
}

#[test]
fn dts_idempotency_follows_the_name_rule() {
    let service = dts();
    assert!(action(&service, "DescribeMigrateCheckJob").idempotent);
    assert!(!action(&service, "CreateMigrateJob").idempotent);
    // The DTS spec marks nothing and has no client tokens, as in the official description.
    for action in &service.actions {
        assert_eq!(
            action.idempotent,
            is_read_action(&action.name),
            "{}",
            action.name
        );
        assert!(!action.idempotent_in_spec, "{}", action.name);
        assert!(action.client_token().is_none(), "{}", action.name);
    }
}

#[test]
fn dts_generated_code_carries_the_flag() {
    let files = tencentcloud_codegen::generate(&[dts()]).expect("DTS generates");
    let text = &files["dts/v20180330/mod.rs"];
    // The flag is the first of the action's flags, and only read actions have it.
    let declaration = |action: &str| {
        let start = text
            .find(&format!("rt::action!(\n    {action}, "))
            .unwrap_or_else(|| panic!("no declaration of {action}"));
        let end = start + text[start..].find(");").expect("the declaration ends");
        text[start..end].to_owned()
    };
    assert!(declaration("DescribeMigrateCheckJob").contains("idempotent"));
    assert!(!declaration("CreateMigrateJob").contains("idempotent"));
    assert!(!text.contains("client_token,"), "DTS has no client tokens");
}

#[test]
fn the_sdk_dts_requests_carry_the_flag() {
    use tencentcloud_sdk::dts::v20180330::{
        CreateMigrateJob, DescribeMigrateCheckJob, DescribeMigrateCheckJobRequest,
    };
    use tencentcloud_sdk::runtime::Action;

    const { assert!(DescribeMigrateCheckJob::INFO.idempotent) };
    const { assert!(!CreateMigrateJob::INFO.idempotent) };
    let check = DescribeMigrateCheckJobRequest::builder()
        .job_id("dts-1")
        .build()
        .expect("the job id is set");
    assert!(check.safe_to_repeat());
}
