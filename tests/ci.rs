//! CI features end to end: the cache (`--cache`), `check` (every check, the
//! exit codes, GitHub annotations, SARIF), `summary`, `cache prune`. They
//! run the real binary over the project's own fixtures and over documents
//! written here by hand (`--from`); no ../shared.

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

mod common;
use common::{bin, fixtures, Run};

fn run_in(dir: Option<&Path>, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = bin();
    cmd.args(args).env_remove("GITHUB_ACTIONS");
    if let Some(d) = dir {
        cmd.current_dir(d);
    }
    common::run_env(cmd, env)
}

fn run(args: &[&str]) -> Run {
    run_in(None, args, &[])
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A folder with two different contracts.
fn two_contracts() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("in")).unwrap();
    std::fs::copy(fixtures().join("pdf/sow-implementation.lo.pdf"), dir.path().join("in/alpha.pdf")).unwrap();
    std::fs::copy(fixtures().join("pdf/amendment-golive.lo.pdf"), dir.path().join("in/beta.pdf")).unwrap();
    dir
}

fn extract_cached(dir: &Path, env: &[(&str, &str)]) -> Run {
    let r = run_in(None, &["extract", s(&dir.join("in")), "--cache", s(&dir.join("cache")), "--jobs", "2"], env);
    assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
    r
}

fn statuses(json: &str) -> Vec<(String, String)> {
    let v: Value = serde_json::from_str(json).unwrap();
    v["documents"].as_array().unwrap().iter().map(|d| (d["path"].as_str().unwrap().to_string(), d["status"].as_str().unwrap().to_string())).collect()
}

fn entries(cache: &Path) -> Vec<PathBuf> {
    walk(cache).into_iter().filter(|p| p.extension().is_some_and(|e| e == "entry")).collect()
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

// ---- cache ----

#[test]
fn unchanged_folder_comes_from_the_cache_with_identical_output() {
    let dir = two_contracts();
    let first = extract_cached(dir.path(), &[]);
    assert!(first.stderr.contains("; 0 from cache"), "{}", first.stderr);
    assert_eq!(entries(&dir.path().join("cache")).len(), 2);
    // A worker that crashes on every file: if anything were extracted again
    // it would come out `unreadable`.
    let second = extract_cached(dir.path(), &[("CONTRACT_MILESTONES_FAULT", "crash:alpha,crash:beta")]);
    assert!(second.stderr.contains("; 2 from cache"), "{}", second.stderr);
    assert_eq!(first.stdout, second.stdout);
    assert_eq!(statuses(&second.stdout), [("alpha.pdf".into(), "ok".into()), ("beta.pdf".into(), "ok".into())]);
}

#[test]
fn one_changed_file_is_extracted_again_alone() {
    let dir = two_contracts();
    let first = extract_cached(dir.path(), &[]);
    // beta.pdf becomes another contract.
    std::fs::copy(fixtures().join("pdf/consulting-relative-dates.lo.pdf"), dir.path().join("in/beta.pdf")).unwrap();
    // alpha would crash if extracted; beta must be extracted (and works).
    let second = extract_cached(dir.path(), &[("CONTRACT_MILESTONES_FAULT", "crash:alpha")]);
    assert!(second.stderr.contains("; 1 from cache"), "{}", second.stderr);
    let (a, b): (Value, Value) = (serde_json::from_str(&first.stdout).unwrap(), serde_json::from_str(&second.stdout).unwrap());
    assert_eq!(a["documents"][0], b["documents"][0], "alpha unchanged");
    assert_eq!(b["documents"][1]["status"], "ok");
    assert_ne!(a["documents"][1]["sha256"], b["documents"][1]["sha256"]);
    assert_ne!(a["documents"][1]["records"], b["documents"][1]["records"]);
    assert_eq!(entries(&dir.path().join("cache")).len(), 3);
}

#[test]
fn corrupt_entries_are_ignored_and_rebuilt() {
    let dir = two_contracts();
    let first = extract_cached(dir.path(), &[]);
    let cache = dir.path().join("cache");
    let files = entries(&cache);
    assert_eq!(files.len(), 2);
    // One torn (half written), one with a byte changed in its body.
    let data = std::fs::read(&files[0]).unwrap();
    std::fs::write(&files[0], &data[..data.len() / 2]).unwrap();
    let mut data = std::fs::read(&files[1]).unwrap();
    let at = data.len() - 10;
    data[at] = if data[at] == b'1' { b'2' } else { b'1' };
    std::fs::write(&files[1], &data).unwrap();
    let second = extract_cached(dir.path(), &[]);
    assert!(second.stderr.contains("; 0 from cache, 2 corrupt cache entries rebuilt"), "{}", second.stderr);
    assert_eq!(first.stdout, second.stdout);
    let third = extract_cached(dir.path(), &[]);
    assert!(third.stderr.contains("; 2 from cache"), "{}", third.stderr);
    assert_eq!(first.stdout, third.stdout);
}

#[test]
fn timeouts_are_not_cached_and_other_rules_do_not_share_entries() {
    let dir = two_contracts();
    let hung = run_in(None, &["extract", s(&dir.path().join("in")), "--cache", s(&dir.path().join("cache")), "--timeout", "8"], &[("CONTRACT_MILESTONES_FAULT", "hang:beta")]);
    assert_eq!(hung.code, 1);
    // (A timeout long enough for alpha on a busy machine: it must be `ok`.)
    assert_eq!(statuses(&hung.stdout), [("alpha.pdf".into(), "ok".into()), ("beta.pdf".into(), "timeout".into())]);
    let again = extract_cached(dir.path(), &[]);
    assert!(again.stderr.contains("; 1 from cache"), "{}", again.stderr);
    assert_eq!(statuses(&again.stdout)[1].1, "ok");
    // Another rule set (one rule more): nothing comes from the entries made
    // with the built-in rules alone.
    let rules = dir.path().join("rules");
    std::fs::create_dir(&rules).unwrap();
    let rule = r#"version = 1

[[rule]]
id = "custom.board-resolution"
kind = "milestone"
description = "A board's approval by resolution on a date."
name = "Board approval"
patterns = ['(?i)approved\s+the\s+\w+\s+by\s+resolution\s+adopted\s+on\s+(?P<date>%{date})']

[[rule.example]]
text = "The Board approved the Project by resolution adopted on January 20, 2026."
expect = { kind = "milestone", name = "Board approval", date = "2026-01-20" }

[[rule.counter_example]]
text = "The Board may approve the Project by a resolution at its next meeting."
"#;
    std::fs::write(rules.join("board.toml"), rule).unwrap();
    let other = run(&["extract", s(&dir.path().join("in")), "--cache", s(&dir.path().join("cache")), "--rules", s(&rules)]);
    assert!(other.stderr.contains("; 0 from cache"), "{}", other.stderr);
}

#[test]
fn cache_prune_bounds_the_folder() {
    let dir = two_contracts();
    extract_cached(dir.path(), &[]);
    let cache = dir.path().join("cache");
    let r = run(&["cache", "prune", "--cache", s(&cache), "--max-size", "0"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("removed 2 entries"), "{}", r.stdout);
    assert!(entries(&cache).is_empty());
    // A size bound on the run itself: the last entry written stays at most.
    let r = run(&["extract", s(&dir.path().join("in")), "--cache", s(&cache), "--cache-max-size", "1"]);
    assert!(r.stderr.contains("2 old entries pruned"), "{}", r.stderr);
    assert!(run(&["cache", "prune", "--cache", s(&dir.path().join("nope"))]).code == 2);
}

// ---- check ----

fn rec(kind: &str, name: &str, date: Option<&str>, page: u32, rule: &str) -> Value {
    json!({"kind": kind, "name": name, "date": date, "relative": null, "amount": null, "percent": null,
           "trigger": null, "page": page, "text": "", "rule": rule})
}

fn pay(percent: Option<f64>, amount: Option<&str>, page: u32) -> Value {
    let mut r = rec("payment", "Instalment", None, page, "pay");
    r["percent"] = json!(percent);
    r["amount"] = amount.map_or(Value::Null, |a| json!({"value": a, "currency": "USD"}));
    r
}

fn docv(path: &str, status: &str, records: Vec<Value>) -> Value {
    json!({"path": path, "sha256": "00", "status": status, "error": if status == "ok" { Value::Null } else { json!("a password is needed") },
           "pages": 3, "effective_date": null, "expiration_date": null, "records": records})
}

/// Documents worked out by hand: each one trips one kind of check.
fn portfolio(dir: &Path, with_failed: bool) -> PathBuf {
    let mut docs = vec![
        // 30 + 40 + 40 = 110%.
        docv("shares.pdf", "ok", vec![pay(Some(30.0), None, 2), pay(Some(40.0), None, 2), pay(Some(40.0), None, 3)]),
        // 40,000 + 50,000 against a price of 100,000: short by 10,000.
        {
            let mut d = docv("price.pdf", "ok", vec![pay(None, Some("40000.00"), 4), pay(None, Some("50000.00"), 4)]);
            d["contract_price"] = json!({"value": "100000.00", "currency": "USD"});
            d
        },
        // Design before Kick-off in one table; a manual without a date; both dated items before 2025-06-01.
        docv(
            "schedule.pdf",
            "ok",
            vec![
                rec("milestone", "Kick-off", Some("2025-03-01"), 2, "table"),
                rec("milestone", "Design", Some("2025-02-01"), 2, "table"),
                rec("deliverable", "Manual", None, 3, "sentence"),
                rec("deliverable", "Launch", Some("2025-09-01"), 3, "sentence"),
            ],
        ),
    ];
    if with_failed {
        docs.insert(0, docv("locked.pdf", "encrypted", vec![]));
    }
    let path = dir.join(if with_failed { "all.jsonl" } else { "clean.jsonl" });
    let text: Vec<String> = docs.iter().map(|d| d.to_string()).collect();
    std::fs::write(&path, text.join("\n") + "\n").unwrap();
    path
}

#[test]
fn every_check_fires_on_documents_made_for_it() {
    let dir = tempfile::tempdir().unwrap();
    let from = portfolio(dir.path(), true);
    let r = run(&["check", "--from", s(&from), "--as-of", "2025-06-01", "--format", "json"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let findings: Vec<Value> = serde_json::from_str(&r.stdout).unwrap();
    let got: Vec<(&str, &str, &str, Value)> = findings.iter().map(|f| (f["file"].as_str().unwrap(), f["check"].as_str().unwrap(), f["level"].as_str().unwrap(), f["page"].clone())).collect();
    assert_eq!(
        got,
        [
            ("locked.pdf", "document-not-ok", "error", Value::Null),
            ("shares.pdf", "payment-shares", "warning", json!(2)),
            ("price.pdf", "payments-vs-price", "warning", json!(4)),
            ("schedule.pdf", "undated-item", "note", json!(3)),
            ("schedule.pdf", "dates-out-of-order", "warning", json!(2)),
            ("schedule.pdf", "overdue", "warning", json!(2)),
            ("schedule.pdf", "overdue", "warning", json!(2)),
        ]
    );
    let messages: Vec<&str> = findings.iter().map(|f| f["message"].as_str().unwrap()).collect();
    assert_eq!(messages[1], "payment shares sum to 110%, more than 100%: 30% (p2) + 40% (p2) + 40% (p3)");
    assert_eq!(messages[2], "payments fall short of the contract price by USD 10,000.00: 2 payments total USD 90,000.00, the contract price is USD 100,000.00");
    assert_eq!(messages[4], "milestone \"Design\" is due 2025-02-01, before \"Kick-off\" (2025-03-01) listed above it (p2) in the same schedule");
    assert_eq!(messages[5], "milestone \"Kick-off\" was due 2025-03-01, 92 days before 2025-06-01");
    assert_eq!(messages[6], "milestone \"Design\" was due 2025-02-01, 120 days before 2025-06-01");
}

#[test]
fn exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let clean = portfolio(dir.path(), false);
    // Warnings and notes only: 0.
    let r = run(&["check", "--from", s(&clean), "--as-of", "2025-06-01"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.ends_with("3 documents checked: 0 errors, 5 warnings, 1 note\n"), "{}", r.stdout);
    // A check raised to error: 1. Through a config file too.
    assert_eq!(run(&["check", "--from", s(&clean), "--as-of", "2025-06-01", "--level", "overdue=error"]).code, 1);
    let config = dir.path().join("checks.toml");
    std::fs::write(&config, "as_of = \"2025-06-01\"\n[levels]\ndates-out-of-order = \"error\"\n").unwrap();
    assert_eq!(run(&["check", "--from", s(&clean), "--config", s(&config)]).code, 1);
    // ... and turned off again by a flag, with the rest off as well: clean, 0, and nothing printed but the count.
    let r = run(&[
        "check",
        "--from",
        s(&clean),
        "--config",
        s(&config),
        "--level",
        "dates-out-of-order=off",
        "--level",
        "overdue=off",
        "--level",
        "payment-shares=off",
        "--level",
        "payments-vs-price=off",
        "--level",
        "undated-item=off",
    ]);
    assert_eq!((r.code, r.stdout.as_str()), (0, "3 documents checked: 0 errors, 0 warnings, 0 notes\n"));
    // The as_of of the config: before every date, nothing is overdue.
    std::fs::write(&config, "as_of = \"2024-01-01\"\n").unwrap();
    let r = run(&["check", "--from", s(&clean), "--config", s(&config), "--format", "json"]);
    assert!(!r.stdout.contains("\"overdue\""), "{}", r.stdout);
    // Usage errors: 2, with a message naming the problem.
    for (args, says) in [
        (vec!["check", "--from", s(&clean), "--level", "nosuch=error"], "unknown check `nosuch`"),
        (vec!["check", "--from", s(&clean), "--level", "overdue=loud"], "unknown level `loud`"),
        (vec!["check", "--from", s(&clean), "--as-of", "June 1"], "--as-of June 1"),
        (vec!["check", "/no/such/folder"], "/no/such/folder"),
        (vec!["check", "--from", "/no/such/out.json"], "/no/such/out.json"),
        (vec!["check"], "required"),
    ] {
        let r = run(&args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains(says), "{args:?}: {}", r.stderr);
    }
    std::fs::write(&config, "[levels]\noverdue = 3\n").unwrap();
    let r = run(&["check", "--from", s(&clean), "--config", s(&config)]);
    assert!(r.code == 2 && r.stderr.contains("checks.toml"), "{}", r.stderr);
    // A document that is not ok fails at the default levels.
    let all = portfolio(dir.path(), true);
    assert_eq!(run(&["check", "--from", s(&all), "--as-of", "2025-06-01"]).code, 1);
}

#[test]
fn real_pdfs_checked_with_github_annotations() {
    // The construction fixture: a table of 13 instalments summing to the
    // Contract Sum of $1,850,000 (shares 100%), and a Winter Conditions
    // Allowance of $32,500 "in addition to the Contract Sum".
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let r = run_in(
        Some(root),
        &["check", "fixtures/pdf/construction-payment-schedule.lo.pdf", "fixtures/bad/encrypted-user-pw.pdf", "--as-of", "2020-01-01", "--level", "undated-item=off"],
        &[("GITHUB_ACTIONS", "true")],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(
        r.stdout,
        "::error file=fixtures/bad/encrypted-user-pw.pdf,line=1,title=contract-milestones document-not-ok::the document is `encrypted`: the PDF is encrypted with a user password (give it with --password or --password-file)\n\
         ::warning file=fixtures/pdf/construction-payment-schedule.lo.pdf,line=1,title=contract-milestones payments-vs-price::page 2: payments exceed the contract price by USD 32,500.00: 14 payments total USD 1,882,500.00, the contract price is USD 1,850,000.00\n"
    );
    assert!(r.stderr.contains("2 documents checked: 1 errors, 1 warnings, 0 notes"), "{}", r.stderr);
    // A folder argument: the annotation names the file under it.
    let r = run_in(Some(root), &["check", "fixtures/bad", "--level", "undated-item=off"], &[("GITHUB_ACTIONS", "true")]);
    assert!(r.stdout.lines().any(|l| l.starts_with("::error file=fixtures/bad/scanned.pdf,line=1,title=contract-milestones document-not-ok::the document is `no_text`")), "{}", r.stdout);
    // Without GITHUB_ACTIONS: the readable report.
    let r = run_in(Some(root), &["check", "fixtures/bad/encrypted-user-pw.pdf"], &[]);
    assert!(r.stdout.starts_with("fixtures/bad/encrypted-user-pw.pdf\n  error    document-not-ok     the document is `encrypted`"), "{}", r.stdout);
}

#[test]
fn sarif_is_valid_2_1_0() {
    let dir = tempfile::tempdir().unwrap();
    let from = portfolio(dir.path(), true);
    let out = dir.path().join("report.sarif");
    let r = run(&["check", "--from", s(&from), "--as-of", "2025-06-01", "--format", "sarif", "-o", s(&out), "--level", "undated-item=off"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    // sarifLog (§3.13): version and $schema.
    assert_eq!(v["version"], "2.1.0");
    assert!(v["$schema"].as_str().unwrap().contains("sarif-2.1.0"));
    let runs = v["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    // toolComponent (§3.19): a name and rules with unique ids.
    let driver = &runs[0]["tool"]["driver"];
    assert_eq!(driver["name"], "contract-milestones");
    let rules = driver["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["document-not-ok", "payment-shares", "payments-vs-price", "undated-item", "dates-out-of-order", "overdue", "opt-out-soon", "opt-out-passed"]);
    for r in rules {
        assert!(!r["shortDescription"]["text"].as_str().unwrap().is_empty());
        assert!(["none", "note", "warning", "error"].contains(&r["defaultConfiguration"]["level"].as_str().unwrap()));
    }
    assert_eq!(rules[3]["defaultConfiguration"], json!({"level": "none", "enabled": false}));
    // results (§3.27): one per finding, ruleId + ruleIndex agree, a level,
    // a message text, a physical location with an artifact URI and line 1.
    let results = runs[0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 6);
    for res in results {
        let id = res["ruleId"].as_str().unwrap();
        assert_eq!(ids[res["ruleIndex"].as_u64().unwrap() as usize], id);
        assert!(["note", "warning", "error"].contains(&res["level"].as_str().unwrap()));
        assert!(!res["message"]["text"].as_str().unwrap().is_empty());
        let loc = &res["locations"][0]["physicalLocation"];
        assert!(loc["artifactLocation"]["uri"].as_str().unwrap().ends_with(".pdf"));
        assert_eq!(loc["region"]["startLine"], 1);
    }
    assert_eq!(results[0]["ruleId"], "document-not-ok");
    assert_eq!(results[0]["level"], "error");
    assert_eq!(results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "locked.pdf");
    assert_eq!(results[1]["message"]["text"], "page 2: payment shares sum to 110%, more than 100%: 30% (p2) + 40% (p2) + 40% (p3)");
    assert_eq!(results[1]["properties"]["page"], 2);
    // Nothing but the report went to the file; no temporary file is left.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
}

// ---- summary ----

#[test]
fn summary_from_a_previous_run() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = docv(
        "a.pdf",
        "ok",
        vec![rec("milestone", "Kick-off", Some("2025-01-10"), 1, "t"), rec("deliverable", "Design", Some("2025-03-01"), 2, "t"), pay(None, Some("1000.00"), 2), pay(None, Some("500.50"), 2)],
    );
    a["records"][2]["date"] = json!("2025-01-15");
    a["records"][3]["date"] = json!("2025-02-15");
    let b = docv("b.pdf", "encrypted", vec![]);
    // JSON (extract's object form).
    let from = dir.path().join("out.json");
    std::fs::write(&from, json!({"schema": "contract-milestones/1", "documents": [a, b]}).to_string()).unwrap();
    let r = run(&["summary", "--from", s(&from), "--as-of", "2025-02-01", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let c = &v["contracts"][0];
    assert_eq!((c["milestones"].as_u64(), c["deliverables"].as_u64(), c["payments"].as_u64()), (Some(1), Some(1), Some(2)));
    assert_eq!(c["payment_totals"], json!([{"currency": "USD", "value": "1500.50"}]));
    assert_eq!(c["by_month"], json!([{"month": "2025-01", "currency": "USD", "value": "1000.00", "payments": 1}, {"month": "2025-02", "currency": "USD", "value": "500.50", "payments": 1}]));
    assert_eq!(c["next_due"]["name"], "Instalment");
    assert_eq!(c["next_due"]["date"], "2025-02-15");
    assert_eq!(c["overdue"][0]["name"], "Kick-off");
    assert_eq!(c["overdue"][0]["days"], -22);
    assert_eq!((v["documents"].as_u64(), v["not_ok"].as_u64(), v["overdue"].as_u64()), (Some(2), Some(1), Some(1)));
    // CSV: a header and one row per contract, readable by a CSV parser.
    let r = run(&["summary", "--from", s(&from), "--as-of", "2025-02-01", "--format", "csv"]);
    let mut rd = csv::Reader::from_reader(r.stdout.as_bytes());
    assert_eq!(&rd.headers().unwrap()[0], "path");
    let rows: Vec<csv::StringRecord> = rd.records().map(|x| x.unwrap()).collect();
    assert_eq!(rows.len(), 2);
    assert_eq!((&rows[0][5], &rows[0][7], &rows[0][10]), ("USD 1500.50", "2025-02-15", "1"));
    assert_eq!(&rows[1][1], "encrypted");
    // The table.
    let r = run(&["summary", "--from", s(&from), "--as-of", "2025-02-01"]);
    assert!(r.stdout.starts_with("Portfolio as of 2025-02-01: 2 contracts\n"), "{}", r.stdout);
    assert!(r.stdout.contains("\nPayments by month\n") && r.stdout.contains("\nOverdue\n"), "{}", r.stdout);
    // A broken JSON Lines file names the file and line.
    let bad = dir.path().join("bad.jsonl");
    std::fs::write(&bad, "{\"path\": \"x\"}\n").unwrap();
    let r = run(&["summary", "--from", s(&bad)]);
    assert!(r.code == 2 && r.stderr.contains("bad.jsonl:1"), "{}", r.stderr);
}

#[test]
fn summary_over_pdfs() {
    // The construction fixture, by hand: 13 table instalments in 2026 plus
    // the $32,500 allowance on December 1, 2026 = USD 1,882,500.00.
    let r = run(&["summary", s(&fixtures().join("pdf/construction-payment-schedule.lo.pdf")), "--format", "json", "--as-of", "2020-01-01", "--quiet"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["contracts"][0]["payments"], 14);
    assert_eq!(v["payment_totals"], json!([{"currency": "USD", "value": "1882500.00"}]));
    assert_eq!(v["contracts"][0]["contract_price"], json!({"currency": "USD", "value": "1850000.00"}));
    assert!(v["by_month"].as_array().unwrap().iter().any(|m| m["month"] == "2026-12" && m["value"] == "32500.00"), "{}", v["by_month"]);
}

#[test]
fn check_help_lists_every_check() {
    let r = run(&["check", "--help"]);
    for c in ["document-not-ok", "payment-shares", "payments-vs-price", "undated-item", "dates-out-of-order", "overdue"] {
        assert!(r.stdout.contains(c), "{c} missing from check --help");
    }
}
