//! `tencentcloud configure`. (Being written: see the issue.)

use crate::error::CliError;

/// Runs `tencentcloud configure ...`.
pub fn run(_words: &[String]) -> Result<(), CliError> {
    Err(CliError::usage("configure is not available yet"))
}
