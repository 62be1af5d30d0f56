//! The checked intermediate model: names resolved, types checked, keywords escaped.
//!
//! [`Service::from_spec`] validates a [`SpecFile`] completely and reports every problem with the
//! file, the action or structure and the member path. The emitter works from this model only and
//! never sees raw JSON, so a spec that passes here always produces Rust that compiles.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde_json::Value;

use crate::common_errors::COMMON_ERRORS;
use crate::names::{is_type_name, is_valid_identifier, pascal_case, snake_case};
use crate::spec::{
    ActionSpec, EnumSpec, ErrorSpec, ExampleSpec, MemberSpec, PaginationSpec, SpecFile,
    StructureSpec,
};

/// A problem in a spec file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecError {
    /// The spec file, as given to the loader.
    pub file: String,
    /// Where in the file: the action or structure and the member path.
    pub location: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_located(f, &self.file, &self.location, &self.message)
    }
}

/// `file: location: message`, or `file: message` when there is no location: how the loader and
/// the importer name a place.
pub(crate) fn write_located(
    f: &mut fmt::Formatter<'_>,
    file: &str,
    location: &str,
    message: &str,
) -> fmt::Result {
    if location.is_empty() {
        write!(f, "{file}: {message}")
    } else {
        write!(f, "{file}: {location}: {message}")
    }
}

/// Every problem found in one or more spec files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecErrors(pub Vec<SpecError>);

impl fmt::Display for SpecErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, err) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{err}")?;
        }
        Ok(())
    }
}

impl std::error::Error for SpecErrors {}

/// One service version, ready to emit.
#[derive(Debug, Clone, PartialEq)]
pub struct Service {
    /// The spec file it came from, for the header of generated files.
    pub file: String,
    /// Short name, as in the credential scope (`dts`).
    pub name: String,
    /// API version (`2018-03-30`).
    pub version: String,
    /// Module name of the version (`v20180330`).
    pub version_module: String,
    /// Human-readable name; empty when the spec carries facts only.
    pub title: String,
    /// What the service does; empty when the spec carries facts only.
    pub description: String,
    /// Where the spec's facts come from, when it was imported (`tccli 3.1.189.1`).
    pub origin: String,
    /// First label of the default host.
    pub endpoint_prefix: String,
    /// The error codes the service documents for every action, in the spec's order.
    pub errors: Vec<ErrorCode>,
    /// Actions, sorted by name.
    pub actions: Vec<Action>,
    /// Structures, sorted by name.
    pub structures: Vec<Structure>,
    /// Enums, sorted by name.
    pub enums: Vec<Enum>,
}

/// One action.
#[derive(Debug, Clone, PartialEq)]
pub struct Action {
    /// Wire name (`DescribeMigrateCheckJob`).
    pub name: String,
    /// snake_case name of its client method and module.
    pub snake: String,
    /// One-line summary; empty when the spec carries facts only.
    pub summary: String,
    /// Longer description, possibly empty.
    pub description: String,
    /// `deprecated` or `offline` when the service is retiring the action.
    pub status: Option<String>,
    /// Whether requests are signed (all but a few credential-making actions).
    pub signed: bool,
    /// Whether requests go as `multipart/form-data`: an input member holds bytes.
    pub multipart: bool,
    /// Requests per second.
    pub rate_limit: Option<u32>,
    /// Whether sending the request twice has the same effect as sending it once: the spec's
    /// `idempotent` when given, else whether the name is a read action's ([`is_read_action`]).
    pub idempotent: bool,
    /// Whether [`idempotent`](Self::idempotent) was written in the spec rather than inferred
    /// from the name.
    pub idempotent_in_spec: bool,
    /// Request members in wire order.
    pub input: Vec<Field>,
    /// Response members in wire order, without `RequestId`.
    pub output: Vec<Field>,
    /// The codes the spec documents for this action, in its order; those that are common codes
    /// are marked. Empty when the action uses its service's codes.
    pub errors: Vec<ErrorCode>,
    /// Examples, with their JSON pretty-printed.
    pub examples: Vec<Example>,
    /// How the action pages through a list, when it does.
    pub pagination: Option<Pagination>,
}

impl Action {
    /// The request's `ClientToken` member, when it has one at the top level holding a string: the
    /// service carries out requests with the same token only once, so a repeat is harmless.
    pub fn client_token(&self) -> Option<&Field> {
        self.input
            .iter()
            .find(|field| field.wire == CLIENT_TOKEN && field.ty == Type::String)
    }

    /// Whether the action answers with a stream of events when asked: it takes a boolean
    /// `Stream` member at the top level, as the chat actions do.
    pub fn streams(&self) -> bool {
        self.input
            .iter()
            .any(|field| field.wire == "Stream" && field.ty == Type::Boolean)
    }
}

/// Wire name of the request member that makes a repeated request harmless.
pub const CLIENT_TOKEN: &str = "ClientToken";

/// Name prefixes of actions that only read, and so are safe to repeat.
const READ_PREFIXES: &[&str] = &["Describe", "Get", "List", "Inquire"];

/// Whether an action's name marks it as one that only reads: `Describe`, `Get`, `List` or
/// `Inquire` as a whole word, that is followed by an uppercase letter or nothing
/// (`DescribeJobs`, `InquirePriceCreateJob`), not by more of a word (`Getaway`, `Descriptor`).
/// This is the idempotency of actions whose spec does not say.
pub fn is_read_action(name: &str) -> bool {
    READ_PREFIXES.iter().any(|prefix| {
        name.strip_prefix(prefix)
            .is_some_and(|rest| rest.bytes().next().is_none_or(|b| b.is_ascii_uppercase()))
    })
}

/// The members a paginated action pages with, resolved against its input and output.
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    /// Input member holding the offset of the first item.
    pub offset: Field,
    /// Input member holding the page size.
    pub limit: Field,
    /// Output member holding the page's items.
    pub items: Field,
    /// The type of one item.
    pub item: Type,
    /// Output member holding the number of items across all pages.
    pub total_count: Field,
}

/// A member with its resolved type.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// Wire name.
    pub wire: String,
    /// snake_case Rust name, before keyword escaping; made distinct from the other members' by a
    /// number when two wire names give the same name (`UUI` and `Uui` give `uui` and `uui_2`).
    pub snake: String,
    /// Type.
    pub ty: Type,
    /// Required in the request, or always present in the response.
    pub required: bool,
    /// The service may send `null` (output only).
    pub nullable: bool,
    /// A secret, kept out of `Debug` output.
    pub sensitive: bool,
    /// Description for rustdoc.
    pub description: String,
    /// Extra accessor to generate.
    pub format: Option<Format>,
    /// Boxed to break a cycle of structures containing each other.
    pub boxed: bool,
}

impl Field {
    /// Whether the Rust field is an `Option`: not required, or possibly `null`.
    pub fn is_optional(&self) -> bool {
        !self.required || self.nullable
    }
}

/// A member type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Type {
    /// UTF-8 string.
    String,
    /// Signed 64-bit integer.
    Integer,
    /// Unsigned 64-bit integer.
    Unsigned,
    /// 64-bit float.
    Float,
    /// Boolean.
    Boolean,
    /// Raw bytes, sent as a file in a `multipart/form-data` request.
    Binary,
    /// A structure, by name.
    Struct(String),
    /// An enum, by name.
    Enum(String),
    /// A list of the inner type.
    List(Box<Type>),
}

/// Extra accessors a member can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A string holding a percentage: adds `<field>_percent() -> Option<u8>`.
    Percent,
    /// A string holding a date and time, `YYYY-MM-DD hh:mm:ss`: noted in the docs.
    Datetime,
    /// A string holding an ISO 8601 date and time (`2020-09-22T00:00:00+00:00`).
    DatetimeIso,
    /// A string holding a date, `YYYY-MM-DD`.
    Date,
}

impl Format {
    /// The name of the format in specs.
    pub fn name(self) -> &'static str {
        match self {
            Format::Percent => "percent",
            Format::Datetime => "datetime",
            Format::DatetimeIso => "datetime_iso",
            Format::Date => "date",
        }
    }
}

/// A structure.
#[derive(Debug, Clone, PartialEq)]
pub struct Structure {
    /// Type name.
    pub name: String,
    /// Description for rustdoc; empty when the spec carries facts only.
    pub description: String,
    /// Members in wire order.
    pub fields: Vec<Field>,
    /// Whether some request holds it, so that users build it: then every field is optional,
    /// and it serializes.
    pub input: bool,
    /// Whether some answer holds it, so that it deserializes.
    pub output: bool,
}

impl Structure {
    /// Whether the field is an `Option` in this structure: every field of a structure that
    /// requests hold (they are built member by member), the fields that lead back to their own
    /// structure (a value cannot hold itself), and optional or nullable members of the others.
    pub fn is_optional(&self, field: &Field) -> bool {
        self.input || field.boxed || field.is_optional()
    }
}

/// The wire type behind an enum.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnumRepr {
    /// String values.
    String,
    /// Signed integer values.
    Integer,
    /// Unsigned integer values.
    Unsigned,
}

/// An enum.
#[derive(Debug, Clone, PartialEq)]
pub struct Enum {
    /// Type name.
    pub name: String,
    /// Description for rustdoc, from the member that first defines it.
    pub description: String,
    /// Wire type.
    pub repr: EnumRepr,
    /// Whether unknown values are kept in an `Unknown` variant.
    pub open: bool,
    /// Variants in spec order.
    pub variants: Vec<Variant>,
}

impl Enum {
    /// Whether two definitions agree on everything but their description.
    pub fn same_values(&self, other: &Enum) -> bool {
        self.name == other.name
            && self.repr == other.repr
            && self.open == other.open
            && self.variants == other.variants
    }
}

/// An enum variant.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    /// PascalCase variant name.
    pub name: String,
    /// Wire value.
    pub value: VariantValue,
    /// Description for rustdoc.
    pub description: String,
}

/// A variant's wire value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VariantValue {
    /// For string enums.
    String(String),
    /// For integer enums.
    Integer(i64),
    /// For unsigned enums.
    Unsigned(u64),
}

/// An error code of an action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorCode {
    /// The code as sent.
    pub code: String,
    /// Its variant name.
    pub variant: String,
    /// Description for rustdoc.
    pub description: String,
    /// One of the codes every action may answer with: a variant of the shared `CommonError`
    /// rather than of the action's own enum.
    pub common: bool,
}

/// An example of an action, JSON pretty-printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Example {
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// Request parameters.
    pub input: String,
    /// The complete answer.
    pub output: String,
    /// The request parameters as JSON, for writing them as Rust.
    pub parameters: serde_json::Map<String, Value>,
}

/// Names of the generated items of an action, which specs must not reuse: the action itself,
/// its request, call, response and error.
pub fn action_type_names(action: &str) -> [String; 5] {
    [
        action.to_owned(),
        format!("{action}Request"),
        format!("{action}Call"),
        format!("{action}Response"),
        format!("{action}Error"),
    ]
}

/// Type names the generated service module defines itself (the client, the service, the
/// service's error enum) or uses as a generic parameter (`T`, in `impl<T> XCall<T>`). Names of
/// the standard library (`Option`, `Result`, ...) are allowed: a service that defines one gets
/// generated code that names the standard item by its full path.
pub const RESERVED_TYPE_NAMES: &[&str] = &["Client", "SERVICE", "Error", "T"];
/// Client methods besides the actions.
const RESERVED_METHODS: &[&str] = &["new", "config", "handle"];
/// Methods of calls and builders besides the member setters, and names of trait methods that a
/// setter would hide; members with these names get a trailing underscore.
const RESERVED_SETTERS: &[&str] = &[
    "build",
    "send",
    "send_stream",
    "new",
    "into_paginator",
    "param",
    "params",
    "set_member",
    "set_secret_member",
    "set_binary_member",
    "clone",
    "fmt",
];
/// Action modules must not shadow the service module's own children.
const RESERVED_MODULES: &[&str] = &["types"];

impl Service {
    /// Checks a parsed spec and builds the model. `file` names the spec in messages.
    pub fn from_spec(file: &str, spec: &SpecFile) -> Result<Self, SpecErrors> {
        let mut cx = Context {
            file: file.to_owned(),
            errors: Vec::new(),
            structures: BTreeMap::new(),
            enums: BTreeMap::new(),
        };
        let header = cx.check_header(spec);
        for structure in &spec.structures {
            cx.declare_structure(structure);
        }

        let mut structures = Vec::new();
        for structure in &spec.structures {
            let location = format!("structure {}", structure.name);
            let fields = cx.fields(&location, &structure.members, Direction::Both);
            structures.push(Structure {
                name: structure.name.clone(),
                description: structure.description.trim().to_owned(),
                fields,
                input: false,
                output: false,
            });
        }
        let errors = cx.error_codes("errors", &spec.errors);

        let mut actions = Vec::new();
        let mut action_names = BTreeSet::new();
        for action in &spec.actions {
            if !action_names.insert(action.name.clone()) {
                cx.error(
                    format!("action {}", action.name),
                    "the action is defined twice",
                );
                continue;
            }
            if let Some(action) = cx.action(action) {
                actions.push(action);
            }
        }
        actions.sort_by(|a, b| a.name.cmp(&b.name));
        distinct_method_names(&mut actions);
        cx.check_generated_names(&actions);
        mark_boxed_fields(&mut structures);
        mark_directions(&mut structures, &actions);
        structures.sort_by(|a, b| a.name.cmp(&b.name));
        for spec_action in &spec.actions {
            if let Some(action) = actions.iter().find(|a| a.name == spec_action.name) {
                cx.check_examples(spec_action, action, &structures);
            }
        }

        let enums = cx.enums.values().map(|(e, _)| e.clone()).collect();
        if !cx.errors.is_empty() {
            return Err(SpecErrors(cx.errors));
        }
        let (version_module, endpoint_prefix) = header;
        Ok(Service {
            file: file.to_owned(),
            name: spec.service.clone(),
            version: spec.version.clone(),
            version_module,
            title: spec.title.trim().to_owned(),
            description: spec.description.trim().to_owned(),
            origin: spec.origin.trim().to_owned(),
            endpoint_prefix,
            errors,
            actions,
            structures,
            enums,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Direction {
    Input,
    Output,
    Both,
}

struct Context {
    file: String,
    errors: Vec<SpecError>,
    /// Declared structure names, with the location of their declaration.
    structures: BTreeMap<String, String>,
    /// Enums by name, with the location of their first definition.
    enums: BTreeMap<String, (Enum, String)>,
}

impl Context {
    fn error(&mut self, location: impl Into<String>, message: impl Into<String>) {
        self.errors.push(SpecError {
            file: self.file.clone(),
            location: location.into(),
            message: message.into(),
        });
    }

    /// Checks the top-level fields; returns the version module and endpoint prefix.
    fn check_header(&mut self, spec: &SpecFile) -> (String, String) {
        let service_ok = spec
            .service
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_lowercase())
            && spec
                .service
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
        // A service named like a keyword (`as`) gets a raw module name (`r#as`).
        if !service_ok {
            self.error(
                "service",
                format!(
                    "`{}` must be lowercase letters and digits, starting with a letter",
                    spec.service
                ),
            );
        }
        let digits: String = spec.version.chars().filter(|c| *c != '-').collect();
        let version_ok = spec.version.len() == 10
            && spec.version.as_bytes()[4] == b'-'
            && spec.version.as_bytes()[7] == b'-'
            && digits.len() == 8
            && digits.bytes().all(|b| b.is_ascii_digit());
        if !version_ok {
            self.error(
                "version",
                format!("`{}` is not a date of the form YYYY-MM-DD", spec.version),
            );
        }
        let prefix = spec
            .host
            .strip_suffix(".tencentcloudapi.com")
            .filter(|p| {
                !p.is_empty()
                    && p.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            })
            .unwrap_or_default()
            .to_owned();
        if prefix.is_empty() {
            self.error(
                "host",
                format!(
                    "`{}` must be `<prefix>.tencentcloudapi.com` with a lowercase prefix",
                    spec.host
                ),
            );
        }
        (format!("v{digits}"), prefix)
    }

    fn declare_structure(&mut self, structure: &StructureSpec) {
        let location = format!("structure {}", structure.name);
        if !is_type_name(&structure.name) {
            self.error(
                &location,
                "the name must be a PascalCase identifier (ASCII letters and digits, starting with an uppercase letter)",
            );
            return;
        }
        if self.structures.contains_key(&structure.name) {
            self.error(&location, "the structure is defined twice");
            return;
        }
        self.structures.insert(structure.name.clone(), location);
    }

    fn action(&mut self, spec: &ActionSpec) -> Option<Action> {
        let location = format!("action {}", spec.name);
        if !is_type_name(&spec.name) {
            self.error(
                &location,
                "the name must be a PascalCase identifier (ASCII letters and digits, starting with an uppercase letter)",
            );
            return None;
        }
        if spec.rate_limit == Some(0) {
            self.error(
                format!("{location}, rateLimit"),
                "must be at least 1 request per second",
            );
        }
        let input = self.fields(&format!("{location}, input"), &spec.input, Direction::Input);
        let output = self.fields(
            &format!("{location}, output"),
            &spec.output,
            Direction::Output,
        );
        let pagination = spec
            .pagination
            .as_ref()
            .and_then(|p| self.pagination(&location, p, &input, &output));
        let errors = self.error_codes(&format!("{location}, errors"), &spec.errors);
        let status = match spec.status.as_deref() {
            None => None,
            Some(known @ ("deprecated" | "offline")) => Some(known.to_owned()),
            Some(other) => {
                self.error(
                    format!("{location}, status"),
                    format!("unknown status `{other}` (known: `deprecated`, `offline`)"),
                );
                None
            }
        };
        let multipart = input.iter().any(|field| field.ty == Type::Binary);
        let examples = spec
            .examples
            .iter()
            .map(|example| Example {
                title: example.title.clone(),
                description: example.description.clone(),
                input: pretty(&Value::Object(example.input.clone())),
                output: pretty(&example.output),
                parameters: example.input.clone(),
            })
            .collect();
        Some(Action {
            name: spec.name.clone(),
            snake: snake_case(&spec.name),
            summary: spec.summary.trim().to_owned(),
            description: spec.description.trim().to_owned(),
            status,
            signed: spec.signed.unwrap_or(true),
            multipart,
            rate_limit: spec.rate_limit,
            idempotent: spec
                .idempotent
                .unwrap_or_else(|| is_read_action(&spec.name)),
            idempotent_in_spec: spec.idempotent.is_some(),
            input,
            output,
            errors,
            examples,
            pagination,
        })
    }

    fn pagination(
        &mut self,
        location: &str,
        spec: &PaginationSpec,
        input: &[Field],
        output: &[Field],
    ) -> Option<Pagination> {
        let here = format!("{location}, pagination");
        let mut find = |key: &str, wire: &str, fields: &[Field], side: &str| {
            let found = fields.iter().find(|f| f.wire == wire).cloned();
            if found.is_none() {
                self.error(
                    format!("{here}.{key}"),
                    format!("`{wire}` is not an {side} member"),
                );
            }
            found
        };
        let offset = find("offset", &spec.offset, input, "input");
        let limit = find("limit", &spec.limit, input, "input");
        let items = find("items", &spec.items, output, "output");
        let total_count = find("totalCount", &spec.total_count, output, "output");
        let (offset, limit, items, total_count) = (offset?, limit?, items?, total_count?);
        let mut ok = true;
        for (key, field) in [
            ("offset", &offset),
            ("limit", &limit),
            ("totalCount", &total_count),
        ] {
            if !matches!(field.ty, Type::Integer | Type::Unsigned) {
                self.error(
                    format!("{here}.{key}"),
                    format!("`{}` must be an integer or unsigned member", field.wire),
                );
                ok = false;
            }
        }
        let Type::List(item) = &items.ty else {
            self.error(
                format!("{here}.items"),
                format!("`{}` must be a list", items.wire),
            );
            return None;
        };
        let item = (**item).clone();
        ok.then_some(Pagination {
            offset,
            limit,
            items,
            item,
            total_count,
        })
    }

    /// Checks a list of error codes; `location` names the list (`errors`, or `action X, errors`).
    fn error_codes(&mut self, location: &str, errors: &[ErrorSpec]) -> Vec<ErrorCode> {
        let mut codes = Vec::new();
        let mut seen_codes = BTreeSet::new();
        for error in errors {
            let here = format!("{location}.{}", error.code);
            let valid = !error.code.is_empty()
                && error
                    .code
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'_')
                && error
                    .code
                    .bytes()
                    .next()
                    .is_some_and(|b| b.is_ascii_alphabetic());
            if !valid {
                self.error(
                    &here,
                    "an error code is ASCII letters and digits separated by `.` or `_`, starting with a letter",
                );
                continue;
            }
            if !seen_codes.insert(error.code.clone()) {
                self.error(&here, "the error code is listed twice");
                continue;
            }
            codes.push(ErrorCode {
                code: error.code.clone(),
                variant: pascal_case(&error.code),
                description: error.description.trim().to_owned(),
                common: COMMON_ERRORS.iter().any(|(code, _)| *code == error.code),
            });
        }
        // Common codes are variants of `CommonError`, not of the action's enum. The others get
        // distinct variant names: `Unknown` and `Common` are taken, and two codes that join to
        // the same name (`Foo.IPv6` and `Foo.Ipv6`) are told apart by a number, in list order.
        let mut taken: BTreeSet<String> = ["Unknown", "Common"].map(str::to_owned).into();
        for code in codes.iter_mut().filter(|code| !code.common) {
            code.variant = distinct(&code.variant, &mut taken, "");
        }
        codes
    }

    fn fields(&mut self, location: &str, members: &[MemberSpec], dir: Direction) -> Vec<Field> {
        let mut fields = Vec::new();
        let mut wire_names = BTreeSet::new();
        let mut rust_names = BTreeSet::new();
        if dir == Direction::Output {
            // Every response has a `request_id` field for its RequestId.
            rust_names.insert("request_id".to_owned());
        }
        for member in members {
            let here = format!("{location}.{}", member.name);
            if !is_wire_name(&member.name) {
                self.error(
                    &here,
                    "a member name is ASCII letters, digits and `_`, starting with a letter",
                );
                continue;
            }
            if !wire_names.insert(member.name.clone()) {
                self.error(&here, "the member is defined twice");
                continue;
            }
            let mut snake = snake_case(&member.name);
            if RESERVED_SETTERS.contains(&snake.as_str()) {
                snake.push('_');
            }
            let snake = distinct(&snake, &mut rust_names, "_");
            if dir == Direction::Output && member.name == "RequestId" {
                self.error(
                    &here,
                    "`RequestId` is part of every response and must not be declared",
                );
                continue;
            }
            if member.nullable && dir == Direction::Input {
                self.error(&here, "`nullable` applies to output members only");
            }
            let Some(ty) = self.member_type(&here, member, dir) else {
                continue;
            };
            let format = match member.format.as_deref() {
                None => None,
                Some(name) => {
                    let known = [
                        Format::Percent,
                        Format::Datetime,
                        Format::DatetimeIso,
                        Format::Date,
                    ];
                    let text = ty == Type::String || ty == Type::List(Box::new(Type::String));
                    match known.into_iter().find(|format| format.name() == name) {
                        Some(Format::Percent) if ty == Type::String => Some(Format::Percent),
                        Some(Format::Percent) => {
                            self.error(&here, "format `percent` applies to string members only");
                            None
                        }
                        Some(format) if text => Some(format),
                        Some(_) => {
                            self.error(
                                &here,
                                format!("format `{name}` applies to string members only"),
                            );
                            None
                        }
                        None => {
                            self.error(
                                &here,
                                format!(
                                    "unknown format `{name}` (known: `percent`, `datetime`, `datetime_iso`, `date`)"
                                ),
                            );
                            None
                        }
                    }
                }
            };
            if member.sensitive && ty != Type::String {
                self.error(&here, "`sensitive` applies to string members only");
            }
            if let Some(example) = &member.example {
                let mut problems = Vec::new();
                check_value_shape(&ty, example, "example", &mut problems);
                for problem in problems {
                    self.error(&here, problem);
                }
            }
            fields.push(Field {
                wire: member.name.clone(),
                snake,
                ty,
                required: member.required,
                nullable: member.nullable,
                sensitive: member.sensitive,
                description: member.description.trim().to_owned(),
                format,
                boxed: false,
            });
        }
        fields
    }

    fn member_type(&mut self, here: &str, member: &MemberSpec, dir: Direction) -> Option<Type> {
        if member.ty == "list" {
            let Some(items) = &member.items else {
                self.error(here, "a `list` needs `items`, the element type");
                return None;
            };
            if items == "list" {
                self.error(here, "lists of lists are not supported");
                return None;
            }
            let inner = self.scalar_type(
                here,
                items,
                member.allowed.as_ref(),
                dir,
                &member.description,
            )?;
            return Some(Type::List(Box::new(inner)));
        }
        if member.items.is_some() {
            self.error(here, "`items` applies to `list` members only");
        }
        self.scalar_type(
            here,
            &member.ty,
            member.allowed.as_ref(),
            dir,
            &member.description,
        )
    }

    fn scalar_type(
        &mut self,
        here: &str,
        name: &str,
        allowed: Option<&EnumSpec>,
        dir: Direction,
        description: &str,
    ) -> Option<Type> {
        let ty = match name {
            "string" => Type::String,
            "integer" => Type::Integer,
            "unsigned" => Type::Unsigned,
            "float" => Type::Float,
            "boolean" => Type::Boolean,
            "binary" if dir == Direction::Input => Type::Binary,
            "binary" => {
                self.error(
                    here,
                    "`binary` is for request members only (the file of an upload)",
                );
                return None;
            }
            other if self.structures.contains_key(other) => Type::Struct(other.to_owned()),
            other => {
                self.error(
                    here,
                    format!(
                        "unknown type `{other}` (expected string, integer, unsigned, float, boolean, binary, list or a structure defined in this file)"
                    ),
                );
                return None;
            }
        };
        let Some(allowed) = allowed else {
            return Some(ty);
        };
        let repr = match ty {
            Type::String => EnumRepr::String,
            Type::Integer => EnumRepr::Integer,
            Type::Unsigned => EnumRepr::Unsigned,
            _ => {
                self.error(
                    here,
                    "`enum` applies to string, integer and unsigned members only",
                );
                return None;
            }
        };
        self.define_enum(here, allowed, repr, dir, description)
            .map(Type::Enum)
    }

    fn define_enum(
        &mut self,
        here: &str,
        spec: &EnumSpec,
        repr: EnumRepr,
        dir: Direction,
        description: &str,
    ) -> Option<String> {
        let here = format!("{here}, enum {}", spec.name);
        if !is_type_name(&spec.name) {
            self.error(&here, "the enum name must be a PascalCase identifier");
            return None;
        }
        if !spec.open && dir != Direction::Input {
            self.error(
                &here,
                "a closed enum would fail a whole response when the service adds a value; mark it open",
            );
            return None;
        }
        if spec.values.is_empty() {
            self.error(&here, "an enum needs at least one value");
            return None;
        }
        let mut variants = Vec::new();
        let mut names = BTreeSet::new();
        let mut values = BTreeSet::new();
        for value in &spec.values {
            let shown = value.value.to_string();
            let at = format!("{here}, value {shown}");
            let wire = match (repr, &value.value) {
                (EnumRepr::String, Value::String(s)) => VariantValue::String(s.clone()),
                (EnumRepr::Integer, Value::Number(n)) if n.is_i64() => {
                    VariantValue::Integer(n.as_i64().unwrap_or_default())
                }
                (EnumRepr::Unsigned, Value::Number(n)) if n.is_u64() => {
                    VariantValue::Unsigned(n.as_u64().unwrap_or_default())
                }
                _ => {
                    let expected = match repr {
                        EnumRepr::String => "a string",
                        EnumRepr::Integer => "a 64-bit integer",
                        EnumRepr::Unsigned => "an unsigned 64-bit integer",
                    };
                    self.error(
                        &at,
                        format!("the value must be {expected}, like the member"),
                    );
                    continue;
                }
            };
            let name = match (&value.name, &wire) {
                (Some(name), _) => name.clone(),
                (None, VariantValue::String(s)) => pascal_case(s),
                (None, _) => {
                    self.error(&at, "integer values need a `name` for their variant");
                    continue;
                }
            };
            if !is_type_name(&name) {
                self.error(
                    &at,
                    format!(
                        "the variant name `{name}` is not a PascalCase identifier; give one with `name`"
                    ),
                );
                continue;
            }
            if name == "Unknown" {
                self.error(
                    &at,
                    "the variant name `Unknown` is reserved for unlisted values",
                );
                continue;
            }
            if !names.insert(snake_case(&name)) {
                self.error(&at, format!("the variant name `{name}` is used twice"));
                continue;
            }
            if !values.insert(shown) {
                self.error(&at, "the value is listed twice");
                continue;
            }
            variants.push(Variant {
                name,
                value: wire,
                description: value.description.trim().to_owned(),
            });
        }
        let defined = Enum {
            name: spec.name.clone(),
            description: description.trim().to_owned(),
            repr,
            open: spec.open,
            variants,
        };
        if let Some(location) = self.structures.get(&spec.name) {
            let location = location.clone();
            self.error(&here, format!("the name is already taken by {location}"));
            return None;
        }
        match self.enums.get(&spec.name) {
            Some((existing, _)) if existing.same_values(&defined) => {}
            Some((_, first)) => {
                let first = first.clone();
                self.error(
                    &here,
                    format!("enum `{}` is defined differently at {first}", spec.name),
                );
                return None;
            }
            None => {
                self.enums.insert(spec.name.clone(), (defined, here));
            }
        }
        Some(spec.name.clone())
    }

    /// Generated names must not collide with each other or with the spec's types.
    fn check_generated_names(&mut self, actions: &[Action]) {
        let mut taken: BTreeMap<String, String> = BTreeMap::new();
        for name in RESERVED_TYPE_NAMES {
            taken.insert(
                (*name).to_owned(),
                "the generated service module (the name is reserved)".to_owned(),
            );
        }
        let structures: Vec<(String, String)> = self
            .structures
            .iter()
            .map(|(name, location)| (name.clone(), location.clone()))
            .collect();
        let enums: Vec<(String, String)> = self
            .enums
            .iter()
            .map(|(name, (_, location))| (name.clone(), location.clone()))
            .collect();
        let builders: Vec<(String, String)> = structures
            .iter()
            .map(|(name, location)| (format!("{name}Builder"), location.clone()))
            .collect();
        for (name, location) in structures.into_iter().chain(enums).chain(builders) {
            if let Some(other) = taken.insert(name.clone(), location.clone()) {
                self.error(
                    location,
                    format!("the type name `{name}` is also used by {other}"),
                );
            }
        }
        let mut modules = BTreeMap::new();
        for action in actions {
            let location = format!("action {}", action.name);
            for name in action_type_names(&action.name) {
                if let Some(other) = taken.insert(name.clone(), location.clone()) {
                    self.error(
                        &location,
                        format!("the generated type `{name}` clashes with {other}"),
                    );
                }
            }
            if RESERVED_METHODS.contains(&action.snake.as_str())
                || RESERVED_MODULES.contains(&action.snake.as_str())
            {
                self.error(
                    &location,
                    format!(
                        "its method and module name `{}` is reserved by the generated client",
                        action.snake
                    ),
                );
            }
            if let Some(other) = modules.insert(action.snake.clone(), action.name.clone()) {
                // `distinct_method_names` makes this impossible; kept as a guard.
                self.error(
                    &location,
                    format!(
                        "its method name `{}` is the same as that of action {other}",
                        action.snake
                    ),
                );
            }
        }
    }

    /// Examples must fit the types they illustrate.
    fn check_examples(&mut self, spec: &ActionSpec, action: &Action, structures: &[Structure]) {
        for (index, example) in spec.examples.iter().enumerate() {
            let location = format!("action {}, examples[{index}]", spec.name);
            let mut problems = Vec::new();
            check_object(
                &action.input,
                &Value::Object(example.input.clone()),
                "input",
                structures,
                &self.enums,
                &mut problems,
            );
            check_example_output(
                example,
                &action.output,
                structures,
                &self.enums,
                &mut problems,
            );
            for problem in problems {
                self.error(&location, problem);
            }
        }
    }
}

fn check_example_output(
    example: &ExampleSpec,
    output: &[Field],
    structures: &[Structure],
    enums: &BTreeMap<String, (Enum, String)>,
    problems: &mut Vec<String>,
) {
    let Some(response) = example.output.get("Response") else {
        problems.push("output must be an object with a `Response` member".to_owned());
        return;
    };
    let Some(object) = response.as_object() else {
        problems.push("output.Response must be an object".to_owned());
        return;
    };
    if !matches!(object.get("RequestId"), Some(Value::String(_))) {
        problems.push("output.Response.RequestId must be a string".to_owned());
    }
    if object.contains_key("Error") {
        // An error example has no output members to check.
        return;
    }
    let mut members = object.clone();
    members.remove("RequestId");
    check_object(
        output,
        &Value::Object(members),
        "output.Response",
        structures,
        enums,
        problems,
    );
}

fn check_object(
    fields: &[Field],
    value: &Value,
    path: &str,
    structures: &[Structure],
    enums: &BTreeMap<String, (Enum, String)>,
    problems: &mut Vec<String>,
) {
    let Some(object) = value.as_object() else {
        problems.push(format!("{path} must be an object"));
        return;
    };
    for (key, item) in object {
        let Some(field) = fields.iter().find(|f| &f.wire == key) else {
            problems.push(format!("{path}.{key} is not a member"));
            continue;
        };
        if item.is_null() {
            if !field.nullable {
                problems.push(format!(
                    "{path}.{key} is null but the member is not nullable"
                ));
            }
            continue;
        }
        check_typed(
            &field.ty,
            item,
            &format!("{path}.{key}"),
            structures,
            enums,
            problems,
        );
    }
}

fn check_typed(
    ty: &Type,
    value: &Value,
    path: &str,
    structures: &[Structure],
    enums: &BTreeMap<String, (Enum, String)>,
    problems: &mut Vec<String>,
) {
    match ty {
        Type::Struct(name) => {
            if let Some(structure) = structures.iter().find(|s| &s.name == name) {
                check_object(&structure.fields, value, path, structures, enums, problems);
            }
        }
        Type::List(inner) => match value.as_array() {
            Some(items) => {
                for (i, item) in items.iter().enumerate() {
                    check_typed(
                        inner,
                        item,
                        &format!("{path}[{i}]"),
                        structures,
                        enums,
                        problems,
                    );
                }
            }
            None => problems.push(format!("{path} must be a list")),
        },
        Type::Enum(name) => {
            let Some((defined, _)) = enums.get(name) else {
                return;
            };
            let base = match defined.repr {
                EnumRepr::String => Type::String,
                EnumRepr::Integer => Type::Integer,
                EnumRepr::Unsigned => Type::Unsigned,
            };
            check_value_shape(&base, value, path, problems);
        }
        scalar => check_value_shape(scalar, value, path, problems),
    }
}

/// Checks a JSON value against a scalar type (or, for lists and structures, its outer shape).
fn check_value_shape(ty: &Type, value: &Value, path: &str, problems: &mut Vec<String>) {
    let (ok, expected) = match ty {
        Type::String => (value.is_string(), "a string"),
        Type::Integer => (value.is_i64(), "an integer"),
        Type::Unsigned => (value.is_u64(), "an unsigned integer"),
        Type::Float => (value.is_number(), "a number"),
        Type::Boolean => (value.is_boolean(), "a boolean"),
        Type::Binary => (value.is_string(), "a string"),
        Type::Struct(_) => (value.is_object(), "an object"),
        Type::List(_) => (value.is_array(), "a list"),
        Type::Enum(_) => (true, ""),
    };
    if !ok {
        problems.push(format!("{path} must be {expected}, found {value}"));
    }
}

/// Boxes structure fields that lead back to their own structure, so the types have a finite size.
fn mark_boxed_fields(structures: &mut [Structure]) {
    let edges: BTreeMap<String, Vec<String>> = structures
        .iter()
        .map(|s| {
            let targets = s
                .fields
                .iter()
                .filter_map(|f| match &f.ty {
                    Type::Struct(target) => Some(target.clone()),
                    _ => None,
                })
                .collect();
            (s.name.clone(), targets)
        })
        .collect();
    for structure in structures.iter_mut() {
        let name = structure.name.clone();
        for field in &mut structure.fields {
            if let Type::Struct(target) = &field.ty {
                field.boxed = reaches(&edges, target, &name);
            }
        }
    }
}

/// Whether `from` reaches `to` through direct (not list) structure fields.
fn reaches(edges: &BTreeMap<String, Vec<String>>, from: &str, to: &str) -> bool {
    let mut stack = vec![from.to_owned()];
    let mut seen = BTreeSet::new();
    while let Some(node) = stack.pop() {
        if node == to {
            return true;
        }
        if seen.insert(node.clone()) {
            stack.extend(edges.get(&node).into_iter().flatten().cloned());
        }
    }
    false
}

/// `name` if it is not taken yet, else `name` followed by `separator` and the first number from 2
/// that makes it free; the result is marked taken. This is how names that Rust would not tell
/// apart (members `UUI` and `Uui`, both `uui`) become distinct, deterministically: the first in
/// the spec's order keeps the plain name.
pub fn distinct(name: &str, taken: &mut BTreeSet<String>, separator: &str) -> String {
    let mut candidate = name.to_owned();
    let mut number = 2;
    while taken.contains(&candidate) {
        candidate = format!("{name}{separator}{number}");
        number += 1;
    }
    taken.insert(candidate.clone());
    candidate
}

/// Gives actions whose names are the same in snake_case (`DescribeIPs`, `DescribeIps`)
/// distinct method names, in name order.
fn distinct_method_names(actions: &mut [Action]) {
    let mut taken = BTreeSet::new();
    for action in actions.iter_mut() {
        action.snake = distinct(&action.snake, &mut taken, "_");
    }
}

/// Marks the structures that requests and answers hold, directly or through other structures.
fn mark_directions(structures: &mut [Structure], actions: &[Action]) {
    let index: BTreeMap<String, usize> = structures
        .iter()
        .enumerate()
        .map(|(i, s)| (s.name.clone(), i))
        .collect();
    let reached =
        |start: Vec<&Type>, structures: &[Structure]| {
            let mut seen = BTreeSet::new();
            let mut stack: Vec<usize> = start
                .into_iter()
                .filter_map(|ty| struct_name(ty).and_then(|name| index.get(name).copied()))
                .collect();
            while let Some(i) = stack.pop() {
                if seen.insert(i) {
                    stack.extend(structures[i].fields.iter().filter_map(|f| {
                        struct_name(&f.ty).and_then(|name| index.get(name).copied())
                    }));
                }
            }
            seen
        };
    let inputs = reached(
        actions
            .iter()
            .flat_map(|a| a.input.iter().map(|f| &f.ty))
            .collect(),
        structures,
    );
    let outputs = reached(
        actions
            .iter()
            .flat_map(|a| a.output.iter().map(|f| &f.ty))
            .collect(),
        structures,
    );
    for (i, structure) in structures.iter_mut().enumerate() {
        structure.input = inputs.contains(&i);
        // A structure no action uses is still readable, as answers would carry it.
        structure.output = outputs.contains(&i) || !structure.input;
    }
}

/// The structure a type names, through lists.
fn struct_name(ty: &Type) -> Option<&str> {
    match ty {
        Type::Struct(name) => Some(name),
        Type::List(inner) => struct_name(inner),
        _ => None,
    }
}

fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string())
}

fn is_wire_name(name: &str) -> bool {
    is_valid_identifier(name) && name.bytes().next().is_some_and(|b| b.is_ascii_alphabetic())
}

#[cfg(test)]
mod tests {
    use super::is_read_action;

    #[test]
    fn read_actions_are_named_by_a_whole_word_prefix() {
        for name in [
            "DescribeMigrateCheckJob",
            "Describe",
            "GetJob",
            "Get",
            "ListThings",
            "InquirePriceCreate",
            "DescribeIPv6Addr",
        ] {
            assert!(is_read_action(name), "{name} reads");
        }
        for name in [
            "CreateMigrateJob",
            "Descriptor",
            "Getaway",
            "Listen",
            "Inquiry",
            "Describe2",
            "describeJob",
            "ModifyDescribeFlag",
            "",
        ] {
            assert!(!is_read_action(name), "{name} does not read");
        }
    }
}
