//! `contract-milestones train`: learn the decision's weights from labelled
//! folders, with cross-validated scores.

use std::path::PathBuf;

use anyhow::Result;
use clap::Args;

use crate::exit::{usage, ExitCode};
use crate::setup::{emit, interrupted, settings_from, BatchArgs, DocArgs, Pipeline};

/// `train --help`'s closing text.
pub(crate) const HELP: &str = "A labelled folder holds PDFs and labels/NAME.json beside them, in the format of
docs/conventions.md (\"Labelled folders\"). Every candidate the finders produce
in a labelled document is an example: it matches a labelled item or it does
not. The weights are a logistic regression over the candidates' features (word
classes and structure, never the words themselves), fitted deterministically;
each decision's threshold is the one with the best F1 over whole documents. The
report on stderr gives the scores on the training documents and, with --folds,
cross-validated scores: each document decided by weights learned without it.

Use the result with --rules: a model in a rule file replaces the built-in one.

Example:
  contract-milestones train my-labelled-contracts/ -o my-rules/model.toml
  contract-milestones extract --rules my-rules/ contracts/";

#[derive(Args, Debug)]
pub(crate) struct TrainArgs {
    /// Labelled folders (PDFs with labels/NAME.json beside them).
    #[arg(required = true, value_name = "FOLDER")]
    folders: Vec<PathBuf>,
    /// In a folder with a split.json, use only the documents listed under this name.
    #[arg(long, value_name = "NAME")]
    split: Option<String>,
    /// Write the model here (a rule file) instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Cross-validation folds (documents dealt round-robin); 0 for none.
    #[arg(long, value_name = "N", default_value_t = 5)]
    folds: usize,
    /// Repeat the cross-validation this many times, the documents dealt in another fixed order each time (steadier figures).
    #[arg(long, value_name = "N", default_value_t = 1)]
    repeats: usize,
    /// L2 penalty of the regression.
    #[arg(long, value_name = "X", default_value_t = 10.0)]
    l2: f64,
    /// Choose the schedule decision's thresholds on scores from this many folds of held-out documents instead of the training scores (more recall, less precision; 0: off).
    #[arg(long, value_name = "N", default_value_t = 0)]
    threshold_folds: usize,
    /// Gradient steps of the regression.
    #[arg(long, value_name = "N", default_value_t = 1000, hide = true)]
    iterations: usize,
    /// Also write every candidate (document, values, features, whether it matches a label, its score) as JSON Lines here, for error analysis.
    #[arg(long, value_name = "FILE")]
    dump: Option<PathBuf>,
    #[command(flatten)]
    doc: DocArgs,
    #[command(flatten)]
    batch: BatchArgs,
}

/// `train`: weights learned from labelled folders, the report on stderr.
pub(crate) fn run(args: TrainArgs) -> Result<ExitCode> {
    use contract_milestones::train as t;
    let batch = Pipeline::new(settings_from(&args.doc)?)?.start(&args.batch, None)?;
    for f in &args.folders {
        if !f.is_dir() {
            return Err(usage(format!("{}: not a folder", f.display())));
        }
    }
    // Each PDF is read the way extract reads it: in a worker process, under
    // --timeout and --max-memory, so a hostile file is a skipped document.
    let labelled = t::labelled(&args.folders, args.split.as_deref()).map_err(usage)?;
    let inputs: Vec<_> = labelled.iter().map(|l| l.input.clone()).collect();
    let Some(examined) = batch.examine(&inputs)? else { return Ok(interrupted("no model written")) };
    let (docs, skipped) = t::examples(&labelled, examined);
    for s in &skipped {
        eprintln!("skipped {}: {}", s.pdf.display(), s.why);
    }
    if docs.is_empty() {
        return Err(usage(format!("no labelled document with status ok in {}", args.folders.iter().map(|f| f.display().to_string()).collect::<Vec<_>>().join(", "))));
    }
    let opts = t::TrainOptions { folds: args.folds, repeats: args.repeats, l2: args.l2, iterations: args.iterations, threshold_folds: args.threshold_folds, ..t::TrainOptions::default() };
    let trained = t::train(&docs, &opts);
    let trained_on = args
        .folders
        .iter()
        .map(|f| {
            let name = f.file_name().map_or_else(|| f.display().to_string(), |n| n.to_string_lossy().into_owned());
            match &args.split {
                Some(sp) if f.join("split.json").is_file() => format!("{name} ({sp})"),
                _ => name,
            }
        })
        .collect::<Vec<_>>()
        .join(", ");
    if let Some(path) = &args.dump {
        emit(Some(path), &t::dump(&docs, &trained))?;
    }
    let text = t::model_toml(&trained, &trained_on);
    // The report: the model file's comment lines.
    for line in text.lines().take_while(|l| l.starts_with('#')) {
        eprintln!("{}", line.trim_start_matches("# ").trim_start_matches('#'));
    }
    emit(args.output.as_deref(), &text)?;
    Ok(ExitCode::Ok)
}
