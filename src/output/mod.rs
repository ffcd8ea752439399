//! Output stage: document objects as JSON, JSON Lines, CSV ([`csv`]) or
//! iCalendar ([`ics`]), streamed, to stdout or atomically to a file (written
//! to a temporary file beside the target and renamed over it at the end, so a
//! killed run never leaves half a file). Also the JSON Schema of the JSON
//! output ([`JSON_SCHEMA`]) and a reader for a previous run's output
//! ([`read_documents`]).

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::record::{Document, SCHEMA};

pub mod csv;
pub mod ics;

/// The JSON Schema (draft 2020-12) of the JSON and JSON Lines output; its
/// `title` is [`SCHEMA`], the value of the output's `schema` field.
pub const JSON_SCHEMA: &str = include_str!("../../schema/contract-milestones-1.schema.json");

/// Output formats of `extract`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// `{"schema": ..., "documents": [...]}`
    #[default]
    Json,
    /// One document object per line.
    Jsonl,
    /// One row per record (a document without records gets one row), with a header row.
    Csv,
    /// iCalendar (RFC 5545): one all-day event per dated record.
    Ics,
}

/// Settings of the formats that have any.
#[derive(Debug, Clone, Default)]
pub struct WriteOptions {
    /// iCalendar: reminders, in days before each event (`--remind 30d,7d`).
    pub remind_days: Vec<u32>,
    /// iCalendar: the `DTSTAMP` of every event; `None` means now (UTC).
    pub stamp: Option<chrono::NaiveDateTime>,
}

/// Where output goes.
pub enum Destination {
    /// Standard output.
    Stdout(BufWriter<io::Stdout>),
    /// A temporary file renamed to `target` on [`Writer::finish`].
    File {
        /// The temporary file.
        tmp: BufWriter<tempfile::NamedTempFile>,
        /// The final path.
        target: PathBuf,
    },
    /// Appending to an existing file (`--resume`).
    Append(BufWriter<std::fs::File>),
}

impl Write for Destination {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Destination::Stdout(w) => w.write(buf),
            Destination::File { tmp, .. } => tmp.write(buf),
            Destination::Append(w) => w.write(buf),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        match self {
            Destination::Stdout(w) => w.flush(),
            Destination::File { tmp, .. } => tmp.flush(),
            Destination::Append(w) => w.flush(),
        }
    }
}

/// An error that names the output path. The cause is its `source`, not
/// part of its message: an error chain printed whole (`{:#}`) would say it
/// twice.
#[derive(Debug, thiserror::Error)]
#[error("{path}")]
pub struct OutputError {
    /// The output path.
    pub path: String,
    /// What went wrong.
    #[source]
    pub source: io::Error,
}

/// Open the destination: stdout, or a temporary file in the target's folder.
pub fn open(path: Option<&Path>) -> Result<Destination, OutputError> {
    match path {
        None => Ok(Destination::Stdout(BufWriter::new(io::stdout()))),
        Some(target) => {
            let dir = match target.parent() {
                Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
                _ => PathBuf::from("."),
            };
            let err = |source| OutputError { path: target.display().to_string(), source };
            // A device or pipe (/dev/stdout, /dev/full, a FIFO) is written
            // to directly: a temporary file renamed over it would replace it.
            if std::fs::metadata(target).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
                let file = std::fs::OpenOptions::new().write(true).open(target).map_err(err)?;
                return Ok(Destination::Append(BufWriter::new(file)));
            }
            if !dir.is_dir() {
                return Err(err(io::Error::new(io::ErrorKind::NotFound, format!("the folder {} does not exist", dir.display()))));
            }
            let tmp = temp_for(&dir, target, ".contract-milestones-", ".partial").map_err(err)?;
            Ok(Destination::File { tmp: BufWriter::new(tmp), target: target.to_path_buf() })
        }
    }
}

/// A temporary file in `dir` that is renamed over `target` when complete.
/// It gets the mode a plain create would give (0666 less the umask), or
/// the mode of the `target` it replaces: tempfile's own 0600 would survive
/// the rename and leave the output unreadable to anyone but its writer.
pub fn temp_for(dir: &Path, target: &Path, prefix: &str, suffix: &str) -> io::Result<tempfile::NamedTempFile> {
    let mut b = tempfile::Builder::new();
    b.prefix(prefix).suffix(suffix);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        b.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let tmp = b.tempfile_in(dir)?;
    if let Ok(m) = std::fs::metadata(target) {
        if m.is_file() {
            tmp.as_file().set_permissions(m.permissions())?;
        }
    }
    Ok(tmp)
}

impl Destination {
    /// Flush and, for a file, move it into place (the atomic step).
    pub fn finish(self) -> io::Result<()> {
        match self {
            Destination::Stdout(mut w) => w.flush(),
            Destination::Append(mut w) => {
                w.flush()?;
                // Devices and pipes (written directly) have nothing to sync.
                if w.get_ref().metadata()?.is_file() {
                    w.get_ref().sync_all()?;
                }
                Ok(())
            }
            Destination::File { tmp, target } => {
                let tmp = tmp.into_inner().map_err(|e| e.into_error())?;
                tmp.as_file().sync_all()?;
                tmp.persist(&target).map(|_| ()).map_err(|e| e.error)
            }
        }
    }

    /// Whether each document goes out as soon as it is done: on stdout, and
    /// when appending for --resume (a killed run keeps every finished line).
    fn streams(&self) -> bool {
        matches!(self, Destination::Stdout(_) | Destination::Append(_))
    }
}

/// The format-specific state of a [`Writer`].
enum Inner {
    Json { dest: Destination, count: usize },
    Jsonl(Destination),
    Csv(Box<csv::CsvWriter<Destination>>),
    Ics(ics::IcsWriter<Destination>),
}

/// Writes documents in one format, each as soon as it is given (so the
/// output streams in input order).
pub struct Writer {
    inner: Inner,
}

impl Writer {
    /// Start writing with default [`WriteOptions`] (the header goes out now).
    pub fn new(dest: Destination, format: Format) -> io::Result<Writer> {
        Writer::with_options(dest, format, &WriteOptions::default())
    }

    /// Start writing (the JSON header, CSV header row or calendar header goes out now).
    pub fn with_options(mut dest: Destination, format: Format, opts: &WriteOptions) -> io::Result<Writer> {
        let inner = match format {
            Format::Json => {
                write!(dest, "{{\"schema\":{},\"documents\":[", serde_json::to_string(SCHEMA)?)?;
                Inner::Json { dest, count: 0 }
            }
            Format::Jsonl => Inner::Jsonl(dest),
            Format::Csv => Inner::Csv(Box::new(csv::CsvWriter::new(dest)?)),
            Format::Ics => {
                let stamp = opts.stamp.unwrap_or_else(|| chrono::Utc::now().naive_utc());
                Inner::Ics(ics::IcsWriter::new(dest, &opts.remind_days, stamp)?)
            }
        };
        Ok(Writer { inner })
    }

    /// Write one document.
    pub fn write(&mut self, doc: &Document) -> io::Result<()> {
        // Stream: on stdout each document is out as soon as it is done.
        match &mut self.inner {
            Inner::Json { dest, count } => {
                dest.write_all(if *count == 0 { b"\n" } else { b",\n" })?;
                serde_json::to_writer(&mut *dest, doc)?;
                *count += 1;
                if dest.streams() {
                    dest.flush()?;
                }
            }
            Inner::Jsonl(dest) => {
                serde_json::to_writer(&mut *dest, doc)?;
                dest.write_all(b"\n")?;
                if dest.streams() {
                    dest.flush()?;
                }
            }
            Inner::Csv(w) => {
                w.write(doc)?;
                if w.get_ref().streams() {
                    w.flush()?;
                }
            }
            Inner::Ics(w) => {
                w.write(doc)?;
                if w.get_ref().streams() {
                    w.flush()?;
                }
            }
        }
        Ok(())
    }

    /// Close the format and, for a file, move it into place.
    pub fn finish(self) -> io::Result<()> {
        let dest = match self.inner {
            Inner::Json { mut dest, count } => {
                dest.write_all(if count == 0 { b"]}\n" } else { b"\n]}\n" })?;
                dest
            }
            Inner::Jsonl(dest) => dest,
            Inner::Csv(w) => w.into_inner()?,
            Inner::Ics(w) => w.finish()?,
        };
        dest.finish()
    }
}

/// Why a previous run's output could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// A JSON Lines line (1-based) is not a document object.
    #[error("line {line}: not a document object")]
    Line {
        /// 1-based line number.
        line: usize,
        /// The JSON error.
        #[source]
        source: serde_json::Error,
    },
    /// The file is one JSON value but not this tool's output.
    #[error("not contract-milestones output (JSON with a `documents` array, or JSON Lines): {0}")]
    Json(#[source] serde_json::Error),
    /// Output of a version this build does not read.
    #[error("schema {found:?} is not {SCHEMA:?}, which this version reads")]
    Version {
        /// The `schema` field found.
        found: String,
    },
}

/// Read a previous run's output: JSON (`{"schema": ..., "documents": [...]}`)
/// or JSON Lines (one document object per line; blank lines skipped).
pub fn read_documents(text: &str) -> Result<Vec<Document>, ReadError> {
    #[derive(serde::Deserialize)]
    struct Run {
        schema: Option<String>,
        documents: Vec<Document>,
    }
    let trimmed = text.trim_start();
    // A JSON run object starts with `{"schema"` or `{"documents"` (in any
    // spacing); a JSON Lines file starts with a document object.
    let whole: Result<serde_json::Value, _> = serde_json::from_str(trimmed);
    if let Ok(serde_json::Value::Object(map)) = &whole {
        if map.contains_key("documents") {
            let run: Run = serde_json::from_value(whole.expect("parsed")).map_err(ReadError::Json)?;
            if let Some(found) = run.schema.filter(|s| s != SCHEMA) {
                return Err(ReadError::Version { found });
            }
            return Ok(run.documents);
        }
    }
    let mut docs = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        docs.push(serde_json::from_str(line).map_err(|source| ReadError::Line { line: i + 1, source })?);
    }
    Ok(docs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Status;

    #[test]
    fn json_and_jsonl_are_valid() {
        let dir = tempfile::tempdir().unwrap();
        for (format, name) in [(Format::Json, "o.json"), (Format::Jsonl, "o.jsonl")] {
            let target = dir.path().join(name);
            let mut w = Writer::new(open(Some(&target)).unwrap(), format).unwrap();
            for p in ["a.pdf", "b.pdf"] {
                w.write(&Document::failed(p.into(), String::new(), Status::Unreadable, "x")).unwrap();
            }
            w.finish().unwrap();
            let text = std::fs::read_to_string(&target).unwrap();
            match format {
                Format::Json => {
                    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
                    assert_eq!(v["documents"].as_array().unwrap().len(), 2);
                    assert_eq!(v["schema"], SCHEMA);
                }
                Format::Jsonl => {
                    assert_eq!(text.lines().count(), 2);
                    for l in text.lines() {
                        serde_json::from_str::<serde_json::Value>(l).unwrap();
                    }
                }
                Format::Csv | Format::Ics => unreachable!("JSON formats only"),
            }
            // A previous run reads back, in either format.
            let docs = read_documents(&text).unwrap();
            assert_eq!(docs.iter().map(|d| d.path.as_str()).collect::<Vec<_>>(), ["a.pdf", "b.pdf"]);
        }
        // No temporary file is left behind.
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(left.len(), 2, "{left:?}");
    }

    #[test]
    fn reading_errors_say_where() {
        let err = read_documents("{\"path\": \"a.pdf\"}\n").unwrap_err();
        assert!(err.to_string().starts_with("line 1: not a document object"), "{err}");
        let err = read_documents("{\"schema\": \"contract-milestones/9\", \"documents\": []}").unwrap_err();
        assert!(err.to_string().contains("contract-milestones/9"), "{err}");
        assert!(read_documents("\n\n").unwrap().is_empty());
    }

    #[test]
    fn missing_folder_is_named() {
        let err = open(Some(Path::new("/no/such/dir/out.json"))).err().unwrap();
        assert!(err.to_string().contains("/no/such/dir"), "{err}");
    }
}
