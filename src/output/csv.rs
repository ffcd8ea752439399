//! CSV output (`--format csv`): one row per record, with the document's
//! fields repeated on each row and every record field flattened into its own
//! column (`amount_value`, `amount_currency`, `relative_offset` ...).
//!
//! A document without records (one that failed, or an `ok` one in which no
//! rule matched) gets exactly one row with its status and error and empty
//! record columns, so every input file appears in the sheet. Rows are
//! RFC 4180: a header row, fields quoted when they hold a comma, quote or
//! line break, quotes doubled, CRLF line ends.

use std::io::{self, Write};

use crate::record::{Document, Record};

/// The header row, in column order.
pub const COLUMNS: [&str; 31] = [
    "path",
    "sha256",
    "status",
    "error",
    "pages",
    "effective_date",
    "expiration_date",
    "parties",
    "renewal_auto",
    "renewal_value",
    "renewal_unit",
    "renewal_count",
    "notice_period",
    "opt_out_deadline",
    "record",
    "kind",
    "name",
    "date",
    "date_ambiguous",
    "relative_offset",
    "relative_unit",
    "relative_direction",
    "relative_anchor",
    "amount_value",
    "amount_currency",
    "percent",
    "trigger",
    "milestone",
    "page",
    "text",
    "rule",
];

/// Writes documents as CSV rows.
pub struct CsvWriter<W: Write> {
    inner: ::csv::Writer<W>,
}

fn io_error(e: ::csv::Error) -> io::Error {
    match e.into_kind() {
        ::csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

impl<W: Write> CsvWriter<W> {
    /// Start: the header row goes out now.
    pub fn new(out: W) -> io::Result<Self> {
        let mut inner = ::csv::WriterBuilder::new().terminator(::csv::Terminator::CRLF).from_writer(out);
        inner.write_record(COLUMNS).map_err(io_error)?;
        Ok(CsvWriter { inner })
    }

    /// Write a document's rows: one per record, or one for the document alone.
    pub fn write(&mut self, doc: &Document) -> io::Result<()> {
        let head = [
            doc.path.clone(),
            doc.sha256.clone(),
            doc.status.as_str().to_string(),
            doc.error.clone().unwrap_or_default(),
            doc.pages.map(|p| p.to_string()).unwrap_or_default(),
            doc.effective_date.map(|d| d.to_string()).unwrap_or_default(),
            doc.expiration_date.map(|d| d.to_string()).unwrap_or_default(),
            doc.parties.join("; "),
            doc.renewal.map(|r| r.auto.to_string()).unwrap_or_default(),
            doc.renewal.map(|r| r.period.value.to_string()).unwrap_or_default(),
            doc.renewal.map(|r| r.period.unit.as_str().to_string()).unwrap_or_default(),
            doc.renewal.and_then(|r| r.count).map(|c| c.to_string()).unwrap_or_default(),
            doc.notice_period.map(|p| format!("{} {}", p.value, p.unit)).unwrap_or_default(),
            doc.opt_out_deadline.map(|d| d.to_string()).unwrap_or_default(),
        ];
        if doc.records.is_empty() {
            let mut row: Vec<String> = head.to_vec();
            row.resize(COLUMNS.len(), String::new());
            return self.inner.write_record(&row).map_err(io_error);
        }
        for (i, r) in doc.records.iter().enumerate() {
            let mut row: Vec<String> = head.to_vec();
            row.push((i + 1).to_string());
            row.extend(record_fields(r));
            debug_assert_eq!(row.len(), COLUMNS.len());
            self.inner.write_record(&row).map_err(io_error)?;
        }
        Ok(())
    }

    /// Flush buffered rows to the underlying writer.
    pub fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }

    /// The underlying writer.
    pub fn get_ref(&self) -> &W {
        self.inner.get_ref()
    }

    /// Flush and give back the underlying writer.
    pub fn into_inner(self) -> io::Result<W> {
        self.inner.into_inner().map_err(|e| e.into_error())
    }
}

/// The record columns, from `kind` to `rule`.
fn record_fields(r: &Record) -> Vec<String> {
    let rel = r.relative.as_ref();
    vec![
        r.kind.as_str().to_string(),
        r.name.clone(),
        r.date.map(|d| d.to_string()).unwrap_or_default(),
        if r.date_ambiguous { "true".into() } else { String::new() },
        rel.map(|x| x.offset.to_string()).unwrap_or_default(),
        rel.map(|x| x.unit.as_str().to_string()).unwrap_or_default(),
        rel.map(|x| x.direction.as_str().to_string()).unwrap_or_default(),
        rel.map(|x| x.anchor.clone()).unwrap_or_default(),
        r.amount.map(|m| m.value.to_string()).unwrap_or_default(),
        r.amount.map(|m| m.currency.to_string()).unwrap_or_default(),
        r.percent.map(|p| p.to_string()).unwrap_or_default(),
        r.trigger.clone().unwrap_or_default(),
        r.milestone.clone().unwrap_or_default(),
        r.page.to_string(),
        r.text.clone(),
        r.rule.clone(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalise::{Direction, Money, Relative, Unit};
    use crate::record::{Kind, Status};

    fn record() -> Record {
        Record {
            kind: Kind::Payment,
            name: "Second \"big\" instalment".into(),
            date: "2026-05-01".parse().ok(),
            relative: Some(Relative { offset: 10, unit: Unit::BusinessDays, direction: Direction::After, anchor: "Acceptance".into() }),
            amount: Some("1250.50 EUR".parse::<Money>().unwrap()),
            percent: Some(12.5),
            trigger: None,
            page: 3,
            text: "Pay 1,250.50 EUR,\nten business days after Acceptance".into(),
            rule: "payment.row".into(),
            milestone: None,
            date_ambiguous: true,
        }
    }

    #[test]
    fn rows_are_rfc4180() {
        let mut w = CsvWriter::new(Vec::new()).unwrap();
        let mut ok = Document::failed("a.pdf".into(), "ab".repeat(32), Status::Ok, "");
        ok.error = None;
        ok.records = vec![record()];
        w.write(&ok).unwrap();
        w.write(&Document::failed("b, c.pdf".into(), String::new(), Status::Unreadable, "bad xref")).unwrap();
        let out = String::from_utf8(w.into_inner().unwrap()).unwrap();
        let lines: Vec<&str> = out.split("\r\n").collect();
        assert_eq!(lines[0], COLUMNS.join(","));
        // Quoted because of the comma and the newline; inner quotes doubled.
        assert!(out.contains("\"Second \"\"big\"\" instalment\""), "{out}");
        assert!(out.contains("\"Pay 1,250.50 EUR,\nten business days after Acceptance\""), "{out}");
        assert!(out.contains(",1,payment,"), "{out}");
        assert!(out.contains(",true,10,business_days,after,Acceptance,1250.50,EUR,12.5,,,3,"), "{out}");
        // The failed document: one row, its record columns empty.
        assert!(out.contains(&format!("\"b, c.pdf\",,unreadable,bad xref{}\r\n", ",".repeat(COLUMNS.len() - 4))), "{out}");
        assert!(out.ends_with("\r\n"));
    }
}
