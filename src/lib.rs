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

/// An enum whose variants are written as fixed names (JSON, CSV, rule
/// files, tables). The names are given once, beside the variants, and that
/// one table makes `as_str`, `from_name`, `ALL`, `Display` and serde both
/// ways, so no second list (a `match` elsewhere, a serde attribute) can
/// drift from it. Defined here, before the modules, so every module can use
/// it without an import.
macro_rules! named_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $text:literal, )+
        }
    ) => {
        $(#[$meta])*
        $vis enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            /// Every variant, in the order declared.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The name as written.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }

            /// The variant of a name, written exactly as [`Self::as_str`] writes it.
            pub fn from_name(s: &str) -> Option<$name> {
                match s {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                // `pad`, not `write_str`: a width (`{:7}`) applies.
                f.pad(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct Name;
                impl serde::de::Visitor<'_> for Name {
                    type Value = $name;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(concat!("one of" $(, " `", $text, "`")+))
                    }
                    fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<$name, E> {
                        // The message serde's derive gives: "unknown variant `x`, expected one of ...".
                        $name::from_name(s).ok_or_else(|| E::unknown_variant(s, &[$($text),+]))
                    }
                }
                d.deserialize_str(Name)
            }
        }
    };
}

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
