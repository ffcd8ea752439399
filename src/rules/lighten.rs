//! Smaller automata for word classes.
//!
//! `\w` under Unicode is some 770 ranges of code points; as a UTF-8
//! automaton it takes 321 NFA states, and rule patterns repeat it by bounded
//! counts (`[\w\s]{0,40}` is 40 copies). Over the built-in rules that came
//! to most of a worker's memory. A class that holds every non-ASCII letter
//! of `\w` is read instead as: its ASCII members, every non-ASCII character
//! outside the blocks of punctuation, symbols, private-use glyphs and the
//! replacement character, and, inside those blocks, exactly its own members.
//! So a curly quote, a dash, a bullet, `€` or U+FFFD is still not a word
//! character, and every letter of every script still is; what changes is
//! that the rarer non-letters of letter blocks (a Greek question mark, a
//! Devanagari danda) now count as word characters.

use regex_syntax::hir::{Capture, Class, ClassUnicode, ClassUnicodeRange, Hir, HirKind, Repetition};
use std::sync::OnceLock;

/// Blocks where a word class keeps its exact members.
const EXACT_BLOCKS: &[(char, char)] = &[
    ('\u{80}', '\u{BF}'),        // C1 controls, Latin-1 punctuation and symbols
    ('\u{D7}', '\u{D7}'),        // ×
    ('\u{F7}', '\u{F7}'),        // ÷
    ('\u{2000}', '\u{2BFF}'),    // general punctuation .. arrows, maths, shapes, dingbats
    ('\u{2E00}', '\u{2E7F}'),    // supplemental punctuation
    ('\u{3000}', '\u{303F}'),    // CJK symbols and punctuation
    ('\u{E000}', '\u{F8FF}'),    // private use (symbol fonts, unmapped glyphs)
    ('\u{FE10}', '\u{FE6F}'),    // vertical, compatibility and small forms
    ('\u{FF00}', '\u{FFFF}'),    // full- and half-width forms, specials (U+FFFD)
    ('\u{1F000}', '\u{1FAFF}'),  // tiles, cards, emoji, pictographs
    ('\u{F0000}', '\u{10FFFF}'), // supplementary private use
];

struct Word {
    /// The non-ASCII members of `\w`.
    nonascii: ClassUnicode,
    /// The exact blocks.
    exact: ClassUnicode,
    /// Every non-ASCII character outside the exact blocks.
    elsewhere: ClassUnicode,
}

fn word() -> &'static Word {
    static WORD: OnceLock<Word> = OnceLock::new();
    WORD.get_or_init(|| {
        let HirKind::Class(Class::Unicode(w)) = regex_automata::util::syntax::parse(r"\w").expect("\\w parses").into_kind() else { unreachable!("\\w is a Unicode class") };
        let mut nonascii = ClassUnicode::new([ClassUnicodeRange::new('\u{80}', char::MAX)]);
        nonascii.intersect(&w);
        let exact = ClassUnicode::new(EXACT_BLOCKS.iter().map(|&(a, b)| ClassUnicodeRange::new(a, b)));
        let mut elsewhere = ClassUnicode::new([ClassUnicodeRange::new('\u{80}', char::MAX)]);
        elsewhere.difference(&exact);
        Word { nonascii, exact, elsewhere }
    })
}

/// `hir` with every word class made small (see the module docs); the rest,
/// captures included, as it was.
pub fn lighten(hir: &Hir) -> Hir {
    match hir.kind() {
        HirKind::Class(Class::Unicode(class)) => {
            let w = word();
            let mut has_word = w.nonascii.clone();
            has_word.intersect(class);
            if has_word != w.nonascii {
                return hir.clone();
            }
            // ASCII members and members in the exact blocks as they were.
            let mut out = ClassUnicode::new([ClassUnicodeRange::new('\0', '\x7f')]);
            out.union(&w.exact);
            out.intersect(class);
            out.union(&w.elsewhere);
            Hir::class(Class::Unicode(out))
        }
        HirKind::Capture(cap) => Hir::capture(Capture { sub: Box::new(lighten(&cap.sub)), ..cap.clone() }),
        HirKind::Repetition(rep) => Hir::repetition(Repetition { sub: Box::new(lighten(&rep.sub)), ..rep.clone() }),
        HirKind::Concat(subs) => Hir::concat(subs.iter().map(lighten).collect()),
        HirKind::Alternation(subs) => Hir::alternation(subs.iter().map(lighten).collect()),
        _ => hir.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::lighten;

    fn matches(pattern: &str, text: &str) -> bool {
        let hir = lighten(&regex_automata::util::syntax::parse(pattern).unwrap());
        regex_automata::meta::Regex::builder().build_from_hir(&hir).unwrap().is_match(text)
    }

    #[test]
    fn word_classes_keep_letters_and_refuse_punctuation() {
        for letter in ["a", "Z", "_", "7", "é", "ß", "Ж", "λ", "中", "ª", "ﬁ"] {
            assert!(matches(r"^\w$", letter), "{letter} is a word character");
            assert!(matches(r"^[\w\s]$", letter), "{letter} is in [\\w\\s]");
        }
        for other in ["’", "“", "–", "—", "•", "€", "£", "§", "\u{a0}", "\u{fffd}", "\u{e001}", "×", "…", "™", "(", "-", " "] {
            assert!(!matches(r"^\w$", other), "{other:?} is not a word character");
        }
        assert!(matches(r"^[\w\-]+$", "co-operate"));
        assert!(!matches(r"^[\w\-]+$", "co–operate"), "an en dash is not in [\\w\\-]");
    }

    #[test]
    fn other_classes_and_captures_are_untouched() {
        assert!(!matches(r"^\d$", "é"), "\\d holds no letters");
        assert!(matches(r"^\d$", "٣"), "\\d stays Unicode");
        assert!(matches(r"^[^,;]$", "’"));
        let hir = lighten(&regex_automata::util::syntax::parse(r"(?P<name>\w+) (?P<date>\d+)").unwrap());
        let re = regex_automata::meta::Regex::builder().build_from_hir(&hir).unwrap();
        let mut caps = re.create_captures();
        re.captures("Phase 12", &mut caps);
        assert_eq!(caps.get_group_by_name("date").map(|s| s.range()), Some(6..8));
    }

    #[test]
    fn a_word_class_is_far_smaller() {
        let states = |p: &str| regex_automata::nfa::thompson::NFA::compiler().build_from_hir(&lighten(&regex_automata::util::syntax::parse(p).unwrap())).unwrap().states().len();
        let exact = regex_automata::nfa::thompson::NFA::new(r"\w").unwrap().states().len();
        assert!(states(r"\w") * 4 < exact, "{} states against {exact}", states(r"\w"));
    }
}
