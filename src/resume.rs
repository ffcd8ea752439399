//! `--resume`: carry on a JSON Lines run that was interrupted or killed.
//!
//! The output file is read back: every complete line is a document already
//! written. An input whose path is there with the same SHA-256 as the file
//! has now is skipped; the others are processed and appended. A last line
//! without its newline (a run killed mid-write) is dropped and redone; so is
//! a document whose file has changed since (its old line is removed). The
//! file is then written in place, one flushed line per document, so a run
//! killed again keeps everything it finished.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use crate::discover::Input;
use crate::pipeline::sha256_hex;

/// Why resuming is impossible.
#[derive(Debug, thiserror::Error)]
pub enum ResumeError {
    /// The output file could not be read or rewritten.
    #[error("{path}")]
    Io {
        /// The output file.
        path: PathBuf,
        /// What went wrong.
        #[source]
        source: io::Error,
    },
    /// A complete line that is not a document object: not our file.
    #[error("{path}:{line}: not a document object ({why}); refusing to resume into a file this program did not write")]
    NotOurs {
        /// The output file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// The parse error.
        why: String,
    },
}

/// What the existing output says and what is left to do.
#[derive(Debug)]
pub struct Plan {
    /// Inputs still to process, in their original order.
    pub remaining: Vec<Input>,
    /// Documents already in the file and kept.
    pub kept: usize,
    /// Documents whose file changed since they were written: redone.
    pub changed: usize,
    /// Whether a truncated last line was dropped.
    pub dropped_partial_line: bool,
    /// The output file, opened for appending after the kept lines.
    pub file: File,
}

#[derive(serde::Deserialize)]
struct Written {
    path: String,
    sha256: String,
}

/// A complete line of the existing file.
struct Line {
    start: usize,
    end: usize,
    path: String,
    sha256: String,
}

/// Read `output` (if it exists), decide which `inputs` are done, fix the file
/// up (drop a partial last line and the lines of changed files) and open it
/// for appending.
pub fn plan(output: &Path, inputs: Vec<Input>) -> Result<Plan, ResumeError> {
    let io_err = |source| ResumeError::Io { path: output.to_path_buf(), source };
    let mut file = OpenOptions::new().read(true).write(true).create(true).truncate(false).open(output).map_err(io_err)?;
    let mut text = Vec::new();
    file.read_to_end(&mut text).map_err(io_err)?;
    let (lines, complete_len) = parse(output, &text)?;
    let dropped_partial_line = complete_len < text.len();

    // A path may be written more than once in a hand-edited file; the last wins.
    let written: HashMap<&str, &str> = lines.iter().map(|l| (l.path.as_str(), l.sha256.as_str())).collect();
    let mut remaining = Vec::new();
    let mut redo_paths = std::collections::HashSet::new();
    for input in inputs {
        let done = match written.get(input.rel.as_str()) {
            // Only an input with a line is hashed; a file that cannot be
            // read now is redone (and gets its error).
            Some(sha) if input.walk_error.is_none() => match std::fs::read(&input.path) {
                Ok(bytes) => sha256_hex(&bytes) == *sha,
                Err(_) => false,
            },
            _ => false,
        };
        if !done {
            if written.contains_key(input.rel.as_str()) {
                redo_paths.insert(input.rel.clone());
            }
            remaining.push(input);
        }
    }
    let changed = redo_paths.len();
    let keep: Vec<&Line> = lines.iter().filter(|l| !redo_paths.contains(&l.path)).collect();
    let kept = keep.len();

    if keep.len() < lines.len() {
        // Rewrite without the stale lines, atomically, and append to that.
        let mut kept_text = Vec::with_capacity(complete_len);
        for l in &keep {
            kept_text.extend_from_slice(&text[l.start..l.end]);
        }
        drop(file);
        file = rewrite(output, &kept_text).map_err(io_err)?;
    } else if dropped_partial_line {
        file.set_len(complete_len as u64).map_err(io_err)?;
    }
    file.seek(SeekFrom::End(0)).map_err(io_err)?;
    Ok(Plan { remaining, kept, changed, dropped_partial_line, file })
}

/// The complete lines of a JSON Lines file, and the length they cover: a
/// last line without its newline, or one that does not parse, is partial.
fn parse(path: &Path, text: &[u8]) -> Result<(Vec<Line>, usize), ResumeError> {
    let mut lines = Vec::new();
    let mut start = 0usize;
    let mut number = 0usize;
    while start < text.len() {
        number += 1;
        let Some(nl) = memchr::memchr(b'\n', &text[start..]) else {
            // No newline: the run was killed while writing this line.
            return Ok((lines, start));
        };
        let end = start + nl + 1;
        let raw = &text[start..end];
        if raw.iter().all(u8::is_ascii_whitespace) {
            start = end;
            continue;
        }
        match serde_json::from_slice::<Written>(raw) {
            Ok(w) => lines.push(Line { start, end, path: w.path, sha256: w.sha256 }),
            // A bad last line is a partial one too (a killed write can leave
            // garbage before a later newline); anywhere else it is not ours.
            Err(_) if text[end..].iter().all(u8::is_ascii_whitespace) => return Ok((lines, start)),
            Err(e) => return Err(ResumeError::NotOurs { path: path.to_path_buf(), line: number, why: e.to_string() }),
        }
        start = end;
    }
    Ok((lines, text.len()))
}

/// Replace `target` with `content` (temp file + rename) and open it for appending.
fn rewrite(target: &Path, content: &[u8]) -> io::Result<File> {
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut tmp = crate::output::temp_for(&dir, target, ".contract-milestones-", ".partial")?;
    tmp.write_all(content)?;
    tmp.as_file().sync_all()?;
    tmp.persist(target).map_err(|e| e.error)?;
    OpenOptions::new().read(true).append(true).open(target)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(path: &str, sha: &str) -> String {
        format!("{{\"path\":\"{path}\",\"sha256\":\"{sha}\",\"status\":\"ok\",\"records\":[]}}\n")
    }

    fn setup(files: &[(&str, &[u8])]) -> (tempfile::TempDir, Vec<Input>) {
        let dir = tempfile::tempdir().unwrap();
        let mut inputs = Vec::new();
        for (name, bytes) in files {
            let p = dir.path().join(name);
            std::fs::write(&p, bytes).unwrap();
            inputs.push(Input { rel: name.to_string(), path: p, walk_error: None });
        }
        (dir, inputs)
    }

    #[test]
    fn skips_same_path_and_hash_and_drops_a_partial_line() {
        let (dir, inputs) = setup(&[("a.pdf", b"A"), ("b.pdf", b"B"), ("c.pdf", b"C")]);
        let out = dir.path().join("out.jsonl");
        let a = line("a.pdf", &sha256_hex(b"A"));
        let partial = &line("b.pdf", &sha256_hex(b"B"))[..20];
        std::fs::write(&out, format!("{a}{partial}")).unwrap();
        let plan = plan(&out, inputs).unwrap();
        let left: Vec<&str> = plan.remaining.iter().map(|i| i.rel.as_str()).collect();
        assert_eq!(left, ["b.pdf", "c.pdf"]);
        assert_eq!((plan.kept, plan.changed, plan.dropped_partial_line), (1, 0, true));
        assert_eq!(std::fs::read_to_string(&out).unwrap(), a);
    }

    #[test]
    fn a_changed_file_is_redone_and_its_old_line_removed() {
        let (dir, inputs) = setup(&[("a.pdf", b"A2"), ("b.pdf", b"B")]);
        let out = dir.path().join("out.jsonl");
        let old_a = line("a.pdf", &sha256_hex(b"A"));
        let b = line("b.pdf", &sha256_hex(b"B"));
        let elsewhere = line("other.pdf", "ff");
        std::fs::write(&out, format!("{old_a}{b}{elsewhere}")).unwrap();
        let mut plan = plan(&out, inputs).unwrap();
        let left: Vec<&str> = plan.remaining.iter().map(|i| i.rel.as_str()).collect();
        assert_eq!(left, ["a.pdf"]);
        assert_eq!((plan.kept, plan.changed), (2, 1));
        // Appending goes after the kept lines.
        plan.file.write_all(b"{}\n").unwrap();
        assert_eq!(std::fs::read_to_string(&out).unwrap(), format!("{b}{elsewhere}{{}}\n"));
    }

    #[test]
    fn a_missing_file_starts_fresh_and_a_foreign_one_is_refused() {
        let (dir, inputs) = setup(&[("a.pdf", b"A")]);
        let out = dir.path().join("new.jsonl");
        let p = plan(&out, inputs.clone()).unwrap();
        assert_eq!((p.remaining.len(), p.kept, p.dropped_partial_line), (1, 0, false));
        let foreign = dir.path().join("notes.jsonl");
        std::fs::write(&foreign, "hello\n{\"path\":\"a.pdf\",\"sha256\":\"x\"}\n").unwrap();
        let err = plan(&foreign, inputs).unwrap_err();
        assert!(err.to_string().contains("notes.jsonl:1"), "{err}");
    }
}
