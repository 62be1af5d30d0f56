//! The quickstart binary, run as a user runs it.

use std::process::{Command, Output};

use tencentcloud_emulator::Emulator;

/// Runs the quickstart with no credentials in its environment.
fn quickstart(args: &[&str]) -> Output {
    quickstart_with(args, &[])
}

/// Runs the quickstart with only the given credential variables, and a home directory without a
/// credentials file.
fn quickstart_with(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_quickstart"));
    command.args(args);
    for variable in [
        "TENCENTCLOUD_SECRET_ID",
        "TENCENTCLOUD_SECRET_KEY",
        "TENCENTCLOUD_SESSION_TOKEN",
        "TENCENTCLOUD_CREDENTIALS_FILE",
    ] {
        command.env_remove(variable);
    }
    let home = std::env::temp_dir().join(format!("quickstart-home-{}", std::process::id()));
    std::fs::create_dir_all(&home).expect("a home directory");
    command.env("HOME", &home);
    command.envs(env.iter().copied());
    command.output().expect("the quickstart runs")
}

fn text(output: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn with_no_arguments_it_checks_a_job_on_the_local_emulator() {
    let output = quickstart(&["--check-duration", "300ms"]);
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(0), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("Started a local DTS emulator at http://127.0.0.1:"),
        "{stdout}"
    );
    assert!(stdout.contains("Created migration job dts-"), "{stdout}");
    assert!(stdout.contains("Verdict: the check passed"), "{stdout}");
    assert!(stdout.contains("client.start_migrate_job()"), "{stdout}");
}

#[test]
fn a_failed_check_says_what_to_fix() {
    let output = quickstart(&["--fail", "--check-duration", "300ms"]);
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("Verdict: the check failed with ErrorCode -1"),
        "{stdout}"
    );
    assert!(stdout.contains("ModifyMigrateJob"), "{stdout}");
}

#[test]
fn start_starts_the_job_after_a_passed_check() {
    let output = quickstart(&["--start", "--check-duration", "300ms"]);
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(0), "{stdout}\n{stderr}");
    assert!(stdout.contains("Started the migration of dts-"), "{stdout}");
}

#[test]
fn a_short_timeout_ends_without_a_verdict() {
    let output = quickstart(&["--check-duration", "20s", "--timeout", "500ms"]);
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(stdout.contains("No verdict yet"), "{stdout}");
    assert!(stdout.contains("not finished after"), "{stdout}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn endpoint_sends_the_flow_to_that_endpoint_with_the_environments_credentials() {
    let emulator = Emulator::builder()
        .check_duration(std::time::Duration::from_millis(300))
        .start()
        .await
        .expect("the emulator starts");
    let url = emulator.url().to_owned();
    let id = emulator.credentials().secret_id().to_owned();
    let key = emulator.credentials().secret_key().to_owned();
    let output = tokio::task::spawn_blocking(move || {
        quickstart_with(
            &["--endpoint", &url],
            &[
                ("TENCENTCLOUD_SECRET_ID", &id),
                ("TENCENTCLOUD_SECRET_KEY", &key),
            ],
        )
    })
    .await
    .expect("the runner finishes");
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(0), "{stdout}\n{stderr}");
    assert!(!stdout.contains("Started a local DTS emulator"), "{stdout}");
    assert_eq!(emulator.calls("CreateMigrateJob"), 1);
    assert_eq!(emulator.calls("CreateMigrateCheckJob"), 1);
    assert!(emulator.calls("DescribeMigrateCheckJob") >= 2);
}

#[test]
fn a_real_endpoint_needs_credentials_and_says_which() {
    for args in [&["--cloud"][..], &["--endpoint", "http://127.0.0.1:9"][..]] {
        let output = quickstart(args);
        let (stdout, stderr) = text(&output);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {stdout}\n{stderr}"
        );
        assert!(stderr.contains("TENCENTCLOUD_SECRET_ID"), "{stderr}");
        // The default chain says what it tried.
        assert!(stderr.contains("no credentials found"), "{stderr}");
        assert!(stderr.contains("credentials file"), "{stderr}");
        assert!(!stdout.contains("Created"), "{stdout}");
    }
}

#[test]
fn bad_arguments_are_refused_with_a_hint() {
    for args in [
        &["--frobnicate"][..],
        &["--cloud", "--endpoint", "http://x"][..],
        &["--fail", "--cloud"][..],
        &["--timeout", "soon"][..],
        &["--source", "nohost"][..],
    ] {
        let output = quickstart(args);
        let (_, stderr) = text(&output);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("--help"), "{stderr}");
    }
    let help = quickstart(&["--help"]);
    assert_eq!(help.status.code(), Some(0));
    assert!(text(&help).0.contains("usage: quickstart"));
}
