//! A [`Diff`] as text: a report for a terminal, Markdown for a pull-request
//! comment, GitHub workflow commands (annotations). JSON is the `Diff`
//! itself, through serde.

use super::{days_text, DocChange, DocumentDiff, FieldChange, RecordChange, RecordDiff};
use super::{Counts, Diff};
use crate::check::{escape_data, escape_property};
use crate::record::Status;

fn plural(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

/// "1 document changed, 1 added, 0 removed, 11 unchanged; 2 regressions".
fn counts_line(c: &Counts) -> String {
    format!(
        "{} changed, {} added, {} removed, {} unchanged; {}",
        plural(c.changed, "document"),
        c.added,
        c.removed,
        c.unchanged,
        match c.regressions {
            0 => "no regression".to_string(),
            n => plural(n, "regression"),
        }
    )
}

/// One change of a record as a phrase: "date 2026-06-26 → 2026-08-07 (42 days later)".
pub fn change_text(c: &FieldChange) -> String {
    let v = |s: &Option<String>| s.clone().unwrap_or_else(|| "none".into());
    match (c.field, &c.old, &c.new) {
        ("name", _, _) => format!("renamed from \"{}\"", v(&c.old)),
        ("date", Some(_), None) => format!("lost its date (was {})", v(&c.old)),
        ("date", None, Some(_)) => format!("now dated {}", v(&c.new)),
        (f, _, _) => {
            let days = c.days.filter(|&d| d != 0).map_or(String::new(), |d| format!(" ({})", days_text(d)));
            format!("{} {} → {}{days}", f.replace('_', " "), v(&c.old), v(&c.new))
        }
    }
}

/// A document field's change; a new status comes with its reason.
fn field_text(d: &DocumentDiff, f: &FieldChange) -> String {
    match (f.field, &d.error) {
        ("status", Some(e)) => format!("{}: {e}", change_text(f)),
        _ => change_text(f),
    }
}

/// What a record's line says: its values when added or removed, its changes otherwise.
fn record_text(r: &RecordDiff) -> String {
    match r.change {
        RecordChange::Added | RecordChange::Removed => {
            let s = r.new.as_ref().or(r.old.as_ref()).expect("an added or removed record has a side");
            let mut v = vec![s.date.map_or_else(|| "no date".into(), |d| d.to_string())];
            v.extend(s.amount.map(super::money_text));
            v.extend(s.percent.map(super::percent_text));
            format!("{} ({})", if r.change == RecordChange::Added { "added" } else { "removed" }, v.join(", "))
        }
        RecordChange::Changed => r.changes.iter().map(change_text).collect::<Vec<_>>().join("; "),
    }
}

fn matched_text(r: &RecordDiff) -> String {
    r.matched_by.map_or(String::new(), |m| format!(" [matched by {}]", m.as_str().replace('_', " ")))
}

fn doc_heading(d: &DocumentDiff) -> String {
    match d.change {
        DocChange::Added => "added".into(),
        DocChange::Removed => "removed".into(),
        DocChange::Changed if d.content_changed => "file changed".into(),
        DocChange::Changed => "same file".into(),
    }
}

/// The report for a terminal: a count line, then per document its summary
/// and one line per change (`!` regression, `+` added, `-` removed, `~` changed).
pub fn table(diff: &Diff) -> String {
    let mut out = format!("contract-milestones diff: {} (tolerance {} days)\n", counts_line(&diff.counts), diff.tolerance_days);
    for d in &diff.documents {
        out.push_str(&format!("\n{}  [{}]{}\n  {}\n", d.path, doc_heading(d), if d.regressed() { "  REGRESSED" } else { "" }, d.summary));
        if let Some(e) = d.error.as_ref().filter(|_| d.new_status.is_some_and(|s| s != Status::Ok)) {
            out.push_str(&format!("    error: {e}\n"));
        }
        for f in &d.fields {
            out.push_str(&format!("  {} {:11}  {}\n", if f.regression { '!' } else { '~' }, "document", change_text(f)));
        }
        // A removed document's records are its content, not news.
        if d.change == DocChange::Removed {
            continue;
        }
        for r in &d.records {
            let mark = match (r.regression, r.change) {
                (true, _) => '!',
                (_, RecordChange::Added) => '+',
                (_, RecordChange::Removed) => '-',
                _ => '~',
            };
            out.push_str(&format!("  {mark} {:11}  \"{}\" p.{}: {}{}\n", r.kind.as_str(), r.name(), r.page(), record_text(r), matched_text(r)));
        }
    }
    out
}

/// A Markdown table cell: no line breaks, `|` escaped.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace(['\r', '\n'], " ")
}

fn code(s: &str) -> String {
    format!("`{}`", s.replace('`', "'"))
}

/// Markdown for a pull-request comment: a heading with the counts, one
/// summary line per contract, then per contract a table of its changes.
pub fn markdown(diff: &Diff) -> String {
    let c = &diff.counts;
    let mut out = String::from("### Contract schedule changes\n\n");
    out.push_str(&format!("{} changed, {} added, {} removed, {} unchanged · ", plural(c.changed, "contract"), c.added, c.removed, c.unchanged));
    out.push_str(&match c.regressions {
        0 => "**no regression**\n\n".to_string(),
        n => {
            let later = match diff.tolerance_days {
                0 => "a date moved later".to_string(),
                t => format!("a date moved more than {} later", plural(t as usize, "day")),
            };
            format!("**{}** ({later}, a lost date, a changed amount or share, a removed dated record, a contract that stopped parsing)\n\n", plural(n, "regression"))
        }
    });
    if diff.documents.is_empty() {
        out.push_str("No contract changed.\n");
        return out;
    }
    out.push_str("| | contract | what changed |\n|---|---|---|\n");
    for d in &diff.documents {
        out.push_str(&format!("| {} | {} | {} |\n", if d.regressed() { "❌" } else { "" }, code(&d.path), cell(&d.summary)));
    }
    for d in diff.documents.iter().filter(|d| d.change == DocChange::Changed && (!d.fields.is_empty() || !d.records.is_empty())) {
        out.push_str(&format!("\n#### {}\n\n| | kind | record | change | matched by | page |\n|---|---|---|---|---|---|\n", code(&d.path)));
        for f in &d.fields {
            out.push_str(&format!("| {} | document | {} | {} | | |\n", if f.regression { "❌" } else { "" }, f.field.replace('_', " "), cell(&field_text(d, f))));
        }
        for r in &d.records {
            let how = r.matched_by.map_or("", |m| m.as_str());
            out.push_str(&format!("| {} | {} | {} | {} | {} | {} |\n", if r.regression { "❌" } else { "" }, r.kind.as_str(), cell(r.name()), cell(&record_text(r)), how.replace('_', " "), r.page()));
        }
    }
    out
}

/// One annotation.
struct Annotation {
    error: bool,
    title: &'static str,
    page: Option<u32>,
    message: String,
}

/// The annotations of one document: one per change.
fn annotations(d: &DocumentDiff) -> Vec<Annotation> {
    let mut out = Vec::new();
    match d.change {
        DocChange::Added => out.push(Annotation { error: false, title: "document-added", page: None, message: d.summary.clone() }),
        DocChange::Removed => out.push(Annotation { error: false, title: "document-removed", page: None, message: d.summary.clone() }),
        DocChange::Changed => {
            if d.content_changed && d.fields.is_empty() && d.records.is_empty() {
                out.push(Annotation { error: false, title: "document-changed", page: None, message: d.summary.clone() });
            }
        }
    }
    for f in &d.fields {
        let title = if f.field == "status" { "status-changed" } else { "field-changed" };
        out.push(Annotation { error: f.regression, title, page: None, message: field_text(d, f) });
    }
    if d.change == DocChange::Changed {
        for r in &d.records {
            let title = match r.change {
                RecordChange::Added => "record-added",
                RecordChange::Removed => "record-removed",
                RecordChange::Changed => "record-changed",
            };
            let message = format!("{} \"{}\": {}{}", r.kind.as_str(), r.name(), record_text(r), matched_text(r));
            out.push(Annotation { error: r.regression, title, page: Some(r.page()), message });
        }
    }
    out
}

/// GitHub Actions workflow commands, one per change: `::error` for a
/// regression, `::warning` for any other change, on line 1 of the PDF with
/// the page in the message (as `check` writes them). `location` gives each
/// document's file as the workflow sees it.
pub fn github_commands(diff: &Diff, location: impl Fn(&DocumentDiff) -> String) -> String {
    let mut s = String::new();
    for d in &diff.documents {
        let file = location(d);
        for a in annotations(d) {
            let message = match a.page {
                Some(p) => format!("page {p}: {}", a.message),
                None => a.message,
            };
            s.push_str(&format!(
                "::{} file={},line=1,title={}::{}\n",
                if a.error { "error" } else { "warning" },
                escape_property(&file),
                escape_property(&format!("contract-milestones diff {}", a.title)),
                escape_data(&message)
            ));
        }
    }
    s
}
