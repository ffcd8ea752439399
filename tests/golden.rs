//! Golden-file tests: every fixture contract, in both renderings, against the
//! expected output written by hand in `fixtures/expected/NAME.json`.
//!
//! Matching is `train::eval`'s, the one `train` scores with: a schedule item is
//! found by a milestone or deliverable with the same date (when one is
//! expected) whose name shares a content word with it, at least one in four
//! of its own; a payment by one with the same amount, percent and date (each
//! when expected); one to one, best pairs first. Document dates must be
//! equal, and so must the parties (`parties`: the names in the preamble, in
//! order, as written). Each matched record must be on the expected page
//! (`page`; `page_chromium` for the Chromium rendering where it differs).
//!
//! `fixtures/expected/known-gaps.json` lists, per rendering, the expected
//! items the extractor does not find yet, how many extra records it makes,
//! the matched items it puts on another page (`pages_wrong`), and whether its
//! document dates or parties are wrong (`dates_wrong`, `parties_wrong`).
//! The test fails when anything else is missed, when there are more extras,
//! and also when a known gap closes (so the list is kept honest: delete the
//! line). The expected items themselves never change to suit the program.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use contract_milestones::discover::Input;
use contract_milestones::options::DocOptions;
use contract_milestones::pipeline;
use contract_milestones::record::{Document, Kind};
use contract_milestones::rules::RuleSet;
use contract_milestones::train::eval::{self, LabelItem, Predicted};
use serde_json::Value;

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

/// What one rendering got wrong against its expected items.
struct Comparison {
    /// Expected items no record matches.
    missed: Vec<String>,
    /// Records that match no expected item.
    extra: usize,
    /// Matched items whose record is on another page: `ITEM on pN, expected pM`.
    pages_wrong: Vec<String>,
}

/// Expected items not matched by any record, the number of records left
/// over, matched one to one as the scorer does (`train::eval`), and the
/// matched ones on the wrong page (`page_key`: `page` or `page_chromium`).
fn compare(expected: &[Value], doc: &Document, page_key: &str) -> Comparison {
    let labels: Vec<LabelItem> = expected.iter().map(|e| serde_json::from_value(e.clone()).unwrap()).collect();
    let preds: Vec<Predicted> = doc.records.iter().map(|r| Predicted { kind: r.kind, name: r.name.clone(), date: r.date, amount: r.amount, percent: r.percent }).collect();
    let pairs = eval::matches(&labels, &preds);
    let missed = (0..expected.len()).filter(|i| !pairs.iter().any(|(l, _)| l == i)).map(|i| describe(&expected[i])).collect();
    let mut pages_wrong: Vec<String> = pairs
        .iter()
        .filter_map(|&(l, p)| {
            let item = &expected[l];
            let want = item.get(page_key).or_else(|| item.get("page")).and_then(Value::as_u64).expect("every expected item has a page");
            let got = u64::from(doc.records[p].page);
            (got != want).then(|| format!("{} on p{got}, expected p{want}", describe(item)))
        })
        .collect();
    pages_wrong.sort();
    Comparison { missed, extra: preds.len() - pairs.len(), pages_wrong }
}

/// The strings of a JSON array (none when absent).
fn strings(v: &Value) -> Vec<String> {
    v.as_array().map(|a| a.iter().filter_map(|v| v.as_str().map(String::from)).collect()).unwrap_or_default()
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
    // UPDATE_KNOWN_GAPS=1 rewrites known-gaps.json from this run (then
    // review the diff: the expected files themselves never change).
    let update = std::env::var_os("UPDATE_KNOWN_GAPS").is_some();
    let mut now = serde_json::Map::new();
    now.insert("_comment".into(), gaps.get("_comment").cloned().unwrap_or(Value::Null));
    let mut totals = (0usize, 0usize, 0usize); // expected, missed, extra
    for entry in std::fs::read_dir(root().join("fixtures/expected")).unwrap() {
        let path = entry.unwrap().path();
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        if path.extension().is_none_or(|e| e != "json") || stem == "bad" || stem == "known-gaps" {
            continue;
        }
        let expected: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let items = expected["items"].as_array().unwrap();
        let parties = strings(&expected["parties"]);
        assert!(!parties.is_empty(), "{stem}: the expected file names no parties");
        for (producer, page_key) in [("lo", "page"), ("chromium", "page_chromium")] {
            let rendering = format!("{stem}.{producer}");
            let doc = run(&root().join(format!("fixtures/pdf/{rendering}.pdf")), &rules);
            checked += 1;
            assert_eq!(doc.status.as_str(), "ok", "{rendering}: {:?}", doc.error);
            let known = gaps.get(&rendering).cloned().unwrap_or(Value::Null);
            let known_missed: HashSet<String> = strings(&known["missed"]).into_iter().collect();
            let known_pages_wrong: HashSet<String> = strings(&known["pages_wrong"]).into_iter().collect();
            let known_extra = known["extra"].as_u64().unwrap_or(0) as usize;
            let known_dates_wrong = known["dates_wrong"].as_bool().unwrap_or(false);
            let known_parties_wrong = known["parties_wrong"].as_bool().unwrap_or(false);
            let day = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string());
            let dates_ok = day(doc.effective_date).as_deref() == expected["effective_date"].as_str() && day(doc.expiration_date).as_deref() == expected["expiration_date"].as_str();
            if dates_ok == known_dates_wrong {
                failures.push(format!(
                    "{rendering}: effective {:?} / expiration {:?}, expected {} / {}{}",
                    doc.effective_date,
                    doc.expiration_date,
                    expected["effective_date"],
                    expected["expiration_date"],
                    if dates_ok { " (now right: remove dates_wrong from known-gaps.json)" } else { "" }
                ));
            }
            let parties_ok = doc.parties == parties;
            if parties_ok == known_parties_wrong {
                failures.push(format!("{rendering}: parties {:?}, expected {parties:?}{}", doc.parties, if parties_ok { " (now right: remove parties_wrong from known-gaps.json)" } else { "" }));
            }
            let Comparison { missed, extra, pages_wrong } = compare(items, &doc, page_key);
            totals = (totals.0 + items.len(), totals.1 + missed.len(), totals.2 + extra);
            if update {
                let mut entry = serde_json::Map::new();
                if !missed.is_empty() {
                    entry.insert("missed".into(), Value::from(missed.clone()));
                }
                if extra > 0 {
                    entry.insert("extra".into(), Value::from(extra));
                }
                if !pages_wrong.is_empty() {
                    entry.insert("pages_wrong".into(), Value::from(pages_wrong.clone()));
                }
                if !dates_ok {
                    entry.insert("dates_wrong".into(), Value::from(true));
                }
                if !parties_ok {
                    entry.insert("parties_wrong".into(), Value::from(true));
                }
                if !entry.is_empty() {
                    now.insert(rendering.clone(), Value::Object(entry));
                }
                continue;
            }
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
            for p in &pages_wrong {
                if !known_pages_wrong.contains(p) {
                    failures.push(format!("{rendering}: {p}"));
                }
            }
            for k in &known_pages_wrong {
                if !pages_wrong.contains(k) {
                    failures.push(format!("{rendering}: no longer {k} (remove it from known-gaps.json)"));
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
    if update {
        let text = serde_json::to_string_pretty(&Value::Object(now)).unwrap() + "\n";
        std::fs::write(root().join("fixtures/expected/known-gaps.json"), text).unwrap();
        return;
    }
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
