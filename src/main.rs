//! The `contract-milestones` binary: a thin shell over the library.
//! Arguments are parsed in `cli.rs`; errors print with their whole context
//! chain; exit codes are one enum (`exit.rs`).

mod ci_cli;
mod cli;
mod diff_cli;
mod exit;
mod report_cli;
mod setup;

fn main() {
    std::process::exit(cli::main().code());
}
