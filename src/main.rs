//! The `contract-milestones` binary: a thin shell over the library. The
//! commands are in `commands/` (one file each), what they share in
//! `setup.rs`, the exit codes in `exit.rs`.

mod commands;
mod exit;
mod setup;

fn main() {
    std::process::exit(commands::run().code());
}
