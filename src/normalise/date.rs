//! Written dates: find every date in a sentence ("March 1, 2025", "the first (1st)
//! day of March, 2025", "03/01/2025", "2025-03-01", "March 2025" ...) and decide
//! per document whether slashed dates are month/day or day/month.

use chrono::NaiveDate;
use once_cell::sync::Lazy;
use regex::{Captures, Regex};

use super::numbers::{number_words_pattern, ordinal_words_pattern, parse_number_words, parse_ordinal};
use super::text::{digit_at, digit_before, Cleaned};

/// How to read a numeric date whose first two numbers could both be month or day.
/// `--date-order` takes it by name, and worker settings carry the same name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, clap::ValueEnum, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DateOrder {
    /// Month/day/year ("03/01/2025" is March 1): the default.
    #[default]
    #[value(help = "month/day/year (US)")]
    Mdy,
    /// Day/month/year ("03/01/2025" is January 3).
    #[value(help = "day/month/year")]
    Dmy,
}

/// How much of a date the text gave.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Precision {
    /// A full calendar day.
    Day,
    /// Only a month ("March 2025"); the date is then the FIRST day of that month.
    Month,
}

/// A date found in a text, with the byte span it was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FoundDate {
    /// The date; for `Precision::Month` the first day of the month.
    pub date: NaiveDate,
    /// Day or month precision.
    pub precision: Precision,
    /// A numeric date whose day and month are both <= 12 and differ, so the
    /// `DateOrder` decided it.
    pub ambiguous: bool,
    /// Byte offset where the date starts in the searched text.
    pub start: usize,
    /// Byte offset just past the date in the searched text.
    pub end: usize,
}

const MONTH: &str = r"(?P<m>january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\b\.?";
/// A filed copy's underline, kept as a run of dashes between the parts of a
/// filled-in date ("31 December, ------ 1996"); read as a space.
const UNDERLINE: &str = r"(?:-{2,}\s?)?";
/// Optional ordinal suffix, possibly detached ("1 st" from a superscript).
const SUF: &str = r"(?:\s?(?:st|nd|rd|th)\b)?";

static MONTH_FIRST: Lazy<Regex> = Lazy::new(|| super::compile(&format!(r"(?i)\b{MONTH}\s?(?P<d>\d{{1,2}}){SUF}\b\s?,?\s?{UNDERLINE}(?P<y>\d{{4}})\b")).unwrap());
static DAY_FIRST: Lazy<Regex> = Lazy::new(|| super::compile(&format!(r"(?i)\b(?P<d>\d{{1,2}}){SUF}(?:\s(?:day\s)?of\s{UNDERLINE}|\s|-){MONTH}(?:\s?,\s?|\s|-){UNDERLINE}(?P<y>\d{{4}})\b")).unwrap());
static DAY_FIRST_2Y: Lazy<Regex> = Lazy::new(|| super::compile(&format!(r"(?i)\b(?P<d>\d{{1,2}})-{MONTH}-(?P<y>\d{{2}})\b")).unwrap());
static ORDINAL_DAY: Lazy<Regex> = Lazy::new(|| {
    let ordw = ordinal_words_pattern();
    let numw = number_words_pattern();
    super::compile(&format!(
        r"(?i)\b(?:(?:the|this)\s)?(?:(?P<dw>{ordw})(?:\s?\(\s?(?P<dd>\d{{1,2}})(?:\s?(?:st|nd|rd|th))?\s?\))?|(?P<dn>\d{{1,2}})\s?(?:st|nd|rd|th))\s(?:day\s)?of\s{UNDERLINE}{MONTH}\s?,?\s?{UNDERLINE}(?:in\s)?(?:the\syear\s(?:of\s)?)?(?:(?P<y>\d{{4}})\b|(?P<yw>{numw})\b(?:\s?\(\s?(?P<y2>\d{{4}})\s?\))?)"
    ))
    .unwrap()
});
static MONTH_YEAR: Lazy<Regex> = Lazy::new(|| super::compile(&format!(r"(?i)\b{MONTH},?\s(?P<y>\d{{4}})\b")).unwrap());
static NUMERIC: Lazy<Regex> =
    Lazy::new(|| super::compile(r"\b(?:(?P<iy>\d{4})(?P<s1>[-/])(?P<im>\d{1,2})(?P<s2>[-/])(?P<id>\d{1,2})|(?P<a>\d{1,2})(?P<s3>[-/.])(?P<b>\d{1,2})(?P<s4>[-/.])(?P<yy>\d{4}|\d{2}))\b").unwrap());

/// Which written form a candidate came from (used as order evidence too).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    MonthFirst,
    DayFirst,
    OrdinalDay,
    MonthYear,
    Slashed,
    Iso,
    Dotted,
}

#[derive(Debug, Clone, Copy)]
enum Val {
    Fixed(NaiveDate, Precision),
    /// A slashed/dashed date; which number is the month depends on the order.
    Numeric {
        a: u32,
        b: u32,
        y: i32,
    },
    /// Looked like a date but is not one (Feb 30); it still blocks shorter
    /// matches inside it so "February 2025" is not taken from "February 30, 2025".
    Invalid,
}

#[derive(Debug, Clone, Copy)]
struct Cand {
    start: usize,
    end: usize,
    form: Form,
    val: Val,
}

impl Cand {
    fn resolve(&self, order: DateOrder) -> Option<(NaiveDate, Precision, bool)> {
        match self.val {
            Val::Fixed(d, p) => Some((d, p, false)),
            Val::Numeric { a, b, y } => {
                let (d, amb) = resolve_numeric(a, b, y, order)?;
                Some((d, Precision::Day, amb))
            }
            Val::Invalid => None,
        }
    }
}

fn resolve_numeric(a: u32, b: u32, y: i32, order: DateOrder) -> Option<(NaiveDate, bool)> {
    let mdy = NaiveDate::from_ymd_opt(y, a, b);
    let dmy = NaiveDate::from_ymd_opt(y, b, a);
    match (mdy, dmy) {
        (Some(x), Some(z)) if x == z => Some((x, false)),
        (Some(x), Some(z)) => Some((if order == DateOrder::Mdy { x } else { z }, true)),
        (Some(x), None) => Some((x, false)),
        (None, Some(z)) => Some((z, false)),
        (None, None) => None,
    }
}

/// The month names, in order (lowercase).
pub const MONTH_NAMES: [&str; 12] = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

fn month_of(name: &str) -> Option<u32> {
    let l = name.get(..3)?.to_ascii_lowercase();
    let m = match l.as_str() {
        "jan" => 1,
        "feb" => 2,
        "mar" => 3,
        "apr" => 4,
        "may" => 5,
        "jun" => 6,
        "jul" => 7,
        "aug" => 8,
        "sep" => 9,
        "oct" => 10,
        "nov" => 11,
        "dec" => 12,
        _ => return None,
    };
    Some(m)
}

/// Four-digit years are accepted from 1800 to 2199; anything else is not a
/// contract date.
fn year4(y: u64) -> Option<i32> {
    (1800..=2199).contains(&y).then_some(y as i32)
}

/// Two-digit years: below 70 → 20xx, else 19xx.
fn year2(y: u32) -> i32 {
    if y < 70 {
        2000 + y as i32
    } else {
        1900 + y as i32
    }
}

fn num(c: &Captures<'_>, name: &str) -> Option<u64> {
    c.name(name).and_then(|m| m.as_str().parse().ok())
}

fn fixed(y: Option<i32>, m: Option<u32>, d: Option<u32>) -> Val {
    match (y, m, d) {
        (Some(y), Some(m), Some(d)) => match NaiveDate::from_ymd_opt(y, m, d) {
            Some(date) => Val::Fixed(date, Precision::Day),
            None => Val::Invalid,
        },
        _ => Val::Invalid,
    }
}

/// Rejects matches glued to longer numbers ("12/2025/7", "3.1.2025.4", "x1/2/2025").
fn bounded(t: &[u8], s: usize, e: usize, sep: Option<u8>) -> bool {
    if digit_before(t, s) || digit_at(t, e) {
        return false;
    }
    if (s >= 1 && t[s - 1] == b'/') || (e < t.len() && t[e] == b'/') {
        return false;
    }
    if let Some(sep) = sep {
        if s >= 2 && t[s - 1] == sep && t[s - 2].is_ascii_digit() {
            return false;
        }
        if e + 1 < t.len() && t[e] == sep && t[e + 1].is_ascii_digit() {
            return false;
        }
    }
    true
}

/// All date-like candidates in cleaned text, non-overlapping, in order (earliest
/// first, then longest), including invalid ones that block shorter readings.
fn scan(t: &str) -> Vec<Cand> {
    let b = t.as_bytes();
    let mut cands: Vec<Cand> = Vec::new();
    let mut add = |m: regex::Match<'_>, form: Form, val: Val, sep: Option<u8>| {
        if bounded(b, m.start(), m.end(), sep) {
            cands.push(Cand { start: m.start(), end: m.end(), form, val });
        }
    };
    let has_alpha = b.iter().any(u8::is_ascii_alphabetic);
    let has_digit = b.iter().any(u8::is_ascii_digit);
    if has_alpha && has_digit {
        for c in MONTH_FIRST.captures_iter(t) {
            let y = num(&c, "y").and_then(year4);
            let val = fixed(y, month_of(&c["m"]), num(&c, "d").map(|d| d as u32));
            add(c.get(0).unwrap(), Form::MonthFirst, val, None);
        }
        for c in DAY_FIRST.captures_iter(t) {
            let y = num(&c, "y").and_then(year4);
            let val = fixed(y, month_of(&c["m"]), num(&c, "d").map(|d| d as u32));
            add(c.get(0).unwrap(), Form::DayFirst, val, None);
        }
        for c in DAY_FIRST_2Y.captures_iter(t) {
            let y = num(&c, "y").map(|y| year2(y as u32));
            let val = fixed(y, month_of(&c["m"]), num(&c, "d").map(|d| d as u32));
            add(c.get(0).unwrap(), Form::DayFirst, val, None);
        }
        for c in MONTH_YEAR.captures_iter(t) {
            // Month-only dates need a capitalised month: "may 2025" is a verb.
            if !c["m"].starts_with(|ch: char| ch.is_ascii_uppercase()) {
                continue;
            }
            let y = num(&c, "y").and_then(year4);
            let val = match (y, month_of(&c["m"])) {
                (Some(y), Some(m)) => NaiveDate::from_ymd_opt(y, m, 1).map_or(Val::Invalid, |d| Val::Fixed(d, Precision::Month)),
                _ => Val::Invalid,
            };
            add(c.get(0).unwrap(), Form::MonthYear, val, None);
        }
    }
    if has_alpha {
        for c in ORDINAL_DAY.captures_iter(t) {
            // Digits win over words when both are written ("first (1st)").
            let day = num(&c, "dd").or_else(|| num(&c, "dn")).map(|d| d as u32).or_else(|| c.name("dw").and_then(|w| parse_ordinal(w.as_str())));
            let year = num(&c, "y").or_else(|| num(&c, "y2")).or_else(|| c.name("yw").and_then(|w| parse_number_words(w.as_str()))).and_then(year4);
            let val = fixed(year, month_of(&c["m"]), day);
            add(c.get(0).unwrap(), Form::OrdinalDay, val, None);
        }
    }
    if has_digit {
        for c in NUMERIC.captures_iter(t) {
            if c.name("iy").is_some() {
                if c["s1"] != c["s2"] {
                    continue;
                }
                let sep = c["s1"].as_bytes()[0];
                let val = fixed(num(&c, "iy").and_then(year4), num(&c, "im").map(|v| v as u32), num(&c, "id").map(|v| v as u32));
                add(c.get(0).unwrap(), Form::Iso, val, Some(sep));
                continue;
            }
            if c["s3"] != c["s4"] {
                continue;
            }
            let sep = c["s3"].as_bytes()[0];
            let yy = &c["yy"];
            // Two-digit years only with slashes: "3.1.25" and "3-1-25" are too
            // often section or part numbers.
            let y = if yy.len() == 2 {
                if sep != b'/' {
                    continue;
                }
                Some(year2(yy.parse().unwrap_or(0)))
            } else {
                yy.parse().ok().and_then(year4)
            };
            let (a, bb) = (num(&c, "a").unwrap_or(0) as u32, num(&c, "b").unwrap_or(0) as u32);
            let (form, val) = match (sep, y) {
                (_, None) => (Form::Slashed, Val::Invalid),
                // Dotted dates are always day.month.year.
                (b'.', Some(y)) => (Form::Dotted, fixed(Some(y), Some(bb), Some(a))),
                (_, Some(y)) => {
                    let val = if resolve_numeric(a, bb, y, DateOrder::Mdy).is_some() { Val::Numeric { a, b: bb, y } } else { Val::Invalid };
                    (Form::Slashed, val)
                }
            };
            add(c.get(0).unwrap(), form, val, Some(sep));
        }
    }
    cands.sort_by_key(|c| (c.start, std::cmp::Reverse(c.end)));
    let mut out: Vec<Cand> = Vec::with_capacity(cands.len());
    let mut last_end = 0;
    for c in cands {
        if out.is_empty() || c.start >= last_end {
            last_end = c.end;
            out.push(c);
        }
    }
    out
}

/// Every date in `text`, non-overlapping and in order; slashed dates that could
/// be read either way follow `order`.
pub fn find_dates(text: &str, order: DateOrder) -> Vec<FoundDate> {
    find_dates_with(text, || order)
}

/// [`find_dates`], asking for the order only when a date needs it (a
/// numeric date that reads as two different valid dates): deciding a
/// document's order reads its whole text.
pub fn find_dates_with(text: &str, order: impl FnOnce() -> DateOrder) -> Vec<FoundDate> {
    let cl = Cleaned::new(text);
    let cands = scan(&cl.text);
    let needs_order = cands.iter().any(|c| matches!(c.val, Val::Numeric { a, b, y } if matches!(resolve_numeric(a, b, y, DateOrder::Mdy), Some((_, true)))));
    // Any order gives the same dates when none is ambiguous.
    let order = if needs_order { order() } else { DateOrder::Mdy };
    cands
        .into_iter()
        .filter_map(|c| {
            let (date, precision, ambiguous) = c.resolve(order)?;
            Some(FoundDate { date, precision, ambiguous, start: cl.start(c.start), end: cl.end(c.end) })
        })
        .collect()
}

/// The date that makes up the whole (trimmed) `text`, if it is exactly one date.
pub fn parse_date(text: &str, order: DateOrder) -> Option<FoundDate> {
    parse_date_with(text, || order)
}

/// [`parse_date`], asking for the order only when the date needs it.
pub fn parse_date_with(text: &str, order: impl FnOnce() -> DateOrder) -> Option<FoundDate> {
    let lead = text.len() - text.trim_start().len();
    let mut t = text.trim();
    t = t.trim_end_matches([',', ';']).trim_end();
    // A sentence-final period after the year ("March 1, 2025.") is not part of it.
    if t.ends_with('.') && t[..t.len() - 1].ends_with(|c: char| c.is_ascii_digit()) {
        t = &t[..t.len() - 1];
    }
    let found = find_dates_with(t, order);
    match found.as_slice() {
        [d] if d.start == 0 && d.end == t.len() => Some(FoundDate { start: d.start + lead, end: d.end + lead, ..*d }),
        _ => None,
    }
}

/// What a document's text says about how it writes dates.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrderEvidence {
    /// Slashed/dashed dates only readable as day/month ("25/03/2025").
    pub dmy_numeric: usize,
    /// Slashed/dashed dates only readable as month/day ("03/25/2025").
    pub mdy_numeric: usize,
    /// Dates written day first ("1 March 2025", "1-Mar-2025") or dotted ("01.03.2025").
    pub dmy_written: usize,
    /// Dates written month first ("March 1, 2025").
    pub mdy_written: usize,
    /// The order of the country whose law governs the contract, when named.
    pub law: Option<DateOrder>,
    /// Pound, euro, rupee, Australian/NZ dollar amounts appear (weak day-first evidence).
    pub dmy_currency: bool,
}

static GOVERN: Lazy<Regex> = Lazy::new(|| super::compile(r"(?i)\b(?:govern(?:s|ed|ing)?|construed|proper\slaw)\b").unwrap());
static LAW_DMY: Lazy<Regex> = Lazy::new(|| {
    super::compile(
        r"(?i)\b(?:laws?\sof\s(?:the\s)?(?:(?:Republic|Federal\sRepublic|Kingdom|Commonwealth|State|Province|Emirate)\sof\s(?:the\s)?)?(?:England(?:\sand\sWales)?|Wales|Scotland|Northern\sIreland|Ireland|United\sKingdom|Germany|France|India|Australia|New\sSouth\sWales|Victoria|Queensland|Western\sAustralia|South\sAustralia|Tasmania|New\sZealand|Singapore|Hong\sKong|South\sAfrica|Netherlands|Belgium|Luxembourg|Spain|Portugal|Italy|Switzerland|Austria|Sweden|Denmark|Norway|Finland|Poland|Israel|Brazil|Kenya|Nigeria|Malaysia|United\sArab\sEmirates|Dubai)|(?:English|Scots|Scottish|Irish|German|French|Indian|Australian|Dutch|Swiss|Singapore|Singaporean|Belgian|Spanish|Italian|Swedish|Danish|Norwegian|Finnish|Hong\sKong)\slaws?)\b",
    )
    .unwrap()
});
static LAW_MDY: Lazy<Regex> = Lazy::new(|| {
    super::compile(
        r"(?i)\b(?:laws?\sof\s(?:the\s)?(?:State|Commonwealth)\sof\s\w+|laws?\sof\s(?:the\s)?(?:United\sStates|USA|U\.S\.A?\.?|New\sYork|Delaware|California|Texas|Illinois|Florida|Massachusetts|Washington|Nevada|Georgia|Ohio|Pennsylvania|Michigan|New\sJersey|Colorado|Virginia|North\sCarolina|Minnesota|Utah|Arizona|Oregon|Maryland|Connecticut)|(?:New\sYork|Delaware|California|Texas)\slaws?)",
    )
    .unwrap()
});
static DMY_CURRENCY: Lazy<Regex> = Lazy::new(|| super::compile(r"£|€|₹|\b(?:GBP|EUR|INR|AUD|NZD)\b|\bA\$|\bNZ\$|\bRs\.?\s?\d|(?i:\beuros?\b|\bpounds?\ssterling\b|\brupees\b)").unwrap());

impl OrderEvidence {
    /// Collect the evidence from a document's full text.
    pub fn gather(full_text: &str) -> OrderEvidence {
        OrderEvidence::gather_cleaned(&Cleaned::new(full_text).text)
    }

    /// [`OrderEvidence::gather`] on text already cleaned.
    pub(crate) fn gather_cleaned(t: &str) -> OrderEvidence {
        let mut ev = OrderEvidence::default();
        for c in scan(t) {
            match (c.form, c.val) {
                (Form::Slashed, Val::Numeric { a, b, .. }) => {
                    if a > 12 && b <= 12 {
                        ev.dmy_numeric += 1;
                    } else if b > 12 && a <= 12 {
                        ev.mdy_numeric += 1;
                    }
                }
                (Form::DayFirst | Form::Dotted, Val::Fixed(..)) => ev.dmy_written += 1,
                (Form::MonthFirst, Val::Fixed(..)) => ev.mdy_written += 1,
                _ => {}
            }
        }
        // The governing-law clause: the first mention near "governed by" that names
        // a country; day/month wins a tie at the same place ("State of Victoria").
        for g in GOVERN.find_iter(t) {
            let lo = floor_boundary(t, g.start().saturating_sub(150));
            let hi = floor_boundary(t, (g.end() + 300).min(t.len()));
            let w = &t[lo..hi];
            let d = LAW_DMY.find(w).map(|m| m.start());
            let m = LAW_MDY.find(w).map(|m| m.start());
            ev.law = match (d, m) {
                (Some(d), Some(m)) => Some(if d <= m { DateOrder::Dmy } else { DateOrder::Mdy }),
                (Some(_), None) => Some(DateOrder::Dmy),
                (None, Some(_)) => Some(DateOrder::Mdy),
                (None, None) => None,
            };
            if ev.law.is_some() {
                break;
            }
        }
        ev.dmy_currency = DMY_CURRENCY.is_match(t);
        ev
    }

    /// The order this evidence supports, and whether evidence (not the default) decided it.
    ///
    /// Unambiguous slashed dates decide by majority. Otherwise a day/month
    /// governing law decides unless the text writes month-first dates more often
    /// than day-first ones (the conventions: such law *and* that order in the text);
    /// a US-state law means month/day. With no law named, day-first written dates
    /// with no month-first ones plus a pound/euro/rupee currency mean day/month.
    pub fn decide(&self) -> (DateOrder, bool) {
        if self.dmy_numeric > self.mdy_numeric {
            return (DateOrder::Dmy, true);
        }
        if self.mdy_numeric > self.dmy_numeric {
            return (DateOrder::Mdy, true);
        }
        match self.law {
            Some(DateOrder::Dmy) if self.mdy_written <= self.dmy_written => (DateOrder::Dmy, true),
            Some(_) => (DateOrder::Mdy, true),
            None if self.dmy_currency && self.dmy_written > 0 && self.mdy_written == 0 => (DateOrder::Dmy, true),
            None => (DateOrder::Mdy, false),
        }
    }
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The date order of a document and whether its evidence (not the default) decided it.
pub fn infer_order(full_text: &str) -> (DateOrder, bool) {
    OrderEvidence::gather(full_text).decide()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }

    #[test]
    fn the_order_is_asked_for_only_when_a_date_reads_two_ways() {
        let asked = std::cell::Cell::new(0);
        let order = || {
            asked.set(asked.get() + 1);
            DateOrder::Dmy
        };
        let found = find_dates_with("due March 1, 2025 or 25/03/2025", order);
        assert_eq!(found.iter().map(|f| f.date).collect::<Vec<_>>(), [d(2025, 3, 1), d(2025, 3, 25)]);
        assert_eq!(asked.get(), 0);
        let found = find_dates_with("due 03/04/2025", order);
        assert_eq!(found[0].date, d(2025, 4, 3));
        assert!(found[0].ambiguous);
        assert_eq!(asked.get(), 1);
    }

    #[test]
    fn whole_text_dates() {
        use DateOrder::*;
        type Case = (&'static str, DateOrder, Option<(NaiveDate, Precision, bool)>);
        let cases: &[Case] = &[
            ("March 1, 2025", Mdy, Some((d(2025, 3, 1), Precision::Day, false))),
            ("march 1, 2025", Mdy, Some((d(2025, 3, 1), Precision::Day, false))),
            ("MARCH 1, 2025", Mdy, Some((d(2025, 3, 1), Precision::Day, false))),
            ("Mar. 1, 2025", Mdy, Some((d(2025, 3, 1), Precision::Day, false))),
            ("Mar 1, 2025", Mdy, Some((d(2025, 3, 1), Precision::Day, false))),
            ("Sept. 30, 2025", Mdy, Some((d(2025, 9, 30), Precision::Day, false))),
            ("Sep 30, 2025", Mdy, Some((d(2025, 9, 30), Precision::Day, false))),
            ("1 March 2025", Mdy, Some((d(2025, 3, 1), Precision::Day, false))),
            ("1st March 2025", Dmy, Some((d(2025, 3, 1), Precision::Day, false))),
            ("1st of March, 2025", Mdy, Some((d(2025, 3, 1), Precision::Day, false))),
            ("March 1st, 2025", Mdy, Some((d(2025, 3, 1), Precision::Day, false))),
            ("March 1 st, 2025", Mdy, Some((d(2025, 3, 1), Precision::Day, false))),
            ("March 22nd 2025", Mdy, Some((d(2025, 3, 22), Precision::Day, false))),
            ("the 1st day of March, 2025", Mdy, Some((d(2025, 3, 1), Precision::Day, false))),
            ("the first (1st) day of March, 2025", Mdy, Some((d(2025, 3, 1), Precision::Day, false))),
            ("the first (2nd) day of March, 2025", Mdy, Some((d(2025, 3, 2), Precision::Day, false))),
            ("this 15th day of April 2025", Mdy, Some((d(2025, 4, 15), Precision::Day, false))),
            // A filed copy's underline between the parts of a filled-in date.
            ("31 December, --------- 1996", Mdy, Some((d(1996, 12, 31), Precision::Day, false))),
            ("the 1st day of --- November, 2003", Mdy, Some((d(2003, 11, 1), Precision::Day, false))),
            ("the ---- day of ------, 2001", Mdy, None),
            ("the fifteenth day of April, two thousand twenty-five", Mdy, Some((d(2025, 4, 15), Precision::Day, false))),
            ("the twenty-first day of June in the year two thousand and twenty-four", Mdy, Some((d(2024, 6, 21), Precision::Day, false))),
            ("the thirty-first day of December, 2024", Mdy, Some((d(2024, 12, 31), Precision::Day, false))),
            ("03/01/2025", Mdy, Some((d(2025, 3, 1), Precision::Day, true))),
            ("03/01/2025", Dmy, Some((d(2025, 1, 3), Precision::Day, true))),
            ("3/1/25", Mdy, Some((d(2025, 3, 1), Precision::Day, true))),
            ("3/1/99", Mdy, Some((d(1999, 3, 1), Precision::Day, true))),
            ("12/31/2025", Dmy, Some((d(2025, 12, 31), Precision::Day, false))),
            ("31/12/2025", Mdy, Some((d(2025, 12, 31), Precision::Day, false))),
            ("05/05/2025", Dmy, Some((d(2025, 5, 5), Precision::Day, false))),
            ("03-01-2025", Mdy, Some((d(2025, 3, 1), Precision::Day, true))),
            ("2025-03-01", Dmy, Some((d(2025, 3, 1), Precision::Day, false))),
            ("2025/3/1", Mdy, Some((d(2025, 3, 1), Precision::Day, false))),
            ("01.03.2025", Mdy, Some((d(2025, 3, 1), Precision::Day, false))),
            ("1.3.2025", Mdy, Some((d(2025, 3, 1), Precision::Day, false))),
            ("March 2025", Mdy, Some((d(2025, 3, 1), Precision::Month, false))),
            ("March, 2025", Mdy, Some((d(2025, 3, 1), Precision::Month, false))),
            ("Dec 2030", Mdy, Some((d(2030, 12, 1), Precision::Month, false))),
            ("1-Mar-2025", Mdy, Some((d(2025, 3, 1), Precision::Day, false))),
            ("01-Mar-25", Mdy, Some((d(2025, 3, 1), Precision::Day, false))),
            ("March 1 2025", Mdy, Some((d(2025, 3, 1), Precision::Day, false))),
            ("November 4 , 2011", Mdy, Some((d(2011, 11, 4), Precision::Day, false))),
            ("Novem- ber 4, 2011", Mdy, Some((d(2011, 11, 4), Precision::Day, false))),
            ("Novem-\nber 4, 2011", Mdy, Some((d(2011, 11, 4), Precision::Day, false))),
            ("March\u{00A0}1,\u{202F}2025", Mdy, Some((d(2025, 3, 1), Precision::Day, false))),
            ("1\u{2009}st  March\n2025", Mdy, Some((d(2025, 3, 1), Precision::Day, false))),
            ("February 29, 2024", Mdy, Some((d(2024, 2, 29), Precision::Day, false))),
            ("  March 1, 2025.  ", Mdy, Some((d(2025, 3, 1), Precision::Day, false))),
            // negatives
            ("February 30, 2025", Mdy, None),
            ("February 29, 2025", Mdy, None),
            ("30 February 2025", Mdy, None),
            ("the 31st day of April, 2025", Mdy, None),
            ("13/13/2025", Mdy, None),
            ("2025-02-30", Mdy, None),
            ("31.02.2025", Mdy, None),
            ("2025", Mdy, None),
            ("Q3 2025", Mdy, None),
            ("10:30 a.m.", Mdy, None),
            ("3.1.2", Mdy, None),
            ("3.1.25", Mdy, None),
            ("3-1-25", Mdy, None),
            ("12/2025/7", Mdy, None),
            ("may 2025", Mdy, None),
            ("March", Mdy, None),
            ("March 1", Mdy, None),
            ("March 1, 20255", Mdy, None),
            ("March 1, 2025 and April 2, 2025", Mdy, None),
            ("Marching 1, 2025", Mdy, None),
            ("March 1, 3025", Mdy, None),
            ("", Mdy, None),
        ];
        for (s, order, want) in cases {
            let got = parse_date(s, *order).map(|f| (f.date, f.precision, f.ambiguous));
            assert_eq!(got, *want, "input {s:?} {order:?}");
        }
    }

    #[test]
    fn finds_in_running_text() {
        let t = "This Agreement is made this 15th day of April 2025 (the \"Effective Date\"). \
                 Phase 1 ends on June 30, 2025; Phase 2 ends 31 December 2025. Invoice dated 07/04/2025, \
                 per Section 3.1.2 and clause 12/2025/7, in Q3 2025, at 10:30, see 2026-01-15 and January 2027.";
        let found = find_dates(t, DateOrder::Mdy);
        let got: Vec<(&str, NaiveDate, Precision)> = found.iter().map(|f| (&t[f.start..f.end], f.date, f.precision)).collect();
        assert_eq!(
            got,
            vec![
                ("this 15th day of April 2025", d(2025, 4, 15), Precision::Day),
                ("June 30, 2025", d(2025, 6, 30), Precision::Day),
                ("31 December 2025", d(2025, 12, 31), Precision::Day),
                ("07/04/2025", d(2025, 7, 4), Precision::Day),
                ("2026-01-15", d(2026, 1, 15), Precision::Day),
                ("January 2027", d(2027, 1, 1), Precision::Month),
            ]
        );
        assert!(found[3].ambiguous && !found[1].ambiguous);
    }

    #[test]
    fn spans_are_in_original_text() {
        let t = "Due\u{00A0}on Novem-\nber 4 , 2011 and 1st\u{00A0}March\u{2003}2025.";
        let found = find_dates(t, DateOrder::Mdy);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(&t[found[0].start..found[0].end], "Novem-\nber 4 , 2011");
        assert_eq!(&t[found[1].start..found[1].end], "1st\u{00A0}March\u{2003}2025");
        let t2 = "from 1 st March 2025 to 01/01/2025-12/31/2025";
        let f2 = find_dates(t2, DateOrder::Mdy);
        let spans: Vec<&str> = f2.iter().map(|f| &t2[f.start..f.end]).collect();
        assert_eq!(spans, vec!["1 st March 2025", "01/01/2025", "12/31/2025"]);
    }

    #[test]
    fn nothing_found() {
        for s in [
            "Section 3.1.2 applies.",
            "The year 2025 and fiscal Q3 2025.",
            "Call at 10:30 on the 3rd floor.",
            "Ref 12/2025/7 and 1/2/3/2025.",
            "Version 2.10.2025.1",
            "The parties may 2025 consider",
            "Paid $1,000.00 on account 123456.",
        ] {
            assert!(find_dates(s, DateOrder::Mdy).is_empty(), "{s:?}: {:?}", find_dates(s, DateOrder::Mdy));
        }
    }

    #[test]
    fn order_inference() {
        use DateOrder::*;
        let cases: &[(&str, (DateOrder, bool))] = &[
            ("Signed 25/03/2025.", (Dmy, true)),
            ("Signed 03/25/2025.", (Mdy, true)),
            ("Signed 03/04/2025.", (Mdy, false)),
            ("This Agreement is governed by the laws of England and Wales. Dated 1 March 2025, due 03/04/2025.", (Dmy, true)),
            ("This Agreement shall be governed by English law. Due 03/04/2025.", (Dmy, true)),
            ("This Agreement is governed by the laws of England. Dated March 1, 2025, due 03/04/2025.", (Mdy, true)),
            ("This Agreement is governed by the laws of the State of New York. Dated 1 March 2025.", (Mdy, true)),
            ("Governing Law. This Agreement shall be construed in accordance with the laws of the Federal Republic of Germany.", (Dmy, true)),
            ("governed by the laws of the State of Victoria, Australia", (Dmy, true)),
            ("Fee GBP 5,000 payable 1 March 2025; report 03/04/2025.", (Dmy, true)),
            ("Fee GBP 5,000 payable March 1, 2025.", (Mdy, false)),
            ("Fee USD 5,000 payable 1 March 2025.", (Mdy, false)),
            ("governed by the laws of India. Due 13/01/2025 and 01/13/2025 and 02/14/2025.", (Mdy, true)),
            ("", (Mdy, false)),
        ];
        for (s, want) in cases {
            assert_eq!(infer_order(s), *want, "input {s:?}: {:?}", OrderEvidence::gather(s));
        }
    }
}
