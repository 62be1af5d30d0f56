//! Every kind of answer, decoded into the SDK's generated response types.

use super::*;

/// Wraps an answer the way the server does, decodes it with the SDK's own decoder into the
/// action's response type, and checks that nothing was lost or added on the way: the decoded
/// value serializes back to the answer (less any `null` members). Also checks that the test's
/// parameters are valid input of the action, since request types refuse unknown members.
macro_rules! decode {
    ($request:ty, $params:expr, $answer:expr) => {{
        let params: &Value = &$params;
        let answer: &Answer = &$answer;
        if let Err(err) =
            serde_json::from_value::<tencentcloud_sdk::runtime::Request<$request>>(params.clone())
        {
            panic!("bad test input for {}: {err}", stringify!($request));
        }
        let mut response = Map::new();
        response.insert("RequestId".into(), "5268ea15-6636-44d1-89f9-e989d1c82e7d".into());
        response.extend(answer.clone());
        let body = serde_json::to_vec(&json!({ "Response": response })).expect("encode");
        let output = tencentcloud_sdk::runtime::decode_response::<$request>(200, &body)
            .unwrap_or_else(|err| panic!("{}: {err}", stringify!($request)));
        let back = serde_json::to_value(&output).expect("re-encode");
        assert_eq!(back, without_nulls(&Value::Object(response)), "{}", stringify!($request));
        output
    }};
}

#[test]
fn every_answer_fits_the_sdk_types() {
    use tencentcloud_sdk::dts::v20180330 as sdk;

    let emu = Emu::new();
    let mut covered = HashSet::new();
    // Calls an action that must succeed and checks its answer against the SDK type.
    macro_rules! run {
        ($at:expr, $action:literal, $request:ty, $params:expr) => {{
            let params: Value = $params;
            let answer = emu.ok($at, $action, params.clone());
            covered.insert($action);
            let output = decode!($request, params, answer);
            (answer, output)
        }};
    }
    let list_jobs = |covered: &mut HashSet<&str>, at: f64| {
        covered.insert("DescribeMigrateJobs");
        let params = json!({ "Order": "CreateTime", "OrderSeq": "DESC", "Limit": 100 });
        let answer = emu.ok(at, "DescribeMigrateJobs", params.clone());
        let output = decode!(sdk::DescribeMigrateJobs, params, answer);
        assert_eq!(output.job_list.len(), output.total_count as usize);
        output
    };

    // Jobs in every status, with every optional member set on one of them.
    let mut full = job_params("orders", 3);
    full["MigrateOption"] = json!({
        "RunMode": 1,
        "ExpectTime": "2025-11-28 08:00:00",
        "MigrateType": 3,
        "MigrateObject": 2,
        "ConsistencyType": 3,
        "IsOverrideRoot": 0,
        "ExternParams": "{}",
        "ConsistencyParams": { "SelectRowsPerTable": 10, "TablesSelectAll": 10, "TablesSelectCount": 10 },
    });
    full["DatabaseInfo"] = "[{\"Database\":\"shop\"}]".into();
    full["SrcNodeType"] = "cluster".into();
    full["SrcInfoMulti"] =
        json!([{ "Ip": "203.0.113.20", "Port": 3306, "User": "dts", "Password": "p" }]);
    full["DstInfo"]["ReadOnly"] = 1.into();
    let (created, _) = run!(0.0, "CreateMigrateJob", sdk::CreateMigrateJob, full);
    let incremental = created["JobId"].as_str().expect("id").to_owned();
    let failing = emu.create_job(0.0, job_params("fail-check", 2));
    let stopped = emu.create_job(0.0, job_params("stopped", 2));
    let plain = emu.create_job(0.0, job_params("plain", 1));
    let mut scheduled_params = job_params("scheduled", 2);
    scheduled_params["MigrateOption"]["RunMode"] = 2.into();
    scheduled_params["MigrateOption"]["ExpectTime"] = cloud_datetime(UNIX0 + 3600).into();
    let scheduled = emu.create_job(0.0, scheduled_params);
    let check = |id: &str| json!({ "JobId": id });

    let (_, report) = run!(
        0.0,
        "DescribeMigrateCheckJob",
        sdk::DescribeMigrateCheckJob,
        check(&incremental)
    );
    assert_eq!(report.status, sdk::MigrateCheckStatus::Unavailable);
    for id in [&incremental, &failing, &stopped, &plain, &scheduled] {
        run!(
            0.0,
            "CreateMigrateCheckJob",
            sdk::CreateMigrateCheckJob,
            check(id)
        );
    }
    list_jobs(&mut covered, 0.5);
    for at in [0.5, 5.0, 10.0] {
        let (_, report) = run!(
            at,
            "DescribeMigrateCheckJob",
            sdk::DescribeMigrateCheckJob,
            check(&incremental)
        );
        assert!(report.progress_percent().is_some());
        run!(
            at,
            "DescribeMigrateCheckJob",
            sdk::DescribeMigrateCheckJob,
            check(&failing)
        );
    }
    let (_, report) = run!(
        10.0,
        "DescribeMigrateCheckJob",
        sdk::DescribeMigrateCheckJob,
        check(&failing)
    );
    assert!(!report.check_flag.is_passed());
    for id in [&incremental, &stopped, &plain, &scheduled] {
        run!(10.0, "StartMigrateJob", sdk::StartMigrateJob, check(id));
    }
    let running = list_jobs(&mut covered, 15.0);
    assert!(
        running
            .job_list
            .iter()
            .any(|job| job.status == sdk::MigrateJobStatus::Running)
    );
    run!(15.0, "StopMigrateJob", sdk::StopMigrateJob, check(&stopped));
    list_jobs(&mut covered, 16.0);
    list_jobs(&mut covered, 40.0);
    run!(
        40.0,
        "CompleteMigrateJob",
        sdk::CompleteMigrateJob,
        json!({ "JobId": incremental, "CompleteMode": "waitForSync" })
    );
    let winding = list_jobs(&mut covered, 41.0);
    assert!(
        winding
            .job_list
            .iter()
            .any(|job| job.status == sdk::MigrateJobStatus::Completing)
    );
    let ended = list_jobs(&mut covered, 50.0);
    for job in &ended.job_list {
        assert!(job.detail.progress_percent().is_some());
        assert!(job.detail.current_step_progress_percent().is_some());
        assert!(!matches!(job.status, sdk::MigrateJobStatus::Unknown(_)));
    }
    run!(
        50.0,
        "ModifyMigrateJob",
        sdk::ModifyMigrateJob,
        json!({
            "JobId": stopped,
            "JobName": "stopped-v2",
            "MigrateOption": { "RunMode": 1, "MigrateType": 2 },
            "SrcAccessType": "extranet",
            "SrcInfo": { "Ip": "203.0.113.10", "Port": 3306 },
            "DstAccessType": "cdb",
            "DstInfo": { "Region": "ap-guangzhou", "InstanceId": "cdb-l78e0nbv" },
            "DatabaseInfo": "[]",
            "SrcNodeType": "simple",
            "SrcInfoMulti": [],
        })
    );
    run!(
        50.0,
        "DeleteMigrateJob",
        sdk::DeleteMigrateJob,
        check(&plain)
    );
    list_jobs(&mut covered, 51.0);

    // Subscriptions.
    let (_, created) = run!(
        60.0,
        "CreateSubscribe",
        sdk::CreateSubscribe,
        json!({
            "Product": "mysql",
            "PayType": 0,
            "Duration": 1,
            "Count": 2,
            "AutoRenew": 1,
            "Tags": [{ "TagKey": "team", "TagValue": "sec" }],
            "Name": "audit",
        })
    );
    let ids = created.subscribe_ids.expect("ids");
    let (_, paid) = run!(
        60.0,
        "CreateSubscribe",
        sdk::CreateSubscribe,
        json!({ "Product": "mysql", "PayType": 1 })
    );
    let hourly = paid.subscribe_ids.expect("ids").remove(0);
    let one = |id: &str| json!({ "SubscribeId": id });
    let (_, conf) = run!(
        60.0,
        "DescribeSubscribeConf",
        sdk::DescribeSubscribeConf,
        one(&ids[0])
    );
    assert_eq!(conf.subs_status, sdk::SubsStatus::Unconfigured);
    let (_, activated) = run!(
        61.0,
        "ActivateSubscribe",
        sdk::ActivateSubscribe,
        json!({
            "SubscribeId": ids[0],
            "InstanceId": "cdb-9dijwkkw2",
            "SubscribeObjectType": 1,
            "Objects": { "ObjectsType": 1, "DatabaseName": "shop", "TableNames": ["orders"] },
            "UniqSubnetId": "subnet-4p1hpsj8",
            "Vport": 7508,
        })
    );
    let (_, task) = run!(
        61.0,
        "DescribeAsyncRequestInfo",
        sdk::DescribeAsyncRequestInfo,
        json!({ "AsyncRequestId": activated.async_request_id })
    );
    assert_eq!(task.status, Some(sdk::AsyncRequestStatus::Success));
    let (_, modified) = run!(
        62.0,
        "ModifySubscribeObjects",
        sdk::ModifySubscribeObjects,
        json!({
            "SubscribeId": ids[0],
            "SubscribeObjectType": 2,
            "Objects": [{ "ObjectsType": 0, "DatabaseName": "shop" }],
        })
    );
    run!(
        62.0,
        "DescribeAsyncRequestInfo",
        sdk::DescribeAsyncRequestInfo,
        json!({ "AsyncRequestId": modified.async_request_id })
    );
    run!(
        62.0,
        "ModifySubscribeName",
        sdk::ModifySubscribeName,
        json!({ "SubscribeId": ids[0], "SubscribeName": "audit-2" })
    );
    run!(
        62.0,
        "ModifySubscribeConsumeTime",
        sdk::ModifySubscribeConsumeTime,
        json!({
            "SubscribeId": ids[0],
            "ConsumeStartTime": cloud_datetime(UNIX0),
        })
    );
    run!(
        62.0,
        "ModifySubscribeVipVport",
        sdk::ModifySubscribeVipVport,
        json!({
            "SubscribeId": ids[0],
            "DstUniqSubnetId": "subnet-njj6i45t",
            "DstIp": "10.0.0.37",
            "DstPort": 10086,
        })
    );
    run!(
        62.0,
        "ModifySubscribeAutoRenewFlag",
        sdk::ModifySubscribeAutoRenewFlag,
        json!({ "SubscribeId": ids[0], "AutoRenewFlag": 0 })
    );
    let (_, conf) = run!(
        63.0,
        "DescribeSubscribeConf",
        sdk::DescribeSubscribeConf,
        one(&ids[0])
    );
    assert_eq!(conf.subs_status, sdk::SubsStatus::Configured);
    assert_eq!(conf.subscribe_objects.len(), 1);
    run!(63.0, "ResetSubscribe", sdk::ResetSubscribe, one(&ids[1]));
    run!(
        64.0,
        "IsolateSubscribe",
        sdk::IsolateSubscribe,
        one(&hourly)
    );
    run!(
        64.0,
        "DescribeSubscribeConf",
        sdk::DescribeSubscribeConf,
        one(&hourly)
    );
    run!(
        65.0,
        "OfflineIsolatedSubscribe",
        sdk::OfflineIsolatedSubscribe,
        one(&hourly)
    );
    let (_, listed) = run!(
        65.0,
        "DescribeSubscribes",
        sdk::DescribeSubscribes,
        json!({
            "Offset": 0,
            "Limit": 100,
            "OrderDirection": "ASC",
            "Status": ["normal", "isolated", "offline"],
            "SubsStatus": ["unconfigure", "configured"],
            "Product": "mysql",
            "PayType": "0",
            "SubscribeVersion": "txdts",
            "TagFilters": [{ "TagKey": "team", "TagValue": ["sec"] }],
        })
    );
    assert_eq!(listed.total_count, 2);
    let (_, everything) = run!(
        65.0,
        "DescribeSubscribes",
        sdk::DescribeSubscribes,
        json!({})
    );
    assert_eq!(everything.items.len(), 3);
    for item in &everything.items {
        assert!(!matches!(
            item.status,
            Some(sdk::SubscribeStatus::Unknown(_))
        ));
    }

    assert_eq!(covered.len(), 22, "covered only {covered:?}");
}
