//! Text stage: PDF bytes → pages of positioned text.
//!
//! Engines sit behind [`Engine`] so the pipeline can fall back from one to the
//! other. Both yield positioned spans; [`layout`] turns spans into lines and
//! cells the same way for every engine, so the later stages never know which
//! engine ran.

mod annotations;
pub mod layout;
pub mod oxide;
pub mod pdfextract;
mod repair;

pub use layout::{Cell, Line, Page};

/// Where on the page a run of text lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Origin {
    /// Drawn by the page's content stream.
    #[default]
    Page,
    /// A text-box (FreeText) annotation's contents.
    Annotation,
    /// A filled form field's value, or a button's caption.
    FormField,
}

impl Origin {
    /// `self`, unless it is page text and `other` is not: a segment that
    /// holds any annotation or field text is marked so.
    pub fn or(self, other: Origin) -> Origin {
        if self == Origin::Page {
            other
        } else {
            self
        }
    }

    /// As `explain` prints it.
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Page => "page",
            Origin::Annotation => "annotation",
            Origin::FormField => "form field",
        }
    }
}

/// A run of text with its position, in points, origin at the page's top-left.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Span {
    /// The text.
    pub text: String,
    /// Left edge.
    pub x0: f32,
    /// Right edge.
    pub x1: f32,
    /// Baseline (or vertical centre), distance from the page top.
    pub y: f32,
    /// Font size in points.
    pub size: f32,
    /// Bold font.
    pub bold: bool,
    /// Page text, or an annotation's or form field's.
    pub origin: Origin,
}

/// One page as an engine saw it.
#[derive(Debug, Clone, Default)]
pub struct RawPage {
    /// 1-based page number.
    pub number: u32,
    /// Page width in points.
    pub width: f32,
    /// Page height in points.
    pub height: f32,
    /// The positioned spans, in content-stream order.
    pub spans: Vec<Span>,
    /// Drawn horizontal rules (table borders): y from the top, x0, x1.
    pub hrules: Vec<(f32, f32, f32)>,
    /// Drawn vertical rules: x, y0, y1 (from the top).
    pub vrules: Vec<(f32, f32, f32)>,
}

impl RawPage {
    /// Record a drawn box's edges as rules: a thin box is one rule, a larger
    /// stroked one four. Coordinates are from the page top.
    pub fn add_box(&mut self, x0: f32, top: f32, x1: f32, bottom: f32, stroked_outline: bool) {
        let (w, h) = (x1 - x0, bottom - top);
        if !(w.is_finite() && h.is_finite()) || w < 0.0 || h < 0.0 {
            return;
        }
        if h <= 2.5 && w > 5.0 {
            self.hrules.push(((top + bottom) / 2.0, x0, x1));
        } else if w <= 2.5 && h > 5.0 {
            self.vrules.push(((x0 + x1) / 2.0, top, bottom));
        } else if stroked_outline && w > 5.0 && h > 5.0 {
            self.hrules.push((top, x0, x1));
            self.hrules.push((bottom, x0, x1));
            self.vrules.push((x0, top, bottom));
            self.vrules.push((x1, top, bottom));
        }
    }
}

/// Limits and secrets an engine needs.
#[derive(Debug, Clone, Default)]
pub struct ExtractOptions {
    /// Password to try after the empty one.
    pub password: Option<String>,
    /// Documents with more pages than this fail as too large.
    pub max_pages: Option<u32>,
}

/// Why an engine produced no text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    /// A password is needed (or the given one is wrong).
    #[error("{0}")]
    Encrypted(String),
    /// Corrupt or not a PDF.
    #[error("{0}")]
    Unreadable(String),
    /// The engine's library panicked on the file: a bug or limit of the
    /// library, reported in one sentence; its own message is the detail.
    #[error("{engine} stopped on an internal error while reading this file")]
    EngineFailed {
        /// The engine's name.
        engine: &'static str,
        /// The panic's message, for `--verbose` and bug reports.
        detail: String,
    },
    /// More pages than `--max-pages`.
    #[error("the document has {pages} pages, more than the limit of {limit} (--max-pages)")]
    TooManyPages {
        /// Pages the document claims.
        pages: u32,
        /// The limit.
        limit: u32,
    },
}

impl TextError {
    /// The file needs a password that was not given, or that does not open it.
    pub(crate) fn needs_password(given: bool) -> TextError {
        TextError::Encrypted(if given {
            "the PDF is encrypted and the given password does not open it".into()
        } else {
            "the PDF is encrypted with a user password (give it with --password or --password-file)".into()
        })
    }
}

/// A PDF text engine.
pub trait Engine: Sync {
    /// Name recorded in the document object.
    fn name(&self) -> &'static str;
    /// Extract every page's positioned spans, handing each page to `on_page`
    /// as soon as it is read: the caller lays it out and drops the spans, so
    /// a document's spans are never all held at once (a long manual has
    /// millions of them: `docs/performance.md`).
    fn extract(&self, bytes: &[u8], opts: &ExtractOptions, on_page: &mut dyn FnMut(RawPage)) -> Result<(), TextError>;
}

/// Engines by name, as `--engine` takes them and as the settings a worker
/// receives spell them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum, serde::Serialize, serde::Deserialize)]
pub enum EngineName {
    /// pdf_oxide (default): recovers the most text, fastest.
    #[default]
    #[value(name = "pdf_oxide", alias = "pdf-oxide", alias = "oxide")]
    #[serde(rename = "pdf_oxide")]
    PdfOxide,
    /// pdf-extract (lopdf): the second engine, used as fallback.
    #[value(name = "pdf-extract", alias = "pdf_extract")]
    #[serde(rename = "pdf-extract")]
    PdfExtract,
}

impl EngineName {
    /// The engine itself.
    pub fn engine(self) -> &'static dyn Engine {
        match self {
            EngineName::PdfOxide => &oxide::OxideEngine,
            EngineName::PdfExtract => &pdfextract::PdfExtractEngine,
        }
    }
    /// The other engine, for fallback.
    pub fn other(self) -> EngineName {
        match self {
            EngineName::PdfOxide => EngineName::PdfExtract,
            EngineName::PdfExtract => EngineName::PdfOxide,
        }
    }
}

/// Cheap check, so a text file named `.pdf` gets a clear reason instead of
/// a parser's error: a `%PDF-` header in the first kilobyte, or else (a
/// header lost or mangled) numbered objects and a document catalog, which
/// the engines can still read.
pub fn looks_like_pdf(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    if head.windows(5).any(|w| w == b"%PDF-") {
        return true;
    }
    let has = |needle: &[u8]| memchr::memmem::find(bytes, needle).is_some();
    has(b" 0 obj") && has(b"endobj") && (has(b"/Catalog") || has(b"/Root"))
}

/// Whether a file without an `%%EOF` marker was cut off inside its objects:
/// neither a `trailer` nor a `startxref` after its last `endobj`. A file
/// that lost only its marker still has what the engines need to repair it.
pub fn ends_inside_objects(bytes: &[u8]) -> bool {
    let tail = memchr::memmem::rfind(bytes, b"endobj").map_or(bytes, |i| &bytes[i..]);
    memchr::memmem::find(tail, b"trailer").is_none() && memchr::memmem::find(tail, b"startxref").is_none()
}

/// Whether the file ends the way a complete PDF does: an `%%EOF` marker,
/// searched from the end (usually in the last bytes; earlier when data was
/// appended after it). A truncated download or copy loses it.
pub fn has_eof_marker(bytes: &[u8]) -> bool {
    memchr::memmem::rfind(bytes, b"%%EOF").is_some()
}
