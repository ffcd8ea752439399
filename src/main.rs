//! The `contract-milestones` binary: a thin shell over the library.
//! Arguments are parsed in `cli.rs`; errors print with their whole context
//! chain; exit codes are 0 (all ok), 1 (some document not ok, or something
//! overdue/failed a check), 2 (usage error, missing path, bad rules).

mod ci_cli;
mod cli;

fn main() {
    std::process::exit(cli::main());
}
