//! Where a call's credentials and region come from: the command line, the environment, the
//! tccli profile files, and a role assumed through STS, against the emulator.

mod support;

use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::json;
use support::{Cloud, Run};
use tencentcloud_emulator::{Emulator, Reply, Script};
use tencentcloud_sdk::Credentials;

const CALL: &[&str] = &["dts", "DescribeMigrateJobs", "--version", "2018-03-30"];
const WRONG_ID: &str = "AKIDwrongwrongwrongwrongwrong0000";
const WRONG_KEY: &str = "wrongkeywrongkeywrongkeywrongkey";

/// The binary in `cloud`'s home with nothing in the environment, aimed at the emulator.
fn call_without_env(cloud: &Cloud, args: &[&str]) -> Run {
    let output = support::command(&cloud.home)
        .args(CALL)
        .args(args)
        .args(["--endpoint", cloud.emulator.url()])
        .output()
        .unwrap();
    Run {
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        code: output.status.code(),
    }
}

fn configure(home: &Path, args: &[&str]) {
    let mut words = vec!["configure", "set"];
    words.extend(args);
    support::run(home, &words).ok();
}

#[test]
fn credentials_and_region_from_the_profile_files_alone() {
    let cloud = support::start();
    let (id, key) = cloud.secret();
    configure(
        &cloud.home,
        &["secretId", id, "secretKey", key, "region", "ap-guangzhou"],
    );
    let answer = call_without_env(&cloud, &[]).json();
    assert_eq!(answer["TotalCount"], 0);
    assert_eq!(cloud.emulator.calls("DescribeMigrateJobs"), 1);
}

#[test]
fn a_named_profile_is_used_as_it_is() {
    let cloud = support::start();
    let (id, key) = cloud.secret();
    configure(
        &cloud.home,
        &[
            "secretId",
            WRONG_ID,
            "secretKey",
            WRONG_KEY,
            "region",
            "ap-guangzhou",
        ],
    );
    configure(
        &cloud.home,
        &[
            "secretId",
            id,
            "secretKey",
            key,
            "region",
            "ap-guangzhou",
            "--profile",
            "other",
        ],
    );
    let refused = call_without_env(&cloud, &[]);
    assert!(
        refused.fails(1).contains("AuthFailure"),
        "{}",
        refused.stderr
    );
    call_without_env(&cloud, &["--profile", "other"]).ok();

    // The environment's keys come before the default profile's...
    cloud.call(CALL).ok();
    // ...but not before those of a profile named by --profile.
    let named = cloud.call(&[CALL, &["--profile", "default"]].concat());
    assert!(named.fails(1).contains("AuthFailure"), "{}", named.stderr);
    let unknown = call_without_env(&cloud, &["--profile", "othre"]);
    let line = unknown.fails(2);
    assert!(
        line.contains("profile `othre` does not exist") && line.contains("`other`"),
        "{line}"
    );
}

#[test]
fn command_line_keys_win() {
    let cloud = support::start();
    let (id, key) = cloud.secret();
    let wrong = cloud.call(&[CALL, &["--secretId", WRONG_ID, "--secretKey", WRONG_KEY]].concat());
    let line = wrong.fails(1);
    assert!(line.contains("AuthFailure"), "{line}");
    assert!(!wrong.stderr.contains(WRONG_KEY) && !wrong.stderr.contains(key));

    let right = cloud.call_with(
        &[CALL, &["--secretId", id, "--secretKey", key]].concat(),
        |command| {
            command
                .env("TENCENTCLOUD_SECRET_ID", WRONG_ID)
                .env("TENCENTCLOUD_SECRET_KEY", WRONG_KEY);
        },
    );
    right.ok();
    // Over the profile's too.
    configure(
        &cloud.home,
        &[
            "secretId",
            WRONG_ID,
            "secretKey",
            WRONG_KEY,
            "region",
            "ap-guangzhou",
        ],
    );
    call_without_env(&cloud, &["--secretId", id, "--secretKey", key]).ok();
    let half = call_without_env(&cloud, &["--secretId", id, "--profile", "default"]);
    half.fails(1);
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// An emulator that accepts a permanent pair and a temporary one, whose STS `AssumeRole` hands
/// out the temporary one (checking what it was asked), and whose DTS call tells which account
/// made it.
fn cloud_with_a_role() -> (Cloud, Credentials) {
    let permanent = Credentials::new(
        "AKIDpermanentpermanentpermanent01",
        "permanentkeypermanentkeypermanen",
    );
    let temporary = Credentials::new(
        "AKIDtemporarytemporarytemporary01",
        "temporarykeytemporarykeytemporar",
    )
    .with_token("session-token-of-the-role");
    let handed = temporary.clone();
    let builder = Emulator::builder()
        .credentials(permanent)
        .credentials(temporary.clone())
        .script(
            "sts",
            "AssumeRole",
            Script::from_fn(move |call| {
                if call.params.get("RoleArn")
                    != Some(&json!("qcs::cam::uin/100000000001:roleName/deployer"))
                {
                    return Reply::error("InvalidParameter.RoleArn", "not the expected role");
                }
                let name = call
                    .params
                    .get("RoleSessionName")
                    .and_then(|name| name.as_str())
                    .unwrap_or("");
                if !(name == "ci-run" || name.starts_with("tencentcloud-cli-")) {
                    return Reply::error(
                        "InvalidParameter.RoleSessionName",
                        "not the expected session name",
                    );
                }
                Reply::answer(json!({
                    "Credentials": {
                        "TmpSecretId": handed.secret_id(),
                        "TmpSecretKey": handed.secret_key(),
                        "Token": handed.token(),
                    },
                    "ExpiredTime": unix_now() + 3600,
                    "Expiration": "2099-01-01T00:00:00Z",
                }))
            }),
        )
        .script(
            "dts",
            "DescribeMigrateJobs",
            Script::from_fn(|call| {
                Reply::answer(json!({"TotalCount": 0, "JobList": [], "Account": call.account}))
            }),
        );
    (support::start_with(builder), temporary)
}

#[test]
fn a_role_is_assumed_through_sts_with_the_other_credentials() {
    let (cloud, temporary) = cloud_with_a_role();
    let alone = cloud.call(&[CALL, &["--role-session-name", "ci-run"]].concat());
    assert!(
        alone
            .fails(2)
            .contains("--role-session-name needs --role-arn")
    );
    let role = [
        "--role-arn",
        "qcs::cam::uin/100000000001:roleName/deployer",
        "--role-session-name",
        "ci-run",
    ];
    let run = cloud.call(&[CALL, &role].concat());
    let answer = run.json();
    assert_eq!(cloud.emulator.calls("AssumeRole"), 1);
    assert_eq!(
        answer["Account"],
        temporary.secret_id(),
        "the call is made as the role"
    );
    assert!(!run.stderr.contains("session-token-of-the-role"));
}

#[test]
fn a_role_of_the_profile_without_a_session_name() {
    let (cloud, temporary) = cloud_with_a_role();
    let (id, key) = cloud.secret();
    configure(
        &cloud.home,
        &[
            "secretId",
            id,
            "secretKey",
            key,
            "region",
            "ap-guangzhou",
            "role-arn",
            "qcs::cam::uin/100000000001:roleName/deployer",
        ],
    );
    let answer = call_without_env(&cloud, &[]).json();
    assert_eq!(answer["Account"], temporary.secret_id());
    assert_eq!(cloud.emulator.calls("AssumeRole"), 1);
}

#[test]
fn broken_profile_files_are_one_line_and_exit_2() {
    let cloud = support::start();
    let dir = cloud.home.join(".tccli");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(
        dir.join("default.credential"),
        "{\"secretId\": \"AKIDx\", \"secretKey\": \"hidden-key\"",
    )
    .unwrap();
    let broken = cloud.call(CALL);
    let line = broken.fails(2);
    assert!(
        line.contains("default.credential is not valid JSON"),
        "{line}"
    );
    assert!(!line.contains("hidden-key"), "{line}");

    std::fs::remove_file(dir.join("default.credential")).unwrap();
    std::fs::write(dir.join("default.configure"), "\"just text\"").unwrap();
    let not_object = cloud.call(CALL);
    assert!(
        not_object
            .fails(2)
            .contains("default.configure is JSON but not an object")
    );

    std::fs::write(
        dir.join("default.configure"),
        "{\"_sys_param\": {\"region\": 7}}",
    )
    .unwrap();
    let wrong_type = cloud.call(&[CALL, &["--profile", "default"]].concat());
    assert!(
        wrong_type
            .fails(2)
            .contains("`_sys_param.region` must be a string")
    );
    assert_eq!(cloud.emulator.calls("DescribeMigrateJobs"), 0);
}

#[test]
fn without_tccli_credentials_the_sdk_chain_is_asked() {
    let cloud = support::start();
    let (id, key) = cloud.secret();
    let dir = cloud.home.join(".tencentcloud");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(
        dir.join("credentials"),
        format!("[default]\nsecret_id = {id}\nsecret_key = {key}\n"),
    )
    .unwrap();
    call_without_env(&cloud, &["--region", "ap-guangzhou"]).ok();
}

#[test]
fn the_cvm_role_is_asked_of_the_metadata_service() {
    let cloud = support::start();
    configure(
        &cloud.home,
        &["use-cvm-role", "true", "region", "ap-guangzhou"],
    );
    assert_eq!(
        support::run(&cloud.home, &["configure", "get", "use-cvm-role"]).ok(),
        "use-cvm-role = true\n"
    );
    // Not on CVM: the metadata service cannot be reached, and nothing is sent.
    let from_file = call_without_env(&cloud, &[]);
    assert!(
        from_file.fails(1).contains("metadata service"),
        "{}",
        from_file.stderr
    );
    let flag = cloud.call(&[CALL, &["--use-cvm-role"]].concat());
    assert!(
        flag.fails(1).contains("metadata service"),
        "{}",
        flag.stderr
    );
    // Keys from the environment come before the profile's role, as in tccli.
    cloud.call(CALL).ok();
    assert_eq!(cloud.emulator.calls("DescribeMigrateJobs"), 1);
}
