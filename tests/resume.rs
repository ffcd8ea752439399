//! Interruption and --resume: Ctrl-C (SIGINT) mid-run leaves valid output
//! for the documents that finished; --resume skips what is written (same
//! path and SHA-256), redoes a truncated last line, appends the rest.
#![cfg(unix)]

use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

mod common;
#[cfg(target_os = "linux")]
use common::has_child_process;
use common::{bin, good_pdf};

/// a.pdf, b.pdf, c.pdf: copies of one fixture (different paths, same bytes).
fn three() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("in")).unwrap();
    for f in ["a.pdf", "b.pdf", "c.pdf"] {
        std::fs::copy(good_pdf(), dir.path().join("in").join(f)).unwrap();
    }
    dir
}

fn lines(path: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.is_empty() || text.ends_with('\n'), "whole lines only: {text:?}");
    text.lines().map(|l| serde_json::from_str(l).expect("every line is a document")).collect()
}

fn paths(docs: &[Value]) -> Vec<&str> {
    docs.iter().map(|d| d["path"].as_str().unwrap()).collect()
}

fn sigint(child: &Child) {
    unsafe {
        libc::kill(child.id() as libc::pid_t, libc::SIGINT);
    }
}

/// Wait for the child; kill it (and fail) if Ctrl-C did not stop it.
fn wait(mut child: Child) -> (i32, String) {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let mut err = String::new();
            std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut err).unwrap();
            return (status.code().unwrap_or(-1), err);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("the run did not stop after Ctrl-C");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn spawn_hanging_on_b(dir: &Path, extra: &[&str]) -> Child {
    bin()
        .arg("extract")
        .arg(dir.join("in"))
        // A long --timeout: only Ctrl-C can end b.pdf's hang.
        .args(["--jobs", "1", "--timeout", "3600"])
        .args(extra)
        .env("CONTRACT_MILESTONES_FAULT", "hang:b.pdf")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

#[test]
fn ctrl_c_then_resume() {
    let dir = three();
    let out = dir.path().join("out.jsonl");
    let o = out.to_str().unwrap();
    let child = spawn_hanging_on_b(dir.path(), &["--format", "jsonl", "-o", o, "--resume"]);
    // --resume writes in place, a flushed line per document: wait for a.pdf.
    while std::fs::read_to_string(&out).map_or(true, |t| !t.ends_with('\n')) {
        std::thread::sleep(Duration::from_millis(20));
    }
    sigint(&child);
    let (code, stderr) = wait(child);
    assert_eq!(code, 130, "{stderr}");
    assert!(stderr.contains("interrupted: 1 of 3 documents written"), "{stderr}");
    assert!(!stderr.contains("panicked"));
    assert_eq!(paths(&lines(&out)), ["a.pdf"], "the finished document, and only it");

    // Resume without the hang: a.pdf is skipped, b and c are appended.
    let r = bin().arg("extract").arg(dir.path().join("in")).args(["--format", "jsonl", "-o", o, "--resume"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&r.stderr);
    assert_eq!(r.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("1 of 3 documents already written, 2 to do"), "{stderr}");
    let docs = lines(&out);
    assert_eq!(paths(&docs), ["a.pdf", "b.pdf", "c.pdf"]);
    assert!(docs.iter().all(|d| d["status"] == "ok"));

    // Nothing left: a third run writes nothing and keeps the file.
    let before = std::fs::read(&out).unwrap();
    let r = bin().arg("extract").arg(dir.path().join("in")).args(["--format", "jsonl", "-o", o, "--resume"]).output().unwrap();
    assert_eq!(r.status.code(), Some(0));
    assert_eq!(std::fs::read(&out).unwrap(), before);
}

#[cfg(target_os = "linux")]
#[test]
fn ctrl_c_leaves_valid_json() {
    let dir = three();
    let out = dir.path().join("out.json");
    let child = spawn_hanging_on_b(dir.path(), &["-o", out.to_str().unwrap()]);
    // The JSON file appears only when the run closes it. Once a worker
    // process exists the Ctrl-C handler is in place; whatever finished by
    // the signal must then be written, valid and in order.
    while !has_child_process(child.id()) {
        std::thread::sleep(Duration::from_millis(20));
    }
    sigint(&child);
    let (code, stderr) = wait(child);
    assert_eq!(code, 130, "{stderr}");
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&out).expect("the output file is there")).expect("valid JSON");
    let docs = v["documents"].as_array().unwrap();
    // A prefix of the input order, never the hanging b.pdf.
    assert!(paths(docs) == Vec::<&str>::new() || paths(docs) == ["a.pdf"], "{docs:#?}");
    let leftovers = std::fs::read_dir(dir.path()).unwrap().filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().ends_with(".partial")).count();
    assert_eq!(leftovers, 0);
}

/// The commands that write once at the end catch Ctrl-C as extract does
/// (one batch setup, `setup::Batch`): they stop, write nothing and exit
/// 130, rather than die of the signal.
#[cfg(target_os = "linux")]
#[test]
fn ctrl_c_stops_the_commands_that_write_at_the_end() {
    let dir = three();
    for command in ["check", "summary", "report", "due"] {
        let out = dir.path().join(format!("{command}.out"));
        let child = bin()
            .arg(command)
            .arg(dir.path().join("in"))
            .args(["--jobs", "1", "--timeout", "3600", "-o"])
            .arg(&out)
            .env("CONTRACT_MILESTONES_FAULT", "hang:b.pdf")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        while !has_child_process(child.id()) {
            std::thread::sleep(Duration::from_millis(20));
        }
        sigint(&child);
        let (code, stderr) = wait(child);
        assert_eq!(code, 130, "{command}: {stderr}");
        assert!(stderr.contains("contract-milestones: interrupted; nothing"), "{command}: {stderr}");
        assert!(!out.exists(), "{command} wrote {}", out.display());
    }
}

/// `diff` of two folders extracts them one after the other with one batch
/// setup: Ctrl-C during the second extraction stops it as during the first
/// (no diff written, exit 130), rather than end the process unannounced.
#[cfg(target_os = "linux")]
#[test]
fn ctrl_c_stops_diff_in_its_second_folder() {
    use std::io::BufRead;
    let dir = three();
    std::fs::create_dir(dir.path().join("old")).unwrap();
    std::fs::copy(good_pdf(), dir.path().join("old").join("a.pdf")).unwrap();
    let out = dir.path().join("diff.out");
    let mut child = bin()
        .arg("diff")
        .arg(dir.path().join("old"))
        .arg(dir.path().join("in"))
        .args(["--jobs", "1", "--timeout", "3600", "-o"])
        .arg(&out)
        .env("CONTRACT_MILESTONES_FAULT", "hang:b.pdf")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The first folder is done when its summary line is out; the second
    // then hangs on b.pdf.
    let mut stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut first = String::new();
    stderr.read_line(&mut first).unwrap();
    assert!(first.starts_with("old ("), "{first}");
    sigint(&child);
    let deadline = Instant::now() + Duration::from_secs(120);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("diff did not stop after Ctrl-C");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stderr, &mut rest).unwrap();
    assert_eq!(status.code(), Some(130), "{rest}");
    assert!(rest.contains("contract-milestones: interrupted; no diff written"), "{rest}");
    assert!(!out.exists(), "diff wrote {}", out.display());
}

#[test]
fn resume_redoes_a_truncated_last_line_and_changed_files() {
    let dir = three();
    let out = dir.path().join("out.jsonl");
    let o = out.to_str().unwrap();
    let r = bin().arg("extract").arg(dir.path().join("in")).args(["--format", "jsonl", "-o", o, "--quiet"]).output().unwrap();
    assert_eq!(r.status.code(), Some(0));
    let full = std::fs::read_to_string(&out).unwrap();
    // Killed while writing c.pdf's line: cut it in the middle.
    let c_start = full.find("{\"path\":\"c.pdf\"").unwrap();
    std::fs::write(&out, &full[..c_start + 40]).unwrap();
    // And a.pdf changed since it was written.
    std::fs::write(dir.path().join("in/a.pdf"), b"%PDF-1.4\nnot really\n%%EOF\n").unwrap();
    let r = bin().arg("extract").arg(dir.path().join("in")).args(["--format", "jsonl", "-o", o, "--resume"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&r.stderr);
    assert!(stderr.contains("1 of 3 documents already written, 2 to do (1 changed since); dropped a partial last line"), "{stderr}");
    assert_eq!(r.status.code(), Some(1), "a.pdf is no longer a readable PDF: {stderr}");
    let docs = lines(&out);
    assert_eq!(paths(&docs), ["b.pdf", "a.pdf", "c.pdf"], "b kept, a and c redone and appended");
    assert_eq!(docs[1]["status"], "unreadable");
    assert_eq!(docs[2]["status"], "ok");
}

#[test]
fn resume_needs_jsonl_and_an_output_file() {
    let dir = three();
    let out = dir.path().join("out.json");
    let r = bin().arg("extract").arg(dir.path().join("in")).args(["-o", out.to_str().unwrap(), "--resume"]).output().unwrap();
    assert_eq!(r.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&r.stderr).contains("--format jsonl"));
    let r = bin().arg("extract").arg(dir.path().join("in")).args(["--format", "jsonl", "--resume"]).output().unwrap();
    assert_eq!(r.status.code(), Some(2));
}
