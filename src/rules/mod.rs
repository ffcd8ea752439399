//! Rules stage: the extraction logic as data.
//!
//! Rule files (TOML, see `rules/README.md`) are loaded and checked once per
//! process into a [`RuleSet`] shared by all threads; each regex is compiled
//! the first time it is needed ([`LazyRegex`]). An Aho-Corasick automaton
//! over the rules' keywords is the cheap prefilter: one pass over a segment
//! says which rules can match, and only those run their regexes.

mod lighten;
pub mod schema;
pub mod selftest;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use aho_corasick::AhoCorasick;
use regex::Regex;
use regex_automata::{meta, util::captures::Captures, Input, PatternID};
use std::sync::OnceLock;

use crate::segment::{Segment, SegmentKind};

/// The built-in rule files, embedded so the binary works from any folder.
pub const BUILTIN: &[(&str, &str)] = &[
    ("rules/fragments.toml", include_str!("../../rules/fragments.toml")),
    ("rules/document.toml", include_str!("../../rules/document.toml")),
    ("rules/renewal.toml", include_str!("../../rules/renewal.toml")),
    ("rules/price.toml", include_str!("../../rules/price.toml")),
    ("rules/parties.toml", include_str!("../../rules/parties.toml")),
    ("rules/lexicon.toml", include_str!("../../rules/lexicon.toml")),
    ("rules/model.toml", include_str!("../../rules/model.toml")),
    ("rules/cases.toml", include_str!("../../rules/cases.toml")),
];

/// What a rule produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleKind {
    /// A milestone record.
    Milestone,
    /// A deliverable record.
    Deliverable,
    /// Milestone or deliverable, decided by the name's words.
    Schedule,
    /// A payment record.
    Payment,
    /// The document's effective date.
    EffectiveDate,
    /// The document's expiration date (a date, or a term from the effective date).
    ExpirationDate,
    /// A defined date ("the Kick-off Date means ...") other rules resolve against.
    DefinedDate,
    /// The document's total contract price (an `amount`).
    ContractPrice,
    /// A party to the contract (its legal name).
    Party,
    /// How the contract renews: a `term` (one renewal period), optionally a
    /// `count`; automatic or by option as the rule's `renewal` says.
    Renewal,
    /// The notice that stops a renewal (a `term`: "sixty (60) days").
    NoticePeriod,
}

impl RuleKind {
    fn parse(s: &str) -> Option<RuleKind> {
        Some(match s {
            "milestone" => RuleKind::Milestone,
            "deliverable" => RuleKind::Deliverable,
            "schedule" => RuleKind::Schedule,
            "payment" => RuleKind::Payment,
            "effective_date" => RuleKind::EffectiveDate,
            "expiration_date" => RuleKind::ExpirationDate,
            "defined_date" => RuleKind::DefinedDate,
            "contract_price" => RuleKind::ContractPrice,
            "party" => RuleKind::Party,
            "renewal" => RuleKind::Renewal,
            "notice_period" => RuleKind::NoticePeriod,
            _ => return None,
        })
    }
    /// As written in rule files.
    pub fn as_str(self) -> &'static str {
        match self {
            RuleKind::Milestone => "milestone",
            RuleKind::Deliverable => "deliverable",
            RuleKind::Schedule => "schedule",
            RuleKind::Payment => "payment",
            RuleKind::EffectiveDate => "effective_date",
            RuleKind::ExpirationDate => "expiration_date",
            RuleKind::DefinedDate => "defined_date",
            RuleKind::ContractPrice => "contract_price",
            RuleKind::Party => "party",
            RuleKind::Renewal => "renewal",
            RuleKind::NoticePeriod => "notice_period",
        }
    }
}

/// Compiled-size limit for rule regexes: `%{date}` and `\w` under Unicode make
/// large automata, well past the regex crate's 10 MB default.
const REGEX_SIZE_LIMIT: usize = 512 * 1024 * 1024;

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
    /// (see [`required_literals`]).
    pattern_literals: Vec<Vec<Vec<String>>>,
    columns: Vec<(String, LazyRegex)>,
    segments: Vec<SegmentKind>,
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

impl Rule {
    /// The records of a list rule: every `each` match in the text after the
    /// main hit and in the following segments, with the main hit's captures
    /// for the roles an item does not set. `segments[0]` holds the main hit.
    pub fn each_hits(&self, ri: usize, main: &Hit, segments: &[Segment]) -> Vec<(usize, Hit)> {
        let Some(re) = &self.each else { return Vec::new() };
        let mut out = Vec::new();
        for (j, seg) in segments.iter().enumerate().take(self.each_reach + 1) {
            let offset = if j == 0 { main.span.1 } else { 0 };
            let Some(text) = seg.text.get(offset..) else { break };
            let before = out.len();
            for caps in re.captures_iter(text) {
                let whole = caps.get(0).expect("group 0");
                let mut captures: Vec<Capture> = Vec::new();
                for name in re.capture_names().flatten() {
                    if let Some(m) = caps.name(name).filter(|m| !m.as_str().trim().is_empty()) {
                        let role = ROLES.iter().find(|r| **r == name).copied().unwrap_or("name");
                        captures.push(Capture { role, text: m.as_str().to_string(), span: Some((m.start() + offset, m.end() + offset)) });
                    }
                }
                for c in &main.captures {
                    if !captures.iter().any(|x| x.role == c.role) {
                        captures.push(Capture { span: None, ..c.clone() });
                    }
                }
                out.push((j, Hit { rule: ri, span: (whole.start() + offset, whole.end() + offset), captures }));
            }
            // The list ends at the first following segment with no item.
            if j > 0 && out.len() == before {
                break;
            }
        }
        out
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
    /// required literals (see [`required_literals`]): a single pass over a
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

/// A problem in a rule file, located at `file:line:column`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}{}: {message}{}", if *line > 0 { format!(":{line}:{column}") } else { String::new() }, hint.as_ref().map(|h| format!("\n  hint: {h}")).unwrap_or_default())]
pub struct RuleError {
    /// The rule file.
    pub file: String,
    /// 1-based line; 0 when the error is about the whole file or folder (then no line and column are shown).
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
}

/// All the errors found in a set of rule files.
#[derive(Debug, thiserror::Error)]
#[error("{}", .0.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n"))]
pub struct RuleErrors(pub Vec<RuleError>);

/// Where rules come from.
#[derive(Debug, Clone, Default)]
pub struct RuleSources {
    /// Leave out the built-in rules.
    pub no_defaults: bool,
    /// Folders (or files) of user rules; a user rule with a built-in id replaces it.
    pub dirs: Vec<PathBuf>,
}

/// One rule file's text with its name.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Name used in errors.
    pub name: String,
    /// The TOML text.
    pub text: String,
}

impl SourceFile {
    /// An error at byte `at` of this file, with its line and column.
    fn error_at(&self, at: usize, message: String, hint: &str) -> RuleError {
        let (line, column) = line_col(&self.text, at);
        RuleError { file: self.name.clone(), line, column, message, hint: Some(hint.into()) }
    }
}

/// Read the rule files named by `sources` (built-ins first).
pub fn read_sources(sources: &RuleSources) -> Result<Vec<SourceFile>, RuleErrors> {
    let mut files = Vec::new();
    if !sources.no_defaults {
        files.extend(BUILTIN.iter().map(|(n, t)| SourceFile { name: format!("(built-in) {n}"), text: t.to_string() }));
    }
    let mut errors = Vec::new();
    for dir in &sources.dirs {
        if !dir.exists() {
            errors.push(at(dir, 0, 0, "no such file or folder".into(), None));
            continue;
        }
        match toml_files(dir) {
            Ok(paths) => {
                if paths.is_empty() {
                    errors.push(at(dir, 0, 0, "no .toml rule files here".into(), Some("rule files end in .toml".into())));
                }
                for p in paths {
                    match std::fs::read_to_string(&p) {
                        Ok(text) => files.push(SourceFile { name: p.display().to_string(), text }),
                        Err(e) => errors.push(at(&p, 0, 0, format!("cannot read: {e}"), None)),
                    }
                }
            }
            Err(e) => errors.push(at(dir, 0, 0, format!("cannot read: {e}"), None)),
        }
    }
    if errors.is_empty() {
        Ok(files)
    } else {
        Err(RuleErrors(errors))
    }
}

fn at(path: &Path, line: usize, column: usize, message: String, hint: Option<String>) -> RuleError {
    RuleError { file: path.display().to_string(), line, column, message, hint }
}

fn toml_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    if dir.is_file() {
        return Ok(vec![dir.to_path_buf()]);
    }
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(std::io::Error::other)?;
        if entry.file_type().is_file() && entry.path().extension().is_some_and(|e| e == "toml") {
            out.push(entry.path().to_path_buf());
        }
    }
    Ok(out)
}

/// 1-based line and column of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before.rfind('\n').map_or(before.chars().count(), |p| before[p + 1..].chars().count()) + 1;
    (line, col)
}

impl RuleSet {
    /// Load, check and compile rules from `sources`.
    pub fn load(sources: &RuleSources) -> Result<RuleSet, RuleErrors> {
        RuleSet::compile(&read_sources(sources)?)
    }

    /// The built-in rules (panics only if the embedded files are broken,
    /// which the tests rule out).
    pub fn builtin() -> RuleSet {
        RuleSet::load(&RuleSources::default()).expect("the built-in rules compile")
    }

    /// Check and compile parsed files. All errors are collected, not just the first.
    pub fn compile(files: &[SourceFile]) -> Result<RuleSet, RuleErrors> {
        let mut errors = Vec::new();
        let mut parsed = Vec::new();
        for f in files {
            match toml::from_str::<schema::RuleFile>(&f.text) {
                Ok(rf) => parsed.push((f, rf)),
                Err(e) => {
                    let (line, column) = e.span().map_or((1, 1), |s| line_col(&f.text, s.start));
                    let msg = e.message().to_string();
                    let hint = if msg.contains("unknown field") { Some("see rules/README.md for the fields a rule may have".to_string()) } else { None };
                    errors.push(RuleError { file: f.name.clone(), line, column, message: msg, hint });
                }
            }
        }
        // Fragments from every file, so user rules can use the built-in ones.
        let mut fragments: HashMap<String, String> = HashMap::new();
        let mut fragment_files: HashMap<String, String> = HashMap::new();
        let mut fragment_words: Vec<(String, Vec<String>)> = Vec::new();
        for (_, rf) in &parsed {
            for (k, v) in &rf.keywords {
                fragment_words.push((format!("%{{{k}}}"), v.iter().map(|w| w.to_ascii_lowercase()).collect()));
            }
        }
        for (f, rf) in &parsed {
            if *rf.version.get_ref() != 1 {
                errors.push(f.error_at(rf.version.span().start, format!("unsupported version {}", rf.version.get_ref()), "write `version = 1`"));
            }
            for (k, v) in &rf.fragments {
                // A second definition would silently change every rule that
                // uses the name, the built-in ones included.
                if let Some(first) = fragment_files.get(k) {
                    errors.push(f.error_at(v.span().start, format!("fragment `{k}` is already defined in {first}"), "give the fragment a name of its own; a fragment cannot be redefined"));
                    continue;
                }
                fragment_files.insert(k.clone(), f.name.clone());
                fragments.insert(k.clone(), v.get_ref().clone());
            }
        }
        let mut rules: Vec<Rule> = Vec::new();
        let mut ids: HashMap<String, (usize, String)> = HashMap::new();
        // Duplicate ids within the built-ins, or within the user's files, are
        // errors (a user rule may replace a built-in one).
        let mut seen: HashMap<(bool, String), String> = HashMap::new();
        for (f, rf) in &parsed {
            let builtin = f.name.starts_with("(built-in)");
            for def in &rf.rules {
                let id = def.id.get_ref().clone();
                if let Some(first) = seen.get(&(builtin, id.clone())) {
                    errors.push(f.error_at(
                        def.id.span().start,
                        format!("duplicate rule id `{id}` (also in {first})"),
                        "give each rule a unique id; a user rule may replace a built-in one with the same id",
                    ));
                } else {
                    seen.insert((builtin, id), f.name.clone());
                }
            }
        }
        let mut parsed_lexicon: Vec<(String, Vec<String>)> = Vec::new();
        let mut model: Option<crate::decide::Model> = None;
        let mut cases: Vec<(String, schema::Case)> = Vec::new();
        for (f, rf) in parsed {
            let builtin = f.name.starts_with("(built-in)");
            parsed_lexicon.extend(rf.lexicon);
            if let Some(m) = rf.model {
                let w = |d: schema::WeightsDef| crate::decide::Weights { bias: d.bias, threshold: d.threshold, threshold_long: d.threshold_long.unwrap_or(d.threshold), weights: d.weights };
                model = Some(crate::decide::Model { schedule: w(m.schedule), payment: w(m.payment) });
            }
            cases.extend(rf.cases.into_iter().map(|c| (f.name.clone(), c)));
            for def in rf.rules {
                // Keywords not given: derived from the fragments every pattern
                // needs (a pattern using %{amount} needs a currency mark).
                let derived = derive_keywords(&def, &fragment_words);
                match compile_rule(f, def, &fragments).map(|mut r| {
                    if r.keywords.is_empty() {
                        r.keywords = derived;
                    }
                    r
                }) {
                    Ok(rule) => {
                        if let Some((idx, first_file)) = ids.get(&rule.id).cloned() {
                            // Only a user rule replacing a built-in one gets here
                            // without an error (duplicates were reported above).
                            if first_file.starts_with("(built-in)") && !builtin {
                                rules[idx] = rule;
                                ids.insert(rules[idx].id.clone(), (idx, f.name.clone()));
                            }
                            continue;
                        }
                        ids.insert(rule.id.clone(), (rules.len(), f.name.clone()));
                        rules.push(rule);
                    }
                    Err(mut e) => errors.append(&mut e),
                }
            }
        }
        if !errors.is_empty() {
            return Err(RuleErrors(errors));
        }
        let lexicon = crate::lexicon::Lexicon::new(parsed_lexicon.iter().map(|(k, v)| (k.as_str(), v.as_slice())));
        let mut words: Vec<String> = Vec::new();
        let mut owner: Vec<Vec<usize>> = Vec::new();
        let mut unfiltered = Vec::new();
        let mut table_rules = Vec::new();
        for (i, r) in rules.iter().enumerate() {
            if r.keywords.is_empty() {
                unfiltered.push(i);
            }
            for k in &r.keywords {
                match words.iter().position(|w| w == k) {
                    Some(p) => owner[p].push(i),
                    None => {
                        words.push(k.clone());
                        owner.push(vec![i]);
                    }
                }
            }
            if !r.columns.is_empty() {
                table_rules.push(i);
            }
        }
        // The literals follow the keywords in one automaton.
        let mut literal_words: Vec<String> = words;
        let needs = rules
            .iter()
            .map(|r| {
                r.pattern_literals
                    .iter()
                    .map(|groups| {
                        groups
                            .iter()
                            .cloned()
                            .map(|group| {
                                group
                                    .into_iter()
                                    .map(|w| match literal_words.iter().position(|x| *x == w) {
                                        Some(i) => i,
                                        None => {
                                            literal_words.push(w);
                                            literal_words.len() - 1
                                        }
                                    })
                                    .collect()
                            })
                            .collect()
                    })
                    .collect()
            })
            .collect();
        // A full DFA: it runs over every segment, and the noncontiguous
        // automaton's transitions cost several times more per byte.
        let words = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .build(&literal_words)
            .map_err(|e| RuleErrors(vec![RuleError { file: "(all rules)".into(), line: 0, column: 0, message: format!("keywords and literals do not combine: {e}"), hint: None }]))?;
        Ok(RuleSet { rules, lexicon, model, cases, words, keyword_owner: owner, unfiltered, table_rules, prefilter_enabled: true, needs })
    }

    /// Rules matching one segment, and the candidates context conditions rejected.
    pub fn apply(&self, seg: &Segment, want_rejections: bool) -> (Vec<Hit>, Vec<Rejection>) {
        let mut hits = Vec::new();
        let mut rejections = Vec::new();
        let present = self.words_present(&seg.text);
        let mut candidates: Vec<usize> = match &present {
            Some(present) => {
                let mut c = self.unfiltered.clone();
                for (owners, _) in self.keyword_owner.iter().zip(present).filter(|(_, &p)| p) {
                    c.extend(owners);
                }
                c
            }
            None => (0..self.rules.len()).collect(),
        };
        if seg.kind == SegmentKind::TableRow && !seg.header.is_empty() {
            candidates.extend(self.table_rules.iter().copied());
        }
        candidates.sort_unstable();
        candidates.dedup();
        candidates.retain(|&ri| {
            let rule = &self.rules[ri];
            rule.segments.is_empty() || rule.segments.contains(&seg.kind)
        });
        if candidates.is_empty() {
            return (hits, rejections);
        }
        for ri in candidates {
            let rule = &self.rules[ri];
            for hit in rule.find_where(ri, seg, |pi| self.pattern_may_run(ri, pi, present.as_deref())) {
                match rule.context_rejects(seg, hit.span) {
                    None => hits.push(hit),
                    Some(reason) if want_rejections => rejections.push(Rejection { rule: ri, text: seg.text[hit.span.0..hit.span.1].to_string(), reason }),
                    Some(_) => {}
                }
            }
        }
        (hits, rejections)
    }

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

    /// Compile every regex now (rules compile on first use otherwise), so
    /// that `rules check` also reports a pattern too large to compile.
    pub fn compile_all(&self) -> Result<(), RuleErrors> {
        let mut errors = Vec::new();
        for r in &self.rules {
            let regexes = r
                .patterns
                .iter()
                .chain(r.columns.iter().map(|(_, x)| x))
                .chain(&r.require)
                .chain(r.exclude.iter().map(|(_, x)| x))
                .chain(r.exclude_inside.iter().map(|(_, x)| x))
                .chain(&r.heading)
                .chain(r.not_heading.iter().map(|(_, x)| x))
                .chain(r.skip_headers.iter().map(|(_, x)| x))
                .chain(&r.each);
            for re in regexes {
                if let Err(e) = re.compile() {
                    let msg = e.lines().last().unwrap_or("cannot compile").trim().to_string();
                    errors.push(RuleError {
                        file: r.source.clone(),
                        line: re.at.0,
                        column: re.at.1,
                        message: format!("rule `{}`: {msg}", r.id),
                        hint: Some("split the pattern or use fewer fragments".into()),
                    });
                }
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(RuleErrors(errors))
        }
    }

    /// Every match of rule `ri` in a segment (before context conditions),
    /// whatever the keyword prefilter says.
    pub(crate) fn find(&self, ri: usize, seg: &Segment) -> Vec<Hit> {
        let present = self.words_present(&seg.text);
        self.rules[ri].find_where(ri, seg, |pi| self.pattern_may_run(ri, pi, present.as_deref()))
    }

    /// Which keywords and required literals occur in `text`; `None` to skip
    /// both filters.
    ///
    /// The words are matched ignoring ASCII case, while a case-insensitive
    /// pattern's `k` and `s` also match the Kelvin sign and the long s: a text
    /// with either is not filtered at all.
    fn words_present(&self, text: &str) -> Option<Vec<bool>> {
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
    fn pattern_may_run(&self, ri: usize, pi: usize, present: Option<&[bool]>) -> bool {
        let Some(present) = present else { return true };
        self.needs[ri][pi].iter().all(|group| group.iter().any(|&w| present[w]))
    }

    /// Find a rule by id.
    pub fn by_id(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }
}

impl Rule {
    /// Every match of this rule in a segment (before context conditions),
    /// trying only the patterns `may_run` (by index) lets through.
    fn find_where(&self, ri: usize, seg: &Segment, may_run: impl Fn(usize) -> bool) -> Vec<Hit> {
        let mut out = Vec::new();
        for (pi, (re, gate)) in self.patterns.iter().zip(&self.gates).enumerate() {
            if !may_run(pi) || !gate.may_match(re, &seg.text) {
                continue;
            }
            // Hits of earlier patterns: a later pattern's hit overlapping one is dropped.
            let earlier = out.len();
            let mut pos = 0;
            while let Some(caps) = re.captures_at(&seg.text, pos) {
                let whole = caps.get(0).expect("group 0");
                // A match that runs into the next clause (`exclude_inside`)
                // may hide a good one starting inside it: look again from
                // the match's second word.
                if self.inside_rejects(whole.as_str()).is_some() {
                    let skip = whole.as_str().char_indices().find(|(_, c)| c.is_whitespace()).map_or(whole.as_str().len(), |(i, _)| i.max(1));
                    pos = ceil_char(&seg.text, whole.start() + skip);
                    if pos >= seg.text.len() {
                        break;
                    }
                    continue;
                }
                // The next search starts after the last capture, not after the
                // whole match: a terminator the match consumed ("; ") may be
                // the opener of the next item in a list.
                let last_capture = re.capture_names().flatten().filter_map(|n| caps.name(n)).map(|m| m.end()).max().filter(|&e| e > whole.start());
                let next = last_capture.unwrap_or(whole.end());
                pos = if next > whole.start() { next } else { whole.end() + seg.text[whole.end()..].chars().next().map_or(1, char::len_utf8) };
                if pos > seg.text.len() {
                    pos = seg.text.len();
                }
                let mut captures = Vec::new();
                for name in re.capture_names().flatten() {
                    if let Some(m) = caps.name(name) {
                        let role = ROLES.iter().find(|r| **r == name).copied().unwrap_or("name");
                        if !m.as_str().trim().is_empty() {
                            captures.push(Capture { role, text: m.as_str().to_string(), span: Some((m.start(), m.end())) });
                        }
                    }
                }
                // Two patterns of one rule may find the same text; keep the first.
                if !out[..earlier].iter().any(|h: &Hit| h.span.0 < next && whole.start() < h.span.1) {
                    out.push(Hit { rule: ri, span: (whole.start(), next.max(whole.start())), captures });
                }
                if pos >= seg.text.len() {
                    break;
                }
            }
        }
        if out.is_empty() && !self.columns.is_empty() && seg.kind == SegmentKind::TableRow && !seg.header.is_empty() {
            let mut captures = Vec::new();
            let mut claimed: Vec<usize> = Vec::new();
            for (role, re) in &self.columns {
                // A column serves one role: the first unclaimed header that matches.
                // A name must have letters: an "Installment" column of bare
                // numbers gives way to the next matching column ("Due upon").
                let usable = |i: usize| role != "name" || seg.cells.get(i).is_some_and(|c| c.chars().filter(|ch| ch.is_alphabetic()).count() >= 3);
                let matched = (0..seg.header.len()).find(|&i| re.is_match(&seg.header[i]) && !(claimed.contains(&i) && role != "rel") && usable(i));
                // No header names the item column ("Key date | Guaranteed Date"):
                // the first column with words in it, when it is not the last.
                // (Schedule tables only: in a payment table an unnamed first
                // column is more often a budget category than an event.)
                let fallback = || (role == "name" && self.kind != RuleKind::Payment).then(|| (0..seg.cells.len().saturating_sub(1)).find(|&i| usable(i))).flatten();
                let Some(col) = matched.or_else(fallback) else { continue };
                claimed.push(col);
                let Some(cell) = seg.cells.get(col).filter(|c| !c.trim().is_empty()) else { continue };
                let role = ROLES.iter().find(|r| **r == role.as_str()).copied().unwrap_or("name");
                if captures.iter().any(|c: &Capture| c.role == role) {
                    continue;
                }
                let span = seg.text.find(cell.as_str()).map(|s| (s, s + cell.len()));
                captures.push(Capture { role, text: cell.clone(), span });
            }
            // The row must give the rule's essential role: a name and a date,
            // amount or percent (whatever columns the rule names beyond `name`).
            let has_name = captures.iter().any(|c| c.role == "name");
            let has_value = captures.iter().any(|c| c.role != "name" && c.role != "trigger");
            let needs_value = self.columns.iter().any(|(r, _)| r != "name" && r != "trigger");
            if has_name && (has_value || !needs_value) {
                out.push(Hit { rule: ri, span: (0, seg.text.len()), captures });
            }
        }
        out
    }

    /// Why `exclude_inside` rejects a matched text, if it does.
    fn inside_rejects(&self, matched: &str) -> Option<String> {
        let past_first_word = matched.char_indices().find(|(_, c)| c.is_whitespace()).map_or(matched.len(), |(i, _)| i);
        let rest = &matched[past_first_word..];
        self.exclude_inside.iter().find_map(|(src, re)| re.find(rest).map(|m| format!("excluded by `{src}` inside the match (\"{}\")", m.as_str())))
    }

    /// Why the context rejects a match, if it does.
    pub(crate) fn context_rejects(&self, seg: &Segment, span: (usize, usize)) -> Option<String> {
        // A paragraph's run-in title ("1.3 Renewal.") is context of each of
        // its sentences.
        if !self.require.is_empty() && !self.require.iter().any(|r| r.is_match(&seg.text) || r.is_match(&seg.title)) {
            return Some("none of the required words is in the segment or its title".into());
        }
        if !self.heading.is_empty() && !self.heading.iter().any(|r| r.is_match(&seg.heading)) {
            return Some(format!("the section heading {:?} is not one the rule applies under", seg.heading));
        }
        if let Some((src, h)) = self.skip_headers.iter().find_map(|(src, r)| seg.header.iter().find(|h| r.is_match(h)).map(|h| (src, h))) {
            return Some(format!("the table's column {h:?} matches skip_headers `{src}`"));
        }
        if let Some((src, _)) = self.not_heading.iter().find(|(_, r)| r.is_match(&seg.heading)) {
            return Some(format!("the section heading {:?} matches excluded heading `{src}`", seg.heading));
        }
        if let Some(why) = seg.text.get(span.0..span.1).and_then(|m| self.inside_rejects(m)) {
            return Some(why);
        }
        let (lo, hi) = match self.window {
            Some(w) => (floor_char(&seg.text, span.0.saturating_sub(w)), ceil_char(&seg.text, (span.1 + w).min(seg.text.len()))),
            None => (0, seg.text.len()),
        };
        let context = &seg.text[lo..hi];
        for (src, re) in &self.exclude {
            if let Some(m) = re.find(context) {
                return Some(format!("excluded by `{src}` (\"{}\" is near)", m.as_str()));
            }
        }
        None
    }
}

fn floor_char(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_char(s: &str, mut i: usize) -> usize {
    while i < s.len() && !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// The words one of which must occur for any of the rule's patterns to
/// match, from the fragments with `[keywords]`; empty when some pattern needs
/// none (the rule then always runs).
fn derive_keywords(def: &schema::RuleDef, fragment_words: &[(String, Vec<String>)]) -> Vec<String> {
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
fn required_literals_of(hir: &regex_syntax::hir::Hir) -> Vec<Vec<String>> {
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

/// A regex compiled on first use.
///
/// Rule files are checked (syntax, capture names) when they load, but the
/// automata are only built when a rule is first tried: a process that never
/// applies rules (the parent of the worker processes, `rules list`) holds
/// none, and a worker only those its documents need.
///
/// Built without the lazy DFA the regex crate would add. That DFA needs a
/// reverse automaton, twice the size of the forward one: over the built-in
/// rules the two came to 78 MB (the Unicode classes of fragments like
/// `%{date}`, inlined many times and repeated by bounded counts), most of
/// the 100 MB a worker may hold. The gates ([`Gate`]) already run a lazy DFA
/// over every segment; a rule regex runs only on a segment its gate lets
/// through, where the PikeVM and the backtracker are no slower. Matching is
/// the regex crate's: leftmost-first, Unicode, UTF-8, no empty match inside
/// a character.
#[derive(Debug)]
pub struct LazyRegex {
    source: String,
    /// Line and column of the pattern in its rule file.
    at: (usize, usize),
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
    fn checked(source: String, at: (usize, usize)) -> Result<(LazyRegex, Vec<String>, regex_syntax::hir::Hir), String> {
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
    fn compile(&self) -> Result<(), String> {
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
struct Gate {
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

    fn from_hir(hir: &regex_syntax::hir::Hir) -> Gate {
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
    fn may_match(&self, pattern: &LazyRegex, text: &str) -> bool {
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

/// Replace `%{name}` with the fragment's text (fragments may use others).
fn expand(pattern: &str, fragments: &HashMap<String, String>, depth: usize) -> Result<String, String> {
    if depth > 8 {
        return Err("fragments refer to each other in a loop".into());
    }
    let mut out = String::with_capacity(pattern.len());
    let mut rest = pattern;
    while let Some(pos) = rest.find("%{") {
        out.push_str(&rest[..pos]);
        let after = &rest[pos + 2..];
        let end = after.find('}').ok_or("`%{` without a closing `}`")?;
        let name = &after[..end];
        let frag = fragments.get(name).ok_or_else(|| format!("unknown fragment `%{{{name}}}`"))?;
        out.push_str("(?:");
        out.push_str(&expand(frag, fragments, depth + 1)?);
        out.push(')');
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

fn compile_rule(f: &SourceFile, def: schema::RuleDef, fragments: &HashMap<String, String>) -> Result<Rule, Vec<RuleError>> {
    let mut errors = Vec::new();
    let err_at = |span: std::ops::Range<usize>, message: String, hint: Option<String>| {
        let (line, column) = line_col(&f.text, span.start);
        RuleError { file: f.name.clone(), line, column, message, hint }
    };
    let id = def.id.get_ref().clone();
    let kind = RuleKind::parse(def.kind.get_ref());
    if kind.is_none() {
        errors.push(err_at(
            def.id.span(),
            format!("rule `{id}`: unknown kind `{}`", def.kind.get_ref()),
            Some("kind is one of milestone, deliverable, schedule, payment, effective_date, expiration_date, defined_date, contract_price, party, renewal, notice_period".into()),
        ));
    }
    let mut cerrs: Vec<RuleError> = Vec::new();
    // The parsed patterns, for their gates and required literals.
    let mut pattern_hirs = Vec::new();
    let mut compile = |s: &toml::Spanned<String>, what: &str, check_roles: bool| -> Option<LazyRegex> {
        let expanded = match expand(s.get_ref(), fragments, 0) {
            Ok(e) => e,
            Err(m) => {
                cerrs.push(err_at(s.span(), format!("rule `{id}`: {what}: {m}"), Some("define fragments in a `[fragments]` table".into())));
                return None;
            }
        };
        match LazyRegex::checked(expanded, line_col(&f.text, s.span().start)) {
            Ok((re, names, hir)) => {
                if what == "patterns" {
                    pattern_hirs.push(hir);
                }
                if check_roles {
                    for name in names {
                        if !ROLES.contains(&name.as_str()) {
                            cerrs.push(err_at(s.span(), format!("rule `{id}`: capture `{name}` has no role"), Some(format!("name captures after a role: {}", ROLES.join(", ")))));
                        }
                    }
                }
                Some(re)
            }
            Err(e) => {
                let msg = e.lines().last().unwrap_or("invalid regex").trim().to_string();
                cerrs.push(err_at(
                    s.span(),
                    format!("rule `{id}`: invalid regex in {what}: {msg}"),
                    Some("the regex crate has no look-around or back-references; use a counter_example or `exclude` instead".into()),
                ));
                None
            }
        }
    };
    let patterns: Vec<LazyRegex> = def.patterns.iter().filter_map(|p| compile(p, "patterns", true)).collect();
    let require = def.require.iter().filter_map(|p| compile(p, "require", false)).collect();
    let exclude = def.exclude.iter().filter_map(|p| compile(p, "exclude", false).map(|r| (p.get_ref().clone(), r))).collect();
    let exclude_inside = def.exclude_inside.iter().filter_map(|p| compile(p, "exclude_inside", false).map(|r| (p.get_ref().clone(), r))).collect();
    let heading = def.heading.iter().filter_map(|p| compile(p, "heading", false)).collect();
    let not_heading = def.not_heading.iter().filter_map(|p| compile(p, "not_heading", false).map(|r| (p.get_ref().clone(), r))).collect();
    let skip_headers = def.skip_headers.iter().filter_map(|p| compile(p, "skip_headers", false).map(|r| (p.get_ref().clone(), r))).collect();
    let each = def.each.as_ref().and_then(|p| compile(p, "each", true));
    let mut columns = Vec::new();
    for (role, re) in &def.columns {
        if !ROLES.contains(&role.as_str()) {
            errors.push(err_at(re.span(), format!("rule `{id}`: column role `{role}` is not a known role"), Some(format!("roles: {}", ROLES.join(", ")))));
            continue;
        }
        if let Some(r) = compile(re, "columns", false) {
            columns.push((role.clone(), r));
        }
    }
    errors.append(&mut cerrs);
    let gates = pattern_hirs.iter().map(Gate::from_hir).collect();
    let pattern_literals = pattern_hirs.iter().map(required_literals_of).collect();
    // Roles claim columns in this order, the most specific header words first
    // ("% of Fee" is a percent column before it is a fee column).
    const CLAIM_ORDER: &[&str] = &["name", "percent", "date", "amount", "trigger", "milestone", "rel"];
    columns.sort_by_key(|(r, _)| CLAIM_ORDER.iter().position(|c| c == r).unwrap_or(CLAIM_ORDER.len()));
    if def.patterns.is_empty() && def.columns.is_empty() {
        errors.push(err_at(def.id.span(), format!("rule `{id}` has neither `patterns` nor `columns`"), Some("add at least one regex pattern".into())));
    }
    let mut segments = Vec::new();
    for s in &def.segments {
        match s.get_ref().as_str() {
            "sentence" => segments.push(SegmentKind::Sentence),
            "list_item" => segments.push(SegmentKind::ListItem),
            "table_row" => segments.push(SegmentKind::TableRow),
            "heading" => segments.push(SegmentKind::Heading),
            other => errors.push(err_at(s.span(), format!("rule `{id}`: unknown segment kind `{other}`"), Some("segments are sentence, list_item, table_row, heading".into()))),
        }
    }
    if def.examples.is_empty() {
        errors.push(err_at(def.id.span(), format!("rule `{id}` has no example"), Some("add a [[rule.example]] with text and expect".into())));
    }
    // A rule whose date is the latest signature's has no value of its own
    // to expect: its examples must match, nothing more.
    for ex in def.examples.iter().filter(|_| !def.latest_signature) {
        if ex.expect.is_none() {
            let quoted = [format!("\"{}\"", ex.text), format!("'{}'", ex.text)];
            let pos = quoted.iter().find_map(|q| f.text.find(q.as_str())).unwrap_or(def.id.span().start);
            errors.push(err_at(pos..pos, format!("rule `{id}`: an example has no expected values"), Some("add `expect = { ... }` with the values the rule must produce".into())));
        }
    }
    if def.counter_examples.is_empty() {
        errors.push(err_at(def.id.span(), format!("rule `{id}` has no counter_example"), Some("add a [[rule.counter_example]] with a text the rule must not match".into())));
    }
    let renews_automatically = match (kind, def.renewal.as_ref()) {
        (Some(RuleKind::Renewal), Some(r)) => match r.get_ref().as_str() {
            "automatic" => Some(true),
            "option" => Some(false),
            other => {
                errors.push(err_at(r.span(), format!("rule `{id}`: renewal `{other}` is neither `automatic` nor `option`"), None));
                None
            }
        },
        (Some(RuleKind::Renewal), None) => {
            errors.push(err_at(def.id.span(), format!("rule `{id}`: a renewal rule needs `renewal`"), Some("renewal = \"automatic\" (renews unless notice is given) or \"option\"".into())));
            None
        }
        (_, Some(r)) => {
            errors.push(err_at(r.span(), format!("rule `{id}`: only renewal rules take `renewal`"), None));
            None
        }
        (_, None) => None,
    };
    if (def.signature || def.latest_signature) && kind != Some(RuleKind::EffectiveDate) {
        errors.push(err_at(def.id.span(), format!("rule `{id}`: only effective_date rules take `signature` and `latest_signature`"), None));
    }
    if def.reason.is_some() && !matches!(kind, Some(RuleKind::EffectiveDate | RuleKind::ExpirationDate)) {
        errors.push(err_at(def.id.span(), format!("rule `{id}`: only effective_date and expiration_date rules take `reason`"), None));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Rule {
        id,
        kind: kind.expect("checked"),
        description: def.description,
        source: f.name.clone(),
        patterns,
        gates,
        pattern_literals,
        columns,
        segments,
        require,
        exclude,
        exclude_inside,
        window: def.window,
        heading,
        not_heading,
        skip_headers,
        each,
        each_reach: def.each_reach.unwrap_or(2),
        keywords: def.keywords.iter().map(|k| k.to_ascii_lowercase()).collect(),
        name: def.name,
        priority: def.priority,
        renews_automatically,
        reason: def.reason,
        signature: def.signature,
        latest_signature: def.latest_signature,
        examples: def.examples,
        counter_examples: def.counter_examples,
    })
}

#[cfg(test)]
mod tests {
    use super::{fragment_required, Gate, LazyRegex};

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
