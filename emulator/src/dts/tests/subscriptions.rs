//! Data subscriptions: their lifecycle, configuration and listing.

use super::*;

#[test]
fn subscriptions_go_through_their_life() {
    let emu = Emu::new();
    let created = emu.ok(
        0.0,
        "CreateSubscribe",
        json!({
            "Product": "mysql",
            "PayType": 1,
            "Count": 3,
            "Name": "audit",
            "Tags": [{ "TagKey": "team", "TagValue": "sec" }],
        }),
    );
    let ids: Vec<String> = created["SubscribeIds"]
        .as_array()
        .expect("ids")
        .iter()
        .map(|id| id.as_str().expect("id").to_owned())
        .collect();
    assert_eq!(ids.len(), 3);
    for id in &ids {
        let suffix = id.strip_prefix("subs-").expect("subs- prefix");
        assert_eq!(suffix.len(), 8);
    }
    let default_count = emu.ok(
        1.0,
        "CreateSubscribe",
        json!({ "Product": "mysql", "PayType": 1 }),
    );
    assert_eq!(
        default_count["SubscribeIds"].as_array().map(Vec::len),
        Some(1)
    );
    let lone = default_count["SubscribeIds"][0]
        .as_str()
        .expect("id")
        .to_owned();

    let conf =
        |at: f64, id: &str| emu.ok(at, "DescribeSubscribeConf", json!({ "SubscribeId": id }));
    let fresh = conf(1.0, &ids[0]);
    assert_eq!(fresh["SubsStatus"], "unconfigure");
    assert_eq!(fresh["Status"], "normal");
    assert_eq!(fresh["SubscribeName"], "audit");
    assert_eq!(fresh["InstanceId"], "");
    assert_eq!(fresh["Region"], REGION);
    assert_eq!(conf(1.0, &lone)["SubscribeName"], json!(lone));

    // Changes that need a configured instance are refused before activation.
    let err = emu.err(
        1.0,
        "ResetSubscribe",
        json!({ "SubscribeId": "subs-nothere" }),
    );
    assert_code(&err, "ResourceNotFound");
    let err = emu.err(
        1.0,
        "ModifySubscribeObjects",
        json!({ "SubscribeId": ids[0], "SubscribeObjectType": 0 }),
    );
    assert_code(&err, "FailedOperation.StatusInConflict");

    // Activate.
    let activated = emu.ok(
        2.0,
        "ActivateSubscribe",
        json!({
            "SubscribeId": ids[0],
            "InstanceId": "cdb-9dijwkkw2",
            "SubscribeObjectType": 1,
            "Objects": { "ObjectsType": 1, "DatabaseName": "shop", "TableNames": ["orders"] },
        }),
    );
    let task = activated["AsyncRequestId"]
        .as_str()
        .expect("task")
        .to_owned();
    let info = emu.ok(
        2.0,
        "DescribeAsyncRequestInfo",
        json!({ "AsyncRequestId": task }),
    );
    assert_eq!(info["Status"], "success");
    let err = emu.err(
        2.0,
        "DescribeAsyncRequestInfo",
        json!({ "AsyncRequestId": "nope" }),
    );
    assert_code(&err, "ResourceNotFound");
    let configured = conf(2.0, &ids[0]);
    assert_eq!(configured["SubsStatus"], "configured");
    assert_eq!(configured["InstanceId"], "cdb-9dijwkkw2");
    assert_eq!(configured["InstanceStatus"], "running");
    assert_eq!(configured["Vport"], 7507);
    assert_eq!(configured["SubscribeObjectType"], 1);
    assert_eq!(configured["SubscribeObjects"][0]["DatabaseName"], "shop");
    assert!(
        configured["ChannelId"]
            .as_str()
            .is_some_and(|c| c.starts_with("dts-channel-"))
    );
    let err = emu.err(
        3.0,
        "ActivateSubscribe",
        json!({ "SubscribeId": ids[0], "InstanceId": "cdb-other", "SubscribeObjectType": 0 }),
    );
    assert_code(&err, "OperationDenied");

    // Modify.
    emu.ok(
        4.0,
        "ModifySubscribeObjects",
        json!({
            "SubscribeId": ids[0],
            "SubscribeObjectType": 3,
            "Objects": [{ "ObjectsType": 0, "DatabaseName": "shop" }],
        }),
    );
    emu.ok(
        4.0,
        "ModifySubscribeName",
        json!({ "SubscribeId": ids[0], "SubscribeName": "renamed" }),
    );
    let err = emu.err(
        4.0,
        "ModifySubscribeName",
        json!({ "SubscribeId": ids[0], "SubscribeName": "" }),
    );
    assert_code(&err, "InvalidParameterValue.InvalidParameterValueError");
    let an_hour_ago = cloud_datetime(UNIX0 + 4 - 3600);
    emu.ok(
        4.0,
        "ModifySubscribeConsumeTime",
        json!({ "SubscribeId": ids[0], "ConsumeStartTime": an_hour_ago }),
    );
    let two_days_ago = cloud_datetime(UNIX0 - 2 * 86_400);
    let err = emu.err(
        4.0,
        "ModifySubscribeConsumeTime",
        json!({ "SubscribeId": ids[0], "ConsumeStartTime": two_days_ago }),
    );
    assert_code(&err, "InvalidParameter");
    emu.ok(
        4.0,
        "ModifySubscribeVipVport",
        json!({ "SubscribeId": ids[0], "DstIp": "10.0.0.37", "DstPort": 10086 }),
    );
    let err = emu.err(
        4.0,
        "ModifySubscribeVipVport",
        json!({ "SubscribeId": ids[0] }),
    );
    assert_code(&err, "InvalidParameter");
    let err = emu.err(
        4.0,
        "ModifySubscribeVipVport",
        json!({ "SubscribeId": ids[0], "DstPort": 80 }),
    );
    assert_code(&err, "InvalidParameter");
    emu.ok(
        4.0,
        "ModifySubscribeAutoRenewFlag",
        json!({ "SubscribeId": ids[0], "AutoRenewFlag": 1 }),
    );
    let changed = conf(5.0, &ids[0]);
    assert_eq!(changed["SubscribeName"], "renamed");
    assert_eq!(changed["SubscribeObjectType"], 3);
    assert_eq!(
        changed["SubscribeObjects"],
        json!([{ "ObjectsType": 0, "DatabaseName": "shop" }])
    );
    assert_eq!(changed["ConsumeStartTime"], json!(an_hour_ago));
    assert_eq!(changed["Vip"], "10.0.0.37");
    assert_eq!(changed["Vport"], 10086);
    assert_eq!(
        changed["AutoRenewFlag"], 0,
        "pay-as-you-go instances do not renew"
    );
    assert_eq!(changed["ModifyTime"], cloud_datetime(UNIX0 + 4));

    // Reset, then activate again.
    emu.ok(6.0, "ResetSubscribe", json!({ "SubscribeId": ids[0] }));
    assert_eq!(conf(6.0, &ids[0])["SubsStatus"], "unconfigure");
    assert_eq!(conf(6.0, &ids[0])["SubscribeObjects"], json!([]));
    emu.ok(
        6.0,
        "ActivateSubscribe",
        json!({ "SubscribeId": ids[0], "InstanceId": "cdb-other", "SubscribeObjectType": 0 }),
    );

    // Retire: offline needs isolation first.
    let err = emu.err(
        7.0,
        "OfflineIsolatedSubscribe",
        json!({ "SubscribeId": ids[0] }),
    );
    assert_code(&err, "FailedOperation.StatusInConflict");
    emu.ok(7.0, "IsolateSubscribe", json!({ "SubscribeId": ids[0] }));
    let isolated = conf(7.0, &ids[0]);
    assert_eq!(isolated["Status"], "isolated");
    assert_eq!(isolated["IsolateTime"], cloud_datetime(UNIX0 + 7));
    let err = emu.err(7.0, "IsolateSubscribe", json!({ "SubscribeId": ids[0] }));
    assert_code(&err, "UnsupportedOperation");
    let err = emu.err(7.0, "ResetSubscribe", json!({ "SubscribeId": ids[0] }));
    assert_code(&err, "FailedOperation.StatusInConflict");
    emu.ok(
        8.0,
        "OfflineIsolatedSubscribe",
        json!({ "SubscribeId": ids[0] }),
    );
    let offline = conf(8.0, &ids[0]);
    assert_eq!(offline["Status"], "offline");
    assert_eq!(offline["OfflineTime"], cloud_datetime(UNIX0 + 8));
    let err = emu.err(
        8.0,
        "OfflineIsolatedSubscribe",
        json!({ "SubscribeId": ids[0] }),
    );
    assert_code(&err, "FailedOperation.StatusInConflict");
}

#[test]
fn describe_subscribes_filters_and_pages() {
    let emu = Emu::new();
    let mut ids = Vec::new();
    for (index, name) in ["alpha", "beta", "gamma"].into_iter().enumerate() {
        let created = emu.ok(
            index as f64,
            "CreateSubscribe",
            json!({
                "Product": "mysql",
                "PayType": if index == 2 { 0 } else { 1 },
                "Duration": 12,
                "Name": name,
                "Tags": [{ "TagKey": "env", "TagValue": if index == 0 { "prod" } else { "test" } }],
            }),
        );
        ids.push(created["SubscribeIds"][0].as_str().expect("id").to_owned());
    }
    emu.ok(
        5.0,
        "ActivateSubscribe",
        json!({ "SubscribeId": ids[1], "InstanceId": "cdb-24ifcx43", "SubscribeObjectType": 0 }),
    );
    emu.ok(5.0, "IsolateSubscribe", json!({ "SubscribeId": ids[0] }));
    let list = |params: Value| emu.ok(6.0, "DescribeSubscribes", params);
    let names = |answer: &Answer| -> Vec<String> {
        answer["Items"]
            .as_array()
            .expect("Items")
            .iter()
            .map(|item| item["SubscribeName"].as_str().expect("name").to_owned())
            .collect()
    };
    let all = list(json!({}));
    assert_eq!(all["TotalCount"], 3);
    assert_eq!(names(&all), ["gamma", "beta", "alpha"]);
    assert_eq!(
        names(&list(json!({ "OrderDirection": "ASC" }))),
        ["alpha", "beta", "gamma"]
    );
    let page = list(json!({ "Offset": 1, "Limit": 1 }));
    assert_eq!(
        (page["TotalCount"].clone(), names(&page)),
        (json!(3), vec!["beta".to_owned()])
    );
    assert_eq!(names(&list(json!({ "SubscribeId": ids[2] }))), ["gamma"]);
    assert_eq!(names(&list(json!({ "SubscribeName": "ph" }))), ["alpha"]);
    assert_eq!(
        names(&list(json!({ "InstanceId": "cdb-24ifcx43" }))),
        ["beta"]
    );
    assert_eq!(names(&list(json!({ "PayType": "0" }))), ["gamma"]);
    assert_eq!(names(&list(json!({ "Status": ["isolated"] }))), ["alpha"]);
    assert_eq!(
        names(&list(json!({ "SubsStatus": ["configured"] }))),
        ["beta"]
    );
    assert_eq!(
        list(json!({ "SubsStatus": ["unconfigure"] }))["TotalCount"],
        2
    );
    assert_eq!(
        list(json!({ "Product": "mysql", "SubscribeVersion": "txdts" }))["TotalCount"],
        3
    );
    assert_eq!(
        list(json!({ "SubscribeVersion": "kafka" }))["TotalCount"],
        0
    );
    let prod = list(json!({ "TagFilters": [{ "TagKey": "env", "TagValue": ["prod"] }] }));
    assert_eq!(names(&prod), ["alpha"]);
    let channel = emu.ok(
        6.0,
        "DescribeSubscribeConf",
        json!({ "SubscribeId": ids[1] }),
    )["ChannelId"]
        .clone();
    assert_eq!(names(&list(json!({ "ChannelId": channel }))), ["beta"]);
    for params in [
        json!({ "Limit": 0 }),
        json!({ "Offset": -1 }),
        json!({ "OrderDirection": "X" }),
    ] {
        let err = emu.err(6.0, "DescribeSubscribes", params);
        assert_code(&err, "InvalidParameterValue.InvalidParameterValueError");
    }

    // The prepaid one expires after its months, renews if asked, and cannot be isolated.
    let gamma = emu.ok(
        6.0,
        "DescribeSubscribeConf",
        json!({ "SubscribeId": ids[2] }),
    );
    assert_eq!(
        gamma["ExpireTime"],
        cloud_datetime(UNIX0 + 2 + 12 * 30 * 86_400)
    );
    emu.ok(
        6.0,
        "ModifySubscribeAutoRenewFlag",
        json!({ "SubscribeId": ids[2], "AutoRenewFlag": 1 }),
    );
    let gamma = emu.ok(
        6.0,
        "DescribeSubscribeConf",
        json!({ "SubscribeId": ids[2] }),
    );
    assert_eq!(gamma["AutoRenewFlag"], 1);
    let err = emu.err(6.0, "IsolateSubscribe", json!({ "SubscribeId": ids[2] }));
    assert_code(&err, "UnsupportedOperation");
}

#[test]
fn create_subscribe_checks_its_settings() {
    let emu = Emu::new();
    for params in [
        json!({ "Product": "redis", "PayType": 1 }),
        json!({ "Product": "mysql", "PayType": 2 }),
        json!({ "Product": "mysql", "PayType": 0 }),
        json!({ "Product": "mysql", "PayType": 0, "Duration": 121 }),
        json!({ "Product": "mysql", "PayType": 1, "Count": 11 }),
        json!({ "Product": "mysql", "PayType": 1, "Count": 0 }),
    ] {
        let err = emu.err(0.0, "CreateSubscribe", params);
        assert_code(&err, "InvalidParameter");
    }
    assert_eq!(
        emu.ok(0.0, "DescribeSubscribes", json!({}))["TotalCount"],
        0
    );
}
