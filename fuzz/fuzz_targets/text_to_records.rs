//! Text → records: layout, segmenting, every built-in rule, the normalisers
//! (dates, relative dates, amounts, percentages) and assembly, on arbitrary
//! text. Any panic is a finding.
#![no_main]

use std::sync::OnceLock;

use contract_milestones::options::DocOptions;
use contract_milestones::pipeline::analyse_text;
use contract_milestones::rules::RuleSet;
use libfuzzer_sys::fuzz_target;

fn rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(RuleSet::builtin)
}

fuzz_target!(|data: &[u8]| {
    // Long inputs only slow the search down; contracts' sentences are short.
    if data.len() > 8192 {
        return;
    }
    let text = String::from_utf8_lossy(data);
    let _ = analyse_text(&text, &DocOptions::default(), rules());
});
