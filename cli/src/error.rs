//! The one error type of the CLI: a message printed as one line, and the exit code.

use std::fmt;
use std::process::ExitCode;

/// Why a command failed. `main` prints it as `tencentcloud: <message>` on stderr and exits with
/// its code: 2 for a command line or input that cannot be used (nothing was sent), 1 for a call
/// that failed (the service's error, the network, a waiter that gave up).
#[derive(Debug)]
pub struct CliError {
    message: String,
    kind: Kind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Usage,
    Failed,
    Internal,
}

impl CliError {
    /// The command line or its input cannot be used; nothing was sent.
    pub fn usage(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            kind: Kind::Usage,
        }
    }

    /// A call, a file or a wait failed.
    pub fn failed(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            kind: Kind::Failed,
        }
    }

    /// Something that should not happen, such as a damaged embedded catalogue.
    pub fn internal(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            kind: Kind::Internal,
        }
    }

    /// The process's exit code for this error.
    pub fn exit_code(&self) -> ExitCode {
        match self.kind {
            Kind::Usage => ExitCode::from(2),
            Kind::Failed => ExitCode::from(1),
            Kind::Internal => ExitCode::from(70),
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // One line: a message holding line breaks (a service's, say) is folded.
        let mut first = true;
        for line in self.message.lines() {
            if !first {
                f.write_str(" ")?;
            }
            f.write_str(line.trim_end())?;
            first = false;
        }
        Ok(())
    }
}

impl std::error::Error for CliError {}
