//! Golden-file tests: every fixture contract, in both renderings, against the
//! expected output written by hand in `fixtures/expected/NAME.json`.
//!
//! Matching follows `RECORDS.md` (the same rules as the scorer in
//! `../shared/eval`): a schedule item is found by a milestone or deliverable
//! with the same date (when one is expected) whose name shares a content
//! word; a payment by one with the same amount, percent and date (each when
//! expected). Document dates must be equal.
//!
//! `fixtures/expected/known-gaps.json` lists, per rendering, the expected
//! items the extractor does not find yet and how many extra records it makes.
//! The test fails when anything else is missed, when there are more extras,
//! and also when a known gap closes (so the list is kept honest: delete the
//! line). The expected items themselves never change to suit the program.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use contract_milestones::discover::Input;
use contract_milestones::pipeline::{self, DocOptions};
use contract_milestones::record::{Document, Kind};
use contract_milestones::rules::RuleSet;
use serde_json::Value;

const STOPWORDS: &[&str] = &["the", "and", "for", "of", "to", "with", "upon", "from", "date", "due", "shall", "any", "all", "each", "per", "its", "this", "that", "are", "into", "under"];

fn content_words(name: &str) -> HashSet<String> {
    name.to_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| w.len() >= 3 && !STOPWORDS.contains(w))
        .map(String::from)
        .collect()
}

fn describe(item: &Value) -> String {
    let mut s = format!("{} {:?}", item["kind"].as_str().unwrap_or("?"), item["name"].as_str().unwrap_or(""));
    if let Some(d) = item["date"].as_str() {
        s.push_str(&format!(" {d}"));
    }
    if item["amount"].is_object() {
        s.push_str(&format!(" {} {}", item["amount"]["value"].as_str().unwrap_or(""), item["amount"]["currency"].as_str().unwrap_or("")));
    }
    if let Some(p) = item["percent"].as_f64() {
        s.push_str(&format!(" {p}%"));
    }
    s
}

/// Expected items not matched by any record, and the number of records left over.
fn compare(expected: &[Value], doc: &Document) -> (Vec<String>, usize) {
    let records: Vec<Value> = doc.records.iter().map(|r| serde_json::to_value(r).unwrap()).collect();
    let mut used = vec![false; records.len()];
    let mut missed = Vec::new();
    // Candidates ranked like the scorer: same kind, more shared words first.
    let mut order: Vec<usize> = (0..expected.len()).collect();
    order.sort_by_key(|&i| expected[i]["kind"] == "payment");
    for i in order {
        let e = &expected[i];
        let is_payment = e["kind"] == "payment";
        let mut best: Option<(usize, (bool, usize))> = None;
        for (j, r) in records.iter().enumerate() {
            if used[j] || (r["kind"] == "payment") != is_payment {
                continue;
            }
            if !e["date"].is_null() && r["date"] != e["date"] {
                continue;
            }
            let rank = if is_payment {
                if !e["amount"].is_null() && (r["amount"]["value"] != e["amount"]["value"] || r["amount"]["currency"] != e["amount"]["currency"]) {
                    continue;
                }
                if let Some(p) = e["percent"].as_f64() {
                    if r["percent"].as_f64().is_none_or(|q| (q - p).abs() > 1e-6) {
                        continue;
                    }
                }
                (true, content_words(e["name"].as_str().unwrap_or("")).intersection(&content_words(r["name"].as_str().unwrap_or(""))).count())
            } else {
                let shared = content_words(e["name"].as_str().unwrap_or("")).intersection(&content_words(r["name"].as_str().unwrap_or(""))).count();
                if shared == 0 {
                    continue;
                }
                (r["kind"] == e["kind"], shared)
            };
            if best.is_none_or(|(_, b)| rank > b) {
                best = Some((j, rank));
            }
        }
        match best {
            Some((j, _)) => used[j] = true,
            None => missed.push(describe(e)),
        }
    }
    let extra = used.iter().filter(|u| !**u).count();
    (missed, extra)
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn run(pdf: &Path, rules: &RuleSet) -> Document {
    let input = Input { rel: pdf.file_name().unwrap().to_string_lossy().into_owned(), path: pdf.to_path_buf(), walk_error: None };
    pipeline::process_input(&input, &DocOptions::default(), rules)
}

#[test]
fn fixtures_match_their_hand_written_expectations() {
    let rules = RuleSet::builtin();
    let gaps: BTreeMap<String, Value> = serde_json::from_str(&std::fs::read_to_string(root().join("fixtures/expected/known-gaps.json")).unwrap()).unwrap();
    let mut failures = Vec::new();
    let mut checked = 0;
    let mut totals = (0usize, 0usize, 0usize); // expected, missed, extra
    for entry in std::fs::read_dir(root().join("fixtures/expected")).unwrap() {
        let path = entry.unwrap().path();
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        if path.extension().is_none_or(|e| e != "json") || stem == "bad" || stem == "known-gaps" {
            continue;
        }
        let expected: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let items = expected["items"].as_array().unwrap();
        for producer in ["lo", "chromium"] {
            let rendering = format!("{stem}.{producer}");
            let doc = run(&root().join(format!("fixtures/pdf/{rendering}.pdf")), &rules);
            checked += 1;
            assert_eq!(doc.status.as_str(), "ok", "{rendering}: {:?}", doc.error);
            let known = gaps.get(&rendering).cloned().unwrap_or(Value::Null);
            let known_missed: HashSet<String> = known["missed"].as_array().map(|a| a.iter().filter_map(|v| v.as_str().map(String::from)).collect()).unwrap_or_default();
            let known_extra = known["extra"].as_u64().unwrap_or(0) as usize;
            let known_dates_wrong = known["dates_wrong"].as_bool().unwrap_or(false);
            let dates_ok = doc.effective_date.as_deref() == expected["effective_date"].as_str() && doc.expiration_date.as_deref() == expected["expiration_date"].as_str();
            if dates_ok == known_dates_wrong {
                failures.push(format!(
                    "{rendering}: effective {:?} / expiration {:?}, expected {} / {}{}",
                    doc.effective_date, doc.expiration_date, expected["effective_date"], expected["expiration_date"],
                    if dates_ok { " (now right: remove dates_wrong from known-gaps.json)" } else { "" }
                ));
            }
            let (missed, extra) = compare(items, &doc);
            totals = (totals.0 + items.len(), totals.1 + missed.len(), totals.2 + extra);
            for m in &missed {
                if !known_missed.contains(m) {
                    failures.push(format!("{rendering}: missed {m}"));
                }
            }
            for k in &known_missed {
                if !missed.contains(k) {
                    failures.push(format!("{rendering}: now found {k} (remove it from known-gaps.json)"));
                }
            }
            if extra > known_extra {
                let names: Vec<String> = doc.records.iter().map(|r| format!("{} {:?} {:?}", r.kind.as_str(), r.name, r.date)).collect();
                failures.push(format!("{rendering}: {extra} extra records, {known_extra} known; records: {names:#?}"));
            }
            if extra < known_extra {
                failures.push(format!("{rendering}: {extra} extra records, fewer than the {known_extra} known (lower it in known-gaps.json)"));
            }
        }
    }
    assert_eq!(checked, 12, "six fixtures, two renderings each");
    eprintln!("fixtures: {} expected items, {} missed, {} extra records", totals.0, totals.1, totals.2);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn bad_inputs_get_their_expected_status() {
    let rules = RuleSet::builtin();
    let expected: Value = serde_json::from_str(&std::fs::read_to_string(root().join("fixtures/expected/bad.json")).unwrap()).unwrap();
    let mut n = 0;
    for f in expected["files"].as_array().unwrap() {
        let file = f["file"].as_str().unwrap();
        let doc = run(&root().join("fixtures/bad").join(file), &rules);
        assert_eq!(doc.status.as_str(), f["status"].as_str().unwrap(), "{file}: {:?}", doc.error);
        n += 1;
    }
    assert!(n >= 7);
}

#[test]
fn the_same_item_twice_is_one_record_and_kinds_are_right() {
    // Every record of every fixture: no two records of one document are the
    // same item, and every record carries its evidence and rule.
    let rules = RuleSet::builtin();
    for entry in std::fs::read_dir(root().join("fixtures/pdf")).unwrap() {
        let doc = run(&entry.unwrap().path(), &rules);
        for (i, a) in doc.records.iter().enumerate() {
            assert!(!a.text.is_empty() && !a.rule.is_empty() && a.page >= 1);
            if a.kind == Kind::Payment {
                assert!(a.amount.is_some() || a.percent.is_some(), "{}: payment without amount or share: {a:?}", doc.path);
            }
            for b in &doc.records[i + 1..] {
                let same = a.kind == b.kind && a.name.to_lowercase() == b.name.to_lowercase() && a.date == b.date && a.amount == b.amount && a.percent == b.percent;
                assert!(!same, "{}: duplicate record {a:?}", doc.path);
            }
        }
    }
}
