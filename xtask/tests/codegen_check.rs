//! `cargo xtask codegen --check` passes on the committed tree and fails, naming the file, as soon
//! as a spec and the generated code disagree.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_tree(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

/// A scratch copy of the DTS specs with the code generated from them (the whole catalogue would
/// only make the test slower).
struct Scratch {
    _dir: tempfile::TempDir,
    specs: PathBuf,
    out: PathBuf,
}

impl Scratch {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let specs = dir.path().join("api-spec");
        let out = dir.path().join("services");
        copy_tree(&root().join("api-spec/dts"), &specs.join("dts"));
        let scratch = Self {
            _dir: dir,
            specs,
            out,
        };
        let output = scratch.run(false);
        assert!(output.status.success(), "{}", stderr(&output));
        scratch
    }

    fn run(&self, check: bool) -> Output {
        let mut command = Command::new(env!("CARGO_BIN_EXE_xtask"));
        command.arg("codegen");
        if check {
            command.arg("--check");
        }
        command
            .arg("--specs")
            .arg(&self.specs)
            .arg("--out")
            .arg(&self.out);
        command.output().unwrap()
    }

    fn spec(&self) -> PathBuf {
        self.specs.join("dts/2018-03-30.json")
    }
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn committed_code_matches_the_specs() {
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["codegen", "--check"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
}

#[test]
fn an_edited_spec_makes_the_check_fail_until_regenerated() {
    let scratch = Scratch::new();
    assert!(
        scratch.run(true).status.success(),
        "{}",
        stderr(&scratch.run(true))
    );

    let text = std::fs::read_to_string(scratch.spec()).unwrap();
    let edited = text.replace(
        "Id of the migration job whose check is reported.",
        "The id of the migration job.",
    );
    assert_ne!(text, edited, "the edit must change the spec");
    std::fs::write(scratch.spec(), edited).unwrap();
    let untouched = scratch.out.join("dts/v20180330/types.rs");
    let before = std::fs::metadata(&untouched).unwrap().modified().unwrap();

    let output = scratch.run(true);
    assert!(!output.status.success());
    let message = stderr(&output);
    assert!(message.contains("changed:"), "{message}");
    assert!(message.contains("dts/v20180330/mod.rs"), "{message}");
    assert!(message.contains("run `cargo xtask codegen`"), "{message}");

    let output = scratch.run(false);
    assert!(output.status.success(), "{}", stderr(&output));
    let output = scratch.run(true);
    assert!(output.status.success(), "{}", stderr(&output));
    let generated = std::fs::read_to_string(scratch.out.join("dts/v20180330/mod.rs")).unwrap();
    assert!(generated.contains("The id of the migration job."));
    // A file whose contents did not change is not written again.
    let after = std::fs::metadata(&untouched).unwrap().modified().unwrap();
    assert_eq!(before, after, "types.rs was rewritten");
}

#[test]
fn stale_and_missing_files_are_reported_and_fixed() {
    let scratch = Scratch::new();
    std::fs::write(scratch.out.join("dts/v20180330/left_over.rs"), "// old\n").unwrap();
    std::fs::remove_file(scratch.out.join("dts/v20180330/types.rs")).unwrap();

    let output = scratch.run(true);
    assert!(!output.status.success());
    let message = stderr(&output);
    assert!(
        message.contains("stale:") && message.contains("left_over.rs"),
        "{message}"
    );
    assert!(
        message.contains("missing:") && message.contains("types.rs"),
        "{message}"
    );

    assert!(scratch.run(false).status.success());
    assert!(!scratch.out.join("dts/v20180330/left_over.rs").exists());
    assert!(scratch.run(true).status.success());
}

#[test]
fn an_invalid_spec_is_reported_and_nothing_is_written() {
    let scratch = Scratch::new();
    let text = std::fs::read_to_string(scratch.spec()).unwrap();
    std::fs::write(
        scratch.spec(),
        text.replace("\"type\": \"integer\"", "\"type\": \"int\""),
    )
    .unwrap();
    let before = std::fs::read_to_string(scratch.out.join("dts/v20180330/mod.rs")).unwrap();

    let output = scratch.run(false);
    assert!(!output.status.success());
    let message = stderr(&output);
    assert!(
        message.contains("api-spec/dts/2018-03-30.json: action DescribeMigrateCheckJob, output.ErrorCode: unknown type `int`"),
        "{message}"
    );
    let after = std::fs::read_to_string(scratch.out.join("dts/v20180330/mod.rs")).unwrap();
    assert_eq!(before, after);
}
