//! From parsed rule files to a [`RuleSet`]: fragments expanded, every rule
//! checked (kinds, roles, examples) with all errors collected, regexes
//! checked but not yet built, and the prefilter's automaton made.

use std::collections::HashMap;

use aho_corasick::AhoCorasick;

use super::gate::Gate;
use super::lazy_regex::LazyRegex;
use super::load::{line_col, RuleError, RuleErrors, SourceFile};
use super::prefilter::{derive_keywords, required_literals_of};
use super::{schema, Rule, RuleKind, RuleSet, ROLES};
use crate::normalise::RenewalKind;
use crate::segment::SegmentKind;

impl RuleSet {
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
        // A fragment may capture a role itself ("(25%)" as `percent`), so
        // that a part many rules share is written once: its names are
        // checked where it is defined. Only those with a capture of their
        // own are parsed (the built-in ones have none: no cost at load).
        for (f, rf) in &parsed {
            for (k, v) in rf.fragments.iter().filter(|(k, v)| fragment_files.get(*k) == Some(&f.name) && (v.get_ref().contains("(?P<") || v.get_ref().contains("(?<"))) {
                // A fragment that does not expand or parse is reported where a rule uses it.
                let Some((_, names, _)) = expand(v.get_ref(), &fragments, 0).ok().and_then(|x| LazyRegex::checked(x, (0, 0)).ok()) else { continue };
                for name in names.iter().filter(|n| !ROLES.contains(&n.as_str())) {
                    errors.push(f.error_at(v.span().start, format!("fragment `{k}`: capture `{name}` has no role"), &format!("name captures after a role: {}", ROLES.join(", "))));
                }
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
        let lexicon = crate::lexicon::Lexicon::new(parsed_lexicon.iter().filter(|(k, _)| !crate::lexicon::CLOSED_CLASSES.contains(&k.as_str())).map(|(k, v)| (k.as_str(), v.as_slice())));
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
}

/// Replace `%{name}` with the fragment's text (fragments may use others).
///
/// A fragment is inserted as a group that turns verbose mode off: it is
/// written outside any `(?x)`, and must mean the same inside one (a space
/// in "two thousand" is a space, not layout).
pub(super) fn expand(pattern: &str, fragments: &HashMap<String, String>, depth: usize) -> Result<String, String> {
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
        out.push_str("(?-x:");
        out.push_str(&expand(frag, fragments, depth + 1)?);
        out.push(')');
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// A list of names for a hint: "a, b, c".
fn names<'a>(list: impl Iterator<Item = &'a str>) -> String {
    list.collect::<Vec<_>>().join(", ")
}

fn compile_rule(f: &SourceFile, def: schema::RuleDef, fragments: &HashMap<String, String>) -> Result<Rule, Vec<RuleError>> {
    let mut errors = Vec::new();
    let err_at = |span: std::ops::Range<usize>, message: String, hint: Option<String>| {
        let (line, column) = line_col(&f.text, span.start);
        RuleError { file: f.name.clone(), line, column, message, hint }
    };
    let id = def.id.get_ref().clone();
    let kind = RuleKind::from_name(def.kind.get_ref());
    if kind.is_none() {
        errors.push(err_at(def.id.span(), format!("rule `{id}`: unknown kind `{}`", def.kind.get_ref()), Some(format!("kind is one of {}", names(RuleKind::ALL.iter().map(|k| k.as_str()))))));
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
                let hint = if msg.contains("duplicate capture group name") {
                    "a role is captured once in a pattern, and a fragment that captures it counts: capture it in the pattern, or use the fragment once"
                } else {
                    "the regex crate has no look-around or back-references; use a counter_example or `exclude` instead"
                };
                cerrs.push(err_at(s.span(), format!("rule `{id}`: invalid regex in {what}: {msg}"), Some(hint.into())));
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
        match SegmentKind::from_name(s.get_ref()) {
            Some(k) => segments.push(k),
            None => errors.push(err_at(s.span(), format!("rule `{id}`: unknown segment kind `{}`", s.get_ref()), Some(format!("segments are {}", names(SegmentKind::ALL.iter().map(|k| k.as_str())))))),
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
        (Some(RuleKind::Renewal), Some(r)) => match RenewalKind::from_name(r.get_ref()).and_then(RenewalKind::auto) {
            Some(auto) => Some(auto),
            // "none" is the summary's word for no renewal; a rule finds one.
            None => {
                errors.push(err_at(r.span(), format!("rule `{id}`: renewal `{}` is neither `automatic` nor `option`", r.get_ref()), None));
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
    use std::collections::HashMap;

    use super::expand;

    #[test]
    fn a_fragment_means_the_same_inside_a_verbose_pattern() {
        let fragments: HashMap<String, String> = [("year".to_string(), "two thousand".to_string()), ("date".to_string(), "(?x: March \\s+ %{year} )".to_string())].into();
        let re = regex::Regex::new(&expand("(?x) on \\s+ %{date}", &fragments, 0).unwrap()).unwrap();
        assert!(re.is_match("on March two thousand"));
        assert!(!re.is_match("on March twothousand"));
    }
}
