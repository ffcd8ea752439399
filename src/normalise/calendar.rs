//! Business-day calendars: weekends plus an optional set of holidays, read from a
//! list of ISO dates or generated for US federal holidays. The conventions (docs/conventions.md) count only
//! weekends, so `Calendar::weekends_only()` is the default for labels.

use std::collections::BTreeSet;

use chrono::{Datelike, Days, NaiveDate, Weekday};

/// Weekends plus a set of holiday dates that are not business days. In JSON
/// (the settings a worker receives) it is the list of holidays as ISO dates.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Calendar {
    holidays: BTreeSet<NaiveDate>,
}

impl Calendar {
    /// Saturdays and Sundays only; no holidays.
    pub fn weekends_only() -> Calendar {
        Calendar::default()
    }

    /// One `YYYY-MM-DD` date a line; blank lines and `#` comments are allowed.
    /// Errors give the 1-based line number and a reason.
    pub fn from_iso_lines(s: &str) -> Result<Calendar, (usize, String)> {
        let mut holidays = BTreeSet::new();
        for (i, line) in s.lines().enumerate() {
            let body = line.split('#').next().unwrap_or("").trim();
            if body.is_empty() {
                continue;
            }
            let d = parse_iso(body).ok_or_else(|| (i + 1, format!("not a YYYY-MM-DD date: {body:?}")))?;
            holidays.insert(d);
        }
        Ok(Calendar { holidays })
    }

    /// US federal holidays (observed dates: Saturday → Friday, Sunday → Monday)
    /// for the years `from_year..=to_year`; Juneteenth from 2021.
    pub fn us_federal(from_year: i32, to_year: i32) -> Calendar {
        let mut holidays = BTreeSet::new();
        for y in from_year..=to_year {
            let fixed = |m: u32, d: u32| NaiveDate::from_ymd_opt(y, m, d).map(observed);
            let mut add = |d: Option<NaiveDate>| {
                if let Some(d) = d {
                    holidays.insert(d);
                }
            };
            add(fixed(1, 1));
            add(nth_weekday(y, 1, Weekday::Mon, 3));
            add(nth_weekday(y, 2, Weekday::Mon, 3));
            add(last_weekday(y, 5, Weekday::Mon));
            if y >= 2021 {
                add(fixed(6, 19));
            }
            add(fixed(7, 4));
            add(nth_weekday(y, 9, Weekday::Mon, 1));
            add(nth_weekday(y, 10, Weekday::Mon, 2));
            add(fixed(11, 11));
            add(nth_weekday(y, 11, Weekday::Thu, 4));
            add(fixed(12, 25));
            // Next New Year's Day on a Saturday is observed on this year's Dec 31.
            if let Some(ny) = NaiveDate::from_ymd_opt(y + 1, 1, 1) {
                if ny.weekday() == Weekday::Sat {
                    add(ny.pred_opt());
                }
            }
        }
        Calendar { holidays }
    }

    /// True for a weekday that is not a holiday.
    pub fn is_business_day(&self, d: NaiveDate) -> bool {
        !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) && !self.holidays.contains(&d)
    }

    /// This calendar's holidays together with `other`'s.
    pub fn merge(mut self, other: &Calendar) -> Calendar {
        self.holidays.extend(other.holidays.iter().copied());
        self
    }

    /// Add one holiday.
    pub fn add_holiday(&mut self, d: NaiveDate) {
        self.holidays.insert(d);
    }

    /// The holidays, in date order.
    pub fn holidays(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        self.holidays.iter().copied()
    }

    /// Holidays falling on weekdays in the inclusive range `lo..=hi`.
    pub(crate) fn weekday_holidays_between(&self, lo: NaiveDate, hi: NaiveDate) -> u32 {
        if lo > hi {
            return 0;
        }
        self.holidays.range(lo..=hi).filter(|d| !matches!(d.weekday(), Weekday::Sat | Weekday::Sun)).count() as u32
    }
}

fn parse_iso(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = &s[r];
        part.bytes().all(|c| c.is_ascii_digit()).then(|| part.parse().ok())?
    };
    NaiveDate::from_ymd_opt(digits(0..4)? as i32, digits(5..7)?, digits(8..10)?)
}

fn observed(d: NaiveDate) -> NaiveDate {
    match d.weekday() {
        Weekday::Sat => d.pred_opt().unwrap_or(d),
        Weekday::Sun => d.succ_opt().unwrap_or(d),
        _ => d,
    }
}

fn nth_weekday(y: i32, m: u32, wd: Weekday, n: u32) -> Option<NaiveDate> {
    NaiveDate::from_weekday_of_month_opt(y, m, wd, n as u8)
}

fn last_weekday(y: i32, m: u32, wd: Weekday) -> Option<NaiveDate> {
    let first_next = if m == 12 { NaiveDate::from_ymd_opt(y + 1, 1, 1) } else { NaiveDate::from_ymd_opt(y, m + 1, 1) }?;
    let mut d = first_next.checked_sub_days(Days::new(1))?;
    while d.weekday() != wd {
        d = d.pred_opt()?;
    }
    Some(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }

    #[test]
    fn iso_lines() {
        let ok = "# holidays\n2025-12-25\n\n  2025-12-26  # Boxing Day\n";
        let cal = Calendar::from_iso_lines(ok).unwrap();
        assert_eq!(cal.holidays().collect::<Vec<_>>(), vec![d(2025, 12, 25), d(2025, 12, 26)]);
        let bad: &[(&str, usize)] = &[("2025-12-25\n2025-13-01", 2), ("25/12/2025", 1), ("\n\n2025-02-30", 3), ("2025-1-1", 1), ("2025-12-25 extra", 1), ("+025-12-25", 1)];
        for (s, line) in bad {
            assert_eq!(Calendar::from_iso_lines(s).unwrap_err().0, *line, "{s:?}");
        }
        assert_eq!(Calendar::from_iso_lines("").unwrap(), Calendar::weekends_only());
    }

    #[test]
    fn us_federal_2021_and_2023() {
        let c = Calendar::us_federal(2021, 2021);
        let want = vec![
            d(2021, 1, 1),
            d(2021, 1, 18),
            d(2021, 2, 15),
            d(2021, 5, 31),
            d(2021, 6, 18),
            d(2021, 7, 5),
            d(2021, 9, 6),
            d(2021, 10, 11),
            d(2021, 11, 11),
            d(2021, 11, 25),
            d(2021, 12, 24),
            d(2021, 12, 31),
        ];
        assert_eq!(c.holidays().collect::<Vec<_>>(), want);
        let c = Calendar::us_federal(2023, 2023);
        let want = vec![d(2023, 1, 2), d(2023, 1, 16), d(2023, 2, 20), d(2023, 5, 29), d(2023, 6, 19), d(2023, 7, 4), d(2023, 9, 4), d(2023, 10, 9), d(2023, 11, 10), d(2023, 11, 23), d(2023, 12, 25)];
        assert_eq!(c.holidays().collect::<Vec<_>>(), want);
        // No Juneteenth before 2021.
        assert!(!Calendar::us_federal(2020, 2020).holidays().any(|h| h.month() == 6));
    }

    #[test]
    fn business_days_and_merge() {
        let cal = Calendar::weekends_only();
        let cases = [
            (d(2025, 3, 1), false), // Saturday
            (d(2025, 3, 2), false), // Sunday
            (d(2025, 3, 3), true),
            (d(2025, 12, 25), true),
        ];
        for (day, want) in cases {
            assert_eq!(cal.is_business_day(day), want, "{day}");
        }
        let us = Calendar::us_federal(2025, 2025);
        assert!(!us.is_business_day(d(2025, 12, 25)));
        let extra = Calendar::from_iso_lines("2025-12-26").unwrap();
        let both = us.clone().merge(&extra);
        assert!(!both.is_business_day(d(2025, 12, 26)));
        assert!(!both.is_business_day(d(2025, 7, 4)));
        assert!(us.is_business_day(d(2025, 12, 26)));
    }
}
