//! Matching and diffing, against values worked out by hand.

use super::*;
use crate::normalise::Currency;
use crate::output::read_documents;

fn rec(kind: Kind, name: &str, date: Option<&str>, text: &str) -> Record {
    Record { date: date.map(|d| d.parse().unwrap()), text: text.into(), rule: "t".into(), ..Record::new(kind, name) }
}

fn pay(name: &str, value: &str, text: &str) -> Record {
    Record { amount: Some(Money { value: value.parse().unwrap(), currency: Currency::USD }), ..rec(Kind::Payment, name, None, text) }
}

fn doc(path: &str, sha: &str, records: Vec<Record>) -> Document {
    Document { sha256: sha.into(), ..Document::ok_with(path, records) }
}

fn one(old: Vec<Record>, new: Vec<Record>, tolerance: u32) -> DocumentDiff {
    let d = diff(&[doc("a.pdf", "1", old)], &[doc("a.pdf", "1", new)], &Options { tolerance_days: tolerance });
    d.documents.into_iter().next().expect("a changed document")
}

#[test]
fn names_match_across_case_and_punctuation_and_shared_words() {
    let o = rec(Kind::Milestone, "Go-Live", Some("2026-06-01"), "x");
    let n = rec(Kind::Milestone, "go live", Some("2026-06-01"), "y");
    assert_eq!(candidate(&o, &n).map(|c| c.0), Some(MatchedBy::Name));
    // {user, acceptance, testing} and {acceptance, testing}: 2 shared of 3.
    let o = rec(Kind::Milestone, "User acceptance testing", None, "x");
    let n = rec(Kind::Milestone, "Acceptance testing", None, "y");
    let (by, score, _) = candidate(&o, &n).unwrap();
    assert_eq!(by, MatchedBy::SimilarName);
    assert!((score - 2.0 / 3.0).abs() < 1e-9);
    // "the ... date" are stop words: {kick, off} against {kick, off, meeting}.
    let n = rec(Kind::Milestone, "Kick-off meeting", None, "y");
    assert_eq!(candidate(&rec(Kind::Milestone, "the Kick-off Date", None, "x"), &n).map(|c| c.0), Some(MatchedBy::SimilarName));
    // Half the words shared is not enough: two different payments.
    let o = rec(Kind::Payment, "Payment upon completion of demolition", None, "1 | Payment upon completion of demolition | 20% | $63,750.00");
    let n = rec(Kind::Payment, "Payment upon completion of framing", None, "3 | Payment upon completion of framing | 15% | $47,812.50");
    assert_eq!(jaccard(&content_words(&o.name), &content_words(&n.name)), 0.5);
    assert!(candidate(&o, &n).is_none(), "{:?}", candidate(&o, &n).map(|c| c.2));
    // Nothing alike: no candidate.
    assert!(candidate(&rec(Kind::Milestone, "Training", None, "Training by May 1."), &rec(Kind::Milestone, "Go-Live", None, "Go-Live on June 9.")).is_none());
}

#[test]
fn a_renamed_record_is_matched_by_its_evidence_and_shown_renamed() {
    let text = "Data migration complete | May 15, 2026";
    let d = one(vec![rec(Kind::Milestone, "Data migration", Some("2026-05-15"), text)], vec![rec(Kind::Milestone, "Migration of legacy records", Some("2026-05-15"), text)], 0);
    assert_eq!(d.records.len(), 1);
    let r = &d.records[0];
    assert_eq!((r.change, r.matched_by, r.regression), (RecordChange::Changed, Some(MatchedBy::Evidence), false));
    assert_eq!(r.changes, vec![FieldChange { field: "name", old: Some("Data migration".into()), new: Some("Migration of legacy records".into()), days: None, regression: false }]);
    assert_eq!(d.summary, "one milestone renamed");
    assert_eq!(d.regressions, 0);
}

#[test]
fn same_names_pair_by_evidence_then_by_order() {
    // Two payments named alike: each pairs with the one whose row it is,
    // whatever the order in the new run.
    let old = [pay("Installment", "100.00", "Installment 1 | March 1 | $100"), pay("Installment", "200.00", "Installment 2 | April 1 | $200")];
    let new = [pay("Installment", "200.00", "Installment 2 | April 1 | $200"), pay("Installment", "100.00", "Installment 1 | March 1 | $100")];
    let o: Vec<&Record> = old.iter().collect();
    let n: Vec<&Record> = new.iter().collect();
    let mut pairs = match_records(&o, &n);
    pairs.sort();
    assert_eq!(pairs, vec![(0, 1, MatchedBy::Name), (1, 0, MatchedBy::Name)]);
    // Identical records: the nearer place wins, then the earlier one.
    let same = [pay("Fee", "1.00", "Fee $1"), pay("Fee", "1.00", "Fee $1")];
    let s: Vec<&Record> = same.iter().collect();
    let mut pairs = match_records(&s, &s);
    pairs.sort();
    assert_eq!(pairs, vec![(0, 0, MatchedBy::Name), (1, 1, MatchedBy::Name)]);
}

#[test]
fn kinds_never_match_each_other() {
    let d = one(vec![rec(Kind::Milestone, "Go-Live", Some("2026-06-01"), "Go-Live June 1")], vec![rec(Kind::Deliverable, "Go-Live", Some("2026-06-01"), "Go-Live June 1")], 0);
    let changes: Vec<RecordChange> = d.records.iter().map(|r| r.change).collect();
    assert_eq!(changes, vec![RecordChange::Added, RecordChange::Removed]);
    assert_eq!(d.summary, "one deliverable added; one milestone removed");
}

#[test]
fn tolerance_decides_whether_a_later_date_regresses() {
    // 2026-06-01 → 2026-07-16: 29 days left in June + 16 in July = 45 days.
    let old = vec![rec(Kind::Milestone, "Go-Live", Some("2026-06-01"), "Go-Live on June 1, 2026")];
    let new = vec![rec(Kind::Milestone, "Go-Live", Some("2026-07-16"), "Go-Live on July 16, 2026")];
    for (tolerance, regression) in [(0, true), (44, true), (45, false), (60, false)] {
        let d = one(old.clone(), new.clone(), tolerance);
        assert_eq!(d.records[0].changes[0].days, Some(45));
        assert_eq!(d.records[0].regression, regression, "tolerance {tolerance}");
        assert_eq!(d.summary, "Go-Live moved 45 days later");
    }
    // Earlier is never a regression.
    let d = one(new, old, 0);
    assert_eq!((d.records[0].changes[0].days, d.records[0].regression), (Some(-45), false));
    assert_eq!(d.summary, "Go-Live moved 45 days earlier");
}

#[test]
fn lost_dates_lost_amounts_and_removed_dated_records_regress() {
    let old = vec![rec(Kind::Milestone, "Go-Live", Some("2026-06-01"), "a"), rec(Kind::Milestone, "Launch party", None, "b"), rec(Kind::Deliverable, "Manual", Some("2026-05-01"), "c")];
    let new = vec![rec(Kind::Milestone, "Go-Live", None, "a")];
    let d = one(old, new, 0);
    let got: Vec<(RecordChange, &str, bool)> = d.records.iter().map(|r| (r.change, r.name(), r.regression)).collect();
    // The undated "Launch party" is gone without regressing; the dated manual regresses.
    assert_eq!(got, vec![(RecordChange::Changed, "Go-Live", true), (RecordChange::Removed, "Launch party", false), (RecordChange::Removed, "Manual", true)]);
    assert_eq!(d.regressions, 2);
    assert_eq!(d.summary, "Go-Live lost its date; one milestone removed; one deliverable removed");
    // An amount that appears is news; one that changes or goes is a regression.
    let d = one(vec![rec(Kind::Payment, "Fee", None, "Fee")], vec![pay("Fee", "5.00", "Fee")], 0);
    assert!(!d.records[0].regression);
    // Amounts are numbers: one value has one text ("5.0" is not read at
    // all, see normalise::money), and the same amount is no change.
    let same = diff(&[doc("a.pdf", "1", vec![pay("Fee", "5.00", "Fee")])], &[doc("a.pdf", "1", vec![pay("Fee", "5.00", "Fee")])], &Options::default());
    assert_eq!((same.counts.unchanged, same.documents.len()), (1, 0));
    let d = one(vec![pay("Fee", "5.00", "Fee")], vec![pay("Fee", "6.00", "Fee")], 0);
    assert!(d.records[0].regression);
    assert_eq!(d.summary, "Fee amount USD 5.00 → USD 6.00");
}

/// `fixtures/diff/old.json` against `fixtures/diff/new.jsonl`: every value
/// below was worked out by hand from the two files (see fixtures/README.md).
#[test]
fn the_hand_worked_run_pair() {
    let old = read_documents(include_str!("../../fixtures/diff/old.json")).unwrap();
    let new = read_documents(include_str!("../../fixtures/diff/new.jsonl")).unwrap();
    let d = diff(&old, &new, &Options::default());
    assert_eq!(d.counts, Counts { old: 4, new: 4, added: 1, removed: 1, changed: 2, unchanged: 1, regressions: 4 });
    assert!(d.regressed);
    let docs: Vec<(&str, DocChange, usize)> = d.documents.iter().map(|x| (x.path.as_str(), x.change, x.regressions)).collect();
    assert_eq!(docs, vec![("alpha.pdf", DocChange::Changed, 3), ("beta.pdf", DocChange::Changed, 1), ("delta.pdf", DocChange::Removed, 0), ("epsilon.pdf", DocChange::Added, 0)]);

    let alpha = &d.documents[0];
    assert!(alpha.content_changed);
    assert_eq!(alpha.unchanged_records, 2, "Kick-off meeting and Signing fee");
    // Expiration 2027-02-28 → 2027-06-30: 31 + 30 + 31 + 30 = 122 days.
    assert_eq!(alpha.fields, vec![FieldChange { field: "expiration_date", old: Some("2027-02-28".into()), new: Some("2027-06-30".into()), days: Some(122), regression: false }]);
    let rows: Vec<(RecordChange, Kind, &str, Option<MatchedBy>, bool)> = alpha.records.iter().map(|r| (r.change, r.kind, r.name(), r.matched_by, r.regression)).collect();
    assert_eq!(
        rows,
        vec![
            (RecordChange::Changed, Kind::Milestone, "Go-Live", Some(MatchedBy::Name), true),
            (RecordChange::Changed, Kind::Milestone, "Migration of legacy records", Some(MatchedBy::Evidence), false),
            (RecordChange::Changed, Kind::Deliverable, "Final report", Some(MatchedBy::Name), false),
            (RecordChange::Changed, Kind::Payment, "Acceptance payment", Some(MatchedBy::Name), true),
            (RecordChange::Added, Kind::Payment, "Hypercare fee", None, false),
            (RecordChange::Removed, Kind::Deliverable, "Training plan", None, true),
        ]
    );
    // Go-Live 2026-06-01 → 2026-07-16 = 45 days; Final report 09-30 → 09-25 = −5.
    assert_eq!(alpha.records[0].changes[0].days, Some(45));
    assert_eq!(alpha.records[2].changes[0].days, Some(-5));
    assert_eq!(alpha.records[3].changes, vec![FieldChange { field: "amount", old: Some("USD 50,000.00".into()), new: Some("USD 55,000.00".into()), days: None, regression: true }]);
    assert_eq!(
        alpha.summary,
        "Go-Live moved 45 days later; Final report moved 5 days earlier; Acceptance payment amount USD 50,000.00 → USD 55,000.00; one milestone renamed; one payment added; one deliverable removed; expiration date moved 122 days later"
    );

    let beta = &d.documents[1];
    assert_eq!((beta.old_status, beta.new_status), (Some(Status::Ok), Some(Status::Unreadable)));
    assert!(beta.records.is_empty(), "a document that stopped reading has unknown records, not removed ones");
    assert_eq!(beta.summary, "stopped parsing: now `unreadable`");
    assert_eq!(d.documents[2].summary, "removed (had one record)");
    assert_eq!(d.documents[3].summary, "new contract: one milestone, one payment");

    // With a tolerance of 45 days the Go-Live move is within it.
    let d = diff(&old, &new, &Options { tolerance_days: 45 });
    assert_eq!(d.counts.regressions, 3);
    // A run against itself: nothing changed, nothing regressed.
    let same = diff(&new, &new, &Options::default());
    assert_eq!((same.counts.unchanged, same.documents.len(), same.regressed), (4, 0, false));
}

#[test]
fn a_document_that_stops_reading_shows_its_status_not_null_fields() {
    let mut o = doc("a.pdf", "1", vec![rec(Kind::Milestone, "Go-Live", Some("2026-06-01"), "a")]);
    o.effective_date = "2026-01-05".parse().ok();
    let n = Document::failed("a.pdf".into(), "2".into(), Status::Timeout, "over 60 s");
    let d = diff(std::slice::from_ref(&o), std::slice::from_ref(&n), &Options::default());
    let fields: Vec<&str> = d.documents[0].fields.iter().map(|f| f.field).collect();
    assert_eq!((fields, d.documents[0].records.len(), d.counts.regressions), (vec!["status"], 0, 1));
    // Back again: its records are added, nothing regressed.
    let d = diff(&[n], &[o], &Options::default());
    assert_eq!((d.documents[0].summary.as_str(), d.regressed), ("parses again (was `timeout`); one milestone added", false));
}

#[test]
fn renderings_say_the_same_thing() {
    let old = read_documents(include_str!("../../fixtures/diff/old.json")).unwrap();
    let new = read_documents(include_str!("../../fixtures/diff/new.jsonl")).unwrap();
    let d = diff(&old, &new, &Options::default());
    let t = render::table(&d);
    assert!(t.starts_with("contract-milestones diff: 2 documents changed, 1 added, 1 removed, 1 unchanged; 4 regressions (tolerance 0 days)\n"), "{t}");
    assert!(t.contains("  ! milestone    \"Go-Live\" p.1: date 2026-06-01 → 2026-07-16 (45 days later) [matched by name]\n"), "{t}");
    assert!(t.contains("  ~ milestone    \"Migration of legacy records\" p.1: renamed from \"Data migration\" [matched by evidence]\n"), "{t}");
    let m = render::markdown(&d);
    assert!(m.contains("| ❌ | `alpha.pdf` | Go-Live moved 45 days later;"), "{m}");
    assert!(m.contains("| ❌ | payment | Acceptance payment | amount USD 50,000.00 → USD 55,000.00 | name | 2 |\n"), "{m}");
    let g = render::github_commands(&d, |x| format!("contracts/{}", x.path));
    assert!(
        g.contains(
            "::error file=contracts/alpha.pdf,line=1,title=contract-milestones diff record-changed::page 1: milestone \"Go-Live\": date 2026-06-01 → 2026-07-16 (45 days later) [matched by name]\n"
        ),
        "{g}"
    );
    assert!(g.contains("::error file=contracts/beta.pdf,line=1,title=contract-milestones diff status-changed::status ok → unreadable: the file ends inside its objects (truncated)\n"), "{g}");
    assert!(g.contains("::warning file=contracts/epsilon.pdf,line=1,title=contract-milestones diff document-added::new contract: one milestone, one payment\n"), "{g}");
    // One command per change: alpha 1 field + 6 records, beta 1, delta 1, epsilon 1.
    assert_eq!(g.lines().count(), 10, "{g}");
    assert_eq!(g.lines().filter(|l| l.starts_with("::error")).count(), 4, "{g}");
}
