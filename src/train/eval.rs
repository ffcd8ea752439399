//! Labelled folders (docs/conventions.md) and how a record is matched to a
//! label, the way the corpora's scoring script matches them: for training
//! the decision and for its cross-validated scores.
//!
//! A labelled folder holds PDFs and `labels/NAME.json` beside them
//! (`{"file": "NAME.pdf", "status": "ok", "items": [{"kind", "name",
//! "date", "amount": {"value", "currency"}, "percent", "page"}]}`). A
//! schedule record matches a labelled milestone or deliverable when its
//! date equals the label's (when the label has one) and its name shares a
//! content word with the label's, at least one in four of its own; a
//! payment matches when amount, percent and date equal the label's where
//! the label has them.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Deserialize;

use crate::lexicon::content_words;
use crate::normalise::Money;
use crate::record::{Kind, Status};

/// One labelled item, read in the output's own types (a label in another
/// shape is refused, naming the file).
#[derive(Debug, Clone, Deserialize)]
pub struct LabelItem {
    /// milestone, deliverable or payment.
    pub kind: Kind,
    /// Its name.
    #[serde(default)]
    pub name: String,
    /// Its date (`YYYY-MM-DD`), or null.
    #[serde(default)]
    pub date: Option<NaiveDate>,
    /// Amount, when labelled.
    #[serde(default)]
    pub amount: Option<Money>,
    /// Percent, when labelled.
    #[serde(default)]
    pub percent: Option<f64>,
    /// Page.
    #[serde(default)]
    pub page: Option<u32>,
}

/// One label file.
#[derive(Debug, Clone, Deserialize)]
pub struct Label {
    /// The PDF's path relative to the folder.
    pub file: String,
    /// Expected status.
    #[serde(default = "ok")]
    pub status: Status,
    /// Items.
    #[serde(default)]
    pub items: Vec<LabelItem>,
}

fn ok() -> Status {
    Status::Ok
}

/// A labelled document: its PDF and its label.
#[derive(Debug, Clone)]
pub struct Labelled {
    /// The PDF.
    pub pdf: PathBuf,
    /// Its label.
    pub label: Label,
}

/// Errors reading a labelled folder.
#[derive(Debug, thiserror::Error)]
pub enum LabelError {
    /// The folder has no `labels/` or cannot be read.
    #[error("{0}: {1}")]
    Folder(String, String),
    /// A label file is not valid.
    #[error("{0}: not a valid label file: {1}")]
    Label(String, String),
    /// `split.json` lacks the named part.
    #[error("{0}: {1}")]
    Split(String, String),
}

/// The labelled documents of a folder whose status is `ok`, optionally
/// only those listed under `split` in the folder's `split.json`.
pub fn read_folder(dir: &Path, split: Option<&str>) -> Result<Vec<Labelled>, LabelError> {
    let ldir = dir.join("labels");
    let entries = std::fs::read_dir(&ldir).map_err(|e| LabelError::Folder(ldir.display().to_string(), format!("cannot read the labels folder: {e}")))?;
    let keep: Option<HashSet<String>> = match split {
        None => None,
        Some(name) => {
            let p = dir.join("split.json");
            let text = std::fs::read_to_string(&p).map_err(|e| LabelError::Split(p.display().to_string(), format!("cannot read: {e}")))?;
            let v: serde_json::Value = serde_json::from_str(&text).map_err(|e| LabelError::Split(p.display().to_string(), e.to_string()))?;
            let list = v.get(name).and_then(|l| l.as_array()).ok_or_else(|| LabelError::Split(p.display().to_string(), format!("has no list named `{name}`")))?;
            Some(list.iter().filter_map(|x| x.as_str().map(str::to_string)).collect())
        }
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|x| x == "json")).collect();
    paths.sort();
    let mut out = Vec::new();
    for p in paths {
        let text = std::fs::read_to_string(&p).map_err(|e| LabelError::Label(p.display().to_string(), e.to_string()))?;
        let label: Label = serde_json::from_str(&text).map_err(|e| LabelError::Label(p.display().to_string(), e.to_string()))?;
        if label.status != Status::Ok {
            continue;
        }
        if keep.as_ref().is_some_and(|k| !k.contains(&label.file)) {
            continue;
        }
        out.push(Labelled { pdf: dir.join(&label.file), label });
    }
    Ok(out)
}

/// What a predicted record offers for matching.
#[derive(Debug, Clone)]
pub struct Predicted {
    /// Its kind.
    pub kind: Kind,
    /// Its name.
    pub name: String,
    /// Its date.
    pub date: Option<NaiveDate>,
    /// Amount.
    pub amount: Option<Money>,
    /// Percent.
    pub percent: Option<f64>,
}

/// Whether a predicted record may match a labelled item, and how well
/// (higher is better).
pub fn admissible(label: &LabelItem, p: &Predicted) -> Option<f64> {
    let label_schedule = label.kind.is_schedule();
    if label_schedule != p.kind.is_schedule() {
        return None;
    }
    if label_schedule {
        if label.date.is_some() && p.date != label.date {
            return None;
        }
        let lw = content_words(&label.name);
        let pw = content_words(&p.name);
        if lw.is_empty() {
            let norm = |s: &str| s.to_lowercase().split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ");
            return (norm(&label.name) == norm(&p.name)).then_some(1.0);
        }
        let shared = lw.intersection(&pw).count();
        if shared == 0 || shared * 4 < pw.len() {
            return None;
        }
        let kind_ok = label.kind == p.kind;
        Some(kind_ok as u8 as f64 * 10.0 + shared as f64 / lw.union(&pw).count().max(1) as f64)
    } else {
        // Label amounts read as exact cents, so equal means the same amount.
        if label.amount.is_some() && p.amount != label.amount {
            return None;
        }
        if let Some(lp) = label.percent {
            match p.percent {
                Some(pp) if (pp - lp).abs() < 1e-6 => {}
                _ => return None,
            }
        }
        if label.date.is_some() && p.date != label.date {
            return None;
        }
        let agree = (label.amount.is_none() == p.amount.is_none()) as u8 + (label.percent.is_none() == p.percent.is_none()) as u8 + (p.date == label.date) as u8;
        Some(agree as f64)
    }
}

/// Counts of one comparison.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Matched pairs.
    pub found: usize,
    /// Labelled items.
    pub labelled: usize,
    /// Predicted records.
    pub predicted: usize,
}

impl Counts {
    /// Add another.
    pub fn add(&mut self, o: Counts) {
        self.found += o.found;
        self.labelled += o.labelled;
        self.predicted += o.predicted;
    }

    /// (precision, recall, F1).
    pub fn prf(&self) -> (f64, f64, f64) {
        let p = if self.predicted == 0 {
            if self.labelled == 0 {
                1.0
            } else {
                0.0
            }
        } else {
            self.found as f64 / self.predicted as f64
        };
        let r = if self.labelled == 0 {
            if self.predicted == 0 {
                1.0
            } else {
                0.0
            }
        } else {
            self.found as f64 / self.labelled as f64
        };
        let f = if p + r > 0.0 { 2.0 * p * r / (p + r) } else { 0.0 };
        (p, r, f)
    }
}

/// Match records to labels one to one, best pairs first (as the evaluation's scorer does);
/// returns the matched (label, record) index pairs.
pub fn matches(labels: &[LabelItem], preds: &[Predicted]) -> Vec<(usize, usize)> {
    let mut cands: Vec<(f64, usize, usize)> = Vec::new();
    for (i, l) in labels.iter().enumerate() {
        for (j, p) in preds.iter().enumerate() {
            if let Some(rank) = admissible(l, p) {
                cands.push((rank, i, j));
            }
        }
    }
    cands.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let (mut ul, mut up) = (HashSet::new(), HashSet::new());
    let mut out = Vec::new();
    for (_, i, j) in cands {
        if ul.contains(&i) || up.contains(&j) {
            continue;
        }
        ul.insert(i);
        up.insert(j);
        out.push((i, j));
    }
    out
}

/// Counts for one document.
pub fn compare(labels: &[LabelItem], preds: &[Predicted]) -> Counts {
    Counts { found: matches(labels, preds).len(), labelled: labels.len(), predicted: preds.len() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(kind: Kind, name: &str, date: Option<&str>) -> LabelItem {
        LabelItem { kind, name: name.into(), date: date.map(|d| d.parse().unwrap()), amount: None, percent: None, page: None }
    }

    fn pred(kind: Kind, name: &str, date: Option<&str>) -> Predicted {
        Predicted { kind, name: name.into(), date: date.map(|d| d.parse().unwrap()), amount: None, percent: None }
    }

    #[test]
    fn names_share_a_content_word_and_a_quarter_of_the_prediction() {
        let l = item(Kind::Deliverable, "Quarterly Forecast", None);
        assert!(admissible(&l, &pred(Kind::Deliverable, "rolling quarterly forecast", None)).is_some());
        assert!(admissible(&l, &pred(Kind::Milestone, "forecast", None)).is_some());
        // One shared word of five is too few.
        assert!(admissible(&l, &pred(Kind::Deliverable, "forecast covering sites regions products volumes", None)).is_none());
        assert!(admissible(&l, &pred(Kind::Payment, "forecast", None)).is_none());
        let dated = item(Kind::Milestone, "Launch", Some("2026-01-05"));
        assert!(admissible(&dated, &pred(Kind::Milestone, "launch", None)).is_none());
        assert!(admissible(&dated, &pred(Kind::Milestone, "launch", Some("2026-01-05"))).is_some());
    }

    #[test]
    fn matching_is_one_to_one() {
        let labels = vec![item(Kind::Deliverable, "Monthly report", None)];
        let preds = vec![pred(Kind::Deliverable, "monthly report", None), pred(Kind::Deliverable, "report", None)];
        assert_eq!(compare(&labels, &preds), Counts { found: 1, labelled: 1, predicted: 2 });
    }
}
