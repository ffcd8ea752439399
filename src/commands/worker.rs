//! The hidden `__worker` command: one document at a time for a parent
//! process (`run::serve_worker`), under its memory limit, with the parent's
//! settings, rules and guards.

use anyhow::{Context, Result};

use contract_milestones::config::Settings;
use contract_milestones::run;

use crate::exit::ExitCode;
use crate::setup::Pipeline;

/// Serve documents for a parent process until its standard input closes.
pub(crate) fn run(settings_json: &str) -> Result<ExitCode> {
    let settings: Settings = serde_json::from_str(settings_json).context("bad worker settings")?;
    if let Some(limit) = settings.max_memory {
        run::limit_memory(limit);
    }
    let Pipeline { doc_opts, rules, .. } = Pipeline::new(settings)?;
    run::serve_worker(&doc_opts, &rules)?;
    Ok(ExitCode::Ok)
}
