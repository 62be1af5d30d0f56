//! The JSON spec format, exactly as written in `api-spec/<service>/<version>.json`.
//!
//! These types only mirror the file; [`crate::model`] checks them and resolves names. Unknown
//! fields are refused so that a misspelt key is reported instead of ignored. They also serialize
//! back to the same format (defaults left out), which is how the importer writes specs.

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

/// One service version.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct SpecFile {
    /// Editor hint pointing at the JSON Schema; ignored.
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// Short service name, as in the credential scope (`dts`).
    pub service: String,
    /// API version, `YYYY-MM-DD`.
    pub version: String,
    /// Human-readable service name; absent in specs that carry facts only.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title: String,
    /// Default host, `<prefix>.tencentcloudapi.com`.
    pub host: String,
    /// What the service does; absent in specs that carry facts only.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Where the facts of the spec come from, when it was imported (`tccli 3.1.189.1`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub origin: String,
    /// Error codes the service documents for all its actions, for actions that list none of
    /// their own.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ErrorSpec>,
    /// The actions, in any order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<ActionSpec>,
    /// Structures shared by the actions' members.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub structures: Vec<StructureSpec>,
}

/// One action (one API call).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ActionSpec {
    /// PascalCase name sent as `X-TC-Action`.
    pub name: String,
    /// One line saying what the action does; absent in specs that carry facts only.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub summary: String,
    /// More detail; may span several paragraphs.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Documented limit in requests per second.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_limit: Option<u32>,
    /// Whether sending the request twice has the same effect as sending it once. When absent,
    /// read actions (`Describe…`, `Get…`, `List…`, `Inquire…`) are idempotent and others are not;
    /// see [`crate::model::is_read_action`]. Present, it must be a boolean (`null` is refused).
    #[serde(
        default,
        deserialize_with = "present_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub idempotent: Option<bool>,
    /// `deprecated` or `offline` for actions the service is retiring or has retired; absent for
    /// actions in service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// `false` for the few actions sent without a signature (those that turn another proof of
    /// identity into credentials). Absent means signed.
    #[serde(
        default,
        deserialize_with = "present_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub signed: Option<bool>,
    /// Which members page through a list, for actions that return one page at a time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pagination: Option<PaginationSpec>,
    /// Request members.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub input: Vec<MemberSpec>,
    /// Response members, without `RequestId`, which every response has.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub output: Vec<MemberSpec>,
    /// Error codes documented for the action.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ErrorSpec>,
    /// Request and response examples.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub examples: Vec<ExampleSpec>,
}

/// A member of a request, a response or a structure.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct MemberSpec {
    /// Wire name, exactly as sent and received.
    pub name: String,
    /// `string`, `integer`, `unsigned`, `float`, `boolean`, `binary`, `list`, or a structure's
    /// name.
    #[serde(rename = "type")]
    pub ty: String,
    /// For `list`: the element type (any type but `list`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<String>,
    /// Whether the member must be sent (input) or is always present (output).
    #[serde(default, skip_serializing_if = "is_false")]
    pub required: bool,
    /// Output only: the service may send `null` for it.
    #[serde(default, skip_serializing_if = "is_false")]
    pub nullable: bool,
    /// A secret (a password, a key): `Debug` output shows `<redacted>` instead of the value.
    #[serde(default, skip_serializing_if = "is_false")]
    pub sensitive: bool,
    /// What the member means; absent in specs that carry facts only.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// An example value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<Value>,
    /// Allowed values, for an enum.
    #[serde(default, rename = "enum", skip_serializing_if = "Option::is_none")]
    pub allowed: Option<EnumSpec>,
    /// What a string holds: `percent` (a percentage, which adds an accessor), `datetime`
    /// (`YYYY-MM-DD hh:mm:ss`), `datetime_iso` (ISO 8601) or `date` (`YYYY-MM-DD`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
}

/// A set of allowed values for a string or integer member.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct EnumSpec {
    /// The Rust type name of the enum.
    pub name: String,
    /// Open sets (the default) keep values they do not list; closed sets accept only theirs.
    #[serde(default = "default_open", skip_serializing_if = "is_true")]
    pub open: bool,
    /// The values.
    pub values: Vec<EnumValueSpec>,
}

fn default_open() -> bool {
    true
}

fn is_true(value: &bool) -> bool {
    *value
}

fn is_false(value: &bool) -> bool {
    !*value
}

/// An optional key that, when written, must hold a boolean: absence is `None` (through
/// `#[serde(default)]`), while `null` is refused like any other non-boolean.
fn present_bool<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<bool>, D::Error> {
    bool::deserialize(deserializer).map(Some)
}

/// One allowed value.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct EnumValueSpec {
    /// The value on the wire: a string or an integer.
    pub value: Value,
    /// The variant name; derived from string values when absent, required for integers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// What the value means.
    pub description: String,
}

/// The members a paginated action pages with: it takes an offset and a page size, and answers
/// with one page of a list and the total number of items.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PaginationSpec {
    /// Input member holding the index of the first item to return.
    pub offset: String,
    /// Input member holding the page size.
    pub limit: String,
    /// Output member holding the page's items, a list.
    pub items: String,
    /// Output member holding the number of items across all pages.
    pub total_count: String,
}

/// A documented error code.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ErrorSpec {
    /// The code, such as `ResourceNotFound.JobNotExist`.
    pub code: String,
    /// When the service answers with it; absent in specs that carry facts only.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
}

/// A request with the service's answer.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ExampleSpec {
    /// Short title.
    pub title: String,
    /// What the example shows.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Request parameters.
    pub input: Map<String, Value>,
    /// The complete answer, `{"Response": {...}}`.
    pub output: Value,
}

/// A named structure used by members.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct StructureSpec {
    /// PascalCase type name.
    pub name: String,
    /// What the structure holds; absent in specs that carry facts only.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Its members.
    pub members: Vec<MemberSpec>,
}

/// The spec as the text of its file: indented JSON in which every object or list that holds
/// only plain values and fits on a line (a member, an error code) is written on one line, and a
/// final newline. Members one per line keep large imported specs compact and their diffs
/// readable.
pub fn to_json(spec: &SpecFile) -> Result<String, serde_json::Error> {
    let value = serde_json::to_value(spec)?;
    let mut out = String::new();
    write_value(&value, 0, &mut out)?;
    out.push('\n');
    Ok(out)
}

/// How long a line written whole may be, indentation included.
const LINE: usize = 160;

fn write_value(value: &Value, depth: usize, out: &mut String) -> Result<(), serde_json::Error> {
    let plain = |item: &Value| !item.is_object() && !item.is_array();
    let inline = match value {
        Value::Object(map) => map.values().all(plain),
        Value::Array(items) => items.iter().all(plain),
        _ => true,
    };
    if inline {
        let text = serde_json::to_string(value)?;
        // `{"a":1}` reads better as `{ "a": 1 }`; that is what the spacing below gives.
        let text = spaced(value, &text)?;
        if depth * 2 + text.len() <= LINE || !(value.is_object() || value.is_array()) {
            out.push_str(&text);
            return Ok(());
        }
    }
    let indent = "  ".repeat(depth + 1);
    match value {
        Value::Object(map) if !map.is_empty() => {
            out.push_str("{\n");
            for (i, (key, item)) in map.iter().enumerate() {
                out.push_str(&indent);
                out.push_str(&serde_json::to_string(key)?);
                out.push_str(": ");
                write_value(item, depth + 1, out)?;
                out.push_str(if i + 1 < map.len() { ",\n" } else { "\n" });
            }
            out.push_str(&"  ".repeat(depth));
            out.push('}');
        }
        Value::Array(items) if !items.is_empty() => {
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                out.push_str(&indent);
                write_value(item, depth + 1, out)?;
                out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
            }
            out.push_str(&"  ".repeat(depth));
            out.push(']');
        }
        other => out.push_str(&serde_json::to_string(other)?),
    }
    Ok(())
}

/// A flat object or list on one line with a space after each `:` and `,` and inside the braces.
fn spaced(value: &Value, compact: &str) -> Result<String, serde_json::Error> {
    match value {
        Value::Object(map) if !map.is_empty() => {
            let mut parts = Vec::with_capacity(map.len());
            for (key, item) in map {
                parts.push(format!(
                    "{}: {}",
                    serde_json::to_string(key)?,
                    serde_json::to_string(item)?
                ));
            }
            Ok(format!("{{ {} }}", parts.join(", ")))
        }
        Value::Array(items) if !items.is_empty() => {
            let mut parts = Vec::with_capacity(items.len());
            for item in items {
                parts.push(serde_json::to_string(item)?);
            }
            Ok(format!("[{}]", parts.join(", ")))
        }
        _ => Ok(compact.to_owned()),
    }
}
