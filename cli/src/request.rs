//! The request of a call, built from `--cli-input-json` and the `--Member` options and checked
//! against the spec before anything is sent: every member exists, every value has its member's
//! type, and every required member is there. Messages name the member by its path
//! (`Filters.0.Name`).

use std::io::Read;

use serde_json::{Map, Value};

use crate::args::{self, CommandLine};
use crate::catalogue::{Action, Member, Spec, Type};
use crate::error::CliError;
use crate::suggest;

/// The most that `--cli-input-json` reads from a file or stdin.
const MAX_INPUT_BYTES: u64 = 64 * 1024 * 1024;

/// How deep a skeleton goes into structures that hold themselves.
const SKELETON_DEPTH: usize = 6;

/// Whether the member at `path` (`InstanceIds`, `Filters.0.Values`) is a list, which takes
/// every word up to the next option.
pub fn is_list(spec: &Spec, action: &Action, path: &str) -> bool {
    resolve(spec, action, path).is_ok_and(|ty| matches!(ty, Type::List(_)))
}

/// The type of the member at `path`.
fn resolve<'s>(spec: &'s Spec, action: &'s Action, path: &str) -> Result<Type<'s>, CliError> {
    let mut segments = path.split('.');
    let first = segments.next().unwrap_or_default();
    let member = action
        .member(first)
        .ok_or_else(|| args::unknown_option(first, action.input.iter().map(Member::name)))?;
    let mut ty = member.ty();
    let mut walked = first.to_owned();
    for segment in segments {
        ty = match ty {
            Type::List(_) => {
                if segment.parse::<usize>().is_err() {
                    return Err(CliError::usage(format!(
                        "`{walked}` is a list: `{walked}.{segment}` needs an index such as `{walked}.0`"
                    )));
                }
                ty.item().unwrap_or(Type::String)
            }
            Type::Struct(name) => {
                let fields = spec.structure(name);
                let field = fields
                    .iter()
                    .find(|field| field.name() == segment)
                    .ok_or_else(|| {
                        CliError::usage(format!(
                            "`{walked}` has no member `{segment}`{}",
                            suggest::did_you_mean(segment, fields.iter().map(Member::name))
                        ))
                    })?;
                field.ty()
            }
            _ => {
                return Err(CliError::usage(format!(
                    "`{walked}` is a {}, which has no member `{segment}`",
                    ty.display()
                )));
            }
        };
        walked.push('.');
        walked.push_str(segment);
    }
    Ok(ty)
}

/// The request's parameters: `--cli-input-json` first, then each `--Member` over it.
pub fn build(
    spec: &Spec,
    action: &Action,
    line: &CommandLine,
) -> Result<Map<String, Value>, CliError> {
    let mut params = match &line.globals.cli_input_json {
        Some(source) => input_json(source)?,
        None => Map::new(),
    };
    for (path, words) in &line.members {
        let ty = resolve(spec, action, path)?;
        let value = value_of(spec, path, ty, words)?;
        insert(&mut params, path, value)?;
    }
    check_object(spec, &action.input, &params, "")?;
    Ok(params)
}

/// Reads `--cli-input-json`: `file://path`, `-` for stdin, or the JSON text itself.
fn input_json(source: &str) -> Result<Map<String, Value>, CliError> {
    let (text, name) = if source == "-" {
        (
            read_bounded(std::io::stdin().lock(), "stdin")?,
            "stdin".to_owned(),
        )
    } else if let Some(path) = source.strip_prefix("file://") {
        let file = std::fs::File::open(path)
            .map_err(|err| CliError::failed(format!("cannot read {path}: {err}")))?;
        (read_bounded(file, path)?, path.to_owned())
    } else {
        (source.to_owned(), "--cli-input-json".to_owned())
    };
    match serde_json::from_str(&text) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(CliError::usage(format!("{name} must hold a JSON object"))),
        Err(err) => Err(CliError::usage(format!("{name} is not valid JSON: {err}"))),
    }
}

fn read_bounded(reader: impl Read, name: &str) -> Result<String, CliError> {
    let mut text = String::new();
    reader
        .take(MAX_INPUT_BYTES + 1)
        .read_to_string(&mut text)
        .map_err(|err| CliError::failed(format!("cannot read {name}: {err}")))?;
    if text.len() as u64 > MAX_INPUT_BYTES {
        return Err(CliError::usage(format!(
            "{name} holds more than {} MiB",
            MAX_INPUT_BYTES / 1024 / 1024
        )));
    }
    Ok(text)
}

/// The value of the words given for a member of type `ty`.
fn value_of(spec: &Spec, path: &str, ty: Type<'_>, words: &[String]) -> Result<Value, CliError> {
    match ty {
        Type::List(_) => {
            let item = ty.item().unwrap_or(Type::String);
            // One word that is a JSON list is the whole list, as tccli reads it.
            if let [word] = words {
                if word.trim_start().starts_with('[') {
                    return json_word(path, word);
                }
            }
            words
                .iter()
                .enumerate()
                .map(|(index, word)| scalar(spec, &format!("{path}.{index}"), item, word))
                .collect::<Result<Vec<_>, _>>()
                .map(Value::Array)
        }
        _ => match words {
            [word] => scalar(spec, path, ty, word),
            _ => Err(CliError::usage(format!(
                "--{path} takes one value, not {}",
                words.len()
            ))),
        },
    }
}

/// One word as a value of type `ty`: text as it is for strings, JSON for structures.
fn scalar(spec: &Spec, path: &str, ty: Type<'_>, word: &str) -> Result<Value, CliError> {
    let wrong = |what: &str| CliError::usage(format!("--{path} must be {what}, not `{word}`"));
    match ty {
        Type::String | Type::Binary => Ok(Value::String(word.to_owned())),
        Type::Integer => word
            .parse::<i64>()
            .map(Value::from)
            .map_err(|_| wrong("an integer")),
        Type::Unsigned => word
            .parse::<u64>()
            .map(Value::from)
            .map_err(|_| wrong("an unsigned integer")),
        Type::Float => word
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .ok_or_else(|| wrong("a number")),
        Type::Boolean => match word.to_ascii_lowercase().as_str() {
            "true" | "t" | "1" => Ok(Value::Bool(true)),
            "false" | "f" | "0" => Ok(Value::Bool(false)),
            _ => Err(wrong("true or false")),
        },
        Type::Enum(name) => match spec.enums.get(name).map(|def| def.repr.as_str()) {
            Some("integer") => scalar(spec, path, Type::Integer, word),
            Some("unsigned") => scalar(spec, path, Type::Unsigned, word),
            _ => Ok(Value::String(word.to_owned())),
        },
        Type::Struct(_) | Type::List(_) => json_word(path, word),
    }
}

fn json_word(path: &str, word: &str) -> Result<Value, CliError> {
    serde_json::from_str(word)
        .map_err(|err| CliError::usage(format!("--{path} is not valid JSON ({err}): `{word}`")))
}

/// Puts `value` at `path` in `params`, making the structures and lists on the way.
fn insert(params: &mut Map<String, Value>, path: &str, value: Value) -> Result<(), CliError> {
    let mut segments = path.split('.').peekable();
    let first = segments.next().unwrap_or_default();
    if segments.peek().is_none() {
        params.insert(first.to_owned(), value);
        return Ok(());
    }
    let mut slot = params.entry(first.to_owned()).or_insert(Value::Null);
    while let Some(segment) = segments.next() {
        let last = segments.peek().is_none();
        slot = match segment.parse::<usize>() {
            Ok(index) => {
                if slot.is_null() {
                    *slot = Value::Array(Vec::new());
                }
                let Value::Array(items) = slot else {
                    return Err(conflict(path));
                };
                if index > items.len() {
                    return Err(CliError::usage(format!(
                        "--{path}: index {index} skips {}; give the items from 0 up",
                        if items.is_empty() {
                            "index 0".to_owned()
                        } else {
                            format!("index {}", items.len())
                        }
                    )));
                }
                if index == items.len() {
                    items.push(Value::Null);
                }
                &mut items[index]
            }
            Err(_) => {
                if slot.is_null() {
                    *slot = Value::Object(Map::new());
                }
                let Value::Object(fields) = slot else {
                    return Err(conflict(path));
                };
                fields.entry(segment.to_owned()).or_insert(Value::Null)
            }
        };
        if last {
            *slot = value;
            return Ok(());
        }
    }
    Ok(())
}

fn conflict(path: &str) -> CliError {
    CliError::usage(format!(
        "--{path} conflicts with another value given for the same member"
    ))
}

/// Checks an object against the members of its structure (or of the action's input).
fn check_object(
    spec: &Spec,
    members: &[Member],
    object: &Map<String, Value>,
    prefix: &str,
) -> Result<(), CliError> {
    for (name, value) in object {
        let path = format!("{prefix}{name}");
        let member = members
            .iter()
            .find(|member| member.name() == name)
            .ok_or_else(|| {
                if prefix.is_empty() {
                    args::unknown_option(name, members.iter().map(Member::name))
                } else {
                    CliError::usage(format!(
                        "`{}` has no member `{name}`{}",
                        prefix.trim_end_matches('.'),
                        suggest::did_you_mean(name, members.iter().map(Member::name))
                    ))
                }
            })?;
        check_value(spec, member.ty(), value, &path)?;
    }
    if let Some(missing) = members
        .iter()
        .find(|member| member.required() && !object.contains_key(member.name()))
    {
        let name = missing.name();
        return Err(CliError::usage(format!(
            "missing required member --{prefix}{name} ({})",
            missing.ty().display()
        )));
    }
    Ok(())
}

/// Checks that `value` has type `ty`.
fn check_value(spec: &Spec, ty: Type<'_>, value: &Value, path: &str) -> Result<(), CliError> {
    let wrong = |what: &str| {
        let shown = clip(&value.to_string(), 60);
        CliError::usage(format!("--{path} must be {what}, not {shown}"))
    };
    match ty {
        Type::String | Type::Binary => value
            .is_string()
            .then_some(())
            .ok_or_else(|| wrong("a string")),
        Type::Integer => value
            .is_i64()
            .then_some(())
            .ok_or_else(|| wrong("an integer")),
        Type::Unsigned => value
            .is_u64()
            .then_some(())
            .ok_or_else(|| wrong("an unsigned integer")),
        Type::Float => value
            .is_number()
            .then_some(())
            .ok_or_else(|| wrong("a number")),
        Type::Boolean => value
            .is_boolean()
            .then_some(())
            .ok_or_else(|| wrong("true or false")),
        Type::Enum(name) => match spec.enums.get(name).map(|def| def.repr.as_str()) {
            Some("integer") => check_value(spec, Type::Integer, value, path),
            Some("unsigned") => check_value(spec, Type::Unsigned, value, path),
            _ => check_value(spec, Type::String, value, path),
        },
        Type::List(_) => {
            let items = value.as_array().ok_or_else(|| wrong("a list"))?;
            let item = ty.item().unwrap_or(Type::String);
            for (index, element) in items.iter().enumerate() {
                check_value(spec, item, element, &format!("{path}.{index}"))?;
            }
            Ok(())
        }
        Type::Struct(name) => {
            let object = value
                .as_object()
                .ok_or_else(|| wrong(&format!("a {name} object")))?;
            check_object(spec, spec.structure(name), object, &format!("{path}."))
        }
    }
}

fn clip(text: &str, chars: usize) -> String {
    match text.char_indices().nth(chars) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

/// A request with every member of the action, each holding a value of its type, for
/// `--generate-cli-skeleton`: filled in and given to `--cli-input-json`, it is accepted.
pub fn skeleton(spec: &Spec, action: &Action) -> Map<String, Value> {
    action
        .input
        .iter()
        .map(|member| (member.name().to_owned(), sample(spec, member.ty(), 0)))
        .collect()
}

fn sample(spec: &Spec, ty: Type<'_>, depth: usize) -> Value {
    match ty {
        Type::String | Type::Binary => Value::String(String::new()),
        Type::Integer | Type::Unsigned => Value::from(0),
        Type::Float => Value::from(0.0),
        Type::Boolean => Value::Bool(false),
        Type::Enum(name) => spec
            .enums
            .get(name)
            .and_then(|def| def.values.first().cloned())
            .unwrap_or(Value::String(String::new())),
        Type::List(_) => {
            let item = ty.item().unwrap_or(Type::String);
            if depth >= SKELETON_DEPTH {
                return Value::Array(Vec::new());
            }
            Value::Array(vec![sample(spec, item, depth + 1)])
        }
        Type::Struct(name) => {
            let fields = spec.structure(name);
            // Deep inside a structure that holds itself, only what is required goes on.
            Value::Object(
                fields
                    .iter()
                    .filter(|field| {
                        depth < SKELETON_DEPTH || (field.required() && depth < SKELETON_DEPTH * 2)
                    })
                    .map(|field| (field.name().to_owned(), sample(spec, field.ty(), depth + 1)))
                    .collect(),
            )
        }
    }
}
