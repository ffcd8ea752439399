//! What the integration tests share: the binary, the fixtures, and the
//! result of one run. (Each test file is its own crate and uses some of it.)
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The binary under test.
pub fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_contract-milestones"))
}

/// The project's root.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The project's own fixtures.
pub fn fixtures() -> PathBuf {
    root().join("fixtures")
}

/// A good contract PDF from the fixtures.
pub fn good_pdf() -> PathBuf {
    fixtures().join("pdf/sow-implementation.lo.pdf")
}

/// One run of the binary.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// A finished process's exit code and output (stdout read leniently).
    pub fn of(out: Output) -> Run {
        Run { code: out.status.code().unwrap_or(-1), stdout: String::from_utf8_lossy(&out.stdout).into_owned(), stderr: String::from_utf8_lossy(&out.stderr).into_owned() }
    }
}

/// Run `cmd` with these environment variables set.
pub fn run_env(mut cmd: Command, env: &[(&str, &str)]) -> Run {
    for (k, v) in env {
        cmd.env(k, v);
    }
    Run::of(cmd.output().expect("the binary runs"))
}

/// Whether process `pid` has started a child (a worker) yet.
#[cfg(target_os = "linux")]
pub fn has_child_process(pid: u32) -> bool {
    let Ok(entries) = std::fs::read_dir("/proc") else { return false };
    entries
        .filter_map(|e| e.ok())
        .any(|e| std::fs::read_to_string(e.path().join("stat")).ok().and_then(|s| s.rsplit_once(')').map(|(_, rest)| rest.split_whitespace().nth(1) == Some(&pid.to_string()))).unwrap_or(false))
}

/// Say that a test could not run here, and why, where the test command's
/// output shows it. `println!` in a passing test is captured and hidden by
/// the test harness; a write to the standard error handle is not.
pub fn skip(test: &str, why: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "SKIPPED {test}: {why}");
}
