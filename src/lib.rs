//! `contract-milestones`: milestone, deliverable and payment schedules out of
//! folders of contract PDFs, as JSON records.
//!
//! The pipeline's stages are the modules, in order:
//! [`discover`] (walk folders) → [`text`] (PDF → positioned lines) →
//! [`segment`] (lines → sentences, list items, table rows) → [`rules`]
//! (declarative TOML rules find hits) → [`normalise`] (dates, relative
//! dates, amounts, percentages) → [`candidates`] (every place that could be
//! an item, with its features) → [`decide`] (which candidates are items) →
//! [`assemble`] (records and document fields) → [`output`] (JSON / JSON
//! Lines / CSV / iCalendar). They share [`options`], [`lexicon`] and
//! [`record`]. [`pipeline`] runs one document through them; [`run`] runs a
//! batch in parallel, each document in a worker process that can be
//! stopped. [`due`] lists what falls due from the records; [`check`],
//! [`summary`], [`report`] and [`diff`] read them too. The README's Layout
//! lists the modules so that each imports only those listed before it.
//!
//! ```no_run
//! use contract_milestones::{options::DocOptions, pipeline, rules::RuleSet, discover::Input};
//! let rules = RuleSet::builtin();
//! let input = Input { rel: "sow.pdf".into(), path: "sow.pdf".into(), walk_error: None };
//! let doc = pipeline::process_input(&input, &DocOptions::default(), &rules);
//! println!("{}", serde_json::to_string_pretty(&doc).unwrap());
//! ```
//!
//! The library never prints; the binary (`main.rs`, `commands/`) does.
#![deny(missing_docs)]
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod assemble;
pub mod cache;
pub mod candidates;
pub mod check;
pub mod config;
pub mod decide;
pub mod diff;
pub mod discover;
pub mod due;
pub mod lexicon;
pub mod normalise;
pub mod ocr;
pub mod options;
pub mod output;
pub mod pipeline;
pub mod precheck;
pub mod record;
pub mod report;
pub mod resume;
pub mod rules;
pub mod run;
pub mod sarif;
pub mod segment;
pub mod selftest;
pub mod summary;
pub mod text;
pub mod train;
