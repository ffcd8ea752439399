//! Command-line interface: clap arguments → library calls → exit codes.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};

use contract_milestones::config::Settings;
use contract_milestones::discover;
use contract_milestones::output::{self, Format};
use contract_milestones::record::Document;
use contract_milestones::rules::selftest;
use contract_milestones::run::{self, Sink, Tally};

use crate::exit::{usage, ExitCode};
use crate::setup::{batch_options, load_rules, read_previous_run, settings_from, stop_on_ctrl_c, BatchArgs, CollectSink, DocArgs, RuleArgs};

const AFTER_HELP: &str = concat!(
    "\
Exit codes:
  0  every document was processed and is `ok`
  1  some document is not `ok` (scan, encrypted, unreadable, timeout, too large);
     the output is still complete: one object per input file
  2  usage error, a path that does not exist, or invalid rule files
",
    crate::exit::common_help!(),
    "

Examples:
  contract-milestones extract fixtures/ -o milestones.json
  contract-milestones extract contracts/ --format jsonl --jobs 4 > out.jsonl
  contract-milestones explain fixtures/pdf/sow-implementation.lo.pdf --page 2
  contract-milestones rules test my-rules/
  contract-milestones extract contracts/ --format ics --remind 30d,7d -o milestones.ics
  contract-milestones due --from milestones.json --within 30d
  contract-milestones report fixtures/ -o report.html"
);

/// Extract milestone, deliverable and payment schedules from contract PDFs as JSON records.
#[derive(Parser, Debug)]
#[command(name = "contract-milestones", version, about, after_help = AFTER_HELP, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Extract records from PDF files and folders (walked recursively) as JSON.
    #[command(after_help = AFTER_HELP)]
    Extract(ExtractArgs),
    /// Show how the rules see one PDF: segments, matches, normalised values, rejections.
    Explain(ExplainArgs),
    /// Work with rule files: test their examples, check them, list them.
    #[command(subcommand)]
    Rules(RulesCommand),
    /// Learn the decision's weights (rules/model.toml) from labelled folders, with cross-validated scores.
    #[command(after_help = TRAIN_AFTER_HELP)]
    Train(TrainArgs),
    /// Print the JSON Schema (draft 2020-12) of extract's JSON and JSON Lines output.
    Schema,
    /// List what is overdue and what falls due soon, by date (exit 1 when something is overdue).
    #[command(after_help = DUE_AFTER_HELP)]
    Due(DueArgs),
    /// Extract (or read a previous output) and apply checks; exit 1 when one at error level fails.
    #[command(after_help = crate::ci_cli::CHECK_HELP)]
    Check(crate::ci_cli::CheckArgs),
    /// Portfolio summary: per contract counts, payment totals, cash flow by month, next due, overdue.
    Summary(crate::ci_cli::SummaryArgs),
    /// Portfolio report as one self-contained HTML page: timeline, cash flow, next 90 days, per-contract schedules.
    #[command(after_help = crate::report_cli::REPORT_HELP)]
    Report(crate::report_cli::ReportArgs),
    /// What changed between two runs (or folders): dates moved, amounts changed, records added or removed, documents that stopped parsing; exit 1 on a regression.
    #[command(after_help = crate::diff_cli::DIFF_HELP)]
    Diff(crate::diff_cli::DiffArgs),
    /// Work with the --cache folder.
    #[command(subcommand)]
    Cache(crate::ci_cli::CacheCommand),
    /// Internal: serve documents for a parent process (one JSON request per line on stdin).
    #[command(name = "__worker", hide = true)]
    Worker {
        /// The settings, as JSON.
        settings: String,
    },
}

#[derive(Args, Debug)]
struct ExtractArgs {
    /// PDF files and folders; folders are walked recursively and every *.pdf (any case) is a document.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Write to this file (atomically: a killed run never leaves half a file) instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "json")]
    format: Format,
    /// With --format ics: a reminder this long before each event; comma-separated (30d,7d; d = days, w = weeks).
    #[arg(long, value_name = "SPANS", value_delimiter = ',', value_parser = contract_milestones::due::parse_days)]
    remind: Vec<u32>,
    #[command(flatten)]
    batch: BatchArgs,
    /// No progress bar, no summary line.
    #[arg(short, long)]
    quiet: bool,
    /// Carry on an interrupted run: with -o FILE --format jsonl, skip documents already in FILE (same path and SHA-256) and append the rest.
    #[arg(long, requires = "output")]
    resume: bool,
    #[command(flatten)]
    cache: crate::setup::CacheArgs,
    /// Also write each contract's `term_as_of`: the term in force on this day (YYYY-MM-DD) after the automatic renewals that have happened by then, and its opt-out deadline.
    #[arg(long, value_name = "DATE", value_parser = parse_day)]
    as_of: Option<chrono::NaiveDate>,
    #[command(flatten)]
    doc: DocArgs,
}

#[derive(Args, Debug)]
struct ExplainArgs {
    /// The PDF to explain.
    file: PathBuf,
    /// Only this page (1-based).
    #[arg(long, value_name = "N")]
    page: Option<u32>,
    /// Also print the raw lines as the engine produced them: position, size, bold, cells.
    #[arg(long)]
    lines: bool,
    /// FILE is plain text, not a PDF: one line per line, pages separated by form feeds (for trying rules and cases on text).
    #[arg(long)]
    text: bool,
    /// Time limit in seconds for reading the PDF, as extract's --timeout.
    #[arg(long, value_name = "SECS", default_value_t = 60.0, value_parser = crate::setup::parse_seconds)]
    timeout: f64,
    #[command(flatten)]
    doc: DocArgs,
}

const TRAIN_AFTER_HELP: &str = "A labelled folder holds PDFs and labels/NAME.json beside them, in the format of
docs/conventions.md (\"Labelled folders\"). Every candidate the finders produce
in a labelled document is an example: it matches a labelled item or it does
not. The weights are a logistic regression over the candidates' features (word
classes and structure, never the words themselves), fitted deterministically;
each decision's threshold is the one with the best F1 over whole documents. The
report on stderr gives the scores on the training documents and, with --folds,
cross-validated scores: each document decided by weights learned without it.

Use the result with --rules: a model in a rule file replaces the built-in one.

Example:
  contract-milestones train my-labelled-contracts/ -o my-rules/model.toml
  contract-milestones extract --rules my-rules/ contracts/";

#[derive(Args, Debug)]
struct TrainArgs {
    /// Labelled folders (PDFs with labels/NAME.json beside them).
    #[arg(required = true, value_name = "FOLDER")]
    folders: Vec<PathBuf>,
    /// In a folder with a split.json, use only the documents listed under this name.
    #[arg(long, value_name = "NAME")]
    split: Option<String>,
    /// Write the model here (a rule file) instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Cross-validation folds (documents dealt round-robin); 0 for none.
    #[arg(long, value_name = "N", default_value_t = 5)]
    folds: usize,
    /// Repeat the cross-validation this many times, the documents dealt in another fixed order each time (steadier figures).
    #[arg(long, value_name = "N", default_value_t = 1)]
    repeats: usize,
    /// L2 penalty of the regression.
    #[arg(long, value_name = "X", default_value_t = 10.0)]
    l2: f64,
    /// Gradient steps of the regression.
    #[arg(long, value_name = "N", default_value_t = 1000, hide = true)]
    iterations: usize,
    /// Also write every candidate (document, values, features, whether it matches a label, its score) as JSON Lines here, for error analysis.
    #[arg(long, value_name = "FILE")]
    dump: Option<PathBuf>,
    #[command(flatten)]
    doc: DocArgs,
}

#[derive(Subcommand, Debug)]
enum RulesCommand {
    /// Run every rule's examples and counter-examples; exit 0 only when all pass.
    Test {
        /// Rule folder to test (in addition to the built-ins unless --no-default-rules).
        dir: Option<PathBuf>,
        #[command(flatten)]
        rules: RuleArgs,
    },
    /// Validate rule files without running them; errors name file:line:column (exit 2).
    Check {
        /// Rule folder to check (in addition to the built-ins unless --no-default-rules).
        dir: Option<PathBuf>,
        #[command(flatten)]
        rules: RuleArgs,
    },
    /// One line per rule: id, kind, description.
    List {
        #[command(flatten)]
        rules: RuleArgs,
    },
}

/// Run the CLI; returns the exit code.
pub fn main() -> ExitCode {
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
        Command::Extract(args) => extract(args),
        Command::Explain(args) => explain(args),
        Command::Rules(cmd) => rules_command(cmd),
        Command::Train(args) => train(args),
        Command::Schema => {
            let mut out = std::io::stdout().lock();
            out.write_all(output::JSON_SCHEMA.as_bytes())?;
            out.flush()?;
            Ok(ExitCode::Ok)
        }
        Command::Due(args) => due(args),
        Command::Check(args) => crate::ci_cli::check_command(args),
        Command::Summary(args) => crate::ci_cli::summary_command(args),
        Command::Report(args) => crate::report_cli::report_command(args),
        Command::Diff(args) => crate::diff_cli::diff_command(args),
        Command::Cache(cmd) => crate::ci_cli::cache_command(cmd),
        Command::Worker { settings } => worker(&settings),
    }
}

/// The sink of `extract`: writes, counts, and moves the progress bar.
struct ExtractSink {
    writer: Option<output::Writer>,
    tally: Tally,
    bar: Option<indicatif::ProgressBar>,
}

impl Sink for ExtractSink {
    fn document(&mut self, doc: &Document) -> std::io::Result<()> {
        self.tally.add(doc);
        if let Some(bar) = &self.bar {
            bar.inc(1);
            let failed: usize = self.tally.failures.values().sum();
            bar.set_message(format!("{} pages, {} failed", self.tally.pages, failed));
        }
        self.writer.as_mut().expect("writer open until finish").write(doc)
    }
}

fn extract(args: ExtractArgs) -> Result<ExitCode> {
    let started = Instant::now();
    let settings = Settings { as_of: args.as_of, ..settings_from(&args.doc)? };
    let doc_opts = settings.doc_options()?;
    let rules = load_rules(&settings)?;
    let inputs = match discover::discover(&args.paths) {
        Ok(i) => i,
        Err(e) => {
            eprintln!("contract-milestones: error: {e}");
            return Ok(ExitCode::Usage);
        }
    };
    let (inputs, dest) = if args.resume { resume_plan(&args, inputs)? } else { (inputs, output::open(args.output.as_deref()).context("cannot write the output")?) };
    let writer = output::Writer::with_options(dest, args.format, &write_options(args.format, &args.remind)?).context("cannot write the output")?;
    let show_bar = !args.quiet && std::io::stderr().is_terminal();
    let bar = show_bar.then(|| {
        let bar = indicatif::ProgressBar::with_draw_target(Some(inputs.len() as u64), indicatif::ProgressDrawTarget::stderr());
        bar.set_style(indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} documents, {msg} [{elapsed_precise}, ETA {eta}]").expect("a valid template"));
        bar
    });
    let cache = crate::setup::open_cache(&args.cache, &settings)?;
    let batch = batch_options(&settings, &args.batch, cache.clone())?;
    let stop = stop_on_ctrl_c();
    let mut sink = ExtractSink { writer: Some(writer), tally: Tally::default(), bar };
    let result = run::run_batch(&inputs, &doc_opts, &rules, &batch, &stop, &mut sink);
    if let Some(bar) = &sink.bar {
        bar.finish_and_clear();
    }
    result.context(match &args.output {
        Some(p) => format!("cannot write {}", p.display()),
        None => "cannot write to standard output".to_string(),
    })?;
    let writer = sink.writer.take().expect("writer");
    writer.finish().with_context(|| match &args.output {
        Some(p) => format!("cannot write {}", p.display()),
        None => "cannot write to standard output".to_string(),
    })?;
    let interrupted = stop.load(Ordering::SeqCst);
    let cache_line = cache.as_ref().map(|c| crate::setup::finish_cache(c, args.cache.cache_max_size));
    if !args.quiet {
        let mut line = sink.tally.summary(started.elapsed());
        if let Some(c) = cache_line {
            line.push_str("; ");
            line.push_str(&c);
        }
        if interrupted {
            line.push_str(&format!("; interrupted: {} of {} documents written", sink.tally.documents, inputs.len()));
        }
        eprintln!("{line}");
    }
    if interrupted {
        return Ok(ExitCode::Interrupted);
    }
    Ok(if sink.tally.any_failed() { ExitCode::Attention } else { ExitCode::Ok })
}

/// `--resume`: what is left to do, and the output file opened for appending.
fn resume_plan(args: &ExtractArgs, inputs: Vec<discover::Input>) -> Result<(Vec<discover::Input>, output::Destination)> {
    let Some(path) = args.output.as_deref() else { return Err(usage("--resume needs -o FILE")) };
    if args.format != Format::Jsonl {
        return Err(usage("--resume works with --format jsonl only (a JSON document cannot be appended to)"));
    }
    let total = inputs.len();
    let plan = contract_milestones::resume::plan(path, inputs).context("cannot resume")?;
    if !args.quiet {
        let mut note = format!("resuming {}: {} of {total} documents already written, {} to do", path.display(), total - plan.remaining.len(), plan.remaining.len());
        if plan.changed > 0 {
            note.push_str(&format!(" ({} changed since)", plan.changed));
        }
        if plan.dropped_partial_line {
            note.push_str("; dropped a partial last line");
        }
        eprintln!("{note}");
    }
    Ok((plan.remaining, output::Destination::Append(std::io::BufWriter::new(plan.file))))
}

fn worker(settings_json: &str) -> Result<ExitCode> {
    let settings: Settings = serde_json::from_str(settings_json).context("bad worker settings")?;
    if let Some(limit) = settings.max_memory {
        run::limit_memory(limit);
    }
    let doc_opts = settings.doc_options()?;
    let rules = load_rules(&settings)?;
    run::serve_worker(&doc_opts, &rules)?;
    Ok(ExitCode::Ok)
}

fn explain(args: ExplainArgs) -> Result<ExitCode> {
    let settings = settings_from(&args.doc)?;
    let doc_opts = settings.doc_options()?;
    let rules = load_rules(&settings)?;
    let read = || std::fs::read(&args.file).with_context(|| format!("cannot read {}", args.file.display()));
    let (engine, pages) = if args.text {
        let text = String::from_utf8(read()?).with_context(|| format!("{} is not UTF-8 text", args.file.display()))?;
        ("plain text", contract_milestones::pipeline::pages_from_text(&text))
    } else {
        // First the file goes where extract sends it: the checks for hostile
        // files, a worker process with the memory limit and --timeout. A
        // file extract would not read is said in one line, not explained.
        let inputs = discover::discover(std::slice::from_ref(&args.file))?;
        let guard = BatchArgs { jobs: Some(1), timeout: args.timeout, in_process: false };
        let batch = batch_options(&settings, &guard, None)?;
        let mut sink = CollectSink { docs: Vec::new(), tally: Tally::default() };
        run::run_batch(&inputs, &doc_opts, &rules, &batch, &std::sync::atomic::AtomicBool::new(false), &mut sink).context("cannot start a worker")?;
        if let Some(d) = sink.docs.first().filter(|d| d.status != contract_milestones::record::Status::Ok) {
            eprintln!("{}: {}: {}", args.file.display(), d.status.as_str(), d.error.as_deref().unwrap_or("no reason given"));
            return Ok(ExitCode::Attention);
        }
        // It was read there within the limits; read it again here for the
        // detail. An engine that panics is caught and its fallback used, as
        // in the worker: keep the panic's text off the terminal.
        std::panic::set_hook(Box::new(|_| {}));
        match contract_milestones::pipeline::pages_of(&read()?, &doc_opts) {
            Ok(v) => v,
            Err((status, why)) => {
                eprintln!("{}: {}: {why}", args.file.display(), status.as_str());
                return Ok(ExitCode::Attention);
            }
        }
    };
    if let Some(p) = args.page {
        if p == 0 || p as usize > pages.len() {
            return Err(usage(format!("{}: --page {p} is out of range (the document has {} page{})", args.file.display(), pages.len(), if pages.len() == 1 { "" } else { "s" })));
        }
    }
    let (ctx, explained, analysed) = contract_milestones::assemble::explain(&pages, &rules, &doc_opts);
    let out = std::io::stdout();
    let mut o = out.lock();
    if args.lines {
        for page in pages.iter().filter(|p| args.page.is_none_or(|n| p.number == n)) {
            writeln!(o, "--- page {} ({:.0} x {:.0} pt)", page.number, page.width, page.height)?;
            let h: Vec<String> = page.hrules.iter().map(|(y, a, b)| format!("y={y:.0} [{a:.0}-{b:.0}]")).collect();
            let v: Vec<String> = page.vrules.iter().map(|(x, a, b)| format!("x={x:.0} [{a:.0}-{b:.0}]")).collect();
            writeln!(o, "horizontal rules: {}\nvertical rules: {}", h.join(", "), v.join(", "))?;
            for l in &page.lines {
                let cells: Vec<String> = l.cells.iter().map(|c| format!("[{:.0}-{:.0}] {}", c.x0, c.x1, c.text)).collect();
                writeln!(o, "y={:6.1} size={:4.1}{} {}", l.y, l.size, if l.bold { " bold" } else { "     " }, cells.join("  "))?;
            }
        }
    }
    writeln!(o, "{}: {} pages, text by {engine}", args.file.display(), pages.len())?;
    writeln!(o, "date order: {:?}{}; $ means {}", ctx.order(), if ctx.order_from_evidence() { " (from the document's evidence)" } else { " (default)" }, ctx.dollar())?;
    writeln!(o, "effective date: {}; expiration date: {}", analysed.effective_date.as_deref().unwrap_or("none"), analysed.expiration_date.as_deref().unwrap_or("none"))?;
    let renewal = analysed.renewal.map_or("none".to_string(), |r| {
        let count = r.count.map_or(String::new(), |c| format!(", at most {c} time(s)"));
        format!("{} every {}{count}", if r.auto { "automatic" } else { "by option or agreement" }, r.period)
    });
    let notice = analysed.notice_period.map_or("none".to_string(), |p| p.to_string());
    let opt_out = analysed.opt_out_deadline.map_or("none".to_string(), |d| d.to_string());
    writeln!(o, "renewal: {renewal}; notice period: {notice}; opt-out deadline: {opt_out}")?;
    for (field, ev) in &analysed.evidence {
        let why = ev.reason.as_deref().map_or(String::new(), |r| format!(" (null: {r})"));
        writeln!(o, "  {field} from {} on p{}{why}: {}", ev.rule, ev.page, ev.text)?;
    }
    for e in explained.iter().filter(|e| args.page.is_none_or(|p| e.segment.page == p)) {
        let s = &e.segment;
        writeln!(o, "\n[p{} {}] {}", s.page, s.kind.as_str(), s.text)?;
        if !s.header.is_empty() {
            writeln!(o, "    header: {}", s.header.join(" | "))?;
        }
        if !s.heading.is_empty() && s.kind != contract_milestones::segment::SegmentKind::Heading {
            writeln!(o, "    under heading: {}", s.heading)?;
        }
        for f in &e.findings {
            writeln!(o, "    MATCH {} ({}): {:?}", rules.rules[f.rule].id, f.kind.map_or(rules.rules[f.rule].kind.as_str(), |k| k.as_str()), s.text.get(f.start..f.end).unwrap_or(&f.text))?;
            writeln!(o, "          → {}", describe_finding(f))?;
        }
        for f in &e.overruled {
            writeln!(o, "    overruled {}: a higher-priority rule matched the same text", rules.rules[f.rule].id)?;
        }
        for r in &e.rejections {
            writeln!(o, "    REJECTED {}: {:?}: {}", rules.rules[r.rule].id, r.text, r.reason)?;
        }
        for (c, d) in &e.candidates {
            writeln!(o, "    {} {} candidate ({}): {}", if d.keep { "KEEP" } else { "drop" }, c.kind.as_str(), c.family.as_str(), describe_candidate(c))?;
            let because: Vec<String> = d.because.iter().take(6).map(|(f, w)| format!("{f} {w:+.2}")).collect();
            writeln!(o, "          score {:+.2} (threshold {:+.2}): {}", d.score, d.threshold, because.join(", "))?;
        }
    }
    writeln!(o, "\nrecords: {}", analysed.records.len())?;
    for r in &analysed.records {
        writeln!(
            o,
            "  p{} {} {:?} date={} amount={} percent={} rule={}",
            r.page,
            r.kind.as_str(),
            r.name,
            r.date.as_deref().unwrap_or("-"),
            r.amount.as_ref().map_or("-".to_string(), |m| format!("{} {}", m.value, m.currency)),
            r.percent.map_or("-".to_string(), |p| p.to_string()),
            r.rule
        )?;
    }
    Ok(ExitCode::Ok)
}

fn train(args: TrainArgs) -> Result<ExitCode> {
    use contract_milestones::decide::train as t;
    let settings = settings_from(&args.doc)?;
    let doc_opts = settings.doc_options()?;
    let rules = load_rules(&settings)?;
    for f in &args.folders {
        if !f.is_dir() {
            return Err(usage(format!("{}: not a folder", f.display())));
        }
    }
    let (docs, skipped) = t::collect(&args.folders, args.split.as_deref(), &rules, &doc_opts).map_err(usage)?;
    for s in &skipped {
        eprintln!("skipped {}: {}", s.pdf.display(), s.why);
    }
    if docs.is_empty() {
        return Err(usage(format!("no labelled document with status ok in {}", args.folders.iter().map(|f| f.display().to_string()).collect::<Vec<_>>().join(", "))));
    }
    let opts = t::TrainOptions { folds: args.folds, repeats: args.repeats, l2: args.l2, iterations: args.iterations, ..t::TrainOptions::default() };
    let trained = t::train(&docs, &opts);
    let trained_on = args
        .folders
        .iter()
        .map(|f| {
            let name = f.file_name().map_or_else(|| f.display().to_string(), |n| n.to_string_lossy().into_owned());
            match &args.split {
                Some(sp) if f.join("split.json").is_file() => format!("{name} ({sp})"),
                _ => name,
            }
        })
        .collect::<Vec<_>>()
        .join(", ");
    if let Some(path) = &args.dump {
        crate::setup::emit(Some(path), &t::dump(&docs, &trained))?;
    }
    let text = t::model_toml(&trained, &trained_on);
    // The report: the model file's comment lines.
    for line in text.lines().take_while(|l| l.starts_with('#')) {
        eprintln!("{}", line.trim_start_matches("# ").trim_start_matches('#'));
    }
    crate::setup::emit(args.output.as_deref(), &text)?;
    Ok(ExitCode::Ok)
}

fn describe_candidate(c: &contract_milestones::candidates::Candidate) -> String {
    let mut parts = vec![format!("name={:?}", c.name)];
    if let Some(d) = c.date {
        parts.push(format!("date={d}"));
    }
    if let Some(r) = &c.relative {
        parts.push(format!("relative={} {:?} {:?} {:?}", r.offset, r.unit, r.direction, r.anchor));
    }
    if let Some(a) = &c.amount {
        parts.push(format!("amount={} {}", a.value, a.currency));
    }
    if let Some(p) = c.percent {
        parts.push(format!("percent={p}"));
    }
    if let Some(t) = &c.trigger {
        parts.push(format!("trigger={t:?}"));
    }
    parts.join(" ")
}

fn describe_finding(f: &contract_milestones::assemble::Finding) -> String {
    let mut parts = Vec::new();
    if !f.name.is_empty() {
        parts.push(format!("name={:?}", f.name));
    }
    if let Some(d) = f.date {
        parts.push(format!("date={d}{}", if f.ambiguous { " (ambiguous day/month)" } else { "" }));
    }
    if let Some(r) = &f.relative {
        parts.push(format!("relative={} {:?} {:?} {:?}", r.offset, r.unit, r.direction, r.anchor));
    }
    if let Some(p) = f.term {
        parts.push(format!("term={p}"));
    }
    if let Some(d) = f.term_start {
        parts.push(format!("start={d}"));
    }
    if let Some(c) = f.count {
        parts.push(format!("count={c}"));
    }
    if f.eve {
        parts.push("the day before".into());
    }
    if let Some(a) = &f.amount {
        parts.push(format!("amount={} {}", a.value, a.currency));
    }
    if let Some(p) = f.percent {
        parts.push(format!("percent={p}"));
    }
    if let Some(t) = &f.trigger {
        parts.push(format!("trigger={t:?}"));
    }
    if parts.is_empty() {
        "(nothing normalised)".into()
    } else {
        parts.join(", ")
    }
}

fn rule_settings(dir: Option<PathBuf>, rules: RuleArgs) -> Settings {
    let mut dirs = rules.rules;
    dirs.extend(dir);
    Settings { rules: dirs, no_default_rules: rules.no_default_rules, ..Settings::default() }
}

fn rules_command(cmd: RulesCommand) -> Result<ExitCode> {
    match cmd {
        RulesCommand::Check { dir, rules } => {
            let settings = rule_settings(dir, rules);
            match settings.load_rules().and_then(|set| set.compile_all().map(|()| set)) {
                Ok(set) => {
                    println!("{} rules ok", set.rules.len());
                    Ok(ExitCode::Ok)
                }
                Err(errors) => {
                    eprintln!("{errors}");
                    eprintln!("{} error{} in rule files", errors.0.len(), if errors.0.len() == 1 { "" } else { "s" });
                    Ok(ExitCode::Usage)
                }
            }
        }
        RulesCommand::Test { dir, rules } => {
            let settings = rule_settings(dir, rules);
            let set = match settings.load_rules() {
                Ok(s) => s,
                Err(errors) => {
                    eprintln!("{errors}");
                    return Ok(ExitCode::Usage);
                }
            };
            let report = selftest::run(&set);
            for f in &report.failures {
                println!("FAIL {} [{}] ({}): {:?}\n     {}", f.rule, f.outcome, f.source, f.text, f.detail);
            }
            let (cases, case_failures) = contract_milestones::decide::cases::run(&set);
            for f in &case_failures {
                println!("FAIL case {:?} ({}):\n     {}", f.about, f.source, f.detail);
            }
            let failed = report.failures.len();
            println!(
                "rules test: {} rules, {} passed, {} failed; {} cases, {} passed, {} failed",
                report.rules,
                report.cases - failed,
                failed,
                cases,
                cases - case_failures.len(),
                case_failures.len()
            );
            Ok(if failed == 0 && case_failures.is_empty() { ExitCode::Ok } else { ExitCode::Attention })
        }
        RulesCommand::List { rules } => {
            let settings = rule_settings(None, rules);
            let set = load_rules(&settings)?;
            let width = set.rules.iter().map(|r| r.id.len()).max().unwrap_or(0);
            for r in &set.rules {
                println!("{:width$}  {:15}  {}", r.id, r.kind.as_str(), r.description);
            }
            Ok(ExitCode::Ok)
        }
    }
}

// ---- outputs (issue 8): iCalendar options, `due` ----

fn write_options(format: Format, remind: &[u32]) -> Result<output::WriteOptions> {
    if !remind.is_empty() && format != Format::Ics {
        return Err(usage("--remind applies to --format ics only"));
    }
    let mut remind_days = remind.to_vec();
    remind_days.sort_unstable_by(|a, b| b.cmp(a));
    remind_days.dedup();
    // Reproducible calendars: SOURCE_DATE_EPOCH fixes every event's DTSTAMP.
    let stamp = match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(v) => Some(
            v.trim()
                .parse::<i64>()
                .ok()
                .and_then(|secs| chrono::DateTime::from_timestamp(secs, 0))
                .map(|t| t.naive_utc())
                .ok_or_else(|| usage(format!("SOURCE_DATE_EPOCH={v:?} is not a number of seconds")))?,
        ),
        Err(_) => None,
    };
    Ok(output::WriteOptions { remind_days, stamp })
}

const DUE_AFTER_HELP: &str = concat!(
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
enum DueFormat {
    /// A table for people.
    Table,
    /// One JSON object for tools.
    Json,
}

#[derive(Args, Debug)]
struct DueArgs {
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

fn parse_day(s: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| format!("`{s}` is not a date YYYY-MM-DD"))
}

fn due(args: DueArgs) -> Result<ExitCode> {
    use contract_milestones::due;
    let started = Instant::now();
    let docs = match &args.from {
        Some(file) => read_previous_run(file)?,
        None => {
            let settings = settings_from(&args.doc)?;
            let doc_opts = settings.doc_options()?;
            let rules = load_rules(&settings)?;
            let inputs = match discover::discover(&args.paths) {
                Ok(i) => i,
                Err(e) => {
                    eprintln!("contract-milestones: error: {e}");
                    return Ok(ExitCode::Usage);
                }
            };
            let batch = batch_options(&settings, &args.batch, None)?;
            let stop = stop_on_ctrl_c();
            let mut sink = CollectSink { docs: Vec::with_capacity(inputs.len()), tally: Tally::default() };
            run::run_batch(&inputs, &doc_opts, &rules, &batch, &stop, &mut sink)?;
            if stop.load(Ordering::SeqCst) {
                eprintln!("contract-milestones: interrupted; nothing listed");
                return Ok(ExitCode::Interrupted);
            }
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
