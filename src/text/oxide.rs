//! The default engine: pdf_oxide's positioned spans.
//!
//! We take spans rather than `extract_text`: the layout stage needs
//! positions anyway, and building lines ourselves skips pdf_oxide's own text
//! assembly, which is much slower on large documents (figures:
//! `docs/performance.md`).
//! We take them raw (`extract_spans_with_config`), without the post-processing
//! `extract_spans` adds, which costs two more passes over every page.

use super::{Engine, ExtractOptions, Origin, RawPage, Span, TextError};
use pdf_oxide::extractors::SpanMergingConfig;
use pdf_oxide::PdfDocument;

/// A long document is opened afresh every this many pages.
///
/// Once 64 distinct pages have been asked for, pdf_oxide 0.3.78 walks the
/// whole page tree and caches every page object, and with them every object
/// stream they live in, in an object cache with no way to lower or clear it
/// (the nearest upstream thread is its issue #354, on excessive memory).
/// Reopening before the 65th page keeps the caches to what 64 pages need,
/// at the cost of reading the cross-reference table and fonts again
/// (figures: `docs/performance.md`).
const PAGES_PER_OPEN: usize = 64;

/// Open the document and authenticate; with the bytes it was opened from
/// when those are a rewritten copy (only its attachments encrypted), so
/// that a reopen starts from them.
fn open(bytes: Vec<u8>, opts: &ExtractOptions) -> Result<(PdfDocument, Option<Vec<u8>>), TextError> {
    let doc = PdfDocument::from_bytes(bytes).map_err(|e| TextError::Unreadable(format!("cannot parse the PDF: {e}")))?;
    // pdf_oxide tries the empty password on open but does not report a
    // missing one: ask it ourselves.
    if doc.is_encrypted() && !doc.is_authenticated() {
        let ok = match &opts.password {
            Some(pw) => doc.authenticate(pw.as_bytes()).unwrap_or(false),
            None => false,
        };
        if !ok {
            if only_attachments_encrypted(&doc) {
                let clear = super::repair::without_encrypt_key(&doc.source_bytes);
                let doc = PdfDocument::from_bytes(clear.clone()).map_err(|e| TextError::Unreadable(format!("cannot parse the PDF: {e}")))?;
                return Ok((doc, Some(clear)));
            }
            return Err(encrypted(opts));
        }
    }
    Ok((doc, None))
}

/// Whether the file's password guards only its embedded files
/// ([`super::repair::pages_in_the_clear`]): then its pages are read as if it were
/// not encrypted, which is what a viewer shows without asking.
fn only_attachments_encrypted(doc: &PdfDocument) -> bool {
    let Some(dict) = doc.trailer().as_dict().and_then(|t| t.get("Encrypt")).and_then(|e| doc.resolve_object(e).ok()) else {
        return false;
    };
    let Some(dict) = dict.as_dict() else {
        return false;
    };
    let name = |key: &str| dict.get(key).and_then(|o| o.as_name());
    super::repair::pages_in_the_clear(dict.get("V").and_then(|o| o.as_integer()), name("StmF"), name("StrF"))
}

/// The file needs a password that was not given, or does not open it.
fn encrypted(opts: &ExtractOptions) -> TextError {
    TextError::needs_password(opts.password.is_some())
}

/// A pdf_oxide error while reading: a password it found missing only now
/// (the encryption dictionary is reached late in some files) is
/// `encrypted`, with the same advice; anything else is `unreadable`.
fn read_error(what: &str, e: pdf_oxide::Error, opts: &ExtractOptions) -> TextError {
    match e {
        pdf_oxide::Error::EncryptedPdf => encrypted(opts),
        e => TextError::Unreadable(format!("{what}: {e}")),
    }
}

/// pdf_oxide, pinned in Cargo.toml.
pub struct OxideEngine;

impl Engine for OxideEngine {
    fn name(&self) -> &'static str {
        "pdf_oxide"
    }

    fn extract(&self, bytes: &[u8], opts: &ExtractOptions, on_page: &mut dyn FnMut(RawPage)) -> Result<(), TextError> {
        let joined = super::repair::join_spaced_font_names(bytes);
        let bytes = joined.as_deref().unwrap_or(bytes);
        let inlined = super::repair::inline_indirect_filters(bytes);
        let bytes = inlined.as_deref().unwrap_or(bytes);
        let (mut doc, clear) = open(bytes.to_vec(), opts)?;
        let bytes = clear.as_deref().unwrap_or(bytes);
        let count = doc.page_count().map_err(|e| read_error("cannot read the page tree", e, opts))?;
        let count = u32::try_from(count).unwrap_or(u32::MAX);
        if let Some(limit) = opts.max_pages {
            if count > limit {
                return Err(TextError::TooManyPages { pages: count, limit });
            }
        }
        for index in 0..count as usize {
            if index > 0 && index % PAGES_PER_OPEN == 0 {
                // pdf_oxide keeps a copy of the bytes it opened: the next
                // open takes that one over instead of copying the file
                // again (figures: `docs/performance.md`).
                let source = std::mem::take(&mut doc.source_bytes);
                let source = if source.is_empty() { bytes.to_vec() } else { source };
                drop(doc); // before the next open, or both are held at once
                doc = open(source, opts)?.0;
            }
            let (height, width) = match doc.get_page_media_box(index) {
                Ok((x0, y0, x1, y1)) => ((y1 - y0).abs(), (x1 - x0).abs()),
                Err(_) => (792.0, 612.0),
            };
            // A page that fails on its own is an empty page, not a lost document.
            // The spans as the content stream draws them: `extract_spans`
            // would also sort them into reading order, tag running headers
            // (extracting every page of the document a second time) and
            // stamp glyph offsets (parsing the page a third time with its
            // char extractor), none of which the layout stage uses.
            let spans = doc.extract_spans_with_config(index, SpanMergingConfig::default()).unwrap_or_default();
            let spans = spans
                .into_iter()
                .filter(|s| !s.text.trim().is_empty())
                .map(|s| Span {
                    x0: s.bbox.x,
                    x1: s.bbox.x + s.bbox.width,
                    // pdf_oxide's bbox is in PDF space (y up, y = bottom edge):
                    // measure from the top so that lines sort downwards.
                    y: height - s.bbox.y - s.bbox.height * 0.25,
                    size: s.font_size.abs().max(1.0),
                    bold: s.font_weight.is_bold() || s.font_name.to_ascii_lowercase().contains("bold"),
                    text: s.text,
                    origin: Origin::Page,
                })
                .chain(super::annotations::spans(&doc, index, height))
                .collect();
            let mut page = RawPage { number: index as u32 + 1, width, height, spans, ..RawPage::default() };
            // Drawn lines and boxes: table borders tell rows and columns apart
            // where text positions alone cannot (cells centred vertically).
            for path in doc.extract_paths(index).unwrap_or_default() {
                let b = path.bbox;
                let stroked = path.stroke_color.is_some() && path.fill_color.is_none() && path.is_rectangle();
                page.add_box(b.x, height - b.y - b.height, b.x + b.width, height - b.y, stroked);
            }
            on_page(page);
        }
        Ok(())
    }
}

/// Forgets the fonts pdf_oxide keeps for the whole process.
///
/// Besides each document's own caches, pdf_oxide keeps every parsed font
/// that is not a subset in a process-wide cache of up to 1,024 fonts, with
/// their decoded font programs, so that later documents need not parse them
/// again, and a worker that has read many documents holds a lot there
/// (figures: `docs/performance.md`). Its documentation says to clear it
/// between batches to free the memory; a worker serves one document at a
/// time, so it clears it after each (the fonts stay cached across a
/// document's own reopenings).
pub fn forget_fonts() {
    pdf_oxide::fonts::global_cache::clear_global_font_cache();
}
