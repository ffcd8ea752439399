//! `contract-milestones diff`: read (or extract) two runs, compare them with
//! the library's `diff`, print the result. Folders are extracted as `check`
//! and `summary` extract them (same settings, workers, cache, Ctrl-C).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Result;
use clap::{Args, ValueEnum};

use contract_milestones::diff::{self, render, DocChange};
use contract_milestones::discover;
use contract_milestones::record::Document;

use crate::exit::{usage, ExitCode};
use crate::setup::{emit, interrupted, read_previous_run, settings_from, Batch, BatchArgs, CacheArgs, DocArgs, Pipeline};

/// `diff --help`'s closing text.
pub(crate) const HELP: &str = "\
OLD and NEW are each the output of `extract` (JSON or JSON Lines; `-` for
standard input) or a folder or PDF, extracted now with the options below
(--cache makes the second extraction of unchanged files instant). Two PDFs
are compared with each other whatever their names.

Documents are matched by path. Records are matched within a document and a
kind, one to one, best pair first: the same name (case and punctuation
aside), then a similar name (more than half of their content words shared),
then the same or nearly the same evidence text (a renamed record). The output
says which (`matched by`).

A regression is: a date that moved later by more than --tolerance, a dated
record that lost its date or disappeared, an amount or share that changed or
was lost, a document that was `ok` and now is not. Earlier dates, new
records, new or removed documents and changed document fields (effective,
expiration, renewal, notice, opt-out, price) are reported, not regressions.

Exit codes:
  0  nothing regressed (changes may be listed)
  1  something regressed
  2  usage error: bad arguments, a path that does not exist, a file that is
     not extract's output
  3  failed while running: the output could not be written (full disk,
     permissions), a cache could not be used
130  interrupted (Ctrl-C) while extracting a folder; nothing is written

Examples:
  contract-milestones extract contracts/ -o before.json
  contract-milestones diff before.json contracts/ --cache .cm-cache
  contract-milestones diff contract.pdf contract-amended.pdf
  contract-milestones diff main.jsonl pr.jsonl --format markdown -o comment.md
  contract-milestones diff main.jsonl pr.jsonl --format github --tolerance 7d";

/// How `diff` prints.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DiffFormat {
    /// A report for a terminal: per contract a summary line and its changes.
    Table,
    /// The whole diff as one JSON object (documented in the README).
    Json,
    /// Markdown for a pull-request comment: a summary line per contract, then tables.
    Markdown,
    /// GitHub Actions workflow commands, one per change; regressions as `::error`.
    Github,
}

/// `contract-milestones diff`.
#[derive(Args, Debug)]
pub(crate) struct DiffArgs {
    /// The earlier run: extract's JSON or JSON Lines output, or a folder (or PDF) to extract now.
    #[arg(value_name = "OLD")]
    pub(crate) old: PathBuf,
    /// The later run, likewise.
    #[arg(value_name = "NEW")]
    pub(crate) new: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub(crate) format: DiffFormat,
    /// How much later a date may move before it is a regression: 0d (default), 7d, 2w, or a number of days.
    #[arg(long, value_name = "DAYS", default_value = "0d", value_parser = contract_milestones::due::parse_days)]
    pub(crate) tolerance: u32,
    /// Write to this file (atomically) instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
    #[command(flatten)]
    pub(crate) batch: BatchArgs,
    /// No summary lines on stderr.
    #[arg(short, long)]
    pub(crate) quiet: bool,
    #[command(flatten)]
    pub(crate) cache: CacheArgs,
    #[command(flatten)]
    pub(crate) doc: DocArgs,
}

/// One side's documents and where each is on disk (for annotations), by path.
struct Side {
    docs: Vec<Document>,
    locations: HashMap<String, String>,
}

fn is_pdf(p: &Path) -> bool {
    p.is_file() && p.extension().is_some_and(|e| e.eq_ignore_ascii_case("pdf"))
}

/// A folder or a PDF is extracted; anything else is read as a run.
fn is_extracted(p: &Path) -> bool {
    p.is_dir() || is_pdf(p)
}

/// One side's documents, extracted by the batch set up once for both sides
/// (one rule set, one cache, one Ctrl-C); `None` when interrupted.
fn extract(batch: &Batch, path: &Path, args: &DiffArgs, label: &str) -> Result<Option<Side>> {
    let started = Instant::now();
    let inputs = discover::discover(&[path.to_path_buf()])?;
    let Some(sink) = batch.collect(&inputs)? else { return Ok(None) };
    if !args.quiet {
        eprintln!("{label} ({}): {}", path.display(), sink.tally.summary(started.elapsed()));
    }
    let locations = inputs.iter().map(|i| (i.rel.clone(), discover::display(&i.path).trim_start_matches("./").to_string())).collect();
    Ok(Some(Side { docs: sink.docs, locations }))
}

/// One side: extracted, or read from a run's output; `None` when interrupted.
fn side(path: &Path, args: &DiffArgs, label: &str, batch: Option<&Batch>) -> Result<Option<Side>> {
    if let (true, Some(b)) = (is_extracted(path), batch) {
        return extract(b, path, args, label);
    }
    let docs = read_previous_run(path)?;
    let locations = docs.iter().map(|d| (d.path.clone(), d.path.clone())).collect();
    Ok(Some(Side { docs, locations }))
}

/// `diff`: exit 0 when nothing regressed, 1 when something did.
pub(crate) fn run(args: DiffArgs) -> Result<ExitCode> {
    if args.old.as_os_str() == "-" && args.new.as_os_str() == "-" {
        return Err(usage("OLD and NEW cannot both be `-` (standard input)"));
    }
    let batch = if is_extracted(&args.old) || is_extracted(&args.new) { Some(Pipeline::new(settings_from(&args.doc)?)?.start(&args.batch, Some(&args.cache))?) } else { None };
    let Some(old) = side(&args.old, &args, "old", batch.as_ref())? else { return Ok(interrupted("no diff written")) };
    let Some(mut new) = side(&args.new, &args, "new", batch.as_ref())? else { return Ok(interrupted("no diff written")) };
    if let Some(b) = &batch {
        b.stop_at_once();
    }
    // Two PDFs are two versions of one contract, whatever their names
    // (`diff contract.pdf contract-amended.pdf`): the new one takes the old
    // one's path, and annotations still point at the new file.
    if is_pdf(&args.old) && is_pdf(&args.new) && old.docs.len() == 1 && new.docs.len() == 1 {
        let (path, was) = (old.docs[0].path.clone(), std::mem::take(&mut new.docs[0].path));
        let location = new.locations.remove(&was).unwrap_or(was);
        new.locations.insert(path.clone(), location);
        new.docs[0].path = path;
    }
    if let Some(line) = batch.as_ref().and_then(Batch::finish_cache) {
        if !args.quiet {
            eprintln!("cache: {line}");
        }
    }
    let d = diff::diff(&old.docs, &new.docs, &diff::Options { tolerance_days: args.tolerance });
    let text = match args.format {
        DiffFormat::Table => render::table(&d),
        DiffFormat::Json => serde_json::to_string_pretty(&d)? + "\n",
        DiffFormat::Markdown => render::markdown(&d),
        DiffFormat::Github => render::github_commands(&d, |doc| {
            let from = if doc.change == DocChange::Removed { &old.locations } else { &new.locations };
            from.get(&doc.path).cloned().unwrap_or_else(|| doc.path.clone())
        }),
    };
    emit(args.output.as_deref(), &text)?;
    if args.format != DiffFormat::Table && !args.quiet {
        let c = &d.counts;
        eprintln!("diff: {} changed, {} added, {} removed, {} unchanged; {} regressions", c.changed, c.added, c.removed, c.unchanged, c.regressions);
    }
    Ok(if d.regressed { ExitCode::Attention } else { ExitCode::Ok })
}
