//! What the tests of the binary share: starting it and reading the URL it prints first.

use std::ffi::OsStr;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

/// The running binary; killed when dropped.
pub struct Running {
    child: Child,
    /// The URL it printed, `http://127.0.0.1:PORT`.
    pub url: String,
}

impl Running {
    /// Starts the binary with `args` and reads its URL.
    pub fn start<S: AsRef<OsStr>>(args: impl IntoIterator<Item = S>) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_tencentcloud-emulator"))
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the binary starts");
        let stdout = child.stdout.take().expect("stdout is piped");
        let mut first = String::new();
        BufReader::new(stdout)
            .read_line(&mut first)
            .expect("a first line");
        let url = first.trim().to_owned();
        assert!(
            url.starts_with("http://127.0.0.1:"),
            "first line: {first:?}"
        );
        Running { child, url }
    }

    /// `HOST:PORT` of the URL.
    #[allow(dead_code)] // Not every test binary that shares this module uses it.
    pub fn host(&self) -> &str {
        self.url.trim_start_matches("http://")
    }

    /// The process id.
    #[allow(dead_code)]
    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
