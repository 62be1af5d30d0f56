//! The services the emulator answers for, read from the same specs the SDK is generated from,
//! and the checks the API gateway makes against them: request parameters on the way in, and the
//! emulator's own answers on the way out.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::{LazyLock, OnceLock};

use serde_json::{Map, Value};
use tencentcloud_codegen::model::{Action, EnumRepr, Field, Format, Service, Type, VariantValue};

use crate::backend::{Answer, ApiError};

/// Every spec under `api-spec/`, embedded at build time: `(path, text)`.
const EMBEDDED: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/specs.rs"));

/// An embedded spec, read the first time a request needs it: with the whole catalogue embedded,
/// reading every spec at start would cost more than most tests do. The result is kept for the
/// process, so every emulator started in it shares the work.
struct Embedded {
    path: &'static str,
    text: &'static str,
    service: OnceLock<Result<Service, String>>,
}

impl Embedded {
    fn service(&self) -> Result<&Service, SpecError> {
        self.service
            .get_or_init(|| {
                tencentcloud_codegen::parse(self.text, self.path)
                    .map_err(|errors| errors.to_string())
            })
            .as_ref()
            .map_err(|err| SpecError(err.clone()))
    }
}

/// The embedded specs by service and version, known from their paths
/// (`api-spec/<service>/<YYYY-MM-DD>.json`) without reading them.
static EMBEDDED_SPECS: LazyLock<HashMap<(String, String), Embedded>> = LazyLock::new(|| {
    EMBEDDED
        .iter()
        .filter_map(|&(path, text)| {
            let mut parts = path.trim_end_matches(".json").rsplit('/');
            let version = parts.next()?.to_owned();
            let service = parts.next()?.to_owned();
            let entry = Embedded {
                path,
                text,
                service: OnceLock::new(),
            };
            Some(((service, version), entry))
        })
        .collect()
});

/// The service versions the emulator knows, by service name and version.
pub(crate) struct Catalog {
    /// Specs given when the emulator was started, read then; they replace embedded ones.
    extra: HashMap<(String, String), Service>,
}

/// A spec that could not be read.
#[derive(Debug)]
pub struct SpecError(pub(crate) String);

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SpecError {}

impl Catalog {
    /// The embedded specs plus `extra` ones (`(name for messages, text)`); a later spec of the
    /// same service version replaces an earlier one. The extra specs are read and checked now;
    /// the embedded ones when a request first needs them.
    pub(crate) fn load(extra: &[(String, String)]) -> Result<Self, SpecError> {
        let mut services = HashMap::new();
        for (name, text) in extra {
            let service = tencentcloud_codegen::parse(text, name)
                .map_err(|errors| SpecError(errors.to_string()))?;
            services.insert((service.name.clone(), service.version.clone()), service);
        }
        Ok(Self { extra: services })
    }

    /// Whether any version of `service` is known.
    pub(crate) fn has_service(&self, service: &str) -> bool {
        self.extra.keys().any(|(name, _)| name == service)
            || EMBEDDED_SPECS.keys().any(|(name, _)| name == service)
    }

    /// One service version; an error when its embedded spec does not read (a build that went
    /// wrong: `cargo xtask codegen` checks every spec).
    pub(crate) fn service(
        &self,
        service: &str,
        version: &str,
    ) -> Result<Option<&Service>, SpecError> {
        let key = (service.to_owned(), version.to_owned());
        if let Some(found) = self.extra.get(&key) {
            return Ok(Some(found));
        }
        EMBEDDED_SPECS.get(&key).map(Embedded::service).transpose()
    }
}

pub(crate) fn action<'a>(service: &'a Service, name: &str) -> Option<&'a Action> {
    service.actions.iter().find(|action| action.name == name)
}

/// Checks request parameters against an action's input, the way the gateway does: unknown
/// members, missing required ones, wrong JSON types and values outside a closed enum are refused
/// with the code the cloud uses for each. A `null` counts as absent.
pub(crate) fn check_request(
    service: &Service,
    action: &Action,
    params: &Map<String, Value>,
) -> Result<(), ApiError> {
    Walker {
        service,
        direction: Direction::Request,
    }
    .object(&action.input, params, "")
}

/// Checks an answer (without `RequestId`) against an action's output. A failure is a bug of the
/// emulator, reported as `InternalError` by the caller.
pub(crate) fn check_answer(
    service: &Service,
    action: &Action,
    answer: &Answer,
) -> Result<(), ApiError> {
    Walker {
        service,
        direction: Direction::Answer,
    }
    .object(&action.output, answer, "")
}

/// Reads the parameters of a GET request (`JobId=dts-1&TagFilters.0.TagKey=a`, URL-encoded)
/// into JSON typed by the action's input, for [`check_request`] to check as it checks a JSON
/// body. Members the spec does not know are kept as strings, so that they are reported as
/// unknown rather than dropped.
pub(crate) fn params_from_query(
    service: &Service,
    action: &Action,
    query: &str,
) -> Result<Map<String, Value>, ApiError> {
    let mut root = BTreeMap::new();
    for (key, value) in form_urlencoded::parse(query.as_bytes()) {
        let mut node = &mut root;
        let segments: Vec<&str> = key.split('.').collect();
        let Some((last, parents)) = segments.split_last() else {
            continue;
        };
        for segment in parents {
            let child = node
                .entry((*segment).to_owned())
                .or_insert_with(|| Node::Branch(BTreeMap::new()));
            let Node::Branch(children) = child else {
                return Err(query_error(
                    &key,
                    "is given both as a value and as a list or object",
                ));
            };
            node = children;
        }
        if node
            .insert((*last).to_owned(), Node::Leaf(value.into_owned()))
            .is_some()
        {
            return Err(query_error(
                &key,
                "is given twice or both as a value and as a list or object",
            ));
        }
    }
    let reader = QueryReader { service };
    reader.object(&action.input, root, "")
}

/// A GET parameter tree before it is typed.
enum Node {
    Leaf(String),
    Branch(BTreeMap<String, Node>),
}

struct QueryReader<'a> {
    service: &'a Service,
}

impl QueryReader<'_> {
    fn object(
        &self,
        fields: &[Field],
        members: BTreeMap<String, Node>,
        prefix: &str,
    ) -> Result<Map<String, Value>, ApiError> {
        let mut object = Map::new();
        for (name, node) in members {
            let path = format!("{prefix}{name}");
            let value = match fields.iter().find(|field| field.wire == name) {
                Some(field) => self.value(&field.ty, node, &path)?,
                // Left for the spec check to report as unknown.
                None => Value::String(String::new()),
            };
            object.insert(name, value);
        }
        Ok(object)
    }

    fn value(&self, ty: &Type, node: Node, path: &str) -> Result<Value, ApiError> {
        match (ty, node) {
            (Type::List(item), Node::Branch(children)) => {
                let mut items = Vec::with_capacity(children.len());
                let mut indexed: Vec<(usize, Node)> = Vec::with_capacity(children.len());
                for (index, child) in children {
                    let Ok(number) = index.parse::<usize>() else {
                        return Err(query_error(
                            path,
                            "is a list: its members are numbered from 0",
                        ));
                    };
                    indexed.push((number, child));
                }
                indexed.sort_by_key(|(number, _)| *number);
                for (expected, (number, child)) in indexed.into_iter().enumerate() {
                    if number != expected {
                        return Err(query_error(
                            path,
                            "is a list: its members are numbered from 0 without gaps",
                        ));
                    }
                    items.push(self.value(item, child, &format!("{path}.{number}"))?);
                }
                Ok(Value::Array(items))
            }
            (Type::Struct(name), Node::Branch(children)) => {
                let fields = self
                    .service
                    .structures
                    .iter()
                    .find(|s| &s.name == name)
                    .map_or(&[][..], |structure| &structure.fields[..]);
                Ok(Value::Object(self.object(
                    fields,
                    children,
                    &format!("{path}."),
                )?))
            }
            (Type::List(_) | Type::Struct(_), Node::Leaf(_)) => Err(query_error(
                path,
                "must be given member by member (`Name.0=...`)",
            )),
            (_, Node::Branch(_)) => Err(query_error(path, "takes a single value")),
            (ty, Node::Leaf(text)) => self.scalar(ty, text, path),
        }
    }

    fn scalar(&self, ty: &Type, text: String, path: &str) -> Result<Value, ApiError> {
        let repr = match ty {
            Type::Enum(name) => match self.service.enums.iter().find(|e| &e.name == name) {
                Some(definition) => match definition.repr {
                    EnumRepr::String => &Type::String,
                    EnumRepr::Integer => &Type::Integer,
                    EnumRepr::Unsigned => &Type::Unsigned,
                },
                None => &Type::String,
            },
            other => other,
        };
        let value = match repr {
            Type::Integer => text.parse::<i64>().ok().map(Value::from),
            Type::Unsigned => text.parse::<u64>().ok().map(Value::from),
            Type::Float => text
                .parse::<f64>()
                .ok()
                .and_then(serde_json::Number::from_f64)
                .map(Value::Number),
            Type::Boolean => text.parse::<bool>().ok().map(Value::Bool),
            _ => Some(Value::String(text)),
        };
        value.ok_or_else(|| query_error(path, &format!("must be {}", type_name(repr))))
    }
}

fn query_error(path: &str, problem: &str) -> ApiError {
    ApiError::new(
        "InvalidParameter",
        format!("The parameter `{path}` {problem}."),
    )
}

/// A spec-shaped answer for an action no backend handles: its first successful example, or
/// else one made up from the action's output (see [`Synthesizer`]), the same for the same
/// request.
pub(crate) fn synthesize_answer(
    service: &Service,
    action: &Action,
    params: &Map<String, Value>,
) -> Answer {
    let from_example = action.examples.iter().find_map(|example| {
        let mut answer: Value = serde_json::from_str(&example.output).ok()?;
        let Value::Object(mut members) = answer.get_mut("Response")?.take() else {
            return None;
        };
        if members.contains_key("Error") {
            return None;
        }
        members.remove("RequestId");
        check_answer(service, action, &members).ok()?;
        Some(members)
    });
    from_example.unwrap_or_else(|| {
        let seed = fnv1a(action.name.as_bytes(), FNV_OFFSET);
        let seed = fnv1a(Value::Object(params.clone()).to_string().as_bytes(), seed);
        Synthesizer {
            service,
            seed,
            optional: true,
        }
        .object(&action.output, "", 0)
    })
}

/// Whether the call asks for a streamed answer: the action takes a boolean `Stream` and the
/// request set it to `true`.
pub(crate) fn wants_stream(action: &Action, params: &Map<String, Value>) -> bool {
    params.get("Stream") == Some(&Value::Bool(true))
        && action
            .input
            .iter()
            .any(|field| field.wire == "Stream" && field.ty == Type::Boolean)
}

/// A request the gateway's checks accept for `action`: its required members only, with values
/// made up as answers' are.
pub(crate) fn synthesize_request(service: &Service, action: &Action) -> Map<String, Value> {
    Synthesizer {
        service,
        seed: fnv1a(action.name.as_bytes(), FNV_OFFSET),
        optional: false,
    }
    .object(&action.input, "", 0)
}

/// Members nested deeper than this hold only what their spec requires, and lists there are
/// empty; above it every member is filled in and lists hold one element. Structures that hold
/// themselves thus end, and answers stay small.
const FULL_DEPTH: usize = 3;
/// Below this depth nothing more is made up, even for required members: a structure that
/// requires itself forever has no finite answer, and the answer's check reports it.
const MAX_DEPTH: usize = 12;

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// FNV-1a, to derive values from a request without a random generator: the same request gets
/// the same answer in every run.
fn fnv1a(bytes: &[u8], mut hash: u64) -> u64 {
    for &byte in bytes {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// Makes up an answer of a given shape: every required member, with a value of its type (and
/// of its format, for dates and percentages), drawn from the request's hash and the member's
/// path.
struct Synthesizer<'a> {
    service: &'a Service,
    seed: u64,
    /// Whether members that are not required are filled in too (above [`FULL_DEPTH`]).
    optional: bool,
}

impl Synthesizer<'_> {
    fn object(&self, fields: &[Field], path: &str, depth: usize) -> Map<String, Value> {
        fields
            .iter()
            .filter(|field| field.required || (self.optional && depth < FULL_DEPTH))
            .map(|field| {
                let path = format!("{path}.{}", field.wire);
                let value = self.value(&field.ty, field.format, &path, depth);
                (field.wire.clone(), value)
            })
            .collect()
    }

    fn value(&self, ty: &Type, format: Option<Format>, path: &str, depth: usize) -> Value {
        let hash = fnv1a(path.as_bytes(), self.seed);
        match ty {
            Type::String | Type::Binary => Value::from(text(format, path, hash)),
            Type::Integer | Type::Unsigned => Value::from(1 + hash % 100),
            Type::Float => Value::from((hash % 1000) as f64 / 10.0),
            Type::Boolean => Value::Bool(hash % 2 == 0),
            Type::List(item) if depth < FULL_DEPTH => Value::Array(vec![self.value(
                item,
                format,
                &format!("{path}.0"),
                depth + 1,
            )]),
            Type::List(_) => Value::Array(Vec::new()),
            Type::Struct(_) if depth >= MAX_DEPTH => Value::Object(Map::new()),
            Type::Struct(name) => match self.service.structures.iter().find(|s| &s.name == name) {
                Some(structure) => Value::Object(self.object(&structure.fields, path, depth + 1)),
                None => Value::Object(Map::new()),
            },
            Type::Enum(name) => {
                let variants = self
                    .service
                    .enums
                    .iter()
                    .find(|e| &e.name == name)
                    .map_or(&[][..], |e| e.variants.as_slice());
                let chosen = match variants.len() {
                    0 => None,
                    // The length fits in u64, and the remainder in usize.
                    count => variants.get((hash % count as u64) as usize),
                };
                match chosen.map(|variant| &variant.value) {
                    Some(VariantValue::String(text)) => Value::from(text.as_str()),
                    Some(VariantValue::Integer(number)) => Value::from(*number),
                    Some(VariantValue::Unsigned(number)) => Value::from(*number),
                    None => Value::Null,
                }
            }
        }
    }
}

/// A string for the member at `path`: in its format when it has one, else its name and a few
/// hex digits of the hash (`InstanceId-3f9a2c`).
fn text(format: Option<Format>, path: &str, hash: u64) -> String {
    // A day within 2020 to 2027, and a time of day, from the hash.
    let unix = 1_577_836_800 + hash % (8 * 365 * 86_400);
    let date = tencentcloud_sdk::signer::utc_date(unix);
    let seconds = unix % 86_400;
    let time = format!(
        "{:02}:{:02}:{:02}",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    );
    match format {
        Some(Format::Percent) => format!("{}", hash % 101),
        Some(Format::Datetime) => format!("{date} {time}"),
        Some(Format::DatetimeIso) => format!("{date}T{time}+08:00"),
        Some(Format::Date) => date,
        None => {
            let name = path
                .rsplit('.')
                .find(|part| !part.is_empty() && !part.bytes().all(|b| b.is_ascii_digit()));
            format!("{}-{:06x}", name.unwrap_or("value"), hash & 0xff_ffff)
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Direction {
    Request,
    Answer,
}

/// Walks a JSON value along the spec's types.
struct Walker<'a> {
    service: &'a Service,
    direction: Direction,
}

impl Walker<'_> {
    fn object(
        &self,
        fields: &[Field],
        members: &Map<String, Value>,
        prefix: &str,
    ) -> Result<(), ApiError> {
        for name in members.keys() {
            if !fields.iter().any(|field| &field.wire == name) {
                return Err(match self.direction {
                    Direction::Request => ApiError::new(
                        "UnknownParameter",
                        format!("The parameter `{prefix}{name}` is not recognized."),
                    ),
                    Direction::Answer => internal(format!("unknown member `{prefix}{name}`")),
                });
            }
        }
        for field in fields {
            let path = format!("{prefix}{}", field.wire);
            match members.get(&field.wire) {
                None | Some(Value::Null) if self.absent_is_fine(field, members) => {}
                None | Some(Value::Null) => {
                    return Err(match self.direction {
                        Direction::Request => ApiError::new(
                            "MissingParameter",
                            format!("The request is missing the required parameter `{path}`."),
                        ),
                        Direction::Answer => internal(format!("required member `{path}` missing")),
                    });
                }
                Some(value) => self.value(&field.ty, value, &path)?,
            }
        }
        Ok(())
    }

    fn absent_is_fine(&self, field: &Field, members: &Map<String, Value>) -> bool {
        match self.direction {
            Direction::Request => !field.required,
            // A nullable member may be sent as null but must still be sent when it is required.
            Direction::Answer => {
                !field.required || (field.nullable && members.contains_key(&field.wire))
            }
        }
    }

    fn value(&self, ty: &Type, value: &Value, path: &str) -> Result<(), ApiError> {
        let fits = match ty {
            // A file arrives in a multipart body; in JSON only its text could.
            Type::String | Type::Binary => value.is_string(),
            Type::Integer => value.is_i64(),
            Type::Unsigned => value.is_u64(),
            Type::Float => value.is_number(),
            Type::Boolean => value.is_boolean(),
            Type::List(item) => {
                let Value::Array(items) = value else {
                    return Err(self.wrong_type(path, "a list"));
                };
                for (index, element) in items.iter().enumerate() {
                    self.value(item, element, &format!("{path}.{index}"))?;
                }
                true
            }
            Type::Struct(name) => {
                let Value::Object(members) = value else {
                    return Err(self.wrong_type(path, "an object"));
                };
                let Some(structure) = self.service.structures.iter().find(|s| &s.name == name)
                else {
                    return Err(internal(format!("structure {name} is not in the spec")));
                };
                return self.object(&structure.fields, members, &format!("{path}."));
            }
            Type::Enum(name) => return self.enum_value(name, value, path),
        };
        if fits {
            Ok(())
        } else {
            Err(self.wrong_type(path, type_name(ty)))
        }
    }

    fn enum_value(&self, name: &str, value: &Value, path: &str) -> Result<(), ApiError> {
        let Some(definition) = self.service.enums.iter().find(|e| e.name == name) else {
            return Err(internal(format!("enum {name} is not in the spec")));
        };
        let (fits, expected) = match definition.repr {
            EnumRepr::String => (value.is_string(), "a string"),
            EnumRepr::Integer => (value.is_i64(), "an integer"),
            EnumRepr::Unsigned => (value.is_u64(), "a non-negative integer"),
        };
        if !fits {
            return Err(self.wrong_type(path, expected));
        }
        let known = definition
            .variants
            .iter()
            .any(|variant| match &variant.value {
                VariantValue::String(text) => value.as_str() == Some(text),
                VariantValue::Integer(number) => value.as_i64() == Some(*number),
                VariantValue::Unsigned(number) => value.as_u64() == Some(*number),
            });
        if known || definition.open {
            return Ok(());
        }
        let allowed: Vec<String> = definition
            .variants
            .iter()
            .map(|variant| match &variant.value {
                VariantValue::String(text) => text.clone(),
                VariantValue::Integer(number) => number.to_string(),
                VariantValue::Unsigned(number) => number.to_string(),
            })
            .collect();
        Err(match self.direction {
            Direction::Request => ApiError::new(
                "InvalidParameterValue",
                format!(
                    "The value {value} of `{path}` is not one of: {}.",
                    allowed.join(", ")
                ),
            ),
            Direction::Answer => internal(format!("`{path}` = {value} is not a known value")),
        })
    }

    fn wrong_type(&self, path: &str, expected: &str) -> ApiError {
        match self.direction {
            Direction::Request => ApiError::new(
                "InvalidParameter",
                format!("The parameter `{path}` must be {expected}."),
            ),
            Direction::Answer => internal(format!("`{path}` is not {expected}")),
        }
    }
}

fn type_name(ty: &Type) -> &'static str {
    match ty {
        Type::String => "a string",
        Type::Integer => "an integer",
        Type::Unsigned => "a non-negative integer",
        Type::Float => "a number",
        Type::Boolean => "a boolean",
        Type::Binary => "a file",
        Type::List(_) => "a list",
        Type::Struct(_) | Type::Enum(_) => "an object",
    }
}

fn internal(problem: String) -> ApiError {
    ApiError::new(
        "InternalError",
        format!("The emulator produced an answer that breaks its spec: {problem}."),
    )
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn dts() -> (Catalog, &'static str) {
        let catalog = Catalog::load(&[]).unwrap_or_else(|err| panic!("{err}"));
        (catalog, "2018-03-30")
    }

    fn check(action_name: &str, params: Value) -> Result<(), ApiError> {
        let (catalog, version) = dts();
        let service = catalog
            .service("dts", version)
            .unwrap()
            .expect("dts is embedded");
        let action = action(service, action_name).expect("the action exists");
        let Value::Object(params) = params else {
            panic!("parameters are an object: {params}");
        };
        check_request(service, action, &params)
    }

    fn code(result: Result<(), ApiError>) -> String {
        result.err().map(|err| err.code).unwrap_or_default()
    }

    #[test]
    fn every_embedded_spec_loads() {
        let (catalog, version) = dts();
        assert!(catalog.has_service("dts"));
        assert!(catalog.service("dts", version).unwrap().is_some());
        assert!(catalog.service("dts", "2099-01-01").unwrap().is_none());
    }

    #[test]
    fn requests_are_checked_member_by_member() {
        assert_eq!(
            check("DescribeMigrateCheckJob", json!({"JobId": "dts-1"})),
            Ok(())
        );
        assert_eq!(
            code(check("DescribeMigrateCheckJob", json!({}))),
            "MissingParameter"
        );
        assert_eq!(
            code(check("DescribeMigrateCheckJob", json!({"JobId": null}))),
            "MissingParameter"
        );
        assert_eq!(
            code(check("DescribeMigrateCheckJob", json!({"JobId": 7}))),
            "InvalidParameter"
        );
        assert_eq!(
            code(check(
                "DescribeMigrateCheckJob",
                json!({"JobId": "dts-1", "Jobid": "x"})
            )),
            "UnknownParameter"
        );
    }

    #[test]
    fn nested_members_are_named_by_their_path() {
        let err = check(
            "DescribeMigrateJobs",
            json!({"TagFilters": [{"TagKey": "a"}, {"TagKey": 1}]}),
        )
        .expect_err("a number is not a tag key");
        assert_eq!(err.code, "InvalidParameter");
        assert!(
            err.message.contains("`TagFilters.1.TagKey`"),
            "{}",
            err.message
        );

        let err = check(
            "DescribeMigrateJobs",
            json!({"TagFilters": [{"TagValue": ["x"]}]}),
        )
        .expect_err("TagKey is required");
        assert_eq!(err.code, "MissingParameter");
        assert!(
            err.message.contains("`TagFilters.0.TagKey`"),
            "{}",
            err.message
        );

        assert_eq!(
            code(check("DescribeMigrateJobs", json!({"Limit": -1}))),
            "InvalidParameter"
        );
    }

    #[test]
    fn every_spec_example_request_is_accepted_and_its_answer_fits() {
        let (catalog, version) = dts();
        let service = catalog
            .service("dts", version)
            .unwrap()
            .expect("dts is embedded");
        let mut checked = 0;
        for action in &service.actions {
            for example in &action.examples {
                check_request(service, action, &example.parameters).unwrap_or_else(|err| {
                    panic!("{} example {:?}: {err:?}", action.name, example.title)
                });
                checked += 1;
            }
            let answer = synthesize_answer(service, action, &Map::new());
            check_answer(service, action, &answer)
                .unwrap_or_else(|err| panic!("{} synthesized: {err:?}", action.name));
        }
        assert!(checked >= 22, "only {checked} examples");
    }

    #[test]
    fn get_parameters_are_typed_by_the_spec() {
        let (catalog, version) = dts();
        let service = catalog
            .service("dts", version)
            .unwrap()
            .expect("dts is embedded");
        let action = action(service, "DescribeMigrateJobs").expect("exists");
        let read = |query: &str| params_from_query(service, action, query);
        let params = read("JobName=my%20job&Limit=10&TagFilters.0.TagKey=team&TagFilters.0.TagValue.0=db&TagFilters.0.TagValue.1=ops")
            .expect("well formed");
        assert_eq!(
            Value::Object(params.clone()),
            json!({
                "JobName": "my job",
                "Limit": 10,
                "TagFilters": [{"TagKey": "team", "TagValue": ["db", "ops"]}],
            })
        );
        assert_eq!(check_request(service, action, &params), Ok(()));

        for (query, problem) in [
            ("Limit=ten", "must be a non-negative integer"),
            ("TagFilters.1.TagKey=a", "without gaps"),
            ("TagFilters.x.TagKey=a", "numbered from 0"),
            ("TagFilters=a", "member by member"),
            ("Limit.0=1", "single value"),
            ("Limit=1&Limit=2", "twice"),
        ] {
            let err = read(query).expect_err(query);
            assert_eq!(err.code, "InvalidParameter", "{query}");
            assert!(err.message.contains(problem), "{query}: {}", err.message);
        }
        let unknown = read("Colour=blue").expect("read");
        assert_eq!(
            check_request(service, action, &unknown).map_err(|e| e.code),
            Err("UnknownParameter".to_owned())
        );
    }

    #[test]
    fn answers_must_carry_required_members_with_their_types() {
        let (catalog, version) = dts();
        let service = catalog
            .service("dts", version)
            .unwrap()
            .expect("dts is embedded");
        let action = action(service, "DescribeMigrateCheckJob").expect("exists");
        let mut answer = synthesize_answer(service, action, &Map::new());
        assert_eq!(check_answer(service, action, &answer), Ok(()));
        answer.insert("Progress".into(), json!(50));
        assert_eq!(
            check_answer(service, action, &answer).map_err(|err| err.code),
            Err("InternalError".to_owned())
        );
        answer.remove("Progress");
        assert!(check_answer(service, action, &answer).is_err());
    }

    #[test]
    fn every_action_of_every_spec_takes_a_made_up_request_and_answers_within_its_spec() {
        let keys: Vec<&(String, String)> = EMBEDDED_SPECS.keys().collect();
        let workers = std::thread::available_parallelism().map_or(2, usize::from);
        let chunk = keys.len().div_ceil(workers);
        let counts: Vec<(usize, usize)> = std::thread::scope(|scope| {
            let tasks: Vec<_> = keys
                .chunks(chunk.max(1))
                .map(|keys| {
                    scope.spawn(move || {
                        let (mut services, mut actions) = (0, 0);
                        for (name, version) in keys {
                            let service = EMBEDDED_SPECS[&(name.clone(), version.clone())]
                                .service()
                                .unwrap_or_else(|err| panic!("{name} {version}: {err}"));
                            services += 1;
                            for action in &service.actions {
                                let request = synthesize_request(service, action);
                                check_request(service, action, &request).unwrap_or_else(|err| {
                                    panic!("{name} {version} {} request: {err:?}", action.name)
                                });
                                let answer = synthesize_answer(service, action, &request);
                                check_answer(service, action, &answer).unwrap_or_else(|err| {
                                    panic!("{name} {version} {} answer: {err:?}", action.name)
                                });
                                // The same request, the same answer.
                                assert_eq!(answer, synthesize_answer(service, action, &request));
                                actions += 1;
                            }
                        }
                        (services, actions)
                    })
                })
                .collect();
            tasks.into_iter().map(|task| task.join().unwrap()).collect()
        });
        let services: usize = counts.iter().map(|(services, _)| services).sum();
        let actions: usize = counts.iter().map(|(_, actions)| actions).sum();
        println!("{services} service versions, {actions} actions");
        assert_eq!(services, EMBEDDED_SPECS.len());
        assert!(
            services >= 299 && actions >= 16_000,
            "{services} / {actions}"
        );
    }

    #[test]
    fn made_up_answers_fill_nested_members_and_follow_the_request() {
        let (catalog, version) = dts();
        let service = catalog.service("dts", version).unwrap().unwrap();
        let action = action(service, "DescribeMigrateJobs").expect("exists");
        let mut without_examples = action.clone();
        without_examples.examples.clear();
        let answer = synthesize_answer(service, &without_examples, &Map::new());
        let jobs = answer["JobList"].as_array().expect("a list");
        assert_eq!(jobs.len(), 1);
        assert!(jobs[0]["SrcInfo"].is_object(), "{answer:?}");
        let other = synthesize_answer(
            service,
            &without_examples,
            json!({"Limit": 5}).as_object().unwrap(),
        );
        assert_ne!(answer, other, "another request, other values");
        assert_eq!(check_answer(service, &without_examples, &other), Ok(()));
    }
}
