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

pub mod common_errors;
pub mod emit;
pub mod model;
pub mod names;
pub mod spec;

use std::path::Path;

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
            let path = err.path().to_string();
            let location = if path == "." { String::new() } else { path };
            single(display, &location, err.inner().to_string())
        })?;
    Service::from_spec(display, &spec)
}

fn single(file: &str, location: &str, message: String) -> SpecErrors {
    SpecErrors(vec![SpecError {
        file: file.to_owned(),
        location: location.to_owned(),
        message,
    }])
}
