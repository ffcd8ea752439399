//! The `diff` command: read (or extract) two runs, compare them with the
//! library's `diff`, print the result. Folders are extracted as `check` and
//! `summary` extract them (same settings, workers, cache, Ctrl-C).
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::time::Instant;

use anyhow::Result;
use clap::{Args, ValueEnum};

use contract_milestones::diff::{self, render, DocChange};
use contract_milestones::discover;
use contract_milestones::record::Document;
use contract_milestones::run::{self, Tally};

use crate::exit::{usage, ExitCode};
use crate::setup::{batch_options, emit, finish_cache, load_rules, open_cache, read_previous_run, settings_from, stop_on_ctrl_c, BatchArgs, CacheArgs, CollectSink, DocArgs};

/// `diff --help`'s closing text.
pub const DIFF_HELP: &str = "\
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
pub enum DiffFormat {
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
pub struct DiffArgs {
    /// The earlier run: extract's JSON or JSON Lines output, or a folder (or PDF) to extract now.
    #[arg(value_name = "OLD")]
    pub old: PathBuf,
    /// The later run, likewise.
    #[arg(value_name = "NEW")]
    pub new: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: DiffFormat,
    /// How much later a date may move before it is a regression: 0d (default), 7d, 2w, or a number of days.
    #[arg(long, value_name = "DAYS", default_value = "0d", value_parser = contract_milestones::due::parse_days)]
    pub tolerance: u32,
    /// Write to this file (atomically) instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub batch: BatchArgs,
    /// No summary lines on stderr.
    #[arg(short, long)]
    pub quiet: bool,
    #[command(flatten)]
    pub cache: CacheArgs,
    #[command(flatten)]
    pub doc: DocArgs,
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

/// What extracting a folder needs, set up once for both sides: one rule
/// set, one cache, one Ctrl-C flag.
struct Extractor {
    doc_opts: contract_milestones::options::DocOptions,
    rules: contract_milestones::rules::RuleSet,
    cache: Option<std::sync::Arc<contract_milestones::cache::Cache>>,
    batch: run::BatchOptions,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl Extractor {
    fn new(args: &DiffArgs) -> Result<Extractor> {
        let settings = settings_from(&args.doc)?;
        let doc_opts = settings.doc_options()?;
        let rules = load_rules(&settings)?;
        let cache = open_cache(&args.cache, &settings)?;
        let batch = batch_options(&settings, &args.batch, cache.clone())?;
        Ok(Extractor { doc_opts, rules, cache, batch, stop: stop_on_ctrl_c() })
    }

    /// One side's documents; `None` when interrupted.
    fn extract(&self, path: &Path, args: &DiffArgs, label: &str) -> Result<Option<Side>> {
        let started = Instant::now();
        let inputs = discover::discover(&[path.to_path_buf()])?;
        let mut sink = CollectSink { docs: Vec::with_capacity(inputs.len()), tally: Tally::default() };
        run::run_batch(&inputs, &self.doc_opts, &self.rules, &self.batch, &self.stop, &mut sink)?;
        if self.stop.load(Ordering::SeqCst) {
            return Ok(None);
        }
        if !args.quiet {
            eprintln!("{label} ({}): {}", path.display(), sink.tally.summary(started.elapsed()));
        }
        let locations = inputs.iter().map(|i| (i.rel.clone(), discover::display(&i.path).trim_start_matches("./").to_string())).collect();
        Ok(Some(Side { docs: sink.docs, locations }))
    }
}

/// One side: extracted, or read from a run's output; `None` when interrupted.
fn side(path: &Path, args: &DiffArgs, label: &str, extractor: Option<&Extractor>) -> Result<Option<Side>> {
    if let (true, Some(x)) = (is_extracted(path), extractor) {
        return x.extract(path, args, label);
    }
    let docs = read_previous_run(path)?;
    let locations = docs.iter().map(|d| (d.path.clone(), d.path.clone())).collect();
    Ok(Some(Side { docs, locations }))
}

/// `diff`: exit 0 when nothing regressed, 1 when something did.
pub fn diff_command(args: DiffArgs) -> Result<ExitCode> {
    if args.old.as_os_str() == "-" && args.new.as_os_str() == "-" {
        return Err(usage("OLD and NEW cannot both be `-` (standard input)"));
    }
    let extractor = if is_extracted(&args.old) || is_extracted(&args.new) { Some(Extractor::new(&args)?) } else { None };
    let Some(old) = side(&args.old, &args, "old", extractor.as_ref())? else { return interrupted() };
    let Some(mut new) = side(&args.new, &args, "new", extractor.as_ref())? else { return interrupted() };
    // Two PDFs are two versions of one contract, whatever their names
    // (`diff contract.pdf contract-amended.pdf`): the new one takes the old
    // one's path, and annotations still point at the new file.
    if is_pdf(&args.old) && is_pdf(&args.new) && old.docs.len() == 1 && new.docs.len() == 1 {
        let (path, was) = (old.docs[0].path.clone(), std::mem::take(&mut new.docs[0].path));
        let location = new.locations.remove(&was).unwrap_or(was);
        new.locations.insert(path.clone(), location);
        new.docs[0].path = path;
    }
    if let Some(c) = extractor.as_ref().and_then(|x| x.cache.as_ref()) {
        let line = finish_cache(c, args.cache.cache_max_size);
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

fn interrupted() -> Result<ExitCode> {
    eprintln!("contract-milestones: interrupted; no diff written");
    Ok(ExitCode::Interrupted)
}
