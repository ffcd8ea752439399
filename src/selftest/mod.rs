//! `rules test`: every rule's examples must match with the expected values,
//! and its counter-examples must not match. Outcomes are named as in
//! ast-grep's `sg test`: missing (a false negative), noisy (a false
//! positive), wrong value. The worked cases of the whole stage are in
//! [`cases`].
//!
//! Apart from `rules` because an example is checked through `assemble`,
//! which imports `rules`.

pub mod cases;

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::assemble::{self, Finding};
use crate::normalise::{self, Calendar};
use crate::options::DocContext;
use crate::rules::{RuleKind, RuleSet};
use crate::segment::{Segment, SegmentKind};

/// One failed example.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    /// Rule id.
    pub rule: String,
    /// File the rule is in.
    pub source: String,
    /// missing, noisy or wrong value.
    pub outcome: Outcome,
    /// The example text.
    pub text: String,
    /// Details.
    pub detail: String,
}

/// How an example failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The rule did not match a positive example.
    Missing,
    /// The rule matched a counter-example.
    Noisy,
    /// The rule matched but produced other values.
    WrongValue,
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Outcome::Missing => "missing",
            Outcome::Noisy => "noisy",
            Outcome::WrongValue => "wrong value",
        })
    }
}

/// Totals of a `rules test` run.
#[derive(Debug, Default)]
pub struct Report {
    /// Rules tested.
    pub rules: usize,
    /// Examples and counter-examples run.
    pub cases: usize,
    /// What failed.
    pub failures: Vec<Failure>,
}

fn make_segment(text: &str, header: &[String], segment: Option<SegmentKind>, heading: Option<&str>) -> Segment {
    let kind = match segment {
        Some(k) => k,
        None if !header.is_empty() => SegmentKind::TableRow,
        None => SegmentKind::Sentence,
    };
    let cells = if kind == SegmentKind::TableRow { text.split(" | ").map(|c| c.trim().to_string()).collect() } else { Vec::new() };
    Segment { kind, page: 1, text: text.to_string(), cells, header: header.to_vec(), heading: heading.unwrap_or("").to_string(), title: String::new(), origin: Default::default() }
}

/// The findings one rule makes on one segment, context applied.
fn run_one(rules: &RuleSet, ri: usize, seg: &Segment) -> Vec<Finding> {
    let rule = &rules.rules[ri];
    if !rule.segments.is_empty() && !rule.segments.contains(&seg.kind) {
        return Vec::new();
    }
    let ctx = DocContext::fixed(normalise::infer_order(&seg.text).0, false, normalise::dollar_currency(&seg.text), Calendar::weekends_only());
    let hits: Vec<_> = rules.find(ri, seg).into_iter().filter(|h| rule.context_rejects(seg, h.span).is_none()).collect();
    assemble::hit_findings(hits, std::slice::from_ref(seg), 0, rules, &ctx)
}

/// Run every rule's examples.
pub fn run(rules: &RuleSet) -> Report {
    let mut report = Report::default();
    for (ri, rule) in rules.rules.iter().enumerate() {
        report.rules += 1;
        for ex in &rule.examples {
            report.cases += 1;
            let seg = make_segment(&ex.text, &ex.header, ex.segment, ex.heading.as_deref());
            let found = run_one(rules, ri, &seg);
            let fail = |outcome, detail: String| Failure { rule: rule.id.clone(), source: rule.source.clone(), outcome, text: ex.text.clone(), detail };
            if found.is_empty() {
                report.failures.push(fail(Outcome::Missing, "the rule did not match".into()));
                continue;
            }
            // The keyword prefilter must let the example through, or the
            // rule would never see such a text in a real document.
            if !rules.would_run(ri, &seg) {
                report.failures.push(fail(Outcome::Missing, format!("the text has none of the rule's keywords {:?}", rule.keywords)));
                continue;
            }
            let Some(expect) = ex.expect.as_ref().map(|e| e.get_ref()) else { continue };
            let effective = ex.effective_date;
            // Any of the findings may satisfy the example (a row can hold two payments).
            let mut problems = Vec::new();
            let ok = found.iter().any(|f| {
                let p = compare(rule.kind, f, expect, effective);
                if problems.is_empty() {
                    problems = p.clone();
                }
                p.is_empty()
            });
            if !ok {
                report.failures.push(fail(Outcome::WrongValue, problems.join("; ")));
            }
        }
        for cx in &rule.counter_examples {
            report.cases += 1;
            let seg = make_segment(&cx.text, &cx.header, cx.segment, cx.heading.as_deref());
            let found = run_one(rules, ri, &seg);
            if let Some(f) = found.first() {
                report.failures.push(Failure {
                    rule: rule.id.clone(),
                    source: rule.source.clone(),
                    outcome: Outcome::Noisy,
                    text: cx.text.clone(),
                    detail: format!("matched {:?}", &seg.text[f.start..f.end]),
                });
            }
        }
    }
    report
}

fn compare(kind: RuleKind, f: &Finding, e: &crate::rules::schema::Expect, effective: Option<NaiveDate>) -> Vec<String> {
    let mut problems = Vec::new();
    let mut check = |field: &str, want: &Option<String>, got: Option<String>| {
        if let Some(w) = want {
            let got_s = got.clone().unwrap_or_else(|| "none".into());
            if *w != got_s {
                problems.push(format!("{field}: expected {w:?}, got {got_s:?}"));
            }
        }
    };
    let mut anchors = HashMap::new();
    if let Some(d) = effective {
        for k in crate::assemble::OWN_DATE_ANCHORS {
            anchors.insert(k.to_string(), d);
        }
    }
    let date = f.date.or_else(|| f.relative.as_ref().and_then(|r| assemble::resolve(r, &anchors, &Calendar::weekends_only())));
    let date = match kind {
        RuleKind::ExpirationDate => f.term_end(effective, &Calendar::weekends_only()).or(date),
        _ => date,
    };
    check("kind", &e.kind, f.kind.map(|k| k.as_str().to_string()));
    check("name", &e.name, Some(f.name.clone()).filter(|n| !n.is_empty()));
    check("date", &e.date, date.map(|d| d.format("%Y-%m-%d").to_string()));
    check("amount", &e.amount, f.amount.map(|m| m.to_string()));
    check("trigger", &e.trigger, f.trigger.clone());
    check("relative", &e.relative, f.relative.as_ref().map(|r| format!("{} {} {} {}", r.offset, r.unit, r.direction, r.anchor)));
    check(
        "value",
        &e.value,
        match kind {
            RuleKind::DefinedDate | RuleKind::Party => Some(f.name.clone()),
            RuleKind::Renewal | RuleKind::NoticePeriod => f.term.map(|p| p.to_string()),
            _ => date.map(|d| d.format("%Y-%m-%d").to_string()),
        },
    );
    if let Some(c) = e.count {
        if f.count != Some(c) {
            problems.push(format!("count: expected {c}, got {:?}", f.count));
        }
    }
    if let Some(p) = e.percent {
        if f.percent.is_none_or(|g| (g - p).abs() > 1e-9) {
            problems.push(format!("percent: expected {p}, got {:?}", f.percent));
        }
    }
    problems
}
