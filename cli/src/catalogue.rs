//! The catalogue of services, versions, actions and members, embedded at build time.
//!
//! `build.rs` reads every spec of `api-spec/` and writes one compact JSON document per service
//! version, and an index of them. Looking a service up reads only the index; its version's
//! document is decoded when a command needs its actions, which costs a fraction of a
//! millisecond even for the largest services.

use std::borrow::Cow;
use std::collections::HashMap;

use serde::Deserialize;

use crate::error::CliError;
use crate::suggest;

/// One service and its versions, newest first.
pub struct ServiceEntry {
    /// Short name (`cvm`).
    pub name: &'static str,
    /// Its versions, newest first: the first is the default, as in tccli.
    pub versions: &'static [VersionEntry],
}

/// Where one service version's document lies in the embedded catalogue.
pub struct VersionEntry {
    /// API version (`2017-03-12`).
    pub version: &'static str,
    /// How many actions it has.
    pub actions: usize,
    start: usize,
    end: usize,
}

/// Every service, sorted by name.
pub static SERVICES: &[ServiceEntry] = include!(concat!(env!("OUT_DIR"), "/catalogue_index.rs"));

static DOCUMENTS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/catalogue.bin"));

/// The service named `name`, or an error suggesting the closest names.
pub fn service(name: &str) -> Result<&'static ServiceEntry, CliError> {
    SERVICES
        .binary_search_by(|entry| entry.name.cmp(name))
        .map(|index| &SERVICES[index])
        .map_err(|_| {
            CliError::usage(format!(
                "unknown service `{name}`{}; `tencentcloud help` lists them",
                suggest::did_you_mean(name, SERVICES.iter().map(|entry| entry.name))
            ))
        })
}

impl ServiceEntry {
    /// The version to use: `requested` when given, else the newest.
    pub fn version(&self, requested: Option<&str>) -> Result<&'static VersionEntry, CliError> {
        let Some(requested) = requested else {
            // The index never holds a service without versions.
            return self
                .versions
                .first()
                .ok_or_else(|| CliError::usage(format!("service `{}` has no version", self.name)));
        };
        self.versions
            .iter()
            .find(|entry| entry.version == requested)
            .ok_or_else(|| {
                let known: Vec<&str> = self.versions.iter().map(|entry| entry.version).collect();
                CliError::usage(format!(
                    "service `{}` has no version `{requested}`; it has {}",
                    self.name,
                    known.join(", ")
                ))
            })
    }

    /// The version and spec to call `action` with: `requested` (`--version`) when given; else
    /// `preferred` (a profile's) when it is a version with the action; else the newest version
    /// that has it. That is the newest version, unless only older ones have the action, as
    /// with dts's `DescribeMigrateCheckJob`, which only 2018-03-30 has.
    pub fn version_with(
        &self,
        requested: Option<&str>,
        preferred: Option<&str>,
        action: &str,
    ) -> Result<(&'static VersionEntry, Spec), CliError> {
        if requested.is_some() {
            let version = self.version(requested)?;
            let spec = version.load()?;
            spec.action(self.name, action)?;
            return Ok((version, spec));
        }
        if let Some(preferred) = self
            .versions
            .iter()
            .find(|entry| Some(entry.version) == preferred)
        {
            let spec = preferred.load()?;
            if spec.has_action(action) {
                return Ok((preferred, spec));
            }
        }
        let newest = self.newest();
        let spec = newest.load()?;
        if spec.has_action(action) {
            return Ok((newest, spec));
        }
        for older in &self.versions[1..] {
            let older_spec = older.load()?;
            if older_spec.has_action(action) {
                return Ok((older, older_spec));
            }
        }
        Err(spec.action(self.name, action).err().unwrap_or_else(|| {
            CliError::internal(format!(
                "`{action}` is and is not an action of {}",
                self.name
            ))
        }))
    }

    /// The newest version.
    pub fn newest(&self) -> &'static VersionEntry {
        &self.versions[0]
    }
}

impl VersionEntry {
    /// Decodes this version's document.
    pub fn load(&self) -> Result<Spec, CliError> {
        let text = DOCUMENTS.get(self.start..self.end).unwrap_or_default();
        serde_json::from_slice(text)
            .map_err(|err| CliError::internal(format!("the embedded catalogue is damaged ({err})")))
    }
}

/// Only the action names of a version's document, for completion: the rest is skipped.
#[derive(Deserialize)]
struct ActionNames {
    actions: Vec<ActionName>,
}

#[derive(Deserialize)]
struct ActionName {
    name: String,
}

impl VersionEntry {
    /// The names of this version's actions, without decoding the rest of its document.
    pub fn action_names(&self) -> Result<Vec<String>, CliError> {
        let text = DOCUMENTS.get(self.start..self.end).unwrap_or_default();
        let doc: ActionNames = serde_json::from_slice(text).map_err(|err| {
            CliError::internal(format!("the embedded catalogue is damaged ({err})"))
        })?;
        Ok(doc.actions.into_iter().map(|action| action.name).collect())
    }
}

/// One service version: its actions, structures and enums.
#[derive(Debug, Deserialize)]
pub struct Spec {
    /// First label of its host (`cvm`).
    pub host: String,
    /// Human-readable name, when the spec gives one.
    #[serde(default)]
    pub title: Option<String>,
    /// Actions, sorted by name.
    pub actions: Vec<Action>,
    /// Structures by name.
    pub structures: HashMap<String, Vec<Member>>,
    /// Enums by name.
    pub enums: HashMap<String, EnumDef>,
}

/// One action.
#[derive(Debug, Deserialize)]
pub struct Action {
    /// Wire name (`DescribeInstances`).
    pub name: String,
    /// One-line summary, when the spec gives one.
    #[serde(default)]
    pub summary: Option<String>,
    /// `deprecated` or `offline` when the service is retiring it.
    #[serde(default)]
    pub status: Option<String>,
    /// Safe to send again.
    #[serde(default)]
    pub idempotent: bool,
    /// Sent without a signature (a few credential-making actions).
    #[serde(default)]
    pub unsigned: bool,
    /// Sent as `multipart/form-data` (it takes bytes).
    #[serde(default)]
    pub multipart: bool,
    /// Answers a stream of events when its `Stream` member is true.
    #[serde(default)]
    pub stream: bool,
    /// Request members, in wire order.
    pub input: Vec<Member>,
    /// Response members, in wire order, without `RequestId`.
    pub output: Vec<Member>,
}

/// A member: `[name, type, required]` or `[name, type, required, description]`.
#[derive(Debug, Deserialize)]
pub struct Member(
    /// Wire name.
    pub String,
    /// Type, as `build.rs` writes it.
    pub TypeName,
    /// Required in the request (or always present in the answer).
    pub bool,
    /// Description, when the spec gives one.
    #[serde(default)]
    pub Option<String>,
);

impl Member {
    /// The `RequestId` member that every answer has.
    pub fn request_id() -> Self {
        Member(
            "RequestId".to_owned(),
            TypeName("string".to_owned()),
            true,
            None,
        )
    }

    /// Wire name.
    pub fn name(&self) -> &str {
        &self.0
    }

    /// Type.
    pub fn ty(&self) -> Type<'_> {
        self.1.parse()
    }

    /// Required.
    pub fn required(&self) -> bool {
        self.2
    }

    /// Description, when the spec gives one.
    pub fn description(&self) -> Option<&str> {
        self.3.as_deref()
    }
}

/// A type as `build.rs` writes it: `string`, `integer`, `unsigned`, `float`, `boolean`,
/// `binary`, `@Structure`, `%Enum`, or `[` before a list's item type.
#[derive(Debug, Deserialize)]
#[serde(transparent)]
pub struct TypeName(String);

impl TypeName {
    fn parse(&self) -> Type<'_> {
        Type::parse(&self.0)
    }
}

/// A member type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Type<'a> {
    /// Text.
    String,
    /// A signed integer.
    Integer,
    /// An unsigned integer.
    Unsigned,
    /// A number.
    Float,
    /// `true` or `false`.
    Boolean,
    /// Bytes, sent as a file.
    Binary,
    /// A structure, by name.
    Struct(&'a str),
    /// An enum, by name.
    Enum(&'a str),
    /// A list; the item type is written after the `[`.
    List(&'a str),
}

impl<'a> Type<'a> {
    /// Reads a type name; an unknown one reads as a string, the most lenient type.
    pub fn parse(text: &'a str) -> Self {
        if let Some(item) = text.strip_prefix('[') {
            return Type::List(item);
        }
        if let Some(name) = text.strip_prefix('@') {
            return Type::Struct(name);
        }
        if let Some(name) = text.strip_prefix('%') {
            return Type::Enum(name);
        }
        match text {
            "integer" => Type::Integer,
            "unsigned" => Type::Unsigned,
            "float" => Type::Float,
            "boolean" => Type::Boolean,
            "binary" => Type::Binary,
            _ => Type::String,
        }
    }

    /// The item type of a list.
    pub fn item(self) -> Option<Type<'a>> {
        match self {
            Type::List(item) => Some(Type::parse(item)),
            _ => None,
        }
    }

    /// How help texts name the type: `String`, `Integer`, `Array of Filter`...
    pub fn display(self) -> Cow<'a, str> {
        match self {
            Type::String => "String".into(),
            Type::Integer => "Integer".into(),
            Type::Unsigned => "Integer (unsigned)".into(),
            Type::Float => "Float".into(),
            Type::Boolean => "Boolean".into(),
            Type::Binary => "Binary (a file)".into(),
            Type::Struct(name) => name.into(),
            Type::Enum(name) => name.into(),
            Type::List(item) => format!("Array of {}", Type::parse(item).display()).into(),
        }
    }
}

/// An enum's wire type and values.
#[derive(Debug, Deserialize)]
pub struct EnumDef {
    /// `string`, `integer` or `unsigned`.
    #[serde(rename = "type")]
    pub repr: String,
    /// The values the spec names.
    pub values: Vec<serde_json::Value>,
}

impl Spec {
    /// The action named `name`, or an error suggesting the closest names.
    pub fn action(&self, service: &str, name: &str) -> Result<&Action, CliError> {
        self.actions
            .binary_search_by(|action| action.name.as_str().cmp(name))
            .map(|index| &self.actions[index])
            .map_err(|_| {
                CliError::usage(format!(
                    "service `{service}` has no action `{name}`{}; `tencentcloud {service} help` lists them",
                    suggest::did_you_mean(name, self.actions.iter().map(|action| action.name.as_str()))
                ))
            })
    }

    /// Whether the service version has an action named `name`.
    pub fn has_action(&self, name: &str) -> bool {
        self.actions
            .binary_search_by(|action| action.name.as_str().cmp(name))
            .is_ok()
    }

    /// The members of a structure; none for a name the spec does not define.
    pub fn structure(&self, name: &str) -> &[Member] {
        self.structures
            .get(name)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }
}

impl Action {
    /// The request member named `name`.
    pub fn member(&self, name: &str) -> Option<&Member> {
        self.input.iter().find(|member| member.name() == name)
    }
}

/// The link to an action's page in the official API Explorer, which describes what it does.
pub fn reference_url(service: &str, version: &str, action: &str) -> String {
    format!(
        "https://console.cloud.tencent.com/api/explorer?Product={service}&Version={version}&Action={action}"
    )
}
