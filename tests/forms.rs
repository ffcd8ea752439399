//! Text a reader sees that an extractor can miss (fixtures/forms, built by
//! fixtures/forms/make.py): filled form fields and text-box annotations are
//! read at their place on the page, marked as such in `explain`, and what a
//! reader does not see (password fields, check-box states, hidden
//! annotations) is not read; a page in the clear is read although the
//! file's password guards its attachment, and streams and fonts written
//! loosely (an indirect `/Filter`, a font name with spaces) are read.

mod common;

use common::{bin, fixtures, Run};
use serde_json::Value;

fn extract(file: &str) -> Value {
    extract_with(file, &[])
}

fn extract_with(file: &str, args: &[&str]) -> Value {
    let r = Run::of(bin().args(["extract", "-q", "--format", "json"]).args(args).arg(fixtures().join("forms").join(file)).output().expect("run"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let docs: Value = serde_json::from_str(&r.stdout).expect("json");
    docs["documents"][0].clone()
}

fn explain(file: &str) -> String {
    let r = Run::of(bin().arg("explain").arg(fixtures().join("forms").join(file)).output().expect("run"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.stdout
}

#[test]
fn a_filled_date_field_completes_its_printed_sentence() {
    let doc = extract("filled-form.pdf");
    assert_eq!(doc["status"], "ok");
    // Printed "This Agreement is effective as of", the field holds "July 1, 2025" (UTF-16).
    assert_eq!(doc["effective_date"], "2025-07-01");
    let text = explain("filled-form.pdf");
    assert!(text.contains("[p1 sentence, from form field] This Agreement is effective as of July 1, 2025"), "{text}");
    assert!(text.contains("[p1 heading] CONSULTING SERVICES AGREEMENT"), "page text is not marked: {text}");
}

#[test]
fn what_a_reader_does_not_see_is_not_read() {
    let text = explain("filled-form.pdf");
    assert!(text.contains("Access code:") && text.contains("Renewal wanted:"), "the printed labels are read: {text}");
    for hidden in ["hunter2", "Yes", "Draft note"] {
        assert!(!text.contains(hidden), "{hidden:?} was read: {text}");
    }
}

#[test]
fn a_page_whose_only_text_is_a_text_box_is_read() {
    let doc = extract("freetext.pdf");
    assert_eq!(doc["status"], "ok", "not no_text: the text box has words");
    // "The Consultant shall deliver the final survey report no later than March 15, 2027."
    let records = doc["records"].as_array().expect("records");
    assert_eq!(records.len(), 1, "{records:?}");
    assert_eq!(records[0]["kind"], "deliverable");
    assert_eq!(records[0]["name"], "final survey report");
    assert_eq!(records[0]["date"], "2027-03-15");
    let text = explain("freetext.pdf");
    // Two lines in the box, one sentence.
    assert!(text.contains("[p1 sentence, from annotation] The Consultant shall deliver the final survey report no later than March 15, 2027."), "{text}");
}

#[test]
fn a_password_that_guards_only_attachments_does_not_hide_the_pages() {
    for engine in ["pdf_oxide", "pdf-extract"] {
        let doc = extract_with("attachments-encrypted.pdf", &["--engine", engine, "--no-fallback"]);
        assert_eq!(doc["status"], "ok", "{engine}: {doc}");
        assert_eq!(doc["engine"], engine);
    }
    // "The Supplier shall deliver the commissioning report by June 30, 2027."
    // (pdf-extract spaces the unembedded Helvetica too tightly to keep "shall".)
    let records = extract("attachments-encrypted.pdf")["records"].as_array().expect("records").clone();
    assert_eq!(records.len(), 1, "{records:?}");
    assert_eq!(records[0]["kind"], "deliverable");
    assert_eq!(records[0]["date"], "2027-06-30");
    // A file whose pages need the password still says so, and what to do,
    // whichever engine reads it.
    for engine in ["pdf_oxide", "pdf-extract"] {
        let locked = Run::of(bin().args(["extract", "-q", "--format", "json", "--no-fallback", "--engine", engine]).arg(fixtures().join("bad/encrypted-user-pw.pdf")).output().expect("run"));
        let locked: Value = serde_json::from_str(&locked.stdout).expect("json");
        let doc = &locked["documents"][0];
        assert_eq!(doc["status"], "encrypted", "{engine}: {doc}");
        assert!(doc["error"].as_str().is_some_and(|e| e.contains("--password")), "{engine}: {doc}");
    }
}

#[test]
fn streams_and_fonts_written_loosely_are_read() {
    // A stream whose /Filter is an indirect reference; a font name with
    // unescaped spaces. Both engines read nothing from either before.
    for (file, name, date) in [("indirect-filter.pdf", "site safety plan", "2027-05-04"), ("spaced-font-name.pdf", "training manual", "2027-08-09")] {
        let doc = extract(file);
        assert_eq!(doc["status"], "ok", "{file}: {doc}");
        let records = doc["records"].as_array().expect("records");
        assert_eq!(records.len(), 1, "{file}: {records:?}");
        assert_eq!(records[0]["name"], name, "{file}");
        assert_eq!(records[0]["date"], date, "{file}");
    }
}
