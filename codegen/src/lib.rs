//! The code generator of the Tencent Cloud Rust SDK.
//!
//! It works in two stages:
//!
//! 1. [`load`] reads a spec file ([`spec`]) and checks it into an intermediate [`model`], with
//!    names resolved and every problem reported with file, action and member path;
//! 2. [`generate`] emits Rust tokens from the model, parses them with `syn` and prints them with
//!    `prettyplease`, giving one text per output file in a deterministic order.
//!
//! `cargo xtask codegen` drives both over `api-spec/` and writes `sdk/src/services/`.
//! [`tccli`] imports a service from the official Tencent Cloud CLI's description into a spec
//! (`cargo xtask import-tccli`).

pub mod common_errors;
#[cfg(feature = "emit")]
pub mod emit;
pub mod model;
pub mod names;
#[cfg(feature = "emit")]
mod snippet;
pub mod spec;
#[cfg(feature = "emit")]
pub mod tccli;

use std::path::Path;

#[cfg(feature = "emit")]
pub use emit::{EmitError, generate};
pub use model::{Service, SpecError, SpecErrors};

/// Reads and checks one spec file. `display` is how the file is named in messages and in the
/// header of generated files (a path relative to the workspace keeps output the same everywhere).
pub fn load(path: &Path, display: &str) -> Result<Service, SpecErrors> {
    let text = std::fs::read_to_string(path).map_err(|err| single(display, "", err.to_string()))?;
    parse(&text, display)
}

/// Checks spec text; see [`load`].
pub fn parse(text: &str, display: &str) -> Result<Service, SpecErrors> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let spec: spec::SpecFile =
        serde_path_to_error::deserialize(&mut deserializer).map_err(|err| {
            let location = readable_location(text, err.path());
            single(display, &location, err.inner().to_string())
        })?;
    Service::from_spec(display, &spec)
}

/// Names the place of a format error the way validation names places (`action DescribeJob,
/// input.JobId`), with the names found in the JSON; any deeper part of the path follows as is.
fn readable_location(text: &str, path: &serde_path_to_error::Path) -> String {
    use serde_json::Value;
    use serde_path_to_error::Segment;

    let segments: Vec<&Segment> = path.iter().collect();
    // The text may not even be JSON; then only the raw path can be given.
    let root: Value = serde_json::from_str(text).unwrap_or(Value::Null);
    let label = |item: &Value, index: usize| -> String {
        item["name"]
            .as_str()
            .or_else(|| item["code"].as_str())
            .map_or_else(|| format!("[{index}]"), str::to_owned)
    };
    let mut location = String::new();
    let mut rest = &segments[..];
    if let [Segment::Map { key }, Segment::Seq { index }, tail @ ..] = rest {
        let item = &root[key.as_str()][*index];
        let (kind, lists): (&str, &[&str]) = match key.as_str() {
            "actions" => ("action", &["input", "output", "errors", "examples"]),
            "structures" => ("structure", &["members"]),
            _ => ("", &[]),
        };
        if !kind.is_empty() {
            location = format!("{kind} {}", label(item, *index));
            rest = tail;
            if let [
                Segment::Map { key: list },
                Segment::Seq { index },
                tail @ ..,
            ] = rest
            {
                if lists.contains(&list.as_str()) {
                    let member = label(&item[list.as_str()][*index], *index);
                    location = if kind == "structure" {
                        format!("{location}.{member}")
                    } else if member.starts_with('[') {
                        format!("{location}, {list}{member}")
                    } else {
                        format!("{location}, {list}.{member}")
                    };
                    rest = tail;
                }
            }
        }
    }
    for segment in rest {
        match segment {
            Segment::Map { key } => {
                if !location.is_empty() {
                    location.push('.');
                }
                location.push_str(key);
            }
            Segment::Seq { index } => location.push_str(&format!("[{index}]")),
            Segment::Enum { variant } => location.push_str(&format!(".{variant}")),
            Segment::Unknown => location.push_str(".?"),
        }
    }
    location
}

fn single(file: &str, location: &str, message: String) -> SpecErrors {
    SpecErrors(vec![SpecError {
        file: file.to_owned(),
        location: location.to_owned(),
        message,
    }])
}
