//! The command line as a user sees it, pinned: every file `tests/cmd/NAME.toml`
//! is one command (`args`), its expected standard output and error (`stdout`,
//! `stderr`; `[..]` matches the rest of a line, such as an elapsed time) and
//! its exit code (`status`), run by `trycmd`. They cover the help of every
//! command, the main error messages and the exit codes of `src/exit.rs`
//! (130, Ctrl-C, is in `tests/resume.rs`: it needs a signal).
//!
//! The cases run from the project's root and use only its own files
//! (`fixtures/`, `tests/cmd/data/`). After a deliberate change to a message,
//! `TRYCMD=overwrite cargo test --release --test cli_snapshots` rewrites the
//! expected outputs; read the diff before committing it.

#[test]
fn cli_snapshots() {
    let cases = trycmd::TestCases::new();
    cases
        .register_bin("contract-milestones", std::path::PathBuf::from(env!("CARGO_BIN_EXE_contract-milestones")))
        // Help is wrapped to the terminal's width; no terminal here, so fix it.
        .env("COLUMNS", "100")
        .env("NO_COLOR", "1")
        .case("tests/cmd/*.toml");
    if !cfg!(target_os = "linux") {
        // /dev/full, the full disk, is Linux's.
        cases.skip("tests/cmd/extract-output-full-disk.toml");
    }
}
