//! Writes `$OUT_DIR/sample_actions.rs`: for every action of the services that
//! `tests/every_answer.rs` sweeps, its service, version and name, and a function that sends it
//! through a generic call and reads the answer into the action's generated output type.

use std::fmt::Write as _;
use std::path::Path;

/// The services whose every action is sent to the emulator and decoded by the generated types.
const SERVICES: [&str; 6] = ["dts", "cvm", "vpc", "cam", "sts", "csip"];

fn main() {
    let specs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../api-spec");
    let mut out =
        String::from("/// Every action of the swept services.\nconst SAMPLE: &[Entry] = &[\n");
    for service in SERVICES {
        let dir = specs.join(service);
        println!("cargo:rerun-if-changed={}", dir.display());
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|err| panic!("{}: {err}", dir.display()))
            .filter_map(|entry| entry.ok().map(|entry| entry.path()))
            .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
            .collect();
        files.sort();
        for file in files {
            println!("cargo:rerun-if-changed={}", file.display());
            let text = std::fs::read_to_string(&file)
                .unwrap_or_else(|err| panic!("{}: {err}", file.display()));
            let spec: serde_json::Value = serde_json::from_str(&text)
                .unwrap_or_else(|err| panic!("{}: {err}", file.display()));
            let version = spec["version"].as_str().expect("a version");
            let module = format!("v{}", version.replace('-', ""));
            for action in spec["actions"].as_array().expect("actions") {
                let name = action["name"].as_str().expect("an action name");
                let _ = writeln!(
                    out,
                    "    Entry {{ service: {service:?}, version: {version:?}, action: {name:?}, \
                     send: send::<tencentcloud_sdk::{service}::{module}::{name}> }},"
                );
            }
        }
    }
    out.push_str("];\n");
    let path = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("sample_actions.rs");
    std::fs::write(&path, out).unwrap_or_else(|err| panic!("{}: {err}", path.display()));
}
