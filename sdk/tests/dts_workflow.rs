//! The migration workflow over the wire, with the generated DTS client and a scripted loopback
//! server: create a job, create its check, poll it, and start the job; and the errors a caller
//! matches on along the way, without comparing strings.

mod support;

use support::{Reply, Server, client, within_deadline};
use tencentcloud_sdk::SdkError;
use tencentcloud_sdk::dts::v20180330::{
    AccessType, CheckFlag, Client, DatabaseType, DstInfo, MigrateCheckStatus, MigrateObject,
    MigrateOption, MigrateRunMode, SrcInfo, StartMigrateJobError,
};
use tencentcloud_sdk::runtime::ErrorKind;

fn answer(fields: serde_json::Value) -> Reply {
    let mut response = fields;
    response["RequestId"] = "req".into();
    Reply::json(serde_json::json!({ "Response": response }).to_string())
}

fn check(status: &str, progress: &str, flag: i64) -> Reply {
    answer(serde_json::json!({
        "Status": status, "Progress": progress, "CheckFlag": flag,
        "ErrorCode": 0, "ErrorMessage": "ok"
    }))
}

async fn create_job(client: &Client) -> String {
    let job = client
        .create_migrate_job()
        .job_name("nightly")
        .migrate_option(
            MigrateOption::builder()
                .run_mode(MigrateRunMode::Immediate)
                .migrate_object(MigrateObject::WholeInstance)
                .build()
                .unwrap(),
        )
        .src_database_type(DatabaseType::Mysql)
        .src_access_type(AccessType::Extranet)
        .src_info(
            SrcInfo::builder()
                .ip("203.0.113.7")
                .port(3306)
                .build()
                .unwrap(),
        )
        .dst_database_type(DatabaseType::Mysql)
        .dst_access_type(AccessType::Cdb)
        .dst_info(
            DstInfo::builder()
                .instance_id("cdb-1")
                .region("ap-shanghai")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    job.job_id
}

#[tokio::test]
async fn create_check_poll_start() {
    let server = Server::start([
        answer(serde_json::json!({"JobId": "dts-7"})),
        answer(serde_json::json!({})),
        check("starting", "0", 3),
        check("running", "40", 3),
        check("finished", "100", 1),
        answer(serde_json::json!({})),
    ])
    .await;
    let client = client(&server);
    within_deadline(async {
        let job_id = create_job(&client).await;
        assert_eq!(job_id, "dts-7");
        client
            .create_migrate_check_job()
            .job_id(&job_id)
            .send()
            .await
            .unwrap();
        let mut seen = Vec::new();
        let verdict = loop {
            let check = client
                .describe_migrate_check_job()
                .job_id(&job_id)
                .send()
                .await
                .unwrap();
            seen.push((check.status.clone(), check.progress_percent()));
            if check.status.is_finished() {
                break check.check_flag;
            }
        };
        assert_eq!(
            seen,
            [
                (MigrateCheckStatus::Starting, Some(0)),
                (MigrateCheckStatus::Running, Some(40)),
                (MigrateCheckStatus::Finished, Some(100)),
            ]
        );
        assert_eq!(verdict, CheckFlag::Passed);
        client
            .start_migrate_job()
            .job_id(&job_id)
            .send()
            .await
            .unwrap();
    })
    .await;

    let actions: Vec<String> = server
        .received()
        .iter()
        .map(|r| r.header("X-TC-Action").unwrap().to_owned())
        .collect();
    assert_eq!(
        actions,
        [
            "CreateMigrateJob",
            "CreateMigrateCheckJob",
            "DescribeMigrateCheckJob",
            "DescribeMigrateCheckJob",
            "DescribeMigrateCheckJob",
            "StartMigrateJob"
        ]
    );
    let create: serde_json::Value = serde_json::from_slice(&server.received()[0].body).unwrap();
    assert_eq!(
        create["MigrateOption"],
        serde_json::json!({"RunMode": 1, "MigrateObject": 1})
    );
    assert_eq!(create["SrcAccessType"], "extranet");
}

#[tokio::test]
async fn a_refused_start_is_matched_by_variant() {
    let server = Server::start([Reply::service_error(
        "FailedOperation.NotAllowOperation",
        "the check has not passed",
        "req-refused",
    )])
    .await;
    let err = within_deadline(client(&server).start_migrate_job().job_id("dts-7").send())
        .await
        .unwrap_err();
    let SdkError::Service(err) = err else {
        panic!("expected a service error, got {err:?}");
    };
    assert_eq!(
        *err.kind(),
        StartMigrateJobError::FailedOperationNotAllowOperation
    );
    assert_eq!(err.request_id(), "req-refused");
    let shown = err.to_string();
    assert!(
        shown.contains("StartMigrateJob")
            && shown.contains("FailedOperation.NotAllowOperation")
            && shown.contains("the check has not passed")
            && shown.contains("req-refused"),
        "{shown}"
    );
    // Documented codes of other actions map the same way.
    assert_eq!(
        StartMigrateJobError::from_code("ResourceNotFound.JobNotExist"),
        StartMigrateJobError::ResourceNotFoundJobNotExist
    );
    assert_eq!(
        StartMigrateJobError::from_code("FailedOperation.SomethingNew"),
        StartMigrateJobError::Unknown("FailedOperation.SomethingNew".into())
    );
}
