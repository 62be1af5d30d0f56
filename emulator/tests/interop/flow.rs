//! What the interop tests of the official SDKs share: running a flow script against the
//! emulator and reading the steps it reports, one JSON line each.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use tencentcloud_emulator::Emulator;

/// The steps every flow script reports, in order.
const STEPS: [&str; 12] = [
    "create",
    "check",
    "start",
    "failed-check",
    "start-refused",
    "tampered-body",
    "wrong-key",
    "unknown-id",
    "get-create",
    "get-describe",
    "cvm-describe-instances",
    "done",
];

/// `emulator/tests/interop/`.
pub fn interop_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/interop")
}

/// Runs `command` (a flow script) with the emulator's URL, secret id and key as arguments, on a
/// thread of its own, and checks that it reported every step, each `ok`, and a check that was
/// seen `running` before it finished. `what` names the SDK in failures.
pub async fn run(mut command: Command, emulator: &Emulator, what: &str) {
    command.args([
        emulator.url(),
        emulator.credentials().secret_id(),
        emulator.credentials().secret_key(),
    ]);
    let output = tokio::task::spawn_blocking(move || command.output())
        .await
        .expect("the runner thread finishes")
        .unwrap_or_else(|err| panic!("the {what} flow does not run: {err}"));

    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the {what} flow failed:\n{stdout}\n{stderr}"
    );
    let steps: Vec<Value> = stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|err| panic!("{line}: {err}")))
        .collect();
    let names: Vec<&str> = steps.iter().filter_map(|s| s["step"].as_str()).collect();
    assert_eq!(names, STEPS, "{stdout}");
    assert!(steps.iter().all(|step| step["ok"] == true), "{stdout}");
    assert!(
        steps[1]["statuses"]
            .as_array()
            .is_some_and(|s| s.contains(&"running".into())),
        "{stdout}"
    );
}
