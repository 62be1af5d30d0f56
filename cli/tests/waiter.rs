//! Waiters against the emulator: `--waiter` on a call, and `dts wait-migrate-check`.

mod support;

use std::time::Duration;

use serde_json::json;
use support::Cloud;
use tencentcloud_emulator::Emulator;

/// An emulator whose migration checks take a moment, so that waits poll more than once.
fn cloud() -> Cloud {
    support::start_with(Emulator::builder().check_duration(Duration::from_millis(800)))
}

/// Creates a migration job named `name` and starts its check; gives the job's id.
fn checked_job(cloud: &Cloud, name: &str) -> String {
    let option = json!({"RunMode": 1, "MigrateType": 2, "MigrateObject": 1, "ConsistencyType": 5, "IsOverrideRoot": 0});
    let source =
        json!({"Ip": "203.0.113.10", "Port": 3306, "User": "dts", "Password": "source-secret"});
    let target = json!({"Region": "ap-guangzhou", "InstanceId": "cdb-l78e0nbv", "User": "root", "Password": "target-secret"});
    let (option, source, target) = (option.to_string(), source.to_string(), target.to_string());
    let created = cloud
        .call(&[
            "dts",
            "CreateMigrateJob",
            "--version",
            "2018-03-30",
            "--JobName",
            name,
            "--MigrateOption",
            &option,
            "--SrcDatabaseType",
            "mysql",
            "--SrcAccessType",
            "extranet",
            "--SrcInfo",
            &source,
            "--DstDatabaseType",
            "mysql",
            "--DstAccessType",
            "cdb",
            "--DstInfo",
            &target,
        ])
        .json();
    let job_id = created["JobId"].as_str().expect("a JobId").to_owned();
    cloud
        .call(&[
            "dts",
            "CreateMigrateCheckJob",
            "--version",
            "2018-03-30",
            "--JobId",
            &job_id,
        ])
        .ok();
    job_id
}

/// DescribeMigrateCheckJob of `job_id` with `--waiter waiter`, then `more`.
fn wait_for(cloud: &Cloud, job_id: &str, waiter: &str, more: &[&str]) -> support::Run {
    let args = [
        "dts",
        "DescribeMigrateCheckJob",
        "--version",
        "2018-03-30",
        "--JobId",
        job_id,
        "--waiter",
        waiter,
    ];
    cloud.call(&[&args[..], more].concat())
}

#[test]
fn waiter_calls_again_until_the_expression_matches() {
    let cloud = cloud();
    let job_id = checked_job(&cloud, "orders");
    let run = wait_for(
        &cloud,
        &job_id,
        r#"{"expr": "Status", "to": "finished", "timeout": 120, "interval": 0.2}"#,
        &[],
    );
    let answer = run.json();
    assert_eq!(answer["Status"], "finished");
    assert_eq!(answer["CheckFlag"], 1);
    // Piped, stderr has no progress.
    assert_eq!(run.stderr, "");
    assert!(
        cloud.emulator.calls("DescribeMigrateCheckJob") >= 2,
        "the check was still running at first"
    );

    // A text `to` matches a number written that way; the output options still apply.
    let run = wait_for(
        &cloud,
        &job_id,
        r#"{"expr": "CheckFlag", "to": "1"}"#,
        &["--filter", "Status"],
    );
    assert_eq!(run.ok(), "\"finished\"\n");
}

#[test]
fn waiter_gives_up_after_its_timeout() {
    let cloud = cloud();
    let job_id = checked_job(&cloud, "orders");
    let run = wait_for(
        &cloud,
        &job_id,
        r#"{"expr": "Status", "to": "never", "timeout": 1, "interval": 0.2}"#,
        &[],
    );
    let line = run.fails(1);
    assert!(
        line.contains("gave up after 1s")
            && line.contains("`Status`")
            && line.contains("\"never\""),
        "{line}"
    );
    assert!(
        line.contains("is \"starting\"")
            || line.contains("is \"running\"")
            || line.contains("is \"finished\""),
        "{line}"
    );
    assert_eq!(run.stdout, "");
    assert!(cloud.emulator.calls("DescribeMigrateCheckJob") >= 2);
}

#[test]
fn a_service_error_ends_the_wait() {
    let cloud = cloud();
    let line = wait_for(
        &cloud,
        "dts-nosuchjb",
        r#"{"expr": "Status", "to": "finished", "interval": 0.2}"#,
        &[],
    )
    .fails(1)
    .to_owned();
    assert!(line.contains("ResourceNotFound"), "{line}");
    assert_eq!(cloud.emulator.calls("DescribeMigrateCheckJob"), 1);
}

#[test]
fn bad_waiters_are_refused_before_any_call() {
    let cloud = cloud();
    for (waiter, part) in [
        ("{not json", "is not JSON"),
        (r#"{"to": "finished"}"#, "needs `expr`"),
        (r#"{"expr": "Status"}"#, "needs `to`"),
        (
            r#"{"expr": "Status[", "to": "finished"}"#,
            "not a JMESPath expression",
        ),
        (
            r#"{"expr": "Status", "to": "finished", "timeout": 0}"#,
            "`timeout` must be a positive number",
        ),
        (
            r#"{"expr": "Status", "to": "finished", "timeout": -5}"#,
            "`timeout` must be a positive number",
        ),
    ] {
        let run = wait_for(&cloud, "dts-12345678", waiter, &[]);
        let line = run.fails(2);
        assert!(
            line.contains("--waiter") && line.contains(part),
            "{waiter}: {line}"
        );
    }
    assert_eq!(cloud.emulator.calls("DescribeMigrateCheckJob"), 0);
}

#[test]
fn wait_migrate_check_prints_a_passed_check() {
    let cloud = cloud();
    let job_id = checked_job(&cloud, "orders");
    let run = cloud.call(&[
        "dts",
        "wait-migrate-check",
        "--JobId",
        &job_id,
        "--interval",
        "0.2",
        "--timeout",
        "120",
    ]);
    let answer = run.json();
    assert_eq!(answer["Status"], "finished");
    assert_eq!(answer["CheckFlag"], 1);
    assert_eq!(answer["ErrorMessage"], "ok");
    assert!(answer["RequestId"].is_string());
    assert_eq!(run.stderr, "");

    let run = cloud.call(&[
        "dts",
        "wait-migrate-check",
        "--JobId",
        &job_id,
        "--output",
        "text",
        "--filter",
        "Status",
    ]);
    assert_eq!(run.ok(), "finished\n");
}

#[test]
fn wait_migrate_check_fails_on_a_failed_check() {
    let cloud = cloud();
    let job_id = checked_job(&cloud, "orders-fail-check");
    let run = cloud.call(&[
        "dts",
        "wait-migrate-check",
        "--JobId",
        &job_id,
        "--interval",
        "0.2",
    ]);
    let line = run.fails(1);
    assert!(line.contains(&job_id) && line.contains("failed"), "{line}");
    let answer: serde_json::Value =
        serde_json::from_str(&run.stdout).expect("the answer on stdout");
    assert_eq!(answer["CheckFlag"], 0);
}

#[test]
fn wait_migrate_check_gives_up_after_its_timeout() {
    let cloud = support::start_with(Emulator::builder().check_duration(Duration::from_secs(3600)));
    let job_id = checked_job(&cloud, "orders");
    let run = cloud.call(&[
        "dts",
        "wait-migrate-check",
        "--JobId",
        &job_id,
        "--timeout",
        "0.5",
        "--interval",
        "0.1",
    ]);
    let line = run.fails(1);
    assert!(
        line.contains(&job_id) && line.contains("not finished"),
        "{line}"
    );
    assert_eq!(run.stdout, "");
}

#[test]
fn wait_migrate_check_refuses_bad_command_lines() {
    let cloud = cloud();
    assert!(
        cloud
            .call(&["dts", "wait-migrate-check"])
            .fails(2)
            .contains("--JobId")
    );
    let line = cloud
        .call(&[
            "dts",
            "wait-migrate-check",
            "--JobId",
            "dts-1",
            "--Limit",
            "1",
        ])
        .fails(2)
        .to_owned();
    assert!(line.contains("--Limit"), "{line}");
    assert!(
        cloud
            .call(&[
                "dts",
                "wait-migrate-check",
                "--JobId",
                "dts-1",
                "--interval",
                "0"
            ])
            .fails(2)
            .contains("--interval")
    );
    assert_eq!(cloud.emulator.calls("DescribeMigrateCheckJob"), 0);
    let line = cloud
        .call(&["dts", "wait-migrate-check", "--JobId", "dts-nosuchjb"])
        .fails(1)
        .to_owned();
    assert!(line.contains("ResourceNotFound"), "{line}");

    let help = support::run(&cloud.home, &["dts", "wait-migrate-check", "help"]);
    assert!(help.ok().contains("--JobId") && help.stdout.contains("--interval"));
    let help = support::run(&cloud.home, &["dts", "help"]);
    assert!(help.ok().contains("wait-migrate-check"));
}
