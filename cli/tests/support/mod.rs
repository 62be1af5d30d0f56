//! What the CLI's tests share: an emulator on loopback, a home folder of their own, and the
//! binary run against both.

#![allow(dead_code)] // Not every test binary uses every helper.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};

use tencentcloud_emulator::{Builder, Emulator};

/// An emulator serving on a runtime of its own, and an empty home folder.
pub struct Cloud {
    /// The running emulator.
    pub emulator: Emulator,
    /// Runs the emulator; kept alive with it.
    pub runtime: tokio::runtime::Runtime,
    /// `HOME` of every command run: `~/.tccli` and `~/.tencentcloud` are looked for here.
    pub home: PathBuf,
}

/// Starts an emulator with default settings.
pub fn start() -> Cloud {
    start_with(Emulator::builder())
}

/// Starts an emulator with these settings.
pub fn start_with(builder: Builder) -> Cloud {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    let emulator = runtime
        .block_on(builder.start())
        .expect("the emulator starts");
    Cloud {
        emulator,
        runtime,
        home: fresh_home(),
    }
}

/// An empty folder under the target directory, new for each call.
pub fn fresh_home() -> PathBuf {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "cli-home-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a home folder");
    dir
}

/// The binary, with an environment that holds nothing of the machine's own configuration.
pub fn command(home: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tencentcloud"));
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy();
        if name.starts_with("TENCENTCLOUD_")
            || name.starts_with("TCCLI")
            || name.starts_with("TKE_")
        {
            command.env_remove(&*name);
        }
    }
    command.env("HOME", home).stdin(Stdio::null());
    command
}

/// What a command printed and how it ended.
pub struct Run {
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
    /// The exit code (`None` when killed by a signal).
    pub code: Option<i32>,
}

impl Run {
    fn from(output: Output) -> Self {
        Run {
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
            code: output.status.code(),
        }
    }

    /// Asserts success and gives stdout.
    pub fn ok(&self) -> &str {
        assert_eq!(
            self.code,
            Some(0),
            "stdout: {}\nstderr: {}",
            self.stdout,
            self.stderr
        );
        &self.stdout
    }

    /// Asserts failure with `code` and one line on stderr, and gives that line.
    pub fn fails(&self, code: i32) -> &str {
        assert_eq!(
            self.code,
            Some(code),
            "stdout: {}\nstderr: {}",
            self.stdout,
            self.stderr
        );
        let line = self.stderr.trim_end();
        assert_eq!(line.lines().count(), 1, "one line on stderr: {line}");
        assert!(line.starts_with("tencentcloud: "), "{line}");
        assert!(!line.contains("panicked"), "{line}");
        line
    }

    /// Stdout as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(self.ok()).unwrap_or_else(|err| panic!("{err}: {}", self.stdout))
    }
}

/// Runs the binary with `args` in `home`, with nothing else set.
pub fn run(home: &Path, args: &[&str]) -> Run {
    Run::from(command(home).args(args).output().expect("the binary runs"))
}

/// Runs the binary with `args` and `stdin` as its input.
pub fn run_with_stdin(home: &Path, args: &[&str], stdin: &str) -> Run {
    let mut command = command(home);
    command.args(args);
    run_piped(command, stdin)
}

/// Runs `command` with `stdin` as its input.
pub fn run_piped(mut command: Command, stdin: &str) -> Run {
    use std::io::Write;
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut input = child.stdin.take().expect("stdin is piped");
    input
        .write_all(stdin.as_bytes())
        .expect("stdin takes the input");
    drop(input);
    Run::from(child.wait_with_output().expect("the binary ends"))
}

impl Cloud {
    /// The first credentials the emulator accepts.
    pub fn secret(&self) -> (&str, &str) {
        let credentials = self.emulator.credentials();
        (credentials.secret_id(), credentials.secret_key())
    }

    /// The binary with the emulator's credentials and region in the environment and its URL
    /// as `--endpoint`, after `args`.
    pub fn call(&self, args: &[&str]) -> Run {
        self.call_with(args, |_| {})
    }

    /// As [`call`](Self::call), with more set on the command first.
    pub fn call_with(&self, args: &[&str], more: impl FnOnce(&mut Command)) -> Run {
        let (id, key) = self.secret();
        let mut command = command(&self.home);
        command
            .args(args)
            .args(["--endpoint", self.emulator.url()])
            .env("TENCENTCLOUD_SECRET_ID", id)
            .env("TENCENTCLOUD_SECRET_KEY", key)
            .env("TENCENTCLOUD_REGION", "ap-guangzhou");
        more(&mut command);
        Run::from(command.output().expect("the binary runs"))
    }
}
