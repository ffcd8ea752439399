//! Relative deadlines: "within thirty (30) days after the Effective Date", "ninety
//! (90) days prior to Closing", "by the end of the third month after Kick-off",
//! and the date arithmetic that resolves them once the anchor's date is known.

use chrono::{Days, Months, NaiveDate};
use once_cell::sync::Lazy;
use regex::{Captures, Regex};
use serde::{Deserialize, Serialize};

use super::calendar::Calendar;
use super::date::{find_dates, DateOrder};
use super::numbers::{number_words_pattern, ordinal_words_pattern, parse_number_words, parse_ordinal};
use super::text::Cleaned;

named_enum! {
    /// The unit of a relative offset.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum Unit {
        /// Calendar days.
        Days = "days",
        /// Days other than Saturdays, Sundays and the calendar's holidays.
        BusinessDays = "business_days",
        /// Seven calendar days each.
        Weeks = "weeks",
        /// Calendar months, keeping the day of the month (clamped).
        Months = "months",
        /// Calendar years, keeping the day of the month (clamped).
        Years = "years",
    }
}

impl Unit {
    /// One unit in words, for sentences ("business day"); the plural adds an "s".
    pub fn noun(self) -> &'static str {
        match self {
            Unit::Days => "day",
            Unit::BusinessDays => "business day",
            Unit::Weeks => "week",
            Unit::Months => "month",
            Unit::Years => "year",
        }
    }
}

named_enum! {
    /// Whether the deadline falls after or before its anchor.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum Direction {
        /// After, following, from, of, upon.
        After = "after",
        /// Before, prior to, preceding.
        Before = "before",
    }
}

/// A date stated relative to a named anchor event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Relative {
    /// How many units.
    pub offset: u32,
    /// Days, business days, weeks, months or years.
    pub unit: Unit,
    /// After or before the anchor.
    pub direction: Direction,
    /// The anchor's name as written, without a leading "the" ("Effective Date").
    pub anchor: String,
}

impl Relative {
    /// The date this relative expression names, given its anchor's date.
    pub fn resolve(&self, anchor_date: NaiveDate, cal: &Calendar) -> Option<NaiveDate> {
        apply(anchor_date, self.offset, self.unit, self.direction, cal)
    }
}

/// A relative expression found in a text, with its byte span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundRelative {
    /// What was read.
    pub rel: Relative,
    /// Byte offset where the expression starts (at its number).
    pub start: usize,
    /// Byte offset just past the anchor.
    pub end: usize,
}

const DIRECTION: &str = r"(?P<dir>after|following|from|of|upon|beginning\son|commencing\son|starting\son|subsequent\sto|succeeding|before|prior\sto|preceding|in\sadvance\sof|ahead\sof)";

static RELATIVE: Lazy<Regex> = Lazy::new(|| {
    let numw = number_words_pattern();
    super::compile(&format!(
        r"(?i)(?:\b(?P<w>{numw})(?:\s?\(\s?(?P<d1>\d{{1,4}})\s?\))?|\(?\b(?P<d2>\d{{1,4}})\)?)\s?-?\s?(?:(?P<q>calendar|business|working|banking)\s)?(?P<u>days?|weeks?|months?|years?)\b(?:\s?\(\s?\d{{1,4}}\s?\))?\s?,?\s(?:(?:immediately|next|directly)\s)?{DIRECTION}\s"
    ))
    .unwrap()
});

/// "by the end of the third month after X" and "the third anniversary of X".
static END_OF: Lazy<Regex> = Lazy::new(|| {
    let ordw = ordinal_words_pattern();
    super::compile(&format!(
        r"(?i)\b(?:(?:the\s)?end\sof\s(?:the\s)?(?P<o>{ordw}|\d{{1,3}}\s?(?:st|nd|rd|th))\s(?:full\s|calendar\s)?(?P<u>(?:business\s)?day|week|month|year)\s{DIRECTION}\s|(?:the\s)?(?P<ao>{ordw}|\d{{1,3}}\s?(?:st|nd|rd|th))\sanniversary\sof\s)"
    ))
    .unwrap()
});

/// Where an anchor's noun phrase ends.
static ANCHOR_END: Lazy<Regex> = Lazy::new(|| {
    super::compile(
        r#"(?i)[,;:()\[\]"]|\.(?:\s|$)|\s(?:and|or|at|in\saccordance|unless|provided|whichever|except|if|but|then|for|under|with|without|pursuant|shall|will|must|may|is|are|was|were|has|have|would|should|can|could|plus|minus|within|no\slater|not\slater|as)\b"#,
    )
    .unwrap()
});

/// The words that introduce an event as a date: "date on which (there is)
/// a", "day that", "time at which".
static EVENT_DATE: Lazy<Regex> = Lazy::new(|| super::compile(r"(?i)^(?:date|day|time)\s+(?:on\s+which|at\s+which|that|when)\s+(?:there\s+(?:is|has\s+been|occurs)\s+)?(?:(?:a|an|the)\s+)?").unwrap());

const MAX_ANCHOR_WORDS: usize = 8;
const TRAILING_STOP: &[&str] = &["of", "the", "a", "an", "to", "by", "on", "in", "its", "such", "this"];

/// The unit of a `days?|weeks?|months?|years?` word and its qualifier
/// ("business", "working"; "calendar" keeps calendar days).
pub(super) fn unit_of(q: Option<&str>, u: &str) -> Unit {
    let u = u.to_ascii_lowercase();
    let business = q.is_some_and(|q| !q.eq_ignore_ascii_case("calendar"));
    match u.trim_end_matches('s') {
        "day" if business => Unit::BusinessDays,
        "day" => Unit::Days,
        "business day" => Unit::BusinessDays,
        "week" => Unit::Weeks,
        "month" => Unit::Months,
        _ => Unit::Years,
    }
}

fn direction_of(dir: &str) -> Direction {
    let d = dir.to_ascii_lowercase();
    if d.starts_with("before") || d.starts_with("prior") || d.starts_with("preceding") || d.contains("advance") || d.starts_with("ahead") {
        Direction::Before
    } else {
        Direction::After
    }
}

/// The offset from the captures `d1`/`d2` (digits) and `w` (words): digits
/// win over words when both are written and disagree.
pub(super) fn offset_of(c: &Captures<'_>) -> Option<u32> {
    let digits = c.name("d1").or_else(|| c.name("d2")).and_then(|m| m.as_str().parse().ok());
    digits.or_else(|| c.name("w").and_then(|w| parse_number_words(w.as_str())).and_then(|n| u32::try_from(n).ok()))
}

/// The anchor noun phrase at the start of `rest`; returns (name, length used).
fn anchor_at(rest: &str) -> Option<(String, usize)> {
    // An anchor that is itself a date ("30 days after March 1, 2025").
    if rest.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        let head = &rest[..floor(rest, rest.len().min(60))];
        if let Some(d) = find_dates(head, DateOrder::Mdy).first() {
            if d.start == 0 {
                return Some((head[..d.end].to_string(), d.end));
            }
        }
    }
    let window = &rest[..floor(rest, rest.len().min(200))];
    // Skip opening quotes and a leading "the"; they are not part of the name.
    let mut from = window.len() - window.trim_start_matches(['"', '\'']).len();
    if window[from..].len() >= 4 && window[from..from + 4].eq_ignore_ascii_case("the ") {
        from += 4;
    }
    // "the date on which there is a design freeze of ...": the event is
    // the anchor, not the date that names it.
    if let Some(m) = EVENT_DATE.find(&window[from..]) {
        from += m.end();
    }
    let stop = ANCHOR_END.find(&window[from..]).map_or(window.len(), |m| from + m.start());
    if from >= stop {
        return None;
    }
    // At most MAX_ANCHOR_WORDS words.
    let mut cut = stop;
    let mut words = 0;
    for (i, ch) in window[from..stop].char_indices() {
        if ch == ' ' {
            words += 1;
            if words == MAX_ANCHOR_WORDS {
                cut = from + i;
                break;
            }
        }
    }
    let mut a = window[from..cut].trim_end_matches(|c: char| c.is_whitespace() || ".'\"".contains(c));
    // Trailing function words left by the word limit ("receipt of the").
    while let Some(sp) = a.rfind(' ') {
        if !TRAILING_STOP.iter().any(|w| a[sp + 1..].eq_ignore_ascii_case(w)) {
            break;
        }
        a = a[..sp].trim_end();
    }
    if a.is_empty() || !a.starts_with(|c: char| c.is_alphanumeric()) || TRAILING_STOP.iter().any(|w| a.eq_ignore_ascii_case(w)) {
        return None;
    }
    let used = from + a.len();
    Some((a.to_string(), used))
}

fn floor(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Every relative date expression in `text`, in order, non-overlapping.
pub fn find_relatives(text: &str) -> Vec<FoundRelative> {
    let cl = Cleaned::new(text);
    let t: &str = &cl.text;
    let mut out: Vec<(usize, usize, Relative)> = Vec::new();
    let b = t.as_bytes();
    for c in RELATIVE.captures_iter(t) {
        let m = c.get(0).unwrap();
        // "1.5 days", "2,30 days": part of a longer number, not an offset.
        let s = m.start();
        if s > 0 && (b[s - 1].is_ascii_digit() || (s > 1 && matches!(b[s - 1], b'.' | b',') && b[s - 2].is_ascii_digit())) {
            continue;
        }
        let Some(offset) = offset_of(&c) else {
            continue;
        };
        let unit = unit_of(c.name("q").map(|q| q.as_str()), &c["u"]);
        let direction = direction_of(&c["dir"]);
        let Some((anchor, used)) = anchor_at(&t[m.end()..]) else {
            continue;
        };
        out.push((s, m.end() + used, Relative { offset, unit, direction, anchor }));
    }
    // "by the end of the third month after X" is read as X + 3 months (the end
    // of that month is not computed); "the third anniversary of X" as X + 3 years.
    for c in END_OF.captures_iter(t) {
        let m = c.get(0).unwrap();
        let (offset, unit, direction) =
            if let Some(ao) = c.name("ao") { (parse_ordinal(ao.as_str()), Unit::Years, Direction::After) } else { (parse_ordinal(&c["o"]), unit_of(None, &c["u"]), direction_of(&c["dir"])) };
        let Some(offset) = offset else { continue };
        let Some((anchor, used)) = anchor_at(&t[m.end()..]) else {
            continue;
        };
        out.push((m.start(), m.end() + used, Relative { offset, unit, direction, anchor }));
    }
    out.sort_by_key(|r| (r.0, std::cmp::Reverse(r.1)));
    let mut last_end = 0;
    let mut found = Vec::with_capacity(out.len());
    for (s, e, rel) in out {
        if found.is_empty() || s >= last_end {
            last_end = e;
            found.push(FoundRelative { rel, start: cl.start(s), end: cl.end(e) });
        }
    }
    found
}

/// The date `offset` units after/before `anchor`: days are calendar days,
/// business days skip weekends and `cal`'s holidays, weeks are 7 days, months
/// and years keep the day of the month clamped to the month's last day.
pub fn apply(anchor: NaiveDate, offset: u32, unit: Unit, dir: Direction, cal: &Calendar) -> Option<NaiveDate> {
    let after = dir == Direction::After;
    match unit {
        Unit::Days => add_days(anchor, offset as u64, after),
        Unit::Weeks => add_days(anchor, offset as u64 * 7, after),
        Unit::Months => add_months(anchor, offset, after),
        Unit::Years => add_months(anchor, offset.checked_mul(12)?, after),
        Unit::BusinessDays => add_business_days(anchor, offset, after, cal),
    }
}

/// Normal form of an anchor or defined term: lowercase, no leading article,
/// no quotes, hyphens as spaces.
pub fn anchor_key(s: &str) -> String {
    let lower = s.to_lowercase().replace(['-', '\u{2010}', '\u{2011}', '\u{2013}'], " ");
    let lower: String = lower.chars().filter(|c| c.is_alphanumeric() || c.is_whitespace()).collect();
    let words: Vec<&str> = lower.split_whitespace().collect();
    let words = match words.first() {
        Some(&"the") | Some(&"this") => &words[1..],
        _ => &words[..],
    };
    words.join(" ")
}

fn add_days(d: NaiveDate, n: u64, after: bool) -> Option<NaiveDate> {
    if after {
        d.checked_add_days(Days::new(n))
    } else {
        d.checked_sub_days(Days::new(n))
    }
}

fn add_months(d: NaiveDate, n: u32, after: bool) -> Option<NaiveDate> {
    // chrono clamps to the last day of the target month (Jan 31 + 1 month = Feb 28/29).
    if after {
        d.checked_add_months(Months::new(n))
    } else {
        d.checked_sub_months(Months::new(n))
    }
}

fn add_business_days(anchor: NaiveDate, n: u32, after: bool, cal: &Calendar) -> Option<NaiveDate> {
    let mut cur = anchor;
    let mut left = n;
    // Whole weeks first: each holds five weekdays, minus the holidays among them.
    while left > 10 {
        let weeks = (left / 5 - 1) as u64;
        let next = add_days(cur, weeks * 7, after)?;
        let (lo, hi) = if after { (cur.succ_opt()?, next) } else { (next, cur.pred_opt()?) };
        let lost = cal.weekday_holidays_between(lo, hi);
        let gained = (weeks * 5) as u32;
        if lost >= gained {
            // Holiday-dense stretch: fall back to stepping a day at a time.
            break;
        }
        left -= gained - lost;
        cur = next;
    }
    while left > 0 {
        cur = add_days(cur, 1, after)?;
        if cal.is_business_day(cur) {
            left -= 1;
        }
    }
    Some(cur)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchor_keys_fold_articles_and_hyphens() {
        assert_eq!(anchor_key("the Kick-off Date"), "kick off date");
        assert_eq!(anchor_key("Kick-Off Date"), "kick off date");
        assert_eq!(anchor_key("“Effective Date”"), "effective date");
    }

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }

    fn rel(offset: u32, unit: Unit, direction: Direction, anchor: &str) -> Relative {
        Relative { offset, unit, direction, anchor: anchor.to_string() }
    }

    #[test]
    fn finds_relatives() {
        use Direction::*;
        use Unit::*;
        let cases: &[(&str, Option<(Relative, &str)>)] = &[
            ("within thirty (30) days after the Effective Date.", Some((rel(30, Days, After, "Effective Date"), "thirty (30) days after the Effective Date"))),
            (
                "no later than ten (10) Business Days following the Kick-off Date, the Contractor",
                Some((rel(10, BusinessDays, After, "Kick-off Date"), "ten (10) Business Days following the Kick-off Date")),
            ),
            ("ninety (90) days prior to Closing;", Some((rel(90, Days, Before, "Closing"), "ninety (90) days prior to Closing"))),
            ("on the date that is six (6) months after the Effective Date", Some((rel(6, Months, After, "Effective Date"), "six (6) months after the Effective Date"))),
            ("two weeks from Kick-off", Some((rel(2, Weeks, After, "Kick-off"), "two weeks from Kick-off"))),
            ("30 calendar days of Acceptance", Some((rel(30, Days, After, "Acceptance"), "30 calendar days of Acceptance"))),
            ("within 10 business days of receipt of the invoice", Some((rel(10, BusinessDays, After, "receipt of the invoice"), "10 business days of receipt of the invoice"))),
            ("by the end of the third month after the Effective Date", Some((rel(3, Months, After, "Effective Date"), "the end of the third month after the Effective Date"))),
            ("thirty (30) days after the Effective Date", Some((rel(30, Days, After, "Effective Date"), "thirty (30) days after the Effective Date"))),
            (
                "within thirty (20) days upon acceptance of the Beta Release and payment",
                Some((rel(20, Days, After, "acceptance of the Beta Release"), "thirty (20) days upon acceptance of the Beta Release")),
            ),
            ("Twenty-One (21) Working Days before the Go-Live Date (as defined)", Some((rel(21, BusinessDays, Before, "Go-Live Date"), "Twenty-One (21) Working Days before the Go-Live Date"))),
            ("one (1) year following Final Acceptance", Some((rel(1, Years, After, "Final Acceptance"), "one (1) year following Final Acceptance"))),
            (
                "within sixty (60) days following the date on which there is a first commercial sale of the Product, the Licensee",
                Some((rel(60, Days, After, "first commercial sale of the Product"), "sixty (60) days following the date on which there is a first commercial sale of the Product")),
            ),
            ("ten days after the day on which the pilot site goes live", Some((rel(10, Days, After, "pilot site goes live"), "ten days after the day on which the pilot site goes live"))),
            ("45 days after March 1, 2025, the Vendor", Some((rel(45, Days, After, "March 1, 2025"), "45 days after March 1, 2025"))),
            ("within fifteen days after delivery in accordance with Section 4", Some((rel(15, Days, After, "delivery"), "fifteen days after delivery"))),
            ("the second anniversary of the Effective Date", Some((rel(2, Years, After, "Effective Date"), "the second anniversary of the Effective Date"))),
            ("(60) days preceding the expiration of the Term", Some((rel(60, Days, Before, "expiration of the Term"), "(60) days preceding the expiration of the Term"))),
            ("5 days after\nthe Effec-\ntive Date", Some((rel(5, Days, After, "Effective Date"), "5 days after\nthe Effec-\ntive Date"))),
            (
                "ten days after the date on which the Contractor delivers the final written report to Owner",
                Some((rel(10, Days, After, "Contractor delivers the final written report to Owner"), "ten days after the date on which the Contractor delivers the final written report to Owner")),
            ),
            // negatives
            ("thirty days' written notice", None),
            ("a thirty (30) day period", None),
            ("payable within 30 days.", None),
            ("1.5 days after the Effective Date", None),
            ("30 days after the", None),
            ("30 days after , the", None),
            ("the term of this Agreement", None),
            ("in 2025 after the Effective Date", None),
        ];
        for (s, want) in cases {
            let found = find_relatives(s);
            let got = found.first().map(|f| (f.rel.clone(), &s[f.start..f.end]));
            match want {
                Some((r, span)) => {
                    assert_eq!(found.len(), 1, "{s:?}: {found:?}");
                    assert_eq!(got, Some((r.clone(), *span)), "input {s:?}");
                }
                None => assert!(found.is_empty(), "{s:?}: {found:?}"),
            }
        }
    }

    #[test]
    fn several_in_one_sentence() {
        let s = "Design within 30 days after the Effective Date and Build 60 days after Design Approval; tests 2 weeks before Go-Live.";
        let got: Vec<(u32, String)> = find_relatives(s).into_iter().map(|f| (f.rel.offset, f.rel.anchor)).collect();
        assert_eq!(got, vec![(30, "Effective Date".into()), (60, "Design Approval".into()), (2, "Go-Live".into())]);
    }

    #[test]
    fn serialises_snake_case() {
        let r = rel(10, Unit::BusinessDays, Direction::Before, "Closing");
        let j = serde_json::to_string(&r).unwrap();
        assert_eq!(j, r#"{"offset":10,"unit":"business_days","direction":"before","anchor":"Closing"}"#);
        let units = [Unit::Days, Unit::BusinessDays, Unit::Weeks, Unit::Months, Unit::Years];
        let names = ["\"days\"", "\"business_days\"", "\"weeks\"", "\"months\"", "\"years\""];
        for (u, n) in units.iter().zip(names) {
            assert_eq!(serde_json::to_string(u).unwrap(), n);
            assert_eq!(serde_json::from_str::<Unit>(n).unwrap(), *u);
        }
        assert_eq!(serde_json::to_string(&Direction::After).unwrap(), "\"after\"");
    }

    #[test]
    fn arithmetic() {
        use Direction::*;
        use Unit::*;
        let cal = Calendar::weekends_only();
        let cases: &[(NaiveDate, u32, Unit, Direction, Option<NaiveDate>)] = &[
            (d(2025, 3, 1), 30, Days, After, Some(d(2025, 3, 31))),
            (d(2025, 3, 1), 30, Days, Before, Some(d(2025, 1, 30))),
            (d(2025, 3, 1), 0, Days, After, Some(d(2025, 3, 1))),
            (d(2025, 3, 7), 1, BusinessDays, After, Some(d(2025, 3, 10))), // Fri → Mon
            (d(2025, 3, 7), 5, BusinessDays, After, Some(d(2025, 3, 14))),
            (d(2025, 3, 8), 1, BusinessDays, After, Some(d(2025, 3, 10))), // Sat → Mon
            (d(2025, 3, 10), 1, BusinessDays, Before, Some(d(2025, 3, 7))),
            (d(2025, 3, 3), 10, BusinessDays, After, Some(d(2025, 3, 17))),
            (d(2025, 3, 3), 0, BusinessDays, After, Some(d(2025, 3, 3))),
            (d(2025, 3, 1), 2, Weeks, After, Some(d(2025, 3, 15))),
            (d(2025, 1, 31), 1, Months, After, Some(d(2025, 2, 28))),
            (d(2024, 1, 31), 1, Months, After, Some(d(2024, 2, 29))),
            (d(2025, 3, 31), 1, Months, Before, Some(d(2025, 2, 28))),
            (d(2025, 8, 31), 6, Months, After, Some(d(2026, 2, 28))),
            (d(2024, 2, 29), 1, Years, After, Some(d(2025, 2, 28))),
            (d(2025, 3, 1), 2, Years, After, Some(d(2027, 3, 1))),
            (d(2025, 3, 1), u32::MAX, Years, After, None),
            (d(2025, 3, 1), u32::MAX, Days, After, None),
        ];
        for (a, n, u, dir, want) in cases {
            assert_eq!(apply(*a, *n, *u, *dir, &cal), *want, "{a} {n} {u:?} {dir:?}");
        }
        let us = Calendar::us_federal(2025, 2025);
        // Wed Dec 24 + 1 business day skips Christmas.
        assert_eq!(apply(d(2025, 12, 24), 1, BusinessDays, After, &us), Some(d(2025, 12, 26)));
        let r = rel(30, Days, After, "Effective Date");
        assert_eq!(r.resolve(d(2025, 3, 1), &cal), Some(d(2025, 3, 31)));
    }
}
