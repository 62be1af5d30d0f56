//! `tencentcloud configure`: the files of `~/.tccli`, their modes, and what is shown of secrets.

mod support;

use std::path::Path;

use serde_json::Value;
use support::{fresh_home, run, run_with_stdin};

const ID: &str = "AKIDexampleexampleexample0001";
const KEY: &str = "Zq8exampleSecretKeyValue00WXYZ";

fn file(home: &Path, name: &str) -> Value {
    let text = std::fs::read_to_string(home.join(".tccli").join(name)).unwrap();
    serde_json::from_str(&text).unwrap()
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn set_get_list_round_trip_with_secrets_masked() {
    let home = fresh_home();
    let set = run(
        &home,
        &[
            "configure",
            "set",
            "secretId",
            ID,
            "secretKey",
            KEY,
            "region",
            "ap-beijing",
            "output",
            "table",
            "cvm.version",
            "2017-03-12",
            "cvm.endpoint",
            "cvm.ap-beijing.tencentcloudapi.com",
            "waiter.timeout",
            "60",
            "arrayCount",
            "20",
        ],
    );
    set.ok();
    assert!(!set.stderr.contains(KEY));

    let credential = file(&home, "default.credential");
    assert_eq!(credential["secretId"], ID);
    assert_eq!(credential["secretKey"], KEY);
    let configure = file(&home, "default.configure");
    assert_eq!(configure["_sys_param"]["region"], "ap-beijing");
    assert_eq!(configure["_sys_param"]["output"], "table");
    assert_eq!(configure["_sys_param"]["arrayCount"], 20);
    assert_eq!(configure["cvm"]["version"], "2017-03-12");
    assert_eq!(configure["waiter"]["timeout"], 60);

    let got = run(
        &home,
        &[
            "configure",
            "get",
            "region",
            "cvm.endpoint",
            "secretKey",
            "secretId",
        ],
    );
    assert_eq!(
        got.ok(),
        "region = ap-beijing\ncvm.endpoint = cvm.ap-beijing.tencentcloudapi.com\n\
         secretKey = ****************WXYZ\nsecretId = ****************0001\n"
    );

    let listed = run(&home, &["configure", "list"]);
    let text = listed.ok();
    for line in [
        "credential:",
        "secretId = ****************0001",
        "secretKey = ****************WXYZ",
        "configure:",
        "region = ap-beijing",
        "output = table",
        "arrayCount = 20",
        "cvm.version = 2017-03-12",
        "waiter.timeout = 60",
    ] {
        assert!(
            text.lines().any(|shown| shown == line),
            "{line} in:\n{text}"
        );
    }
    assert!(!text.contains(KEY) && !text.contains(ID), "{text}");

    // An empty value removes a setting; get then says it is not set.
    run(&home, &["configure", "set", "arrayCount", ""]).ok();
    let missing = run(&home, &["configure", "get", "arrayCount"]);
    assert!(
        missing
            .fails(1)
            .contains("`arrayCount` is not set in profile `default`")
    );
}

#[cfg(unix)]
#[test]
fn the_folder_is_0700_and_every_file_0600() {
    let home = fresh_home();
    // A folder that others may read is made private, as tccli does.
    let dir = home.join(".tccli");
    std::fs::create_dir(&dir).unwrap();
    std::fs::set_permissions(&dir, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    run(
        &home,
        &[
            "configure",
            "set",
            "secretKey",
            KEY,
            "region",
            "ap-guangzhou",
        ],
    )
    .ok();
    run(
        &home,
        &["configure", "set", "token", "tok", "--profile", "other"],
    )
    .ok();
    assert_eq!(mode(&dir), 0o700);
    for name in [
        "default.configure",
        "default.credential",
        "other.credential",
    ] {
        assert_eq!(mode(&dir.join(name)), 0o600, "{name}");
    }
    // Nothing but the profiles is left behind.
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "default.configure",
            "default.credential",
            "other.credential"
        ]
    );
}

#[test]
fn profiles_are_kept_apart_listed_and_removed() {
    let home = fresh_home();
    run(&home, &["configure", "set", "region", "ap-beijing"]).ok();
    run(
        &home,
        &[
            "configure",
            "set",
            "region",
            "ap-shanghai",
            "secretKey",
            KEY,
            "--profile",
            "other",
        ],
    )
    .ok();
    assert_eq!(
        run(&home, &["configure", "get", "region"]).ok(),
        "region = ap-beijing\n"
    );
    let other = run(&home, &["configure", "--profile=other", "get", "region"]);
    assert_eq!(other.ok(), "region = ap-shanghai\n");
    let from_env = support::command(&home)
        .args(["configure", "get", "region"])
        .env("TCCLI_PROFILE", "other")
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&from_env.stdout),
        "region = ap-shanghai\n"
    );

    let all = run(&home, &["configure", "list", "--all"]);
    let text = all.ok();
    let default_at = text.find("[default]\n").expect(text);
    let other_at = text.find("[other]\n").expect(text);
    assert!(default_at < other_at, "{text}");
    assert!(text[other_at..].contains("region = ap-shanghai"), "{text}");
    assert!(
        text.contains("secretKey = ****************WXYZ") && !text.contains(KEY),
        "{text}"
    );

    run(&home, &["configure", "remove", "--profile", "other"]).ok();
    assert!(!home.join(".tccli/other.configure").exists());
    assert!(!home.join(".tccli/other.credential").exists());
    let again = run(&home, &["configure", "remove", "--profile", "other"]);
    assert!(again.fails(1).contains("profile `other` does not exist"));
}

#[test]
fn interactive_configure_reads_its_answers_from_stdin() {
    let home = fresh_home();
    let answers = format!("{ID}\n{KEY}\nap-shanghai\ntext\n");
    let first = run_with_stdin(&home, &["configure"], &answers);
    assert!(
        first.ok().contains("Saved profile `default`"),
        "{}",
        first.stdout
    );
    assert!(!first.stdout.contains(KEY) && !first.stderr.contains(KEY));
    assert_eq!(file(&home, "default.credential")["secretKey"], KEY);
    assert_eq!(
        file(&home, "default.configure")["_sys_param"]["region"],
        "ap-shanghai"
    );
    assert_eq!(
        file(&home, "default.configure")["_sys_param"]["output"],
        "text"
    );

    // Empty answers keep what is there; the input may end early.
    run_with_stdin(&home, &["configure"], "\n\n\njson\n").ok();
    assert_eq!(file(&home, "default.credential")["secretId"], ID);
    assert_eq!(file(&home, "default.credential")["secretKey"], KEY);
    assert_eq!(
        file(&home, "default.configure")["_sys_param"]["region"],
        "ap-shanghai"
    );
    assert_eq!(
        file(&home, "default.configure")["_sys_param"]["output"],
        "json"
    );
    run_with_stdin(
        &home,
        &["configure", "--profile", "next"],
        "AKIDnext0000000000000000\n",
    )
    .ok();
    assert_eq!(
        file(&home, "next.credential")["secretId"],
        "AKIDnext0000000000000000"
    );
    assert_eq!(
        file(&home, "next.configure")["_sys_param"]["region"],
        "ap-guangzhou"
    );

    // A wrong output format writes nothing.
    let wrong = run_with_stdin(&home, &["configure"], "AKIDother\nkey\nap-beijing\nyaml\n");
    assert!(
        wrong
            .fails(2)
            .contains("output must be json, table or text")
    );
    assert_eq!(file(&home, "default.credential")["secretId"], ID);
}

#[test]
fn mistakes_get_one_line_and_a_suggestion() {
    let home = fresh_home();
    let unknown = run(&home, &["configure", "set", "regoin", "ap-beijing"]);
    assert!(
        unknown.fails(2).contains("did you mean `region`"),
        "{}",
        unknown.stderr
    );
    let command = run(&home, &["configure", "lsit"]);
    assert!(
        command.fails(2).contains("did you mean `list`"),
        "{}",
        command.stderr
    );
    let odd = run(&home, &["configure", "set", "region"]);
    assert!(odd.fails(2).contains("in pairs"));
    // A secret given with a wrong setting is not repeated in the error, and nothing is written.
    let wrong = run(
        &home,
        &["configure", "set", "secretKey", KEY, "output", "yaml"],
    );
    assert!(
        wrong.fails(2).contains("output must be json, table, text"),
        "{}",
        wrong.stderr
    );
    assert!(!wrong.stderr.contains(KEY));
    assert!(!home.join(".tccli/default.credential").exists());
    let version = run(&home, &["configure", "set", "dts.version", "2001-01-01"]);
    assert!(
        version.fails(2).contains("2018-03-30"),
        "{}",
        version.stderr
    );
    let bad_name = run(
        &home,
        &["configure", "set", "region", "x", "--profile", "../escape"],
    );
    bad_name.fails(2);
    assert!(
        run(&home, &["configure", "help"])
            .ok()
            .contains("configure set KEY VALUE")
    );
}

#[test]
fn files_that_are_not_json_objects_are_named_in_one_line() {
    let home = fresh_home();
    let dir = home.join(".tccli");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(
        dir.join("default.credential"),
        format!("{{\"secretKey\": \"{KEY}\","),
    )
    .unwrap();
    let broken = run(&home, &["configure", "get", "secretKey"]);
    let line = broken.fails(2);
    assert!(
        line.contains("default.credential is not valid JSON (line 1"),
        "{line}"
    );
    assert!(!line.contains(KEY), "{line}");
    std::fs::write(dir.join("default.credential"), "[1, 2]").unwrap();
    let list = run(&home, &["configure", "list"]);
    assert!(
        list.fails(2)
            .contains("default.credential is JSON but not an object")
    );
}
