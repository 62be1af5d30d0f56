//! The official Python SDK, unmodified, drives the whole DTS check flow against the emulator:
//! its signatures verify (POST with a JSON body, and GET with the parameters in the query), its
//! answers parse, and a body changed after signing is refused; its generic `CommonClient` calls a
//! catalogue service (cvm).
//!
//! The interpreter is `TENCENTCLOUD_INTEROP_PYTHON` (`.ci/run` makes a virtualenv and sets it);
//! without it the test makes the virtualenv itself with `tests/interop/setup-venv.sh`, which
//! needs PyPI.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use serde_json::Value;
use tencentcloud_emulator::Emulator;

const INTERPRETER_VAR: &str = "TENCENTCLOUD_INTEROP_PYTHON";

fn interop_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/interop")
}

/// The Python with the official SDK installed.
fn python() -> PathBuf {
    if let Some(path) = std::env::var_os(INTERPRETER_VAR) {
        return PathBuf::from(path);
    }
    let venv = Path::new(env!("CARGO_TARGET_TMPDIR")).join("interop-venv");
    let output = Command::new("bash")
        .arg(interop_dir().join("setup-venv.sh"))
        .arg(&venv)
        .output()
        .unwrap_or_else(|err| panic!("cannot run setup-venv.sh: {err}"));
    assert!(
        output.status.success(),
        "setting up the Python SDK failed (set {INTERPRETER_VAR} to a python that has \
         tencentcloud-sdk-python-dts to skip this):\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    venv.join("bin/python")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_official_python_sdk_runs_the_check_flow() {
    let emulator = Emulator::builder()
        .check_duration(Duration::from_millis(300))
        .start()
        .await
        .expect("the emulator starts");
    let python = python();
    let script = interop_dir().join("check_flow.py");
    let args = [
        emulator.url().to_owned(),
        emulator.credentials().secret_id().to_owned(),
        emulator.credentials().secret_key().to_owned(),
    ];
    let output = tokio::task::spawn_blocking(move || {
        Command::new(&python).arg(&script).args(&args).output()
    })
    .await
    .expect("the runner thread finishes")
    .expect("python runs");

    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the Python flow failed:\n{stdout}\n{stderr}"
    );
    let steps: Vec<Value> = stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|err| panic!("{line}: {err}")))
        .collect();
    let names: Vec<&str> = steps.iter().filter_map(|s| s["step"].as_str()).collect();
    assert_eq!(
        names,
        [
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
            "done"
        ],
        "{stdout}"
    );
    assert!(steps.iter().all(|step| step["ok"] == true), "{stdout}");
    let check = &steps[1];
    assert!(
        check["statuses"]
            .as_array()
            .is_some_and(|s| s.contains(&"running".into())),
        "{stdout}"
    );
    // The start that was allowed and the one refused for the failed check reached the service;
    // the tampered, wrongly signed and unknown-id requests were stopped at the gateway.
    assert_eq!(emulator.calls("StartMigrateJob"), 2);
    assert_eq!(emulator.calls("CreateMigrateJob"), 3);
    assert_eq!(emulator.executed("DescribeInstances"), 1);
}
