//! PDF bytes → document: the hostile-input pre-check, both engines (with
//! the fallback), layout and the rest of the pipeline. A panic that the
//! pipeline catches (an engine's) is not a finding, it becomes the
//! document's `error`; one that escapes `process_bytes` is. Stack overflows
//! and runaway memory inside an engine show up as crashes and out-of-memory
//! reports: the worker processes stop those in a real run, but each is
//! worth a look (and an upstream report).
#![no_main]

use std::sync::{Once, OnceLock};

use contract_milestones::options::DocOptions;
use contract_milestones::pipeline::process_bytes;
use contract_milestones::rules::RuleSet;
use libfuzzer_sys::fuzz_target;

fn rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(RuleSet::builtin)
}

fuzz_target!(|data: &[u8]| {
    static QUIET: Once = Once::new();
    // libfuzzer-sys aborts on any panic, even a caught one; catch_unwind
    // around the whole call below still turns an escaping panic into an abort.
    QUIET.call_once(|| std::panic::set_hook(Box::new(|_| {})));
    let mut opts = DocOptions::default();
    // Keep each run small: a fuzzed page tree may claim many pages.
    opts.extract.max_pages = Some(50);
    opts.max_memory = Some(256 << 20);
    let result = std::panic::catch_unwind(|| process_bytes("fuzz.pdf", data, &opts, rules()));
    if result.is_err() {
        std::process::abort();
    }
});
