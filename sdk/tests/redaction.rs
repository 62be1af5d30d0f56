//! Database passwords and access keys in DTS requests never show in `Debug` output, at any stage
//! of building a call, while they are still sent.

use tencentcloud_sdk::dts::v20180330::{
    AccessType, Client, CreateMigrateJobRequest, DatabaseType, DstInfo, MigrateOption,
    MigrateRunMode, SrcInfo,
};
use tencentcloud_sdk::{Config, Credentials};

const SOURCE_PASSWORD: &str = "src-pw-Zq81";
const TARGET_PASSWORD: &str = "dst-pw-Kp27";
const ACCESS_KEY: &str = "ak-Vx55";

fn source() -> SrcInfo {
    SrcInfo::builder()
        .ip("10.0.0.8")
        .port(3306)
        .user("root")
        .password(SOURCE_PASSWORD)
        .access_key(ACCESS_KEY)
        .build()
        .unwrap()
}

fn target() -> DstInfo {
    DstInfo::builder()
        .instance_id("cdb-1")
        .region("ap-guangzhou")
        .password(TARGET_PASSWORD)
        .build()
        .unwrap()
}

fn assert_hidden(shown: &str) {
    for secret in [SOURCE_PASSWORD, TARGET_PASSWORD, ACCESS_KEY] {
        assert!(!shown.contains(secret), "a secret shows in: {shown}");
    }
    assert!(shown.contains("<redacted>"), "{shown}");
}

#[test]
fn structures_and_their_builders_hide_secrets() {
    let source = source();
    assert_hidden(&format!("{source:?}"));
    assert_hidden(&format!("{source:#?}"));
    assert!(format!("{source:?}").contains("ip: Some(\"10.0.0.8\")"));
    assert_hidden(&format!(
        "{:?}",
        SrcInfo::builder().password(SOURCE_PASSWORD)
    ));
    assert_hidden(&format!("{:?}", target()));
}

#[test]
fn requests_and_calls_hide_the_secrets_of_their_structures() {
    let request = CreateMigrateJobRequest::builder()
        .job_name("nightly")
        .migrate_option(
            MigrateOption::builder()
                .run_mode(MigrateRunMode::Immediate)
                .build()
                .unwrap(),
        )
        .src_database_type(DatabaseType::Mysql)
        .src_access_type(AccessType::Extranet)
        .src_info(source())
        .dst_database_type(DatabaseType::Mysql)
        .dst_access_type(AccessType::Cdb)
        .dst_info(target())
        .build()
        .unwrap();
    assert_hidden(&format!("{request:#?}"));

    // What goes on the wire keeps them.
    let sent = serde_json::to_value(&request).unwrap();
    assert_eq!(sent["SrcInfo"]["Password"], SOURCE_PASSWORD);
    assert_eq!(sent["DstInfo"]["Password"], TARGET_PASSWORD);

    let config = Config::builder()
        .credentials(Credentials::new("AKIDexample", "key"))
        .region("ap-guangzhou")
        .build()
        .unwrap();
    let call = Client::new(config)
        .create_migrate_job()
        .src_info(source())
        .dst_info(target());
    assert_hidden(&format!("{call:?}"));
}
