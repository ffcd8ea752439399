//! Worked cases of the finders and the decision (`[[case]]` in rule
//! files): a short text, and the items the whole stage must make of it, or
//! that it must make none. `rules test` runs them beside the rules'
//! examples, so that a retrained model or a changed word class that breaks
//! an ordinary construction is caught by a command and by the tests.
//!
//! A case's `text` is one segment per line (a line starting with a list
//! marker is a list item); `heading` puts a section heading above it.

use crate::candidates::{self, Candidate};
use crate::normalise::{self, Calendar};
use crate::options::DocContext;
use crate::record::Kind;
use crate::rules::schema::{Case, Expect};
use crate::rules::RuleSet;
use crate::segment::{list_marker, run_in_title, Segment, SegmentKind};

/// A case that did not come out as written.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseFailure {
    /// What the case shows.
    pub about: String,
    /// Its file.
    pub source: String,
    /// What went wrong.
    pub detail: String,
}

/// The segments of a case.
fn segments_of(case: &Case) -> Vec<Segment> {
    let mut out = Vec::new();
    let page = case.page.unwrap_or(1).max(1);
    let heading = case.heading.clone().unwrap_or_default();
    if !heading.is_empty() {
        out.push(Segment { kind: SegmentKind::Heading, page, text: heading.clone(), cells: vec![], header: vec![], heading: heading.clone(), title: String::new(), origin: Default::default() });
    }
    let mut title = String::new();
    for line in case.text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let kind = match case.segment {
            Some(k) => k,
            None if !case.header.is_empty() => SegmentKind::TableRow,
            None if list_marker(line).is_some() => SegmentKind::ListItem,
            None => SegmentKind::Sentence,
        };
        if let Some(t) = run_in_title(line) {
            title = t;
        }
        let cells = if kind == SegmentKind::TableRow { line.split(" | ").map(|c| c.trim().to_string()).collect() } else { Vec::new() };
        out.push(Segment { kind, page, text: line.to_string(), cells, header: case.header.clone(), heading: heading.clone(), title: title.clone(), origin: Default::default() });
    }
    out
}

/// The items the finders and the decision make of a case.
pub fn items_of(rules: &RuleSet, case: &Case) -> Vec<Candidate> {
    let Some(model) = &rules.model else { return Vec::new() };
    let segments = segments_of(case);
    let text: String = segments.iter().map(|s| s.text.as_str()).collect::<Vec<_>>().join("\n");
    let ctx = DocContext::fixed(normalise::infer_order(&text).0, false, normalise::dollar_currency(&text), Calendar::weekends_only());
    let mut anchors = std::collections::HashMap::new();
    if let Some(d) = case.effective_date {
        for k in crate::assemble::OWN_DATE_ANCHORS {
            anchors.insert(k.to_string(), d);
        }
    }
    let mut cands = candidates::find(&segments, &rules.lexicon, &ctx);
    for c in &mut cands {
        crate::assemble::resolve_candidate(c, &anchors, &ctx.calendar);
    }
    let decided = cands.into_iter().map(|c| {
        let d = model.decide(&c);
        (c, d)
    });
    crate::decide::select(decided.collect()).into_iter().map(|(c, _)| c).collect()
}

/// What is wrong with an item against an expectation (empty: nothing).
fn differences(c: &Candidate, e: &Expect) -> Vec<String> {
    let mut out = Vec::new();
    let mut check = |field: &str, want: &Option<String>, got: Option<String>| {
        if let Some(w) = want {
            let g = got.unwrap_or_else(|| "none".into());
            if !w.eq_ignore_ascii_case(&g) {
                out.push(format!("{field}: expected {w:?}, got {g:?}"));
            }
        }
    };
    let kind = match e.kind.as_deref() {
        // "schedule": a milestone or a deliverable, whichever.
        Some("schedule") if c.kind.is_schedule() => Some("schedule".to_string()),
        _ => Some(c.kind.as_str().to_string()),
    };
    check("kind", &e.kind, kind);
    check("name", &e.name, Some(c.name.clone()));
    check("date", &e.date, c.date.map(|d| d.format("%Y-%m-%d").to_string()));
    check("amount", &e.amount, c.amount.map(|m| m.to_string()));
    check("trigger", &e.trigger, c.trigger.clone());
    if let Some(p) = e.percent {
        if c.percent.is_none_or(|g| (g - p).abs() > 1e-9) {
            out.push(format!("percent: expected {p}, got {:?}", c.percent));
        }
    }
    out
}

fn describe(c: &Candidate) -> String {
    let mut s = format!("{} {:?}", c.kind.as_str(), c.name);
    if let Some(d) = c.date {
        s.push_str(&format!(" {d}"));
    }
    if let Some(a) = &c.amount {
        s.push_str(&format!(" {a}"));
    }
    if let Some(p) = c.percent {
        s.push_str(&format!(" {p}%"));
    }
    s
}

/// Run every case; returns how many ran and what failed.
pub fn run(rules: &RuleSet) -> (usize, Vec<CaseFailure>) {
    let mut failures = Vec::new();
    for (source, case) in &rules.cases {
        let items = items_of(rules, case);
        let fail = |detail: String| CaseFailure { about: case.about.clone(), source: source.clone(), detail };
        if case.nothing {
            if !items.is_empty() {
                failures.push(fail(format!("noisy: expected no item, got {}", items.iter().map(describe).collect::<Vec<_>>().join("; "))));
            }
            continue;
        }
        let mut used = vec![false; items.len()];
        for e in &case.expect {
            // The first unused item that satisfies every given field.
            match items.iter().enumerate().find(|(i, c)| !used[*i] && differences(c, e).is_empty()) {
                Some((i, _)) => used[i] = true,
                None => {
                    let nearest = items.iter().map(|c| (describe(c), differences(c, e))).min_by_key(|(_, d)| d.len());
                    let detail = match nearest {
                        Some((d, diffs)) => format!("missing: nearest item {d}: {}", diffs.join("; ")),
                        None => "missing: no item at all".to_string(),
                    };
                    failures.push(fail(detail));
                }
            }
        }
        if case.expect.iter().any(|e| e.kind.as_deref().is_some_and(|k| k != "payment")) {
            // Schedule items beyond the expected ones are noise.
            let extra: Vec<String> = items.iter().enumerate().filter(|(i, c)| !used[*i] && c.kind.is_schedule()).map(|(_, c)| describe(c)).collect();
            if !extra.is_empty() {
                failures.push(fail(format!("noisy: also {}", extra.join("; "))));
            }
        }
        if case.expect.iter().any(|e| e.kind.as_deref() == Some("payment")) {
            let extra: Vec<String> = items.iter().enumerate().filter(|(i, c)| !used[*i] && c.kind == Kind::Payment).map(|(_, c)| describe(c)).collect();
            if !extra.is_empty() {
                failures.push(fail(format!("noisy: also {}", extra.join("; "))));
            }
        }
    }
    (rules.cases.len(), failures)
}
