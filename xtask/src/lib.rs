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
use std::process::Command;

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

/// A virtualenv at `venv` with `packages` installed by pip (with `--no-deps` when `no_deps`),
/// made the first time only: a `.installed` file in it marks it done. Gives its interpreter.
pub fn python_venv(venv: &Path, packages: &[String], no_deps: bool) -> Result<PathBuf, String> {
    let python = venv.join("bin/python");
    let done = venv.join(".installed");
    if done.exists() && python.is_file() {
        return Ok(python);
    }
    let run = |command: &mut Command, what: &str| -> Result<(), String> {
        let status = command
            .status()
            .map_err(|err| format!("cannot run {what}: {err}"))?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("{what} failed ({status})"))
        }
    };
    let interpreter = std::env::var("PYTHON").unwrap_or_else(|_| "python3".to_owned());
    run(
        Command::new(&interpreter).args(["-m", "venv"]).arg(venv),
        "python3 -m venv",
    )?;
    let mut pip = Command::new(&python);
    pip.args([
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
    ]);
    if no_deps {
        pip.arg("--no-deps");
    }
    run(
        pip.args(packages),
        &format!("pip install {}", packages.join(" ")),
    )?;
    std::fs::write(&done, "").map_err(|err| format!("cannot write {}: {err}", done.display()))?;
    Ok(python)
}
