//! Candidates stage: every place in a document that could be a schedule item
//! or a payment, with the facts a careful reader would weigh, before any
//! decision.
//!
//! Four finders look at the document the way contracts are built:
//! - [`table`]: rows of tables (drawn, or columns aligned with spaces): the
//!   header words say which cell names the item and which holds its date,
//!   amount or share;
//! - [`lists`]: items of a list introduced as a schedule ("the following
//!   deliverables:", a Milestones heading), and titled sub-sections;
//! - [`clause`]: obligations in prose ("X shall deliver Y within N days",
//!   "Y shall be submitted by DATE"): the verb, its object, its time;
//! - [`money`]: every amount and every share of the price in prose, with
//!   the words around it.
//!
//! A candidate carries its values (name, date, relative date, amount,
//! percent, trigger) and its *features*: named facts about its structure and
//! the classes of the words around it (`verb:deliver`, `head:document`,
//! `time:date`, `heading:payment` ...), never the words themselves. The
//! `decide` stage weighs the features and keeps or drops each one.

pub mod clause;
pub mod lists;
pub mod money;
pub mod recurring;
pub mod table;

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::lexicon::{content_words, ClassId, Lexicon, Marked};
use crate::normalise::{self, Money, Precision, Relative};
use crate::options::DocContext;
use crate::record::Kind;
use crate::segment::{Segment, SegmentKind};

/// Which finder produced a candidate, and from what structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Family {
    /// A party shall do something to an object ("shall deliver the report").
    Active,
    /// Something shall be done ("the report shall be delivered").
    Passive,
    /// A row of a table.
    TableRow,
    /// An item of a list introduced as a schedule.
    ListItem,
    /// A short titled sub-section ("(c) Long-Term Forecast.") and what its body says.
    Titled,
    /// An amount of money in prose.
    Amount,
    /// A share of the price in prose.
    Share,
    /// A named date ("(the "Go-Live")", "the Launch Date shall be ..."), found
    /// by the document rules.
    Defined,
    /// A document due again and again ("a monthly summary of ...").
    Recurring,
}

impl Family {
    /// Name as shown by `explain` and used in feature names.
    pub fn as_str(self) -> &'static str {
        match self {
            Family::Active => "active",
            Family::Passive => "passive",
            Family::TableRow => "table_row",
            Family::ListItem => "list_item",
            Family::Titled => "titled",
            Family::Amount => "amount",
            Family::Share => "share",
            Family::Defined => "defined",
            Family::Recurring => "recurring",
        }
    }
}

/// A possible item, before the decision. Serialized only between a
/// `train` worker and its parent.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Candidate {
    /// The finder.
    pub family: Family,
    /// Schedule item (milestone or deliverable, by its words) or payment.
    pub kind: Kind,
    /// Its name: the item's own words.
    pub name: String,
    /// Its date as written.
    pub date: Option<NaiveDate>,
    /// The date read two ways (03/04/2025) and the order was not decided by evidence.
    pub ambiguous: bool,
    /// Its date relative to an event.
    pub relative: Option<Relative>,
    /// A cell or phrase naming a defined date ("Kick-off Date"), resolved later.
    pub date_text: Option<String>,
    /// Amount payable.
    pub amount: Option<Money>,
    /// Share of the price.
    pub percent: Option<f64>,
    /// The event a payment waits for.
    pub trigger: Option<String>,
    /// 1-based page.
    pub page: u32,
    /// Index of its segment.
    pub segment: usize,
    /// Byte span in the segment's text.
    pub span: (usize, usize),
    /// The evidence: the segment's text.
    pub text: String,
    /// Facts for the decision, by name.
    pub features: Vec<String>,
    /// Pages of its document.
    pub doc_pages: u32,
}

impl Candidate {
    /// A candidate of `family` and `kind` from segment `index`, with no values yet.
    pub fn new(family: Family, kind: Kind, seg: &Segment, index: usize, span: (usize, usize)) -> Candidate {
        Candidate {
            family,
            kind,
            name: String::new(),
            date: None,
            ambiguous: false,
            relative: None,
            date_text: None,
            amount: None,
            percent: None,
            trigger: None,
            page: seg.page,
            segment: index,
            span,
            text: seg.text.clone(),
            features: vec![format!("family:{}", family.as_str())],
            doc_pages: 0,
        }
    }

    /// Add a feature.
    pub fn add(&mut self, feature: impl Into<String>) {
        let f = feature.into();
        if !self.features.contains(&f) {
            self.features.push(f);
        }
    }

    /// Whether it has a feature.
    pub fn has(&self, feature: &str) -> bool {
        self.features.iter().any(|f| f == feature)
    }
}

/// The classes the finders ask about, looked up once.
#[derive(Debug, Clone)]
pub struct Classes {
    pub(crate) verb_deliver: Option<ClassId>,
    pub(crate) verb_prepare: Option<ClassId>,
    pub(crate) verb_event: Option<ClassId>,
    pub(crate) verb_govern: Option<ClassId>,
    pub(crate) verb_pay: Option<ClassId>,
    pub(crate) verb_conduct: Option<ClassId>,
    pub(crate) noun_document: Option<ClassId>,
    pub(crate) noun_event: Option<ClassId>,
    pub(crate) noun_govern: Option<ClassId>,
    pub(crate) noun_money: Option<ClassId>,
    pub(crate) noun_party: Option<ClassId>,
    pub(crate) noun_total: Option<ClassId>,
    pub(crate) noun_goods: Option<ClassId>,
    pub(crate) noun_response: Option<ClassId>,
    pub(crate) noun_protected: Option<ClassId>,
    pub(crate) noun_recognition: Option<ClassId>,
    pub(crate) recurrence: Option<ClassId>,
    pub(crate) promptly: Option<ClassId>,
    pub(crate) on_request: Option<ClassId>,
    pub(crate) discretionary: Option<ClassId>,
    pub(crate) ongoing: Option<ClassId>,
    pub(crate) conditional: Option<ClassId>,
    pub(crate) topic_not_schedule: Option<ClassId>,
    pub(crate) money_not_payment: Option<ClassId>,
    pub(crate) money_named_not_payment: Option<ClassId>,
    pub(crate) money_rate: Option<ClassId>,
    pub(crate) money_spend: Option<ClassId>,
    pub(crate) money_held_in_price: Option<ClassId>,
    pub(crate) money_payable: Option<ClassId>,
    pub(crate) share_of_price: Option<ClassId>,
    pub(crate) heading_schedule: Option<ClassId>,
    pub(crate) list_of_items: Option<ClassId>,
    pub(crate) heading_payment: Option<ClassId>,
    pub(crate) heading_rate: Option<ClassId>,
    pub(crate) heading_not_schedule: Option<ClassId>,
    pub(crate) column_name: Option<ClassId>,
    pub(crate) column_date: Option<ClassId>,
    pub(crate) column_amount: Option<ClassId>,
    pub(crate) column_rate: Option<ClassId>,
    pub(crate) column_not_payment: Option<ClassId>,
    pub(crate) column_register: Option<ClassId>,
    pub(crate) register_status: Option<ClassId>,
    pub(crate) column_period: Option<ClassId>,
    pub(crate) name_event: Option<ClassId>,
}

impl Classes {
    /// Look the classes up in a lexicon (a class it lacks never matches).
    pub fn of(lex: &Lexicon) -> Classes {
        let c = |n: &str| lex.class(n);
        Classes {
            verb_deliver: c("verb_deliver"),
            verb_prepare: c("verb_prepare"),
            verb_event: c("verb_event"),
            verb_govern: c("verb_govern"),
            verb_pay: c("verb_pay"),
            verb_conduct: c("verb_conduct"),
            noun_document: c("noun_document"),
            noun_event: c("noun_event"),
            noun_govern: c("noun_govern"),
            noun_money: c("noun_money"),
            noun_party: c("noun_party"),
            noun_total: c("noun_total"),
            noun_goods: c("noun_goods"),
            noun_response: c("noun_response"),
            noun_protected: c("noun_protected"),
            noun_recognition: c("noun_recognition"),
            recurrence: c("recurrence"),
            promptly: c("promptly"),
            on_request: c("on_request"),
            discretionary: c("discretionary"),
            ongoing: c("ongoing"),
            conditional: c("conditional"),
            topic_not_schedule: c("topic_not_schedule"),
            money_not_payment: c("money_not_payment"),
            money_named_not_payment: c("money_named_not_payment"),
            money_rate: c("money_rate"),
            money_spend: c("money_spend"),
            money_held_in_price: c("money_held_in_price"),
            money_payable: c("money_payable"),
            share_of_price: c("share_of_price"),
            heading_schedule: c("heading_schedule"),
            list_of_items: c("list_of_items"),
            heading_payment: c("heading_payment"),
            heading_rate: c("heading_rate"),
            heading_not_schedule: c("heading_not_schedule"),
            column_name: c("column_name"),
            column_date: c("column_date"),
            column_amount: c("column_amount"),
            column_rate: c("column_rate"),
            column_not_payment: c("column_not_payment"),
            column_register: c("column_register"),
            register_status: c("register_status"),
            column_period: c("column_period"),
            name_event: c("name_event"),
        }
    }
}

/// What the finders share: the word classes and the document's conventions.
pub struct Finder<'a> {
    /// The word classes.
    pub lex: &'a Lexicon,
    /// The classes by role.
    pub classes: Classes,
    /// Date order and currency of the document.
    pub ctx: &'a DocContext,
    /// The document's acronyms and the head word each stands for ("JRDC"
    /// → "Committee", from "Joint Research Committee ("JRDC")").
    pub acronyms: HashMap<String, String>,
}

/// The acronyms a document defines, each with the last word of what it
/// stands for: "a Joint Research and Development Committee (the "JRDC")"
/// gives JRDC → Committee. The acronym's last letter must be that word's
/// first ("Agreement ("JRDC")" is no definition of it).
fn acronyms(segments: &[Segment]) -> HashMap<String, String> {
    static DEFINED: once_cell::sync::Lazy<regex::Regex> =
        once_cell::sync::Lazy::new(|| regex::Regex::new(r#"([A-Z][A-Za-z-]+)\s*\(\s*(?:the\s+|a\s+|an\s+)?["“”']?([A-Z][A-Za-z&]{1,7})["“”']?\s*\)"#).expect("a valid pattern"));
    let mut out = HashMap::new();
    for seg in segments {
        if !seg.text.contains('(') {
            continue;
        }
        for c in DEFINED.captures_iter(&seg.text) {
            let (word, short) = (&c[1], &c[2]);
            let upper = short.chars().filter(|ch| ch.is_ascii_uppercase()).count();
            if upper < 2 || short.len() > 8 || short.eq_ignore_ascii_case(word) {
                continue;
            }
            let last_cap = short.chars().rev().find(|ch| ch.is_ascii_uppercase());
            if last_cap.is_some_and(|l| word.starts_with(l)) {
                out.entry(short.to_string()).or_insert_with(|| word.to_string());
            }
        }
    }
    out
}

/// A heading that starts an attachment: "Exhibit B", "SCHEDULE 2",
/// "Appendix A – Deliverables", "Statement of Work No. 3".
fn is_exhibit_heading(text: &str) -> bool {
    let t = text.trim().to_lowercase();
    let mut words = t.split_whitespace();
    let first = words.next().unwrap_or("");
    let second = words.next().unwrap_or("");
    let labelled = second.chars().next().is_some_and(|c| c.is_ascii_alphanumeric()) && second.len() <= 4;
    (matches!(first, "exhibit" | "schedule" | "appendix" | "annex" | "attachment" | "addendum" | "rider") && labelled) || t.starts_with("statement of work")
}

/// A named date the document rules found: an event the contract names and
/// dates ("on April 30, 2026 (the "Go-Live")").
#[derive(Debug, Clone)]
pub struct NamedDate {
    /// Its segment.
    pub segment: usize,
    /// Byte span in the segment.
    pub span: (usize, usize),
    /// The defined term.
    pub name: String,
    /// Its date.
    pub date: Option<NaiveDate>,
    /// The date read two ways.
    pub ambiguous: bool,
    /// Its date relative to another.
    pub relative: Option<Relative>,
}

/// Names of the contract's own dates, which are document fields, not items.
fn is_document_date(name: &str) -> bool {
    let n = name.to_lowercase();
    ["effective date", "execution date", "signature date", "expiration date", "expiry date", "termination date", "agreement date", "date of this agreement", "end date", "term"]
        .iter()
        .any(|d| n == *d || n.ends_with(&format!(" {d}")) && (n.contains("agreement") || n.contains("contract")))
        || n.ends_with(" term")
        || n.ends_with(" period")
}

/// Every candidate of a document, in document order.
pub fn find(segments: &[Segment], lex: &Lexicon, ctx: &DocContext) -> Vec<Candidate> {
    find_with(segments, lex, ctx, &[])
}

/// Every candidate of a document, also one for each named date.
pub fn find_with(segments: &[Segment], lex: &Lexicon, ctx: &DocContext, named: &[NamedDate]) -> Vec<Candidate> {
    let finder = Finder { lex, classes: Classes::of(lex), ctx, acronyms: acronyms(segments) };
    let mut out = Vec::new();
    let shapes = table_shapes(segments, &finder);
    for (i, seg) in segments.iter().enumerate() {
        match seg.kind {
            SegmentKind::TableRow => table::find(&finder, seg, i, shapes.get(&i).unwrap_or(&table::Shape::default()), &mut out),
            SegmentKind::Heading => {}
            SegmentKind::Sentence | SegmentKind::ListItem => {
                // Most sentences hold neither an obligation nor a sum nor a
                // list item: cheap byte tests spare them the word classes.
                let lower = seg.text.to_ascii_lowercase();
                let obliges = clause::may_oblige(&lower)
                    || money::may_hold_money(&seg.text, &lower)
                    || crate::segment::list_marker(&seg.text).is_some()
                    || seg.text.contains("; (")
                    || seg.text.contains(": (")
                    || seg.text.contains("; and (");
                let recurs = recurring::may_hold(&lower);
                if obliges || recurs {
                    let marked = Marked::new(&seg.text, lex);
                    if obliges {
                        clause::find(&finder, seg, i, &marked, &mut out);
                        money::find(&finder, seg, i, &marked, &mut out);
                    }
                    if recurs {
                        recurring::find(&finder, seg, i, &marked, &mut out);
                    }
                }
                money::instalments(&finder, segments, i, &mut out);
                lists::labelled(&finder, seg, i, &mut out);
            }
        }
        lists::find(&finder, segments, i, &mut out);
    }
    titled(&finder, segments, &mut out);
    for nd in named {
        if is_document_date(&nd.name) || nd.date.is_none() && nd.relative.is_none() {
            continue;
        }
        let seg = &segments[nd.segment];
        let mut c = Candidate::new(Family::Defined, kind_of_name(&finder, &nd.name), seg, nd.segment, nd.span);
        c.name = nd.name.clone();
        c.date = nd.date;
        c.ambiguous = nd.ambiguous;
        c.relative = nd.relative.clone();
        c.add(if nd.date.is_some() { "time:date" } else { "time:relative" });
        name_features(&finder, &nd.name, &mut c);
        out.push(c);
    }
    // A long agreement states many duties of which few are scheduled items;
    // a short statement of work is mostly its schedule.
    let pages = segments.last().map_or(0, |s| s.page);
    let length = match pages {
        0..=4 => "doc:pages1-4",
        5..=12 => "doc:pages5-12",
        13..=30 => "doc:pages13-30",
        _ => "doc:pages31+",
    };
    for c in &mut out {
        c.add(length);
        c.doc_pages = pages;
    }
    // Facts of a whole table: a table most of whose rows hold an amount is a
    // table of money, one most of whose rows hold a date a timetable.
    let tables = table_facts(segments, &finder);
    for c in &mut out {
        if let Some(fs) = tables.get(&c.segment) {
            for f in fs {
                c.add(*f);
            }
        }
    }
    // Where the exhibits begin: an attached schedule, statement of work or
    // appendix is where a contract's timetable usually is.
    let exhibit_from = segments.iter().position(|s| s.kind == SegmentKind::Heading && is_exhibit_heading(&s.text)).unwrap_or(usize::MAX);
    for c in &mut out {
        if c.segment >= exhibit_from {
            c.add("in_exhibit");
        }
        let seg = &segments[c.segment];
        let words = content_words(&c.name);
        if !words.is_empty() && !seg.title.is_empty() && !words.is_disjoint(&content_words(&seg.title)) {
            c.add("name:in_title");
        }
        if !words.is_empty() && !words.is_disjoint(&content_words(&seg.heading)) {
            c.add("name:in_heading");
        }
    }
    // Every candidate learns its own segment's kind, heading and title.
    let mut headings: std::collections::HashMap<&str, HeadingFacts> = std::collections::HashMap::new();
    let mut titles: std::collections::HashMap<&str, Vec<String>> = std::collections::HashMap::new();
    for c in &mut out {
        let seg = &segments[c.segment];
        let facts = headings.entry(seg.heading.as_str()).or_insert_with(|| finder.heading_facts(&seg.heading));
        for f in &facts.features {
            c.add(f.clone());
        }
        if !seg.title.is_empty() {
            let tf = titles.entry(seg.title.as_str()).or_insert_with(|| finder.title_facts(&seg.title));
            for f in tf.iter() {
                c.add(f.clone());
            }
        }
        c.add(format!("seg:{}", seg.kind.as_str()));
        if is_definition(&seg.text) {
            c.add("seg:definition");
        }
    }
    // A table of contents lists the sections' titles and page numbers:
    // nothing in it is an item, and its numbers are no sums. It runs from
    // its heading to the next heading, on that page and the next two.
    let contents_pages: Vec<u32> = segments.iter().filter(|s| s.kind == SegmentKind::Heading && is_contents_heading(&s.text)).map(|s| s.page).collect();
    out.retain(|c| {
        let seg = &segments[c.segment];
        !(is_contents_heading(&seg.heading) && contents_pages.iter().any(|&p| seg.page >= p && seg.page <= p + 2))
    });
    // docs/conventions.md: "anything due only on request is not an item";
    // "certificates or other evidence of insurance are not items".
    out.retain(|c| c.kind == Kind::Payment || (usable_name(&c.name) && !c.has("request") && !c.name.to_lowercase().contains("insurance")));
    // A right is not a duty ("shall have the right to inspect"), and a
    // definition without a date or deadline says what a term means,
    // scheduling nothing (docs/conventions.md).
    out.retain(|c| c.kind == Kind::Payment || !c.has("optional"));
    // A prohibition ("shall not register any mark without consent") is
    // no duty to do anything, so nothing is scheduled by it.
    out.retain(|c| c.kind == Kind::Payment || !c.has("negated"));
    out.retain(|c| c.kind == Kind::Payment || c.family == Family::Defined || c.date.is_some() || c.relative.is_some() || !c.has("seg:definition"));
    // Notice, comments, feedback or a response handed over answer
    // something else (a breach, a draft, a decision): a reaction, not a
    // thing scheduled. Issuing a Notice to Proceed is an event, not a
    // hand-over, and stays.
    out.retain(|c| !(c.kind.is_schedule() && c.has("verb:deliver") && c.has("head:response") && c.date.is_none()));
    // Handing over or returning what the contract protects (confidential
    // or personal information, consents) is a duty of confidence or
    // permission, not a thing scheduled (the class's own definition).
    out.retain(|c| !(c.kind.is_schedule() && c.has("head:protected")));
    // A duty that runs through the term ("during the Term, keep the
    // listings current", "at all times maintain ...") with no time of its
    // own is conduct, not a thing scheduled.
    out.retain(|c| !(c.kind.is_schedule() && c.has("ongoing") && c.has("time:none")));
    // "Standing meetings are not items": a meeting or call that recurs,
    // with no date or deadline of its own and not the first of its kind
    // ("a monthly contract review meeting", "weekly status calls").
    out.retain(|c| !(c.kind.is_schedule() && is_standing_meeting(c)));
    // docs/conventions.md: "unit prices and hourly or daily rates" are not items.
    out.retain(|c| c.kind != Kind::Payment || !(c.has("money:rate") || c.has("amount:rate_words") || c.has("amount:in_rate_column")));
    // Nor are the sums of a column headed by what a party earns, spends or
    // buys, or by a bound ("Revenue", "Marketing Expense", "Maximum").
    out.retain(|c| c.kind != Kind::Payment || !c.has("amount:in_not_payment_column"));
    // Caps and thresholds ("fees shall not exceed $65,000", "when Net Sales
    // first exceed $250,000,000") are not payments; nor are shares from a
    // column of shares that adds up to more than the whole price.
    out.retain(|c| c.kind != Kind::Payment || !(c.has("money:threshold") || c.amount.is_none() && c.has("table:shares_over_100")));
    // A sum that the words right at it call insurance, liability, a salary,
    // a revenue, an estimate or a bound (`money_named_not_payment`) is not a
    // payment (docs/conventions.md).
    out.retain(|c| c.kind != Kind::Payment || !(c.has("money:not_payment_adjacent") || c.has("money:not_payment_leadin")));
    // A row with sums in several cells and no time of its own ("2019 |
    // $80 million | $22 million") is a matrix of figures by year or
    // scenario, not a row of a payment schedule (docs/conventions.md).
    // So is a sum with no time of its own under a heading that lists prices,
    // discounts or rates ("Price List", "Retail Price  Discount"): what a
    // unit costs, not what falls due.
    out.retain(|c| {
        let timed = c.trigger.is_some() || c.features.iter().any(|f| f.starts_with("time:") && f != "time:none" || matches!(f.as_str(), "row:date" | "row:relative" | "row:recurrence"));
        c.kind != Kind::Payment || timed || !(c.has("row:several_amount_cells") || c.has("heading:rate"))
    });
    // A sum under a heading about purchases, sales, revenue or bounds
    // ("Cumulative Guaranteed Minimum Purchases", "Sales Targets") that
    // its own words do not make payable is a figure of that heading's.
    out.retain(|c| {
        if c.kind != Kind::Payment || !c.has("heading:not_payment") {
            return true;
        }
        let m = Marked::new(&c.text, lex);
        m.has(finder.classes.money_payable, 0, m.toks.len())
    });
    // A sum a party spends on its own activity ("shall spend at least
    // $50,000 on advertising") is not payable to anyone under the contract.
    out.retain(|c| c.kind != Kind::Payment || !c.has("money:spend"));
    // A sum under 100 (dollars, euros ...) is a unit price, a par value,
    // a bid increment or a number misread, not a payment the schedule of
    // a business contract sets: none of the labelled corpora's is.
    out.retain(|c| c.kind != Kind::Payment || c.amount.is_none_or(|a| a.value.0 >= 10_000));
    // A sum whose own name says what nobody pays under the contract ("a
    // Performance Insurance Policy", "salary", "Program EBIT", "revenue")
    // is that figure, as the words right at a sum say (money:not_payment_adjacent).
    out.retain(|c| {
        if c.kind != Kind::Payment {
            return true;
        }
        let m = Marked::new(&c.name, lex);
        !m.has(finder.classes.money_named_not_payment, 0, m.toks.len())
    });
    // The sums of a worked example illustrate a formula; none falls due.
    out.retain(|c| c.kind != Kind::Payment || !c.has("money:example"));
    // docs/conventions.md: instalments are the payments, "never also the total".
    out.retain(|c| !c.has("money:whole_of_list"));
    // Nothing falls due in a sum of zero ("$0", "Not Applicable $ 0").
    out.retain(|c| c.kind != Kind::Payment || c.amount.map(|a| a.value.0) != Some(0));
    // A bare share in a table row is a payment only where the table or its
    // section says the shares are of a price (a "% of Fee" or "Payment"
    // column, a payment heading, a redacted sum beside it); elsewhere a
    // column of percentages is ownership, performance or allocation.
    out.retain(|c| !(c.kind == Kind::Payment && c.family == Family::TableRow && c.amount.is_none() && !["header:amount", "heading:payment", "row:redacted"].iter().any(|f| c.has(f))));
    for c in &mut out {
        if let Some(units) = c.amount.map(|a| a.value.0) {
            if units < 10_000 {
                c.add("amount:under_100");
            } else if units < 100_000 {
                c.add("amount:under_1000");
            }
        }
    }
    // A name that says how often ("Monthly utilisation reports") gives the
    // item its time when the clause around it gave none.
    for c in &mut out {
        if c.kind.is_schedule() && c.has("time:none") {
            let m = Marked::new(&c.name, lex);
            if m.has(finder.classes.recurrence, 0, m.toks.len()) {
                for f in c.features.iter_mut() {
                    if f == "time:none" || f.ends_with("&time:none") {
                        *f = f.replace("time:none", "time:recurrence");
                    }
                }
                c.features.dedup();
            }
        }
    }
    for c in &mut out {
        add_crosses(c);
    }
    out.sort_by_key(|c| (c.segment, c.span.0));
    out
}

/// Pairs of facts a weighted sum cannot build from single ones: a date
/// means more in a timetable's row than in a definition, a document noun
/// more under a reporting heading.
fn add_crosses(c: &mut Candidate) {
    let group = |p: &str| c.features.iter().filter(|f| f.starts_with(p) && !f.contains('&')).cloned().collect::<Vec<String>>();
    let family = group("family:");
    let times = group("time:");
    let headings = group("heading:");
    let heads = group("head:");
    let headers = group("header:");
    let intros = group("intro:");
    let mut new = Vec::new();
    for f in &family {
        for x in times.iter().chain(&headings).chain(&heads) {
            new.push(format!("{f}&{x}"));
        }
    }
    // A dated item means more in a list a party shall deliver than in a
    // list of terms.
    for h in headers.iter().chain(&intros) {
        for t in &times {
            new.push(format!("{h}&{t}"));
        }
    }
    for n in new {
        c.add(n);
    }
}

/// The tables of a document: runs of consecutive rows (a table broken by
/// a page keeps its rows together when its header does not change).
fn table_runs(segments: &[Segment]) -> Vec<std::ops::Range<usize>> {
    let mut runs = Vec::new();
    let mut i = 0;
    while i < segments.len() {
        if segments[i].kind != SegmentKind::TableRow {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < segments.len() && segments[j].kind == SegmentKind::TableRow && segments[j].header == segments[i].header {
            j += 1;
        }
        runs.push(i..j);
        i = j;
    }
    runs
}

/// Each table row's table shape.
fn table_shapes(segments: &[Segment], f: &Finder<'_>) -> std::collections::HashMap<usize, table::Shape> {
    let mut out = std::collections::HashMap::new();
    for run in table_runs(segments) {
        let rows: Vec<&Segment> = segments[run.clone()].iter().collect();
        let shape = table::shape(f, &rows);
        for k in run {
            out.insert(k, shape.clone());
        }
    }
    out
}

/// Features of each table row from its whole table.
fn table_facts(segments: &[Segment], f: &Finder<'_>) -> std::collections::HashMap<usize, Vec<&'static str>> {
    let mut out = std::collections::HashMap::new();
    for run in table_runs(segments) {
        let rows = run.len();
        let with_amount = run.clone().filter(|&k| !normalise::find_amounts_with(&segments[k].text, || f.ctx.dollar()).is_empty()).count();
        let with_date = run.clone().filter(|&k| normalise::find_dates_with(&segments[k].text, || f.ctx.order()).iter().any(|d| d.precision == Precision::Day)).count();
        let mut facts = vec![match rows {
            1 => "table:rows1",
            2..=3 => "table:rows2-3",
            4..=9 => "table:rows4-9",
            _ => "table:rows10+",
        }];
        if with_amount * 2 > rows {
            facts.push("table:amounts_most");
        }
        if with_date * 2 > rows {
            facts.push("table:dates_most");
        }
        let header_recurs = segments[run.start].header.iter().any(|h| {
            let m = Marked::new(h, f.lex);
            m.has(f.classes.recurrence, 0, m.toks.len())
        });
        if header_recurs {
            facts.push("header:recurrence");
        }
        // The shares of one price add up to at most all of it; a column of
        // shares that adds up to more is a scale of rates or levels.
        let shares: f64 = run.clone().filter_map(|k| segments[k].cells.iter().find_map(|c| table::cell_share(c))).sum();
        if shares > 100.5 {
            facts.push("table:shares_over_100");
        }
        for k in run {
            out.insert(k, facts.clone());
        }
    }
    out
}

/// A candidate named by a paragraph's run-in title ("(c) Long-Term
/// Forecast.") for each titled paragraph whose body states an obligation:
/// the title is the item's own name, the body says what is done and when.
fn titled(f: &Finder<'_>, segments: &[Segment], out: &mut Vec<Candidate>) {
    let mut add = Vec::new();
    for (i, seg) in segments.iter().enumerate() {
        if seg.kind == SegmentKind::TableRow || seg.kind == SegmentKind::Heading || seg.title.is_empty() {
            continue;
        }
        // The title's own segment.
        if crate::segment::run_in_title(&seg.text).as_deref() != Some(seg.title.as_str()) {
            continue;
        }
        let body_end = (i + 1..segments.len().min(i + 8)).take_while(|&j| segments[j].title == seg.title).last().map_or(i, |j| j);
        let body: Vec<&Candidate> = out.iter().filter(|c| c.segment > i && c.segment <= body_end && c.kind.is_schedule() && matches!(c.family, Family::Active | Family::Passive)).collect();
        if body.is_empty() {
            continue;
        }
        let name = seg.title.clone();
        let mut c = Candidate::new(Family::Titled, kind_of_name(f, &name), seg, i, (0, seg.text.len()));
        c.name = name.clone();
        name_features(f, &name, &mut c);
        let title_words = content_words(&name);
        // The body's facts: its verbs, its time (the first dated obligation's date).
        for b in &body {
            for feat in &b.features {
                if feat.starts_with("verb:") && !feat.contains('&') || feat.starts_with("time:") && !feat.contains('&') || matches!(feat.as_str(), "request" | "cond:before" | "negated") {
                    c.add(format!("body_{feat}"));
                }
            }
            if !title_words.is_disjoint(&content_words(&b.name)) {
                c.add("body:names_title");
            }
        }
        if let Some(b) = body.iter().find(|b| b.date.is_some() || b.relative.is_some()) {
            c.date = b.date;
            c.ambiguous = b.ambiguous;
            c.relative = b.relative.clone();
            c.add("time:from_body");
        } else {
            c.add("time:none");
        }
        add.push(c);
    }
    out.extend(add);
}

/// What a section heading says about the text under it.
#[derive(Debug, Clone, Default)]
pub struct HeadingFacts {
    /// Feature names.
    pub features: Vec<String>,
}

impl Finder<'_> {
    /// The heading's classes as features.
    pub fn heading_facts(&self, heading: &str) -> HeadingFacts {
        let mut features = Vec::new();
        if heading.trim().is_empty() {
            features.push("heading:none".to_string());
            return HeadingFacts { features };
        }
        let m = Marked::new(heading, self.lex);
        let n = m.toks.len();
        let c = &self.classes;
        for (class, name) in [(c.heading_schedule, "schedule"), (c.heading_payment, "payment"), (c.heading_rate, "rate"), (c.heading_not_schedule, "not_schedule")] {
            if m.has(class, 0, n) {
                features.push(format!("heading:{name}"));
            }
        }
        if features.is_empty() {
            features.push("heading:other".to_string());
        }
        // A section about what a party buys, sells or earns, or about
        // bounds ("Minimum Purchases", "Sales Targets", "Insurance"), and
        // not about fees: its sums are no payments unless said payable.
        // A heading that names an agreement is the document's title ("Acme
        // Sales Agency Agreement"), not such a section.
        let names_agreement = m.toks.iter().any(|t| matches!(t.lower.as_str(), "agreement" | "contract"));
        if m.has(c.column_not_payment, 0, n) && !m.has(c.heading_payment, 0, n) && !names_agreement {
            features.push("heading:not_payment".to_string());
        }
        HeadingFacts { features }
    }

    /// What a paragraph's run-in title says: its classes as a heading, and
    /// its head noun's class.
    pub fn title_facts(&self, title: &str) -> Vec<String> {
        let mut out: Vec<String> = self.heading_facts(title).features.into_iter().map(|f| f.replacen("heading:", "title:", 1)).collect();
        for h in head_classes(self, title) {
            out.push(format!("title_head:{h}"));
        }
        out
    }

    /// Dates in `text[from..to]` that a deadline preposition introduces
    /// ("by", "on or before", "no later than", "on", "due"), with their
    /// starts. Day precision only: a month alone dates nothing (docs/conventions.md).
    pub fn timing_dates(&self, text: &str, from: usize, to: usize) -> Vec<(NaiveDate, bool, usize)> {
        let part = &text[from..to];
        let mut out = Vec::new();
        for d in normalise::find_dates_with(part, || self.ctx.order()) {
            if d.precision != Precision::Day {
                continue;
            }
            let before = part[..d.start].to_lowercase();
            let before = before.trim_end();
            let lead = [
                "by",
                "on",
                "before",
                "until",
                "than",
                "due",
                "through",
                "thru",
                "of",
                "starting",
                "beginning",
                "commencing",
                "from",
                "dates",
                "date",
                "as",
                "to",
                ":",
                "-",
                "–",
                "—",
                "(",
                ";",
                ",",
                "and",
                "or",
                "at",
                "in",
                "effective",
                "scheduled",
                "for",
            ];
            let last = before.rsplit(|c: char| c.is_whitespace()).next().unwrap_or("");
            let starts = before.is_empty();
            let ok = starts || lead.iter().any(|w| last == *w || last.ends_with(w) && !w.chars().all(char::is_alphabetic));
            // "dated", "of the agreement dated": another document's date.
            let dated = last == "dated" || before.ends_with("dated as of") || before.ends_with("agreement of") || before.ends_with("letter of");
            if ok && !dated {
                out.push((d.date, d.ambiguous && !self.ctx.order_from_evidence(), from + d.start));
            }
        }
        out
    }

    /// The first relative deadline in `text[from..to]`.
    pub fn timing_relative(&self, text: &str, from: usize, to: usize) -> Option<(Relative, usize)> {
        normalise::find_relatives(&text[from..to]).into_iter().next().map(|r| (r.rel, from + r.start))
    }
}

/// Words that end a noun phrase (`noun_phrase_end` in rules/lexicon.toml).
pub(crate) static NP_STOP: once_cell::sync::Lazy<crate::lexicon::WordSet> = once_cell::sync::Lazy::new(|| crate::lexicon::WordSet::builtin("noun_phrase_end"));

/// Determiners and quantities that open a noun phrase and are not part of a name.
pub(crate) const DETERMINERS: &[&str] = &[
    "the",
    "a",
    "an",
    "its",
    "their",
    "his",
    "her",
    "our",
    "your",
    "such",
    "each",
    "all",
    "any",
    "every",
    "this",
    "these",
    "those",
    "that",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "both",
    "said",
    "same",
    "certain",
    "said",
    "either",
    "another",
    "additional",
    "other",
    "further",
    "respective",
    "applicable",
    "relevant",
    "then",
    "then-current",
    "current",
    "appropriate",
    "reasonable",
    "sufficient",
    "adequate",
];

/// Whether a segment defines a term (`"Launch" means ...`, `"Term" shall
/// have the meaning ...`): it says what a word stands for, not what is due.
fn is_definition(text: &str) -> bool {
    defined_term(text).is_some()
}

/// The term a definition defines ("1.12 “Display” means ..." gives
/// "Display"), when the text is one.
pub(crate) fn defined_term(text: &str) -> Option<&str> {
    static RE: once_cell::sync::Lazy<regex::Regex> = once_cell::sync::Lazy::new(|| {
        regex::Regex::new(r#"^[^"“”A-Za-z]{0,12}[A-Za-z]?\)?\s*["“]([^"“”]{1,80})["”]\s+(?:shall\s+)?(?:means?|refers?\s+to|shall\s+have\s+the\s+meaning|has\s+the\s+meaning|is\s+defined)\b"#).unwrap()
    });
    RE.captures(text).and_then(|c| c.get(1)).map(|m| m.as_str().trim())
}

/// A name from tokens `start..end` of a marked text: the words as written,
/// without leading determiners, list markers and trailing function words,
/// at most `max_words` words.
pub fn name_from(text: &str, m: &Marked, start: usize, end: usize, max_words: usize) -> String {
    let toks = &m.toks;
    let mut s = start;
    let mut e = end.min(toks.len());
    // Leading list markers, determiners, numbers in brackets.
    loop {
        if s >= e {
            return String::new();
        }
        let t = &toks[s];
        // "(a)" before the name.
        if t.lower == "(" && s + 2 < e && toks[s + 2].lower == ")" && toks[s + 1].lower.len() <= 4 {
            s += 3;
            continue;
        }
        // "c)" or "ii)" opening the name: a list marker without its "(".
        if s == start && s + 1 < e && toks[s + 1].lower == ")" && t.lower.len() <= 4 && t.lower.chars().all(|c| c.is_ascii_alphanumeric()) {
            s += 2;
            continue;
        }
        let section_number = t.lower.chars().all(|c| c.is_ascii_digit() || c == '.') && t.lower.contains('.') && s == start;
        let skip = (!t.word && !matches!(t.lower.as_str(), "\"" | "\u{201c}"))
            // "the" before a word, or before a quoted name ("the “Second Milestone”").
            || (DETERMINERS.contains(&t.lower.as_str()) && s + 1 < e && (toks[s + 1].word || (matches!(toks[s + 1].lower.as_str(), "\"" | "\u{201c}") && s + 2 < e && toks[s + 2].word)))
            // (not "50%": a share that names the item, "50% recruitment")
            || (t.lower.chars().all(|c| c.is_ascii_digit()) && s + 1 < e && !toks[s + 1].word && toks[s + 1].lower != "%")
            || section_number;
        if skip {
            s += 1;
        } else {
            break;
        }
    }
    // Trailing function words and punctuation.
    while e > s {
        let t = &toks[e - 1];
        let trailing = !t.word || NP_STOP.contains(t.lower.as_str()) || DETERMINERS.contains(&t.lower.as_str()) || matches!(t.lower.as_str(), "of" | "for" | "and" | "or" | "&");
        if trailing && !matches!(t.lower.as_str(), ")") {
            e -= 1;
        } else {
            break;
        }
    }
    if s >= e {
        return String::new();
    }
    let words: usize = toks[s..e].iter().filter(|t| t.word).count();
    if words > max_words {
        let mut n = 0;
        let mut cut = s;
        for (i, t) in toks[s..e].iter().enumerate() {
            if t.word {
                n += 1;
            }
            if n == max_words {
                cut = s + i + 1;
                break;
            }
        }
        return name_from(text, m, s, cut, max_words);
    }
    let raw = &text[toks[s].start..toks[e - 1].end];
    let cleaned = crate::text::layout::squash_spaces(raw);
    // An unbalanced bracket at either end is a fragment's.
    let open = cleaned.matches('(').count();
    let close = cleaned.matches(')').count();
    let cleaned = if close > open { cleaned.trim_end_matches(')').trim().to_string() } else { cleaned };
    cleaned.trim_matches(|c: char| c.is_whitespace() || matches!(c, '"' | '\u{201c}' | '\u{201d}' | '\'' | ',' | ';' | ':' | '.')).to_string()
}

/// Whether a heading is a table of contents ("Table of Contents",
/// "CONTENTS", "Index").
fn is_contents_heading(heading: &str) -> bool {
    let h: String = heading.trim().trim_end_matches([':', '.']).to_lowercase();
    matches!(h.as_str(), "table of contents" | "contents" | "index" | "table of content")
}

/// A recurring meeting or call with no time of its own: a standing
/// meeting, not an item (docs/conventions.md).
fn is_standing_meeting(c: &Candidate) -> bool {
    let lower = c.name.to_lowercase();
    let words: Vec<&str> = lower.split_whitespace().collect();
    let meeting = words.last().is_some_and(|w| matches!(*w, "meeting" | "meetings" | "call" | "calls" | "conference" | "conferences"));
    let first = words.first().is_some_and(|w| matches!(*w, "first" | "initial" | "inaugural" | "kick-off" | "kickoff"));
    // "a monthly review meeting": the name says it recurs, whatever time
    // the clause around it gives.
    let named_recurring = words.first().is_some_and(|w| recurring::FREQUENCIES.contains(w) || matches!(*w, "regular" | "periodic"));
    let recurs_untimed = (c.family == Family::Recurring || c.has("time:recurrence")) && c.date.is_none() && c.relative.is_none();
    meeting && !first && (named_recurring || recurs_untimed)
}

/// Whether a name can name an item at all: not a bare ordinal or number
/// ("Second"), not a condition ("If the Contractor fails to ...").
pub fn usable_name(name: &str) -> bool {
    let lower = name.to_lowercase();
    let first = lower.split_whitespace().next().unwrap_or("");
    let ordinal_only = lower.split_whitespace().count() == 1 && (crate::normalise::parse_ordinal(&lower).is_some() || lower.chars().all(|c| c.is_ascii_digit() || c == '.'));
    // A clause is not a name ("Wildform represents that ...", "During the
    // first year ...").
    let clause = lower.split_whitespace().any(|w| matches!(w, "that" | "which" | "whether"));
    // A date or a period is when an item falls, not what it is ("January
    // 1", "Date", "Months 4-12", "Week 6").
    let date_only = lower.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).all(|w| {
        let digits = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
        (!digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) && matches!(&w[digits.len()..], "" | "st" | "nd" | "rd" | "th"))
            || matches!(
                w,
                "date"
                    | "dates"
                    | "dated"
                    | "day"
                    | "days"
                    | "week"
                    | "weeks"
                    | "month"
                    | "months"
                    | "quarter"
                    | "quarters"
                    | "year"
                    | "years"
                    | "q1"
                    | "q2"
                    | "q3"
                    | "q4"
                    | "to"
                    | "through"
                    | "st"
                    | "nd"
                    | "rd"
                    | "th"
            )
            || normalise::MONTH_NAMES.iter().any(|m| w == *m || (w.len() >= 3 && m.starts_with(w) && w.len() <= 4))
    });
    !name.is_empty()
        && !ordinal_only
        && !clause
        && !date_only
        && !matches!(
            first,
            "if" | "unless"
                | "when"
                | "whenever"
                | "where"
                | "in"
                | "should"
                | "notwithstanding"
                | "except"
                | "provided"
                | "it"
                | "they"
                | "this"
                | "that"
                | "such"
                | "during"
                | "for"
                | "within"
                | "upon"
                | "after"
                | "before"
                | "following"
                | "at"
                | "on"
                | "by"
                | "from"
                | "until"
                | "as"
                | "with"
                | "without"
                | "any"
                | "all"
                | "each"
                | "no"
                | "neither"
                | "nor"
                | "and"
                | "or"
        )
}

/// The class of the head noun of a name (its last word before "of"/"for").
pub(crate) fn head_classes(f: &Finder<'_>, name: &str) -> Vec<&'static str> {
    let m = Marked::new(name, f.lex);
    let toks = &m.toks;
    let mut head_end = toks.len();
    for (i, t) in toks.iter().enumerate() {
        if i > 0 && matches!(t.lower.as_str(), "of" | "for" | "to" | "(" | "," | "-" | "–" | ":") {
            head_end = i;
            break;
        }
    }
    let Some(head) = (0..head_end).rev().find(|&i| toks[i].word) else { return Vec::new() };
    // An acronym the document defined: the class of the word it stands for.
    let head_text = &name[toks[head].start..toks[head].end];
    if let Some(word) = f.acronyms.get(head_text) {
        let m = Marked::new(word, f.lex);
        return head_classes_of(f, &m, 0);
    }
    head_classes_of(f, &m, head)
}

/// The classes of the head word at token `head`, "other" when none.
fn head_classes_of(f: &Finder<'_>, m: &Marked, head: usize) -> Vec<&'static str> {
    let c = &f.classes;
    let mut out = Vec::new();
    for (class, label) in [
        (c.noun_document, "document"),
        (c.noun_goods, "goods"),
        (c.noun_event, "event"),
        (c.noun_govern, "govern"),
        (c.noun_money, "money"),
        (c.noun_party, "party"),
        (c.noun_total, "total"),
        (c.noun_response, "response"),
        (c.noun_protected, "protected"),
        (c.noun_recognition, "recognition"),
    ] {
        if m.covers(class, head) {
            out.push(label);
        }
    }
    if out.is_empty() {
        out.push("other");
    }
    out
}

/// Milestone or deliverable, from the name's words: an event or a body
/// being set up is a milestone, anything else a thing handed over.
pub fn kind_of_name(f: &Finder<'_>, name: &str) -> Kind {
    let m = Marked::new(name, f.lex);
    let n = m.toks.len();
    if m.has(f.classes.name_event, 0, n) {
        return Kind::Milestone;
    }
    let heads = head_classes(f, name);
    if heads.contains(&"event") || heads.contains(&"govern") {
        Kind::Milestone
    } else {
        Kind::Deliverable
    }
}

/// Milestone or deliverable, from a name's words alone (for rules of kind
/// `schedule`): an event or a body set up is a milestone, anything else a
/// thing handed over.
pub fn kind_by_words(lex: &Lexicon, name: &str) -> Kind {
    let ctx = DocContext::fixed(crate::normalise::DateOrder::Mdy, false, crate::normalise::Currency::USD, crate::normalise::Calendar::weekends_only());
    let f = Finder { lex, classes: Classes::of(lex), ctx: &ctx, acronyms: HashMap::new() };
    kind_of_name(&f, name)
}

/// Features of a name: its head's class, its length, whether it is a
/// defined term.
pub(crate) fn name_features(f: &Finder<'_>, name: &str, c: &mut Candidate) {
    for h in head_classes(f, name) {
        c.add(format!("head:{h}"));
    }
    let words = name.split_whitespace().count();
    c.add(match words {
        0 => "name_len:0",
        1 => "name_len:1",
        2 => "name_len:2",
        3..=5 => "name_len:3-5",
        _ => "name_len:6+",
    });
    let caps = name.split_whitespace().filter(|w| w.chars().next().is_some_and(char::is_uppercase)).count();
    if words > 0 && caps * 2 > words {
        c.add("name:capitalised");
    }
    if name.contains("[***]") || name.contains("***") || name.contains("[…") || name.contains("[...") {
        c.add("name:redacted");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finder_lex() -> Lexicon {
        crate::rules::RuleSet::builtin().lexicon.clone()
    }

    #[test]
    fn kinds_by_words() {
        let lex = finder_lex();
        assert_eq!(kind_by_words(&lex, "Data Mapping Specification"), Kind::Deliverable);
        assert_eq!(kind_by_words(&lex, "Production Cutover"), Kind::Milestone);
        assert_eq!(kind_by_words(&lex, "Acceptance of the Final Report"), Kind::Milestone);
        assert_eq!(kind_by_words(&lex, "Joint Steering Committee"), Kind::Milestone);
    }

    #[test]
    fn a_date_is_not_a_name() {
        assert!(!usable_name("January 1"));
        assert!(!usable_name("Date"));
        assert!(!usable_name("Aug. 15th"));
        assert!(usable_name("Start Date"));
        assert!(usable_name("May release"));
        assert!(!usable_name("Months 4-12"));
        assert!(!usable_name("Week 6"));
        assert!(!usable_name("60 Days"));
        assert!(usable_name("Year 2 audit"));
        assert!(usable_name("Marketing plan"));
    }

    #[test]
    fn definitions_are_told_from_duties() {
        assert!(is_definition("(d) \u{201c}Pilot Batch\u{201d} shall mean the first lot made under this Agreement."));
        assert!(is_definition("\"Go-Live\" means the day the system first runs live."));
        assert!(!is_definition("The Supplier shall deliver the \"Pilot Batch\" by May 1, 2027."));
        assert_eq!(defined_term("4.2 \u{201c}Field Trial Report\u{201d} means the report on the first season."), Some("Field Trial Report"));
        assert_eq!(defined_term("The report is due on May 1."), None);
    }

    #[test]
    fn names_lose_determiners_and_trailing_words() {
        let lex = finder_lex();
        let text = "the Quarterly Report of Net Sales to the";
        let m = Marked::new(text, &lex);
        assert_eq!(name_from(text, &m, 0, m.toks.len(), 8), "Quarterly Report of Net Sales");
        let text = "(a) a written summary, in";
        let m = Marked::new(text, &lex);
        assert_eq!(name_from(text, &m, 0, m.toks.len(), 8), "written summary");
        let text = "c) The pilot closing will";
        let m = Marked::new(text, &lex);
        assert_eq!(name_from(text, &m, 0, 5, 8), "pilot closing");
        let text = "the \u{201c}Second Site Acceptance\u{201d} shall";
        let m = Marked::new(text, &lex);
        assert_eq!(name_from(text, &m, 0, m.toks.len() - 2, 8), "Second Site Acceptance");
        // A share that names the item stays: "50% enrolment" and "100%
        // enrolment" are two milestones.
        let text = "50% enrolment";
        let m = Marked::new(text, &lex);
        assert_eq!(name_from(text, &m, 0, m.toks.len(), 8), "50% enrolment");
    }
}

#[cfg(test)]
mod acronym_tests {
    use super::*;

    #[test]
    fn a_defined_acronym_takes_the_class_of_its_words() {
        let seg =
            |text: &str| Segment { kind: SegmentKind::Sentence, page: 1, text: text.into(), cells: vec![], header: vec![], heading: String::new(), title: String::new(), origin: Default::default() };
        let segments = vec![seg("The parties shall form a Joint Review Board (the \u{201c}JRB\u{201d}) within thirty days."), seg("The license covers the Cloud Platform Agreement (\"XYZ\").")];
        let found = acronyms(&segments);
        assert_eq!(found.get("JRB").map(String::as_str), Some("Board"));
        // Its letters do not fit the word before it: no definition.
        assert!(!found.contains_key("XYZ"));
        let lex = crate::rules::RuleSet::builtin().lexicon.clone();
        let ctx = DocContext::fixed(crate::normalise::DateOrder::Mdy, false, crate::normalise::Currency::USD, crate::normalise::Calendar::weekends_only());
        let f = Finder { lex: &lex, classes: Classes::of(&lex), ctx: &ctx, acronyms: found };
        assert_eq!(head_classes(&f, "JRB"), vec!["govern"]);
        assert_eq!(kind_of_name(&f, "JRB"), Kind::Milestone);
    }
}
