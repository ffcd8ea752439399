//! `contract-milestones due`: what is overdue and what falls due soon, from
//! PDFs or a previous run.

use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};

use contract_milestones::discover;
use contract_milestones::output;

use crate::exit::ExitCode;
use crate::setup::{interrupted, parse_day, read_previous_run, settings_from, BatchArgs, DocArgs, Pipeline};

/// `due --help`'s closing text.
pub(crate) const HELP: &str = concat!(
    "\
Overdue: dated before --as-of (and not before --since). Due: from --as-of to
--as-of + --within, both days included. Records without a date are counted,
not listed.

Exit codes:
  0  nothing overdue, every document read
  1  something is overdue, or a document is not `ok` (it may hide a date)
  2  usage error, a path that does not exist, an unreadable --from file
",
    crate::exit::common_help!(nothing_written),
    "

Examples:
  contract-milestones due contracts/ --within 2w
  contract-milestones extract contracts/ -o run.json
  contract-milestones due --from run.json --as-of 2026-04-01
  contract-milestones due --from run.jsonl --format json -o due.json"
);

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DueFormat {
    /// A table for people.
    Table,
    /// One JSON object for tools.
    Json,
}

#[derive(Args, Debug)]
pub(crate) struct DueArgs {
    /// PDF files and folders, read as `extract` reads them (or give --from).
    #[arg(value_name = "PATH", required_unless_present = "from", conflicts_with = "from")]
    paths: Vec<PathBuf>,
    /// Read a previous run's output (JSON or JSON Lines; `-` for stdin) instead of PDFs.
    #[arg(long, value_name = "FILE")]
    from: Option<PathBuf>,
    /// The reference day, YYYY-MM-DD (default: today, local time).
    #[arg(long, value_name = "DATE", value_parser = parse_day)]
    as_of: Option<chrono::NaiveDate>,
    /// How far ahead to look: 30d, 2w, or a number of days.
    #[arg(long, value_name = "SPAN", default_value = "30d", value_parser = contract_milestones::due::parse_days)]
    within: u32,
    /// Leave out overdue items dated before this day (YYYY-MM-DD), e.g. long-closed contracts.
    #[arg(long, value_name = "DATE", value_parser = parse_day)]
    since: Option<chrono::NaiveDate>,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    format: DueFormat,
    /// Write to this file (atomically) instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    #[command(flatten)]
    batch: BatchArgs,
    /// No summary line on stderr.
    #[arg(short, long)]
    quiet: bool,
    #[command(flatten)]
    doc: DocArgs,
}

/// `due`: exit 1 when something is overdue or a document is not `ok`.
pub(crate) fn run(args: DueArgs) -> Result<ExitCode> {
    use contract_milestones::due;
    let started = Instant::now();
    let docs = match &args.from {
        Some(file) => read_previous_run(file)?,
        None => {
            let pipeline = Pipeline::new(settings_from(&args.doc)?)?;
            let inputs = match discover::discover(&args.paths) {
                Ok(i) => i,
                Err(e) => {
                    eprintln!("contract-milestones: error: {e}");
                    return Ok(ExitCode::Usage);
                }
            };
            let batch = pipeline.start(&args.batch, None)?;
            let Some(sink) = batch.collect(&inputs)? else { return Ok(interrupted("nothing listed")) };
            batch.stop_at_once();
            if !args.quiet {
                eprintln!("{}", sink.tally.summary(started.elapsed()));
            }
            sink.docs
        }
    };
    let as_of = args.as_of.unwrap_or_else(|| chrono::Local::now().date_naive());
    let report = due::report(&docs, &due::Window { as_of, within_days: args.within, since: args.since });
    let text = match args.format {
        DueFormat::Table => due::table(&report),
        DueFormat::Json => serde_json::to_string_pretty(&report)? + "\n",
    };
    let name = || args.output.as_ref().map_or("standard output".to_string(), |p| p.display().to_string());
    let mut dest = output::open(args.output.as_deref()).context("cannot write the output")?;
    dest.write_all(text.as_bytes()).with_context(|| format!("cannot write {}", name()))?;
    dest.finish().with_context(|| format!("cannot write {}", name()))?;
    Ok(if report.needs_attention() { ExitCode::Attention } else { ExitCode::Ok })
}
