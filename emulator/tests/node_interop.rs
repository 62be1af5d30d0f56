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

#[path = "interop/flow.rs"]
mod flow;

use std::process::Command;
use std::time::Duration;

use flow::interop_dir;
use tencentcloud_emulator::Emulator;

const MODULES_VAR: &str = "TENCENTCLOUD_INTEROP_NODE_MODULES";

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
    let mut node = Command::new("node");
    node.arg(interop_dir().join("check_flow.js"))
        .env("NODE_PATH", &modules)
        // The SDK sends through any proxy these name; the emulator is on loopback.
        .env_remove("http_proxy")
        .env_remove("HTTP_PROXY");
    flow::run(node, &emulator, "Node.js").await;
    // The allowed start, the one refused for the failed check and the untampered hand-signed
    // one reached the service; the tampered, wrongly signed and unknown-id ones did not.
    assert_eq!(emulator.calls("StartMigrateJob"), 3);
    assert_eq!(emulator.calls("CreateMigrateJob"), 3);
    assert_eq!(emulator.executed("DescribeInstances"), 1);
}
