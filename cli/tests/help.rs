//! Snapshots of the help texts: each command's output is compared with the file of the same
//! name in `tests/snapshots/`. After a deliberate change, `UPDATE_SNAPSHOTS=1 cargo test -p
//! tencentcloud-cli --test help` rewrites the files; review them with `git diff`.

mod support;

use std::path::Path;

fn snapshot(name: &str, args: &[&str]) {
    let home = support::fresh_home();
    let shown = support::run(&home, args).ok().to_owned();
    let file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(format!("{name}.txt"));
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&file, &shown).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&file).unwrap_or_else(|err| {
        panic!(
            "{}: {err}; run with UPDATE_SNAPSHOTS=1 to write it",
            file.display()
        )
    });
    if shown != expected {
        let line = shown
            .lines()
            .zip(expected.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| shown.lines().count().min(expected.lines().count()));
        panic!(
            "`tencentcloud {}` differs from {} at line {}:\n  shown:    {:?}\n  expected: {:?}\n\
             (UPDATE_SNAPSHOTS=1 rewrites the snapshot after a deliberate change)",
            args.join(" "),
            file.display(),
            line + 1,
            shown.lines().nth(line),
            expected.lines().nth(line),
        );
    }
}

#[test]
fn the_services() {
    snapshot("help", &["help"]);
}

#[test]
fn a_service() {
    snapshot("dts-help", &["dts", "help", "--version", "2018-03-30"]);
    snapshot("sts-help", &["sts", "help"]);
}

#[test]
fn an_action_with_descriptions_and_enums() {
    snapshot(
        "dts-DescribeMigrateCheckJob-help",
        &["dts", "DescribeMigrateCheckJob", "help"],
    );
    snapshot(
        "dts-CreateMigrateJob-help",
        &["dts", "CreateMigrateJob", "--version", "2018-03-30", "help"],
    );
}

#[test]
fn catalogue_actions() {
    snapshot(
        "cvm-DescribeInstances-help",
        &["cvm", "DescribeInstances", "help"],
    );
    snapshot("sts-AssumeRole-help", &["sts", "AssumeRole", "--help"]);
}

#[test]
fn help_and_no_words_are_the_same() {
    let home = support::fresh_home();
    assert_eq!(
        support::run(&home, &[]).ok(),
        support::run(&home, &["help"]).ok()
    );
    assert_eq!(
        support::run(&home, &["cvm"]).ok(),
        support::run(&home, &["cvm", "help"]).ok()
    );
    assert_eq!(
        support::run(&home, &["cvm", "DescribeZones", "-h"]).ok(),
        support::run(&home, &["cvm", "DescribeZones", "help"]).ok()
    );
}
