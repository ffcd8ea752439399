//! The process's exit codes, in one table. Every command returns one of
//! these, every error is mapped to one here, and the `--help` texts and the
//! README describe the same numbers.

use std::fmt::Display;

/// How a run ended, as a shell or a CI job sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitCode {
    /// Done, and nothing needs attention.
    Ok = 0,
    /// Done, and something needs attention: a document that is not `ok`,
    /// something overdue, a check at error level, a failing rule example.
    /// The output is still complete.
    Attention = 1,
    /// Nothing was done: bad arguments, a path that does not exist, an
    /// invalid rule, config, label or input file.
    Usage = 2,
    /// It failed while running: the output could not be written (a full
    /// disk, no permission), a cache could not be used, a worker could not
    /// be started.
    Failure = 3,
    /// Stopped by Ctrl-C (128 + SIGINT) after writing what was finished.
    Interrupted = 130,
}

impl ExitCode {
    /// The number the process exits with.
    pub fn code(self) -> i32 {
        self as i32
    }
}

/// The lines every command's `--help` ends its exit-code table with (a
/// macro, for `concat!`): `extract` streams, so Ctrl-C leaves what was
/// finished written; the others write once at the end
/// (`nothing_written`), so Ctrl-C leaves nothing.
macro_rules! common_help {
    () => {
        "  3  failed while running: the output could not be written (full disk,
     permissions), a cache could not be used
130  interrupted (Ctrl-C); what was finished is written"
    };
    (nothing_written) => {
        "  3  failed while running: the output could not be written (full disk,
     permissions), a cache could not be used
130  interrupted (Ctrl-C); nothing is written"
    };
}
pub(crate) use common_help;

/// An error the user fixes by changing the command line or a file it names.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// A usage error with this message.
pub fn usage(message: impl Display) -> anyhow::Error {
    UsageError(message.to_string()).into()
}

/// The exit code of a command that failed with `e`: usage errors, paths
/// that do not exist and named files that say something invalid (a check
/// config, a previous run) are usage (2); anything else happened while
/// running (3).
pub fn of_error(e: &anyhow::Error) -> ExitCode {
    use contract_milestones::{check::ConfigError, discover::MissingPath, output::ReadError};
    let usage = e.chain().any(|c| {
        c.is::<UsageError>() || c.is::<MissingPath>() || c.is::<ConfigError>() || c.is::<ReadError>() || c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::NotFound)
    });
    if usage {
        ExitCode::Usage
    } else {
        ExitCode::Failure
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context;

    #[test]
    fn a_usage_error_under_context_is_still_usage() {
        let e = Err::<(), _>(usage("--page 9 is out of range")).context("explain").unwrap_err();
        assert_eq!(of_error(&e), ExitCode::Usage);
    }

    #[test]
    fn a_missing_file_is_usage_and_a_full_disk_is_a_failure() {
        let missing = anyhow::Error::new(std::io::Error::from(std::io::ErrorKind::NotFound)).context("cannot read x.toml");
        assert_eq!(of_error(&missing), ExitCode::Usage);
        let full = anyhow::Error::new(std::io::Error::from(std::io::ErrorKind::StorageFull)).context("cannot write the output");
        assert_eq!(of_error(&full), ExitCode::Failure);
    }
}
