//! Checks over extracted documents, for CI: each check has an id, a default
//! level, and looks at one document at a time. `contract-milestones check`
//! runs the extraction (or reads a previous run's output), applies them, and
//! prints the findings; the exit code says whether one at `error` level
//! failed. The logic lives here; printing (text, GitHub workflow commands,
//! SARIF in the `sarif` module) is at the edge.
//!
//! | id | default | finds |
//! |---|---|---|
//! | `document-not-ok` | error | a document whose status is not `ok` |
//! | `payment-shares` | warning | payment shares (percents) of one contract that do not sum to 100% |
//! | `payments-vs-price` | warning | payment amounts that exceed or fall short of the stated contract price |
//! | `undated-item` | note | a milestone or deliverable with no resolvable date |
//! | `dates-out-of-order` | warning | a schedule whose dates go backwards |
//! | `overdue` | warning | a milestone or deliverable whose date is before `--as-of` |
//! | `opt-out-soon` | warning | the last day to stop an automatic renewal falls within `--within` days of `--as-of` |
//! | `opt-out-passed` | note | that day has passed for the term in force: the contract will renew |

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::normalise::{Cents, Currency};
use crate::record::{Document, Kind, Record, Status};

named_enum! {
    /// How much a finding matters.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
    pub enum Level {
        /// Turned off: the check does not run.
        Off = "off",
        /// Worth knowing.
        Note = "note",
        /// Worth a look.
        Warning = "warning",
        /// Fails the run (exit code 1).
        Error = "error",
    }
}

impl Level {
    /// Parse a level as configs and flags may write it: its name (any case,
    /// spaces around), or `warn`, `info`, `none`.
    pub fn parse(s: &str) -> Option<Level> {
        let s = s.trim().to_ascii_lowercase();
        Level::from_name(&s).or(match s.as_str() {
            "warn" => Some(Level::Warning),
            "info" => Some(Level::Note),
            "none" => Some(Level::Off),
            _ => None,
        })
    }
}

/// A check's identity and documentation.
#[derive(Debug, Clone, Copy)]
pub struct CheckDef {
    /// Stable id (config keys, `--level`, SARIF rule ids).
    pub id: &'static str,
    /// Level unless configured.
    pub default: Level,
    /// One line.
    pub summary: &'static str,
    /// What to do about a finding.
    pub help: &'static str,
}

/// Id of the check on document status.
pub const DOCUMENT_NOT_OK: &str = "document-not-ok";
/// Id of the check on payment shares.
pub const PAYMENT_SHARES: &str = "payment-shares";
/// Id of the check on payments against the contract price.
pub const PAYMENTS_VS_PRICE: &str = "payments-vs-price";
/// Id of the check on undated items.
pub const UNDATED_ITEM: &str = "undated-item";
/// Id of the check on date order.
pub const DATES_OUT_OF_ORDER: &str = "dates-out-of-order";
/// Id of the check on overdue items.
pub const OVERDUE: &str = "overdue";
/// Id of the check on an opt-out deadline inside the window.
pub const OPT_OUT_SOON: &str = "opt-out-soon";
/// Id of the check on an opt-out deadline already passed.
pub const OPT_OUT_PASSED: &str = "opt-out-passed";

/// Every check, in the order findings are reported.
pub const CHECKS: &[CheckDef] = &[
    CheckDef {
        id: DOCUMENT_NOT_OK,
        default: Level::Error,
        summary: "The document could not be read (scan, encrypted, damaged, timeout, too large).",
        help: "Replace the file with a readable PDF with a text layer, give --password, or raise --timeout / --max-pages.",
    },
    CheckDef {
        id: PAYMENT_SHARES,
        default: Level::Warning,
        summary: "The payment shares (percentages) of one contract do not sum to 100%.",
        help: "Check the payment schedule: an instalment may be missing or a share mistyped.",
    },
    CheckDef {
        id: PAYMENTS_VS_PRICE,
        default: Level::Warning,
        summary: "The scheduled payments exceed or fall short of the stated contract price.",
        help: "Check the payment schedule against the contract price clause.",
    },
    CheckDef {
        id: UNDATED_ITEM,
        default: Level::Note,
        summary: "A milestone or deliverable has no date that can be resolved.",
        help: "The item is due upon an event, or relative to a date the contract does not state; track it by hand.",
    },
    CheckDef {
        id: DATES_OUT_OF_ORDER,
        default: Level::Warning,
        summary: "A schedule's dates go backwards.",
        help: "Check the schedule: a date may be mistyped (a wrong year, day and month swapped).",
    },
    CheckDef { id: OVERDUE, default: Level::Warning, summary: "A milestone or deliverable is already past its date.", help: "Follow the item up, or record that it was met." },
    CheckDef {
        id: OPT_OUT_SOON,
        default: Level::Warning,
        summary: "The last day to stop an automatic renewal is near (within --within days).",
        help: "Decide whether the contract should renew; if not, give the notice it requires before the deadline.",
    },
    CheckDef {
        id: OPT_OUT_PASSED,
        default: Level::Note,
        summary: "The last day to stop an automatic renewal has passed: the contract will renew.",
        help: "Plan for the renewal term, or negotiate an exit with the other party.",
    },
];

/// The definition of a check by id.
pub fn def(id: &str) -> Option<&'static CheckDef> {
    CHECKS.iter().find(|c| c.id == id)
}

/// Errors in a check configuration.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The TOML does not parse or has unknown fields.
    #[error("{path}: {message}")]
    Toml {
        /// The config file.
        path: String,
        /// The parser's message (with line and column).
        message: String,
    },
    /// An id that is no check.
    #[error("{origin}: unknown check `{id}` (checks: {})", CHECKS.iter().map(|c| c.id).collect::<Vec<_>>().join(", "))]
    UnknownCheck {
        /// Where it was named.
        origin: String,
        /// The id.
        id: String,
    },
    /// A level that is no level.
    #[error("{origin}: unknown level `{level}` for `{id}` (use error, warning, note or off)")]
    UnknownLevel {
        /// Where it was named.
        origin: String,
        /// The check.
        id: String,
        /// The level as written.
        level: String,
    },
    /// A `--level` flag without `=`.
    #[error("--level {0}: expected ID=LEVEL, e.g. --level overdue=error")]
    Flag(String),
    /// A date that is not YYYY-MM-DD.
    #[error("{origin}: `{value}` is not a YYYY-MM-DD date")]
    Date {
        /// Where it was written.
        origin: String,
        /// The value.
        value: String,
    },
}

/// The check config file (`--config checks.toml`).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    /// The day overdue is measured against (default today).
    as_of: Option<String>,
    /// Days after `as_of` in which an opt-out deadline is near ("90d").
    within: Option<String>,
    /// Check id → level.
    #[serde(default)]
    levels: BTreeMap<String, String>,
}

/// The effective configuration of a run.
#[derive(Debug, Clone)]
pub struct CheckConfig {
    levels: BTreeMap<&'static str, Level>,
    /// The day overdue items are measured against.
    pub as_of: NaiveDate,
    /// Days after `as_of` in which an opt-out deadline is near.
    pub within_days: u32,
}

/// `within` unless configured: a quarter, time enough to decide on a renewal.
pub const DEFAULT_WITHIN_DAYS: u32 = 90;

impl CheckConfig {
    /// Every check at its default level.
    pub fn new(as_of: NaiveDate) -> CheckConfig {
        CheckConfig { levels: CHECKS.iter().map(|c| (c.id, c.default)).collect(), as_of, within_days: DEFAULT_WITHIN_DAYS }
    }

    /// The level of a check.
    pub fn level(&self, id: &str) -> Level {
        self.levels.get(id).copied().unwrap_or(Level::Off)
    }

    /// Set one check's level.
    pub fn set(&mut self, id: &str, level: Level, origin: &str) -> Result<(), ConfigError> {
        let d = def(id).ok_or_else(|| ConfigError::UnknownCheck { origin: origin.into(), id: id.into() })?;
        self.levels.insert(d.id, level);
        Ok(())
    }

    /// Apply a TOML config file's text (`path` names it in errors).
    pub fn apply_toml(&mut self, path: &str, text: &str) -> Result<(), ConfigError> {
        let file: ConfigFile = toml::from_str(text).map_err(|e| ConfigError::Toml { path: path.into(), message: e.to_string().trim_end().to_string() })?;
        if let Some(d) = &file.as_of {
            self.as_of = parse_day(d).ok_or_else(|| ConfigError::Date { origin: format!("{path}: as_of"), value: d.clone() })?;
        }
        if let Some(w) = &file.within {
            self.within_days = crate::due::parse_days(w).map_err(|message| ConfigError::Toml { path: path.into(), message: format!("within: {message}") })?;
        }
        for (id, level) in &file.levels {
            let origin = format!("{path}: [levels]");
            let l = Level::parse(level).ok_or_else(|| ConfigError::UnknownLevel { origin: origin.clone(), id: id.clone(), level: level.clone() })?;
            self.set(id, l, &origin)?;
        }
        Ok(())
    }

    /// Apply one `--level ID=LEVEL` flag.
    pub fn apply_flag(&mut self, flag: &str) -> Result<(), ConfigError> {
        let (id, level) = flag.split_once('=').ok_or_else(|| ConfigError::Flag(flag.into()))?;
        let origin = format!("--level {flag}");
        let l = Level::parse(level).ok_or_else(|| ConfigError::UnknownLevel { origin: origin.clone(), id: id.trim().into(), level: level.into() })?;
        self.set(id.trim(), l, &origin)
    }
}

/// `YYYY-MM-DD`.
pub fn parse_day(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()
}

/// One problem found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// The check's id.
    pub check: &'static str,
    /// Its configured level (never `off`).
    pub level: Level,
    /// Where the document is: the path as found on disk, or the document's path.
    pub file: String,
    /// 1-based page of the evidence, when the finding has one.
    pub page: Option<u32>,
    /// What is wrong, in a sentence.
    pub message: String,
}

/// Run every check that is not off on one document. `file` is the location
/// findings name (the path on disk, for annotations).
pub fn check_document(doc: &Document, file: &str, config: &CheckConfig) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut push = |check: &'static str, page: Option<u32>, message: String| {
        let level = config.level(check);
        if level != Level::Off {
            out.push(Finding { check, level, file: file.to_string(), page, message });
        }
    };
    if doc.status != Status::Ok {
        let why = doc.error.as_deref().unwrap_or("no reason given");
        push(DOCUMENT_NOT_OK, None, format!("the document is `{}`: {why}", doc.status.as_str()));
        return out;
    }
    if config.level(PAYMENT_SHARES) != Level::Off {
        if let Some((page, msg)) = payment_shares(&doc.records) {
            push(PAYMENT_SHARES, Some(page), msg);
        }
    }
    if config.level(PAYMENTS_VS_PRICE) != Level::Off {
        if let Some((page, msg)) = payments_vs_price(doc) {
            push(PAYMENTS_VS_PRICE, page, msg);
        }
    }
    for r in doc.records.iter().filter(|r| r.kind.is_schedule() && r.date.is_none()) {
        let how = match (&r.relative, &r.trigger) {
            // The plural whatever the offset, as before ("1 days").
            (Some(rel), _) => format!(" ({} {}s {} the {}, which has no date in the contract)", rel.offset, rel.unit.noun(), rel.direction, rel.anchor),
            (None, Some(t)) => format!(" (due upon {t})"),
            _ => String::new(),
        };
        push(UNDATED_ITEM, Some(r.page), format!("{} \"{}\" has no resolvable date{how}", r.kind.as_str(), r.name));
    }
    for (page, msg) in dates_out_of_order(&doc.records) {
        push(DATES_OUT_OF_ORDER, Some(page), msg);
    }
    for r in doc.records.iter().filter(|r| r.kind.is_schedule()) {
        if let Some(d) = r.date {
            if d < config.as_of {
                let days = (config.as_of - d).num_days();
                push(OVERDUE, Some(r.page), format!("{} \"{}\" was due {d}, {days} day{} before {}", r.kind.as_str(), r.name, if days == 1 { "" } else { "s" }, config.as_of));
            }
        }
    }
    if let Some((check, page, msg)) = opt_out(doc, config) {
        push(check, page, msg);
    }
    out
}

/// The opt-out deadline of the term in force on `as_of`, when the contract
/// renews by itself: near (within the window) or passed.
fn opt_out(doc: &Document, config: &CheckConfig) -> Option<(&'static str, Option<u32>, String)> {
    let (renewal, notice) = (doc.renewal.filter(|r| r.auto)?, doc.notice_period?);
    let term = doc.term_in_force(config.as_of, &crate::normalise::Calendar::weekends_only())?;
    let deadline = term.opt_out_deadline?;
    let page = doc.evidence.get("notice_period").map(|e| e.page);
    let days = (deadline - config.as_of).num_days();
    let plural = |n: i64| if n == 1 { "" } else { "s" };
    if days < 0 {
        Some((
            OPT_OUT_PASSED,
            page,
            format!(
                "the last day to give {notice} notice of non-renewal was {deadline}, {} day{} before {}: the term ending {} renews for {}",
                -days,
                plural(-days),
                config.as_of,
                term.term_end,
                renewal.period
            ),
        ))
    } else if days <= i64::from(config.within_days) {
        Some((
            OPT_OUT_SOON,
            page,
            format!("the last day to give {notice} notice of non-renewal is {deadline}, in {days} day{}: otherwise the term ending {} renews for {}", plural(days), term.term_end, renewal.period),
        ))
    } else {
        None
    }
}

/// 100% in hundredths of a percent.
const HUNDRED_PERCENT: i64 = 10_000;

/// Percent shares are compared in hundredths of a percent.
fn hundredths(p: f64) -> i64 {
    (p * 100.0).round() as i64
}

fn percent_text(h: i64) -> String {
    if h % 100 == 0 {
        format!("{}%", h / 100)
    } else {
        format!("{:.2}%", h as f64 / 100.0).replace(".00%", "%")
    }
}

/// Shares over 100% always; under 100% only when every payment is a share
/// (otherwise the rest may be stated as amounts). Needs two shares or more:
/// one lone percentage is as likely a deposit as a schedule.
fn payment_shares(records: &[Record]) -> Option<(u32, String)> {
    let payments: Vec<&Record> = records.iter().filter(|r| r.kind == Kind::Payment).collect();
    let shares: Vec<&Record> = payments.iter().copied().filter(|r| r.percent.is_some()).collect();
    if shares.len() < 2 {
        return None;
    }
    let total: i64 = shares.iter().map(|r| hundredths(r.percent.unwrap_or(0.0))).sum();
    let list: Vec<String> = shares.iter().map(|r| format!("{} (p{})", percent_text(hundredths(r.percent.unwrap_or(0.0))), r.page)).collect();
    let page = shares[0].page;
    if total > HUNDRED_PERCENT {
        return Some((page, format!("payment shares sum to {}, more than 100%: {}", percent_text(total), list.join(" + "))));
    }
    if total < HUNDRED_PERCENT && shares.len() == payments.len() {
        return Some((page, format!("payment shares sum to {}, less than 100%: {}", percent_text(total), list.join(" + "))));
    }
    None
}

/// `USD 1,234.50`; a negative amount `-USD 1,234.50`.
pub fn money_text(value: Cents, currency: Currency) -> String {
    let sign = if value.0 < 0 { "-" } else { "" };
    format!("{sign}{currency} {}", Cents(value.0.saturating_abs()).grouped())
}

/// Payments against the contract price: each payment counts with its amount
/// (in the price's currency) or, without one, its share of the price. Over
/// the price always; under it only when every payment could be counted.
fn payments_vs_price(doc: &Document) -> Option<(Option<u32>, String)> {
    let price = doc.contract_price?;
    let price_cents = price.value.0;
    let payments: Vec<&Record> = doc.records.iter().filter(|r| r.kind == Kind::Payment).collect();
    if payments.is_empty() {
        return None;
    }
    let mut total: i128 = 0;
    let mut counted = 0usize;
    for r in &payments {
        match (&r.amount, r.percent) {
            (Some(m), _) if m.currency == price.currency => {
                // A sum past i128 cannot be compared either.
                total = total.checked_add(m.value.0)?;
                counted += 1;
            }
            // Another currency: the sum cannot be compared.
            (Some(_), _) => return None,
            (None, Some(p)) => {
                total = total.checked_add((price_cents as f64 * p / 100.0).round() as i128)?;
                counted += 1;
            }
            (None, None) => {}
        }
    }
    // Shares of the price round to the cent: allow a cent per payment.
    let slack = payments.len() as i128;
    let page = payments.first().map(|r| r.page);
    let detail =
        format!("{} payment{} total {}, the contract price is {}", counted, if counted == 1 { "" } else { "s" }, money_text(Cents(total), price.currency), money_text(price.value, price.currency));
    if total > price_cents + slack {
        return Some((page, format!("payments exceed the contract price by {}: {detail}", money_text(Cents(total - price_cents), price.currency))));
    }
    if total + slack < price_cents && counted == payments.len() {
        return Some((page, format!("payments fall short of the contract price by {}: {detail}", money_text(Cents(price_cents - total), price.currency))));
    }
    None
}

/// A schedule is a run of dated records of one kind from one rule (the rows
/// of one table, the items of one list), each on the same page as the one
/// before or the next. Within it, a date earlier than the one before it is
/// out of order. Records from different sentences of the body are not a
/// schedule, so they are never compared.
fn dates_out_of_order(records: &[Record]) -> Vec<(u32, String)> {
    let mut out = Vec::new();
    // (kind, rule) → (last page, last dated record)
    let mut last: BTreeMap<(Kind, &str), (u32, &Record, NaiveDate)> = BTreeMap::new();
    for r in records {
        let Some(d) = r.date else { continue };
        let group = (r.kind, r.rule.as_str());
        if let Some(&(page, prev, pd)) = last.get(&group) {
            if r.page <= page + 1 && d < pd {
                out.push((r.page, format!("{} \"{}\" is due {d}, before \"{}\" ({pd}) listed above it (p{}) in the same schedule", r.kind.as_str(), r.name, prev.name, prev.page)));
            }
        }
        last.insert(group, (r.page, r, d));
    }
    out
}

/// Findings of every document; the `file` of each document is given by `location`.
pub fn check_all<'a>(docs: impl IntoIterator<Item = (&'a Document, String)>, config: &CheckConfig) -> Vec<Finding> {
    docs.into_iter().flat_map(|(d, file)| check_document(d, &file, config)).collect()
}

/// Counts by level.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Findings at error level.
    pub errors: usize,
    /// At warning level.
    pub warnings: usize,
    /// At note level.
    pub notes: usize,
}

/// Count findings by level.
pub fn counts(findings: &[Finding]) -> Counts {
    let mut c = Counts::default();
    for f in findings {
        match f.level {
            Level::Error => c.errors += 1,
            Level::Warning => c.warnings += 1,
            Level::Note => c.notes += 1,
            Level::Off => {}
        }
    }
    c
}

/// The message with the page, as annotations and reports print it.
pub fn message_with_page(f: &Finding) -> String {
    match f.page {
        Some(p) => format!("page {p}: {}", f.message),
        None => f.message.clone(),
    }
}

/// GitHub Actions workflow commands, one line per finding:
/// `::error file=PATH,line=1,title=ID::page N: message`. Property values and
/// the message are escaped as the runner expects (`%`, CR, LF; and `:` `,`
/// in properties).
pub fn github_commands(findings: &[Finding]) -> String {
    let mut s = String::new();
    for f in findings {
        let cmd = match f.level {
            Level::Error => "error",
            Level::Warning => "warning",
            _ => "notice",
        };
        s.push_str(&format!("::{cmd} file={},line=1,title={}::{}\n", escape_property(&f.file), escape_property(&format!("contract-milestones {}", f.check)), escape_data(&message_with_page(f))));
    }
    s
}

/// Escape a workflow command's message.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escape a workflow command's property value.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// The human-readable report: findings grouped by file, then a count line.
pub fn text_report(findings: &[Finding], documents: usize) -> String {
    let mut s = String::new();
    let mut current: Option<&str> = None;
    for f in findings {
        if current != Some(f.file.as_str()) {
            s.push_str(&format!("{}\n", f.file));
            current = Some(&f.file);
        }
        s.push_str(&format!("  {:7}  {:18}  {}\n", f.level.as_str(), f.check, message_with_page(f)));
    }
    let c = counts(findings);
    s.push_str(&format!(
        "{} document{} checked: {} error{}, {} warning{}, {} note{}\n",
        documents,
        if documents == 1 { "" } else { "s" },
        c.errors,
        if c.errors == 1 { "" } else { "s" },
        c.warnings,
        if c.warnings == 1 { "" } else { "s" },
        c.notes,
        if c.notes == 1 { "" } else { "s" }
    ));
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalise::{Direction, Money, Relative, Unit};

    fn rec(kind: Kind, name: &str, date: Option<&str>, page: u32, rule: &str) -> Record {
        Record { date: date.map(|d| parse_day(d).unwrap()), page, rule: rule.into(), ..Record::new(kind, name) }
    }

    fn pay(percent: Option<f64>, amount: Option<(&str, &str)>, page: u32) -> Record {
        let mut r = rec(Kind::Payment, "Instalment", None, page, "pay.row");
        r.percent = percent;
        r.amount = amount.map(|(v, c)| Money { value: v.parse().unwrap(), currency: c.parse().unwrap() });
        r
    }

    fn doc(records: Vec<Record>) -> Document {
        Document { sha256: "00".into(), ..Document::ok_with("c.pdf", records) }
    }

    fn config() -> CheckConfig {
        CheckConfig::new(NaiveDate::from_ymd_opt(2025, 6, 1).unwrap())
    }

    fn ids(f: &[Finding]) -> Vec<&str> {
        f.iter().map(|f| f.check).collect()
    }

    #[test]
    fn a_failed_document_is_one_error_and_nothing_else() {
        let mut d = doc(vec![]);
        d.status = Status::Encrypted;
        d.error = Some("a password is needed".into());
        let f = check_document(&d, "in/c.pdf", &config());
        assert_eq!(ids(&f), [DOCUMENT_NOT_OK]);
        assert_eq!(f[0].level, Level::Error);
        assert_eq!(f[0].file, "in/c.pdf");
        assert_eq!(f[0].message, "the document is `encrypted`: a password is needed");
    }

    #[test]
    fn shares() {
        // 30 + 40 + 30 = 100: clean.
        let ok = doc(vec![pay(Some(30.0), None, 2), pay(Some(40.0), None, 2), pay(Some(30.0), None, 3)]);
        assert!(check_document(&ok, "c.pdf", &config()).is_empty());
        // 30 + 40 + 40 = 110: over, whatever else there is.
        let over = doc(vec![pay(Some(30.0), None, 2), pay(Some(40.0), None, 2), pay(Some(40.0), None, 3), pay(None, Some(("10.00", "USD")), 3)]);
        let f = check_document(&over, "c.pdf", &config());
        assert_eq!(ids(&f), [PAYMENT_SHARES]);
        assert_eq!(f[0].message, "payment shares sum to 110%, more than 100%: 30% (p2) + 40% (p2) + 40% (p3)");
        assert_eq!(f[0].page, Some(2));
        // 25 + 25 + 33.33 = 83.33, every payment a share: short.
        let short = doc(vec![pay(Some(25.0), None, 1), pay(Some(25.0), None, 1), pay(Some(33.33), None, 1)]);
        let f = check_document(&short, "c.pdf", &config());
        assert_eq!(f[0].message, "payment shares sum to 83.33%, less than 100%: 25% (p1) + 25% (p1) + 33.33% (p1)");
        // 20 + 30 = 50 and a payment stated as an amount: the rest may be there.
        let mixed = doc(vec![pay(Some(20.0), None, 1), pay(Some(30.0), None, 1), pay(None, Some(("500.00", "USD")), 1)]);
        assert!(check_document(&mixed, "c.pdf", &config()).is_empty());
        // A lone share: not a schedule.
        assert!(check_document(&doc(vec![pay(Some(10.0), None, 1)]), "c.pdf", &config()).is_empty());
        // Thirds: 33.33 + 33.33 + 33.34.
        let thirds = doc(vec![pay(Some(33.33), None, 1), pay(Some(33.33), None, 1), pay(Some(33.34), None, 1)]);
        assert!(check_document(&thirds, "c.pdf", &config()).is_empty());
    }

    #[test]
    fn payments_against_the_price() {
        let price = |d: &mut Document, v: &str| d.contract_price = Some(Money { value: v.parse().unwrap(), currency: Currency::USD });
        // 40,000 + 60,000 = 100,000: clean.
        let mut d = doc(vec![pay(None, Some(("40000.00", "USD")), 3), pay(None, Some(("60000.00", "USD")), 3)]);
        price(&mut d, "100000.00");
        assert!(check_document(&d, "c.pdf", &config()).is_empty());
        // Price 90,000: over by 10,000.
        price(&mut d, "90000.00");
        let f = check_document(&d, "c.pdf", &config());
        assert_eq!(ids(&f), [PAYMENTS_VS_PRICE]);
        assert_eq!(f[0].message, "payments exceed the contract price by USD 10,000.00: 2 payments total USD 100,000.00, the contract price is USD 90,000.00");
        // Price 120,000: short by 20,000 (every payment counted).
        price(&mut d, "120000.00");
        let f = check_document(&d, "c.pdf", &config());
        assert_eq!(f[0].message, "payments fall short of the contract price by USD 20,000.00: 2 payments total USD 100,000.00, the contract price is USD 120,000.00");
        // A share counts as its part of the price: 50% of 120,000 + 40,000 + 60,000 = 160,000 > 120,000.
        d.records.push(pay(Some(50.0), None, 4));
        let f = check_document(&d, "c.pdf", &config());
        assert!(f[0].message.starts_with("payments exceed the contract price by USD 40,000.00: 3 payments total USD 160,000.00"), "{}", f[0].message);
        // Another currency among the payments: no comparison.
        d.records.push(pay(None, Some(("5.00", "EUR")), 4));
        assert!(check_document(&d, "c.pdf", &config()).iter().all(|f| f.check != PAYMENTS_VS_PRICE));
        // No price: no comparison.
        let none = doc(vec![pay(None, Some(("1.00", "USD")), 1)]);
        assert!(check_document(&none, "c.pdf", &config()).is_empty());
    }

    #[test]
    fn undated_items() {
        let mut rel = rec(Kind::Milestone, "Final Acceptance", None, 4, "r");
        rel.relative = Some(Relative { offset: 30, unit: Unit::Days, direction: Direction::After, anchor: "Go-Live Date".into() });
        let d = doc(vec![rec(Kind::Deliverable, "Design", Some("2025-07-01"), 2, "r"), rel, pay(Some(100.0), None, 5)]);
        let mut c = config();
        c.set(UNDATED_ITEM, Level::Warning, "test").unwrap();
        let f = check_document(&d, "c.pdf", &c);
        assert_eq!(ids(&f), [UNDATED_ITEM]);
        assert_eq!(f[0].message, "milestone \"Final Acceptance\" has no resolvable date (30 days after the Go-Live Date, which has no date in the contract)");
        assert_eq!((f[0].page, f[0].level), (Some(4), Level::Warning));
    }

    #[test]
    fn dates_out_of_order_in_one_schedule_only() {
        let d = doc(vec![
            rec(Kind::Milestone, "Kick-off", Some("2025-07-01"), 2, "table"),
            rec(Kind::Milestone, "Design", Some("2025-08-01"), 2, "table"),
            // Earlier than Design, next page, same table: out of order.
            rec(Kind::Milestone, "Build", Some("2025-07-15"), 3, "table"),
            rec(Kind::Milestone, "Launch", Some("2025-09-01"), 3, "table"),
            // Another rule (a sentence in the body): not part of the table.
            rec(Kind::Milestone, "Warranty start", Some("2025-06-15"), 3, "sentence"),
            // Same rule but three pages on: another schedule.
            rec(Kind::Milestone, "Phase 2 kick-off", Some("2025-06-20"), 6, "table"),
        ]);
        let f = check_document(&d, "c.pdf", &config());
        assert_eq!(ids(&f), [DATES_OUT_OF_ORDER]);
        assert_eq!(f[0].message, "milestone \"Build\" is due 2025-07-15, before \"Design\" (2025-08-01) listed above it (p2) in the same schedule");
        assert_eq!(f[0].page, Some(3));
    }

    #[test]
    fn overdue_against_as_of() {
        let d = doc(vec![
            rec(Kind::Milestone, "Kick-off", Some("2025-05-30"), 1, "r"),
            rec(Kind::Deliverable, "Report", Some("2025-06-01"), 1, "r"),
            rec(Kind::Deliverable, "Plan", Some("2025-06-02"), 1, "r"),
        ]);
        let f = check_document(&d, "c.pdf", &config());
        assert_eq!(ids(&f), [OVERDUE]);
        assert_eq!(f[0].message, "milestone \"Kick-off\" was due 2025-05-30, 2 days before 2025-06-01");
        // A payment in the past is not a milestone.
        let mut p = pay(None, Some(("1.00", "USD")), 1);
        p.date = parse_day("2020-01-01");
        assert!(check_document(&doc(vec![p]), "c.pdf", &config()).is_empty());
    }

    #[test]
    fn opt_out_deadline_near_then_passed_then_the_next_one() {
        use crate::normalise::{Period, Renewal, Unit};
        let mut d = doc(Vec::new());
        d.expiration_date = parse_day("2027-02-01");
        d.renewal = Some(Renewal { auto: true, period: Period { value: 1, unit: Unit::Years }, count: None });
        d.notice_period = Some(Period { value: 90, unit: Unit::Days });
        let at_for = |d: &Document, day: &str, within: u32| {
            let mut c = config();
            c.as_of = parse_day(day).unwrap();
            c.within_days = within;
            check_document(d, "c.pdf", &c)
        };
        let at = |day: &str, within: u32| at_for(&d, day, within);
        // 2027-02-01 less 90 days: 2026-11-03.
        assert!(at("2026-06-01", 90).is_empty(), "155 days ahead is outside 90");
        let f = at("2026-10-20", 90);
        assert_eq!(ids(&f), [OPT_OUT_SOON]);
        assert_eq!(f[0].message, "the last day to give 90 days notice of non-renewal is 2026-11-03, in 14 days: otherwise the term ending 2027-02-01 renews for 1 year");
        assert_eq!(f[0].level, Level::Warning);
        let f = at("2026-11-04", 90);
        assert_eq!(ids(&f), [OPT_OUT_PASSED]);
        assert_eq!(f[0].level, Level::Note);
        assert!(f[0].message.contains("was 2026-11-03, 1 day before 2026-11-04"), "{}", f[0].message);
        // Renewed once: the second term's deadline, 2028-02-01 less 90 days.
        let f = at("2027-10-20", 90);
        assert!(f[0].message.contains("is 2027-11-03, in 14 days"), "{}", f[0].message);
        // An option to renew has no opt-out deadline.
        let mut option = d.clone();
        option.renewal = Some(Renewal { auto: false, period: Period { value: 1, unit: Unit::Years }, count: None });
        assert!(at_for(&option, "2026-10-20", 90).is_empty());
        let mut c = config();
        c.apply_toml("checks.toml", "within = \"2w\"\n").unwrap();
        assert_eq!(c.within_days, 14);
        assert!(c.apply_toml("checks.toml", "within = \"soon\"\n").unwrap_err().to_string().contains("within"));
    }

    #[test]
    fn levels_from_toml_and_flags() {
        let mut c = config();
        c.apply_toml("checks.toml", "as_of = \"2024-01-31\"\n[levels]\noverdue = \"error\"\nundated-item = \"off\"\n").unwrap();
        assert_eq!(c.as_of, NaiveDate::from_ymd_opt(2024, 1, 31).unwrap());
        assert_eq!((c.level(OVERDUE), c.level(UNDATED_ITEM)), (Level::Error, Level::Off));
        c.apply_flag("overdue=note").unwrap();
        assert_eq!(c.level(OVERDUE), Level::Note);
        let e = c.apply_toml("checks.toml", "[levels]\nnope = \"error\"\n").unwrap_err().to_string();
        assert!(e.contains("unknown check `nope`") && e.contains("checks.toml"), "{e}");
        let e = c.apply_toml("checks.toml", "[levels]\noverdue = \"loud\"\n").unwrap_err().to_string();
        assert!(e.contains("unknown level `loud`"), "{e}");
        let e = c.apply_toml("checks.toml", "colour = 1\n").unwrap_err().to_string();
        assert!(e.contains("checks.toml") && e.contains("colour"), "{e}");
        assert!(c.apply_flag("overdue").is_err());
        // An off check finds nothing.
        c.apply_flag("document-not-ok=off").unwrap();
        let mut d = doc(vec![]);
        d.status = Status::NoText;
        assert!(check_document(&d, "c.pdf", &c).is_empty());
    }

    #[test]
    fn github_commands_are_escaped() {
        let f = Finding { check: OVERDUE, level: Level::Warning, file: "a,b:c.pdf".into(), page: Some(3), message: "50% done\nnext".into() };
        assert_eq!(github_commands(&[f]), "::warning file=a%2Cb%3Ac.pdf,line=1,title=contract-milestones overdue::page 3: 50%25 done%0Anext\n");
    }

    #[test]
    fn money_as_text() {
        assert_eq!(money_text(Cents(123_456_789), "EUR".parse().unwrap()), "EUR 1,234,567.89");
        assert_eq!(money_text(Cents(5), Currency::USD), "USD 0.05");
        assert_eq!(money_text(Cents(-150_000), Currency::USD), "-USD 1,500.00");
    }
}
