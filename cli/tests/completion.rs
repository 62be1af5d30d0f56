//! Shell completion: the scripts, and the candidates of `__complete`.

mod support;

use std::path::Path;
use std::process::Command;

/// The candidates for `words` (the last is the word being completed).
fn candidates(words: &[&str]) -> Vec<String> {
    let home = support::fresh_home();
    let run = support::run(&home, &[&["__complete"], words].concat());
    assert_eq!(run.stderr, "", "completion never prints an error");
    run.ok().lines().map(str::to_owned).collect()
}

fn script(shell: &str) -> String {
    support::run(&support::fresh_home(), &["completion", shell])
        .ok()
        .to_owned()
}

/// Whether `program` can be run here.
fn available(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .output()
        .is_ok_and(|output| output.status.success())
}

#[test]
fn every_shell_has_a_script_that_asks_the_binary() {
    for shell in ["bash", "zsh", "fish"] {
        let text = script(shell);
        assert!(text.contains("__complete"), "{shell}: {text}");
        assert!(text.contains("tencentcloud"), "{shell}: {text}");
    }
    let help = support::run(&support::fresh_home(), &["completion", "help"]);
    assert!(help.ok().contains("source <(tencentcloud completion bash)"));
    assert!(help.stdout.contains("fpath") && help.stdout.contains("fish/completions"));
    let run = support::run(&support::fresh_home(), &["completion", "tcsh"]);
    assert!(run.fails(2).contains("bash, zsh or fish"));
}

#[test]
fn scripts_are_valid_shell() {
    for shell in ["bash", "zsh", "fish"] {
        if !available(shell) {
            eprintln!("{shell} is not installed: its syntax check is skipped");
            continue;
        }
        let file = support::fresh_home().join("script");
        std::fs::write(&file, script(shell)).unwrap();
        let check = Command::new(shell).arg("-n").arg(&file).output().unwrap();
        assert!(
            check.status.success(),
            "{shell}: {}",
            String::from_utf8_lossy(&check.stderr)
        );
    }
}

#[test]
fn fish_completes_through_the_binary() {
    if !available("fish") {
        eprintln!("fish is not installed: skipped");
        return;
    }
    let binary = Path::new(env!("CARGO_BIN_EXE_tencentcloud"));
    let dir = binary.parent().unwrap().display().to_string();
    let path = format!("{dir}:{}", std::env::var("PATH").unwrap_or_default());
    let test = "tencentcloud completion fish | source
        complete -C 'tencentcloud cv'
        complete -C 'tencentcloud cvm DescribeInstances --Fil'
        complete -C 'tencentcloud nosuch '";
    let output = Command::new("fish")
        .args(["--no-config", "-c", test])
        .env("PATH", path)
        .env("HOME", support::fresh_home())
        .output()
        .unwrap();
    let shown = String::from_utf8_lossy(&output.stdout);
    let lines: Vec<&str> = shown
        .lines()
        .map(|line| line.split('\t').next().unwrap_or(""))
        .collect();
    assert!(lines.contains(&"cvm"), "{shown}");
    assert!(lines.contains(&"--Filters"), "{shown}");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn bash_completes_through_the_binary() {
    if !available("bash") {
        return;
    }
    let binary = Path::new(env!("CARGO_BIN_EXE_tencentcloud"));
    let dir = binary.parent().unwrap().display().to_string();
    let path = format!("{dir}:{}", std::env::var("PATH").unwrap_or_default());
    let test = r#"source <(tencentcloud completion bash)
        COMP_WORDS=(tencentcloud cvm DescribeInstances --Fil); COMP_CWORD=3; _tencentcloud
        printf '%s\n' "${COMPREPLY[@]}"
        COMP_WORDS=(tencentcloud nosuch ''); COMP_CWORD=2; _tencentcloud
        echo "${#COMPREPLY[@]} for nosuch""#;
    let output = Command::new("bash")
        .args(["-c", test])
        .env("PATH", path)
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "--Filters\n0 for nosuch\n"
    );
}

#[test]
fn services_and_commands_at_the_top() {
    assert_eq!(candidates(&["cv"]), ["cvm"]);
    let all = candidates(&[""]);
    for name in ["cvm", "dts", "vpc", "help", "configure", "completion"] {
        assert!(all.iter().any(|candidate| candidate == name), "{name}");
    }
    assert_eq!(
        candidates(&["completion", ""]),
        ["bash", "zsh", "fish", "help"]
    );
}

#[test]
fn actions_of_a_service() {
    let actions = candidates(&["cvm", "DescribeIn"]);
    assert!(
        actions.iter().any(|name| name == "DescribeInstances"),
        "{actions:?}"
    );
    assert!(
        actions.iter().all(|name| name.starts_with("DescribeIn")),
        "{actions:?}"
    );
    let dts = candidates(&["dts", ""]);
    for name in [
        "help",
        "wait-migrate-check",
        "DescribeMigrateCheckJob",
        "CreateMigrateJob",
    ] {
        assert!(dts.iter().any(|candidate| candidate == name), "{name}");
    }
}

#[test]
fn members_and_global_options_of_an_action() {
    assert_eq!(
        candidates(&["cvm", "DescribeInstances", "--Fil"]),
        ["--Filters"]
    );
    let options = candidates(&["cvm", "DescribeInstances", "--"]);
    for name in [
        "--InstanceIds",
        "--Limit",
        "--region",
        "--output",
        "--waiter",
    ] {
        assert!(options.iter().any(|candidate| candidate == name), "{name}");
    }
    // An option already given is not offered again.
    let options = candidates(&["cvm", "DescribeInstances", "--Limit", "1", "--"]);
    assert!(!options.iter().any(|candidate| candidate == "--Limit"));
    // The members of the version asked for.
    let options = candidates(&[
        "dts",
        "DescribeMigrateCheckJob",
        "--version",
        "2018-03-30",
        "--Jo",
    ]);
    assert_eq!(options, ["--JobId"]);
    assert_eq!(
        candidates(&["dts", "wait-migrate-check", "--Jo"]),
        ["--JobId"]
    );
}

#[test]
fn values_of_options() {
    assert_eq!(
        candidates(&["cvm", "DescribeInstances", "--output", ""]),
        ["json", "table", "text"]
    );
    assert_eq!(
        candidates(&["cvm", "DescribeInstances", "--language", "en"]),
        ["en-US"]
    );
    let versions = candidates(&["dts", "DescribeMigrateJobs", "--version", ""]);
    assert!(
        versions.iter().any(|version| version == "2018-03-30"),
        "{versions:?}"
    );
    // A value that cannot be guessed has no candidates.
    assert!(candidates(&["cvm", "DescribeInstances", "--region", ""]).is_empty());
}

#[test]
fn unknown_input_has_no_candidates() {
    assert!(candidates(&["nosuch", ""]).is_empty());
    assert!(candidates(&["cvm", "NoSuchAction", "--"]).is_empty());
    assert!(candidates(&["cvm", "DescribeInstances", "--version", "1999-01-01", "--"]).is_empty());
    assert!(candidates(&[]).iter().any(|name| name == "cvm"));
}
