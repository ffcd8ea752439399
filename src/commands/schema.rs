//! `contract-milestones schema`: the JSON Schema of extract's output.

use std::io::Write;

use anyhow::Result;

use contract_milestones::output;

use crate::exit::ExitCode;

/// Print the schema embedded in the binary.
pub(crate) fn run() -> Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    out.write_all(output::JSON_SCHEMA.as_bytes())?;
    out.flush()?;
    Ok(ExitCode::Ok)
}
