//! A credentials file that its group or others can read is still used, with one warning per file
//! that says how to fix it, as ssh does for a private key; an owner-only file gets none.
#![cfg(unix)]

use std::io;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use tencentcloud_sdk::credentials::ProfileFileProvider;

/// Log lines written while a closure runs on this thread.
#[derive(Clone, Default)]
struct Logs(Arc<Mutex<Vec<u8>>>);

impl Logs {
    fn during<T>(run: impl FnOnce() -> T) -> (T, String) {
        let logs = Logs::default();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::WARN)
            .with_ansi(false)
            .with_writer(logs.clone())
            .finish();
        let value = tracing::subscriber::with_default(subscriber, run);
        let text = String::from_utf8_lossy(&logs.0.lock().unwrap()).into_owned();
        (value, text)
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Logs {
    type Writer = Self;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

impl io::Write for Logs {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

struct TempDir(PathBuf);

impl TempDir {
    fn new(test: &str) -> Self {
        let dir = std::env::temp_dir().join(format!(
            "tencentcloud-sdk-file-mode-{}-{test}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn credentials_file(dir: &Path, name: &str, mode: u32) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(
        &path,
        "[default]\nsecret_id = AKIDfile\nsecret_key = Zq8-file-key\nregion = ap-shanghai\n",
    )
    .unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
    path
}

/// Reads the file's credentials twice, on this thread, and gives the secret id and the logs.
fn read_twice(path: &Path) -> (String, String) {
    Logs::during(|| {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let provider = ProfileFileProvider::builder().path(path).build();
        let mut id = String::new();
        for _ in 0..2 {
            use tencentcloud_sdk::credentials::ProvideCredentials;
            let credentials = runtime.block_on(provider.provide_credentials()).unwrap();
            id = credentials.secret_id().to_owned();
        }
        id
    })
}

#[test]
fn a_file_others_can_read_is_used_with_one_warning() {
    let dir = TempDir::new("shared");
    let path = credentials_file(&dir.0, "credentials", 0o644);
    let (id, logs) = read_twice(&path);
    assert_eq!(id, "AKIDfile");
    assert_eq!(
        logs.matches("can be read by others than its owner").count(),
        1,
        "{logs}"
    );
    assert!(logs.contains("chmod 600"), "{logs}");
    assert!(logs.contains("mode=644"), "{logs}");
    assert!(logs.contains(&path.display().to_string()), "{logs}");
    assert!(!logs.contains("Zq8"), "{logs}");
}

#[test]
fn a_file_its_group_can_read_is_warned_of_too() {
    let dir = TempDir::new("group");
    let path = credentials_file(&dir.0, "credentials", 0o640);
    let (_, logs) = read_twice(&path);
    assert!(logs.contains("mode=640"), "{logs}");
}

#[test]
fn an_owner_only_file_is_not_warned_of() {
    let dir = TempDir::new("private");
    let path = credentials_file(&dir.0, "credentials", 0o600);
    let (id, logs) = read_twice(&path);
    assert_eq!(id, "AKIDfile");
    assert!(logs.is_empty(), "{logs}");
}
