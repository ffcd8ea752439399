//! Word classes (`rules/lexicon.toml`): the vocabulary the candidate finder
//! and the decision read, and the tokens they read it over.
//!
//! A class is a list of words and phrases ("noun_document": report,
//! statement, forecast ...). The decision sees classes, never words, so
//! that what it weighs ("the object of the verb is a document noun") holds
//! on contracts it was not trained on. A term matches word by word,
//! ignoring case; a trailing `*` on its last word matches any ending.

use std::collections::HashSet;

/// Looked up once or more per word of every sentence read: a fast hasher.
use hashbrown::HashMap;

/// A word or punctuation mark of a text, with its byte span.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    /// Byte offset of the first character.
    pub start: usize,
    /// Byte offset just past the last character.
    pub end: usize,
    /// The token lowercased (curly apostrophes straightened).
    pub lower: String,
    /// A word (letters or digits), not punctuation.
    pub word: bool,
    /// Its first character is an uppercase letter.
    pub capital: bool,
}

/// Cut a text into words and punctuation. A word is a run of letters and
/// digits, with inner hyphens, apostrophes, ampersands, slashes and full
/// stops kept ("e-mail", "Licensor’s", "R&D", "U.S.", "3.2").
pub fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if c.is_whitespace() {
            continue;
        }
        if c.is_alphanumeric() {
            // A joiner counts only with a letter or digit after it.
            let mut end = text.len();
            while let Some(&(p, d)) = chars.peek() {
                if d.is_alphanumeric() {
                    chars.next();
                } else if matches!(d, '-' | '\'' | '\u{2019}' | '&' | '/' | '.' | '\u{2010}' | '\u{2011}') && text[p + d.len_utf8()..].chars().next().is_some_and(char::is_alphanumeric) {
                    chars.next();
                    chars.next();
                } else {
                    end = p;
                    break;
                }
            }
            out.push(Token { start: at, end, lower: lowered(&text[at..end]), word: true, capital: c.is_uppercase() });
        } else {
            let end = at + c.len_utf8();
            out.push(Token { start: at, end, lower: text[at..end].to_string(), word: false, capital: false });
        }
    }
    out
}

/// Words that never count as shared between two names (the evaluation scorer's list).
const STOPWORDS: &[&str] = &["the", "and", "for", "of", "to", "with", "upon", "from", "date", "due", "shall", "any", "all", "each", "per", "its", "this", "that", "are", "into", "under"];

/// Lowercase alphanumeric words of three or more characters, not stopwords:
/// what two names must share to name the same thing.
pub fn content_words(name: &str) -> HashSet<String> {
    name.to_lowercase().split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| w.len() >= 3 && !STOPWORDS.contains(w)).map(str::to_string).collect()
}

/// A word lowercased, curly apostrophes straightened (ASCII: one copy).
fn lowered(raw: &str) -> String {
    if raw.is_ascii() {
        raw.to_ascii_lowercase()
    } else {
        let lower = raw.to_lowercase();
        if lower.contains('\u{2019}') {
            lower.replace('\u{2019}', "'")
        } else {
            lower
        }
    }
}

/// One word of a term: exact, or a prefix (`report*`).
#[derive(Debug, Clone)]
enum Piece {
    Exact(String),
    Prefix(String),
}

impl Piece {
    fn matches(&self, word: &str) -> bool {
        match self {
            Piece::Exact(w) => w == word,
            Piece::Prefix(p) => word.starts_with(p.as_str()),
        }
    }
}

/// A class of words, by index.
pub type ClassId = usize;

/// Where a term of a class occurs: tokens `start..end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LexHit {
    /// First token.
    pub start: usize,
    /// One past the last token.
    pub end: usize,
    /// The class.
    pub class: ClassId,
}

/// The word classes.
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    names: Vec<String>,
    /// Terms by their first word when it is exact.
    by_first: HashMap<String, Vec<(Vec<Piece>, ClassId)>>,
    /// Terms whose first word is a prefix, by the prefix's first three
    /// characters (a prefix shorter than that is under its whole self).
    prefixed: HashMap<String, Vec<(Vec<Piece>, ClassId)>>,
}

/// The key a prefix term is filed under, and the keys a word looks under.
fn prefix_key(s: &str) -> String {
    s.chars().take(3).collect()
}

impl Lexicon {
    /// Build from (class, terms) pairs; terms of a class named twice are added.
    pub fn new<'a>(classes: impl IntoIterator<Item = (&'a str, &'a [String])>) -> Lexicon {
        let mut lex = Lexicon::default();
        for (name, terms) in classes {
            let id = lex.class_or_new(name);
            for term in terms {
                lex.add(id, term);
            }
        }
        lex
    }

    fn class_or_new(&mut self, name: &str) -> ClassId {
        match self.names.iter().position(|n| n == name) {
            Some(i) => i,
            None => {
                self.names.push(name.to_string());
                self.names.len() - 1
            }
        }
    }

    fn add(&mut self, class: ClassId, term: &str) {
        // Terms are cut like text, so "e-mail" and "kick-off" stay one word
        // and "($)" is three tokens.
        let pieces: Vec<Piece> = term
            .split_whitespace()
            .flat_map(|w| {
                let star = w.ends_with('*');
                let w = w.trim_end_matches('*').to_lowercase();
                let toks = tokens(&w);
                let n = toks.len();
                toks.into_iter().enumerate().map(move |(i, t)| if star && i + 1 == n { Piece::Prefix(t.lower) } else { Piece::Exact(t.lower) }).collect::<Vec<_>>()
            })
            .collect();
        let Some(first) = pieces.first() else { return };
        match first {
            Piece::Exact(w) => self.by_first.entry(w.clone()).or_default().push((pieces, class)),
            Piece::Prefix(p) => {
                let key = prefix_key(p);
                self.prefixed.entry(key).or_default().push((pieces, class))
            }
        }
    }

    /// The class with this name.
    pub fn class(&self, name: &str) -> Option<ClassId> {
        self.names.iter().position(|n| n == name)
    }

    /// The name of a class.
    pub fn name(&self, class: ClassId) -> &str {
        &self.names[class]
    }

    /// Every class name, in order.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Every occurrence of every class's terms in `toks` (overlapping).
    pub fn find(&self, toks: &[Token]) -> Vec<LexHit> {
        let mut out = Vec::new();
        for i in 0..toks.len() {
            if !toks[i].word {
                continue;
            }
            let try_terms = |terms: &[(Vec<Piece>, ClassId)], out: &mut Vec<LexHit>| {
                for (pieces, class) in terms {
                    if i + pieces.len() <= toks.len() && pieces.iter().zip(&toks[i..]).all(|(p, t)| p.matches(&t.lower)) {
                        out.push(LexHit { start: i, end: i + pieces.len(), class: *class });
                    }
                }
            };
            let word = toks[i].lower.as_str();
            if let Some(terms) = self.by_first.get(word) {
                try_terms(terms, &mut out);
            }
            // Prefix terms are filed under their first three characters; a
            // shorter prefix is filed under itself: look under the word's
            // first one, two and three characters.
            for end in word.char_indices().skip(1).map(|(at, _)| at).chain(std::iter::once(word.len())).take(3) {
                if let Some(terms) = self.prefixed.get(&word[..end]) {
                    try_terms(terms, &mut out);
                }
            }
        }
        out.sort_by_key(|h| (h.start, h.end, h.class));
        out.dedup();
        out
    }

    /// Whether one word (already lowercase) is a one-word term of `class`.
    pub fn word_is(&self, word: &str, class: ClassId) -> bool {
        self.by_first.get(word).is_some_and(|ts| ts.iter().any(|(p, c)| *c == class && p.len() == 1))
            || self.prefixed.values().flatten().any(|(p, c)| *c == class && p.len() == 1 && p[0].matches(word))
    }
}

/// The built-in word classes, for the closed classes of [`WordSet::builtin`].
const BUILTIN_LEXICON: &str = include_str!("../rules/lexicon.toml");

/// The closed classes of `rules/lexicon.toml`: read one word at a time
/// through [`WordSet`], so the [`Lexicon`] leaves them out and no text is
/// searched for them.
pub const CLOSED_CLASSES: [&str; 3] = ["modal_filler", "noun_phrase_end", "frequency"];

/// A closed class of single words (prepositions, fillers, frequency
/// adjectives) that a finder tests one word at a time, read once from the
/// built-in `rules/lexicon.toml`. Its terms are whole lowercase words, so
/// that membership is the same as a one-word term of the [`Lexicon`].
#[derive(Debug, Clone, Default)]
pub struct WordSet(hashbrown::HashSet<String>);

impl WordSet {
    /// The class `name` of the built-in lexicon. Panics when the file lacks
    /// it or a term is not one plain word: the file is built in, and a test
    /// reads every class this way.
    pub fn builtin(name: &str) -> WordSet {
        let file: toml::Table = toml::from_str(BUILTIN_LEXICON).expect("rules/lexicon.toml is TOML");
        let terms = file.get("lexicon").and_then(|l| l.get(name)).and_then(toml::Value::as_array).unwrap_or_else(|| panic!("rules/lexicon.toml has no class `{name}`"));
        let words = terms
            .iter()
            .map(|t| {
                let w = t.as_str().unwrap_or_else(|| panic!("class `{name}`: {t} is not a string"));
                assert!(tokens(w).len() == 1 && w == lowered(w), "class `{name}`: `{w}` is not one lowercase word");
                w.to_string()
            })
            .collect();
        WordSet(words)
    }

    /// Whether `word` (lowercase) is in the class.
    pub fn contains(&self, word: &str) -> bool {
        self.0.contains(word)
    }
}

/// The classes found in one text, for questions by token range.
#[derive(Debug, Clone)]
pub struct Marked {
    /// The tokens.
    pub toks: Vec<Token>,
    /// Every class occurrence.
    pub hits: Vec<LexHit>,
}

impl Marked {
    /// Tokenise `text` and find the classes in it.
    pub fn new(text: &str, lex: &Lexicon) -> Marked {
        let toks = tokens(text);
        let hits = lex.find(&toks);
        Marked { toks, hits }
    }

    /// Whether a term of `class` lies wholly within tokens `start..end`.
    pub fn has(&self, class: Option<ClassId>, start: usize, end: usize) -> bool {
        let Some(class) = class else { return false };
        self.hits.iter().any(|h| h.class == class && h.start >= start && h.end <= end)
    }

    /// Whether a term of `class` starts at token `i`; its end if so (the longest).
    pub fn at(&self, class: Option<ClassId>, i: usize) -> Option<usize> {
        let class = class?;
        self.hits.iter().filter(|h| h.class == class && h.start == i).map(|h| h.end).max()
    }

    /// Whether token `i` is covered by a term of `class`.
    pub fn covers(&self, class: Option<ClassId>, i: usize) -> bool {
        let Some(class) = class else { return false };
        self.hits.iter().any(|h| h.class == class && h.start <= i && i < h.end)
    }

    /// The token index at or after byte offset `at`.
    pub fn token_at(&self, at: usize) -> usize {
        self.toks.iter().position(|t| t.end > at).unwrap_or(self.toks.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lex() -> Lexicon {
        let doc = vec!["report*".to_string(), "press release".to_string(), "e-mail".to_string()];
        let rec = vec!["each month".to_string(), "monthly".to_string()];
        Lexicon::new([("noun_document", doc.as_slice()), ("recurrence", rec.as_slice())])
    }

    #[test]
    fn closed_classes_are_plain_words() {
        for class in CLOSED_CLASSES {
            assert!(!WordSet::builtin(class).0.is_empty(), "{class}");
        }
        let freq = WordSet::builtin("frequency");
        assert!(freq.contains("bi-weekly") && freq.contains("quarterly") && !freq.contains("quarter"));
    }

    #[test]
    fn tokens_keep_inner_joiners() {
        let t: Vec<String> = tokens("Licensor’s e-mail, R&D (U.S.) 3.2 report.").into_iter().map(|t| t.lower).collect();
        assert_eq!(t, ["licensor's", "e-mail", ",", "r&d", "(", "u.s", ".", ")", "3.2", "report", "."]);
    }

    #[test]
    fn terms_match_words_phrases_and_prefixes() {
        let lex = lex();
        let m = Marked::new("Send a monthly Reports pack and a press release each month by e-mail.", &lex);
        let doc = lex.class("noun_document");
        let rec = lex.class("recurrence");
        let found: Vec<(String, &str)> = m.hits.iter().map(|h| (m.toks[h.start..h.end].iter().map(|t| t.lower.as_str()).collect::<Vec<_>>().join(" "), lex.name(h.class))).collect();
        assert!(found.contains(&("reports".into(), "noun_document")));
        assert!(found.contains(&("press release".into(), "noun_document")));
        assert!(found.contains(&("each month".into(), "recurrence")));
        assert!(found.contains(&("e-mail".into(), "noun_document")));
        assert!(m.has(rec, 0, 3));
        assert!(!m.has(doc, 0, 2));
        // "press" alone is no term.
        assert!(!Marked::new("the press", &lex).has(doc, 0, 2));
        assert!(lex.word_is("reporting", doc.unwrap()));
        assert!(!lex.word_is("repo", doc.unwrap()));
    }
}
