//! `cargo xtask import-tccli`: the reference tccli files of DTS imported and checked member by
//! member, the generated code of both imports compiled, broken and mutated input, and the
//! command end to end.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Instant;

use serde_json::{Value, json};
use tencentcloud_codegen::spec::{MemberSpec, SpecFile};
use tencentcloud_codegen::tccli::{self, Import, Source, WarningKind};

fn root() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    here.parent().unwrap_or(here).to_path_buf()
}

fn reference_dir(lang: &str) -> PathBuf {
    root()
        .join("../shared/reference")
        .join(format!("tccli-dts-v20180330-{lang}"))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

/// A reference import: the raw api.json and what the importer made of it.
struct Reference {
    raw: Value,
    import: Import,
}

fn import_reference(lang: &str) -> Reference {
    let dir = reference_dir(lang);
    let api = read(&dir.join("api.json"));
    let examples = read(&dir.join("examples.json"));
    let api_name = format!("tccli-dts-v20180330-{lang}/api.json");
    let examples_name = format!("tccli-dts-v20180330-{lang}/examples.json");
    let import = tccli::import(
        Source {
            display: &api_name,
            text: &api,
        },
        Some(Source {
            display: &examples_name,
            text: &examples,
        }),
        None,
    )
    .unwrap_or_else(|err| panic!("{lang}: {err}"));
    let raw = serde_json::from_str(&api).unwrap_or_else(|err| panic!("{lang}: {err}"));
    Reference { raw, import }
}

/// The spec type, items and format a tccli type maps to, written out independently of the
/// importer.
fn expected_type(ty: &str, member: &str) -> (String, Option<String>, Option<String>) {
    let scalar = |m: &str| match m {
        "string" | "datetime" => "string".to_owned(),
        "int64" => "integer".to_owned(),
        "uint64" => "unsigned".to_owned(),
        "float" => "float".to_owned(),
        "bool" => "boolean".to_owned(),
        object => object.to_owned(),
    };
    match ty {
        "list" => ("list".to_owned(), Some(scalar(member)), None),
        _ if member == "datetime" => ("string".to_owned(), None, Some("datetime".to_owned())),
        _ => (scalar(member), None, None),
    }
}

fn flag(value: &Value, key: &str) -> bool {
    value[key].as_bool().unwrap_or(false)
}

/// Compares converted members with the tccli members; `rule` gives `(required, nullable)`.
fn assert_members(
    context: &str,
    raw: &[Value],
    converted: &[MemberSpec],
    rule: impl Fn(&Value) -> (bool, bool),
    learned: &BTreeSet<String>,
) {
    let raw: Vec<&Value> = raw.iter().filter(|m| m["name"] != "RequestId").collect();
    let names: Vec<&str> = raw.iter().map(|m| m["name"].as_str().unwrap()).collect();
    let converted_names: Vec<&str> = converted.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(names, converted_names, "{context}");
    for (raw, member) in raw.iter().zip(converted) {
        let at = format!("{context}.{}", member.name);
        let (ty, items, format) = expected_type(
            raw["type"].as_str().unwrap(),
            raw["member"].as_str().unwrap(),
        );
        assert_eq!(
            (&member.ty, &member.items, &member.format),
            (&ty, &items, &format),
            "{at}"
        );
        let (required, mut nullable) = rule(raw);
        // Members an example answer shows as null are made nullable, and say so.
        let place = at.split_once(": ").map_or(at.as_str(), |(_, place)| place);
        if learned.contains(place) {
            nullable = true;
        }
        assert_eq!(
            (member.required, member.nullable),
            (required, nullable),
            "{at}"
        );
        assert_eq!(
            member.description,
            raw["document"].as_str().unwrap().trim(),
            "{at}"
        );
    }
}

fn input_rule(m: &Value) -> (bool, bool) {
    (flag(m, "required"), false)
}

fn output_rule(m: &Value) -> (bool, bool) {
    let null = flag(m, "value_allowed_null");
    (flag(m, "output_required") && !null, null)
}

fn usage_rule(usage: &str) -> impl Fn(&Value) -> (bool, bool) {
    move |m| {
        let null = flag(m, "value_allowed_null");
        match usage {
            "in" => (flag(m, "required"), false),
            "out" => (flag(m, "output_required") && !null, null),
            _ => (
                flag(m, "required") && flag(m, "output_required") && !null,
                null,
            ),
        }
    }
}

fn messages(import: &Import) -> Vec<String> {
    import.warnings.iter().map(ToString::to_string).collect()
}

fn count(import: &Import, kind: WarningKind) -> usize {
    import.warnings.iter().filter(|w| w.kind == kind).count()
}

fn assert_warned(import: &Import, expected: &str) {
    let all = messages(import);
    assert!(
        all.iter().any(|m| m.contains(expected)),
        "no warning contains {expected:?}; got:\n{}",
        all.join("\n")
    );
}

#[test]
fn reference_imports_keep_every_action_member_and_structure() {
    for (lang, action_count) in [("en", 21), ("zh", 22)] {
        let Reference { raw, import } = import_reference(lang);
        let spec = &import.spec;
        let actions = raw["actions"].as_object().unwrap();
        let objects = raw["objects"].as_object().unwrap();
        assert_eq!(spec.actions.len(), action_count, "{lang}");
        assert_eq!(actions.len(), action_count, "{lang}");
        assert_eq!(
            (spec.service.as_str(), spec.version.as_str()),
            ("dts", "2018-03-30")
        );
        assert_eq!(spec.host, "dts.tencentcloudapi.com");
        let learned: BTreeSet<String> = import
            .warnings
            .iter()
            .filter(|w| w.kind == WarningKind::NullInExample)
            .map(|w| w.location.clone())
            .collect();

        let mut io = Vec::new();
        for (name, action) in actions {
            let converted = spec
                .actions
                .iter()
                .find(|a| &a.name == name)
                .unwrap_or_else(|| panic!("{lang}: action {name} is missing"));
            let input = action["input"].as_str().unwrap();
            let output = action["output"].as_str().unwrap();
            io.extend([input, output]);
            let members = |object: &str| objects[object]["members"].as_array().unwrap().clone();
            let context = format!("{lang}: action {name}");
            assert_members(
                &format!("{context}, input"),
                &members(input),
                &converted.input,
                input_rule,
                &learned,
            );
            assert_members(
                &format!("{context}, output"),
                &members(output),
                &converted.output,
                output_rule,
                &learned,
            );
            assert_eq!(
                converted.summary,
                action["name"].as_str().unwrap().trim(),
                "{context}"
            );
        }

        let structures: Vec<&String> = objects
            .keys()
            .filter(|k| !io.contains(&k.as_str()))
            .collect();
        assert_eq!(spec.structures.len(), 13, "{lang}");
        assert_eq!(spec.structures.len(), structures.len(), "{lang}");
        for name in structures {
            let object = &objects[name.as_str()];
            let converted = spec
                .structures
                .iter()
                .find(|s| &s.name == name)
                .unwrap_or_else(|| panic!("{lang}: structure {name} is missing"));
            assert_members(
                &format!("{lang}: structure {name}"),
                object["members"].as_array().unwrap(),
                &converted.members,
                usage_rule(object["usage"].as_str().unwrap()),
                &learned,
            );
        }
        assert_every_type_is_defined(spec, lang);
        // Secrets are recognised by name, and only they.
        let mut sensitive: Vec<String> = spec
            .structures
            .iter()
            .flat_map(|s| s.members.iter().map(move |m| (s, m)))
            .filter(|(_, m)| m.sensitive)
            .map(|(s, m)| format!("{}.{}", s.name, m.name))
            .collect();
        sensitive.sort();
        assert_eq!(
            sensitive,
            ["DstInfo.Password", "SrcInfo.AccessKey", "SrcInfo.Password"],
            "{lang}"
        );
        tencentcloud_codegen::parse(&import.json, "imported.json")
            .unwrap_or_else(|err| panic!("{lang}: {err}"));
    }
}

fn assert_every_type_is_defined(spec: &SpecFile, lang: &str) {
    let scalars = ["string", "integer", "unsigned", "float", "boolean", "list"];
    let members = spec
        .actions
        .iter()
        .flat_map(|a| a.input.iter().chain(&a.output))
        .chain(spec.structures.iter().flat_map(|s| &s.members));
    for member in members {
        for ty in std::iter::once(&member.ty).chain(&member.items) {
            assert!(
                scalars.contains(&ty.as_str()) || spec.structures.iter().any(|s| &s.name == ty),
                "{lang}: {}: type {ty} is not defined",
                member.name
            );
        }
    }
}

#[test]
fn reference_examples_are_typed_kept_or_reported() {
    let en = import_reference("en");
    let en = &en.import;
    assert_eq!((en.examples_kept(), en.examples_dropped()), (21, 3));
    assert_warned(
        en,
        "tccli-dts-v20180330-en/examples.json: action DescribeMigrateCheckJob, example \"Getting the migration check result - 2\": output is not JSON",
    );
    assert_warned(
        en,
        "tccli-dts-v20180330-en/examples.json: action ModifySubscribeVipVport, example \"Modifying the IP and port number of data subscription instance\": input.DstVip is not a member",
    );
    assert_warned(
        en,
        "tccli-dts-v20180330-en/examples.json: action DescribeAsyncRequestInfo, example \"Querying task execution result\": output.Response has no string `RequestId`",
    );
    // tccli does not mark TableNames nullable, but the example answer holds null for it.
    assert_warned(
        en,
        "tccli-dts-v20180330-en/examples.json: structure SubscribeObject.TableNames: made nullable: the answer of action DescribeSubscribeConf, example \"Viewing subscription configuration details\" holds null for it",
    );
    assert_eq!(count(en, WarningKind::NullInExample), 1);

    let zh = import_reference("zh");
    let zh = &zh.import;
    assert_eq!((zh.examples_kept(), zh.examples_dropped()), (25, 0));
    assert_eq!(count(zh, WarningKind::NullInExample), 0);
    assert_warned(
        zh,
        "tccli-dts-v20180330-zh/examples.json: action ModifySubscribeVipVport, example \"修改数据订阅实例的IP和端口号\": the request names action `ModifySubscribeName`, not ModifySubscribeVipVport",
    );

    for (import, example_defects) in [(en, 0), (zh, 1)] {
        assert_eq!(count(import, WarningKind::DisabledMember), 2);
        assert_warned(
            import,
            "api.json: structure DstInfo.Ip: tccli marks the member disabled",
        );
        assert_eq!(count(import, WarningKind::MemberExample), 30);
        assert_warned(
            import,
            "api.json: action DescribeMigrateJobs, input.TagFilters: example `无` is not a list of TagFilter objects",
        );
        assert_eq!(count(import, WarningKind::ExampleDefect), example_defects);
        let expected = 2
            + 30
            + import.examples_dropped()
            + example_defects
            + count(import, WarningKind::NullInExample);
        assert_eq!(
            import.warnings.len(),
            expected,
            "{}",
            messages(import).join("\n")
        );
    }

    // Query parameters become typed, nested values; stray spaces are trimmed.
    let example = |import: &Import, action: &str| {
        let action = import
            .spec
            .actions
            .iter()
            .find(|a| a.name == action)
            .unwrap();
        Value::Object(action.examples[0].input.clone())
    };
    assert_eq!(
        example(zh, "ModifyMigrateJob"),
        json!({
            "JobId": "dts-1kl0iy0v",
            "JobName": "userdts",
            "DatabaseInfo": "[{\"Database\":\"test\",\"Table\":[\"user\",\"log\"]}]",
            "MigrateOption": {"RunMode": 1, "MigrateType": 2, "MigrateObject": 2, "ConsistencyType": 5, "IsOverrideRoot": 0},
            "DstInfo": {"ReadOnly": 0, "Region": "ap-guangzhou"},
            "SrcInfo": {"Supplier": "others"}
        })
    );
    assert_eq!(
        example(en, "DescribeSubscribes"),
        json!({"Status": ["isolate"], "Offset": 0, "Limit": 1})
    );
    let paginated: Vec<(&str, &str)> = en
        .spec
        .actions
        .iter()
        .filter_map(|a| {
            a.pagination
                .as_ref()
                .map(|p| (a.name.as_str(), p.items.as_str()))
        })
        .collect();
    assert_eq!(
        paginated,
        [
            ("DescribeMigrateJobs", "JobList"),
            ("DescribeSubscribes", "Items")
        ]
    );
}

#[test]
fn generated_code_of_both_imports_compiles() {
    let started = Instant::now();
    let dir = root().join("target/import-check");
    let krate = dir.join("crate");
    let _ = std::fs::remove_dir_all(krate.join("gen"));
    std::fs::create_dir_all(krate.join("src")).unwrap();
    let mut lib = String::from(
        "//! The DTS service imported from both reference tccli descriptions, compiled with every\n//! warning denied.\n#![deny(warnings)]\n",
    );
    for lang in ["en", "zh"] {
        let Reference { import, .. } = import_reference(lang);
        let service =
            tencentcloud_codegen::parse(&import.json, &format!("api-spec/dts/{lang}.json"))
                .unwrap_or_else(|err| panic!("{lang}: {err}"));
        let files = tencentcloud_codegen::generate(&[service]).unwrap();
        for (path, text) in files {
            let target = krate.join("gen").join(lang).join(path);
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            std::fs::write(&target, text).unwrap();
        }
        lib.push_str(&format!(
            "\n/// DTS from the {lang} description.\n#[rustfmt::skip]\n#[path = \"../gen/{lang}/dts/mod.rs\"]\npub mod {lang};\n"
        ));
    }
    std::fs::write(krate.join("src/lib.rs"), lib).unwrap();
    let sdk = root().join("sdk");
    std::fs::write(
        krate.join("Cargo.toml"),
        format!(
            "[package]\nname = \"import-check\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
             # Not part of the project's workspace.\n[workspace]\n\n\
             # Generated code reads the feature of the crate that holds it, as the SDK does.\n\
             [features]\ndefault = [\"full-serde\"]\nfull-serde = [\"tencentcloud-sdk/full-serde\"]\n\n\
             [dependencies]\nserde = {{ version = \"1\", features = [\"derive\"] }}\n\
             tencentcloud-sdk = {{ path = {:?}, default-features = false }}\n",
            sdk.display().to_string()
        ),
    )
    .unwrap();
    std::fs::copy(root().join("Cargo.lock"), krate.join("Cargo.lock")).unwrap();

    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let compile = Instant::now();
    let output = Command::new(cargo)
        .args(["check", "--offline", "--quiet"])
        .current_dir(&krate)
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "the generated code does not compile:\n{}",
        stderr(&output)
    );
    eprintln!(
        "import + generate {:?}, cargo check {:?}",
        compile - started,
        compile.elapsed()
    );
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

// ---------------------------------------------------------------------------------------------
// Broken input

fn member(name: &str, ty: &str, inner: &str, extra: Value) -> Value {
    let mut m = json!({"name": name, "type": ty, "member": inner, "document": format!("The {name}."), "disabled": false});
    if let (Some(m), Some(extra)) = (m.as_object_mut(), extra.as_object()) {
        m.extend(extra.clone());
    }
    m
}

/// A small service: one paginated action, an input-only and a two-way structure.
fn small_api() -> Value {
    let out = |required: bool, nullable: bool| json!({"output_required": required, "value_allowed_null": nullable});
    json!({
        "actions": {
            "DescribeThings": {
                "document": "Lists things. Pages.", "name": "Lists things",
                "input": "DescribeThingsRequest", "output": "DescribeThingsResponse", "status": "online"
            }
        },
        "objects": {
            "DescribeThingsRequest": {"document": "Request.", "type": "object", "members": [
                member("Offset", "int", "int64", json!({"required": false, "example": "0"})),
                member("Limit", "int", "int64", json!({"required": false, "example": "无"})),
                member("Filter", "object", "Filter", json!({"required": true, "example": "{\"Name\":\"n\"}"}))
            ]},
            "DescribeThingsResponse": {"document": "Response.", "type": "object", "members": [
                member("TotalCount", "int", "uint64", out(true, false)),
                member("Things", "list", "Thing", out(true, true)),
                member("RequestId", "string", "string", json!({}))
            ]},
            "Filter": {"document": "A filter.", "type": "object", "usage": "in", "members": [
                member("Name", "string", "string", json!({"required": true}))
            ]},
            "Thing": {"document": "A thing.", "type": "object", "usage": "both", "members": [
                member("Id", "string", "string", json!({"required": true, "output_required": true, "value_allowed_null": false})),
                member("Size", "float", "float", json!({"required": false, "output_required": true, "value_allowed_null": true, "example": "1.5"}))
            ]}
        },
        "metadata": {"apiVersion": "2020-01-01", "serviceShortName": "thing", "serviceNameCN": "Things"},
        "version": "1.0"
    })
}

fn run_import(api: &Value, examples: Option<&Value>) -> Result<Import, String> {
    let api = api.to_string();
    let examples = examples.map(Value::to_string);
    tccli::import(
        Source {
            display: "api.json",
            text: &api,
        },
        examples.as_deref().map(|text| Source {
            display: "examples.json",
            text,
        }),
        None,
    )
    .map_err(|err| err.to_string())
}

#[test]
fn a_small_service_imports_with_the_documented_mapping() {
    let import = run_import(&small_api(), None).unwrap();
    let spec = &import.spec;
    let action = &spec.actions[0];
    assert_eq!(action.summary, "Lists things");
    let pagination = action.pagination.as_ref().unwrap();
    assert_eq!(
        (pagination.items.as_str(), pagination.total_count.as_str()),
        ("Things", "TotalCount")
    );
    assert_eq!(action.input[0].example, Some(json!(0)));
    assert_eq!(action.input[1].example, None);
    assert_eq!(action.input[2].example, Some(json!({"Name": "n"})));
    assert_eq!(action.output.len(), 2, "RequestId is left out");
    assert!(
        action.output[1].nullable && !action.output[1].required,
        "{:?}",
        action.output
    );
    let thing = spec.structures.iter().find(|s| s.name == "Thing").unwrap();
    assert_eq!(thing.members[1].example, Some(json!(1.5)));
    assert!(thing.members[0].required && thing.members[1].nullable);
    assert_eq!(spec.title, "Things");
    let api = small_api().to_string();
    let titled = tccli::import(
        Source {
            display: "api.json",
            text: &api,
        },
        None,
        Some("Thing Service"),
    )
    .unwrap();
    assert_eq!(titled.spec.title, "Thing Service");
    assert!(spec.description.contains("tccli"));
    assert_warned(
        &import,
        "api.json: action DescribeThings, input.Limit: example `无` is not an integer; the example is left out",
    );
    tencentcloud_codegen::parse(&import.json, "thing.json").unwrap();
}

#[test]
fn text_that_is_not_json_is_an_error() {
    let err = tccli::import(
        Source {
            display: "api.json",
            text: "{\"actions\": ",
        },
        None,
        None,
    )
    .unwrap_err()
    .to_string();
    assert!(err.starts_with("api.json: not JSON"), "{err}");

    let api = small_api().to_string();
    let err = tccli::import(
        Source {
            display: "api.json",
            text: &api,
        },
        Some(Source {
            display: "examples.json",
            text: "not json",
        }),
        None,
    )
    .unwrap_err()
    .to_string();
    assert!(err.starts_with("examples.json: not JSON"), "{err}");
}

#[test]
fn an_action_whose_input_object_is_missing_is_an_error() {
    let mut api = small_api();
    api["objects"]
        .as_object_mut()
        .unwrap()
        .remove("DescribeThingsRequest");
    let err = run_import(&api, None).unwrap_err();
    assert_eq!(
        err,
        "api.json: action DescribeThings: the input object `DescribeThingsRequest` is not defined"
    );

    let mut api = small_api();
    api["metadata"]
        .as_object_mut()
        .unwrap()
        .remove("serviceShortName");
    api["actions"]["DescribeThings"]
        .as_object_mut()
        .unwrap()
        .remove("output");
    let err = run_import(&api, None).unwrap_err();
    assert!(
        err.contains("api.json: metadata.serviceShortName: missing or not a string"),
        "{err}"
    );
    assert!(
        err.contains("api.json: action DescribeThings: `output` is missing or not a string"),
        "{err}"
    );
}

#[test]
fn a_member_of_an_unknown_type_fails_the_import_naming_it() {
    let mut api = small_api();
    let members = api["objects"]["DescribeThingsRequest"]["members"]
        .as_array_mut()
        .unwrap();
    members.push(member(
        "Blob",
        "binary",
        "bytes",
        json!({"required": false}),
    ));
    members.push(member(
        "Owner",
        "object",
        "Nobody",
        json!({"required": false}),
    ));
    // Leaving them out would make the SDK unable to send them, in silence.
    let err = run_import(&api, None).unwrap_err();
    for expected in [
        "api.json: action DescribeThings, input.Blob: type `binary` with member `bytes` cannot be mapped",
        "api.json: action DescribeThings, input.Owner: type `object` with member `Nobody` cannot be mapped",
    ] {
        assert!(err.contains(expected), "{expected:?} not in:\n{err}");
    }
}

#[test]
fn every_member_type_of_the_catalogue_is_mapped_with_its_wire_form() {
    let mut api = small_api();
    let members = api["objects"]["DescribeThingsRequest"]["members"]
        .as_array_mut()
        .unwrap();
    for (name, ty, inner) in [
        ("When", "string", "datetime"),
        ("WhenIso", "string", "datetime_iso"),
        ("Day", "string", "date"),
        ("Days", "list", "date"),
        ("File", "binary", "binary"),
    ] {
        members.push(member(name, ty, inner, json!({"required": false})));
    }
    let import = run_import(&api, None).unwrap();
    let input = &import.spec.actions[0].input;
    let find = |name: &str| input.iter().find(|m| m.name == name).unwrap();
    assert_eq!(find("When").format.as_deref(), Some("datetime"));
    assert_eq!(find("WhenIso").format.as_deref(), Some("datetime_iso"));
    assert_eq!(find("Day").format.as_deref(), Some("date"));
    assert_eq!(find("Days").ty, "list");
    assert_eq!(find("Days").items.as_deref(), Some("string"));
    assert_eq!(find("Days").format.as_deref(), Some("date"));
    assert_eq!(find("File").ty, "binary");
}

#[test]
fn nullable_and_disabled_request_members_are_reported() {
    let mut api = small_api();
    let members = api["objects"]["DescribeThingsRequest"]["members"]
        .as_array_mut()
        .unwrap();
    members.push(member(
        "Note",
        "string",
        "string",
        json!({"value_allowed_null": true, "disabled": true}),
    ));
    let import = run_import(&api, None).unwrap();
    assert_warned(
        &import,
        "api.json: action DescribeThings, input.Note: `value_allowed_null` cannot be expressed",
    );
    assert_warned(
        &import,
        "api.json: action DescribeThings, input.Note: tccli marks the member disabled; it is kept",
    );
    let note = import.spec.actions[0]
        .input
        .iter()
        .find(|m| m.name == "Note")
        .unwrap();
    assert!(!note.nullable);
}

#[test]
fn clashing_and_unused_structures_are_renamed_and_reported() {
    let mut api = small_api();
    let objects = api["objects"].as_object_mut().unwrap();
    for name in ["Client", "DescribeThingsCall", "ThingBuilder", "Spare"] {
        objects.insert(
            name.to_owned(),
            json!({"document": "", "type": "object", "usage": "out", "members": [
                member("Id", "string", "string", json!({"output_required": true}))
            ]}),
        );
    }
    let things = api["objects"]["Thing"]["members"].as_array_mut().unwrap();
    things.push(member(
        "Owner",
        "object",
        "Client",
        json!({"output_required": false}),
    ));
    things.push(member(
        "Call",
        "list",
        "DescribeThingsCall",
        json!({"output_required": false}),
    ));
    things.push(member(
        "Builder",
        "object",
        "ThingBuilder",
        json!({"output_required": false}),
    ));
    let import = run_import(&api, None).unwrap();
    let names: Vec<&str> = import
        .spec
        .structures
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "ClientObject",
            "DescribeThingsCallObject",
            "Filter",
            "Spare",
            "Thing",
            "ThingBuilderObject"
        ]
    );
    assert_warned(
        &import,
        "api.json: structure Client: renamed to `ClientObject`",
    );
    assert_warned(
        &import,
        "api.json: structure Spare: no action uses it; it is kept",
    );
    assert_warned(
        &import,
        "api.json: structure Spare: no document; described as",
    );
    let thing = import
        .spec
        .structures
        .iter()
        .find(|s| s.name == "Thing")
        .unwrap();
    assert_eq!(thing.members[2].ty, "ClientObject");
    assert_eq!(
        thing.members[3].items.as_deref(),
        Some("DescribeThingsCallObject")
    );
    tencentcloud_codegen::parse(&import.json, "thing.json").unwrap();
}

#[test]
fn examples_are_typed_or_left_out_and_reported() {
    let get = "https://thing.tencentcloudapi.com/?Action=DescribeThings\n&Offset=5\n&Filter.Name=a%20b \n&<Common request parameters>";
    let post = "POST / HTTP/1.1\nHost: thing.tencentcloudapi.com\nX-TC-Action: DescribeThings\n<Common request parameters>\n\n{\"Limit\": 10}";
    let answer = r#"{"Response": {"TotalCount": 1, "Things": [{"Id": "t-1", "Size": null}], "RequestId": "r"}}"#;
    let examples = json!({"actions": {
        "DescribeThings": [
            {"title": "By query", "document": "", "input": get, "output": answer},
            {"title": "By body", "document": "Posted.", "input": post, "output": answer},
            {"title": "Broken", "document": "", "input": get, "output": "{\"Response\": {"},
            {"title": "Wrong type", "document": "", "input": "https://x/?Action=DescribeThings\n&Offset=first", "output": answer},
            {"title": "Error answer", "document": "", "input": get,
             "output": r#"{"Response": {"Error": {"Code": "InternalError", "Message": "m"}, "RequestId": "r"}}"#},
            {"title": "Too deep", "document": "", "input": format!("https://x/?Action=DescribeThings\n&Filter{}=1", ".0".repeat(10_000)), "output": answer}
        ],
        "DescribeNothing": [{"title": "Orphan", "document": "", "input": get, "output": answer}]
    }});
    let import = run_import(&small_api(), Some(&examples)).unwrap();
    assert_eq!((import.examples_kept(), import.examples_dropped()), (3, 4));
    let kept = &import.spec.actions[0].examples;
    assert_eq!(
        Value::Object(kept[0].input.clone()),
        json!({"Offset": 5, "Filter": {"Name": "a b"}})
    );
    assert_eq!(Value::Object(kept[1].input.clone()), json!({"Limit": 10}));
    assert_eq!(kept[1].description, "Posted.");
    assert_warned(
        &import,
        "examples.json: action DescribeThings, example \"Broken\": output is not JSON",
    );
    assert_warned(
        &import,
        "examples.json: action DescribeThings, example \"Wrong type\": input.Offset `first` is not an integer",
    );
    assert_warned(
        &import,
        &format!(
            "example \"Too deep\": parameter `Filter{}…` is nested too deeply",
            ".0".repeat(29)
        ),
    );
    assert_warned(
        &import,
        "examples.json: action DescribeNothing, example \"Orphan\": the api.json has no such action",
    );
    tencentcloud_codegen::parse(&import.json, "thing.json").unwrap();
}

#[test]
fn a_null_in_an_example_answer_makes_the_member_nullable() {
    let answer =
        r#"{"Response": {"TotalCount": null, "Things": [{"Id": null}], "RequestId": "r"}}"#;
    let examples = json!({"actions": {"DescribeThings": [
        {"title": "Nulls", "document": "", "input": "https://x/?Action=DescribeThings", "output": answer}
    ]}});
    let import = run_import(&small_api(), Some(&examples)).unwrap();
    assert_eq!((import.examples_kept(), import.examples_dropped()), (1, 0));
    let total = &import.spec.actions[0].output[0];
    assert_eq!(total.name, "TotalCount");
    assert!(total.nullable);
    let thing = import
        .spec
        .structures
        .iter()
        .find(|s| s.name == "Thing")
        .unwrap();
    assert!(thing.members[0].nullable);
    assert_warned(
        &import,
        "examples.json: action DescribeThings, output.TotalCount: made nullable: the answer of action DescribeThings, example \"Nulls\" holds null for it",
    );
    assert_warned(&import, "examples.json: structure Thing.Id: made nullable");
    assert_eq!(count(&import, WarningKind::NullInExample), 2);
    tencentcloud_codegen::parse(&import.json, "thing.json").unwrap();
}

// ---------------------------------------------------------------------------------------------
// Mutated input

/// xorshift64*: a small deterministic generator, so failures can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n.max(1) as u64).unwrap_or(0)
    }
}

/// Removes one key somewhere in the value, picked at random along a random path.
fn delete_key(value: &mut Value, rng: &mut Rng) {
    let mut current = value;
    loop {
        let descend = rng.below(4) != 0;
        match current {
            Value::Object(map) if !map.is_empty() => {
                let index = rng.below(map.len());
                let key = map.keys().nth(index).cloned().unwrap();
                let child_is_container = matches!(map[&key], Value::Object(_) | Value::Array(_));
                if descend && child_is_container {
                    current = map.get_mut(&key).unwrap();
                } else {
                    map.remove(&key);
                    return;
                }
            }
            Value::Array(items) if !items.is_empty() => {
                let index = rng.below(items.len());
                current = &mut items[index];
            }
            _ => return,
        }
    }
}

fn mutate(text: &str, rng: &mut Rng) -> String {
    match rng.below(3) {
        0 => {
            let mut bytes = text.as_bytes().to_vec();
            bytes.truncate(rng.below(bytes.len()));
            String::from_utf8_lossy(&bytes).into_owned()
        }
        1 => {
            let mut bytes = text.as_bytes().to_vec();
            let replacements = b"{}[],:\"\\0-9aZ \n\xff";
            for _ in 0..=rng.below(4) {
                let at = rng.below(bytes.len());
                bytes[at] = replacements[rng.below(replacements.len())];
            }
            String::from_utf8_lossy(&bytes).into_owned()
        }
        _ => {
            let mut value: Value = serde_json::from_str(text).unwrap();
            for _ in 0..=rng.below(3) {
                delete_key(&mut value, rng);
            }
            value.to_string()
        }
    }
}

#[test]
fn mutated_input_never_panics_and_every_success_parses() {
    let dir = reference_dir("en");
    let api = read(&dir.join("api.json"));
    let examples = read(&dir.join("examples.json"));
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    let (mut ok, mut failed) = (0, 0);
    for round in 0..300 {
        let (api_text, examples_text) = if round % 3 == 2 {
            (api.clone(), mutate(&examples, &mut rng))
        } else {
            (mutate(&api, &mut rng), examples.clone())
        };
        let result = std::panic::catch_unwind(|| {
            tccli::import(
                Source {
                    display: "api.json",
                    text: &api_text,
                },
                Some(Source {
                    display: "examples.json",
                    text: &examples_text,
                }),
                None,
            )
        });
        match result {
            Err(_) => panic!("round {round}: the importer panicked"),
            Ok(Ok(import)) => {
                ok += 1;
                if let Err(err) = tencentcloud_codegen::parse(&import.json, "mutated.json") {
                    panic!("round {round}: the import does not parse: {err}");
                }
            }
            Ok(Err(errors)) => {
                failed += 1;
                assert!(
                    !errors.0.is_empty(),
                    "round {round}: an error without messages"
                );
            }
        }
    }
    eprintln!("{ok} mutations imported, {failed} refused");
    assert!(ok > 0 && failed > 0, "{ok} imported, {failed} refused");
}

// ---------------------------------------------------------------------------------------------
// The command

fn xtask(args: &[&std::ffi::OsStr]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn the_command_imports_and_codegen_accepts_the_result() {
    let scratch = tempfile::tempdir().unwrap();
    let dir = reference_dir("zh");
    let spec = scratch.path().join("imported.json");
    let output = xtask(&[
        "import-tccli".as_ref(),
        dir.join("api.json").as_os_str(),
        "--examples".as_ref(),
        dir.join("examples.json").as_os_str(),
        "--out".as_ref(),
        spec.as_os_str(),
    ]);
    let message = stderr(&output);
    assert!(output.status.success(), "{message}");
    assert!(
        message.contains("examples.json: action ModifySubscribeVipVport"),
        "{message}"
    );
    assert!(
        message.contains("22 actions, 13 structures, 25 examples (0 left out); 33 warning(s)"),
        "{message}"
    );

    let specs = scratch.path().join("api-spec");
    std::fs::create_dir_all(specs.join("dts")).unwrap();
    std::fs::copy(&spec, specs.join("dts/2018-03-30.json")).unwrap();
    let manifest = scratch.path().join("Cargo.toml");
    std::fs::write(&manifest, "[features]\ndts = []\n").unwrap();
    let out = scratch.path().join("services");
    let output = xtask(&[
        "codegen".as_ref(),
        "--specs".as_ref(),
        specs.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
        "--manifest".as_ref(),
        manifest.as_os_str(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let generated = std::fs::read_to_string(out.join("dts/v20180330/mod.rs")).unwrap();
    assert!(generated.contains("pub fn modify_subscribe_vip_vport("));

    let printed = xtask(&["import-tccli".as_ref(), dir.join("api.json").as_os_str()]);
    assert!(printed.status.success(), "{}", stderr(&printed));
    let text = String::from_utf8_lossy(&printed.stdout);
    assert!(
        text.starts_with("{\n  \"$schema\": \"../spec.schema.json\""),
        "{text}"
    );

    let missing = xtask(&[
        "import-tccli".as_ref(),
        scratch.path().join("none.json").as_os_str(),
    ]);
    assert!(!missing.status.success());
    assert!(
        stderr(&missing).contains("cannot read"),
        "{}",
        stderr(&missing)
    );
}

#[test]
fn structures_named_like_generated_items_are_renamed_and_standard_names_are_kept() {
    let mut api = small_api();
    let objects = api["objects"].as_object_mut().unwrap();
    for name in ["Error", "Client", "Option", "Value"] {
        objects.insert(
            name.to_owned(),
            json!({"document": "A trap.", "type": "object", "usage": "out", "members": [
                member("Type", "string", "string", json!({"output_required": true}))
            ]}),
        );
    }
    let output = objects["DescribeThingsResponse"]["members"]
        .as_array_mut()
        .unwrap();
    for name in ["Error", "Client", "Option", "Value"] {
        output.push(member(
            name,
            "object",
            name,
            json!({"output_required": true}),
        ));
    }
    let import = run_import(&api, None).unwrap();
    let names: Vec<&str> = import
        .spec
        .structures
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    // `Error` and `Client` are the service's own items; `Option` and `Value` are free.
    for expected in ["ErrorObject", "ClientObject", "Option", "Value"] {
        assert!(names.contains(&expected), "{expected} not in {names:?}");
    }
    let output = &import.spec.actions[0].output;
    let type_of = |member: &str| output.iter().find(|m| m.name == member).unwrap().ty.clone();
    assert_eq!(type_of("Error"), "ErrorObject");
    assert_eq!(type_of("Client"), "ClientObject");
    assert_eq!(type_of("Option"), "Option");
    assert_eq!(count(&import, WarningKind::RenamedStructure), 2);
    // The member `Type` is a keyword: mapped, and reported.
    assert_warned(&import, "structure Option.Type: the Rust name is `r#type`");
}

#[test]
fn facts_only_imports_keep_no_prose_and_no_examples() {
    let api = small_api().to_string();
    let examples = json!({"actions": {"DescribeThings": [{
        "title": "One thing",
        "input": "POST / HTTP/1.1\nHost: thing.tencentcloudapi.com\nX-TC-Action: DescribeThings\n\n{\"Filter\": {\"Name\": \"n\"}}",
        "output": "{\"Response\": {\"TotalCount\": 1, \"Things\": [{\"Id\": \"t\", \"Size\": null}], \"RequestId\": \"r\"}}"
    }]}})
    .to_string();
    let codes = "# comments are skipped\nFAILEDOPERATION = 'FailedOperation'\nRESOURCENOTFOUND_THING = 'ResourceNotFound.Thing'\n";
    let import = tccli::import_with(
        Source {
            display: "api.json",
            text: &api,
        },
        Some(Source {
            display: "examples.json",
            text: &examples,
        }),
        &tccli::Options {
            facts_only: true,
            origin: Some("a test"),
            error_codes: Some(Source {
                display: "errorcodes.py",
                text: codes,
            }),
            ..tccli::Options::default()
        },
    )
    .unwrap();
    let spec = &import.spec;
    assert!(spec.title.is_empty() && spec.description.is_empty());
    assert_eq!(spec.origin, "a test");
    let action = &spec.actions[0];
    assert!(action.summary.is_empty() && action.description.is_empty());
    assert!(action.examples.is_empty(), "no official example is copied");
    let all_members = action
        .input
        .iter()
        .chain(&action.output)
        .chain(spec.structures.iter().flat_map(|s| &s.members));
    for member in all_members {
        assert!(member.description.is_empty(), "{}", member.name);
        assert!(member.example.is_none(), "{}", member.name);
    }
    // What an example proves is kept: the service sends `null` for `Size`.
    let thing = spec.structures.iter().find(|s| s.name == "Thing").unwrap();
    assert!(thing.members.iter().any(|m| m.name == "Size" && m.nullable));
    let codes: Vec<&str> = spec.errors.iter().map(|e| e.code.as_str()).collect();
    assert_eq!(codes, ["FailedOperation", "ResourceNotFound.Thing"]);
    // The text of the spec holds no prose either.
    assert!(!import.json.contains("The Offset."), "{}", import.json);
    assert!(!import.json.contains("Lists things"), "{}", import.json);

    let bad = tccli::import_with(
        Source {
            display: "api.json",
            text: &api,
        },
        None,
        &tccli::Options {
            facts_only: true,
            error_codes: Some(Source {
                display: "errorcodes.py",
                text: "NOT A CODE LINE\n",
            }),
            ..tccli::Options::default()
        },
    )
    .unwrap_err()
    .to_string();
    assert!(
        bad.contains("errorcodes.py: line 1: expected `NAME = 'Code'`"),
        "{bad}"
    );
}
