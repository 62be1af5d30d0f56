//! Walks a whole DTS migration: create the job, check it, wait for the verdict, start it.
//!
//! ```text
//! DTS_SOURCE_PASSWORD=... DTS_TARGET_PASSWORD=... \
//! cargo run -p tencentcloud-sdk --example migration_workflow -- \
//!     --source 203.0.113.7:3306 --source-user root \
//!     --target cdb-e78e0nnv --target-region ap-shanghai --target-user root \
//!     [--databases '[{"Database":"shop"}]'] [--job-name shop-move] \
//!     [--region ap-guangzhou] [--endpoint http://127.0.0.1:8080]
//! ```
//!
//! The source is a MySQL server reached over the public network; the target is a TencentDB for
//! MySQL instance. Without `--databases` the whole instance is migrated. Credentials come from
//! `TENCENTCLOUD_SECRET_ID` and `TENCENTCLOUD_SECRET_KEY` (and `TENCENTCLOUD_SESSION_TOKEN`), the
//! database passwords from `DTS_SOURCE_PASSWORD` and `DTS_TARGET_PASSWORD`, so that they stay out
//! of shell history.
//!
//! When the check fails, the job is left in place with the reason printed: fix the source or the
//! target (or change the job with ModifyMigrateJob) and run CreateMigrateCheckJob again.

use std::process::ExitCode;
use std::time::Duration;

use tencentcloud_sdk::dts::v20180330::{
    AccessType, Client, DatabaseType, DstInfo, MigrateObject, MigrateOption, MigrateRunMode,
    MigrateType, SrcInfo,
};
use tencentcloud_sdk::waiters::dts::MigrateCheckVerdict;
use tencentcloud_sdk::{Config, Credentials};

const USAGE: &str = "usage: migration_workflow --source HOST:PORT --source-user USER \
--target INSTANCE --target-region REGION --target-user USER [--databases JSON] \
[--job-name NAME] [--region REGION] [--endpoint URL] [--poll-seconds N]";

/// The first interval between polls of the check unless `--poll-seconds` says otherwise (the
/// waiter lets it grow); DescribeMigrateCheckJob allows 20 requests per second, so this is far
/// from the limit.
const DEFAULT_POLL: Duration = Duration::from_secs(3);
/// Longest wait for a check's verdict.
const CHECK_DEADLINE: Duration = Duration::from_secs(30 * 60);

struct Args {
    source_host: String,
    source_port: i64,
    source_user: String,
    target_instance: String,
    target_region: String,
    target_user: String,
    databases: Option<String>,
    job_name: String,
    region: String,
    endpoint: Option<String>,
    poll: Duration,
}

fn parse_args() -> Result<Args, String> {
    let mut source = None;
    let mut source_user = None;
    let mut target_instance = None;
    let mut target_region = None;
    let mut target_user = None;
    let mut databases = None;
    let mut job_name = "rust-sdk-migration".to_owned();
    let mut region =
        std::env::var("TENCENTCLOUD_REGION").unwrap_or_else(|_| "ap-guangzhou".to_owned());
    let mut endpoint = std::env::var("TENCENTCLOUD_ENDPOINT").ok();
    let mut poll = DEFAULT_POLL;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--source" => source = Some(value()?),
            "--source-user" => source_user = Some(value()?),
            "--target" => target_instance = Some(value()?),
            "--target-region" => target_region = Some(value()?),
            "--target-user" => target_user = Some(value()?),
            "--databases" => databases = Some(value()?),
            "--job-name" => job_name = value()?,
            "--region" => region = value()?,
            "--endpoint" => endpoint = Some(value()?),
            "--poll-seconds" => {
                let text = value()?;
                let seconds: f64 = text
                    .parse()
                    .map_err(|_| format!("--poll-seconds takes a number, not `{text}`"))?;
                poll = Duration::try_from_secs_f64(seconds)
                    .map_err(|_| format!("--poll-seconds must be positive, not `{text}`"))?;
            }
            "--help" | "-h" => return Err(String::new()),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    let source = source.ok_or("--source is required")?;
    let (host, port) = source
        .rsplit_once(':')
        .ok_or_else(|| format!("--source is HOST:PORT, not `{source}`"))?;
    let source_port = port
        .parse()
        .map_err(|_| format!("`{port}` is not a port number"))?;
    Ok(Args {
        source_host: host.to_owned(),
        source_port,
        source_user: source_user.ok_or("--source-user is required")?,
        target_instance: target_instance.ok_or("--target is required")?,
        target_region: target_region.ok_or("--target-region is required")?,
        target_user: target_user.ok_or("--target-user is required")?,
        databases,
        job_name,
        region,
        endpoint,
        poll,
    })
}

fn password(variable: &str) -> Result<String, String> {
    std::env::var(variable).map_err(|_| format!("set {variable} to the database password"))
}

fn client(args: &Args) -> Result<Client, String> {
    let credentials = Credentials::from_env().map_err(|err| {
        format!("{err}; export TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY")
    })?;
    let mut config = Config::builder()
        .credentials(credentials)
        .region(&args.region);
    if let Some(endpoint) = &args.endpoint {
        config = config.endpoint(endpoint);
    }
    let config = config.build().map_err(|err| err.to_string())?;
    Ok(Client::new(config))
}

/// Everything after argument parsing; any error ends the program with its message.
async fn run(args: Args) -> Result<ExitCode, Box<dyn std::error::Error>> {
    let client = client(&args)?;

    // 1. Create the job: where the data comes from, where it goes, and how it moves.
    let source = SrcInfo::builder()
        .ip(&args.source_host)
        .port(args.source_port)
        .user(&args.source_user)
        .password(password("DTS_SOURCE_PASSWORD")?)
        .region(&args.region)
        .build()?;
    let target = DstInfo::builder()
        .instance_id(&args.target_instance)
        .region(&args.target_region)
        .user(&args.target_user)
        .password(password("DTS_TARGET_PASSWORD")?)
        .build()?;
    let object = if args.databases.is_some() {
        MigrateObject::SelectedTables
    } else {
        MigrateObject::WholeInstance
    };
    let option = MigrateOption::builder()
        .run_mode(MigrateRunMode::Immediate)
        .migrate_type(MigrateType::FullAndIncremental)
        .migrate_object(object)
        .build()?;
    let mut create = client
        .create_migrate_job()
        .job_name(&args.job_name)
        .migrate_option(option)
        .src_database_type(DatabaseType::Mysql)
        .src_access_type(AccessType::Extranet)
        .src_info(source)
        .dst_database_type(DatabaseType::Mysql)
        .dst_access_type(AccessType::Cdb)
        .dst_info(target);
    if let Some(databases) = &args.databases {
        create = create.database_info(databases);
    }
    let job = create.send().await?;
    let job_id = job.job_id;
    println!("created job {job_id} (RequestId {})", job.request_id);

    // 2. Ask for the pre-flight check; a job cannot start without passing it.
    let check = client
        .create_migrate_check_job()
        .job_id(&job_id)
        .send()
        .await?;
    println!("check requested (RequestId {})", check.request_id);

    // 3. Wait for the verdict: the waiter polls DescribeMigrateCheckJob for us.
    let outcome = client
        .wait_for_migrate_check(&job_id)
        .poll_interval(args.poll)
        .timeout(CHECK_DEADLINE)
        .on_progress(|progress| println!("check {}: {}%", progress.status(), progress.percent()))
        .await?;

    // 4. Start the job when the check passed; otherwise say what to fix.
    match outcome.verdict() {
        MigrateCheckVerdict::Passed => {}
        MigrateCheckVerdict::Failed {
            error_code,
            error_message,
        } => {
            eprintln!("check did not pass: {error_message} (ErrorCode {error_code})");
            eprintln!(
                "fix the source or target, or change the job with ModifyMigrateJob, then run \
                 CreateMigrateCheckJob for {job_id} again"
            );
            return Ok(ExitCode::FAILURE);
        }
        other => {
            eprintln!("check {other}: run CreateMigrateCheckJob for {job_id} again");
            return Ok(ExitCode::FAILURE);
        }
    }
    let start = client.start_migrate_job().job_id(&job_id).send().await?;
    println!("started {job_id} (RequestId {})", start.request_id);

    // 5. One look at the job as the service lists it; DescribeMigrateJobs is how to watch it.
    let mut listing = client
        .describe_migrate_jobs()
        .job_id(&job_id)
        .into_paginator()
        .items();
    if let Some(job) = listing.next().await.transpose()? {
        println!(
            "job {} is now {:?} (Status {})",
            job.job_id, job.status, job.status
        );
    }
    Ok(ExitCode::SUCCESS)
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            if !message.is_empty() {
                eprintln!("{message}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(args).await {
        Ok(code) => code,
        Err(err) => {
            eprintln!("{err}");
            ExitCode::FAILURE
        }
    }
}
