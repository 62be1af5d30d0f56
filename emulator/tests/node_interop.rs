//! The official Node.js SDK's generic client (`CommonClient` of `tencentcloud-sdk-nodejs-common`,
//! pinned in `tests/interop/package.json`), unmodified and pointed at `127.0.0.1:PORT`, drives the
//! DTS check flow against the emulator: its signatures verify although it signs the host without
//! its port and names the scope's service `127` (the emulator runs with a default service), a
//! body changed after signing is refused, and a catalogue service (cvm) answers through the same
//! generic client.
//!
//! The SDK is found in `TENCENTCLOUD_INTEROP_NODE_MODULES`, a `node_modules` folder
//! (`.ci/run` fills one with `tests/interop/setup-node.sh` and sets it); without it the test
//! says so and passes without running.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use serde_json::Value;
use tencentcloud_emulator::Emulator;

const MODULES_VAR: &str = "TENCENTCLOUD_INTEROP_NODE_MODULES";

fn interop_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/interop")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_official_node_sdk_runs_the_check_flow() {
    let Some(modules) = std::env::var_os(MODULES_VAR) else {
        eprintln!(
            "skipped: set {MODULES_VAR} to a node_modules folder with tencentcloud-sdk-nodejs-common \
             (`bash emulator/tests/interop/setup-node.sh DIR` prints one) to run the Node.js interop test"
        );
        return;
    };
    let emulator = Emulator::builder()
        .check_duration(Duration::from_millis(300))
        .default_service("dts")
        .start()
        .await
        .expect("the emulator starts");
    let script = interop_dir().join("check_flow.js");
    let args = [
        emulator.url().to_owned(),
        emulator.credentials().secret_id().to_owned(),
        emulator.credentials().secret_key().to_owned(),
    ];
    let output = tokio::task::spawn_blocking(move || {
        Command::new("node")
            .arg(&script)
            .args(&args)
            .env("NODE_PATH", &modules)
            // The SDK sends through any proxy these name; the emulator is on loopback.
            .env_remove("http_proxy")
            .env_remove("HTTP_PROXY")
            .output()
    })
    .await
    .expect("the runner thread finishes")
    .expect("node runs");

    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the Node.js flow failed:\n{stdout}\n{stderr}"
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
    assert!(
        steps[1]["statuses"]
            .as_array()
            .is_some_and(|s| s.contains(&"running".into())),
        "{stdout}"
    );
    // The allowed start, the one refused for the failed check and the untampered hand-signed
    // one reached the service; the tampered, wrongly signed and unknown-id ones did not.
    assert_eq!(emulator.calls("StartMigrateJob"), 3);
    assert_eq!(emulator.calls("CreateMigrateJob"), 3);
    assert_eq!(emulator.executed("DescribeInstances"), 1);
}
