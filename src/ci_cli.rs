//! The CI commands of the CLI: `check`, `summary`, `cache prune`, and the
//! `--cache` options they share with `extract`. Printing happens here; the
//! logic is in the library (`check`, `sarif`, `summary`, `cache`).
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::{Args, Subcommand, ValueEnum};

use contract_milestones::cache;
use contract_milestones::check::{self, CheckConfig, Level};
use contract_milestones::discover;
use contract_milestones::record::Document;
use contract_milestones::run::{self, Tally};
use contract_milestones::{sarif, summary};

use crate::exit::{usage, ExitCode};
use crate::setup::{batch_options, emit, finish_cache, load_rules, open_cache, parse_size, read_previous_run, settings_from, BatchArgs, CacheArgs, CollectSink, DocArgs};

/// Where documents come from: PDFs and folders, or a previous run's output.
#[derive(Args, Debug)]
pub struct SourceArgs {
    /// PDF files and folders (walked recursively), as for `extract`.
    #[arg(value_name = "PATH", required_unless_present = "from", conflicts_with = "from")]
    pub paths: Vec<PathBuf>,
    /// Read documents from a previous run's output (JSON or JSON Lines) instead of extracting.
    #[arg(long, value_name = "FILE")]
    pub from: Option<PathBuf>,
    #[command(flatten)]
    pub batch: BatchArgs,
    /// No summary line on stderr.
    #[arg(short, long)]
    pub quiet: bool,
    #[command(flatten)]
    pub cache: CacheArgs,
    #[command(flatten)]
    pub doc: DocArgs,
}

/// How `check` prints its findings.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckFormat {
    /// GitHub workflow commands when GITHUB_ACTIONS=true, else text.
    Auto,
    /// A readable report, grouped by file.
    Text,
    /// GitHub Actions workflow commands (`::error file=...,line=1::...`).
    Github,
    /// SARIF 2.1.0, for code-scanning dashboards.
    Sarif,
    /// The findings as a JSON array.
    Json,
}

/// `contract-milestones check`.
#[derive(Args, Debug)]
pub struct CheckArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    /// Check levels (and `as_of`) from a TOML file: `[levels]` then `check-id = "error" | "warning" | "note" | "off"`.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Set a check's level, e.g. `--level overdue=error`; repeatable; wins over --config.
    #[arg(long = "level", value_name = "ID=LEVEL")]
    pub levels: Vec<String>,
    /// The day overdue items are measured against (YYYY-MM-DD; default today).
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// How near an opt-out deadline must be to warn: `90d` (default), `2w`, `30`.
    #[arg(long, value_name = "DAYS")]
    pub within: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "auto")]
    pub format: CheckFormat,
    /// Write the report to this file (atomically) instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// `check --help`'s list of checks (kept in step with `check::CHECKS` by a test).
pub const CHECK_HELP: &str = concat!(
    "\
Checks (id, default level):
  document-not-ok     error    the document could not be read (scan, encrypted,
                               damaged, timeout, too large)
  payment-shares      warning  payment shares (percentages) of one contract do not
                               sum to 100%
  payments-vs-price   warning  scheduled payments exceed or fall short of the
                               stated contract price
  undated-item        note     a milestone or deliverable has no date that can be
                               resolved
  dates-out-of-order  warning  a schedule's dates go backwards
  overdue             warning  a milestone or deliverable is already past its date
                               (--as-of)
  opt-out-soon        warning  the last day to stop an automatic renewal is near
                               (--within, default 90d)
  opt-out-passed      note     the last day to stop an automatic renewal has
                               passed: the contract will renew

Config file (--config checks.toml):
  as_of = \"2025-06-30\"      # optional
  within = \"60d\"            # optional; --within wins
  [levels]
  overdue = \"error\"
  undated-item = \"off\"

Exit codes:
  0  no finding at error level
  1  some finding at error level
  2  usage error, a path that does not exist, a bad config or rule file
",
    crate::exit::common_help!(nothing_written),
    "

In GitHub Actions (GITHUB_ACTIONS=true) findings print as workflow commands
(annotations on the PDF); --format sarif writes SARIF 2.1.0 for code scanning."
);

/// How `summary` prints.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum SummaryFormat {
    /// Readable tables.
    Table,
    /// JSON.
    Json,
    /// CSV, one row per contract.
    Csv,
}

/// `contract-milestones summary`.
#[derive(Args, Debug)]
pub struct SummaryArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    /// The day next-due and overdue items are measured from (YYYY-MM-DD; default today).
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: SummaryFormat,
    /// Write to this file (atomically) instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// `contract-milestones cache ...`.
#[derive(Subcommand, Debug)]
pub enum CacheCommand {
    /// Delete least recently used entries until the cache fits --max-size (and leftovers of killed runs).
    Prune {
        /// The cache folder.
        #[arg(long, value_name = "DIR")]
        cache: PathBuf,
        /// Keep at most this much (bytes; K, M, G suffixes); 0 empties the cache.
        #[arg(long, value_name = "SIZE", default_value = "1G", value_parser = parse_size)]
        max_size: u64,
    },
}

/// Documents and where each one is on disk (for annotations).
pub(crate) struct Collected {
    pub(crate) docs: Vec<Document>,
    locations: Vec<String>,
}

pub(crate) fn collect(src: &SourceArgs) -> Result<Collected> {
    if let Some(from) = &src.from {
        let docs = read_previous_run(from)?;
        let locations = docs.iter().map(|d| d.path.clone()).collect();
        return Ok(Collected { docs, locations });
    }
    let started = Instant::now();
    let settings = settings_from(&src.doc)?;
    let doc_opts = settings.doc_options()?;
    let rules = load_rules(&settings)?;
    let inputs = discover::discover(&src.paths)?;
    let cache = open_cache(&src.cache, &settings)?;
    let batch = batch_options(&settings, &src.batch, cache.clone())?;
    let mut sink = CollectSink { docs: Vec::with_capacity(inputs.len()), tally: Tally::default() };
    run::run_batch(&inputs, &doc_opts, &rules, &batch, &AtomicBool::new(false), &mut sink)?;
    let mut line = sink.tally.summary(started.elapsed());
    if let Some(c) = &cache {
        line.push_str("; ");
        line.push_str(&finish_cache(c, src.cache.cache_max_size));
    }
    if !src.quiet {
        eprintln!("{line}");
    }
    let locations = inputs.iter().map(|i| discover::display(&i.path).trim_start_matches("./").to_string()).collect();
    Ok(Collected { docs: sink.docs, locations })
}

pub(crate) fn as_of(flag: Option<&str>) -> Result<Option<chrono::NaiveDate>> {
    match flag {
        None => Ok(None),
        Some(s) => match check::parse_day(s) {
            Some(d) => Ok(Some(d)),
            None => Err(usage(format!("--as-of {s}: not a YYYY-MM-DD date"))),
        },
    }
}

pub(crate) fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

/// `check`: exit 0 when clean, 1 when a finding is at error level.
pub fn check_command(args: CheckArgs) -> Result<ExitCode> {
    let mut config = CheckConfig::new(today());
    if let Some(path) = &args.config {
        let text = std::fs::read_to_string(path).with_context(|| format!("cannot read the check config {}", path.display()))?;
        config.apply_toml(&path.display().to_string(), &text)?;
    }
    for flag in &args.levels {
        config.apply_flag(flag)?;
    }
    if let Some(d) = as_of(args.as_of.as_deref())? {
        config.as_of = d;
    }
    if let Some(w) = &args.within {
        config.within_days = contract_milestones::due::parse_days(w).map_err(|e| usage(format!("--within: {e}")))?;
    }
    let collected = collect(&args.source)?;
    let findings = check::check_all(collected.docs.iter().zip(collected.locations.iter().cloned()), &config);
    let format = match args.format {
        CheckFormat::Auto if std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true") => CheckFormat::Github,
        CheckFormat::Auto => CheckFormat::Text,
        f => f,
    };
    let report = match format {
        CheckFormat::Text | CheckFormat::Auto => check::text_report(&findings, collected.docs.len()),
        CheckFormat::Github => check::github_commands(&findings),
        CheckFormat::Sarif => serde_json::to_string_pretty(&sarif::log(&findings, &config))? + "\n",
        CheckFormat::Json => serde_json::to_string_pretty(&findings)? + "\n",
    };
    emit(args.output.as_deref(), &report)?;
    let counts = check::counts(&findings);
    if format != CheckFormat::Text && !args.source.quiet {
        eprintln!("{} documents checked: {} errors, {} warnings, {} notes", collected.docs.len(), counts.errors, counts.warnings, counts.notes);
    }
    Ok(if findings.iter().any(|f| f.level == Level::Error) { ExitCode::Attention } else { ExitCode::Ok })
}

/// `summary`.
pub fn summary_command(args: SummaryArgs) -> Result<ExitCode> {
    let day = as_of(args.as_of.as_deref())?.unwrap_or_else(today);
    let collected = collect(&args.source)?;
    let s = summary::summarise(&collected.docs, day);
    let text = match args.format {
        SummaryFormat::Table => summary::table(&s),
        SummaryFormat::Json => serde_json::to_string_pretty(&s)? + "\n",
        SummaryFormat::Csv => summary::csv(&s)?,
    };
    emit(args.output.as_deref(), &text)?;
    Ok(ExitCode::Ok)
}

/// `cache prune`.
pub fn cache_command(cmd: CacheCommand) -> Result<ExitCode> {
    match cmd {
        CacheCommand::Prune { cache: dir, max_size } => {
            let r = cache::prune_dir(&dir, max_size)?;
            println!("{}: removed {} entries ({} bytes); kept {} entries ({} bytes)", dir.display(), r.removed, r.freed, r.kept, r.size);
            Ok(ExitCode::Ok)
        }
    }
}
