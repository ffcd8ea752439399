//! The prefilter: which rules, and which of their patterns, can match a
//! segment, from one pass of one automaton over it. A rule's keywords come
//! from the fragments every pattern needs; a pattern's required literals
//! from its parsed syntax.

use regex::Regex;

use super::{schema, RuleSet};
use crate::segment::Segment;

impl RuleSet {
    /// Whether the keyword prefilter lets rule `ri` run on `seg`.
    pub(crate) fn would_run(&self, ri: usize, seg: &Segment) -> bool {
        let rule = &self.rules[ri];
        let text = seg.text.to_lowercase();
        !self.prefilter_enabled || rule.keywords.is_empty() || !rule.columns.is_empty() || rule.keywords.iter().any(|k| text.contains(k.as_str()))
    }

    /// Run every rule on every segment instead of only those whose keywords
    /// occur in it (for measuring the prefilter; same output).
    pub fn disable_prefilter(&mut self) {
        self.prefilter_enabled = false;
    }

    /// Which keywords and required literals occur in `text`; `None` to skip
    /// both filters.
    ///
    /// The words are matched ignoring ASCII case, while a case-insensitive
    /// pattern's `k` and `s` also match the Kelvin sign and the long s: a text
    /// with either is not filtered at all.
    pub(super) fn words_present(&self, text: &str) -> Option<Vec<bool>> {
        if !self.prefilter_enabled || (!text.is_ascii() && text.contains(['\u{212A}', '\u{17F}'])) {
            return None;
        }
        let mut present = vec![false; self.words.patterns_len()];
        for m in self.words.find_overlapping_iter(text) {
            present[m.pattern().as_usize()] = true;
        }
        Some(present)
    }

    /// Whether pattern `pi` of rule `ri` can match a text with these
    /// literals present.
    pub(super) fn pattern_may_run(&self, ri: usize, pi: usize, present: Option<&[bool]>) -> bool {
        let Some(present) = present else { return true };
        self.needs[ri][pi].iter().all(|group| group.iter().any(|&w| present[w]))
    }
}

/// The words one of which must occur for any of the rule's patterns to
/// match, from the fragments with `[keywords]`; empty when some pattern needs
/// none (the rule then always runs).
pub(super) fn derive_keywords(def: &schema::RuleDef, fragment_words: &[(String, Vec<String>)]) -> Vec<String> {
    let mut all = Vec::new();
    for p in &def.patterns {
        // The first keyed fragment the pattern cannot match without (one in
        // an alternative or an optional group does not count).
        let pattern = p.get_ref();
        let Some((_, words)) = fragment_words.iter().filter_map(|(f, w)| pattern.find(f.as_str()).filter(|_| fragment_required(pattern, f)).map(|at| (at, w))).min_by_key(|(at, _)| *at) else {
            return Vec::new();
        };
        all.extend(words.iter().cloned());
    }
    all.sort();
    all.dedup();
    all
}

/// Whether every match of `pattern` contains the fragment `needle`
/// (`%{name}`): the fragment becomes a marker character, the others a plain
/// atom, and the parsed pattern is walked.
fn fragment_required(pattern: &str, needle: &str) -> bool {
    const MARK: char = '\u{E000}';
    static OTHER: once_cell::sync::Lazy<Regex> = once_cell::sync::Lazy::new(|| Regex::new(r"%\{[^}]*\}").expect("static regex"));
    let marked = pattern.replace(needle, "\u{E000}");
    let text = OTHER.replace_all(&marked, "(?:a)");
    let Ok(hir) = regex_syntax::Parser::new().parse(&text) else { return false };
    fn requires(h: &regex_syntax::hir::Hir) -> bool {
        use regex_syntax::hir::HirKind;
        match h.kind() {
            HirKind::Literal(l) => std::str::from_utf8(&l.0).is_ok_and(|s| s.contains(MARK)),
            HirKind::Concat(xs) => xs.iter().any(requires),
            HirKind::Alternation(xs) => xs.iter().all(requires),
            HirKind::Repetition(r) => r.min > 0 && requires(&r.sub),
            HirKind::Capture(c) => requires(&c.sub),
            _ => false,
        }
    }
    requires(&hir)
}

/// Literals every match of `pattern` contains, in groups: each match
/// contains at least one literal of every group. Literals are lower case
/// (a case-insensitive letter counts as its ASCII letter) and
/// [worth looking for](worth_looking_for); at most [`MAX_GROUPS`] groups, the most
/// selective first. Empty when nothing is certain.
///
/// Why: a rule's keywords come from its fragments and are broad ("19",
/// "day", "may"), so some 25 rules ran their automata over every segment.
/// The words a pattern spells out ("payable" or "due", then "upon") rule out
/// most segments with one pass of one automaton.
#[cfg(test)]
fn required_literals(pattern: &str) -> Vec<Vec<String>> {
    required_literals_of(&regex_automata::util::syntax::parse(pattern).expect("a valid pattern"))
}

/// [`required_literals`] of a parsed pattern.
pub(super) fn required_literals_of(hir: &regex_syntax::hir::Hir) -> Vec<Vec<String>> {
    let mut groups: Vec<Vec<String>> = literal_groups(hir).into_iter().filter(|g| !g.is_empty() && g.iter().all(|w| worth_looking_for(w))).collect();
    for g in &mut groups {
        g.sort();
        g.dedup();
    }
    // Longer shortest literal first: rarer in text.
    groups.sort_by_key(|g| (std::cmp::Reverse(g.iter().map(String::len).min().unwrap_or(0)), g.len()));
    groups.dedup();
    groups.truncate(MAX_GROUPS);
    groups
}

/// Whether a literal is specific enough to look for: two bytes or more, or
/// one symbol (`$`, `%`, `(`). A lone letter or digit is in every segment.
fn worth_looking_for(literal: &str) -> bool {
    literal.len() >= 2 || literal.bytes().all(|b| !b.is_ascii_alphanumeric() && !b.is_ascii_whitespace())
}

/// Groups kept per pattern.
const MAX_GROUPS: usize = 3;

fn literal_groups(hir: &regex_syntax::hir::Hir) -> Vec<Vec<String>> {
    use regex_syntax::hir::HirKind;
    match hir.kind() {
        HirKind::Capture(c) => literal_groups(&c.sub),
        HirKind::Repetition(r) if r.min > 0 => literal_groups(&r.sub),
        HirKind::Literal(_) => literal_text(hir).map(|t| vec![vec![t]]).unwrap_or_default(),
        HirKind::Class(class) => match literal_text(hir) {
            Some(t) => vec![vec![t]],
            // A class of a few characters (`[$€£]`, `["“]`): one of them.
            None => match class {
                regex_syntax::hir::Class::Unicode(c) => few_members(c).map(|chars| vec![chars.iter().map(|c| c.to_ascii_lowercase().to_string()).collect()]).unwrap_or_default(),
                regex_syntax::hir::Class::Bytes(_) => Vec::new(),
            },
        },
        HirKind::Concat(xs) => {
            // Consecutive literal pieces make one literal: `(?i)due` is three
            // one-letter classes.
            let mut out = Vec::new();
            let mut run = String::new();
            for x in xs {
                if let Some(t) = literal_text(x) {
                    run.push_str(&t);
                    continue;
                }
                if !run.is_empty() {
                    out.push(vec![std::mem::take(&mut run)]);
                }
                out.extend(literal_groups(x));
            }
            if !run.is_empty() {
                out.push(vec![run]);
            }
            out
        }
        HirKind::Alternation(xs) => {
            // One group: the best group of every branch, together.
            let mut union = Vec::new();
            for x in xs {
                let best = literal_groups(x).into_iter().filter(|g| g.iter().all(|w| worth_looking_for(w))).max_by_key(|g| (g.iter().map(String::len).min().unwrap_or(0), std::cmp::Reverse(g.len())));
                match best {
                    Some(g) => union.extend(g),
                    None => return Vec::new(),
                }
            }
            vec![union]
        }
        _ => Vec::new(),
    }
}

/// The members of a class of at most four characters.
fn few_members(class: &regex_syntax::hir::ClassUnicode) -> Option<Vec<char>> {
    let chars: Vec<char> = class.ranges().iter().flat_map(|r| r.start()..=r.end()).take(5).collect();
    (chars.len() <= 4).then_some(chars)
}

/// The text a literal, or a class of one letter in either case, matches,
/// in lower case; `None` for anything else.
fn literal_text(hir: &regex_syntax::hir::Hir) -> Option<String> {
    use regex_syntax::hir::{Class, HirKind};
    match hir.kind() {
        HirKind::Literal(l) => std::str::from_utf8(&l.0).ok().map(str::to_ascii_lowercase),
        HirKind::Capture(c) => literal_text(&c.sub),
        HirKind::Class(Class::Unicode(c)) => {
            // A letter's case-insensitive class has two to four members.
            let chars = few_members(c)?;
            let ascii: Vec<char> = chars.iter().copied().filter(char::is_ascii).collect();
            let other_ok = chars.iter().filter(|c| !c.is_ascii()).all(|c| matches!(c, '\u{212A}' | '\u{17F}'));
            match ascii[..] {
                [a, b] if a.is_ascii_alphabetic() && a.eq_ignore_ascii_case(&b) && a != b && other_ok => Some(a.to_ascii_lowercase().to_string()),
                _ => None,
            }
        }
        HirKind::Class(Class::Bytes(c)) => match c.ranges() {
            [a, b] if a.start() == a.end() && b.start() == b.end() && a.start().is_ascii_alphabetic() && a.start().eq_ignore_ascii_case(&b.start()) && a.start() != b.start() => {
                Some((a.start().to_ascii_lowercase() as char).to_string())
            }
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::fragment_required;

    #[test]
    fn required_literals_are_what_every_match_spells_out() {
        use super::required_literals;
        assert_eq!(required_literals(r"(?i)\b(?:payable|due)\b[^;]{3,120}\bupon\b"), vec![vec!["upon".to_string()], vec!["due".into(), "payable".into()]]);
        // A case-insensitive `k` also matches the Kelvin sign: still "k" (such
        // text skips the literal check).
        assert_eq!(required_literals(r"(?i)kick-off"), vec![vec!["kick-off".to_string()]]);
        // Optional parts, short literals and branches without a literal require nothing.
        assert!(required_literals(r"(?:payable)?\s+\d+").is_empty());
        assert_eq!(required_literals(r"on|by"), vec![vec!["by".to_string(), "on".into()]]);
        assert!(required_literals(r"a|by").is_empty());
        // A lone symbol is worth looking for.
        assert_eq!(required_literals(r"(?:\$|€)\d+"), vec![vec!["$".to_string(), "€".into()]]);
        assert!(required_literals(r"(?:upon|\d+)").is_empty());
        assert_eq!(required_literals(r"(?:invoice)+ due"), vec![vec!["invoice".to_string()], vec![" due".to_string()]]);
        assert!(required_literals(r"[a-z]{3}").is_empty());
    }

    #[test]
    fn a_fragment_in_an_alternative_or_optional_group_is_not_required() {
        assert!(fragment_required(r"pay\s+(?P<amount>%{amount})", "%{amount}"));
        assert!(fragment_required(r"(?:%{percent}|%{percent}\s+of)\s+%{amount}", "%{percent}"));
        assert!(!fragment_required(r"(?:(?P<percent>%{percent})|one-third)\s*\(%{amount}\)", "%{percent}"));
        assert!(fragment_required(r"(?:(?P<percent>%{percent})|one-third)\s*\(%{amount}\)", "%{amount}"));
        assert!(!fragment_required(r"(?:%{date})?\s+by", "%{date}"));
        assert!(!fragment_required(r"(?:%{date})*", "%{date}"));
        assert!(fragment_required(r"(?:%{date}){1,2}", "%{date}"));
        assert!(!fragment_required(r"no fragment here", "%{date}"));
    }
}
