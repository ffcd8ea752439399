//! The second engine: pdf-extract (lopdf), driven through its `OutputDev`
//! so that it, too, yields positioned text per page.
//!
//! pdf-extract's own `extract_text` loses page boundaries and its word
//! assembly; we collect glyphs with their positions and let [`super::layout`]
//! build words and lines exactly as for the default engine.

use super::{Engine, ExtractOptions, RawPage, Span, TextError};
use pdf_extract::{MediaBox, OutputDev, OutputError, Transform};

/// pdf-extract, pinned in Cargo.toml.
pub struct PdfExtractEngine;

impl Engine for PdfExtractEngine {
    fn name(&self) -> &'static str {
        "pdf-extract"
    }

    fn extract(&self, bytes: &[u8], opts: &ExtractOptions, on_page: &mut dyn FnMut(RawPage)) -> Result<(), TextError> {
        let load = |bytes: &[u8]| pdf_extract::Document::load_mem(bytes).map_err(|e| TextError::Unreadable(format!("cannot parse the PDF: {e}")));
        let joined = super::repair::join_spaced_font_names(bytes);
        let bytes = joined.as_deref().unwrap_or(bytes);
        let mut doc = load(bytes)?;
        if doc.is_encrypted() {
            let pw = opts.password.as_deref().unwrap_or("");
            if doc.decrypt(pw).is_err() && (pw.is_empty() || doc.decrypt("").is_err()) {
                if !only_attachments_encrypted(&doc) {
                    return Err(TextError::needs_password(opts.password.is_some()));
                }
                doc = load(&super::repair::without_encrypt_key(bytes))?;
            }
        }
        let page_ids = doc.get_pages();
        let count = page_ids.len() as u32;
        if let Some(limit) = opts.max_pages {
            if count > limit {
                return Err(TextError::TooManyPages { pages: count, limit });
            }
        }
        let mut collector = Collector::default();
        for &number in page_ids.keys() {
            collector.current = RawPage { number, ..RawPage::default() };
            // A page that fails on its own stays empty; the rest still count.
            let _ = pdf_extract::output_doc_page(&doc, &mut collector, number);
            on_page(std::mem::take(&mut collector.current));
        }
        Ok(())
    }
}

/// Whether the file's password guards only its embedded files
/// ([`super::repair::pages_in_the_clear`]).
fn only_attachments_encrypted(doc: &pdf_extract::Document) -> bool {
    let Ok(dict) = doc.get_encrypted() else {
        return false;
    };
    let name = |key: &[u8]| dict.get(key).and_then(|o| o.as_name()).ok().and_then(|n| std::str::from_utf8(n).ok());
    super::repair::pages_in_the_clear(dict.get(b"V").and_then(|o| o.as_i64()).ok(), name(b"StmF"), name(b"StrF"))
}

#[derive(Default)]
struct Collector {
    current: RawPage,
}

impl OutputDev for Collector {
    fn begin_page(&mut self, _n: u32, media_box: &MediaBox, _art: Option<(f64, f64, f64, f64)>) -> Result<(), OutputError> {
        self.current.width = (media_box.urx - media_box.llx) as f32;
        self.current.height = (media_box.ury - media_box.lly) as f32;
        self.current.spans.clear();
        Ok(())
    }
    fn end_page(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    fn output_character(&mut self, trm: &Transform, width: f64, _spacing: f64, font_size: f64, ch: &str) -> Result<(), OutputError> {
        let scale = (trm.m11 * trm.m11 + trm.m12 * trm.m12).sqrt();
        let size = (font_size * scale).abs() as f32;
        let x = trm.m31 as f32;
        let advance = (width * font_size * scale) as f32;
        self.current.spans.push(Span { text: ch.to_string(), x0: x, x1: x + advance.max(0.0), y: self.current.height - trm.m32 as f32, size: size.max(1.0), ..Span::default() });
        Ok(())
    }
    fn begin_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
}
