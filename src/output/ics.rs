//! iCalendar output (`--format ics`, RFC 5545): one all-day `VEVENT` per
//! record that has a date, with `VALARM` reminders.
//!
//! - `DTSTART;VALUE=DATE` is the record's date and `DTEND` the day after (one
//!   all-day event, shown as free time);
//! - `SUMMARY` is kind, name and amount ("Payment: Second instalment (50000.00
//!   USD, 25%)"); `DESCRIPTION` holds the evidence text, the page and file, the
//!   relative date, trigger and rule;
//! - `UID` is stable across runs: it is derived from the file's SHA-256 and the
//!   record's identity (kind, name, date, amount, percent), not from its page or
//!   wording, so re-importing a later run updates events instead of doubling
//!   them. Should two events in one calendar get the same UID (the same file
//!   under two names, or one item listed twice) the later ones get `-2`, `-3` ...
//! - Text is escaped (`\\`, `\;`, `\,`, `\n`), content lines are folded at 75
//!   octets (never inside a UTF-8 character) and end with CRLF.
//!
//! Records without a date (a payment due upon acceptance) have no event.
//!
//! Each document's key dates are events too: the end of its term and, for a
//! contract that renews by itself, the last day to give notice of
//! non-renewal ("Opt-out deadline: ..."), both with the same reminders. With
//! `--as-of` they are those of the term in force on that day (`term_as_of`),
//! otherwise those of the initial term.

use std::collections::HashMap;
use std::io::{self, Write};

use chrono::{NaiveDate, NaiveDateTime};
use sha2::{Digest, Sha256};

use crate::record::{Document, Kind, Record};

/// The longest content line, in octets, without its CRLF (RFC 5545 3.1).
const MAX_LINE: usize = 75;

/// Writes documents as the events of one calendar.
pub struct IcsWriter<W: Write> {
    out: W,
    remind_days: Vec<u32>,
    stamp: String,
    seen: HashMap<String, u32>,
}

impl<W: Write> IcsWriter<W> {
    /// Start the calendar: its header goes out now. `remind_days` are the
    /// reminders (days before each event); `stamp` is every event's `DTSTAMP`.
    pub fn new(out: W, remind_days: &[u32], stamp: NaiveDateTime) -> io::Result<Self> {
        let mut w = IcsWriter { out, remind_days: remind_days.to_vec(), stamp: stamp.format("%Y%m%dT%H%M%SZ").to_string(), seen: HashMap::new() };
        w.line("BEGIN:VCALENDAR")?;
        w.line("VERSION:2.0")?;
        w.line(&format!("PRODID:-//contract-milestones//contract-milestones {}//EN", env!("CARGO_PKG_VERSION")))?;
        w.line("CALSCALE:GREGORIAN")?;
        w.line("METHOD:PUBLISH")?;
        w.line("X-WR-CALNAME:Contract milestones")?;
        Ok(w)
    }

    /// Write one event per dated record of the document.
    pub fn write(&mut self, doc: &Document) -> io::Result<()> {
        for r in &doc.records {
            let Some(day) = r.date else { continue };
            self.event(&uid_base(doc, r), &summary(r), &description(doc, r), kind_label(r.kind), day)?;
        }
        for (label, day, text) in key_dates(doc) {
            let base = uid_of(doc, &[label, &day.to_string()]);
            self.event(&base, &format!("{label}: {}", doc.path), &text, label, day)?;
        }
        Ok(())
    }

    fn event(&mut self, base: &str, summary: &str, description: &str, category: &str, day: NaiveDate) -> io::Result<()> {
        let n = self.seen.entry(base.to_string()).or_insert(0);
        *n += 1;
        let uid = if *n == 1 { format!("{base}@contract-milestones") } else { format!("{base}-{n}@contract-milestones") };
        self.line("BEGIN:VEVENT")?;
        self.line(&format!("UID:{uid}"))?;
        self.line(&format!("DTSTAMP:{}", self.stamp))?;
        self.line(&format!("DTSTART;VALUE=DATE:{}", day.format("%Y%m%d")))?;
        let end = day.succ_opt().unwrap_or(day);
        self.line(&format!("DTEND;VALUE=DATE:{}", end.format("%Y%m%d")))?;
        self.line(&format!("SUMMARY:{}", escape(summary)))?;
        self.line(&format!("DESCRIPTION:{}", escape(description)))?;
        self.line(&format!("CATEGORIES:{}", escape(category)))?;
        self.line("TRANSP:TRANSPARENT")?;
        for days in self.remind_days.clone() {
            self.line("BEGIN:VALARM")?;
            self.line("ACTION:DISPLAY")?;
            let when = match days {
                0 => "Today".to_string(),
                1 => "Tomorrow".to_string(),
                d => format!("In {d} days"),
            };
            self.line(&format!("DESCRIPTION:{}", escape(&format!("{when}: {summary}"))))?;
            self.line(&if days == 0 { "TRIGGER:PT0S".to_string() } else { format!("TRIGGER:-P{days}D") })?;
            self.line("END:VALARM")?;
        }
        self.line("END:VEVENT")
    }

    /// Write one content line, folded, with CRLF.
    fn line(&mut self, line: &str) -> io::Result<()> {
        self.out.write_all(fold(line).as_bytes())
    }

    /// Flush written events to the underlying writer.
    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    /// The underlying writer.
    pub fn get_ref(&self) -> &W {
        &self.out
    }

    /// End the calendar and give back the underlying writer.
    pub fn finish(mut self) -> io::Result<W> {
        self.line("END:VCALENDAR")?;
        self.out.flush()?;
        Ok(self.out)
    }
}

fn kind_label(k: Kind) -> &'static str {
    match k {
        Kind::Milestone => "Milestone",
        Kind::Deliverable => "Deliverable",
        Kind::Payment => "Payment",
    }
}

/// "Payment: Second instalment (50000.00 USD, 25%)".
pub fn summary(r: &Record) -> String {
    let mut s = kind_label(r.kind).to_string();
    if !r.name.is_empty() {
        s.push_str(": ");
        s.push_str(&r.name);
    }
    let mut extra = Vec::new();
    if let Some(m) = r.amount {
        extra.push(m.to_string());
    }
    if let Some(p) = r.percent {
        extra.push(format!("{p}%"));
    }
    if !extra.is_empty() {
        s.push_str(&format!(" ({})", extra.join(", ")));
    }
    s
}

fn description(doc: &Document, r: &Record) -> String {
    let mut lines = vec![r.text.clone(), String::new(), format!("Page {} of {}", r.page, doc.path)];
    if let Some(rel) = &r.relative {
        let unit = serde_json::to_value(rel.unit).ok().and_then(|v| v.as_str().map(|s| s.replace('_', " "))).unwrap_or_default();
        let dir = serde_json::to_value(rel.direction).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
        lines.push(format!("Stated as: {} {unit} {dir} {}", rel.offset, rel.anchor));
    }
    if let Some(t) = &r.trigger {
        lines.push(format!("Due upon: {t}"));
    }
    if let Some(m) = &r.milestone {
        lines.push(format!("For: {m}"));
    }
    if r.date_ambiguous {
        lines.push("The day/month order of this date was decided from the document's other dates.".into());
    }
    lines.push(format!("Rule: {}", r.rule));
    lines.join("\n")
}

/// The document's key dates as (label, day, description): the term's end
/// and the opt-out deadline, of the term in force on `--as-of` when given.
fn key_dates(doc: &Document) -> Vec<(&'static str, NaiveDate, String)> {
    let (term_end, deadline) = match &doc.term_as_of {
        Some(t) => (Some(t.term_end), t.opt_out_deadline),
        None => (doc.expiration_date, doc.opt_out_deadline),
    };
    let evidence = |field: &str| doc.evidence.get(field).map(|e| format!("{}\n\nPage {} of {}\nRule: {}", e.text, e.page, doc.path, e.rule)).unwrap_or_else(|| doc.path.clone());
    let mut out = Vec::new();
    if let (Some(day), Some(notice), Some(end)) = (deadline, doc.notice_period, term_end) {
        out.push(("Opt-out deadline", day, format!("Last day to give {notice} notice of non-renewal before the term ends on {end}.\n\n{}", evidence("notice_period"))));
    }
    if let Some(day) = term_end {
        let renews = match doc.renewal {
            Some(r) if r.auto => format!("It renews by itself for {} unless notice is given.", r.period),
            Some(r) => format!("It may be renewed for {}.", r.period),
            None => "No renewal is stated.".to_string(),
        };
        out.push(("Term ends", day, format!("The term ends on {day}. {renews}\n\n{}", evidence("expiration_date"))));
    }
    out
}

/// The UID without its `@` domain: 16 hex digits of the file's SHA-256 and
/// 16 of a hash of the record's identity.
fn uid_base(doc: &Document, r: &Record) -> String {
    let date = r.date.map(|d| d.to_string()).unwrap_or_default();
    let value = r.amount.map(|m| m.value.to_string()).unwrap_or_default();
    uid_of(doc, &[r.kind.as_str(), &r.name, &date, &value, r.amount.as_ref().map_or("", |m| m.currency.as_str()), &r.percent.map(|p| p.to_string()).unwrap_or_default()])
}

/// 16 hex digits of the file's SHA-256 and 16 of a hash of `parts`.
fn uid_of(doc: &Document, parts: &[&str]) -> String {
    let file = if doc.sha256.len() >= 16 { doc.sha256[..16].to_string() } else { hex::encode(&Sha256::digest(doc.path.as_bytes())[..8]) };
    let mut h = Sha256::new();
    for part in parts {
        h.update(part.as_bytes());
        h.update([0x1f]);
    }
    format!("{file}-{}", hex::encode(&h.finalize()[..8]))
}

/// TEXT value escaping (RFC 5545 3.3.11); control characters other than tab
/// (not allowed in a TEXT value) become spaces.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => out.push_str("\\n"),
            '\t' => out.push('\t'),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Fold a content line (RFC 5545 3.1): no physical line longer than 75
/// octets, continuation lines start with one space, a UTF-8 character is
/// never split; every physical line ends with CRLF.
pub fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 70 * 3 + 2);
    let mut width = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if width + n > MAX_LINE {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_at_75_octets_without_splitting_characters() {
        let line = format!("DESCRIPTION:{}", "é".repeat(100));
        let folded = fold(&line);
        assert!(folded.ends_with("\r\n"));
        for physical in folded.trim_end_matches("\r\n").split("\r\n") {
            assert!(physical.len() <= 75, "{} octets: {physical:?}", physical.len());
        }
        // Unfolding (remove CRLF + one space) gives the line back.
        assert_eq!(folded.trim_end_matches("\r\n").replace("\r\n ", ""), line);
        assert_eq!(fold("SHORT:x"), "SHORT:x\r\n");
        // Exactly 75 octets: not folded.
        let l75 = "X".repeat(75);
        assert_eq!(fold(&l75), format!("{l75}\r\n"));
        assert_eq!(fold(&"X".repeat(76)), format!("{}\r\n X\r\n", "X".repeat(75)));
    }

    #[test]
    fn escapes_text() {
        assert_eq!(escape("a,b;c\\d\ne\r\nf\u{c}g"), "a\\,b\\;c\\\\d\\ne\\nf g");
    }
}
