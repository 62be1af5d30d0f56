//! `tencentcloud-bench`: the measurements behind `cargo xtask bench`.
//!
//! Each subcommand measures one thing and prints one JSON line on stdout; the orchestrator
//! (`xtask/src/bench.rs`) starts the emulator, runs the subcommands and the Python peers, and
//! writes the table. Always build it with `--release`.

mod calls;
mod codegen;
mod sign;
mod stats;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;
use std::str::FromStr;
use std::time::Duration;

use serde_json::Value;

const USAGE: &str = "\
usage: tencentcloud-bench <subcommand> [options]    (each prints one JSON line)

  sign --iterations N [--batches B]
      nanoseconds to sign a DescribeMigrateCheckJob request: with a cached key, with building
      the request and its headers, with the key derived each time, and the bare SHA-256 and
      HMAC-SHA256 work of one signature
  setup --url U --secret-id I --secret-key K [--jobs N]
      creates N migration jobs (100 by default, at most 100), the first with a check, and checks
      that DescribeMigrateJobs lists them all; prints the first job's id
  calls --url U --secret-id I --secret-key K --concurrency C
        (--duration SECONDS | --calls N) --client sdk|reqwest [--warmup-calls W]
        [--runtime multi-thread|current-thread]
        [--action DescribeMigrateCheckJob --job-id J | --action DescribeMigrateJobs [--limit L]]
      the action (DescribeMigrateCheckJob by default) in a loop on C tasks: calls per second,
      p50 and p99 latency, and this process's CPU time per call; on a multi-thread tokio
      runtime with a worker per core unless --runtime current-thread (one thread, as Node.js
      runs its event loop)
  memory --url U --secret-id I --secret-key K --job-id J --calls N
      N calls on 16 tasks with the SDK; the process's RSS after each tenth of them
  codegen --shared DIR [--specs DIR] [--runs R]
      milliseconds to generate every spec, and to import and generate both reference
      tccli descriptions in DIR/reference";

/// What a subcommand fails with; `main` prints it and exits with a failure.
pub type BenchResult<T> = Result<T, Box<dyn std::error::Error>>;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args
        .first()
        .is_some_and(|arg| matches!(arg.as_str(), "help" | "--help" | "-h"))
    {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    match run(&args) {
        Ok(line) => {
            println!("{line}");
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("tencentcloud-bench: {err}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &[String]) -> BenchResult<Value> {
    let Some((command, rest)) = args.split_first() else {
        return Err(USAGE.into());
    };
    match command.as_str() {
        "sign" => {
            let flags = Flags::parse(rest, &["iterations", "batches"])?;
            sign::run(
                flags.required("iterations")?,
                flags.optional("batches")?.unwrap_or(15),
            )
        }
        "setup" => {
            let flags = Flags::parse(rest, &["url", "secret-id", "secret-key", "jobs"])?;
            let target = calls::Target::from_flags(&flags)?;
            let jobs = flags.optional("jobs")?.unwrap_or(calls::MAX_JOBS);
            runtime()?.block_on(calls::setup(&target, jobs))
        }
        "calls" => {
            let flags = Flags::parse(
                rest,
                &[
                    "url",
                    "secret-id",
                    "secret-key",
                    "action",
                    "job-id",
                    "limit",
                    "concurrency",
                    "duration",
                    "calls",
                    "client",
                    "warmup-calls",
                    "runtime",
                ],
            )?;
            let target = calls::Target::from_flags(&flags)?;
            let action = calls::Action::from_flags(&flags)?;
            let budget = match (flags.optional::<f64>("duration")?, flags.optional("calls")?) {
                (Some(seconds), None) if seconds > 0.0 && seconds.is_finite() => {
                    calls::Budget::For(Duration::from_secs_f64(seconds))
                }
                (None, Some(calls)) if calls > 0 => calls::Budget::Calls(calls),
                _ => return Err("give one of --duration SECONDS or --calls N, above 0".into()),
            };
            let client: String = flags.required("client")?;
            let options = calls::LoadOptions {
                concurrency: positive(flags.required("concurrency")?, "--concurrency")?,
                budget,
                warmup_calls: flags.optional("warmup-calls")?.unwrap_or(200),
            };
            let runtime = match flags.optional::<String>("runtime")?.as_deref() {
                None | Some("multi-thread") => runtime()?,
                Some("current-thread") => tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()?,
                Some(other) => {
                    return Err(
                        format!("--runtime {other}: use multi-thread or current-thread").into(),
                    );
                }
            };
            runtime.block_on(calls::measure(&target, &action, &client, &options))
        }
        "memory" => {
            let flags = Flags::parse(rest, &["url", "secret-id", "secret-key", "job-id", "calls"])?;
            let target = calls::Target::from_flags(&flags)?;
            let job_id: String = flags.required("job-id")?;
            let calls = positive(flags.required("calls")?, "--calls")?;
            runtime()?.block_on(calls::memory(&target, &job_id, calls))
        }
        "codegen" => {
            let flags = Flags::parse(rest, &["shared", "specs", "runs"])?;
            let specs = flags
                .optional::<PathBuf>("specs")?
                .unwrap_or_else(codegen::default_specs);
            codegen::run(
                &flags.required::<PathBuf>("shared")?,
                &specs,
                positive(flags.optional("runs")?.unwrap_or(5), "--runs")?,
            )
        }
        other => Err(format!("unknown subcommand `{other}`\n\n{USAGE}").into()),
    }
}

/// A multi-thread runtime with a worker per available core, as a server would run the SDK.
fn runtime() -> BenchResult<tokio::runtime::Runtime> {
    let workers = std::thread::available_parallelism().map_or(1, usize::from);
    Ok(tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
        .enable_all()
        .build()?)
}

fn positive<T: PartialOrd + Default>(value: T, flag: &str) -> BenchResult<T> {
    if value > T::default() {
        Ok(value)
    } else {
        Err(format!("{flag} must be above 0").into())
    }
}

/// `--name value` pairs, each name among those a subcommand accepts.
struct Flags {
    values: BTreeMap<String, String>,
}

impl Flags {
    fn parse(args: &[String], known: &[&str]) -> BenchResult<Self> {
        let mut values = BTreeMap::new();
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            let name = arg
                .strip_prefix("--")
                .filter(|name| known.contains(name))
                .ok_or_else(|| format!("unknown argument `{arg}`\n\n{USAGE}"))?;
            let value = args.next().ok_or_else(|| format!("{arg} needs a value"))?;
            values.insert(name.to_owned(), value.clone());
        }
        Ok(Self { values })
    }

    fn optional<T: FromStr>(&self, name: &str) -> BenchResult<Option<T>> {
        self.values
            .get(name)
            .map(|text| {
                text.parse()
                    .map_err(|_| format!("--{name} {text}: not a valid value").into())
            })
            .transpose()
    }

    fn required<T: FromStr>(&self, name: &str) -> BenchResult<T> {
        self.optional(name)?
            .ok_or_else(|| format!("--{name} is required").into())
    }
}
