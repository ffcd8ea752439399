//! One document, start to finish, in this process: read → text → segment →
//! rules → assemble. Isolation and parallelism live in `run`.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::discover::Input;
use crate::options::{DocOptions, DEFAULT_MAX_MEMORY};
use crate::record::{Document, Status};
use crate::rules::RuleSet;
use crate::text::{self, EngineName, ExtractOptions, Page, TextError};

/// A page with fewer non-space characters than this has no text layer.
const MIN_PAGE_CHARS: usize = 3;

/// Hex SHA-256 of bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Process one discovered input in this process. Never panics: a panic in a
/// PDF library becomes an `unreadable` document with the panic's message.
pub fn process_input(input: &Input, opts: &DocOptions, rules: &RuleSet) -> Document {
    match read_input(input, opts) {
        Ok(bytes) => process_bytes(&input.rel, &bytes, opts, rules),
        Err(doc) => *doc,
    }
}

/// A labelled document as `train` reads it: its candidates, or why it has
/// none (the status and reason extract would give it).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub enum Examined {
    /// Its candidates, dates resolved, before any decision.
    Candidates(Vec<crate::candidates::Candidate>),
    /// The document is not `ok`.
    Failed {
        /// What happened to it.
        status: Status,
        /// Why.
        error: String,
        /// The technical detail behind `error`, as the document's `error_detail`.
        detail: Option<String>,
    },
}

/// [`process_input`] for training: the same reading, limits and checks,
/// and then the candidates instead of the records.
pub fn examine_input(input: &Input, opts: &DocOptions, rules: &RuleSet) -> Examined {
    let text = read_input(input, opts).and_then(|bytes| read_text(&input.rel, &bytes, opts));
    match text {
        Ok(text) => Examined::Candidates(crate::assemble::candidates_for_training(&text.pages, rules, opts)),
        Err(doc) => Examined::from(*doc),
    }
}

impl From<Document> for Examined {
    /// A document that is not `ok`: its status and reasons.
    fn from(doc: Document) -> Examined {
        Examined::Failed { status: doc.status, error: doc.error.unwrap_or_default(), detail: doc.error_detail }
    }
}

/// The bytes of an input, or the document that says why there are none
/// (boxed: a document is large beside the bytes' vector).
fn read_input(input: &Input, opts: &DocOptions) -> Result<Vec<u8>, Box<Document>> {
    if let Some(why) = &input.walk_error {
        return Err(Box::new(Document::failed(input.rel.clone(), String::new(), Status::Unreadable, why.clone())));
    }
    match read_limited(&input.path, opts.max_file_size) {
        Ok(b) => Ok(b),
        Err(ReadError::TooLarge(size, limit)) => {
            Err(Box::new(Document::failed(input.rel.clone(), String::new(), Status::TooLarge, format!("the file is {size} bytes, over the limit of {limit} bytes (--max-file-size)"))))
        }
        Err(ReadError::Io(e)) => Err(Box::new(Document::failed(input.rel.clone(), String::new(), Status::Unreadable, format!("cannot read the file: {e}")))),
    }
}

enum ReadError {
    TooLarge(u64, u64),
    Io(std::io::Error),
}

fn read_limited(path: &Path, limit: Option<u64>) -> Result<Vec<u8>, ReadError> {
    let meta = std::fs::metadata(path).map_err(ReadError::Io)?;
    if let Some(limit) = limit {
        if meta.len() > limit {
            return Err(ReadError::TooLarge(meta.len(), limit));
        }
    }
    if meta.is_dir() {
        return Err(ReadError::Io(std::io::Error::other("it is a folder, not a file")));
    }
    std::fs::read(path).map_err(ReadError::Io)
}

/// Why a file is refused before any engine sees it.
const NOT_A_PDF: &str = "not a PDF: no %PDF- header and no PDF objects";

/// A file without its end marker that the engines repaired.
const NO_EOF: &str = "the file has no %%EOF end marker; it was read from its trailer and may be incomplete";

/// Whether this process is a disposable worker, where a crash loses one
/// document and not the run (set once by the worker loop).
static ISOLATED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Mark this process as a disposable worker (see [`process_bytes`]).
pub fn mark_isolated() {
    ISOLATED.store(true, std::sync::atomic::Ordering::Relaxed);
}

/// Why a worker crashed on these bytes, when the hostile-input check can
/// tell (deeply nested arrays or dictionaries, which overflow a reader's
/// stack).
pub fn crash_reason(bytes: &[u8]) -> Option<String> {
    match crate::precheck::check(bytes, crate::precheck::Limits::for_memory(DEFAULT_MAX_MEMORY)) {
        Err(h @ crate::precheck::Hostile::TooDeep { .. }) => Some(h.to_string()),
        _ => None,
    }
}

/// Process a document's bytes in this process.
pub fn process_bytes(rel: &str, bytes: &[u8], opts: &DocOptions, rules: &RuleSet) -> Document {
    let text = match read_text(rel, bytes, opts) {
        Ok(text) => text,
        Err(doc) => return *doc,
    };
    let Text { sha, engine, pages, without_text, page_count, ocr_pages, has_eof } = text;
    let analysed = crate::assemble::analyse(&pages, rules, opts);
    let mut doc = Document {
        path: rel.to_string(),
        sha256: sha,
        status: Status::Ok,
        error: None,
        error_detail: None,
        pages: Some(page_count),
        effective_date: analysed.effective_date,
        expiration_date: analysed.expiration_date,
        parties: analysed.parties,
        engine: Some(engine.to_string()),
        pages_without_text: without_text,
        contract_price: analysed.contract_price,
        ocr_pages,
        warnings: if has_eof { Vec::new() } else { vec![NO_EOF.to_string()] },
        renewal: analysed.renewal,
        notice_period: analysed.notice_period,
        opt_out_deadline: analysed.opt_out_deadline,
        term_as_of: None,
        evidence: analysed.evidence,
        records: analysed.records,
    };
    doc.term_as_of = opts.as_of.and_then(|day| doc.term_in_force(day, &opts.calendar));
    doc
}

/// A document's text, after the checks that refuse a file before or
/// instead of the rules.
struct Text {
    sha: String,
    engine: &'static str,
    pages: Vec<Page>,
    without_text: Vec<u32>,
    page_count: u32,
    ocr_pages: Vec<u32>,
    has_eof: bool,
}

/// Read a document's text: the hostile-input checks, the engines (with
/// fallback) and OCR; `Err` is the document of a file that has no text to
/// read (not a PDF, hostile, truncated, encrypted, no text layer ...).
fn read_text(rel: &str, bytes: &[u8], opts: &DocOptions) -> Result<Text, Box<Document>> {
    let sha = sha256_hex(bytes);
    let fail = |status, why: String| Box::new(Document::failed(rel.to_string(), sha.clone(), status, why));
    if bytes.is_empty() {
        return Err(fail(Status::Unreadable, "the file is empty (0 bytes)".into()));
    }
    if !text::looks_like_pdf(bytes) {
        return Err(fail(Status::Unreadable, NOT_A_PDF.into()));
    }
    // Hostile inputs: refused before an engine meets them. Deep nesting
    // only where a stack overflow would take the whole run down: in a
    // worker process the engines try (they often never parse the deep
    // object) and an overflow ends just the worker, which the parent
    // reports with this same reason.
    let limits = crate::precheck::Limits::for_memory(opts.max_memory.unwrap_or(DEFAULT_MAX_MEMORY));
    if let Err(h) = crate::precheck::check(bytes, limits) {
        match h {
            crate::precheck::Hostile::TooDeep { .. } if ISOLATED.load(std::sync::atomic::Ordering::Relaxed) => {}
            crate::precheck::Hostile::TooDeep { .. } => return Err(fail(Status::Unreadable, h.to_string())),
            _ => return Err(fail(Status::TooLarge, h.to_string())),
        }
    }
    // A file that lost its %%EOF marker but kept its trailer is repaired by
    // the engines (read, with a warning); one that ends inside its objects
    // is a cut-off copy, and what it would give is incomplete.
    let has_eof = text::has_eof_marker(bytes);
    if !has_eof && text::ends_inside_objects(bytes) {
        return Err(fail(Status::Unreadable, "the file is truncated: it ends inside its objects, with no trailer and no %%EOF marker".into()));
    }
    let (engine, mut pages) = match extract_with_fallback(bytes, opts) {
        Ok(v) => v,
        Err(Failure { status, error, detail }) => return Err(Box::new(Document { error_detail: detail, ..*fail(status, error) })),
    };
    let without_text: Vec<u32> = pages.iter().filter(|p| p.char_count() < MIN_PAGE_CHARS).map(|p| p.number).collect();
    let page_count = pages.len() as u32;
    let (ocr_pages, ocr_errors) = if opts.ocr { ocr_into(&mut pages, &without_text, bytes, opts) } else { (Vec::new(), Vec::new()) };
    if pages.is_empty() || !has_text(&pages) {
        let mut d = fail(
            Status::NoText,
            if pages.is_empty() {
                "the document has no pages".into()
            } else if opts.ocr {
                let why = if ocr_errors.is_empty() { "OCR found no text either".to_string() } else { ocr_errors.join("; ") };
                format!("none of the {} page(s) has a text layer (an image-only scan?); {why}", pages.len())
            } else {
                format!("none of the {} page(s) has a text layer (an image-only scan?); OCR it first (--ocr)", pages.len())
            },
        );
        d.pages = Some(page_count);
        d.engine = Some(engine.to_string());
        return Err(d);
    }
    Ok(Text { sha, engine, pages, without_text, page_count, ocr_pages, has_eof })
}

/// `--ocr`: replace the pages without text by what OCR reads on them.
/// Returns the pages that got text, and why others failed.
fn ocr_into(pages: &mut [Page], without_text: &[u32], bytes: &[u8], opts: &DocOptions) -> (Vec<u32>, Vec<String>) {
    if without_text.is_empty() {
        return (Vec::new(), Vec::new());
    }
    let (read, errors) = crate::ocr::ocr_pages(bytes, without_text, opts.extract.password.as_deref());
    let mut done = Vec::new();
    for raw in read {
        let number = raw.number;
        let page = text::layout::build_page(raw);
        if page.char_count() < MIN_PAGE_CHARS {
            continue;
        }
        if let Some(slot) = pages.iter_mut().find(|p| p.number == number) {
            *slot = page;
            done.push(number);
        }
    }
    (done, errors)
}

/// Run one engine with panics caught; the panic's message becomes the error.
fn run_engine(name: EngineName, bytes: &[u8], opts: &ExtractOptions) -> Result<Vec<Page>, TextError> {
    let mut pages = Vec::new();
    let result = catch_unwind(AssertUnwindSafe(|| name.engine().extract(bytes, opts, &mut |raw| pages.push(text::layout::build_page(raw)))));
    match result {
        Ok(Ok(())) => Ok(pages),
        Ok(Err(e)) => Err(e),
        Err(payload) => Err(TextError::EngineFailed { engine: name.engine().name(), detail: panic_message(&payload) }),
    }
}

/// The text of a caught panic.
pub fn panic_message(payload: &Box<dyn std::any::Any + Send>) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".to_string()
    }
}

fn has_text(pages: &[Page]) -> bool {
    pages.iter().any(|p| p.char_count() >= MIN_PAGE_CHARS)
}

/// Try the chosen engine, then the other one when the first errs, panics or
/// finds no text. Returns the engine that produced the text.
fn extract_with_fallback(bytes: &[u8], opts: &DocOptions) -> Result<(&'static str, Vec<Page>), Failure> {
    // Declared predictor sizes that only make an engine allocate them.
    let defused = crate::precheck::defuse_predictors(bytes);
    let bytes = defused.as_deref().unwrap_or(bytes);
    let first = opts.engine;
    let first_result = match run_engine(first, bytes, &opts.extract) {
        Ok(pages) if has_text(&pages) || !opts.fallback => return Ok((first.engine().name(), pages)),
        Err(e @ TextError::TooManyPages { .. }) => return Err(to_status(e)),
        Err(e) if !opts.fallback => return Err(to_status(e)),
        other => other,
    };
    let second = first.other();
    if let Ok(pages) = run_engine(second, bytes, &opts.extract) {
        if has_text(&pages) {
            return Ok((second.engine().name(), pages));
        }
    }
    match first_result {
        Ok(pages) => Ok((first.engine().name(), pages)),
        Err(e) => Err(to_status(e)),
    }
}

/// Why no engine gave text: the status, one readable sentence, and the
/// technical detail behind it when the sentence leaves some out.
struct Failure {
    status: Status,
    error: String,
    detail: Option<String>,
}

fn to_status(e: TextError) -> Failure {
    // The error's own sentence, except where an engine's message needs reading first.
    let sentence = e.to_string();
    let (status, error, detail) = match e {
        TextError::Encrypted(_) => (Status::Encrypted, sentence, None),
        TextError::Unreadable(m) => {
            let error = readable(&m);
            let detail = (error != m).then_some(m);
            (Status::Unreadable, error, detail)
        }
        TextError::EngineFailed { detail, .. } => (Status::Unreadable, sentence, Some(detail)),
        TextError::TooManyPages { .. } => (Status::TooLarge, sentence, None),
    };
    Failure { status, error, detail }
}

/// An engine's error as a sentence a person can read: a parser's debug
/// dump of the input bytes ("Error { input: [91, 49, 32, ...], code: Tag }",
/// thousands of characters) becomes "malformed data", and the text is cut
/// at a word near 240 characters.
pub fn readable(message: &str) -> String {
    static DUMP: once_cell::sync::Lazy<regex::Regex> = once_cell::sync::Lazy::new(|| regex::Regex::new(r"(?s)(?:Error\()?Error \{ input: \[.*").unwrap());
    let mut s = DUMP.replace(message, "malformed data").into_owned();
    // The dump took the closing parentheses of the words around it with it.
    let open = s.matches('(').count().saturating_sub(s.matches(')').count());
    s.push_str(&")".repeat(open));
    if s.chars().count() > 240 {
        let cut = s.char_indices().nth(240).map_or(s.len(), |(i, _)| i);
        let cut = s[..cut].rfind(' ').unwrap_or(cut);
        s.truncate(cut);
        s.push_str(" …");
    }
    s
}

/// Extract pages only (for `explain`).
pub fn pages_of(bytes: &[u8], opts: &DocOptions) -> Result<(&'static str, Vec<Page>), (Status, String)> {
    if !text::looks_like_pdf(bytes) {
        return Err((Status::Unreadable, NOT_A_PDF.into()));
    }
    extract_with_fallback(bytes, opts).map_err(|f| (f.status, f.error))
}

/// Plain text → records, without a PDF: pages are separated by form feeds
/// (`\x0c`), lines by newlines; each line becomes one run of text at the
/// left margin, 14 points below the one before. Used by the fuzz target
/// over the text-to-records path (segmenting, rules, normalisers), and
/// handy for trying rules on text from another extractor.
pub fn analyse_text(text: &str, opts: &DocOptions, rules: &RuleSet) -> crate::assemble::Analysed {
    crate::assemble::analyse(&pages_from_text(text), rules, opts)
}

/// Pages of plain text, as [`analyse_text`] reads it.
pub fn pages_from_text(text: &str) -> Vec<Page> {
    text.split('\x0c')
        .enumerate()
        .map(|(i, page_text)| {
            let spans = page_text
                .lines()
                .enumerate()
                .filter(|(_, l)| !l.trim().is_empty())
                .map(|(n, l)| text::Span { text: l.to_string(), x0: 72.0, x1: 72.0 + 6.0 * l.chars().count() as f32, y: 72.0 + 14.0 * n as f32, size: 11.0, ..text::Span::default() })
                .collect();
            text::layout::build_page(text::RawPage { number: i as u32 + 1, width: 612.0, height: 792.0, spans, ..text::RawPage::default() })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalise::Cents;

    #[test]
    fn text_to_records() {
        let rules = RuleSet::builtin();
        let text = "Cover page.\x0cPAYMENT\nThe Client shall pay the Consultant a mobilisation fee of $25,000 on March 3, 2025.\n";
        let a = analyse_text(text, &DocOptions::default(), &rules);
        let payment = a.records.iter().find(|r| r.amount.is_some_and(|m| m.value == Cents(2_500_000))).expect("the $25,000 payment");
        assert_eq!(payment.date, chrono::NaiveDate::from_ymd_opt(2025, 3, 3));
        assert_eq!(payment.page, 2);
        assert!(analyse_text("", &DocOptions::default(), &rules).records.is_empty());
    }

    #[test]
    fn engine_errors_read_as_sentences() {
        let dump = format!("cannot parse the PDF: Failed to parse trailer dictionary: Error(Error {{ input: [{}], code: Tag }})", vec!["32"; 500].join(", "));
        assert_eq!(readable(&dump), "cannot parse the PDF: Failed to parse trailer dictionary: malformed data");
        let inside = format!("cannot parse the PDF: failed to parse xref (stream attempt: Parsing Error: Error {{ input: [{}], code: Tag }})", ["32"; 9].join(", "));
        assert_eq!(readable(&inside), "cannot parse the PDF: failed to parse xref (stream attempt: Parsing Error: malformed data)");
        let long = "word ".repeat(100);
        let r = readable(&long);
        assert!(r.chars().count() <= 242 && r.ends_with(" …"), "{r}");
        assert_eq!(readable("cannot read the page tree: bad object"), "cannot read the page tree: bad object");
    }
}
