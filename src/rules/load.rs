//! Reading rule files: the built-in ones (embedded) and the user's folders,
//! and where in a file a problem is (`file:line:column`).

use std::path::{Path, PathBuf};

use super::RuleSet;

/// The built-in rule files, embedded so the binary works from any folder.
pub const BUILTIN: &[(&str, &str)] = &[
    ("rules/fragments.toml", include_str!("../../rules/fragments.toml")),
    ("rules/document.toml", include_str!("../../rules/document.toml")),
    ("rules/renewal.toml", include_str!("../../rules/renewal.toml")),
    ("rules/price.toml", include_str!("../../rules/price.toml")),
    ("rules/parties.toml", include_str!("../../rules/parties.toml")),
    ("rules/lexicon.toml", include_str!("../../rules/lexicon.toml")),
    ("rules/model.toml", include_str!("../../rules/model.toml")),
    ("rules/cases.toml", include_str!("../../rules/cases.toml")),
];

/// A problem in a rule file, located at `file:line:column`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}{}: {message}{}", if *line > 0 { format!(":{line}:{column}") } else { String::new() }, hint.as_ref().map(|h| format!("\n  hint: {h}")).unwrap_or_default())]
pub struct RuleError {
    /// The rule file.
    pub file: String,
    /// 1-based line; 0 when the error is about the whole file or folder (then no line and column are shown).
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
}

/// All the errors found in a set of rule files.
#[derive(Debug, thiserror::Error)]
#[error("{}", .0.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n"))]
pub struct RuleErrors(pub Vec<RuleError>);

/// Where rules come from.
#[derive(Debug, Clone, Default)]
pub struct RuleSources {
    /// Leave out the built-in rules.
    pub no_defaults: bool,
    /// Folders (or files) of user rules; a user rule with a built-in id replaces it.
    pub dirs: Vec<PathBuf>,
}

/// One rule file's text with its name.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Name used in errors.
    pub name: String,
    /// The TOML text.
    pub text: String,
}

impl SourceFile {
    /// An error at byte `at` of this file, with its line and column.
    pub(super) fn error_at(&self, at: usize, message: String, hint: &str) -> RuleError {
        let (line, column) = line_col(&self.text, at);
        RuleError { file: self.name.clone(), line, column, message, hint: Some(hint.into()) }
    }
}

/// Read the rule files named by `sources` (built-ins first).
pub fn read_sources(sources: &RuleSources) -> Result<Vec<SourceFile>, RuleErrors> {
    let mut files = Vec::new();
    if !sources.no_defaults {
        files.extend(BUILTIN.iter().map(|(n, t)| SourceFile { name: format!("(built-in) {n}"), text: t.to_string() }));
    }
    let mut errors = Vec::new();
    for dir in &sources.dirs {
        if !dir.exists() {
            errors.push(at(dir, 0, 0, "no such file or folder".into(), None));
            continue;
        }
        match toml_files(dir) {
            Ok(paths) => {
                if paths.is_empty() {
                    errors.push(at(dir, 0, 0, "no .toml rule files here".into(), Some("rule files end in .toml".into())));
                }
                for p in paths {
                    match std::fs::read_to_string(&p) {
                        Ok(text) => files.push(SourceFile { name: p.display().to_string(), text }),
                        Err(e) => errors.push(at(&p, 0, 0, format!("cannot read: {e}"), None)),
                    }
                }
            }
            Err(e) => errors.push(at(dir, 0, 0, format!("cannot read: {e}"), None)),
        }
    }
    if errors.is_empty() {
        Ok(files)
    } else {
        Err(RuleErrors(errors))
    }
}

fn at(path: &Path, line: usize, column: usize, message: String, hint: Option<String>) -> RuleError {
    RuleError { file: path.display().to_string(), line, column, message, hint }
}

fn toml_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    if dir.is_file() {
        return Ok(vec![dir.to_path_buf()]);
    }
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(std::io::Error::other)?;
        if entry.file_type().is_file() && entry.path().extension().is_some_and(|e| e == "toml") {
            out.push(entry.path().to_path_buf());
        }
    }
    Ok(out)
}

/// 1-based line and column of a byte offset.
pub(super) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before.rfind('\n').map_or(before.chars().count(), |p| before[p + 1..].chars().count()) + 1;
    (line, col)
}

impl RuleSet {
    /// Load, check and compile rules from `sources`.
    pub fn load(sources: &RuleSources) -> Result<RuleSet, RuleErrors> {
        RuleSet::compile(&read_sources(sources)?)
    }

    /// The built-in rules (panics only if the embedded files are broken,
    /// which the tests rule out).
    pub fn builtin() -> RuleSet {
        RuleSet::load(&RuleSources::default()).expect("the built-in rules compile")
    }
}
