//! `contract-milestones`: milestone, deliverable and payment schedules out of
//! folders of contract PDFs, as JSON records.
//!
//! The pipeline's stages are the modules, in order:
//! [`discover`] (walk folders) → [`text`] (PDF → positioned lines) →
//! [`segment`] (lines → sentences, list items, table rows) → [`rules`]
//! (declarative TOML rules find candidates) → [`normalise`] (dates, relative
//! dates, amounts, percentages) → [`assemble`] (records and document fields)
//! → [`output`] (JSON / JSON Lines / CSV / iCalendar). [`due`] lists what
//! falls due from the records; [`summary`] totals them and [`report`] draws
//! them as an HTML page. [`pipeline`] runs one document through
//! them; [`run`] runs a batch in parallel, each document in a worker process
//! that can be stopped.
//!
//! ```no_run
//! use contract_milestones::{pipeline, rules::RuleSet, discover::Input};
//! let rules = RuleSet::builtin();
//! let input = Input { rel: "sow.pdf".into(), path: "sow.pdf".into(), walk_error: None };
//! let doc = pipeline::process_input(&input, &pipeline::DocOptions::default(), &rules);
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
pub mod summary;
pub mod text;
