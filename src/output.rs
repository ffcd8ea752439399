//! Output stage: document objects as JSON or JSON Lines, streamed, to stdout
//! or atomically to a file (written to a temporary file beside the target and
//! renamed over it at the end, so a killed run never leaves half a file).

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::record::{Document, SCHEMA};

/// Output formats of `extract`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// `{"schema": ..., "documents": [...]}`
    #[default]
    Json,
    /// One document object per line.
    Jsonl,
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

/// An error that names the output path.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {source}")]
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
            let tmp = tempfile::Builder::new()
                .prefix(".contract-milestones-")
                .suffix(".partial")
                .tempfile_in(&dir)
                .map_err(err)?;
            Ok(Destination::File { tmp: BufWriter::new(tmp), target: target.to_path_buf() })
        }
    }
}

/// Writes documents in one format.
pub struct Writer {
    dest: Destination,
    format: Format,
    count: usize,
}

impl Writer {
    /// Start writing (the JSON header goes out now).
    pub fn new(mut dest: Destination, format: Format) -> io::Result<Writer> {
        if format == Format::Json {
            write!(dest, "{{\"schema\":{},\"documents\":[", serde_json::to_string(SCHEMA)?)?;
        }
        Ok(Writer { dest, format, count: 0 })
    }

    /// Write one document.
    pub fn write(&mut self, doc: &Document) -> io::Result<()> {
        match self.format {
            Format::Json => {
                self.dest.write_all(if self.count == 0 { b"\n" } else { b",\n" })?;
                serde_json::to_writer(&mut self.dest, doc)?;
            }
            Format::Jsonl => {
                serde_json::to_writer(&mut self.dest, doc)?;
                self.dest.write_all(b"\n")?;
            }
        }
        self.count += 1;
        // Stream: each document is out as soon as it is done (appending for
        // --resume: a killed run keeps every finished line).
        if matches!(self.dest, Destination::Stdout(_) | Destination::Append(_)) {
            self.dest.flush()?;
        }
        Ok(())
    }

    /// Close the format and, for a file, move it into place.
    pub fn finish(mut self) -> io::Result<()> {
        if self.format == Format::Json {
            self.dest.write_all(if self.count == 0 { b"]}\n" } else { b"\n]}\n" })?;
        }
        match self.dest {
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
            }
        }
        // No temporary file is left behind.
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(left.len(), 2, "{left:?}");
    }

    #[test]
    fn missing_folder_is_named() {
        let err = open(Some(Path::new("/no/such/dir/out.json"))).err().unwrap();
        assert!(err.to_string().contains("/no/such/dir"), "{err}");
    }
}
