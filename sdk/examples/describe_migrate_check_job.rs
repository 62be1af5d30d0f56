//! Reports a DTS migration check: `DescribeMigrateCheckJob` against the real API or any endpoint.
//!
//! ```text
//! cargo run -p tencentcloud-sdk --example describe_migrate_check_job -- \
//!     --job-id dts-1kl0iy0v [--endpoint http://127.0.0.1:8080] [--region ap-guangzhou] [--language en-US]
//! ```
//!
//! Credentials come from `TENCENTCLOUD_SECRET_ID`, `TENCENTCLOUD_SECRET_KEY` and optionally
//! `TENCENTCLOUD_SESSION_TOKEN`. The endpoint and region may also be given as
//! `TENCENTCLOUD_ENDPOINT` and `TENCENTCLOUD_REGION`.

use std::process::ExitCode;

use tencentcloud_sdk::dts::v20180330::{Client, DescribeMigrateCheckJobError};
use tencentcloud_sdk::{Config, Credentials, Language, SdkError};

const USAGE: &str = "usage: describe_migrate_check_job --job-id ID [--endpoint URL] [--region REGION] [--language zh-CN|en-US]";

struct Args {
    job_id: String,
    endpoint: Option<String>,
    region: String,
    language: Option<Language>,
}

fn parse_args() -> Result<Args, String> {
    let mut job_id = None;
    let mut endpoint = std::env::var("TENCENTCLOUD_ENDPOINT").ok();
    let mut region =
        std::env::var("TENCENTCLOUD_REGION").unwrap_or_else(|_| "ap-guangzhou".to_owned());
    let mut language = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--job-id" => job_id = Some(value()?),
            "--endpoint" => endpoint = Some(value()?),
            "--region" => region = value()?,
            "--language" => {
                language = Some(match value()?.as_str() {
                    "zh-CN" => Language::ZhCn,
                    "en-US" => Language::EnUs,
                    other => return Err(format!("unknown language `{other}`")),
                })
            }
            "--help" | "-h" => return Err(String::new()),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(Args {
        job_id: job_id.ok_or("--job-id is required")?,
        endpoint,
        region,
        language,
    })
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
    let credentials = match Credentials::from_env() {
        Ok(credentials) => credentials,
        Err(err) => {
            eprintln!("{err}; export TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY");
            return ExitCode::from(2);
        }
    };
    let mut config = Config::builder()
        .credentials(credentials)
        .region(args.region);
    if let Some(endpoint) = args.endpoint {
        config = config.endpoint(endpoint);
    }
    if let Some(language) = args.language {
        config = config.language(language);
    }
    let client = match config.build() {
        Ok(config) => Client::new(config),
        Err(err) => {
            eprintln!("{err}");
            return ExitCode::from(2);
        }
    };

    match client
        .describe_migrate_check_job()
        .job_id(&args.job_id)
        .send()
        .await
    {
        Ok(check) => {
            println!("job:       {}", args.job_id);
            println!("status:    {}", check.status);
            match check.progress_percent() {
                Some(percent) => println!("progress:  {percent}%"),
                None => println!("progress:  {:?}", check.progress),
            }
            let verdict = if check.check_flag.is_passed() {
                "passed: start the job with StartMigrateJob"
            } else if check.check_flag.is_failed() {
                "failed: fix the problem below, then check again"
            } else if check.check_flag.is_not_checked() {
                "not checked yet"
            } else {
                "unknown verdict"
            };
            println!("verdict:   {verdict} (CheckFlag {})", check.check_flag);
            println!(
                "message:   {} (ErrorCode {})",
                check.error_message, check.error_code
            );
            println!("requestid: {}", check.request_id);
            ExitCode::SUCCESS
        }
        Err(SdkError::Service(err))
            if *err.kind() == DescribeMigrateCheckJobError::ResourceNotFoundJobNotExist =>
        {
            eprintln!(
                "no migration job {} in this region (RequestId {})",
                args.job_id,
                err.request_id()
            );
            ExitCode::FAILURE
        }
        Err(err) => {
            eprintln!("{err}");
            ExitCode::FAILURE
        }
    }
}
