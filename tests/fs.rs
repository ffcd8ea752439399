//! The file system's ways of failing: unreadable files and folders, symlink
//! loops, non-UTF-8 names, a file deleted during the run, an output folder
//! that does not exist, a full disk. Each gets a message naming the path,
//! and nothing panics.
#![cfg(unix)]

use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{symlink, PermissionsExt};
use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::Value;

mod common;
#[cfg(target_os = "linux")]
use common::has_child_process;
use common::{bin, good_pdf};

struct Run {
    code: i32,
    docs: Vec<Value>,
    stderr: String,
}

fn run(cmd: &mut Command) -> Run {
    let out = cmd.output().expect("the binary runs");
    let stdout = String::from_utf8(out.stdout).expect("output is UTF-8, whatever the file names");
    let docs = stdout.lines().map(|l| serde_json::from_str(l).expect("a JSON line")).collect();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "panic: {stderr}");
    Run { code: out.status.code().unwrap_or(-1), docs, stderr }
}

fn extract(dir: &Path, extra: &[&str]) -> Run {
    run(bin().arg("extract").arg(dir).args(["--format", "jsonl", "--quiet"]).args(extra))
}

fn doc<'a>(docs: &'a [Value], path: &str) -> &'a Value {
    let found: Vec<&Value> = docs.iter().filter(|d| d["path"] == path).collect();
    assert_eq!(found.len(), 1, "{path} exactly once in {docs:#?}");
    found[0]
}

fn error(d: &Value) -> &str {
    d["error"].as_str().unwrap_or("")
}

/// Whether this process can read a file whose permissions forbid it (root can).
fn permissions_are_enforced(probe: &Path) -> bool {
    std::fs::read(probe).is_err()
}

#[test]
fn unreadable_file_and_folder() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::copy(good_pdf(), d.join("locked.pdf")).unwrap();
    std::fs::set_permissions(d.join("locked.pdf"), std::fs::Permissions::from_mode(0o000)).unwrap();
    std::fs::create_dir(d.join("closed")).unwrap();
    std::fs::copy(good_pdf(), d.join("closed/inside.pdf")).unwrap();
    std::fs::set_permissions(d.join("closed"), std::fs::Permissions::from_mode(0o000)).unwrap();
    std::fs::copy(good_pdf(), d.join("open.pdf")).unwrap();

    let enforced = permissions_are_enforced(&d.join("locked.pdf"));
    let r = extract(d, &[]);
    // Put the permissions back so the temporary folder can be removed.
    std::fs::set_permissions(d.join("closed"), std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(d.join("locked.pdf"), std::fs::Permissions::from_mode(0o644)).unwrap();

    assert_eq!(doc(&r.docs, "open.pdf")["status"], "ok");
    if !enforced {
        // Running as root (or with CAP_DAC_READ_SEARCH): permissions do not
        // stop reads, so there is nothing unreadable to report. Say so.
        common::skip("fs::unreadable_file_and_folder (its unreadable part)", "permissions are not enforced for this user (root?), so no file can be made unreadable");
        assert_eq!(doc(&r.docs, "locked.pdf")["status"], "ok");
        assert_eq!(doc(&r.docs, "closed/inside.pdf")["status"], "ok");
        return;
    }
    let locked = doc(&r.docs, "locked.pdf");
    assert_eq!(locked["status"], "unreadable");
    assert!(error(locked).contains("ermission denied"), "{locked}");
    // The folder that could not be walked is one document named after it.
    let closed = doc(&r.docs, "closed");
    assert_eq!(closed["status"], "unreadable");
    assert!(error(closed).contains("cannot walk into") && error(closed).contains("closed"), "{closed}");
    assert_eq!(r.code, 1);
}

#[test]
fn symlink_loops_end_with_a_status() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("sub")).unwrap();
    std::fs::copy(good_pdf(), d.join("sub/real.pdf")).unwrap();
    // A folder link back up to the root, and a file link to itself.
    symlink(d, d.join("sub/up")).unwrap();
    symlink(d.join("self.pdf"), d.join("self.pdf")).unwrap();
    let r = extract(d, &[]);
    assert_eq!(doc(&r.docs, "sub/real.pdf")["status"], "ok");
    let up = doc(&r.docs, "sub/up");
    assert_eq!(up["status"], "unreadable");
    assert!(error(up).contains("loops back") && error(up).contains("sub/up"), "{up}");
    let own = doc(&r.docs, "self.pdf");
    assert_eq!(own["status"], "unreadable");
    assert!(error(own).contains("symbolic links"), "{own}");
    assert_eq!(r.docs.len(), 3, "nothing walked twice: {:#?}", r.docs);
    assert_eq!(r.code, 1);
}

#[test]
fn non_utf8_file_names_are_processed() {
    let dir = tempfile::tempdir().unwrap();
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9 \xff.pdf");
    std::fs::copy(good_pdf(), dir.path().join(name)).unwrap();
    let r = extract(dir.path(), &[]);
    assert_eq!(r.docs.len(), 1);
    // The name is written with U+FFFD for the bytes that are not UTF-8.
    assert_eq!(r.docs[0]["path"], "caf\u{FFFD} \u{FFFD}.pdf");
    assert_eq!(r.docs[0]["status"], "ok", "{}", r.docs[0]);
    assert_eq!(r.code, 0);
    // The same in this process (no worker round trip).
    let r = extract(dir.path(), &["--in-process"]);
    assert_eq!(r.docs[0]["status"], "ok");
}

#[test]
fn a_file_deleted_after_discovery() {
    // In the library: an input whose file is gone by the time it is read.
    let input = contract_milestones::discover::Input { rel: "gone.pdf".into(), path: "/no/such/dir/gone.pdf".into(), walk_error: None };
    let d = contract_milestones::pipeline::process_input(&input, &Default::default(), &contract_milestones::rules::RuleSet::builtin());
    assert_eq!(d.status, contract_milestones::record::Status::Unreadable);
    assert!(d.error.as_deref().unwrap().contains("No such file"), "{:?}", d.error);
}

#[cfg(target_os = "linux")]
#[test]
fn a_file_deleted_during_the_run() {
    // Through the CLI: a.pdf hangs (fault hook) until --timeout, b.pdf is
    // deleted once the run has started workers (so discovery has listed it).
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(good_pdf(), dir.path().join("a.pdf")).unwrap();
    std::fs::copy(good_pdf(), dir.path().join("b.pdf")).unwrap();
    let child = bin()
        .arg("extract")
        .arg(dir.path())
        .args(["--format", "jsonl", "--quiet", "--jobs", "1", "--timeout", "10"])
        .env("CONTRACT_MILESTONES_FAULT", "hang:a.pdf")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    while !has_child_process(pid) {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    std::fs::remove_file(dir.path().join("b.pdf")).unwrap();
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let docs: Vec<Value> = stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(doc(&docs, "a.pdf")["status"], "timeout");
    let b = doc(&docs, "b.pdf");
    assert_eq!(b["status"], "unreadable");
    assert!(error(b).contains("No such file"), "{b}");
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
}

#[test]
fn output_in_a_missing_folder_names_it() {
    for extra in [&["-o", "/no/such/folder/out.jsonl"][..], &["-o", "/no/such/folder/out.jsonl", "--resume"][..]] {
        let r = run(bin().arg("extract").arg(good_pdf()).args(["--format", "jsonl"]).args(extra));
        assert_eq!(r.code, 2, "{extra:?}");
        assert!(r.stderr.contains("/no/such/folder"), "{extra:?}: {}", r.stderr);
        // Each cause is said once, not again by the error chain.
        let parts: Vec<&str> = r.stderr.trim().split(": ").collect();
        assert!(parts.iter().enumerate().all(|(i, p)| !parts[..i].contains(p)), "{extra:?}: {}", r.stderr);
        assert!(r.docs.is_empty());
    }
}

#[test]
fn output_files_have_the_mode_of_a_plain_create() {
    let dir = tempfile::tempdir().unwrap();
    // What this process's umask gives a file created the ordinary way.
    let probe = dir.path().join("probe");
    std::fs::File::create(&probe).unwrap();
    let plain = std::fs::metadata(&probe).unwrap().permissions().mode() & 0o777;
    let out = dir.path().join("out.json");
    let cache = dir.path().join("cache");
    let r = run(bin().arg("extract").arg(good_pdf()).arg("--quiet").arg("-o").arg(&out).arg("--cache").arg(&cache));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(std::fs::metadata(&out).unwrap().permissions().mode() & 0o777, plain, "a new output file");
    let entries: Vec<_> = walk(&cache).into_iter().filter(|p| p.is_file()).collect();
    assert!(!entries.is_empty(), "the cache has an entry");
    for e in entries {
        assert_eq!(std::fs::metadata(&e).unwrap().permissions().mode() & 0o777, plain, "{}", e.display());
    }
    // Replacing a file keeps its mode.
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o640)).unwrap();
    let r = run(bin().arg("extract").arg(good_pdf()).arg("--quiet").arg("-o").arg(&out));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(std::fs::metadata(&out).unwrap().permissions().mode() & 0o777, 0o640, "a replaced output file");
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        }
        out.push(p);
    }
    out
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_is_a_clear_error() {
    // Standard output on a full device: a failure at run time (3), not a
    // usage error (2): the command line was right.
    let full = std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
    let out = bin().arg("extract").arg(good_pdf()).arg("--quiet").stdout(full).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("standard output") && stderr.contains("No space left"), "{stderr}");
    assert!(!stderr.contains("panicked"));
    // -o naming the device: written to directly (never replaced), and the error names it.
    for format in ["json", "jsonl"] {
        let r = run(bin().arg("extract").arg(good_pdf()).args(["--quiet", "--format", format, "-o", "/dev/full"]));
        assert_eq!(r.code, 3, "{}", r.stderr);
        assert!(r.stderr.contains("/dev/full") && r.stderr.contains("No space left"), "{}", r.stderr);
    }
    let meta = std::fs::metadata("/dev/full").unwrap();
    assert!(std::os::unix::fs::FileTypeExt::is_char_device(&meta.file_type()), "/dev/full is still the device");
}
