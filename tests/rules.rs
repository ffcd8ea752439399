//! Rule-engine tests: the built-in rules' own examples, rule-file errors with
//! file:line:column, a user's custom rule end to end, and `explain`.

use std::path::PathBuf;

use contract_milestones::rules::{RuleSet, RuleSources};
use contract_milestones::selftest;

mod common;
use common::bin;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn builtin_rules_pass_their_own_examples() {
    let rules = RuleSet::builtin();
    let report = selftest::run(&rules);
    let failures: Vec<String> = report.failures.iter().map(|f| format!("{} [{}] {:?}: {}", f.rule, f.outcome, f.text, f.detail)).collect();
    assert!(failures.is_empty(), "rule examples failed:\n{}", failures.join("\n"));
    assert!(report.rules >= 20, "only {} rules", report.rules);
    for r in &rules.rules {
        assert!(r.examples.len() >= 2, "{} has fewer than two examples", r.id);
        assert!(!r.counter_examples.is_empty(), "{} has no counter-example", r.id);
    }
}

#[test]
fn rules_test_command_passes_on_builtins() {
    let out = bin().args(["rules", "test"]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(stdout.contains(" 0 failed"), "{stdout}");
}

#[test]
fn rules_test_reports_missing_and_noisy_by_id() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("bad.toml"),
        r#"version = 1
[[rule]]
id = "custom.wrong"
kind = "milestone"
description = "matches too much and too little"
patterns = ['(?P<name>Widget)\s+on\s+(?P<date>%{date})']
[[rule.example]]
text = "Gadget on March 1, 2026"
expect = { date = "2026-03-01" }
[[rule.example]]
text = "Widget on March 1, 2026"
expect = { date = "2026-03-02" }
[[rule.counter_example]]
text = "Widget on May 5, 2026"
"#,
    )
    .unwrap();
    let out = bin().args(["rules", "test", "--no-default-rules", "--rules"]).arg(root().join("rules/fragments.toml")).arg(dir.path()).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("custom.wrong [missing]"), "{stdout}");
    assert!(stdout.contains("custom.wrong [wrong value]"), "{stdout}");
    assert!(stdout.contains("custom.wrong [noisy]"), "{stdout}");
}

#[test]
fn rules_check_points_at_file_line_column() {
    let dir = tempfile::tempdir().unwrap();
    let unknown = dir.path().join("unknown.toml");
    std::fs::write(&unknown, "version = 1\n[[rule]]\nid = \"x.one\"\nkind = \"payment\"\ndescription = \"d\"\npatterns = ['a']\ncolour = \"red\"\n").unwrap();
    let out = bin().args(["rules", "check"]).arg(&unknown).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(&format!("{}:7:1", unknown.display())), "{stderr}");
    assert!(stderr.contains("unknown field `colour`"), "{stderr}");

    let badre = dir.path().join("badre.toml");
    std::fs::write(&badre, "version = 1\n[[rule]]\nid = \"x.two\"\nkind = \"payment\"\ndescription = \"d\"\npatterns = [\n  '(?P<amount>[0-9+',\n]\n[[rule.example]]\ntext = \"x\"\nexpect = { amount = \"1.00 USD\" }\n[[rule.counter_example]]\ntext = \"y\"\n").unwrap();
    let out = bin().args(["rules", "check"]).arg(&badre).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(&format!("{}:7:3", badre.display())), "{stderr}");
    assert!(stderr.contains("invalid regex"), "{stderr}");

    let roles = dir.path().join("roles.toml");
    std::fs::write(&roles, "version = 1\n[[rule]]\nid = \"x.three\"\nkind = \"payment\"\ndescription = \"d\"\npatterns = ['(?P<colour>red)']\n[[rule.example]]\ntext = \"red\"\n[[rule.counter_example]]\ntext = \"y\"\n[[rule]]\nid = \"x.three\"\nkind = \"payment\"\ndescription = \"d\"\npatterns = ['blue']\n[[rule.example]]\ntext = \"blue\"\nexpect = {}\n[[rule.counter_example]]\ntext = \"y\"\n").unwrap();
    let out = bin().args(["rules", "check", "--no-default-rules"]).arg(&roles).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr.contains("capture `colour` has no role"), "{stderr}");
    assert!(stderr.contains("has no expected values"), "{stderr}");
    assert!(stderr.contains("duplicate rule id `x.three`"), "{stderr}");
}

/// A fragment that captures a role: a tail many rules share ("(25%)") is
/// written once, and the loader checks its names where it is defined.
#[test]
fn a_fragment_may_capture_a_role() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("shares.toml"),
        r#"version = 1
[fragments]
# "(25%)" after an instalment: its share of the price.
share = '\(\s*(?P<percent>%{percent})\s*\)'

[[rule]]
id = "custom.instalment-upon"
kind = "payment"
description = "An instalment with its share, due upon an event."
patterns = ['(?i)(?P<name>(?:first|second|final)\s+instalment)\s*%{share}\s+(?:is\s+)?due\s+upon\s+(?P<trigger>[\w\s]+)']
[[rule.example]]
text = "The second instalment (30%) is due upon acceptance of the pilot."
expect = { kind = "payment", percent = 30.0, trigger = "acceptance of the pilot" }
[[rule.counter_example]]
text = "The second instalment is due upon acceptance."

[[rule]]
id = "custom.instalment-on"
kind = "payment"
description = "An instalment with its share, due on a date."
patterns = ['(?i)(?P<name>(?:first|second|final)\s+instalment)\s*%{share}\s+(?:is\s+)?due\s+on\s+(?P<date>%{date})']
[[rule.example]]
text = "The final instalment (20 per cent) is due on 1 June 2026."
expect = { kind = "payment", percent = 20.0, date = "2026-06-01" }
[[rule.counter_example]]
text = "The final instalment is due on 1 June 2026."
"#,
    )
    .unwrap();
    let out = bin().args(["rules", "test", "--no-default-rules", "--rules"]).arg(root().join("rules/fragments.toml")).arg(dir.path()).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("2 rules, 4 passed, 0 failed"), "{stdout}");

    // A capture without a role is reported at the fragment's line; a role
    // captured twice, by the pattern and by the fragment, says why.
    let bad = dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        "version = 1\n[fragments]\nshare2 = '\\((?P<pct>[0-9]+)%\\)'\nshare3 = '\\((?P<percent>[0-9]+%)\\)'\n\
         [[rule]]\nid = \"x.twice\"\nkind = \"payment\"\ndescription = \"d\"\npatterns = ['(?P<percent>[0-9]+%) or %{share3}']\n\
         [[rule.example]]\ntext = \"5%\"\nexpect = { percent = 5.0 }\n[[rule.counter_example]]\ntext = \"y\"\n",
    )
    .unwrap();
    let out = bin().args(["rules", "check", "--no-default-rules"]).arg(&bad).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(&format!("{}:3:10: fragment `share2`: capture `pct` has no role", bad.display())), "{stderr}");
    assert!(stderr.contains("duplicate capture group name") && stderr.contains("a fragment that captures it counts"), "{stderr}");
}

/// Two mistakes that used to pass silently: redefining a built-in fragment
/// (it rewrote every built-in rule that uses it) and a misspelt example
/// `segment` (it became `sentence`).
#[test]
fn rules_check_refuses_a_redefined_fragment_and_an_unknown_segment_kind() {
    let dir = tempfile::tempdir().unwrap();
    let frag = dir.path().join("frag.toml");
    std::fs::write(&frag, "version = 1\n[fragments]\nmonth = 'Smarch'\n").unwrap();
    let out = bin().args(["rules", "check"]).arg(&frag).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(&format!("{}:3:9", frag.display())), "{stderr}");
    assert!(stderr.contains("fragment `month` is already defined in (built-in) rules/fragments.toml"), "{stderr}");

    let seg = dir.path().join("seg.toml");
    std::fs::write(
        &seg,
        "version = 1\n[[rule]]\nid = \"x.seg\"\nkind = \"payment\"\ndescription = \"d\"\npatterns = ['(?P<amount>\\$\\d+)']\n[[rule.example]]\ntext = \"pay $5\"\nsegment = \"tabel_row\"\nexpect = { amount = \"5.00 USD\" }\n[[rule.counter_example]]\ntext = \"y\"\n",
    )
    .unwrap();
    let out = bin().args(["rules", "check"]).arg(&seg).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(&format!("{}:9:11", seg.display())), "{stderr}");
    assert!(stderr.contains("unknown variant `tabel_row`"), "{stderr}");
}

#[test]
fn rules_list_names_every_rule() {
    let out = bin().args(["rules", "list"]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let rules = RuleSet::builtin();
    assert_eq!(stdout.lines().count(), rules.rules.len());
    assert!(stdout.contains("effective.defined-term"));
}

/// The worked example of rules/README.md, run end to end.
#[test]
fn readme_custom_rule_produces_records() {
    let readme = std::fs::read_to_string(root().join("rules/README.md")).unwrap();
    let worked = readme.find("## Worked example").expect("a worked example in rules/README.md");
    let start = worked + readme[worked..].find("```toml\n").expect("a toml block in the worked example") + 8;
    let end = start + readme[start..].find("```").unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("board.toml"), &readme[start..end]).unwrap();
    // The rule's own examples pass.
    let out = bin().args(["rules", "test", "--rules"]).arg(dir.path()).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
    // And it finds its record in a fixture it was written for.
    let pdf = root().join("fixtures/pdf/construction-payment-schedule.lo.pdf");
    let out = bin().args(["extract", "--quiet", "--rules"]).arg(dir.path()).arg(&pdf).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let records = v["documents"][0]["records"].as_array().unwrap();
    assert!(records.iter().any(|r| r["rule"] == "custom.board-resolution"), "{records:#?}");
    // Without it, no such record.
    let out = bin().args(["extract", "--quiet"]).arg(&pdf).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(!v["documents"][0]["records"].as_array().unwrap().iter().any(|r| r["rule"] == "custom.board-resolution"));
}

#[test]
fn user_rule_with_builtin_id_replaces_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("replace.toml"),
        r#"version = 1
[[rule]]
id = "price.stated"
kind = "contract_price"
description = "replaced"
patterns = ['(?P<amount>%{amount}) per fortnight']
[[rule.example]]
text = "$100 per fortnight"
expect = { amount = "100.00 USD" }
[[rule.counter_example]]
text = "$100 per month"
"#,
    )
    .unwrap();
    let rules = RuleSet::load(&RuleSources { no_defaults: false, dirs: vec![dir.path().to_path_buf()] }).unwrap();
    assert_eq!(rules.by_id("price.stated").unwrap().description, "replaced");
    assert_eq!(rules.rules.len(), RuleSet::builtin().rules.len());
}

#[test]
fn explain_shows_matches_and_rejections() {
    let pdf = root().join("fixtures/pdf/sow-implementation.lo.pdf");
    let out = bin().arg("explain").arg(&pdf).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("MATCH "), "{stdout}");
    assert!(stdout.contains("REJECTED "), "{stdout}");
    // Every candidate with its decision and the features behind it.
    assert!(stdout.contains("KEEP deliverable candidate") && stdout.contains("drop "), "{stdout}");
    assert!(stdout.contains("score ") && stdout.contains("(threshold "), "{stdout}");
    assert!(stdout.contains("[p1 "), "{stdout}");
    let out = bin().arg("explain").arg(&pdf).args(["--page", "99"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("out of range"));
}

// ---- The rule files' JSON Schema ----

const RULES_SCHEMA: &str = "schema/contract-milestones-rules-1.schema.json";

fn rules_validator() -> jsonschema::Validator {
    let schema: serde_json::Value = serde_json::from_str(&contract_milestones::rules::schema::json_schema()).unwrap();
    jsonschema::options().with_draft(jsonschema::Draft::Draft202012).build(&schema).expect("a valid draft 2020-12 schema")
}

/// A rule file's TOML as the JSON a schema validator reads.
fn toml_as_json(text: &str) -> serde_json::Value {
    serde_json::to_value(toml::from_str::<toml::Value>(text).unwrap()).unwrap()
}

fn schema_errors(v: &jsonschema::Validator, text: &str) -> Vec<String> {
    v.iter_errors(&toml_as_json(text)).map(|e| format!("{e} at {}", e.instance_path())).collect()
}

#[test]
fn rules_schema_file_is_the_generated_one() {
    let file = std::fs::read_to_string(root().join(RULES_SCHEMA)).unwrap();
    assert!(
        file == contract_milestones::rules::schema::json_schema(),
        "{RULES_SCHEMA} differs from the structs of src/rules/schema.rs: \
         run `target/release/contract-milestones rules schema > {RULES_SCHEMA}` and read the diff"
    );
    let out = bin().args(["rules", "schema"]).output().unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8(out.stdout).unwrap(), file, "`rules schema` prints the file");
    let v: serde_json::Value = serde_json::from_str(&file).unwrap();
    assert_eq!(v["$schema"], "https://json-schema.org/draft/2020-12/schema");
    assert_eq!(v["$id"], "urn:contract-milestones:rules:1");
}

#[test]
fn builtin_rule_files_validate_against_the_schema() {
    let v = rules_validator();
    // Every file in rules/, so one not yet embedded is checked too.
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("rules")).unwrap().map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|x| x == "toml")).collect();
    files.sort();
    assert_eq!(files.len(), contract_milestones::rules::BUILTIN.len(), "every file of rules/ is built in");
    for f in files {
        let errors = schema_errors(&v, &std::fs::read_to_string(&f).unwrap());
        assert!(errors.is_empty(), "{} does not validate:\n{}", f.display(), errors.join("\n"));
    }
    // The README's worked example too.
    let readme = std::fs::read_to_string(root().join("rules/README.md")).unwrap();
    let example = readme.split("```toml\n").filter_map(|b| b.split("```").next()).find(|b| b.contains("custom.board-resolution")).unwrap();
    let errors = schema_errors(&v, example);
    assert!(errors.is_empty(), "the README's rule does not validate:\n{}", errors.join("\n"));
}

#[test]
fn rules_schema_rejects_what_rules_check_rejects() {
    let v = rules_validator();
    let rule = |extra: &str| {
        format!(
            "version = 1\n[[rule]]\nid = \"custom.x\"\nkind = \"milestone\"\ndescription = \"x\"\npatterns = ['x']\n{extra}\n\
             [[rule.example]]\ntext = \"x\"\nexpect = {{ name = \"x\" }}\n[[rule.counter_example]]\ntext = \"y\"\n"
        )
    };
    assert!(schema_errors(&v, &rule("")).is_empty(), "{:?}", schema_errors(&v, &rule("")));
    assert!(schema_errors(&v, &rule("segments = [\"list_item\", \"heading\"]\ncolumns = { date = 'Due' }")).is_empty());
    let bad = [
        ("unknown field", rule("patern = 'x'")),
        ("unknown kind", rule("").replace("\"milestone\"", "\"obligation\"")),
        ("unknown segment kind", rule("segments = [\"paragraph\"]")),
        ("column without a role", rule("columns = { due = 'Due' }")),
        ("renewal neither automatic nor option", rule("renewal = \"sometimes\"")),
        ("version 2", rule("").replace("version = 1", "version = 2")),
        ("rule without an id", rule("").replace("id = \"custom.x\"\n", "")),
        ("unknown expected value", rule("").replace("{ name = \"x\" }", "{ title = \"x\" }")),
    ];
    for (what, text) in bad {
        assert!(!schema_errors(&v, &text).is_empty(), "the schema accepts a rule file with {what}");
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("x.toml"), &text).unwrap();
        let rejected = RuleSet::load(&RuleSources { no_defaults: false, dirs: vec![dir.path().to_path_buf()] }).is_err();
        assert!(rejected, "rules check accepts a rule file with {what}");
    }
}
