//! `contract-milestones report`: the portfolio as one self-contained HTML
//! page. Documents come as for `summary` (PDFs or `--from`); the page is
//! made by the library (`report`).

use std::path::PathBuf;

use anyhow::Result;
use clap::Args;

use contract_milestones::report;

use crate::exit::ExitCode;
use crate::setup::{as_of, collect, emit, interrupted, today, SourceArgs};

/// `report --help`'s epilogue.
pub(crate) const HELP: &str = concat!(
    "\
The page holds, with no network access needed (open it from disk or attach it to a CI run):
  - a timeline: one lane per contract read, a mark per dated milestone (circle),
    deliverable (square) and payment (diamond); the as-of day as a line; overdue
    milestones and deliverables red and ringed; hover or focus (Tab) a mark for
    its name, date, amount, page and evidence sentence
  - cash flow by month, a bar chart per currency (dated payments; undated ones
    counted beside it), and what falls due in the next 90 days
  - what needs attention: overdue items, terms ending in the next 12 months
  - per contract: its fields (with evidence), parties, and its schedule as a
    sortable table, each row with its page and evidence text
  - the documents that could not be read, with status and reason
Filters (kind, contract, date range) and sorting need JavaScript; without it
everything is shown. The same input and --as-of give the same bytes.

Exit codes:
  0  the report was written (also when some documents could not be read: they are in it)
  2  usage error, a path that does not exist, invalid rule files
",
    crate::exit::common_help!(nothing_written),
    "

Examples:
  contract-milestones report fixtures/ -o report.html
  contract-milestones extract contracts/ -o run.json
  contract-milestones report --from run.json --as-of 2026-06-01 -o report.html"
);

/// `contract-milestones report`.
#[derive(Args, Debug)]
pub(crate) struct ReportArgs {
    #[command(flatten)]
    pub(crate) source: SourceArgs,
    /// The day drawn as "today": overdue items and the next 90 days are measured from it (YYYY-MM-DD; default today).
    #[arg(long, value_name = "DATE")]
    pub(crate) as_of: Option<String>,
    /// Write the HTML page here (atomically); without it, to stdout.
    #[arg(short, long, value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
}

/// `report`.
pub(crate) fn run(args: ReportArgs) -> Result<ExitCode> {
    let day = as_of(args.as_of.as_deref())?.unwrap_or_else(today);
    let Some(collected) = collect(&args.source)? else { return Ok(interrupted("nothing written")) };
    let html = report::render(&collected.docs, day);
    emit(args.output.as_deref(), &html)?;
    if let (Some(path), false) = (&args.output, args.source.quiet) {
        let c = report::counts(&collected.docs);
        eprintln!("wrote {}: {} contracts on the timeline, {} marks, {} schedule rows, {} documents not read", path.display(), c.lanes, c.marks, c.rows, c.failed);
    }
    Ok(ExitCode::Ok)
}
