//! Assemble stage: rule hits → normalised records and document fields.
//!
//! Here hits become values (through [`crate::normalise`]), defined dates are
//! collected and relative dates resolved against them (chains too, and dates
//! defined after the place they are used), overlapping hits in one segment
//! are settled by priority, and the same item found twice becomes one record.

use std::collections::{BTreeMap, HashMap};

use once_cell::sync::Lazy;
use regex::Regex;

use chrono::NaiveDate;

use crate::candidates::Candidate;
use crate::decide::Decision;
use crate::normalise::{self, anchor_key, Calendar, Money, Period, Relative, Renewal};
use crate::options::{DocContext, DocOptions};
use crate::record::{FieldEvidence, Kind, Record};
use crate::rules::{Hit, Rejection, RuleKind, RuleSet};
use crate::segment::{self, Segment};
use crate::text::Page;

/// What the rules found in one document.
#[derive(Debug, Default)]
pub struct Analysed {
    /// Records, in document order.
    pub records: Vec<Record>,
    /// Effective date.
    pub effective_date: Option<NaiveDate>,
    /// Expiration date.
    pub expiration_date: Option<NaiveDate>,
    /// Parties.
    pub parties: Vec<String>,
    /// The total contract price.
    pub contract_price: Option<Money>,
    /// How the contract renews.
    pub renewal: Option<Renewal>,
    /// The notice that stops a renewal.
    pub notice_period: Option<Period>,
    /// The last day to give that notice for the initial term.
    pub opt_out_deadline: Option<NaiveDate>,
    /// Where each document field came from (or why it is null).
    pub evidence: BTreeMap<String, FieldEvidence>,
}

/// A hit turned into values, before relative dates are resolved.
#[derive(Debug, Clone)]
pub struct Finding {
    /// Rule index.
    pub rule: usize,
    /// Record kind, for record rules.
    pub kind: Option<Kind>,
    /// The rule's kind.
    pub rule_kind: RuleKind,
    /// Name.
    pub name: String,
    /// Absolute date.
    pub date: Option<NaiveDate>,
    /// Whether that date was ambiguous in day/month order.
    pub ambiguous: bool,
    /// Relative date.
    pub relative: Option<Relative>,
    /// The captured date text, when it did not read as a date: it may name
    /// a defined date ("Kick-off Date" in a Due Date column).
    pub date_text: Option<String>,
    /// Amount.
    pub amount: Option<Money>,
    /// Percent.
    pub percent: Option<f64>,
    /// Trigger.
    pub trigger: Option<String>,
    /// Milestone a payment is tied to.
    pub milestone: Option<String>,
    /// A length of time: an expiration rule's term ("three (3) years"), a
    /// renewal's period, a notice period.
    pub term: Option<Period>,
    /// The date a term starts, when the clause states it ("commencing on ...").
    pub term_start: Option<NaiveDate>,
    /// How many renewals, when a renewal clause limits them.
    pub count: Option<u32>,
    /// The term ends the day before the date it names ("the day prior to the
    /// second anniversary").
    pub eve: bool,
    /// Page.
    pub page: u32,
    /// Evidence text.
    pub text: String,
    /// Segment index (document order).
    pub segment: usize,
    /// Match start in the segment.
    pub start: usize,
    /// Match end in the segment.
    pub end: usize,
}

/// Run the rules, the candidate finders and the decision over a document's pages.
pub fn analyse(pages: &[Page], rules: &RuleSet, opts: &DocOptions) -> Analysed {
    let (segments, ctx, findings) = rule_findings(pages, rules, opts);
    let cands = find_candidates(&segments, &findings, rules, &ctx);
    finish(findings, cands, rules, &ctx)
}

/// Segments, the document's context and the rules' findings.
fn rule_findings(pages: &[Page], rules: &RuleSet, opts: &DocOptions) -> (Vec<Segment>, DocContext, Vec<Finding>) {
    let segments = segment::segment(pages);
    let hits: Vec<Vec<Hit>> = segments.iter().map(|seg| rules.apply(seg, false).0).collect();
    // The context reads the whole text (date order, currency) on first use only.
    let full: String = segments.iter().map(|s| s.text.as_str()).collect::<Vec<_>>().join("\n");
    let ctx = DocContext::from_text(full, opts);
    let mut findings = Vec::new();
    for (i, hits) in hits.into_iter().enumerate() {
        findings.extend(settle(hit_findings(hits, &segments, i, rules, &ctx), rules));
    }
    (segments, ctx, findings)
}

/// The candidates of a document, when the rules carry a decision model.
fn find_candidates(segments: &[Segment], findings: &[Finding], rules: &RuleSet, ctx: &DocContext) -> Vec<Candidate> {
    if rules.model.is_none() {
        return Vec::new();
    }
    crate::candidates::find_with(segments, &rules.lexicon, ctx, &named_dates(findings))
}

/// The named dates the rules found.
fn named_dates(findings: &[Finding]) -> Vec<crate::candidates::NamedDate> {
    findings
        .iter()
        .filter(|f| f.rule_kind == RuleKind::DefinedDate && !f.name.is_empty())
        .map(|f| crate::candidates::NamedDate { segment: f.segment, span: (f.start, f.end), name: f.name.clone(), date: f.date, ambiguous: f.ambiguous, relative: f.relative.clone() })
        .collect()
}

/// A document's candidates with their dates resolved, before any decision
/// (for training the decision).
pub fn candidates_for_training(pages: &[Page], rules: &RuleSet, opts: &DocOptions) -> Vec<Candidate> {
    let (segments, ctx, findings) = rule_findings(pages, rules, opts);
    let mut cands = crate::candidates::find_with(&segments, &rules.lexicon, &ctx, &named_dates(&findings));
    let fields = document_fields(&findings, rules, &ctx);
    for c in &mut cands {
        resolve_candidate(c, &fields.anchors, &ctx.calendar);
    }
    cands
}

/// The findings of one segment's hits. A list rule's hit stands for the
/// items that follow it (`each`), which may lie in the next segments.
pub fn hit_findings(hits: Vec<Hit>, segments: &[Segment], i: usize, rules: &RuleSet, ctx: &DocContext) -> Vec<Finding> {
    let mut out = Vec::new();
    for h in hits {
        let rule = &rules.rules[h.rule];
        if rule.each.is_some() {
            for (j, item) in rule.each_hits(h.rule, &h, &segments[i..]) {
                out.extend(to_finding(&item, &segments[i + j], i + j, rules, ctx));
            }
        } else {
            out.extend(to_finding(&h, &segments[i], i, rules, ctx));
        }
    }
    out
}

/// Values of one hit.
pub fn to_finding(hit: &Hit, seg: &Segment, index: usize, rules: &RuleSet, ctx: &DocContext) -> Option<Finding> {
    let rule = &rules.rules[hit.rule];
    let text_of = |role: &str| hit.get(role).map(|c| c.text.as_str());
    let mut f = Finding {
        rule: hit.rule,
        kind: None,
        rule_kind: rule.kind,
        name: String::new(),
        date: None,
        ambiguous: false,
        relative: None,
        date_text: None,
        amount: None,
        percent: None,
        trigger: text_of("trigger").map(clean_phrase),
        milestone: text_of("milestone").map(clean_name),
        term: None,
        term_start: None,
        count: None,
        eve: hit.get("eve").is_some(),
        page: seg.page,
        text: seg.text.clone(),
        segment: index,
        start: hit.span.0,
        end: hit.span.1,
    };
    if let Some(d) = text_of("date").and_then(|t| normalise::find_dates_with(t, || ctx.order()).into_iter().next()) {
        f.date = Some(d.date);
        f.ambiguous = d.ambiguous && !ctx.order_from_evidence();
    }
    if let Some(r) = text_of("rel").and_then(|t| normalise::find_relatives(t).into_iter().next()) {
        f.relative = Some(r.rel);
    }
    if f.date.is_none() && f.relative.is_none() {
        f.date_text = text_of("date").map(clean_phrase);
    }
    if let Some(t) = text_of("term") {
        f.term = normalise::parse_period(t);
    }
    if let Some(d) = text_of("start").and_then(|t| normalise::find_dates_with(t, || ctx.order()).into_iter().next()) {
        f.term_start = Some(d.date);
    }
    f.count = text_of("count").and_then(normalise::parse_count);
    if let Some(a) = text_of("amount").and_then(|t| normalise::find_amounts_with(t, || ctx.dollar()).into_iter().next()) {
        f.amount = Some(a.money);
    }
    if let Some(p) = text_of("percent").and_then(|t| normalise::find_percents(t).into_iter().next()) {
        f.percent = Some(p.value);
    }
    // A table row whose value columns were merged by the layout ("5% $117,000.00"
    // under one header): take a value from the rest of the row when the row
    // holds exactly one.
    if seg.kind == crate::segment::SegmentKind::TableRow && hit.span == (0, seg.text.len()) {
        let name_cell = text_of("name").unwrap_or("");
        let rest: String = seg.cells.iter().filter(|c| c.as_str() != name_cell).cloned().collect::<Vec<_>>().join(" | ");
        if rule.kind == RuleKind::Payment {
            if f.amount.is_none() {
                let found = normalise::find_amounts_with(&rest, || ctx.dollar());
                if found.len() == 1 {
                    f.amount = Some(found[0].money);
                }
            }
            if f.percent.is_none() {
                let found = normalise::find_percents(&rest);
                if found.len() == 1 {
                    f.percent = Some(found[0].value);
                }
            }
        } else if f.date.is_none() && f.relative.is_none() && rule.kind != RuleKind::Payment {
            let found = normalise::find_dates_with(&rest, || ctx.order());
            if found.len() == 1 {
                f.date = Some(found[0].date);
                f.ambiguous = found[0].ambiguous && !ctx.order_from_evidence();
            }
        }
    }
    // "on January 15, 2027" caught as a trigger is a date.
    if f.date.is_none() {
        if let Some(d) = f.trigger.as_deref().and_then(|t| normalise::parse_date_with(t, || ctx.order())) {
            f.date = Some(d.date);
            f.ambiguous = d.ambiguous && !ctx.order_from_evidence();
            f.trigger = None;
        }
    }
    let raw_name = text_of("name").or(text_of("value")).map(str::to_string).or_else(|| rule.name.clone()).unwrap_or_default();
    f.name = clean_name(&raw_name);
    match rule.kind {
        RuleKind::Milestone => f.kind = Some(Kind::Milestone),
        RuleKind::Deliverable => f.kind = Some(Kind::Deliverable),
        RuleKind::Schedule => f.kind = Some(crate::candidates::kind_by_words(&rules.lexicon, &f.name)),
        RuleKind::Payment => {
            f.kind = Some(Kind::Payment);
            // A payment needs an amount or a share (docs/conventions.md).
            if f.amount.is_none() && f.percent.is_none() {
                return None;
            }
            if f.name.is_empty() {
                f.name = f.trigger.clone().or_else(|| f.milestone.clone()).unwrap_or_else(|| "Payment".into());
            }
        }
        RuleKind::EffectiveDate | RuleKind::ExpirationDate | RuleKind::DefinedDate => {}
        RuleKind::Renewal | RuleKind::NoticePeriod => {}
        RuleKind::ContractPrice if f.amount.is_none() => return None,
        RuleKind::ContractPrice => {}
        RuleKind::Party if f.name.is_empty() => return None,
        // A legal name keeps its final stop ("Acme, Inc.").
        RuleKind::Party => f.name = normalise_spaces(raw_name.trim_matches(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '"' | '\u{201c}' | '\u{201d}'))),
    }
    if matches!(f.kind, Some(Kind::Milestone | Kind::Deliverable)) && f.name.is_empty() {
        return None;
    }
    // A renewal may take its period from the initial term ("for like terms"),
    // a field rule with a reason stands for a null value, and an effective
    // date defined as the signing takes the latest signature's date.
    let bare_ok = matches!(rule.kind, RuleKind::Party | RuleKind::Renewal) || rule.reason.is_some() || rule.latest_signature;
    if f.kind.is_none() && f.date.is_none() && f.relative.is_none() && f.term.is_none() && f.amount.is_none() && !bare_ok {
        return None;
    }
    Some(f)
}

/// Within one segment, a hit overlapping a stronger one of the same class is
/// dropped. (A list rule's hit brings items from the following segments:
/// offsets are only compared within a segment, and the findings come out in
/// document order.)
pub fn settle(mut found: Vec<Finding>, rules: &RuleSet) -> Vec<Finding> {
    found.sort_by_key(|f| (std::cmp::Reverse(rules.rules[f.rule].priority), f.segment, f.start, f.rule));
    let mut kept: Vec<Finding> = Vec::new();
    for f in found {
        let class = |x: &Finding| match x.kind {
            Some(Kind::Payment) => 1,
            Some(_) => 0,
            None => 2 + x.rule_kind as u8,
        };
        let clash = kept.iter().any(|k| class(k) == class(&f) && k.segment == f.segment && k.start < f.end && f.start < k.end);
        if !clash {
            kept.push(f);
        }
    }
    kept.sort_by_key(|f| (f.segment, f.start, f.rule));
    kept
}

/// The document's own dates and every dated anchor relative dates refer to.
struct DocFields {
    effective: Option<NaiveDate>,
    expiration: Option<NaiveDate>,
    renewal: Option<Renewal>,
    notice: Option<Period>,
    opt_out: Option<NaiveDate>,
    evidence: BTreeMap<String, FieldEvidence>,
    anchors: HashMap<String, NaiveDate>,
}

impl Finding {
    /// The end of the term this finding states: its date, or its term
    /// counted from the start it names or else from `effective`; the day
    /// before, when the clause says so.
    pub fn term_end(&self, effective: Option<NaiveDate>, cal: &Calendar) -> Option<NaiveDate> {
        let end = self.date.or_else(|| self.term?.after(self.term_start.or(effective)?, cal))?;
        if self.eve {
            end.pred_opt()
        } else {
            Some(end)
        }
    }

    fn evidence(&self, rules: &RuleSet) -> FieldEvidence {
        let rule = &rules.rules[self.rule];
        FieldEvidence { page: self.page, text: self.text.clone(), rule: rule.id.clone(), reason: rule.reason.clone() }
    }
}

/// "renews for successive terms of the same length": the renewal period is the initial term.
fn renews_for_like_terms(text: &str) -> bool {
    static LIKE: Lazy<Regex> =
        Lazy::new(|| Regex::new(r"(?i)\b(?:like|equal|identical)\s+(?:\w+\s+)?(?:terms?|periods?)\b|\b(?:like|same|equal|identical|similar)\s+(?:\w+\s+)?(?:duration|length|periods?)\b").unwrap());
    LIKE.is_match(text)
}

/// Document fields and anchors from the rules' findings.
fn document_fields(findings: &[Finding], rules: &RuleSet, ctx: &DocContext) -> DocFields {
    let by_priority = |kind: RuleKind| {
        let mut v: Vec<&Finding> = findings.iter().filter(|f| f.rule_kind == kind).collect();
        v.sort_by_key(|f| (std::cmp::Reverse(rules.rules[f.rule].priority), f.segment, f.start));
        v
    };
    let mut evidence = BTreeMap::new();
    // The strongest finding that gives a value, or that says why there is none.
    let decide = |kind: RuleKind, value: &dyn Fn(&Finding) -> Option<NaiveDate>| -> (Option<NaiveDate>, Option<&Finding>) {
        for f in by_priority(kind) {
            if rules.rules[f.rule].reason.is_some() {
                return (None, Some(f));
            }
            if let Some(d) = value(f) {
                return (Some(d), Some(f));
            }
        }
        (None, None)
    };
    // An effective date defined as the signing is the latest signature date.
    let latest_signature = findings.iter().filter(|f| rules.rules[f.rule].signature).filter_map(|f| f.date).max();
    // A date read where the parties sign stands for the agreement's date only
    // when nothing says more, and then it is the last one: the agreement is
    // made when the last party signs ("Date: March 3 | Date: March 9").
    let latest_of_rule = |rule: usize| findings.iter().filter(|g| g.rule == rule).filter_map(|g| g.date).max();
    let (effective, eff_from) = decide(RuleKind::EffectiveDate, &|f| {
        let rule = &rules.rules[f.rule];
        if rule.latest_signature {
            latest_signature
        } else if rule.signature {
            f.date.and(latest_of_rule(f.rule))
        } else {
            f.date
        }
    });
    if let Some(f) = eff_from {
        evidence.insert("effective_date".to_string(), f.evidence(rules));
    }
    // Anchors: the Effective Date, then every defined date, resolved in
    // rounds so that chains and forward references work.
    let mut anchors: HashMap<String, NaiveDate> = HashMap::new();
    if let Some(e) = effective {
        for k in OWN_DATE_ANCHORS {
            anchors.entry(k.into()).or_insert(e);
        }
    }
    let defined = by_priority(RuleKind::DefinedDate);
    for _ in 0..4 {
        for f in &defined {
            let key = anchor_key(&f.name);
            if key.is_empty() || anchors.contains_key(&key) {
                continue;
            }
            if let Some(d) = f.date.or_else(|| f.relative.as_ref().and_then(|r| resolve(r, &anchors, &ctx.calendar))) {
                anchors.insert(key, d);
            }
        }
    }
    let (expiration, exp_from) = decide(RuleKind::ExpirationDate, &|f| f.term_end(effective, &ctx.calendar));
    if let Some(f) = exp_from {
        evidence.insert("expiration_date".to_string(), f.evidence(rules));
    }
    if let Some(e) = expiration {
        anchors.insert(EXPIRATION_ANCHOR.into(), e);
    }
    let renewal = by_priority(RuleKind::Renewal).into_iter().find_map(|f| {
        let initial = exp_from.and_then(|e| e.term).filter(|_| renews_for_like_terms(&f.text));
        let period = f.term.or(initial)?;
        let auto = rules.rules[f.rule].renews_automatically?;
        Some((Renewal { auto, period, count: f.count }, f))
    });
    if let Some((_, f)) = renewal {
        evidence.insert("renewal".to_string(), f.evidence(rules));
    }
    // The notice that stops a renewal is stated in or next to the renewal clause.
    let mut notices: Vec<&Finding> = by_priority(RuleKind::NoticePeriod).into_iter().filter(|f| f.term.is_some()).collect();
    if let Some((_, r)) = renewal {
        notices.sort_by_key(|f| f.segment.abs_diff(r.segment) > 1);
    }
    let notice = notices.first().map(|f| {
        evidence.insert("notice_period".to_string(), f.evidence(rules));
        f.term.expect("filtered")
    });
    let opt_out = match (renewal, expiration, notice) {
        (Some((r, _)), Some(end), Some(n)) if r.auto => normalise::opt_out_deadline(end, n, &ctx.calendar),
        _ => None,
    };
    DocFields { effective, expiration, renewal: renewal.map(|(r, _)| r), notice, opt_out, evidence, anchors }
}

/// A candidate's date from its relative date, the defined date its date
/// cell names, or (a payment) the dated event it is due upon.
pub(crate) fn resolve_candidate(c: &mut Candidate, anchors: &HashMap<String, NaiveDate>, cal: &Calendar) {
    if c.date.is_some() {
        return;
    }
    if let Some(r) = &c.relative {
        c.date = resolve(r, anchors, cal);
    }
    if c.date.is_none() {
        if let Some(t) = &c.date_text {
            c.date = anchor_date(t, anchors);
        }
    }
    if c.date.is_none() && c.kind == Kind::Payment {
        if let Some(t) = &c.trigger {
            c.date = anchors.get(&anchor_key(t)).copied();
        }
    }
    if c.date.is_some() {
        c.add("time:resolved");
    }
}

/// Resolve defined dates and relative dates, pick document fields, decide
/// the candidates, dedupe.
pub fn finish(findings: Vec<Finding>, candidates: Vec<Candidate>, rules: &RuleSet, ctx: &DocContext) -> Analysed {
    let DocFields { effective, expiration, renewal, notice, opt_out, evidence, anchors } = document_fields(&findings, rules, ctx);
    let by_priority = |kind: RuleKind| {
        let mut v: Vec<&Finding> = findings.iter().filter(|f| f.rule_kind == kind).collect();
        v.sort_by_key(|f| (std::cmp::Reverse(rules.rules[f.rule].priority), f.segment, f.start));
        v
    };
    let mut records: Vec<Record> = Vec::new();
    for f in &findings {
        let Some(kind) = f.kind else { continue };
        let mut date = f.date;
        if date.is_none() {
            if let Some(r) = &f.relative {
                date = resolve(r, &anchors, &ctx.calendar);
            }
        }
        // A date cell that names a defined date ("Kick-off Date").
        if date.is_none() {
            if let Some(t) = &f.date_text {
                date = anchor_date(t, &anchors);
            }
        }
        // A payment due upon a dated event ("on the first anniversary of the
        // Effective Date", "upon the Launch Event") takes that event's date.
        if date.is_none() && kind == Kind::Payment {
            if let Some(t) = &f.trigger {
                date = anchors.get(&anchor_key(t)).copied().or_else(|| {
                    let r = normalise::find_relatives(t).into_iter().next()?;
                    // Only when the relative expression is the whole trigger.
                    (r.start <= 4 && r.end + 2 >= t.len()).then(|| resolve(&r.rel, &anchors, &ctx.calendar)).flatten()
                });
            }
        }
        let rec = Record {
            kind,
            name: f.name.clone(),
            date,
            relative: f.relative.clone(),
            amount: f.amount,
            percent: f.percent,
            trigger: f.trigger.clone(),
            page: f.page,
            text: f.text.clone(),
            rule: rules.rules[f.rule].id.clone(),
            milestone: f.milestone.clone(),
            date_ambiguous: f.ambiguous,
        };
        if records.iter().any(|r| same_item(r, &rec)) {
            continue;
        }
        records.push(rec);
    }
    // The decision's items, after the rules' own (a user's rule wins).
    for (c, _) in decide_candidates(candidates, rules, &anchors, &ctx.calendar) {
        let rec = candidate_record(&c);
        if !records.iter().any(|r| same_item(r, &rec)) {
            records.push(rec);
        }
    }
    records.sort_by_key(|r| r.page);
    // The same item twice, once with its date and once without (a definition,
    // then the schedule): keep the dated one.
    let dated: std::collections::HashSet<String> = records.iter().filter(|r| r.kind != Kind::Payment && r.date.is_some()).map(|r| anchor_key(&r.name)).collect();
    records.retain(|r| r.kind == Kind::Payment || r.date.is_some() || r.relative.is_some() || !dated.contains(&anchor_key(&r.name)));
    Analysed {
        records,
        effective_date: effective,
        expiration_date: expiration,
        parties: parties(&findings),
        contract_price: by_priority(RuleKind::ContractPrice).into_iter().find_map(|f| f.amount),
        renewal,
        notice_period: notice,
        opt_out_deadline: opt_out,
        evidence,
    }
}

/// Resolve the candidates' dates, decide them, one per item.
fn decide_candidates(mut candidates: Vec<Candidate>, rules: &RuleSet, anchors: &HashMap<String, NaiveDate>, cal: &Calendar) -> Vec<(Candidate, Decision)> {
    let Some(model) = &rules.model else { return Vec::new() };
    for c in &mut candidates {
        resolve_candidate(c, anchors, cal);
    }
    let decided = candidates.into_iter().map(|c| {
        let d = model.decide(&c);
        (c, d)
    });
    crate::decide::select(decided.collect())
}

/// The record of a kept candidate.
fn candidate_record(c: &Candidate) -> Record {
    Record {
        kind: c.kind,
        name: c.name.clone(),
        date: c.date,
        relative: c.relative.clone(),
        amount: c.amount,
        percent: c.percent,
        trigger: c.trigger.clone(),
        page: c.page,
        text: c.text.clone(),
        rule: format!("decide.{}", c.family.as_str()),
        milestone: None,
        date_ambiguous: c.ambiguous,
    }
}

/// The parties named on the first two pages (the preamble), in order, once each.
fn parties(findings: &[Finding]) -> Vec<String> {
    let mut found: Vec<&Finding> = findings.iter().filter(|f| f.rule_kind == RuleKind::Party && f.page <= 2).collect();
    found.sort_by_key(|f| (f.segment, f.start));
    let mut out: Vec<String> = Vec::new();
    for f in found {
        if !out.iter().any(|p| anchor_key(p) == anchor_key(&f.name)) && out.len() < 6 {
            out.push(f.name.clone());
        }
    }
    out
}

/// Anchors that name the agreement's own date, which the effective date
/// answers ("the date of this Agreement", "the date hereof").
pub(crate) const OWN_DATE_ANCHORS: [&str; 6] = ["effective date", "commencement date", "date of this agreement", "date of the agreement", "date hereof", "agreement date"];

/// Resolve a relative date whose anchor is known.
pub fn resolve(r: &Relative, anchors: &HashMap<String, NaiveDate>, cal: &Calendar) -> Option<NaiveDate> {
    let anchor = anchor_date(&r.anchor, anchors)?;
    normalise::apply(anchor, r.offset, r.unit, r.direction, cal)
}

/// The date of an anchor: a defined date, or the end of a term or period
/// ("the end of the Initial Term", "the expiry of the Grant Period"): the
/// expiration date for the agreement's own term, or the date a period was
/// defined by ("ends on August 31, 2027 (the "Grant Period")").
fn anchor_date(anchor: &str, anchors: &HashMap<String, NaiveDate>) -> Option<NaiveDate> {
    let key = anchor_key(anchor);
    if let Some(d) = anchors.get(&key) {
        return Some(*d);
    }
    // "the SOW Effective Date", "the Amendment Effective Date": the document's
    // own effective date, unless defined separately (looked up above).
    if key.ends_with(" effective date") {
        return anchors.get("effective date").copied();
    }
    let rest = ["end of ", "expiry of ", "expiration of ", "termination of ", "close of "].iter().find_map(|p| key.strip_prefix(p))?;
    let rest = anchor_key(rest);
    let period = rest.ends_with("term") || rest.ends_with("period") || rest == "agreement";
    if !period {
        return None;
    }
    // A term or period defined by its length is known by its end.
    anchors
        .get(&format!("end of {rest}"))
        .or_else(|| anchors.get(&rest))
        .or_else(|| {
            let own_term = rest == "agreement" || rest == "term" || rest == "initial term" || rest.ends_with(" term");
            own_term.then(|| anchors.get(EXPIRATION_ANCHOR)).flatten()
        })
        .copied()
}

/// Anchor key under which the expiration date is known.
const EXPIRATION_ANCHOR: &str = "\u{0}expiration";

/// Two records are the same item when kind, name and values agree.
fn same_item(a: &Record, b: &Record) -> bool {
    a.kind == b.kind && anchor_key(&a.name) == anchor_key(&b.name) && a.date == b.date && a.amount == b.amount && a.percent == b.percent
}

/// A captured name as a short label: no list numbers, quotes or trailing
/// punctuation, at most a dozen words.
pub fn clean_name(s: &str) -> String {
    static LEAD: once_cell::sync::Lazy<regex::Regex> = once_cell::sync::Lazy::new(|| {
        regex::Regex::new(r"^(?:(?:\d{1,2}(?:\.\d{1,2})*\.?|\([a-z0-9]{1,4}\)|[a-z]\)|[ivx]{1,4}\.|[•·\-–*])\s+)+|^(?i:(?:milestone|deliverable|phase|stage)\s+(?:no\.?\s*)?[0-9A-Z]{1,3}(?:\.[0-9]{1,2})*\s*[:.\-–—]?\s+)").unwrap()
    });
    let mut s = normalise_spaces(s);
    // List numbers and "Milestone 2:" labels can stack ("3.1 Milestone 2: ...").
    for _ in 0..3 {
        let stripped = LEAD.replace(&s, "").into_owned();
        if stripped == s {
            break;
        }
        s = stripped;
    }
    let s = s.trim_matches(|c: char| c.is_whitespace() || matches!(c, '"' | '\u{201c}' | '\u{201d}' | '\'' | ':' | ';' | ',' | '.' | '|' | '*'));
    let s = s.strip_prefix("the ").or_else(|| s.strip_prefix("The ")).unwrap_or(s);
    let words: Vec<&str> = s.split_whitespace().take(12).collect();
    words.join(" ")
}

/// A captured phrase (trigger) tidied: spaces folded, trailing punctuation off.
pub fn clean_phrase(s: &str) -> String {
    normalise_spaces(s).trim_matches(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '.' | ':' | '|')).to_string()
}

fn normalise_spaces(s: &str) -> String {
    crate::text::layout::squash_spaces(s)
}

/// One segment as `explain` shows it.
#[derive(Debug)]
pub struct Explained {
    /// The segment.
    pub segment: Segment,
    /// What the rules found, normalised.
    pub findings: Vec<Finding>,
    /// Hits dropped because a stronger hit overlapped them.
    pub overruled: Vec<Finding>,
    /// Candidates rejected by context.
    pub rejections: Vec<Rejection>,
    /// The finders' candidates in this segment, each with what was decided.
    pub candidates: Vec<(Candidate, Decision)>,
}

/// For `explain`: every segment with its findings and rejections.
pub fn explain(pages: &[Page], rules: &RuleSet, opts: &DocOptions) -> (DocContext, Vec<Explained>, Analysed) {
    let segments = segment::segment(pages);
    let full: String = segments.iter().map(|s| s.text.as_str()).collect::<Vec<_>>().join("\n");
    let ctx = DocContext::from_text(full, opts);
    let mut out = Vec::new();
    let mut all = Vec::new();
    for (i, seg) in segments.iter().enumerate() {
        let (hits, rejections) = rules.apply(seg, true);
        let found: Vec<Finding> = hit_findings(hits, &segments, i, rules, &ctx);
        let seg = seg.clone();
        let kept = settle(found.clone(), rules);
        let overruled = found.into_iter().filter(|f| !kept.iter().any(|k| k.rule == f.rule && k.start == f.start)).collect();
        all.extend(kept.iter().cloned());
        out.push(Explained { segment: seg, findings: kept, overruled, rejections, candidates: Vec::new() });
    }
    let cands = find_candidates(&segments, &all, rules, &ctx);
    // Every candidate with its decision, shown under its segment.
    if let Some(model) = &rules.model {
        let fields = document_fields(&all, rules, &ctx);
        for mut c in cands.clone() {
            resolve_candidate(&mut c, &fields.anchors, &ctx.calendar);
            let d = model.decide(&c);
            let seg = c.segment;
            out[seg].candidates.push((c, d));
        }
    }
    let analysed = finish(all, cands, rules, &ctx);
    (ctx, out, analysed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_terms_are_terms_of_the_same_length_not_the_same_conditions() {
        assert!(renews_for_like_terms("renews for successive terms of the same duration"));
        assert!(renews_for_like_terms("extended for like terms unless notice is given"));
        assert!(renews_for_like_terms("for further periods of equal length"));
        assert!(!renews_for_like_terms("renews automatically on the same terms and conditions"));
        assert!(!renews_for_like_terms("renews for one year on similar terms"));
    }

    /// A page whose lines are these texts, one under the other.
    fn page(lines: &[&str]) -> Page {
        let spans =
            lines.iter().enumerate().map(|(i, t)| crate::text::Span { text: t.to_string(), x0: 72.0, x1: 540.0, y: 100.0 + 30.0 * i as f32, size: 10.0, ..crate::text::Span::default() }).collect();
        crate::text::layout::build_page(crate::text::RawPage { number: 1, width: 612.0, height: 792.0, spans, ..Default::default() })
    }

    #[test]
    fn list_items_from_the_next_segment_come_out_in_document_order() {
        let pages = [page(&[
            "4.2 The Sponsor shall pay the Total Budget in three installments of $10,000 each, as follows: (a) the first installment on March 1, 2026;",
            "(b) the second installment on April 1, 2026; and (c) the third installment on May 1, 2026.",
        ])];
        let analysed = analyse(&pages, &RuleSet::builtin(), &crate::options::DocOptions::default());
        let got: Vec<(&str, Option<String>)> = analysed.records.iter().map(|r| (r.name.as_str(), r.date.map(|d| d.to_string()))).collect();
        // The items of the second segment start at small offsets, which
        // overlap the first item's: each is still kept, and in order.
        assert_eq!(got, [("first installment", Some("2026-03-01".into())), ("second installment", Some("2026-04-01".into())), ("third installment", Some("2026-05-01".into()))]);
    }

    #[test]
    fn an_effective_date_defined_as_the_signing_is_the_latest_signature() {
        let rules = RuleSet::builtin();
        let opts = crate::options::DocOptions::default();
        let lines = [
            "This Services Agreement is made between Alder Ltd and Birch Inc.",
            "\"Effective Date\" means the date on which the last of the parties signs this Agreement.",
            "ALDER LTD By: /s/ A. Alder Date: March 3, 2026",
            "BIRCH INC By: /s/ B. Birch Date: March 9, 2026",
        ];
        let analysed = analyse(&[page(&lines)], &rules, &opts);
        assert_eq!(analysed.effective_date, NaiveDate::from_ymd_opt(2026, 3, 9));
        assert_eq!(analysed.evidence["effective_date"].rule, "effective.signing-event");
        // No signature date: the weaker rules decide (here, none).
        let analysed = analyse(&[page(&lines[..2])], &rules, &opts);
        assert_eq!(analysed.effective_date, None);
    }

    #[test]
    fn signature_dates_alone_give_the_last_one() {
        // Nothing states the agreement's date: it is made when the last
        // party signs, whichever column signs first.
        let rules = RuleSet::builtin();
        let opts = crate::options::DocOptions::default();
        let lines = ["This Services Agreement is made between Alder Ltd and Birch Inc.", "By: A. Alder | By: B. Birch", "Date: March 3, 2026 | Date: March 9, 2026"];
        let analysed = analyse(&[page(&lines)], &rules, &opts);
        assert_eq!(analysed.effective_date, NaiveDate::from_ymd_opt(2026, 3, 9));
        assert_eq!(analysed.evidence["effective_date"].rule, "effective.signature-date");
    }

    #[test]
    fn names_are_cleaned() {
        assert_eq!(clean_name("3.1 Milestone 2: Beta release."), "Beta release");
        assert_eq!(clean_name("  \"Kick-off Meeting\" "), "Kick-off Meeting");
        assert_eq!(clean_name("the Final Report"), "Final Report");
    }
}
