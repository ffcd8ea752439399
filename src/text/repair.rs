//! Same-length rewrites of a PDF's bytes that let an engine read what a
//! viewer shows but the engine refuses. Every rewrite keeps each byte
//! offset, so the cross-reference table stays valid, and the engine reads
//! the copy; the file itself is never changed.

/// Whether an encryption dictionary leaves the pages in the clear: crypt
/// filters (version 4 and up) whose stream and string filters are both
/// `/Identity` (the default when absent), so only what names another
/// filter, the embedded files (`/EFF`), is encrypted. Such a file asks for
/// a password only to open its attachments.
pub(crate) fn pages_in_the_clear(version: Option<i64>, stream_filter: Option<&str>, string_filter: Option<&str>) -> bool {
    let identity = |f: Option<&str>| f.is_none_or(|f| f == "Identity");
    version.is_some_and(|v| v >= 4) && identity(stream_filter) && identity(string_filter)
}

/// The same bytes with every `/Encrypt` key renamed to a name of the same
/// length (`/Xncrypt`), so that a parser reads the file as unencrypted.
/// Only for files whose pages are in the clear ([`pages_in_the_clear`]);
/// `/EncryptMetadata` and other longer names stay as they are.
pub(crate) fn without_encrypt_key(bytes: &[u8]) -> Vec<u8> {
    const KEY: &[u8] = b"/Encrypt";
    let mut out = bytes.to_vec();
    for i in memchr::memmem::find_iter(bytes, KEY) {
        if bytes.get(i + KEY.len()).is_none_or(|&b| ends_token(b)) {
            out[i + 1] = b'X';
        }
    }
    out
}

/// A copy of `bytes` in which each stream's `/Filter` given as an indirect
/// reference (`/Filter 3 0 R`, where object 3 is `[/FlateDecode]`) holds
/// the filters themselves, by their standard abbreviations (`/Fl`) padded
/// with spaces to the reference's length; `None` when there is none to
/// rewrite. pdf_oxide 0.3.78 does not follow such a reference and decodes
/// nothing (the class of its issue #1031, there for an image's `/Width`),
/// but it reads the abbreviations. A reference to an object inside an
/// object stream, or to filters whose names do not fit, stays as it is.
pub(crate) fn inline_indirect_filters(bytes: &[u8]) -> Option<Vec<u8>> {
    const KEY: &[u8] = b"/Filter";
    let mut out: Option<Vec<u8>> = None;
    for at in memchr::memmem::find_iter(bytes, KEY) {
        let start = at + KEY.len();
        let Some((len, number, generation)) = reference_at(&bytes[start..]) else { continue };
        let Some(mut filters) = object_body(bytes, number, generation).and_then(abbreviated) else { continue };
        // The reference and the whitespace before it make room.
        if filters.len() > len {
            continue;
        }
        if filters.len() < len {
            filters.insert(0, ' ');
        }
        let copy = out.get_or_insert_with(|| bytes.to_vec());
        let slot = &mut copy[start..start + len];
        slot.fill(b' ');
        slot[..filters.len()].copy_from_slice(filters.as_bytes());
    }
    out
}

/// A copy of `bytes` in which a font name written with unescaped spaces
/// (`/BaseFont /ABCDEF+Arial Unicode MS`, as some producers write it) is one
/// name again, its spaces made underscores; `None` when there is none. The
/// words after the space otherwise stand where the dictionary's next key
/// should, and both engines drop the whole font dictionary and with it
/// every glyph of the font. The name only picks a substitute font, which
/// an embedded font makes moot.
pub(crate) fn join_spaced_font_names(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut out: Option<Vec<u8>> = None;
    for key in [&b"/BaseFont"[..], b"/FontName"] {
        for at in memchr::memmem::find_iter(bytes, key) {
            let mut i = at + key.len();
            i += bytes[i..].iter().take_while(|&&b| b == b' ' || b == b'\t').count();
            if bytes.get(i) != Some(&b'/') {
                continue;
            }
            i += 1 + bytes[i + 1..].iter().take_while(|&&b| !ends_token(b)).count();
            // Each following bare word on the same line belongs to the name.
            loop {
                let spaces = bytes[i..].iter().take_while(|&&b| b == b' ').count();
                let word = bytes[i + spaces..].iter().take_while(|&&b| !ends_token(b)).count();
                let w = &bytes[i + spaces..i + spaces + word];
                let bare = spaces > 0 && w.first().is_some_and(u8::is_ascii_alphabetic) && !matches!(w, b"R" | b"true" | b"false" | b"null" | b"obj" | b"endobj");
                if !bare {
                    break;
                }
                out.get_or_insert_with(|| bytes.to_vec())[i..i + spaces].fill(b'_');
                i += spaces + word;
            }
        }
    }
    out
}

/// `[ws] N [ws] G [ws] R` at the start of `s`, ending a token: its length
/// (from the start of `s`), N and G.
fn reference_at(s: &[u8]) -> Option<(usize, u64, u64)> {
    let mut i = 0;
    let mut numbers = [0u64; 2];
    for n in &mut numbers {
        let ws = s[i..].iter().take_while(|b| b.is_ascii_whitespace()).count();
        let digits = s[i + ws..].iter().take_while(|b| b.is_ascii_digit()).count();
        if ws == 0 || digits == 0 || digits > 10 {
            return None;
        }
        *n = std::str::from_utf8(&s[i + ws..i + ws + digits]).ok()?.parse().ok()?;
        i += ws + digits;
    }
    let ws = s[i..].iter().take_while(|b| b.is_ascii_whitespace()).count();
    if ws == 0 || s.get(i + ws) != Some(&b'R') || s.get(i + ws + 1).is_some_and(|&b| !ends_token(b)) {
        return None;
    }
    Some((i + ws + 1, numbers[0], numbers[1]))
}

/// The body of object `N G` as written at the top level of the file (the
/// last definition, as an incremental update would have it), up to
/// `endobj`; at most a few hundred bytes, which a filter list never exceeds.
fn object_body(bytes: &[u8], number: u64, generation: u64) -> Option<&[u8]> {
    let head = format!("{number} {generation} obj");
    let at = memchr::memmem::rfind_iter(bytes, head.as_bytes()).find(|&i| i == 0 || !bytes[i - 1].is_ascii_digit())?;
    let body = &bytes[at + head.len()..];
    let body = &body[..body.len().min(512)];
    let end = memchr::memmem::find(body, b"endobj")?;
    Some(&body[..end])
}

/// A filter name or array of names, written with the standard
/// abbreviations (PDF 32000-1, table 94) where there is one.
fn abbreviated(body: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(body).ok()?.trim();
    let (inner, array) = match text.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
        Some(inner) => (inner, true),
        None => (text, false),
    };
    let names: Vec<&str> = inner.split('/').map(str::trim).collect();
    // Names only: nothing before the first slash, nothing empty after.
    let (first, names) = names.split_first()?;
    if !first.is_empty() || names.is_empty() || names.iter().any(|n| n.is_empty() || n.bytes().any(|b| !b.is_ascii_alphanumeric())) {
        return None;
    }
    if !array && names.len() > 1 {
        return None;
    }
    let list: String = names.iter().map(|n| format!("/{}", short_filter_name(n))).collect();
    Some(if array { format!("[{list}]") } else { list })
}

/// A filter's standard abbreviation, where it has one.
fn short_filter_name(name: &str) -> &str {
    match name {
        "FlateDecode" => "Fl",
        "ASCIIHexDecode" => "AHx",
        "ASCII85Decode" => "A85",
        "LZWDecode" => "LZW",
        "RunLengthDecode" => "RL",
        "DCTDecode" => "DCT",
        "CCITTFaxDecode" => "CCF",
        other => other,
    }
}

/// A name or keyword ends at whitespace or a delimiter (PDF 32000-1, 7.2.2).
fn ends_token(b: u8) -> bool {
    b"\0\t\n\x0c\r ()<>[]{}/%".contains(&b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_identity_filters_leave_the_pages_in_the_clear() {
        assert!(pages_in_the_clear(Some(5), Some("Identity"), Some("Identity")));
        assert!(pages_in_the_clear(Some(4), None, None));
        assert!(!pages_in_the_clear(Some(4), Some("StdCF"), Some("Identity")));
        assert!(!pages_in_the_clear(Some(5), Some("Identity"), Some("StdCF")));
        // Versions 1-3 encrypt every stream and string.
        assert!(!pages_in_the_clear(Some(2), None, None));
        assert!(!pages_in_the_clear(None, None, None));
    }

    #[test]
    fn only_the_encrypt_key_is_renamed_and_offsets_hold() {
        let pdf = b"<</Size 9/Encrypt 7 0 R/Root 1 0 R>> <</EncryptMetadata false/Encrypt<</V 5>>>>";
        let out = without_encrypt_key(pdf);
        assert_eq!(&out[..], &b"<</Size 9/Xncrypt 7 0 R/Root 1 0 R>> <</EncryptMetadata false/Xncrypt<</V 5>>>>"[..]);
    }

    #[test]
    fn an_indirect_filter_is_written_in_place() {
        let pdf = b"2 0 obj\n<< /Filter 3 0 R /Length 4 0 R >>\nstream\n...\nendstream\nendobj\n3 0 obj\n[/FlateDecode]\nendobj\n";
        let out = inline_indirect_filters(pdf).expect("rewritten");
        assert_eq!(out.len(), pdf.len());
        assert!(out.starts_with(b"2 0 obj\n<< /Filter [/Fl] /Length 4 0 R >>"), "{}", String::from_utf8_lossy(&out));
        // Two filters, a bare name, a longer reference.
        let pdf = b"<< /Filter 13 0 R >> 13 0 obj [ /ASCII85Decode /FlateDecode ] endobj";
        assert!(inline_indirect_filters(pdf).is_none(), "[/A85/Fl] does not fit in ' 13 0 R'");
        let pdf = b"<< /Filter   113 0 R >> 113 0 obj /FlateDecode endobj";
        let out = inline_indirect_filters(pdf).expect("rewritten");
        assert_eq!(&out[..23], &b"<< /Filter /Fl       >>"[..]);
    }

    #[test]
    fn a_font_name_with_spaces_is_one_name_again() {
        let pdf = b"<< /BaseFont /AAB+Arial Unicode MS\n/Subtype /Type0 >>";
        let out = join_spaced_font_names(pdf).expect("rewritten");
        assert_eq!(&out[..], &b"<< /BaseFont /AAB+Arial_Unicode_MS\n/Subtype /Type0 >>"[..]);
        // Well-formed names, and what follows them, stay.
        for pdf in [&b"<< /BaseFont /Helvetica /Subtype /Type1 >>"[..], b"<< /FontName /F1 >>", b"[/BaseFont /F1 true]", b"<</BaseFont /F 12 0 R>>"] {
            assert!(join_spaced_font_names(pdf).is_none(), "{}", String::from_utf8_lossy(pdf));
        }
    }

    #[test]
    fn what_is_not_a_filter_reference_stays() {
        // A direct filter, a missing object, an object that is no filter list,
        // and the 3 0 obj that an object 13 0 obj must not be taken for.
        for pdf in [
            &b"<< /Filter /FlateDecode >>"[..],
            b"<< /Filter 3 0 R >> 4 0 obj /FlateDecode endobj",
            b"<< /Filter 3 0 R >> 3 0 obj << /Type /Font >> endobj",
            b"<< /Filter 3 0 R >> 13 0 obj /FlateDecode endobj",
            b"<< /Filters 3 0 R >> 3 0 obj /FlateDecode endobj",
        ] {
            assert!(inline_indirect_filters(pdf).is_none(), "{}", String::from_utf8_lossy(pdf));
        }
    }
}
