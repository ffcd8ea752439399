//! What every command shares: the document and batch options, the settings
//! and rules they build, the cache, Ctrl-C, reading a previous run and
//! writing a command's output. The command files use this module; it uses
//! none of them, so the binary's modules form no cycle.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};

use contract_milestones::cache::Cache;
use contract_milestones::config::Settings;
use contract_milestones::output;
use contract_milestones::record::Document;
use contract_milestones::rules::RuleSet;
use contract_milestones::run::{BatchOptions, Isolation, Sink, Tally};

use crate::exit::{usage, ExitCode};

#[derive(Args, Debug, Clone)]
pub(crate) struct DocArgs {
    /// PDF engine to try first; the other one is the fallback.
    #[arg(long, value_enum, default_value = "pdf_oxide")]
    engine: contract_milestones::text::EngineName,
    /// Do not fall back to the other engine when the first fails or finds no text.
    #[arg(long)]
    no_fallback: bool,
    /// Password for encrypted PDFs (tried after the empty password).
    #[arg(long, value_name = "PASSWORD", conflicts_with = "password_file")]
    password: Option<String>,
    /// Read the password from the first line of this file.
    #[arg(long, value_name = "FILE")]
    password_file: Option<PathBuf>,
    /// Files larger than this are `too_large` (bytes; K, M, G suffixes allowed).
    #[arg(long, value_name = "SIZE", default_value = "200M", value_parser = parse_size)]
    max_file_size: u64,
    /// Documents with more pages than this are `too_large`.
    #[arg(long, value_name = "N", default_value_t = 5000)]
    max_pages: u32,
    /// Memory limit of each worker process (bytes; K, M, G suffixes); a document that needs more is `unreadable`.
    #[arg(long, value_name = "SIZE", default_value = "2G", value_parser = parse_size)]
    max_memory: u64,
    /// Order of numeric dates like 03/04/2025; default: decided per document from its evidence.
    #[arg(long, value_enum)]
    date_order: Option<DateOrderArg>,
    /// Holidays skipped by business-day arithmetic: a file with one YYYY-MM-DD date per line.
    #[arg(long, value_name = "FILE")]
    holidays: Option<PathBuf>,
    /// Also skip US federal holidays (with their observed days) in business-day arithmetic.
    #[arg(long)]
    us_holidays: bool,
    /// OCR pages that have no text layer: render them with `pdftoppm` and read them with `tesseract` (both must be on the PATH). Slow: raise --timeout for long scans.
    #[arg(long)]
    ocr: bool,
    /// Run every rule on every segment, without the RegexSet prefilter (for measuring it; same output).
    #[arg(long, hide = true)]
    no_prefilter: bool,
    #[command(flatten)]
    rules: RuleArgs,
}

#[derive(ValueEnum, Debug, Clone, Copy)]
pub(crate) enum DateOrderArg {
    /// month/day/year (US)
    Mdy,
    /// day/month/year
    Dmy,
}

/// How a batch of PDFs is run: `--jobs`, `--timeout` and the hidden
/// `--in-process` (extract, due, check and summary all take them).
#[derive(Debug, clap::Args)]
pub(crate) struct BatchArgs {
    /// Documents processed in parallel (default: all cores).
    #[arg(short, long, value_name = "N")]
    pub jobs: Option<usize>,
    /// Per-document time limit in seconds; a document over it is `timeout` and the run goes on.
    #[arg(long, value_name = "SECS", default_value_t = 60.0, value_parser = parse_seconds)]
    pub timeout: f64,
    /// Process documents inside this process (no worker processes; --timeout is not enforced).
    #[arg(long, hide = true)]
    pub in_process: bool,
}

/// `--timeout`: a positive, finite number of seconds.
pub(crate) fn parse_seconds(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(t) if t > 0.0 && t.is_finite() => Ok(t),
        _ => Err("must be a positive number of seconds".into()),
    }
}

pub(crate) fn parse_size(s: &str) -> Result<u64, String> {
    let s = s.trim();
    let (num, mult) = match s.chars().last().map(|c| c.to_ascii_uppercase()) {
        Some('K') => (&s[..s.len() - 1], 1024u64),
        Some('M') => (&s[..s.len() - 1], 1024 * 1024),
        Some('G') => (&s[..s.len() - 1], 1024 * 1024 * 1024),
        _ => (s, 1),
    };
    num.trim().parse::<u64>().map(|n| n.saturating_mul(mult)).map_err(|_| format!("`{s}` is not a size (e.g. 500K, 200M, 2G)"))
}

pub(crate) fn settings_from(doc: &DocArgs) -> Result<Settings> {
    if doc.ocr {
        let missing = contract_milestones::ocr::missing_tools();
        if !missing.is_empty() {
            return Err(usage(format!("--ocr needs `pdftoppm` (poppler-utils) and `tesseract` (tesseract-ocr) on the PATH; not found: {}", missing.join(", "))));
        }
    }
    let password = match (&doc.password, &doc.password_file) {
        (Some(p), _) => Some(p.clone()),
        (None, Some(f)) => {
            let text = std::fs::read_to_string(f).with_context(|| format!("cannot read the password file {}", f.display()))?;
            Some(text.lines().next().unwrap_or("").to_string())
        }
        (None, None) => None,
    };
    let holidays = match &doc.holidays {
        Some(f) => {
            let text = std::fs::read_to_string(f).with_context(|| format!("cannot read the holidays file {}", f.display()))?;
            if let Err((line, why)) = contract_milestones::normalise::Calendar::from_iso_lines(&text) {
                return Err(usage(format!("{}:{line}: {why}", f.display())));
            }
            text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).map(String::from).collect()
        }
        None => Vec::new(),
    };
    Ok(Settings {
        engine: match doc.engine {
            contract_milestones::text::EngineName::PdfOxide => "pdf_oxide".into(),
            contract_milestones::text::EngineName::PdfExtract => "pdf-extract".into(),
        },
        fallback: !doc.no_fallback,
        password,
        max_pages: Some(doc.max_pages),
        max_file_size: Some(doc.max_file_size),
        max_memory: Some(doc.max_memory),
        date_order: doc.date_order.map(|o| match o {
            DateOrderArg::Mdy => "mdy".into(),
            DateOrderArg::Dmy => "dmy".into(),
        }),
        holidays,
        rules: doc.rules.rules.clone(),
        no_default_rules: doc.rules.no_default_rules,
        us_holidays: doc.us_holidays,
        no_prefilter: doc.no_prefilter,
        ocr: doc.ocr,
        as_of: None,
    })
}

pub(crate) fn load_rules(settings: &Settings) -> Result<RuleSet> {
    settings.load_rules().map_err(|e| usage(format!("invalid rule files:\n{e}")))
}

/// How a batch runs: documents in parallel, each in a worker process (this
/// program's hidden `__worker` command) unless `in_process`.
pub(crate) fn batch_options(settings: &Settings, args: &BatchArgs, cache: Option<Arc<contract_milestones::cache::Cache>>) -> Result<BatchOptions> {
    let jobs = args.jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())).max(1);
    let isolation = if args.in_process {
        Isolation::InProcess
    } else {
        Isolation::Workers {
            program: std::env::current_exe().context("cannot find this program's own path to start workers")?,
            args: vec!["__worker".into()],
            settings: serde_json::to_string(settings)?,
        }
    };
    Ok(BatchOptions { jobs, timeout: Duration::from_secs_f64(args.timeout), isolation, cache })
}

/// A flag Ctrl-C raises. The first Ctrl-C: abandon the documents under way,
/// write the finished ones and close the output properly; a second one ends
/// the process at once.
pub(crate) fn stop_on_ctrl_c() -> Arc<AtomicBool> {
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    let _ = ctrlc::set_handler(move || {
        if flag.swap(true, Ordering::SeqCst) {
            std::process::exit(ExitCode::Interrupted.code());
        }
    });
    stop
}

/// Collects documents in input order, counting them for the summary line.
pub(crate) struct CollectSink {
    pub(crate) docs: Vec<Document>,
    pub(crate) tally: Tally,
}

impl Sink for CollectSink {
    fn document(&mut self, doc: &Document) -> std::io::Result<()> {
        self.tally.add(doc);
        self.docs.push(doc.clone());
        Ok(())
    }
}

/// A previous run's output (`--from FILE`, `-` for standard input): JSON or
/// JSON Lines.
pub(crate) fn read_previous_run(file: &std::path::Path) -> Result<Vec<Document>> {
    let text = if file.as_os_str() == "-" {
        std::io::read_to_string(std::io::stdin()).context("cannot read standard input")?
    } else {
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?
    };
    output::read_documents(&text).map_err(|e| match e {
        // file:line, as editors and CI logs link it.
        output::ReadError::Line { line, source } => usage(format!("{}:{line}: not a document object (expected extract's JSON or JSON Lines output): {source}", file.display())),
        other => anyhow::Error::new(other).context(file.display().to_string()),
    })
}

/// `--cache DIR` and its size bound (extract, check, summary).
#[derive(Args, Debug, Clone)]
pub struct CacheArgs {
    /// Reuse extracted documents from this folder when a file's bytes, the rules, the settings and the tool version are unchanged; store new ones there.
    #[arg(long, value_name = "DIR")]
    pub cache: Option<PathBuf>,
    /// Size bound of the cache folder: least recently used entries beyond it are deleted at the end of the run (bytes; K, M, G suffixes).
    #[arg(long, value_name = "SIZE", default_value = "1G", value_parser = parse_size)]
    pub cache_max_size: u64,
}

/// Open the cache of a run, if one was asked for.
pub fn open_cache(args: &CacheArgs, settings: &contract_milestones::config::Settings) -> Result<Option<Arc<Cache>>> {
    match &args.cache {
        None => Ok(None),
        Some(dir) => Ok(Some(Arc::new(Cache::open(dir, settings).with_context(|| format!("cannot use the cache {}", dir.display()))?))),
    }
}

/// After a run: the summary line's cache part, and the size bound applied.
pub fn finish_cache(cache: &Cache, max_size: u64) -> String {
    use std::sync::atomic::Ordering::Relaxed;
    let s = &cache.stats;
    let mut line = format!("{} from cache", s.hits.load(Relaxed));
    let (corrupt, failed) = (s.corrupt.load(Relaxed), s.write_errors.load(Relaxed));
    if corrupt > 0 {
        line.push_str(&format!(", {corrupt} corrupt cache entr{} rebuilt", if corrupt == 1 { "y" } else { "ies" }));
    }
    if failed > 0 {
        line.push_str(&format!(", {failed} cache entr{} not written", if failed == 1 { "y" } else { "ies" }));
    }
    match cache.prune(max_size) {
        Ok(r) if r.removed > 0 => line.push_str(&format!(", {} old entr{} pruned", r.removed, if r.removed == 1 { "y" } else { "ies" })),
        Ok(_) => {}
        Err(e) => line.push_str(&format!(", cache not pruned: {:#}", anyhow::Error::from(e))),
    }
    line
}

/// Write text to stdout or atomically to a file.
pub(crate) fn emit(output: Option<&Path>, text: &str) -> Result<()> {
    let mut dest = output::open(output)?;
    dest.write_all(text.as_bytes())?;
    match dest {
        output::Destination::File { tmp, target } => {
            let tmp = tmp.into_inner().map_err(|e| e.into_error())?;
            tmp.as_file().sync_all()?;
            tmp.persist(&target).map_err(|e| e.error).with_context(|| format!("cannot write {}", target.display()))?;
        }
        mut other => other.flush()?,
    }
    Ok(())
}

/// Which rule files a command loads.
#[derive(Args, Debug, Clone)]
pub(crate) struct RuleArgs {
    /// Add rules from this folder (or .toml file); repeatable. A rule whose id matches a built-in one replaces it.
    #[arg(long = "rules", value_name = "DIR")]
    pub(crate) rules: Vec<PathBuf>,
    /// Do not load the built-in rules.
    #[arg(long)]
    pub(crate) no_default_rules: bool,
}
