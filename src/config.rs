//! Settings that decide how each document is processed, in a form that can
//! be handed to a worker process as one line of JSON.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::normalise::{Calendar, DateOrder};
use crate::options::DocOptions;
use crate::rules::{RuleErrors, RuleSet, RuleSources};
use crate::text::{EngineName, ExtractOptions};

/// Per-document settings shared by the parent and its workers.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Settings {
    /// First engine.
    pub engine: EngineName,
    /// Try the other engine on failure.
    pub fallback: bool,
    /// Password for protected PDFs.
    pub password: Option<String>,
    /// Page limit.
    pub max_pages: Option<u32>,
    /// File size limit in bytes.
    pub max_file_size: Option<u64>,
    /// Memory limit of a worker process in bytes.
    pub max_memory: Option<u64>,
    /// Forced order of numeric dates; `None` decides per document.
    pub date_order: Option<DateOrder>,
    /// Holidays (`--holidays`) skipped by business-day arithmetic; in JSON a
    /// list of ISO dates.
    pub holidays: Calendar,
    /// User rule folders.
    pub rules: Vec<PathBuf>,
    /// Leave out the built-in rules.
    pub no_default_rules: bool,
    /// Skip the business days of the built-in US federal holiday calendar too.
    #[serde(default)]
    pub us_holidays: bool,
    /// Run every rule on every segment (benchmarking the prefilter).
    #[serde(default)]
    pub no_prefilter: bool,
    /// OCR pages without a text layer (`--ocr`).
    #[serde(default)]
    pub ocr: bool,
    /// `extract --as-of`: also compute the term in force on this day.
    #[serde(default)]
    pub as_of: Option<chrono::NaiveDate>,
}

impl Settings {
    /// Where rules come from.
    pub fn rule_sources(&self) -> RuleSources {
        RuleSources { no_defaults: self.no_default_rules, dirs: self.rules.clone() }
    }

    /// Load the rules these settings name.
    pub fn load_rules(&self) -> Result<RuleSet, RuleErrors> {
        let mut rules = RuleSet::load(&self.rule_sources())?;
        if self.no_prefilter {
            rules.disable_prefilter();
        }
        Ok(rules)
    }

    /// The options one document is processed with.
    pub fn doc_options(&self) -> DocOptions {
        let mut calendar = self.holidays.clone();
        if self.us_holidays {
            calendar = calendar.merge(&Calendar::us_federal(1990, 2100));
        }
        DocOptions {
            engine: self.engine,
            fallback: self.fallback,
            extract: ExtractOptions { password: self.password.clone(), max_pages: self.max_pages },
            max_file_size: self.max_file_size,
            date_order: self.date_order,
            calendar,
            max_memory: self.max_memory,
            ocr: self.ocr,
            as_of: self.as_of,
        }
    }
}
