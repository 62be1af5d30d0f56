//! The generated code behaves as the spec says, even with hostile names.

use golden_compile::hostile::v20200101::{
    CreateIPv6AddrRequest, CreateLabel, CreateLabelRequest, DescribeThings, DescribeThingsError,
    DescribeThingsRequest, DescribeThingsResponse, Error, Getaway, GetawayRequest, Level,
    ListAndClearAlerts, ListAndClearAlertsRequest, Mode, Node, Ping, PingRequest, RunTaskRequest,
    State,
};
use tencentcloud_sdk::CommonError;
use tencentcloud_sdk::runtime::{Action, ActionInfo, ErrorKind, Paginated};

#[test]
fn request_uses_wire_names_and_leaves_out_unset_members() {
    let request = DescribeThingsRequest::builder()
        .r#type("t")
        .self_(-1)
        .r#match([Mode::Fast, Mode::SlowAndSteady])
        .r#gen("g")
        .r#loop(Level::High)
        .ipv6_addr("::1")
        .vpc_id("vpc-1")
        .limit(3)
        .build()
        .unwrap();
    let json = serde_json::to_value(&request).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "Type": "t",
            "Self": -1,
            "Match": ["fast", "slow-and-steady"],
            "Gen": "g",
            "Loop": -2,
            "IPv6Addr": "::1",
            "VpcID": "vpc-1",
            "Limit": 3
        })
    );
    // The members go in the order they were set.
    let names: Vec<&str> = request.params().names().collect();
    assert_eq!(names[..3], ["Type", "Self", "Match"]);
}

#[test]
fn missing_required_member_is_named() {
    let err = DescribeThingsRequest::builder()
        .limit(3)
        .build()
        .unwrap_err();
    assert_eq!(err.member(), "Type");
    assert_eq!(err.structure(), "DescribeThings");
    assert!(err.to_string().contains("`Type`"), "{err}");
}

#[test]
fn response_decodes_nested_recursive_and_unknown_values() {
    let body = serde_json::json!({
        "Result": { "Await": "3rd-party", "Dyn": ["a", "b"] },
        "Items": [{
            "Type": "x",
            "SrcInfoMulti": [{ "Child": { "Super": "deep", "Crate": 7 }, "Async": 0.5 }]
        }],
        "TotalCount": null,
        "Percent": "42",
        "Box": true,
        "SomethingNew": {"ignored": true},
        "RequestId": "r-1"
    });
    let response: DescribeThingsResponse = serde_json::from_value(body).unwrap();
    assert_eq!(response.result.r#await, State::ThirdParty);
    assert!(response.result.r#await.is_third_party());
    assert_eq!(
        response.result.r#dyn.as_deref(),
        Some(&["a".to_owned(), "b".to_owned()][..])
    );
    assert_eq!(response.total_count, None);
    assert_eq!(response.percent_percent(), Some(42));
    assert_eq!(response.r#box, Some(true));
    let node = &response.items[0].src_info_multi.as_ref().unwrap()[0];
    assert_eq!(node.r#async, Some(0.5));
    let child: &Node = node.child.as_deref().unwrap();
    assert_eq!(child.super_.as_deref(), Some("deep"));
    assert_eq!(child.crate_, Some(7));
    assert_eq!(response.request_id, "r-1");

    let unknown: State = serde_json::from_value(serde_json::json!("archived")).unwrap();
    assert_eq!(unknown, State::Unknown("archived".to_owned()));
    assert_eq!(unknown.as_str(), "archived");
    assert_eq!(
        serde_json::to_value(&unknown).unwrap(),
        serde_json::json!("archived")
    );
    let level: Level = serde_json::from_value(serde_json::json!(9)).unwrap();
    assert_eq!(level, Level::Unknown(9));
    assert_eq!(level.value(), 9);
}

#[test]
fn a_member_of_the_wrong_type_fails_the_decoding_and_a_missing_one_defaults() {
    let err = serde_json::from_value::<DescribeThingsResponse>(serde_json::json!({
        "Items": "not a list", "RequestId": "r"
    }))
    .unwrap_err();
    assert!(err.to_string().contains("expected a sequence"), "{err}");
    // A required member that is missing takes its default rather than failing the answer.
    let response: DescribeThingsResponse =
        serde_json::from_value(serde_json::json!({ "RequestId": "r" })).unwrap();
    assert!(response.items.is_empty());
    assert_eq!(response.result.r#await, State::Unknown(String::new()));
}

#[test]
fn closed_enums_refuse_unlisted_values() {
    assert_eq!(Mode::try_from("fast").unwrap(), Mode::Fast);
    let err = Mode::try_from("medium").unwrap_err();
    assert_eq!(err.value(), "medium");
    assert!(err.to_string().contains("Mode"), "{err}");
    assert!(serde_json::from_value::<Mode>(serde_json::json!("medium")).is_err());
}

#[test]
fn error_codes_map_to_variants_and_back() {
    let cases = [
        (
            "ResourceNotFound.ThingNotExist",
            DescribeThingsError::ResourceNotFoundThingNotExist,
        ),
        (
            "InvalidParameterValue.Type",
            DescribeThingsError::InvalidParameterValueType,
        ),
        (
            "RequestLimitExceeded",
            DescribeThingsError::Common(CommonError::RequestLimitExceeded),
        ),
        (
            "AuthFailure.SignatureFailure",
            DescribeThingsError::Common(CommonError::AuthFailureSignatureFailure),
        ),
    ];
    for (code, variant) in cases {
        let kind = DescribeThingsError::from_code(code);
        assert_eq!(kind, variant);
        assert_eq!(kind.code(), code);
        assert_eq!(kind.to_string(), code);
    }
    // Actions that document no codes of their own answer with the service's enum.
    let unknown = <<Ping as Action>::Error as ErrorKind>::from_code("Brand.New");
    assert_eq!(unknown, Error::Unknown("Brand.New".to_owned()));
    assert_eq!(unknown.code(), "Brand.New");
}

#[test]
fn actions_carry_name_and_rate_limit() {
    assert_eq!(info::<DescribeThings>().name, "DescribeThings");
    assert_eq!(info::<DescribeThings>().rate_limit, Some(5));
    assert_eq!(info::<DescribeThings>().required, ["Type"]);
    assert!(info::<DescribeThings>().signed);
}

#[test]
fn members_named_like_builder_methods_get_a_trailing_underscore() {
    let request = DescribeThingsRequest::builder()
        .r#type("t")
        .new_("n")
        .build_("b")
        .since("2019-10-26 00:00:00")
        .build()
        .unwrap();
    assert_eq!(
        serde_json::to_value(&request).unwrap(),
        serde_json::json!({"Type": "t", "New": "n", "Build": "b", "Since": "2019-10-26 00:00:00"})
    );
}

#[test]
fn requests_read_back_from_json() {
    let json = serde_json::json!({"Type": "t", "Self": 4, "Match": ["fast"], "New": "n"});
    let request: DescribeThingsRequest = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(request.params().get("Self"), Some(&serde_json::json!(4)));
    assert_eq!(serde_json::to_value(&request).unwrap(), json);
}

#[test]
fn the_paginated_action_pages_with_the_members_the_spec_names() {
    assert_eq!(<DescribeThings as Paginated>::OFFSET, "Self");
    let page: DescribeThingsResponse = serde_json::from_value(serde_json::json!({
        "Result": {"Await": "a"},
        "Items": [{"Type": "x"}, {"Type": "y"}],
        "TotalCount": null,
        "RequestId": "r"
    }))
    .unwrap();
    assert_eq!(DescribeThings::page_len(&page), 2);
    // `TotalCount` is nullable here, so a page may not know the total.
    assert_eq!(DescribeThings::total_count(&page), None);
    let page: DescribeThingsResponse = serde_json::from_value(serde_json::json!({
        "Result": {"Await": "a"}, "Items": [], "TotalCount": 7, "RequestId": "r"
    }))
    .unwrap();
    assert_eq!(DescribeThings::total_count(&page), Some(7));
    assert!(DescribeThings::into_items(page).is_empty());
}

#[test]
fn sensitive_members_are_redacted_in_debug_output() {
    let call = DescribeThingsRequest::builder()
        .r#type("t")
        .secret("hunter2");
    let shown = format!("{call:?}");
    assert!(!shown.contains("hunter2"), "{shown}");
    assert!(shown.contains("\"Secret\": <redacted>"), "{shown}");

    let request = call.build().unwrap();
    for shown in [format!("{request:?}"), format!("{request:#?}")] {
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("<redacted>"), "{shown}");
        // The other members are shown as usual, under their wire names.
        assert!(shown.contains("\"Type\": String(\"t\")"), "{shown}");
    }
    // The secret is still sent.
    assert_eq!(
        serde_json::to_value(&request).unwrap()["Secret"],
        serde_json::json!("hunter2")
    );
}

#[test]
fn idempotency_comes_from_the_name_unless_the_spec_says() {
    // Read actions by name.
    assert!(info::<DescribeThings>().idempotent);
    // Not read actions: no prefix, or a prefix that is not a whole word.
    assert!(!info::<Ping>().idempotent);
    assert!(!info::<golden_compile::hostile::v20200101::CreateIPv6Addr>().idempotent);
    assert!(!info::<Getaway>().idempotent);
    // Marked in the spec, against the name.
    assert!(info::<CreateLabel>().idempotent);
    assert!(!info::<ListAndClearAlerts>().idempotent);

    let label = CreateLabelRequest::builder().name("l").build().unwrap();
    assert_eq!(label.client_token(), None);
    assert!(label.safe_to_repeat());
    let ping = PingRequest::builder().build().unwrap();
    assert!(!ping.safe_to_repeat());
    let addr = CreateIPv6AddrRequest::builder()
        .md5_sum("x")
        .build()
        .unwrap();
    assert!(!addr.safe_to_repeat());
}

#[test]
fn a_client_token_makes_a_request_safe_to_repeat() {
    let run = |token: Option<&str>| {
        let call = RunTaskRequest::builder().command("ls");
        match token {
            Some(token) => call.client_token(token),
            None => call,
        }
        .build()
        .unwrap()
    };
    let with_token = run(Some("t-1"));
    assert_eq!(with_token.client_token(), Some("t-1"));
    assert!(with_token.safe_to_repeat());
    let without = run(None);
    assert_eq!(without.client_token(), None);
    assert!(!without.safe_to_repeat());
    // An empty token deduplicates nothing.
    let empty = run(Some(""));
    assert_eq!(empty.client_token(), Some(""));
    assert!(!empty.safe_to_repeat());

    // A required token is always there.
    let getaway = GetawayRequest::builder()
        .client_token("t-2")
        .build()
        .unwrap();
    assert_eq!(getaway.client_token(), Some("t-2"));
    assert!(getaway.safe_to_repeat());

    // A `ClientToken` that is not a string is not a client token.
    let alerts = ListAndClearAlertsRequest::builder()
        .client_token(7)
        .build()
        .unwrap();
    assert_eq!(alerts.client_token(), None);
    assert!(!alerts.safe_to_repeat());
}

/// How the runtime sees an action, read through the trait as the runtime reads it.
fn info<A: Action>() -> ActionInfo {
    A::INFO
}
