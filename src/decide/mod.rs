//! Decide stage: which candidates are items.
//!
//! A candidate's features each carry a weight (`rules/model.toml`); the sum
//! of its features' weights and a bias is its score, and a candidate whose
//! score reaches the model's threshold is kept. Schedule items and
//! payments have a model each. The weights are data a person can read and
//! diff: `contract-milestones train` learns them from labelled folders
//! (the `train` module), and `explain` shows every candidate's score with the
//! features that made it.

use std::collections::BTreeMap;

use crate::candidates::{Candidate, Family};
use crate::lexicon::content_words;
use crate::record::Kind;

/// The weights of one decision.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Weights {
    /// Score of a candidate with no known feature.
    pub bias: f64,
    /// Candidates of a short document scoring at least this are kept.
    pub threshold: f64,
    /// The same for a long document (more than [`LONG_DOCUMENT_PAGES`]
    /// pages): a long agreement states many duties of which few are
    /// scheduled items, and keeps fewer candidates.
    pub threshold_long: f64,
    /// Weight of each feature; a feature not listed weighs nothing.
    pub weights: BTreeMap<String, f64>,
}

impl Weights {
    /// The score of a set of features and what each contributed.
    pub fn score(&self, features: &[String]) -> (f64, Vec<(String, f64)>) {
        let mut parts = Vec::new();
        let mut total = self.bias;
        for f in features {
            if let Some(w) = self.weights.get(f) {
                total += w;
                parts.push((f.clone(), *w));
            }
        }
        (total, parts)
    }
}

/// A document with more pages than this is long (see [`Weights::threshold_long`]).
pub const LONG_DOCUMENT_PAGES: u32 = 6;

/// The two decisions.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Model {
    /// Milestones and deliverables.
    pub schedule: Weights,
    /// Payments.
    pub payment: Weights,
}

/// What was decided about one candidate, and why.
#[derive(Debug, Clone)]
pub struct Decision {
    /// Kept as an item.
    pub keep: bool,
    /// Its score.
    pub score: f64,
    /// The threshold it was compared with.
    pub threshold: f64,
    /// Each feature's part of the score, largest first.
    pub because: Vec<(String, f64)>,
}

impl Model {
    /// The weights that decide a candidate of this kind.
    pub fn weights_for(&self, kind: Kind) -> &Weights {
        if kind == Kind::Payment {
            &self.payment
        } else {
            &self.schedule
        }
    }

    /// Decide one candidate.
    pub fn decide(&self, c: &Candidate) -> Decision {
        let w = self.weights_for(c.kind);
        let (score, mut because) = w.score(&c.features);
        because.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()).then(a.0.cmp(&b.0)));
        let threshold = if c.doc_pages > LONG_DOCUMENT_PAGES { w.threshold_long } else { w.threshold };
        let by_convention = kept_by_convention(c);
        if by_convention {
            because.insert(0, ("labelled line or timetable row with its date (kept whatever its score)".to_string(), 0.0));
        }
        Decision { keep: score >= threshold || by_convention, score, threshold, because }
    }
}

/// Items by the structure alone, whatever the weights say (few labelled
/// contracts have them to learn from): a line the contract itself labels
/// as a milestone, deliverable or phase and gives a time ("Milestone 2.1.
/// Pilot batch released: June 30, 2027"), a dated row of a timetable
/// (a table whose header names its items and their dates, "Activity | Due",
/// and that holds no money), and an item with a time of its own in a list
/// whose introduction calls its items deliverables, milestones or phases
/// ("The Consultant shall provide the following deliverables: (a) an
/// inception report within 14 days after the Effective Date; ...").
pub fn kept_by_convention(c: &Candidate) -> bool {
    let dated = ["time:date", "time:resolved"].iter().any(|f| c.has(f));
    let labelled = c.has("item:labelled") && (dated || c.has("time:relative"));
    let timetable_row = c.has("family:table_row") && c.has("header:name") && c.has("header:date") && dated && !c.has("row:amount") && !c.has("heading:not_schedule");
    let listed = c.has("family:list_item") && c.has("intro:names_items") && (dated || c.has("time:relative")) && !c.has("heading:not_schedule");
    c.kind.is_schedule() && (labelled || timetable_row || listed)
}

/// The kept candidates, one per item, in document order. The same item is
/// often stated more than once (a report named in a definition, then in the
/// reporting clause; an amount in a table and in the text): of candidates
/// that are the same item, the best scored stays.
pub fn select(decided: Vec<(Candidate, Decision)>) -> Vec<(Candidate, Decision)> {
    let kept: Vec<(Candidate, Decision)> = decided.into_iter().filter(|(_, d)| d.keep).collect();
    let refs: Vec<(&Candidate, f64)> = kept.iter().map(|(c, d)| (c, d.score)).collect();
    let chosen = one_per_item(&refs);
    let mut slots: Vec<Option<(Candidate, Decision)>> = kept.into_iter().map(Some).collect();
    chosen.into_iter().filter_map(|i| slots[i].take()).collect()
}

/// Of kept candidates with their scores, the indices of one per item (the
/// best scored of those that are the same item), in document order,
/// without a payment that the others divide (`is_whole_of`).
pub fn one_per_item(kept: &[(&Candidate, f64)]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..kept.len()).collect();
    order.sort_by(|&a, &b| kept[b].1.total_cmp(&kept[a].1).then(a.cmp(&b)));
    let mut chosen: Vec<usize> = Vec::new();
    for i in order {
        if !chosen.iter().any(|&j| same_item(kept[i].0, kept[j].0)) {
            chosen.push(i);
        }
    }
    chosen.sort_unstable();
    let whole: Vec<usize> = chosen.iter().copied().filter(|&i| is_whole_of(kept[i].0, chosen.iter().filter(|&&j| j != i).map(|&j| kept[j].0))).collect();
    chosen.retain(|i| !whole.contains(i));
    chosen
}

/// Whether a payment is the whole that other kept payments divide: two or
/// more of them are stated shares of its sum ("20% ($64,000)" of
/// $320,000), or, one-off sums all, they add up to it. The instalments are
/// the payments, never also their total (docs/conventions.md).
fn is_whole_of<'a>(c: &Candidate, others: impl Iterator<Item = &'a Candidate>) -> bool {
    let Some(total) = c.amount.filter(|_| c.kind == Kind::Payment && c.percent.is_none()) else {
        return false;
    };
    let parts: Vec<&Candidate> = others.filter(|o| o.kind == Kind::Payment && o.amount.is_some_and(|a| a.currency == total.currency && a.value.0 < total.value.0)).collect();
    let shares = parts.iter().filter(|o| o.percent.is_some_and(|p| p > 0.0 && p < 100.0 && ((total.value.0 as f64) * p / 100.0 - o.amount.map_or(0.0, |a| a.value.0 as f64)).abs() <= 100.0)).count();
    if shares >= 2 {
        return true;
    }
    let one_off: Vec<&&Candidate> = parts.iter().filter(|o| !o.has("time:recurrence")).collect();
    one_off.len() >= 2 && one_off.iter().map(|o| o.amount.map_or(0, |a| a.value.0)).sum::<i128>() == total.value.0
}

/// Whether two candidates are the same item: the same values, or the same
/// place.
pub fn same_item(a: &Candidate, b: &Candidate) -> bool {
    if a.kind.is_schedule() != b.kind.is_schedule() {
        return false;
    }
    if a.kind == Kind::Payment {
        // Equal sums are one payment stated twice only when their names say
        // so too: two rows of a schedule may each be 15% of the price.
        // Rows of one table, and sums stated apart in one sentence ("50%
        // on signing and 50% upon acceptance"), are separate payments.
        let same_place = a.segment == b.segment && a.span.0 < b.span.1 && b.span.0 < a.span.1;
        let apart = a.segment == b.segment || (a.family == Family::TableRow && b.family == Family::TableRow);
        let named_alike = a.name == "Payment" || b.name == "Payment" || !content_words(&a.name).is_disjoint(&content_words(&b.name));
        // Due upon different events: two payments.
        let other_events = a.trigger.is_some() && b.trigger.is_some() && a.trigger != b.trigger;
        return a.amount == b.amount && a.percent == b.percent && a.date == b.date && !other_events && (same_place || named_alike && !apart);
    }
    // The same place, unless the place states two items with two dates
    // ("the build by May 1, and the guide by June 5").
    let same_place = a.segment == b.segment && a.span.0 < b.span.1 && b.span.0 < a.span.1 && a.date == b.date;
    // A titled paragraph's item and the obligation in its body.
    let titled = (a.family == Family::Titled || b.family == Family::Titled) && a.segment.abs_diff(b.segment) <= 8 && a.date == b.date && !content_words(&a.name).is_disjoint(&content_words(&b.name));
    // The same thing named again elsewhere, in fewer or more words ("the
    // JMC", "a Joint Management Committee (JMC)"): the words of one name
    // are all in the other. Items of one list or one table are never that
    // ("Flix Pro for Mac", "Flix Pro for Mac Demo").
    let (wa, wb) = (content_words(&a.name), content_words(&b.name));
    let siblings = a.family == b.family && matches!(a.family, Family::ListItem | Family::TableRow);
    let renamed = a.date == b.date && a.segment != b.segment && !siblings && !wa.is_empty() && !wb.is_empty() && (wa.is_subset(&wb) || wb.is_subset(&wa));
    let recurring = a.date == b.date && crate::candidates::recurring::same_document(&a.name, &b.name);
    same_place || titled || renamed || recurring || (a.date == b.date && crate::normalise::anchor_key(&a.name) == crate::normalise::anchor_key(&b.name))
}

/// Probability of a score (the logistic function).
pub fn probability(score: f64) -> f64 {
    1.0 / (1.0 + (-score).exp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_score_is_the_bias_plus_the_weights_of_present_features() {
        let w = Weights { bias: -1.0, threshold: 0.0, threshold_long: 0.0, weights: [("a".to_string(), 2.0), ("b".to_string(), -0.5)].into_iter().collect() };
        let (s, parts) = w.score(&["a".into(), "c".into()]);
        assert_eq!(s, 1.0);
        assert_eq!(parts, vec![("a".to_string(), 2.0)]);
        assert!((probability(0.0) - 0.5).abs() < 1e-12);
    }

    #[test]
    fn a_total_is_no_payment_beside_the_instalments_it_divides_into() {
        use crate::candidates::Family;
        use crate::normalise::money::{Currency, Money};
        use crate::segment::{Segment, SegmentKind};
        let seg = Segment { kind: SegmentKind::Sentence, page: 1, text: "x".into(), cells: vec![], header: vec![], heading: String::new(), title: String::new(), origin: Default::default() };
        let pay = |i: usize, cents: i128, percent: Option<f64>| {
            let mut c = Candidate::new(Family::Amount, Kind::Payment, &seg, i, (0, 1));
            c.name = format!("payment {i}");
            c.amount = Some(Money::from_minor(cents, Currency::USD));
            c.percent = percent;
            c
        };
        // $320,000 in shares of 20% and 30% (the rest elsewhere).
        let (total, a, b) = (pay(0, 32_000_000, None), pay(1, 6_400_000, Some(20.0)), pay(2, 9_600_000, Some(30.0)));
        let kept = [(&total, 1.0), (&a, 1.0), (&b, 1.0)];
        assert_eq!(one_per_item(&kept), vec![1, 2]);
        // $90,000 = $30,000 + $60,000, with no shares stated.
        let (total, a, b) = (pay(0, 9_000_000, None), pay(1, 3_000_000, None), pay(2, 6_000_000, None));
        assert_eq!(one_per_item(&[(&total, 1.0), (&a, 1.0), (&b, 1.0)]), vec![1, 2]);
        // Sums that do not add up to it leave a payment a payment.
        let c = pay(2, 5_000_000, None);
        assert_eq!(one_per_item(&[(&total, 1.0), (&a, 1.0), (&c, 1.0)]), vec![0, 1, 2]);
    }
}
