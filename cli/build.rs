//! Embeds the catalogue: every spec of `api-spec/` is read and checked with the code generator's
//! loader, and written into `$OUT_DIR` in the compact form that `src/catalogue.rs` reads. One
//! service version is one JSON document in `catalogue.bin`; `catalogue_index.rs` says where each
//! one starts, so that a command decodes only the version it uses.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};
use tencentcloud_codegen::model::{Action, EnumRepr, Field, Service, Type, VariantValue};

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let specs = manifest.join("../api-spec");
    println!("cargo::rerun-if-changed={}", specs.display());

    let mut services = Vec::new();
    for dir in sorted_entries(&specs)
        .into_iter()
        .filter(|path| path.is_dir())
    {
        for file in sorted_entries(&dir) {
            if file.extension().is_some_and(|ext| ext == "json") {
                println!("cargo::rerun-if-changed={}", file.display());
                let display = file
                    .strip_prefix(manifest.join(".."))
                    .unwrap_or(&file)
                    .display()
                    .to_string();
                match tencentcloud_codegen::load(&file, &display) {
                    Ok(service) => services.push(service),
                    Err(err) => panic!("{err}"),
                }
            }
        }
    }
    // By name, then newest version first: the first version of a name is its default.
    services.sort_by(|a, b| a.name.cmp(&b.name).then(b.version.cmp(&a.version)));

    let mut blob = Vec::new();
    let mut index = String::from("&[\n");
    let mut current: Option<&str> = None;
    for service in &services {
        if current != Some(service.name.as_str()) {
            if current.is_some() {
                index.push_str("]},\n");
            }
            write!(
                index,
                "ServiceEntry {{ name: {:?}, versions: &[",
                service.name
            )
            .ok();
            current = Some(&service.name);
        }
        let start = blob.len();
        serde_json::to_writer(&mut blob, &compact(service)).expect("writes to memory");
        write!(
            index,
            "VersionEntry {{ version: {:?}, actions: {}, start: {start}, end: {} }},",
            service.version,
            service.actions.len(),
            blob.len()
        )
        .ok();
    }
    if current.is_some() {
        index.push_str("]},\n");
    }
    index.push_str("]\n");

    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("set by cargo"));
    std::fs::write(out.join("catalogue.bin"), blob).expect("OUT_DIR is writable");
    std::fs::write(out.join("catalogue_index.rs"), index).expect("OUT_DIR is writable");
}

fn sorted_entries(dir: &Path) -> Vec<PathBuf> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|err| panic!("{}: {err}", dir.display()))
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .collect();
    entries.sort();
    entries
}

/// The parts of a service version that the CLI uses, with short keys (see `src/catalogue.rs`).
fn compact(service: &Service) -> Value {
    let mut doc = Map::new();
    doc.insert("host".into(), json!(service.endpoint_prefix));
    if !service.title.is_empty() {
        doc.insert("title".into(), json!(service.title));
    }
    let actions: Vec<Value> = service.actions.iter().map(action).collect();
    doc.insert("actions".into(), Value::Array(actions));
    // Only what requests hold: the help texts show an answer's members and their type names,
    // not the members of the structures inside answers, which are most of a catalogue.
    let structures: Map<String, Value> = service
        .structures
        .iter()
        .filter(|structure| structure.input)
        .map(|structure| {
            let fields = structure.fields.iter().map(field).collect();
            (structure.name.clone(), Value::Array(fields))
        })
        .collect();
    doc.insert("structures".into(), Value::Object(structures));
    let enums: Map<String, Value> = service
        .enums
        .iter()
        .map(|item| {
            let values = item
                .variants
                .iter()
                .map(|variant| match &variant.value {
                    VariantValue::String(value) => json!(value),
                    VariantValue::Integer(value) => json!(value),
                    VariantValue::Unsigned(value) => json!(value),
                })
                .collect();
            let repr = match item.repr {
                EnumRepr::String => "string",
                EnumRepr::Integer => "integer",
                EnumRepr::Unsigned => "unsigned",
            };
            (
                item.name.clone(),
                json!({"type": repr, "values": Value::Array(values)}),
            )
        })
        .collect();
    doc.insert("enums".into(), Value::Object(enums));
    Value::Object(doc)
}

fn action(action: &Action) -> Value {
    let mut doc = Map::new();
    doc.insert("name".into(), json!(action.name));
    if !action.summary.is_empty() {
        doc.insert("summary".into(), json!(action.summary));
    }
    if let Some(status) = &action.status {
        doc.insert("status".into(), json!(status));
    }
    if action.idempotent {
        doc.insert("idempotent".into(), json!(true));
    }
    if !action.signed {
        doc.insert("unsigned".into(), json!(true));
    }
    if action.multipart {
        doc.insert("multipart".into(), json!(true));
    }
    if action.streams() {
        doc.insert("stream".into(), json!(true));
    }
    doc.insert("input".into(), action.input.iter().map(field).collect());
    doc.insert("output".into(), action.output.iter().map(field).collect());
    Value::Object(doc)
}

/// A member as `[name, type, required]`, with its description as a fourth element when the
/// spec has one.
fn field(field: &Field) -> Value {
    let mut doc = vec![
        json!(field.wire),
        json!(type_name(&field.ty)),
        json!(field.required),
    ];
    if !field.description.is_empty() {
        doc.push(json!(field.description));
    }
    Value::Array(doc)
}

/// `string`, `integer`, `unsigned`, `float`, `boolean`, `binary`; `@Name` for a structure,
/// `%Name` for an enum, and `[` before the item type of a list.
fn type_name(ty: &Type) -> String {
    match ty {
        Type::String => "string".into(),
        Type::Integer => "integer".into(),
        Type::Unsigned => "unsigned".into(),
        Type::Float => "float".into(),
        Type::Boolean => "boolean".into(),
        Type::Binary => "binary".into(),
        Type::Struct(name) => format!("@{name}"),
        Type::Enum(name) => format!("%{name}"),
        Type::List(item) => format!("[{}", type_name(item)),
    }
}
