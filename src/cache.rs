//! The extraction cache behind `--cache DIR`: a document whose bytes, rules,
//! tool version and extraction settings are unchanged is not extracted again.
//!
//! **Key.** SHA-256 over the cache format, the tool version, the output
//! schema, a hash of the effective rule set (the text of every rule file, in
//! load order), a hash of the settings that change what is extracted (engine,
//! fallback, password — hashed, never stored —, page and size limits, date
//! order, holidays), and the file's own SHA-256. The path is not part of the
//! key: a renamed or copied file is a hit, and the cached document gets the
//! new path.
//!
//! **Entries** live at `DIR/v1/ab/abcdef….entry`: one header line of JSON
//! (`{"format", "key", "sha256", "bytes"}`) and then the document's JSON. An
//! entry is written to a temporary file in the same folder and renamed into
//! place, so concurrent runs and a killed run never leave half an entry under
//! an entry's name; two runs writing the same key write the same bytes. On
//! read, the header's key must be the key looked up and the body's length
//! and SHA-256 must match the header; anything else is a corrupt entry,
//! ignored (counted) and rebuilt by the run that met it.
//!
//! **What is cached.** Documents the pipeline itself produced (`ok`,
//! `no_text`, `encrypted`, `unreadable` for a damaged file, `too_large` by
//! page count) — the same bytes give the same answer next time. Not cached:
//! `timeout` and crashed workers (a busy machine or a memory limit may do
//! better next time), caught panics, walk errors, and files over
//! `--max-file-size` (not even read to be hashed).
//!
//! **Size.** Every hit refreshes the entry's modification time; [`Cache::prune`]
//! deletes the least recently used entries until the folder fits a bound,
//! and temporary files older than an hour (left by killed runs).

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::config::Settings;
use crate::discover::Input;
use crate::record::{Document, SCHEMA};
use crate::rules::{self, RuleErrors};

/// Version of the entry layout; a change makes old entries unreachable.
pub const FORMAT: &str = "contract-milestones-cache/2";
/// The folder under the cache directory that holds this format's entries.
const ENTRIES: &str = "v1";
/// Extension of an entry file.
const EXT: &str = "entry";
/// Prefix of temporary files (renamed into place when complete).
const TMP_PREFIX: &str = ".tmp-";
/// Temporary files older than this are leftovers of killed runs.
const STALE_TMP: Duration = Duration::from_secs(3600);

/// Problems opening or pruning a cache.
#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    /// The cache folder cannot be created or read.
    #[error("cache folder {path}")]
    Io {
        /// The folder or file.
        path: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The rule files could not be read to hash them.
    #[error("cannot hash the rule files: {0}")]
    Rules(#[from] RuleErrors),
}

/// Counters of one run.
#[derive(Debug, Default)]
pub struct CacheStats {
    /// Documents taken from the cache.
    pub hits: AtomicUsize,
    /// Documents looked up and not found.
    pub misses: AtomicUsize,
    /// Entries written.
    pub stored: AtomicUsize,
    /// Entries found corrupt (ignored, then rebuilt).
    pub corrupt: AtomicUsize,
    /// Entries that could not be written (the run goes on without them).
    pub write_errors: AtomicUsize,
}

/// An open cache: its folder and the part of the key shared by every document of a run.
#[derive(Debug)]
pub struct Cache {
    dir: PathBuf,
    context: String,
    /// What happened during the run.
    pub stats: CacheStats,
}

/// The outcome of looking a document up.
#[derive(Debug)]
pub enum Probe {
    /// Found: the document, with the input's path.
    Hit(Box<Document>),
    /// Not found (or corrupt): extract it, then [`Cache::store`] under this key.
    Miss(Key),
    /// Not cacheable (a walk error, a file over the size limit, unreadable).
    Skip,
}

/// A document's cache key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    /// Hex SHA-256 of the whole key.
    pub hex: String,
    /// Hex SHA-256 of the file's bytes (a stored document must have it).
    pub file_sha256: String,
}

#[derive(Debug, Serialize, Deserialize)]
struct Header {
    format: String,
    key: String,
    sha256: String,
    bytes: usize,
}

/// Hash of the effective rule set: the text of every rule file in load order
/// (built-ins unless turned off, then the user's folders). Paths are left
/// out, so moving a rules folder keeps the cache.
pub fn rules_hash(settings: &Settings) -> Result<String, RuleErrors> {
    let files = rules::read_sources(&settings.rule_sources())?;
    let mut h = Sha256::new();
    for f in &files {
        h.update((f.text.len() as u64).to_le_bytes());
        h.update(f.text.as_bytes());
    }
    Ok(hex::encode(h.finalize()))
}

/// The run-wide part of the key: format, tool version, schema, rules, settings.
pub fn context_key(settings: &Settings, rules_hash: &str) -> String {
    // Every setting, so that a new one cannot be forgotten; less the rule
    // folders' paths (their text is in `rules_hash`) and the prefilter
    // switch (same output); the password only as its hash.
    let ks = Settings { password: settings.password.as_ref().map(|p| crate::pipeline::sha256_hex(p.as_bytes())), rules: Vec::new(), no_prefilter: false, ..settings.clone() };
    let mut h = Sha256::new();
    for part in [FORMAT, env!("CARGO_PKG_VERSION"), SCHEMA, rules_hash, &serde_json::to_string(&ks).expect("settings serialize")] {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    hex::encode(h.finalize())
}

impl Cache {
    /// Open (creating it if needed) the cache in `dir` for a run with `settings`.
    pub fn open(dir: &Path, settings: &Settings) -> Result<Cache, CacheError> {
        let context = context_key(settings, &rules_hash(settings)?);
        Cache::with_context(dir, context)
    }

    /// Open with an explicit run-wide key (tests, library use).
    pub fn with_context(dir: &Path, context: String) -> Result<Cache, CacheError> {
        let entries = dir.join(ENTRIES);
        std::fs::create_dir_all(&entries).map_err(|source| CacheError::Io { path: dir.display().to_string(), source })?;
        Ok(Cache { dir: dir.to_path_buf(), context, stats: CacheStats::default() })
    }

    /// The cache folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The key of a file with these bytes.
    pub fn key_for(&self, file_sha256: &str) -> Key {
        let mut h = Sha256::new();
        h.update(self.context.as_bytes());
        h.update(b"\0");
        h.update(file_sha256.as_bytes());
        Key { hex: hex::encode(h.finalize()), file_sha256: file_sha256.to_string() }
    }

    fn entry_path(&self, key: &Key) -> PathBuf {
        self.dir.join(ENTRIES).join(&key.hex[..2]).join(format!("{}.{EXT}", key.hex))
    }

    /// Look a discovered input up: hash the file, read the entry if there is
    /// one. Files over `max_file_size` are skipped without reading them.
    pub fn probe(&self, input: &Input, max_file_size: Option<u64>) -> Probe {
        if input.walk_error.is_some() {
            return Probe::Skip;
        }
        let Ok(meta) = std::fs::metadata(&input.path) else { return Probe::Skip };
        if !meta.is_file() || max_file_size.is_some_and(|limit| meta.len() > limit) {
            return Probe::Skip;
        }
        let Ok(sha) = sha256_of_file(&input.path) else { return Probe::Skip };
        let key = self.key_for(&sha);
        match self.read(&key) {
            Some(mut doc) => {
                self.stats.hits.fetch_add(1, Ordering::Relaxed);
                doc.path = input.rel.clone();
                Probe::Hit(Box::new(doc))
            }
            None => {
                self.stats.misses.fetch_add(1, Ordering::Relaxed);
                Probe::Miss(key)
            }
        }
    }

    /// Read and verify an entry; `None` when absent or corrupt (counted).
    pub fn read(&self, key: &Key) -> Option<Document> {
        let path = self.entry_path(key);
        let data = match std::fs::read(&path) {
            Ok(d) => d,
            Err(_) => return None,
        };
        match verify(&data, key) {
            Some(doc) => {
                // Least recently used pruning goes by modification time.
                if let Ok(f) = std::fs::File::options().append(true).open(&path) {
                    let _ = f.set_modified(SystemTime::now());
                }
                Some(doc)
            }
            None => {
                self.stats.corrupt.fetch_add(1, Ordering::Relaxed);
                None
            }
        }
    }

    /// Store a document the pipeline produced for the file under `key`. A
    /// document that is not the pipeline's own answer for exactly those bytes
    /// (its sha256 differs: the file changed under us, or a failure made up
    /// outside the pipeline) is not stored. Errors are counted, not fatal.
    pub fn store(&self, key: &Key, doc: &Document) -> bool {
        if doc.sha256 != key.file_sha256 {
            return false;
        }
        match self.write(key, doc) {
            Ok(()) => {
                self.stats.stored.fetch_add(1, Ordering::Relaxed);
                true
            }
            Err(_) => {
                self.stats.write_errors.fetch_add(1, Ordering::Relaxed);
                false
            }
        }
    }

    fn write(&self, key: &Key, doc: &Document) -> std::io::Result<()> {
        let path = self.entry_path(key);
        let dir = path.parent().expect("an entry has a folder");
        std::fs::create_dir_all(dir)?;
        let data = encode(key, doc)?;
        let mut tmp = crate::output::temp_for(dir, &path, TMP_PREFIX, "")?;
        tmp.write_all(&data)?;
        tmp.as_file().sync_all()?;
        tmp.persist(&path).map_err(|e| e.error)?;
        Ok(())
    }

    /// Delete the least recently used entries until the entries take at most
    /// `max_bytes`, and temporary files left by killed runs. Returns what was
    /// removed and what is left.
    pub fn prune(&self, max_bytes: u64) -> Result<PruneReport, CacheError> {
        prune_dir(&self.dir, max_bytes)
    }
}

/// What [`prune_dir`] did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct PruneReport {
    /// Entries deleted.
    pub removed: usize,
    /// Bytes freed.
    pub freed: u64,
    /// Entries left.
    pub kept: usize,
    /// Bytes left.
    pub size: u64,
}

/// [`Cache::prune`] on a folder, without opening a cache for a run.
pub fn prune_dir(dir: &Path, max_bytes: u64) -> Result<PruneReport, CacheError> {
    let root = dir.join(ENTRIES);
    let io = |source, p: &Path| CacheError::Io { path: p.display().to_string(), source };
    if !root.is_dir() {
        if dir.is_dir() {
            return Ok(PruneReport::default());
        }
        return Err(io(std::io::Error::new(std::io::ErrorKind::NotFound, "no such folder"), dir));
    }
    let mut entries: Vec<(SystemTime, u64, PathBuf)> = Vec::new();
    let mut report = PruneReport::default();
    let now = SystemTime::now();
    for e in walkdir::WalkDir::new(&root).min_depth(2).max_depth(2) {
        let e = e.map_err(|err| io(std::io::Error::other(err.to_string()), &root))?;
        if !e.file_type().is_file() {
            continue;
        }
        let Ok(meta) = e.metadata() else { continue };
        let modified = meta.modified().unwrap_or(SystemTime::UNIX_EPOCH);
        let name = e.file_name().to_string_lossy();
        if name.starts_with(TMP_PREFIX) {
            if now.duration_since(modified).unwrap_or_default() > STALE_TMP && std::fs::remove_file(e.path()).is_ok() {
                report.freed += meta.len();
            }
            continue;
        }
        if e.path().extension().is_some_and(|x| x == EXT) {
            entries.push((modified, meta.len(), e.path().to_path_buf()));
        }
    }
    // Newest first; keep while they fit.
    entries.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.2.cmp(&b.2)));
    for (_, len, path) in entries {
        if report.size + len <= max_bytes {
            report.size += len;
            report.kept += 1;
        } else if std::fs::remove_file(&path).is_ok() {
            report.removed += 1;
            report.freed += len;
        }
    }
    Ok(report)
}

fn encode(key: &Key, doc: &Document) -> std::io::Result<Vec<u8>> {
    let body = serde_json::to_vec(doc)?;
    let header = Header { format: FORMAT.into(), key: key.hex.clone(), sha256: crate::pipeline::sha256_hex(&body), bytes: body.len() };
    let mut data = serde_json::to_vec(&header)?;
    data.push(b'\n');
    data.extend_from_slice(&body);
    Ok(data)
}

fn verify(data: &[u8], key: &Key) -> Option<Document> {
    let nl = data.iter().position(|&b| b == b'\n')?;
    let header: Header = serde_json::from_slice(&data[..nl]).ok()?;
    let body = &data[nl + 1..];
    if header.format != FORMAT || header.key != key.hex || header.bytes != body.len() || header.sha256 != crate::pipeline::sha256_hex(body) {
        return None;
    }
    let doc: Document = serde_json::from_slice(body).ok()?;
    (doc.sha256 == key.file_sha256).then_some(doc)
}

/// Hex SHA-256 of a file, read in blocks.
pub fn sha256_of_file(path: &Path) -> std::io::Result<String> {
    let mut f = std::fs::File::open(path)?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 256 * 1024];
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(hex::encode(h.finalize()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Status;

    fn doc(sha: &str) -> Document {
        let mut d = Document::failed("a.pdf".into(), sha.into(), Status::NoText, "scan");
        d.pages = Some(2);
        d
    }

    fn input(dir: &Path, name: &str, bytes: &[u8]) -> Input {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        Input { rel: name.into(), path, walk_error: None }
    }

    #[test]
    fn miss_store_hit_with_the_new_path() {
        let tmp = tempfile::tempdir().unwrap();
        let cache = Cache::with_context(&tmp.path().join("c"), "ctx".into()).unwrap();
        let a = input(tmp.path(), "a.pdf", b"%PDF-1.4 one");
        let Probe::Miss(key) = cache.probe(&a, None) else { panic!("first lookup must miss") };
        assert_eq!(key.file_sha256, crate::pipeline::sha256_hex(b"%PDF-1.4 one"));
        assert!(cache.store(&key, &doc(&key.file_sha256)));
        // Same bytes under another name: a hit, with that name.
        let b = input(tmp.path(), "b.pdf", b"%PDF-1.4 one");
        let Probe::Hit(d) = cache.probe(&b, None) else { panic!("same bytes must hit") };
        assert_eq!(d.path, "b.pdf");
        assert_eq!(d.pages, Some(2));
        // Other bytes: a miss.
        let c = input(tmp.path(), "c.pdf", b"%PDF-1.4 two");
        assert!(matches!(cache.probe(&c, None), Probe::Miss(_)));
        assert_eq!(cache.stats.hits.load(Ordering::Relaxed), 1);
        assert_eq!(cache.stats.misses.load(Ordering::Relaxed), 2);
    }

    #[test]
    fn another_context_does_not_see_the_entry() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("c");
        let one = Cache::with_context(&dir, "rules-1".into()).unwrap();
        let a = input(tmp.path(), "a.pdf", b"x");
        let Probe::Miss(key) = one.probe(&a, None) else { panic!() };
        one.store(&key, &doc(&key.file_sha256));
        let two = Cache::with_context(&dir, "rules-2".into()).unwrap();
        assert!(matches!(two.probe(&a, None), Probe::Miss(_)));
        assert!(matches!(one.probe(&a, None), Probe::Hit(_)));
    }

    #[test]
    fn every_setting_that_changes_the_output_changes_the_key() {
        let base = Settings { engine: crate::text::EngineName::PdfOxide, fallback: true, ..Settings::default() };
        let key = |s: &Settings| context_key(s, "rules");
        let changed = [
            Settings { ocr: true, ..base.clone() },
            Settings { as_of: chrono::NaiveDate::from_ymd_opt(2027, 1, 1), ..base.clone() },
            Settings { max_memory: Some(1 << 20), ..base.clone() },
            Settings { max_pages: Some(3), ..base.clone() },
            Settings { password: Some("secret".into()), ..base.clone() },
            Settings { us_holidays: true, ..base.clone() },
            Settings { date_order: Some(crate::normalise::DateOrder::Dmy), ..base.clone() },
            Settings { engine: crate::text::EngineName::PdfExtract, ..base.clone() },
            Settings { holidays: crate::normalise::Calendar::from_iso_lines("2025-12-26").unwrap(), ..base.clone() },
        ];
        for s in &changed {
            assert_ne!(key(s), key(&base), "{s:?}");
        }
        // Where the rules live and whether the prefilter runs do not change
        // what is extracted; the rules' text is in the rules hash.
        let same = Settings { rules: vec!["/somewhere/rules".into()], no_prefilter: true, ..base.clone() };
        assert_eq!(key(&same), key(&base));
        assert_ne!(context_key(&base, "other rules"), key(&base));
    }

    #[test]
    fn typed_settings_hash_as_the_strings_they_replaced() {
        // Engine, date order and holidays were strings; their JSON (part of
        // the key) is unchanged, so existing cache entries stay reachable.
        let s = Settings {
            engine: crate::text::EngineName::PdfExtract,
            date_order: Some(crate::normalise::DateOrder::Dmy),
            holidays: crate::normalise::Calendar::from_iso_lines("2025-12-25\n2025-12-26").unwrap(),
            ..Settings::default()
        };
        let json = serde_json::to_string(&s).unwrap();
        assert!(json.starts_with(r#"{"engine":"pdf-extract","#), "{json}");
        assert!(json.contains(r#","date_order":"dmy","holidays":["2025-12-25","2025-12-26"],"#), "{json}");
        let back: Settings = serde_json::from_str(&json).unwrap();
        assert_eq!(serde_json::to_string(&back).unwrap(), json);
    }

    #[test]
    fn a_document_for_other_bytes_is_not_stored() {
        let tmp = tempfile::tempdir().unwrap();
        let cache = Cache::with_context(tmp.path(), "ctx".into()).unwrap();
        let key = cache.key_for("aa");
        assert!(!cache.store(&key, &doc("bb")));
        assert!(!cache.store(&key, &doc("")));
        assert!(cache.read(&key).is_none());
    }

    #[test]
    fn corrupt_entries_are_ignored() {
        let tmp = tempfile::tempdir().unwrap();
        let cache = Cache::with_context(tmp.path(), "ctx".into()).unwrap();
        let key = cache.key_for("aa");
        assert!(cache.store(&key, &doc("aa")));
        let path = cache.entry_path(&key);
        let good = std::fs::read(&path).unwrap();
        // Truncated (a torn write), one byte flipped in the body, the header
        // of another key, garbage, empty: each is ignored.
        let mut flipped = good.clone();
        let last = flipped.len() - 3;
        flipped[last] ^= 0x20;
        let other = encode(&cache.key_for("cc"), &doc("aa")).unwrap();
        for bad in [&good[..good.len() - 5], &flipped[..], &other[..], b"not json\n{}", b""] {
            std::fs::write(&path, bad).unwrap();
            assert!(cache.read(&key).is_none());
        }
        assert_eq!(cache.stats.corrupt.load(Ordering::Relaxed), 5);
        // Rebuilt by the next store.
        assert!(cache.store(&key, &doc("aa")));
        assert_eq!(cache.read(&key).unwrap().pages, Some(2));
    }

    #[test]
    fn over_the_size_limit_and_walk_errors_are_skipped() {
        let tmp = tempfile::tempdir().unwrap();
        let cache = Cache::with_context(tmp.path(), "ctx".into()).unwrap();
        let big = input(tmp.path(), "big.pdf", &[b'x'; 100]);
        assert!(matches!(cache.probe(&big, Some(99)), Probe::Skip));
        assert!(matches!(cache.probe(&big, Some(100)), Probe::Miss(_)));
        let walked = Input { walk_error: Some("loop".into()), ..big };
        assert!(matches!(cache.probe(&walked, None), Probe::Skip));
    }

    #[test]
    fn prune_keeps_the_most_recently_used() {
        let tmp = tempfile::tempdir().unwrap();
        let cache = Cache::with_context(tmp.path(), "ctx".into()).unwrap();
        let keys: Vec<Key> = ["a1", "b2", "c3"].iter().map(|s| cache.key_for(s)).collect();
        let base = SystemTime::now() - Duration::from_secs(1000);
        for (i, k) in keys.iter().enumerate() {
            cache.store(k, &doc(&k.file_sha256));
            let f = std::fs::File::options().append(true).open(cache.entry_path(k)).unwrap();
            f.set_modified(base + Duration::from_secs(10 * i as u64)).unwrap();
        }
        // Reading the oldest makes it the newest.
        assert!(cache.read(&keys[0]).is_some());
        let one = std::fs::metadata(cache.entry_path(&keys[0])).unwrap().len();
        let report = cache.prune(2 * one + one / 2).unwrap();
        assert_eq!((report.removed, report.kept), (1, 2));
        assert!(cache.read(&keys[1]).is_none(), "the least recently used entry goes");
        assert!(cache.read(&keys[0]).is_some() && cache.read(&keys[2]).is_some());
        // A stale temporary file goes too; a fresh one (a run writing now) stays.
        let dir = cache.entry_path(&keys[0]).parent().unwrap().to_path_buf();
        for (name, age) in [(".tmp-old", 7200), (".tmp-new", 0)] {
            std::fs::write(dir.join(name), b"partial").unwrap();
            let f = std::fs::File::options().append(true).open(dir.join(name)).unwrap();
            f.set_modified(SystemTime::now() - Duration::from_secs(age)).unwrap();
        }
        cache.prune(u64::MAX).unwrap();
        assert!(!dir.join(".tmp-old").exists() && dir.join(".tmp-new").exists());
    }
}
