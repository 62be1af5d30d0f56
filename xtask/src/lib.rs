//! Project tasks, run as `cargo xtask <task>`; the binary only dispatches to these modules.
//!
//! `cargo xtask codegen` regenerates `sdk/src/services/` from `api-spec/`;
//! `cargo xtask codegen --check` changes nothing and fails when the committed code has drifted.
//! `cargo xtask import-tccli <api.json>` turns tccli's description of a service into a spec.
//! `cargo xtask import-catalogue` rewrites the whole catalogue from the pinned tccli.
//! `cargo xtask check-services` compile-checks the SDK with each service alone.
//! `cargo xtask bench [--quick]` measures signing, calls, memory, code generation and compile
//! time, and writes `target/bench/report.json`.

pub mod bench;
pub mod catalogue;
pub mod check_services;
pub mod codegen;
pub mod import;

use std::path::{Path, PathBuf};

/// The workspace's root folder.
pub fn workspace_root() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    here.parent().unwrap_or(here).to_path_buf()
}

/// The entries of `dir`, sorted by path.
pub fn sorted_entries(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let entries =
        std::fs::read_dir(dir).map_err(|err| format!("cannot read {}: {err}", dir.display()))?;
    let mut paths = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|err| format!("cannot read {}: {err}", dir.display()))?;
        paths.push(entry.path());
    }
    paths.sort();
    Ok(paths)
}
