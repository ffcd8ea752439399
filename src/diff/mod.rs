//! What changed between two runs (`contract-milestones diff OLD NEW`):
//! documents added, removed, changed (SHA-256) or whose status changed; per
//! document, its records matched across the runs and what moved (dates,
//! amounts, shares, names), the document fields that changed, and a one-line
//! summary. Computed here as typed values; [`render`] writes them as a
//! table, Markdown or GitHub workflow commands, and `serde` as JSON.
//!
//! Documents are matched by `path`. Records are matched within one document
//! and one kind, one-to-one, by how alike they are (see [`MatchedBy`]): the
//! best-scoring pair first, ties broken by the records' order, so the same
//! two runs always give the same pairs.
//!
//! A *regression* is what a CI gate on slipped schedules fails on: a date
//! that moved later than the tolerance, a dated record that lost its date or
//! disappeared, an amount or share that changed or was lost, a document that
//! was `ok` and now is not. Anything else (earlier dates, new records, new or
//! removed documents, document fields) is reported but is not a regression.

pub mod render;

use std::collections::{BTreeSet, HashMap, VecDeque};

use chrono::NaiveDate;
use serde::Serialize;

use crate::normalise::Money;
use crate::record::{Document, Kind, Record, Status};

/// Content-word overlap (Jaccard) two names must exceed to be "similar".
/// Strictly more than half: "Payment upon completion of demolition" and
/// "... of framing" share half their words and are two different payments.
const SIMILAR_NAME: f64 = 0.5;
/// Least evidence similarity (Sørensen–Dice over letter pairs) for two
/// records to be matched by their evidence alone.
const SIMILAR_EVIDENCE: f64 = 0.8;

/// Words that say nothing about which record a name means.
const STOP_WORDS: &[&str] = &["a", "an", "the", "of", "and", "or", "to", "for", "by", "on", "in", "at", "with", "upon", "date", "no"];

/// How `diff` compares.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Days a date may move later before it is a regression.
    pub tolerance_days: u32,
}

/// The difference between two runs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diff {
    /// `--tolerance`, in days.
    pub tolerance_days: u32,
    /// Whether anything regressed (the exit code is 1 then).
    pub regressed: bool,
    /// Counts over all documents.
    pub counts: Counts,
    /// The documents that changed, were added or were removed, by path.
    /// Unchanged documents are only counted.
    pub documents: Vec<DocumentDiff>,
}

/// Counts over all documents.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Documents in the old run.
    pub old: usize,
    /// Documents in the new run.
    pub new: usize,
    /// In the new run only.
    pub added: usize,
    /// In the old run only.
    pub removed: usize,
    /// In both, with some change.
    pub changed: usize,
    /// In both, with no change.
    pub unchanged: usize,
    /// Changes that are regressions, over all documents.
    pub regressions: usize,
}

/// What happened to a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DocChange {
    /// Only in the new run.
    Added,
    /// Only in the old run.
    Removed,
    /// In both runs, with a change.
    Changed,
}

/// One document's changes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocumentDiff {
    /// The document's path, as both runs write it.
    pub path: String,
    /// added, removed or changed.
    pub change: DocChange,
    /// SHA-256 in the old run (null when added).
    pub old_sha256: Option<String>,
    /// SHA-256 in the new run (null when removed).
    pub new_sha256: Option<String>,
    /// The file's bytes differ (both SHA-256 known and different).
    pub content_changed: bool,
    /// Status in the old run (null when added).
    pub old_status: Option<Status>,
    /// Status in the new run (null when removed).
    pub new_status: Option<Status>,
    /// The new run's `error`, when its status is not `ok`.
    pub error: Option<String>,
    /// Document fields that changed: `status`, `effective_date`,
    /// `expiration_date`, `renewal`, `notice_period`, `opt_out_deadline`,
    /// `contract_price`.
    pub fields: Vec<FieldChange>,
    /// Records added, removed or changed, in the new run's order, then the
    /// removed ones in the old run's order.
    pub records: Vec<RecordDiff>,
    /// Records matched with no change.
    pub unchanged_records: usize,
    /// Changes here that are regressions.
    pub regressions: usize,
    /// One line for people: "Completion of pilot moved 42 days later; one milestone added".
    pub summary: String,
}

/// One value that changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldChange {
    /// Which value: a document field, or a record's `name`, `date`, `amount`,
    /// `percent`, `trigger`.
    pub field: &'static str,
    /// The old value as text (null: none).
    pub old: Option<String>,
    /// The new value as text (null: none).
    pub new: Option<String>,
    /// For dates both runs have: new − old in days (positive: later).
    pub days: Option<i64>,
    /// Whether this change is a regression.
    pub regression: bool,
}

/// What happened to a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordChange {
    /// Only in the new run.
    Added,
    /// Only in the old run.
    Removed,
    /// Matched, with a change.
    Changed,
}

named_enum! {
    /// How two records were matched across the runs.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
    pub enum MatchedBy {
        /// The same name, once case, punctuation and spacing are set aside.
        Name = "name",
        /// Names that share most of their content words (more than half of
        /// the two names' distinct words, "the", "of", "date"... aside).
        SimilarName = "similar_name",
        /// Different names, the same or nearly the same evidence text (a
        /// renamed record).
        Evidence = "evidence",
    }
}

/// A record as one run has it (the values `diff` compares).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecordSide {
    /// Its name.
    pub name: String,
    /// Its date, or null.
    pub date: Option<NaiveDate>,
    /// Amount payable.
    pub amount: Option<Money>,
    /// Share of the price.
    pub percent: Option<f64>,
    /// 1-based page.
    pub page: u32,
}

/// One record's changes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecordDiff {
    /// added, removed or changed.
    pub change: RecordChange,
    /// milestone, deliverable or payment.
    pub kind: Kind,
    /// How the pair was matched (null when added or removed).
    pub matched_by: Option<MatchedBy>,
    /// The record in the old run.
    pub old: Option<RecordSide>,
    /// The record in the new run.
    pub new: Option<RecordSide>,
    /// What changed (a changed record): `name`, `date`, `amount`, `percent`, `trigger`.
    pub changes: Vec<FieldChange>,
    /// Whether this record regressed (a date later than the tolerance, a
    /// lost date, a changed amount or share, a dated record removed).
    pub regression: bool,
}

impl RecordDiff {
    /// The record's current name (the old one when removed).
    pub fn name(&self) -> &str {
        self.new.as_ref().or(self.old.as_ref()).map_or("", |s| s.name.as_str())
    }

    /// The page to point at: the new run's, else the old run's.
    pub fn page(&self) -> u32 {
        self.new.as_ref().or(self.old.as_ref()).map_or(1, |s| s.page)
    }
}

/// Compare two runs.
pub fn diff(old: &[Document], new: &[Document], opts: &Options) -> Diff {
    // Paths may repeat in a run built from several folders: pair them in order.
    let mut by_path: HashMap<&str, VecDeque<usize>> = HashMap::new();
    for (i, d) in old.iter().enumerate() {
        by_path.entry(d.path.as_str()).or_default().push_back(i);
    }
    let mut used = vec![false; old.len()];
    let mut counts = Counts { old: old.len(), new: new.len(), ..Counts::default() };
    let mut docs = Vec::new();
    for n in new {
        match by_path.get_mut(n.path.as_str()).and_then(|q| q.pop_front()) {
            Some(i) => {
                used[i] = true;
                let d = document_pair(&old[i], n, opts);
                if d.is_change() {
                    counts.changed += 1;
                    docs.push(d);
                } else {
                    counts.unchanged += 1;
                }
            }
            None => {
                counts.added += 1;
                docs.push(document_alone(n, DocChange::Added));
            }
        }
    }
    for (i, o) in old.iter().enumerate() {
        if !used[i] {
            counts.removed += 1;
            docs.push(document_alone(o, DocChange::Removed));
        }
    }
    docs.sort_by(|a, b| a.path.cmp(&b.path).then(a.change.cmp(&b.change)));
    counts.regressions = docs.iter().map(|d| d.regressions).sum();
    Diff { tolerance_days: opts.tolerance_days, regressed: counts.regressions > 0, counts, documents: docs }
}

impl DocumentDiff {
    fn is_change(&self) -> bool {
        self.change != DocChange::Changed || self.content_changed || !self.fields.is_empty() || !self.records.is_empty()
    }

    /// Whether anything in this document regressed.
    pub fn regressed(&self) -> bool {
        self.regressions > 0
    }
}

fn side(r: &Record) -> RecordSide {
    RecordSide { name: r.name.clone(), date: r.date, amount: r.amount, percent: r.percent, page: r.page }
}

/// A document in one run only: every record is added (or removed). Removing
/// a whole document is not a regression: the file was taken out of the
/// folder, not its schedule out of the contract; its records are still
/// listed (in JSON) so a consumer can see what went with it.
fn document_alone(d: &Document, change: DocChange) -> DocumentDiff {
    let rchange = if change == DocChange::Added { RecordChange::Added } else { RecordChange::Removed };
    let records: Vec<RecordDiff> = d
        .records
        .iter()
        .map(|r| {
            let s = side(r);
            let (old, new) = if change == DocChange::Added { (None, Some(s)) } else { (Some(s), None) };
            RecordDiff { change: rchange, kind: r.kind, matched_by: None, old, new, changes: Vec::new(), regression: false }
        })
        .collect();
    let (old_side, new_side) = if change == DocChange::Added { (None, Some(d)) } else { (Some(d), None) };
    let mut out = DocumentDiff {
        path: d.path.clone(),
        change,
        old_sha256: old_side.map(|d| d.sha256.clone()),
        new_sha256: new_side.map(|d| d.sha256.clone()),
        content_changed: false,
        old_status: old_side.map(|d| d.status),
        new_status: new_side.map(|d| d.status),
        error: new_side.and_then(|d| d.error.clone()),
        fields: Vec::new(),
        records,
        unchanged_records: 0,
        regressions: 0,
        summary: String::new(),
    };
    out.summary = summary_line(&out);
    out
}

fn document_pair(o: &Document, n: &Document, opts: &Options) -> DocumentDiff {
    let mut fields = Vec::new();
    if o.status != n.status {
        fields.push(FieldChange { field: "status", old: Some(o.status.as_str().into()), new: Some(n.status.as_str().into()), days: None, regression: o.status == Status::Ok });
    }
    // A document that does not read has no fields to compare (they are all
    // null): its status says it. Document fields are reported, never
    // regressions: a later expiration is an extension as often as a
    // problem, and the gate is about schedules.
    if o.status == Status::Ok && n.status == Status::Ok {
        document_fields(&mut fields, o, n);
    }
    // A document that no longer reads has unknown records, not removed ones.
    let (records, unchanged) = if n.status == Status::Ok { records_diff(&o.records, &n.records, opts) } else { (Vec::new(), 0) };
    let regressions = fields.iter().filter(|f| f.regression).count() + records.iter().filter(|r| r.regression).count();
    let mut out = DocumentDiff {
        path: n.path.clone(),
        change: DocChange::Changed,
        old_sha256: Some(o.sha256.clone()),
        new_sha256: Some(n.sha256.clone()),
        content_changed: !o.sha256.is_empty() && !n.sha256.is_empty() && o.sha256 != n.sha256,
        old_status: Some(o.status),
        new_status: Some(n.status),
        error: n.error.clone(),
        fields,
        records,
        unchanged_records: unchanged,
        regressions,
        summary: String::new(),
    };
    out.summary = summary_line(&out);
    out
}

/// The document fields both runs read: effective, expiration, renewal,
/// notice, opt-out deadline, price.
fn document_fields(fields: &mut Vec<FieldChange>, o: &Document, n: &Document) {
    date_field(fields, "effective_date", o.effective_date, n.effective_date);
    date_field(fields, "expiration_date", o.expiration_date, n.expiration_date);
    text_field(fields, "renewal", o.renewal.map(renewal_text), n.renewal.map(renewal_text));
    text_field(fields, "notice_period", o.notice_period.map(|p| p.to_string()), n.notice_period.map(|p| p.to_string()));
    date_field(fields, "opt_out_deadline", o.opt_out_deadline, n.opt_out_deadline);
    if o.contract_price != n.contract_price {
        fields.push(FieldChange { field: "contract_price", old: o.contract_price.map(money_text), new: n.contract_price.map(money_text), days: None, regression: false });
    }
}

fn renewal_text(r: crate::normalise::Renewal) -> String {
    let count = r.count.map_or(String::new(), |c| format!(", at most {c} time{}", if c == 1 { "" } else { "s" }));
    format!("{} every {}{count}", if r.auto { "automatic" } else { "by option" }, r.period)
}

fn days_between(old: Option<NaiveDate>, new: Option<NaiveDate>) -> Option<i64> {
    Some((new? - old?).num_days())
}

/// A date as a change shows it: `YYYY-MM-DD`.
fn date_text(d: Option<NaiveDate>) -> Option<String> {
    d.map(|d| d.to_string())
}

fn date_field(out: &mut Vec<FieldChange>, field: &'static str, old: Option<NaiveDate>, new: Option<NaiveDate>) {
    if old != new {
        out.push(FieldChange { field, old: date_text(old), new: date_text(new), days: days_between(old, new), regression: false });
    }
}

fn text_field(out: &mut Vec<FieldChange>, field: &'static str, old: Option<String>, new: Option<String>) {
    if old != new {
        out.push(FieldChange { field, old, new, days: None, regression: false });
    }
}

/// `USD 21,500.00`.
pub fn money_text(m: Money) -> String {
    crate::check::money_text(m.value, m.currency)
}

fn percent_text(p: f64) -> String {
    format!("{p}%")
}

/// Lower-case words of a text, punctuation dropped.
fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(|w| w.to_lowercase()).collect()
}

/// The words that name the thing.
fn content_words(s: &str) -> BTreeSet<String> {
    words(s).into_iter().filter(|w| !STOP_WORDS.contains(&w.as_str())).collect()
}

fn jaccard(a: &BTreeSet<String>, b: &BTreeSet<String>) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let shared = a.intersection(b).count();
    shared as f64 / (a.len() + b.len() - shared) as f64
}

/// How alike two evidence texts are, 0 to 1; 0 when either is empty.
fn evidence_similarity(a: &str, b: &str) -> f64 {
    let (a, b) = (words(a).join(" "), words(b).join(" "));
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    strsim::sorensen_dice(&a, &b)
}

/// A possible pair and how good it is.
struct Candidate {
    by: MatchedBy,
    /// Name overlap or evidence similarity, by `by`.
    score: f64,
    /// Evidence similarity, the tie-breaker between equally named records.
    evidence: f64,
    old: usize,
    new: usize,
    /// Distance between the two records' places in their kind's list.
    shift: usize,
}

/// Whether and how two records of one kind match.
fn candidate(o: &Record, n: &Record) -> Option<(MatchedBy, f64, f64)> {
    let evidence = evidence_similarity(&o.text, &n.text);
    let (on, nn) = (words(&o.name), words(&n.name));
    if !on.is_empty() && on == nn {
        return Some((MatchedBy::Name, 1.0, evidence));
    }
    let overlap = jaccard(&content_words(&o.name), &content_words(&n.name));
    if overlap > SIMILAR_NAME {
        return Some((MatchedBy::SimilarName, overlap, evidence));
    }
    (evidence >= SIMILAR_EVIDENCE).then_some((MatchedBy::Evidence, evidence, evidence))
}

/// One-to-one pairs (old index, new index, how), greedily from the best:
/// same name before similar name before evidence; then the higher score,
/// the more similar evidence, the nearer place in the list, the earlier old
/// record, the earlier new record. Deterministic for the same input.
fn match_records(old: &[&Record], new: &[&Record]) -> Vec<(usize, usize, MatchedBy)> {
    let mut cands = Vec::new();
    for (i, o) in old.iter().enumerate() {
        for (j, n) in new.iter().enumerate() {
            if let Some((by, score, evidence)) = candidate(o, n) {
                cands.push(Candidate { by, score, evidence, old: i, new: j, shift: i.abs_diff(j) });
            }
        }
    }
    cands.sort_by(|a, b| a.by.cmp(&b.by).then(b.score.total_cmp(&a.score)).then(b.evidence.total_cmp(&a.evidence)).then(a.shift.cmp(&b.shift)).then(a.old.cmp(&b.old)).then(a.new.cmp(&b.new)));
    let (mut old_used, mut new_used) = (vec![false; old.len()], vec![false; new.len()]);
    let mut pairs = Vec::new();
    for c in cands {
        if !old_used[c.old] && !new_used[c.new] {
            old_used[c.old] = true;
            new_used[c.new] = true;
            pairs.push((c.old, c.new, c.by));
        }
    }
    pairs
}

/// The changes of a matched pair.
fn pair_changes(o: &Record, n: &Record, opts: &Options) -> Vec<FieldChange> {
    let mut out = Vec::new();
    if words(&o.name) != words(&n.name) {
        out.push(FieldChange { field: "name", old: Some(o.name.clone()), new: Some(n.name.clone()), days: None, regression: false });
    }
    if o.date != n.date {
        let days = days_between(o.date, n.date);
        // Lost its date, or moved later than the tolerance.
        let regression = match (&o.date, &n.date) {
            (Some(_), None) => true,
            _ => days.is_some_and(|d| d > i64::from(opts.tolerance_days)),
        };
        out.push(FieldChange { field: "date", old: date_text(o.date), new: date_text(n.date), days, regression });
    }
    // Amounts compare as numbers and currencies (they are read as such).
    if o.amount != n.amount {
        // A changed or lost amount; one that appears is news, not a regression.
        out.push(FieldChange { field: "amount", old: o.amount.map(money_text), new: n.amount.map(money_text), days: None, regression: o.amount.is_some() });
    }
    if o.percent != n.percent {
        out.push(FieldChange { field: "percent", old: o.percent.map(percent_text), new: n.percent.map(percent_text), days: None, regression: o.percent.is_some() });
    }
    if o.trigger != n.trigger {
        out.push(FieldChange { field: "trigger", old: o.trigger.clone(), new: n.trigger.clone(), days: None, regression: false });
    }
    out
}

/// Records of two runs of one document: the changed, added and removed
/// ones, and how many matched unchanged.
fn records_diff(old: &[Record], new: &[Record], opts: &Options) -> (Vec<RecordDiff>, usize) {
    // Per new record: its diff (None when unchanged); removed ones after.
    let mut per_new: Vec<Option<RecordDiff>> = vec![None; new.len()];
    let mut removed = Vec::new();
    let mut unchanged = 0;
    for &kind in Kind::ALL {
        let oi: Vec<usize> = (0..old.len()).filter(|&i| old[i].kind == kind).collect();
        let ni: Vec<usize> = (0..new.len()).filter(|&i| new[i].kind == kind).collect();
        let o: Vec<&Record> = oi.iter().map(|&i| &old[i]).collect();
        let n: Vec<&Record> = ni.iter().map(|&i| &new[i]).collect();
        let pairs = match_records(&o, &n);
        let mut old_matched = vec![false; o.len()];
        let mut new_matched = vec![false; n.len()];
        for (a, b, by) in pairs {
            old_matched[a] = true;
            new_matched[b] = true;
            let changes = pair_changes(o[a], n[b], opts);
            if changes.is_empty() {
                unchanged += 1;
                continue;
            }
            let regression = changes.iter().any(|c| c.regression);
            per_new[ni[b]] = Some(RecordDiff { change: RecordChange::Changed, kind, matched_by: Some(by), old: Some(side(o[a])), new: Some(side(n[b])), changes, regression });
        }
        for (b, m) in new_matched.iter().enumerate() {
            if !m {
                per_new[ni[b]] = Some(RecordDiff { change: RecordChange::Added, kind, matched_by: None, old: None, new: Some(side(n[b])), changes: Vec::new(), regression: false });
            }
        }
        for (a, m) in old_matched.iter().enumerate() {
            if !m {
                // A dated record that disappeared is a regression; an undated one is news.
                removed.push((oi[a], RecordDiff { change: RecordChange::Removed, kind, matched_by: None, old: Some(side(o[a])), new: None, changes: Vec::new(), regression: o[a].date.is_some() }));
            }
        }
    }
    removed.sort_by_key(|(i, _)| *i);
    let mut out: Vec<RecordDiff> = per_new.into_iter().flatten().collect();
    out.extend(removed.into_iter().map(|(_, r)| r));
    (out, unchanged)
}

/// "one", "two" ... "ten", then figures.
fn count_words(n: usize) -> String {
    const W: [&str; 11] = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"];
    W.get(n).map_or(n.to_string(), |w| w.to_string())
}

fn plural(n: usize, noun: &str) -> String {
    format!("{} {noun}{}", count_words(n), if n == 1 { "" } else { "s" })
}

/// "42 days later", "1 day earlier".
pub fn days_text(days: i64) -> String {
    let n = days.unsigned_abs();
    format!("{n} day{} {}", if n == 1 { "" } else { "s" }, if days < 0 { "earlier" } else { "later" })
}

/// Records of one kind that changed in some way, counted per kind: "one
/// milestone added", "two payments removed".
fn per_kind(records: &[&RecordDiff], verb: &str, parts: &mut Vec<String>) {
    for &kind in Kind::ALL {
        let n = records.iter().filter(|r| r.kind == kind).count();
        if n > 0 {
            parts.push(format!("{} {verb}", plural(n, kind.as_str())));
        }
    }
}

/// At most this many records are named in a summary line; more are counted.
const NAMED: usize = 3;

/// The one-line summary of a document's changes.
fn summary_line(d: &DocumentDiff) -> String {
    let mut parts: Vec<String> = Vec::new();
    let status = |s: Option<Status>| s.map_or("", |s| s.as_str());
    match d.change {
        DocChange::Added if d.new_status == Some(Status::Ok) => {
            let recs: Vec<&RecordDiff> = d.records.iter().collect();
            let mut kinds = Vec::new();
            per_kind(&recs, "", &mut kinds);
            let kinds: Vec<String> = kinds.iter().map(|k| k.trim_end().to_string()).collect();
            return format!("new contract: {}", if kinds.is_empty() { "no records".into() } else { kinds.join(", ") });
        }
        DocChange::Added => return format!("new document, `{}`", status(d.new_status)),
        DocChange::Removed => return format!("removed (had {})", plural(d.records.len(), "record")),
        DocChange::Changed => {}
    }
    match (d.old_status, d.new_status) {
        (Some(Status::Ok), Some(n)) if n != Status::Ok => parts.push(format!("stopped parsing: now `{}`", n.as_str())),
        (Some(o), Some(Status::Ok)) if o != Status::Ok => parts.push(format!("parses again (was `{}`)", o.as_str())),
        (Some(o), Some(n)) if o != n => parts.push(format!("status `{}` → `{}`", o.as_str(), n.as_str())),
        _ => {}
    }
    let changed = |field: &str| -> Vec<(&RecordDiff, &FieldChange)> { d.records.iter().filter_map(|r| r.changes.iter().find(|c| c.field == field).map(|c| (r, c))).collect() };
    let dates = changed("date");
    let moved = |later: bool| -> Vec<(&RecordDiff, i64)> { dates.iter().filter_map(|(r, c)| c.days.filter(|&x| x != 0 && (x > 0) == later).map(|x| (*r, x))).collect() };
    for later in [true, false] {
        let m = moved(later);
        if m.len() <= NAMED {
            parts.extend(m.iter().map(|(r, x)| format!("{} moved {}", r.name(), days_text(*x))));
        } else {
            let most = m.iter().map(|(_, x)| x.unsigned_abs()).max().unwrap_or(0);
            parts.push(format!("{} dates moved {} (by up to {most} days)", count_words(m.len()), if later { "later" } else { "earlier" }));
        }
    }
    let lost: Vec<&RecordDiff> = dates.iter().filter(|(_, c)| c.old.is_some() && c.new.is_none()).map(|(r, _)| *r).collect();
    if lost.len() <= NAMED {
        parts.extend(lost.iter().map(|r| format!("{} lost its date", r.name())));
    } else {
        parts.push(format!("{} lost their dates", plural(lost.len(), "record")));
    }
    let gained = dates.iter().filter(|(_, c)| c.old.is_none() && c.new.is_some()).count();
    if gained > 0 {
        parts.push(format!("{} now dated", plural(gained, "record")));
    }
    for (field, what) in [("amount", "amount"), ("percent", "share")] {
        let c = changed(field);
        if c.len() <= NAMED {
            parts.extend(c.iter().map(|(r, c)| format!("{} {what} {} → {}", r.name(), c.old.as_deref().unwrap_or("none"), c.new.as_deref().unwrap_or("none"))));
        } else {
            parts.push(format!("{} {what}s changed", count_words(c.len())));
        }
    }
    let renamed: Vec<&RecordDiff> = changed("name").into_iter().map(|(r, _)| r).collect();
    per_kind(&renamed, "renamed", &mut parts);
    let triggers: Vec<&RecordDiff> = changed("trigger").into_iter().map(|(r, _)| r).collect();
    per_kind(&triggers, "with a new trigger", &mut parts);
    let added: Vec<&RecordDiff> = d.records.iter().filter(|r| r.change == RecordChange::Added).collect();
    per_kind(&added, "added", &mut parts);
    let removed: Vec<&RecordDiff> = d.records.iter().filter(|r| r.change == RecordChange::Removed).collect();
    per_kind(&removed, "removed", &mut parts);
    for f in d.fields.iter().filter(|f| f.field != "status") {
        let name = f.field.replace('_', " ");
        parts.push(match (f.days, &f.old, &f.new) {
            (Some(x), _, _) => format!("{name} moved {}", days_text(x)),
            (None, Some(_), None) => format!("{name} no longer found"),
            (None, None, Some(n)) => format!("{name} now {n}"),
            (None, o, n) => format!("{name} {} → {}", o.as_deref().unwrap_or("none"), n.as_deref().unwrap_or("none")),
        });
    }
    if parts.is_empty() {
        return if d.content_changed { "file changed; schedule unchanged".into() } else { "no change".into() };
    }
    parts.join("; ")
}

#[cfg(test)]
mod tests;
