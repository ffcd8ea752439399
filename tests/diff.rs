//! `diff` end to end: the hand-worked run pair of `fixtures/diff/` in every
//! format, the exit codes, and a contract against its amended restatement
//! (`fixtures/plain/services*.pdf`) through real extractions. No ../shared.

use std::path::Path;

use serde_json::Value;

mod common;
use common::{bin, fixtures, Run};

fn run(args: &[&str]) -> Run {
    let mut cmd = bin();
    cmd.args(args).env_remove("GITHUB_ACTIONS");
    common::run_env(cmd, &[])
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn pair() -> (String, String) {
    (s(&fixtures().join("diff/old.json")).to_string(), s(&fixtures().join("diff/new.jsonl")).to_string())
}

fn json(r: &Run) -> Value {
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}", r.stdout))
}

/// The values of `fixtures/diff/` worked out by hand (fixtures/README.md).
#[test]
fn the_hand_worked_pair_as_json() {
    let (old, new) = pair();
    let r = run(&["diff", &old, &new, "--format", "json"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v = json(&r);
    assert_eq!(v["counts"], serde_json::json!({"old": 4, "new": 4, "added": 1, "removed": 1, "changed": 2, "unchanged": 1, "regressions": 4}));
    assert_eq!(v["regressed"], true);
    let paths: Vec<(&str, &str)> = v["documents"].as_array().unwrap().iter().map(|d| (d["path"].as_str().unwrap(), d["change"].as_str().unwrap())).collect();
    assert_eq!(paths, [("alpha.pdf", "changed"), ("beta.pdf", "changed"), ("delta.pdf", "removed"), ("epsilon.pdf", "added")]);
    let alpha = &v["documents"][0];
    assert_eq!(alpha["content_changed"], true);
    assert_eq!(alpha["unchanged_records"], 2);
    let go_live = &alpha["records"][0];
    assert_eq!((go_live["new"]["name"].as_str(), go_live["matched_by"].as_str(), go_live["regression"].as_bool()), (Some("Go-Live"), Some("name"), Some(true)));
    assert_eq!(go_live["changes"][0], serde_json::json!({"field": "date", "old": "2026-06-01", "new": "2026-07-16", "days": 45, "regression": true}));
    let renamed = &alpha["records"][1];
    assert_eq!((renamed["matched_by"].as_str(), renamed["old"]["name"].as_str(), renamed["new"]["name"].as_str()), (Some("evidence"), Some("Data migration"), Some("Migration of legacy records")));
    let beta = &v["documents"][1];
    assert_eq!((beta["old_status"].as_str(), beta["new_status"].as_str(), beta["regressions"].as_u64()), (Some("ok"), Some("unreadable"), Some(1)));
    // Deterministic: the same bytes twice.
    assert_eq!(run(&["diff", &old, &new, "--format", "json"]).stdout, r.stdout);
}

#[test]
fn every_format_of_the_hand_worked_pair() {
    let (old, new) = pair();
    let t = run(&["diff", &old, &new]);
    assert_eq!(t.code, 1);
    assert!(t.stdout.starts_with("contract-milestones diff: 2 documents changed, 1 added, 1 removed, 1 unchanged; 4 regressions (tolerance 0 days)"), "{}", t.stdout);
    assert!(t.stdout.contains("alpha.pdf  [file changed]  REGRESSED\n  Go-Live moved 45 days later; Final report moved 5 days earlier;"), "{}", t.stdout);
    assert!(t.stdout.contains("  ! deliverable  \"Training plan\" p.2: removed (2026-04-10)\n"), "{}", t.stdout);
    let m = run(&["diff", &old, &new, "--format", "markdown"]);
    assert_eq!(m.code, 1);
    assert!(m.stdout.starts_with("### Contract schedule changes\n\n2 contracts changed, 1 added, 1 removed, 1 unchanged · **4 regressions**"), "{}", m.stdout);
    assert!(m.stdout.contains("| ❌ | `beta.pdf` | stopped parsing: now `unreadable` |\n"), "{}", m.stdout);
    assert!(m.stdout.contains("|  | milestone | Migration of legacy records | renamed from \"Data migration\" | evidence | 1 |\n"), "{}", m.stdout);
    let g = run(&["diff", &old, &new, "--format", "github"]);
    assert_eq!(g.code, 1);
    assert_eq!(g.stdout.lines().count(), 10, "{}", g.stdout);
    assert_eq!(g.stdout.lines().filter(|l| l.starts_with("::error file=")).count(), 4, "{}", g.stdout);
    assert!(g.stdout.contains("::warning file=delta.pdf,line=1,title=contract-milestones diff document-removed::removed (had one record)\n"), "{}", g.stdout);
    assert!(g.stderr.contains("4 regressions"), "{}", g.stderr);
}

#[test]
fn exit_codes() {
    let (old, new) = pair();
    // Within a 45-day tolerance the Go-Live move is no regression; the rest still are.
    let r = run(&["diff", &old, &new, "--format", "json", "--tolerance", "45d"]);
    assert_eq!((r.code, json(&r)["counts"]["regressions"].as_u64()), (1, Some(3)));
    // A run against itself.
    let r = run(&["diff", &new, &new]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with("contract-milestones diff: 0 documents changed, 0 added, 0 removed, 4 unchanged; no regression"), "{}", r.stdout);
    // Only a new contract and a removed one: changes, no regression (exit 0).
    let dir = tempfile::tempdir().unwrap();
    let lines: Vec<&str> = std::fs::read_to_string(&new).unwrap().leak().lines().collect();
    let (a, b) = (dir.path().join("a.jsonl"), dir.path().join("b.jsonl"));
    std::fs::write(&a, format!("{}\n{}\n", lines[0], lines[3])).unwrap();
    std::fs::write(&b, format!("{}\n{}\n", lines[2], lines[3])).unwrap();
    let r = run(&["diff", s(&a), s(&b), "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert_eq!(json(&r)["counts"], serde_json::json!({"old": 2, "new": 2, "added": 1, "removed": 1, "changed": 0, "unchanged": 1, "regressions": 0}));
    // Standard input for one side.
    let mut cmd = bin();
    cmd.args(["diff", "-", &new, "--format", "json"]).stdin(std::fs::File::open(&old).unwrap());
    let r = common::run_env(cmd, &[]);
    assert_eq!((r.code, json(&r)["counts"]["regressions"].as_u64()), (1, Some(4)));
    // Usage errors: 2.
    let not_a_run = s(&fixtures().join("README.md")).to_string();
    for args in [
        vec!["diff", &old],
        vec!["diff", &old, "/no/such/run.json"],
        vec!["diff", &old, &not_a_run],
        vec!["diff", &old, &new, "--tolerance", "soon"],
        vec!["diff", &old, &new, "--format", "html"],
        vec!["diff", "-", "-"],
    ] {
        let r = run(&args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(r.stdout.is_empty(), "{args:?}: {}", r.stdout);
    }
    assert!(run(&["diff", &old, &not_a_run]).stderr.contains("README.md:1: not a document object"));
}

#[test]
fn help_explains_matching_regressions_and_exit_codes() {
    let r = run(&["diff", "--help"]);
    assert_eq!(r.code, 0);
    for needle in ["--tolerance", "--format", "matched", "A regression is", "Exit codes:", "0  nothing regressed", "1  something regressed", "130"] {
        assert!(r.stdout.contains(needle), "{needle}: {}", r.stdout);
    }
}

/// `fixtures/plain/services.pdf` against its amended restatement, both
/// extracted by the binary. By hand, from the two texts: the pilot moves
/// from 2026-06-26 to 2026-08-07 (4 days left in June + 31 in July + 7 =
/// 42 days later); the design fee goes from $18,000 to $21,500; a staff
/// training milestone on 2026-08-24 is added; the other five records (two
/// fees, the workshop, the prototype, the rollout) are unchanged.
#[test]
fn a_contract_against_its_amendment() {
    let dir = tempfile::tempdir().unwrap();
    for (side, file) in [("old", "services.pdf"), ("new", "services-amended.pdf")] {
        std::fs::create_dir(dir.path().join(side)).unwrap();
        std::fs::copy(fixtures().join("plain").join(file), dir.path().join(side).join("services.pdf")).unwrap();
    }
    let (old, new, cache) = (dir.path().join("old"), dir.path().join("new"), dir.path().join("cache"));
    let check = |r: &Run, regressions: u64| {
        let v = json(r);
        assert_eq!(v["counts"], serde_json::json!({"old": 1, "new": 1, "added": 0, "removed": 0, "changed": 1, "unchanged": 0, "regressions": regressions}), "{}", r.stdout);
        let d = &v["documents"][0];
        assert_eq!((d["path"].as_str(), d["content_changed"].as_bool(), d["unchanged_records"].as_u64()), (Some("services.pdf"), Some(true), Some(5)));
        assert_eq!(d["fields"], serde_json::json!([]));
        let rows: Vec<(String, String, String, String)> = d["records"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                let c = &r["changes"][0];
                let what = if c.is_null() {
                    r["new"]["date"].as_str().unwrap().to_string()
                } else {
                    format!("{} {} -> {}", c["field"].as_str().unwrap(), c["old"].as_str().unwrap(), c["new"].as_str().unwrap())
                };
                (r["change"].as_str().unwrap().into(), r["kind"].as_str().unwrap().into(), r["matched_by"].as_str().unwrap_or("-").into(), what)
            })
            .collect();
        let want =
            [("changed", "payment", "name", "amount USD 18,000.00 -> USD 21,500.00"), ("changed", "milestone", "name", "date 2026-06-26 -> 2026-08-07"), ("added", "milestone", "-", "2026-08-24")];
        let want: Vec<(String, String, String, String)> = want.iter().map(|(a, b, c, d)| (a.to_string(), b.to_string(), c.to_string(), d.to_string())).collect();
        assert_eq!(rows, want);
        assert_eq!(d["records"][1]["changes"][0]["days"], 42);
    };
    // Folders, extracted on the fly through the cache; then again from it.
    for _ in 0..2 {
        let r = run(&["diff", s(&old), s(&new), "--format", "json", "--cache", s(&cache), "--jobs", "1"]);
        assert_eq!(r.code, 1, "{}", r.stderr);
        check(&r, 2);
    }
    assert!(run(&["diff", s(&old), s(&new), "--cache", s(&cache), "--format", "json"]).stderr.contains("2 from cache"));
    // Saved runs, JSON and JSON Lines, give the same diff; a tolerance of 42
    // days leaves the amount as the one regression.
    let (a, b) = (dir.path().join("a.json"), dir.path().join("b.jsonl"));
    assert_eq!(run(&["extract", "--quiet", s(&old), "-o", s(&a)]).code, 0);
    assert_eq!(run(&["extract", "--quiet", "--format", "jsonl", s(&new), "-o", s(&b)]).code, 0);
    let r = run(&["diff", s(&a), s(&b), "--format", "json", "--tolerance", "42d"]);
    assert_eq!(r.code, 1);
    check(&r, 1);
    // Two PDFs given directly are one contract, whatever their names.
    let (o, n) = (fixtures().join("plain/services.pdf"), fixtures().join("plain/services-amended.pdf"));
    let r = run(&["diff", s(&o), s(&n), "--format", "json", "--jobs", "1"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v = json(&r);
    assert_eq!((v["counts"]["changed"].as_u64(), v["counts"]["regressions"].as_u64()), (Some(1), Some(2)));
    assert_eq!(v["documents"][0]["path"].as_str(), Some(s(&o)));
    // Annotations point at the new folder's file.
    let g = run(&["diff", s(&old), s(&new), "--format", "github", "--cache", s(&cache)]);
    let file = s(&new.join("services.pdf")).replace(':', "%3A").replace(',', "%2C");
    assert!(
        g.stdout.contains(&format!(
            "::error file={file},line=1,title=contract-milestones diff record-changed::page 1: milestone \"Completion of pilot\": date 2026-06-26 → 2026-08-07 (42 days later) [matched by name]\n"
        )),
        "{}",
        g.stdout
    );
}
