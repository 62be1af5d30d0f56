//! `tencentcloud`: a command-line client for every action of every Tencent Cloud API 3.0
//! service, built from the same specs as the SDK and spelled like the official CLI, tccli.
//!
//! ```text
//! tencentcloud <service> <Action> [--version YYYY-MM-DD] [--Member value ...] [options]
//! tencentcloud help | <service> help | <service> <Action> help
//! tencentcloud configure [set|get|list ...]
//! tencentcloud completion bash|zsh|fish
//! tencentcloud dts wait-migrate-check --JobId dts-...
//! ```
//!
//! Errors are one line on stderr. The exit code is 0 on success, 2 when the command line or
//! its input cannot be used (nothing was sent), 1 when a call, a file or a wait failed.

mod args;
mod call;
mod catalogue;
mod complete;
mod configure;
mod error;
mod help;
mod output;
mod profile;
mod prompt;
mod request;
mod suggest;
mod waiter;

use std::io::Write;
use std::process::ExitCode;

use error::CliError;

fn main() -> ExitCode {
    let words = match words() {
        Ok(words) => words,
        Err(err) => return fail(&err),
    };
    match run(&words) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => fail(&err),
    }
}

fn fail(err: &CliError) -> ExitCode {
    let mut stderr = std::io::stderr().lock();
    // Nothing more can be done when stderr itself is closed.
    let _ = writeln!(stderr, "tencentcloud: {err}");
    err.exit_code()
}

/// The command line without the program's name; every word must be UTF-8.
fn words() -> Result<Vec<String>, CliError> {
    std::env::args_os()
        .skip(1)
        .map(|word| {
            word.into_string().map_err(|word| {
                CliError::usage(format!("{} is not valid UTF-8", word.to_string_lossy()))
            })
        })
        .collect()
}

fn run(words: &[String]) -> Result<(), CliError> {
    let first = words.first().map(String::as_str);
    match first {
        None | Some("help" | "--help" | "-h") => help::print(&help::services()),
        Some("--version") if words.len() == 1 => {
            help::print(&format!("tencentcloud {}\n", env!("CARGO_PKG_VERSION")))
        }
        Some("configure") => configure::run(&words[1..]),
        Some("completion") => complete::script(&words[1..]),
        Some(complete::COMPLETE_COMMAND) => complete::candidates(&words[1..]),
        Some(service) if service.starts_with('-') => Err(CliError::usage(format!(
            "expected a service before `{service}`; `tencentcloud help` lists them"
        ))),
        Some(service) => run_service(service, &words[1..]),
    }
}

fn run_service(service: &str, words: &[String]) -> Result<(), CliError> {
    let entry = catalogue::service(service)?;
    match words.first().map(String::as_str) {
        None | Some("help" | "--help" | "-h") => {
            let version = version_option(words);
            help::print(&help::service(entry, version.as_deref())?)
        }
        Some(command) if waiter::is_command(service, command) => {
            waiter::run_command(service, command, &words[1..])
        }
        Some(action) if action.starts_with('-') => Err(CliError::usage(format!(
            "expected an action of `{service}` before `{action}`; `tencentcloud {service} help` lists them"
        ))),
        Some(action) => call::run(entry, action, &words[1..]),
    }
}

/// The value of `--version` among `words`, for help texts.
fn version_option(words: &[String]) -> Option<String> {
    let mut words = words.iter();
    while let Some(word) = words.next() {
        if word == "--version" {
            return words.next().cloned();
        }
        if let Some(version) = word.strip_prefix("--version=") {
            return Some(version.to_owned());
        }
    }
    None
}
