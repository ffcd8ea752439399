//! The commands, one file each (`extract.rs` is `contract-milestones
//! extract`, ...), as in xsv and xan: each holds its arguments, its
//! `--help` text and its run function. Here are the command line as a whole,
//! dispatch, and how an error is printed and becomes an exit code. What the
//! commands share, above all the one way a batch of PDFs is run (workers,
//! limits, cache, Ctrl-C), is in `setup.rs`; no command file uses another.

use anyhow::Result;
use clap::{Parser, Subcommand};

use crate::exit::ExitCode;

mod cache;
mod check;
mod diff;
mod due;
mod explain;
mod extract;
mod report;
mod rules;
mod schema;
mod summary;
mod train;
mod worker;

/// Extract milestone, deliverable and payment schedules from contract PDFs as JSON records.
#[derive(Parser, Debug)]
#[command(name = "contract-milestones", version, about, after_help = extract::HELP, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Extract records from PDF files and folders (walked recursively) as JSON.
    #[command(after_help = extract::HELP)]
    Extract(extract::ExtractArgs),
    /// Show how the rules see one PDF: segments, matches, normalised values, rejections.
    Explain(explain::ExplainArgs),
    /// Work with rule files: test their examples, check them, list them, print their schema.
    #[command(subcommand)]
    Rules(rules::RulesCommand),
    /// Learn the decision's weights (rules/model.toml) from labelled folders, with cross-validated scores.
    #[command(after_help = train::HELP)]
    Train(train::TrainArgs),
    /// Print the JSON Schema (draft 2020-12) of extract's JSON and JSON Lines output.
    Schema,
    /// List what is overdue and what falls due soon, by date (exit 1 when something is overdue).
    #[command(after_help = due::HELP)]
    Due(due::DueArgs),
    /// Extract (or read a previous output) and apply checks; exit 1 when one at error level fails.
    #[command(after_help = check::HELP)]
    Check(check::CheckArgs),
    /// Portfolio summary: per contract counts, payment totals, cash flow by month, next due, overdue.
    Summary(summary::SummaryArgs),
    /// Portfolio report as one self-contained HTML page: timeline, cash flow, next 90 days, per-contract schedules.
    #[command(after_help = report::HELP)]
    Report(report::ReportArgs),
    /// What changed between two runs (or folders): dates moved, amounts changed, records added or removed, documents that stopped parsing; exit 1 on a regression.
    #[command(after_help = diff::HELP)]
    Diff(diff::DiffArgs),
    /// Work with the --cache folder.
    #[command(subcommand)]
    Cache(cache::CacheCommand),
    /// Internal: serve documents for a parent process (one JSON request per line on stdin).
    #[command(name = "__worker", hide = true)]
    Worker {
        /// The settings, as JSON.
        settings: String,
        /// Answer with each document's training candidates (`train`) instead of the document.
        #[arg(long)]
        candidates: bool,
    },
}

/// Run the CLI; returns the exit code.
pub(crate) fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { ExitCode::Usage } else { ExitCode::Ok };
            let _ = e.print();
            return code;
        }
    };
    match dispatch(cli) {
        Ok(code) => code,
        Err(e) => {
            if is_broken_pipe(&e) {
                return ExitCode::Ok;
            }
            eprintln!("contract-milestones: error: {e:#}");
            crate::exit::of_error(&e)
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe))
}

fn dispatch(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Extract(args) => extract::run(args),
        Command::Explain(args) => explain::run(args),
        Command::Rules(cmd) => rules::run(cmd),
        Command::Train(args) => train::run(args),
        Command::Schema => schema::run(),
        Command::Due(args) => due::run(args),
        Command::Check(args) => check::run(args),
        Command::Summary(args) => summary::run(args),
        Command::Report(args) => report::run(args),
        Command::Diff(args) => diff::run(args),
        Command::Cache(cmd) => cache::run(cmd),
        Command::Worker { settings, candidates } => worker::run(&settings, candidates),
    }
}
