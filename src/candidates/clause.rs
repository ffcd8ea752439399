//! Obligations in prose: "Licensee shall deliver to Licensor a quarterly
//! report within 30 days after each quarter", "the initial representatives
//! shall be named within thirty days", "the Launch shall occur on June 1".
//!
//! An obligation is a modal ("shall", "will", "must", "agrees to", "is
//! required to") and a verb. The item is the verb's object (active) or the
//! clause's subject (passive, or a verb without an object); its time is the
//! date, relative deadline or recurrence in the same clause. The verb's
//! class, the object's head noun class and the clause's context become
//! features; nothing is decided here.

use super::{kind_of_name, name_features, name_from, Candidate, Family, Finder, DETERMINERS, NP_STOP};
use crate::lexicon::Marked;
use crate::record::Kind;
use crate::segment::Segment;

/// Adverbs and fillers between a modal and its verb (`modal_filler` in rules/lexicon.toml).
static ADVERBS: once_cell::sync::Lazy<crate::lexicon::WordSet> = once_cell::sync::Lazy::new(|| crate::lexicon::WordSet::builtin("modal_filler"));

/// Irregular past participles, by their verb.
const IRREGULAR: &[(&str, &str)] = &[
    ("held", "hold"),
    ("paid", "pay"),
    ("made", "make"),
    ("given", "give"),
    ("sent", "send"),
    ("begun", "begin"),
    ("written", "write"),
    ("done", "do"),
    ("shown", "show"),
    ("built", "build"),
    ("sold", "sell"),
    ("set", "set"),
    ("run", "run"),
    ("undertaken", "undertake"),
    ("taken", "take"),
    ("brought", "bring"),
    ("drawn", "draw"),
    ("chosen", "choose"),
    ("put", "put"),
    ("laid", "lay"),
    ("met", "meet"),
    ("kept", "keep"),
    ("sought", "seek"),
    ("won", "win"),
    ("shot", "shoot"),
    ("borne", "bear"),
    ("struck", "strike"),
    ("forwarded", "forward"),
];

/// The base form of a participle or gerund ("delivered" → "deliver",
/// "supplied" → "supply", "submitting" → "submit"); None for a word that
/// is neither.
pub(crate) fn base_form(word: &str) -> Option<String> {
    if let Some((_, b)) = IRREGULAR.iter().find(|(p, _)| *p == word) {
        return Some(b.to_string());
    }
    let stem = if let Some(s) = word.strip_suffix("ied") {
        format!("{s}y")
    } else if let Some(s) = word.strip_suffix("ed") {
        s.to_string()
    } else if let Some(s) = word.strip_suffix("ing") {
        s.to_string()
    } else {
        return None;
    };
    if stem.len() < 2 {
        return None;
    }
    // "submitted" → "submitt" → "submit"; "provided" → "provid" → "provide".
    let b = stem.as_bytes();
    let doubled = b.len() >= 3 && b[b.len() - 1] == b[b.len() - 2] && !matches!(b[b.len() - 1], b'l' | b's' | b'z' | b'f');
    if doubled {
        return Some(stem[..stem.len() - 1].to_string());
    }
    Some(stem)
}

/// The verb classes a base form belongs to (also with a final "e" added:
/// "provid" → "provide").
fn verb_classes(f: &Finder<'_>, base: &str) -> Vec<&'static str> {
    let c = &f.classes;
    let mut out = Vec::new();
    for form in [base.to_string(), format!("{base}e")] {
        for (class, label) in [(c.verb_deliver, "deliver"), (c.verb_prepare, "prepare"), (c.verb_event, "event"), (c.verb_govern, "govern"), (c.verb_pay, "pay"), (c.verb_conduct, "conduct")] {
            if class.is_some_and(|cl| f.lex.word_is(&form, cl)) && !out.contains(&label) {
                out.push(label);
            }
        }
        if !out.is_empty() {
            break;
        }
    }
    out
}

/// Where the verb starts after a phrase of time between the modal and it:
/// "shall, within 30 days after the Effective Date, deliver", "will no
/// later than June 1, 2027 complete", "shall on or before October 15 of
/// each year provide". None when no such phrase starts at `j`.
fn time_before_verb(f: &Finder<'_>, m: &Marked, j: usize, cend: usize) -> Option<usize> {
    let toks = &m.toks;
    let lower = |i: usize| toks[i].lower.as_str();
    let opens = match lower(j) {
        "within" | "by" | "on" | "before" | "after" | "following" | "upon" | "during" | "prior" => true,
        "no" | "not" => toks.get(j + 1).is_some_and(|t| matches!(t.lower.as_str(), "later" | "earlier" | "sooner")),
        _ => false,
    };
    if !opens {
        return None;
    }
    let reach = (j + 20).min(cend);
    // A phrase of time names a time: a number, a date word, a period.
    let timely = |a: usize, b: usize| {
        (a..b).any(|i| {
            let w = lower(i);
            w.chars().next().is_some_and(|c| c.is_ascii_digit())
                || matches!(w, "day" | "days" | "date" | "week" | "weeks" | "month" | "months" | "year" | "years" | "quarter" | "thereafter" | "anniversary" | "closing" | "execution" | "signing")
                || crate::normalise::MONTH_NAMES.iter().any(|mn| mn.eq_ignore_ascii_case(w))
        })
    };
    let verb = |i: usize| {
        toks[i].word
            && !toks[i].capital
            && !matches!(lower(i.saturating_sub(1)), "the" | "a" | "an" | "of" | "after" | "before" | "to" | "following" | "its" | "their" | "each")
            && verb_classes(f, lower(i)).iter().any(|v| matches!(*v, "deliver" | "prepare" | "event" | "govern" | "pay"))
    };
    // Set off by commas: the verb follows the closing comma.
    if let Some(c) = (j + 1..reach).find(|&i| lower(i) == ",") {
        if c + 1 < cend && timely(j, c) && verb(c + 1) {
            return Some(c + 1);
        }
    }
    (j + 2..reach).find(|&i| verb(i)).filter(|&v| timely(j, v))
}

/// The verb classes of the (possibly multi-word) verb at token `i`, and
/// where the verb ends.
fn verb_at(f: &Finder<'_>, m: &Marked, i: usize) -> (Vec<&'static str>, usize) {
    let c = &f.classes;
    let mut out = Vec::new();
    let mut end = i + 1;
    for (class, label) in [(c.verb_deliver, "deliver"), (c.verb_prepare, "prepare"), (c.verb_event, "event"), (c.verb_govern, "govern"), (c.verb_pay, "pay"), (c.verb_conduct, "conduct")] {
        if let Some(e) = m.at(class, i) {
            out.push(label);
            end = end.max(e);
        }
    }
    (out, end)
}

/// Whether a lowercased text may state an obligation at all (a byte test
/// before the word-by-word reading of [`modals`]).
pub(crate) fn may_oblige(lower: &str) -> bool {
    [
        "shall",
        "will",
        "must",
        "agree",
        "undertake",
        "covenant",
        "commit",
        "required",
        "obligated",
        "expected",
        " is to ",
        " are to ",
        "scheduled",
        "planned",
        "due",
        "changed",
        "extended",
        "moved",
        "postponed",
        "deferred",
        "anticipated",
        "targeted",
        "estimated",
        "projected",
        "set ",
        "responsible for",
    ]
    .iter()
    .any(|w| lower.contains(w))
}

/// Where the modals of obligations are: (token of the modal, token after it).
fn modals(m: &Marked) -> Vec<(usize, usize, &'static str)> {
    let t = &m.toks;
    let mut out = Vec::new();
    for i in 0..t.len() {
        let w = t[i].lower.as_str();
        let next = t.get(i + 1).map(|x| x.lower.as_str()).unwrap_or("");
        let next2 = t.get(i + 2).map(|x| x.lower.as_str()).unwrap_or("");
        let found = match w {
            "shall" | "must" => Some((i + 1, "shall")),
            // "will" as a verb: not "at will", "the will".
            "will" if i > 0 && !matches!(t[i - 1].lower.as_str(), "at" | "the" | "its" | "their" | "good") => Some((i + 1, "will")),
            "agrees" | "agree" | "undertakes" | "undertake" | "covenants" | "covenant" | "commits" | "commit" if next == "to" => Some((i + 2, "agree")),
            "is" | "are" if matches!(next, "required" | "obligated" | "expected") && next2 == "to" => Some((i + 3, "required")),
            "is" | "are" if next == "to" && t.get(i + 2).is_some_and(|x| x.word) => Some((i + 2, "required")),
            // "Supplier is responsible for delivering ...".
            // (read like "shall be responsible for": from the "is").
            "is" | "are" if next == "responsible" && next2 == "for" && t.get(i + 3).is_some_and(|x| x.lower.ends_with("ing")) => Some((i, "required")),
            // A statement of when something happens: "is scheduled for", "is due on".
            "is" | "are" | "was" | "were"
                if matches!(
                    next,
                    "scheduled"
                        | "planned"
                        | "expected"
                        | "anticipated"
                        | "targeted"
                        | "due"
                        | "set"
                        | "estimated"
                        | "projected"
                        | "changed"
                        | "extended"
                        | "moved"
                        | "postponed"
                        | "deferred"
                        | "rescheduled"
                ) =>
            {
                Some((i + 1, "stated"))
            }
            _ => None,
        };
        if let Some((after, label)) = found {
            out.push((i, after, label));
        }
    }
    out
}

/// Obligation candidates of one sentence or list item.
pub fn find(f: &Finder<'_>, seg: &Segment, index: usize, m: &Marked, out: &mut Vec<Candidate>) {
    let toks = &m.toks;
    let n = toks.len();
    if n < 4 {
        return;
    }
    imperative(f, seg, index, m, out);
    let found = modals(m);
    let semis: Vec<usize> = (0..n).filter(|&i| toks[i].lower == ";").collect();
    for (k, &(mi, after, modal)) in found.iter().enumerate() {
        // The clause: from the last ";" (or the previous obligation's last
        // comma or "and") to the next ";" (or the next obligation).
        let mut cstart = semis.iter().rev().find(|&&s| s < mi).map_or(0, |s| s + 1);
        if let Some(&(prev, _, _)) = k.checked_sub(1).and_then(|p| found.get(p)) {
            if prev >= cstart {
                cstart = (prev + 1..mi).rev().find(|&i| matches!(toks[i].lower.as_str(), "," | "and" | "or" | ":")).map_or(prev + 1, |i| i + 1);
            }
        }
        let mut cend = semis.iter().find(|&&s| s > mi).copied().unwrap_or(n);
        if let Some(&(next, _, _)) = found.get(k + 1) {
            if next < cend {
                cend = (mi + 1..next).rev().find(|&i| matches!(toks[i].lower.as_str(), "," | "and" | "or")).unwrap_or(next);
            }
        }
        // Past the modal: adverbs, "not", "use ... efforts to", "cause X to".
        let mut j = after;
        let mut negated = false;
        let mut efforts = false;
        let mut optional = false;
        let mut guard = 0;
        while j < cend && guard < 12 {
            guard += 1;
            let w = toks[j].lower.as_str();
            if let Some(v) = time_before_verb(f, m, j, cend) {
                j = v;
            } else if matches!(w, "not" | "never") {
                negated = true;
                j += 1;
            } else if w == "use" && (j + 1..(j + 7).min(cend)).any(|x| toks[x].lower.starts_with("effort")) {
                efforts = true;
                j = (j + 1..cend).find(|&x| toks[x].lower == "to").map_or(cend, |x| x + 1);
            } else if w == "cause" && (j + 1..(j + 7).min(cend)).any(|x| toks[x].lower == "to") {
                j = (j + 1..cend).find(|&x| toks[x].lower == "to").map_or(cend, |x| x + 1);
            } else if w == "have" && matches!(toks.get(j + 1).map(|t| t.lower.as_str()), Some("the")) && matches!(toks.get(j + 2).map(|t| t.lower.as_str()), Some("right" | "option")) {
                optional = true;
                j = (j + 1..cend).find(|&x| toks[x].lower == "to").map_or(cend, |x| x + 1);
            } else if !toks[j].word {
                // "(i)", a comma, a bracketed aside.
                if toks[j].lower == "(" {
                    j = (j + 1..cend).find(|&x| toks[x].lower == ")").map_or(j + 1, |x| x + 1);
                } else {
                    j += 1;
                }
            } else if ADVERBS.contains(w) && !(w == "to" && j > after) {
                j += 1;
            } else {
                break;
            }
        }
        if j >= cend {
            continue;
        }
        let mut verbs: Vec<&'static str>;
        let mut family = Family::Active;
        let mut name_span: Option<(usize, usize)> = None;
        let mut v_end;
        if toks[j].lower == "be" || modal == "stated" || modal == "required" && matches!(toks[j].lower.as_str(), "is" | "are") {
            // Passive: "be delivered", "be due", "be responsible for preparing";
            // a statement: "is scheduled for".
            let mut p = if modal == "stated" { j } else { j + 1 };
            while p < cend && ADVERBS.contains(toks[p].lower.as_str()) && toks[p].lower != "to" {
                p += 1;
            }
            if p >= cend {
                continue;
            }
            let w = toks[p].lower.as_str();
            if w == "responsible" && toks.get(p + 1).is_some_and(|t| t.lower == "for") && p + 2 < cend {
                let base = base_form(&toks[p + 2].lower).unwrap_or_default();
                verbs = verb_classes(f, &base);
                v_end = p + 3;
            } else if w == "due" && modal == "stated" {
                verbs = vec!["due"];
                family = Family::Passive;
                v_end = p + 1;
            } else if matches!(w, "due" | "payable") {
                verbs = vec!["pay"];
                family = Family::Passive;
                v_end = p + 1;
            } else if let Some(base) = base_form(w) {
                verbs = verb_classes(f, &base);
                // "made available", "entered into", "set up".
                if toks.get(p + 1).is_some_and(|t| matches!(t.lower.as_str(), "available" | "into" | "up" | "over")) {
                    let phrase = format!("{base} {}", toks[p + 1].lower);
                    let phrase_e = format!("{base}e {}", toks[p + 1].lower);
                    let c = &f.classes;
                    for (class, label) in [(c.verb_deliver, "deliver"), (c.verb_event, "event"), (c.verb_govern, "govern")] {
                        let m2 = Marked::new(&phrase, f.lex);
                        let m3 = Marked::new(&phrase_e, f.lex);
                        if (m2.at(class, 0) == Some(m2.toks.len()) || m3.at(class, 0) == Some(m3.toks.len())) && !verbs.contains(&label) {
                            verbs.push(label);
                        }
                    }
                }
                family = Family::Passive;
                v_end = p + 1;
            } else {
                continue;
            }
        } else {
            let (v, e) = verb_at(f, m, j);
            verbs = v;
            v_end = e;
            // "prepare and deliver", "establish and maintain".
            if v_end + 1 < cend && matches!(toks[v_end].lower.as_str(), "and" | "or") {
                let (v2, e2) = verb_at(f, m, v_end + 1);
                if !v2.is_empty() {
                    for v in v2 {
                        if !verbs.contains(&v) {
                            verbs.push(v);
                        }
                    }
                    v_end = e2;
                }
            }
        }
        if family == Family::Active {
            // "Vendor shall deliver:" introduces a list; its items are the objects.
            if toks.get(v_end).is_some_and(|t| t.lower == ":") {
                continue;
            }
            name_span = object_span(f, m, v_end, cend);
            if name_span.is_none_or(|(s, e)| s >= e) {
                // A verb without an object ("the Launch shall occur on ..."):
                // the subject is the item.
                family = Family::Passive;
                name_span = None;
            }
        }
        if family == Family::Passive {
            name_span = subject_span(m, cstart, mi);
        }
        // A duty of conduct ("cooperate", "comply", "be composed of") is not
        // an item, whatever it is about; only verbs that hand over, make,
        // hold, set up or pay make candidates.
        if modal == "stated" && verbs.is_empty() {
            verbs.push("event");
        }
        // Paying is the money finder's; a duty of conduct is no item.
        if verbs.iter().all(|v| matches!(*v, "conduct" | "pay")) {
            continue;
        }
        let Some((ns, ne)) = name_span else { continue };
        let mut name = name_from(&seg.text, m, ns, ne, 8);
        if name.is_empty() || !name.chars().any(char::is_alphabetic) {
            continue;
        }
        let object = name.clone();
        // The object's word classes: they choose the name and, for a name
        // built from the verb, stand in for its head (below).
        let object_heads = if family == Family::Active { super::head_classes(f, &object) } else { Vec::new() };
        if family == Family::Active {
            name = active_name(&toks[j].lower, &name, &object_heads);
        }
        let (b0, b1) = (toks[cstart].start, toks[cend - 1].end);
        let mut c = Candidate::new(family, Kind::Deliverable, seg, index, (b0, b1));
        c.name = name.clone();
        c.kind = kind_for(f, &name, &verbs);
        if verbs.is_empty() {
            c.add("verb:other");
        }
        for v in &verbs {
            c.add(format!("verb:{v}"));
        }
        c.add(format!("modal:{modal}"));
        if negated {
            c.add("negated");
        }
        if efforts {
            c.add("efforts");
        }
        if optional {
            c.add("optional");
        }
        name_features(f, &name, &mut c);
        // A name this finder built ("Establishment of" + the object) is
        // headed by the object as much as by the act: "Establishment of the
        // Steering Committee" sets up a body.
        if family == Family::Active && name != object && !object_heads.contains(&"other") && c.has("head:other") {
            c.features.retain(|x| x != "head:other");
            for h in &object_heads {
                c.add(format!("head:{h}"));
            }
        }
        clause_timing(f, seg, m, (cstart, cend), ne, &mut c);
        clause_context(f, m, (cstart, cend), mi, &mut c);
        // A few conjunctions the weights cannot build from single facts.
        let heads: Vec<String> = c.features.iter().filter_map(|x| x.strip_prefix("head:").map(str::to_string)).collect();
        let times: Vec<String> = c.features.iter().filter_map(|x| x.strip_prefix("time:").map(str::to_string)).collect();
        for v in if verbs.is_empty() { vec!["other"] } else { verbs.clone() } {
            for h in &heads {
                c.add(format!("verb:{v}&head:{h}"));
            }
        }
        for h in &heads {
            for t in &times {
                c.add(format!("head:{h}&time:{t}"));
            }
        }
        let more = conjuncts(f, seg, m, (ne, cend), &c);
        out.push(c);
        out.extend(more);
    }
}

/// Further items the same verb governs, each with its own date: "deliver
/// the release candidate by May 1, and the training materials by June 5".
fn conjuncts(f: &Finder<'_>, seg: &Segment, m: &Marked, (from, cend): (usize, usize), main: &Candidate) -> Vec<Candidate> {
    let toks = &m.toks;
    if from >= cend {
        return Vec::new();
    }
    let dates = f.timing_dates(&seg.text, toks[from].start, toks[cend - 1].end);
    let mut out = Vec::new();
    let mut prev_end = from;
    for (d, amb, at) in dates {
        let di = m.token_at(at);
        // The deadline words before the date: "by", "on or before", "no later than".
        let mut lead = di;
        while lead > prev_end && matches!(toks[lead - 1].lower.as_str(), "by" | "on" | "or" | "before" | "no" | "not" | "later" | "than" | "prior" | "to") {
            lead -= 1;
        }
        // The noun phrase after the last comma or "and" before the deadline.
        let start = (prev_end..lead).rev().find(|&i| matches!(toks[i].lower.as_str(), "," | "and" | ";")).map(|i| i + 1);
        prev_end = di + 1;
        let Some(start) = start else { continue };
        if lead <= start || lead - start > 12 {
            continue;
        }
        let Some((ns, ne)) = noun_phrase(m, start, lead) else { continue };
        let name = name_from(&seg.text, m, ns, ne, 8);
        if name.is_empty() || crate::normalise::anchor_key(&name) == crate::normalise::anchor_key(&main.name) || Some(d) == main.date {
            continue;
        }
        let mut c = main.clone();
        c.name = name.clone();
        c.kind = kind_for(f, &name, &[]);
        c.date = Some(d);
        c.ambiguous = amb;
        c.relative = None;
        c.span = (toks[start].start, toks[di].end);
        // Its own name and its own time.
        c.features.retain(|x| !x.starts_with("head:") && !x.starts_with("name") && !x.contains("&head:") && !x.contains("time:"));
        name_features(f, &name, &mut c);
        c.add("time:date");
        c.add("conjunct");
        out.push(c);
    }
    out
}

/// A list item that is an instruction ("c. Write the first draft press
/// releases.", "o Provide the press list"): the list's introduction holds the
/// modal ("Wildform will provide the following:"), the item the verb.
fn imperative(f: &Finder<'_>, seg: &Segment, index: usize, m: &Marked, out: &mut Vec<Candidate>) {
    let toks = &m.toks;
    // Items start the segment ("(e) deliver ...") or follow a ";" or ":"
    // inside it ("...; and (f) achieve Go-Live on ...").
    let mut starts: Vec<usize> = Vec::new();
    if let Some(marker) = crate::segment::list_marker(&seg.text) {
        if let Some(j) = toks.iter().position(|t| t.word && t.start >= marker.trim_end().len()) {
            starts.push(j);
        }
    }
    // An enumeration run into one sentence: "The Supplier will: install the
    // servers; provide monthly reports ...; 10. post the logs ...". Every
    // part after the modal's colon is an item, marked or not.
    let enumerates = (1..toks.len()).find(|&i| toks[i].lower == ":" && matches!(toks[i - 1].lower.as_str(), "shall" | "will" | "must" | "to"));
    for i in 0..toks.len() {
        if matches!(toks[i].lower.as_str(), ";" | ":") {
            let mut p = i + 1;
            if toks.get(p).is_some_and(|t| matches!(t.lower.as_str(), "and" | "or")) {
                p += 1;
            }
            // "(f)" is three tokens.
            if toks.get(p).is_some_and(|t| t.lower == "(") && toks.get(p + 2).is_some_and(|t| t.lower == ")") && toks.get(p + 1).is_some_and(|t| t.lower.len() <= 3) {
                starts.push(p + 3);
            } else if enumerates.is_some_and(|e| i >= e) {
                // "10." or "b." before the item's verb.
                let numbered = toks.get(p).is_some_and(|t| t.lower.len() <= 3 && t.lower.chars().all(|c| c.is_ascii_alphanumeric())) && toks.get(p + 1).is_some_and(|t| t.lower == ".");
                starts.push(if numbered { p + 2 } else { p });
            }
        }
    }
    starts.dedup();
    for j in starts {
        imperative_at(f, seg, index, m, j, out);
    }
}

/// An instruction whose verb is at token `j`.
fn imperative_at(f: &Finder<'_>, seg: &Segment, index: usize, m: &Marked, j: usize, out: &mut Vec<Candidate>) {
    let toks = &m.toks;
    if j >= toks.len() || !toks[j].word {
        return;
    }
    let (verbs, v_end) = verb_at(f, m, j);
    if verbs.is_empty() || verbs == ["conduct"] {
        return;
    }
    // "(f) achieve Go-Live on ...": an item of a list whose introduction
    // holds the modal ("Developer shall:"); a capitalised verb may stand alone.
    if !toks[j].capital && verbs.iter().all(|v| matches!(*v, "conduct" | "pay")) {
        return;
    }
    let cend = (j..toks.len()).find(|&i| toks[i].lower == ";").unwrap_or(toks.len());
    let Some((ns, ne)) = object_span(f, m, v_end, cend) else { return };
    let name = name_from(&seg.text, m, ns, ne, 8);
    if name.is_empty() || !name.chars().any(char::is_alphabetic) {
        return;
    }
    let name = active_name(&toks[j].lower, &name, &super::head_classes(f, &name));
    let mut c = Candidate::new(Family::Active, kind_for(f, &name, &verbs), seg, index, (toks[j].start, toks[cend - 1].end));
    c.name = name.clone();
    for v in &verbs {
        c.add(format!("verb:{v}"));
    }
    c.add("modal:imperative");
    name_features(f, &name, &mut c);
    clause_timing(f, seg, m, (j, cend), ne, &mut c);
    clause_context(f, m, (j, cend), j, &mut c);
    let more = conjuncts(f, seg, m, (ne, cend), &c);
    out.push(c);
    out.extend(more);
}

/// The noun of an event verb, for naming what the verb does to a thing:
/// "deliver the Equipment" is the Equipment's delivery.
fn nominal(verb: &str) -> Option<&'static str> {
    Some(match verb {
        "deliver" | "ship" => "Delivery",
        "present" => "Presentation",
        "approve" => "Approval",
        "complete" | "finish" => "Completion",
        "install" => "Installation",
        "commence" | "begin" | "start" => "Start",
        "submit" => "Submission",
        "establish" | "form" | "constitute" | "set" => "Establishment",
        "appoint" | "designate" | "nominate" | "name" => "Appointment",
        "file" => "Filing",
        "issue" => "Issuance",
        "launch" => "Launch",
        "transfer" => "Transfer",
        "publish" => "Publication",
        "implement" => "Implementation",
        "select" => "Selection",
        "train" => "Training",
        "test" => "Testing",
        "hire" | "recruit" => "Hiring",
        "release" => "Release",
        "open" => "Opening",
        "migrate" => "Migration",
        "demonstrate" => "Demonstration",
        "acquire" | "purchase" | "buy" => "Purchase",
        "obtain" => "Receipt",
        _ => return None,
    })
}

/// The name of what an active verb does to its object: the object itself
/// when it is a document or an event ("the Final Report", "a kick-off
/// meeting"); otherwise the verb's noun and the object ("Delivery of the
/// Equipment", "Establishment of the JMC"). `heads`: the object's word
/// classes.
fn active_name(verb_word: &str, object: &str, heads: &[&str]) -> String {
    // "Start of series production is scheduled ...": the "verb" was the
    // event's noun already; its object keeps the one "of".
    if let Some(rest) = object.strip_prefix("of ").or_else(|| object.strip_prefix("Of ")) {
        let mut noun = verb_word.to_string();
        if let Some(first) = noun.get_mut(..1) {
            first.make_ascii_uppercase();
        }
        return format!("{noun} of {rest}");
    }
    if heads.iter().any(|h| matches!(*h, "document" | "event" | "money" | "response")) {
        return object.to_string();
    }
    let base = base_form(verb_word).unwrap_or_else(|| verb_word.to_string());
    let noun = nominal(verb_word).or_else(|| nominal(&base)).or_else(|| nominal(&format!("{base}e")));
    match noun {
        Some(n) if !object.to_lowercase().starts_with(&n.to_lowercase()) => format!("{n} of {object}"),
        _ => object.to_string(),
    }
}

/// Milestone or deliverable: a document handed over is a deliverable; a
/// body set up, an event held or a thing completed is a milestone.
fn kind_for(f: &Finder<'_>, name: &str, verbs: &[&str]) -> Kind {
    let by_name = kind_of_name(f, name);
    let heads = super::head_classes(f, name);
    // A head both classes claim is the longer phrase's: "press release" is
    // an event (docs/conventions.md: press releases are milestones), though
    // a software "release" is a document.
    if heads.contains(&"document") && !heads.contains(&"event") && !verbs.contains(&"govern") {
        return Kind::Deliverable;
    }
    if verbs.iter().any(|v| matches!(*v, "govern" | "event")) && !verbs.contains(&"deliver") {
        return Kind::Milestone;
    }
    by_name
}

/// The object of a verb ending at token `from`: past an indirect object
/// ("to Licensor", "Licensor with", "Licensor a copy"), to the first word
/// that ends a noun phrase.
fn object_span(f: &Finder<'_>, m: &Marked, from: usize, cend: usize) -> Option<(usize, usize)> {
    let toks = &m.toks;
    let mut k = from;
    if k >= cend {
        return None;
    }
    // A party: a name ("Roche") or a party noun ("the other Party"); a
    // determiner alone is not one ("the rostering integration with ...").
    let party_like = |i: usize| (toks[i].capital && !DETERMINERS.contains(&toks[i].lower.as_str())) || m.covers(f.classes.noun_party, i);
    let lower = |i: usize| toks[i].lower.as_str();
    // "accept or reject it", "correct and resubmit the report": a second verb.
    if matches!(lower(k), "and" | "or") && k + 2 < cend && toks[k + 1].word && !toks[k + 1].capital {
        k += 2;
    }
    if matches!(lower(k), "to" | "unto") {
        // "deliver to Licensee the Technical Information".
        let det = (k + 2..(k + 7).min(cend)).find(|&i| matches!(lower(i), "a" | "an" | "the" | "its" | "all" | "copies" | "any" | "such" | "one") && party_like(i - 1));
        match det {
            Some(d) if (k + 1..d).all(|i| toks[i].word) => k = d,
            _ => return None,
        }
    } else if let Some(w) = (k..(k + 7).min(cend)).find(|&i| lower(i) == "with") {
        // "provide Roche with clinical reports", "provide the other Party
        // with a copy", "provide the Committee with its plan" (not "deliver
        // a Maintenance schedule complying with").
        let party = (k..w).any(|i| m.covers(f.classes.noun_party, i))
            || (toks[k].capital && !DETERMINERS.contains(&lower(k)))
            || (DETERMINERS.contains(&lower(k)) && (k + 1..w).all(|i| toks[i].capital || m.covers(f.classes.noun_govern, i)));
        if w > k && w - k <= 4 && (k..w).all(|i| toks[i].word) && party {
            k = w + 1;
        }
    } else if (toks[k].capital || m.covers(f.classes.noun_party, k)) && !DETERMINERS.contains(&lower(k)) {
        // "send Licensor a report", "give the other Party notice" is caught above.
        if let Some(d) = (k + 1..(k + 4).min(cend)).find(|&i| matches!(lower(i), "a" | "an" | "the" | "its" | "all" | "copies" | "written")) {
            if (k..d).all(|i| toks[i].word && (toks[i].capital || m.covers(f.classes.noun_party, i))) {
                k = d;
            }
        }
    }
    noun_phrase(m, k, cend)
}

/// A noun phrase starting at token `from`: determiners skipped, then words
/// up to one that ends it; one "of" and one "for" complement are kept.
pub(crate) fn noun_phrase(m: &Marked, from: usize, cend: usize) -> Option<(usize, usize)> {
    let toks = &m.toks;
    let mut s = from;
    while s < cend
        && (DETERMINERS.contains(&toks[s].lower.as_str())
            || toks[s].lower == "(" && toks.get(s + 1).is_some_and(|t| t.lower.chars().all(|c| c.is_ascii_digit()))
            || toks[s].lower.chars().all(|c| c.is_ascii_digit())
            || toks[s].lower == ")")
    {
        s += 1;
    }
    let mut e = s;
    let mut words = 0;
    let (mut used_of, mut used_for, mut used_and) = (false, false, false);
    while e < cend && words < 10 {
        let t = &toks[e];
        let w = t.lower.as_str();
        if !t.word {
            // "R&D", "e-mail" are single tokens; a "/" joining words too.
            if w == "/" && words > 0 {
                e += 1;
                continue;
            }
            break;
        }
        match w {
            "of" | "for" if words > 0 => {
                let used = if w == "of" { &mut used_of } else { &mut used_for };
                if *used || e + 1 >= cend {
                    break;
                }
                *used = true;
                e += 1;
                while e < cend && DETERMINERS.contains(&toks[e].lower.as_str()) {
                    e += 1;
                }
                continue;
            }
            "and" | "or" | "&" | "and/or" if words > 0 => {
                let next_ok = toks.get(e + 1).is_some_and(|n| n.word && !DETERMINERS.contains(&n.lower.as_str()) && !NP_STOP.contains(n.lower.as_str()));
                if used_and || !next_ok || words > 5 {
                    break;
                }
                used_and = true;
                e += 1;
                continue;
            }
            _ => {}
        }
        // A participle ends a name it follows ("the runbook delivered and
        // approved") but may open one ("approved layout drawings").
        let participle = w.ends_with("ed") || matches!(w, "sent" | "made" | "ready");
        if NP_STOP.contains(w) && !(participle && words == 0) {
            break;
        }
        words += 1;
        e += 1;
    }
    (e > s).then_some((s, e))
}

/// The subject of the clause: the words before the modal, back to the
/// clause's start or its last comma.
fn subject_span(m: &Marked, cstart: usize, modal: usize) -> Option<(usize, usize)> {
    let toks = &m.toks;
    let mut s = modal;
    let mut depth = 0i32;
    while s > cstart {
        let t = &toks[s - 1];
        match t.lower.as_str() {
            ")" => depth += 1,
            "(" if depth > 0 => depth -= 1,
            "," | ":" | "(" | "\"" | "that" | "which" | "who" | "then" | "thereafter" if depth == 0 => break,
            _ => {}
        }
        s -= 1;
        if modal - s > 14 {
            break;
        }
    }
    // A leading list marker or "and".
    while s < modal && (!toks[s].word || matches!(toks[s].lower.as_str(), "and" | "or" | "further" | "also")) {
        s += 1;
    }
    // A qualifier after the subject's noun is no part of its name ("the
    // inspection in accordance with the standard shall ...").
    let qualifier = (s + 1..modal).find(|&i| {
        let w = |k: usize| toks.get(i + k).map_or("", |t| t.lower.as_str());
        matches!(
            (w(0), w(1)),
            ("in", "accordance" | "connection" | "respect") | ("pursuant" | "according" | "subject", "to") | ("with", "respect") | ("as", "set" | "described" | "defined" | "provided" | "specified")
        )
    });
    let end = qualifier.unwrap_or(modal);
    (s < end).then_some((s, end))
}

/// Time facts of a clause: its date, relative deadline, recurrence,
/// "promptly", "upon X".
pub(crate) fn clause_timing(f: &Finder<'_>, seg: &Segment, m: &Marked, (cs, ce): (usize, usize), name_end: usize, c: &mut Candidate) {
    let toks = &m.toks;
    let (b0, b1) = (toks[cs].start, toks[ce - 1].end);
    let dates = f.timing_dates(&seg.text, b0, b1);
    let name_end_b = toks.get(name_end.min(toks.len().saturating_sub(1))).map_or(b1, |t| t.start);
    // A change of date states the new one last ("changed from June 1 to July 15").
    let changed = (cs..ce).any(|i| matches!(toks[i].lower.as_str(), "changed" | "extended" | "moved" | "postponed" | "deferred" | "rescheduled" | "amended" | "revised"));
    // The date nearest after the name, else the last one before it.
    let pick = if changed { dates.last() } else { dates.iter().find(|d| d.2 >= name_end_b).or_else(|| dates.last()) };
    let relative = f.timing_relative(&seg.text, b0, b1);
    // A deadline stated relative to an event before a later date belongs
    // to this item; the date to the next ("within five days after X, and a
    // plan on or before May 1").
    let relative_first = relative.as_ref().is_some_and(|(_, at)| *at >= name_end_b && pick.is_some_and(|d| *at < d.2));
    if let Some(&(d, amb, _)) = pick.filter(|_| !relative_first) {
        c.date = Some(d);
        c.ambiguous = amb;
        c.add("time:date");
    }
    if let Some((r, _)) = relative {
        c.relative = Some(r);
        c.add("time:relative");
    }
    let cl = &f.classes;
    if m.has(cl.recurrence, cs, ce) {
        c.add("time:recurrence");
    }
    if m.has(cl.promptly, cs, ce) {
        c.add("time:promptly");
    }
    if (cs..ce).any(|i| matches!(toks[i].lower.as_str(), "upon" | "following")) {
        c.add("time:upon");
    }
    if (cs..ce).any(|i| matches!(toks[i].lower.as_str(), "after" | "before" | "prior")) {
        c.add("time:after");
    }
    if (cs..ce).any(|i| toks[i].lower == "within") {
        c.add("time:within");
    }
    // "On the Closing Date, the Seller shall deliver ...": due at a dated
    // event of the contract, so it takes that event's date once known
    // (docs/conventions.md). Not for payments: one due at signing is undated.
    if c.kind != Kind::Payment && c.date.is_none() && c.relative.is_none() {
        if let Some(anchor) = dated_event_at(&seg.text, m, (cs, ce), name_end) {
            c.date_text = Some(anchor);
            c.add("time:anchor");
        }
    }
    if !c.features.iter().any(|x| x.starts_with("time:")) {
        c.add("time:none");
    }
}

/// "on the Effective Date", "on or before the Closing Date", "by the Launch
/// Date": the name of a defined date the clause falls on, capitalised and
/// ending in "Date". It must open the clause or follow the item's name
/// directly; "as it stands on the Effective Date", "commencing on the
/// Effective Date" describe a state or the start of a duty, not a deadline.
fn dated_event_at(text: &str, m: &Marked, (cs, ce): (usize, usize), name_end: usize) -> Option<String> {
    let toks = &m.toks;
    let capitalised = |i: usize| text[toks[i].start..toks[i].end].starts_with(|ch: char| ch.is_uppercase());
    let breaks = |a: usize, b: usize| (a..b).any(|k| matches!(toks[k].lower.as_str(), "(" | ")" | "," | ";" | ":" | "."));
    for i in cs..ce {
        if !matches!(toks[i].lower.as_str(), "on" | "by") {
            continue;
        }
        let placed = i < name_end || (i < name_end + 8 && !breaks(name_end, i));
        let state = i > 0
            && matches!(
                toks[i - 1].lower.as_str(),
                "current"
                    | "currently"
                    | "appears"
                    | "appeared"
                    | "exists"
                    | "existed"
                    | "existing"
                    | "effect"
                    | "force"
                    | "commencing"
                    | "beginning"
                    | "starting"
                    | "effective"
                    | "held"
                    | "outstanding"
            );
        if !placed || state {
            continue;
        }
        let mut j = i + 1;
        // "on or before the ..."
        if toks.get(j).is_some_and(|t| t.lower == "or") && toks.get(j + 1).is_some_and(|t| matches!(t.lower.as_str(), "before" | "prior")) {
            j += if toks.get(j + 2).is_some_and(|t| t.lower == "to") { 3 } else { 2 };
        }
        if toks.get(j).is_none_or(|t| t.lower != "the") {
            continue;
        }
        let first = j + 1;
        let mut k = first;
        while k < ce && k < first + 5 && toks[k].word && capitalised(k) {
            if toks[k].lower == "date" {
                if k > first {
                    return Some(text[toks[first].start..toks[k].end].to_string());
                }
                break;
            }
            k += 1;
        }
    }
    None
}

/// Context facts: on request, conditional, topics that hold no schedule.
pub(crate) fn clause_context(f: &Finder<'_>, m: &Marked, (cs, ce): (usize, usize), modal: usize, c: &mut Candidate) {
    let cl = &f.classes;
    let n = m.toks.len();
    // Only when asked: "upon request", "at Licensee's written request", "as requested".
    let asked = (cs..ce).any(|i| {
        m.toks[i].lower.starts_with("request")
            && (i.saturating_sub(4)..i).any(|j| matches!(m.toks[j].lower.as_str(), "upon" | "on" | "at" | "if" | "as" | "when" | "following" | "after" | "reasonably" | "may" | "its" | "their"))
    });
    if asked || m.has(cl.on_request, cs, ce) {
        c.add("request");
    } else if m.has(cl.on_request, 0, n) {
        c.add("request_near");
    }
    if m.has(cl.discretionary, cs, ce) {
        c.add("discretionary");
    }
    if m.has(cl.ongoing, cs, ce) {
        c.add("ongoing");
    }
    if m.has(cl.conditional, cs, modal) {
        c.add("cond:before");
    }
    if m.has(cl.conditional, 0, n) {
        c.add("cond:sentence");
    }
    if m.has(cl.topic_not_schedule, cs, ce) {
        c.add("topic:not_schedule");
    } else if m.has(cl.topic_not_schedule, 0, n) {
        c.add("topic:not_schedule_near");
    }
    if (cs..ce).any(|i| m.toks[i].lower.contains("***") || m.toks[i].lower == "[***]") || m.toks[cs..ce].windows(2).any(|w| w[0].lower == "[" && w[1].lower.starts_with('*')) {
        c.add("redacted");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_forms() {
        assert_eq!(base_form("delivered").as_deref(), Some("deliver"));
        assert_eq!(base_form("submitted").as_deref(), Some("submit"));
        assert_eq!(base_form("supplied").as_deref(), Some("supply"));
        assert_eq!(base_form("held").as_deref(), Some("hold"));
        assert_eq!(base_form("provided").as_deref(), Some("provid"));
        assert_eq!(base_form("report"), None);
    }
}
