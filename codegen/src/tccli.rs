//! Imports the official Tencent Cloud CLI's (tccli) description of one service version.
//!
//! tccli ships, for every service version, an `api.json` (the actions and the objects their
//! requests, responses and shared structures are made of) and an `examples.json` (requests with
//! the service's answers). [`import`] turns them into a [`SpecFile`] of this project's format,
//! then runs the result through [`crate::parse`] and [`crate::generate`], so an import that
//! succeeds always gives a spec the loader accepts.
//!
//! Whatever the importer has to leave out, drop or rename is reported as a [`Warning`] naming the
//! file, the action or structure and the member, the way the loader names places. Problems that
//! make an import impossible (text that is not JSON, missing keys, an action whose request object
//! is not defined) are errors. No input makes the importer panic.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde_json::{Map, Number, Value};

use crate::model::{RESERVED_TYPE_NAMES, SpecError, SpecErrors, action_type_names};
use crate::names::{is_type_name, pascal_case};
use crate::spec::{ActionSpec, ExampleSpec, MemberSpec, PaginationSpec, SpecFile, StructureSpec};

/// One input file: its text, and how messages name it.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    /// How messages name the file (normally the path given by the user).
    pub display: &'a str,
    /// The file's contents.
    pub text: &'a str,
}

/// A successful import.
#[derive(Debug, Clone)]
pub struct Import {
    /// The spec, as the loader will read it.
    pub spec: SpecFile,
    /// The spec as pretty-printed JSON, ending with a newline: the text to save as
    /// `api-spec/<service>/<version>.json`.
    pub json: String,
    /// Everything that was left out, dropped or renamed, in the order it was found.
    pub warnings: Vec<Warning>,
}

impl Import {
    /// The number of examples kept across all actions.
    pub fn examples_kept(&self) -> usize {
        self.spec.actions.iter().map(|a| a.examples.len()).sum()
    }

    /// The number of examples of `examples.json` that were left out.
    pub fn examples_dropped(&self) -> usize {
        self.warnings
            .iter()
            .filter(|w| w.kind == WarningKind::ExampleLeftOut)
            .count()
    }
}

/// Something the importer could not carry over as is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// The tccli file it is about, as given in its [`Source`].
    pub file: String,
    /// Where: the action or structure and the member path (`action X, input.Y`).
    pub location: String,
    /// What sort of problem it is.
    pub kind: WarningKind,
    /// What is wrong and what the importer did about it.
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::model::write_located(f, &self.file, &self.location, &self.message)
    }
}

/// The sorts of [`Warning`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum WarningKind {
    /// A member tccli marks `disabled`; it was kept.
    DisabledMember,
    /// A request member marked `value_allowed_null`, which requests cannot express; dropped.
    NullableInput,
    /// A member example that does not convert to the member's type; left out.
    MemberExample,
    /// Missing documentation, replaced by a placeholder sentence.
    Undocumented,
    /// An object with no or an unknown `usage`; treated as used in both directions.
    UnknownUsage,
    /// A structure no action uses; kept.
    UnusedStructure,
    /// A structure renamed because its name would clash with a generated name.
    RenamedStructure,
    /// An example of `examples.json` that was left out.
    ExampleLeftOut,
    /// An example kept in spite of a defect, such as a request naming another action.
    ExampleDefect,
    /// A response member made nullable because an example answer holds `null` for it.
    NullInExample,
    /// An action status the SDK does not know; the action is kept as in service.
    UnknownStatus,
    /// A name that Rust needs spelt differently, mapped deterministically (the wire name is
    /// kept): a keyword, or a member whose snake_case name another member of the structure
    /// already has.
    MappedName,
}

impl WarningKind {
    /// A short lowercase label, for summaries.
    pub fn label(self) -> &'static str {
        match self {
            Self::DisabledMember => "disabled member",
            Self::NullableInput => "nullable input",
            Self::MemberExample => "member example left out",
            Self::Undocumented => "undocumented",
            Self::UnknownUsage => "unknown usage",
            Self::UnusedStructure => "unused structure",
            Self::RenamedStructure => "renamed structure",
            Self::ExampleLeftOut => "example left out",
            Self::ExampleDefect => "example defect",
            Self::NullInExample => "made nullable by an example",
            Self::UnknownStatus => "unknown status",
            Self::MappedName => "name mapped for Rust",
        }
    }
}

/// Converts a tccli `api.json` (and optionally its `examples.json`) into a spec. `title`
/// overrides the service title, which otherwise comes from the file's metadata.
///
/// The spec is checked with [`crate::parse`] and [`crate::generate`]; if either refuses it, the
/// import fails with their messages, named after `api`.
pub fn import(
    api: Source<'_>,
    examples: Option<Source<'_>>,
    title: Option<&str>,
) -> Result<Import, SpecErrors> {
    let options = Options {
        title,
        ..Options::default()
    };
    import_with(api, examples, &options)
}

/// How an import is made.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options<'a> {
    /// Overrides the service title (otherwise the file's `serviceNameCN`).
    pub title: Option<&'a str>,
    /// Keep only facts: names, types, required flags, nullability, structure, host, status and
    /// error codes. The official prose (titles, descriptions, documents) and the official
    /// examples are left out; `examples.json`, when given, is read only for the members its
    /// answers show as `null`. This is how the catalogue is imported.
    pub facts_only: bool,
    /// Where the facts come from (`tccli 3.1.189.1`), written into the spec.
    pub origin: Option<&'a str>,
    /// The service version's error codes: the official Python SDK's `errorcodes.py`
    /// (`NAME = 'Code'` lines; comments and blank lines are skipped).
    pub error_codes: Option<Source<'a>>,
    /// Skip running the generator over the result (the loader still checks it). The catalogue
    /// import does, as `cargo xtask codegen` generates every spec afterwards anyway.
    pub skip_generate: bool,
}

/// [`import`] with every option.
pub fn import_with(
    api: Source<'_>,
    examples: Option<Source<'_>>,
    options: &Options<'_>,
) -> Result<Import, SpecErrors> {
    let mut cx = Importer {
        api: api.display.to_owned(),
        errors: Vec::new(),
        warnings: Vec::new(),
        facts_only: options.facts_only,
    };
    let spec = cx
        .read_api(api.text)
        .map(|raw| cx.convert(&raw, options.title));
    let mut spec = match spec {
        Some(spec) if cx.errors.is_empty() => spec,
        _ => return Err(SpecErrors(cx.errors)),
    };
    if let Some(origin) = options.origin {
        spec.origin = origin.to_owned();
    }
    if let Some(codes) = options.error_codes {
        spec.errors = cx.error_codes(codes);
    }
    if let Some(examples) = examples {
        cx.add_examples(&mut spec, examples);
    }
    if !cx.errors.is_empty() {
        return Err(SpecErrors(cx.errors));
    }
    let (json, service) = check(&spec, api.display, !options.skip_generate)?;
    cx.report_mapped_names(&service);
    Ok(Import {
        spec,
        json,
        warnings: cx.warnings,
    })
}

/// One request example of an `examples.json`, with its parameters typed by the `api.json`.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestExample {
    /// The action it is filed under.
    pub action: String,
    /// Its title.
    pub title: String,
    /// The parameters as a typed JSON object, or why they do not fit the action's members.
    pub parameters: Result<Map<String, Value>, String>,
}

/// Reads the request of every example in `examples`, typed by the members of `api`, whether or not
/// an import would keep the example (its answer is not looked at). This is what a test needs to
/// hold every documented request against generated request types.
pub fn request_examples(
    api: Source<'_>,
    examples: Source<'_>,
) -> Result<Vec<RequestExample>, SpecErrors> {
    let spec = import(api, None, None)?.spec;
    let root: Value = serde_json::from_str(examples.text).map_err(|err| {
        SpecErrors(vec![SpecError {
            file: examples.display.to_owned(),
            location: String::new(),
            message: format!("not JSON: {err}"),
        }])
    })?;
    let types = Types::new(
        spec.structures
            .iter()
            .map(|s| (s.name.clone(), s.members.clone())),
    );
    let mut found = Vec::new();
    let actions = root.get("actions").and_then(Value::as_object);
    for (name, list) in actions.into_iter().flatten() {
        let list = list.as_array().map_or(&[][..], Vec::as_slice);
        let action = spec.actions.iter().find(|a| &a.name == name);
        for (index, example) in list.iter().enumerate() {
            let parameters = match (action, example.get("input").and_then(Value::as_str)) {
                (None, _) => Err("the api.json has no such action".to_owned()),
                (_, None) => Err("`input` is missing or not a string".to_owned()),
                (Some(action), Some(text)) => {
                    example_input(text, action, &types).map(|(_, input)| input)
                }
            };
            found.push(RequestExample {
                action: name.clone(),
                title: example_title(example, index),
                parameters,
            });
        }
    }
    Ok(found)
}

/// Serializes the spec and runs it through the loader and, with `generate`, the generator.
fn check(
    spec: &SpecFile,
    display: &str,
    generate: bool,
) -> Result<(String, crate::Service), SpecErrors> {
    let refused = |location: String, message: String| SpecError {
        file: display.to_owned(),
        location,
        message: format!("the imported spec would be refused: {message}"),
    };
    let json = crate::spec::to_json(spec)
        .map_err(|err| SpecErrors(vec![refused(String::new(), err.to_string())]))?;
    let service = crate::parse(&json, display).map_err(|errors| {
        SpecErrors(
            errors
                .0
                .into_iter()
                .map(|e| refused(e.location, e.message))
                .collect(),
        )
    })?;
    if generate {
        crate::generate(std::slice::from_ref(&service))
            .map_err(|err| SpecErrors(vec![refused(String::new(), err.to_string())]))?;
    }
    Ok((json, service))
}

/// The schema reference every spec file starts with.
const SCHEMA: &str = "../spec.schema.json";
/// Documentation used where tccli has none.
const UNDOCUMENTED: &str = "Not documented by the service.";
/// How deeply query parameter names may nest (`A.0.B` is 3), which bounds the recursion.
const MAX_NESTING: usize = 64;
/// Common request parameters, which examples may show but which are not members.
const COMMON_PARAMETERS: &[&str] = &[
    "Action",
    "Version",
    "Region",
    "Timestamp",
    "Nonce",
    "SecretId",
    "Signature",
    "SignatureMethod",
    "Token",
    "Language",
    "RequestClient",
];

// ---------------------------------------------------------------------------------------------
// Reading api.json

/// `api.json`, read loosely: only what the importer needs, with defaults for optional keys.
struct RawApi {
    service: String,
    version: String,
    title: Option<String>,
    brief: Option<String>,
    /// Sorted by name.
    actions: Vec<RawAction>,
    objects: BTreeMap<String, RawObject>,
}

struct RawAction {
    name: String,
    title: String,
    document: String,
    input: String,
    output: String,
    status: Option<String>,
    skip_sign: bool,
}

struct RawObject {
    document: String,
    usage: Option<String>,
    members: Vec<RawMember>,
}

struct RawMember {
    name: String,
    ty: String,
    member: String,
    required: bool,
    output_required: bool,
    nullable: bool,
    document: String,
    example: Option<String>,
    disabled: bool,
}

fn text_of(value: &Value, key: &str) -> Option<String> {
    value.get(key).and_then(Value::as_str).map(str::to_owned)
}

fn flag_of(value: &Value, key: &str) -> bool {
    value.get(key).and_then(Value::as_bool).unwrap_or(false)
}

/// Where a role places an object's members in messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// The request object of an action.
    Input,
    /// The response object of an action.
    Output,
    /// A structure used in requests only.
    In,
    /// A structure used in responses only.
    Out,
    /// A structure used both ways.
    Both,
}

impl Role {
    /// `(required, nullable)` of a member in this role.
    fn flags(self, member: &RawMember) -> (bool, bool) {
        let null = member.nullable;
        match self {
            Role::Input | Role::In => (member.required, false),
            Role::Output | Role::Out => (member.output_required && !null, null),
            Role::Both => (member.required && member.output_required && !null, null),
        }
    }

    fn is_input(self) -> bool {
        matches!(self, Role::Input | Role::In)
    }
}

struct Importer {
    api: String,
    errors: Vec<SpecError>,
    warnings: Vec<Warning>,
    facts_only: bool,
}

impl Importer {
    fn error(&mut self, file: &str, location: impl Into<String>, message: impl Into<String>) {
        self.errors.push(SpecError {
            file: file.to_owned(),
            location: location.into(),
            message: message.into(),
        });
    }

    fn api_error(&mut self, location: impl Into<String>, message: impl Into<String>) {
        let file = self.api.clone();
        self.error(&file, location, message);
    }

    fn warn(
        &mut self,
        file: &str,
        kind: WarningKind,
        location: impl Into<String>,
        message: impl Into<String>,
    ) {
        self.warnings.push(Warning {
            file: file.to_owned(),
            location: location.into(),
            kind,
            message: message.into(),
        });
    }

    fn api_warn(
        &mut self,
        kind: WarningKind,
        location: impl Into<String>,
        message: impl Into<String>,
    ) {
        let file = self.api.clone();
        self.warn(&file, kind, location, message);
    }

    /// Reads the parts of `api.json` the importer uses; `None` after reporting errors.
    fn read_api(&mut self, text: &str) -> Option<RawApi> {
        let root: Value = match serde_json::from_str(text) {
            Ok(root) => root,
            Err(err) => {
                self.api_error("", format!("not JSON: {err}"));
                return None;
            }
        };
        let metadata = root.get("metadata").filter(|m| m.is_object());
        let service = metadata.and_then(|m| text_of(m, "serviceShortName"));
        let version = metadata.and_then(|m| text_of(m, "apiVersion"));
        if metadata.is_none() {
            self.api_error("metadata", "missing or not an object");
        } else {
            if service.is_none() {
                self.api_error("metadata.serviceShortName", "missing or not a string");
            }
            if version.is_none() {
                self.api_error("metadata.apiVersion", "missing or not a string");
            }
        }
        let actions = self.read_actions(root.get("actions"));
        let objects = self.read_objects(root.get("objects"), actions.as_deref().unwrap_or(&[]));
        Some(RawApi {
            service: service?,
            version: version?,
            title: metadata.and_then(|m| text_of(m, "serviceNameCN")),
            brief: metadata.and_then(|m| text_of(m, "api_brief")),
            actions: actions?,
            objects: objects?,
        })
    }

    fn read_actions(&mut self, actions: Option<&Value>) -> Option<Vec<RawAction>> {
        let Some(actions) = actions.and_then(Value::as_object) else {
            self.api_error("actions", "missing or not an object");
            return None;
        };
        let mut read = Vec::new();
        for (name, action) in actions {
            let location = format!("action {name}");
            if !action.is_object() {
                self.api_error(&location, "not an object");
                continue;
            }
            let input = text_of(action, "input");
            let output = text_of(action, "output");
            for (key, found) in [("input", &input), ("output", &output)] {
                if found.is_none() {
                    self.api_error(&location, format!("`{key}` is missing or not a string"));
                }
            }
            let (Some(input), Some(output)) = (input, output) else {
                continue;
            };
            read.push(RawAction {
                name: name.clone(),
                title: text_of(action, "name").unwrap_or_default(),
                document: text_of(action, "document").unwrap_or_default(),
                input,
                output,
                status: text_of(action, "status"),
                skip_sign: flag_of(action, "skip_sign"),
            });
        }
        read.sort_by(|a, b| a.name.cmp(&b.name));
        Some(read)
    }

    fn read_objects(
        &mut self,
        objects: Option<&Value>,
        actions: &[RawAction],
    ) -> Option<BTreeMap<String, RawObject>> {
        let Some(objects) = objects.and_then(Value::as_object) else {
            self.api_error("objects", "missing or not an object");
            return None;
        };
        let owners = object_owners(actions);
        let mut read = BTreeMap::new();
        for (name, object) in objects {
            let location = owners
                .get(name.as_str())
                .map_or_else(|| format!("structure {name}"), |(_, at)| at.clone());
            if let Some(object) = self.read_object(object, &location) {
                read.insert(name.clone(), object);
            }
        }
        Some(read)
    }

    fn read_object(&mut self, object: &Value, location: &str) -> Option<RawObject> {
        let Some(members) = object.get("members").and_then(Value::as_array) else {
            self.api_error(location, "`members` is missing or not a list");
            return None;
        };
        let mut read = Vec::new();
        for (index, member) in members.iter().enumerate() {
            let name = text_of(member, "name");
            let here = format!(
                "{location}.{}",
                name.clone().unwrap_or_else(|| format!("[{index}]"))
            );
            let ty = text_of(member, "type");
            let (Some(name), Some(ty)) = (name, ty) else {
                self.api_error(&here, "a member needs a string `name` and `type`");
                continue;
            };
            let example = match member.get("example") {
                None | Some(Value::Null) => None,
                Some(Value::String(text)) => Some(text.clone()),
                Some(other) => Some(other.to_string()),
            };
            read.push(RawMember {
                name,
                ty,
                member: text_of(member, "member").unwrap_or_default(),
                required: flag_of(member, "required"),
                output_required: flag_of(member, "output_required"),
                nullable: flag_of(member, "value_allowed_null"),
                document: text_of(member, "document").unwrap_or_default(),
                example,
                disabled: flag_of(member, "disabled"),
            });
        }
        Some(RawObject {
            document: text_of(object, "document").unwrap_or_default(),
            usage: text_of(object, "usage"),
            members: read,
        })
    }
}

/// The objects that are an action's request or response, with the location prefix of their
/// members (`action X, input`); the first action in name order wins.
fn object_owners(actions: &[RawAction]) -> BTreeMap<&str, (Role, String)> {
    let mut owners = BTreeMap::new();
    for action in actions {
        for (object, role, side) in [
            (&action.input, Role::Input, "input"),
            (&action.output, Role::Output, "output"),
        ] {
            owners
                .entry(object.as_str())
                .or_insert_with(|| (role, format!("action {}, {side}", action.name)));
        }
    }
    owners
}

// ---------------------------------------------------------------------------------------------
// Converting to a spec

/// A converted member with the example text still to convert, once all types are known.
struct Draft {
    spec: MemberSpec,
    example: Option<String>,
    location: String,
}

impl Importer {
    fn convert(&mut self, raw: &RawApi, title: Option<&str>) -> SpecFile {
        let owners = object_owners(&raw.actions);
        let structure_objects = structure_objects(raw, &owners);
        let renames = self.structure_names(raw, &structure_objects);
        self.report_unused(raw, &structure_objects);

        let mut actions = Vec::new();
        for action in &raw.actions {
            if let Some(converted) = self.action(action, raw, &renames) {
                actions.push(converted);
            }
        }
        let mut structures = Vec::new();
        for name in &structure_objects {
            if let (Some(object), Some(renamed)) = (raw.objects.get(*name), renames.get(*name)) {
                structures.push(self.structure(name, renamed, object, &renames));
            }
        }
        structures.sort_by(|a, b| a.0.name.cmp(&b.0.name));

        let types = Types::new(structures.iter().map(|(s, drafts)| {
            let members = drafts.iter().map(|d| d.spec.clone()).collect();
            (s.name.clone(), members)
        }));
        let structures = structures
            .into_iter()
            .map(|(mut structure, drafts)| {
                structure.members = self.finish(drafts, &types);
                structure
            })
            .collect();
        let actions = actions
            .into_iter()
            .map(|(mut action, input, output)| {
                action.input = self.finish(input, &types);
                action.output = self.finish(output, &types);
                action.pagination = pagination(&action.input, &action.output);
                action
            })
            .collect();

        SpecFile {
            schema: Some(SCHEMA.to_owned()),
            service: raw.service.clone(),
            version: raw.version.clone(),
            title: if self.facts_only {
                title.map(str::to_owned).unwrap_or_default()
            } else {
                service_title(raw, title)
            },
            host: format!("{}.tencentcloudapi.com", raw.service),
            description: if self.facts_only {
                String::new()
            } else {
                service_description(raw)
            },
            origin: String::new(),
            errors: Vec::new(),
            actions,
            structures,
        }
    }

    /// Converts one action; its members are drafts until all structures are known.
    fn action(
        &mut self,
        action: &RawAction,
        raw: &RawApi,
        renames: &BTreeMap<String, String>,
    ) -> Option<(ActionSpec, Vec<Draft>, Vec<Draft>)> {
        let location = format!("action {}", action.name);
        let input = raw.objects.get(&action.input);
        let output = raw.objects.get(&action.output);
        for (side, object, name) in [
            ("input", input, &action.input),
            ("output", output, &action.output),
        ] {
            if object.is_none() {
                self.api_error(
                    &location,
                    format!("the {side} object `{name}` is not defined"),
                );
            }
        }
        let (input, output) = (input?, output?);
        let input = self.members(input, Role::Input, &format!("{location}, input"), renames);
        let output = self.members(
            output,
            Role::Output,
            &format!("{location}, output"),
            renames,
        );
        let (summary, description) = if self.facts_only {
            (String::new(), String::new())
        } else {
            (
                self.summary(action, &location),
                action.document.trim().to_owned(),
            )
        };
        let status = match action.status.as_deref() {
            None | Some("online") => None,
            Some(known @ ("deprecated" | "offline")) => Some(known.to_owned()),
            Some(other) => {
                self.api_warn(
                    WarningKind::UnknownStatus,
                    &location,
                    format!(
                        "status `{other}` is not one the SDK knows; the action is kept as online"
                    ),
                );
                None
            }
        };
        let spec = ActionSpec {
            name: action.name.clone(),
            summary,
            description,
            rate_limit: None,
            status,
            signed: action.skip_sign.then_some(false),
            // The CLI's description says nothing about idempotency, so the name rule decides.
            idempotent: None,
            pagination: None,
            input: Vec::new(),
            output: Vec::new(),
            errors: Vec::new(),
            examples: Vec::new(),
        };
        Some((spec, input, output))
    }

    /// The action's short title, else the first sentence of its document, else its name.
    fn summary(&mut self, action: &RawAction, location: &str) -> String {
        let first_line = |text: &str| {
            text.lines()
                .map(str::trim)
                .find(|l| !l.is_empty())
                .map(str::to_owned)
        };
        if let Some(title) = first_line(&action.title) {
            return title;
        }
        if let Some(sentence) = first_line(&action.document).map(|l| first_sentence(&l)) {
            return sentence;
        }
        self.api_warn(
            WarningKind::Undocumented,
            location,
            "no title or document; the summary is the action's name",
        );
        action.name.clone()
    }

    fn structure(
        &mut self,
        name: &str,
        renamed: &str,
        object: &RawObject,
        renames: &BTreeMap<String, String>,
    ) -> (StructureSpec, Vec<Draft>) {
        let location = format!("structure {name}");
        let role = match object.usage.as_deref() {
            Some("in") => Role::In,
            Some("out") => Role::Out,
            Some("both") => Role::Both,
            other => {
                let what =
                    other.map_or_else(|| "no `usage`".to_owned(), |u| format!("usage `{u}`"));
                self.api_warn(
                    WarningKind::UnknownUsage,
                    &location,
                    format!("{what}; treated as used in both requests and responses"),
                );
                Role::Both
            }
        };
        let description = if self.facts_only {
            String::new()
        } else {
            self.documented(&object.document, &location)
        };
        let members = self.members(object, role, &location, renames);
        let spec = StructureSpec {
            name: renamed.to_owned(),
            description,
            members: Vec::new(),
        };
        (spec, members)
    }

    /// The trimmed text, or a placeholder with a warning when there is none.
    fn documented(&mut self, text: &str, location: &str) -> String {
        let text = text.trim();
        if text.is_empty() {
            self.api_warn(
                WarningKind::Undocumented,
                location,
                format!("no document; described as \"{UNDOCUMENTED}\""),
            );
            return UNDOCUMENTED.to_owned();
        }
        text.to_owned()
    }

    fn members(
        &mut self,
        object: &RawObject,
        role: Role,
        location: &str,
        renames: &BTreeMap<String, String>,
    ) -> Vec<Draft> {
        let mut drafts = Vec::new();
        for member in &object.members {
            if role == Role::Output && member.name == "RequestId" {
                continue;
            }
            let here = format!("{location}.{}", member.name);
            if let Some(draft) = self.member(member, role, &here, renames) {
                drafts.push(draft);
            }
        }
        drafts
    }

    fn member(
        &mut self,
        member: &RawMember,
        role: Role,
        here: &str,
        renames: &BTreeMap<String, String>,
    ) -> Option<Draft> {
        let (ty, items, format) = match map_type(&member.ty, &member.member, renames) {
            Ok(mapped) => mapped,
            Err(problem) => {
                // Leaving the member out would make the SDK unable to send or read it, in
                // silence: the import fails instead, naming it.
                self.api_error(here, problem);
                return None;
            }
        };
        if member.disabled {
            self.api_warn(
                WarningKind::DisabledMember,
                here,
                "tccli marks the member disabled; it is kept",
            );
        }
        if role.is_input() && member.nullable {
            self.api_warn(
                WarningKind::NullableInput,
                here,
                "`value_allowed_null` cannot be expressed on request members and is dropped",
            );
        }
        let (required, nullable) = role.flags(member);
        let description = if self.facts_only {
            String::new()
        } else {
            self.documented(&member.document, here)
        };
        let sensitive = ty == "string" && names_a_secret(&member.name);
        Some(Draft {
            spec: MemberSpec {
                name: member.name.clone(),
                ty,
                items,
                required,
                nullable,
                sensitive,
                description,
                example: None,
                allowed: None,
                format,
            },
            example: if self.facts_only {
                None
            } else {
                member.example.clone()
            },
            location: here.to_owned(),
        })
    }

    /// Converts the drafts' example texts now that every type is known.
    fn finish(&mut self, drafts: Vec<Draft>, types: &Types) -> Vec<MemberSpec> {
        drafts
            .into_iter()
            .map(|mut draft| {
                let text = draft.example.as_deref().unwrap_or("");
                if !text.is_empty() {
                    let ty = Ty::of(&draft.spec);
                    match types.convert_text(&ty, text, "example") {
                        Ok(value) => draft.spec.example = Some(value),
                        Err(problem) => self.api_warn(
                            WarningKind::MemberExample,
                            &draft.location,
                            format!("{problem}; the example is left out"),
                        ),
                    }
                }
                draft.spec
            })
            .collect()
    }

    /// Gives every structure a type name the loader accepts, renaming those that would clash.
    fn structure_names(&mut self, raw: &RawApi, structures: &[&str]) -> BTreeMap<String, String> {
        let mut taken: BTreeSet<String> = RESERVED_TYPE_NAMES
            .iter()
            .map(|n| (*n).to_owned())
            .collect();
        for action in &raw.actions {
            taken.extend(action_type_names(&action.name));
        }
        let originals: BTreeSet<&str> = structures.iter().copied().collect();
        let mut renames = BTreeMap::new();
        for name in structures {
            let base = if is_type_name(name) {
                (*name).to_owned()
            } else {
                pascal_case(name)
            };
            let free = |candidate: &str, taken: &BTreeSet<String>| {
                let builder = format!("{candidate}Builder");
                let other = |n: &str| n != *name && originals.contains(n);
                // `<Other>Builder` is generated for another structure, which keeps its name.
                let builder_of_other = candidate.strip_suffix("Builder").is_some_and(other);
                is_type_name(candidate)
                    && !taken.contains(candidate)
                    && !taken.contains(&builder)
                    && !other(candidate)
                    && !builder_of_other
            };
            let chosen = std::iter::once(base.clone())
                .chain((1..=100).map(|n| {
                    if n == 1 {
                        format!("{base}Object")
                    } else {
                        format!("{base}Object{n}")
                    }
                }))
                .find(|candidate| free(candidate, &taken));
            let location = format!("structure {name}");
            let Some(chosen) = chosen else {
                self.api_error(
                    &location,
                    "no usable Rust type name could be derived from it",
                );
                continue;
            };
            if chosen != *name {
                self.api_warn(
                    WarningKind::RenamedStructure,
                    &location,
                    format!(
                        "renamed to `{chosen}`: the name is not a usable type name or clashes with a generated one"
                    ),
                );
            }
            taken.insert(format!("{chosen}Builder"));
            taken.insert(chosen.clone());
            renames.insert((*name).to_owned(), chosen);
        }
        renames
    }

    /// Warns about structures that no action reaches.
    fn report_unused(&mut self, raw: &RawApi, structures: &[&str]) {
        let mut reached = BTreeSet::new();
        let mut stack: Vec<&str> = raw
            .actions
            .iter()
            .flat_map(|a| [a.input.as_str(), a.output.as_str()])
            .collect();
        while let Some(name) = stack.pop() {
            if !reached.insert(name) {
                continue;
            }
            if let Some(object) = raw.objects.get(name) {
                stack.extend(object.members.iter().map(|m| m.member.as_str()));
            }
        }
        for name in structures.iter().filter(|n| !reached.contains(**n)) {
            self.api_warn(
                WarningKind::UnusedStructure,
                format!("structure {name}"),
                "no action uses it; it is kept",
            );
        }
    }
}

/// The title given on the command line, else the file's `serviceNameCN`, else the service name.
fn service_title(raw: &RawApi, title: Option<&str>) -> String {
    title
        .or(raw.title.as_deref())
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .unwrap_or(&raw.service)
        .to_owned()
}

/// The file's `api_brief`, else a sentence saying where the spec came from.
fn service_description(raw: &RawApi) -> String {
    match raw.brief.as_deref().map(str::trim) {
        Some(brief) if !brief.is_empty() => brief.to_owned(),
        _ => format!(
            "Imported from the official Tencent Cloud CLI (tccli) description of {} {}.",
            raw.service, raw.version
        ),
    }
}

/// The objects that become structures, sorted: those that are no action's request or response,
/// and any object a member refers to.
fn structure_objects<'a>(raw: &'a RawApi, owners: &BTreeMap<&str, (Role, String)>) -> Vec<&'a str> {
    let referenced: BTreeSet<&str> = raw
        .objects
        .values()
        .flat_map(|o| &o.members)
        .filter(|m| matches!(m.ty.as_str(), "object" | "list"))
        .map(|m| m.member.as_str())
        .collect();
    raw.objects
        .keys()
        .map(String::as_str)
        .filter(|name| !owners.contains_key(name) || referenced.contains(name))
        .collect()
}

/// Maps a tccli `type` and `member` to the spec's `type`, `items` and `format`.
fn map_type(
    ty: &str,
    member: &str,
    structures: &BTreeMap<String, String>,
) -> Result<(String, Option<String>, Option<String>), String> {
    let scalar = |member: &str| -> Option<String> {
        let mapped = match member {
            "string" | "datetime" | "datetime_iso" | "date" => "string",
            "int64" => "integer",
            "uint64" => "unsigned",
            "float" => "float",
            "bool" => "boolean",
            other => return structures.get(other).cloned(),
        };
        Some(mapped.to_owned())
    };
    let unsupported = || {
        format!(
            "type `{ty}` with member `{member}` cannot be mapped (neither a known scalar nor an object of this file); the import stops rather than leave the member out"
        )
    };
    let format_of = |member: &str| match member {
        "datetime" | "datetime_iso" | "date" => Some(member.to_owned()),
        _ => None,
    };
    let mapped = match (ty, member) {
        ("string", "string") => ("string".to_owned(), None, None),
        ("string", format @ ("datetime" | "datetime_iso" | "date")) => {
            ("string".to_owned(), None, Some(format.to_owned()))
        }
        ("binary", "binary") => ("binary".to_owned(), None, None),
        ("int", "int64") => ("integer".to_owned(), None, None),
        ("int", "uint64") => ("unsigned".to_owned(), None, None),
        ("float", "float") => ("float".to_owned(), None, None),
        ("bool", "bool") => ("boolean".to_owned(), None, None),
        ("list", inner) => (
            "list".to_owned(),
            Some(scalar(inner).ok_or_else(unsupported)?),
            format_of(inner),
        ),
        ("object", name) => (
            structures.get(name).cloned().ok_or_else(unsupported)?,
            None,
            None,
        ),
        _ => return Err(unsupported()),
    };
    Ok(mapped)
}

/// Text up to the end of its first sentence (`.` followed by a space, or `。`).
/// Whether a member's name says it holds a secret, so that generated `Debug` output hides it.
/// tccli does not mark secrets; the name is all there is to go on.
fn names_a_secret(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let whole = ["token", "secret"];
    let parts = [
        "password",
        "passwd",
        "secretkey",
        "privatekey",
        "accesskey",
        "accesstoken",
        "sessiontoken",
        "securitytoken",
        "apitoken",
        "authtoken",
        "tmptoken",
        "clientsecret",
        "appsecret",
    ];
    whole.contains(&lower.as_str()) || parts.iter().any(|part| lower.contains(part))
}

fn first_sentence(text: &str) -> String {
    let end = [
        text.find(". ").map(|i| i + 1),
        text.find('。').map(|i| i + '。'.len_utf8()),
    ]
    .into_iter()
    .flatten()
    .min()
    .unwrap_or(text.len());
    text.get(..end).unwrap_or(text).trim().to_owned()
}

/// Adds pagination when the action takes integer `Offset` and `Limit` and answers with an
/// integer `TotalCount` and exactly one list.
fn pagination(input: &[MemberSpec], output: &[MemberSpec]) -> Option<PaginationSpec> {
    let integer = |members: &[MemberSpec], name: &str| {
        members
            .iter()
            .any(|m| m.name == name && matches!(m.ty.as_str(), "integer" | "unsigned"))
    };
    let lists: Vec<&MemberSpec> = output.iter().filter(|m| m.ty == "list").collect();
    let ([items], true) = (
        lists.as_slice(),
        integer(input, "Offset") && integer(input, "Limit") && integer(output, "TotalCount"),
    ) else {
        return None;
    };
    Some(PaginationSpec {
        offset: "Offset".to_owned(),
        limit: "Limit".to_owned(),
        items: items.name.clone(),
        total_count: "TotalCount".to_owned(),
    })
}

// ---------------------------------------------------------------------------------------------
// Typed values

/// A member type, resolved from a [`MemberSpec`].
#[derive(Debug, Clone, PartialEq)]
enum Ty {
    String,
    Integer,
    Unsigned,
    Float,
    Boolean,
    Struct(String),
    List(Box<Ty>),
}

impl Ty {
    fn of(member: &MemberSpec) -> Ty {
        match (member.ty.as_str(), &member.items) {
            ("list", Some(items)) => Ty::List(Box::new(Ty::named(items))),
            (other, _) => Ty::named(other),
        }
    }

    fn named(name: &str) -> Ty {
        match name {
            "string" => Ty::String,
            "integer" => Ty::Integer,
            "unsigned" => Ty::Unsigned,
            "float" => Ty::Float,
            "boolean" => Ty::Boolean,
            other => Ty::Struct(other.to_owned()),
        }
    }

    fn describe(&self) -> String {
        match self {
            Ty::String => "a string".to_owned(),
            Ty::Integer => "an integer".to_owned(),
            Ty::Unsigned => "an unsigned integer".to_owned(),
            Ty::Float => "a number".to_owned(),
            Ty::Boolean => "a boolean".to_owned(),
            Ty::Struct(name) => format!("a {name} object"),
            Ty::List(inner) => format!("a list of {}", inner.plural()),
        }
    }

    fn plural(&self) -> String {
        match self {
            Ty::String => "strings".to_owned(),
            Ty::Integer => "integers".to_owned(),
            Ty::Unsigned => "unsigned integers".to_owned(),
            Ty::Float => "numbers".to_owned(),
            Ty::Boolean => "booleans".to_owned(),
            Ty::Struct(name) => format!("{name} objects"),
            Ty::List(inner) => format!("lists of {}", inner.plural()),
        }
    }
}

/// The structures of the spec being built, for checking and converting example values with
/// the same rules as the loader.
struct Types {
    structures: BTreeMap<String, Vec<MemberSpec>>,
}

impl Types {
    fn new(structures: impl Iterator<Item = (String, Vec<MemberSpec>)>) -> Self {
        Types {
            structures: structures.collect(),
        }
    }

    /// Checks a JSON object against members: every key a member, every value of its type.
    fn check_object(
        &self,
        members: &[MemberSpec],
        value: &Value,
        path: &str,
    ) -> Result<(), String> {
        let Some(object) = value.as_object() else {
            return Err(format!("{path} must be an object, found {value}"));
        };
        for (key, item) in object {
            let Some(member) = members.iter().find(|m| &m.name == key) else {
                return Err(format!("{path}.{key} is not a member"));
            };
            let here = format!("{path}.{key}");
            if item.is_null() {
                if member.nullable {
                    continue;
                }
                return Err(format!("{here} is null but the member is not nullable"));
            }
            self.check(&Ty::of(member), item, &here)?;
        }
        Ok(())
    }

    /// The non-nullable members that hold `null` in `value`, an object of `members` belonging to
    /// `owner` (a structure's name, or `None` for a response): `(owner, member)` pairs, found
    /// down through structures and lists. Values of the wrong shape are left to the checks.
    fn nulls(
        &self,
        owner: Option<&str>,
        members: &[MemberSpec],
        value: &Value,
        found: &mut Vec<(Option<String>, String)>,
    ) {
        let Some(object) = value.as_object() else {
            return;
        };
        for (key, item) in object {
            let Some(member) = members.iter().find(|m| &m.name == key) else {
                continue;
            };
            if item.is_null() {
                if !member.nullable {
                    found.push((owner.map(str::to_owned), key.clone()));
                }
                continue;
            }
            self.nulls_in(&Ty::of(member), item, found);
        }
    }

    fn nulls_in(&self, ty: &Ty, value: &Value, found: &mut Vec<(Option<String>, String)>) {
        match ty {
            Ty::Struct(name) => {
                if let Some(members) = self.structures.get(name) {
                    self.nulls(Some(name), members, value, found);
                }
            }
            Ty::List(inner) => {
                for item in value.as_array().map_or(&[][..], Vec::as_slice) {
                    self.nulls_in(inner, item, found);
                }
            }
            _ => {}
        }
    }

    fn check(&self, ty: &Ty, value: &Value, path: &str) -> Result<(), String> {
        let ok = match ty {
            Ty::Struct(name) => {
                let members = self.structures.get(name).map_or(&[][..], Vec::as_slice);
                return self.check_object(members, value, path);
            }
            Ty::List(inner) => {
                let Some(items) = value.as_array() else {
                    return Err(format!("{path} must be a list, found {value}"));
                };
                for (index, item) in items.iter().enumerate() {
                    self.check(inner, item, &format!("{path}[{index}]"))?;
                }
                return Ok(());
            }
            Ty::String => value.is_string(),
            Ty::Integer => value.is_i64(),
            Ty::Unsigned => value.is_u64(),
            Ty::Float => value.is_number(),
            Ty::Boolean => value.is_boolean(),
        };
        if ok {
            Ok(())
        } else {
            Err(format!("{path} must be {}, found {value}", ty.describe()))
        }
    }

    /// Converts text (a member example or a query value) to a value of the type. Lists and
    /// structures must be given as JSON text of the right shape.
    fn convert_text(&self, ty: &Ty, text: &str, path: &str) -> Result<Value, String> {
        let bad = || format!("{path} `{}` is not {}", shown(text), ty.describe());
        match ty {
            Ty::String => Ok(Value::String(text.to_owned())),
            Ty::Integer => text
                .trim()
                .parse::<i64>()
                .map(Value::from)
                .map_err(|_| bad()),
            Ty::Unsigned => text
                .trim()
                .parse::<u64>()
                .map(Value::from)
                .map_err(|_| bad()),
            Ty::Float => text
                .trim()
                .parse::<f64>()
                .ok()
                .and_then(Number::from_f64)
                .map(Value::Number)
                .ok_or_else(bad),
            Ty::Boolean => match text.trim() {
                "true" => Ok(Value::Bool(true)),
                "false" => Ok(Value::Bool(false)),
                _ => Err(bad()),
            },
            Ty::Struct(_) | Ty::List(_) => {
                let value: Value = serde_json::from_str(text).map_err(|_| bad())?;
                self.check(ty, &value, path)?;
                Ok(value)
            }
        }
    }

    /// Converts query parameters, nested by their dotted names, into an object of the members.
    fn convert_entries(
        &self,
        members: &[MemberSpec],
        entries: &[(String, Node)],
        path: &str,
    ) -> Result<Map<String, Value>, String> {
        let mut object = Map::new();
        for (key, node) in entries {
            let Some(member) = members.iter().find(|m| &m.name == key) else {
                return Err(format!("{path}.{key} is not a member"));
            };
            let value = self.convert_node(&Ty::of(member), node, &format!("{path}.{key}"))?;
            object.insert(key.clone(), value);
        }
        Ok(object)
    }

    fn convert_node(&self, ty: &Ty, node: &Node, path: &str) -> Result<Value, String> {
        match (ty, node) {
            (_, Node::Leaf(text)) => self.convert_text(ty, text, path),
            (Ty::Struct(name), Node::Branch(entries)) => {
                let members = self.structures.get(name).map_or(&[][..], Vec::as_slice);
                self.convert_entries(members, entries, path)
                    .map(Value::Object)
            }
            (Ty::List(inner), Node::Branch(entries)) => {
                let mut items = Vec::new();
                for (key, child) in entries {
                    let index: usize = key
                        .parse()
                        .map_err(|_| format!("{path}.{key}: `{key}` is not a list index"))?;
                    items.push((index, child));
                }
                items.sort_by_key(|(index, _)| *index);
                items
                    .iter()
                    .map(|(index, child)| {
                        self.convert_node(inner, child, &format!("{path}[{index}]"))
                    })
                    .collect::<Result<Vec<_>, _>>()
                    .map(Value::Array)
            }
            (_, Node::Branch(_)) => Err(format!(
                "{path} must be {}, not nested parameters",
                ty.describe()
            )),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// examples.json

/// Query parameters nested by the dots of their names (`A.0.B=x`).
#[derive(Debug, Clone, PartialEq)]
enum Node {
    Leaf(String),
    Branch(Vec<(String, Node)>),
}

/// Inserts a value under its dotted path, in the order parameters are given.
fn insert_node(
    entries: &mut Vec<(String, Node)>,
    path: &[&str],
    value: String,
) -> Result<(), String> {
    let Some((first, rest)) = path.split_first() else {
        return Err("a parameter has an empty name".to_owned());
    };
    if first.is_empty() {
        return Err("a parameter name has an empty part".to_owned());
    }
    let position = entries.iter().position(|(key, _)| key == first);
    match (position, rest.is_empty()) {
        (Some(_), true) => Err(format!("parameter `{}` is given twice", path.join("."))),
        (None, true) => {
            entries.push(((*first).to_owned(), Node::Leaf(value)));
            Ok(())
        }
        (position, false) => {
            let index = match position {
                Some(index) => index,
                None => {
                    entries.push(((*first).to_owned(), Node::Branch(Vec::new())));
                    entries.len() - 1
                }
            };
            match entries.get_mut(index) {
                Some((_, Node::Branch(children))) => insert_node(children, rest, value),
                _ => Err(format!(
                    "parameter `{first}` is given both as a value and with nested parameters"
                )),
            }
        }
    }
}

/// A request of an example, as written in `examples.json`.
#[derive(Debug, Clone, PartialEq)]
enum Request {
    /// A GET URL: the action it names, and its parameters in order.
    Query {
        action: Option<String>,
        params: Vec<(String, String)>,
    },
    /// A POST request: the action of its `X-TC-Action` header, and its JSON body.
    Json {
        action: Option<String>,
        body: String,
    },
}

/// Recognises the GET or POST form of an example's `input`.
fn parse_request(text: &str) -> Result<Request, String> {
    let trimmed = text.trim_start();
    if trimmed.starts_with("POST ") {
        return parse_post(trimmed);
    }
    let Some((_, query)) = trimmed.split_once('?') else {
        return Err("input is neither a GET URL with a query nor a POST request".to_owned());
    };
    let mut params: Vec<(String, String)> = Vec::new();
    for (number, line) in query.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        let rest = match line.trim_start().strip_prefix('&') {
            Some(rest) => rest,
            None if number == 0 || is_placeholder(line.trim()) => line,
            None => {
                // A line that does not start a parameter continues the previous value.
                if let Some((_, value)) = params.last_mut() {
                    value.push('\n');
                    value.push_str(line);
                }
                continue;
            }
        };
        for piece in split_parameters(rest) {
            let piece = piece.trim();
            if piece.is_empty() || is_placeholder(piece) {
                continue;
            }
            let Some((key, value)) = piece.split_once('=') else {
                return Err(format!("query parameter `{piece}` has no `=`"));
            };
            params.push((percent_decode(key.trim()), percent_decode(value)));
        }
    }
    let params: Vec<(String, String)> = params
        .into_iter()
        .map(|(key, value)| (key, value.trim().to_owned()))
        .collect();
    let action = params
        .iter()
        .find(|(key, _)| key == "Action")
        .map(|(_, value)| value.clone());
    Ok(Request::Query { action, params })
}

/// The `<Common request parameters>` line, in any language.
fn is_placeholder(text: &str) -> bool {
    text.starts_with('<') && text.ends_with('>')
}

/// Splits at each `&` that starts a new `name=` parameter, except inside JSON brackets and
/// strings, so JSON values keep their `&`.
fn split_parameters(text: &str) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut start = 0;
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for (index, c) in text.char_indices() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' if depth > 0 => in_string = true,
            '[' | '{' => depth += 1,
            ']' | '}' => depth = depth.saturating_sub(1),
            '&' if depth == 0 && starts_parameter(text.get(index + 1..).unwrap_or("")) => {
                pieces.push(text.get(start..index).unwrap_or(""));
                start = index + 1;
            }
            _ => {}
        }
    }
    pieces.push(text.get(start..).unwrap_or(""));
    pieces
}

/// Whether text starts with `name=` or a `<placeholder>`.
fn starts_parameter(text: &str) -> bool {
    let name_len = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '%')))
        .unwrap_or(text.len());
    let named = name_len > 0 && text.get(name_len..).is_some_and(|r| r.starts_with('='));
    named || text.trim_start().starts_with('<')
}

/// Splits a POST request into its `X-TC-Action` and its body, which follows the first blank
/// line (or the first line starting with `{`).
fn parse_post(text: &str) -> Result<Request, String> {
    let mut action = None;
    let mut lines = text.lines().skip(1);
    let mut body = Vec::new();
    for line in lines.by_ref() {
        let line = line.trim();
        if line.is_empty() {
            break;
        }
        if line.starts_with('{') {
            body.push(line);
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.trim().eq_ignore_ascii_case("X-TC-Action") {
                action = Some(value.trim().to_owned());
            }
        }
    }
    body.extend(lines);
    let body = body.join("\n");
    let body = if body.trim().is_empty() {
        "{}".to_owned()
    } else {
        body
    };
    Ok(Request::Json { action, body })
}

/// Decodes `%XX` escapes; text that would not decode to UTF-8 is returned unchanged.
fn percent_decode(text: &str) -> String {
    let hex = |b: Option<&u8>| b.and_then(|b| char::from(*b).to_digit(16));
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while let Some(&byte) = bytes.get(index) {
        if byte == b'%' {
            if let (Some(high), Some(low)) = (hex(bytes.get(index + 1)), hex(bytes.get(index + 2)))
            {
                // Two hex digits make at most 255.
                out.push(u8::try_from(high * 16 + low).unwrap_or(byte));
                index += 3;
                continue;
            }
        }
        out.push(byte);
        index += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_owned())
}

impl Importer {
    /// The codes of an `errorcodes.py` of the official Python SDK: one `NAME = 'Code'` line per
    /// code, with comments and blank lines between. A line of another shape, or a code that is
    /// not one, fails the import with its line number.
    fn error_codes(&mut self, source: Source<'_>) -> Vec<crate::spec::ErrorSpec> {
        let mut codes = Vec::new();
        let mut seen = BTreeSet::new();
        for (index, line) in source.text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let here = format!("line {}", index + 1);
            let code = line.split_once('=').and_then(|(name, value)| {
                let value = value.trim();
                let quoted = value
                    .strip_prefix('\'')
                    .and_then(|v| v.strip_suffix('\''))
                    .or_else(|| value.strip_prefix('"').and_then(|v| v.strip_suffix('"')));
                let name_ok = name
                    .trim()
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_');
                quoted.filter(|_| name_ok)
            });
            let Some(code) = code else {
                self.error(
                    source.display,
                    &here,
                    "expected `NAME = 'Code'` (or a comment)",
                );
                continue;
            };
            let valid = code.bytes().next().is_some_and(|b| b.is_ascii_alphabetic())
                && code
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'_');
            if !valid {
                self.error(
                    source.display,
                    &here,
                    format!("`{code}` is not an error code (ASCII letters and digits separated by `.` or `_`)"),
                );
                continue;
            }
            if seen.insert(code.to_owned()) {
                codes.push(crate::spec::ErrorSpec {
                    code: code.to_owned(),
                    description: String::new(),
                });
            }
        }
        codes
    }

    /// Reports the names that Rust spells differently from the wire: keywords, which become raw
    /// identifiers (`r#type`), members whose snake_case name an earlier member of the same list
    /// has (`uui_2`), and error codes that join to the same variant name.
    fn report_mapped_names(&mut self, service: &crate::Service) {
        let mut mapped = Vec::new();
        let mut fields = |location: String, list: &[crate::model::Field]| {
            for field in list {
                let plain = crate::names::snake_case(&field.wire);
                let ident = crate::names::field_ident(&field.snake).to_string();
                if ident != plain {
                    mapped.push((
                        format!("{location}.{}", field.wire),
                        format!(
                            "the Rust name is `{ident}` (the wire name stays `{}`)",
                            field.wire
                        ),
                    ));
                }
            }
        };
        for action in &service.actions {
            fields(format!("action {}, input", action.name), &action.input);
            fields(format!("action {}, output", action.name), &action.output);
        }
        for structure in &service.structures {
            fields(format!("structure {}", structure.name), &structure.fields);
        }
        if crate::names::is_keyword(&service.name) {
            mapped.push((
                "service".to_owned(),
                format!(
                    "the module is `{}` (the service is still `{}` on the wire)",
                    crate::names::field_ident(&service.name),
                    service.name
                ),
            ));
        }
        for code in service.errors.iter().filter(|c| !c.common) {
            if code.variant != crate::names::pascal_case(&code.code) {
                mapped.push((
                    format!("errors.{}", code.code),
                    format!("the variant is `{}`", code.variant),
                ));
            }
        }
        for (location, message) in mapped {
            self.api_warn(WarningKind::MappedName, location, message);
        }
    }

    /// Adds the examples of `examples.json` to the spec's actions, leaving out (and reporting)
    /// those that do not fit.
    fn add_examples(&mut self, spec: &mut SpecFile, examples: Source<'_>) {
        let file = examples.display;
        let root: Value = match serde_json::from_str(examples.text) {
            Ok(root) => root,
            Err(err) => {
                self.error(file, "", format!("not JSON: {err}"));
                return;
            }
        };
        let Some(actions) = root.get("actions").and_then(Value::as_object) else {
            self.error(file, "actions", "missing or not an object");
            return;
        };
        self.learn_nulls(spec, file, actions);
        if self.facts_only {
            // The examples are the service's own text; only what they prove (members that can
            // be null) is kept.
            return;
        }
        let types = Types::new(
            spec.structures
                .iter()
                .map(|s| (s.name.clone(), s.members.clone())),
        );
        for (name, list) in actions {
            let location = format!("action {name}");
            let list = list.as_array().map_or(&[][..], Vec::as_slice);
            let Some(action) = spec.actions.iter_mut().find(|a| &a.name == name) else {
                for (index, example) in list.iter().enumerate() {
                    let title = example_title(example, index);
                    self.warn(
                        file,
                        WarningKind::ExampleLeftOut,
                        format!("{location}, example \"{title}\""),
                        "the api.json has no such action; the example is left out",
                    );
                }
                continue;
            };
            for (index, example) in list.iter().enumerate() {
                let title = example_title(example, index);
                let here = format!("{location}, example \"{title}\"");
                match self.example(file, &here, &title, action, example, &types) {
                    Ok(converted) => action.examples.push(converted),
                    Err(problem) => self.warn(
                        file,
                        WarningKind::ExampleLeftOut,
                        &here,
                        format!("{problem}; the example is left out"),
                    ),
                }
            }
        }
    }

    /// Marks as nullable every response or structure member for which an example answer holds
    /// `null`: the service evidently sends it, and tccli's `value_allowed_null` is not always
    /// set where it should be. Each change is reported once, naming the first example showing it.
    fn learn_nulls(&mut self, spec: &mut SpecFile, file: &str, actions: &Map<String, Value>) {
        let types = Types::new(
            spec.structures
                .iter()
                .map(|s| (s.name.clone(), s.members.clone())),
        );
        let mut found: BTreeMap<(Option<String>, String, String), String> = BTreeMap::new();
        for (name, list) in actions {
            let Some(action) = spec.actions.iter().find(|a| &a.name == name) else {
                continue;
            };
            let list = list.as_array().map_or(&[][..], Vec::as_slice);
            for (index, example) in list.iter().enumerate() {
                let output = example.get("output").and_then(Value::as_str);
                let Some(Ok(answer)) = output.map(serde_json::from_str::<Value>) else {
                    continue;
                };
                let mut nulls = Vec::new();
                types.nulls(None, &action.output, &answer["Response"], &mut nulls);
                for (structure, member) in nulls {
                    let title = example_title(example, index);
                    found
                        .entry((structure, name.clone(), member))
                        .or_insert(title);
                }
            }
        }
        for ((structure, action, member), title) in found {
            let (place, members) = match &structure {
                Some(structure) => (
                    format!("structure {structure}.{member}"),
                    spec.structures
                        .iter_mut()
                        .find(|s| &s.name == structure)
                        .map(|s| &mut s.members),
                ),
                None => (
                    format!("action {action}, output.{member}"),
                    spec.actions
                        .iter_mut()
                        .find(|a| a.name == action)
                        .map(|a| &mut a.output),
                ),
            };
            let target = members.and_then(|m| m.iter_mut().find(|m| m.name == member));
            if let Some(target) = target.filter(|t| !t.nullable) {
                target.nullable = true;
                self.warn(
                    file,
                    WarningKind::NullInExample,
                    place,
                    format!(
                        "made nullable: the answer of action {action}, example \"{title}\" holds null for it"
                    ),
                );
            }
        }
    }

    /// Converts one example; `Err` says why it must be left out.
    fn example(
        &mut self,
        file: &str,
        here: &str,
        title: &str,
        action: &ActionSpec,
        example: &Value,
        types: &Types,
    ) -> Result<ExampleSpec, String> {
        let input = example
            .get("input")
            .and_then(Value::as_str)
            .ok_or("`input` is missing or not a string")?;
        let output = example
            .get("output")
            .and_then(Value::as_str)
            .ok_or("`output` is missing or not a string")?;
        let (named, input) = example_input(input, action, types)?;
        let output = example_output(output, action, types)?;
        if let Some(named) = named.filter(|n| *n != action.name) {
            self.warn(
                file,
                WarningKind::ExampleDefect,
                here,
                format!(
                    "the request names action `{named}`, not {}; kept, since its parameters fit this action",
                    action.name
                ),
            );
        }
        Ok(ExampleSpec {
            title: title.to_owned(),
            description: text_of(example, "document")
                .map(|d| d.trim().to_owned())
                .unwrap_or_default(),
            input,
            output,
        })
    }
}

/// Text from a file as quoted in messages: at most 64 characters.
fn shown(text: &str) -> String {
    const MAX: usize = 64;
    match text.char_indices().nth(MAX) {
        Some((end, _)) => format!("{}…", text.get(..end).unwrap_or(text)),
        None => text.to_owned(),
    }
}

fn example_title(example: &Value, index: usize) -> String {
    text_of(example, "title")
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| format!("example {}", index + 1))
}

/// The typed input of an example, with the action its request names.
fn example_input(
    text: &str,
    action: &ActionSpec,
    types: &Types,
) -> Result<(Option<String>, Map<String, Value>), String> {
    match parse_request(text)? {
        Request::Query {
            action: named,
            params,
        } => {
            let mut entries = Vec::new();
            for (key, value) in params {
                let first = key.split('.').next().unwrap_or("");
                let is_member = action.input.iter().any(|m| m.name == first);
                if !is_member && COMMON_PARAMETERS.contains(&first) {
                    continue;
                }
                let path: Vec<&str> = key.split('.').collect();
                if path.len() > MAX_NESTING {
                    return Err(format!("parameter `{}` is nested too deeply", shown(&key)));
                }
                insert_node(&mut entries, &path, value)?;
            }
            let input = types.convert_entries(&action.input, &entries, "input")?;
            Ok((named, input))
        }
        Request::Json {
            action: named,
            body,
        } => {
            let value: Value = serde_json::from_str(&body)
                .map_err(|err| format!("the request body is not JSON ({err})"))?;
            types.check_object(&action.input, &value, "input")?;
            match value {
                Value::Object(input) => Ok((named, input)),
                _ => Err("the request body is not an object".to_owned()),
            }
        }
    }
}

/// The answer of an example, checked like the loader checks it.
fn example_output(text: &str, action: &ActionSpec, types: &Types) -> Result<Value, String> {
    let value: Value =
        serde_json::from_str(text).map_err(|err| format!("output is not JSON ({err})"))?;
    let response = value
        .get("Response")
        .and_then(Value::as_object)
        .ok_or("output is not an object with a `Response` object")?;
    if !matches!(response.get("RequestId"), Some(Value::String(_))) {
        return Err("output.Response has no string `RequestId`".to_owned());
    }
    if !response.contains_key("Error") {
        let members: Map<String, Value> = response
            .iter()
            .filter(|(key, _)| *key != "RequestId")
            .map(|(key, item)| (key.clone(), item.clone()))
            .collect();
        types.check_object(&action.output, &Value::Object(members), "output.Response")?;
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(name: &str, ty: &str, items: Option<&str>) -> MemberSpec {
        MemberSpec {
            name: name.to_owned(),
            ty: ty.to_owned(),
            items: items.map(str::to_owned),
            required: false,
            nullable: false,
            sensitive: false,
            description: "d".to_owned(),
            example: None,
            allowed: None,
            format: None,
        }
    }

    #[test]
    fn percent_escapes_are_decoded_only_when_valid() {
        assert_eq!(percent_decode("a%20b"), "a b");
        assert_eq!(percent_decode("%E4%B8%AD"), "中");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
        assert_eq!(percent_decode("%FF"), "%FF");
    }

    #[test]
    fn a_get_request_gives_its_parameters_in_order() {
        let text = "https://x.tencentcloudapi.com/?Action=Foo\n&A=1\n&B.0=x%20y \n&C=[{\"a\":\"b&c=d\"}]\n&<Common request parameters>";
        let Ok(Request::Query { action, params }) = parse_request(text) else {
            panic!("not a query");
        };
        assert_eq!(action.as_deref(), Some("Foo"));
        let keys: Vec<&str> = params.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["Action", "A", "B.0", "C"]);
        assert_eq!(params[2].1, "x y");
        assert_eq!(params[3].1, "[{\"a\":\"b&c=d\"}]");
        let one_line = parse_request("https://x/?Action=Foo&A=1&B=[1,2]&<Common>");
        let Ok(Request::Query { params, .. }) = one_line else {
            panic!("not a query");
        };
        assert_eq!(params.len(), 3);
    }

    #[test]
    fn a_post_request_gives_its_header_action_and_body() {
        let text = "POST / HTTP/1.1\nHost: x\nX-TC-Action: Bar\n<公共请求参数>\n\n{\n  \"A\": 1\n}";
        let Ok(Request::Json { action, body }) = parse_request(text) else {
            panic!("not a post");
        };
        assert_eq!(action.as_deref(), Some("Bar"));
        assert_eq!(body, "{\n  \"A\": 1\n}");
    }

    #[test]
    fn dotted_parameters_become_typed_nested_values() {
        let types = Types::new(
            [(
                "Item".to_owned(),
                vec![member("F", "integer", None), member("G", "string", None)],
            )]
            .into_iter(),
        );
        let members = [
            member("A", "unsigned", None),
            member("B", "list", Some("string")),
            member("E", "list", Some("Item")),
            member("S", "Item", None),
        ];
        let mut entries = Vec::new();
        for (key, value) in [
            ("A", "1"),
            ("B.1", "y"),
            ("B.0", "x"),
            ("E.0.F", "-3"),
            ("S.G", "z"),
        ] {
            let path: Vec<&str> = key.split('.').collect();
            insert_node(&mut entries, &path, value.to_owned()).unwrap();
        }
        let object = types.convert_entries(&members, &entries, "input").unwrap();
        assert_eq!(
            Value::Object(object),
            serde_json::json!({"A": 1, "B": ["x", "y"], "E": [{"F": -3}], "S": {"G": "z"}})
        );
        let mut bad = Vec::new();
        insert_node(&mut bad, &["A"], "-1".to_owned()).unwrap();
        let err = types.convert_entries(&members, &bad, "input").unwrap_err();
        assert_eq!(err, "input.A `-1` is not an unsigned integer");
        assert!(insert_node(&mut bad, &["A", "B"], "x".to_owned()).is_err());
        assert!(insert_node(&mut bad, &["A"], "x".to_owned()).is_err());
    }

    #[test]
    fn tccli_types_map_to_spec_types() {
        let structures = BTreeMap::from([("Tag".to_owned(), "Tag".to_owned())]);
        let map = |ty, member| map_type(ty, member, &structures);
        assert_eq!(map("int", "uint64").unwrap().0, "unsigned");
        assert_eq!(
            map("string", "datetime").unwrap().2.as_deref(),
            Some("datetime")
        );
        assert_eq!(map("list", "Tag").unwrap().1.as_deref(), Some("Tag"));
        assert_eq!(map("object", "Tag").unwrap().0, "Tag");
        assert!(map("int", "int32").is_err());
        assert!(map("object", "Missing").is_err());
        assert!(map("binary", "string").is_err());
    }

    #[test]
    fn first_sentences_end_at_a_full_stop() {
        assert_eq!(first_sentence("Does a. Then b."), "Does a.");
        assert_eq!(first_sentence("查询任务。然后"), "查询任务。");
        assert_eq!(first_sentence("No stop"), "No stop");
    }
}
