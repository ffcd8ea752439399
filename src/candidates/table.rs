//! Table rows. The header's words say what each column holds (the item's
//! name, a date, an amount, a rate, a period); a row gives one schedule
//! candidate (its name and date) and, when it holds an amount or a share,
//! one payment candidate. Whether the table is a schedule at all (a price
//! list, a rate card, a budget is not) is left to the decision, which sees
//! the header's and the heading's classes.

use super::{kind_of_name, name_features, name_from, Candidate, Family, Finder};
use crate::lexicon::Marked;
use crate::normalise::{self, FoundAmount, Precision};
use crate::record::Kind;
use crate::segment::Segment;

/// What a column holds, by its header's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Name,
    Date,
    Amount,
    Rate,
    Period,
    /// A register's number ("Application No."): the table is no schedule.
    Register,
    Other,
}

fn role_of(f: &Finder<'_>, header: &str) -> Role {
    let m = Marked::new(header, f.lex);
    let n = m.toks.len();
    let c = &f.classes;
    if n == 0 {
        return Role::Other;
    }
    if m.has(c.column_register, 0, n) {
        Role::Register
    } else if m.has(c.column_rate, 0, n) {
        Role::Rate
    } else if m.has(c.column_amount, 0, n) || header.contains(['$', '€', '£']) {
        Role::Amount
    } else if m.has(c.column_date, 0, n) {
        Role::Date
    } else if m.has(c.column_period, 0, n) {
        Role::Period
    } else if m.has(c.column_name, 0, n) {
        Role::Name
    } else {
        Role::Other
    }
}

/// A register's row without its header (a page on): a cell that is only a
/// filing's status ("Registered", "Pending") and a cell that is only a
/// serial number of six digits or more ("85/931,142", "TMA905398").
fn is_register_row(f: &Finder<'_>, cells: &[&str]) -> bool {
    let serial = cells.iter().any(|c| {
        let digits = c.chars().filter(char::is_ascii_digit).count();
        let letters = c.chars().filter(char::is_ascii_alphabetic).count();
        digits >= 6
            && letters <= 4
            && c.chars().all(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '/' | ',' | '-' | ' ' | '.'))
            && crate::normalise::find_dates(c, crate::normalise::DateOrder::Mdy).is_empty()
    });
    // The status last: it tokenises, and most rows have no serial.
    serial
        && cells.iter().any(|c| {
            let m = Marked::new(c, f.lex);
            let words = m.toks.iter().filter(|t| t.word).count();
            words == 1 && m.has(f.classes.register_status, 0, m.toks.len())
        })
}

/// Whether a cell names a band of figures rather than an item: "60 through
/// 74.9", "$25,000,001 to $50,000,000", "> $200 million and < $400 million",
/// "over 500 units". Such rows are a tier table (royalty, rebate or bonus
/// rates by volume): a formula, not a schedule of payments (docs/conventions.md).
pub(crate) fn is_tier_label(cell: &str) -> bool {
    const JOINERS: &[&str] = &[
        "to",
        "through",
        "thru",
        "and",
        "from",
        "between",
        "up",
        "over",
        "under",
        "above",
        "below",
        "less",
        "more",
        "greater",
        "than",
        "in",
        "excess",
        "of",
        "at",
        "least",
        "or",
        "equal",
        "if",
        "but",
        "not",
        "exceeding",
        "exceeds",
        "million",
        "billion",
        "thousand",
        "m",
        "mm",
        "k",
        "bn",
        "percent",
        "per",
        "cent",
        "usd",
        "eur",
        "gbp",
        "dollars",
        "the",
    ];
    static NUMBER: once_cell::sync::Lazy<regex::Regex> = once_cell::sync::Lazy::new(|| regex::Regex::new(r"\d[\d,]*(?:\.\d+)?").unwrap());
    let mut compares = false;
    let mut joined = false;
    for tok in crate::lexicon::tokens(cell) {
        let w = tok.lower.as_str();
        if tok.word {
            if w.chars().all(|c| c.is_ascii_digit() || c == '.') {
                continue;
            } else if !JOINERS.contains(&w) {
                return false;
            }
            joined |= matches!(w, "to" | "through" | "thru" | "and" | "between" | "or");
            if matches!(w, "over" | "under" | "above" | "below" | "less" | "more" | "greater" | "excess" | "exceeding" | "exceeds" | "up") {
                compares = true;
            }
        } else if matches!(w, ">" | "<" | "≥" | "≤" | "=") {
            compares = true;
        } else if matches!(w, "-" | "–" | "—") {
            joined = true;
        } else if !matches!(w, "$" | "€" | "£" | "%" | "," | "." | "(" | ")" | "+") {
            return false;
        }
    }
    let numbers: Vec<&str> = NUMBER.find_iter(cell).map(|m| m.as_str()).collect();
    // "2025 - 2026" is a span of years: a row of a per-year table.
    let years = numbers.iter().all(|n| n.len() == 4 && n.parse::<u32>().is_ok_and(|y| (1950..=2100).contains(&y)));
    // A section number ("7.1.1") or a bare figure is no band.
    !years && (numbers.len() >= 2 && joined || !numbers.is_empty() && compares)
}

/// The share a cell holds when it is a cell of its own ("15%"): not a
/// figure in a description, not a scale of several ("0% 10% 20%").
pub(crate) fn cell_share(cell: &str) -> Option<f64> {
    if !value_only(cell) {
        return None;
    }
    match normalise::find_percents(cell).as_slice() {
        [p] => Some(p.value),
        _ => None,
    }
}

/// Whether a cell is only a value (a date, an amount, a share, a number).
fn value_only(cell: &str) -> bool {
    let letters = cell.chars().filter(|c| c.is_alphabetic()).count();
    let lower = cell.to_lowercase();
    let month = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec", "usd", "eur", "tbd", "n/a"].iter().any(|m| lower.contains(m));
    letters < 3 || (month && letters <= 12 && cell.chars().any(|c| c.is_ascii_digit()))
}

/// A short label such as "1", "G1.1.1", "(a)", "Item 3".
fn is_label(cell: &str) -> bool {
    let t = cell.trim();
    let words = t.split_whitespace().count();
    words <= 2 && t.len() <= 10 && (t.chars().any(|c| c.is_ascii_digit()) || t.starts_with('(') || t.chars().filter(|c| c.is_alphabetic()).count() <= 2)
}

/// What the columns of a whole table hold, read from their cells: a column
/// most of whose cells are amounts is an amount column whatever its header
/// says (or when the header was not found, as with headers set over several
/// lines).
#[derive(Debug, Clone, Default)]
pub struct Shape {
    /// Columns most of whose filled cells hold an amount.
    pub amount_cols: Vec<usize>,
    /// Columns most of whose filled cells hold a date.
    pub date_cols: Vec<usize>,
}

/// The shape of the table made of `rows`.
pub fn shape(f: &Finder<'_>, rows: &[&Segment]) -> Shape {
    let width = rows.iter().map(|r| r.cells.len()).max().unwrap_or(0);
    let mut s = Shape::default();
    for col in 0..width {
        let filled: Vec<&str> = rows.iter().filter_map(|r| r.cells.get(col)).map(|c| c.trim()).filter(|c| !c.is_empty() && !c.eq_ignore_ascii_case("tbd")).collect();
        if filled.len() < 2 {
            continue;
        }
        let amounts = filled.iter().filter(|c| !normalise::find_amounts_with(c, || f.ctx.dollar()).is_empty()).count();
        let dates = filled.iter().filter(|c| normalise::find_dates_with(c, || f.ctx.order()).iter().any(|d| d.precision == Precision::Day)).count();
        if amounts * 5 >= filled.len() * 3 {
            s.amount_cols.push(col);
        }
        if dates * 5 >= filled.len() * 3 {
            s.date_cols.push(col);
        }
    }
    s
}

/// Where a cell's name ends: a cell often describes its item at length
/// ("Cutover of all clinics to the new network, backup and ..."); the name
/// is its opening phrase, cut at a bracket, a comma or a word that ends a
/// noun phrase once two words are in.
fn short_name_end(m: &Marked) -> usize {
    let toks = &m.toks;
    let mut words = 0;
    for (i, t) in toks.iter().enumerate() {
        if words >= 2 && (matches!(t.lower.as_str(), "(" | "," | ";" | ":" | "." | "–" | "—") || (t.word && super::NP_STOP.contains(t.lower.as_str()) && t.lower != "for")) {
            return i;
        }
        if t.word {
            words += 1;
        }
    }
    toks.len()
}

/// A row candidate's time: its date, else its relative date. Whether it has one.
fn set_time(c: &mut Candidate, date: Option<(chrono::NaiveDate, bool)>, relative: Option<&crate::normalise::Relative>) -> bool {
    if let Some((d, amb)) = date {
        c.date = Some(d);
        c.ambiguous = amb;
        c.add("time:date");
    } else if let Some(r) = relative {
        c.relative = Some(r.clone());
        c.add("time:relative");
    } else {
        return false;
    }
    true
}

/// Candidates of one table row.
pub fn find(f: &Finder<'_>, seg: &Segment, index: usize, shape: &Shape, out: &mut Vec<Candidate>) {
    let cells: Vec<&str> = seg.cells.iter().map(|c| c.trim()).collect();
    if cells.iter().all(|c| c.is_empty()) {
        return;
    }
    let mut inferred = false;
    let roles: Vec<Role> = (0..cells.len())
        .map(|i| {
            let by_header = seg.header.get(i).map_or(Role::Other, |h| role_of(f, h));
            if matches!(by_header, Role::Other | Role::Name) && shape.amount_cols.contains(&i) {
                inferred = true;
                Role::Amount
            } else if matches!(by_header, Role::Other | Role::Name) && shape.date_cols.contains(&i) {
                inferred = true;
                Role::Date
            } else {
                by_header
            }
        })
        .collect();
    let has_header = !seg.header.is_empty();
    // A register (patents, marks, registrations: "Application No. | Filed |
    // Status") records facts, not a schedule: its dates are filings.
    let register_header = roles.contains(&Role::Register) || seg.header.iter().skip(cells.len()).any(|h| role_of(f, h) == Role::Register);
    if register_header || is_register_row(f, &cells) {
        return;
    }
    // The name: the first name column's cell, else the first cell with words.
    let text_cell = |i: &usize| !cells[*i].is_empty() && !value_only(cells[*i]);
    // A row of a tier table is no item: its first cell a band of figures
    // (not weeks or months of a timetable), its others a rate or a sum.
    if let Some(first) = cells.iter().position(|c| !c.is_empty()) {
        let banded = is_tier_label(cells[first]) && !matches!(roles[first], Role::Period | Role::Date);
        let money = cells.iter().any(|c| c.contains(['$', '€', '£', '%']));
        if banded && money {
            return;
        }
    }
    let mut name_col = (0..cells.len()).find(|i| roles[*i] == Role::Name && text_cell(i)).or_else(|| (0..cells.len()).find(text_cell));
    let mut label: Option<usize> = None;
    if let Some(nc) = name_col {
        if is_label(cells[nc]) {
            if let Some(next) = (nc + 1..cells.len()).find(|i| text_cell(i) && !is_label(cells[*i])) {
                label = Some(nc);
                name_col = Some(next);
            }
        }
    }
    let dollar = || f.ctx.dollar();
    let amounts: Vec<(usize, FoundAmount)> = cells.iter().enumerate().flat_map(|(i, c)| normalise::find_amounts_with(c, dollar).into_iter().map(move |a| (i, a))).collect();
    let percents: Vec<(usize, f64)> = cells.iter().enumerate().filter_map(|(i, c)| cell_share(c).map(|p| (i, p))).collect();
    let date_cells: Vec<usize> = {
        let mut v: Vec<usize> = (0..cells.len()).filter(|i| roles[*i] == Role::Date).collect();
        v.extend((0..cells.len()).filter(|i| roles[*i] != Role::Date && Some(*i) != name_col));
        v.push(name_col.unwrap_or(0));
        v.dedup();
        v
    };
    // Dates: the first date cell with any; a range ("June 1 - June 30, 2026") gives its end.
    let mut dates: Vec<(chrono::NaiveDate, bool)> = Vec::new();
    let mut date_from: Option<usize> = None;
    for &i in &date_cells {
        if i >= cells.len() {
            continue;
        }
        let found: Vec<_> = normalise::find_dates_with(cells[i], || f.ctx.order()).into_iter().filter(|d| d.precision == Precision::Day).collect();
        if found.is_empty() {
            continue;
        }
        let ranged = found.len() == 2 && {
            let between = cells[i][found[0].end..found[1].start].to_lowercase();
            let between = between.trim();
            matches!(between, "-" | "–" | "—" | "to" | "through" | "thru" | "until")
        };
        let amb = |d: &normalise::FoundDate| d.ambiguous && !f.ctx.order_from_evidence();
        if ranged {
            dates.push((found[1].date, amb(&found[1])));
        } else {
            dates.extend(found.iter().map(|d| (d.date, amb(d))));
        }
        date_from = Some(i);
        break;
    }
    let relative = (0..cells.len()).filter(|i| Some(*i) != name_col || roles[*i] == Role::Date).find_map(|i| normalise::find_relatives(cells[i]).into_iter().next()).map(|r| r.rel);
    let header_roles = |r: Role| roles.contains(&r);
    let add_common = |c: &mut Candidate| {
        c.add(if has_header { "header:yes" } else { "header:none" });
        if inferred {
            c.add("header:from_cells");
        }
        for (r, name) in [(Role::Name, "name"), (Role::Date, "date"), (Role::Amount, "amount"), (Role::Rate, "rate"), (Role::Period, "period")] {
            if header_roles(r) {
                c.add(format!("header:{name}"));
            }
        }
        if !amounts.is_empty() {
            c.add("row:amount");
        }
        if !percents.is_empty() {
            c.add("row:percent");
        }
        if !dates.is_empty() {
            c.add("row:date");
        }
        if relative.is_some() {
            c.add("row:relative");
        }
        let first = cells.iter().find(|c| !c.is_empty()).map(|c| c.to_lowercase()).unwrap_or_default();
        if first.starts_with("total") || first.starts_with("subtotal") || first.starts_with("grand total") {
            c.add("row:total");
        }
        let nonempty = cells.iter().filter(|c| !c.is_empty()).count();
        c.add(match nonempty {
            0 | 1 => "row:cells1",
            2 => "row:cells2",
            3 => "row:cells3",
            _ => "row:cells4+",
        });
        let row = Marked::new(&seg.text, f.lex);
        let n = row.toks.len();
        let cl = &f.classes;
        if row.has(cl.money_rate, 0, n) {
            c.add("row:rate_words");
        }
        if row.has(cl.recurrence, 0, n) {
            c.add("row:recurrence");
        }
        if row.has(cl.money_not_payment, 0, n) {
            c.add("row:not_payment_words");
        }
        if seg.text.contains("***") {
            c.add("row:redacted");
        }
    };
    // The schedule candidate.
    if let Some(nc) = name_col {
        let m = Marked::new(cells[nc], f.lex);
        let mut name = name_from(cells[nc], &m, 0, short_name_end(&m), 12);
        if let Some(l) = label {
            // "Milestone 2 | Beta release": the label is part of the name when it is words.
            if cells[l].chars().filter(|c| c.is_alphabetic()).count() >= 3 && !cells[l].chars().any(|c| c.is_ascii_digit()) {
                name = format!("{} {name}", cells[l]);
            }
        }
        if !name.is_empty() {
            let make = |date: Option<(chrono::NaiveDate, bool)>| {
                let mut c = Candidate::new(Family::TableRow, kind_of_name(f, &name), seg, index, (0, seg.text.len()));
                c.name = name.clone();
                if !set_time(&mut c, date, relative.as_ref()) {
                    // A date cell naming a defined date ("Kick-off Date + 10 days" aside).
                    if let Some(dc) = (0..cells.len()).find(|i| roles[*i] == Role::Date && !cells[*i].is_empty() && Some(*i) != name_col) {
                        c.date_text = Some(cells[dc].to_string());
                    }
                    c.add("time:none");
                }
                if date_from.is_some_and(|d| Some(d) == name_col) {
                    c.add("date:in_name");
                }
                name_features(f, &name, &mut c);
                add_common(&mut c);
                c
            };
            if dates.len() >= 3 {
                for d in &dates {
                    let mut c = make(Some(*d));
                    c.add("date:listed");
                    out.push(c);
                }
            } else {
                out.push(make(dates.first().copied()));
            }
        }
    }
    // The payment candidate. A total is not a payment (docs/conventions.md: the
    // total contract price is not an item), nor is the whole (100%).
    let first = cells.iter().find(|c| !c.is_empty()).map(|c| c.to_lowercase()).unwrap_or_default();
    let total = first.starts_with("total") || first.starts_with("subtotal") || first.starts_with("grand total") || percents.iter().any(|(_, p)| *p >= 99.99);
    if (amounts.is_empty() && percents.is_empty()) || total {
        return;
    }
    let amount_col = (0..cells.len()).find(|i| roles[*i] == Role::Amount && amounts.iter().any(|(c, _)| c == i));
    // Outside the name cell first: a name may hold a threshold ("sales over $25M").
    let pick = amount_col.and_then(|ac| amounts.iter().find(|(c, _)| *c == ac)).or_else(|| amounts.iter().find(|(c, _)| Some(*c) != name_col)).or_else(|| amounts.first());
    let name = name_col.map(|nc| {
        let m = Marked::new(cells[nc], f.lex);
        name_from(cells[nc], &m, 0, m.toks.len(), 12)
    });
    let make = |date: Option<(chrono::NaiveDate, bool)>| {
        let mut c = Candidate::new(Family::TableRow, Kind::Payment, seg, index, (0, seg.text.len()));
        c.name = name.clone().filter(|n| !n.is_empty()).unwrap_or_else(|| "Payment".into());
        if let Some((ci, a)) = pick {
            c.amount = Some(a.money);
            if Some(*ci) == name_col {
                c.add("amount:in_name");
            }
            if roles.get(*ci) == Some(&Role::Amount) {
                c.add("amount:in_amount_column");
            }
            if roles.get(*ci) == Some(&Role::Rate) {
                c.add("amount:in_rate_column");
            }
            if seg.header.get(*ci).is_some_and(|h| {
                let m = Marked::new(h, f.lex);
                m.has(f.classes.column_not_payment, 0, m.toks.len())
            }) {
                c.add("amount:in_not_payment_column");
            }
            // A rate is stated where its sum is ("$150 per hour", "| Per Hour
            // | $150 |"), not anywhere in the row: a service's description
            // may mention "hourly payrolls" beside a monthly fee.
            // Its neighbours count when they are short, a unit's cell ("Per Hour").
            let short = |k: usize| k < cells.len() && cells[k].split_whitespace().count() <= 4;
            let near = [Some(*ci), ci.checked_sub(1).filter(|&k| short(k)), Some(*ci + 1).filter(|&k| short(k))];
            if near.iter().flatten().any(|&k| {
                let m = Marked::new(cells[k], f.lex);
                m.has(f.classes.money_rate, 0, m.toks.len())
            }) {
                c.add("amount:rate_words");
            }
            let cell_amounts = amounts.iter().filter(|(c, _)| c == ci).count();
            if cell_amounts > 1 {
                c.add("amount:several_in_cell");
            }
        }
        if let Some((_, p)) = percents.first() {
            c.percent = Some(*p);
        }
        set_time(&mut c, date, relative.as_ref());
        let amount_cells = amounts.iter().map(|(c, _)| *c).collect::<std::collections::BTreeSet<_>>().len();
        if amount_cells > 1 {
            c.add("row:several_amount_cells");
        }
        if let Some(n) = &name {
            name_features(f, n, &mut c);
            // "Total milestone payments shall not exceed: | $5,000,000": the
            // row's label ends in a bound, so its sum is a cap, as in prose.
            let label = name_col.map_or(n.as_str(), |nc| cells[nc]).trim_end_matches([':', ' ', '.']).to_lowercase();
            if ["exceed", "exceeds", "maximum", "cap", "up to", "limit", "limited to"].iter().any(|b| label.ends_with(b)) {
                c.add("money:threshold");
            }
        }
        add_common(&mut c);
        c
    };
    if dates.len() >= 2 && date_from != name_col {
        // "$500,000 due on: July 23, 2013; October 1, 2013; February 1, 2014".
        // The amount next to the dates is the instalment.
        for d in &dates {
            let mut c = make(Some(*d));
            if let Some(df) = date_from {
                if let Some((_, a)) = amounts.iter().find(|(c, _)| *c == df) {
                    c.amount = Some(a.money);
                }
            }
            c.add("date:listed");
            out.push(c);
        }
    } else if let Some(fees) = pick.and_then(|(ci, _)| listed_fees(f, cells[*ci], &amounts.iter().filter(|(c, _)| c == ci).map(|(_, a)| a).collect::<Vec<_>>())) {
        // "$11,000 per month $3,700 per month for the archive software":
        // a cell that lists fees, each with its own period, is one payment
        // per fee, named by the words that say what it is for.
        for (money, what) in fees {
            let mut c = make(dates.first().copied());
            c.amount = Some(money);
            if let Some(w) = what {
                c.name = format!("{} – {w}", c.name);
            }
            // Its own period makes it a fee; a rate beside it in the cell is not its.
            c.features.retain(|x| x != "amount:rate_words");
            c.add("amount:listed_fee");
            out.push(c);
        }
    } else {
        out.push(make(dates.first().copied()));
    }
}

/// The fees a cell lists, when it holds two or more sums and each is
/// followed by its period ("$11,000 per month $3,700 per month for X"):
/// each sum with what the words after its period say it is for.
/// `found`: the sums in the cell, in order.
fn listed_fees(f: &Finder<'_>, cell: &str, found: &[&FoundAmount]) -> Option<Vec<(crate::normalise::Money, Option<String>)>> {
    if found.len() < 2 {
        return None;
    }
    let mut out = Vec::new();
    for (k, a) in found.iter().enumerate() {
        let next = found.get(k + 1).map_or(cell.len(), |b| b.start);
        let after = &cell[a.end..next];
        let m = Marked::new(after, f.lex);
        let toks = &m.toks;
        let recurrence = f.classes.recurrence;
        // A rate beside the fees ("$125 per person / per hour") is no fee of the list.
        let rate = (0..toks.len().min(3)).any(|i| m.covers(f.classes.money_rate, i))
            || toks.first().is_some_and(|t| t.lower == "per") && !toks.get(1).is_some_and(|t| m.covers(recurrence, 1) || t.lower == "month");
        if rate {
            continue;
        }
        // Its period right after the sum ("per month", "monthly").
        let mut j = (0..toks.len().min(3)).find(|&i| m.covers(recurrence, i))?;
        while j < toks.len() && m.covers(recurrence, j) {
            j += 1;
        }
        // "for X": what it pays for, up to a bracket or the cell's end.
        let what = toks
            .get(j)
            .filter(|t| t.lower == "for")
            .map(|_| toks[j + 1..].iter().take_while(|t| t.word).take(6).map(|t| &after[t.start..t.end]).collect::<Vec<_>>().join(" "))
            .filter(|w| !w.is_empty());
        out.push((a.money, what));
    }
    (!out.is_empty()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::{is_register_row, is_tier_label, listed_fees};
    use crate::candidates::{Classes, Finder};
    use crate::options::DocContext;

    #[test]
    fn a_cell_that_lists_fees_with_their_periods_is_one_payment_each() {
        let lex = crate::rules::RuleSet::builtin().lexicon.clone();
        let ctx = DocContext::fixed(crate::normalise::DateOrder::Mdy, false, crate::normalise::Currency::USD, crate::normalise::Calendar::weekends_only());
        let f = Finder { lex: &lex, classes: Classes::of(&lex), ctx: &ctx, acronyms: Default::default() };
        let listed = |cell: &str| {
            let found = crate::normalise::find_amounts(cell, crate::normalise::Currency::USD);
            listed_fees(&f, cell, &found.iter().collect::<Vec<_>>())
        };
        let fees = listed("$9,000 per month $2,400 per month for the archive software (hosting included)").expect("two fees");
        let got: Vec<(String, Option<String>)> = fees.into_iter().map(|(m, w)| (m.value.to_string(), w)).collect();
        assert_eq!(got, vec![("9000.00".to_string(), None), ("2400.00".to_string(), Some("the archive software".to_string()))]);
        // One fee, or sums without their own period, are not a list of fees.
        assert!(listed("$9,000 per month").is_none());
        assert!(listed("$9,000 plus $2,400 in expenses").is_none());
        // A rate beside a monthly fee is no fee of the list; the fee is.
        let fees = listed("$140 per person / per hour $1,300 per month for the tracking system").expect("one fee");
        let got: Vec<String> = fees.into_iter().map(|(m, _)| m.value.to_string()).collect();
        assert_eq!(got, vec!["1300.00".to_string()]);
        assert!(listed("$140 per hour $90 per hour for travel time").is_none());
    }

    #[test]
    fn a_register_row_is_told_by_its_status_and_serial() {
        let lex = crate::rules::RuleSet::builtin().lexicon.clone();
        let ctx = DocContext::fixed(crate::normalise::DateOrder::Mdy, false, crate::normalise::Currency::USD, crate::normalise::Calendar::weekends_only());
        let f = Finder { lex: &lex, classes: Classes::of(&lex), ctx: &ctx, acronyms: Default::default() };
        assert!(is_register_row(&f, &["US", "QUIET HARBOUR", "Registered", "88/123,456", "4-Mar-19"]));
        assert!(is_register_row(&f, &["Coating of lenses", "EP", "EP 3123456", "6/1/2020", "Pending"]));
        // A timetable row with a status is not: no serial number.
        assert!(!is_register_row(&f, &["Pilot report", "Pending", "June 30, 2027"]));
        // Nor an invoice row with a long number and no status.
        assert!(!is_register_row(&f, &["Invoice 20270115", "$12,000", "Paid on receipt"]));
    }

    #[test]
    fn bands_of_figures_are_tiers() {
        for t in ["60 through 74.9", "$5,000,001 to $20,000,000", "> $200 million and < $400 million", "Above 92.5", "Up to $1 million", "10% - 20%"] {
            assert!(is_tier_label(t), "{t}");
        }
        // Section numbers, single figures, years and words are not.
        for t in ["7.1.1", "$40,000", "2026 - 2027", "Contract Year 3", "Months 1-3", "Kick-off"] {
            assert!(!is_tier_label(t), "{t}");
        }
    }
}
