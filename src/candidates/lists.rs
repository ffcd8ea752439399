//! Lists that are schedules: the items after a sentence that introduces
//! them ("The Project has three phases:", "Supplier shall deliver the
//! following:") or under a schedule heading, each one candidate named by
//! its own leading words ("Phase II: compile the documentation" → "Phase
//! II"); and short titled sub-sections ("(c) Long-Term Forecast.") whose
//! body states an obligation with a time.

use super::{kind_of_name, name_features, name_from, Candidate, Family, Finder};
use crate::lexicon::Marked;
use crate::normalise;
use crate::segment::{list_marker, Segment, SegmentKind};

/// How many segments after an introduction its list may run.
const LIST_REACH: usize = 40;

/// How many unmarked segments in a row (an item's further sentences) a
/// list may hold before it is over.
const LIST_GAP: usize = 3;

/// Whether a segment introduces a list of scheduled things.
fn introduces(f: &Finder<'_>, seg: &Segment) -> bool {
    let t = seg.text.trim_end();
    if !t.ends_with(':') {
        return false;
    }
    let m = Marked::new(t, f.lex);
    let n = m.toks.len();
    let c = &f.classes;
    m.has(c.heading_schedule, 0, n)
        || m.has(c.noun_document, 0, n)
        || m.has(c.noun_event, 0, n)
        || m.has(c.noun_money, 0, n)
        || m.has(c.verb_deliver, 0, n)
        || m.has(c.verb_prepare, 0, n)
        || m.has(c.verb_event, 0, n)
        || t.to_lowercase().contains("following")
}

/// The items of one list segment, as byte ranges: the whole text, or its
/// parts when later items follow a semicolon with their own marker
/// ("...; and (c) the third ...").
fn inline_items(text: &str) -> Vec<(usize, usize)> {
    static NEXT: once_cell::sync::Lazy<regex::Regex> = once_cell::sync::Lazy::new(|| regex::Regex::new(r";\s+(?:and\s+|or\s+)?(\([a-z0-9]{1,4}\)|[a-z0-9]{1,3}\))\s").unwrap());
    let mut out = Vec::new();
    let mut start = 0;
    for c in NEXT.captures_iter(text) {
        let marker = c.get(1).expect("the pattern has a marker");
        out.push((start, c.get(0).expect("a match").start()));
        start = marker.start();
    }
    out.push((start, text.len()));
    out
}

/// The item's own label: the words before a colon or dash, else its first
/// words up to a verb or a comma.
fn item_name(f: &Finder<'_>, text: &str) -> String {
    let body = match list_marker(text) {
        Some(mk) => &text[mk.len()..],
        None => text,
    };
    // An entry of a list of definitions is named by the term it defines,
    // not by the definition's first words ("Display” means to use").
    if let Some(term) = super::defined_term(body) {
        return term.to_string();
    }
    let m = Marked::new(body, f.lex);
    let toks = &m.toks;
    // The label ends at a colon or dash, a verb, or where its time begins
    // ("by June 30", "six (6) months after", "no later than").
    let stop = toks
        .iter()
        .enumerate()
        .position(|(i, t)| {
            matches!(t.lower.as_str(), ":" | "–" | "—" | ";" | "." | "shall" | "will" | "must" | "is" | "are" | "by" | "within" | "before" | "after" | "until" | "upon" | "following" | "due" | "during" | "throughout" | "commencing")
                // A comma ends the label once it has a few words ("Mechanical, electrical and plumbing inspection" is one).
                || (t.lower == "," && toks[..i].iter().filter(|x| x.word).count() >= 3)
                || (i > 0 && matches!(t.lower.as_str(), "no" | "not") && toks.get(i + 1).is_some_and(|n| n.lower == "later"))
                || (i > 0 && t.lower == "on" && toks.get(i + 1).is_some_and(|n| n.lower == "or" || n.capital || n.lower.chars().all(|c| c.is_ascii_digit())))
                || (i > 0 && starts_duration(&toks[i..]))
        })
        .unwrap_or(toks.len());
    name_from(body, &m, 0, stop, 10)
}

/// Whether the tokens start a duration ("six (6) months", "30 days").
fn starts_duration(toks: &[crate::lexicon::Token]) -> bool {
    let unit = |t: &crate::lexicon::Token| matches!(t.lower.trim_end_matches('s'), "day" | "week" | "month" | "year" | "business" | "calendar" | "working");
    let number = |t: &crate::lexicon::Token| t.lower.chars().all(|c| c.is_ascii_digit()) || crate::normalise::parse_number_words(&t.lower).is_some();
    if toks.is_empty() || !number(&toks[0]) {
        return false;
    }
    // "six (6) months" or "6 months".
    let rest: Vec<&crate::lexicon::Token> = toks[1..].iter().filter(|t| !matches!(t.lower.as_str(), "(" | ")") && !t.lower.chars().all(|c| c.is_ascii_digit())).take(1).collect();
    rest.first().is_some_and(|t| unit(t))
}

/// List candidates whose introduction or title is segment `i`.
pub fn find(f: &Finder<'_>, segments: &[Segment], i: usize, out: &mut Vec<Candidate>) {
    let seg = &segments[i];
    if seg.kind == SegmentKind::TableRow {
        return;
    }
    if introduces(f, seg) {
        let intro = Marked::new(&seg.text, f.lex);
        let n = intro.toks.len();
        let c = &f.classes;
        let money_intro = intro.has(c.noun_money, 0, n) || intro.has(c.verb_pay, 0, n);
        // What the introduction says the list is.
        let mut intro_facts: Vec<&str> = Vec::new();
        for (class, label) in [
            (c.heading_schedule, "intro:schedule"),
            (c.noun_document, "intro:document"),
            (c.noun_event, "intro:event"),
            (c.verb_deliver, "intro:deliver"),
            (c.verb_prepare, "intro:prepare"),
            (c.verb_event, "intro:do"),
            (c.topic_not_schedule, "intro:not_schedule"),
        ] {
            if intro.has(class, 0, n) {
                intro_facts.push(label);
            }
        }
        if intro.toks.iter().any(|t| matches!(t.lower.as_str(), "shall" | "will" | "must" | "agrees")) {
            intro_facts.push("intro:obligation");
        }
        if let Some(k) = intro.toks.iter().position(|t| t.lower == "following") {
            intro_facts.push("intro:following");
            // "the following deliverables:", "the following key milestones:":
            // the introduction calls its items items of a schedule.
            if (k + 1..(k + 4).min(n)).any(|i| intro.covers(c.list_of_items, i)) {
                intro_facts.push("intro:names_items");
            }
        }
        // The list's items: marked segments after the introduction (a
        // sentence without a marker is the same item's next sentence).
        let mut items: Vec<usize> = Vec::new();
        for (j, item) in segments.iter().enumerate().skip(i + 1).take(LIST_REACH) {
            if item.kind == SegmentKind::TableRow || item.kind == SegmentKind::Heading {
                break;
            }
            // An item without a marker: a short line ending in ";" (a
            // bulleted list whose bullets the PDF lost).
            let unmarked_item = item.text.trim_end().ends_with(';') && item.text.split_whitespace().count() <= 30;
            if list_marker(&item.text).is_none() && !unmarked_item {
                if j == i + 1 {
                    break;
                }
                // The last item of such a list ends with a full stop.
                if items.last() == Some(&(j - 1))
                    && !segments[j - 1].text.trim_end().ends_with(['.', ':'])
                    && item.text.split_whitespace().count() <= 30
                    && list_marker(&segments[j - 1].text).is_none()
                {
                    items.push(j);
                    break;
                }
                // A run of unmarked sentences: the list is over.
                if items.last().is_none_or(|&last| j - last > LIST_GAP) {
                    break;
                }
                continue;
            }
            items.push(j);
            // An item that introduces a list of its own ("b) In the first
            // 90 days:") ends this one: what follows is its list, and an
            // item belongs to the nearest introduction only.
            if introduces(f, item) {
                break;
            }
        }
        // Its shape: a list of short labels ("o Flix Pro for Mac") is a list
        // of things; a list of long clauses is a list of terms.
        let mut lengths: Vec<usize> = items.iter().map(|&j| segments[j].text.split_whitespace().count()).collect();
        lengths.sort_unstable();
        let median = lengths.get(lengths.len() / 2).copied().unwrap_or(0);
        let shape: Vec<&str> = vec![
            match items.len() {
                0..=2 => "list:items1-2",
                3..=5 => "list:items3-5",
                _ => "list:items6+",
            },
            match median {
                0..=6 => "list:short_items",
                7..=15 => "list:medium_items",
                _ => "list:long_items",
            },
        ];
        // Items run together in one segment ("(b) the second report ...;
        // and (c) the third report ...") are items each.
        let parts: Vec<(usize, usize, std::borrow::Cow<'_, Segment>)> = items
            .iter()
            .flat_map(|&j| {
                let seg = &segments[j];
                inline_items(&seg.text).into_iter().map(move |(s, e)| {
                    let part = if s == 0 && e == seg.text.len() { std::borrow::Cow::Borrowed(seg) } else { std::borrow::Cow::Owned(Segment { text: seg.text[s..e].to_string(), ..seg.clone() }) };
                    (j, s, part)
                })
            })
            .collect();
        for (j, offset, item) in &parts {
            let (j, offset, item) = (*j, *offset, item.as_ref());
            let name = item_name(f, &item.text);
            // An item of a list of sums ("(d) Seventy-Five Thousand Dollars
            // ($75,000) upon delivery of ...") is a payment, the money finder's.
            if name.is_empty() || name.split_whitespace().count() > 10 || !normalise::find_amounts_with(&name, || f.ctx.dollar()).is_empty() || name.contains(['$', '€', '£']) {
                continue;
            }
            let mut cand = Candidate::new(Family::ListItem, kind_of_name(f, &name), &segments[j], j, (offset, offset + item.text.len()));
            cand.name = name.clone();
            name_features(f, &name, &mut cand);
            if money_intro {
                cand.add("intro:money");
            }
            for f in intro_facts.iter().chain(&shape) {
                cand.add(*f);
            }
            let words = item.text.split_whitespace().count();
            cand.add(if words <= 8 { "item:short" } else { "item:long" });
            if crate::segment::run_in_title(&item.text).is_some() {
                cand.add("item:title_only");
            }
            // "o Flix Pro for Mac:" over a list of its own: the heading of
            // the things listed under it.
            if introduces(f, item) {
                cand.add("item:introduces_list");
            }
            // An item that starts with a verb: "a. Provide the press list".
            let im = Marked::new(&item.text, f.lex);
            let first_word = im.toks.iter().position(|t| t.word && crate::segment::list_marker(&item.text).is_none_or(|mk| t.end > mk.len()));
            if let Some(w) = first_word {
                for (class, label) in [
                    (c.verb_deliver, "item_verb:deliver"),
                    (c.verb_prepare, "item_verb:prepare"),
                    (c.verb_event, "item_verb:event"),
                    (c.verb_govern, "item_verb:govern"),
                    (c.verb_conduct, "item_verb:conduct"),
                ] {
                    if im.at(class, w).is_some() {
                        cand.add(label);
                    }
                }
            }
            let m = Marked::new(&item.text, f.lex);
            let te = m.toks.len();
            if te > 0 {
                super::clause::clause_timing(f, item, &m, (0, te), 0, &mut cand);
            }
            out.push(cand);
        }
    }
}

/// A line that labels its item: "Milestone 1.1. Synthesis protocol
/// finalized: November 30, 2026.", "Deliverable 3 – Final report, due
/// 15 May 2027", "Phase II: integration testing".
pub fn labelled(f: &Finder<'_>, seg: &Segment, index: usize, out: &mut Vec<Candidate>) {
    static LABEL: once_cell::sync::Lazy<regex::Regex> = once_cell::sync::Lazy::new(|| {
        regex::Regex::new(r"^(?:\(?[a-z0-9]{1,3}[.)]\s+)?(?i:(?P<word>milestone|deliverable|phase|stage|task|step|work\s+package|wave|sprint|release))\s*(?:no\.?\s*|#\s*)?(?P<num>[0-9]{1,2}(?:\.[0-9]{1,2})*[a-z]?|[IVX]{1,4}|[A-H])\s*[.:)\-–—]*\s+(?P<rest>\S.*)$").unwrap()
    });
    let Some(caps) = LABEL.captures(&seg.text) else { return };
    let word = caps.name("word").map_or("", |m| m.as_str()).to_lowercase();
    let rest = caps.name("rest").expect("the pattern has rest");
    let offset = rest.start();
    let m = Marked::new(rest.as_str(), f.lex);
    let toks = &m.toks;
    // The name ends at a colon or dash, or where its time begins.
    let dates = f.timing_dates(rest.as_str(), 0, rest.as_str().len());
    let first_date_tok = dates.first().map(|d| m.token_at(d.2)).unwrap_or(toks.len());
    let stop = toks
        .iter()
        .enumerate()
        .position(|(i, t)| {
            i >= first_date_tok
                || matches!(t.lower.as_str(), ":" | "–" | "—" | ";" | "by" | "due" | "within" | "no" | "not" | "before" | "until")
                || (t.lower == "," && toks[..i].iter().filter(|x| x.word).count() >= 3)
                || (t.lower == "on" && toks.get(i + 1).is_some_and(|n| n.capital || n.lower.chars().all(|c| c.is_ascii_digit()) || n.lower == "or"))
        })
        .unwrap_or(toks.len());
    let mut name = name_from(rest.as_str(), &m, 0, stop, 12);
    if name.is_empty() {
        // "Milestone #2 - Within 30 days following the date on which there
        // is a design freeze of ...": the line names its item only by the
        // event its time waits for; that event, with the label, is the name.
        let event = crate::normalise::find_relatives(rest.as_str()).into_iter().next().map(|r| r.rel.anchor).filter(|a| !a.to_lowercase().contains("date"));
        if let (Some(event), Some(num)) = (event, caps.name("num")) {
            let mut label = word.clone();
            label[..1].make_ascii_uppercase();
            name = format!("{event} ({label} {})", num.as_str());
        }
    }
    if name.is_empty() || !super::usable_name(&name) {
        return;
    }
    let kind = match word.as_str() {
        "milestone" => crate::record::Kind::Milestone,
        // A stage of the work is a milestone (the labelled corpora's reading).
        "phase" | "stage" => crate::record::Kind::Milestone,
        "deliverable" => crate::record::Kind::Deliverable,
        _ => kind_of_name(f, &name),
    };
    let mut c = Candidate::new(Family::ListItem, kind, seg, index, (offset, seg.text.len()));
    c.name = name.clone();
    c.add("item:labelled");
    c.add(format!("labelled:{}", word.split_whitespace().next().unwrap_or("")));
    name_features(f, &name, &mut c);
    let te = toks.len();
    if te > 0 {
        super::clause::clause_timing(f, &Segment { text: rest.as_str().to_string(), ..seg.clone() }, &m, (0, te), stop, &mut c);
    }
    // "Phase 1 - Discovery: March 1, 2027 to April 15, 2027": a window is
    // dated with its end (docs/conventions.md).
    if let [first, second, ..] = dates.as_slice() {
        let between = rest.as_str()[first.2..second.2].to_lowercase();
        let between = between.trim_end();
        let range = [" to", " -", " –", " through", " until", " thru"].iter().any(|w| between.ends_with(w)) && between.split_whitespace().count() <= 5;
        if range && c.date == Some(first.0) {
            c.date = Some(second.0);
            c.ambiguous = second.1;
        }
    }
    c.span = (offset, seg.text.len());
    out.push(c);
}

#[cfg(test)]
mod tests {
    use crate::normalise::{Calendar, DateOrder};
    use crate::options::DocContext;
    use crate::segment::{Segment, SegmentKind};

    fn seg(kind: SegmentKind, text: &str) -> Segment {
        Segment { kind, page: 1, text: text.into(), cells: vec![], header: vec![], heading: "Deliverables".into(), title: String::new(), origin: Default::default() }
    }

    #[test]
    fn an_item_belongs_to_its_nearest_introduction_only() {
        let rules = crate::rules::RuleSet::builtin();
        let segments = vec![
            seg(SegmentKind::Sentence, "The Licensor shall deliver the following:"),
            seg(SegmentKind::ListItem, "(a) Documents due in the first quarter after signing:"),
            seg(SegmentKind::ListItem, "- the installation guide for the reader units;"),
            seg(SegmentKind::ListItem, "- the calibration data for each reader unit."),
        ];
        let ctx = DocContext::fixed(DateOrder::Mdy, false, crate::normalise::Currency::USD, Calendar::weekends_only());
        let cands = super::super::find(&segments, &rules.lexicon, &ctx);
        for inner in [2, 3] {
            let n = cands.iter().filter(|c| c.segment == inner && c.family == super::Family::ListItem).count();
            assert_eq!(n, 1, "segment {inner}: {n} list candidates");
        }
    }
}
