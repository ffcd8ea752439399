//! Due-date alerts (`contract-milestones due`): which dated records fall due
//! in a window after a reference day, and which are already overdue.
//!
//! Beside the records, each document's key dates are listed when they fall
//! in the window: the end of the term in force on the reference day and, for
//! a contract that renews by itself, the last day to give notice so that it
//! does not (the current cycle's, after the renewals already past, not the
//! initial term's). A deadline that has passed is not listed as overdue: the
//! contract has renewed, and its next deadline is the one that matters.
//!
//! A record is **overdue** when its date is before `as_of` (and not before
//! `since`, when given), and **due** when it falls on `as_of` or up to
//! `within_days` days after it (both ends included). Records without a date
//! are counted, not listed. Documents that are not `ok` are listed apart:
//! their dates could not be read, so they may hide something due.
//!
//! The report is plain data ([`DueReport`], serialisable as JSON); [`table`]
//! renders it for people. The library prints nothing.

use chrono::{Days, NaiveDate};
use serde::Serialize;

use crate::normalise::{Calendar, Money};
use crate::record::{Document, Kind, Status};

/// Version string written in the `schema` field of `due --format json`.
pub const DUE_SCHEMA: &str = "contract-milestones-due/1";

/// The window of a report.
#[derive(Debug, Clone, Copy)]
pub struct Window {
    /// The reference day ("today").
    pub as_of: NaiveDate,
    /// Days after `as_of` that count as due (inclusive).
    pub within_days: u32,
    /// Overdue items before this day are left out (old history), when given.
    pub since: Option<NaiveDate>,
}

/// Overdue or due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// The date is before the reference day.
    Overdue,
    /// The date is in the window.
    Due,
}

named_enum! {
    /// What a listed item is: a record's kind, or one of the document's key dates.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum DueKind {
        /// A milestone record.
        Milestone = "milestone",
        /// A deliverable record.
        Deliverable = "deliverable",
        /// A payment record.
        Payment = "payment",
        /// The last day to give notice so that the term does not renew.
        OptOutDeadline = "opt_out_deadline",
        /// The end of the term in force.
        TermEnd = "term_end",
    }
}

impl From<Kind> for DueKind {
    fn from(k: Kind) -> DueKind {
        match k {
            Kind::Milestone => DueKind::Milestone,
            Kind::Deliverable => DueKind::Deliverable,
            Kind::Payment => DueKind::Payment,
        }
    }
}

/// One listed record, with where it came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DueItem {
    /// Overdue or due.
    pub state: State,
    /// The record's date.
    pub date: NaiveDate,
    /// Days from the reference day to the date (negative when overdue).
    pub days: i64,
    /// The document's path.
    pub path: String,
    /// The document's SHA-256.
    pub sha256: String,
    /// milestone, deliverable, payment, opt_out_deadline or term_end.
    pub kind: DueKind,
    /// The record's name.
    pub name: String,
    /// Amount payable, when stated.
    pub amount: Option<Money>,
    /// Share of the price, when stated.
    pub percent: Option<f64>,
    /// 1-based page of the evidence.
    pub page: u32,
    /// The evidence text.
    pub text: String,
    /// The rule that produced the record.
    pub rule: String,
}

/// A document whose records could not be read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NotOk {
    /// The document's path.
    pub path: String,
    /// Its status.
    pub status: Status,
    /// Why.
    pub error: Option<String>,
}

/// What is overdue and what falls due.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DueReport {
    /// [`DUE_SCHEMA`].
    pub schema: &'static str,
    /// The reference day.
    pub as_of: NaiveDate,
    /// The window's length in days.
    pub within_days: u32,
    /// The window's last day (inclusive).
    pub until: NaiveDate,
    /// Overdue items before this day were left out, when set.
    pub since: Option<NaiveDate>,
    /// How many items are overdue.
    pub overdue: usize,
    /// How many fall due in the window.
    pub due: usize,
    /// The items, by date (then path, page, name): overdue ones first.
    pub items: Vec<DueItem>,
    /// Documents read.
    pub documents: usize,
    /// Records without a date (not listed).
    pub undated: usize,
    /// Documents that are not `ok`.
    pub not_ok: Vec<NotOk>,
}

impl DueReport {
    /// True when something is overdue or a document could not be read.
    pub fn needs_attention(&self) -> bool {
        self.overdue > 0 || !self.not_ok.is_empty()
    }
}

/// Build the report for these documents.
pub fn report<'a>(docs: impl IntoIterator<Item = &'a Document>, window: &Window) -> DueReport {
    let until = window.as_of.checked_add_days(Days::new(window.within_days.into())).unwrap_or(NaiveDate::MAX);
    let mut items = Vec::new();
    let mut documents = 0;
    let mut undated = 0;
    let mut not_ok = Vec::new();
    for doc in docs {
        documents += 1;
        if doc.status != Status::Ok {
            not_ok.push(NotOk { path: doc.path.clone(), status: doc.status, error: doc.error.clone() });
        }
        for r in &doc.records {
            let Some(date) = r.date else {
                undated += 1;
                continue;
            };
            let state = if date < window.as_of {
                if window.since.is_some_and(|s| date < s) {
                    continue;
                }
                State::Overdue
            } else if date <= until {
                State::Due
            } else {
                continue;
            };
            items.push(DueItem {
                state,
                date,
                days: (date - window.as_of).num_days(),
                path: doc.path.clone(),
                sha256: doc.sha256.clone(),
                kind: r.kind.into(),
                name: r.name.clone(),
                amount: r.amount,
                percent: r.percent,
                page: r.page,
                text: r.text.clone(),
                rule: r.rule.clone(),
            });
        }
        items.extend(key_dates(doc, window.as_of, until));
    }
    items.sort_by(|a, b| (a.date, &a.path, a.page, &a.name).cmp(&(b.date, &b.path, b.page, &b.name)));
    DueReport {
        schema: DUE_SCHEMA,
        as_of: window.as_of,
        within_days: window.within_days,
        until,
        since: window.since,
        overdue: items.iter().filter(|i| i.state == State::Overdue).count(),
        due: items.iter().filter(|i| i.state == State::Due).count(),
        items,
        documents,
        undated,
        not_ok,
    }
}

/// The document's term end and opt-out deadline that fall in the window
/// `as_of..=until`, for the term in force on `as_of`.
fn key_dates(doc: &Document, as_of: NaiveDate, until: NaiveDate) -> Vec<DueItem> {
    // Notice periods are stated in calendar days, months or years far more
    // often than in business days; holidays are not known here.
    let Some(term) = doc.term_in_force(as_of, &Calendar::weekends_only()) else {
        return Vec::new();
    };
    let item = |kind: DueKind, date: NaiveDate, name: String, field: &str| {
        let ev = doc.evidence.get(field).or_else(|| doc.evidence.get("expiration_date"));
        DueItem {
            state: State::Due,
            date,
            days: (date - as_of).num_days(),
            path: doc.path.clone(),
            sha256: doc.sha256.clone(),
            kind,
            name,
            amount: None,
            percent: None,
            page: ev.map_or(0, |e| e.page),
            text: ev.map(|e| e.text.clone()).unwrap_or_default(),
            rule: ev.map(|e| e.rule.clone()).unwrap_or_default(),
        }
    };
    let in_window = |d: NaiveDate| as_of <= d && d <= until;
    let mut out = Vec::new();
    if let (Some(deadline), Some(notice)) = (term.opt_out_deadline, doc.notice_period) {
        if in_window(deadline) {
            let name = format!("last day to give notice of non-renewal ({notice} before the term ends on {})", term.term_end);
            out.push(item(DueKind::OptOutDeadline, deadline, name, "notice_period"));
        }
    }
    if in_window(term.term_end) {
        let name = match doc.renewal {
            Some(r) if r.auto && term.opt_out_deadline.is_some() => format!("term ends; renews for {} unless notice was given", r.period),
            Some(r) if !r.auto => format!("term ends; may be renewed for {}", r.period),
            _ => "term ends".to_string(),
        };
        out.push(item(DueKind::TermEnd, term.term_end, name, "expiration_date"));
    }
    out
}

/// Parse a span of days: `30d`, `2w` (14 days), or a bare number of days.
pub fn parse_days(s: &str) -> Result<u32, String> {
    let t = s.trim().to_ascii_lowercase();
    let (num, mult) = if let Some(n) = t.strip_suffix('d') {
        (n, 1)
    } else if let Some(n) = t.strip_suffix('w') {
        (n, 7)
    } else {
        (t.as_str(), 1)
    };
    num.trim().parse::<u32>().ok().and_then(|n| n.checked_mul(mult)).ok_or_else(|| format!("`{s}` is not a number of days (e.g. 30d, 2w, 7)"))
}

fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut c: String = s.chars().take(max - 1).collect();
        c.push('…');
        c
    }
}

/// The report as a table for people, ending with a newline.
pub fn table(r: &DueReport) -> String {
    let mut out = format!("As of {}: {} overdue, {} due within {} days (until {}), in {} documents\n", r.as_of, r.overdue, r.due, r.within_days, r.until, r.documents);
    if !r.items.is_empty() {
        let rows: Vec<[String; 7]> = r
            .items
            .iter()
            .map(|i| {
                let days = match i.days {
                    0 => "today".to_string(),
                    d if d < 0 => format!("{} days ago", -d),
                    1 => "in 1 day".to_string(),
                    d => format!("in {d} days"),
                };
                let days = if i.days == -1 { "1 day ago".to_string() } else { days };
                let amount = match (&i.amount, i.percent) {
                    (Some(m), Some(p)) => format!("{m} ({p}%)"),
                    (Some(m), None) => m.to_string(),
                    (None, Some(p)) => format!("{p}%"),
                    (None, None) => String::new(),
                };
                [
                    match i.state {
                        State::Overdue => "OVERDUE".to_string(),
                        State::Due => "due".to_string(),
                    },
                    i.date.to_string(),
                    days,
                    i.kind.as_str().to_string(),
                    clip(&i.name, 48),
                    amount,
                    format!("{} p{}", i.path, i.page),
                ]
            })
            .collect();
        let header = ["STATE", "DATE", "WHEN", "KIND", "NAME", "AMOUNT", "FILE"];
        let mut width = header.map(|h| h.chars().count());
        for row in &rows {
            for (w, cell) in width.iter_mut().zip(row) {
                *w = (*w).max(cell.chars().count());
            }
        }
        let mut line = |cells: &[String]| {
            let mut l = String::new();
            for (k, (cell, w)) in cells.iter().zip(width).enumerate() {
                if k + 1 == cells.len() {
                    l.push_str(cell);
                } else {
                    l.push_str(cell);
                    l.push_str(&" ".repeat(w - cell.chars().count() + 2));
                }
            }
            out.push_str(l.trim_end());
            out.push('\n');
        };
        line(&header.map(String::from));
        for row in &rows {
            line(row);
        }
    }
    if r.undated > 0 {
        out.push_str(&format!("{} record{} without a date not listed\n", r.undated, if r.undated == 1 { "" } else { "s" }));
    }
    for d in &r.not_ok {
        out.push_str(&format!("not read: {} ({}: {})\n", d.path, d.status.as_str(), d.error.as_deref().unwrap_or("no reason given")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Record;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn rec(name: &str, date: Option<&str>) -> Record {
        Record { date: date.map(day), rule: "r".into(), ..Record::new(Kind::Milestone, name) }
    }

    #[test]
    fn window_edges() {
        let mut doc = Document::failed("a.pdf".into(), String::new(), Status::Ok, "");
        doc.error = None;
        doc.records = vec![
            rec("yesterday", Some("2026-03-31")),
            rec("today", Some("2026-04-01")),
            rec("last day", Some("2026-04-11")),
            rec("one too far", Some("2026-04-12")),
            rec("old", Some("2025-01-01")),
            rec("undated", None),
        ];
        let as_of = NaiveDate::from_ymd_opt(2026, 4, 1).unwrap();
        let r = report([&doc], &Window { as_of, within_days: 10, since: None });
        let names: Vec<(&str, State, i64)> = r.items.iter().map(|i| (i.name.as_str(), i.state, i.days)).collect();
        assert_eq!(names, [("old", State::Overdue, -455), ("yesterday", State::Overdue, -1), ("today", State::Due, 0), ("last day", State::Due, 10)]);
        assert_eq!((r.overdue, r.due, r.undated), (2, 2, 1));
        assert_eq!(r.until, day("2026-04-11"));
        let since = Some(NaiveDate::from_ymd_opt(2026, 1, 1).unwrap());
        let r = report([&doc], &Window { as_of, within_days: 10, since });
        assert_eq!(r.overdue, 1);
        assert!(r.needs_attention());
        let r = report([&doc], &Window { as_of: NaiveDate::from_ymd_opt(2020, 1, 1).unwrap(), within_days: 0, since: None });
        assert!(r.items.is_empty() && !r.needs_attention());
        assert!(table(&r).starts_with("As of 2020-01-01: 0 overdue, 0 due"));
    }

    #[test]
    fn key_dates_follow_the_term_in_force() {
        use crate::normalise::{Period, Renewal, Unit};
        let mut doc = Document::failed("r.pdf".into(), String::new(), Status::Ok, "");
        doc.error = None;
        doc.expiration_date = Some(day("2027-02-01"));
        doc.renewal = Some(Renewal { auto: true, period: Period { value: 1, unit: Unit::Years }, count: None });
        doc.notice_period = Some(Period { value: 90, unit: Unit::Days });
        let listed = |doc: &Document, as_of: &str, within: u32| -> Vec<(DueKind, String, i64)> {
            report([doc], &Window { as_of: day(as_of), within_days: within, since: None }).items.iter().map(|i| (i.kind, i.date.to_string(), i.days)).collect()
        };
        // 2027-02-01 less 90 days is 2026-11-03 (31 + 31 + 28 days back).
        assert_eq!(listed(&doc, "2026-10-20", 30), [(DueKind::OptOutDeadline, "2026-11-03".to_string(), 14)]);
        // The deadline has passed; the term end is still ahead.
        assert_eq!(listed(&doc, "2027-01-15", 30), [(DueKind::TermEnd, "2027-02-01".to_string(), 17)]);
        // After one renewal: the second term ends 2028-02-01, its deadline
        // is 2027-11-03; the initial one is history.
        assert_eq!(listed(&doc, "2027-10-20", 30), [(DueKind::OptOutDeadline, "2027-11-03".to_string(), 14)]);
        let r = report([&doc], &Window { as_of: day("2027-10-20"), within_days: 120, since: None });
        assert_eq!(r.items.len(), 2);
        assert!(r.items[0].name.contains("90 days before the term ends on 2028-02-01"), "{}", r.items[0].name);
        assert!(!r.needs_attention(), "a key date is never overdue");
        // An option to renew: only the term end, once.
        doc.renewal = Some(Renewal { auto: false, period: Period { value: 1, unit: Unit::Years }, count: Some(1) });
        assert_eq!(listed(&doc, "2026-10-20", 120), [(DueKind::TermEnd, "2027-02-01".to_string(), 104)]);
        assert_eq!(listed(&doc, "2027-10-20", 120), []);
    }

    #[test]
    fn days() {
        assert_eq!(parse_days("30d"), Ok(30));
        assert_eq!(parse_days("2W"), Ok(14));
        assert_eq!(parse_days("7"), Ok(7));
        assert!(parse_days("1m").is_err());
        assert!(parse_days("-3d").is_err());
    }
}
