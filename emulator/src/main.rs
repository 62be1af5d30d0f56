//! `tencentcloud-emulator`: serves the emulator until it is killed. The first line of stdout is
//! the URL to send requests to.

use std::io::Write as _;
use std::net::SocketAddr;
use std::process::ExitCode;

use tencentcloud_emulator::{CheckPolicy, Emulator, Faults, RateLimits, Script, parse_duration};
use tencentcloud_sdk::Credentials;

const HELP: &str = "\
tencentcloud-emulator: a local Tencent Cloud API 3.0 endpoint for tests

usage: tencentcloud-emulator --secret-id ID --secret-key KEY [options]

The first line printed is the URL to send requests to. It serves until killed.

credentials (give one pair or more; each secret id is its own account):
  --secret-id ID --secret-key KEY   accept requests signed with this pair
  --token TOKEN                     the pair before it is temporary: requests must carry TOKEN

options:
  --addr HOST:PORT          where to listen [127.0.0.1:0, a free port on loopback]
  --check-duration D        how long a DTS migration check takes, e.g. 500ms or 3s [3s]
  --migration-duration D    how long a started DTS migration runs [5s]
  --checks POLICY           by-name: checks of jobs whose name contains \"fail-check\" fail;
                            pass: all pass; fail: all fail [by-name]
  --rate-limits LIMIT       spec: each action's documented limit per secret id; off; or a
                            number of requests per second for every action [spec]
  --default-rate-limit N    with spec, the limit per second of actions whose spec documents
                            none [20, the cloud's common default]
  --fault KIND=FRACTION     inject a fault into that fraction of requests; KIND is 502, 503,
                            internal-error, limit, drop, drop-after or delay:<N>ms; repeatable
  --fault-seed N            repeat the same sequence of faults from run to run
  --fault-actions A,B       inject faults only into these actions
  --clock-offset SECONDS    run the emulator's clock this far ahead of real time (behind it
                            when negative, e.g. -3600); it governs the 300 s signature window,
                            the dates in answers and every answer's Date header [0]
  --default-service NAME    the service (e.g. dts) of requests whose credential scope and Host
                            name none it serves, as SDKs sign `127` for 127.0.0.1:PORT
  --header-timeout D        how long a client may take to send a request's head, and stay
                            idle between requests, before its connection closes [10s]
  --body-timeout D          how long a client may take to send a request's body (a late one
                            is answered 408 and its connection closed), or leave an answer
                            unread [10s]
  --max-connections N       connections served at once; more are answered 503 and closed [512]
  --spec FILE               also serve this spec (its actions answer with their examples, or
                            answers made up from their outputs)
  --answers FILE            answer chosen actions as this JSON file says, after every check:
                            {\"cvm\": {\"DescribeInstances\": {\"TotalCount\": 0, \"InstanceSet\": []},
                                     \"RunInstances\": [{\"Error\": {\"Code\": \"..\", \"Message\": \"..\"}},
                                                      {\"InstanceIdSet\": [\"ins-1\"]}]}}
                            (a list answers in turn, then as if unscripted; {\"Events\": [..]}
                            answers a stream of those answers, as text/event-stream)
  --log                     print a line per request on stderr
  -h, --help                show this text
";

fn main() -> ExitCode {
    let builder = match parse(std::env::args().skip(1)) {
        Ok(Some(builder)) => builder,
        Ok(None) => {
            print!("{HELP}");
            return ExitCode::SUCCESS;
        }
        Err(err) => {
            eprintln!("tencentcloud-emulator: {err}\n(see --help)");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("tencentcloud-emulator: cannot start the runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async move {
        let emulator = match builder.start().await {
            Ok(emulator) => emulator,
            Err(err) => {
                eprintln!("tencentcloud-emulator: {err}");
                return ExitCode::FAILURE;
            }
        };
        let mut stdout = std::io::stdout();
        if writeln!(stdout, "{}", emulator.url())
            .and_then(|()| stdout.flush())
            .is_err()
        {
            return ExitCode::FAILURE;
        }
        tokio::select! {
            () = emulator.serve_forever() => ExitCode::FAILURE,
            _ = tokio::signal::ctrl_c() => ExitCode::SUCCESS,
        }
    })
}

/// Reads the command line; `None` asks for the help text.
fn parse(
    mut args: impl Iterator<Item = String>,
) -> Result<Option<tencentcloud_emulator::Builder>, String> {
    let mut builder = Emulator::builder();
    let mut pairs: Vec<Credentials> = Vec::new();
    let mut pending_id: Option<String> = None;
    let mut faults = Faults::none();
    let mut rate_limits = RateLimits::FromSpec;
    let mut default_rate_limit: Option<u32> = None;
    while let Some(flag) = args.next() {
        if flag == "-h" || flag == "--help" {
            return Ok(None);
        }
        let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--secret-id" => {
                if let Some(id) = pending_id.replace(value()?) {
                    return Err(format!("--secret-id {id} has no --secret-key"));
                }
            }
            "--secret-key" => {
                let id = pending_id
                    .take()
                    .ok_or("--secret-key must follow its --secret-id")?;
                pairs.push(Credentials::new(id, value()?));
            }
            "--token" => {
                let last = pairs
                    .pop()
                    .ok_or("--token must follow a --secret-id/--secret-key pair")?;
                pairs.push(last.with_token(value()?));
            }
            "--addr" => {
                let text = value()?;
                let addr: SocketAddr = text
                    .parse()
                    .map_err(|_| format!("--addr {text}: not HOST:PORT"))?;
                builder = builder.addr(addr);
            }
            "--check-duration" => builder = builder.check_duration(parse_duration(&value()?)?),
            "--migration-duration" => {
                builder = builder.migration_duration(parse_duration(&value()?)?)
            }
            "--checks" => {
                builder = builder.checks(match value()?.as_str() {
                    "by-name" => CheckPolicy::ByJobName,
                    "pass" => CheckPolicy::PassAll,
                    "fail" => CheckPolicy::FailAll,
                    other => return Err(format!("--checks {other}: use by-name, pass or fail")),
                });
            }
            "--rate-limits" => {
                rate_limits = match value()?.as_str() {
                    "spec" => RateLimits::FromSpec,
                    "off" => RateLimits::Off,
                    number => match number.parse() {
                        Ok(limit) if limit > 0 => RateLimits::PerSecond(limit),
                        _ => {
                            return Err(format!(
                                "--rate-limits {number}: use spec, off or a positive number"
                            ));
                        }
                    },
                };
            }
            "--default-rate-limit" => {
                let text = value()?;
                match text.parse() {
                    Ok(limit) if limit > 0 => default_rate_limit = Some(limit),
                    _ => {
                        return Err(format!(
                            "--default-rate-limit {text}: not a positive number"
                        ));
                    }
                }
            }
            "--header-timeout" => builder = builder.header_timeout(parse_duration(&value()?)?),
            "--body-timeout" => builder = builder.body_timeout(parse_duration(&value()?)?),
            "--max-connections" => {
                let text = value()?;
                match text.parse() {
                    Ok(max) if max > 0 => builder = builder.max_connections(max),
                    _ => return Err(format!("--max-connections {text}: not a positive number")),
                }
            }
            "--fault" => {
                let (fault, fraction) = Faults::parse_rule(&value()?)?;
                faults = faults.with(fault, fraction);
            }
            "--fault-seed" => {
                let text = value()?;
                let seed = text
                    .parse()
                    .map_err(|_| format!("--fault-seed {text}: not a number"))?;
                faults = faults.seed(seed);
            }
            "--fault-actions" => {
                faults = faults.only_actions(value()?.split(',').map(str::trim));
            }
            "--clock-offset" => {
                let text = value()?;
                let seconds = text
                    .parse()
                    .map_err(|_| format!("--clock-offset {text}: not a whole number of seconds"))?;
                builder = builder.clock_offset(seconds);
            }
            "--spec" => {
                let path = value()?;
                let text = std::fs::read_to_string(&path)
                    .map_err(|err| format!("--spec {path}: {err}"))?;
                builder = builder.spec(path, text);
            }
            "--answers" => {
                let path = value()?;
                let text = std::fs::read_to_string(&path)
                    .map_err(|err| format!("--answers {path}: {err}"))?;
                let scripts =
                    Script::parse_file(&text).map_err(|err| format!("--answers {path}: {err}"))?;
                for (service, action, script) in scripts {
                    builder = builder.script(service, action, script);
                }
            }
            "--default-service" => builder = builder.default_service(value()?),
            "--log" => builder = builder.log_requests(true),
            other => return Err(format!("unknown option `{other}`")),
        }
    }
    if let Some(id) = pending_id {
        return Err(format!("--secret-id {id} has no --secret-key"));
    }
    if pairs.is_empty() {
        return Err("give at least one --secret-id ID --secret-key KEY pair".into());
    }
    for pair in pairs {
        builder = builder.credentials(pair);
    }
    builder = builder.rate_limits(match (rate_limits, default_rate_limit) {
        (RateLimits::FromSpec, Some(default)) => RateLimits::FromSpecOr(default),
        (_, Some(_)) => return Err("--default-rate-limit goes with --rate-limits spec".into()),
        (limits, None) => limits,
    });
    Ok(Some(builder.faults(faults)))
}
