//! SARIF 2.1.0 for code-scanning dashboards: one run, the checks as the
//! driver's rules, one result per finding with the PDF as its location.
//!
//! SARIF is plain JSON; the structure follows the OASIS SARIF 2.1.0 spec
//! (§3.13 sarifLog, §3.14 run, §3.19 toolComponent, §3.49
//! reportingDescriptor, §3.27 result, §3.28 location). A PDF has no lines,
//! so each result's region is line 1 and the record's page is in the
//! message ("page 3: ...") and in the result's `properties.page`.

use serde_json::{json, Value};

use crate::check::{message_with_page, CheckConfig, Finding, Level, CHECKS};

/// The `$schema` of the log.
pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// The SARIF version written.
pub const VERSION: &str = "2.1.0";

/// The SARIF `level` of a check level.
fn level(l: Level) -> &'static str {
    match l {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Note => "note",
        Level::Off => "none",
    }
}

/// A relative path as a URI reference: `/` kept, everything outside RFC
/// 3986's unreserved characters percent-encoded (spaces, `#`, `%`, non-ASCII).
pub fn uri_of(path: &str) -> String {
    let mut s = String::new();
    for b in path.replace('\\', "/").bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            s.push(b as char);
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    s
}

/// The whole log.
pub fn log(findings: &[Finding], config: &CheckConfig) -> Value {
    let rules: Vec<Value> = CHECKS
        .iter()
        .map(|c| {
            json!({
                "id": c.id,
                "name": c.id,
                "shortDescription": {"text": c.summary},
                "fullDescription": {"text": c.summary},
                "help": {"text": c.help},
                "defaultConfiguration": {
                    "level": level(config.level(c.id)),
                    "enabled": config.level(c.id) != Level::Off
                }
            })
        })
        .collect();
    let results: Vec<Value> = findings
        .iter()
        .map(|f| {
            let index = CHECKS.iter().position(|c| c.id == f.check).expect("a finding comes from a known check");
            let mut properties = serde_json::Map::new();
            if let Some(p) = f.page {
                properties.insert("page".into(), json!(p));
            }
            json!({
                "ruleId": f.check,
                "ruleIndex": index,
                "level": level(f.level),
                "message": {"text": message_with_page(f)},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": uri_of(&f.file)},
                        "region": {"startLine": 1}
                    }
                }],
                "partialFingerprints": {
                    "contractMilestones/v1": crate::pipeline::sha256_hex(format!("{}\0{}\0{}", f.check, f.file, f.message).as_bytes())
                },
                "properties": properties
            })
        })
        .collect();
    json!({
        "$schema": SCHEMA_URI,
        "version": VERSION,
        "runs": [{
            "tool": {
                "driver": {
                    "name": "contract-milestones",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "rules": rules
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": results
        }]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_encoded() {
        assert_eq!(uri_of("contracts/a b#1.pdf"), "contracts/a%20b%231.pdf");
        assert_eq!(uri_of("vertrag-ü.pdf"), "vertrag-%C3%BC.pdf");
    }
}
