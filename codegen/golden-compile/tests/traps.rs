//! Names that Rust cannot take as they are, mapped deterministically while the wire keeps its
//! own: the `as` service, members that collide in snake_case, keywords, structures named like
//! standard types and structures that contain themselves.

use golden_compile::r#as::v20240601::{
    self as service, AssumeTrap, Config, DescribeTrapsRequest, DescribeTrapsResponse, Duration,
    Error, Tree, UploadTrap, Value,
};
use tencentcloud_sdk::CommonError;
use tencentcloud_sdk::runtime::{Action, ActionInfo, ErrorKind};

#[test]
fn a_service_named_like_a_keyword_keeps_its_name_on_the_wire() {
    assert_eq!(service::SERVICE.name(), "as");
    assert_eq!(service::SERVICE.endpoint_prefix(), "as");
}

#[test]
fn members_that_collide_in_snake_case_get_numbered_names_and_keep_their_wire_names() {
    let request = DescribeTrapsRequest::builder()
        .uui("a")
        .uui_2("b")
        .public_ip("1.2.3.4")
        .public_ip_2(["5.6.7.8"])
        .r#type("t")
        .r#enum(1)
        .r#match(true)
        .r#override(0.5)
        .r#mod(7)
        .params_("p")
        .build()
        .unwrap();
    assert_eq!(
        serde_json::to_value(&request).unwrap(),
        serde_json::json!({
            "UUI": "a", "Uui": "b", "PublicIP": "1.2.3.4", "PublicIp": ["5.6.7.8"],
            "Type": "t", "Enum": 1, "Match": true, "Override": 0.5, "Mod": 7, "Params": "p"
        })
    );
}

#[test]
fn structures_named_like_standard_types_build_and_serialize() {
    let inner = service::Box::builder().self_("inner").build().unwrap();
    let config = Config::builder()
        .back(inner)
        .request_id("upper")
        .request_id_2("camel")
        .build()
        .unwrap();
    let outer = service::Box::builder()
        .self_("outer")
        .crate_(3)
        .left(config)
        .build()
        .unwrap();
    let request = DescribeTrapsRequest::builder()
        .uui("u")
        .r#ref(outer)
        .r#async([Config::builder().request_id("x").build().unwrap()])
        .build()
        .unwrap();
    assert_eq!(
        serde_json::to_value(&request).unwrap(),
        serde_json::json!({
            "UUI": "u",
            "Ref": {
                "Self": "outer", "Crate": 3,
                "Left": { "Back": { "Self": "inner" }, "RequestID": "upper", "RequestId": "camel" }
            },
            "Async": [{ "RequestID": "x" }]
        })
    );
    // A required member of a structure is checked when it is built.
    let err = service::Box::builder().crate_(1).build().unwrap_err();
    assert_eq!((err.structure(), err.member()), ("Box", "Self"));
}

#[test]
fn answers_decode_into_structures_that_contain_themselves() {
    let answer: DescribeTrapsResponse = serde_json::from_value(serde_json::json!({
        "RequestID": "member",
        "RequestId": "envelope",
        "Value": { "Option": "o", "Result": 2, "Vec": [{ "Seconds": 5, "Ref": "r" }] },
        "Durations": [{ "Seconds": 1 }],
        "Tree": {
            "Name": "root",
            "Children": [{ "Name": "leaf", "Children": [] }],
            "Parent": { "Name": "up", "Children": [] }
        },
        "TotalCount": 1
    }))
    .unwrap();
    assert_eq!(answer.request_id_2, "member");
    assert_eq!(answer.request_id, "envelope");
    let value: &Value = &answer.value;
    assert_eq!(value.option.as_deref(), Some("o"));
    assert_eq!(value.result, Some(2));
    let seconds: Vec<u64> = value
        .vec
        .iter()
        .flatten()
        .map(|d: &Duration| d.seconds)
        .collect();
    assert_eq!(seconds, [5]);
    let tree: &Tree = answer.tree.as_ref().unwrap();
    assert_eq!(tree.children[0].name, "leaf");
    assert_eq!(tree.parent.as_ref().unwrap().name, "up");
}

#[test]
fn error_codes_that_join_to_one_name_are_numbered() {
    for (code, variant) in [
        ("FailedOperation.IPv6", Error::FailedOperationIpv6),
        ("FailedOperation.Ipv6", Error::FailedOperationIpv62),
        ("Unknown", Error::Unknown2),
        ("InternalError", Error::Common(CommonError::InternalError)),
    ] {
        let kind = Error::from_code(code);
        assert_eq!(kind, variant);
        assert_eq!(kind.code(), code);
    }
    assert_eq!(
        Error::from_code("Brand.New"),
        Error::Unknown("Brand.New".to_owned())
    );
}

#[test]
fn uploads_and_unsigned_actions_are_marked() {
    assert!(info::<UploadTrap>().multipart);
    assert!(info::<UploadTrap>().signed);
    assert!(!info::<AssumeTrap>().signed);
    assert_eq!(info::<AssumeTrap>().required, ["Token"]);
}

/// How the runtime sees an action, read through the trait as the runtime reads it.
fn info<A: Action>() -> ActionInfo {
    A::INFO
}
