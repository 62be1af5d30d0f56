//! Waiters: `--waiter` on any call, and `tencentcloud dts wait-migrate-check`.
//!
//! `--waiter '{"expr": "Status", "to": "finished", "timeout": 600, "interval": 5}'` sends the
//! call again every `interval` seconds until the JMESPath expression `expr`, read over the
//! answer (its `Response` object), gives `to`, and then prints that answer as usual. It gives
//! up after `timeout` seconds. `timeout` and `interval` default to the profile's `waiter`
//! section, else to 180 and 5 seconds, as in tccli; `interval` is never longer than `timeout`.
//!
//! Values compare as JSON values: `"to": "finished"` matches the text `finished`, `"to": 2`
//! the number 2 (or 2.0), `"to": null` a member that is absent. tccli compares Python values,
//! where a text never equals a number; here a text also matches the number or boolean it
//! spells, either way round: `"to": "2"` matches 2, and `"to": true` matches the text `true`.

use std::future::Future;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use serde_json::{Map, Number, Value, json};
use tencentcloud_sdk::dts::v20180330::{Client, DescribeMigrateCheckJobResponse};
use tencentcloud_sdk::waiters::dts::{MigrateCheckVerdict, WaitForMigrateCheckError};
use tokio::time::Instant;

use crate::args::{self, Globals};
use crate::call;
use crate::catalogue;
use crate::error::CliError;
use crate::help;
use crate::output::Output;
use crate::profile::{self, Settings};
use crate::suggest;

/// tccli's defaults, when neither `--waiter` nor the profile sets them.
const DEFAULT_TIMEOUT: f64 = 180.0;
const DEFAULT_INTERVAL: f64 = 5.0;

/// The waiter command of `dts`.
const WAIT_MIGRATE_CHECK: &str = "wait-migrate-check";

/// Whether `command` is one of the waiter commands of `service` (`dts wait-migrate-check`).
pub fn is_command(service: &str, command: &str) -> bool {
    service == "dts" && command == WAIT_MIGRATE_CHECK
}

/// Runs a waiter command: `words` follow `<service> <command>`.
pub fn run_command(service: &str, command: &str, words: &[String]) -> Result<(), CliError> {
    if !is_command(service, command) {
        return Err(CliError::usage(format!(
            "`{service}` has no command `{command}`"
        )));
    }
    wait_migrate_check(words)
}

/// What `--waiter` asks: when to stop calling again.
pub struct Spec {
    text: String,
    expr: jmespath::Expression<'static>,
    to: Value,
    timeout: Duration,
    interval: Duration,
}

impl Spec {
    /// Reads `--waiter`'s JSON, with the profile's defaults for what it leaves out.
    pub fn parse(text: &str, settings: &Settings) -> Result<Self, CliError> {
        let usage = |what: String| CliError::usage(format!("--waiter {what}"));
        let value: Value = serde_json::from_str(text)
            .map_err(|err| usage(format!("is not JSON ({err}); write it as {EXAMPLE}")))?;
        let Value::Object(mut object) = value else {
            return Err(usage(format!("must be a JSON object such as {EXAMPLE}")));
        };
        const KEYS: [&str; 4] = ["expr", "to", "timeout", "interval"];
        if let Some(key) = object.keys().find(|key| !KEYS.contains(&key.as_str())) {
            return Err(usage(format!(
                "has no `{key}`{}; it takes {}",
                suggest::did_you_mean(key, KEYS),
                KEYS.join(", ")
            )));
        }
        let expr_text = match object.remove("expr") {
            Some(Value::String(expr)) => expr,
            Some(_) => {
                return Err(usage(
                    "needs `expr` to be a JMESPath expression, as a JSON string".into(),
                ));
            }
            None => {
                return Err(usage(format!(
                    "needs `expr`, a JMESPath expression over the answer, as in {EXAMPLE}"
                )));
            }
        };
        let expr = jmespath::compile(&expr_text).map_err(|err| {
            CliError::usage(format!(
                "--waiter's `expr` is not a JMESPath expression: {}",
                one_line(&err.to_string())
            ))
        })?;
        let to = object.remove("to").ok_or_else(|| {
            usage(format!(
                "needs `to`, the value `expr` waits for, as in {EXAMPLE}"
            ))
        })?;
        let timeout = seconds(&object, "timeout", settings.waiter_timeout, DEFAULT_TIMEOUT)?;
        let interval = seconds(
            &object,
            "interval",
            settings.waiter_interval,
            DEFAULT_INTERVAL,
        )?;
        Ok(Self {
            text: expr_text,
            expr,
            to,
            timeout,
            interval: interval.min(timeout),
        })
    }

    /// The value of the expression over `answer`.
    fn value(&self, answer: &Value) -> Result<Value, CliError> {
        let found = self.expr.search(answer).map_err(|err| {
            CliError::failed(format!(
                "--waiter's `{}` cannot be read over the answer: {}",
                self.text,
                one_line(&err.to_string())
            ))
        })?;
        serde_json::to_value(&*found).map_err(|err| {
            CliError::internal(format!(
                "--waiter's `{}` gave a value that is not JSON: {err}",
                self.text
            ))
        })
    }
}

const EXAMPLE: &str = r#"{"expr": "Status", "to": "finished", "timeout": 600, "interval": 5}"#;

/// `timeout` or `interval` in seconds: from `--waiter`, else the profile, else tccli's default.
fn seconds(
    object: &Map<String, Value>,
    key: &str,
    profile: Option<f64>,
    default: f64,
) -> Result<Duration, CliError> {
    let (value, source) = match object.get(key) {
        Some(Value::Number(number)) => (number.as_f64(), "--waiter's"),
        // tccli reads numbers written as text from its profile; take them here too.
        Some(Value::String(text)) => (text.trim().parse().ok(), "--waiter's"),
        Some(_) => (None, "--waiter's"),
        None => (Some(profile.unwrap_or(default)), "the profile's waiter"),
    };
    value
        .filter(|value| value.is_finite() && *value > 0.0 && *value < 1e9)
        .map(Duration::from_secs_f64)
        .ok_or_else(|| {
            let shown = object
                .get(key)
                .map_or_else(|| profile.unwrap_or(default).to_string(), Value::to_string);
            CliError::usage(format!(
                "{source} `{key}` must be a positive number of seconds, not {shown}"
            ))
        })
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether `value` is what the waiter waits for (see the module's documentation).
fn matches(value: &Value, to: &Value) -> bool {
    match (value, to) {
        (Value::Number(a), Value::Number(b)) => same_number(a, b),
        (Value::String(text), scalar @ (Value::Number(_) | Value::Bool(_)))
        | (scalar @ (Value::Number(_) | Value::Bool(_)), Value::String(text)) => {
            match serde_json::from_str::<Value>(text) {
                Ok(Value::Number(a)) => scalar.as_number().is_some_and(|b| same_number(&a, b)),
                Ok(Value::Bool(a)) => scalar.as_bool() == Some(a),
                _ => false,
            }
        }
        _ => value == to,
    }
}

/// Integers compare exactly; a number with a fraction compares as a float (2 is 2.0).
fn same_number(a: &Number, b: &Number) -> bool {
    if a.is_f64() || b.is_f64() {
        a.as_f64() == b.as_f64()
    } else {
        a == b
    }
}

/// Calls `send` until the expression over its answer gives `to`, every `interval`, and gives
/// the answer that matched. A failed call ends the wait with its error; the timeout with an
/// error naming the expression and its last value. Progress goes to stderr when it is a
/// terminal.
pub async fn poll<F, Fut>(spec: &Spec, send: F) -> Result<Value, CliError>
where
    F: Fn() -> Fut,
    Fut: Future<Output = Result<Value, CliError>>,
{
    let start = Instant::now();
    let spinner = Progress::spinner();
    loop {
        let answer = send().await?;
        let value = spec.value(&answer)?;
        if matches(&value, &spec.to) {
            return Ok(answer);
        }
        let elapsed = start.elapsed();
        if elapsed >= spec.timeout {
            return Err(CliError::failed(format!(
                "--waiter gave up after {}: `{}` is {value}, not {}",
                shown(spec.timeout),
                spec.text,
                spec.to
            )));
        }
        spinner.0.set_message(format!(
            "waiting for `{}` to be {}: it is {value}",
            spec.text, spec.to
        ));
        // The last call comes at the deadline, not an interval after it.
        tokio::time::sleep(spec.interval.min(spec.timeout - elapsed)).await;
    }
}

/// `5s`, `0.2s`: seconds as a person writes them.
fn shown(duration: Duration) -> String {
    format!("{}s", duration.as_secs_f64())
}

/// A bar or spinner on stderr, drawn only when stderr is a terminal, and wiped when dropped.
struct Progress(ProgressBar);

impl Progress {
    fn spinner() -> Self {
        let bar = ProgressBar::new_spinner();
        if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} ({elapsed})") {
            bar.set_style(style);
        }
        bar.enable_steady_tick(Duration::from_millis(120));
        Self(bar)
    }

    fn bar() -> Self {
        let bar = ProgressBar::new(100);
        if let Ok(style) =
            ProgressStyle::with_template("{spinner} check {msg:11} [{bar:32}] {pos:>3}%  {elapsed}")
        {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message("starting");
        bar.enable_steady_tick(Duration::from_millis(120));
        Self(bar)
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.0.finish_and_clear();
    }
}

const WAIT_MIGRATE_CHECK_HELP: &str = "\
dts wait-migrate-check: waits for the pre-flight check of a migration job (dts 2018-03-30)

Usage: tencentcloud dts wait-migrate-check --JobId ID [--timeout SECONDS] [--interval SECONDS] [options]

Polls DescribeMigrateCheckJob until the check that CreateMigrateCheckJob started is over, then
prints that answer (as --output and --filter say). A progress bar shows on stderr when it is a
terminal. Transient errors (throttling, network failures) are retried; others end the wait.

  --JobId ID          the migration job, as CreateMigrateJob answered (dts-...)
  --timeout SECONDS   how long to wait in all (default: 1800)
  --interval SECONDS  poll about this often (default: every 2 seconds at first, slowing to 15)

The usual options apply: --region, --profile, --endpoint, --language, --output, --filter,
--secretId, --secretKey, --token, --use-cvm-role, --role-arn, --https-proxy.

Exit status: 0 when the check passed; 1 when it failed, the job was never checked, the wait
timed out or a call failed; 2 for a command line that cannot be used.
";

/// The check's verdict decides the exit code; the answer is printed either way.
fn wait_migrate_check(words: &[String]) -> Result<(), CliError> {
    let mut line = args::parse(words, |_| false)?;
    if line.help {
        return help::print(WAIT_MIGRATE_CHECK_HELP);
    }
    if let Some(word) = line.positional.first() {
        return Err(CliError::usage(format!(
            "unexpected `{word}`: {WAIT_MIGRATE_CHECK} takes --JobId ID"
        )));
    }
    refuse_unused(&line.globals)?;
    let (mut job_id, mut interval) = (None, None);
    for (name, values) in &line.members {
        let value = values.last().cloned().unwrap_or_default();
        match name.as_str() {
            "JobId" => job_id = Some(value),
            "interval" => interval = Some(call::seconds("--interval", &value)?),
            other => return Err(args::unknown_option(other, ["JobId", "interval"])),
        }
    }
    let job_id = job_id.filter(|id| !id.is_empty()).ok_or_else(|| {
        CliError::usage(format!(
            "{WAIT_MIGRATE_CHECK} needs --JobId, the migration job's id"
        ))
    })?;
    // Here --timeout bounds the whole wait, not each request.
    let timeout = line
        .globals
        .timeout
        .take()
        .map(|text| call::seconds("--timeout", &text))
        .transpose()?;

    let settings = profile::settings(&line.globals)?;
    let output = Output::new(settings.output.as_deref(), line.globals.filter.as_deref())?;
    let spec = catalogue::service("dts")?
        .version(Some("2018-03-30"))?
        .load()?;
    let config = call::config("dts", &spec.host, &line.globals, &settings)?;
    let client = Client::new(config);

    let progress = Progress::bar();
    let shown = progress.0.clone();
    let mut waiter = client
        .wait_for_migrate_check(job_id.as_str())
        .on_progress(move |step| {
            shown.set_message(step.status().to_string());
            shown.set_position(u64::from(step.percent()));
        });
    if let Some(timeout) = timeout {
        waiter = waiter.timeout(timeout);
    }
    if let Some(interval) = interval {
        waiter = waiter.poll_interval(interval).max_poll_interval(interval);
    }
    let waited = call::runtime()?.block_on(async { waiter.await });
    drop(progress);

    let outcome = match waited {
        Ok(outcome) => outcome,
        Err(WaitForMigrateCheckError::Call(err)) => return Err(call::service_error(&err)),
        Err(WaitForMigrateCheckError::UnknownVerdict { response, .. }) => {
            help::print(&output.render(&answer(&response))?)?;
            return Err(CliError::failed(format!(
                "the migration check of job {job_id} finished with CheckFlag {}, which is not known here",
                response.check_flag
            )));
        }
        Err(err) => return Err(CliError::failed(err.to_string())),
    };
    help::print(&output.render(&answer(outcome.response()))?)?;
    match outcome.verdict() {
        MigrateCheckVerdict::Passed => Ok(()),
        MigrateCheckVerdict::NotChecked => Err(CliError::failed(format!(
            "job {job_id} has not been checked: start its check with CreateMigrateCheckJob"
        ))),
        verdict => Err(CliError::failed(format!(
            "the migration check of job {job_id} {verdict}"
        ))),
    }
}

/// Options of a call that mean nothing to a waiter command.
fn refuse_unused(globals: &Globals) -> Result<(), CliError> {
    let unused = [
        ("--waiter", globals.waiter.is_some()),
        ("--cli-input-json", globals.cli_input_json.is_some()),
        ("--generate-cli-skeleton", globals.generate_cli_skeleton),
    ];
    if let Some((option, _)) = unused.iter().find(|(_, given)| *given) {
        return Err(CliError::usage(format!(
            "{WAIT_MIGRATE_CHECK} does not take {option}"
        )));
    }
    match globals.version.as_deref() {
        None | Some("2018-03-30") => Ok(()),
        Some(other) => Err(CliError::usage(format!(
            "{WAIT_MIGRATE_CHECK} works with dts 2018-03-30 only, not --version {other}"
        ))),
    }
}

/// The answer as the service sent it, members in its order.
fn answer(response: &DescribeMigrateCheckJobResponse) -> Value {
    json!({
        "Status": response.status.as_str(),
        "ErrorCode": response.error_code,
        "ErrorMessage": response.error_message,
        "Progress": response.progress,
        "CheckFlag": response.check_flag.value(),
        "RequestId": response.request_id,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(timeout: Option<f64>, interval: Option<f64>) -> Settings {
        let mut settings = profile::settings(&Globals::default()).unwrap();
        settings.waiter_timeout = timeout;
        settings.waiter_interval = interval;
        settings
    }

    #[test]
    fn defaults_come_from_the_profile_then_tccli() {
        let spec = Spec::parse(
            r#"{"expr": "Status", "to": "finished"}"#,
            &settings(None, None),
        )
        .unwrap();
        assert_eq!(
            (spec.timeout, spec.interval),
            (Duration::from_secs(180), Duration::from_secs(5))
        );
        let spec = Spec::parse(
            r#"{"expr": "Status", "to": 1}"#,
            &settings(Some(2.0), Some(9.0)),
        )
        .unwrap();
        // The interval is never longer than the timeout.
        assert_eq!(
            (spec.timeout, spec.interval),
            (Duration::from_secs(2), Duration::from_secs(2))
        );
        let spec = Spec::parse(
            r#"{"expr": "a", "to": 1, "timeout": 1, "interval": 0.2}"#,
            &settings(None, None),
        )
        .unwrap();
        assert_eq!(spec.interval, Duration::from_millis(200));
    }

    #[test]
    fn bad_specs_are_refused() {
        let settings = settings(None, None);
        for (text, part) in [
            ("{", "is not JSON"),
            ("[1]", "JSON object"),
            (r#"{"to": 1}"#, "needs `expr`"),
            (r#"{"expr": "a"}"#, "needs `to`"),
            (r#"{"expr": "a[", "to": 1}"#, "not a JMESPath expression"),
            (
                r#"{"expr": "a", "to": 1, "timeout": 0}"#,
                "`timeout` must be a positive number",
            ),
            (
                r#"{"expr": "a", "to": 1, "interval": -1}"#,
                "`interval` must be a positive number",
            ),
            (
                r#"{"expr": "a", "to": 1, "timout": 5}"#,
                "did you mean `timeout`",
            ),
        ] {
            let err = Spec::parse(text, &settings).err().unwrap();
            assert!(
                err.exit_code() == std::process::ExitCode::from(2)
                    && err.to_string().contains(part),
                "{text}: {err}"
            );
        }
    }

    #[test]
    fn values_compare_as_json_with_text_for_scalars() {
        assert!(matches(&json!("finished"), &json!("finished")));
        assert!(matches(&json!(2), &json!(2.0)));
        assert!(matches(&json!(2), &json!("2")));
        assert!(matches(&json!("true"), &json!(true)));
        assert!(matches(&json!(null), &json!(null)));
        assert!(matches(&json!(["a"]), &json!(["a"])));
        assert!(!matches(&json!("running"), &json!("finished")));
        assert!(!matches(
            &json!(9007199254740993u64),
            &json!(9007199254740992u64)
        ));
        assert!(!matches(&json!(null), &json!("null")));
    }
}
