//! The rule-file format, as serde structs. Every field is documented here and
//! in `rules/README.md`; unknown fields are errors. The same structs give the
//! format's JSON Schema ([`json_schema`], `schema/contract-milestones-rules-1.schema.json`):
//! the doc comments below are its descriptions, so they are written for
//! people who write rules.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::{Deserialize, Deserializer};
use toml::Spanned;

use super::{RuleKind, ROLES};
use crate::normalise::RenewalKind;
use crate::segment::SegmentKind;

/// One rule file.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleFile {
    /// Format version; 1.
    #[schemars(schema_with = "version_schema")]
    pub version: Spanned<u32>,
    /// Named regex fragments other patterns use as `%{name}`; a fragment may
    /// capture a role, e.g. `share = '\(\s*(?P<percent>%{percent})\s*\)'`.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, String>")]
    pub fragments: BTreeMap<String, Spanned<String>>,
    /// Prefilter words for fragments: a pattern that uses `%{name}` can only
    /// match a segment containing one of these words.
    #[serde(default)]
    pub keywords: BTreeMap<String, Vec<String>>,
    /// The rules.
    #[serde(default, rename = "rule")]
    pub rules: Vec<RuleDef>,
    /// Word classes: class name → words and phrases (see `rules/lexicon.toml`);
    /// a class named in several files has all their words.
    #[serde(default)]
    pub lexicon: BTreeMap<String, Vec<String>>,
    /// The decision's weights (see `rules/model.toml`); a later file's model
    /// replaces an earlier one's.
    pub model: Option<ModelDef>,
    /// Worked cases of the whole finder-and-decision: a text and the items it
    /// must (or must not) give.
    #[serde(default, rename = "case")]
    pub cases: Vec<Case>,
}

/// The weights of the two decisions.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ModelDef {
    /// Where the weights came from, for people.
    #[serde(default)]
    pub trained_on: Option<String>,
    /// Milestones and deliverables.
    pub schedule: WeightsDef,
    /// Payments.
    pub payment: WeightsDef,
}

/// One decision's weights.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WeightsDef {
    /// Score with no feature.
    pub bias: f64,
    /// Keep a candidate of a short document scoring at least this.
    pub threshold: f64,
    /// The same in a long document; default: `threshold`.
    pub threshold_long: Option<f64>,
    /// Feature → weight.
    #[serde(default)]
    pub weights: BTreeMap<String, f64>,
}

/// A worked case: a text (one segment), and what the finders and the
/// decision must make of it.
#[derive(Debug, Deserialize, Clone, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// What the case shows.
    pub about: String,
    /// The segment text (a table row: cells separated by ` | `).
    pub text: String,
    /// Table rows: the header cells.
    #[serde(default)]
    pub header: Vec<String>,
    /// The segment kind; default `sentence`, or `table_row` with a header.
    // `default` only tells schemars that it may be left out, as an `Option` may.
    #[serde(default)]
    #[schemars(schema_with = "segment_kind_schema")]
    pub segment: Option<SegmentKind>,
    /// The section heading above it.
    pub heading: Option<String>,
    /// The document's effective date (`YYYY-MM-DD`), for relative dates.
    #[serde(default, deserialize_with = "iso_date")]
    #[schemars(with = "Option<String>")]
    pub effective_date: Option<NaiveDate>,
    /// The page the text sits on (default 1): the document is taken to be
    /// that long, and the decision keeps fewer candidates of a long one.
    #[serde(default)]
    pub page: Option<u32>,
    /// Items it must give (each matched by the given fields).
    #[serde(default)]
    pub expect: Vec<Expect>,
    /// When true, it must give no item at all.
    #[serde(default)]
    pub nothing: bool,
}

/// One rule.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleDef {
    /// Unique id, e.g. `payment.table-row`.
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// `milestone`, `deliverable`, `schedule` (milestone or deliverable by the name's words), `payment`,
    /// `effective_date`, `expiration_date`, `defined_date`, `contract_price`, `party`, `renewal`, `notice_period`.
    #[schemars(schema_with = "rule_kind_schema")]
    pub kind: Spanned<String>,
    /// What it finds, one line.
    pub description: String,
    /// Cheap prefilter: the rule runs on a segment only when one of these
    /// words occurs in it (ASCII case-insensitive); empty: always runs.
    #[serde(default)]
    pub keywords: Vec<String>,
    /// Regex patterns (any may match). Named captures must have a known role.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub patterns: Vec<Spanned<String>>,
    /// Table rows: fill roles from the cells under headers matching these regexes
    /// (`name`, `date`, `amount`, `percent`, `trigger`, `rel`).
    #[serde(default)]
    #[schemars(schema_with = "columns_schema")]
    pub columns: BTreeMap<String, Spanned<String>>,
    /// Segment kinds the rule applies to (`sentence`, `list_item`, `table_row`, `heading`); empty: all.
    #[serde(default)]
    #[schemars(schema_with = "segments_schema")]
    pub segments: Vec<Spanned<String>>,
    /// Regexes of which at least one must occur in the segment.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub require: Vec<Spanned<String>>,
    /// Regexes that reject a match when they occur within `window` characters of it.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub exclude: Vec<Spanned<String>>,
    /// Regexes that reject a match when they occur inside it, past its first
    /// word (a delivery phrase must not run on into the next obligation:
    /// "..., and shall achieve X within ...").
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub exclude_inside: Vec<Spanned<String>>,
    /// Characters around the match searched by `exclude`; default: the whole segment.
    pub window: Option<usize>,
    /// Table rows: regexes that reject the rule when any header cell matches
    /// (a schedule rule skips a payment table's rows).
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub skip_headers: Vec<Spanned<String>>,
    /// Regexes of which one must match the section heading.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub heading: Vec<Spanned<String>>,
    /// Regexes that reject the rule when they match the section heading.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub not_heading: Vec<Spanned<String>>,
    /// A list after the match: this regex runs over the rest of the segment
    /// (and up to `each_reach` following segments) and every match is one
    /// record, inheriting the main match's captures it does not set itself
    /// ("two instalments of EUR 43.200,00 each: the first upon ..., the
    /// second upon ..."). The main match alone makes no record.
    #[schemars(with = "Option<String>")]
    pub each: Option<Spanned<String>>,
    /// Following segments `each` may run into; default 2.
    pub each_reach: Option<usize>,
    /// A fixed name for the record, when no `name` capture gives one.
    pub name: Option<String>,
    /// Higher wins when two rules find the same thing in one segment.
    #[serde(default)]
    pub priority: i32,
    /// `renewal` rules: `automatic` (renews unless notice is given) or
    /// `option` (renewing needs an option, election or agreement).
    #[serde(default)]
    #[schemars(schema_with = "renewal_schema")]
    pub renewal: Option<Spanned<String>>,
    /// `effective_date` and `expiration_date` rules: the field is null for
    /// this reason when the rule wins ("the term ends on an event").
    pub reason: Option<String>,
    /// `effective_date` rules that read a date where the parties sign (a
    /// signature block's "Date:", a countersignature).
    #[serde(default)]
    pub signature: bool,
    /// `effective_date` rules for an effective date defined as the signing
    /// ("the date of the last signature below"): the date is the latest one
    /// the `signature` rules found; without one, a weaker rule decides.
    #[serde(default)]
    pub latest_signature: bool,
    /// Texts the rule must match, with the values it must produce.
    #[serde(default, rename = "example")]
    pub examples: Vec<Example>,
    /// Texts the rule must not match.
    #[serde(default, rename = "counter_example")]
    pub counter_examples: Vec<CounterExample>,
}

/// A positive example.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Example {
    /// The segment text (for a table row: cells separated by ` | `).
    pub text: String,
    /// Table rows: the header cells.
    #[serde(default)]
    pub header: Vec<String>,
    /// The segment kind; default `sentence`, or `table_row` when `header` is given.
    // `default` only tells schemars that it may be left out, as an `Option` may.
    #[serde(default)]
    #[schemars(schema_with = "segment_kind_schema")]
    pub segment: Option<SegmentKind>,
    /// The section heading, when the rule looks at it.
    pub heading: Option<String>,
    /// The document's effective date (`YYYY-MM-DD`), for resolving relative dates.
    #[serde(default, deserialize_with = "iso_date")]
    #[schemars(with = "Option<String>")]
    pub effective_date: Option<NaiveDate>,
    /// Expected normalised values.
    #[schemars(with = "Option<Expect>")]
    pub expect: Option<Spanned<Expect>>,
}

/// The values an example must produce. Each given field must equal the
/// record's; fields not given are not checked.
#[derive(Debug, Deserialize, Clone, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// Record kind.
    pub kind: Option<String>,
    /// Record name.
    pub name: Option<String>,
    /// `YYYY-MM-DD`, or "none".
    pub date: Option<String>,
    /// "50000.00 USD".
    pub amount: Option<String>,
    /// 25.
    pub percent: Option<f64>,
    /// The trigger event.
    pub trigger: Option<String>,
    /// "30 days after Effective Date".
    pub relative: Option<String>,
    /// For document fields and defined dates: the value ("2025-03-01", or
    /// the defined term); for renewal and notice rules, the period ("1 year",
    /// "60 days").
    pub value: Option<String>,
    /// Renewal rules: how many renewals the clause allows.
    pub count: Option<u32>,
}

/// A negative example.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CounterExample {
    /// Text the rule must not match.
    pub text: String,
    /// Table rows: the header cells.
    #[serde(default)]
    pub header: Vec<String>,
    /// Segment kind.
    // `default` only tells schemars that it may be left out, as an `Option` may.
    #[serde(default)]
    #[schemars(schema_with = "segment_kind_schema")]
    pub segment: Option<SegmentKind>,
    /// Section heading.
    pub heading: Option<String>,
}

/// A `YYYY-MM-DD` date; the error names the value (chrono's own says only
/// "input contains invalid characters").
fn iso_date<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
    let text: Option<String> = Option::deserialize(d)?;
    text.map(|t| t.parse().map_err(|_| serde::de::Error::custom(format!("`{t}` is not a YYYY-MM-DD date")))).transpose()
}

/// The segment kinds, in the order the docs list them, by the names rule
/// files use.
pub(crate) const SEGMENT_KINDS: [SegmentKind; 4] = [SegmentKind::Sentence, SegmentKind::ListItem, SegmentKind::TableRow, SegmentKind::Heading];

/// The `$id` of the rule files' JSON Schema; its last part is the format's `version`.
pub const JSON_SCHEMA_ID: &str = "urn:contract-milestones:rules:1";

/// The JSON Schema (draft 2020-12) of a rule file read as JSON, made from
/// the structs above. Patterns are only strings to it: `rules check` is
/// what checks their regexes, fragments and capture roles.
pub fn json_schema() -> String {
    let mut schema =
        schemars::generate::SchemaSettings::draft2020_12().with_transform(schemars::transform::RecursiveTransform(no_null as fn(&mut Schema))).into_generator().into_root_schema_for::<RuleFile>();
    schema.insert("$id".into(), JSON_SCHEMA_ID.into());
    schema.insert("title".into(), "contract-milestones rule file, version 1".into());
    schema.insert(
        "description".into(),
        "A TOML rule file of contract-milestones (rules/*.toml, or a file given with --rules), as read by `rules check`; see rules/README.md. Unknown fields are errors.".into(),
    );
    let mut text = serde_json::to_string_pretty(&schema).expect("a schema is JSON");
    text.push('\n');
    text
}

/// TOML has no null: an optional field is left out, never null, so the
/// schema does not offer null (schemars allows it for every `Option`).
fn no_null(schema: &mut Schema) {
    let null = serde_json::json!({ "type": "null" });
    let Some(obj) = schema.as_object_mut() else { return };
    if obj.get("default").is_some_and(serde_json::Value::is_null) {
        obj.remove("default");
    }
    if let Some(serde_json::Value::Array(types)) = obj.get_mut("type") {
        types.retain(|t| t != "null");
        if types.len() == 1 {
            let only = types.remove(0);
            obj.insert("type".into(), only);
        }
    }
    if let Some(serde_json::Value::Array(any)) = obj.get_mut("anyOf") {
        any.retain(|s| *s != null);
        if any.len() == 1 {
            let only = any.remove(0);
            obj.remove("anyOf");
            if let serde_json::Value::Object(only) = only {
                obj.extend(only);
            }
        }
    }
}

fn version_schema(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "integer", "const": 1 })
}

fn rule_kind_schema(_: &mut SchemaGenerator) -> Schema {
    let kinds: Vec<&str> = RuleKind::ALL.iter().map(|k| k.as_str()).collect();
    json_schema!({ "type": "string", "enum": kinds })
}

fn segment_kind_schema(_: &mut SchemaGenerator) -> Schema {
    let kinds: Vec<&str> = SEGMENT_KINDS.iter().map(|k| k.as_str()).collect();
    json_schema!({ "type": "string", "enum": kinds })
}

fn segments_schema(generator: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "array", "items": segment_kind_schema(generator) })
}

fn columns_schema(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "object", "propertyNames": { "enum": ROLES }, "additionalProperties": { "type": "string" } })
}

fn renewal_schema(_: &mut SchemaGenerator) -> Schema {
    // The renewal kinds a rule can find, by their names: one table, the enum's.
    let words: Vec<&str> = RenewalKind::ALL.iter().filter(|k| k.auto().is_some()).map(|k| k.as_str()).collect();
    json_schema!({ "type": "string", "enum": words })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_effective_date_is_a_date() {
        let case = |extra: &str| toml::from_str::<Case>(&format!("about = \"a\"\ntext = \"t\"\n{extra}"));
        assert_eq!(case("effective_date = \"2026-01-31\"\n").unwrap().effective_date, NaiveDate::from_ymd_opt(2026, 1, 31));
        assert_eq!(case("").unwrap().effective_date, None);
        let e = case("effective_date = \"March 1, 2025\"\n").unwrap_err().to_string();
        assert!(e.contains("`March 1, 2025` is not a YYYY-MM-DD date"), "{e}");
    }
}
