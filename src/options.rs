//! How one document is read: the options it is processed with
//! ([`DocOptions`]) and the conventions its own text sets ([`DocContext`]).
//! Apart from the stages that use them, so that those import them from below.

use std::sync::OnceLock;

use crate::normalise::{self, Calendar, Currency, DateOrder};
use crate::text::{EngineName, ExtractOptions};

/// Everything that decides how one document is processed.
#[derive(Debug, Clone)]
pub struct DocOptions {
    /// The first engine to try.
    pub engine: EngineName,
    /// Try the other engine when the first fails or finds no text.
    pub fallback: bool,
    /// Password and page limit.
    pub extract: ExtractOptions,
    /// Files larger than this many bytes are `too_large`.
    pub max_file_size: Option<u64>,
    /// Force the day/month order of numeric dates.
    pub date_order: Option<DateOrder>,
    /// Business-day calendar.
    pub calendar: Calendar,
    /// Memory a worker may use (`--max-memory`); bounds what the hostile-input
    /// check lets streams inflate to (see [`crate::precheck`]).
    pub max_memory: Option<u64>,
    /// OCR pages without a text layer with pdftoppm + tesseract (`--ocr`).
    pub ocr: bool,
    /// Compute each contract's term in force on this day (`--as-of`).
    pub as_of: Option<chrono::NaiveDate>,
}

impl Default for DocOptions {
    fn default() -> Self {
        DocOptions {
            engine: EngineName::PdfOxide,
            fallback: true,
            extract: ExtractOptions::default(),
            max_file_size: Some(DEFAULT_MAX_FILE_SIZE),
            date_order: None,
            calendar: Calendar::weekends_only(),
            max_memory: Some(DEFAULT_MAX_MEMORY),
            ocr: false,
            as_of: None,
        }
    }
}

/// Default for `--max-file-size`: 200 MiB.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 200 * 1024 * 1024;

/// Default for `--max-memory`: 2 GiB.
pub const DEFAULT_MAX_MEMORY: u64 = 2 * 1024 * 1024 * 1024;

/// Per-document context the normalisers need.
///
/// The date order and the meaning of `$` are read from the whole text, on
/// first use: most documents have no date that reads two ways, and many no
/// `$` amount, and then that reading is never needed.
///
/// Each of the two is read when it is first asked for, the other not: a
/// document with an ambiguous date and no `$` amount is scanned for date
/// evidence only, and one with `--date-order` given never is.
#[derive(Debug, Clone)]
pub struct DocContext {
    /// The document's text, for the conventions.
    full_text: String,
    /// The text cleaned for the conventions, once for both (`None` inside:
    /// cleaning changed nothing).
    cleaned: OnceLock<Option<String>>,
    /// `--date-order`, when given.
    date_order: Option<DateOrder>,
    /// (date order, whether evidence decided it).
    order: OnceLock<(DateOrder, bool)>,
    /// What `$` means.
    dollar: OnceLock<Currency>,
    /// Business-day calendar.
    pub calendar: Calendar,
}

impl DocContext {
    /// The context of a document with this text (read on first use).
    pub fn from_text(full_text: String, opts: &DocOptions) -> DocContext {
        DocContext { full_text, cleaned: OnceLock::new(), date_order: opts.date_order, order: OnceLock::new(), dollar: OnceLock::new(), calendar: opts.calendar.clone() }
    }

    /// A context with its conventions given.
    pub fn fixed(order: DateOrder, order_from_evidence: bool, dollar: Currency, calendar: Calendar) -> DocContext {
        DocContext { full_text: String::new(), cleaned: OnceLock::new(), date_order: None, order: OnceLock::from((order, order_from_evidence)), dollar: OnceLock::from(dollar), calendar }
    }

    /// The whole text as the conventions read it.
    fn cleaned(&self) -> &str {
        self.cleaned.get_or_init(|| normalise::clean_document(&self.full_text)).as_deref().unwrap_or(&self.full_text)
    }

    fn date_order(&self) -> (DateOrder, bool) {
        *self.order.get_or_init(|| match self.date_order {
            Some(given) => (given, true),
            None => normalise::document_date_order(self.cleaned()),
        })
    }

    /// Day/month order of numeric dates.
    pub fn order(&self) -> DateOrder {
        self.date_order().0
    }

    /// Whether the order was decided from evidence (or given), not the default.
    pub fn order_from_evidence(&self) -> bool {
        self.date_order().1
    }

    /// The currency `$` means.
    pub fn dollar(&self) -> Currency {
        *self.dollar.get_or_init(|| normalise::document_dollar(self.cleaned()))
    }
}
