//! The hidden `__worker` command: one document at a time for a parent
//! process (`run::serve_worker`), under its memory limit, with the parent's
//! settings, rules and guards.

use anyhow::{Context, Result};

use contract_milestones::config::Settings;
use contract_milestones::run;

use crate::exit::ExitCode;
use crate::setup::Pipeline;

/// Serve documents for a parent process until its standard input closes:
/// each one's document (`extract` and the rest) or, with `candidates`, its
/// training candidates (`train`).
pub(crate) fn run(settings_json: &str, candidates: bool) -> Result<ExitCode> {
    let settings: Settings = serde_json::from_str(settings_json).context("bad worker settings")?;
    if let Some(limit) = settings.max_memory {
        run::limit_memory(limit);
    }
    let Pipeline { doc_opts, rules, .. } = Pipeline::new(settings)?;
    if candidates {
        run::serve_worker::<contract_milestones::pipeline::Examined>(&doc_opts, &rules)?;
    } else {
        run::serve_worker::<contract_milestones::record::Document>(&doc_opts, &rules)?;
    }
    Ok(ExitCode::Ok)
}
