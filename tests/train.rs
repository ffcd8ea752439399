//! `train`: learning the decision's weights from a labelled folder. The
//! folder is made here from the project's own fixtures (their hand-written
//! expected items, in the label format of `docs/conventions.md`), so the test needs
//! nothing outside the repository.

mod common;

use common::{bin, fixtures};
use std::path::Path;

/// A labelled folder: the LibreOffice renderings and labels/NAME.json.
fn labelled_folder(dir: &Path) {
    std::fs::create_dir_all(dir.join("labels")).unwrap();
    for stem in ["sow-implementation", "construction-payment-schedule", "consulting-relative-dates", "research-two-column"] {
        let pdf = format!("{stem}.lo.pdf");
        std::fs::copy(fixtures().join("pdf").join(&pdf), dir.join(&pdf)).unwrap();
        let mut label: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(fixtures().join("expected").join(format!("{stem}.json"))).unwrap()).unwrap();
        label["file"] = serde_json::Value::from(pdf);
        std::fs::write(dir.join("labels").join(format!("{stem}.json")), label.to_string()).unwrap();
    }
}

#[test]
fn training_is_deterministic_reports_its_scores_and_gives_a_usable_model() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = tmp.path().join("labelled");
    labelled_folder(&folder);
    let model = tmp.path().join("my-rules/model.toml");
    std::fs::create_dir_all(model.parent().unwrap()).unwrap();
    let out = bin().args(["train", "--folds", "2", "-o"]).arg(&model).arg(&folder).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    // The report: what it learned from, and scores on documents it did not see.
    assert!(stderr.contains("Trained on 4 documents"), "{stderr}");
    assert!(stderr.contains("Cross-validated"), "{stderr}");
    assert!(stderr.contains("Labelled items some candidate matches"), "{stderr}");
    let first = std::fs::read_to_string(&model).unwrap();
    assert!(first.contains("[model.schedule.weights]") && first.contains("[model.payment.weights]"), "{first}");
    // The same folder, the same weights, byte for byte.
    let again = bin().args(["train", "--folds", "2"]).arg(&folder).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&again.stdout), first);
    // The model is a rule file: rules check accepts it and extract uses it.
    let check = bin().args(["rules", "check", "--rules"]).arg(model.parent().unwrap()).output().unwrap();
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stderr));
    let extract = bin().args(["extract", "--quiet", "--rules"]).arg(model.parent().unwrap()).arg(fixtures().join("pdf/eu-software-de.lo.pdf")).output().unwrap();
    assert!(extract.status.success(), "{}", String::from_utf8_lossy(&extract.stderr));
    let v: serde_json::Value = serde_json::from_slice(&extract.stdout).unwrap();
    assert_eq!(v["documents"][0]["status"], "ok");
}

#[test]
fn training_names_what_is_wrong_with_its_input() {
    let tmp = tempfile::tempdir().unwrap();
    // Not a folder.
    let out = bin().args(["train"]).arg(tmp.path().join("missing")).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a folder"));
    // A folder without labels.
    let out = bin().args(["train"]).arg(tmp.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("labels"), "{}", String::from_utf8_lossy(&out.stderr));
    // A label that is not JSON names its file.
    std::fs::create_dir_all(tmp.path().join("labels")).unwrap();
    std::fs::write(tmp.path().join("labels/broken.json"), "{").unwrap();
    let out = bin().args(["train"]).arg(tmp.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("broken.json"), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn a_labelled_pdf_that_hangs_or_crashes_is_skipped_with_its_reason() {
    // Each PDF is read in a worker process, as extract reads it: a file
    // that hangs is stopped at --timeout, one that crashes ends its worker,
    // and the other documents still train. The fault hook stands in for a
    // hostile PDF.
    let tmp = tempfile::tempdir().unwrap();
    let folder = tmp.path().join("labelled");
    labelled_folder(&folder);
    for (fault, why) in [("hang:sow-implementation", "longer than 2s (--timeout)"), ("crash:sow-implementation", "crashed the worker process")] {
        let out = bin().env("CONTRACT_MILESTONES_FAULT", fault).args(["train", "--folds", "0", "--timeout", "2"]).arg(&folder).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{fault}: {stderr}");
        assert!(stderr.contains("skipped ") && stderr.contains("sow-implementation.lo.pdf") && stderr.contains(why), "{fault}: {stderr}");
        assert!(stderr.contains("Trained on 3 documents"), "{fault}: {stderr}");
    }
}
