//! Compile-time guarantees users rely on: clients and calls can move across tasks, and errors
//! fit `Box<dyn Error + Send + Sync>` (and so `anyhow` and `?` in most programs).

use tencentcloud_sdk::dts::v20180330::{Client, DescribeMigrateCheckJobError};
use tencentcloud_sdk::{Config, Credentials, SdkError};

fn assert_send_sync<T: Send + Sync + 'static>(_: &T) {}
fn assert_send<T: Send + 'static>(_: &T) {}

#[test]
fn clients_calls_and_futures_can_be_spawned() {
    let config = Config::builder()
        .credentials(Credentials::new("AKIDx", "key"))
        .region("ap-guangzhou")
        .build()
        .unwrap();
    let client = Client::new(config);
    assert_send_sync(&client);
    let call = client.describe_migrate_check_job().job_id("dts-1kl0iy0v");
    assert_send_sync(&call);
    let future = call.send();
    assert_send(&future);
}

#[test]
fn errors_box_into_send_sync_errors() {
    let err: SdkError<DescribeMigrateCheckJobError> = SdkError::Build(
        tencentcloud_sdk::BuildError::missing("DescribeMigrateCheckJobRequest", "JobId"),
    );
    let boxed: Box<dyn std::error::Error + Send + Sync + 'static> = err.into();
    assert!(boxed.to_string().contains("JobId"));
}
