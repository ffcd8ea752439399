//! The fragments of `rules/fragments.toml` and the normalisers that read
//! what they capture must agree: a word a fragment accepts that its
//! normaliser cannot read makes a match with no value. The fragments are
//! the definition of what a rule matches; these tests derive their texts
//! from the fragments themselves (every alternative of an alternation,
//! see [`samples`]), so a word added to a fragment is checked against the
//! normaliser without touching the tests.

use std::collections::{BTreeSet, HashMap};

use chrono::Datelike;
use regex_syntax::hir::{Class, Hir, HirKind};

use super::compile::expand;
use super::schema::RuleFile;
use super::BUILTIN;
use crate::normalise::{self, DateOrder, Direction, Unit};

/// The built-in fragments, and the `[keywords]` of each.
fn builtin() -> (HashMap<String, String>, HashMap<String, Vec<String>>) {
    let mut fragments = HashMap::new();
    let mut keywords = HashMap::new();
    for (_, text) in BUILTIN {
        let file: RuleFile = toml::from_str(text).unwrap();
        fragments.extend(file.fragments.into_iter().map(|(k, v)| (k, v.into_inner())));
        keywords.extend(file.keywords);
    }
    (fragments, keywords)
}

/// A fragment, expanded, as a regex that must match a whole text.
fn whole(name: &str) -> regex::Regex {
    let (fragments, _) = builtin();
    regex::Regex::new(&format!("^(?:{})$", expand(&format!("%{{{name}}}"), &fragments, 0).unwrap())).unwrap()
}

/// One text per path through a fragment: every branch of every alternation
/// (all combinations), an optional part left out (and, with `optional`, an
/// `x?` also taken once), an optional space written as one, a class as one
/// of its members (a space, a `5`, a lower-case letter by preference). Runs
/// of spaces are then made one.
fn samples(name: &str, optional: bool) -> Vec<String> {
    let (fragments, _) = builtin();
    let hir = regex_syntax::parse(&expand(&format!("%{{{name}}}"), &fragments, 0).unwrap()).unwrap();
    let mut out: Vec<String> = walk(&hir, optional).into_iter().map(|s| s.split(' ').filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")).collect();
    out.dedup();
    out
}

fn walk(h: &Hir, optional: bool) -> Vec<String> {
    match h.kind() {
        HirKind::Empty | HirKind::Look(_) => vec![String::new()],
        HirKind::Literal(l) => vec![String::from_utf8(l.0.to_vec()).unwrap()],
        HirKind::Class(c) => members(c).into_iter().map(String::from).collect(),
        HirKind::Capture(c) => walk(&c.sub, optional),
        HirKind::Repetition(r) => {
            let space = matches!(r.sub.kind(), HirKind::Class(c) if member(c) == ' ');
            let n = if r.min == 0 && space { 1 } else { r.min };
            let mut out = (0..n).fold(vec![String::new()], |acc, _| cross(&acc, &walk(&r.sub, optional)));
            if optional && !space && r.min == 0 && r.max == Some(1) {
                out.extend(walk(&r.sub, optional));
            }
            out
        }
        HirKind::Concat(parts) => parts.iter().fold(vec![String::new()], |acc, p| cross(&acc, &walk(p, optional))),
        HirKind::Alternation(alts) => alts.iter().flat_map(|a| walk(a, optional)).collect(),
    }
}

fn cross(a: &[String], b: &[String]) -> Vec<String> {
    a.iter().flat_map(|x| b.iter().map(move |y| format!("{x}{y}"))).collect()
}

/// A small class (the parser makes `€|£` one) is every member, one case of
/// a letter; a large one (`\d`, `\s`, `[a-z]`) one member.
fn members(c: &Class) -> Vec<char> {
    let chars: Vec<char> = match c {
        Class::Unicode(u) => u.ranges().iter().flat_map(|r| (r.start()..=r.end()).take(128)).collect(),
        Class::Bytes(b) => b.ranges().iter().flat_map(|r| (r.start()..=r.end()).map(char::from)).collect(),
    };
    if chars.len() <= 8 {
        // (?i) makes `s` [Ssſ]: one ASCII letter stands for the others.
        let ascii_letter = chars.iter().any(char::is_ascii_alphabetic);
        let mut small: Vec<char> = chars.iter().filter(|c| !ascii_letter || c.is_ascii()).map(char::to_ascii_lowercase).collect();
        small.dedup();
        return small;
    }
    vec![[' ', '5'].into_iter().find(|p| chars.contains(p)).or_else(|| chars.iter().copied().find(char::is_ascii_lowercase)).unwrap_or(chars[0])]
}

fn member(c: &Class) -> char {
    members(c)[0]
}

#[test]
fn every_direction_of_rel_is_read_the_same_way_by_the_relative_normaliser() {
    // The words that put the date before its anchor; any other is "after".
    let before: BTreeSet<&str> = ["before", "prior to", "preceding"].into();
    let rel = whole("rel");
    let directions = samples("direction", true);
    assert!(directions.len() >= 10, "{directions:?}");
    for dir in &directions {
        let text = format!("thirty (30) days {dir} the Effective Date");
        assert!(rel.is_match(&text), "%{{rel}} does not match {text:?}");
        let found = normalise::find_relatives(&text);
        let r = &found.first().unwrap_or_else(|| panic!("the relative normaliser cannot read {text:?}, which %{{rel}} matches")).rel;
        let want = if before.contains(dir.as_str()) { Direction::Before } else { Direction::After };
        assert_eq!((r.offset, r.unit, r.direction, r.anchor.as_str()), (30, Unit::Days, want, "Effective Date"), "{text:?}");
    }
}

#[test]
fn every_unit_of_rel_is_read_by_the_relative_normaliser() {
    let rel = whole("rel");
    for unit in samples("unit", true) {
        let text = format!("5 {unit} after the Kick-off");
        assert!(rel.is_match(&text), "%{{rel}} does not match {text:?}");
        let r = normalise::find_relatives(&text).first().map(|f| f.rel.clone()).unwrap_or_else(|| panic!("cannot read {text:?}"));
        let want = match unit.rsplit(' ').next().unwrap().trim_end_matches('s') {
            "day" if unit.starts_with("business") || unit.starts_with("working") => Unit::BusinessDays,
            "day" => Unit::Days,
            "week" => Unit::Weeks,
            "month" => Unit::Months,
            _ => Unit::Years,
        };
        assert_eq!((r.offset, r.unit), (5, want), "{text:?}");
    }
}

/// The ISO code a currency mark stands for (a bare `$`: the default given
/// to the normaliser, USD).
fn code_of(text: &str) -> &'static str {
    let codes = ["USD", "EUR", "GBP", "CAD", "AUD", "CHF", "JPY", "INR", "NZD", "SGD", "HKD"];
    let signs = [("US$", "USD"), ("CA$", "CAD"), ("C$", "CAD"), ("AU$", "AUD"), ("A$", "AUD"), ("NZ$", "NZD"), ("HK$", "HKD"), ("S$", "SGD"), ("Rs", "INR")];
    let symbols = [("$", "USD"), ("€", "EUR"), ("£", "GBP"), ("¥", "JPY"), ("₹", "INR")];
    let words = [("canadian dollars", "CAD"), ("australian dollars", "AUD"), ("dollars", "USD"), ("euro", "EUR"), ("pounds", "GBP")];
    let lower = text.to_lowercase();
    codes
        .iter()
        .find(|c| text.contains(*c))
        .copied()
        .or_else(|| signs.iter().chain(&symbols).find(|(m, _)| text.contains(m)).map(|(_, c)| *c))
        .or_else(|| words.iter().find(|(w, _)| lower.contains(w)).map(|(_, c)| *c))
        .unwrap_or_else(|| panic!("no currency mark in {text:?}"))
}

#[test]
fn every_currency_mark_of_amount_is_read_by_the_amount_normaliser_and_is_a_keyword() {
    let amount = whole("amount");
    let (_, keywords) = builtin();
    let words = &keywords["amount"];
    let mut texts: Vec<String> = Vec::new();
    // Marks before a figure, with and without a space.
    for mark in samples("currency_prefix", false) {
        texts.push(format!("{mark}5,000"));
        texts.push(format!("{mark} 5,000"));
    }
    // Marks after a figure, and amounts in words with the figure in brackets.
    texts.extend(samples("amount", false).into_iter().filter(|s| s.starts_with('5')).map(|s| s.replacen('5', "5,000", 1)));
    for adj in ["", "U.S. ", "US ", "Canadian ", "Australian "] {
        for word in ["dollars", "euro", "euros", "pounds", "pounds sterling"] {
            if adj.is_empty() || word == "dollars" {
                texts.push(format!("Five Thousand {adj}{word} (5,000)"));
            }
        }
    }
    assert!(texts.len() > 40, "{texts:?}");
    for text in &texts {
        assert!(amount.is_match(text), "%{{amount}} does not match {text:?}");
        let found = normalise::find_amounts(text, normalise::Currency::USD);
        let m = &found.first().unwrap_or_else(|| panic!("the amount normaliser cannot read {text:?}, which %{{amount}} matches")).money;
        assert_eq!((m.value.to_string().as_str(), m.currency.as_str()), ("5000.00", code_of(text)), "{text:?}");
        let lower = text.to_ascii_lowercase();
        assert!(words.iter().any(|w| lower.contains(w.as_str())), "{text:?} has none of the [keywords] of amount: rules would not run on it");
    }
}

#[test]
fn month_and_the_date_normaliser_know_the_same_month_names() {
    let month = whole("month");
    let names = crate::normalise::MONTH_NAMES;
    let mut accepted = 0;
    for (i, name) in names.iter().enumerate() {
        // Every beginning of the name that could be an abbreviation, and "Sept".
        let mut forms: Vec<String> = (3..=name.len()).map(|n| name[..n].to_string()).collect();
        if *name == "september" {
            forms.push("sept".into());
        }
        for form in forms {
            for written in [form.clone(), format!("{}{}", form[..1].to_uppercase(), &form[1..]), format!("{form}.")] {
                let by_fragment = month.is_match(&written);
                let text = format!("5 {written} 2025");
                let by_normaliser = normalise::parse_date(&text, DateOrder::Mdy).is_some_and(|d| d.date.month() as usize == i + 1);
                assert_eq!(by_fragment, by_normaliser, "%{{month}} and the date normaliser disagree on {written:?} ({text:?})");
                accepted += usize::from(by_fragment);
            }
        }
    }
    assert!(accepted >= 24 * 3, "{accepted}");
}

#[test]
fn every_ordinal_word_of_ordinal_is_read_by_the_number_normaliser() {
    let ordinal = whole("ordinal");
    let mut read = BTreeSet::new();
    // Both "twenty-first" and "twenty first": the fragment's `[- ]`.
    for word in samples("ordinal", false).into_iter().filter(|s| !s.starts_with('5')) {
        assert!(ordinal.is_match(&word), "{word:?}");
        read.insert(normalise::parse_ordinal(&word).unwrap_or_else(|| panic!("the number normaliser cannot read {word:?}, which %{{ordinal}} matches")));
    }
    assert_eq!(read, (1..=31).collect(), "the ordinal words are the days of a month");
}

#[test]
fn samples_take_every_branch() {
    // The sampler the tests above rest on.
    let (mut fragments, _) = builtin();
    fragments.insert("t".into(), r"(?i:a|b\s?c)(?:x|y)?\d+".into());
    let hir = regex_syntax::parse(&expand("%{t}", &fragments, 0).unwrap()).unwrap();
    assert_eq!(walk(&hir, false), ["a5", "b c5"]);
    assert_eq!(walk(&hir, true), ["a5", "ax5", "ay5", "b c5", "b cx5", "b cy5"]);
    // One-character branches the parser makes a class are each taken.
    fragments.insert("u".into(), r"(?:\$|€|£)[0-9]".into());
    let hir = regex_syntax::parse(&expand("%{u}", &fragments, 0).unwrap()).unwrap();
    assert_eq!(walk(&hir, false), ["$5", "£5", "€5"]);
}
