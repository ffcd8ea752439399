//! `contract-milestones rules test|check|list|schema`: work with rule files.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;
use clap::Subcommand;

use contract_milestones::config::Settings;
use contract_milestones::selftest;

use crate::exit::ExitCode;
use crate::setup::{load_rules, RuleArgs};

#[derive(Subcommand, Debug)]
pub(crate) enum RulesCommand {
    /// Run every rule's examples and counter-examples; exit 0 only when all pass.
    Test {
        /// Rule folder to test (in addition to the built-ins unless --no-default-rules).
        dir: Option<PathBuf>,
        #[command(flatten)]
        rules: RuleArgs,
    },
    /// Validate rule files without running them; errors name file:line:column (exit 2).
    Check {
        /// Rule folder to check (in addition to the built-ins unless --no-default-rules).
        dir: Option<PathBuf>,
        #[command(flatten)]
        rules: RuleArgs,
    },
    /// One line per rule: id, kind, description.
    List {
        #[command(flatten)]
        rules: RuleArgs,
    },
    /// Print the JSON Schema (draft 2020-12) of rule files, for editors and checks.
    Schema,
}

fn rule_settings(dir: Option<PathBuf>, rules: RuleArgs) -> Settings {
    let mut dirs = rules.rules;
    dirs.extend(dir);
    Settings { rules: dirs, no_default_rules: rules.no_default_rules, ..Settings::default() }
}

/// `rules test`, `rules check`, `rules list`, `rules schema`.
pub(crate) fn run(cmd: RulesCommand) -> Result<ExitCode> {
    match cmd {
        RulesCommand::Check { dir, rules } => {
            let settings = rule_settings(dir, rules);
            match settings.load_rules().and_then(|set| set.compile_all().map(|()| set)) {
                Ok(set) => {
                    println!("{} rules ok", set.rules.len());
                    Ok(ExitCode::Ok)
                }
                Err(errors) => {
                    eprintln!("{errors}");
                    eprintln!("{} error{} in rule files", errors.0.len(), if errors.0.len() == 1 { "" } else { "s" });
                    Ok(ExitCode::Usage)
                }
            }
        }
        RulesCommand::Test { dir, rules } => {
            let settings = rule_settings(dir, rules);
            let set = match settings.load_rules() {
                Ok(s) => s,
                Err(errors) => {
                    eprintln!("{errors}");
                    return Ok(ExitCode::Usage);
                }
            };
            let report = selftest::run(&set);
            for f in &report.failures {
                println!("FAIL {} [{}] ({}): {:?}\n     {}", f.rule, f.outcome, f.source, f.text, f.detail);
            }
            let (cases, case_failures) = selftest::cases::run(&set);
            for f in &case_failures {
                println!("FAIL case {:?} ({}):\n     {}", f.about, f.source, f.detail);
            }
            let failed = report.failures.len();
            println!(
                "rules test: {} rules, {} passed, {} failed; {} cases, {} passed, {} failed",
                report.rules,
                report.cases - failed,
                failed,
                cases,
                cases - case_failures.len(),
                case_failures.len()
            );
            Ok(if failed == 0 && case_failures.is_empty() { ExitCode::Ok } else { ExitCode::Attention })
        }
        RulesCommand::List { rules } => {
            let settings = rule_settings(None, rules);
            let set = load_rules(&settings)?;
            let width = set.rules.iter().map(|r| r.id.len()).max().unwrap_or(0);
            for r in &set.rules {
                println!("{:width$}  {:15}  {}", r.id, r.kind.as_str(), r.description);
            }
            Ok(ExitCode::Ok)
        }
        RulesCommand::Schema => {
            let mut out = std::io::stdout().lock();
            out.write_all(contract_milestones::rules::schema::json_schema().as_bytes())?;
            out.flush()?;
            Ok(ExitCode::Ok)
        }
    }
}
