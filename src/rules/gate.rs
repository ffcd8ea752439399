//! Gates: a loosened, forward-only lazy DFA per pattern that says fast
//! where the pattern cannot match.

use std::sync::OnceLock;

use super::lazy_regex::{LazyRegex, REGEX_SIZE_LIMIT};

/// A loosened copy of a pattern: it matches wherever the pattern does, and
/// more, and a lazy DFA searches it cheaply on any text.
///
/// Two loosenings, each of which only widens what matches:
/// - word-boundary assertions (`\b`, `\B`) become the empty match and
///   capture groups their contents. The regex crate's fast engine (a lazy
///   DFA) gives up on Unicode `\b` as soon as the text holds a non-ASCII
///   character and falls back to a much slower NFA simulation; PDF text is
///   full of curly quotes, dashes and ligatures, so most segments took the
///   slow path.
/// - a repetition bounded at more than a few (`[^;]{3,120}`) becomes
///   unbounded (`[^;]{3,}`): counting up to 120 in a DFA takes a state per
///   count, so on real text the lazy DFA built a new state for nearly every
///   byte instead of searching.
/// - every character class keeps its ASCII members and, if it had any
///   non-ASCII one, takes all non-ASCII characters instead of its exact
///   list. `\w` and case-insensitive letters under Unicode are hundreds of
///   ranges, which make every DFA state large and slow to build (building
///   states was most of the gates' time); "any non-ASCII character" is a
///   handful of UTF-8 byte ranges.
///
/// The gate answers the common question (no match in this segment) fast;
/// when it says "maybe", the exact pattern decides, so results are exactly
/// those of the pattern alone. A gate only ever answers yes/no, so it is a
/// forward lazy DFA alone: no reverse automaton and no capture engine (a
/// full regex would build both), built on first use like the patterns.
#[derive(Debug)]
pub(super) struct Gate {
    /// The loosened pattern, until the gate is first used and built from it
    /// (a large pattern's syntax tree is itself a megabyte).
    loose: std::sync::Mutex<Option<regex_syntax::hir::Hir>>,
    /// Whether loosening changed anything.
    #[cfg(test)]
    changed: bool,
    compiled: OnceLock<Option<GateDfa>>,
}

struct GateDfa {
    dfa: regex_automata::hybrid::dfa::DFA,
    /// Every match starts at the text's start (`^...`): the search is
    /// anchored, and gives up after the first bytes instead of scanning the
    /// whole segment for a start it can never find.
    anchored: bool,
    caches:
        regex_automata::util::pool::Pool<regex_automata::hybrid::dfa::Cache, Box<dyn Fn() -> regex_automata::hybrid::dfa::Cache + Send + Sync + std::panic::UnwindSafe + std::panic::RefUnwindSafe>>,
}

impl std::fmt::Debug for GateDfa {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("GateDfa")
    }
}

impl Gate {
    #[cfg(test)]
    fn new(pattern: &str) -> Gate {
        Gate::from_hir(&regex_automata::util::syntax::parse(pattern).expect("a valid pattern"))
    }

    pub(super) fn from_hir(hir: &regex_syntax::hir::Hir) -> Gate {
        let mut changed = false;
        let loose = loosen(hir, &mut changed);
        Gate {
            loose: std::sync::Mutex::new(Some(loose)),
            #[cfg(test)]
            changed,
            compiled: OnceLock::new(),
        }
    }

    /// Whether `pattern` (the pattern this gate was made from) may match
    /// `text`: `false` only when it certainly does not.
    pub(super) fn may_match(&self, pattern: &LazyRegex, text: &str) -> bool {
        let built = self.compiled.get_or_init(|| {
            let loose = self.loose.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take();
            loose.and_then(|h| GateDfa::build(&h))
        });
        let Some(g) = built else { return pattern.is_match(text) };
        let mut cache = g.caches.get();
        // An error (the DFA gave up) says nothing: let the pattern decide.
        let anchored = if g.anchored { regex_automata::Anchored::Yes } else { regex_automata::Anchored::No };
        !matches!(g.dfa.try_search_fwd(&mut cache, &regex_automata::Input::new(text).earliest(true).anchored(anchored)), Ok(None))
    }
}

/// Lazy-DFA cache of each gate, per thread. The loosened automata have
/// small states, so this holds the states real text visits without the
/// cache being cleared and rebuilt mid-search.
const GATE_DFA_CACHE: usize = 2 * 1024 * 1024;

impl GateDfa {
    fn build(loose: &regex_syntax::hir::Hir) -> Option<GateDfa> {
        use regex_automata::{hybrid::dfa::DFA, nfa::thompson, util::prefilter::Prefilter, MatchKind};
        let nfa = thompson::Compiler::new().configure(thompson::Config::new().nfa_size_limit(Some(REGEX_SIZE_LIMIT)).which_captures(thompson::WhichCaptures::None)).build_from_hir(loose).ok()?;
        let pre = Prefilter::from_hir_prefix(MatchKind::LeftmostFirst, loose);
        let dfa = DFA::builder().configure(DFA::config().prefilter(pre).cache_capacity(GATE_DFA_CACHE)).build_from_nfa(nfa).ok()?;
        let for_caches = dfa.clone();
        let anchored = loose.properties().look_set_prefix().contains(regex_syntax::hir::Look::Start);
        Some(GateDfa { dfa, anchored, caches: regex_automata::util::pool::Pool::new(Box::new(move || for_caches.create_cache())) })
    }
}

/// `hir` with every word-boundary look-around replaced by the empty match,
/// every capture group by its contents, every long bounded repetition
/// by an unbounded one, and every class's non-ASCII members
/// by all non-ASCII characters (see [`Gate`]).
fn loosen(hir: &regex_syntax::hir::Hir, changed: &mut bool) -> regex_syntax::hir::Hir {
    use regex_syntax::hir::{Class, ClassUnicode, ClassUnicodeRange, Hir, HirKind, Look, Repetition};
    match hir.kind() {
        HirKind::Look(look) if !matches!(look, Look::Start | Look::End | Look::StartLF | Look::EndLF | Look::StartCRLF | Look::EndCRLF) => {
            *changed = true;
            Hir::empty()
        }
        HirKind::Class(Class::Unicode(class)) if class.ranges().iter().any(|r| r.end() > '\x7f') => {
            let mut ranges: Vec<ClassUnicodeRange> = class.ranges().iter().filter(|r| r.start() <= '\x7f').map(|r| ClassUnicodeRange::new(r.start(), r.end().min('\x7f'))).collect();
            ranges.push(ClassUnicodeRange::new('\u{80}', char::MAX));
            let wide = ClassUnicode::new(ranges);
            if wide != *class {
                *changed = true;
            }
            Hir::class(Class::Unicode(wide))
        }
        HirKind::Capture(cap) => loosen(&cap.sub, changed),
        HirKind::Repetition(rep) => {
            // `[^;]{3,120}` makes the DFA count: a new state for nearly every
            // byte of a segment. `[^;]{3,}` needs no counting.
            let max = rep.max.filter(|&n| n <= LOOSE_MAX_COUNT);
            if max != rep.max {
                *changed = true;
            }
            Hir::repetition(Repetition { sub: Box::new(loosen(&rep.sub, changed)), max, ..rep.clone() })
        }
        HirKind::Concat(subs) => Hir::concat(subs.iter().map(|h| loosen(h, changed)).collect()),
        HirKind::Alternation(subs) => Hir::alternation(subs.iter().map(|h| loosen(h, changed)).collect()),
        _ => hir.clone(),
    }
}

/// Bounded repetitions up to this many stay bounded in a gate; longer ones
/// become unbounded (see [`loosen`]).
const LOOSE_MAX_COUNT: u32 = 4;

#[cfg(test)]
mod tests {
    use super::{Gate, LazyRegex};

    #[test]
    fn a_gate_says_maybe_wherever_its_pattern_matches() {
        let patterns = [
            r"(?i)\bdue\s+(?P<name>[\w’'\- ]{3,60}?)\s+by\s+(?P<date>\w+\s\d{1,2},\s\d{4})\b",
            r"(?i)\b(?:payable|due)\b[^;]{3,120}\bupon\b",
            r"\bGöteborg\b",
            r"(?i)\bstraße\b",
            r"[^\x00-\x7f]{2}\d",
            // Anchored at the start: its gate's search is anchored too.
            r"^\W{0,3}(?i:dated\s+)?\w+\s\d{1,2},\s\d{4}\s*$",
        ];
        let texts = [
            "The report is due to Müller’s office by March 3, 2025.",
            "the Supplier’s final report due on acceptance — by June 1, 2025",
            "Fees are payable in full (€ 40.000) within ten days upon signing",
            "delivery at Göteborg ( not Goteborg ) and STRASSE or Straße",
            "café2025 and ““1 and plain ascii 2025",
            "nothing to find here at all",
            "“ Dated March 3, 2025",
            "Signed on March 3, 2025",
        ];
        let mut matched = 0;
        for p in patterns {
            let (exact, _, _) = LazyRegex::checked(p.to_string(), (1, 1)).unwrap();
            let gate = Gate::new(p);
            assert!(gate.changed, "{p} has something to loosen");
            for t in texts {
                if exact.is_match(t) {
                    matched += 1;
                    assert!(gate.may_match(&exact, t), "the gate of {p} missed {t:?}");
                }
            }
        }
        assert_eq!(matched, 6, "six (pattern, text) pairs match");
        let p = patterns[5];
        let (exact, _, _) = LazyRegex::checked(p.to_string(), (1, 1)).unwrap();
        assert!(!Gate::new(p).may_match(&exact, "Signed on March 3, 2025"));
        // It still rules out text with nothing like the pattern.
        let p = r"(?i)\b(?:payable|due)\b[^;]{3,120}\bupon\b";
        let (exact, _, _) = LazyRegex::checked(p.to_string(), (1, 1)).unwrap();
        assert!(!Gate::new(p).may_match(&exact, "nothing to find here at all – “none”"));
    }
}
