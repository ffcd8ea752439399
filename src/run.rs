//! Running a batch: documents in parallel on rayon, each one isolated in a
//! worker process that can be killed when it overruns `--timeout`, results
//! streamed to a sink in sorted path order.
//!
//! Why worker processes: a PDF library that hangs inside a loop cannot be
//! stopped from another thread, and a thread left spinning would burn a core
//! for the rest of the run. A process can be killed. Panics are caught inside
//! the worker; an abort or a memory-limit kill shows up as a dead worker and
//! becomes that document's status, and the pool starts a fresh worker.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::cache::Probe;
use crate::discover::Input;
use crate::options::DocOptions;
use crate::pipeline;
use crate::record::{Document, Status};
use crate::rules::RuleSet;

/// How documents are executed.
#[derive(Debug, Clone)]
pub enum Isolation {
    /// In this process (tests, library use): no timeout enforcement.
    InProcess,
    /// In worker processes started as `PROGRAM __worker`.
    Workers {
        /// The program to start (normally this executable).
        program: PathBuf,
        /// The arguments that make it a worker, before the settings.
        args: Vec<String>,
        /// Serialized settings handed to each worker.
        settings: String,
    },
}

/// Batch settings.
#[derive(Debug, Clone)]
pub struct BatchOptions {
    /// Worker threads (and processes).
    pub jobs: usize,
    /// Per-document time limit.
    pub timeout: Duration,
    /// Where documents run.
    pub isolation: Isolation,
    /// Take unchanged documents from this cache and store new ones (`--cache`).
    pub cache: Option<std::sync::Arc<crate::cache::Cache>>,
}

/// One finished document with its place in the output order.
struct Finished<O> {
    /// Position in the sorted input list.
    index: usize,
    /// The result.
    outcome: O,
}

/// Receives documents in input order as they finish.
pub trait Sink {
    /// Called once per input, in input order.
    fn document(&mut self, doc: &Document) -> std::io::Result<()>;
}

/// What a batch makes of one document: the extracted [`Document`]
/// (`extract` and the commands built on it) or a labelled document's
/// training candidates ([`pipeline::Examined`], `train`). Workers send it
/// to the parent as one line of JSON; the worker is told which by its
/// arguments ([`Isolation::Workers`]).
pub trait Outcome: Serialize + DeserializeOwned + Send {
    /// Whether the extraction cache holds outcomes of this kind.
    const CACHED: bool = false;
    /// One document in this process. Never panics for a PDF library's
    /// sake: the pipeline catches the engines' panics.
    fn of_input(input: &Input, opts: &DocOptions, rules: &RuleSet) -> Self;
    /// A document that ended outside the pipeline: a timeout, a crashed
    /// worker, a panic caught in the worker.
    fn failed(doc: Document) -> Self;
    /// An outcome from a cache entry (only called when [`Outcome::CACHED`]).
    fn from_cached(doc: Document) -> Self {
        Self::failed(doc)
    }
    /// The document to store in the cache (only asked when [`Outcome::CACHED`]).
    fn to_cache(&self) -> Option<&Document> {
        None
    }
}

impl Outcome for Document {
    const CACHED: bool = true;
    fn of_input(input: &Input, opts: &DocOptions, rules: &RuleSet) -> Self {
        pipeline::process_input(input, opts, rules)
    }
    fn failed(doc: Document) -> Self {
        doc
    }
    fn from_cached(doc: Document) -> Self {
        doc
    }
    fn to_cache(&self) -> Option<&Document> {
        Some(self)
    }
}

impl Outcome for pipeline::Examined {
    fn of_input(input: &Input, opts: &DocOptions, rules: &RuleSet) -> Self {
        pipeline::examine_input(input, opts, rules)
    }
    fn failed(doc: Document) -> Self {
        pipeline::Examined::from(doc)
    }
}

/// Process every input, calling `sink` in input order as results arrive.
/// `stop` lets a Ctrl-C handler end the run: documents under way in workers
/// are abandoned (their workers killed), the finished ones are written.
/// Returns the number of documents written (all of them, unless stopped or
/// the sink failed).
pub fn run_batch(inputs: &[Input], doc_opts: &DocOptions, rules: &RuleSet, batch: &BatchOptions, stop: &AtomicBool, sink: &mut dyn Sink) -> std::io::Result<usize> {
    run_outcomes::<Document>(inputs, doc_opts, rules, batch, stop, &mut |doc| sink.document(doc))
}

/// [`run_batch`] for any [`Outcome`]: each input's outcome handed to
/// `sink` in input order, under the same workers, time limit, memory limit
/// and Ctrl-C handling. The cache is used only for outcomes it holds.
pub fn run_outcomes<O: Outcome>(
    inputs: &[Input],
    doc_opts: &DocOptions,
    rules: &RuleSet,
    batch: &BatchOptions,
    stop: &AtomicBool,
    sink: &mut dyn FnMut(&O) -> std::io::Result<()>,
) -> std::io::Result<usize> {
    let jobs = batch.jobs.max(1).min(inputs.len().max(1));
    let pool = rayon::ThreadPoolBuilder::new().num_threads(jobs).thread_name(|i| format!("cm-worker-{i}")).build().map_err(std::io::Error::other)?;
    let next = AtomicUsize::new(0);
    let workers: Mutex<Vec<Worker>> = Mutex::new(Vec::new());
    let (tx, rx) = mpsc::channel::<Finished<O>>();
    let mut written = 0usize;
    let mut sink_error = None;
    let sink_failed = AtomicBool::new(false);
    pool.in_place_scope(|scope| {
        for _ in 0..jobs {
            let tx = tx.clone();
            let (next, workers, sink_failed) = (&next, &workers, &sink_failed);
            scope.spawn(move |_| loop {
                if stop.load(Ordering::SeqCst) || sink_failed.load(Ordering::SeqCst) {
                    break;
                }
                // A shared counter, not par_iter's split ranges: documents
                // start in order, so results arrive nearly in order and the
                // reorder buffer stays as small as the thread count.
                let index = next.fetch_add(1, Ordering::SeqCst);
                let Some(input) = inputs.get(index) else { break };
                // The cache is asked here, in the parent, before a worker
                // is involved: hashing a file costs far less than extracting it.
                let probe = batch.cache.as_ref().filter(|_| O::CACHED).map_or(Probe::Skip, |c| c.probe(input, doc_opts.max_file_size));
                let key = match probe {
                    Probe::Hit(document) => {
                        if tx.send(Finished { index, outcome: O::from_cached(*document) }).is_err() {
                            break;
                        }
                        continue;
                    }
                    Probe::Miss(key) => Some(key),
                    Probe::Skip => None,
                };
                // `produced`: the pipeline's own answer (not a timeout or a
                // crashed worker), the only kind worth caching.
                let (outcome, produced) = match &batch.isolation {
                    // A walk error (a symlink loop, an unreadable folder) is
                    // the whole answer: no file to hand to a worker.
                    _ if input.walk_error.is_some() => (O::of_input(input, doc_opts, rules), true),
                    Isolation::InProcess => (O::of_input(input, doc_opts, rules), true),
                    Isolation::Workers { program, args, settings } => {
                        let worker = workers.lock().map(|mut w| w.pop()).unwrap_or(None);
                        let (doc, worker, produced) = run_in_worker::<O>(worker, program, args, settings, input, batch.timeout, stop);
                        // Ctrl-C: the document under way is abandoned, not written.
                        let Some(doc) = doc else { break };
                        if let Some(w) = worker {
                            if let Ok(mut ws) = workers.lock() {
                                ws.push(w);
                            }
                        }
                        (doc, produced)
                    }
                };
                if let (Some(cache), Some(key), true, Some(document)) = (&batch.cache, &key, produced, outcome.to_cache()) {
                    cache.store(key, document);
                }
                if tx.send(Finished { index, outcome }).is_err() {
                    break;
                }
            });
        }
        drop(tx);
        // The writer: reorder and hand documents to the sink in input order.
        let mut pending: BTreeMap<usize, O> = BTreeMap::new();
        for finished in rx.iter() {
            pending.insert(finished.index, finished.outcome);
            while let Some(outcome) = pending.remove(&written) {
                if sink_error.is_none() {
                    if let Err(e) = sink(&outcome) {
                        sink_error = Some(e);
                        sink_failed.store(true, Ordering::SeqCst);
                    }
                }
                written += 1;
            }
        }
    });
    if let Ok(mut ws) = workers.lock() {
        for mut w in ws.drain(..) {
            w.shutdown();
        }
    }
    match sink_error {
        Some(e) => Err(e),
        None => Ok(written),
    }
}

/// The line a worker prints once its rules are loaded.
const READY: &str = "{\"ready\":true}";
/// How long a worker may take to start.
const WORKER_START_LIMIT: Duration = Duration::from_secs(120);

/// A request to a worker: one line of JSON.
#[derive(Debug, Serialize, Deserialize)]
pub struct Request {
    /// Path relative to its root.
    pub rel: String,
    /// Where to read the file (as its raw bytes: a file name need not be UTF-8).
    #[serde(with = "path_bytes")]
    pub path: PathBuf,
}

/// A path as the bytes of its name, so that non-UTF-8 file names survive the
/// trip to a worker (JSON strings cannot hold them).
mod path_bytes {
    use serde::{Deserialize, Deserializer, Serializer};
    use std::path::{Path, PathBuf};

    pub fn serialize<S: Serializer>(path: &Path, s: S) -> Result<S::Ok, S::Error> {
        #[cfg(unix)]
        let bytes = std::os::unix::ffi::OsStrExt::as_bytes(path.as_os_str()).to_vec();
        #[cfg(not(unix))]
        let bytes = path.to_string_lossy().into_owned().into_bytes();
        s.serialize_bytes(&bytes)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<PathBuf, D::Error> {
        let bytes = Vec::<u8>::deserialize(d)?;
        #[cfg(unix)]
        return Ok(PathBuf::from(<std::ffi::OsString as std::os::unix::ffi::OsStringExt>::from_vec(bytes)));
        #[cfg(not(unix))]
        return Ok(PathBuf::from(String::from_utf8_lossy(&bytes).into_owned()));
    }
}

struct Worker {
    child: Child,
    /// `None` once closed (shutdown).
    stdin: Option<ChildStdin>,
    lines: Receiver<std::io::Result<String>>,
    /// Documents it has answered.
    served: usize,
}

impl Worker {
    fn spawn(program: &PathBuf, args: &[String], settings: &str) -> std::io::Result<Worker> {
        let mut cmd = Command::new(program);
        cmd.args(args)
            .arg(settings)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            // The worker keeps panic text to itself (it goes into `error`);
            // anything a library still prints must not reach the terminal.
            .stderr(Stdio::null());
        // Its own process group: Ctrl-C reaches the parent only, which lets
        // the documents under way finish and closes the output properly.
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
        let mut child = cmd.spawn()?;
        let stdin = child.stdin.take().ok_or_else(|| std::io::Error::other("worker has no stdin"))?;
        let stdout = child.stdout.take().ok_or_else(|| std::io::Error::other("worker has no stdout"))?;
        let (tx, lines) = mpsc::channel();
        std::thread::Builder::new().name("cm-worker-reader".into()).spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let end = line.is_err();
                if tx.send(line).is_err() || end {
                    break;
                }
            }
        })?;
        let worker = Worker { child, stdin: Some(stdin), lines, served: 0 };
        // The worker compiles its rules before it says it is ready; that time
        // must not count against the first document's --timeout.
        match worker.lines.recv_timeout(WORKER_START_LIMIT) {
            Ok(Ok(line)) if line == READY => Ok(worker),
            Ok(Ok(other)) => Err(std::io::Error::other(format!("the worker said {other:?} instead of {READY}"))),
            _ => {
                let status = worker.kill();
                Err(std::io::Error::other(format!("the worker process did not start ({})", describe(status))))
            }
        }
    }

    /// Whether this worker should take `next`, or give way to a fresh one.
    ///
    /// A long-lived worker's heap only grows (allocator fragmentation, the
    /// rules it compiled and the regex engines' caches): past
    /// [`RECYCLE_RSS_BYTES`] it is replaced, so a run's memory does not grow
    /// with the number of documents, and a large file
    /// ([`FRESH_WORKER_BYTES`]) starts on a fresh one.
    fn fit_for(&self, next: &Input) -> bool {
        self.served == 0 || (!is_large(&next.path) && worker_rss(self.child.id()).is_none_or(|rss| rss <= RECYCLE_RSS_BYTES))
    }

    fn kill(mut self) -> Option<std::process::ExitStatus> {
        kill_group(&self.child);
        let _ = self.child.kill();
        self.child.wait().ok()
    }

    fn shutdown(&mut self) {
        // Closing stdin ends the worker's loop; kill it if it does not go.
        drop(self.stdin.take());
        let deadline = Instant::now() + Duration::from_millis(500);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Kill what a worker started (pdftoppm, tesseract for --ocr): it leads its
/// own process group.
fn kill_group(child: &Child) {
    #[cfg(unix)]
    if let Ok(pid) = libc::pid_t::try_from(child.id()) {
        unsafe {
            libc::kill(-pid, libc::SIGKILL);
        }
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            kill_group(&self.child);
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Run one document in a worker; `None` when `stop` (Ctrl-C) came first
/// (the worker is killed and the document abandoned). The flag says the
/// document is the pipeline's own answer (not a timeout or a crash).
fn run_in_worker<O: Outcome>(worker: Option<Worker>, program: &PathBuf, args: &[String], settings: &str, input: &Input, timeout: Duration, stop: &AtomicBool) -> (Option<O>, Option<Worker>, bool) {
    let failed = |status, why: String| Some(Document::failed(input.rel.clone(), String::new(), status, why));
    let worker = match worker {
        Some(mut w) if !w.fit_for(input) => {
            w.shutdown();
            None
        }
        other => other,
    };
    let mut worker = match worker {
        Some(w) => w,
        None => match Worker::spawn(program, args, settings) {
            Ok(w) => w,
            Err(e) => return (failed(Status::Unreadable, format!("cannot start a worker process: {e} (is --max-memory too low?)")).map(O::failed), None, false),
        },
    };
    let request = Request { rel: input.rel.clone(), path: input.path.clone() };
    let line = serde_json::to_string(&request).expect("a request serializes");
    let sent = match worker.stdin.as_mut() {
        Some(stdin) => writeln!(stdin, "{line}").and_then(|_| stdin.flush()),
        None => Err(std::io::Error::other("the worker's input is closed")),
    };
    if sent.is_err() {
        let status = worker.kill();
        return (failed(Status::Unreadable, format!("the worker process died before reading the file ({})", describe(status))).map(O::failed), None, false);
    }
    // Wait for the reply in short steps, so that Ctrl-C is not held up by a
    // document that takes its whole --timeout.
    let deadline = Instant::now() + timeout;
    let reply = loop {
        if stop.load(Ordering::SeqCst) {
            worker.kill();
            return (None, None, false);
        }
        let step = deadline.saturating_duration_since(Instant::now()).min(Duration::from_millis(100));
        match worker.lines.recv_timeout(step) {
            Err(RecvTimeoutError::Timeout) if Instant::now() < deadline => continue,
            other => break other,
        }
    };
    match reply {
        Ok(Ok(reply)) => match serde_json::from_str::<O>(&reply) {
            Ok(outcome) => {
                worker.served += 1;
                (Some(outcome), Some(worker), true)
            }
            Err(e) => {
                worker.kill();
                (failed(Status::Unreadable, format!("the worker process sent a malformed reply: {e}")).map(O::failed), None, false)
            }
        },
        Err(RecvTimeoutError::Timeout) => {
            worker.kill();
            let mut doc = failed(Status::Timeout, format!("processing took longer than {} (--timeout); stopped", human_duration(timeout)));
            if let Some(d) = doc.as_mut() {
                d.sha256 = sha_of_file(&input.path);
            }
            (doc.map(O::failed), None, false)
        }
        Ok(Err(_)) | Err(RecvTimeoutError::Disconnected) => {
            let status = worker.kill();
            let bytes = std::fs::read(&input.path).ok();
            let why = match bytes.as_deref().and_then(pipeline::crash_reason) {
                Some(nested) => format!("{nested} (it crashed the worker process, {})", describe(status)),
                None => format!("the PDF library crashed the worker process ({}); the file is probably malformed, or it needed more than --max-memory", describe(status)),
            };
            let mut doc = failed(Status::Unreadable, why);
            if let Some(d) = doc.as_mut() {
                d.sha256 = bytes.as_deref().map(pipeline::sha256_hex).unwrap_or_default();
            }
            (doc.map(O::failed), None, false)
        }
    }
}

/// A worker holding more than this between documents is replaced: a
/// document that leaves more behind than the compiled rules (allocator
/// fragmentation) gets the next one a fresh worker, so a worker stays
/// within the 100 MB the project aims for (figures: `docs/performance.md`).
const RECYCLE_RSS_BYTES: u64 = 96 * 1024 * 1024;

/// A file this large or larger starts on a fresh worker: a warm worker's
/// compiled rules and a long document's own need together pass the memory
/// a worker aims for, and size on disk is the one measure known before the
/// file is opened (figures: `docs/performance.md`).
const FRESH_WORKER_BYTES: u64 = 2 * 1024 * 1024;

fn is_large(path: &std::path::Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.len() >= FRESH_WORKER_BYTES)
}

/// Resident memory of a process (Linux: `/proc/PID/status`), in bytes.
fn worker_rss(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

fn sha_of_file(path: &std::path::Path) -> String {
    std::fs::read(path).map(|b| pipeline::sha256_hex(&b)).unwrap_or_default()
}

fn describe(status: Option<std::process::ExitStatus>) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(sig) = status.and_then(|s| s.signal()) {
            return format!("killed by signal {sig}");
        }
    }
    match status.and_then(|s| s.code()) {
        Some(c) => format!("exit code {c}"),
        None => "no exit status".into(),
    }
}

/// "30s", "1.5s".
pub fn human_duration(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s.fract() == 0.0 {
        format!("{}s", s as u64)
    } else {
        format!("{s:.1}s")
    }
}

/// The worker side: read requests from stdin, answer each with one line of
/// JSON on stdout (the document's [`Outcome`]), until stdin closes.
pub fn serve_worker<O: Outcome>(doc_opts: &DocOptions, rules: &RuleSet) -> std::io::Result<()> {
    // Panics are caught per document; keep their text off the terminal.
    std::panic::set_hook(Box::new(|_| {}));
    pipeline::mark_isolated();
    let stdin = std::io::stdin();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    writeln!(out, "{READY}")?;
    out.flush()?;
    for line in stdin.lock().lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let req: Request = match serde_json::from_str(&line) {
            Ok(r) => r,
            Err(e) => return Err(std::io::Error::other(format!("bad request: {e}"))),
        };
        let input = Input { rel: req.rel.clone(), path: req.path, walk_error: None };
        fault_injection(&input);
        let doc = match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| O::of_input(&input, doc_opts, rules))) {
            Ok(doc) => doc,
            Err(p) => O::failed(Document {
                error_detail: Some(pipeline::panic_message(&p)),
                ..Document::failed(req.rel, String::new(), Status::Unreadable, "the program stopped on an internal error while processing this file (a bug: please report it)")
            }),
        };
        serde_json::to_writer(&mut out, &doc).map_err(std::io::Error::other)?;
        out.write_all(b"\n")?;
        out.flush()?;
        drop(doc);
        release_freed_memory();
    }
    Ok(())
}

/// Test hook: `CONTRACT_MILESTONES_FAULT=hang:NAME` makes the worker hang on
/// files whose name contains NAME, `crash:NAME` makes it abort, `alloc:NAME`
/// makes it allocate 1 GiB first (to test --max-memory). It lets the
/// tests exercise the timeout and crash paths without a PDF that really hangs.
fn fault_injection(input: &Input) {
    let Ok(spec) = std::env::var("CONTRACT_MILESTONES_FAULT") else { return };
    for part in spec.split(',') {
        if let Some(name) = part.strip_prefix("hang:") {
            if !name.is_empty() && input.rel.contains(name) {
                loop {
                    std::thread::sleep(Duration::from_secs(3600));
                }
            }
        }
        if let Some(name) = part.strip_prefix("alloc:") {
            // 1 GiB, touched: over a small --max-memory the worker dies.
            if !name.is_empty() && input.rel.contains(name) {
                let v = vec![1u8; 1 << 30];
                std::hint::black_box(&v);
            }
        }
        if let Some(name) = part.strip_prefix("crash:") {
            if !name.is_empty() && input.rel.contains(name) {
                std::process::abort();
            }
        }
    }
}

/// Hand the memory the last document used back to the system (pdf_oxide's
/// process-wide fonts, then the allocators' free pages), so a worker that
/// once read a large PDF does not keep its peak for the rest of the run.
/// The binary allocates with mimalloc (src/main.rs), which gives freed
/// pages back after a delay: now, before the parent reads the worker's
/// resident memory to decide whether to replace it.
fn release_freed_memory() {
    crate::text::oxide::forget_fonts();
    // SAFETY: mimalloc's own bookkeeping; harmless where it is not the
    // allocator (the library's tests).
    unsafe { libmimalloc_sys::mi_collect(true) };
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Limit this process's address space (the per-document memory bound a
/// worker runs under). A decompression bomb then fails an allocation and the
/// worker dies instead of the machine swapping.
pub fn limit_memory(bytes: u64) {
    #[cfg(unix)]
    unsafe {
        let lim = libc::rlimit { rlim_cur: bytes as libc::rlim_t, rlim_max: bytes as libc::rlim_t };
        libc::setrlimit(libc::RLIMIT_AS, &lim);
    }
}

/// Counts for the end-of-run summary.
#[derive(Debug, Default, Clone)]
pub struct Tally {
    /// Documents written.
    pub documents: usize,
    /// Records over all documents.
    pub records: usize,
    /// Pages over all documents.
    pub pages: u64,
    /// Documents per non-ok status.
    pub failures: BTreeMap<&'static str, usize>,
}

impl Tally {
    /// Count one document.
    pub fn add(&mut self, doc: &Document) {
        self.documents += 1;
        self.records += doc.records.len();
        self.pages += u64::from(doc.pages.unwrap_or(0));
        if doc.status != Status::Ok {
            *self.failures.entry(doc.status.as_str()).or_default() += 1;
        }
    }
    /// Whether any document failed.
    pub fn any_failed(&self) -> bool {
        !self.failures.is_empty()
    }
    /// The one summary line.
    pub fn summary(&self, elapsed: Duration) -> String {
        let failures = if self.failures.is_empty() {
            "no failures".to_string()
        } else {
            let parts: Vec<String> = self.failures.iter().map(|(s, n)| format!("{n} {s}")).collect();
            format!("failures: {}", parts.join(", "))
        };
        format!(
            "{} document{}, {} page{}, {} record{}; {}; {:.1}s",
            self.documents,
            plural(self.documents),
            self.pages,
            plural(self.pages as usize),
            self.records,
            plural(self.records),
            failures,
            elapsed.as_secs_f64()
        )
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
