//! Recurring documents: a report, statement or summary that a contract
//! makes due again and again ("a monthly summary of the tickets opened",
//! "quarterly statements of Net Sales", "weekly status reports"). Contracts
//! rarely give these a clause of their own: they sit in a list of duties
//! run together with semicolons, behind a verb that governs something else
//! ("provide details and a monthly summary of ..."), or after "accompanied
//! by". The item is the noun phrase that starts at its frequency word,
//! wherever the clause puts it; the decision weighs the clause around it.

use super::clause::{clause_context, clause_timing, noun_phrase};
use super::{name_features, name_from, Candidate, Family, Finder};
use crate::lexicon::Marked;
use crate::record::Kind;
use crate::segment::Segment;

/// Frequency adjectives: the words that open a recurring document's name (`frequency` in rules/lexicon.toml).
pub(crate) static FREQUENCIES: once_cell::sync::Lazy<crate::lexicon::WordSet> = once_cell::sync::Lazy::new(|| crate::lexicon::WordSet::builtin("frequency"));

/// Whether a lowercased text may name a recurring document (a byte test
/// before the word-by-word reading).
pub fn may_hold(lower: &str) -> bool {
    ["daily", "weekly", "monthly", "quarterly", "annual", "yearly", "fortnightly"].iter().any(|w| lower.contains(w))
}

/// Recurring-document candidates of one sentence or list item.
pub fn find(f: &Finder<'_>, seg: &Segment, index: usize, m: &Marked, out: &mut Vec<Candidate>) {
    let toks = &m.toks;
    let n = toks.len();
    let cl = &f.classes;
    for i in 0..n {
        if !FREQUENCIES.contains(toks[i].lower.as_str()) {
            continue;
        }
        // The clause: between the semicolons around the phrase.
        let cs = (0..i).rev().find(|&k| toks[k].lower == ";").map_or(0, |k| k + 1);
        let ce = (i..n).find(|&k| toks[k].lower == ";").unwrap_or(n);
        let Some((ns, ne)) = noun_phrase(m, i, ce) else { continue };
        // The head is a document within the first words after the
        // frequency ("monthly summary", "quarterly written statement"),
        // before any "of" complement.
        let head_end = (i + 1..ne.min(i + 4)).find(|&k| matches!(toks[k].lower.as_str(), "of" | "for")).unwrap_or(ne.min(i + 4));
        if !(i + 1..head_end).any(|k| m.covers(cl.noun_document, k)) {
            continue;
        }
        // The frequency is an adjective of the phrase, not a fee's
        // ("the annual fee for the report"): a money noun before the
        // document head disqualifies it.
        if (i + 1..head_end).any(|k| m.covers(cl.noun_money, k)) {
            continue;
        }
        let name = name_from(&seg.text, m, ns, ne, 8);
        if name.is_empty() {
            continue;
        }
        // What governs it: a verb that hands over (or "accompanied by"), a
        // verb that makes, or a modal anywhere in the clause. A document no
        // duty governs is talked about, not scheduled ("weekly status
        // reports are informational", "the buyer's annual forecast is
        // non-binding").
        let hands_over = (cs..ns).any(|k| m.covers(cl.verb_deliver, k) || toks[k].lower == "accompanied");
        let makes = (cs..ns).any(|k| m.covers(cl.verb_prepare, k));
        let duty = (cs..ce).any(|k| matches!(toks[k].lower.as_str(), "shall" | "will" | "must" | "agrees" | "agree"));
        if !hands_over && !makes && !duty {
            continue;
        }
        let mut c = Candidate::new(Family::Recurring, Kind::Deliverable, seg, index, (toks[ns].start, toks[ne - 1].end));
        c.name = name.clone();
        c.add(if hands_over {
            "verb:deliver"
        } else if makes {
            "verb:prepare"
        } else {
            "verb:none"
        });
        if duty {
            c.add("modal:clause");
        }
        // A phrase inside a definition or a sentence about something else
        // ("the fees in the annual report") is weighed by where it sits.
        let mut p = ns;
        while p > cs && matches!(toks[p - 1].lower.as_str(), "a" | "an" | "the" | "its" | "their" | "such" | "any" | "each") {
            p -= 1;
        }
        if p > cs && matches!(toks[p - 1].lower.as_str(), "in" | "on" | "from" | "under" | "per" | "with" | "than") {
            c.add("rec:after_preposition");
        }
        name_features(f, &name, &mut c);
        // Its time follows it ("... within ten days after each quarter");
        // a date earlier in the clause is another item's.
        clause_timing(f, seg, m, (ns, ce), ne, &mut c);
        clause_context(f, m, (cs, ce), ns, &mut c);
        out.push(c);
    }
}

/// What makes two names the same recurring document: the frequency, the
/// head noun and the words between them ("monthly rolling forecast of the
/// quantities" → monthly, forecast, {rolling}); None for a name that does
/// not open with a frequency.
pub fn key(name: &str) -> Option<(String, String, std::collections::BTreeSet<String>)> {
    let words: Vec<String> = name.split_whitespace().map(|w| w.trim_matches(|c: char| !c.is_alphanumeric() && c != '-').to_lowercase()).collect();
    let first = words.first()?;
    if !FREQUENCIES.contains(first.as_str()) {
        return None;
    }
    let end = words.iter().position(|w| matches!(w.as_str(), "of" | "for" | "to" | "on" | "in" | "by")).unwrap_or(words.len());
    if end < 2 {
        return None;
    }
    let head = words[end - 1].trim_end_matches('s').to_string();
    Some((first.clone(), head, words[1..end - 1].iter().cloned().collect()))
}

/// Whether two names are one recurring document stated twice: the same
/// frequency and head, and the modifiers of one among the other's
/// ("Monthly Forecast", "monthly rolling forecast of the quantities").
pub fn same_document(a: &str, b: &str) -> bool {
    match (key(a), key(b)) {
        (Some((fa, ha, ma)), Some((fb, hb, mb))) => fa == fb && ha == hb && (ma.is_subset(&mb) || mb.is_subset(&ma)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_recurring_document_stated_twice() {
        assert!(same_document("Monthly Forecast", "monthly rolling forecast of the quantities it expects to order"));
        assert!(same_document("quarterly reports", "Quarterly Report for the licensed products"));
        assert!(!same_document("quarterly business review report", "quarterly performance report"));
        assert!(!same_document("monthly forecast", "quarterly forecast"));
        assert!(!same_document("monthly forecast", "forecast"));
    }
}
