//! Rule regexes: checked when the rules load, built the first time they
//! are used.

use std::sync::OnceLock;

use regex_automata::{meta, util::captures::Captures, Input, PatternID};

use super::lighten;

/// Compiled-size limit for rule regexes: `%{date}` and `\w` under Unicode make
/// large automata, well past the regex crate's 10 MB default.
pub(super) const REGEX_SIZE_LIMIT: usize = 512 * 1024 * 1024;

/// A regex compiled on first use.
///
/// Rule files are checked (syntax, capture names) when they load, but the
/// automata are only built when a rule is first tried: a process that never
/// applies rules (the parent of the worker processes, `rules list`) holds
/// none, and a worker only those its documents need.
///
/// Built without the lazy DFA the regex crate would add: its reverse
/// automaton is most of a worker's memory (figures: `docs/performance.md`).
/// The gates ([`Gate`](super::gate::Gate)) already run a lazy DFA
/// over every segment; a rule regex runs only on a segment its gate lets
/// through, where the PikeVM and the backtracker are no slower. Matching is
/// the regex crate's: leftmost-first, Unicode, UTF-8, no empty match inside
/// a character.
#[derive(Debug)]
pub struct LazyRegex {
    source: String,
    /// Line and column of the pattern in its rule file.
    pub(super) at: (usize, usize),
    compiled: OnceLock<meta::Regex>,
}

/// A match of a [`LazyRegex`] in a text.
#[derive(Debug, Clone, Copy)]
pub struct Found<'h> {
    text: &'h str,
    start: usize,
    end: usize,
}

impl<'h> Found<'h> {
    /// Byte offset of the start.
    pub fn start(&self) -> usize {
        self.start
    }
    /// Byte offset past the end.
    pub fn end(&self) -> usize {
        self.end
    }
    /// The matched text.
    pub fn as_str(&self) -> &'h str {
        &self.text[self.start..self.end]
    }
}

/// The groups of one match of a [`LazyRegex`].
pub struct Groups<'h> {
    text: &'h str,
    caps: Captures,
}

impl<'h> Groups<'h> {
    /// Group `i` (0: the whole match), if it took part in the match.
    pub fn get(&self, i: usize) -> Option<Found<'h>> {
        self.caps.get_group(i).map(|s| Found { text: self.text, start: s.start, end: s.end })
    }
    /// The named group, if it took part in the match.
    pub fn name(&self, name: &str) -> Option<Found<'h>> {
        self.caps.get_group_by_name(name).map(|s| Found { text: self.text, start: s.start, end: s.end })
    }
}

impl LazyRegex {
    /// Check `source` (syntax only) and return it uncompiled with the names
    /// of its capture groups, in order.
    pub(super) fn checked(source: String, at: (usize, usize)) -> Result<(LazyRegex, Vec<String>, regex_syntax::hir::Hir), String> {
        // The parser the regex crate itself uses, with its settings, so the
        // errors read the same.
        let hir = regex_automata::util::syntax::parse(&source).map_err(|e| e.to_string())?;
        let mut names = Vec::new();
        capture_names(&hir, &mut names);
        Ok((LazyRegex { source, at, compiled: OnceLock::new() }, names, hir))
    }

    fn build(source: &str) -> Result<meta::Regex, String> {
        // What `regex::Regex::new` configures, less the lazy DFA (see above).
        let config = meta::Config::new().match_kind(regex_automata::MatchKind::LeftmostFirst).utf8_empty(true).nfa_size_limit(Some(REGEX_SIZE_LIMIT)).hybrid(false).dfa(false);
        // Parsed again rather than kept from loading: a large pattern's
        // syntax tree is itself a megabyte, and most are never compiled.
        let hir = regex_automata::util::syntax::parse(source).map_err(|e| e.to_string())?;
        meta::Builder::new().configure(config).build_from_hir(&lighten::lighten(&hir)).map_err(|e| e.to_string())
    }

    /// The compiled regex (built now if this is its first use).
    ///
    /// Panics only if the pattern, which parsed when the rules loaded, cannot
    /// be compiled within the size limit (512 MB of automaton).
    fn get(&self) -> &meta::Regex {
        self.compiled.get_or_init(|| match LazyRegex::build(&self.source) {
            Ok(re) => re,
            Err(e) => panic!("a rule regex cannot be compiled: {e}"),
        })
    }

    /// Compile now; the error a compilation gives, if any.
    pub(super) fn compile(&self) -> Result<(), String> {
        if self.compiled.get().is_some() {
            return Ok(());
        }
        let _ = self.compiled.set(LazyRegex::build(&self.source)?);
        Ok(())
    }

    /// Whether it matches anywhere in `text`.
    pub fn is_match(&self, text: &str) -> bool {
        self.get().is_match(text)
    }

    /// The leftmost-first match.
    pub fn find<'h>(&self, text: &'h str) -> Option<Found<'h>> {
        self.get().find(text).map(|m| Found { text, start: m.start(), end: m.end() })
    }

    /// The first match at or after byte `start`; the text before `start`
    /// still counts for `\b` and the other look-arounds.
    pub fn captures_at<'h>(&self, text: &'h str, start: usize) -> Option<Groups<'h>> {
        let re = self.get();
        let mut caps = re.create_captures();
        re.search_captures(&Input::new(text).span(start..text.len()), &mut caps);
        caps.is_match().then_some(Groups { text, caps })
    }

    /// Every successive non-overlapping match.
    pub fn captures_iter<'r, 'h: 'r>(&'r self, text: &'h str) -> impl Iterator<Item = Groups<'h>> + 'r {
        self.get().captures_iter(text).map(move |caps| Groups { text, caps })
    }

    /// The names of the groups, in order (`None` for unnamed ones).
    pub fn capture_names(&self) -> impl Iterator<Item = Option<&str>> {
        self.get().group_info().pattern_names(PatternID::ZERO)
    }
}

/// Names of the capture groups of `hir`, left to right.
fn capture_names(hir: &regex_syntax::hir::Hir, out: &mut Vec<String>) {
    use regex_syntax::hir::HirKind;
    match hir.kind() {
        HirKind::Capture(c) => {
            if let Some(n) = &c.name {
                out.push(n.to_string());
            }
            capture_names(&c.sub, out);
        }
        HirKind::Repetition(r) => capture_names(&r.sub, out),
        HirKind::Concat(xs) | HirKind::Alternation(xs) => xs.iter().for_each(|x| capture_names(x, out)),
        _ => {}
    }
}
