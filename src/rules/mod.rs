//! Rules stage: the extraction logic as data.
//!
//! Rule files (TOML, see `rules/README.md`) are loaded and checked once per
//! process into a [`RuleSet`] shared by all threads; each regex is compiled
//! the first time it is needed ([`LazyRegex`]). An Aho-Corasick automaton
//! over the rules' keywords is the cheap prefilter: one pass over a segment
//! says which rules can match, and only those run their regexes.
//!
//! The types a rule set is made of are here; the rest is one file per
//! concern, in the order a rule set is made and then used:
//! - [`schema`]: the rule files' TOML, as parsed;
//! - `load`: reading the built-in and the user's files; errors located at
//!   `file:line:column`;
//! - `compile`: checking each rule and building the set from parsed files;
//! - `lazy_regex` ([`LazyRegex`]) and `lighten`: regexes built on first use,
//!   with smaller automata for word classes;
//! - `prefilter`: keywords and required literals, which rules and patterns
//!   can match a segment at all;
//! - `gate`: a loosened automaton per pattern that rules a segment out
//!   before the pattern runs;
//! - `matching`: the rules over one segment ([`RuleSet::apply`]), the items
//!   of list rules;
//! - `context`: the conditions around a match that reject it (`require`,
//!   `heading`, `exclude`, `window` ...).

mod compile;
mod context;
mod gate;
mod lazy_regex;
mod lighten;
mod load;
mod matching;
mod prefilter;
#[cfg(test)]
mod recognisers;
pub mod schema;

use aho_corasick::AhoCorasick;

use crate::segment::SegmentKind;
use gate::Gate;
pub use lazy_regex::{Found, Groups, LazyRegex};
pub use load::{read_sources, RuleError, RuleErrors, RuleSources, SourceFile, BUILTIN};

named_enum! {
    /// What a rule produces.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum RuleKind {
        /// A milestone record.
        Milestone = "milestone",
        /// A deliverable record.
        Deliverable = "deliverable",
        /// Milestone or deliverable, decided by the name's words.
        Schedule = "schedule",
        /// A payment record.
        Payment = "payment",
        /// The document's effective date.
        EffectiveDate = "effective_date",
        /// The document's expiration date (a date, or a term from the effective date).
        ExpirationDate = "expiration_date",
        /// A defined date ("the Kick-off Date means ...") other rules resolve against.
        DefinedDate = "defined_date",
        /// The document's total contract price (an `amount`).
        ContractPrice = "contract_price",
        /// A party to the contract (its legal name).
        Party = "party",
        /// How the contract renews: a `term` (one renewal period), optionally a
        /// `count`; automatic or by option as the rule's `renewal` says.
        Renewal = "renewal",
        /// The notice that stops a renewal (a `term`: "sixty (60) days").
        NoticePeriod = "notice_period",
    }
}

/// Capture roles the engine knows.
/// (`start`: the date a term begins, when the clause states it; `count`: how
/// many renewals; `eve`: present when the term ends the day before the date
/// it names, "the day prior to the second anniversary".)
pub const ROLES: &[&str] = &["name", "date", "rel", "amount", "percent", "trigger", "term", "value", "milestone", "start", "count", "eve"];

/// A compiled rule.
#[derive(Debug)]
pub struct Rule {
    /// Unique id.
    pub id: String,
    /// What it produces.
    pub kind: RuleKind,
    /// One line.
    pub description: String,
    /// The file it came from.
    pub source: String,
    patterns: Vec<LazyRegex>,
    /// For each pattern, a looser automaton that can say "no match" fast
    /// (see [`Gate`]).
    gates: Vec<Gate>,
    /// For each pattern, the literals every match of it contains
    /// (see `prefilter`).
    pattern_literals: Vec<Vec<Vec<String>>>,
    columns: Vec<(String, LazyRegex)>,
    /// Segment kinds the rule applies to; empty for all.
    pub(crate) segments: Vec<SegmentKind>,
    require: Vec<LazyRegex>,
    exclude: Vec<(String, LazyRegex)>,
    exclude_inside: Vec<(String, LazyRegex)>,
    window: Option<usize>,
    heading: Vec<LazyRegex>,
    not_heading: Vec<(String, LazyRegex)>,
    skip_headers: Vec<(String, LazyRegex)>,
    /// Prefilter words.
    pub keywords: Vec<String>,
    /// The list pattern, for rules whose records are the items of a list.
    pub each: Option<LazyRegex>,
    /// Following segments the list may run into.
    pub each_reach: usize,
    /// Fixed name.
    pub name: Option<String>,
    /// Tie-break between rules.
    pub priority: i32,
    /// Renewal rules: whether the renewal they find is automatic.
    pub renews_automatically: Option<bool>,
    /// Document-field rules: the field is null for this reason when the
    /// rule wins ("the term ends on an event").
    pub reason: Option<String>,
    /// Effective-date rules that read a date where the parties sign.
    pub signature: bool,
    /// Effective-date rules whose date is the latest signature's.
    pub latest_signature: bool,
    /// Examples, kept for `rules test`.
    pub examples: Vec<schema::Example>,
    /// Counter-examples, kept for `rules test`.
    pub counter_examples: Vec<schema::CounterExample>,
}

/// A captured role: its text and byte range in the segment text (cells: none).
#[derive(Debug, Clone, PartialEq)]
pub struct Capture {
    /// Role name.
    pub role: &'static str,
    /// Captured text.
    pub text: String,
    /// Byte range in the segment's text, when it came from the text.
    pub span: Option<(usize, usize)>,
}

/// A rule that matched a segment.
#[derive(Debug, Clone)]
pub struct Hit {
    /// Index of the rule in the set.
    pub rule: usize,
    /// Byte range of the whole match in the segment text.
    pub span: (usize, usize),
    /// Role captures.
    pub captures: Vec<Capture>,
}

impl Hit {
    /// The capture for a role.
    pub fn get(&self, role: &str) -> Option<&Capture> {
        self.captures.iter().find(|c| c.role == role)
    }
}

/// A candidate a rule's pattern matched but a context condition rejected.
#[derive(Debug, Clone)]
pub struct Rejection {
    /// Index of the rule.
    pub rule: usize,
    /// The matched text.
    pub text: String,
    /// Why.
    pub reason: String,
}

/// Every rule, compiled.
#[derive(Debug)]
pub struct RuleSet {
    /// The rules, in load order.
    pub rules: Vec<Rule>,
    /// The word classes of every file (`[lexicon]`).
    pub lexicon: crate::lexicon::Lexicon,
    /// The decision's weights (`[model]`), from the last file that has them.
    pub model: Option<crate::decide::Model>,
    /// Worked cases of the finders and the decision (`[[case]]`), with their files.
    pub cases: Vec<(String, schema::Case)>,
    /// One automaton over every rule's keywords and then every pattern's
    /// required literals (see `prefilter`): a single pass over a
    /// segment says which rules, and which of their patterns, can match it.
    words: AhoCorasick,
    /// The rules each keyword (the first words of `words`) lets run.
    keyword_owner: Vec<Vec<usize>>,
    /// Rules without keywords: they always run.
    unfiltered: Vec<usize>,
    table_rules: Vec<usize>,
    prefilter_enabled: bool,
    /// For each rule, for each pattern: the literals it needs (by index in
    /// `words`), as groups one literal of each of which must occur in a
    /// segment for the pattern to match there.
    needs: Vec<Vec<Vec<Vec<usize>>>>,
}

impl RuleSet {
    /// Find a rule by id.
    pub fn by_id(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }
}
