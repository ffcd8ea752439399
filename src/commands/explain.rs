//! `contract-milestones explain`: how the rules see one PDF (or text file):
//! its segments, matches, normalised values, rejections and candidates.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;

use contract_milestones::discover;

use crate::exit::{usage, ExitCode};
use crate::setup::{interrupted, settings_from, BatchArgs, DocArgs, Pipeline};

#[derive(Args, Debug)]
pub(crate) struct ExplainArgs {
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
    /// Write the technical detail behind an error (a PDF library's own message, a panic's text) to standard error.
    #[arg(short, long)]
    verbose: bool,
    #[command(flatten)]
    doc: DocArgs,
}

/// `explain`: the document read through extract's guards first, then again
/// here for the detail.
pub(crate) fn run(args: ExplainArgs) -> Result<ExitCode> {
    let pipeline = Pipeline::new(settings_from(&args.doc)?)?;
    let read = || std::fs::read(&args.file).with_context(|| format!("cannot read {}", args.file.display()));
    let (engine, pages, pipeline) = if args.text {
        let text = String::from_utf8(read()?).with_context(|| format!("{} is not UTF-8 text", args.file.display()))?;
        ("plain text", contract_milestones::pipeline::pages_from_text(&text), pipeline)
    } else {
        // First the file goes where extract sends it: the checks for hostile
        // files, a worker process with the memory limit and --timeout. A
        // file extract would not read is said in one line, not explained.
        let inputs = discover::discover(std::slice::from_ref(&args.file))?;
        let guard = BatchArgs { jobs: Some(1), timeout: args.timeout, in_process: false, verbose: args.verbose };
        let batch = pipeline.start(&guard, None)?;
        let Some(sink) = batch.collect(&inputs).context("cannot start a worker")? else { return Ok(interrupted("nothing explained")) };
        batch.stop_at_once();
        if let Some(d) = sink.docs.first().filter(|d| d.status != contract_milestones::record::Status::Ok) {
            eprintln!("{}: {}: {}", args.file.display(), d.status.as_str(), d.error.as_deref().unwrap_or("no reason given"));
            return Ok(ExitCode::Attention);
        }
        // It was read there within the limits; read it again here for the
        // detail. An engine that panics is caught and its fallback used, as
        // in the worker: keep the panic's text off the terminal.
        let pipeline = batch.into_pipeline();
        std::panic::set_hook(Box::new(|_| {}));
        match contract_milestones::pipeline::pages_of(&read()?, &pipeline.doc_opts) {
            Ok((engine, pages)) => (engine, pages, pipeline),
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
    let (ctx, explained, analysed) = contract_milestones::assemble::explain(&pages, &pipeline.rules, &pipeline.doc_opts);
    let rules = &pipeline.rules;
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
    let day = |d: Option<chrono::NaiveDate>| d.map_or("none".to_string(), |d| d.to_string());
    writeln!(o, "effective date: {}; expiration date: {}", day(analysed.effective_date), day(analysed.expiration_date))?;
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
        // Text from an annotation or a form field says so: it is not printed page text.
        let from = if s.origin == contract_milestones::text::Origin::Page { String::new() } else { format!(", from {}", s.origin.as_str()) };
        writeln!(o, "\n[p{} {}{from}] {}", s.page, s.kind.as_str(), s.text)?;
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
            r.date.map_or("-".to_string(), |d| d.to_string()),
            r.amount.map_or("-".to_string(), |m| m.to_string()),
            r.percent.map_or("-".to_string(), |p| p.to_string()),
            r.rule
        )?;
    }
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
        parts.push(format!("amount={a}"));
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
        parts.push(format!("amount={a}"));
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
