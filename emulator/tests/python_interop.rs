//! The official Python SDK, unmodified, drives the whole DTS check flow against the emulator:
//! its signatures verify (POST with a JSON body, and GET with the parameters in the query), its
//! answers parse, and a body changed after signing is refused; its generic `CommonClient` calls a
//! catalogue service (cvm).
//!
//! The interpreter is `TENCENTCLOUD_INTEROP_PYTHON` (`.ci/run` makes a virtualenv and sets it);
//! without it the test makes the virtualenv itself with `tests/interop/setup-venv.sh`, which
//! needs PyPI.

#[path = "interop/flow.rs"]
mod flow;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use flow::interop_dir;
use tencentcloud_emulator::Emulator;

const INTERPRETER_VAR: &str = "TENCENTCLOUD_INTEROP_PYTHON";

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
    let mut python = Command::new(python());
    python.arg(interop_dir().join("check_flow.py"));
    flow::run(python, &emulator, "Python").await;
    // The start that was allowed and the one refused for the failed check reached the service;
    // the tampered, wrongly signed and unknown-id requests were stopped at the gateway.
    assert_eq!(emulator.calls("StartMigrateJob"), 2);
    assert_eq!(emulator.calls("CreateMigrateJob"), 3);
    assert_eq!(emulator.executed("DescribeInstances"), 1);
}
