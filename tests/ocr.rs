//! Scanned pages: `pages_without_text` lists them; `--ocr` reads them with
//! pdftoppm + tesseract when both are on the PATH (when not, the test says
//! SKIPPED in the test output); without them `--ocr` is a usage error naming what is missing.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

mod common;
use common::fixtures;

fn extract(file: &Path, extra: &[&str], path_env: Option<&str>) -> (i32, Value, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_contract-milestones"));
    cmd.arg("extract").arg(file).args(["--format", "jsonl", "--quiet", "--timeout", "600"]).args(extra);
    if let Some(p) = path_env {
        cmd.env("PATH", p);
    }
    let out = cmd.output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let doc = stdout.lines().next().map_or(Value::Null, |l| serde_json::from_str(l).unwrap());
    (out.status.code().unwrap_or(-1), doc, String::from_utf8_lossy(&out.stderr).into_owned())
}

fn tools_present(test: &str) -> bool {
    let found = ["pdftoppm", "tesseract"].iter().all(|t| Command::new(t).arg("-v").output().is_ok());
    if !found {
        common::skip(test, "pdftoppm or tesseract is not on the PATH (apt-get install tesseract-ocr poppler-utils)");
    }
    found
}

#[test]
fn scanned_pages_are_listed() {
    // mixed.pdf: three text pages, then a scanned one (fixtures/render.sh).
    let (code, doc, _) = extract(&fixtures().join("scan/mixed.pdf"), &[], None);
    assert_eq!(code, 0);
    assert_eq!(doc["status"], "ok");
    assert_eq!(doc["pages"], 4);
    assert_eq!(doc["pages_without_text"], serde_json::json!([4]));
    assert!(doc.get("ocr_pages").is_none());
    // Wholly scanned: no_text, with a hint.
    let (code, doc, _) = extract(&fixtures().join("bad/scanned.pdf"), &[], None);
    assert_eq!(code, 1);
    assert_eq!(doc["status"], "no_text");
    assert!(doc["error"].as_str().unwrap().contains("--ocr"));
}

#[test]
fn ocr_reads_scanned_pages() {
    if !tools_present("ocr::ocr_reads_scanned_pages") {
        return;
    }
    let (code, doc, stderr) = extract(&fixtures().join("bad/scanned.pdf"), &["--ocr"], None);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(doc["status"], "ok", "{doc}");
    assert_eq!(doc["pages_without_text"], serde_json::json!([1]), "the page still has no text layer");
    assert_eq!(doc["ocr_pages"], serde_json::json!([1]));
    // The page says "signed on February 27, 2026 and takes effect on March 2, 2026".
    let eff = doc["effective_date"].as_str().unwrap_or("");
    assert!(["2026-03-02", "2026-02-27"].contains(&eff), "{doc}");

    let (_, doc, _) = extract(&fixtures().join("scan/mixed.pdf"), &["--ocr"], None);
    assert_eq!(doc["ocr_pages"], serde_json::json!([4]));
    assert_eq!(doc["status"], "ok");
}

#[cfg(unix)]
#[test]
fn ocr_without_the_tools_is_a_usage_error() {
    let empty = tempfile::tempdir().unwrap();
    let (code, doc, stderr) = extract(&fixtures().join("bad/scanned.pdf"), &["--ocr"], Some(empty.path().to_str().unwrap()));
    assert_eq!(code, 2);
    assert!(doc.is_null(), "no output when the options are unusable");
    assert!(stderr.contains("--ocr needs") && stderr.contains("tesseract") && stderr.contains("pdftoppm"), "{stderr}");
}
