//! The generated DTS paginators, end to end against the loopback server: DescribeMigrateJobs and
//! DescribeSubscribes page with the caller's filters and page size, and a member of the wrong
//! JSON type deep in a page is reported with the action and the member's path.

mod support;

use support::{Reply, Server, client, within_deadline};
use tencentcloud_sdk::dts::v20180330::{MigrateJobStatus, SortOrder};
use tencentcloud_sdk::{InvalidResponseKind, SdkError};

/// One job as the service lists it (taken from the spec's example), with its own id.
fn job(id: &str) -> serde_json::Value {
    serde_json::json!({
        "JobId": id, "JobName": "userdts",
        "MigrateOption": {"RunMode": 1, "ExpectTime": "0000-00-00 00:00:00", "MigrateType": 2,
            "MigrateObject": 2, "ConsistencyType": 5, "IsOverrideRoot": 0, "ExternParams": "",
            "ConsistencyParams": {"SelectRowsPerTable": 0, "TablesSelectAll": 0, "TablesSelectCount": 0}},
        "SrcAccessType": "extranet", "SrcDatabaseType": "mysql",
        "SrcInfo": {"Ip": "9.18.84.24", "Port": 10304, "User": "root", "Region": "ap-guangzhou"},
        "DstAccessType": "cdb", "DstDatabaseType": "mysql",
        "DstInfo": {"InstanceId": "cdb-l78e0nbv", "Region": "ap-shanghai", "ReadOnly": 0},
        "Detail": {"StepAll": 0, "StepNow": 0, "Progress": "0", "CurrentStepProgress": "0",
            "MasterSlaveDistance": 0, "SecondsBehindMaster": 0, "StepInfo": []},
        "Status": 1, "DatabaseInfo": "", "CreateTime": "2018-05-24 15:06:03",
        "StartTime": "0000-00-00 00:00:00", "EndTime": "0000-00-00 00:00:00", "ErrorInfo": []
    })
}

fn jobs_page(ids: &[&str], total: u64) -> Reply {
    let jobs: Vec<_> = ids.iter().map(|id| job(id)).collect();
    Reply::json(
        serde_json::json!({"Response": {"TotalCount": total, "JobList": jobs, "RequestId": "r"}})
            .to_string(),
    )
}

fn bodies(server: &Server) -> Vec<serde_json::Value> {
    server
        .received()
        .iter()
        .map(|request| {
            assert_eq!(request.signature, Ok(()));
            assert_eq!(request.header("X-TC-Action"), Some("DescribeMigrateJobs"));
            serde_json::from_slice(&request.body).unwrap()
        })
        .collect()
}

#[tokio::test]
async fn describe_migrate_jobs_pages_with_the_callers_filters() {
    let server = Server::start([jobs_page(&["dts-1", "dts-2"], 3), jobs_page(&["dts-3"], 3)]).await;
    let jobs: Vec<_> = within_deadline(
        client(&server)
            .describe_migrate_jobs()
            .job_name("nightly")
            .order_seq(SortOrder::Desc)
            .limit(2)
            .into_paginator()
            .items()
            .try_collect(),
    )
    .await
    .unwrap();
    let ids: Vec<&str> = jobs.iter().map(|job| job.job_id.as_str()).collect();
    assert_eq!(ids, ["dts-1", "dts-2", "dts-3"]);
    assert!(
        jobs.iter()
            .all(|job| job.status == MigrateJobStatus::Creating)
    );

    let bodies = bodies(&server);
    assert_eq!(bodies.len(), 2);
    assert_eq!(
        bodies[0],
        serde_json::json!({"JobName": "nightly", "OrderSeq": "DESC", "Limit": 2})
    );
    assert_eq!(
        bodies[1],
        serde_json::json!({"JobName": "nightly", "OrderSeq": "DESC", "Offset": 2, "Limit": 2})
    );
}

#[tokio::test]
async fn whole_pages_keep_their_request_ids() {
    let server = Server::start([jobs_page(&["dts-1"], 1)]).await;
    let mut pages = client(&server).describe_migrate_jobs().into_paginator();
    let page = within_deadline(pages.next()).await.unwrap().unwrap();
    assert_eq!(page.total_count, 1);
    assert_eq!(page.request_id, "r");
    assert!(within_deadline(pages.next()).await.is_none());
}

#[tokio::test]
async fn describe_subscribes_pages_until_the_total() {
    let subscription = |id: &str| serde_json::json!({"SubscribeId": id});
    let server = Server::start([
        Reply::json(
            serde_json::json!({"Response": {"TotalCount": 2,
                "Items": [subscription("subs-1")], "RequestId": "a"}})
            .to_string(),
        ),
        Reply::json(
            serde_json::json!({"Response": {"TotalCount": 2,
                "Items": [subscription("subs-2")], "RequestId": "b"}})
            .to_string(),
        ),
    ])
    .await;
    let items: Vec<_> = within_deadline(
        client(&server)
            .describe_subscribes()
            .limit(1)
            .into_paginator()
            .items()
            .try_collect(),
    )
    .await
    .unwrap();
    let ids: Vec<_> = items
        .iter()
        .map(|s| s.subscribe_id.clone().unwrap_or_default())
        .collect();
    assert_eq!(ids, ["subs-1", "subs-2"]);
    let offsets: Vec<_> = server
        .received()
        .iter()
        .map(|r| serde_json::from_slice::<serde_json::Value>(&r.body).unwrap()["Offset"].clone())
        .collect();
    assert_eq!(offsets, [serde_json::Value::Null, serde_json::json!(1)]);
}

#[tokio::test]
async fn a_wrong_type_deep_in_a_page_names_the_action_and_the_member_path() {
    let mut bad = job("dts-1");
    bad["SrcInfo"]["Port"] = serde_json::json!("3306");
    let server = Server::start([Reply::json(
        serde_json::json!({"Response": {"TotalCount": 2, "JobList": [job("dts-0"), bad],
            "RequestId": "req-bad"}})
        .to_string(),
    )])
    .await;
    let err = within_deadline(client(&server).describe_migrate_jobs().send())
        .await
        .unwrap_err();
    let SdkError::InvalidResponse(invalid) = &err else {
        panic!("expected an invalid response, got {err:?}");
    };
    match invalid.kind() {
        InvalidResponseKind::Shape(detail) => {
            assert!(detail.contains("JobList[1].SrcInfo.Port"), "{detail}")
        }
        other => panic!("expected a shape error, got {other:?}"),
    }
    let text = err.to_string();
    assert!(text.starts_with("DescribeMigrateJobs"), "{text}");
    assert!(text.contains("JobList[1].SrcInfo.Port"), "{text}");
    assert!(text.contains("req-bad"), "{text}");
}
