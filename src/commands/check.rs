//! `contract-milestones check`: extract (or read a previous run) and apply
//! the checks; text, GitHub annotations, SARIF or JSON. The checks are the
//! library's (`check`, `sarif`).

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};

use contract_milestones::check::{self, CheckConfig, Level};
use contract_milestones::sarif;

use crate::exit::{usage, ExitCode};
use crate::setup::{as_of, collect, emit, interrupted, today, SourceArgs};

/// How `check` prints its findings.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CheckFormat {
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
pub(crate) struct CheckArgs {
    #[command(flatten)]
    pub(crate) source: SourceArgs,
    /// Check levels (and `as_of`) from a TOML file: `[levels]` then `check-id = "error" | "warning" | "note" | "off"`.
    #[arg(long, value_name = "FILE")]
    pub(crate) config: Option<PathBuf>,
    /// Set a check's level, e.g. `--level overdue=error`; repeatable; wins over --config.
    #[arg(long = "level", value_name = "ID=LEVEL")]
    pub(crate) levels: Vec<String>,
    /// The day overdue items are measured against (YYYY-MM-DD; default today).
    #[arg(long, value_name = "DATE")]
    pub(crate) as_of: Option<String>,
    /// How near an opt-out deadline must be to warn: `90d` (default), `2w`, `30`.
    #[arg(long, value_name = "DAYS")]
    pub(crate) within: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "auto")]
    pub(crate) format: CheckFormat,
    /// Write the report to this file (atomically) instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
}

/// `check --help`'s list of checks (kept in step with `check::CHECKS` by a test).
pub(crate) const HELP: &str = concat!(
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

/// `check`: exit 0 when clean, 1 when a finding is at error level.
pub(crate) fn run(args: CheckArgs) -> Result<ExitCode> {
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
    let Some(collected) = collect(&args.source)? else { return Ok(interrupted("nothing written")) };
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
