//! Hostile inputs (fixtures/hostile, built by fixtures/hostile/make.py): each
//! ends with one document and a sensible status, no panic text, and the run
//! goes on. The memory side is bounded by the hostile-input check (see
//! src/precheck.rs) and the workers' --max-memory; time and peak memory per
//! file are measured in the README, not asserted here (no timed tests).

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

mod common;
use common::good_pdf;

fn hostile() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/hostile")
}

struct Run {
    code: i32,
    docs: Vec<Value>,
    stderr: String,
}

fn extract(extra: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_contract-milestones"));
    cmd.arg("extract").arg(hostile()).args(["--format", "jsonl", "--timeout", "120"]).args(extra);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("the binary runs");
    let stdout = String::from_utf8(out.stdout).expect("UTF-8 output");
    let docs = stdout.lines().map(|l| serde_json::from_str(l).expect("each line is a JSON object")).collect();
    Run { code: out.status.code().unwrap_or(-1), docs, stderr: String::from_utf8_lossy(&out.stderr).into_owned() }
}

fn status_of<'a>(docs: &'a [Value], name: &str) -> &'a str {
    let matching: Vec<&Value> = docs.iter().filter(|d| d["path"] == name).collect();
    assert_eq!(matching.len(), 1, "{name} must appear exactly once: {docs:#?}");
    matching[0]["status"].as_str().unwrap()
}

fn error_of<'a>(docs: &'a [Value], name: &str) -> &'a str {
    docs.iter().find(|d| d["path"] == name).and_then(|d| d["error"].as_str()).unwrap_or("")
}

const FILES: [&str; 9] = ["bomb.pdf", "colour-bomb.pdf", "cycles.pdf", "engine-panic.pdf", "million-pages.pdf", "nested-arrays.pdf", "nested-dicts.pdf", "nested-unused.pdf", "objstm-loop.pdf"];

fn common_checks(r: &Run) {
    let paths: Vec<&str> = r.docs.iter().map(|d| d["path"].as_str().unwrap()).collect();
    assert_eq!(paths, FILES, "one document per file, in order");
    for d in &r.docs {
        if d["status"] != "ok" {
            assert!(d["error"].as_str().is_some_and(|e| e.len() > 10), "no reason: {d}");
        }
        // The one crash allowed is a reader's stack overflowing on nesting
        // the check saw, in a worker, and then the reason must say so.
        let error = d["error"].as_str().unwrap_or("");
        assert!(!error.contains("crashed the worker") || error.contains("nested more than"), "{}: the engine crashed without a reason: {error}", d["path"]);
    }
    assert!(!r.stderr.contains("panicked") && !r.stderr.contains("overflow"), "{}", r.stderr);
    assert_eq!(r.code, 1, "hostile files are not ok: {}", r.stderr);
}

#[test]
fn hostile_files_end_with_a_status() {
    let r = extract(&[], &[]);
    common_checks(&r);
    let docs = &r.docs;
    // The bomb is refused before any engine inflates it.
    assert_eq!(status_of(docs, "bomb.pdf"), "too_large");
    assert!(error_of(docs, "bomb.pdf").contains("--max-memory"), "{}", error_of(docs, "bomb.pdf"));
    // Nesting 50,000 deep where a reader meets it: the reader overflows its
    // stack in the worker, and the reason names the nesting.
    for f in ["nested-arrays.pdf", "nested-dicts.pdf"] {
        assert_eq!(status_of(docs, f), "unreadable");
        assert!(error_of(docs, f).contains("nested more than"), "{}", error_of(docs, f));
    }
    // The same nesting in an object nothing refers to is never parsed: the
    // page is read (the guard does not refuse a file the engines can read).
    assert_eq!(status_of(docs, "nested-unused.pdf"), "ok", "{}", error_of(docs, "nested-unused.pdf"));
    // A predictor row of 512 MiB is declared, not allocated: the page's
    // stream decodes to nothing (peak memory: README, "Robustness").
    assert_eq!(status_of(docs, "colour-bomb.pdf"), "no_text", "{}", error_of(docs, "colour-bomb.pdf"));
    // pdf-extract panics on its colour space; pdf_oxide reads it.
    assert_eq!(status_of(docs, "engine-panic.pdf"), "ok", "{}", error_of(docs, "engine-panic.pdf"));
    // The page tree claims a million pages: over --max-pages.
    assert_eq!(status_of(docs, "million-pages.pdf"), "too_large");
    assert!(error_of(docs, "million-pages.pdf").contains("1000000 pages"));
    // Cycles: the page's content is a reference loop, so there is no text;
    // the engines survive the loops and report what is left.
    for f in ["cycles.pdf", "objstm-loop.pdf"] {
        assert!(["no_text", "unreadable"].contains(&status_of(docs, f)), "{f}: {}", status_of(docs, f));
    }
}

#[test]
fn hostile_files_with_the_other_engine_and_in_process() {
    // pdf-extract first, without fallback; and in this process, where a stack
    // overflow or a runaway allocation would take the whole run down.
    for extra in [&["--engine", "pdf-extract", "--no-fallback"][..], &["--in-process"][..]] {
        let r = extract(extra, &[]);
        common_checks(&r);
        assert_eq!(status_of(&r.docs, "bomb.pdf"), "too_large", "{extra:?}");
        assert_eq!(status_of(&r.docs, "nested-dicts.pdf"), "unreadable", "{extra:?}");
    }
    // The engine's panic is one sentence; its text is the detail, kept out of `error`.
    let r = extract(&["--engine", "pdf-extract", "--no-fallback"], &[]);
    let panicked = r.docs.iter().find(|d| d["path"] == "engine-panic.pdf").expect("engine-panic.pdf");
    assert_eq!(panicked["status"], "unreadable");
    assert_eq!(panicked["error"], "pdf-extract stopped on an internal error while reading this file");
    assert!(panicked["error_detail"].as_str().is_some_and(|d| d.contains("color_space")), "{panicked}");
    assert!(!r.stderr.contains("color_space"), "detail on stderr only with --verbose: {}", r.stderr);
    // In this process a stack overflow would end the run: deep nesting is
    // refused there even where nothing would parse it.
    let r = extract(&["--in-process"], &[]);
    assert_eq!(status_of(&r.docs, "nested-unused.pdf"), "unreadable");
    assert!(error_of(&r.docs, "nested-unused.pdf").contains("nested more than"), "{}", error_of(&r.docs, "nested-unused.pdf"));
}

#[test]
fn a_smaller_memory_limit_lowers_the_bomb_limit() {
    let r = extract(&["--max-memory", "1G"], &[]);
    common_checks(&r);
    // A quarter of 1 GiB per stream.
    assert!(error_of(&r.docs, "bomb.pdf").contains("more than 268435456 bytes"), "{}", error_of(&r.docs, "bomb.pdf"));
}

fn extract_one(extra: &[&str], env: &[(&str, &str)]) -> (i32, Value, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_contract-milestones"));
    cmd.arg("extract").arg(good_pdf()).args(["--format", "jsonl", "--quiet"]).args(extra);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    let doc = serde_json::from_slice(out.stdout.split(|b| *b == b'\n').next().unwrap()).unwrap();
    (out.status.code().unwrap_or(-1), doc, String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn max_pages_ends_a_document() {
    // The fixture has 3 pages.
    let (code, doc, _) = extract_one(&["--max-pages", "2"], &[]);
    assert_eq!(code, 1);
    assert_eq!(doc["status"], "too_large");
    assert!(doc["error"].as_str().unwrap().contains("3 pages, more than the limit of 2 (--max-pages)"), "{doc}");
    let (code, doc, _) = extract_one(&["--max-pages", "3"], &[]);
    assert_eq!((code, doc["status"].as_str()), (0, Some("ok")));
}

#[test]
fn max_memory_bounds_a_worker() {
    // The fault hook makes the worker allocate 1 GiB before the document:
    // under a 768 MiB limit that allocation fails and the worker dies; the
    // document says so and the run goes on. Without the limit it is ok.
    let fault = [("CONTRACT_MILESTONES_FAULT", "alloc:sow-implementation")];
    let (code, doc, stderr) = extract_one(&["--max-memory", "768M"], &fault);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(doc["status"], "unreadable");
    assert!(doc["error"].as_str().unwrap().contains("--max-memory"), "{doc}");
    assert!(!stderr.contains("panicked") && !stderr.contains("memory allocation"), "{stderr}");
    let (code, doc, _) = extract_one(&["--max-memory", "4G"], &fault);
    assert_eq!((code, doc["status"].as_str()), (0, Some("ok")));
}

#[test]
fn explain_goes_through_the_same_guards() {
    // Before, `explain` read the file in its own process with no guard: the
    // bomb took it past 2 GiB. Now each hostile file is one line on stderr
    // with the status extract gives it, and nothing is explained.
    for (file, status) in [("bomb.pdf", "too_large"), ("million-pages.pdf", "too_large"), ("nested-arrays.pdf", "unreadable"), ("nested-dicts.pdf", "unreadable")] {
        let path = hostile().join(file);
        let out = Command::new(env!("CARGO_BIN_EXE_contract-milestones")).arg("explain").arg(&path).output().expect("the binary runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{file}: {stderr}");
        assert!(out.stdout.is_empty(), "{file}: {}", String::from_utf8_lossy(&out.stdout));
        assert_eq!(stderr.lines().count(), 1, "{file}: {stderr}");
        assert!(stderr.starts_with(&format!("{}: {status}: ", path.display())), "{file}: {stderr}");
        assert!(!stderr.contains("panicked"), "{file}: {stderr}");
    }
}

#[test]
fn an_engine_panic_is_one_line_and_verbose_tells_the_detail() {
    let path = hostile().join("engine-panic.pdf");
    let explain = |extra: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_contract-milestones")).arg("explain").arg(&path).args(["--engine", "pdf-extract", "--no-fallback"]).args(extra).output().expect("the binary runs");
        (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
    };
    let (code, stderr) = explain(&[]);
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(stderr, format!("{}: unreadable: pdf-extract stopped on an internal error while reading this file\n", path.display()));
    // --verbose adds the library's own words, still without a backtrace or
    // the paths of the machine that built it.
    let (code, stderr) = explain(&["--verbose"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(stderr.lines().count(), 2, "{stderr}");
    assert!(stderr.lines().next().is_some_and(|l| l.contains("unreadable: color_space")), "{stderr}");
    for leak in ["panicked", "RUST_BACKTRACE", ".cargo/registry", "/rustc/"] {
        assert!(!stderr.contains(leak), "{leak}: {stderr}");
    }
    // extract --verbose: the detail on stderr, the output unchanged.
    let out =
        Command::new(env!("CARGO_BIN_EXE_contract-milestones")).arg("extract").arg(&path).args(["-q", "--engine", "pdf-extract", "--no-fallback", "--verbose"]).output().expect("the binary runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("engine-panic.pdf: unreadable: color_space"), "{stderr}");
    let doc: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(doc["documents"][0]["error"], "pdf-extract stopped on an internal error while reading this file");
}
