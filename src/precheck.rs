//! Hostile-input checks run on a PDF's bytes before any engine sees them.
//!
//! Two attacks are cheap to recognise here and expensive to meet inside a
//! PDF library:
//!
//! - a decompression bomb: a few megabytes of Flate data that inflate to
//!   gigabytes. Every stream is inflated once, streaming, counting bytes
//!   into a small buffer; a stream (or the streams together) over the limit
//!   ends the document as `too_large` before an engine tries to hold it all
//!   in memory.
//! - objects nested tens of thousands deep (`[[[[...` or `<< /A << /A ...`):
//!   recursive parsers overflow their stack, which aborts the process. The
//!   nesting of arrays and dictionaries is tracked outside strings, comments
//!   and stream data (and inside object streams, whose objects are
//!   compressed); deeper than [`MAX_DEPTH`] ends the document as
//!   `unreadable`.
//!
//! Reference cycles, object-stream loops and page trees claiming a million
//! pages are left to the engines (they survive them) and to `--max-pages`.

use std::io::Read;

/// Nesting of arrays and dictionaries deeper than this is refused. Real
/// documents stay far below it (a few levels; tens in odd generators).
pub const MAX_DEPTH: usize = 256;

/// What the check found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Hostile {
    /// One stream, or all together, inflate past the limit.
    #[error("a compressed stream at byte {offset} inflates to more than {limit} bytes (a decompression bomb?); refused to stay within --max-memory")]
    Bomb {
        /// Where the stream's data starts.
        offset: usize,
        /// The limit it went over.
        limit: u64,
    },
    /// The streams of the file together inflate past the limit.
    #[error("the file's compressed streams together inflate to more than {limit} bytes; refused to stay within --max-memory")]
    BombTotal {
        /// The limit.
        limit: u64,
    },
    /// Arrays or dictionaries nested too deep.
    #[error("arrays or dictionaries nested more than {MAX_DEPTH} deep at byte {offset}{}; a PDF reader would overflow its stack", if *.in_object_stream { " (inside an object stream)" } else { "" })]
    TooDeep {
        /// Where the limit was passed (in the file, or in the inflated object stream).
        offset: usize,
        /// Whether it was inside a compressed object stream.
        in_object_stream: bool,
    },
}

/// Limits of [`check`].
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Most bytes one stream may inflate to.
    pub stream: u64,
    /// Most bytes all streams together may inflate to.
    pub total: u64,
}

impl Limits {
    /// Limits that fit a worker with `max_memory` bytes of address space:
    /// a quarter of it per stream (an engine holds a stream's inflated
    /// bytes, and often a copy or two), all of it for the file.
    pub fn for_memory(max_memory: u64) -> Limits {
        Limits { stream: (max_memory / 4).max(1 << 20), total: max_memory.max(1 << 20) }
    }
}

/// A predictor row (`/Colors` x `/Columns` x `/BitsPerComponent`) larger
/// than this is no real image or content stream: it only makes a decoder
/// allocate it. pdf_oxide 0.3.78 sizes its PNG-predictor buffer from these
/// declared values (the class of pdf_oxide issue #1378, there for CCITT
/// `/Columns`): a tiny file declaring a huge `/Colors` exhausts a worker's
/// memory (figures: `docs/performance.md`).
pub const MAX_PREDICTOR_ROW: u64 = 64 << 20;

/// A copy of `bytes` in which every direct `/DecodeParms` dictionary that
/// declares a predictor row over [`MAX_PREDICTOR_ROW`] declares one colour
/// and one column instead (the digits overwritten in place, so every byte
/// offset and the cross-reference table stay valid); `None` when there is
/// none. The stream then decodes to next to nothing, which is all such a
/// stream holds.
pub fn defuse_predictors(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut out: Option<Vec<u8>> = None;
    for at in memchr::memmem::find_iter(bytes, b"/DecodeParms") {
        let rest = &bytes[at + b"/DecodeParms".len()..];
        let ws = rest.iter().take_while(|b| b.is_ascii_whitespace()).count();
        let dict_at = at + b"/DecodeParms".len() + ws;
        if !bytes[dict_at..].starts_with(b"<<") {
            continue;
        }
        let window = &bytes[dict_at..(dict_at + 512).min(bytes.len())];
        let Some(end) = memchr::memmem::find(window, b">>") else { continue };
        let dict = &window[..end];
        let colors = number_after(dict, b"/Colors");
        let columns = number_after(dict, b"/Columns");
        let bits = number_after(dict, b"/BitsPerComponent").map_or(8, |(_, _, v)| v);
        let row = colors.map_or(1, |c| c.2).saturating_mul(columns.map_or(1, |c| c.2)).saturating_mul(bits) / 8;
        if row <= MAX_PREDICTOR_ROW {
            continue;
        }
        let copy = out.get_or_insert_with(|| bytes.to_vec());
        for (start, len, _) in [colors, columns].into_iter().flatten() {
            let digits = &mut copy[dict_at + start..dict_at + start + len];
            digits.fill(b' ');
            digits[0] = b'1';
        }
    }
    out
}

/// The unsigned integer after `key` in `dict`: its offset, its length in
/// bytes and its value.
fn number_after(dict: &[u8], key: &[u8]) -> Option<(usize, usize, u64)> {
    let k = memchr::memmem::find_iter(dict, key).find(|&k| dict.get(k + key.len()).is_some_and(|b| b.is_ascii_whitespace() || b.is_ascii_digit()))?;
    let mut start = k + key.len();
    while dict.get(start).is_some_and(|b| b.is_ascii_whitespace()) {
        start += 1;
    }
    let len = dict[start..].iter().take_while(|b| b.is_ascii_digit()).count();
    if len == 0 {
        return None;
    }
    let value = std::str::from_utf8(&dict[start..start + len]).ok()?.parse::<u64>().unwrap_or(u64::MAX);
    Some((start, len, value))
}

/// Check a PDF's bytes for a decompression bomb and for nesting too deep.
pub fn check(bytes: &[u8], limits: Limits) -> Result<(), Hostile> {
    let mut scan = Scanner::default();
    let mut total = 0u64;
    let mut pos = 0usize;
    // Where the current object's dictionary began (the last `obj`), to tell
    // object streams from other streams.
    let mut obj_start = 0usize;
    while pos < bytes.len() {
        let b = bytes[pos];
        if b.is_ascii_alphabetic() && scan.state == State::Normal {
            let start = pos;
            while pos < bytes.len() && is_regular(bytes[pos]) {
                pos += 1;
            }
            let token = &bytes[start..pos];
            // A keyword stands after white space or a delimiter, not after
            // the `/` of a name.
            let keyword = start == 0 || (!is_regular(bytes[start - 1]) && bytes[start - 1] != b'/');
            if !keyword {
                continue;
            }
            match token {
                b"obj" | b"endobj" => {
                    scan.depth = 0;
                    obj_start = pos;
                }
                b"stream" => {
                    let Some(data) = stream_data_start(bytes, pos) else { continue };
                    let is_objstm = memchr::memmem::find(&bytes[obj_start..start], b"/ObjStm").is_some();
                    let inflated = inflate_counting(&bytes[data..], limits.stream, is_objstm);
                    match inflated {
                        Inflated::OverLimit => return Err(Hostile::Bomb { offset: data, limit: limits.stream }),
                        Inflated::Size(n, kept) => {
                            total += n;
                            if total > limits.total {
                                return Err(Hostile::BombTotal { limit: limits.total });
                            }
                            if let Some(objects) = kept {
                                let mut inner = Scanner::default();
                                if let Some(offset) = inner.feed(&objects) {
                                    return Err(Hostile::TooDeep { offset, in_object_stream: true });
                                }
                            }
                        }
                    }
                    // Skip the stream's data: binary bytes are not syntax.
                    match memchr::memmem::find(&bytes[data..], b"endstream") {
                        Some(end) => pos = data + end + b"endstream".len(),
                        None => return Ok(()),
                    }
                    scan.depth = 0;
                }
                _ => {}
            }
            continue;
        }
        if scan.step(b, bytes.get(pos + 1).copied()) {
            pos += 1; // a two-byte token (`<<` or `>>`)
        }
        if scan.depth > MAX_DEPTH {
            return Err(Hostile::TooDeep { offset: pos, in_object_stream: false });
        }
        pos += 1;
    }
    Ok(())
}

/// Bytes that are neither white space nor delimiters.
fn is_regular(b: u8) -> bool {
    !matches!(b, b'\0' | b'\t' | b'\n' | b'\x0c' | b'\r' | b' ' | b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%')
}

/// Where a stream's data begins: after `stream` and its end-of-line.
fn stream_data_start(bytes: &[u8], after_keyword: usize) -> Option<usize> {
    match bytes.get(after_keyword..after_keyword + 2)? {
        [b'\r', b'\n'] => Some(after_keyword + 2),
        [b'\n', _] | [b'\r', _] => Some(after_keyword + 1),
        _ => None,
    }
}

enum Inflated {
    /// Inflated size (the whole stream, or up to where the data stopped
    /// making sense), and the bytes when asked to keep them.
    Size(u64, Option<Vec<u8>>),
    /// More than the limit.
    OverLimit,
}

/// Inflate zlib data from the start of `data` (it ends itself), counting the
/// output; keep it only when asked (object streams, bounded by the limit).
/// Data that is not zlib, or goes bad, counts what came out before.
fn inflate_counting(data: &[u8], limit: u64, keep: bool) -> Inflated {
    let mut decoder = flate2::read::ZlibDecoder::new(data);
    let mut buf = [0u8; 64 * 1024];
    let mut total = 0u64;
    let mut kept = keep.then(Vec::new);
    loop {
        match decoder.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                total += n as u64;
                if total > limit {
                    return Inflated::OverLimit;
                }
                if let Some(k) = kept.as_mut() {
                    k.extend_from_slice(&buf[..n]);
                }
            }
        }
    }
    Inflated::Size(total, kept)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum State {
    #[default]
    Normal,
    Comment,
    /// Inside `( ... )`, with the count of unbalanced inner parentheses.
    Literal(u32),
    /// After a backslash in a literal string.
    Escape(u32),
    Hex,
}

/// Tracks the nesting of arrays and dictionaries.
#[derive(Debug, Default)]
struct Scanner {
    state: State,
    depth: usize,
}

impl Scanner {
    /// Advance over one byte; returns true when it consumed `next` as well.
    fn step(&mut self, b: u8, next: Option<u8>) -> bool {
        match self.state {
            State::Normal => match b {
                b'%' => self.state = State::Comment,
                b'(' => self.state = State::Literal(0),
                b'[' => self.depth += 1,
                b']' => self.depth = self.depth.saturating_sub(1),
                b'<' if next == Some(b'<') => {
                    self.depth += 1;
                    return true;
                }
                b'<' => self.state = State::Hex,
                b'>' if next == Some(b'>') => {
                    self.depth = self.depth.saturating_sub(1);
                    return true;
                }
                _ => {}
            },
            State::Comment => {
                if b == b'\n' || b == b'\r' {
                    self.state = State::Normal;
                }
            }
            State::Literal(n) => match b {
                b'\\' => self.state = State::Escape(n),
                b'(' => self.state = State::Literal(n + 1),
                b')' if n == 0 => self.state = State::Normal,
                b')' => self.state = State::Literal(n - 1),
                _ => {}
            },
            State::Escape(n) => self.state = State::Literal(n),
            State::Hex => {
                if b == b'>' {
                    self.state = State::Normal;
                }
            }
        }
        false
    }

    /// Scan a whole buffer (an object stream's objects); the offset where
    /// the nesting went too deep, if it did.
    fn feed(&mut self, bytes: &[u8]) -> Option<usize> {
        let mut i = 0;
        while i < bytes.len() {
            if self.step(bytes[i], bytes.get(i + 1).copied()) {
                i += 1;
            }
            if self.depth > MAX_DEPTH {
                return Some(i);
            }
            i += 1;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    const LIMITS: Limits = Limits { stream: 1 << 20, total: 4 << 20 };

    fn zlib(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    fn pdf_with_stream(dict: &str, data: &[u8]) -> Vec<u8> {
        let mut v = format!("%PDF-1.5\n1 0 obj\n<< {dict} /Length {} >>\nstream\n", data.len()).into_bytes();
        v.extend_from_slice(data);
        v.extend_from_slice(b"\nendstream\nendobj\n%%EOF\n");
        v
    }

    #[test]
    fn ordinary_structure_passes() {
        let pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog /A [1 [2 [3]] (a ( [[[ string) <48656c6c6f>] >> endobj\n%%EOF";
        assert_eq!(check(pdf, LIMITS), Ok(()));
        // Brackets in strings, comments and stream data do not count.
        let many = "[".repeat(1000);
        let pdf = format!("%PDF-1.4\n1 0 obj ({many}) endobj\n% {many}\n2 0 obj << /Length 3 >>\nstream\n{many}\nendstream endobj");
        assert_eq!(check(pdf.as_bytes(), LIMITS), Ok(()));
        // A stream that inflates within the limit.
        assert_eq!(check(&pdf_with_stream("/Filter /FlateDecode", &zlib(&[b' '; 500_000])), LIMITS), Ok(()));
    }

    #[test]
    fn deep_nesting_is_refused() {
        let deep = format!("%PDF-1.4\n1 0 obj {}1{} endobj", "[".repeat(300), "]".repeat(300));
        assert!(matches!(check(deep.as_bytes(), LIMITS), Err(Hostile::TooDeep { in_object_stream: false, .. })));
        let deep = format!("%PDF-1.4\n1 0 obj {}1{} endobj", "<< /A ".repeat(300), " >>".repeat(300));
        assert!(matches!(check(deep.as_bytes(), LIMITS), Err(Hostile::TooDeep { .. })));
        // Unclosed brackets of one broken object do not add up across objects.
        let broken: String = (0..100).map(|i| format!("{i} 0 obj [[[ endobj\n")).collect();
        assert_eq!(check(format!("%PDF-1.4\n{broken}").as_bytes(), LIMITS), Ok(()));
    }

    #[test]
    fn deep_nesting_inside_an_object_stream_is_refused() {
        let inner = format!("5 0 {}1{}", "[".repeat(300), "]".repeat(300));
        let pdf = pdf_with_stream("/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode", &zlib(inner.as_bytes()));
        assert!(matches!(check(&pdf, LIMITS), Err(Hostile::TooDeep { in_object_stream: true, .. })));
    }

    #[test]
    fn a_bomb_is_refused() {
        let pdf = pdf_with_stream("/Filter /FlateDecode", &zlib(&vec![0u8; 2 << 20]));
        assert!(pdf.len() < 10_000);
        assert!(matches!(check(&pdf, LIMITS), Err(Hostile::Bomb { .. })));
        // Five streams of 900 KB each: each is within the stream limit, together over the total.
        let one = zlib(&vec![0u8; 900 << 10]);
        let mut pdf = Vec::new();
        for _ in 0..5 {
            pdf.extend(pdf_with_stream("/Filter /FlateDecode", &one));
        }
        assert_eq!(check(&pdf, LIMITS), Err(Hostile::BombTotal { limit: 4 << 20 }));
    }

    #[test]
    fn garbage_is_not_a_finding() {
        assert_eq!(check(b"", LIMITS), Ok(()));
        assert_eq!(check(b"stream", LIMITS), Ok(()));
        assert_eq!(check(b"obj stream\n\x78\x9c garbage", LIMITS), Ok(()));
        assert_eq!(check(b"((((\\", LIMITS), Ok(()));
        assert_eq!(check(b"<<<<<<", LIMITS), Ok(()));
    }

    #[test]
    fn a_predictor_row_of_half_a_gigabyte_is_defused_in_place() {
        let file = b"4 0 obj << /Filter /FlateDecode /DecodeParms << /Predictor 10 /Colors 536870913 /Columns 1 >> >> stream";
        let fixed = defuse_predictors(file).expect("defused");
        assert_eq!(fixed.len(), file.len());
        assert_eq!(&fixed[..], &b"4 0 obj << /Filter /FlateDecode /DecodeParms << /Predictor 10 /Colors 1         /Columns 1 >> >> stream"[..]);
        // Both factors of a large row are reduced.
        let wide = b"/DecodeParms<</Predictor 12/Colors 4/Columns 99999999/BitsPerComponent 16>>";
        let fixed = defuse_predictors(wide).expect("defused");
        assert_eq!(&fixed[..], &b"/DecodeParms<</Predictor 12/Colors 1/Columns 1       /BitsPerComponent 16>>"[..]);
    }

    #[test]
    fn ordinary_predictors_are_left_alone() {
        // An xref stream's usual parameters, and a wide RGB image's.
        assert_eq!(defuse_predictors(b"/DecodeParms << /Columns 5 /Predictor 12 >>"), None);
        assert_eq!(defuse_predictors(b"/DecodeParms << /Predictor 15 /Colors 3 /Columns 20000 /BitsPerComponent 8 >>"), None);
        // An indirect reference is not followed (and not touched).
        assert_eq!(defuse_predictors(b"/DecodeParms 12 0 R /Colors 536870913"), None);
    }
}
