//! A bad spec is refused with a message that names the file, the place and the fault, and
//! produces no code at all.

use serde_json::{Value, json};

const FILE: &str = "api-spec/demo/2021-01-01.json";

fn base() -> Value {
    json!({
        "service": "demo",
        "version": "2021-01-01",
        "title": "Demo",
        "host": "demo.tencentcloudapi.com",
        "description": "A service for tests.",
        "actions": [{
            "name": "DescribeJob",
            "summary": "Describes a job.",
            "input": [
                { "name": "JobId", "type": "string", "required": true, "description": "The job." }
            ],
            "output": [
                { "name": "Status", "type": "string", "required": true, "description": "State." }
            ],
            "errors": [{ "code": "ResourceNotFound.JobNotExist", "description": "No job." }]
        }],
        "structures": [{
            "name": "Tag",
            "description": "A tag.",
            "members": [{ "name": "Key", "type": "string", "description": "Key." }]
        }]
    })
}

/// Applies `edit` to the base spec and returns every message the loader gives.
fn errors_after(edit: impl FnOnce(&mut Value)) -> String {
    let mut spec = base();
    edit(&mut spec);
    match tencentcloud_codegen::parse(&spec.to_string(), FILE) {
        Ok(service) => panic!("the spec was accepted: {service:?}"),
        Err(errors) => errors.to_string(),
    }
}

fn assert_reports(message: &str, expected: &[&str]) {
    for part in expected {
        assert!(
            message.contains(part),
            "expected {part:?} in the message:\n{message}"
        );
    }
    assert!(
        message.starts_with(FILE),
        "the message must start with the file: {message}"
    );
}

#[test]
fn the_base_spec_is_valid() {
    let service = tencentcloud_codegen::parse(&base().to_string(), FILE).unwrap();
    assert_eq!(service.actions.len(), 1);
    assert!(tencentcloud_codegen::generate(&[service]).is_ok());
}

#[test]
fn unknown_type() {
    let message = errors_after(|s| s["actions"][0]["output"][0]["type"] = json!("strnig"));
    assert_reports(
        &message,
        &["action DescribeJob, output.Status", "unknown type `strnig`"],
    );
}

#[test]
fn unknown_structure_inside_a_list() {
    let message = errors_after(|s| {
        s["actions"][0]["input"].as_array_mut().unwrap().push(
            json!({"name": "Tags", "type": "list", "items": "TagFilter", "description": "Tags."}),
        )
    });
    assert_reports(
        &message,
        &["action DescribeJob, input.Tags", "unknown type `TagFilter`"],
    );
}

#[test]
fn missing_field() {
    let message = errors_after(|s| {
        s["actions"][0].as_object_mut().unwrap().remove("name");
    });
    assert_reports(&message, &["action [0]: missing field `name`"]);
    let message = errors_after(|s| {
        s["actions"][0]["input"][0]
            .as_object_mut()
            .unwrap()
            .remove("type");
    });
    assert_reports(
        &message,
        &["action DescribeJob, input.JobId: missing field `type`"],
    );
}

#[test]
fn prose_is_optional_so_that_a_spec_can_carry_facts_only() {
    let mut spec = base();
    for key in ["title", "description"] {
        spec.as_object_mut().unwrap().remove(key);
    }
    spec["actions"][0]
        .as_object_mut()
        .unwrap()
        .remove("summary");
    for list in ["input", "output"] {
        spec["actions"][0][list][0]
            .as_object_mut()
            .unwrap()
            .remove("description");
    }
    spec["structures"][0]
        .as_object_mut()
        .unwrap()
        .remove("description");
    let service = tencentcloud_codegen::parse(&spec.to_string(), FILE).unwrap();
    assert!(service.title.is_empty() && service.actions[0].summary.is_empty());
    assert!(tencentcloud_codegen::generate(&[service]).is_ok());
}

#[test]
fn misspelt_key() {
    let message = errors_after(|s| s["actions"][0]["input"][0]["requird"] = json!(true));
    assert_reports(
        &message,
        &["action DescribeJob, input.JobId.requird: unknown field `requird`"],
    );
}

#[test]
fn duplicate_member() {
    let message = errors_after(|s| {
        let input = s["actions"][0]["input"].as_array_mut().unwrap();
        input.push(json!({"name": "JobId", "type": "string", "description": "Again."}));
    });
    assert_reports(
        &message,
        &["action DescribeJob, input.JobId: the member is defined twice"],
    );
}

#[test]
fn members_with_the_same_rust_name_are_numbered_in_spec_order() {
    let mut spec = base();
    let input = spec["actions"][0]["input"].as_array_mut().unwrap();
    input.push(json!({"name": "JobID", "type": "string"}));
    input.push(json!({"name": "Job_Id", "type": "string"}));
    let output = spec["actions"][0]["output"].as_array_mut().unwrap();
    // Every answer has a `request_id` field for its RequestId.
    output.push(json!({"name": "RequestID", "type": "string"}));
    let service = tencentcloud_codegen::parse(&spec.to_string(), FILE).unwrap();
    let names = |fields: &[tencentcloud_codegen::model::Field]| {
        fields
            .iter()
            .map(|f| (f.wire.clone(), f.snake.clone()))
            .collect::<Vec<_>>()
    };
    let pairs = |list: &[(&str, &str)]| {
        list.iter()
            .map(|(w, s)| ((*w).to_owned(), (*s).to_owned()))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        names(&service.actions[0].input),
        pairs(&[
            ("JobId", "job_id"),
            ("JobID", "job_id_2"),
            ("Job_Id", "job_id_3")
        ])
    );
    assert_eq!(
        names(&service.actions[0].output),
        pairs(&[("Status", "status"), ("RequestID", "request_id_2")])
    );
}

#[test]
fn bad_enum_values() {
    let message = errors_after(|s| {
        s["actions"][0]["output"][0]["enum"] = json!({
            "name": "JobStatus",
            "values": [
                {"value": 1, "description": "A number in a string enum."},
                {"value": "3rd", "description": "No identifier can be derived."},
                {"value": "ok", "description": "Fine."},
                {"value": "ok", "description": "Twice."}
            ]
        })
    });
    assert_reports(
        &message,
        &[
            "output.Status, enum JobStatus, value 1: the value must be a string",
            "value \"3rd\": the variant name `3rd` is not a PascalCase identifier",
            "value \"ok\": the variant name `Ok` is used twice",
        ],
    );
}

#[test]
fn integer_enum_values_need_names_and_closed_enums_stay_out_of_responses() {
    let message = errors_after(|s| {
        let output = s["actions"][0]["output"].as_array_mut().unwrap();
        output.push(json!({
            "name": "Flag", "type": "integer", "description": "A flag.",
            "enum": {"name": "Flag", "values": [{"value": 1, "description": "One."}]}
        }));
        output.push(json!({
            "name": "Mode", "type": "string", "description": "A mode.",
            "enum": {"name": "Mode", "open": false, "values": [{"value": "a", "description": "A."}]}
        }));
    });
    assert_reports(
        &message,
        &[
            "output.Flag, enum Flag, value 1: integer values need a `name`",
            "output.Mode, enum Mode: a closed enum would fail a whole response",
        ],
    );
}

#[test]
fn one_enum_name_with_two_definitions() {
    let message = errors_after(|s| {
        let output = s["actions"][0]["output"].as_array_mut().unwrap();
        for (name, value) in [("A", "x"), ("B", "y")] {
            output.push(json!({
                "name": name, "type": "string", "description": "Kind.",
                "enum": {"name": "Kind", "values": [{"value": value, "description": "V."}]}
            }));
        }
    });
    assert_reports(
        &message,
        &["output.B, enum Kind", "is defined differently at"],
    );
}

#[test]
fn request_id_is_implicit() {
    let message = errors_after(|s| {
        s["actions"][0]["output"]
            .as_array_mut()
            .unwrap()
            .push(json!({"name": "RequestId", "type": "string", "description": "Id."}))
    });
    assert_reports(&message, &["output.RequestId", "part of every response"]);
}

#[test]
fn names_that_would_clash_in_rust() {
    let message = errors_after(|s| {
        s["structures"].as_array_mut().unwrap().push(json!({
            "name": "DescribeJobResponse", "description": "Clashes.", "members": []
        }));
        s["actions"]
            .as_array_mut()
            .unwrap()
            .push(json!({"name": "New", "summary": "Clashes with Client::new."}));
    });
    assert_reports(
        &message,
        &[
            "the generated type `DescribeJobResponse` clashes with structure DescribeJobResponse",
            "action New: its method and module name `new` is reserved",
        ],
    );
}

#[test]
fn bad_header_fields() {
    let message = errors_after(|s| {
        s["service"] = json!("Demo Service");
        s["version"] = json!("2021-1-1");
        s["host"] = json!("demo.example.com");
    });
    assert_reports(
        &message,
        &[
            "service: `Demo Service` must be lowercase",
            "version: `2021-1-1` is not a date",
            "host: `demo.example.com` must be `<prefix>.tencentcloudapi.com`",
        ],
    );
}

#[test]
fn bad_and_duplicate_error_codes() {
    let message = errors_after(|s| {
        let errors = s["actions"][0]["errors"].as_array_mut().unwrap();
        errors.push(json!({"code": "ResourceNotFound.JobNotExist", "description": "Twice."}));
        errors.push(json!({"code": "Bad Code!", "description": "Spaces."}));
        errors.push(json!({"code": "ResourceNotFoundJobNotExist", "description": "Same variant."}));
        errors.push(json!({"code": "Common", "description": "Reserved."}));
        errors.push(json!({"code": "Unknown", "description": "Reserved."}));
    });
    assert_reports(
        &message,
        &[
            "errors.ResourceNotFound.JobNotExist: the error code is listed twice",
            "errors.Bad Code!: an error code is ASCII letters",
        ],
    );
}

#[test]
fn error_codes_that_join_to_one_variant_name_are_numbered() {
    let mut spec = base();
    let errors = spec["actions"][0]["errors"].as_array_mut().unwrap();
    errors.push(json!({"code": "ResourceNotFoundJobNotExist"}));
    errors.push(json!({"code": "Common"}));
    errors.push(json!({"code": "Unknown"}));
    let service = tencentcloud_codegen::parse(&spec.to_string(), FILE).unwrap();
    let variants: Vec<(&str, &str)> = service.actions[0]
        .errors
        .iter()
        .map(|e| (e.code.as_str(), e.variant.as_str()))
        .collect();
    assert_eq!(
        variants,
        [
            (
                "ResourceNotFound.JobNotExist",
                "ResourceNotFoundJobNotExist"
            ),
            (
                "ResourceNotFoundJobNotExist",
                "ResourceNotFoundJobNotExist2"
            ),
            ("Common", "Common2"),
            ("Unknown", "Unknown2"),
        ]
    );
}

#[test]
fn examples_must_fit_the_types() {
    let message = errors_after(|s| {
        s["actions"][0]["examples"] = json!([{
            "title": "Wrong",
            "input": {"JobId": 5, "Nope": 1},
            "output": {"Response": {"Status": 3, "RequestId": "r"}}
        }, {
            "title": "No Response",
            "input": {},
            "output": {"Status": "x"}
        }]);
    });
    assert_reports(
        &message,
        &[
            "action DescribeJob, examples[0]: input.JobId must be a string, found 5",
            "examples[0]: input.Nope is not a member",
            "examples[0]: output.Response.Status must be a string, found 3",
            "examples[1]: output must be an object with a `Response` member",
        ],
    );
}

#[test]
fn bad_structure_and_list_declarations() {
    let message = errors_after(|s| {
        s["structures"].as_array_mut().unwrap().push(json!({
            "name": "Tag", "description": "Twice.", "members": []
        }));
        s["structures"].as_array_mut().unwrap().push(json!({
            "name": "lowercase", "description": "Bad name.", "members": []
        }));
        s["structures"][0]["members"]
            .as_array_mut()
            .unwrap()
            .push(json!({
                "name": "Values", "type": "list", "description": "No items."
            }));
    });
    assert_reports(
        &message,
        &[
            "structure Tag: the structure is defined twice",
            "structure lowercase: the name must be a PascalCase identifier",
            "structure Tag.Values: a `list` needs `items`",
        ],
    );
}

#[test]
fn format_errors_inside_structures_and_enums_are_named_too() {
    let message = errors_after(|s| s["structures"][0]["members"][0]["type"] = json!(5));
    assert_reports(
        &message,
        &["structure Tag.Key.type: invalid type: integer `5`"],
    );
    let message = errors_after(|s| {
        s["actions"][0]["output"][0]["enum"] = json!({"name": "S", "values": [{"value": "a"}]})
    });
    assert_reports(
        &message,
        &["action DescribeJob, output.Status.enum.values[0]: missing field `description`"],
    );
}

#[test]
fn not_json_at_all() {
    let errors = tencentcloud_codegen::parse("{\"service\": ", FILE).unwrap_err();
    assert!(errors.to_string().starts_with(FILE), "{errors}");
}

#[test]
fn pagination_must_name_fitting_members() {
    let message = errors_after(|s| {
        let action = &mut s["actions"][0];
        action["input"]
            .as_array_mut()
            .unwrap()
            .push(json!({"name": "Limit", "type": "string", "description": "Not a number."}));
        action["pagination"] = json!({
            "offset": "Offset", "limit": "Limit", "items": "Status", "totalCount": "Total"
        });
    });
    assert_reports(
        &message,
        &[
            "action DescribeJob, pagination.offset: `Offset` is not an input member",
            "action DescribeJob, pagination.totalCount: `Total` is not an output member",
        ],
    );

    let message = errors_after(|s| {
        let action = &mut s["actions"][0];
        action["input"].as_array_mut().unwrap().extend([
            json!({"name": "Offset", "type": "unsigned", "description": "Offset."}),
            json!({"name": "Limit", "type": "string", "description": "Not a number."}),
        ]);
        action["output"]
            .as_array_mut()
            .unwrap()
            .push(json!({"name": "TotalCount", "type": "integer", "description": "Total."}));
        action["pagination"] = json!({
            "offset": "Offset", "limit": "Limit", "items": "Status", "totalCount": "TotalCount"
        });
    });
    assert_reports(
        &message,
        &[
            "action DescribeJob, pagination.limit: `Limit` must be an integer or unsigned member",
            "action DescribeJob, pagination.items: `Status` must be a list",
        ],
    );
}

#[test]
fn formats_apply_to_strings_only() {
    let message = errors_after(|s| {
        s["actions"][0]["input"]
            .as_array_mut()
            .unwrap()
            .push(json!({
                "name": "Since", "type": "integer", "format": "datetime", "description": "When."
            }));
        s["actions"][0]["output"][0]["format"] = json!("weekday");
    });
    assert_reports(
        &message,
        &[
            "action DescribeJob, input.Since: format `datetime` applies to string members only",
            "action DescribeJob, output.Status: unknown format `weekday` (known: `percent`, `datetime`, `datetime_iso`, `date`)",
        ],
    );
}

#[test]
fn only_strings_can_be_sensitive() {
    let message = errors_after(|s| {
        s["actions"][0]["input"]
            .as_array_mut()
            .unwrap()
            .push(json!({
                "name": "Pin", "type": "integer", "sensitive": true, "description": "A number."
            }));
    });
    assert_reports(
        &message,
        &["action DescribeJob, input.Pin: `sensitive` applies to string members only"],
    );
}

#[test]
fn idempotent_must_be_a_boolean() {
    let message = errors_after(|s| s["actions"][0]["idempotent"] = json!("yes"));
    assert_reports(
        &message,
        &["action DescribeJob.idempotent: invalid type: string \"yes\", expected a boolean"],
    );
    // Written, the key must hold a value: `null` does not mean "inferred".
    let message = errors_after(|s| s["actions"][0]["idempotent"] = Value::Null);
    assert_reports(
        &message,
        &["action DescribeJob.idempotent: invalid type: null, expected a boolean"],
    );
}
