//! Tests of the DTS backend, driving [`Dts::call`] directly with a clock moved by hand.
//!
//! This module holds the harness; the tests are grouped by resource in its submodules, and
//! `shapes` checks every kind of answer against the SDK's generated response types.

mod jobs;
mod shapes;
mod subscriptions;

use std::collections::HashSet;
use std::time::{Duration, Instant};

use serde_json::{Map, Value, json};

use super::params::{parse_cloud_datetime, without_nulls};
use super::*;
use crate::backend::cloud_datetime;

/// 2025-11-28 00:00:00 in Beijing: the wall clock at the start of every test.
const UNIX0: u64 = 1_764_259_200;
const ACCOUNT: &str = "AKID-alice";
const REGION: &str = "ap-guangzhou";

/// Checks take 10 s and migrations 20 s, so stopping and completing take 2 s.
fn settings(checks: CheckPolicy) -> DtsSettings {
    DtsSettings {
        check_duration: Duration::from_secs(10),
        migration_duration: Duration::from_secs(20),
        checks,
    }
}

/// A backend and the instant its clock starts at.
struct Emu {
    dts: Dts,
    t0: Instant,
}

impl Emu {
    fn new() -> Self {
        Self::with(CheckPolicy::ByJobName)
    }

    fn with(checks: CheckPolicy) -> Self {
        Self {
            dts: Dts::new(settings(checks)),
            t0: Instant::now(),
        }
    }

    /// Calls `action` `at` seconds after the start, as `account` in `region`.
    fn call_as(
        &self,
        account: &str,
        region: &str,
        at: f64,
        action: &str,
        params: Value,
    ) -> Result<Answer, ApiError> {
        let Value::Object(params) = params else {
            panic!("parameters must be an object");
        };
        let elapsed = Duration::from_secs_f64(at);
        let call = Call {
            action,
            params: &params,
            region,
            account,
            now: self.t0 + elapsed,
            unix_time: UNIX0 + elapsed.as_secs(),
        };
        self.dts.call(&call).expect("every DTS action is handled")
    }

    fn call(&self, at: f64, action: &str, params: Value) -> Result<Answer, ApiError> {
        self.call_as(ACCOUNT, REGION, at, action, params)
    }

    fn ok(&self, at: f64, action: &str, params: Value) -> Answer {
        self.call(at, action, params)
            .unwrap_or_else(|err| panic!("{action} at {at}s failed: {err:?}"))
    }

    fn err(&self, at: f64, action: &str, params: Value) -> ApiError {
        match self.call(at, action, params) {
            Ok(answer) => panic!("{action} at {at}s succeeded: {answer:?}"),
            Err(err) => err,
        }
    }

    /// Creates a job and answers its id.
    fn create_job(&self, at: f64, params: Value) -> String {
        let answer = self.ok(at, "CreateMigrateJob", params);
        answer["JobId"].as_str().expect("JobId").to_owned()
    }

    /// The job as DescribeMigrateJobs lists it.
    fn job(&self, at: f64, id: &str) -> Value {
        let answer = self.ok(at, "DescribeMigrateJobs", json!({ "JobId": id }));
        assert_eq!(answer["TotalCount"], 1, "{answer:?}");
        answer["JobList"][0].clone()
    }

    fn status(&self, at: f64, id: &str) -> i64 {
        self.job(at, id)["Status"].as_i64().expect("Status")
    }

    fn check_report(&self, at: f64, id: &str) -> Answer {
        self.ok(at, "DescribeMigrateCheckJob", json!({ "JobId": id }))
    }

    /// Creates a job of `migrate_type`, checks it (passing) and starts it 10 s later, at
    /// `at + 10`. Answers its id.
    fn started_job(&self, at: f64, migrate_type: i64) -> String {
        let id = self.create_job(at, job_params("orders", migrate_type));
        self.ok(at, "CreateMigrateCheckJob", json!({ "JobId": id }));
        self.ok(at + 10.0, "StartMigrateJob", json!({ "JobId": id }));
        id
    }
}

/// CreateMigrateJob parameters for a MySQL job called `name`.
fn job_params(name: &str, migrate_type: i64) -> Value {
    json!({
        "JobName": name,
        "MigrateOption": {
            "RunMode": 1,
            "MigrateType": migrate_type,
            "MigrateObject": 1,
            "ConsistencyType": 5,
            "IsOverrideRoot": 0,
        },
        "SrcDatabaseType": "mysql",
        "SrcAccessType": "extranet",
        "SrcInfo": {
            "Ip": "203.0.113.10",
            "Port": 3306,
            "User": "dts",
            "Password": "source-secret",
            "Region": "ap-guangzhou",
        },
        "DstDatabaseType": "mysql",
        "DstAccessType": "cdb",
        "DstInfo": {
            "Region": "ap-guangzhou",
            "InstanceId": "cdb-l78e0nbv",
            "User": "root",
            "Password": "target-secret",
        },
        "Tags": [{ "TagKey": "team", "TagValue": "data" }],
    })
}

fn progress(value: &Value) -> u64 {
    value
        .as_str()
        .and_then(|text| text.parse().ok())
        .unwrap_or_else(|| panic!("not a percentage: {value}"))
}

fn assert_code(err: &ApiError, code: &str) {
    assert_eq!(err.code, code, "{err:?}");
    assert!(!err.message.is_empty());
}

/// Polls the check every quarter second from `from` to `to`, checking that it goes
/// starting, running, finished in that order with a progress that never falls, and that the
/// job is checking (3) until the check is over. Answers the final report.
fn watch_check(emu: &Emu, id: &str, from: f64, to: f64) -> Answer {
    let order = ["starting", "running", "finished"];
    let mut last_stage = 0;
    let mut last_progress = 0;
    let mut seen = HashSet::new();
    let mut at = from;
    let mut report = Answer::new();
    while at <= to {
        report = emu.check_report(at, id);
        let status = report["Status"].as_str().expect("Status");
        let stage = order
            .iter()
            .position(|known| *known == status)
            .unwrap_or_else(|| panic!("unexpected check status {status}"));
        assert!(stage >= last_stage, "{status} after {}", order[last_stage]);
        let now = progress(&report["Progress"]);
        assert!(
            now >= last_progress,
            "progress fell from {last_progress} to {now}"
        );
        match status {
            "starting" => assert_eq!(now, 0),
            "running" => assert!((1..=99).contains(&now), "{now}"),
            _ => assert_eq!(now, 100),
        }
        if status != "finished" {
            assert_eq!(report["CheckFlag"], 3);
            assert_eq!(report["ErrorCode"], 0);
            assert_eq!(report["ErrorMessage"], "");
            assert_eq!(emu.status(at, id), 3);
        }
        seen.insert(status.to_owned());
        last_stage = stage;
        last_progress = now;
        at += 0.25;
    }
    assert_eq!(seen.len(), 3, "saw only {seen:?}");
    report
}

#[test]
fn a_poisoned_lock_is_recovered() {
    let emu = Emu::new();
    let id = emu.create_job(0.0, job_params("orders", 2));
    let panicked = std::thread::scope(|scope| {
        scope
            .spawn(|| {
                let _state = emu.dts.lock();
                panic!("a panic while holding the state");
            })
            .join()
            .is_err()
    });
    assert!(panicked);
    assert!(emu.dts.state.is_poisoned());
    assert_eq!(emu.status(1.0, &id), 1);
}

#[test]
fn unknown_actions_are_left_to_the_server() {
    let dts = Dts::default();
    let params = Map::new();
    let call = Call {
        action: "DescribeRegions",
        params: &params,
        region: REGION,
        account: ACCOUNT,
        now: Instant::now(),
        unix_time: UNIX0,
    };
    assert!(dts.call(&call).is_none());
    assert_eq!(dts.settings().check_duration, Duration::from_secs(3));
    assert_eq!(dts.settings().migration_duration, Duration::from_secs(5));
    assert_eq!(dts.settings().checks, CheckPolicy::ByJobName);
}

#[test]
fn cloud_datetimes_parse_back() {
    for unix in [0, UNIX0, UNIX0 + 86_399, 951_782_400, 4_102_444_800] {
        assert_eq!(parse_cloud_datetime(&cloud_datetime(unix)), Some(unix));
    }
    assert_eq!(
        parse_cloud_datetime("2024-02-29 12:00:00").map(cloud_datetime),
        Some("2024-02-29 12:00:00".into())
    );
    for bad in [
        "2023-02-29 00:00:00",
        "2025-13-01 00:00:00",
        "2025-11-28 24:00:00",
        "2025-11-28T00:00:00",
        "2025-11-28 00:00",
        "1970-01-01 07:59:59",
        "0000-00-00 00:00:00",
        "２025-11-28 00:00:0",
    ] {
        assert_eq!(parse_cloud_datetime(bad), None, "{bad}");
    }
}
