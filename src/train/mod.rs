//! Learning the decision's weights from labelled folders.
//!
//! Every candidate of every labelled document is an example: positive when
//! it matches a labelled item (see [`eval`]), negative otherwise. Each
//! of the two decisions is a logistic regression over the candidates'
//! features, fitted by full-batch gradient descent with an L2 penalty: no
//! randomness, so the same folders give the same weights. Its threshold is
//! the one that gives the best F1 over whole documents, item by item as the
//! scorer counts them (duplicates and all). How well that holds on
//! documents it has not seen is measured by cross-validation: the documents
//! are dealt into folds, and each fold is decided by weights learned
//! without it.
//!
//! Apart from `decide` because gathering the examples ([`collect`]) runs
//! the pipeline, which imports `decide`.

pub mod eval;

use std::collections::{BTreeMap, HashMap};

use crate::candidates::Candidate;
use crate::decide::{self, Model, Weights};
use crate::lexicon::content_words;
use crate::record::Kind;
use eval::{Counts, LabelItem, Predicted};

/// One document's candidates and labels.
#[derive(Debug, Clone)]
pub struct DocExamples {
    /// Its name (for the report).
    pub name: String,
    /// The folder it came from (for per-folder scores).
    pub group: String,
    /// Candidates, with dates resolved.
    pub candidates: Vec<Candidate>,
    /// The labelled items.
    pub labels: Vec<LabelItem>,
}

/// Settings of a training run.
#[derive(Debug, Clone)]
pub struct TrainOptions {
    /// Folds of the cross-validation (documents dealt round-robin); 0 or 1: none.
    pub folds: usize,
    /// Times the cross-validation is repeated, the documents dealt in a
    /// different (fixed) order each time; its counts are summed.
    pub repeats: usize,
    /// L2 penalty.
    pub l2: f64,
    /// Gradient steps.
    pub iterations: usize,
    /// A feature seen in fewer candidates than this gets no weight.
    pub min_count: usize,
    /// When 2 or more: the schedule decision's thresholds are chosen on
    /// scores each document gets from weights learned without it, in this
    /// many folds, instead of on the training scores themselves. Those
    /// thresholds are lower: more items found on contracts with schedules,
    /// many more spurious ones on contracts without (docs/performance.md,
    /// "Threshold choice").
    pub threshold_folds: usize,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions { folds: 5, repeats: 1, l2: 10.0, iterations: 1000, min_count: 3, threshold_folds: 0 }
    }
}

/// Scores of a model over documents.
#[derive(Debug, Clone, Default)]
pub struct Scores {
    /// Schedule items.
    pub schedule: Counts,
    /// Payments.
    pub payment: Counts,
    /// Per group (folder): schedule and payments together.
    pub by_group: BTreeMap<String, Counts>,
}

impl Scores {
    /// Both kinds together.
    pub fn all(&self) -> Counts {
        let mut c = self.schedule;
        c.add(self.payment);
        c
    }
}

/// What training produced.
#[derive(Debug, Clone)]
pub struct Trained {
    /// The model learned from every document.
    pub model: Model,
    /// Its scores on the documents it learned from.
    pub fitted: Scores,
    /// Cross-validated scores (each document decided by a model that did not see it).
    pub cross_validated: Option<Scores>,
    /// Documents and candidates used.
    pub documents: usize,
    /// Candidates (schedule, payment) and how many matched a label.
    pub examples: [(usize, usize); 2],
    /// The model of each cross-validation fold (document `i` is held out of
    /// fold `i % folds`'s training).
    pub fold_models: Vec<Model>,
    /// Labelled items (schedule, payment) and how many some candidate
    /// matches: what any decision could find at best.
    pub reachable: [(usize, usize); 2],
}

/// Whether a candidate matches one of the labels, on the labelled page or
/// next to it.
pub fn is_positive(c: &Candidate, labels: &[LabelItem]) -> bool {
    let p = predicted(c);
    labels.iter().any(|l| l.page.is_none_or(|lp| lp.abs_diff(c.page) <= 1) && eval::admissible(l, &p).is_some())
}

/// What each candidate of a document teaches: `Some(true)` an item,
/// `Some(false)` not one, `None` nothing (left out of training).
///
/// The scorer's name test is loose ("one shared word"), so that a label is
/// found whatever words its reader chose. As a training signal it would
/// make "the cost of the Equipment" an example of the labelled "Equipment
/// installation". So of the candidates near a label's page that the scorer
/// would accept, only those whose names are closest to the label's are
/// examples of items; the others teach nothing either way.
pub fn targets(cands: &[Candidate], labels: &[LabelItem]) -> Vec<Option<bool>> {
    targets_by(cands, labels, None)
}

/// [`targets`], and when `scores` are given (a first model's), only the
/// best scored of a label's closest candidates is its example: a label
/// names one item, which a contract may mention several times, and the
/// mention that reads most like a scheduled item is the one it was taken
/// from.
pub fn targets_by(cands: &[Candidate], labels: &[LabelItem], scores: Option<&[f64]>) -> Vec<Option<bool>> {
    let mut out = vec![Some(false); cands.len()];
    let preds: Vec<Predicted> = cands.iter().map(predicted).collect();
    for l in labels {
        let lw = content_words(&l.name);
        let mut scored: Vec<(usize, f64)> = Vec::new();
        for (i, (c, p)) in cands.iter().zip(&preds).enumerate() {
            if l.page.is_some_and(|lp| lp.abs_diff(c.page) > 1) || eval::admissible(l, p).is_none() {
                continue;
            }
            let closeness = if c.kind == Kind::Payment {
                1.0
            } else {
                let pw = content_words(&c.name);
                let shared = lw.intersection(&pw).count() as f64;
                // Shared words over the label's and the name's: both should be mostly the other's.
                let jaccard = shared / lw.union(&pw).count().max(1) as f64;
                jaccard + if Some(c.page) == l.page { 0.05 } else { 0.0 }
            };
            scored.push((i, closeness));
            if out[i] == Some(false) {
                out[i] = None;
            }
        }
        let best = scored.iter().map(|s| s.1).fold(0.0, f64::max);
        let bag: Vec<usize> = scored.iter().filter(|(_, s)| *s >= best * 0.8 && *s >= 0.2).map(|(i, _)| *i).collect();
        match scores {
            None => bag.iter().for_each(|&i| out[i] = Some(true)),
            Some(sc) => {
                let top = bag.iter().map(|&i| sc[i]).fold(f64::MIN, f64::max);
                for &i in &bag {
                    if sc[i] >= top - 1e-9 {
                        out[i] = Some(true);
                    }
                }
            }
        }
    }
    out
}

/// A candidate as the matcher sees it.
pub fn predicted(c: &Candidate) -> Predicted {
    Predicted { kind: c.kind, name: c.name.clone(), date: c.date, amount: c.amount, percent: c.percent }
}

/// Fit one logistic regression; returns bias and weights.
fn fit(rows: &[(Vec<usize>, bool)], n_features: usize, opts: &TrainOptions) -> (f64, Vec<f64>) {
    let mut w = vec![0.0f64; n_features];
    let mut b = 0.0f64;
    if rows.is_empty() {
        return (-5.0, w);
    }
    let n = rows.len() as f64;
    // AdaGrad steps: features seen rarely still move.
    let mut g2w = vec![1e-8f64; n_features];
    let mut g2b = 1e-8f64;
    let rate = 0.5;
    for _ in 0..opts.iterations {
        let mut gw = vec![0.0f64; n_features];
        let mut gb = 0.0f64;
        for (feats, y) in rows {
            let s = b + feats.iter().map(|&f| w[f]).sum::<f64>();
            let p = decide::probability(s);
            let err = p - if *y { 1.0 } else { 0.0 };
            gb += err;
            for &f in feats {
                gw[f] += err;
            }
        }
        gb /= n;
        g2b += gb * gb;
        b -= rate * gb / g2b.sqrt();
        for f in 0..n_features {
            let g = gw[f] / n + opts.l2 * w[f] / n;
            g2w[f] += g * g;
            w[f] -= rate * g / g2w[f].sqrt();
        }
    }
    (b, w)
}

/// Learn the weights of one decision from candidates of one kind class.
fn learn(cands: &[(&Candidate, bool)], opts: &TrainOptions) -> Weights {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for (c, _) in cands {
        for f in &c.features {
            *counts.entry(f.as_str()).or_default() += 1;
        }
    }
    let mut names: Vec<&str> = counts.iter().filter(|(_, n)| **n >= opts.min_count).map(|(f, _)| *f).collect();
    names.sort_unstable();
    let index: HashMap<&str, usize> = names.iter().enumerate().map(|(i, f)| (*f, i)).collect();
    let rows: Vec<(Vec<usize>, bool)> = cands.iter().map(|(c, y)| (c.features.iter().filter_map(|f| index.get(f.as_str()).copied()).collect(), *y)).collect();
    let (bias, w) = fit(&rows, names.len(), opts);
    let weights = names.iter().zip(w).filter(|(_, w)| w.abs() >= 0.005).map(|(f, w)| (f.to_string(), round(w))).collect();
    Weights { bias: round(bias), threshold: 0.0, threshold_long: 0.0, weights }
}

fn round(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// Learn both decisions from documents.
fn learn_model(docs: &[&DocExamples], opts: &TrainOptions) -> Model {
    let fit_on = |scores: Option<&[Vec<f64>]>| {
        let mut sched = Vec::new();
        let mut pay = Vec::new();
        for (k, d) in docs.iter().enumerate() {
            let ys = targets_by(&d.candidates, &d.labels, scores.map(|s| s[k].as_slice()));
            for (c, y) in d.candidates.iter().zip(ys) {
                let Some(y) = y else { continue };
                if c.kind == Kind::Payment {
                    pay.push((c, y));
                } else {
                    sched.push((c, y));
                }
            }
        }
        Model { schedule: learn(&sched, opts), payment: learn(&pay, opts) }
    };
    // Twice: the second time each label teaches through the mention the
    // first model found most like an item.
    let first = fit_on(None);
    let scores = all_scores(&first, docs);
    fit_on(Some(&scores))
}

/// The records a model keeps from one document's candidates.
pub fn keep(model: &Model, cands: &[Candidate]) -> Vec<Candidate> {
    let scores: Vec<f64> = cands.iter().map(|c| model.decide(c).score).collect();
    kept_indices(model, cands, &scores).into_iter().map(|i| cands[i].clone()).collect()
}

/// Indices of the candidates kept at the model's thresholds, one per item.
fn kept_indices(model: &Model, cands: &[Candidate], scores: &[f64]) -> Vec<usize> {
    let idx: Vec<usize> = (0..cands.len())
        .filter(|&i| {
            let w = model.weights_for(cands[i].kind);
            decide::kept_by_convention(&cands[i]) || scores[i] >= if cands[i].doc_pages > decide::LONG_DOCUMENT_PAGES { w.threshold_long } else { w.threshold }
        })
        .collect();
    let refs: Vec<(&Candidate, f64)> = idx.iter().map(|&i| (&cands[i], scores[i])).collect();
    decide::one_per_item(&refs).into_iter().map(|k| idx[k]).collect()
}

/// Every document's candidate scores under a model (they do not depend on
/// the thresholds).
fn all_scores(model: &Model, docs: &[&DocExamples]) -> Vec<Vec<f64>> {
    docs.iter().map(|d| d.candidates.iter().map(|c| model.decide(c).score).collect()).collect()
}

/// Score a model over documents.
pub fn score(model: &Model, docs: &[&DocExamples]) -> Scores {
    score_with(model, docs, &all_scores(model, docs))
}

fn score_with(model: &Model, docs: &[&DocExamples], scores: &[Vec<f64>]) -> Scores {
    let mut s = Scores::default();
    for (d, sc) in docs.iter().zip(scores) {
        let kept = kept_indices(model, &d.candidates, sc);
        let (ls, lp): (Vec<LabelItem>, Vec<LabelItem>) = d.labels.iter().cloned().partition(|l| l.kind.is_schedule());
        let (ps, pp): (Vec<usize>, Vec<usize>) = kept.into_iter().partition(|&i| d.candidates[i].kind.is_schedule());
        let cs = eval::compare(&ls, &ps.iter().map(|&i| predicted(&d.candidates[i])).collect::<Vec<_>>());
        let cp = eval::compare(&lp, &pp.iter().map(|&i| predicted(&d.candidates[i])).collect::<Vec<_>>());
        s.schedule.add(cs);
        s.payment.add(cp);
        let g = s.by_group.entry(d.group.clone()).or_default();
        g.add(cs);
        g.add(cp);
    }
    s
}

/// The thresholds (on a grid) that give the best F1 over these documents,
/// for one decision with the other fixed: one for short documents, one
/// for long ones, each chosen on those documents.
fn tune_threshold(model: &mut Model, docs: &[&DocExamples], scores: &[Vec<f64>], payment: bool) {
    for long in [false, true] {
        let pick: Vec<usize> = (0..docs.len()).filter(|&k| docs[k].candidates.first().is_some_and(|c| (c.doc_pages > decide::LONG_DOCUMENT_PAGES) == long)).collect();
        if pick.is_empty() {
            continue;
        }
        let sub_docs: Vec<&DocExamples> = pick.iter().map(|&k| docs[k]).collect();
        let sub_scores: Vec<Vec<f64>> = pick.iter().map(|&k| scores[k].clone()).collect();
        let mut best = (f64::MIN, 0.0);
        for step in -12..=16 {
            let t = step as f64 * 0.25;
            let w = if payment { &mut model.payment } else { &mut model.schedule };
            if long {
                w.threshold_long = t;
            } else {
                w.threshold = t;
            }
            let s = score_with(model, &sub_docs, &sub_scores);
            let f1 = if payment { s.payment } else { s.schedule }.prf().2;
            if f1 > best.0 + 1e-9 {
                best = (f1, t);
            }
        }
        let w = if payment { &mut model.payment } else { &mut model.schedule };
        if long {
            w.threshold_long = best.1;
        } else {
            w.threshold = best.1;
        }
    }
}

fn learn_and_tune(docs: &[&DocExamples], opts: &TrainOptions) -> Model {
    let mut m = learn_model(docs, opts);
    let own = all_scores(&m, docs);
    // Payments always on the model's own scores: their examples are four
    // in five positive, and a fold's few negatives make a held-out
    // threshold jump from one grid step to the next.
    let held = held_out_scores(docs, opts);
    tune_threshold(&mut m, docs, held.as_ref().unwrap_or(&own), false);
    tune_threshold(&mut m, docs, &own, true);
    m
}

/// Every document's candidate scores under weights learned without it
/// (documents dealt round-robin into `threshold_folds` folds). A model
/// scores the documents it learned from higher than unseen ones, so a
/// threshold chosen on its own training scores is too strict for a
/// contract it has never read.
fn held_out_scores(docs: &[&DocExamples], opts: &TrainOptions) -> Option<Vec<Vec<f64>>> {
    let k = opts.threshold_folds;
    if k < 2 || docs.len() < k {
        return None;
    }
    let mut scores = vec![Vec::new(); docs.len()];
    for fold in 0..k {
        let train: Vec<&DocExamples> = docs.iter().enumerate().filter(|(i, _)| i % k != fold).map(|(_, d)| *d).collect();
        let m = learn_model(&train, opts);
        for (i, d) in docs.iter().enumerate().filter(|(i, _)| i % k == fold) {
            scores[i] = d.candidates.iter().map(|c| m.decide(c).score).collect();
        }
    }
    Some(scores)
}

/// Learn a model from labelled documents, with cross-validated scores.
pub fn train(docs: &[DocExamples], opts: &TrainOptions) -> Trained {
    let all: Vec<&DocExamples> = docs.iter().collect();
    let model = learn_and_tune(&all, opts);
    let fitted = score(&model, &all);
    let mut fold_models = Vec::new();
    let cross_validated = (opts.folds >= 2 && docs.len() >= opts.folds).then(|| {
        use rayon::prelude::*;
        let mut total = Scores::default();
        for r in 0..opts.repeats.max(1) {
            // Repeat 0 deals the documents in their order; later repeats in
            // an order fixed by a hash of their names.
            let mut order: Vec<usize> = (0..docs.len()).collect();
            if r > 0 {
                order.sort_by_key(|&i| crate::pipeline::sha256_hex(format!("{r}:{}", docs[i].name).as_bytes()));
            }
            let mut fold_of = vec![0; docs.len()];
            for (pos, &i) in order.iter().enumerate() {
                fold_of[i] = pos % opts.folds;
            }
            let results: Vec<(Model, Scores)> = (0..opts.folds)
                .into_par_iter()
                .map(|k| {
                    let train: Vec<&DocExamples> = docs.iter().enumerate().filter(|(i, _)| fold_of[*i] != k).map(|(_, d)| d).collect();
                    let held: Vec<&DocExamples> = docs.iter().enumerate().filter(|(i, _)| fold_of[*i] == k).map(|(_, d)| d).collect();
                    let m = learn_and_tune(&train, opts);
                    let s = score(&m, &held);
                    (m, s)
                })
                .collect();
            for (m, s) in results {
                if r == 0 {
                    fold_models.push(m);
                }
                total.schedule.add(s.schedule);
                total.payment.add(s.payment);
                for (g, c) in s.by_group {
                    total.by_group.entry(g).or_default().add(c);
                }
            }
        }
        total
    });
    let mut examples = [(0, 0); 2];
    for d in docs {
        for (c, y) in d.candidates.iter().zip(targets(&d.candidates, &d.labels)) {
            let slot = &mut examples[usize::from(c.kind == Kind::Payment)];
            slot.0 += 1;
            slot.1 += usize::from(y == Some(true));
        }
    }
    let mut reachable = [(0, 0); 2];
    for d in docs {
        let preds: Vec<Predicted> = d.candidates.iter().map(predicted).collect();
        for l in &d.labels {
            let slot = &mut reachable[usize::from(l.kind == Kind::Payment)];
            slot.0 += 1;
            slot.1 += usize::from(preds.iter().any(|p| eval::admissible(l, p).is_some()));
        }
    }
    Trained { model, fitted, cross_validated, documents: docs.len(), examples, fold_models, reachable }
}

/// A labelled document that could not be used, and why.
#[derive(Debug, Clone)]
pub struct Skipped {
    /// The PDF.
    pub pdf: std::path::PathBuf,
    /// Why.
    pub why: String,
}

/// A labelled document to read: the folder it is scored under, its label
/// and PDF, and the PDF as an input of a batch.
#[derive(Debug, Clone)]
pub struct LabelledDoc {
    /// The folder's name (per-folder scores).
    pub group: String,
    /// The label and its PDF.
    pub labelled: eval::Labelled,
    /// The PDF as a batch reads it.
    pub input: crate::discover::Input,
}

/// The labelled documents of `folders`, in order. `split`: in a folder that
/// has a `split.json`, only the documents of that part.
pub fn labelled(folders: &[std::path::PathBuf], split: Option<&str>) -> Result<Vec<LabelledDoc>, eval::LabelError> {
    let mut out = Vec::new();
    for dir in folders {
        let part = split.filter(|_| dir.join("split.json").is_file());
        let group = dir.file_name().map_or_else(|| dir.display().to_string(), |n| n.to_string_lossy().into_owned());
        out.extend(eval::read_folder(dir, part)?.into_iter().map(|l| {
            let input = crate::discover::Input { rel: l.pdf.display().to_string(), path: l.pdf.clone(), walk_error: None };
            LabelledDoc { group: group.clone(), labelled: l, input }
        }));
    }
    Ok(out)
}

/// The examples of labelled documents from what reading each one gave
/// (`examined[i]` is `docs[i]`'s): a document that is not `ok` is skipped,
/// with the reason extract would give.
pub fn examples(docs: &[LabelledDoc], examined: Vec<crate::pipeline::Examined>) -> (Vec<DocExamples>, Vec<Skipped>) {
    let mut out = Vec::new();
    let mut skipped = Vec::new();
    for (d, e) in docs.iter().zip(examined) {
        match e {
            crate::pipeline::Examined::Candidates(candidates) => {
                out.push(DocExamples { name: d.labelled.label.file.clone(), group: d.group.clone(), candidates, labels: d.labelled.label.items.clone() })
            }
            crate::pipeline::Examined::Failed { error, .. } => skipped.push(Skipped { pdf: d.labelled.pdf.clone(), why: error }),
        }
    }
    (out, skipped)
}

/// Read labelled folders and find every document's candidates, in this
/// process (in parallel): [`labelled`], then [`crate::pipeline::examine_input`]
/// on each, then [`examples`]. The `train` command reads them in worker
/// processes instead, under the time and memory limits.
pub fn collect(folders: &[std::path::PathBuf], split: Option<&str>, rules: &crate::rules::RuleSet, opts: &crate::options::DocOptions) -> Result<(Vec<DocExamples>, Vec<Skipped>), eval::LabelError> {
    use rayon::prelude::*;
    let docs = labelled(folders, split)?;
    let examined = docs.par_iter().map(|d| crate::pipeline::examine_input(&d.input, opts, rules)).collect();
    Ok(examples(&docs, examined))
}

/// Every candidate as a JSON line: its document, values, features, whether
/// it matches a label, its score and whether the model keeps it (the
/// cross-validation fold's model, which did not see the document, when
/// there are folds).
pub fn dump(docs: &[DocExamples], t: &Trained) -> String {
    let mut out = String::new();
    for (i, d) in docs.iter().enumerate() {
        // Each document as the model that did not see it decides it.
        let model = if t.fold_models.is_empty() { &t.model } else { &t.fold_models[i % t.fold_models.len()] };
        let kept = keep(model, &d.candidates);
        let ys = targets(&d.candidates, &d.labels);
        for (c, y) in d.candidates.iter().zip(ys) {
            let dec = model.decide(c);
            let selected = kept.iter().any(|k| k.segment == c.segment && k.span == c.span && k.name == c.name && k.amount == c.amount && k.date == c.date);
            let v = serde_json::json!({
                "doc": d.name, "group": d.group, "kind": c.kind.as_str(), "family": c.family.as_str(), "name": c.name,
                "date": c.date.map(|x| x.to_string()), "amount": c.amount.map(|m| m.to_string()),
                "percent": c.percent, "page": c.page, "segment": c.segment, "text": c.text, "features": c.features,
                "positive": y == Some(true), "target": y, "score": dec.score, "keep": dec.keep, "selected": selected,
            });
            out.push_str(&v.to_string());
            out.push('\n');
        }
        for l in &d.labels {
            let v = serde_json::json!({"doc": d.name, "group": d.group, "label": true, "kind": l.kind, "name": l.name, "date": l.date,
                "amount": l.amount.map(|m| m.to_string()), "percent": l.percent, "page": l.page,
                "reachable": d.candidates.iter().any(|c| eval::admissible(l, &predicted(c)).is_some()),
                "found": eval::matches(std::slice::from_ref(l), &kept.iter().map(predicted).collect::<Vec<_>>()).len() == 1});
            out.push_str(&v.to_string());
            out.push('\n');
        }
    }
    out
}

/// The model as a rule file (`rules/model.toml`): weights sorted by name,
/// with what it was trained on and how it scored in a comment.
pub fn model_toml(t: &Trained, trained_on: &str) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let _ = writeln!(s, "# The decision's weights: which candidates are items (see rules/README.md,");
    let _ = writeln!(s, "# \"The decision\"). Written by `contract-milestones train`; do not edit by");
    let _ = writeln!(s, "# hand, retrain. A feature not listed weighs nothing.");
    let _ = writeln!(s, "#");
    let _ = writeln!(s, "# Trained on {} documents: {}", t.documents, trained_on);
    let _ = writeln!(s, "# Candidates: {} schedule ({} match a label), {} payment ({} match a label).", t.examples[0].0, t.examples[0].1, t.examples[1].0, t.examples[1].1);
    let line = |name: &str, c: Counts| {
        let (p, r, f) = c.prf();
        format!("#   {name:<22} precision {p:.3}  recall {r:.3}  F1 {f:.3}  ({} found, {} labelled, {} kept)\n", c.found, c.labelled, c.predicted)
    };
    let _ = writeln!(s, "# Labelled items some candidate matches: {} of {} schedule, {} of {} payment.", t.reachable[0].1, t.reachable[0].0, t.reachable[1].1, t.reachable[1].0);
    let _ = writeln!(s, "# On the documents it learned from:");
    s.push_str(&line("all items", t.fitted.all()));
    if let Some(cv) = &t.cross_validated {
        let _ = writeln!(s, "# Cross-validated (each document decided by weights learned without it):");
        s.push_str(&line("all items", cv.all()));
        s.push_str(&line("schedule items", cv.schedule));
        s.push_str(&line("payments", cv.payment));
        for (g, c) in &cv.by_group {
            s.push_str(&line(g, *c));
        }
    }
    let _ = writeln!(s, "version = 1");
    let _ = writeln!(s);
    let _ = writeln!(s, "[model]");
    let _ = writeln!(s, "trained_on = {}", toml_string(trained_on));
    for (name, w) in [("schedule", &t.model.schedule), ("payment", &t.model.payment)] {
        let _ = writeln!(s);
        let _ = writeln!(s, "[model.{name}]");
        let _ = writeln!(s, "bias = {}", fmt_f(w.bias));
        let _ = writeln!(s, "threshold = {}", fmt_f(w.threshold));
        let _ = writeln!(s, "threshold_long = {}", fmt_f(w.threshold_long));
        let _ = writeln!(s);
        let _ = writeln!(s, "[model.{name}.weights]");
        for (f, v) in &w.weights {
            let _ = writeln!(s, "{} = {}", toml_string(f), fmt_f(*v));
        }
    }
    s
}

fn fmt_f(x: f64) -> String {
    let s = format!("{x:.3}");
    if s == "-0.000" {
        "0.000".into()
    } else {
        s
    }
}

fn toml_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_feature_that_marks_positives_gets_a_positive_weight() {
        let rows: Vec<(Vec<usize>, bool)> = (0..40).map(|i| (if i % 2 == 0 { vec![0] } else { vec![1] }, i % 2 == 0)).collect();
        let opts = TrainOptions { l2: 1.0, ..TrainOptions::default() };
        let (_, w) = fit(&rows, 2, &opts);
        assert!(w[0] > 1.0 && w[1] < -1.0, "{w:?}");
        // Deterministic.
        assert_eq!(fit(&rows, 2, &opts), fit(&rows, 2, &opts));
    }

    /// Documents whose candidates carry `shared` (an item) or `noise`, and
    /// one feature of their own.
    fn toy_docs() -> Vec<DocExamples> {
        use crate::segment::{Segment, SegmentKind};
        let seg = Segment { kind: SegmentKind::Sentence, page: 1, text: "x".into(), cells: vec![], header: vec![], heading: String::new(), title: String::new(), origin: Default::default() };
        (0..6)
            .map(|d| {
                let cand = |name: &str, feats: &[&str]| {
                    let mut c = Candidate::new(crate::candidates::Family::Active, Kind::Deliverable, &seg, 0, (0, 1));
                    c.name = name.into();
                    for f in feats {
                        c.add(*f);
                    }
                    c
                };
                let own = format!("doc{d}");
                let candidates = vec![cand("Pilot report", &["shared", &own]), cand("Staffing", &["noise", &own]), cand("Site plan", &["shared"]), cand("Insurance", &["noise"])];
                let labels = vec![
                    eval::LabelItem { kind: Kind::Deliverable, name: "Pilot report".into(), date: None, amount: None, percent: None, page: None },
                    eval::LabelItem { kind: Kind::Deliverable, name: "Site plan".into(), date: None, amount: None, percent: None, page: None },
                ];
                DocExamples { name: format!("d{d}.pdf"), group: "toy".into(), candidates, labels }
            })
            .collect()
    }

    #[test]
    fn held_out_scores_come_from_weights_learned_without_the_document() {
        let docs = toy_docs();
        let refs: Vec<&DocExamples> = docs.iter().collect();
        let opts = TrainOptions { threshold_folds: 3, min_count: 1, iterations: 200, ..TrainOptions::default() };
        let held = held_out_scores(&refs, &opts).expect("three folds of six documents");
        // Document 0 is in fold 0: its scores are those of weights learned
        // from the documents of the other folds, which never saw "doc0".
        let others: Vec<&DocExamples> = refs.iter().enumerate().filter(|(i, _)| i % 3 != 0).map(|(_, d)| *d).collect();
        let m = learn_model(&others, &opts);
        let want: Vec<f64> = docs[0].candidates.iter().map(|c| m.decide(c).score).collect();
        assert_eq!(held[0], want);
        assert!(!m.schedule.weights.contains_key("doc0"));
        // Off below two folds, and with fewer documents than folds.
        assert!(held_out_scores(&refs, &TrainOptions { threshold_folds: 0, ..opts.clone() }).is_none());
        assert!(held_out_scores(&refs[..2], &opts).is_none());
    }
}
