use super::*;
use crate::record::{FieldEvidence, Kind};

fn rec(kind: Kind, name: &str, date: Option<&str>, amount: Option<(&str, &str)>, text: &str) -> Record {
    Record {
        date: date.map(day),
        amount: amount.map(|(v, c)| Money { value: v.parse().unwrap(), currency: c.parse().unwrap() }),
        page: 3,
        text: text.into(),
        rule: "test".into(),
        ..Record::new(kind, name)
    }
}

fn doc(path: &str, records: Vec<Record>) -> Document {
    Document::ok_with(path, records)
}

fn portfolio() -> Vec<Document> {
    vec![
        doc(
            "alpha/sow.pdf",
            vec![
                rec(Kind::Milestone, "Kick-off", Some("2026-03-16"), None, "Kick-off on March 16, 2026."),
                rec(Kind::Deliverable, "Design", Some("2026-06-10"), None, "Design due June 10."),
                rec(Kind::Payment, "First", Some("2026-04-15"), Some(("1000.00", "USD")), "USD 1,000 on April 15."),
                rec(Kind::Payment, "Second", Some("2026-04-30"), Some(("2500.50", "USD")), "USD 2,500.50 on April 30."),
                rec(Kind::Payment, "Final", None, Some(("300.00", "USD")), "USD 300 upon acceptance."),
            ],
        ),
        doc("beta/lease.pdf", vec![rec(Kind::Payment, "Rent", Some("2026-05-01"), Some(("700.00", "EUR")), "Rent of EUR 700.")]),
        Document::failed("gamma/scan.pdf".into(), String::new(), Status::NoText, "no text layer"),
    ]
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn count(h: &str, needle: &str) -> usize {
    h.matches(needle).count()
}

#[test]
fn counts_lanes_marks_rows() {
    let docs = portfolio();
    let c = counts(&docs);
    assert_eq!(c, Counts { lanes: 2, marks: 5, rows: 6, failed: 1 });
    let h = render(&docs, day("2026-04-01"));
    assert_eq!(count(&h, "<g class=\"lane\""), 2);
    assert_eq!(count(&h, "<g class=\"mark "), 5);
    assert_eq!(count(&h, "<tr class=\"rec"), 6);
    assert_eq!(count(&h, "<tr class=\"fail\""), 1);
    // Kick-off (2026-03-16) is the only overdue item; the past payment is not overdue.
    assert_eq!(count(&h, "<g class=\"mark k-milestone overdue\""), 1);
    assert_eq!(count(&h, "<tr class=\"rec overdue\""), 1);
    assert!(h.contains("data-lanes=\"2\" data-marks=\"5\" data-rows=\"6\" data-failed=\"1\""));
}

#[test]
fn cash_flow_by_month_and_undated() {
    let h = render(&portfolio(), day("2026-04-01"));
    // April: 1,000.00 + 2,500.50; the undated 300.00 beside the chart.
    assert!(h.contains("aria-label=\"2026-04: USD 3,500.50, 2 payments\""), "{h}");
    assert!(h.contains("<strong>Undated:</strong> 1 payment, USD 300.00"));
    assert!(h.contains("total USD 3,800.50"));
    assert!(h.contains("aria-label=\"2026-05: EUR 700.00, 1 payment\""));
    // Two charts, one per currency; never one sum over both.
    assert_eq!(count(&h, "<svg class=\"bars\""), 2);
    // The as-of day (2026-04-01) falls in the USD chart's months, not in the EUR one's (May only).
    let cash = &h[h.find("id=\"cash-flow\"").unwrap()..h.find("id=\"next\"").unwrap()];
    assert_eq!(count(cash, "<line class=\"today\""), 1);
}

#[test]
fn next_days_and_failed() {
    let h = render(&portfolio(), day("2026-04-01"));
    let next = &h[h.find("id=\"next\"").unwrap()..h.find("id=\"attention\"").unwrap()];
    // Within 90 days of 2026-04-01: First, Second, Rent, Design (2026-06-10 is day 70).
    assert_eq!(count(next, "<li data-kind="), 4);
    let failed = &h[h.find("id=\"failed\"").unwrap()..];
    assert!(failed.contains("gamma/scan.pdf") && failed.contains("no_text") && failed.contains("no text layer"));
}

#[test]
fn text_from_documents_is_escaped() {
    let evil = "<script>alert(1)</script>\" onmouseover=\"x' &amp;";
    // A currency is three capital letters (normalise::Currency): no markup can ride in it.
    let mut d = doc(evil, vec![rec(Kind::Milestone, evil, Some("2026-05-01"), Some(("1.00", "USD")), evil)]);
    d.parties = vec![evil.into()];
    d.evidence.insert("effective_date".into(), FieldEvidence { page: 1, text: evil.into(), rule: "r".into(), reason: Some(evil.into()) });
    let h = render(&[d], day("2026-04-01"));
    assert!(!h.contains("<script>alert"), "unescaped text");
    assert!(!h.contains("\" onmouseover"), "attribute broken out of");
    assert!(h.contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot; onmouseover=&quot;x&#39; &amp;amp;"));
    // The page's own script is the only one.
    assert_eq!(count(&h, "<script>"), 1);
}

#[test]
fn same_input_same_bytes() {
    let a = render(&portfolio(), day("2026-04-01"));
    let b = render(&portfolio(), day("2026-04-01"));
    assert_eq!(a, b);
    assert_ne!(a, render(&portfolio(), day("2026-04-02")));
}

#[test]
fn readable_without_script() {
    let h = render(&portfolio(), day("2026-04-01"));
    // Only the filter form (inert without the script) starts hidden; no content is hidden or built by the script.
    assert_eq!(count(&h, " hidden"), 2, "the form and the tooltip only");
    assert!(h.contains("<form id=\"filters\" class=\"filters\" hidden"));
    assert!(h.contains("<div id=\"tip\" role=\"tooltip\" hidden>"));
    let markup = &h[h.find("<body").unwrap()..h.find("<script>").unwrap()];
    assert!(!markup.contains("style=") && !markup.contains("is-hidden"), "nothing starts hidden by class or style");
    // Marks carry their text for screen readers and for a hover without script.
    assert!(h.contains("<title>Overdue milestone: Kick-off, 2026-03-16, page 3, alpha/sow.pdf</title>"));
    // The evidence sentence is in the table.
    assert!(h.contains("<td class=\"evidence\">Design due June 10.</td>"));
    // No network: nothing is loaded from elsewhere.
    assert!(!h.contains("src=\"http") && !h.contains("href=\"http") && !h.contains("@import"));
    assert!(h.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
}

#[test]
fn empty_portfolio() {
    let h = render(&[], day("2026-04-01"));
    assert!(h.contains("No contract was read"));
    assert!(h.contains("No payment with an amount was found."));
    assert_eq!(counts(&[]), Counts { lanes: 0, marks: 0, rows: 0, failed: 0 });
}

#[test]
fn amounts_grouped() {
    assert_eq!(money("92500.00 USD".parse().unwrap()), "USD 92,500.00");
    assert_eq!(money("-1234567.50 EUR".parse().unwrap()), "EUR -1,234,567.50");
    assert_eq!(money("12.00 GBP".parse().unwrap()), "GBP 12.00");
    assert_eq!(percent(12.5), "12.5%");
    assert_eq!(percent(10.0), "10%");
}
