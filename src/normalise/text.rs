//! Clean-up shared by the finders. Text extracted from PDFs has odd spaces, soft
//! hyphens, ligatures and words split across lines; the finders match on a cleaned
//! copy (single ASCII spaces, ASCII hyphens and quotes, known words re-joined) and
//! map byte offsets back to the caller's text.

use std::borrow::Cow;

/// A cleaned copy of a text plus the map from its byte offsets to the original's.
pub(crate) struct Cleaned<'a> {
    orig: &'a str,
    /// The cleaned text the finders search.
    pub text: Cow<'a, str>,
    /// `(clean offset, original offset)` where each contiguous run starts; empty
    /// when no cleaning was needed (identity map).
    segs: Vec<(usize, usize)>,
}

/// Words re-joined when split by a hyphen and a space ("Novem- ber"); anything
/// else keeps its hyphen, since "Kick- off" may be a real compound.
const JOIN_VOCAB: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
    "twentieth",
    "thirtieth",
    "seven",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "sixty",
    "seventy",
    "eighty",
    "ninety",
    "hundred",
    "thousand",
    "million",
    "billion",
    "business",
    "calendar",
    "working",
    "following",
    "preceding",
    "effective",
    "acceptance",
    "completion",
    "agreement",
    "execution",
    "commencement",
    "delivery",
    "receipt",
    "dollars",
    "percent",
    "euros",
    "sterling",
    "rupees",
    "anniversary",
    "months",
    "weeks",
    "years",
];

fn is_invisible(c: char) -> bool {
    matches!(c, '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}')
}

fn is_space(c: char) -> bool {
    c.is_whitespace()
}

fn hyphen_like(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2212}')
}

/// Cheap scan: most sentences need no cleaning and are searched as they are.
fn needs_cleaning(s: &str) -> bool {
    if !s.is_ascii() {
        return true;
    }
    let b = s.as_bytes();
    for i in 0..b.len() {
        match b[i] {
            b'\t' | b'\n' | b'\r' | 0x0b | 0x0c => return true,
            b' ' if i + 1 < b.len() && b[i + 1] == b' ' => return true,
            b'-' if i + 1 < b.len() && b[i + 1].is_ascii_whitespace() => return true,
            _ => {}
        }
    }
    false
}

impl<'a> Cleaned<'a> {
    /// Clean `orig`; borrows it unchanged when nothing needs cleaning.
    pub fn new(orig: &'a str) -> Self {
        if !needs_cleaning(orig) {
            return Cleaned { orig, text: Cow::Borrowed(orig), segs: Vec::new() };
        }
        let bytes = orig.as_bytes();
        let mut out = String::with_capacity(orig.len());
        let mut segs: Vec<(usize, usize)> = Vec::new();
        let mut pos = 0;
        while pos < orig.len() {
            // Most of a text is plain ASCII, copied as it is in one go (a
            // whole document is cleaned for its conventions).
            let run = bytes[pos..].iter().position(|&b| !plain_ascii(b)).map_or(bytes.len(), |n| pos + n);
            if run > pos {
                push(&mut out, &mut segs, pos, &orig[pos..run]);
                pos = run;
                continue;
            }
            let ch = orig[pos..].chars().next().expect("pos is a character boundary inside the text");
            let next = pos + ch.len_utf8();
            if is_invisible(ch) {
                pos = next;
                continue;
            }
            if is_space(ch) {
                if !out.ends_with(' ') {
                    push(&mut out, &mut segs, pos, " ");
                }
                pos = next + blank_run(&orig[next..]);
                continue;
            }
            if hyphen_like(ch) {
                // Look past a whitespace run: "Novem- ber", "Novem-\nber".
                let rest = &orig[next..];
                let ws_len = blank_run(rest);
                let prev_alpha = out.chars().next_back().is_some_and(|c| c.is_alphabetic());
                if ws_len > 0 && prev_alpha {
                    let right_start = next + ws_len;
                    let right: &str = {
                        let r = &orig[right_start..];
                        let n = r.find(|c: char| !c.is_alphabetic()).unwrap_or(r.len());
                        &r[..n]
                    };
                    if !right.is_empty() {
                        let left_len = out.char_indices().rev().take_while(|&(_, c)| c.is_alphabetic()).last().map_or(out.len(), |(i, _)| i);
                        let left = &out[left_len..];
                        if joins(left, right) {
                            pos = right_start;
                            continue;
                        }
                        let newline = rest[..ws_len].contains(['\n', '\r']);
                        if newline {
                            // A line-end hyphen in a compound: keep the hyphen only.
                            push(&mut out, &mut segs, pos, "-");
                            pos = right_start;
                            continue;
                        }
                    }
                }
                push(&mut out, &mut segs, pos, "-");
                pos = next;
                continue;
            }
            match ch {
                '\u{2018}' | '\u{2019}' | '\u{02BC}' | '\u{2032}' => push(&mut out, &mut segs, pos, "'"),
                '\u{201C}' | '\u{201D}' => push(&mut out, &mut segs, pos, "\""),
                '\u{FB01}' => push(&mut out, &mut segs, pos, "fi"),
                '\u{FB02}' => push(&mut out, &mut segs, pos, "fl"),
                _ => push(&mut out, &mut segs, pos, &orig[pos..next]),
            }
            pos = next;
        }
        Cleaned { orig, text: Cow::Owned(out), segs }
    }

    /// Original byte offset of the character starting at cleaned offset `c`.
    pub fn start(&self, c: usize) -> usize {
        if self.segs.is_empty() {
            return c;
        }
        if c >= self.text.len() {
            return self.orig.len();
        }
        let i = self.segs.partition_point(|s| s.0 <= c) - 1;
        let (cs, os) = self.segs[i];
        os + (c - cs)
    }

    /// Original byte offset just past the character ending at cleaned offset `c`.
    pub fn end(&self, c: usize) -> usize {
        if self.segs.is_empty() {
            return c;
        }
        if c == 0 {
            return self.start(0);
        }
        let mut p = self.start(c - 1).min(self.orig.len());
        while p > 0 && !self.orig.is_char_boundary(p) {
            p -= 1;
        }
        p + self.orig[p..].chars().next().map_or(0, char::len_utf8)
    }
}

fn joins(left: &str, right: &str) -> bool {
    let total = left.len() + right.len();
    if total > 16 || left.is_empty() {
        return false;
    }
    let mut buf = [0u8; 16];
    for (i, b) in left.bytes().chain(right.bytes()).enumerate() {
        if !b.is_ascii_alphabetic() {
            return false;
        }
        buf[i] = b.to_ascii_lowercase();
    }
    let w = std::str::from_utf8(&buf[..total]).unwrap_or("");
    JOIN_VOCAB.contains(&w)
}

/// An ASCII byte that cleaning keeps as it is: not a space (by
/// [`char::is_whitespace`]) and not a hyphen.
fn plain_ascii(b: u8) -> bool {
    b.is_ascii() && b != b'-' && !(b as char).is_whitespace()
}

/// Length in bytes of the run of spaces and invisible characters `s` starts with.
fn blank_run(s: &str) -> usize {
    s.char_indices().find(|&(_, c)| !(is_space(c) || is_invisible(c))).map_or(s.len(), |(i, _)| i)
}

fn push(out: &mut String, segs: &mut Vec<(usize, usize)>, orig_pos: usize, s: &str) {
    let c = out.len();
    let contiguous = segs.last().is_some_and(|&(cs, os)| os + (c - cs) == orig_pos);
    if !contiguous {
        segs.push((c, orig_pos));
    }
    out.push_str(s);
}

/// True when the byte before `i` (if any) is an ASCII digit.
pub(crate) fn digit_before(b: &[u8], i: usize) -> bool {
    i > 0 && b[i - 1].is_ascii_digit()
}

/// True when the byte at `i` (if any) is an ASCII digit.
pub(crate) fn digit_at(b: &[u8], i: usize) -> bool {
    i < b.len() && b[i].is_ascii_digit()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleaning_table() {
        let cases: &[(&str, &str)] = &[
            ("March 1, 2025", "March 1, 2025"),
            ("Novem- ber 4, 2011", "November 4, 2011"),
            ("Novem-\nber 4, 2011", "November 4, 2011"),
            ("Kick-\noff Date", "Kick-off Date"),
            ("Kick- off", "Kick- off"),
            ("1\u{00A0}March\u{2009}2025", "1 March 2025"),
            ("a  \n\t b", "a b"),
            ("twenty\u{2013}five", "twenty-five"),
            ("CHF 1\u{2019}000.00", "CHF 1'000.00"),
            ("\u{FB01}rst", "first"),
            ("Novem\u{00AD}ber", "November"),
            ("Sep-\n tember", "September"),
        ];
        for (input, want) in cases {
            assert_eq!(Cleaned::new(input).text, *want, "input {input:?}");
        }
    }

    /// The character-by-character cleaning `Cleaned::new` replaced, as an
    /// oracle: the text and the offset map must come out the same.
    fn reference(orig: &str) -> (String, Vec<(usize, usize)>) {
        if !needs_cleaning(orig) {
            return (orig.to_string(), Vec::new());
        }
        let mut out = String::with_capacity(orig.len());
        let mut segs: Vec<(usize, usize)> = Vec::new();
        let mut it = orig.char_indices().peekable();
        while let Some((pos, ch)) = it.next() {
            if is_invisible(ch) {
                continue;
            }
            if is_space(ch) {
                while let Some(&(_, c)) = it.peek() {
                    if is_space(c) || is_invisible(c) {
                        it.next();
                    } else {
                        break;
                    }
                }
                if !out.ends_with(' ') {
                    push(&mut out, &mut segs, pos, " ");
                }
                continue;
            }
            if hyphen_like(ch) {
                // Look past a whitespace run: "Novem- ber", "Novem-\nber".
                let after = pos + ch.len_utf8();
                let rest = &orig[after..];
                let ws_len: usize = rest.char_indices().find(|&(_, c)| !(is_space(c) || is_invisible(c))).map_or(rest.len(), |(i, _)| i);
                let prev_alpha = out.chars().next_back().is_some_and(|c| c.is_alphabetic());
                if ws_len > 0 && prev_alpha {
                    let right_start = after + ws_len;
                    let right: &str = {
                        let r = &orig[right_start..];
                        let n = r.find(|c: char| !c.is_alphabetic()).unwrap_or(r.len());
                        &r[..n]
                    };
                    if !right.is_empty() {
                        let left_len = out.char_indices().rev().take_while(|&(_, c)| c.is_alphabetic()).last().map_or(out.len(), |(i, _)| i);
                        let left = &out[left_len..];
                        if joins(left, right) {
                            skip_to(&mut it, right_start);
                            continue;
                        }
                        let newline = rest[..ws_len].contains(['\n', '\r']);
                        if newline {
                            // A line-end hyphen in a compound: keep the hyphen only.
                            push(&mut out, &mut segs, pos, "-");
                            skip_to(&mut it, right_start);
                            continue;
                        }
                    }
                }
                push(&mut out, &mut segs, pos, "-");
                continue;
            }
            match ch {
                '\u{2018}' | '\u{2019}' | '\u{02BC}' | '\u{2032}' => push(&mut out, &mut segs, pos, "'"),
                '\u{201C}' | '\u{201D}' => push(&mut out, &mut segs, pos, "\""),
                '\u{FB01}' => push(&mut out, &mut segs, pos, "fi"),
                '\u{FB02}' => push(&mut out, &mut segs, pos, "fl"),
                _ => push(&mut out, &mut segs, pos, &orig[pos..pos + ch.len_utf8()]),
            }
        }
        (out, segs)
    }

    fn skip_to(it: &mut std::iter::Peekable<std::str::CharIndices<'_>>, target: usize) {
        while let Some(&(i, _)) = it.peek() {
            if i >= target {
                break;
            }
            it.next();
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]
        #[test]
        fn cleaning_matches_the_char_by_char_reference(parts in proptest::collection::vec(proptest::sample::select(vec![
            "a", "Novem", "ber", "Kick", "off", "first", "1", "2025", ",", ".", "$", " ", "  ", "\t", "\n", "\r\n", "\u{0B}", "\u{0C}", "\u{1C}", "\u{85}",
            "-", "\u{2013}", "\u{2010}", "\u{2212}", "\u{00A0}", "\u{2009}", "\u{3000}", "\u{00AD}", "\u{200B}", "\u{FEFF}",
            "\u{2019}", "\u{201C}", "\u{201D}", "\u{02BC}", "\u{FB01}", "\u{FB02}", "é", "€", "ü", "\u{1F600}", "Ω",
        ]), 0..40)) {
            let text: String = parts.concat();
            let c = Cleaned::new(&text);
            let (want, want_segs) = reference(&text);
            proptest::prop_assert_eq!(c.text.as_ref(), want.as_str());
            if matches!(c.text, Cow::Owned(_)) {
                proptest::prop_assert_eq!(&c.segs, &want_segs);
            }
        }
    }

    #[test]
    fn offsets_map_back() {
        let s = "Due\u{00A0}\u{00A0}on Novem-\nber 4, 2011 (\u{FB01}rst) €5";
        let c = Cleaned::new(s);
        let t = &c.text;
        let i = t.find("November").unwrap();
        let j = i + "November 4, 2011".len();
        assert_eq!(&s[c.start(i)..c.end(j)], "Novem-\nber 4, 2011");
        let k = t.find("first").unwrap();
        assert_eq!(&s[c.start(k)..c.end(k + 5)], "\u{FB01}rst");
        let e = t.find('€').unwrap();
        assert_eq!(&s[c.start(e)..c.end(t.len())], "€5");
    }
}
