//! Outputs other tools read: the JSON Schema (validated with a real validator
//! against real outputs), CSV (read back with a CSV parser), iCalendar (read
//! back with an iCalendar parser) and `due` (against a hand-written run whose
//! answer is worked out in fixtures/due/README.md).

use std::process::Stdio;
use std::sync::OnceLock;

use contract_milestones::normalise::Money;
use contract_milestones::record::Document;
use serde_json::{json, Value};

mod common;
use common::{bin, fixtures, root, Run};

fn run(args: &[&str]) -> Run {
    run_stdin(args, None)
}

fn run_stdin(args: &[&str], stdin: Option<&str>) -> Run {
    let mut cmd = bin();
    cmd.args(args).stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() }).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("the binary runs");
    if let Some(text) = stdin {
        use std::io::Write;
        child.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
    }
    let out = child.wait_with_output().unwrap();
    Run { code: out.status.code().unwrap_or(-1), stdout: String::from_utf8(out.stdout).expect("UTF-8 output"), stderr: String::from_utf8_lossy(&out.stderr).into_owned() }
}

fn schema() -> Value {
    let r = run(&["schema"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    serde_json::from_str(&r.stdout).expect("the schema is JSON")
}

fn validator() -> &'static jsonschema::Validator {
    static V: OnceLock<jsonschema::Validator> = OnceLock::new();
    V.get_or_init(|| {
        let s = schema();
        jsonschema::options().with_draft(jsonschema::Draft::Draft202012).should_validate_formats(true).build(&s).expect("the schema is a valid draft 2020-12 schema")
    })
}

fn assert_valid(v: &Value, what: &str) {
    let errors: Vec<String> = validator().iter_errors(v).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), "{what} does not validate:\n{}", errors.join("\n"));
}

/// The fixture folders every format is run over: our contracts (two
/// renderings each) and the broken inputs (every failure status).
const FIXTURE_ARGS: [&str; 2] = ["fixtures/pdf", "fixtures/bad"];

fn extract(format: &str, extra: &[&str]) -> Run {
    let mut args = vec!["extract", "--quiet", "--jobs", "2", "--format", format];
    args.extend(FIXTURE_ARGS);
    args.extend(extra);
    let mut cmd = bin();
    cmd.current_dir(root()).args(&args);
    let out = cmd.output().unwrap();
    let r = Run { code: out.status.code().unwrap_or(-1), stdout: String::from_utf8(out.stdout).expect("UTF-8 output"), stderr: String::from_utf8_lossy(&out.stderr).into_owned() };
    // fixtures/bad holds documents that fail: exit 1, output complete.
    assert_eq!(r.code, 1, "{}", r.stderr);
    r
}

/// The JSON run over the fixtures, once for all tests.
fn fixture_docs() -> &'static Vec<Value> {
    static DOCS: OnceLock<Vec<Value>> = OnceLock::new();
    DOCS.get_or_init(|| {
        let r = extract("json", &[]);
        let v: Value = serde_json::from_str(&r.stdout).unwrap();
        assert_valid(&v, "the JSON output over the fixtures");
        v["documents"].as_array().unwrap().clone()
    })
}

// ---- JSON Schema ----

#[test]
fn schema_names_the_output_version() {
    let s = schema();
    assert_eq!(s["$schema"], "https://json-schema.org/draft/2020-12/schema");
    assert_eq!(s["title"], "contract-milestones/1");
    assert_eq!(s["$id"], "urn:contract-milestones:schema:1");
    // The output's `schema` field is the schema's title.
    let out = run(&["extract", "--quiet", "fixtures/bad/empty.pdf"]);
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["schema"], s["title"]);
    // And the file in the repository is what the command prints.
    let file: Value = serde_json::from_str(&std::fs::read_to_string(root().join("schema/contract-milestones-1.schema.json")).unwrap()).unwrap();
    assert_eq!(file, s);
}

#[test]
fn fixture_outputs_validate_json_and_every_jsonl_line() {
    let docs = fixture_docs();
    assert_eq!(docs.len(), 12 + 10);
    assert!(docs.iter().any(|d| d["status"] != "ok"), "fixtures/bad has failures");
    assert!(docs.iter().flat_map(|d| d["records"].as_array().unwrap()).any(|r| !r["relative"].is_null()));
    assert!(docs.iter().flat_map(|d| d["records"].as_array().unwrap()).any(|r| !r["amount"].is_null()));
    let r = extract("jsonl", &[]);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines.len(), docs.len());
    for (line, doc) in lines.iter().zip(docs) {
        let v: Value = serde_json::from_str(line).unwrap();
        assert_valid(&v, &format!("JSON Lines line of {}", v["path"]));
        assert_eq!(&v, doc, "JSON Lines and JSON give the same document");
    }
}

#[test]
fn schema_rejects_what_breaks_the_contract() {
    let doc = fixture_docs().iter().find(|d| d["records"].as_array().unwrap().iter().any(|r| !r["amount"].is_null())).unwrap().clone();
    let record_with_amount = doc["records"].as_array().unwrap().iter().position(|r| !r["amount"].is_null()).unwrap();
    assert_valid(&doc, "a document with records");
    type Breaker = Box<dyn Fn(&mut Value)>;
    let broken: Vec<(&str, Breaker)> = vec![
        ("unknown status", Box::new(|d| d["status"] = json!("fine"))),
        ("missing records", Box::new(|d| drop(d.as_object_mut().unwrap().remove("records")))),
        ("impossible date", Box::new(|d| d["effective_date"] = json!("2026-02-30"))),
        ("date in another form", Box::new(|d| d["records"][0]["date"] = json!("03/16/2026"))),
        ("page 0", Box::new(|d| d["records"][0]["page"] = json!(0))),
        ("unknown kind", Box::new(|d| d["records"][0]["kind"] = json!("obligation"))),
        ("amount without two places", Box::new(move |d| d["records"][record_with_amount]["amount"]["value"] = json!("50000"))),
        ("currency not ISO 4217", Box::new(move |d| d["records"][record_with_amount]["amount"]["currency"] = json!("$"))),
        ("relative unit", Box::new(|d| d["records"][0]["relative"] = json!({"offset": 3, "unit": "fortnights", "direction": "after", "anchor": "X"}))),
        (
            "failed without a reason",
            Box::new(|d| {
                d["status"] = json!("unreadable");
                d["records"] = json!([]);
            }),
        ),
        ("ok with an error", Box::new(|d| d["error"] = json!("something"))),
        ("sha256 not hex", Box::new(|d| d["sha256"] = json!("xyz"))),
    ];
    for (what, break_it) in broken {
        let mut d = doc.clone();
        break_it(&mut d);
        assert!(!validator().is_valid(&d), "{what} should not validate");
        let run = json!({"schema": "contract-milestones/1", "documents": [d]});
        assert!(!validator().is_valid(&run), "{what} should not validate inside a run");
    }
    // Fields may be added: additional properties are allowed everywhere.
    let mut d = doc.clone();
    d["new_document_field"] = json!(1);
    d["records"][0]["new_record_field"] = json!("x");
    assert_valid(&d, "a document with added fields");
    assert!(!validator().is_valid(&json!({"schema": "contract-milestones/2", "documents": []})));
}

#[test]
fn dev_corpus_outputs_validate() {
    let dev = root().join("../shared/corpus/dev");
    if !dev.is_dir() {
        common::skip("outputs::dev_corpus_outputs_validate", &format!("{} is absent (the shared corpora are not here)", dev.display()));
        return;
    }
    let dev = dev.to_str().unwrap();
    let json = run(&["extract", "--quiet", "--jobs", "2", dev]);
    assert!(json.code == 0 || json.code == 1, "{}", json.stderr);
    let v: Value = serde_json::from_str(&json.stdout).unwrap();
    assert_valid(&v, "the JSON output over the dev corpus");
    let n = v["documents"].as_array().unwrap().len();
    assert!(n >= 10, "{n} documents");
    let jsonl = run(&["extract", "--quiet", "--jobs", "2", "--format", "jsonl", dev]);
    let mut lines = 0;
    for line in jsonl.stdout.lines() {
        let d: Value = serde_json::from_str(line).unwrap();
        assert_valid(&d, &format!("JSON Lines line of {}", d["path"]));
        lines += 1;
    }
    assert_eq!(lines, n);
    println!("dev corpus: {n} documents validated as JSON and as JSON Lines");
}

/// The plain fixture with a renewal clause, extracted as of 2027-06-15.
fn renewal_doc() -> &'static Value {
    static DOC: OnceLock<Value> = OnceLock::new();
    DOC.get_or_init(|| {
        let pdf = root().join("fixtures/plain/hosting-renewal.pdf");
        assert!(pdf.is_file(), "{} is missing (python3 fixtures/plain/make.py)", pdf.display());
        let r = run(&["extract", "--quiet", "--as-of", "2027-06-15", pdf.to_str().unwrap()]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let v: Value = serde_json::from_str(&r.stdout).unwrap();
        assert_valid(&v, "the JSON output of the renewal fixture");
        v["documents"][0].clone()
    })
}

#[test]
fn renewal_notice_and_opt_out_are_the_hand_worked_dates() {
    // fixtures/plain/hosting-renewal.txt: effective 2025-02-01, initial term
    // two years (ends 2027-02-01), renews automatically for one-year periods
    // unless notice is given ninety days before the end of the current term.
    let d = renewal_doc();
    assert_eq!(d["effective_date"], "2025-02-01");
    assert_eq!(d["expiration_date"], "2027-02-01");
    assert_eq!(d["renewal"], json!({"auto": true, "value": 1, "unit": "years", "count": null}));
    assert_eq!(d["notice_period"], json!({"value": 90, "unit": "days"}));
    // 2027-02-01 less 90 days: 31 back to Jan 1, 31 to Dec 1, 28 to Nov 3.
    assert_eq!(d["opt_out_deadline"], "2026-11-03");
    // On 2027-06-15 the first renewal term runs to 2028-02-01; its deadline
    // is 90 days before that (31 + 31 + 28), not the initial one.
    assert_eq!(d["term_as_of"], json!({"as_of": "2027-06-15", "term_end": "2028-02-01", "opt_out_deadline": "2027-11-03", "renewals": 1}));
    for field in ["effective_date", "expiration_date", "renewal", "notice_period"] {
        let e = &d["evidence"][field];
        assert_eq!(e["page"], 1, "{field}");
        assert!(!e["rule"].as_str().unwrap().is_empty(), "{field}");
    }
    assert!(d["evidence"]["notice_period"]["text"].as_str().unwrap().contains("ninety (90) days"));
    // The CSV carries the same values on every row of the document.
    let r = run(&["extract", "--quiet", "--format", "csv", root().join("fixtures/plain/hosting-renewal.pdf").to_str().unwrap()]);
    let mut rd = csv::Reader::from_reader(r.stdout.as_bytes());
    let headers = rd.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = rd.records().map(|x| x.unwrap()).collect();
    assert!(!rows.is_empty());
    for row in &rows {
        let got: Vec<&str> = ["renewal_auto", "renewal_value", "renewal_unit", "renewal_count", "notice_period", "opt_out_deadline"].iter().map(|c| cell(row, &headers, c)).collect();
        assert_eq!(got, ["true", "1", "years", "", "90 days", "2026-11-03"]);
    }
}

#[test]
fn schema_describes_every_field_the_output_has() {
    let s = schema();
    let props = |def: &str| -> Vec<String> { s["$defs"][def]["properties"].as_object().unwrap().keys().cloned().collect() };
    let (doc_props, record_props) = (props("document"), props("record"));
    let docs: Vec<&Value> = fixture_docs().iter().chain([renewal_doc()]).collect();
    for d in &docs {
        for key in d.as_object().unwrap().keys() {
            assert!(doc_props.contains(key), "document field {key:?} of {} is not in the schema", d["path"]);
        }
        for r in d["records"].as_array().unwrap() {
            for key in r.as_object().unwrap().keys() {
                assert!(record_props.contains(key), "record field {key:?} is not in the schema");
            }
        }
    }
    // And the other way: every field the schema describes is one the
    // program writes. A fixture document with every optional field filled
    // in (those are left out of the output when empty) must serialise to
    // exactly the schema's fields.
    let mut full: Document = serde_json::from_value(renewal_doc().clone()).expect("the output reads back as a Document");
    full.ocr_pages = vec![1];
    full.warnings = vec!["the file may be truncated".into()];
    full.pages_without_text = vec![2];
    full.error_detail = Some("a library's own words".into());
    full.contract_price = Some("100.00 USD".parse::<Money>().unwrap());
    let mut record = full.records.first().cloned().expect("the renewal fixture has records");
    record.milestone = Some("Acceptance".into());
    record.date_ambiguous = true;
    full.records = vec![record];
    let v = serde_json::to_value(&full).unwrap();
    let keys = |v: &Value| -> Vec<String> {
        let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    };
    let sorted = |mut p: Vec<String>| {
        p.sort();
        p
    };
    assert_eq!(keys(&v), sorted(doc_props), "document fields written vs the schema's");
    assert_eq!(keys(&v["records"][0]), sorted(record_props), "record fields written vs the schema's");
    for key in ["renewal", "notice_period", "opt_out_deadline", "term_as_of", "evidence", "parties", "engine", "error", "pages"] {
        assert!(docs.iter().any(|d| d.get(key).is_some_and(|v| !v.is_null())), "no output has {key}");
    }
}

// ---- CSV ----

fn cell<'a>(row: &'a csv::StringRecord, headers: &csv::StringRecord, name: &str) -> &'a str {
    let i = headers.iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name}"));
    &row[i]
}

fn text_or_empty(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[test]
fn csv_has_a_row_per_record_and_per_document_without_records() {
    let docs = fixture_docs();
    let r = extract("csv", &[]);
    assert!(r.stdout.starts_with("path,sha256,status,error,"), "{}", &r.stdout[..80]);
    assert!(r.stdout.split_once('\n').unwrap().0.ends_with('\r'), "CRLF line ends");
    let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(r.stdout.as_bytes());
    let headers = reader.headers().unwrap().clone();
    for column in ["amount_value", "amount_currency", "relative_offset", "relative_unit", "relative_direction", "relative_anchor", "percent", "trigger", "page", "text", "rule"] {
        assert!(headers.iter().any(|h| h == column), "column {column}");
    }
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("a well-formed CSV row")).collect();
    let expected_rows: usize = docs.iter().map(|d| d["records"].as_array().unwrap().len().max(1)).sum();
    let failed = docs.iter().filter(|d| d["status"] != "ok").count();
    assert!(failed >= 5);
    assert_eq!(rows.len(), expected_rows, "one row per record plus one per document without records");
    // Row by row, in order, the same values as the JSON output.
    let mut it = rows.iter();
    for d in docs {
        let records = d["records"].as_array().unwrap();
        if records.is_empty() {
            let row = it.next().unwrap();
            assert_eq!(cell(row, &headers, "path"), d["path"]);
            assert_eq!(cell(row, &headers, "status"), d["status"]);
            assert_eq!(cell(row, &headers, "error"), text_or_empty(&d["error"]));
            if d["status"] != "ok" {
                assert!(!cell(row, &headers, "error").is_empty());
            }
            assert_eq!(cell(row, &headers, "kind"), "");
            assert_eq!(cell(row, &headers, "record"), "");
            continue;
        }
        for (i, rec) in records.iter().enumerate() {
            let row = it.next().unwrap();
            assert_eq!(cell(row, &headers, "path"), d["path"]);
            assert_eq!(cell(row, &headers, "sha256"), d["sha256"]);
            assert_eq!(cell(row, &headers, "record"), (i + 1).to_string());
            for f in ["kind", "name", "date", "trigger", "page", "text", "rule"] {
                assert_eq!(cell(row, &headers, f), text_or_empty(&rec[f]), "{f} of record {i} of {}", d["path"]);
            }
            assert_eq!(cell(row, &headers, "amount_value"), text_or_empty(&rec["amount"]["value"]));
            assert_eq!(cell(row, &headers, "amount_currency"), text_or_empty(&rec["amount"]["currency"]));
            assert_eq!(cell(row, &headers, "relative_offset"), text_or_empty(&rec["relative"]["offset"]));
            assert_eq!(cell(row, &headers, "relative_unit"), text_or_empty(&rec["relative"]["unit"]));
            assert_eq!(cell(row, &headers, "relative_anchor"), text_or_empty(&rec["relative"]["anchor"]));
            let percent = cell(row, &headers, "percent");
            match rec["percent"].as_f64() {
                Some(p) => assert_eq!(percent.parse::<f64>().unwrap(), p),
                None => assert_eq!(percent, ""),
            }
        }
    }
    assert!(it.next().is_none());
    // Some evidence text holds commas or line breaks, so quoting was exercised.
    assert!(rows.iter().any(|r| cell(r, &headers, "text").contains(',')));
}

// ---- iCalendar ----

fn prop<'a>(c: &'a icalendar::parser::Component<'a>, name: &str) -> Option<&'a icalendar::parser::Property<'a>> {
    c.properties.iter().find(|p| p.name.as_str() == name)
}

fn unescaped(p: &icalendar::parser::Property) -> String {
    p.val.clone().unescape_text().as_str().to_string()
}

#[test]
fn ics_has_one_event_per_dated_record_and_parses() {
    use icalendar::Component;
    let docs = fixture_docs();
    let r = extract("ics", &["--remind", "7d,30d"]);
    let text = &r.stdout;
    // RFC 5545 3.1: CRLF line ends, no line over 75 octets.
    assert!(text.ends_with("END:VCALENDAR\r\n"));
    for line in text.split("\r\n") {
        assert!(!line.contains('\n'), "a bare LF: {line:?}");
        assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
    }
    assert!(text.split("\r\n").any(|l| l.starts_with(' ')), "some long line was folded");

    let unfolded = icalendar::parser::unfold(text);
    let cal = icalendar::parser::read_calendar(&unfolded).expect("an iCalendar parser reads the file");
    let events: Vec<_> = cal.components.iter().filter(|c| c.name.as_str() == "VEVENT").collect();
    // Per document: its dated records, then its key dates (no fixture
    // renews, so only the term's end).
    let mut expected: Vec<(&Value, Option<&Value>, String)> = Vec::new();
    for d in docs {
        for r in d["records"].as_array().unwrap().iter().filter(|r| r["date"].is_string()) {
            expected.push((d, Some(r), r["date"].as_str().unwrap().to_string()));
        }
        assert!(d["opt_out_deadline"].is_null());
        if let Some(end) = d["expiration_date"].as_str() {
            expected.push((d, None, end.to_string()));
        }
    }
    let dated = expected.iter().filter(|(_, r, _)| r.is_some()).count();
    assert!(dated > 50, "{dated} dated records");
    assert!(expected.len() > dated, "some fixture has an expiration date");
    assert_eq!(events.len(), expected.len(), "one VEVENT per dated record and per term end");
    let mut uids = std::collections::HashSet::new();
    for (ev, (doc, rec, date)) in events.iter().zip(&expected) {
        let start = prop(ev, "DTSTART").unwrap();
        assert!(start.params.iter().any(|p| p.key.as_str() == "VALUE" && p.val.as_ref().map(|v| v.as_str()) == Some("DATE")));
        assert_eq!(start.val.as_str(), date.replace('-', ""));
        let uid = prop(ev, "UID").unwrap().val.as_str().to_string();
        assert!(uid.starts_with(&doc["sha256"].as_str().unwrap()[..16]), "{uid}");
        assert!(uids.insert(uid.clone()), "duplicate UID {uid}");
        assert!(prop(ev, "DTSTAMP").is_some());
        let summary = unescaped(prop(ev, "SUMMARY").unwrap());
        let alarms: Vec<String> = ev.components.iter().filter(|c| c.name.as_str() == "VALARM").map(|a| prop(a, "TRIGGER").unwrap().val.as_str().to_string()).collect();
        assert_eq!(alarms, ["-P30D", "-P7D"]);
        let Some(rec) = rec else {
            assert_eq!(summary, format!("Term ends: {}", doc["path"].as_str().unwrap()));
            let desc = unescaped(prop(ev, "DESCRIPTION").unwrap());
            assert!(desc.starts_with(&format!("The term ends on {date}.")), "{desc:?}");
            continue;
        };
        assert!(summary.contains(rec["name"].as_str().unwrap()), "{summary:?} vs {}", rec["name"]);
        if let Some(v) = rec["amount"]["value"].as_str() {
            assert!(summary.contains(v), "{summary}");
        }
        let desc = unescaped(prop(ev, "DESCRIPTION").unwrap());
        assert!(desc.starts_with(rec["text"].as_str().unwrap()), "{desc:?}");
        assert!(desc.contains(&format!("Page {} of {}", rec["page"], doc["path"].as_str().unwrap())), "{desc:?}");
    }
    // UPPER.PDF is a byte copy of amendment-golive.chromium.pdf: same SHA-256,
    // still distinct UIDs (checked above), the copy's got a suffix.
    assert!(uids.iter().any(|u| u.contains("-2@")));

    // The high-level parser agrees: all-day starts on the records' dates.
    let cal: icalendar::Calendar = text.parse().expect("icalendar reads it");
    let starts: Vec<String> = cal
        .events()
        .map(|e| match e.get_start() {
            Some(icalendar::DatePerhapsTime::Date(d)) => d.format("%Y-%m-%d").to_string(),
            other => panic!("not an all-day event: {other:?} ({:?})", e.get_summary()),
        })
        .collect();
    let dates: Vec<&str> = expected.iter().map(|(_, _, d)| d.as_str()).collect();
    assert_eq!(starts, dates);
}

#[test]
fn ics_has_the_opt_out_deadline_of_the_term_in_force() {
    let pdf = root().join("fixtures/plain/hosting-renewal.pdf");
    let ics = |extra: &[&str]| -> Vec<(String, String)> {
        let mut args = vec!["extract", "--quiet", "--format", "ics", pdf.to_str().unwrap()];
        args.extend(extra);
        let r = run(&args);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let cal: icalendar::Calendar = r.stdout.parse().expect("icalendar reads it");
        use icalendar::Component;
        cal.events()
            .filter(|e| !e.get_summary().unwrap_or("").starts_with("Payment"))
            .map(|e| {
                let Some(icalendar::DatePerhapsTime::Date(d)) = e.get_start() else { panic!("not all-day") };
                (e.get_summary().unwrap().split(':').next().unwrap().to_string(), d.format("%Y-%m-%d").to_string())
            })
            .collect()
    };
    // The initial term: ends 2027-02-01, notice 90 days before.
    assert_eq!(ics(&[]), [("Opt-out deadline".to_string(), "2026-11-03".to_string()), ("Term ends".to_string(), "2027-02-01".to_string())]);
    // As of mid-2027 it has renewed once: the second term's dates.
    assert_eq!(ics(&["--as-of", "2027-06-15"]), [("Opt-out deadline".to_string(), "2027-11-03".to_string()), ("Term ends".to_string(), "2028-02-01".to_string())]);
}

#[test]
fn ics_uids_are_stable_across_runs() {
    let pdf = "fixtures/pdf/sow-implementation.lo.pdf";
    let uids = |epoch: &str| {
        let out = bin().current_dir(root()).env("SOURCE_DATE_EPOCH", epoch).args(["extract", "--quiet", "--format", "ics", pdf]).output().unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        let stamps: Vec<String> = text.lines().filter(|l| l.starts_with("DTSTAMP:")).map(String::from).collect();
        let uids: Vec<String> = text.lines().filter(|l| l.starts_with("UID:")).map(String::from).collect();
        (uids, stamps)
    };
    let (a, stamps_a) = uids("1767225600"); // 2026-01-01T00:00:00Z
    let (b, stamps_b) = uids("1780000000");
    assert!(a.len() >= 9, "{a:?}");
    assert_eq!(a, b);
    assert!(stamps_a.iter().all(|s| s.trim_end() == "DTSTAMP:20260101T000000Z"), "{stamps_a:?}");
    assert_ne!(stamps_a, stamps_b);
}

// ---- -o and flags ----

#[test]
fn every_format_is_written_atomically_with_o() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = fixtures().join("pdf/sow-implementation.lo.pdf");
    for (format, name) in [("json", "o.json"), ("jsonl", "o.jsonl"), ("csv", "o.csv"), ("ics", "o.ics")] {
        let target = dir.path().join(name);
        let extract = |extra: &[&str]| {
            let out = bin().env("SOURCE_DATE_EPOCH", "1767225600").args(["extract", "--quiet", "--format", format, pdf.to_str().unwrap()]).args(extra).output().unwrap();
            assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
            String::from_utf8(out.stdout).unwrap()
        };
        assert!(extract(&["-o", target.to_str().unwrap()]).is_empty());
        let text = std::fs::read_to_string(&target).unwrap();
        assert_eq!(text, extract(&[]), "{format}: the file holds what stdout gets");
        assert!(text.contains("sow-implementation") || format == "ics", "{format}");
        if format == "ics" {
            assert!(text.starts_with("BEGIN:VCALENDAR\r\n") && text.contains("BEGIN:VEVENT"));
        }
    }
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(left.len(), 4, "no temporary file left: {left:?}");
}

#[test]
fn remind_needs_ics() {
    let r = run(&["extract", "--format", "csv", "--remind", "7d", "fixtures/bad/empty.pdf"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--remind applies to --format ics only"), "{}", r.stderr);
    let r = run(&["extract", "--format", "ics", "--remind", "a month", "fixtures/bad/empty.pdf"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("not a number of days"), "{}", r.stderr);
}

// ---- due ----

fn due_json(args: &[&str], stdin: Option<&str>) -> (i32, Value) {
    let mut all = vec!["due", "--format", "json"];
    all.extend(args);
    let r = run_stdin(&all, stdin);
    let v = serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {} {}", r.stdout, r.stderr));
    (r.code, v)
}

fn listed(v: &Value) -> Vec<(String, String, i64, String, u64, String)> {
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["state"].as_str().unwrap().to_string(),
                i["date"].as_str().unwrap().to_string(),
                i["days"].as_i64().unwrap(),
                i["path"].as_str().unwrap().to_string(),
                i["page"].as_u64().unwrap(),
                i["name"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn item(state: &str, date: &str, days: i64, path: &str, page: u64, name: &str) -> (String, String, i64, String, u64, String) {
    (state.into(), date.into(), days, path.into(), page, name.into())
}

/// The answer worked out by hand in fixtures/due/README.md.
fn hand_worked_answer() -> Vec<(String, String, i64, String, u64, String)> {
    vec![
        item("overdue", "2025-12-31", -91, "beta/lease.pdf", 4, "Break option notice"),
        item("overdue", "2026-03-16", -16, "alpha/sow.pdf", 2, "Kick-off"),
        item("due", "2026-04-01", 0, "alpha/sow.pdf", 2, "Design document"),
        item("due", "2026-04-15", 14, "beta/lease.pdf", 2, "Rent, April"),
        item("due", "2026-04-15", 14, "beta/lease.pdf", 5, "Annual report"),
        item("due", "2026-05-01", 30, "alpha/sow.pdf", 2, "Go-Live"),
    ]
}

#[test]
fn due_from_a_previous_run_lists_the_right_items() {
    for file in ["fixtures/due/run.json", "fixtures/due/run.jsonl"] {
        let path = root().join(file);
        let (code, v) = due_json(&["--from", path.to_str().unwrap(), "--as-of", "2026-04-01", "--within", "30d"], None);
        assert_eq!(code, 1, "overdue items: exit 1");
        assert_eq!(listed(&v), hand_worked_answer(), "{file}");
        assert_eq!((v["overdue"].as_u64(), v["due"].as_u64()), (Some(2), Some(4)));
        assert_eq!(v["until"], "2026-05-01");
        assert_eq!(v["undated"], 1);
        assert_eq!(v["documents"], 3);
        assert_eq!(v["not_ok"][0]["path"], "gamma/scan.pdf");
        assert_eq!(v["not_ok"][0]["status"], "no_text");
        assert_eq!(v["items"][3]["amount"], json!({"value": "1200.00", "currency": "EUR"}));
    }
    // --since leaves out old overdue items; 2w = 14 days.
    let path = root().join("fixtures/due/run.json");
    let (_, v) = due_json(&["--from", path.to_str().unwrap(), "--as-of", "2026-04-01", "--within", "2w", "--since", "2026-01-01"], None);
    let names: Vec<String> = listed(&v).into_iter().map(|i| i.5).collect();
    assert_eq!(names, ["Kick-off", "Design document", "Rent, April", "Annual report"]);
}

#[test]
fn due_table_and_exit_zero() {
    let path = root().join("fixtures/due/run.json");
    let r = run(&["due", "--from", path.to_str().unwrap(), "--as-of", "2026-04-01"]);
    assert_eq!(r.code, 1);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert!(lines[0].starts_with("As of 2026-04-01: 2 overdue, 4 due within 30 days (until 2026-05-01)"), "{}", r.stdout);
    assert!(lines[1].starts_with("STATE"), "{}", r.stdout);
    let order: Vec<&str> = lines[2..8].iter().map(|l| l.split_whitespace().nth(1).unwrap()).collect();
    assert_eq!(order, ["2025-12-31", "2026-03-16", "2026-04-01", "2026-04-15", "2026-04-15", "2026-05-01"]);
    assert!(lines[2].starts_with("OVERDUE") && lines[2].contains("91 days ago") && lines[2].contains("beta/lease.pdf p4"));
    assert!(lines[4].contains("today"));
    assert!(lines[5].contains("1200.00 EUR"));
    assert!(r.stdout.contains("1 record without a date not listed"));
    assert!(r.stdout.contains("not read: gamma/scan.pdf (no_text:"));

    // Only the first document, a month earlier, from stdin as JSON Lines:
    // nothing overdue, every document read: exit 0.
    let first = std::fs::read_to_string(root().join("fixtures/due/run.jsonl")).unwrap().lines().next().unwrap().to_string();
    let (code, v) = due_json(&["--from", "-", "--as-of", "2026-03-01"], Some(&first));
    assert_eq!(code, 0, "{v}");
    assert_eq!(listed(&v), [item("due", "2026-03-16", 15, "alpha/sow.pdf", 2, "Kick-off")]);
}

#[test]
fn due_fixture_is_valid_output() {
    let v: Value = serde_json::from_str(&std::fs::read_to_string(root().join("fixtures/due/run.json")).unwrap()).unwrap();
    assert_valid(&v, "fixtures/due/run.json");
}

#[test]
fn due_reads_pdfs_like_extract() {
    // fixtures/expected/sow-implementation.json: kick-off 2026-03-16 and the
    // Project Management Plan 2026-03-30 are overdue on 2026-04-01; the
    // Current-State Assessment Report (2026-04-17) is due within 30 days; the
    // next date, Solution Design approval (2026-05-08), is past 2026-05-01.
    let pdf = fixtures().join("pdf/sow-implementation.lo.pdf");
    let (code, v) = due_json(&["--quiet", pdf.to_str().unwrap(), "--as-of", "2026-04-01", "--within", "30d"], None);
    assert_eq!(code, 1);
    let got: Vec<(String, String)> = listed(&v).into_iter().map(|i| (i.0, i.1)).collect();
    assert_eq!(got, [("overdue".to_string(), "2026-03-16".to_string()), ("overdue".into(), "2026-03-30".into()), ("due".into(), "2026-04-17".into())]);
    assert!(v["items"][0]["name"].as_str().unwrap().contains("kick-off"), "{}", v["items"][0]);
}

#[test]
fn due_errors_name_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.jsonl");
    std::fs::write(&bad, "{\"path\": \"a.pdf\"}\n").unwrap();
    let r = run(&["due", "--from", bad.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("bad.jsonl") && r.stderr.contains("line 1"), "{}", r.stderr);
    let r = run(&["due", "--from", "/no/such/file.json"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("/no/such/file.json"), "{}", r.stderr);
    let r = run(&["due", "--as-of", "01/04/2026", "--from", "x.json"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("not a date YYYY-MM-DD"), "{}", r.stderr);
    let r = run(&["due"]);
    assert_eq!(r.code, 2, "neither PATH nor --from");
}

#[test]
fn due_lists_the_opt_out_deadline_of_the_term_in_force() {
    let pdf = root().join("fixtures/plain/hosting-renewal.pdf");
    let pdf = pdf.to_str().unwrap();
    // The initial term ends 2027-02-01; notice 90 days before: 2026-11-03.
    // (--since: the 2025 milestones and fee are history here.)
    let (code, v) = due_json(&[pdf, "--as-of", "2026-10-20", "--within", "30d", "--since", "2026-10-01"], None);
    assert_eq!(code, 0);
    let kinds: Vec<(&str, &str)> = v["items"].as_array().unwrap().iter().map(|i| (i["kind"].as_str().unwrap(), i["date"].as_str().unwrap())).collect();
    assert_eq!(kinds, [("opt_out_deadline", "2026-11-03")]);
    assert_eq!(v["items"][0]["page"], 1);
    assert!(v["items"][0]["text"].as_str().unwrap().contains("ninety (90) days"));
    // A year later the contract has renewed once: the deadline is the second
    // term's (2028-02-01 less 90 days), and the table says what it is.
    let (_, v) = due_json(&[pdf, "--as-of", "2027-10-20", "--within", "30d", "--since", "2027-10-01"], None);
    assert_eq!(v["items"].as_array().unwrap().len(), 1);
    assert_eq!(v["items"][0]["date"], "2027-11-03");
    let r = run(&["due", pdf, "--as-of", "2027-10-20", "--within", "30d", "--since", "2027-10-01"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("opt_out_deadline") && r.stdout.contains("2027-11-03"), "{}", r.stdout);
}
