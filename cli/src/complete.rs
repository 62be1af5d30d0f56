//! Shell completion. (Being written: see the issue.)

use crate::error::CliError;

/// The hidden command the completion scripts call.
pub const COMPLETE_COMMAND: &str = "__complete";

/// Prints the completion script of a shell.
pub fn script(_words: &[String]) -> Result<(), CliError> {
    Err(CliError::usage("completion is not available yet"))
}

/// Prints the candidates for the word being completed.
pub fn candidates(_words: &[String]) -> Result<(), CliError> {
    Ok(())
}
