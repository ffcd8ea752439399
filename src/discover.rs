//! Discover stage: the PDF files under the paths given on the command line.
//!
//! Every file whose name ends in `.pdf` (any case) is a document. Walk errors
//! (unreadable folders, symlink loops) are not dropped: each becomes an
//! [`Input`] with the error, so it still yields one document object.

use std::path::{Path, PathBuf};

/// One document to process.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Input {
    /// Path relative to the folder it was found under, `/`-separated (or as given, for a file argument).
    pub rel: String,
    /// Where to read it.
    pub path: PathBuf,
    /// An error met while walking to it; the document fails with this reason.
    pub walk_error: Option<String>,
}

/// A path given on the command line that does not exist.
#[derive(Debug, thiserror::Error)]
#[error("{path}: no such file or folder")]
pub struct MissingPath {
    /// The path as given.
    pub path: PathBuf,
}

/// Whether a file name names a PDF (`.pdf`, any case).
pub fn is_pdf_name(name: &std::ffi::OsStr) -> bool {
    let bytes = name.as_encoded_bytes();
    bytes.len() >= 4 && bytes[bytes.len() - 4..].eq_ignore_ascii_case(b".pdf")
}

/// Collect the documents under `roots`, sorted by relative path (then by
/// full path), so output order never depends on the walk or thread count.
pub fn discover(roots: &[PathBuf]) -> Result<Vec<Input>, MissingPath> {
    for root in roots {
        if std::fs::symlink_metadata(root).is_err() {
            return Err(MissingPath { path: root.clone() });
        }
    }
    let mut inputs = Vec::new();
    for root in roots {
        if !root.is_dir() {
            inputs.push(Input { rel: display(root), path: root.clone(), walk_error: None });
            continue;
        }
        for entry in walkdir::WalkDir::new(root).follow_links(true) {
            match entry {
                Ok(e) => {
                    if e.file_type().is_dir() || !is_pdf_name(e.file_name()) {
                        continue;
                    }
                    inputs.push(Input { rel: relative(root, e.path()), path: e.path().to_path_buf(), walk_error: None });
                }
                Err(err) => {
                    // A loop or an unreadable folder: report it as a document
                    // when it names a PDF, otherwise as a folder that could not be read.
                    let Some(path) = err.path().map(Path::to_path_buf) else { continue };
                    let why =
                        if err.loop_ancestor().is_some() { "a symbolic link loops back to a folder above it".to_string() } else { err.io_error().map_or_else(|| err.to_string(), |e| e.to_string()) };
                    let is_dir_problem = path.file_name().is_none_or(|n| !is_pdf_name(n));
                    let why = if is_dir_problem { format!("cannot walk into {}: {why}", display(&path)) } else { why };
                    inputs.push(Input { rel: relative(root, &path), path, walk_error: Some(why) });
                }
            }
        }
    }
    inputs.sort();
    inputs.dedup_by(|a, b| a.path == b.path);
    Ok(inputs)
}

fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let s = display(rel);
    if s.is_empty() {
        display(path)
    } else {
        s
    }
}

/// A path as text, lossy for non-UTF-8 names, with `/` separators.
pub fn display(p: &Path) -> String {
    let s = p.to_string_lossy();
    if std::path::MAIN_SEPARATOR == '/' {
        s.into_owned()
    } else {
        s.replace(std::path::MAIN_SEPARATOR, "/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pdf_names_any_case() {
        assert!(is_pdf_name("a.pdf".as_ref()));
        assert!(is_pdf_name("A.PDF".as_ref()));
        assert!(is_pdf_name("b.Pdf".as_ref()));
        assert!(!is_pdf_name("pdf".as_ref()));
        assert!(!is_pdf_name("a.pdf.txt".as_ref()));
    }

    #[test]
    fn walks_nested_sorted_and_ignores_others() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("z/y")).unwrap();
        for f in ["b.pdf", "a.PDF", "z/y/c.pdf", "notes.txt", "z/readme.md"] {
            std::fs::write(dir.path().join(f), b"x").unwrap();
        }
        let found = discover(&[dir.path().to_path_buf()]).unwrap();
        let rels: Vec<_> = found.iter().map(|i| i.rel.as_str()).collect();
        assert_eq!(rels, ["a.PDF", "b.pdf", "z/y/c.pdf"]);
    }

    #[test]
    fn missing_path_is_an_error() {
        let err = discover(&[PathBuf::from("/no/such/place.pdf")]).unwrap_err();
        assert!(err.to_string().contains("/no/such/place.pdf"));
    }
}
