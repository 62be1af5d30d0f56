//! The quickstart: create a DTS migration job, check it, wait for the verdict with a progress
//! bar, and say what to do next.
//!
//! With no arguments it needs nothing: it starts the emulator in this process on loopback and
//! uses the key pair the emulator made up. `--endpoint URL` sends the same calls to another
//! endpoint (a standalone `tencentcloud-emulator`, say), and `--cloud` to the real API; both take
//! their credentials from the SDK's default chain: the `TENCENTCLOUD_SECRET_ID`,
//! `TENCENTCLOUD_SECRET_KEY` and `TENCENTCLOUD_SESSION_TOKEN` variables, then the credentials
//! file, then the CVM instance role.

use std::process::ExitCode;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use tencentcloud_emulator::{Emulator, parse_duration};
use tencentcloud_sdk::credentials::{DefaultCredentialsChain, ProvideCredentials};
use tencentcloud_sdk::dts::v20180330::{
    AccessType, Client, DatabaseType, DstInfo, MigrateObject, MigrateOption, MigrateRunMode,
    MigrateType, SrcInfo,
};
use tencentcloud_sdk::waiters::dts::{MigrateCheckVerdict, WaitForMigrateCheckError};
use tencentcloud_sdk::{Config, Credentials};

const HELP: &str = "\
quickstart: create a DTS migration job, check it and show the verdict

usage: quickstart [options]

Without options it runs against a DTS emulator started in this process: no account, no
credentials and no network needed.

where to run:
  --endpoint URL        another endpoint, such as a tencentcloud-emulator binary
  --cloud               the real API (https://dts.tencentcloudapi.com/)
                        (both take credentials from TENCENTCLOUD_SECRET_ID,
                        TENCENTCLOUD_SECRET_KEY and TENCENTCLOUD_SESSION_TOKEN, else
                        ~/.tencentcloud/credentials, else the CVM instance role)
  --region REGION       the region of the job [ap-guangzhou]

the job:
  --job-name NAME       its name [quickstart]
  --source HOST:PORT    the MySQL server to migrate from [203.0.113.7:3306]
  --target INSTANCE     the TencentDB for MySQL instance to migrate to [cdb-quickstart]
                        (users: root; passwords from DTS_SOURCE_PASSWORD and DTS_TARGET_PASSWORD)
  --start               start the migration when the check passes

on the emulator:
  --fail                make the check fail, to see what a failure looks like
  --check-duration D    how long the emulated check takes, e.g. 500ms or 4s [4s]

  --timeout D           how long to wait for the verdict [1800s]
  -h, --help            show this text

The exit status is 0 when the check passed, 1 when it failed or could not finish, 2 for bad
arguments.
";

/// Where the calls go.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Target {
    /// An emulator started here.
    Local,
    /// A URL given with `--endpoint`.
    Endpoint(String),
    /// The real API.
    Cloud,
}

#[derive(Debug)]
struct Args {
    target: Target,
    region: String,
    job_name: String,
    source: (String, i64),
    target_instance: String,
    start: bool,
    fail: bool,
    check_duration: Duration,
    timeout: Duration,
}

fn main() -> ExitCode {
    let args = match parse(std::env::args().skip(1)) {
        Ok(Some(args)) => args,
        Ok(None) => {
            print!("{HELP}");
            return ExitCode::SUCCESS;
        }
        Err(err) => {
            eprintln!("quickstart: {err}\n(see --help)");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("quickstart: cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(args)) {
        Ok(code) => code,
        Err(Failure::Setup(err)) => {
            eprintln!("quickstart: {err}");
            ExitCode::from(2)
        }
        Err(Failure::Run(err)) => {
            eprintln!("quickstart: {err}");
            ExitCode::FAILURE
        }
    }
}

/// Why the quickstart stopped early: before any call (bad setup), or during the flow.
enum Failure {
    Setup(String),
    Run(String),
}

fn run_error(err: impl std::fmt::Display) -> Failure {
    Failure::Run(err.to_string())
}

async fn run(args: Args) -> Result<ExitCode, Failure> {
    // Kept alive until the end: dropping it stops the local emulator.
    let mut _emulator = None;
    let config = match &args.target {
        Target::Local => {
            if Credentials::from_env().is_ok() {
                println!(
                    "(Credentials found in the environment are not used: add --cloud to call the \
                     real API.)"
                );
            }
            let emulator = Emulator::builder()
                .check_duration(args.check_duration)
                .start()
                .await
                .map_err(|err| Failure::Setup(format!("cannot start the emulator: {err}")))?;
            println!(
                "Started a local DTS emulator at {} (no account or credentials needed).",
                emulator.url()
            );
            let config = emulator.sdk_config().region(&args.region);
            _emulator = Some(emulator);
            config
        }
        Target::Endpoint(url) => {
            println!("Using the endpoint {url}.");
            check_credentials().await?;
            Config::builder().endpoint(url).region(&args.region)
        }
        Target::Cloud => {
            println!("Using the real DTS API in {}.", args.region);
            check_credentials().await?;
            Config::builder().region(&args.region)
        }
    };
    let client = Client::new(
        config
            .build()
            .map_err(|err| Failure::Setup(err.to_string()))?,
    );

    let job_name = if args.fail && args.target == Target::Local {
        format!(
            "{}-{}",
            args.job_name,
            tencentcloud_emulator::FAIL_CHECK_MARKER
        )
    } else {
        args.job_name.clone()
    };
    let job_id = create_job(&client, &args, &job_name).await?;
    println!("Created migration job {job_id} ({job_name}).");

    client
        .create_migrate_check_job()
        .job_id(&job_id)
        .send()
        .await
        .map_err(run_error)?;
    println!("Created its check; waiting for the verdict.");

    // Emulated checks take seconds, so polls stay frequent; real ones take minutes.
    let max_poll = if args.target == Target::Local {
        Duration::from_secs(1)
    } else {
        Duration::from_secs(5)
    };
    let bar = progress_bar();
    let shown = bar.clone();
    let waited = client
        .wait_for_migrate_check(&job_id)
        .timeout(args.timeout)
        .poll_interval(Duration::from_millis(250))
        .max_poll_interval(max_poll)
        .on_progress(move |progress| {
            shown.set_message(progress.status().to_string());
            shown.set_position(u64::from(progress.percent()));
        })
        .await;
    bar.finish_and_clear();
    let outcome = match waited {
        Ok(outcome) => outcome,
        Err(WaitForMigrateCheckError::Timeout(timeout)) => {
            println!("No verdict yet: {timeout}.");
            println!(
                "Next: the check goes on in the service; ask again with DescribeMigrateCheckJob \
                 for {job_id}, or wait longer with --timeout."
            );
            return Ok(ExitCode::FAILURE);
        }
        Err(err) => return Err(run_error(err)),
    };

    let how = format!(
        "{} polls in {:.1} s, RequestId {}",
        outcome.polls(),
        outcome.elapsed().as_secs_f64(),
        outcome.request_id()
    );
    match outcome.verdict() {
        MigrateCheckVerdict::Passed => {
            println!("Verdict: the check passed ({how}).");
            if args.start {
                let started = client
                    .start_migrate_job()
                    .job_id(&job_id)
                    .send()
                    .await
                    .map_err(run_error)?;
                println!(
                    "Started the migration of {job_id} (RequestId {}). Watch it with \
                     DescribeMigrateJobs; it ends with CompleteMigrateJob once it is ready.",
                    started.request_id
                );
            } else {
                println!(
                    "Next: start the migration with StartMigrateJob:\n    \
                     client.start_migrate_job().job_id(\"{job_id}\").send().await?\n\
                     (or run the quickstart again with --start)."
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        MigrateCheckVerdict::Failed {
            error_code,
            error_message,
        } => {
            println!("Verdict: the check failed with ErrorCode {error_code} ({how}):");
            println!("    {error_message}");
            println!(
                "Next: fix that on the source or target database (or change the job with \
                 ModifyMigrateJob), then run CreateMigrateCheckJob for {job_id} again. The job \
                 cannot start until a check passes."
            );
            Ok(ExitCode::FAILURE)
        }
        other => {
            println!("Verdict: {other} ({how}).");
            println!("Next: run CreateMigrateCheckJob for {job_id}, then wait again.");
            Ok(ExitCode::FAILURE)
        }
    }
}

/// Creates the job: a MySQL server on the public network into a TencentDB for MySQL instance.
async fn create_job(client: &Client, args: &Args, job_name: &str) -> Result<String, Failure> {
    let (host, port) = &args.source;
    let password = |variable: &str| std::env::var(variable).unwrap_or_default();
    let build = |err: tencentcloud_sdk::BuildError| Failure::Setup(err.to_string());
    let source = SrcInfo::builder()
        .ip(host)
        .port(*port)
        .user("root")
        .password(password("DTS_SOURCE_PASSWORD"))
        .build()
        .map_err(build)?;
    let target = DstInfo::builder()
        .instance_id(&args.target_instance)
        .region(&args.region)
        .user("root")
        .password(password("DTS_TARGET_PASSWORD"))
        .build()
        .map_err(build)?;
    let option = MigrateOption::builder()
        .run_mode(MigrateRunMode::Immediate)
        .migrate_type(MigrateType::FullAndIncremental)
        .migrate_object(MigrateObject::WholeInstance)
        .build()
        .map_err(build)?;
    let job = client
        .create_migrate_job()
        .job_name(job_name)
        .migrate_option(option)
        .src_database_type(DatabaseType::Mysql)
        .src_access_type(AccessType::Extranet)
        .src_info(source)
        .dst_database_type(DatabaseType::Mysql)
        .dst_access_type(AccessType::Cdb)
        .dst_info(target)
        .send()
        .await
        .map_err(run_error)?;
    Ok(job.job_id)
}

/// Runs the default credentials chain once, so that missing credentials are reported before any
/// call, with every source it tried. The configuration then uses the same chain.
async fn check_credentials() -> Result<(), Failure> {
    DefaultCredentialsChain::new()
        .provide_credentials()
        .await
        .map(drop)
        .map_err(|err| {
            Failure::Setup(format!(
                "{err}\n--endpoint and --cloud need credentials: export TENCENTCLOUD_SECRET_ID \
                 and TENCENTCLOUD_SECRET_KEY, or write them to ~/.tencentcloud/credentials \
                 (or run without either option to use the local emulator)"
            ))
        })
}

/// A bar on stderr, drawn only when stderr is a terminal.
fn progress_bar() -> ProgressBar {
    let bar = ProgressBar::new(100);
    let style =
        ProgressStyle::with_template("{spinner} check {msg:9} [{bar:32}] {pos:>3}%  {elapsed}")
            .map(|style| style.progress_chars("=> "))
            .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    bar.set_message("starting");
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}

/// Reads the command line; `None` asks for the help text.
fn parse(mut args: impl Iterator<Item = String>) -> Result<Option<Args>, String> {
    let mut parsed = Args {
        target: Target::Local,
        region: "ap-guangzhou".into(),
        job_name: "quickstart".into(),
        source: ("203.0.113.7".into(), 3306),
        target_instance: "cdb-quickstart".into(),
        start: false,
        fail: false,
        check_duration: Duration::from_secs(4),
        timeout: Duration::from_secs(30 * 60),
    };
    let mut cloud = false;
    let mut endpoint = None;
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "-h" | "--help" => return Ok(None),
            "--endpoint" => endpoint = Some(value()?),
            "--cloud" => cloud = true,
            "--region" => parsed.region = value()?,
            "--job-name" => parsed.job_name = value()?,
            "--source" => {
                let text = value()?;
                let port = text
                    .rsplit_once(':')
                    .and_then(|(host, port)| Some((host.to_owned(), port.parse().ok()?)));
                parsed.source =
                    port.ok_or_else(|| format!("--source {text}: expected HOST:PORT"))?;
            }
            "--target" => parsed.target_instance = value()?,
            "--start" => parsed.start = true,
            "--fail" => parsed.fail = true,
            "--check-duration" => parsed.check_duration = parse_duration(&value()?)?,
            "--timeout" => parsed.timeout = parse_duration(&value()?)?,
            other => return Err(format!("unknown option `{other}`")),
        }
    }
    parsed.target = match (cloud, endpoint) {
        (false, None) => Target::Local,
        (false, Some(url)) => Target::Endpoint(url),
        (true, None) => Target::Cloud,
        (true, Some(_)) => return Err("give --cloud or --endpoint, not both".into()),
    };
    if parsed.fail && parsed.target != Target::Local {
        return Err("--fail works only on the local emulator".into());
    }
    Ok(Some(parsed))
}
