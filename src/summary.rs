//! The portfolio summary: per contract the number of milestones,
//! deliverables and payments, total payments by currency, payments by month
//! (the cash flow), the next item due and the overdue ones; and the same
//! totals over the whole portfolio. Computed here; `contract-milestones
//! summary` prints it as a table, JSON or CSV.
//!
//! Amounts are summed as [`Cents`] (integer minor units) and written as
//! decimal strings with two places, like a record's `amount.value`.
//! Currencies are never mixed: every total is per currency. A payment without a date counts
//! in the totals and in the month `undated`.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::normalise::{Cents, Currency, RenewalKind};
use crate::record::{Document, Kind, Record, Status};

/// The month payments fall due in, or `Undated`: `2025-04` or `undated`
/// in JSON and tables. Ordered by date, `Undated` last (the cash flow's order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Month {
    /// The month of a date, held as its first day.
    Of(NaiveDate),
    /// Payments without a date.
    Undated,
}

impl Month {
    /// The month `d` falls in.
    pub fn of(d: NaiveDate) -> Month {
        Month::Of(d.with_day(1).expect("every month has a first day"))
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Month::Of(d) => f.pad(&d.format("%Y-%m").to_string()),
            Month::Undated => f.pad("undated"),
        }
    }
}

impl Serialize for Month {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// An amount in one currency (currency first, as the JSON has it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Total {
    /// ISO 4217 code.
    pub currency: Currency,
    /// Written with two places.
    pub value: Cents,
}

/// Payments due in one month, in one currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MonthTotal {
    /// The month, or undated.
    pub month: Month,
    /// ISO 4217 code.
    pub currency: Currency,
    /// Written with two places.
    pub value: Cents,
    /// How many payments.
    pub payments: usize,
}

/// One dated item (the next due, an overdue one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Item {
    /// milestone, deliverable or payment.
    pub kind: Kind,
    /// Its name.
    pub name: String,
    /// Its date.
    pub date: NaiveDate,
    /// 1-based page.
    pub page: u32,
    /// Days from `as_of` (negative: overdue by that many days).
    pub days: i64,
}

/// One contract's line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContractSummary {
    /// The document's path.
    pub path: String,
    /// Its status.
    pub status: Status,
    /// Milestone records.
    pub milestones: usize,
    /// Deliverable records.
    pub deliverables: usize,
    /// Payment records.
    pub payments: usize,
    /// Payments with an amount, summed per currency.
    pub payment_totals: Vec<Total>,
    /// Payments with an amount, per month of their date and currency.
    pub by_month: Vec<MonthTotal>,
    /// The earliest item (of any kind) due on or after `as_of`.
    pub next_due: Option<Item>,
    /// Milestones and deliverables dated before `as_of`, oldest first.
    pub overdue: Vec<Item>,
    /// The stated contract price, when extracted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contract_price: Option<Total>,
}

/// A contract whose term in force ends within a year of `as_of`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TermEnding {
    /// The document's path.
    pub path: String,
    /// The end of the term in force on `as_of`.
    pub term_end: NaiveDate,
    /// Days from `as_of` to `term_end`.
    pub days: i64,
    /// `automatic` (renews unless notice is given), `option` (renews only if
    /// someone acts), or `none`.
    pub renewal: RenewalKind,
    /// The renewal period, "1 year", when one is stated.
    pub renewal_period: Option<String>,
    /// The last day to give notice for this term, for automatic renewals.
    pub opt_out_deadline: Option<NaiveDate>,
}

/// The whole portfolio.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// The day `next_due` and `overdue` are measured from.
    pub as_of: NaiveDate,
    /// Documents summarised.
    pub documents: usize,
    /// Documents whose status is not `ok`.
    pub not_ok: usize,
    /// One entry per document, in input order.
    pub contracts: Vec<ContractSummary>,
    /// Totals over all contracts, per currency.
    pub payment_totals: Vec<Total>,
    /// Cash flow over all contracts, per month and currency.
    pub by_month: Vec<MonthTotal>,
    /// Overdue items over all contracts.
    pub overdue: usize,
    /// Contracts whose term in force ends in the twelve months from `as_of`
    /// (renewing by themselves, renewable, or ending), by date.
    pub terms_ending: Vec<TermEnding>,
}

type MonthMap = BTreeMap<(Month, Currency), (Cents, usize)>;

fn totals(map: &BTreeMap<Currency, Cents>) -> Vec<Total> {
    map.iter().map(|(&currency, &value)| Total { currency, value }).collect()
}

/// Dated months in order, `undated` last: the map's own order.
fn months(map: &MonthMap) -> Vec<MonthTotal> {
    map.iter().map(|(&(month, currency), &(value, payments))| MonthTotal { month, currency, value, payments }).collect()
}

fn item(r: &Record, d: NaiveDate, as_of: NaiveDate) -> Item {
    Item { kind: r.kind, name: r.name.clone(), date: d, page: r.page, days: (d - as_of).num_days() }
}

/// Summarise one document.
pub fn contract(doc: &Document, as_of: NaiveDate) -> ContractSummary {
    let count = |k: Kind| doc.records.iter().filter(|r| r.kind == k).count();
    let mut by_currency: BTreeMap<Currency, Cents> = BTreeMap::new();
    let mut by_month: MonthMap = BTreeMap::new();
    for r in doc.records.iter().filter(|r| r.kind == Kind::Payment) {
        let Some(m) = r.amount else { continue };
        *by_currency.entry(m.currency).or_default() += m.value;
        let month = r.date.map_or(Month::Undated, Month::of);
        let e = by_month.entry((month, m.currency)).or_default();
        e.0 += m.value;
        e.1 += 1;
    }
    let dated = || doc.records.iter().filter_map(|r| r.date.map(|d| (r, d)));
    let next_due = dated().filter(|(_, d)| *d >= as_of).min_by_key(|(_, d)| *d).map(|(r, d)| item(r, d, as_of));
    let mut overdue: Vec<Item> = dated().filter(|(r, d)| *d < as_of && r.kind.is_schedule()).map(|(r, d)| item(r, d, as_of)).collect();
    overdue.sort_by_key(|i| i.date);
    ContractSummary {
        path: doc.path.clone(),
        status: doc.status,
        milestones: count(Kind::Milestone),
        deliverables: count(Kind::Deliverable),
        payments: count(Kind::Payment),
        payment_totals: totals(&by_currency),
        by_month: months(&by_month),
        next_due,
        overdue,
        contract_price: doc.contract_price.map(|m| Total { currency: m.currency, value: m.value }),
    }
}

/// The term in force on `as_of`, when it ends in the twelve months after.
fn term_ending(doc: &Document, as_of: NaiveDate) -> Option<TermEnding> {
    let t = doc.term_in_force(as_of, &crate::normalise::Calendar::weekends_only())?;
    let horizon = as_of.checked_add_months(chrono::Months::new(12))?;
    if t.term_end < as_of || t.term_end > horizon {
        return None;
    }
    Some(TermEnding {
        path: doc.path.clone(),
        term_end: t.term_end,
        days: (t.term_end - as_of).num_days(),
        renewal: RenewalKind::of(doc.renewal),
        renewal_period: doc.renewal.map(|r| r.period.to_string()),
        opt_out_deadline: t.opt_out_deadline,
    })
}

/// Summarise a portfolio.
pub fn summarise(docs: &[Document], as_of: NaiveDate) -> Summary {
    let contracts: Vec<ContractSummary> = docs.iter().map(|d| contract(d, as_of)).collect();
    let mut by_currency: BTreeMap<Currency, Cents> = BTreeMap::new();
    let mut by_month: MonthMap = BTreeMap::new();
    for c in &contracts {
        for t in &c.payment_totals {
            *by_currency.entry(t.currency).or_default() += t.value;
        }
        for m in &c.by_month {
            let e = by_month.entry((m.month, m.currency)).or_default();
            e.0 += m.value;
            e.1 += m.payments;
        }
    }
    let mut terms_ending: Vec<TermEnding> = docs.iter().filter(|d| d.status == Status::Ok).filter_map(|d| term_ending(d, as_of)).collect();
    terms_ending.sort_by(|a, b| (a.term_end, &a.path).cmp(&(b.term_end, &b.path)));
    Summary {
        terms_ending,
        as_of,
        documents: docs.len(),
        not_ok: docs.iter().filter(|d| d.status != Status::Ok).count(),
        overdue: contracts.iter().map(|c| c.overdue.len()).sum(),
        contracts,
        payment_totals: totals(&by_currency),
        by_month: months(&by_month),
    }
}

fn totals_text(t: &[Total]) -> String {
    if t.is_empty() {
        "-".into()
    } else {
        t.iter().map(|t| format!("{} {}", t.currency, t.value)).collect::<Vec<_>>().join("; ")
    }
}

/// The readable table.
pub fn table(s: &Summary) -> String {
    let header = ["CONTRACT", "STATUS", "MILESTONES", "DELIVERABLES", "PAYMENTS", "PAYMENT TOTAL", "NEXT DUE", "OVERDUE"];
    let mut rows: Vec<Vec<String>> = s
        .contracts
        .iter()
        .map(|c| {
            vec![
                c.path.clone(),
                c.status.to_string(),
                c.milestones.to_string(),
                c.deliverables.to_string(),
                c.payments.to_string(),
                totals_text(&c.payment_totals),
                c.next_due.as_ref().map_or("-".into(), |i| format!("{} {} \"{}\"", i.date, i.kind, i.name)),
                c.overdue.len().to_string(),
            ]
        })
        .collect();
    rows.push(vec![
        "TOTAL".into(),
        format!("{} not ok", s.not_ok),
        s.contracts.iter().map(|c| c.milestones).sum::<usize>().to_string(),
        s.contracts.iter().map(|c| c.deliverables).sum::<usize>().to_string(),
        s.contracts.iter().map(|c| c.payments).sum::<usize>().to_string(),
        totals_text(&s.payment_totals),
        String::new(),
        s.overdue.to_string(),
    ]);
    let mut out = format!("Portfolio as of {}: {} contract{}\n\n", s.as_of, s.documents, if s.documents == 1 { "" } else { "s" });
    out.push_str(&grid(&header, &rows));
    if !s.by_month.is_empty() {
        out.push_str("\nPayments by month\n");
        let rows: Vec<Vec<String>> = s.by_month.iter().map(|m| vec![m.month.to_string(), m.currency.to_string(), m.value.to_string(), m.payments.to_string()]).collect();
        out.push_str(&grid(&["MONTH", "CURRENCY", "AMOUNT", "PAYMENTS"], &rows));
    }
    let overdue: Vec<(&str, &Item)> = s.contracts.iter().flat_map(|c| c.overdue.iter().map(move |i| (c.path.as_str(), i))).collect();
    if !overdue.is_empty() {
        out.push_str("\nOverdue\n");
        let rows: Vec<Vec<String>> = overdue.iter().map(|(p, i)| vec![i.date.to_string(), (-i.days).to_string(), p.to_string(), i.kind.to_string(), i.name.clone(), i.page.to_string()]).collect();
        out.push_str(&grid(&["DUE", "DAYS LATE", "CONTRACT", "KIND", "NAME", "PAGE"], &rows));
    }
    if !s.terms_ending.is_empty() {
        out.push_str("\nTerms ending in the next 12 months\n");
        let rows: Vec<Vec<String>> = s
            .terms_ending
            .iter()
            .map(|t| {
                let renewal = match (&t.renewal_period, t.renewal) {
                    (Some(p), RenewalKind::Automatic) => format!("renews for {p} unless notice"),
                    (Some(p), _) => format!("may renew for {p}"),
                    _ => "ends".to_string(),
                };
                let opt_out = match t.opt_out_deadline {
                    Some(d) if d < s.as_of => format!("{d} (passed)"),
                    Some(d) => d.to_string(),
                    None => "-".into(),
                };
                vec![t.term_end.to_string(), t.days.to_string(), t.path.clone(), renewal, opt_out]
            })
            .collect();
        out.push_str(&grid(&["TERM ENDS", "IN DAYS", "CONTRACT", "RENEWAL", "OPT-OUT BY"], &rows));
    }
    out
}

fn grid(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            widths[i] = widths[i].max(c.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        let mut s = String::new();
        for (i, c) in cells.iter().enumerate() {
            if i + 1 == cells.len() {
                s.push_str(c);
            } else {
                s.push_str(c);
                s.push_str(&" ".repeat(widths[i] - c.chars().count() + 2));
            }
        }
        s.trim_end().to_string() + "\n"
    };
    let mut out = line(header.to_vec());
    for r in rows {
        out.push_str(&line(r.iter().map(String::as_str).collect()));
    }
    out
}

/// CSV: one row per contract, a header row; totals as `USD 100.00; EUR 5.00`.
pub fn csv(s: &Summary) -> Result<String, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["path", "status", "milestones", "deliverables", "payments", "payment_totals", "contract_price", "next_due_date", "next_due_kind", "next_due_name", "overdue", "overdue_items"])?;
    for c in &s.contracts {
        let next = c.next_due.as_ref();
        w.write_record([
            c.path.clone(),
            c.status.to_string(),
            c.milestones.to_string(),
            c.deliverables.to_string(),
            c.payments.to_string(),
            if c.payment_totals.is_empty() { String::new() } else { totals_text(&c.payment_totals) },
            c.contract_price.as_ref().map_or(String::new(), |t| format!("{} {}", t.currency, t.value)),
            next.map_or(String::new(), |i| i.date.to_string()),
            next.map_or(String::new(), |i| i.kind.to_string()),
            next.map_or(String::new(), |i| i.name.clone()),
            c.overdue.len().to_string(),
            c.overdue.iter().map(|i| format!("{} {}", i.date, i.name)).collect::<Vec<_>>().join("; "),
        ])?;
    }
    let bytes = w.into_inner().map_err(|e| csv::Error::from(e.into_error()))?;
    Ok(String::from_utf8(bytes).expect("CSV of UTF-8 strings is UTF-8"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalise::Money;

    fn rec(kind: Kind, name: &str, date: Option<&str>, amount: Option<(&str, &str)>) -> Record {
        Record { date: date.map(day), amount: amount.map(|(v, c)| Money { value: v.parse().unwrap(), currency: c.parse().unwrap() }), page: 2, rule: "r".into(), ..Record::new(kind, name) }
    }

    fn doc(path: &str, records: Vec<Record>) -> Document {
        Document::ok_with(path, records)
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// Ends 2027-02-01, renews by itself for a year, 90 days' notice.
    fn renewing(path: &str) -> Document {
        use crate::normalise::{Period, Renewal, Unit};
        let mut d = doc(path, Vec::new());
        d.expiration_date = Some(day("2027-02-01"));
        d.renewal = Some(Renewal { auto: true, period: Period { value: 1, unit: Unit::Years }, count: None });
        d.notice_period = Some(Period { value: 90, unit: Unit::Days });
        d
    }

    #[test]
    fn terms_ending_within_a_year_of_the_term_in_force() {
        let mut ends = doc("ends.pdf", Vec::new());
        ends.expiration_date = Some(day("2026-12-31"));
        let mut far = doc("far.pdf", Vec::new());
        far.expiration_date = Some(day("2030-01-01"));
        let s = summarise(&[renewing("auto.pdf"), ends, far], day("2026-10-20"));
        let got: Vec<(&str, NaiveDate, i64, RenewalKind, Option<NaiveDate>)> = s.terms_ending.iter().map(|t| (t.path.as_str(), t.term_end, t.days, t.renewal, t.opt_out_deadline)).collect();
        // 2027-02-01 less 90 days is 2026-11-03.
        assert_eq!(got, [("ends.pdf", day("2026-12-31"), 72, RenewalKind::Unstated, None), ("auto.pdf", day("2027-02-01"), 104, RenewalKind::Automatic, Some(day("2026-11-03")))]);
        assert!(table(&s).contains("renews for 1 year unless notice"));
        // After its deadline, the table says so.
        let s = summarise(&[renewing("auto.pdf")], day("2026-12-01"));
        assert!(table(&s).contains("2026-11-03 (passed)"), "{}", table(&s));
        // Two years on, after two renewals: the term in force ends 2029-02-01.
        let s = summarise(&[renewing("auto.pdf")], day("2028-10-20"));
        assert_eq!(s.terms_ending[0].term_end, day("2029-02-01"));
        assert_eq!(s.terms_ending[0].opt_out_deadline, Some(day("2028-11-03")));
    }

    #[test]
    fn months_write_as_year_and_month_and_undated_comes_last() {
        let (april, may) = (Month::of(day("2025-04-30")), Month::of(day("2025-05-01")));
        assert_eq!(april, Month::of(day("2025-04-01")));
        assert!(april < may && may < Month::Undated);
        assert_eq!(serde_json::to_string(&[april, Month::Undated]).unwrap(), r#"["2025-04","undated"]"#);
        assert_eq!(format!("{may:<8}|"), "2025-05 |");
    }

    #[test]
    fn one_contract_by_hand() {
        let d = doc(
            "a.pdf",
            vec![
                rec(Kind::Milestone, "Kick-off", Some("2025-01-10"), None),
                rec(Kind::Deliverable, "Design", Some("2025-03-01"), None),
                rec(Kind::Deliverable, "Manual", None, None),
                rec(Kind::Payment, "Deposit", Some("2025-01-10"), Some(("10000.00", "USD"))),
                rec(Kind::Payment, "Second", Some("2025-01-31"), Some(("2500.50", "USD"))),
                rec(Kind::Payment, "Final", None, Some(("7499.50", "USD"))),
                rec(Kind::Payment, "Licence", Some("2025-04-01"), Some(("1000.00", "EUR"))),
            ],
        );
        let c = contract(&d, day("2025-02-01"));
        assert_eq!((c.milestones, c.deliverables, c.payments), (1, 2, 4));
        let totals: Vec<String> = c.payment_totals.iter().map(|t| format!("{} {}", t.currency, t.value)).collect();
        assert_eq!(totals, ["EUR 1000.00", "USD 20000.00"]);
        let months: Vec<String> = c.by_month.iter().map(|m| format!("{} {} {} {}", m.month, m.currency, m.value, m.payments)).collect();
        assert_eq!(months, ["2025-01 USD 12500.50 2", "2025-04 EUR 1000.00 1", "undated USD 7499.50 1"]);
        // Next due on or after Feb 1: Design (Mar 1), 28 days on.
        let next = c.next_due.unwrap();
        assert_eq!((next.name.as_str(), next.date, next.days), ("Design", day("2025-03-01"), 28));
        // Overdue: Kick-off only (payments are cash flow, not overdue items).
        assert_eq!(c.overdue.len(), 1);
        assert_eq!((c.overdue[0].name.as_str(), c.overdue[0].days), ("Kick-off", -22));
    }

    #[test]
    fn portfolio_totals_and_formats() {
        let a = doc("a.pdf", vec![rec(Kind::Payment, "One", Some("2025-05-05"), Some(("100.00", "USD")))]);
        let b = doc("b, inc.pdf", vec![rec(Kind::Payment, "Two", Some("2025-05-20"), Some(("50.25", "USD"))), rec(Kind::Milestone, "Go-live", Some("2025-04-30"), None)]);
        let mut bad = Document::failed("c.pdf".into(), String::new(), Status::Encrypted, "password");
        bad.pages = None;
        let s = summarise(&[a, b, bad], day("2025-05-01"));
        assert_eq!((s.documents, s.not_ok, s.overdue), (3, 1, 1));
        assert_eq!(s.payment_totals, [Total { currency: Currency::USD, value: Cents(15_025) }]);
        assert_eq!(s.by_month.len(), 1);
        assert_eq!((s.by_month[0].value, s.by_month[0].payments), (Cents(15_025), 2));
        let t = table(&s);
        assert!(t.contains("Portfolio as of 2025-05-01: 3 contracts"), "{t}");
        assert!(t.lines().any(|l| l.starts_with("TOTAL") && l.contains("USD 150.25")), "{t}");
        assert!(t.contains("2025-05  USD       150.25  2"), "{t}");
        let text = csv(&s).unwrap();
        let mut r = csv::Reader::from_reader(text.as_bytes());
        let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
        assert_eq!(rows.len(), 3);
        assert_eq!(&rows[1][0], "b, inc.pdf");
        assert_eq!(&rows[1][5], "USD 50.25");
        assert_eq!(&rows[1][7], "2025-05-20");
        assert_eq!(&rows[1][10], "1");
        assert_eq!(&rows[2][1], "encrypted");
    }
}
