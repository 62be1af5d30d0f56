//! Everything the SDK and its dependencies log at TRACE level during a whole migration flow,
//! retries, a clock correction and failures included, is captured and searched for secrets.
//!
//! One test in this binary: it installs the process-wide subscriber.

mod support;

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use support::migrate_job_call;
use tencentcloud_emulator::{Emulator, Fault, Faults};
use tencentcloud_sdk::dts::v20180330::Client;
use tencentcloud_sdk::waiters::dts::MigrateCheckVerdict;
use tencentcloud_sdk::{Config, Credentials};
use tracing_subscriber::util::SubscriberInitExt;

const SECRET_ID: &str = "AKIDtraceTest0123456789abcdefghijklmn";
const SECRET_KEY: &str = "trace-secret-key-4b1d-never-in-a-log";
const TOKEN: &str = "trace-session-token-77ae-never-in-a-log";
const WRONG_KEY: &str = "trace-wrong-key-0c5e-never-in-a-log";
const SOURCE_PASSWORD: &str = "trace-db-password-91f3-never-in-a-log";

/// Where the subscriber writes: one buffer for the whole test.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        let bytes = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_secret_appears_in_any_trace_output() {
    let captured = Captured::default();
    let writer = captured.clone();
    // Every level, every target, and `log` records (reqwest's, hyper's) bridged in too.
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish()
        .try_init()
        .expect("the only subscriber of this test binary");

    let credentials = Credentials::new(SECRET_ID, SECRET_KEY).with_token(TOKEN);
    let emulator = Emulator::builder()
        .credentials(credentials.clone())
        .check_duration(Duration::from_millis(300))
        // The client's clock is an hour behind, and half the polls meet a 503: the log gets a
        // clock correction and retries.
        .clock_offset(3600)
        .faults(
            Faults::none()
                .with(Fault::ServiceUnavailable, 0.5)
                .only_actions(["DescribeMigrateCheckJob"])
                .seed(11),
        )
        .start()
        .await
        .expect("emulator");
    let config = emulator.sdk_config().build().expect("config");
    tracing::info!(
        ?config,
        ?credentials,
        "the configuration, as a user might log it"
    );
    let client = Client::new(config);

    let job = migrate_job_call(&client, "trace-flow", SOURCE_PASSWORD)
        .send()
        .await
        .expect("create");
    client
        .create_migrate_check_job()
        .job_id(&job.job_id)
        .send()
        .await
        .expect("check");
    let outcome = client
        .wait_for_migrate_check(&job.job_id)
        .poll_interval(Duration::from_millis(50))
        .await
        .expect("waiting");
    assert_eq!(*outcome.verdict(), MigrateCheckVerdict::Passed);
    client
        .start_migrate_job()
        .job_id(&job.job_id)
        .send()
        .await
        .expect("start");

    // A wrong key, and a call that fails: their errors are logged too.
    let wrong = Client::new(
        Config::builder()
            .credentials(Credentials::new(SECRET_ID, WRONG_KEY).with_token(TOKEN))
            .endpoint(emulator.url())
            .region("ap-guangzhou")
            .build()
            .expect("config"),
    );
    let err = wrong
        .describe_migrate_jobs()
        .send()
        .await
        .expect_err("a wrong key");
    tracing::error!(%err, ?err, "a failed call, as a user might log it");
    let err = client
        .delete_migrate_job()
        .job_id("dts-missing0")
        .send()
        .await
        .expect_err("no such job");
    tracing::error!(%err, ?err, "another failed call");

    let text = captured.text();
    for expected in [
        "tencentcloud_call",
        "CreateMigrateJob",
        "retrying",
        "the local clock is off",
        "call finished",
        "AuthFailure.SignatureFailure",
        SECRET_ID,
    ] {
        assert!(text.contains(expected), "the log lacks {expected:?}");
    }
    for secret in [SECRET_KEY, TOKEN, WRONG_KEY, SOURCE_PASSWORD] {
        assert!(!text.contains(secret), "a secret appears in the log");
    }
    println!(
        "{} lines, {} bytes of TRACE output searched; no secret found",
        text.lines().count(),
        text.len()
    );
}
