//! What every command shares: the document and batch options, the settings
//! and rules they build, the one way a batch of PDFs is run (workers,
//! limits, cache, Ctrl-C: [`Pipeline`] and [`Batch`]), reading a previous
//! run and writing a command's output. The command files
//! (`src/commands/`) use this module; it uses none of them, so the binary's
//! modules form no cycle.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use clap::Args;

use contract_milestones::cache::Cache;
use contract_milestones::config::Settings;
use contract_milestones::discover::{self, Input};
use contract_milestones::options::DocOptions;
use contract_milestones::output;
use contract_milestones::record::Document;
use contract_milestones::rules::RuleSet;
use contract_milestones::run::{self, BatchOptions, Isolation, Sink, Tally};

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
    date_order: Option<contract_milestones::normalise::DateOrder>,
    /// Holidays skipped by business-day arithmetic: a file with one YYYY-MM-DD date per line.
    #[arg(long, value_name = "FILE")]
    holidays: Option<PathBuf>,
    /// Also skip US federal holidays (with their observed days) in business-day arithmetic.
    #[arg(long)]
    us_holidays: bool,
    /// OCR pages that have no text layer: render them with `pdftoppm` and read them with `tesseract` (both must be on the PATH). Slow: raise --timeout for long scans.
    #[arg(long)]
    ocr: bool,
    /// Run every rule on every segment, without the keyword prefilter (for measuring it; same output).
    #[arg(long, hide = true)]
    no_prefilter: bool,
    #[command(flatten)]
    rules: RuleArgs,
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
    /// Write the technical detail behind a document's error (a PDF library's own message, a panic's text) to standard error.
    #[arg(short, long)]
    pub verbose: bool,
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
            contract_milestones::normalise::Calendar::from_iso_lines(&text).map_err(|(line, why)| usage(format!("{}:{line}: {why}", f.display())))?
        }
        None => contract_milestones::normalise::Calendar::weekends_only(),
    };
    Ok(Settings {
        engine: doc.engine,
        fallback: !doc.no_fallback,
        password,
        max_pages: Some(doc.max_pages),
        max_file_size: Some(doc.max_file_size),
        max_memory: Some(doc.max_memory),
        date_order: doc.date_order,
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

/// The document pipeline of a command: its settings, their document
/// options and its rules, loaded once. Every command that reads PDFs builds
/// one, and [`Pipeline::start`] turns it into the one kind of [`Batch`].
pub(crate) struct Pipeline {
    pub(crate) settings: Settings,
    pub(crate) doc_opts: DocOptions,
    pub(crate) rules: RuleSet,
}

impl Pipeline {
    /// The document options and rules of `settings` (invalid rule files are
    /// a usage error).
    pub(crate) fn new(settings: Settings) -> Result<Pipeline> {
        let doc_opts = settings.doc_options();
        let rules = load_rules(&settings)?;
        Ok(Pipeline { settings, doc_opts, rules })
    }

    /// Ready to run documents: the cache opened (when asked for), the
    /// workers and their limits set up, Ctrl-C caught.
    pub(crate) fn start(self, args: &BatchArgs, cache: Option<&CacheArgs>) -> Result<Batch> {
        let cache_max_size = cache.map_or(0, |c| c.cache_max_size);
        let cache = match cache {
            Some(c) => open_cache(c, &self.settings)?,
            None => None,
        };
        let options = batch_options(&self.settings, args, cache.clone())?;
        let (stop, at_once) = catch_ctrl_c();
        Ok(Batch { pipeline: self, cache, cache_max_size, options, stop, at_once, verbose: args.verbose })
    }
}

/// Documents run the same way for every command: in worker processes under
/// the limits, in input order, through the cache, and stopped by Ctrl-C.
pub(crate) struct Batch {
    pub(crate) pipeline: Pipeline,
    cache: Option<Arc<Cache>>,
    cache_max_size: u64,
    options: BatchOptions,
    stop: Arc<AtomicBool>,
    at_once: Arc<AtomicBool>,
    verbose: bool,
}

impl Batch {
    /// Process `inputs`, handing each document to `sink` in input order.
    /// After Ctrl-C it returns early; see [`Batch::interrupted`].
    pub(crate) fn run(&self, inputs: &[Input], sink: &mut dyn Sink) -> std::io::Result<usize> {
        let p = &self.pipeline;
        if self.verbose {
            return run::run_batch(inputs, &p.doc_opts, &p.rules, &self.options, &self.stop, &mut Verbose(sink));
        }
        run::run_batch(inputs, &p.doc_opts, &p.rules, &self.options, &self.stop, sink)
    }

    /// Each input's training candidates (`train`), in input order, read in
    /// worker processes under the same limits as [`Batch::run`]'s
    /// documents; `None` when Ctrl-C stopped the run.
    pub(crate) fn examine(&self, inputs: &[Input]) -> Result<Option<Vec<contract_milestones::pipeline::Examined>>> {
        let p = &self.pipeline;
        let mut options = self.options.clone();
        if let Isolation::Workers { args, .. } = &mut options.isolation {
            args.push("--candidates".into());
        }
        let mut out = Vec::with_capacity(inputs.len());
        let verbose = self.verbose;
        run::run_outcomes(inputs, &p.doc_opts, &p.rules, &options, &self.stop, &mut |e: &contract_milestones::pipeline::Examined| {
            if let (true, contract_milestones::pipeline::Examined::Failed { status, detail: Some(detail), .. }) = (verbose, e) {
                eprintln!("contract-milestones: {}: {}: {detail}", inputs[out.len()].rel, status.as_str());
            }
            out.push(e.clone());
            Ok(())
        })?;
        if self.interrupted() {
            return Ok(None);
        }
        Ok(Some(out))
    }

    /// The pipeline back, for a command that goes on without workers.
    pub(crate) fn into_pipeline(self) -> Pipeline {
        self.pipeline
    }

    /// Whether Ctrl-C stopped the run.
    pub(crate) fn interrupted(&self) -> bool {
        self.stop.load(Ordering::SeqCst)
    }

    /// Every document of `inputs`, in input order, with the summary counts;
    /// `None` when Ctrl-C stopped the run.
    pub(crate) fn collect(&self, inputs: &[Input]) -> Result<Option<CollectSink>> {
        let mut sink = CollectSink { docs: Vec::with_capacity(inputs.len()), tally: Tally::default() };
        self.run(inputs, &mut sink)?;
        if self.interrupted() {
            return Ok(None);
        }
        Ok(Some(sink))
    }

    /// From now on Ctrl-C ends the process at once: for a command that has
    /// all its documents (`diff` both sides) and only writes at the end, so
    /// that Ctrl-C is not swallowed while it renders or writes.
    pub(crate) fn stop_at_once(&self) {
        self.at_once.store(true, Ordering::SeqCst);
    }

    /// After a run: the summary line's cache part, with the size bound
    /// applied; `None` without a cache.
    pub(crate) fn finish_cache(&self) -> Option<String> {
        self.cache.as_ref().map(|c| finish_cache(c, self.cache_max_size))
    }
}

/// Say that Ctrl-C stopped a command that writes only at the end, and so
/// wrote nothing.
pub(crate) fn interrupted(what: &str) -> ExitCode {
    eprintln!("contract-milestones: interrupted; {what}");
    ExitCode::Interrupted
}

/// Catch Ctrl-C. The first one raises `stop`: abandon the documents under
/// way, write the finished ones and close the output properly. A second
/// one, or the first once `at_once` is raised ([`Batch::stop_at_once`]: a
/// command that has its documents and only writes at the end), ends the
/// process at once.
fn catch_ctrl_c() -> (Arc<AtomicBool>, Arc<AtomicBool>) {
    let stop = Arc::new(AtomicBool::new(false));
    let at_once = Arc::new(AtomicBool::new(false));
    let (flag, now) = (stop.clone(), at_once.clone());
    let _ = ctrlc::set_handler(move || {
        if now.load(Ordering::SeqCst) || flag.swap(true, Ordering::SeqCst) {
            std::process::exit(ExitCode::Interrupted.code());
        }
    });
    (stop, at_once)
}

/// `--verbose`: each document's error detail to standard error, as it
/// passes on to the command's own sink.
struct Verbose<'a>(&'a mut dyn Sink);

impl Sink for Verbose<'_> {
    fn document(&mut self, doc: &Document) -> std::io::Result<()> {
        if let Some(detail) = &doc.error_detail {
            eprintln!("contract-milestones: {}: {}: {detail}", doc.path, doc.status.as_str());
        }
        self.0.document(doc)
    }
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

/// `--cache DIR` and its size bound (extract, check, summary, report, diff).
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
fn open_cache(args: &CacheArgs, settings: &contract_milestones::config::Settings) -> Result<Option<Arc<Cache>>> {
    match &args.cache {
        None => Ok(None),
        Some(dir) => Ok(Some(Arc::new(Cache::open(dir, settings).with_context(|| format!("cannot use the cache {}", dir.display()))?))),
    }
}

/// After a run: the summary line's cache part, and the size bound applied.
fn finish_cache(cache: &Cache, max_size: u64) -> String {
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

/// `--as-of` and the like: a day, YYYY-MM-DD.
pub(crate) fn parse_day(s: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| format!("`{s}` is not a date YYYY-MM-DD"))
}

/// Where documents come from for check, summary and report: PDFs and
/// folders, or a previous run's output.
#[derive(Args, Debug)]
pub(crate) struct SourceArgs {
    /// PDF files and folders (walked recursively), as for `extract`.
    #[arg(value_name = "PATH", required_unless_present = "from", conflicts_with = "from")]
    pub(crate) paths: Vec<PathBuf>,
    /// Read documents from a previous run's output (JSON or JSON Lines) instead of extracting.
    #[arg(long, value_name = "FILE")]
    pub(crate) from: Option<PathBuf>,
    #[command(flatten)]
    pub(crate) batch: BatchArgs,
    /// No summary line on stderr.
    #[arg(short, long)]
    pub(crate) quiet: bool,
    #[command(flatten)]
    pub(crate) cache: CacheArgs,
    #[command(flatten)]
    pub(crate) doc: DocArgs,
}

/// Documents and where each one is on disk (for annotations).
pub(crate) struct Collected {
    pub(crate) docs: Vec<Document>,
    pub(crate) locations: Vec<String>,
}

/// The documents of a [`SourceArgs`]: read from `--from`, or extracted (with
/// the summary line on stderr unless `--quiet`); `None` when Ctrl-C stopped
/// the extraction.
pub(crate) fn collect(src: &SourceArgs) -> Result<Option<Collected>> {
    if let Some(from) = &src.from {
        let docs = read_previous_run(from)?;
        let locations = docs.iter().map(|d| d.path.clone()).collect();
        return Ok(Some(Collected { docs, locations }));
    }
    let started = Instant::now();
    let pipeline = Pipeline::new(settings_from(&src.doc)?)?;
    let inputs = discover::discover(&src.paths)?;
    let batch = pipeline.start(&src.batch, Some(&src.cache))?;
    let Some(sink) = batch.collect(&inputs)? else { return Ok(None) };
    batch.stop_at_once();
    let mut line = sink.tally.summary(started.elapsed());
    if let Some(c) = batch.finish_cache() {
        line.push_str("; ");
        line.push_str(&c);
    }
    if !src.quiet {
        eprintln!("{line}");
    }
    let locations = inputs.iter().map(|i| discover::display(&i.path).trim_start_matches("./").to_string()).collect();
    Ok(Some(Collected { docs: sink.docs, locations }))
}

/// `--as-of` of check, summary and report.
pub(crate) fn as_of(flag: Option<&str>) -> Result<Option<chrono::NaiveDate>> {
    match flag {
        None => Ok(None),
        Some(s) => match contract_milestones::check::parse_day(s) {
            Some(d) => Ok(Some(d)),
            None => Err(usage(format!("--as-of {s}: not a YYYY-MM-DD date"))),
        },
    }
}

/// Today, local time: the default `--as-of`.
pub(crate) fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}
