//! Text that a reader sees on a page but the page's content stream does not
//! draw: text-box (FreeText) annotations and filled form fields. On a
//! contract form that is where the dates, amounts and parties are.
//!
//! Each becomes spans at its box, marked with its [`Origin`], so that the
//! layout stage lines a field's value up with its printed label and the
//! later stages (and `explain`) can tell it from page text.

use pdf_oxide::object::Object;
use pdf_oxide::{Annotation, PdfDocument, WidgetFieldType};

use super::{Origin, Span};

/// Field flags (PDF 32000-1, table 226). pdf_oxide 0.3.78 reads the radio
/// and push-button bits the wrong way round (its issue #1180), so we read
/// the flags ourselves.
const PASSWORD: u32 = 1 << 13;
const PUSH_BUTTON: u32 = 1 << 16;
/// Annotation flags that keep it off the screen: invisible, hidden, no view.
const NOT_SHOWN: u32 = 1 | 1 << 1 | 1 << 5;
/// A value longer than this is not something a reader sees in a field box.
const MAX_CHARS: usize = 4000;

/// The annotation and form-field text of one page, as spans in page
/// coordinates (from the top); `height` is the page's.
pub(crate) fn spans(doc: &PdfDocument, index: usize, height: f32) -> Vec<Span> {
    if !has_text_annotations(doc, index) {
        return Vec::new();
    }
    let Ok(annotations) = doc.get_annotations(index) else { return Vec::new() };
    let mut out = Vec::new();
    for a in &annotations {
        if a.flags.bits() & NOT_SHOWN != 0 {
            continue;
        }
        let Some([x0, y0, x1, y1]) = a.rect else { continue };
        let (origin, text) = match a.subtype.as_deref() {
            Some("FreeText") => (Origin::Annotation, raw_text(a, "Contents")),
            Some("Widget") => (Origin::FormField, field_text(a)),
            _ => continue,
        };
        let Some(text) = text else { continue };
        place(&text, (x0.min(x1) as f32, x0.max(x1) as f32), height - y0.max(y1) as f32, (y1 - y0).abs() as f32, origin, &mut out);
    }
    out
}

/// Whether the page has a text box or a form field among its annotations,
/// from the page dictionary pdf_oxide caches. `get_annotations` finds the
/// page by walking the page tree afresh each time, so asking it on every
/// page of a long manual full of links doubled the time of the whole
/// document; most pages have no annotation we read.
fn has_text_annotations(doc: &PdfDocument, index: usize) -> bool {
    let Ok(page) = doc.get_page(index) else { return false };
    let Some(annots) = page.as_dict().and_then(|d| d.get("Annots")).and_then(|a| doc.resolve_object(a).ok()) else {
        return false;
    };
    let Some(annots) = annots.as_array() else { return false };
    annots.iter().any(|a| doc.resolve_object(a).ok().is_some_and(|a| a.as_dict().and_then(|d| d.get("Subtype")).and_then(Object::as_name).is_some_and(|s| s == "FreeText" || s == "Widget")))
}

/// Lay a box's text out as lines from its top, one span per line.
fn place(text: &str, (x0, x1): (f32, f32), top: f32, box_height: f32, origin: Origin, out: &mut Vec<Span>) {
    let lines: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    if lines.is_empty() || !(x0.is_finite() && x1.is_finite() && top.is_finite()) {
        return;
    }
    // The font size is not stated where we can read it cheaply: fit the
    // lines into the box, within the sizes body text uses.
    let size = (box_height / lines.len() as f32 * 0.8).clamp(6.0, 12.0);
    for (i, line) in lines.into_iter().enumerate() {
        let y = top + size * (i as f32 + 1.0);
        out.push(Span { text: line.to_string(), x0, x1: x1.max(x0 + 0.5 * size * line.chars().count() as f32), y, size, bold: false, origin });
    }
}

/// What a form field shows: a text or choice field's value, a push
/// button's caption; nothing for check boxes, radio buttons, signatures
/// and password fields.
fn field_text(a: &Annotation) -> Option<String> {
    let flags = a.field_flags.unwrap_or(0);
    let field_type = raw(a, "FT").and_then(Object::as_name).map(str::to_string).or_else(|| {
        a.field_type.as_ref().map(|t| {
            match t {
                WidgetFieldType::Text => "Tx",
                WidgetFieldType::Choice { .. } => "Ch",
                WidgetFieldType::Signature => "Sig",
                _ => "Btn",
            }
            .to_string()
        })
    })?;
    match field_type.as_str() {
        "Tx" if flags & PASSWORD != 0 => None,
        // A value the widget inherits from its parent field comes only
        // decoded as UTF-8 by pdf_oxide; the widget's own is decoded here.
        "Tx" | "Ch" => raw_text(a, "V").or_else(|| a.field_value.clone().filter(|v| !v.contains('\u{fffd}'))).filter(|v| !v.trim().is_empty()),
        "Btn" if flags & PUSH_BUTTON != 0 => match raw(a, "MK") {
            Some(Object::Dictionary(mk)) => mk.get("CA").and_then(decode),
            _ => None,
        },
        _ => None,
    }
}

fn raw<'a>(a: &'a Annotation, key: &str) -> Option<&'a Object> {
    a.raw_dict.as_ref()?.get(key)
}

/// A text string of the annotation's own dictionary. pdf_oxide's parsed
/// `contents` decodes every string as UTF-8, which garbles the UTF-16 that
/// most form-filling software writes.
fn raw_text(a: &Annotation, key: &str) -> Option<String> {
    raw(a, key).and_then(decode).filter(|t| !t.trim().is_empty())
}

/// A PDF text string (UTF-16BE or UTF-8 with a byte-order mark, else
/// PDFDocEncoding), bounded.
fn decode(o: &Object) -> Option<String> {
    let bytes = o.as_string()?;
    let text_string = |b: &[u8]| lopdf::decode_text_string(&lopdf::Object::String(b.to_vec(), lopdf::StringFormat::Literal)).ok();
    let text = if bytes.starts_with(b"\xfe\xff") || bytes.starts_with(b"\xef\xbb\xbf") {
        text_string(bytes)?.trim_start_matches('\u{feff}').to_string()
    } else {
        // lopdf 0.42's PDFDocEncoding table leaves tab, line feed and
        // carriage return undefined, and drops them: keep a multi-line
        // text box's line breaks (decoding line by line) and its tabs.
        let spaced: Vec<u8> = bytes.iter().map(|&b| if b == b'\t' { b' ' } else { b }).collect();
        spaced.split(|b| matches!(b, b'\n' | b'\r')).map(|line| text_string(line).unwrap_or_default()).collect::<Vec<_>>().join("\n")
    };
    Some(text.chars().take(MAX_CHARS).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_strings_decode_by_their_byte_order_mark() {
        let utf16: Vec<u8> = [0xfe, 0xff].into_iter().chain("Net 30".encode_utf16().flat_map(u16::to_be_bytes)).collect();
        assert_eq!(decode(&Object::String(utf16)).as_deref(), Some("Net 30"));
        assert_eq!(decode(&Object::String(b"\xef\xbb\xbf7/2/2025".to_vec())).as_deref(), Some("7/2/2025"));
        // PDFDocEncoding: 0x84 is an em dash, 0xe9 e acute.
        assert_eq!(decode(&Object::String(b"Phase 1 \x84 caf\xe9".to_vec())).as_deref(), Some("Phase 1 \u{2014} caf\u{e9}"));
        assert_eq!(decode(&Object::String(b"Report due\r\nin May".to_vec())).as_deref(), Some("Report due\n\nin May"));
        assert_eq!(decode(&Object::Integer(3)), None);
    }

    #[test]
    fn a_box_of_two_lines_gives_two_spans_inside_it() {
        let mut out = Vec::new();
        place("Start: 1 July 2025\n\nEnd: 30 June 2026\n", (100.0, 300.0), 50.0, 30.0, Origin::Annotation, &mut out);
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].text, "Start: 1 July 2025");
        assert!(out[0].y > 50.0 && out[1].y > out[0].y && out[1].y <= 50.0 + 30.0, "{out:?}");
        assert!(out.iter().all(|s| s.origin == Origin::Annotation));
    }
}
