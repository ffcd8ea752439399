//! `contract-milestones summary`: the portfolio in numbers (the library's
//! `summary`), as tables, JSON or CSV.

use std::path::PathBuf;

use anyhow::Result;
use clap::{Args, ValueEnum};

use contract_milestones::summary;

use crate::exit::ExitCode;
use crate::setup::{as_of, collect, emit, interrupted, today, SourceArgs};

/// How `summary` prints.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SummaryFormat {
    /// Readable tables.
    Table,
    /// JSON.
    Json,
    /// CSV, one row per contract.
    Csv,
}

/// `contract-milestones summary`.
#[derive(Args, Debug)]
pub(crate) struct SummaryArgs {
    #[command(flatten)]
    pub(crate) source: SourceArgs,
    /// The day next-due and overdue items are measured from (YYYY-MM-DD; default today).
    #[arg(long, value_name = "DATE")]
    pub(crate) as_of: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub(crate) format: SummaryFormat,
    /// Write to this file (atomically) instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
}

/// `summary`.
pub(crate) fn run(args: SummaryArgs) -> Result<ExitCode> {
    let day = as_of(args.as_of.as_deref())?.unwrap_or_else(today);
    let Some(collected) = collect(&args.source)? else { return Ok(interrupted("nothing written")) };
    let s = summary::summarise(&collected.docs, day);
    let text = match args.format {
        SummaryFormat::Table => summary::table(&s),
        SummaryFormat::Json => serde_json::to_string_pretty(&s)? + "\n",
        SummaryFormat::Csv => summary::csv(&s)?,
    };
    emit(args.output.as_deref(), &text)?;
    Ok(ExitCode::Ok)
}
