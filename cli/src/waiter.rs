//! Waiters. (Being written: see the issue.)

use std::future::Future;

use serde_json::Value;

use crate::error::CliError;
use crate::profile::Settings;

/// Whether `command` is one of the waiter commands of `service` (`dts wait-migrate-check`).
pub fn is_command(_service: &str, _command: &str) -> bool {
    false
}

/// Runs a waiter command.
pub fn run_command(_service: &str, command: &str, _words: &[String]) -> Result<(), CliError> {
    Err(CliError::usage(format!("{command} is not available yet")))
}

/// What `--waiter` asks.
pub struct Spec {}

impl Spec {
    /// Reads `--waiter`'s JSON.
    pub fn parse(_text: &str, _settings: &Settings) -> Result<Self, CliError> {
        Err(CliError::usage("--waiter is not available yet"))
    }
}

/// Calls `send` until the answer matches.
pub async fn poll<F, Fut>(_spec: &Spec, send: F) -> Result<Value, CliError>
where
    F: Fn() -> Fut,
    Fut: Future<Output = Result<Value, CliError>>,
{
    send().await
}
