//! Lengths of time: "three (3) years", "a twelve-month period", "sixty (60)
//! days'", "successive annual periods"; and the arithmetic of a term that
//! renews itself: when the term in force on a date ends, and the last day to
//! give notice before it renews again.

use std::fmt;

use chrono::NaiveDate;
use once_cell::sync::Lazy;
use regex::Regex;
use serde::{Deserialize, Serialize};

use super::calendar::Calendar;
use super::numbers::{number_words_pattern, ordinal_words_pattern, parse_ordinal};
use super::relative::{apply, offset_of, unit_of, Direction, Unit};

/// A length of time: `{"value": 90, "unit": "days"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Period {
    /// How many units.
    pub value: u32,
    /// Days, business days, weeks, months or years.
    pub unit: Unit,
}

impl Period {
    /// The date this period after (or before) `from`.
    pub fn after(self, from: NaiveDate, cal: &Calendar) -> Option<NaiveDate> {
        apply(from, self.value, self.unit, Direction::After, cal)
    }

    /// The date this period before `from`.
    pub fn before(self, from: NaiveDate, cal: &Calendar) -> Option<NaiveDate> {
        apply(from, self.value, self.unit, Direction::Before, cal)
    }

    /// `n` of these periods as one (`n` × 3 months): counted from one
    /// anchor, successive periods keep the anchor's day of the month
    /// (Jan 31 + 2 months is Mar 31, not Mar 28).
    pub fn times(self, n: u32) -> Option<Period> {
        Some(Period { value: self.value.checked_mul(n)?, unit: self.unit })
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}{}", self.value, self.unit.noun(), if self.value == 1 { "" } else { "s" })
    }
}

/// "three (3) years", "12 months", "a one-year", "(5)-year", "sixty (60) calendar days".
static COUNTED: Lazy<Regex> = Lazy::new(|| {
    let numw = number_words_pattern();
    super::compile(&format!(
        r"(?i)(?:\b(?P<w>{numw}|an?)(?:\s?\(\s?(?P<d1>\d{{1,4}})\s?\))?|\(?\b(?P<d2>\d{{1,4}})\)?)\s?-?\s?(?:(?:full|consecutive|additional|further|successive|more|renewal|extension)\s)*(?:(?P<q>calendar|business|working)\s)?(?P<u>days?|weeks?|months?|years?)\b"
    ))
    .unwrap()
});

/// One unit without a number: "annual", "yearly", "year-to-year", "month-to-month".
static SINGLE: Lazy<Regex> = Lazy::new(|| super::compile(r"(?i)\b(?:(?P<y>annual|annually|yearly|year[\s-]to[\s-]year)|(?P<m>monthly|month[\s-]to[\s-]month))\b").unwrap());

/// "the second anniversary", "its 5th anniversary": that many years.
static ANNIVERSARY: Lazy<Regex> = Lazy::new(|| {
    let ord = ordinal_words_pattern();
    super::compile(&format!(r"(?i)\b(?P<o>{ord}|\d{{1,2}}\s?(?:st|nd|rd|th))\s+anniversary\b")).unwrap()
});

/// The first length of time in `text`, with the byte offset where it starts.
/// An anniversary counts as its years ("the third anniversary": 3 years).
pub fn find_period(text: &str) -> Option<(usize, Period)> {
    let counted = COUNTED.captures_iter(text).find_map(|c| {
        // "a year", "an initial month": one.
        let value = offset_of(&c).or_else(|| c.name("w").filter(|w| matches!(w.as_str().to_ascii_lowercase().as_str(), "a" | "an")).map(|_| 1))?;
        let unit = unit_of(c.name("q").map(|q| q.as_str()), &c["u"]);
        (value > 0).then_some((c.get(0)?.start(), Period { value, unit }))
    });
    let single = SINGLE.captures(text).map(|c| {
        let unit = if c.name("y").is_some() { Unit::Years } else { Unit::Months };
        (c.get(0).map_or(0, |m| m.start()), Period { value: 1, unit })
    });
    let anniversary = ANNIVERSARY.captures(text).and_then(|c| {
        let years = parse_ordinal(c.name("o")?.as_str())?;
        Some((c.get(0)?.start(), Period { value: years, unit: Unit::Years }))
    });
    [counted, single, anniversary].into_iter().flatten().min_by_key(|(at, _)| *at)
}

/// A count of renewals: "two (2)", "3", "one additional".
pub fn parse_count(text: &str) -> Option<u32> {
    static COUNT: Lazy<Regex> = Lazy::new(|| {
        let numw = number_words_pattern();
        super::compile(&format!(r"(?i)\((?P<d1>\d{{1,3}})\)|\b(?P<d2>\d{{1,3}})\b|\b(?P<w>{numw})\b")).unwrap()
    });
    offset_of(&COUNT.captures(text)?).filter(|&n| n > 0)
}

/// The length of time `text` states, when it states one.
pub fn parse_period(text: &str) -> Option<Period> {
    find_period(text).map(|(_, p)| p)
}

/// How a contract renews at the end of a term.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Renewal {
    /// True when it renews by itself unless notice is given; false when a
    /// renewal needs an option, an election or the parties' agreement.
    pub auto: bool,
    /// One renewal period.
    #[serde(flatten)]
    pub period: Period,
    /// How many renewals at most; `None`: no limit stated.
    pub count: Option<u32>,
}

impl Renewal {
    /// Automatic or by option.
    pub fn kind(&self) -> RenewalKind {
        if self.auto {
            RenewalKind::Automatic
        } else {
            RenewalKind::ByOption
        }
    }
}

named_enum! {
    /// How a contract renews, as rule files and the summary name it.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum RenewalKind {
        /// By itself, unless notice is given.
        Automatic = "automatic",
        /// Only when someone acts: an option, an election, the parties' agreement.
        ByOption = "option",
        /// No renewal is stated.
        Unstated = "none",
    }
}

impl RenewalKind {
    /// The kind of a renewal, or `Unstated` without one.
    pub fn of(renewal: Option<Renewal>) -> RenewalKind {
        renewal.map_or(RenewalKind::Unstated, |r| r.kind())
    }

    /// [`Renewal::auto`] of a renewal of this kind; `None` for `Unstated`,
    /// which no rule finds. The kinds with a value are the words a renewal
    /// rule's `renewal` takes.
    pub fn auto(self) -> Option<bool> {
        match self {
            RenewalKind::Automatic => Some(true),
            RenewalKind::ByOption => Some(false),
            RenewalKind::Unstated => None,
        }
    }
}

/// The term in force on a date, after the automatic renewals that have
/// already happened by then.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermAsOf {
    /// The date asked about.
    pub as_of: NaiveDate,
    /// The end of the term in force on that date (or of the last one, when
    /// the contract has run out).
    pub term_end: NaiveDate,
    /// The last day to give notice so that this term does not renew; `None`
    /// when it does not renew by itself, or no notice period is stated, or
    /// no renewal is left.
    pub opt_out_deadline: Option<NaiveDate>,
    /// Automatic renewals that have happened by `as_of`.
    pub renewals: u32,
}

/// The last day notice can be given so that the term ending on `term_end`
/// does not renew: `term_end` − `notice`.
pub fn opt_out_deadline(term_end: NaiveDate, notice: Period, cal: &Calendar) -> Option<NaiveDate> {
    notice.before(term_end, cal)
}

/// The term in force on `as_of`, for a contract whose initial term ends on
/// `expiration`. Only automatic renewals happen by themselves; an option to
/// renew leaves the initial term in place. The k-th renewal ends k periods
/// after the initial end, counted from that end so that month ends do not
/// drift (Jan 31 → Feb 28 → Mar 31).
pub fn term_as_of(expiration: NaiveDate, renewal: Option<Renewal>, notice: Option<Period>, as_of: NaiveDate, cal: &Calendar) -> TermAsOf {
    let mut end = expiration;
    let mut renewals = 0u32;
    let auto = renewal.filter(|r| r.auto);
    if let Some(r) = auto {
        while end < as_of && r.count.is_none_or(|c| renewals < c) {
            let Some(next) = r.period.times(renewals + 1).and_then(|p| p.after(expiration, cal)) else { break };
            if next <= end {
                break;
            }
            renewals += 1;
            end = next;
        }
    }
    let renews_again = auto.is_some_and(|r| r.count.is_none_or(|c| renewals < c));
    let opt_out = if renews_again { notice.and_then(|n| opt_out_deadline(end, n, cal)) } else { None };
    TermAsOf { as_of, term_end: end, opt_out_deadline: opt_out, renewals }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn p(value: u32, unit: Unit) -> Period {
        Period { value, unit }
    }

    fn cal() -> Calendar {
        Calendar::weekends_only()
    }

    #[test]
    fn reads_lengths_of_time() {
        assert_eq!(parse_period("for three (3) years"), Some(p(3, Unit::Years)));
        assert_eq!(parse_period("an initial 24-month term"), Some(p(24, Unit::Months)));
        assert_eq!(parse_period("successive one-year periods"), Some(p(1, Unit::Years)));
        assert_eq!(parse_period("successive five (5)-year terms"), Some(p(5, Unit::Years)));
        assert_eq!(parse_period("sixty (60) days' written notice"), Some(p(60, Unit::Days)));
        assert_eq!(parse_period("ten business days"), Some(p(10, Unit::BusinessDays)));
        assert_eq!(parse_period("90 calendar days"), Some(p(90, Unit::Days)));
        assert_eq!(parse_period("renews on an annual basis"), Some(p(1, Unit::Years)));
        assert_eq!(parse_period("continues month-to-month"), Some(p(1, Unit::Months)));
        assert_eq!(parse_period("twelve (12) full calendar months"), Some(p(12, Unit::Months)));
        assert_eq!(parse_period("for one further year"), Some(p(1, Unit::Years)));
        assert_eq!(parse_period("on a month-to-month basis"), Some(p(1, Unit::Months)));
        assert_eq!(parse_period("one additional twelve month period"), Some(p(12, Unit::Months)));
        assert_eq!(parse_period("the parties"), None);
        assert_eq!(parse_period("zero days"), None);
    }

    #[test]
    fn an_anniversary_is_its_years() {
        assert_eq!(parse_period("until the second anniversary of the Start Date"), Some(p(2, Unit::Years)));
        assert_eq!(parse_period("on its 10th anniversary"), Some(p(10, Unit::Years)));
        assert_eq!(parse_period("on each anniversary"), None);
    }

    #[test]
    fn counts_renewals() {
        assert_eq!(parse_count("two (2)"), Some(2));
        assert_eq!(parse_count("(3)"), Some(3));
        assert_eq!(parse_count("four"), Some(4));
        assert_eq!(parse_count("additional"), None);
    }

    #[test]
    fn the_earliest_length_wins() {
        assert_eq!(find_period("an annual fee for two (2) years").map(|x| x.1), Some(p(1, Unit::Years)));
        assert_eq!(find_period("for two (2) years, paid annually").map(|x| x.1), Some(p(2, Unit::Years)));
    }

    #[test]
    fn opt_out_deadline_counts_back_from_the_term_end() {
        assert_eq!(opt_out_deadline(d("2027-12-31"), p(90, Unit::Days), &cal()), Some(d("2027-10-02")));
        // A notice period in months keeps the day of the month, clamped.
        assert_eq!(opt_out_deadline(d("2027-08-31"), p(6, Unit::Months), &cal()), Some(d("2027-02-28")));
        assert_eq!(opt_out_deadline(d("2028-08-31"), p(6, Unit::Months), &cal()), Some(d("2028-02-29")));
    }

    #[test]
    fn before_the_initial_end_nothing_has_renewed() {
        let r = Renewal { auto: true, period: p(1, Unit::Years), count: None };
        let t = term_as_of(d("2027-06-30"), Some(r), Some(p(60, Unit::Days)), d("2026-12-06"), &cal());
        assert_eq!(t, TermAsOf { as_of: d("2026-12-06"), term_end: d("2027-06-30"), opt_out_deadline: Some(d("2027-05-01")), renewals: 0 });
    }

    #[test]
    fn successive_renewals_land_on_the_as_of_cycle() {
        let r = Renewal { auto: true, period: p(1, Unit::Years), count: None };
        // Initial end 2024-03-31; by 2026-12-06 it has renewed three times
        // (on 2024-03-31, 2025-03-31 and 2026-03-31): the term runs to 2027-03-31.
        let t = term_as_of(d("2024-03-31"), Some(r), Some(p(3, Unit::Months)), d("2026-12-06"), &cal());
        assert_eq!(t.renewals, 3);
        assert_eq!(t.term_end, d("2027-03-31"));
        assert_eq!(t.opt_out_deadline, Some(d("2026-12-31")));
        // The as-of date on a term end: that term is still in force.
        let t = term_as_of(d("2024-03-31"), Some(r), None, d("2025-03-31"), &cal());
        assert_eq!((t.renewals, t.term_end, t.opt_out_deadline), (1, d("2025-03-31"), None));
    }

    #[test]
    fn monthly_renewals_do_not_drift_at_month_ends() {
        let r = Renewal { auto: true, period: p(1, Unit::Months), count: None };
        let t = term_as_of(d("2027-01-31"), Some(r), None, d("2027-03-15"), &cal());
        // Feb 28, then Mar 31 (not Mar 28).
        assert_eq!((t.renewals, t.term_end), (2, d("2027-03-31")));
    }

    #[test]
    fn leap_days_clamp_and_come_back() {
        let r = Renewal { auto: true, period: p(1, Unit::Years), count: None };
        let t = term_as_of(d("2024-02-29"), Some(r), None, d("2025-03-01"), &cal());
        assert_eq!((t.renewals, t.term_end), (2, d("2026-02-28")));
        let t = term_as_of(d("2024-02-29"), Some(r), None, d("2027-06-01"), &cal());
        // 2028-02-29 again, four periods after the initial end.
        let t2 = term_as_of(d("2024-02-29"), Some(r), None, d("2028-01-01"), &cal());
        assert_eq!(t.term_end, d("2028-02-29"));
        assert_eq!(t2.term_end, d("2028-02-29"));
    }

    #[test]
    fn a_limited_number_of_renewals_runs_out() {
        let r = Renewal { auto: true, period: p(2, Unit::Years), count: Some(1) };
        let t = term_as_of(d("2025-06-30"), Some(r), Some(p(90, Unit::Days)), d("2030-01-01"), &cal());
        // One renewal to 2027-06-30, then the contract has ended: no deadline.
        assert_eq!((t.renewals, t.term_end, t.opt_out_deadline), (1, d("2027-06-30"), None));
        // Inside the initial term, the renewal is still to come: a deadline.
        let t = term_as_of(d("2025-06-30"), Some(r), Some(p(90, Unit::Days)), d("2025-01-01"), &cal());
        assert_eq!((t.renewals, t.opt_out_deadline), (0, Some(d("2025-04-01"))));
    }

    #[test]
    fn an_option_to_renew_does_not_renew_by_itself() {
        let r = Renewal { auto: false, period: p(1, Unit::Years), count: None };
        let t = term_as_of(d("2025-06-30"), Some(r), Some(p(30, Unit::Days)), d("2026-12-06"), &cal());
        assert_eq!((t.renewals, t.term_end, t.opt_out_deadline), (0, d("2025-06-30"), None));
        let t = term_as_of(d("2025-06-30"), None, None, d("2026-12-06"), &cal());
        assert_eq!((t.renewals, t.term_end, t.opt_out_deadline), (0, d("2025-06-30"), None));
    }

    #[test]
    fn a_notice_period_in_business_days_skips_weekends() {
        // 2027-07-05 is a Monday; 5 business days before is Monday 2027-06-28.
        assert_eq!(opt_out_deadline(d("2027-07-05"), p(5, Unit::BusinessDays), &cal()), Some(d("2027-06-28")));
    }
}
