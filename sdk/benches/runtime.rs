//! Benchmarks of the SDK's hot paths: serializing a request body (once per call), signing it and
//! decoding the answer (on every attempt), whatever the service.
//!
//! Run them all (about a minute and a half) with:
//!
//! ```text
//! cargo bench -p tencentcloud-sdk --bench runtime
//! ```
//!
//! Arguments after `--` go to Criterion: a filter runs only the benches whose id contains it
//! (`-- signer/`, `-- decode/service_error`), `--quick` trades precision for speed, and
//! `--save-baseline NAME` then `--baseline NAME` compare a change with the run before it. The ids
//! (`group/bench`) are kept stable so that runs stay comparable across commits.
//!
//! Every input is fixed (credentials, timestamp, bodies), so two runs measure the same work. The
//! setup of each group checks that its input takes the intended path (a decode that should succeed
//! does), so that a change in the generated types cannot turn a bench into one of a failure.

use std::hint::black_box;

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, Throughput, criterion_group, criterion_main};
use serde_json::{Value, json};

use tencentcloud_sdk::Credentials;
use tencentcloud_sdk::dts::v20180330::{
    AccessType, CreateMigrateJobRequest, DatabaseType, DescribeMigrateCheckJob,
    DescribeMigrateCheckJobRequest, DescribeMigrateJobs, DstInfo, MigrateOption, MigrateRunMode,
    MigrateType, SrcInfo,
};
use tencentcloud_sdk::runtime::decode_response;
use tencentcloud_sdk::signer::{self, SigningInput, SigningKey};

/// A secret id of the usual length (40 characters).
const SECRET_ID: &str = "AKIDbenchmarkSecretId0123456789abcdefXYZ";
/// A secret key of the usual length (32 characters).
const SECRET_KEY: &str = "benchmarkSecretKey0123456789abcd";
const _: () = assert!(SECRET_ID.len() == 40 && SECRET_KEY.len() == 32);

/// 2025-11-28 00:00:00 UTC: a fixed signing time, so every run signs the same string.
const TIMESTAMP: u64 = 1_764_288_000;

/// The body of a DescribeMigrateCheckJob request, as the SDK serializes it.
const CHECK_JOB_PAYLOAD: &[u8] = br#"{"JobId":"dts-1kl0iy0v"}"#;

/// A successful DescribeMigrateCheckJob answer (the spec's "A check that passed" example).
const CHECK_JOB_OK: &str = r#"{"Response":{"CheckFlag":1,"ErrorCode":0,"ErrorMessage":"ok","Progress":"100","RequestId":"336448b0-2a45-4be4-8356-c245eab5784f","Status":"finished"}}"#;

/// An error answer to DescribeMigrateCheckJob, with one of the action's documented codes.
const CHECK_JOB_ERROR: &str = r#"{"Response":{"Error":{"Code":"ResourceNotFound.JobNotExist","Message":"The migration job dts-1kl0iy0v does not exist."},"RequestId":"67b4cfcf-6957-48ae-b7ef-ba33209895e3"}}"#;

/// How many jobs the DescribeMigrateJobs page holds.
const JOBS_PER_PAGE: usize = 20;

/// One job of a DescribeMigrateJobs answer, from the spec's "List migration jobs" example.
const JOB_TEMPLATE: &str = r#"{
    "JobId": "dts-1kl0iy0v",
    "JobName": "userdts",
    "MigrateOption": {
        "RunMode": 1,
        "ExpectTime": "0000-00-00 00:00:00",
        "MigrateType": 2,
        "MigrateObject": 2,
        "ConsistencyType": 5,
        "IsOverrideRoot": 0,
        "ExternParams": "",
        "ConsistencyParams": {"SelectRowsPerTable": 0, "TablesSelectAll": 0, "TablesSelectCount": 0}
    },
    "SrcAccessType": "extranet",
    "SrcDatabaseType": "mysql",
    "SrcInfo": {
        "AccessKey": "", "Ip": "9.18.84.24", "Port": 10304, "User": "root", "Password": "",
        "RdsInstanceId": "", "CvmInstanceId": "", "UniqDcgId": "", "SubnetId": "",
        "UniqVpnGwId": "", "InstanceId": "", "Region": "ap-guangzhou", "VpcId": "", "CcnId": "",
        "EngineVersion": "", "Supplier": ""
    },
    "DstAccessType": "cdb",
    "DstDatabaseType": "mysql",
    "DstInfo": {
        "InstanceId": "cdb-l78e0nbv", "Ip": "", "Port": 0, "Region": "ap-shanghai",
        "ReadOnly": 0, "User": "", "Password": ""
    },
    "Tags": [{"TagKey": "Owner", "TagValue": "alice"}],
    "Detail": {
        "StepAll": 0, "StepNow": 0, "Progress": "0", "CurrentStepProgress": "0",
        "MasterSlaveDistance": 0, "SecondsBehindMaster": 0, "StepInfo": []
    },
    "Status": 1,
    "DatabaseInfo": "",
    "CreateTime": "2018-05-24 15:06:03",
    "StartTime": "0000-00-00 00:00:00",
    "EndTime": "0000-00-00 00:00:00",
    "ErrorInfo": [],
    "SrcInfoMulti": []
}"#;

/// A DescribeMigrateJobs answer holding [`JOBS_PER_PAGE`] copies of [`JOB_TEMPLATE`] with their
/// own ids, names, targets and creation times, serialized compactly as the service sends it.
fn migrate_jobs_page() -> Vec<u8> {
    let template: Value = serde_json::from_str(JOB_TEMPLATE).expect("the job template is JSON");
    let jobs: Vec<Value> = (0..JOBS_PER_PAGE)
        .map(|i| {
            let mut job = template.clone();
            job["JobId"] = json!(format!("dts-{i:02}l0iy0v"));
            job["JobName"] = json!(format!("userdts-{i:02}"));
            job["DstInfo"]["InstanceId"] = json!(format!("cdb-{i:02}8e0nbv"));
            job["CreateTime"] = json!(format!("2018-05-24 15:{i:02}:03"));
            job
        })
        .collect();
    let body = json!({
        "Response": {
            "TotalCount": 57,
            "JobList": jobs,
            "RequestId": "c032aab5-b56a-428d-9cf7-e5f324ee408b",
        }
    });
    serde_json::to_vec(&body).expect("a JSON value serializes")
}

/// A CreateMigrateJob request with the members the tests' `migrate_job_call` sets.
fn create_migrate_job_request() -> CreateMigrateJobRequest {
    CreateMigrateJobRequest::builder()
        .job_name("bench-migration")
        .migrate_option(
            MigrateOption::builder()
                .run_mode(MigrateRunMode::Immediate)
                .migrate_type(MigrateType::Full)
                .build()
                .expect("option"),
        )
        .src_database_type(DatabaseType::Mysql)
        .src_access_type(AccessType::Extranet)
        .src_info(
            SrcInfo::builder()
                .ip("203.0.113.7")
                .port(3306)
                .user("root")
                .password("source-password-for-benchmarks")
                .build()
                .expect("source"),
        )
        .dst_database_type(DatabaseType::Mysql)
        .dst_access_type(AccessType::Cdb)
        .dst_info(
            DstInfo::builder()
                .region("ap-guangzhou")
                .instance_id("cdb-e78e0nnv")
                .build()
                .expect("target"),
        )
        .build()
        .expect("every required member is set")
}

/// `signer/*`: the TC3 signature of a DescribeMigrateCheckJob request.
fn signer(c: &mut Criterion) {
    let credentials = Credentials::new(SECRET_ID, SECRET_KEY);
    let input = SigningInput {
        credentials: &credentials,
        service: "dts",
        host: "dts.tencentcloudapi.com",
        method: "POST",
        content_type: "application/json",
        canonical_query: "",
        payload: CHECK_JOB_PAYLOAD,
        timestamp: TIMESTAMP,
    };
    let date = signer::utc_date(TIMESTAMP);
    let key = SigningKey::derive(SECRET_KEY, &date, "dts");
    assert_eq!(
        signer::authorization(&input),
        signer::sign(&input).authorization
    );
    assert_eq!(
        signer::authorization_with_key(&input, &key),
        signer::authorization(&input)
    );

    let mut group = c.benchmark_group("signer");
    // What the client does on every attempt: the header value alone.
    group.bench_function("authorization", |b| {
        b.iter(|| signer::authorization(black_box(&input)))
    });
    // Every intermediate step kept, for comparison with the above.
    group.bench_function("sign_steps", |b| b.iter(|| signer::sign(black_box(&input))));
    // The chain of three HMACs that turns the secret key into the day's signing key.
    group.bench_function("derive_key", |b| {
        b.iter(|| SigningKey::derive(black_box(SECRET_KEY), black_box(&date), black_box("dts")))
    });
    // The header with that key derived beforehand: what is left per request when it is cached.
    group.bench_function("authorization_with_key", |b| {
        b.iter(|| signer::authorization_with_key(black_box(&input), black_box(&key)))
    });
    group.finish();
}

/// `serialize/*`: request bodies, as `Handle::send` serializes them once per call.
fn serialize(c: &mut Criterion) {
    let check_job = DescribeMigrateCheckJobRequest::builder()
        .job_id("dts-1kl0iy0v")
        .build()
        .expect("the job id is set");
    assert_eq!(
        serde_json::to_vec(&check_job).expect("serializes"),
        CHECK_JOB_PAYLOAD
    );
    let create_job = create_migrate_job_request();

    let mut group = c.benchmark_group("serialize");
    bench_to_vec(&mut group, "describe_migrate_check_job", &check_job);
    bench_to_vec(&mut group, "create_migrate_job", &create_job);
    group.finish();
}

/// Benches `serde_json::to_vec(request)`, counting the bytes it writes as the throughput.
fn bench_to_vec<T: serde::Serialize>(
    group: &mut BenchmarkGroup<'_, WallTime>,
    id: &str,
    request: &T,
) {
    let len = serde_json::to_vec(request).expect("serializes").len();
    group.throughput(Throughput::Bytes(len as u64));
    group.bench_function(id, |b| b.iter(|| serde_json::to_vec(black_box(request))));
}

/// `decode/*`: answers through `decode_response`, as the client decodes every body it receives.
fn decode(c: &mut Criterion) {
    let check_ok = CHECK_JOB_OK.as_bytes();
    let check = decode_response::<DescribeMigrateCheckJob>(200, check_ok)
        .expect("the check answer decodes");
    assert_eq!(check.request_id, "336448b0-2a45-4be4-8356-c245eab5784f");

    let page = migrate_jobs_page();
    let jobs = decode_response::<DescribeMigrateJobs>(200, &page).expect("the page decodes");
    assert_eq!(jobs.job_list.len(), JOBS_PER_PAGE);
    assert_eq!(jobs.job_list[JOBS_PER_PAGE - 1].job_id, "dts-19l0iy0v");

    let error = CHECK_JOB_ERROR.as_bytes();
    let failure = decode_response::<DescribeMigrateCheckJob>(200, error)
        .expect_err("the error envelope is an error");
    assert_eq!(failure.code(), Some("ResourceNotFound.JobNotExist"));

    let mut group = c.benchmark_group("decode");
    group.throughput(Throughput::Bytes(check_ok.len() as u64));
    group.bench_function("describe_migrate_check_job_ok", |b| {
        b.iter(|| decode_response::<DescribeMigrateCheckJob>(black_box(200), black_box(check_ok)))
    });
    group.throughput(Throughput::Bytes(page.len() as u64));
    group.bench_function("describe_migrate_jobs_page", |b| {
        b.iter(|| decode_response::<DescribeMigrateJobs>(black_box(200), black_box(&page)))
    });
    group.throughput(Throughput::Bytes(error.len() as u64));
    group.bench_function("service_error", |b| {
        b.iter(|| decode_response::<DescribeMigrateCheckJob>(black_box(200), black_box(error)))
    });
    group.finish();
}

criterion_group!(benches, signer, serialize, decode);
criterion_main!(benches);
