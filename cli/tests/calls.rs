//! Calls against the emulator: members given every way tccli takes them, every output format,
//! filters, skeletons, error answers, and several catalogue services.

mod support;

use serde_json::{Value, json};
use tencentcloud_emulator::{Emulator, Reply, Script};

/// An emulator whose cvm `DescribeInstances` answers with the request it got, as `Echo`.
fn echoing() -> support::Cloud {
    support::start_with(Emulator::builder().script(
        "cvm",
        "DescribeInstances",
        Script::from_fn(|call| Reply::answer(json!({"TotalCount": 0, "Echo": call.params}))),
    ))
}

/// The parameters the emulator received for a `cvm DescribeInstances` call with `args`.
fn sent(cloud: &support::Cloud, args: &[&str]) -> Value {
    let mut all = vec!["cvm", "DescribeInstances"];
    all.extend_from_slice(args);
    cloud.call(&all).json()["Echo"].clone()
}

#[test]
fn dts_call_prints_the_answer() {
    let cloud = support::start();
    let answer = cloud
        .call(&["dts", "DescribeMigrateJobs", "--version", "2018-03-30"])
        .json();
    assert_eq!(answer["TotalCount"], 0);
    assert!(answer["RequestId"].is_string());
}

#[test]
fn members_as_words_json_and_paths() {
    let cloud = echoing();
    assert_eq!(
        sent(&cloud, &["--InstanceIds", "ins-1", "ins-2", "--Limit", "5"]),
        json!({"InstanceIds": ["ins-1", "ins-2"], "Limit": 5})
    );
    assert_eq!(
        sent(&cloud, &["--InstanceIds", r#"["ins-1","ins-2"]"#]),
        json!({"InstanceIds": ["ins-1", "ins-2"]})
    );
    assert_eq!(
        sent(
            &cloud,
            &[
                "--Filters.0.Name",
                "zone",
                "--Filters.0.Values",
                "ap-guangzhou-3",
                "ap-guangzhou-4",
                "--Filters.1.Name",
                "instance-name",
                "--Filters.1.Values",
                r#"["web"]"#,
            ]
        ),
        json!({"Filters": [
            {"Name": "zone", "Values": ["ap-guangzhou-3", "ap-guangzhou-4"]},
            {"Name": "instance-name", "Values": ["web"]},
        ]})
    );
    assert_eq!(
        sent(
            &cloud,
            &[
                "--Filters",
                r#"[{"Name":"zone","Values":["z"]}]"#,
                "--Offset=2"
            ]
        ),
        json!({"Filters": [{"Name": "zone", "Values": ["z"]}], "Offset": 2})
    );
}

#[test]
fn cli_input_json_from_a_file_and_stdin_under_the_options() {
    let cloud = echoing();
    let file = cloud.home.join("input.json");
    std::fs::write(&file, r#"{"Limit": 7, "InstanceIds": ["ins-a"]}"#).unwrap();
    let from_file = format!("file://{}", file.display());
    assert_eq!(
        sent(&cloud, &["--cli-input-json", &from_file, "--Limit", "3"]),
        json!({"Limit": 3, "InstanceIds": ["ins-a"]})
    );

    let (id, key) = cloud.secret();
    let url = cloud.emulator.url().to_owned();
    let mut command = support::command(&cloud.home);
    command
        .args([
            "cvm",
            "DescribeInstances",
            "--cli-input-json",
            "-",
            "--endpoint",
            &url,
        ])
        .env("TENCENTCLOUD_SECRET_ID", id)
        .env("TENCENTCLOUD_SECRET_KEY", key)
        .env("TENCENTCLOUD_REGION", "ap-guangzhou");
    let run = support::run_piped(command, r#"{"Offset": 9}"#);
    assert_eq!(run.json()["Echo"], json!({"Offset": 9}));
}

#[test]
fn a_skeleton_filled_in_is_accepted() {
    let cloud = support::start();
    let args = [
        "dts",
        "CreateMigrateJob",
        "--version",
        "2018-03-30",
        "--generate-cli-skeleton",
    ];
    let skeleton = support::run(&cloud.home, &args).json();
    // Every member is there, required or not, with a value of its type.
    assert_eq!(skeleton["JobName"], "");
    assert!(skeleton["SrcInfo"].is_object());
    assert_eq!(
        cloud.emulator.calls("CreateMigrateJob"),
        0,
        "a skeleton sends nothing"
    );

    // Filled in as a user would: names and addresses, and what does not apply taken out.
    let mut request = skeleton.clone();
    request["JobName"] = json!("from-a-skeleton");
    request["SrcInfo"] = json!({"Ip": "203.0.113.7", "Port": 3306, "User": "u", "Password": "p"});
    request["DstAccessType"] = json!("cdb");
    request["DstInfo"] = json!({"InstanceId": "cdb-1", "Region": "ap-guangzhou"});
    if let Some(object) = request.as_object_mut() {
        for unused in ["SrcInfoMulti", "Tags", "DatabaseInfo", "SrcNodeType"] {
            object.remove(unused);
        }
    }
    if let Some(option) = request["MigrateOption"].as_object_mut() {
        option.remove("ExternParams");
        option.remove("ExpectTime");
    }
    let file = cloud.home.join("job.json");
    std::fs::write(&file, request.to_string()).unwrap();
    let from_file = format!("file://{}", file.display());
    let answer = cloud
        .call(&[
            "dts",
            "CreateMigrateJob",
            "--version",
            "2018-03-30",
            "--cli-input-json",
            &from_file,
        ])
        .json();
    assert!(
        answer["JobId"]
            .as_str()
            .is_some_and(|id| id.starts_with("dts-")),
        "{answer}"
    );
}

#[test]
fn every_skeleton_of_a_service_passes_the_checks() {
    // Unfilled skeletons hold a value of the right type for every member: the CLI's own
    // checks accept them, so that the only thing left to do is to fill them in.
    let cloud = support::start();
    for action in [
        "RunInstances",
        "DescribeInstances",
        "ModifyInstancesAttribute",
    ] {
        let skeleton =
            support::run(&cloud.home, &["cvm", action, "--generate-cli-skeleton"]).json();
        let file = cloud.home.join(format!("{action}.json"));
        std::fs::write(&file, skeleton.to_string()).unwrap();
        let from_file = format!("file://{}", file.display());
        let run = cloud.call(&["cvm", action, "--cli-input-json", &from_file]);
        assert_eq!(run.code, Some(0), "{action}: {}", run.stderr);
    }
}

fn listing() -> support::Cloud {
    support::start_with(Emulator::builder().script(
        "cvm",
        "DescribeInstances",
        Script::always(Reply::answer(json!({
            "TotalCount": 2,
            "InstanceSet": [
                {"InstanceId": "ins-1", "InstanceName": "web", "CPU": 2, "Tags": [{"Key": "env", "Value": "prod"}]},
                {"InstanceId": "ins-2", "InstanceName": "数据库", "CPU": 4, "Tags": []},
            ],
        }))),
    ))
}

#[test]
fn json_output_as_tccli_prints_it() {
    let cloud = listing();
    let run = cloud.call(&["cvm", "DescribeInstances"]);
    let text = run.ok();
    assert!(
        text.starts_with("{\n    \"TotalCount\": 2,\n    \"InstanceSet\": [\n        {\n"),
        "{text}"
    );
    assert!(
        text.contains("\"数据库\""),
        "non-ASCII text is printed as it is: {text}"
    );
    let answer = run.json();
    assert_eq!(answer["InstanceSet"][1]["CPU"], 4);
}

#[test]
fn text_output() {
    let cloud = listing();
    let text = cloud
        .call(&["cvm", "DescribeInstances", "--output", "text"])
        .ok()
        .to_owned();
    let lines: Vec<&str> = text.lines().collect();
    // The scalars of the answer (RequestId, TotalCount), then one line per instance.
    assert!(lines[0].ends_with("\t2"), "{text}");
    assert_eq!(lines[1], "INSTANCESET\t2\tins-1\tweb");
    assert_eq!(lines[2], "TAGS\tenv\tprod");
    assert_eq!(lines[3], "INSTANCESET\t4\tins-2\t数据库");
    assert_eq!(lines.len(), 4, "{text}");
}

#[test]
fn table_output() {
    let cloud = listing();
    let text = cloud
        .call(&["cvm", "DescribeInstances", "--output", "table"])
        .ok()
        .to_owned();
    assert!(
        text.lines()
            .nth(1)
            .is_some_and(|line| line.contains(" Response ")),
        "{text}"
    );
    let rows: Vec<&str> = text.lines().filter(|line| line.contains("ins-")).collect();
    assert_eq!(rows.len(), 2, "{text}");
    assert!(rows[0].contains("| 2   | ins-1      | web"), "{text}");
    assert!(text.contains("InstanceSet.0.Tags"), "{text}");
    // Each row is as wide as the rule above it, wide characters counted twice.
    let mut rule = 0;
    for line in text.lines() {
        let shown = line.trim_start();
        if shown.starts_with('+') {
            rule = width(shown);
        } else {
            assert_eq!(width(shown), rule, "{line}\n{text}");
        }
    }
}

fn width(line: &str) -> usize {
    line.chars()
        .map(|c| {
            if ('\u{4e00}'..='\u{9fff}').contains(&c) {
                2
            } else {
                1
            }
        })
        .sum()
}

#[test]
fn filter_selects_from_the_answer_in_every_format() {
    let cloud = listing();
    let ids = cloud
        .call(&[
            "cvm",
            "DescribeInstances",
            "--filter",
            "InstanceSet[].InstanceId",
        ])
        .json();
    assert_eq!(ids, json!(["ins-1", "ins-2"]));
    let text = cloud
        .call(&[
            "cvm",
            "DescribeInstances",
            "--filter",
            "InstanceSet[?CPU > `2`].InstanceName",
            "--output",
            "text",
        ])
        .ok()
        .to_owned();
    assert_eq!(text, "数据库\n");
    let line = cloud
        .call(&[
            "cvm",
            "DescribeInstances",
            "--filter",
            "InstanceSet[0.",
            "--Limit",
            "1",
        ])
        .fails(2)
        .to_owned();
    assert!(line.contains("--filter"), "{line}");
}

#[test]
fn an_error_answer_shows_code_message_and_request_id() {
    let cloud = support::start();
    let run = cloud.call(&["dts", "DescribeMigrateCheckJob", "--JobId", "dts-missing"]);
    let line = run.fails(1);
    assert!(line.contains("ResourceNotFound.JobNotExist"), "{line}");
    assert!(line.contains("dts-missing"), "{line}");
    assert!(line.contains("RequestId "), "{line}");
    assert!(run.stdout.is_empty());
}

#[test]
fn an_older_version_is_used_when_only_it_has_the_action() {
    let cloud = support::start();
    let help = support::run(&cloud.home, &["dts", "DescribeMigrateCheckJob", "help"]);
    assert!(
        help.ok()
            .starts_with("dts DescribeMigrateCheckJob (version 2018-03-30; the newest, 2021-12-06, has no DescribeMigrateCheckJob)"),
        "{}",
        help.stdout
    );
    let newest = support::run(&cloud.home, &["dts", "DescribeMigrationJobs", "help"]);
    assert!(
        newest
            .ok()
            .starts_with("dts DescribeMigrationJobs (version 2021-12-06)")
    );
    let pinned = support::run(
        &cloud.home,
        &[
            "dts",
            "DescribeMigrateCheckJob",
            "--version",
            "2021-12-06",
            "help",
        ],
    );
    let line = pinned.fails(2);
    assert!(
        line.contains("has no action `DescribeMigrateCheckJob`"),
        "{line}"
    );
}

#[test]
fn five_catalogue_services_answer() {
    let cloud = support::start();
    let calls: &[&[&str]] = &[
        &["cvm", "DescribeZones"],
        &["vpc", "DescribeVpcs", "--Limit", "10"],
        &["cbs", "DescribeDisks", "--Limit", "5"],
        &["cam", "ListUsers"],
        &["sts", "GetCallerIdentity"],
        &["tag", "DescribeTags"],
        &["dts", "DescribeMigrationJobs"],
    ];
    for args in calls {
        let answer = cloud.call(args).json();
        assert!(answer["RequestId"].is_string(), "{args:?}: {answer}");
        assert_eq!(cloud.emulator.calls(args[1]), 1, "{args:?}");
    }
}

#[test]
fn a_streamed_answer_prints_one_line_per_event() {
    let events = (0..3).map(|index| {
        Reply::answer(json!({"Choices": [{"Delta": {"Content": format!("part {index}")}}]}))
    });
    let cloud = support::start_with(Emulator::builder().script(
        "hunyuan",
        "ChatCompletions",
        Script::always(Reply::events(events)),
    ));
    let text = cloud
        .call(&[
            "hunyuan",
            "ChatCompletions",
            "--Model",
            "hunyuan-lite",
            "--Messages",
            r#"[{"Role": "user", "Content": "hi"}]"#,
            "--Stream",
            "true",
            "--filter",
            "Choices[0].Delta.Content",
        ])
        .ok()
        .to_owned();
    assert_eq!(text, "\"part 0\"\n\"part 1\"\n\"part 2\"\n");
}
