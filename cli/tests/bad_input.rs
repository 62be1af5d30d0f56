//! Input that cannot be used: each gives one clear line on stderr and a non-zero exit, and
//! nothing is sent.

mod support;

fn refused(cloud: &support::Cloud, args: &[&str], code: i32, expected: &str) {
    let run = cloud.call(args);
    let line = run.fails(code);
    assert!(line.contains(expected), "{args:?}: {line}");
    assert!(run.stdout.is_empty(), "{args:?}: {}", run.stdout);
}

#[test]
fn bad_members_are_refused_before_sending() {
    let cloud = support::start();
    let describe = ["cvm", "DescribeInstances"];
    let with = |more: &[&'static str]| -> Vec<&str> {
        describe
            .iter()
            .copied()
            .chain(more.iter().copied())
            .collect()
    };

    refused(
        &cloud,
        &with(&["--Filters", "[{\"Name\": "]),
        2,
        "--Filters is not valid JSON",
    );
    refused(
        &cloud,
        &with(&["--Limit", "ten"]),
        2,
        "--Limit must be an integer, not `ten`",
    );
    refused(
        &cloud,
        &with(&["--Limt", "1"]),
        2,
        "unknown option `--Limt` (did you mean `--Limit`",
    );
    refused(
        &cloud,
        &with(&["--Filters.0.Nam", "zone"]),
        2,
        "has no member `Nam` (did you mean `Name`",
    );
    refused(
        &cloud,
        &with(&["--Filters.x.Name", "zone"]),
        2,
        "needs an index",
    );
    refused(
        &cloud,
        &with(&["--Filters.1.Name", "zone"]),
        2,
        "index 1 skips index 0",
    );
    refused(
        &cloud,
        &with(&["--Filters", "[{\"Name\": 1}]"]),
        2,
        "--Filters.0.Name must be a string, not 1",
    );
    refused(&cloud, &with(&["--Limit"]), 2, "--Limit needs a value");
    refused(&cloud, &with(&["stray"]), 2, "unexpected `stray`");
    refused(
        &cloud,
        &with(&["--output", "yaml"]),
        2,
        "--output must be json, text or table",
    );
    refused(
        &cloud,
        &["cvm", "DescribeInstancs"],
        2,
        "did you mean `DescribeInstances`",
    );
    refused(
        &cloud,
        &["cmv", "DescribeInstances"],
        2,
        "unknown service `cmv` (did you mean `cvm`",
    );
    refused(
        &cloud,
        &["dts", "CreateMigrateCheckJob", "--version", "2018-03-30"],
        2,
        "missing required member --JobId",
    );
    refused(
        &cloud,
        &["cvm", "DescribeZones", "--version", "2099-01-01"],
        2,
        "has no version `2099-01-01`",
    );
    refused(
        &cloud,
        &["cvm", "DescribeZones", "--timeout", "-1"],
        2,
        "--timeout must be a positive number",
    );
    refused(
        &cloud,
        &["cvm", "DescribeInstances", "--cli-input-json", "[1]"],
        2,
        "must hold a JSON object",
    );
    assert_eq!(cloud.emulator.calls("DescribeInstances"), 0);
    assert_eq!(cloud.emulator.calls("CreateMigrateCheckJob"), 0);
}

#[test]
fn a_file_that_cannot_be_read() {
    let cloud = support::start();
    let missing = format!("file://{}", cloud.home.join("nope.json").display());
    refused(
        &cloud,
        &["cvm", "DescribeInstances", "--cli-input-json", &missing],
        1,
        "cannot read",
    );
    std::fs::write(cloud.home.join("broken.json"), "{\"Limit\": ").unwrap();
    let broken = format!("file://{}", cloud.home.join("broken.json").display());
    refused(
        &cloud,
        &["cvm", "DescribeInstances", "--cli-input-json", &broken],
        2,
        "is not valid JSON",
    );
}

#[test]
fn an_unreachable_endpoint() {
    // A port nothing listens on: bound, then released.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let home = support::fresh_home();
    let endpoint = format!("http://127.0.0.1:{port}");
    let run = support::command(&home)
        .args([
            "cvm",
            "DescribeZones",
            "--endpoint",
            &endpoint,
            "--region",
            "ap-guangzhou",
        ])
        .env("TENCENTCLOUD_SECRET_ID", "AKIDexample")
        .env("TENCENTCLOUD_SECRET_KEY", "not-a-real-key")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    assert!(stderr.contains("127.0.0.1"), "{stderr}");
    assert!(!stderr.contains("not-a-real-key"), "{stderr}");
}

#[test]
fn unknown_commands_and_options() {
    let home = support::fresh_home();
    let line = support::run(&home, &["--bogus"]).fails(2).to_owned();
    assert!(line.contains("expected a service"), "{line}");
    let line = support::run(&home, &["cvm", "--Limit"]).fails(2).to_owned();
    assert!(line.contains("expected an action"), "{line}");
    let line = support::run(&home, &["cvm", "DescribeZones", "--"])
        .fails(2)
        .to_owned();
    assert!(line.contains("option name"), "{line}");
}
