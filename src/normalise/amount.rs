//! Money: find amounts with a currency marker ("$50,000", "EUR 1.250.000,00",
//! "Fifty Thousand Dollars ($50,000)", "₹12,50,000") and normalise them to
//! [`Money`]: integer minor units (i128 cents), never floating point, and an
//! ISO 4217 code.

use once_cell::sync::Lazy;
use regex::{Captures, Regex};

use super::money::{Currency, Money};
use super::numbers::{number_words_pattern, parse_number_words};
use super::text::Cleaned;

/// An amount found in a text, with its byte span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundAmount {
    /// The amount.
    pub money: Money,
    /// Byte offset where the amount starts in the searched text.
    pub start: usize,
    /// Byte offset just past the amount (past the figures when words and figures merge).
    pub end: usize,
    /// The amount was (also) written in words ("Fifty Thousand Dollars").
    pub in_words: bool,
}

/// A currency as read: a fixed ISO code or the document's dollar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cur {
    Code(Currency),
    Dollar,
}

const fn cur(code: &[u8; 3]) -> Currency {
    Currency::code(code)
}

/// The codes read when written as codes ("USD 5,000", "5,000 EUR"); "RMB" reads as CNY too.
const CODES: [Currency; 25] = [
    cur(b"USD"),
    cur(b"EUR"),
    cur(b"GBP"),
    cur(b"JPY"),
    cur(b"CAD"),
    cur(b"AUD"),
    cur(b"NZD"),
    cur(b"SGD"),
    cur(b"HKD"),
    cur(b"CHF"),
    cur(b"INR"),
    cur(b"CNY"),
    cur(b"SEK"),
    cur(b"NOK"),
    cur(b"DKK"),
    cur(b"ZAR"),
    cur(b"BRL"),
    cur(b"MXN"),
    cur(b"PLN"),
    cur(b"CZK"),
    cur(b"HUF"),
    cur(b"ILS"),
    cur(b"AED"),
    cur(b"SAR"),
    cur(b"KRW"),
];

/// [`CODES`] and "RMB" as a regex alternation. The order of the
/// alternatives does not matter: each is three letters, so at most one
/// matches at any place.
fn codes_pattern() -> String {
    CODES.iter().map(Currency::as_str).chain(["RMB"]).collect::<Vec<_>>().join("|")
}
/// Whether a text may hold an amount at all: every form [`find_amounts`]
/// reads has a currency mark (a symbol, an ISO code, "Rs", "Fr", or a
/// currency word). A cheap test before the patterns.
pub fn may_contain_amount(text: &str) -> bool {
    if text.contains(['$', '€', '£', '¥', '₹', '₨']) {
        return true;
    }
    let has_code = text.split(|c: char| !c.is_ascii_alphabetic()).any(|w| w == "Rs" || w == "Fr" || w == "SFr" || code(w).is_some());
    if has_code {
        return true;
    }
    let lower = text.to_ascii_lowercase();
    ["dollar", "euro", "pound", "sterling", "rupee", "yen", "franc", "yuan", "renminbi"].iter().any(|w| lower.contains(w))
}

/// A run of digits with separators; validated by `parse_number`.
const NUM: &str = r"\d+(?:[.,' ]\d+)*";
const SCALE: &str = r"(?:(?P<sc1>(?i:k|m|mm|mn|bn))\b|\s?(?P<sc2>(?i:thousand|million|billion|bn|mm|mn))\b)";
const ADJ: &str = r"(?P<adj>US|U\.S\.|United\sStates|American|Canadian|Australian|New\sZealand|Singapore|Hong\sKong|Swiss|Indian)";

static PREFIX: Lazy<Regex> = Lazy::new(|| {
    let codes = codes_pattern();
    super::compile(&format!(
        r"(?P<cur>\bU\.S\.\s?\$|\bUS\s?\$|\bUSD\s?\$|\bCAD?\s?\$|\bCAN\$|\bCan\$|\bCDN\$|\bC\$|\bAUD?\s?\$|\bA\$|\bNZD?\s?\$|\bSGD?\s?\$|\bS\$|\bHKD?\s?\$|\bR\$|\$|€|£|¥|₹|₨|\bRs\.?|\bSFr\.?|\bFr\.|\b(?:{codes})|\b(?i:euros?|rupees))\s?(?P<num>{NUM}){SCALE}?(?:\s(?P<post>USD|CAD|AUD|NZD|SGD|HKD)\b)?"
    ))
    .unwrap()
});
static SUFFIX: Lazy<Regex> = Lazy::new(|| {
    let codes = codes_pattern();
    super::compile(&format!(r"\b(?P<num>{NUM}){SCALE}?\s?(?P<cur>€|£|¥|₹|\b(?:{codes})\b|\b(?i:(?:{ADJ}\s)?(?P<cw>dollars?|euros?|pounds?\ssterling|rupees?|yen|francs?|yuan|renminbi))\b)")).unwrap()
});
static WORDS: Lazy<Regex> = Lazy::new(|| {
    let numw = number_words_pattern();
    super::compile(&format!(
        r"(?i)\b(?P<w>{numw})(?:\s?\(\s?(?:\$|€|£|US\$)?\s?(?P<fig>{NUM})\s?\))?(?:\s(?:and\s)?(?P<c>\d{{1,2}}|no|zero)\s?/\s?100(?:ths)?)?\s(?:{ADJ}\s)?(?P<cw>dollars?|euros?|pounds?(?:\ssterling)?|sterling|rupees?|yen|francs?|yuan|renminbi)\b"
    ))
    .unwrap()
});
static NUMBER_WORDS: Lazy<Regex> = Lazy::new(|| super::compile(&format!(r"(?i)\b(?:{})\b", number_words_pattern())).unwrap());
static BARE_NUM: Lazy<Regex> = Lazy::new(|| super::compile(&format!(r"^{NUM}$")).unwrap());

/// The currency a written code stands for, when it is one of [`CODES`] (or "RMB").
fn code(s: &str) -> Option<Currency> {
    if s == "RMB" {
        return Some(cur(b"CNY"));
    }
    let c: Currency = s.parse().ok()?;
    CODES.contains(&c).then_some(c)
}

/// The currency a prefix/suffix marker stands for.
fn marker_currency(m: &str) -> Option<Cur> {
    let key: String = m.chars().filter(|c| !c.is_whitespace() && *c != '.').collect();
    let c = match key.as_str() {
        "$" => return Some(Cur::Dollar),
        "US$" | "USD$" => cur(b"USD"),
        "CA$" | "CAD$" | "CAN$" | "Can$" | "CDN$" | "C$" => cur(b"CAD"),
        "AU$" | "AUD$" | "A$" => cur(b"AUD"),
        "NZ$" | "NZD$" => cur(b"NZD"),
        "SG$" | "SGD$" | "S$" => cur(b"SGD"),
        "HK$" | "HKD$" => cur(b"HKD"),
        "R$" => cur(b"BRL"),
        "€" => cur(b"EUR"),
        "£" => cur(b"GBP"),
        "¥" => cur(b"JPY"),
        "₹" | "₨" | "Rs" => cur(b"INR"),
        "SFr" | "Fr" => cur(b"CHF"),
        k => match k.to_ascii_lowercase().as_str() {
            "euro" | "euros" => cur(b"EUR"),
            "rupees" => cur(b"INR"),
            _ => return code(k).map(Cur::Code),
        },
    };
    Some(Cur::Code(c))
}

/// The currency of a currency word with its optional adjective ("Canadian dollars").
fn word_currency(adj: Option<&str>, word: &str) -> Option<Cur> {
    let w = word.to_ascii_lowercase();
    let adj = adj.map(|a| a.to_ascii_lowercase().replace('.', ""));
    let adj = adj.as_deref();
    let c = if w.starts_with("dollar") {
        match adj {
            None => return Some(Cur::Dollar),
            Some("us" | "united states" | "american") => cur(b"USD"),
            Some("canadian") => cur(b"CAD"),
            Some("australian") => cur(b"AUD"),
            Some("new zealand") => cur(b"NZD"),
            Some("singapore") => cur(b"SGD"),
            Some("hong kong") => cur(b"HKD"),
            Some(_) => return None,
        }
    } else if w.starts_with("franc") {
        // Only Swiss francs are unambiguous.
        if adj == Some("swiss") {
            cur(b"CHF")
        } else {
            return None;
        }
    } else if w.starts_with("euro") {
        cur(b"EUR")
    } else if w.starts_with("pound") || w == "sterling" {
        cur(b"GBP")
    } else if w.starts_with("rupee") {
        cur(b"INR")
    } else if w == "yen" {
        cur(b"JPY")
    } else {
        cur(b"CNY") // yuan, renminbi
    };
    Some(Cur::Code(c))
}

/// Parse digits with thousands grouping and an optional decimal part into
/// (mantissa, decimal places). A single ',' or '.' followed by exactly three
/// digits is a thousands separator ("1.000" = 1000), except before a scale word
/// ("$1.234 million") where a '.' is decimal. Groups: 1-3 then 3s (Western) or
/// 1-2, 2s, then 3 (Indian lakh). Spaces and apostrophes only group.
pub(crate) fn parse_number(s: &str, scaled: bool) -> Option<(i128, u32)> {
    let b = s.as_bytes();
    if b.is_empty() || !b[0].is_ascii_digit() || !b[b.len() - 1].is_ascii_digit() || b.len() > 40 {
        return None;
    }
    let seps: Vec<usize> = (0..b.len()).filter(|&i| !b[i].is_ascii_digit()).collect();
    if seps.iter().any(|&i| !matches!(b[i], b',' | b'.' | b' ' | b'\'')) {
        return None;
    }
    let (int, frac) = match seps.last() {
        None => (s, ""),
        Some(&last) => {
            let k = b.len() - last - 1;
            let sep = b[last];
            let decimal = matches!(sep, b',' | b'.') && (k <= 2 || (k == 3 && seps.len() == 1 && (b[0] == b'0' && last == 1 || scaled && sep == b'.')) || (k > 3 && seps.len() == 1));
            if decimal {
                (&s[..last], &s[last + 1..])
            } else {
                (s, "")
            }
        }
    };
    let dec = if frac.is_empty() { 0 } else { b[int.len()] };
    if !valid_grouping(int, dec) {
        return None;
    }
    let mut mant: i128 = 0;
    for c in int.bytes().chain(frac.bytes()).filter(u8::is_ascii_digit) {
        mant = mant.checked_mul(10)?.checked_add((c - b'0') as i128)?;
    }
    Some((mant, frac.len() as u32))
}

/// `int` is plain digits or correctly grouped digits with one separator kind that
/// differs from the decimal separator `dec` (0 when there is none).
fn valid_grouping(int: &str, dec: u8) -> bool {
    let b = int.as_bytes();
    let Some(g) = b.iter().copied().find(|c| !c.is_ascii_digit()) else {
        return true;
    };
    if g == dec || b.iter().any(|&c| !c.is_ascii_digit() && c != g) {
        return false;
    }
    let groups: Vec<&str> = int.split(g as char).collect();
    let first = groups[0];
    if first.is_empty() || first.len() > 3 || first.starts_with('0') {
        return false;
    }
    let rest = &groups[1..];
    let western = rest.iter().all(|p| p.len() == 3);
    let indian = g == b',' && first.len() <= 2 && rest.last().is_some_and(|p| p.len() == 3) && rest[..rest.len() - 1].iter().all(|p| p.len() == 2);
    western || indian
}

fn scale_of(s: &str) -> i128 {
    match s.to_ascii_lowercase().as_str() {
        "k" | "thousand" => 1_000,
        "m" | "mm" | "mn" | "million" => 1_000_000,
        "bn" | "billion" => 1_000_000_000,
        _ => 1,
    }
}

/// (mantissa, places) × scale → minor units, only when exact.
fn to_minor(mant: i128, places: u32, scale: i128) -> Option<i128> {
    let num = mant.checked_mul(scale)?.checked_mul(100)?;
    let den = 10i128.checked_pow(places)?;
    (num % den == 0).then(|| num / den)
}

/// Parse a number that may carry trailing junk after a space ("5,000 10"):
/// returns the value and how many bytes of `s` it used.
fn parse_leading(s: &str, scaled: bool) -> Option<((i128, u32), usize)> {
    if let Some(v) = parse_number(s, scaled) {
        return Some((v, s.len()));
    }
    let mut end = s.len();
    while let Some(sp) = s[..end].rfind(' ') {
        end = sp;
        if let Some(v) = parse_number(&s[..end], false) {
            return Some((v, end));
        }
    }
    None
}

/// Parse a number that may carry leading junk before a space ("Item 10 1 250 000,00"):
/// returns the value and the byte offset in `s` where it starts.
fn parse_trailing(s: &str, scaled: bool) -> Option<((i128, u32), usize)> {
    if let Some(v) = parse_number(s, scaled) {
        return Some((v, 0));
    }
    let mut start = 0;
    while let Some(sp) = s[start..].find(' ') {
        start += sp + 1;
        if let Some(v) = parse_number(&s[start..], scaled) {
            return Some((v, start));
        }
    }
    None
}

fn scale_in<'t>(c: &Captures<'t>) -> Option<regex::Match<'t>> {
    c.name("sc1").or_else(|| c.name("sc2"))
}

#[derive(Debug, Clone, Copy)]
struct Cand {
    start: usize,
    end: usize,
    minor: i128,
    cur: Cur,
    in_words: bool,
    /// 0: words and prefixed figures; 1: suffixed figures, which lose to a
    /// prefix reading of the same marker ("in 2025 USD 5,000").
    tier: u8,
}

/// Figures with a currency marker before or after them.
fn figures(t: &str, out: &mut Vec<Cand>) {
    for c in PREFIX.captures_iter(t) {
        let m = c.get(0).unwrap();
        let Some(mut cur) = marker_currency(&c["cur"]) else {
            continue;
        };
        let num = c.name("num").unwrap();
        let sc = scale_in(&c);
        let Some(((mant, places), used)) = parse_leading(num.as_str(), sc.is_some()) else {
            continue;
        };
        let (scale, end) = if used == num.len() {
            if let (Some(p), Cur::Dollar) = (c.name("post"), cur) {
                cur = code(p.as_str()).map_or(cur, Cur::Code);
            }
            (sc.map_or(1, |s| scale_of(s.as_str())), m.end())
        } else {
            (1, num.start() + used)
        };
        if let Some(minor) = to_minor(mant, places, scale) {
            out.push(Cand { start: m.start(), end, minor, cur, in_words: false, tier: 0 });
        }
    }
    for c in SUFFIX.captures_iter(t) {
        let m = c.get(0).unwrap();
        let cur = match c.name("cw") {
            Some(w) => word_currency(c.name("adj").map(|a| a.as_str()), w.as_str()),
            None => marker_currency(&c["cur"]),
        };
        let Some(cur) = cur else { continue };
        let num = c.name("num").unwrap();
        let sc = scale_in(&c);
        let Some(((mant, places), skip)) = parse_trailing(num.as_str(), sc.is_some()) else {
            continue;
        };
        let scale = sc.map_or(1, |s| scale_of(s.as_str()));
        if let Some(minor) = to_minor(mant, places, scale) {
            out.push(Cand { start: num.start() + skip, end: m.end(), minor, cur, in_words: false, tier: 1 });
        }
    }
}

/// The trimmed inside of a "( ... )" right after `pos`, and the offset past ")".
fn paren_after(t: &str, pos: usize) -> Option<(&str, usize)> {
    let rest = &t[pos..];
    let open = rest.strip_prefix(' ').unwrap_or(rest);
    let lead = rest.len() - open.len();
    let inner_start = pos + lead + 1;
    if !open.starts_with('(') {
        return None;
    }
    let close = open[1..].find(')')?;
    if close > 80 {
        return None;
    }
    let inner = &t[inner_start..inner_start + close];
    Some((inner.trim(), inner_start + close + 1))
}

/// A figure making up all of `inner` (the inside of parentheses): its minor units
/// and currency (None when the figures carry no marker).
fn whole_figure(inner: &str) -> Option<(i128, Option<Cur>)> {
    let mut c = Vec::new();
    figures(inner, &mut c);
    if let Some(f) = c.iter().find(|f| f.start == 0 && f.end == inner.len()) {
        return Some((f.minor, Some(f.cur)));
    }
    if BARE_NUM.is_match(inner) {
        let (mant, places) = parse_number(inner, false)?;
        return Some((to_minor(mant, places, 1)?, None));
    }
    None
}

/// Prefer a figure's explicit code; a bare "$" defers to words naming the dollar.
fn combine(words: Option<Cur>, fig: Option<Cur>) -> Option<Cur> {
    match (words, fig) {
        (_, Some(Cur::Code(c))) => Some(Cur::Code(c)),
        (Some(Cur::Code(w)), Some(Cur::Dollar)) if w.as_str().ends_with('D') => Some(Cur::Code(w)),
        (_, Some(Cur::Dollar)) => Some(Cur::Dollar),
        (w, None) => w,
    }
}

/// Amounts written in words, merged with figures in parentheses on either side.
fn worded(t: &str, figs: &[Cand], out: &mut Vec<Cand>) {
    for c in WORDS.captures_iter(t) {
        let m = c.get(0).unwrap();
        let Some(wcur) = word_currency(c.name("adj").map(|a| a.as_str()), &c["cw"]) else {
            continue;
        };
        let cents = match c.name("c").map(|x| x.as_str().to_ascii_lowercase()) {
            None => 0,
            Some(x) if x == "no" || x == "zero" => 0,
            Some(x) => x.parse::<i128>().unwrap_or(0),
        };
        let from_words = parse_number_words(&c["w"]).and_then(|n| (n as i128).checked_mul(100)).map(|n| n + cents);
        let inline_fig = c.name("fig").and_then(|f| parse_number(f.as_str(), false)).and_then(|(m, p)| to_minor(m, p, 1));
        let mut best = inline_fig.or(from_words);
        let mut cur = Some(wcur);
        let mut end = m.end();
        // "Fifty Thousand Dollars ($50,000)": figures win.
        if let Some((inner, close)) = paren_after(t, m.end()) {
            if let Some((minor, fcur)) = whole_figure(inner) {
                best = Some(minor);
                cur = combine(Some(wcur), fcur);
                end = close;
            }
        }
        if let (Some(minor), Some(cur)) = (best, cur) {
            out.push(Cand { start: m.start(), end, minor, cur, in_words: true, tier: 0 });
        }
    }
    // "Fifty Thousand ($50,000)": words with no currency word, then marked figures.
    for m in NUMBER_WORDS.find_iter(t) {
        let Some((inner, close)) = paren_after(t, m.end()) else {
            continue;
        };
        if let Some((minor, Some(cur))) = whole_figure(inner) {
            if parse_number_words(m.as_str()).is_some() {
                out.push(Cand { start: m.start(), end: close, minor, cur, in_words: true, tier: 0 });
            }
        }
    }
    // "$50,000 (Fifty Thousand Dollars)": figures, then the words in parentheses.
    for f in figs {
        let Some((inner, close)) = paren_after(t, f.end) else {
            continue;
        };
        let words_ok = parse_number_words(inner).is_some() || WORDS.find(inner).is_some_and(|w| w.start() == 0 && w.end() == inner.len());
        if words_ok {
            out.push(Cand { end: close, in_words: true, tier: 0, ..*f });
        }
    }
}

fn scan(t: &str) -> Vec<Cand> {
    let mut figs = Vec::new();
    figures(t, &mut figs);
    let mut all = Vec::new();
    worded(t, &figs, &mut all);
    all.extend(figs);
    all.sort_by_key(|c| (c.tier, c.start, std::cmp::Reverse(c.end)));
    let mut chosen: Vec<Cand> = Vec::new();
    for c in all {
        if chosen.iter().all(|k| c.end <= k.start || c.start >= k.end) {
            chosen.push(c);
        }
    }
    chosen.sort_by_key(|c| c.start);
    chosen
}

/// Every amount with a currency marker in `text`, in order; `$` and a bare
/// "dollars" mean `default_dollar` (see `dollar_currency`).
pub fn find_amounts(text: &str, default_dollar: Currency) -> Vec<FoundAmount> {
    find_amounts_with(text, || default_dollar)
}

/// [`find_amounts`], asking what `$` means only when an amount needs it:
/// deciding that for a document reads its whole text.
pub fn find_amounts_with(text: &str, default_dollar: impl FnOnce() -> Currency) -> Vec<FoundAmount> {
    let cl = Cleaned::new(text);
    let cands = scan(&cl.text);
    let dollar = if cands.iter().any(|c| matches!(c.cur, Cur::Dollar)) { default_dollar() } else { Currency::USD };
    cands
        .into_iter()
        .map(|c| {
            let currency = match c.cur {
                Cur::Code(code) => code,
                Cur::Dollar => dollar,
            };
            FoundAmount { money: Money::from_minor(c.minor, currency), start: cl.start(c.start), end: cl.end(c.end), in_words: c.in_words }
        })
        .collect()
}

/// The amount that makes up the whole (trimmed) `text`, if it is exactly one amount.
pub fn parse_amount(text: &str, default_dollar: Currency) -> Option<Money> {
    let mut t = text.trim().trim_end_matches([',', ';']).trim_end();
    if t.ends_with('.') && t[..t.len() - 1].ends_with(|c: char| c.is_ascii_digit() || c.is_alphabetic()) {
        t = &t[..t.len() - 1];
    }
    let found = find_amounts(t, default_dollar);
    match found.as_slice() {
        [a] if a.start == 0 && a.end == t.len() => Some(a.money),
        _ => None,
    }
}

static US_DOLLAR: Lazy<Regex> = Lazy::new(|| super::compile(r"(?i:\bU\.?S\.?\s?dollars?\b|\bunited\sstates\sdollars?\b)|\bUSD\b|\bUS\$|\bU\.S\.\s?\$").unwrap());
static DOLLAR_HINTS: Lazy<aho_corasick::AhoCorasick> =
    Lazy::new(|| aho_corasick::AhoCorasick::builder().ascii_case_insensitive(true).build(["$", "dollar", "usd", "cad", "aud", "nzd", "sgd", "hkd"]).expect("static words"));
static OTHER_DOLLARS: Lazy<[(Currency, Regex); 5]> = Lazy::new(|| {
    [
        (cur(b"CAD"), super::compile(r"(?i:\bcanadian\sdollars?\b)|\bCAD\s?\d|\bin\sCAD\b|\(CAD\)|\d\s?CAD\b|\bC\$|\bCA\$|\bCDN\$|\bCan\$").unwrap()),
        (cur(b"AUD"), super::compile(r"(?i:\baustralian\sdollars?\b)|\bAUD\s?\d|\bin\sAUD\b|\(AUD\)|\d\s?AUD\b|\bA\$|\bAU\$").unwrap()),
        (cur(b"NZD"), super::compile(r"(?i:\bnew\szealand\sdollars?\b)|\bNZD\s?\d|\bin\sNZD\b|\(NZD\)|\d\s?NZD\b|\bNZ\$").unwrap()),
        (cur(b"SGD"), super::compile(r"(?i:\bsingapore\sdollars?\b)|\bSGD\s?\d|\bin\sSGD\b|\(SGD\)|\d\s?SGD\b|\bS\$|\bSG\$").unwrap()),
        (cur(b"HKD"), super::compile(r"(?i:\bhong\skong\sdollars?\b)|\bHKD\s?\d|\bin\sHKD\b|\(HKD\)|\d\s?HKD\b|\bHK\$").unwrap()),
    ]
});

/// The ISO code `$` stands for in a document: "USD" unless the text names another
/// dollar (the most-mentioned of CAD, AUD, NZD, SGD, HKD) and never US dollars.
pub fn dollar_currency(full_text: &str) -> Currency {
    dollar_currency_cleaned(&Cleaned::new(full_text).text)
}

/// [`dollar_currency`] on text already cleaned.
pub(crate) fn dollar_currency_cleaned(t: &str) -> Currency {
    // Every pattern below needs a "$", a currency code or the word "dollar":
    // without them (most pages of most documents) the answer is the default,
    // and one pass over the text says so.
    if !DOLLAR_HINTS.is_match(t) {
        return Currency::USD;
    }
    if US_DOLLAR.is_match(t) {
        return Currency::USD;
    }
    let mut best = (Currency::USD, 0usize);
    for &(code, ref re) in OTHER_DOLLARS.iter() {
        let n = re.find_iter(t).count();
        if n > best.1 {
            best = (code, n);
        }
    }
    best.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn money(v: &str, c: &str) -> Option<Money> {
        Some(Money { value: v.parse().unwrap(), currency: c.parse().unwrap() })
    }

    const USD: Currency = Currency::USD;
    const CAD: Currency = cur(b"CAD");

    #[test]
    fn whole_amounts() {
        let cases: &[(&str, Option<Money>)] = &[
            ("Fifty Thousand Dollars ($50,000)", money("50000.00", "USD")),
            ("Fifty Thousand Dollars", money("50000.00", "USD")),
            ("two million five hundred thousand dollars", money("2500000.00", "USD")),
            ("Fifty Thousand and 00/100 Dollars ($50,000.00)", money("50000.00", "USD")),
            ("One Thousand Two Hundred and 50/100 U.S. Dollars", money("1200.50", "USD")),
            ("Fifty Thousand (50,000) Dollars", money("50000.00", "USD")),
            ("Fifty Thousand ($50,000)", money("50000.00", "USD")),
            ("Ten Thousand Canadian Dollars ($10,000)", money("10000.00", "CAD")),
            ("Fifty Thousand Dollars (US$55,000)", money("55000.00", "USD")),
            ("$50,000 (Fifty Thousand Dollars)", money("50000.00", "USD")),
            ("€25.000,00 (twenty-five thousand euros)", money("25000.00", "EUR")),
            ("One Million Euros", money("1000000.00", "EUR")),
            ("Five Thousand Pounds Sterling", money("5000.00", "GBP")),
            ("$1.2 million", money("1200000.00", "USD")),
            ("$1.234 million", money("1234000.00", "USD")),
            ("$2.5M", money("2500000.00", "USD")),
            ("USD 5MM", money("5000000.00", "USD")),
            ("USD 50K", money("50000.00", "USD")),
            ("EUR 1.5 billion", money("1500000000.00", "EUR")),
            ("US$ 1,000", money("1000.00", "USD")),
            ("U.S. $1,000", money("1000.00", "USD")),
            ("USD $1,000", money("1000.00", "USD")),
            ("C$5,000", money("5000.00", "CAD")),
            ("CAD 5,000", money("5000.00", "CAD")),
            ("$5,000 CAD", money("5000.00", "CAD")),
            ("A$5,000", money("5000.00", "AUD")),
            ("NZ$ 800", money("800.00", "NZD")),
            ("S$800", money("800.00", "SGD")),
            ("HK$800", money("800.00", "HKD")),
            ("€ 25.000,00", money("25000.00", "EUR")),
            ("€25,000.00", money("25000.00", "EUR")),
            ("25.000,00 EUR", money("25000.00", "EUR")),
            ("EUR 1.250.000,00", money("1250000.00", "EUR")),
            ("1 250 000,00 €", money("1250000.00", "EUR")),
            ("1\u{202F}250\u{202F}000,00\u{00A0}€", money("1250000.00", "EUR")),
            ("£1,000", money("1000.00", "GBP")),
            ("GBP 500", money("500.00", "GBP")),
            ("500 pounds sterling", money("500.00", "GBP")),
            ("¥500000", money("500000.00", "JPY")),
            ("₹12,50,000", money("1250000.00", "INR")),
            ("Rs. 12,50,000", money("1250000.00", "INR")),
            ("Rs 1,00,00,000.50", money("10000000.50", "INR")),
            ("INR 12,50,000", money("1250000.00", "INR")),
            ("CHF 1'000.00", money("1000.00", "CHF")),
            ("CHF 1\u{2019}000.00", money("1000.00", "CHF")),
            ("CHF 1,000", money("1000.00", "CHF")),
            ("$ 27,900.00", money("27900.00", "USD")),
            ("Euro 5,000", money("5000.00", "EUR")),
            ("5,000 euros", money("5000.00", "EUR")),
            ("5,000 US dollars", money("5000.00", "USD")),
            ("1.2 million dollars", money("1200000.00", "USD")),
            ("$0.50", money("0.50", "USD")),
            ("$1,5", money("1.50", "USD")),
            ("€1.5", money("1.50", "EUR")),
            ("€1.000", money("1000.00", "EUR")),
            ("$1,000", money("1000.00", "USD")),
            ("$1,250,000.00.", money("1250000.00", "USD")),
            ("$50000", money("50000.00", "USD")),
            ("10 Swiss francs", money("10.00", "CHF")),
            // negatives
            ("50,000", None),
            ("Fifty Thousand", None),
            ("500 pounds", None),
            ("10 francs", None),
            ("$", None),
            ("$1,000,00", None),
            ("$1.2345", None),
            ("$0.125", None),
            ("$1,00", money("1.00", "USD")),
            ("$12,3456", None),
            ("$1,000 and $2,000", None),
            ("25%", None),
            ("PHP 7", None),
            ("USDA 5", None),
            ("ABC 5,000", None),
        ];
        for (s, want) in cases {
            assert_eq!(parse_amount(s, USD), *want, "input {s:?}: {:?}", find_amounts(s, USD));
        }
    }

    #[test]
    fn what_dollar_means_is_asked_only_for_a_dollar_amount() {
        let asked = std::cell::Cell::new(0);
        let dollar = || {
            asked.set(asked.get() + 1);
            CAD
        };
        assert_eq!(find_amounts_with("a fee of €5,000 or 300 GBP", dollar).len(), 2);
        assert_eq!(asked.get(), 0);
        assert_eq!(find_amounts_with("a fee of $5,000", dollar)[0].money, Money::from_minor(500000, CAD));
        assert_eq!(asked.get(), 1);
    }

    #[test]
    fn default_dollar_and_spans() {
        let t = "The fee is Fifty Thousand Dollars ($50,000), then $1,000 per month and C$ 200.";
        let got: Vec<(&str, String, String, bool)> = find_amounts(t, CAD).into_iter().map(|a| (&t[a.start..a.end], a.money.value.to_string(), a.money.currency.to_string(), a.in_words)).collect();
        assert_eq!(
            got,
            vec![("Fifty Thousand Dollars ($50,000)", "50000.00".into(), "CAD".into(), true), ("$1,000", "1000.00".into(), "CAD".into(), false), ("C$ 200", "200.00".into(), "CAD".into(), false),]
        );
    }

    #[test]
    fn running_text_without_false_amounts() {
        // A figure before a place called Sterling is a street number, not pounds.
        let t = "In 2025 USD 5,000 is due; Section 3.1 lists 20 units at 4.5 hours; 25% and 30 days; \
                 Item 10 1 250 000,00 € and $5,000 10 times; store 511 Sterling, IL.";
        let got: Vec<(&str, String)> = find_amounts(t, USD).into_iter().map(|a| (&t[a.start..a.end], a.money.value.to_string())).collect();
        assert_eq!(got, vec![("USD 5,000", "5000.00".into()), ("1 250 000,00 €", "1250000.00".into()), ("$5,000", "5000.00".into()),]);
    }

    #[test]
    fn number_grouping() {
        type Case = (&'static str, bool, Option<(i128, u32)>);
        let cases: &[Case] = &[
            ("1,250,000.00", false, Some((125000000, 2))),
            ("1.250.000,00", false, Some((125000000, 2))),
            ("1 250 000,00", false, Some((125000000, 2))),
            ("12,50,000", false, Some((1250000, 0))),
            ("1,00,00,000", false, Some((10000000, 0))),
            ("1,000", false, Some((1000, 0))),
            ("1.000", false, Some((1000, 0))),
            ("1.000", true, Some((1000, 3))),
            ("1,000", true, Some((1000, 0))),
            ("1.5", false, Some((15, 1))),
            ("1,5", false, Some((15, 1))),
            ("1'000'000.00", false, Some((100000000, 2))),
            ("0.50", false, Some((50, 2))),
            ("0,125", false, Some((125, 3))),
            ("1,000,00", false, None),
            ("1.000,000", false, None),
            ("01,000", false, None),
            ("1,0000", false, Some((10000, 4))),
            ("1,000.000,00", false, None),
            ("1;000", false, None),
            ("12 34", false, None),
            ("", false, None),
        ];
        for (s, scaled, want) in cases {
            assert_eq!(parse_number(s, *scaled), *want, "input {s:?}");
        }
    }

    #[test]
    fn document_dollar() {
        let cases: &[(&str, &str)] = &[
            ("Fees are payable in Canadian dollars: $5,000.", "CAD"),
            ("Fee: C$5,000 and $200.", "CAD"),
            ("All amounts are in AUD.", "AUD"),
            ("Fee NZ$5,000.", "NZD"),
            ("Fees in Singapore dollars.", "SGD"),
            ("Fees in HKD.", "HKD"),
            ("Canadian dollars or US dollars at the Client's option.", "USD"),
            ("Fee CAD 5,000 or USD 4,000.", "USD"),
            ("Fee $5,000.", "USD"),
            ("", "USD"),
            ("Fee US$5,000.", "USD"),
        ];
        for (s, want) in cases {
            assert_eq!(dollar_currency(s).as_str(), *want, "input {s:?}");
        }
    }
}
