//! CLI tests: walking, every failure status, formats, exit codes, determinism.
//! They run the real binary over the project's own fixtures (no ../shared).

use serde_json::Value;

mod common;
use common::{bin, fixtures, good_pdf, Run};

fn run(args: &[&str]) -> Run {
    run_env(args, &[])
}

fn run_env(args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = bin();
    cmd.args(args);
    common::run_env(cmd, env)
}

fn documents(json: &str) -> Vec<Value> {
    let v: Value = serde_json::from_str(json).expect("stdout is JSON");
    assert!(v["schema"].is_string());
    v["documents"].as_array().expect("documents array").clone()
}

fn by_path<'a>(docs: &'a [Value], path: &str) -> &'a Value {
    docs.iter().find(|d| d["path"] == path).unwrap_or_else(|| panic!("no document {path} in {docs:#?}"))
}

/// A folder with nested PDFs, an upper-case .PDF, non-PDF files and an
/// unreadable entry.
fn tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir_all(d.join("a/b")).unwrap();
    std::fs::copy(good_pdf(), d.join("a/b/nested.pdf")).unwrap();
    std::fs::copy(good_pdf(), d.join("TOP.PDF")).unwrap();
    std::fs::write(d.join("notes.txt"), "not a document").unwrap();
    std::fs::write(d.join("a/readme.md"), "# nothing").unwrap();
    // A dangling link named like a PDF: it must yield a document, not vanish.
    #[cfg(unix)]
    std::os::unix::fs::symlink(d.join("gone.pdf"), d.join("a/dangling.pdf")).unwrap();
    dir
}

#[test]
fn walks_nested_folders_and_upper_case_and_ignores_other_files() {
    let dir = tree();
    let r = run(&["extract", dir.path().to_str().unwrap(), "--quiet"]);
    let docs = documents(&r.stdout);
    let paths: Vec<&str> = docs.iter().map(|d| d["path"].as_str().unwrap()).collect();
    assert_eq!(paths, ["TOP.PDF", "a/b/nested.pdf", "a/dangling.pdf"]);
    assert_eq!(by_path(&docs, "TOP.PDF")["status"], "ok");
    let dangling = by_path(&docs, "a/dangling.pdf");
    assert_eq!(dangling["status"], "unreadable");
    assert!(dangling["error"].as_str().unwrap().len() > 5);
    assert_eq!(r.code, 1, "one unreadable document means exit 1: {}", r.stderr);
}

#[test]
fn every_failure_status_has_a_reason() {
    let bad = fixtures().join("bad");
    let r = run(&["extract", bad.to_str().unwrap(), "--quiet", "--password", "wrong"]);
    let docs = documents(&r.stdout);
    let expect = [
        ("empty.pdf", "unreadable"),
        ("not-a-pdf.pdf", "unreadable"),
        ("truncated.pdf", "unreadable"),
        ("no-eof-marker.pdf", "ok"),
        ("trailing-data.pdf", "ok"),
        ("no-header.pdf", "ok"),
        ("scanned.pdf", "no_text"),
        ("encrypted-user-pw.pdf", "encrypted"),
        ("owner-only-pw.pdf", "ok"),
        ("UPPER.PDF", "ok"),
    ];
    for (path, status) in expect {
        let d = by_path(&docs, path);
        assert_eq!(d["status"], status, "{path}: {d}");
        if status != "ok" {
            assert!(d["error"].as_str().is_some_and(|e| !e.is_empty()), "{path} has no error");
        } else {
            assert!(d["error"].is_null());
        }
        // Every document has the hash of its bytes, the empty file included.
        assert_eq!(d["sha256"].as_str().map(str::len), Some(64), "{path}");
    }
    assert_eq!(docs.len(), expect.len());
    assert_eq!(r.code, 1);
    // Without its %%EOF marker: read from its trailer and warned about; cut
    // off inside its objects: unreadable, saying so. Appended data or a lost
    // header are no defect to report.
    let warned = |p: &str| by_path(&docs, p).get("warnings").and_then(Value::as_array).map_or(0, Vec::len);
    assert_eq!(warned("no-eof-marker.pdf"), 1);
    assert!(by_path(&docs, "no-eof-marker.pdf")["records"].as_array().is_some_and(|r| !r.is_empty()));
    assert!(by_path(&docs, "truncated.pdf")["error"].as_str().unwrap().contains("truncated"));
    assert_eq!(warned("trailing-data.pdf") + warned("no-header.pdf") + warned("UPPER.PDF"), 0);
}

#[test]
fn password_opens_a_protected_file() {
    let f = fixtures().join("bad/encrypted-user-pw.pdf");
    let r = run(&["extract", f.to_str().unwrap(), "--quiet", "--password", "fixture-user"]);
    let docs = documents(&r.stdout);
    assert_eq!(docs[0]["status"], "ok", "{}", docs[0]);
    assert_eq!(r.code, 0);
    let pw = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(pw.path(), "fixture-user\n").unwrap();
    let r = run(&["extract", f.to_str().unwrap(), "--quiet", "--password-file", pw.path().to_str().unwrap()]);
    assert_eq!(documents(&r.stdout)[0]["status"], "ok");
}

#[test]
fn too_large_and_timeout_end_a_document_not_the_run() {
    let dir = tree();
    let r = run(&["extract", dir.path().to_str().unwrap(), "--quiet", "--max-file-size", "1K"]);
    let docs = documents(&r.stdout);
    assert_eq!(by_path(&docs, "TOP.PDF")["status"], "too_large");
    assert!(by_path(&docs, "TOP.PDF")["error"].as_str().unwrap().contains("--max-file-size"));

    // The fault hook makes the worker hang on this one file.
    let r = run_env(&["extract", dir.path().to_str().unwrap(), "--quiet", "--timeout", "5"], &[("CONTRACT_MILESTONES_FAULT", "hang:nested")]);
    let docs = documents(&r.stdout);
    let hung = by_path(&docs, "a/b/nested.pdf");
    assert_eq!(hung["status"], "timeout");
    assert!(hung["error"].as_str().unwrap().contains("--timeout"));
    assert_eq!(by_path(&docs, "TOP.PDF")["status"], "ok", "the next document still runs");
    assert_eq!(r.code, 1);
}

#[test]
fn a_crashing_worker_fails_one_document_quietly() {
    let dir = tree();
    let r = run_env(&["extract", dir.path().to_str().unwrap()], &[("CONTRACT_MILESTONES_FAULT", "crash:TOP")]);
    let docs = documents(&r.stdout);
    assert_eq!(by_path(&docs, "TOP.PDF")["status"], "unreadable");
    assert_eq!(by_path(&docs, "a/b/nested.pdf")["status"], "ok");
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
}

#[test]
fn jsonl_has_one_object_per_line_and_summary_goes_to_stderr() {
    let dir = tree();
    let r = run(&["extract", dir.path().to_str().unwrap(), "--format", "jsonl"]);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines.len(), 3);
    for l in lines {
        let v: Value = serde_json::from_str(l).unwrap();
        assert!(v["path"].is_string() && v["status"].is_string() && v["records"].is_array());
    }
    let last = r.stderr.lines().last().unwrap_or("");
    assert!(last.contains("3 documents") && last.contains("1 unreadable"), "summary: {last}");
}

#[test]
fn output_file_is_written_whole() {
    let dir = tree();
    let out = dir.path().join("out.json");
    let r = run(&["extract", dir.path().join("a").to_str().unwrap(), "-o", out.to_str().unwrap(), "--quiet"]);
    assert!(r.stdout.is_empty());
    let docs = documents(&std::fs::read_to_string(&out).unwrap());
    assert_eq!(docs.len(), 2);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().filter_map(|e| e.ok()).filter(|e| e.file_name().to_string_lossy().ends_with(".partial")).collect();
    assert!(leftovers.is_empty());
}

#[test]
fn output_in_a_missing_folder_is_a_clear_error() {
    let r = run(&["extract", good_pdf().to_str().unwrap(), "-o", "/no/such/folder/out.json"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("/no/such/folder"), "{}", r.stderr);
}

#[test]
fn exit_codes() {
    let ok = run(&["extract", good_pdf().to_str().unwrap(), "--quiet"]);
    assert_eq!(ok.code, 0, "{}", ok.stderr);
    let missing = run(&["extract", "/no/such/file.pdf"]);
    assert_eq!(missing.code, 2);
    assert!(missing.stderr.contains("/no/such/file.pdf"));
    let usage = run(&["extract", "--format", "xml", "x"]);
    assert_eq!(usage.code, 2);
    let help = run(&["extract", "--help"]);
    assert_eq!(help.code, 0);
    assert!(help.stdout.contains("Exit codes"));
    assert!(help.stdout.contains("  3  failed while running") && help.stdout.contains("130  interrupted"), "{}", help.stdout);
    let bad_page = run(&["explain", good_pdf().to_str().unwrap(), "--page", "99"]);
    assert_eq!(bad_page.code, 2, "an option out of range is a usage error: {}", bad_page.stderr);
}

#[test]
fn output_is_identical_whatever_the_thread_count() {
    let all = fixtures();
    let one = run(&["extract", all.to_str().unwrap(), "--quiet", "--jobs", "1"]);
    let two = run(&["extract", all.to_str().unwrap(), "--quiet", "--jobs", "2"]);
    assert!(!one.stdout.is_empty());
    assert_eq!(one.stdout, two.stdout);
    // In this process the deeply nested files differ by design: a worker
    // lets the engines try them (and says so when one overflows), this
    // process refuses them unread (README, "Robustness").
    let in_proc = run(&["extract", all.to_str().unwrap(), "--quiet", "--jobs", "2", "--in-process"]);
    let but_nesting = |out: &str| documents(out).into_iter().filter(|d| !d["path"].as_str().unwrap().starts_with("hostile/nested-")).collect::<Vec<_>>();
    assert_eq!(but_nesting(&one.stdout), but_nesting(&in_proc.stdout));
    assert_eq!(documents(&one.stdout).len(), documents(&in_proc.stdout).len());
}

#[test]
fn both_engines_read_the_fixtures() {
    for engine in ["pdf_oxide", "pdf-extract"] {
        let r = run(&["extract", good_pdf().to_str().unwrap(), "--quiet", "--engine", engine, "--no-fallback"]);
        let docs = documents(&r.stdout);
        assert_eq!(docs[0]["status"], "ok", "{engine}");
        assert_eq!(docs[0]["engine"], engine);
        assert!(!docs[0]["records"].as_array().unwrap().is_empty(), "{engine} found no records");
    }
}
