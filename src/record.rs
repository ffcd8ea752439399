//! The output contract: document objects and milestone records as
//! `docs/conventions.md` defines them. Fields beyond the contract are additions only.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::normalise::{term_as_of, Calendar, Money, Period, Relative, Renewal, TermAsOf};

/// Version string written in the `schema` field of JSON output.
pub const SCHEMA: &str = "contract-milestones/1";

named_enum! {
    /// What happened to one input file.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub enum Status {
        /// Text was extracted and the rules ran.
        Ok = "ok",
        /// No text layer (an image-only scan).
        NoText = "no_text",
        /// A password is needed and was not given (or was wrong).
        Encrypted = "encrypted",
        /// Corrupt, truncated, empty, or not a PDF at all; or the file could not be read.
        Unreadable = "unreadable",
        /// The per-document time limit ran out.
        Timeout = "timeout",
        /// Over `--max-file-size` or `--max-pages`.
        TooLarge = "too_large",
    }
}

named_enum! {
    /// Kind of a milestone record.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub enum Kind {
        /// A dated checkpoint or phase completion.
        Milestone = "milestone",
        /// A thing to be handed over.
        Deliverable = "deliverable",
        /// An amount or share of the price that becomes payable.
        Payment = "payment",
    }
}

impl Kind {
    /// A milestone or a deliverable: something to be done by a date, which
    /// can be overdue (a payment's date says when it becomes payable).
    pub fn is_schedule(self) -> bool {
        matches!(self, Kind::Milestone | Kind::Deliverable)
    }
}

/// One milestone, deliverable or payment found in a document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// milestone, deliverable or payment.
    pub kind: Kind,
    /// A short label taken from the text.
    pub name: String,
    /// The due date, as written or resolved (`YYYY-MM-DD` in JSON).
    pub date: Option<NaiveDate>,
    /// The date relative to an event, when the text states it that way.
    pub relative: Option<Relative>,
    /// Amount payable.
    pub amount: Option<Money>,
    /// Share of the contract price (25 for 25%).
    pub percent: Option<f64>,
    /// The event a payment is due upon.
    pub trigger: Option<String>,
    /// 1-based page of the evidence.
    pub page: u32,
    /// The sentence or table row the record was taken from.
    pub text: String,
    /// Id of the rule that produced it.
    pub rule: String,
    /// For a payment: the milestone or deliverable it is tied to, when named.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub milestone: Option<String>,
    /// True when the date was written with day and month both <= 12 and the
    /// order was decided from document evidence.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub date_ambiguous: bool,
}

impl Record {
    /// A record of this kind and name on page 1, with no date, amount,
    /// evidence or rule yet; fill in the rest with struct update syntax.
    pub fn new(kind: Kind, name: impl Into<String>) -> Self {
        Record {
            kind,
            name: name.into(),
            date: None,
            relative: None,
            amount: None,
            percent: None,
            trigger: None,
            page: 1,
            text: String::new(),
            rule: String::new(),
            milestone: None,
            date_ambiguous: false,
        }
    }
}

/// One input file's result: always exactly one per file, whatever happened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// Path relative to the folder it was found under (or as given).
    pub path: String,
    /// Hex SHA-256 of the file's bytes (empty when the file could not be read).
    pub sha256: String,
    /// What happened.
    pub status: Status,
    /// Why, whenever status is not ok.
    pub error: Option<String>,
    /// The technical detail behind `error` when the sentence leaves it out
    /// (a PDF library's own message, a panic's text): for bug reports;
    /// `--verbose` writes it to standard error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_detail: Option<String>,
    /// Page count when known.
    pub pages: Option<u32>,
    /// The contract's effective (or execution) date.
    pub effective_date: Option<NaiveDate>,
    /// End of the initial term.
    pub expiration_date: Option<NaiveDate>,
    /// Parties named in the preamble, when found.
    #[serde(default)]
    pub parties: Vec<String>,
    /// Which text engine produced the text (`pdf_oxide`, `pdf-extract`), when any did.
    #[serde(default)]
    pub engine: Option<String>,
    /// 1-based pages that have no text layer (scanned pages) in an otherwise readable document.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pages_without_text: Vec<u32>,
    /// The total contract price, when the contract states one (rules of kind `contract_price`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contract_price: Option<Money>,
    /// 1-based pages whose text came from OCR (`--ocr`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ocr_pages: Vec<u32>,
    /// What is wrong with a file that was read all the same (a missing
    /// `%%EOF` marker, repaired from the trailer), one sentence each.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// How the contract renews at the end of its term: `{"auto", "value",
    /// "unit", "count"}`, or null.
    #[serde(default)]
    pub renewal: Option<Renewal>,
    /// The notice needed to stop a renewal, `{"value", "unit"}`, or null.
    #[serde(default)]
    pub notice_period: Option<Period>,
    /// The last day to give that notice for the initial term
    /// (expiration − notice; automatic renewals only).
    #[serde(default)]
    pub opt_out_deadline: Option<NaiveDate>,
    /// With `--as-of DATE`: the term in force on that date, after the
    /// automatic renewals that have happened by then.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub term_as_of: Option<TermAsOf>,
    /// Where each document field was read (page, text, rule), or why it is
    /// null (`reason`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub evidence: BTreeMap<String, FieldEvidence>,
    /// The records, in document order.
    pub records: Vec<Record>,
}

/// Where a document field was read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldEvidence {
    /// 1-based page.
    pub page: u32,
    /// The sentence it was read from.
    pub text: String,
    /// The rule that read it.
    pub rule: String,
    /// Why the field is null, when the rule stands for no value ("the term
    /// ends on an event").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl Document {
    /// The term in force on `as_of` (after the automatic renewals past by
    /// then) and its opt-out deadline; `None` without an expiration date.
    pub fn term_in_force(&self, as_of: NaiveDate, cal: &Calendar) -> Option<TermAsOf> {
        Some(term_as_of(self.expiration_date?, self.renewal, self.notice_period, as_of, cal))
    }

    /// An `ok` document with these records and nothing else (for the
    /// consumers' tests and for callers that build records themselves).
    pub fn ok_with(path: impl Into<String>, records: Vec<Record>) -> Self {
        Document { error: None, records, ..Document::failed(path.into(), String::new(), Status::Ok, "") }
    }

    /// A failed document: status, reason, nothing else.
    pub fn failed(path: String, sha256: String, status: Status, error: impl Into<String>) -> Self {
        Document {
            path,
            sha256,
            status,
            error: Some(error.into()),
            error_detail: None,
            pages: None,
            effective_date: None,
            expiration_date: None,
            parties: Vec::new(),
            engine: None,
            pages_without_text: Vec::new(),
            contract_price: None,
            ocr_pages: Vec::new(),
            warnings: Vec::new(),
            renewal: None,
            notice_period: None,
            opt_out_deadline: None,
            term_as_of: None,
            evidence: BTreeMap::new(),
            records: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_one_table_for_serde_display_and_parsing() {
        for &s in Status::ALL {
            let json = serde_json::to_string(&s).unwrap();
            assert_eq!(json, format!("\"{s}\""));
            assert_eq!(serde_json::from_str::<Status>(&json).unwrap(), s);
            assert_eq!(Status::from_name(s.as_str()), Some(s));
        }
        assert_eq!(Kind::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>(), ["milestone", "deliverable", "payment"]);
        assert_eq!(Kind::from_name("Milestone"), None);
        let e = serde_json::from_str::<Kind>("\"Milestone\"").unwrap_err().to_string();
        assert!(e.contains("unknown variant `Milestone`, expected one of `milestone`, `deliverable`, `payment`"), "{e}");
        // A width pads the name, as it pads a &str.
        assert_eq!(format!("{:>9}|{:<3}|", Kind::Payment, Status::Ok), "  payment|ok |");
    }

    #[test]
    fn dates_are_yyyy_mm_dd_in_json_both_ways() {
        let day = NaiveDate::from_ymd_opt(2026, 5, 1);
        let mut doc = Document::ok_with("a.pdf", vec![Record { date: day, ..Record::new(Kind::Milestone, "Go-Live") }, Record::new(Kind::Deliverable, "Manual")]);
        doc.effective_date = NaiveDate::from_ymd_opt(2026, 1, 5);
        let json = serde_json::to_string(&doc).unwrap();
        assert!(json.contains(r#""effective_date":"2026-01-05","expiration_date":null"#), "{json}");
        assert!(json.contains(r#""date":"2026-05-01""#) && json.contains(r#""date":null"#), "{json}");
        assert_eq!(serde_json::from_str::<Document>(&json).unwrap(), doc);
        // A run with a date that is no date is refused when read back (it
        // was once kept as text and counted as undated).
        for bad in ["2026-02-30", "May 1, 2026", ""] {
            assert!(serde_json::from_str::<Document>(&json.replace("2026-05-01", bad)).is_err(), "{bad:?}");
        }
    }
}
