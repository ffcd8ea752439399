//! `contract-milestones extract`: PDFs in, one document object per file
//! out (JSON, JSON Lines, CSV, iCalendar), streamed in input order, with a
//! progress bar and a summary line on stderr.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::Args;

use contract_milestones::config::Settings;
use contract_milestones::discover;
use contract_milestones::output::{self, Format};
use contract_milestones::record::Document;
use contract_milestones::run::{Sink, Tally};

use crate::exit::{usage, ExitCode};
use crate::setup::{parse_day, settings_from, BatchArgs, CacheArgs, DocArgs, Pipeline};

/// `extract --help`'s closing text, also the top level's.
pub(crate) const HELP: &str = concat!(
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

#[derive(Args, Debug)]
pub(crate) struct ExtractArgs {
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
    cache: CacheArgs,
    /// Also write each contract's `term_as_of`: the term in force on this day (YYYY-MM-DD) after the automatic renewals that have happened by then, and its opt-out deadline.
    #[arg(long, value_name = "DATE", value_parser = parse_day)]
    as_of: Option<chrono::NaiveDate>,
    #[command(flatten)]
    doc: DocArgs,
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

/// `extract`: every document streamed to the output as it is done, in input
/// order; after Ctrl-C the finished ones are written and the output closed.
pub(crate) fn run(args: ExtractArgs) -> Result<ExitCode> {
    let started = Instant::now();
    let pipeline = Pipeline::new(Settings { as_of: args.as_of, ..settings_from(&args.doc)? })?;
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
    let batch = pipeline.start(&args.batch, Some(&args.cache))?;
    let mut sink = ExtractSink { writer: Some(writer), tally: Tally::default(), bar };
    let result = batch.run(&inputs, &mut sink);
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
    let interrupted = batch.interrupted();
    let cache_line = batch.finish_cache();
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

/// The iCalendar options: `--remind`, and `SOURCE_DATE_EPOCH` for the stamp.
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
