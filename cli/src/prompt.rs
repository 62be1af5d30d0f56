//! Questions asked on the terminal, with the answer hidden for secrets. When stdin is not a
//! terminal, answers are read from it line by line and nothing is shown.

use std::io::{BufRead, IsTerminal, Write};

use crate::error::CliError;

/// Reads answers from stdin.
pub struct Prompter {
    terminal: bool,
}

impl Prompter {
    /// A prompter on this process's stdin.
    pub fn new() -> Self {
        Self {
            terminal: std::io::stdin().is_terminal(),
        }
    }

    /// Whether stdin is a terminal (questions are shown and secrets hidden).
    pub fn is_terminal(&self) -> bool {
        self.terminal
    }

    /// Shows `question` (on a terminal) and reads one line, without its end and surrounding
    /// spaces; `hidden` keeps the terminal from echoing it. `None` at the end of the input.
    pub fn ask(&self, question: &str, hidden: bool) -> Result<Option<String>, CliError> {
        if self.terminal {
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(question.as_bytes())
                .and_then(|()| stdout.flush())
                .map_err(|err| CliError::failed(format!("cannot write the question: {err}")))?;
        }
        let _echo_off = match hidden && self.terminal {
            true => Some(EchoOff::new().map_err(|err| {
                CliError::failed(format!("cannot hide the input on this terminal: {err}"))
            })?),
            false => None,
        };
        let mut line = String::new();
        let read = std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|err| CliError::failed(format!("cannot read the answer: {err}")))?;
        Ok((read > 0).then(|| line.trim().to_owned()))
    }
}

/// Turns the terminal's echo off on stdin until dropped (the line's end is still echoed).
/// An interrupt (Ctrl-C) while it is off leaves the terminal as it is, as with other tools;
/// `stty echo` or `reset` brings echo back.
#[cfg(unix)]
struct EchoOff {
    saved: libc::termios,
}

#[cfg(unix)]
impl EchoOff {
    fn new() -> std::io::Result<Self> {
        let mut saved = std::mem::MaybeUninit::<libc::termios>::uninit();
        // SAFETY: tcgetattr writes a whole termios through the pointer when it returns 0, and
        // only then is the value read.
        let saved = unsafe {
            if libc::tcgetattr(libc::STDIN_FILENO, saved.as_mut_ptr()) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            saved.assume_init()
        };
        let mut hidden = saved;
        hidden.c_lflag &= !libc::ECHO;
        hidden.c_lflag |= libc::ECHONL;
        // SAFETY: `hidden` is a valid termios read from this terminal and changed in flags only.
        if unsafe { libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, &hidden) } != 0 {
            return Err(std::io::Error::last_os_error());
        }
        Ok(Self { saved })
    }
}

#[cfg(unix)]
impl Drop for EchoOff {
    fn drop(&mut self) {
        // SAFETY: `saved` is the terminal's own settings, read by tcgetattr. Nothing more can be
        // done if restoring them fails.
        unsafe {
            libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, &self.saved);
        }
    }
}

/// Elsewhere the input cannot be hidden this way; `configure set secretKey` or a piped stdin
/// keep a key off the screen there.
#[cfg(not(unix))]
struct EchoOff;

#[cfg(not(unix))]
impl EchoOff {
    fn new() -> std::io::Result<Self> {
        Err(std::io::Error::other(
            "hidden input needs a Unix terminal; pipe the answers into stdin instead",
        ))
    }
}
