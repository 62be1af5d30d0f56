//! Migration jobs: checks, the migration timeline, the status rules and listing.

use super::*;

#[test]
fn a_new_job_has_no_check() {
    let emu = Emu::new();
    let id = emu.create_job(0.0, job_params("orders", 2));
    let report = emu.check_report(1.0, &id);
    assert_eq!(
        Value::Object(report),
        json!({
            "Status": "unavailable",
            "ErrorCode": 0,
            "ErrorMessage": "",
            "Progress": "0",
            "CheckFlag": 3,
        })
    );
    let job = emu.job(1.0, &id);
    assert_eq!(job["Status"], 1);
    assert_eq!(job["CreateTime"], cloud_datetime(UNIX0));
    assert_eq!(job["StartTime"], "0000-00-00 00:00:00");
    assert_eq!(job["EndTime"], "0000-00-00 00:00:00");
    assert_eq!(job["DatabaseInfo"], "[]");
    assert_eq!(job["ErrorInfo"], json!([]));
    assert_eq!(job["Detail"]["StepAll"], 0);
    assert_eq!(job["Detail"]["StepInfo"], json!([]));
    // Everything it was given comes back.
    let params = job_params("orders", 2);
    for name in [
        "MigrateOption",
        "SrcInfo",
        "DstInfo",
        "Tags",
        "SrcAccessType",
    ] {
        assert_eq!(job[name], params[name], "{name}");
    }
}

#[test]
fn a_passing_check_runs_then_passes() {
    let emu = Emu::new();
    let id = emu.create_job(0.0, job_params("orders", 2));
    emu.ok(2.0, "CreateMigrateCheckJob", json!({ "JobId": id }));
    let report = watch_check(&emu, &id, 2.0, 14.0);
    assert_eq!(
        Value::Object(report),
        json!({
            "Status": "finished",
            "ErrorCode": 0,
            "ErrorMessage": "ok",
            "Progress": "100",
            "CheckFlag": 1,
        })
    );
    assert_eq!(emu.status(14.0, &id), 4);
    // Exactly at the end of its duration the check is over.
    assert_eq!(emu.check_report(12.0, &id)["Status"], "finished");
    assert_eq!(emu.check_report(11.9, &id)["Status"], "running");
}

#[test]
fn a_check_fails_when_the_job_name_says_so() {
    let emu = Emu::new();
    let id = emu.create_job(0.0, job_params("nightly-FAIL-Check-copy", 2));
    emu.ok(0.0, "CreateMigrateCheckJob", json!({ "JobId": id }));
    let report = watch_check(&emu, &id, 0.0, 11.0);
    assert_eq!(report["Status"], "finished");
    assert_eq!(report["CheckFlag"], 0);
    assert_eq!(report["ErrorCode"], -1);
    assert_eq!(report["Progress"], "100");
    let message = report["ErrorMessage"].as_str().expect("message");
    assert!(message.contains("REPLICATION"), "{message}");
    assert!(message.contains("fail-check"), "{message}");
    assert_eq!(emu.status(11.0, &id), 5);

    // A failed check can be run again, and fails again while the name is unchanged.
    emu.ok(11.0, "CreateMigrateCheckJob", json!({ "JobId": id }));
    assert_eq!(emu.status(11.5, &id), 3);
    assert_eq!(emu.status(21.0, &id), 5);

    // Renaming resets the check; the next one passes.
    emu.ok(
        21.0,
        "ModifyMigrateJob",
        json!({ "JobId": id, "JobName": "nightly-copy" }),
    );
    assert_eq!(emu.status(21.0, &id), 1);
    assert_eq!(emu.check_report(21.0, &id)["Status"], "unavailable");
    emu.ok(22.0, "CreateMigrateCheckJob", json!({ "JobId": id }));
    assert_eq!(emu.check_report(32.0, &id)["CheckFlag"], 1);
    assert_eq!(emu.status(32.0, &id), 4);
}

#[test]
fn check_policies_override_the_job_name() {
    let pass = Emu::with(CheckPolicy::PassAll);
    let id = pass.create_job(0.0, job_params("fail-check", 2));
    pass.ok(0.0, "CreateMigrateCheckJob", json!({ "JobId": id }));
    assert_eq!(pass.check_report(10.0, &id)["CheckFlag"], 1);

    let fail = Emu::with(CheckPolicy::FailAll);
    let mut params = job_params("orders", 2);
    params["SrcDatabaseType"] = "redis".into();
    params["DstDatabaseType"] = "redis".into();
    let id = fail.create_job(0.0, params);
    fail.ok(0.0, "CreateMigrateCheckJob", json!({ "JobId": id }));
    let report = fail.check_report(10.0, &id);
    assert_eq!(report["CheckFlag"], 0);
    let message = report["ErrorMessage"].as_str().expect("message");
    assert!(message.contains("PSYNC"), "{message}");
    assert!(message.contains("every check"), "{message}");
}

#[test]
fn a_check_is_refused_while_one_runs_or_the_job_migrates() {
    let emu = Emu::new();
    let id = emu.create_job(0.0, job_params("orders", 3));
    emu.ok(0.0, "CreateMigrateCheckJob", json!({ "JobId": id }));
    let err = emu.err(5.0, "CreateMigrateCheckJob", json!({ "JobId": id }));
    assert_code(&err, "FailedOperation.NotAllowOperation");
    assert!(err.message.contains("status 3"), "{}", err.message);
    // After it passed it may be checked again.
    emu.ok(10.0, "CreateMigrateCheckJob", json!({ "JobId": id }));
    emu.ok(20.0, "StartMigrateJob", json!({ "JobId": id }));
    let err = emu.err(21.0, "CreateMigrateCheckJob", json!({ "JobId": id }));
    assert_code(&err, "FailedOperation.NotAllowOperation");
}

#[test]
fn start_needs_a_passed_check() {
    let emu = Emu::new();
    let id = emu.create_job(0.0, job_params("orders", 2));
    let err = emu.err(0.0, "StartMigrateJob", json!({ "JobId": id }));
    assert_code(&err, "FailedOperation.NotAllowOperation");
    assert!(err.message.contains("status 1"), "{}", err.message);
    assert!(err.message.contains("check"), "{}", err.message);

    emu.ok(1.0, "CreateMigrateCheckJob", json!({ "JobId": id }));
    let err = emu.err(5.0, "StartMigrateJob", json!({ "JobId": id }));
    assert!(err.message.contains("status 3"), "{}", err.message);

    emu.ok(11.0, "StartMigrateJob", json!({ "JobId": id }));
    let job = emu.job(11.0, &id);
    assert_eq!(job["Status"], 7);
    assert_eq!(job["StartTime"], cloud_datetime(UNIX0 + 11));
    assert_eq!(job["EndTime"], "0000-00-00 00:00:00");
    let err = emu.err(12.0, "StartMigrateJob", json!({ "JobId": id }));
    assert!(err.message.contains("status 7"), "{}", err.message);
}

#[test]
fn a_full_migration_progresses_then_succeeds() {
    let emu = Emu::new();
    let id = emu.started_job(0.0, 2);
    let mut last = (0, 0);
    let mut at = 10.0;
    while at < 30.0 {
        let job = emu.job(at, &id);
        assert_eq!(job["Status"], 7, "at {at}");
        let detail = &job["Detail"];
        assert_eq!(detail["StepAll"], 4);
        let now = (
            progress(&detail["Progress"]),
            detail["StepNow"].as_u64().expect("StepNow"),
        );
        assert!(now >= last, "{now:?} after {last:?}");
        assert!(now.0 <= 99);
        let steps = detail["StepInfo"].as_array().expect("StepInfo");
        let running: Vec<_> = steps.iter().filter(|step| step["Status"] == 3).collect();
        assert_eq!(running.len(), 1, "{steps:?}");
        assert_eq!(running[0]["StepNo"].as_u64(), Some(now.1));
        last = now;
        at += 0.5;
    }
    assert_eq!(last.1, 4);
    let job = emu.job(30.0, &id);
    assert_eq!(job["Status"], 9);
    assert_eq!(job["EndTime"], cloud_datetime(UNIX0 + 30));
    assert_eq!(job["Detail"]["Progress"], "100");
    assert_eq!(job["Detail"]["StepNow"], 4);
    let statuses: Vec<&Value> = job["Detail"]["StepInfo"]
        .as_array()
        .expect("StepInfo")
        .iter()
        .map(|step| &step["Status"])
        .collect();
    assert_eq!(statuses, [&json!(1); 4]);
    assert_eq!(job["ErrorInfo"], json!([]));

    for action in ["StopMigrateJob", "CompleteMigrateJob", "StartMigrateJob"] {
        let err = emu.err(31.0, action, json!({ "JobId": id }));
        assert_code(&err, "FailedOperation.NotAllowOperation");
        assert!(err.message.contains("status 9"), "{}", err.message);
    }
}

#[test]
fn a_structure_migration_has_two_steps() {
    let emu = Emu::new();
    let id = emu.started_job(0.0, 1);
    assert_eq!(emu.job(15.0, &id)["Detail"]["StepAll"], 2);
    assert_eq!(emu.status(30.0, &id), 9);
}

#[test]
fn an_incremental_migration_waits_to_be_completed() {
    let emu = Emu::new();
    let id = emu.started_job(0.0, 3);
    let err = emu.err(20.0, "CompleteMigrateJob", json!({ "JobId": id }));
    assert_code(&err, "FailedOperation.NotAllowOperation");
    assert!(err.message.contains("status 7"), "{}", err.message);

    for at in [30.0, 100.0, 1000.0] {
        let job = emu.job(at, &id);
        assert_eq!(job["Status"], 8, "at {at}");
        assert_eq!(job["EndTime"], "0000-00-00 00:00:00");
        let detail = &job["Detail"];
        assert_eq!(detail["StepAll"], 5);
        assert_eq!(detail["StepNow"], 5);
        assert_eq!(detail["Progress"], "100");
        assert_eq!(detail["StepInfo"][4]["StepId"], "incremental");
        assert_eq!(detail["StepInfo"][4]["Status"], 3);
    }
    emu.ok(1000.0, "CompleteMigrateJob", json!({ "JobId": id }));
    assert_eq!(emu.status(1001.0, &id), 12);
    let err = emu.err(1001.0, "DeleteMigrateJob", json!({ "JobId": id }));
    assert!(err.message.contains("status 12"), "{}", err.message);
    let job = emu.job(1002.0, &id);
    assert_eq!(job["Status"], 9);
    assert_eq!(job["EndTime"], cloud_datetime(UNIX0 + 1002));
    assert_eq!(job["Detail"]["StepInfo"][4]["Status"], 1);
}

#[test]
fn a_stopped_migration_fails_where_it_was() {
    let emu = Emu::new();
    let id = emu.started_job(0.0, 2);
    let before = emu.job(19.0, &id)["Detail"].clone();
    emu.ok(19.0, "StopMigrateJob", json!({ "JobId": id }));
    let stopping = emu.job(20.0, &id);
    assert_eq!(stopping["Status"], 11);
    assert_eq!(stopping["Detail"], before, "progress freezes when stopped");
    let err = emu.err(20.0, "StopMigrateJob", json!({ "JobId": id }));
    assert!(err.message.contains("status 11"), "{}", err.message);
    let err = emu.err(20.0, "DeleteMigrateJob", json!({ "JobId": id }));
    assert!(err.message.contains("status 11"), "{}", err.message);

    let failed = emu.job(21.0, &id);
    assert_eq!(failed["Status"], 10);
    assert_eq!(failed["EndTime"], cloud_datetime(UNIX0 + 21));
    assert_eq!(failed["Detail"]["Progress"], before["Progress"]);
    let step_now = failed["Detail"]["StepNow"].as_u64().expect("StepNow");
    let index = usize::try_from(step_now - 1).expect("index");
    assert_eq!(failed["Detail"]["StepInfo"][index]["Status"], 2);
    let errors = failed["ErrorInfo"].as_array().expect("ErrorInfo");
    assert_eq!(errors.len(), 1);
    assert!(
        errors[0]["ErrorLog"]
            .as_str()
            .is_some_and(|log| log.contains("StopMigrateJob"))
    );

    // A failed job can be modified (back to 1) or deleted.
    emu.ok(
        22.0,
        "ModifyMigrateJob",
        json!({ "JobId": id, "JobName": "orders-again" }),
    );
    let job = emu.job(22.0, &id);
    assert_eq!(job["Status"], 1);
    assert_eq!(job["StartTime"], "0000-00-00 00:00:00");
    assert_eq!(job["ErrorInfo"], json!([]));
    emu.ok(22.0, "DeleteMigrateJob", json!({ "JobId": id }));
}

#[test]
fn a_ready_migration_can_be_stopped() {
    let emu = Emu::new();
    let id = emu.started_job(0.0, 3);
    emu.ok(40.0, "StopMigrateJob", json!({ "JobId": id }));
    assert_eq!(emu.status(41.0, &id), 11);
    let job = emu.job(42.0, &id);
    assert_eq!(job["Status"], 10);
    assert_eq!(job["Detail"]["StepInfo"][4]["Status"], 2);
    let err = emu.err(42.0, "CompleteMigrateJob", json!({ "JobId": id }));
    assert!(err.message.contains("status 10"), "{}", err.message);
}

#[test]
fn deletion_follows_the_status() {
    let emu = Emu::new();
    let delete = |at: f64, id: &str| emu.call(at, "DeleteMigrateJob", json!({ "JobId": id }));
    // 1: allowed.
    let id = emu.create_job(0.0, job_params("a", 2));
    assert!(delete(0.0, &id).is_ok());
    assert_code(
        &emu.err(0.0, "DescribeMigrateCheckJob", json!({ "JobId": id })),
        "ResourceNotFound.JobNotExist",
    );
    // 3: refused; 4: allowed.
    let id = emu.create_job(0.0, job_params("b", 2));
    emu.ok(0.0, "CreateMigrateCheckJob", json!({ "JobId": id }));
    assert!(delete(5.0, &id).unwrap_err().message.contains("status 3"));
    assert!(delete(10.0, &id).is_ok());
    // 5: allowed.
    let id = emu.create_job(0.0, job_params("fail-check", 2));
    emu.ok(0.0, "CreateMigrateCheckJob", json!({ "JobId": id }));
    assert!(delete(10.0, &id).is_ok());
    // 7 and 8: refused; 9: allowed.
    let id = emu.started_job(0.0, 3);
    assert!(delete(15.0, &id).unwrap_err().message.contains("status 7"));
    assert!(delete(35.0, &id).unwrap_err().message.contains("status 8"));
    emu.ok(35.0, "CompleteMigrateJob", json!({ "JobId": id }));
    assert!(delete(40.0, &id).is_ok());
    let listed = emu.ok(40.0, "DescribeMigrateJobs", json!({}));
    assert_eq!(listed["TotalCount"], 0);
}

#[test]
fn modification_follows_the_status_and_resets_the_check() {
    let emu = Emu::new();
    let id = emu.create_job(0.0, job_params("orders", 2));
    emu.ok(0.0, "CreateMigrateCheckJob", json!({ "JobId": id }));
    let modify = |at: f64, params: Value| emu.call(at, "ModifyMigrateJob", params);
    let err = modify(5.0, json!({ "JobId": id, "JobName": "x" })).unwrap_err();
    assert_code(&err, "FailedOperation.NotAllowOperation");
    assert!(err.message.contains("status 3"), "{}", err.message);

    // Passed (4): allowed; the job is back at 1 with no check, and shows the changes.
    let changes = json!({
        "JobId": id,
        "JobName": "orders-v2",
        "MigrateOption": { "RunMode": 1, "MigrateType": 3, "MigrateObject": 2 },
        "DatabaseInfo": "[{\"Database\":\"shop\",\"Table\":[\"orders\"]}]",
        "SrcInfo": { "Ip": "203.0.113.11", "Port": 3307, "User": "dts2", "Password": "x" },
        "SrcAccessType": "cvm",
        "SrcInfoMulti": [{ "Ip": "203.0.113.12", "Port": 3306 }],
    });
    assert!(modify(10.0, changes.clone()).is_ok());
    let job = emu.job(10.0, &id);
    assert_eq!(job["Status"], 1);
    assert_eq!(emu.check_report(10.0, &id)["Status"], "unavailable");
    for name in [
        "JobName",
        "MigrateOption",
        "DatabaseInfo",
        "SrcInfo",
        "SrcAccessType",
    ] {
        assert_eq!(job[name], changes[name], "{name}");
    }
    assert_eq!(job["SrcInfoMulti"], changes["SrcInfoMulti"]);
    assert_eq!(job["DstInfo"], job_params("orders", 2)["DstInfo"]);

    // The target region cannot change; bad values are refused with the modify code.
    let err = modify(
        11.0,
        json!({ "JobId": id, "DstInfo": { "Region": "ap-shanghai" } }),
    )
    .unwrap_err();
    assert_code(&err, "InvalidParameterValue.BizInvalidParameterValueError");
    let err = modify(11.0, json!({ "JobId": id, "DstAccessType": "extranet" })).unwrap_err();
    assert_code(&err, "InvalidParameterValue.BizInvalidParameterValueError");
    let err = modify(11.0, json!({ "JobId": id, "DatabaseInfo": "not json" })).unwrap_err();
    assert_code(&err, "InvalidParameterValue.DataConvertError");

    // Running (7) and success (9): refused.
    emu.ok(11.0, "CreateMigrateCheckJob", json!({ "JobId": id }));
    emu.ok(21.0, "StartMigrateJob", json!({ "JobId": id }));
    let err = modify(22.0, json!({ "JobId": id, "JobName": "x" })).unwrap_err();
    assert!(err.message.contains("status 7"), "{}", err.message);
    let id = emu.started_job(100.0, 2);
    let err = modify(200.0, json!({ "JobId": id, "JobName": "x" })).unwrap_err();
    assert!(err.message.contains("status 9"), "{}", err.message);
}

#[test]
fn unknown_jobs_are_not_found_by_every_job_action() {
    let emu = Emu::new();
    for action in [
        "CreateMigrateCheckJob",
        "DescribeMigrateCheckJob",
        "StartMigrateJob",
        "StopMigrateJob",
        "CompleteMigrateJob",
        "DeleteMigrateJob",
        "ModifyMigrateJob",
    ] {
        let err = emu.err(0.0, action, json!({ "JobId": "dts-nothere" }));
        assert_code(&err, "ResourceNotFound.JobNotExist");
        assert!(err.message.contains("dts-nothere"), "{}", err.message);
    }
    let listed = emu.ok(
        0.0,
        "DescribeMigrateJobs",
        json!({ "JobId": "dts-nothere" }),
    );
    assert_eq!(listed["TotalCount"], 0);
    assert_eq!(listed["JobList"], json!([]));
}

#[test]
fn resources_are_kept_apart_per_account_and_region() {
    let emu = Emu::new();
    let id = emu.create_job(0.0, job_params("orders", 2));
    let subs = emu.ok(
        0.0,
        "CreateSubscribe",
        json!({ "Product": "mysql", "PayType": 1 }),
    );
    let subscribe_id = subs["SubscribeIds"][0].clone();
    for (account, region) in [("AKID-bob", REGION), (ACCOUNT, "ap-shanghai")] {
        let call = |action: &str, params: Value| emu.call_as(account, region, 1.0, action, params);
        let listed = call("DescribeMigrateJobs", json!({})).expect("list");
        assert_eq!(listed["TotalCount"], 0);
        let err = call("DescribeMigrateCheckJob", json!({ "JobId": id })).unwrap_err();
        assert_code(&err, "ResourceNotFound.JobNotExist");
        let err = call("DeleteMigrateJob", json!({ "JobId": id })).unwrap_err();
        assert_code(&err, "ResourceNotFound.JobNotExist");
        let listed = call("DescribeSubscribes", json!({})).expect("list");
        assert_eq!(listed["TotalCount"], 0);
        let err = call(
            "DescribeSubscribeConf",
            json!({ "SubscribeId": subscribe_id }),
        );
        assert_code(&err.unwrap_err(), "ResourceNotFound");
    }
    assert_eq!(emu.status(1.0, &id), 1);
}

#[test]
fn job_ids_are_random_short_and_unique() {
    let emu = Emu::new();
    let mut seen = HashSet::new();
    for index in 0..60 {
        let id = emu.create_job(0.0, job_params(&format!("job-{index}"), 2));
        let suffix = id.strip_prefix("dts-").expect("dts- prefix");
        assert_eq!(suffix.len(), 8, "{id}");
        assert!(
            suffix
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()),
            "{id}"
        );
        assert!(seen.insert(id));
    }
}

#[test]
fn describe_migrate_jobs_filters_sorts_and_pages() {
    let emu = Emu::new();
    let mut ids = Vec::new();
    for (index, (name, team)) in [
        ("orders-eu", "data"),
        ("users", "web"),
        ("orders-us", "web"),
        ("logs", "ops"),
        ("orders-asia", "data"),
    ]
    .into_iter()
    .enumerate()
    {
        let mut params = job_params(name, 2);
        params["Tags"] = json!([{ "TagKey": "team", "TagValue": team }]);
        ids.push(emu.create_job(index as f64, params));
    }
    let names = |answer: &Answer| -> Vec<String> {
        answer["JobList"]
            .as_array()
            .expect("JobList")
            .iter()
            .map(|job| job["JobName"].as_str().expect("JobName").to_owned())
            .collect()
    };
    let list = |params: Value| emu.ok(10.0, "DescribeMigrateJobs", params);

    // Newest first by default.
    let all = list(json!({}));
    assert_eq!(all["TotalCount"], 5);
    assert_eq!(
        names(&all),
        ["orders-asia", "logs", "orders-us", "users", "orders-eu"]
    );
    let oldest = list(json!({ "Order": "CreateTime", "OrderSeq": "ASC" }));
    assert_eq!(names(&oldest)[0], "orders-eu");
    let by_name = list(json!({ "Order": "JobName", "OrderSeq": "ASC" }));
    assert_eq!(
        names(&by_name),
        ["logs", "orders-asia", "orders-eu", "orders-us", "users"]
    );
    // Jobs created within the same second keep their creation order.
    let same_second = Emu::new();
    let first = same_second.create_job(0.0, job_params("first", 2));
    let second = same_second.create_job(0.5, job_params("second", 2));
    let listed = same_second.ok(1.0, "DescribeMigrateJobs", json!({}));
    assert_eq!(listed["JobList"][0]["JobId"], json!(second));
    assert_eq!(listed["JobList"][1]["JobId"], json!(first));

    // Pages: TotalCount counts every match.
    let page = list(json!({ "Offset": 1, "Limit": 2 }));
    assert_eq!(page["TotalCount"], 5);
    assert_eq!(names(&page), ["logs", "orders-us"]);
    let past_the_end = list(json!({ "Offset": 10 }));
    assert_eq!(past_the_end["TotalCount"], 5);
    assert_eq!(past_the_end["JobList"], json!([]));

    // Filters.
    let orders = list(json!({ "JobName": "orders", "Limit": 1 }));
    assert_eq!(orders["TotalCount"], 3);
    assert_eq!(names(&orders), ["orders-asia"]);
    let one = list(json!({ "JobId": ids[1] }));
    assert_eq!(names(&one), ["users"]);
    let web = list(json!({ "TagFilters": [{ "TagKey": "team", "TagValue": ["web", "ops"] }] }));
    assert_eq!(web["TotalCount"], 3);
    let tagged = list(json!({ "TagFilters": [{ "TagKey": "team" }] }));
    assert_eq!(tagged["TotalCount"], 5);
    let none = list(json!({ "TagFilters": [{ "TagKey": "owner" }] }));
    assert_eq!(none["TotalCount"], 0);
    let both = list(json!({
        "JobName": "orders",
        "TagFilters": [{ "TagKey": "team", "TagValue": ["data"] }],
    }));
    assert_eq!(names(&both), ["orders-asia", "orders-eu"]);

    // By status: jobs at 1 before the checked one at 3.
    emu.ok(10.0, "CreateMigrateCheckJob", json!({ "JobId": ids[3] }));
    let by_status = list(json!({ "Order": "Status", "OrderSeq": "DESC" }));
    assert_eq!(names(&by_status)[0], "logs");

    // Out-of-range values.
    for params in [
        json!({ "Limit": 0 }),
        json!({ "Limit": 101 }),
        json!({ "Order": "Size" }),
        json!({ "OrderSeq": "UP" }),
    ] {
        let err = emu.err(10.0, "DescribeMigrateJobs", params);
        assert_code(&err, "InvalidParameterValue.InvalidParameterValueError");
    }
    assert_eq!(list(json!({ "Limit": 100 }))["TotalCount"], 5);
}

/// A change to CreateMigrateJob parameters.
type Edit = fn(&mut Value);

#[test]
fn create_migrate_job_checks_its_settings() {
    let emu = Emu::new();
    let with = |edit: Edit| {
        let mut params = job_params("orders", 2);
        edit(&mut params);
        emu.call(0.0, "CreateMigrateJob", params)
    };
    let invalid = "InvalidParameterValue.InvalidParameterValueError";
    let cases: [(Edit, &str); 8] = [
        (|p| p["DstAccessType"] = "extranet".into(), invalid),
        (|p| p["SrcAccessType"] = "satellite".into(), invalid),
        (|p| p["SrcDatabaseType"] = "oracle".into(), invalid),
        (|p| p["MigrateOption"]["MigrateType"] = 4.into(), invalid),
        (
            |p| p["MigrateOption"]["RunMode"] = 2.into(),
            "InvalidParameter",
        ),
        (
            |p| p["MigrateOption"]["MigrateObject"] = 2.into(),
            "InvalidParameter",
        ),
        (
            |p| p["DatabaseInfo"] = "{not json".into(),
            "InvalidParameterValue.DataConvertError",
        ),
        (
            |p| {
                p["MigrateOption"]["RunMode"] = 2.into();
                p["MigrateOption"]["ExpectTime"] = "tomorrow".into();
            },
            invalid,
        ),
    ];
    for (edit, code) in cases {
        assert_code(&with(edit).unwrap_err(), code);
    }
    // Absent members may be sent as null.
    let answer = with(|p| p["DatabaseInfo"] = Value::Null).expect("null is absent");
    let id = answer["JobId"].as_str().expect("JobId");
    assert_eq!(emu.job(0.0, id)["DatabaseInfo"], "[]");
    assert_eq!(
        emu.ok(0.0, "DescribeMigrateJobs", json!({}))["TotalCount"],
        1
    );
}

#[test]
fn unused_jobs_are_limited() {
    let emu = Emu::new();
    let ids: Vec<String> = (0..super::super::jobs::MAX_UNUSED_JOBS)
        .map(|index| emu.create_job(0.0, job_params(&format!("job-{index}"), 2)))
        .collect();
    let err = emu.err(0.0, "CreateMigrateJob", job_params("one-too-many", 2));
    assert_code(&err, "LimitExceeded.MaxUnusedJobs");
    // Another region has its own allowance.
    let elsewhere = emu.call_as(
        ACCOUNT,
        "ap-beijing",
        0.0,
        "CreateMigrateJob",
        job_params("x", 2),
    );
    assert!(elsewhere.is_ok());
    // A started job no longer counts.
    emu.ok(0.0, "CreateMigrateCheckJob", json!({ "JobId": ids[0] }));
    emu.ok(10.0, "StartMigrateJob", json!({ "JobId": ids[0] }));
    emu.ok(10.0, "CreateMigrateJob", job_params("fits-again", 2));
}

#[test]
fn a_scheduled_job_waits_for_its_time() {
    let emu = Emu::new();
    let mut params = job_params("scheduled", 2);
    params["MigrateOption"]["RunMode"] = 2.into();
    params["MigrateOption"]["ExpectTime"] = cloud_datetime(UNIX0 + 60).into();
    let id = emu.create_job(0.0, params);
    emu.ok(0.0, "CreateMigrateCheckJob", json!({ "JobId": id }));
    emu.ok(10.0, "StartMigrateJob", json!({ "JobId": id }));
    let waiting = emu.job(59.0, &id);
    assert_eq!(waiting["Status"], 7);
    assert_eq!(waiting["Detail"]["StepNow"], 0);
    assert_eq!(waiting["Detail"]["Progress"], "0");
    assert!(
        waiting["Detail"]["StepInfo"]
            .as_array()
            .expect("steps")
            .iter()
            .all(|step| step["Status"] == 4 && step.get("StartTime").is_none())
    );
    let moving = emu.job(61.0, &id);
    assert_eq!(moving["Detail"]["StepNow"], 1);
    assert_eq!(
        moving["Detail"]["StepInfo"][0]["StartTime"],
        cloud_datetime(UNIX0 + 60)
    );
    assert_eq!(emu.status(79.0, &id), 7);
    let done = emu.job(80.0, &id);
    assert_eq!(done["Status"], 9);
    assert_eq!(done["EndTime"], cloud_datetime(UNIX0 + 80));
}

#[test]
fn zero_durations_finish_at_once() {
    let dts = Dts::new(DtsSettings {
        check_duration: Duration::ZERO,
        migration_duration: Duration::ZERO,
        checks: CheckPolicy::PassAll,
    });
    let emu = Emu {
        dts,
        t0: Instant::now(),
    };
    let id = emu.create_job(0.0, job_params("orders", 2));
    emu.ok(0.0, "CreateMigrateCheckJob", json!({ "JobId": id }));
    assert_eq!(emu.check_report(0.0, &id)["Status"], "finished");
    emu.ok(0.0, "StartMigrateJob", json!({ "JobId": id }));
    assert_eq!(emu.status(0.0, &id), 9);
}
