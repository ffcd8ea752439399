//! `report`: the HTML page over the fixtures, its counts against the JSON it
//! came from, cash-flow sums worked out by hand from `fixtures/expected/`,
//! determinism, and the browser check (tests/browser/check.js: headless
//! Chromium, DOM counts, filters, keyboard, axe-core) when Chromium and the
//! test's node_modules are there.

mod common;

use std::path::Path;
use std::process::Command;

use common::{bin, fixtures, root, skip, Run};

const AS_OF: &str = "2026-06-01";

fn run(args: &[&str]) -> Run {
    Run::of(bin().args(args).output().expect("the binary runs"))
}

fn count(h: &str, needle: &str) -> usize {
    h.matches(needle).count()
}

/// extract the fixtures to JSON and report from it; (JSON, HTML).
fn fixtures_run(dir: &Path) -> (String, String) {
    let json = dir.join("run.json");
    let html = dir.join("report.html");
    let fx = fixtures();
    let e = run(&["extract", fx.to_str().unwrap(), "-q", "-o", json.to_str().unwrap()]);
    assert!(e.code == 0 || e.code == 1, "extract: {}", e.stderr);
    let r = run(&["report", "--from", json.to_str().unwrap(), "--as-of", AS_OF, "-o", html.to_str().unwrap()]);
    assert_eq!(r.code, 0, "report: {}", r.stderr);
    (std::fs::read_to_string(json).unwrap(), std::fs::read_to_string(html).unwrap())
}

#[test]
fn fixtures_report_counts_match_the_json() {
    let dir = tempfile::tempdir().unwrap();
    let (json, html) = fixtures_run(dir.path());
    let run: serde_json::Value = serde_json::from_str(&json).unwrap();
    let docs = run["documents"].as_array().unwrap();
    let ok: Vec<&serde_json::Value> = docs.iter().filter(|d| d["status"] == "ok").collect();
    let dated = |r: &&serde_json::Value| r["date"].as_str().is_some_and(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_ok());
    let marks: usize = ok.iter().map(|d| d["records"].as_array().unwrap().iter().filter(dated).count()).sum();
    let rows: usize = docs.iter().map(|d| d["records"].as_array().unwrap().len()).sum();
    assert!(ok.len() >= 19 && marks > 100 && rows > 200, "the fixtures give a real portfolio");
    assert_eq!(count(&html, "<g class=\"lane\""), ok.len());
    assert_eq!(count(&html, "<g class=\"mark "), marks);
    assert_eq!(count(&html, "<tr class=\"rec"), rows);
    assert_eq!(count(&html, "<tr class=\"fail\""), docs.len() - ok.len());
    assert_eq!(count(&html, "<article id=\"c"), ok.len());
    // Every failed document with its status and reason.
    for d in docs.iter().filter(|d| d["status"] != "ok") {
        let reason = d["error"].as_str().unwrap().replace('\'', "&#39;");
        assert!(html.contains(&reason), "reason of {} missing", d["path"]);
    }
}

#[test]
fn report_is_deterministic_and_from_pdfs_equals_from_json() {
    let dir = tempfile::tempdir().unwrap();
    let (_, from_json) = fixtures_run(dir.path());
    let direct = dir.path().join("direct.html");
    let fx = fixtures();
    let r = run(&["report", fx.to_str().unwrap(), "--as-of", AS_OF, "-q", "-o", direct.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(&direct).unwrap(), from_json, "same documents and day, same bytes");
    let again = run(&["report", "--from", dir.path().join("run.json").to_str().unwrap(), "--as-of", AS_OF]);
    assert_eq!(again.stdout, from_json, "without -o the page goes to stdout");
}

/// Cash flow worked out by hand from fixtures/expected/*.json (payments with
/// a date and an amount; the undated ones counted beside).
#[test]
fn cash_flow_matches_the_hand_checked_expected_files() {
    let pdf = |n: &str| fixtures().join("pdf").join(n).display().to_string();
    let r = run(&["report", &pdf("construction-payment-schedule.lo.pdf"), &pdf("research-two-column.lo.pdf"), &pdf("eu-software-de.lo.pdf"), "--as-of", AS_OF, "-q"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let h = &r.stdout;
    // construction: the Winter Conditions Allowance, USD 32,500, 2026-12-01.
    assert!(h.contains("aria-label=\"2026-12: USD 32,500.00, 1 payment\""), "{h}");
    // research: 40,000 on 2026-09-16, 80,000 on 2027-01-15 and on 2027-07-15.
    assert!(h.contains("aria-label=\"2026-09: USD 40,000.00, 1 payment\""));
    assert!(h.contains("aria-label=\"2027-01: USD 80,000.00, 1 payment\""));
    assert!(h.contains("aria-label=\"2027-07: USD 80,000.00, 1 payment\""));
    // eu-software-de: the licence fee, EUR 12,500, 2026-05-29; EUR never added to USD.
    assert!(h.contains("aria-label=\"2026-05: EUR 12,500.00, 1 payment\""));
    assert_eq!(count(h, "<rect class=\"bar\""), 5);
    // construction alone: 13 installments upon events (2 x 92,500 + 129,500 +
    // 6 x 148,000 + 2 x 185,000 + 166,500 + 111,000 = 1,850,000, 5% being
    // 92,500 of that Contract Sum) undated, the allowance dated.
    let c = run(&["report", &pdf("construction-payment-schedule.lo.pdf"), "--as-of", AS_OF, "-q"]);
    assert!(c.stdout.contains("<strong>Undated:</strong> 13 payments, USD 1,850,000.00"), "{}", c.stdout);
    assert!(c.stdout.contains("total USD 1,882,500.00"));
}

#[test]
fn help_explains_the_command() {
    let r = run(&["report", "--help"]);
    assert_eq!(r.code, 0);
    for s in ["--from", "--as-of", "--output", "timeline", "cash flow", "next 90 days", "without it"] {
        assert!(r.stdout.contains(s), "--help lacks {s}: {}", r.stdout);
    }
    let top = run(&["--help"]);
    assert!(top.stdout.contains("report"), "{}", top.stdout);
}

#[test]
fn bad_as_of_and_missing_path_are_usage_errors() {
    let r = run(&["report", "--from", "fixtures/due/run.json", "--as-of", "June 1"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    let r = run(&["report", "no/such/folder", "-o", "/dev/null"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    let r = run(&["report"]);
    assert_eq!(r.code, 2);
}

/// The page in headless Chromium: screenshot, DOM counts against the JSON,
/// filters, sorting, keyboard, no-JavaScript view and axe-core.
#[test]
fn report_in_a_real_browser() {
    const TEST: &str = "report browser test";
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if !Path::new(&chromium).exists() {
        return skip(TEST, &format!("no Chromium at {chromium} (apt-get install chromium, or set CHROMIUM)"));
    }
    let browser_dir = root().join("tests/browser");
    if !browser_dir.join("node_modules/puppeteer-core").exists() || !browser_dir.join("node_modules/axe-core").exists() {
        return skip(TEST, "tests/browser/node_modules is missing (run `npm ci` in tests/browser)");
    }
    if Command::new("node").arg("--version").output().is_err() {
        return skip(TEST, "node is not installed");
    }
    let dir = tempfile::tempdir().unwrap();
    fixtures_run(dir.path());
    // The screenshot lands in target/ so a CI run can keep it.
    let png = root().join("target/report-fixtures.png");
    let out = Command::new("node")
        .arg(browser_dir.join("check.js"))
        .args(["--html", dir.path().join("report.html").to_str().unwrap(), "--json", dir.path().join("run.json").to_str().unwrap(), "--png", png.to_str().unwrap()])
        .env("CHROMIUM", &chromium)
        .output()
        .expect("node runs");
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "browser check failed:\n{text}");
    assert!(text.contains("all browser checks passed"), "{text}");
    assert!(png.exists());
}
