//! `contract-milestones cache prune`: keep a `--cache` folder within a size.

use std::path::PathBuf;

use anyhow::Result;
use clap::Subcommand;

use contract_milestones::cache;

use crate::exit::ExitCode;
use crate::setup::parse_size;

/// `contract-milestones cache ...`.
#[derive(Subcommand, Debug)]
pub(crate) enum CacheCommand {
    /// Delete least recently used entries until the cache fits --max-size (and leftovers of killed runs).
    Prune {
        /// The cache folder.
        #[arg(long, value_name = "DIR")]
        cache: PathBuf,
        /// Keep at most this much (bytes; K, M, G suffixes); 0 empties the cache.
        #[arg(long, value_name = "SIZE", default_value = "1G", value_parser = parse_size)]
        max_size: u64,
    },
}

/// `cache prune`.
pub(crate) fn run(cmd: CacheCommand) -> Result<ExitCode> {
    match cmd {
        CacheCommand::Prune { cache: dir, max_size } => {
            let r = cache::prune_dir(&dir, max_size)?;
            println!("{}: removed {} entries ({} bytes); kept {} entries ({} bytes)", dir.display(), r.removed, r.freed, r.kept, r.size);
            Ok(ExitCode::Ok)
        }
    }
}
