//! Percentages: "25%", "12.5 per cent", "twenty-five percent (25%)", "one hundred
//! percent". Only a written percentage counts: the conventions take a payment's
//! `percent` only when the text writes it as one, so fractions such as "one-half" or
//! "one-third of the Contract Price" are NOT read as 50 or 33.33.

use once_cell::sync::Lazy;
use regex::Regex;

use super::numbers::{number_words_pattern, parse_number_words};
use super::text::Cleaned;

/// A percentage found in a text, with its byte span.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FoundPercent {
    /// The percentage as a number (25.0 for 25%).
    pub value: f64,
    /// Byte offset where it starts in the searched text.
    pub start: usize,
    /// Byte offset just past it (past the figures when words and figures merge).
    pub end: usize,
}

const PNUM: &str = r"\d+(?:[.,]\d+)?";
const PCT: &str = r"(?:%|per\s?cent\b|percent\b|pct\b)";

static DIGITS: Lazy<Regex> = Lazy::new(|| super::compile(&format!(r"(?i)(?P<n>{PNUM})\s?{PCT}")).unwrap());
static WORDS: Lazy<Regex> = Lazy::new(|| {
    let numw = number_words_pattern();
    super::compile(&format!(
        r"(?i)\b(?P<w>{numw})(?:\s(?:and\s)?(?P<fr>one[\s-]half|a\shalf|one[\s-]quarter|a\squarter|three[\s-]quarters))?(?:\s?\(\s?(?P<d1>{PNUM})\s?{PCT}?\s?\))?\s?{PCT}(?:\s?\(\s?(?P<d2>{PNUM})\s?{PCT}\s?\))?"
    ))
    .unwrap()
});

/// "12.5" or "12,5" (decimal comma); "1,000" with exactly three digits after a
/// single comma is a thousands separator.
fn parse_figure(s: &str) -> Option<f64> {
    let v = match s.split_once(',') {
        Some((a, b)) if b.len() == 3 && !b.contains(',') => format!("{a}{b}"),
        Some((a, b)) => format!("{a}.{b}"),
        None => s.to_string(),
    };
    v.parse::<f64>().ok().filter(|v| v.is_finite())
}

fn fraction(fr: &str) -> f64 {
    let f = fr.to_ascii_lowercase();
    if f.contains("half") {
        0.5
    } else if f.starts_with("three") {
        0.75
    } else {
        0.25
    }
}

/// Every written percentage in `text`, non-overlapping, in order.
pub fn find_percents(text: &str) -> Vec<FoundPercent> {
    let cl = Cleaned::new(text);
    let t: &str = &cl.text;
    let b = t.as_bytes();
    let mut cands: Vec<(usize, usize, f64)> = Vec::new();
    for c in WORDS.captures_iter(t) {
        let m = c.get(0).unwrap();
        // Digits win over words when both are written.
        let digits = c.name("d2").or_else(|| c.name("d1")).and_then(|d| parse_figure(d.as_str()));
        let words = parse_number_words(&c["w"]).map(|n| n as f64 + c.name("fr").map_or(0.0, |f| fraction(f.as_str())));
        if let Some(v) = digits.or(words) {
            cands.push((m.start(), m.end(), v));
        }
    }
    for c in DIGITS.captures_iter(t) {
        let m = c.get(0).unwrap();
        let s = m.start();
        // Part of a longer number or token ("v1.25%", "3.1.5%").
        if s > 0 && (b[s - 1].is_ascii_alphanumeric() || (matches!(b[s - 1], b'.' | b',') && s > 1 && b[s - 2].is_ascii_digit())) {
            continue;
        }
        if let Some(v) = parse_figure(&c["n"]) {
            cands.push((s, m.end(), v));
        }
    }
    cands.sort_by(|x, y| x.0.cmp(&y.0).then(y.1.cmp(&x.1)));
    let mut out: Vec<FoundPercent> = Vec::new();
    let mut last_end = 0;
    for (s, e, value) in cands {
        if out.is_empty() || s >= last_end {
            last_end = e;
            out.push(FoundPercent { value, start: cl.start(s), end: cl.end(e) });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percents() {
        let cases: &[(&str, Option<(f64, &str)>)] = &[
            ("25%", Some((25.0, "25%"))),
            ("25 %", Some((25.0, "25 %"))),
            ("25\u{00A0}%", Some((25.0, "25\u{00A0}%"))),
            ("12.5 per cent", Some((12.5, "12.5 per cent"))),
            ("12.5 percent", Some((12.5, "12.5 percent"))),
            ("12,5 %", Some((12.5, "12,5 %"))),
            ("100 pct of", Some((100.0, "100 pct"))),
            ("twenty-five percent (25%)", Some((25.0, "twenty-five percent (25%)"))),
            ("Twenty-Five Percent (25%) of the Price", Some((25.0, "Twenty-Five Percent (25%)"))),
            ("twenty-five (25%) percent", Some((25.0, "twenty-five (25%) percent"))),
            ("twenty five (25) per cent", Some((25.0, "twenty five (25) per cent"))),
            ("one hundred percent", Some((100.0, "one hundred percent"))),
            ("ten percent (15%)", Some((15.0, "ten percent (15%)"))),
            ("twelve and one-half percent (12.5%)", Some((12.5, "twelve and one-half percent (12.5%)"))),
            ("twelve and one-half percent", Some((12.5, "twelve and one-half percent"))),
            ("0.5%", Some((0.5, "0.5%"))),
            // negatives
            ("one-half of the Contract Price", None),
            ("one-third", None),
            ("25 percentile", None),
            ("25 per", None),
            ("v1.25%", None),
            ("twenty-five", None),
            ("percent", None),
        ];
        for (s, want) in cases {
            let found = find_percents(s);
            match want {
                Some((v, span)) => {
                    assert_eq!(found.len(), 1, "{s:?}: {found:?}");
                    assert_eq!((found[0].value, &s[found[0].start..found[0].end]), (*v, *span), "input {s:?}");
                }
                None => assert!(found.is_empty(), "{s:?}: {found:?}"),
            }
        }
    }

    #[test]
    fn several() {
        let t = "Pay 30% on signing, forty percent (40%) on delivery and 30 % on acceptance.";
        let v: Vec<f64> = find_percents(t).iter().map(|p| p.value).collect();
        assert_eq!(v, vec![30.0, 40.0, 30.0]);
    }
}
