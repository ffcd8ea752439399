//! Money in prose: every amount, and every share of the price, with the
//! words around it. Whether "$50,000" is a payment (an upfront fee, an
//! instalment) or something else (a liability cap, a sales threshold, an
//! hourly rate) is for the decision; here it gets its facts: a paying verb
//! or a payment noun nearby, a rate, a cap, a date or an event it is due on.

use super::{clause, name_from, Candidate, Family, Finder};
use crate::lexicon::Marked;
use crate::normalise;
use crate::record::Kind;
use crate::segment::Segment;

/// Clause bounds (token range) around token `at`: the enclosing ";"-part.
fn clause_of(m: &Marked, at: usize) -> (usize, usize) {
    let toks = &m.toks;
    let s = (0..at).rev().find(|&i| toks[i].lower == ";").map_or(0, |i| i + 1);
    let e = (at..toks.len()).find(|&i| toks[i].lower == ";").unwrap_or(toks.len());
    (s, e.max(s + 1).min(toks.len()))
}

/// Payment candidates of one sentence or list item.
pub fn find(f: &Finder<'_>, seg: &Segment, index: usize, m: &Marked, out: &mut Vec<Candidate>) {
    let text = &seg.text;
    let lower = text.to_ascii_lowercase();
    let may_have_sum = may_hold_sum(text, &lower);
    let may_have_share = may_hold_share(text, &lower);
    if !may_have_sum && !may_have_share {
        return;
    }
    let amounts = if may_have_sum { normalise::find_amounts_with(text, || f.ctx.dollar()) } else { Vec::new() };
    let percents = if may_have_share { normalise::find_percents(text) } else { Vec::new() };
    if amounts.is_empty() && percents.is_empty() {
        return;
    }
    let toks = &m.toks;
    if toks.is_empty() {
        return;
    }
    let cl = &f.classes;
    for (ai, a) in amounts.iter().enumerate() {
        // The whole that the sentence goes on to split into its payments
        // (docs/conventions.md: never also the total).
        if is_split_whole(text, a, &amounts[ai + 1..], &percents) {
            continue;
        }
        let at = m.token_at(a.start);
        let at_end = m.token_at(a.end.saturating_sub(1)) + 1;
        let (cs, ce) = clause_of(m, at.min(toks.len() - 1));
        let mut c = Candidate::new(Family::Amount, Kind::Payment, seg, index, (a.start, a.end));
        c.amount = Some(a.money);
        let in_clause = amounts.iter().filter(|b| m.token_at(b.start) >= cs && m.token_at(b.start) < ce).count();
        c.add(match in_clause {
            1 => "amounts:1",
            2 => "amounts:2",
            _ => "amounts:3+",
        });
        if ai > 0 && amounts[ai - 1].end + 40 > a.start {
            c.add("amount:after_other");
        }
        money_context(f, m, (cs, ce), (at, at_end), &mut c);
        // A share written beside the amount ("$25,000 (25%)").
        if let Some(p) = percents.iter().find(|p| p.start >= a.end && p.start <= a.end + 6 || p.end <= a.start && p.end + 6 >= a.start) {
            c.percent = Some(p.value);
            c.add("percent:beside");
        }
        // "$40,000 on signing, $30,000 on June 1 and $30,000 on September 1":
        // when words of time follow a sum before the next one, its time lies
        // there, not after the next sum.
        let next = amounts.get(ai + 1).map(|b| m.token_at(b.start)).filter(|&n| n < ce && n > at_end);
        let own_end = match next {
            Some(n) if (at_end..n).any(|i| matches!(toks[i].lower.as_str(), "on" | "upon" | "at" | "by" | "within" | "following" | "after" | "before" | "due")) => n,
            _ => ce,
        };
        money_time(f, seg, m, (cs, own_end), a.end, &mut c);
        c.name = payment_name(money_name(f, seg, m, (cs, ce), at, at_end), c.trigger.as_deref());
        let recurrence = c.has("time:recurrence");
        expand_dates(f, seg, m, (cs, ce), c, recurrence, out);
    }
    // Amounts a share took as its own ("30% of the Fee, being $74,400"):
    // the share's candidate carries them.
    let mut taken: Vec<(usize, usize)> = Vec::new();
    for p in &percents {
        let at = m.token_at(p.start);
        let at_end = m.token_at(p.end.saturating_sub(1)) + 1;
        // A percent beside an amount went with the amount.
        if amounts.iter().any(|a| p.start >= a.end && p.start <= a.end + 6 || p.end <= a.start && p.end + 6 >= a.start) {
            continue;
        }
        let (cs, ce) = clause_of(m, at.min(toks.len() - 1));
        let mut c = Candidate::new(Family::Share, Kind::Payment, seg, index, (p.start, p.end));
        c.percent = Some(p.value);
        let after = &text[p.end..toks[ce - 1].end.max(p.end)];
        let am = Marked::new(after, f.lex);
        // Only a share of the price is a payment (docs/conventions.md): "25% of
        // the Contract Price"; a royalty rate or an interest rate is not.
        if !am.has(cl.share_of_price, 0, am.toks.len().min(8)) {
            continue;
        }
        c.add("share:of_price");
        // "(the "Amount")" after the share, or an amount in brackets.
        if let Some(a) = normalise::find_amounts_with(after, || f.ctx.dollar()).into_iter().next().filter(|a| a.start < 40) {
            c.amount = Some(a.money);
            c.add("share:amount_beside");
            taken.push((p.end + a.start, p.end + a.end));
        }
        money_context(f, m, (cs, ce), (at, at_end), &mut c);
        money_time(f, seg, m, (cs, ce), p.end, &mut c);
        c.name = payment_name(money_name(f, seg, m, (cs, ce), at, at_end), c.trigger.as_deref());
        out.push(c);
    }
    if !taken.is_empty() {
        out.retain(|c| !(c.segment == index && c.family == Family::Amount && taken.iter().any(|t| t.0 <= c.span.0 && c.span.1 <= t.1 + 1)));
    }
}

/// Whether an amount is a whole that the same sentence then splits: the
/// amounts after it add up to it ("$42,500, payable $21,250 on signing and
/// $21,250 on acceptance"), or the shares after it add up to all of it
/// ("payable 50% on signing and 50% upon acceptance").
fn is_split_whole(text: &str, a: &normalise::FoundAmount, later: &[normalise::FoundAmount], percents: &[normalise::FoundPercent]) -> bool {
    let whole = a.money.value.0;
    let same: Vec<&normalise::FoundAmount> = later.iter().filter(|b| b.money.currency == a.money.currency).collect();
    let parts: Vec<i128> = same.iter().map(|b| b.money.value.0).collect();
    if parts.len() >= 2 {
        // "ten installments of $40,000" is ten parts.
        let sum: i128 = same.iter().map(|b| b.money.value.0 * i128::from(times_before(text, b.start))).sum();
        if (sum - whole).abs() * 100 <= whole.abs() {
            return true;
        }
        // "in two equal instalments of $X": equal parts.
        if parts.iter().all(|p| *p == parts[0]) && parts[0] > 0 && whole % parts[0] == 0 && whole / parts[0] >= 2 && whole / parts[0] <= 12 {
            return true;
        }
    }
    if parts.len() == 1 && parts[0] > 0 && parts[0] < whole && whole % parts[0] == 0 && (2..=12).contains(&(whole / parts[0])) {
        // "C$24,600, in two equal instalments of C$12,300".
        return true;
    }
    let shares: f64 = percents.iter().filter(|p| p.start > a.end).map(|p| p.value).sum();
    percents.iter().filter(|p| p.start > a.end).count() >= 2 && (shares - 100.0).abs() < 0.5
}

/// How many payments of the sum at byte `at` the words before it name:
/// "ten (10) monthly installments of" is 10; 1 when they name none.
fn times_before(text: &str, at: usize) -> u64 {
    static COUNT: once_cell::sync::Lazy<regex::Regex> = once_cell::sync::Lazy::new(|| {
        regex::Regex::new(r"(?i)\b([a-z]+(?:-[a-z]+)?|\d{1,3})(?:\s*\(\d{1,3}\))?\s+(?:(?:equal|monthly|quarterly|annual|yearly|consecutive|successive|additional|further)\s+)*(?:installments|instalments|payments)\s+(?:each\s+)?(?:in\s+the\s+amount\s+)?of\s*$").unwrap()
    });
    let from = at.saturating_sub(90);
    let from = (from..at).find(|&i| text.is_char_boundary(i)).unwrap_or(at);
    let Some(c) = COUNT.captures(&text[from..at]) else { return 1 };
    normalise::parse_count(&c[1]).filter(|n| (2..=60).contains(n)).map_or(1, u64::from)
}

/// Cheap byte tests before the normalisers: a sum has figures or a
/// currency word, a share a per cent sign or word.
fn may_hold_sum(text: &str, _lower: &str) -> bool {
    normalise::may_contain_amount(text)
}

fn may_hold_share(text: &str, lower: &str) -> bool {
    text.contains('%') || lower.contains("percent") || lower.contains("per cent")
}

/// Whether a text may hold a sum or a share (`lower`: the text, ASCII lowercased).
pub(crate) fn may_hold_money(text: &str, lower: &str) -> bool {
    may_hold_sum(text, lower) || may_hold_share(text, lower)
}

/// Facts around an amount or share at tokens `at..at_end` in clause `cs..ce`.
pub(crate) fn money_context(f: &Finder<'_>, m: &Marked, (cs, ce): (usize, usize), (at, at_end): (usize, usize), c: &mut Candidate) {
    let cl = &f.classes;
    let near = |before: usize, after: usize| ((at.saturating_sub(before)).max(cs), (at_end + after).min(ce));
    let (n0, n1) = near(8, 8);
    let toks = &m.toks;
    if (cs..ce).any(|i| m.covers(cl.verb_pay, i) && toks[i].word && matches!(toks[i].lower.as_str(), "pay" | "pays" | "paid" | "remit" | "remits")) {
        c.add("money:pay_verb");
    }
    if m.has(cl.money_payable, n0, n1) {
        c.add("money:payable_near");
    } else if m.has(cl.money_payable, cs, ce) {
        c.add("money:payable_clause");
    }
    if m.has(cl.noun_money, near(6, 0).0, at) {
        c.add("money:noun_before");
    }
    if m.has(cl.noun_total, near(8, 0).0, at) || m.has(cl.noun_total, at_end, near(0, 4).1) {
        c.add("money:total_noun");
    }
    // "$86,000 in two equal installments: ...", "payable as follows": a
    // whole that the next words split into its payments.
    let after: Vec<&str> = toks[at_end..(at_end + 8).min(ce).max(at_end)].iter().map(|t| t.lower.as_str()).collect();
    let splits = after.windows(2).any(|w| matches!(w, ["in", _] if w[1] != "the") && after.iter().any(|x| x.starts_with("install") || x.starts_with("instal")))
        || after.windows(2).any(|w| w == ["as", "follows"])
        || after.contains(&"following")
        || (at_end..ce).any(|i| toks[i].lower == ":");
    if splits {
        c.add("money:split_after");
    }
    // "... a fixed price of $480,000, payable on the following events:"
    // introduces the list of its payments: the sum is their whole.
    let clause_ends_in_colon = toks.get(ce.saturating_sub(1)).is_some_and(|t| t.lower == ":") || toks.get(ce).is_some_and(|t| t.lower == ":");
    let introduces = clause_ends_in_colon
        && (after.contains(&"following")
            || after.windows(2).any(|w| w == ["as", "follows"])
            || (at_end..ce).any(|i| matches!(toks[i].lower.as_str(), "payable" | "paid" | "invoiced" | "installments" | "instalments")));
    if introduces {
        c.add("money:whole_of_list");
    }
    if m.has(cl.noun_money, at_end, near(0, 4).1) {
        c.add("money:noun_after");
    }
    // A rate: the rate words, or "per ..." / "/hour" right after the sum.
    // "$18,500 per month" is a recurring fee, a payment; "$185 per hour",
    // "$6.50 per square foot" are rates.
    // "$19.95 per month per subscriber" is a rate again.
    let per = |i: usize| toks.get(i).is_some_and(|t| t.lower == "per" || t.lower == "/");
    let period = |i: usize| toks.get(i).is_some_and(|t| matches!(t.lower.as_str(), "month" | "quarter" | "year" | "annum" | "calendar" | "contract" | "mo" | "yr" | "semester" | "season"));
    // "$20 for each gigabyte", "$2,500 for every contract signed": a
    // price per item, however the item is named.
    let for_each = toks.get(at_end).is_some_and(|t| t.lower == "for") && toks.get(at_end + 1).is_some_and(|t| matches!(t.lower.as_str(), "each" | "every"));
    let per_after = for_each || per(at_end) && (!period(at_end + 1) || per(at_end + 2) || per(at_end + 3));
    if per_after || m.has(cl.money_rate, at_end, near(0, 5).1) || m.has(cl.money_rate, near(4, 0).0, at) {
        c.add("money:rate");
    }
    // A bound, not a sum that falls due: "not exceed $65,000", "more than
    // $12,000,000", "up to a maximum of $18,000", "the greater of $2,000,000",
    // or a figure to be reached.
    let before: Vec<&str> =
        toks[cs..at].iter().rev().filter(|t| t.word && !matches!(t.lower.as_str(), "a" | "an" | "the" | "of" | "total" | "aggregate" | "sum" | "amount")).take(3).map(|t| t.lower.as_str()).collect();
    let bound = match before.as_slice() {
        // "not less than $X" is a minimum payment (docs/conventions.md: a payment).
        ["than", "less", "not", ..] => false,
        [w, ..] if matches!(*w, "exceed" | "exceeds" | "exceeding" | "exceeded" | "above" | "below" | "maximum" | "max" | "greater" | "lesser" | "cap" | "capped") => true,
        // A figure to be reached is a condition's, not a sum that falls due:
        // "when the valuation reaches $40 million", "a sales target of $2 million".
        [w, ..] if matches!(*w, "reach" | "reaches" | "reached" | "reaching" | "attain" | "attains" | "attained" | "surpass" | "surpasses" | "surpassed" | "target" | "targets") => true,
        ["than", w, ..] => matches!(*w, "more" | "less" | "greater" | "fewer" | "higher" | "lower"),
        ["to", "up" | "limited", ..] => true,
        _ => false,
    };
    // "an increase of $100,000 or more": the sum is a bound whatever precedes it.
    let or_more = toks.get(at_end).is_some_and(|t| t.lower == "or")
        && toks.get(at_end + 1).is_some_and(|t| matches!(t.lower.as_str(), "more" | "greater" | "higher" | "less" | "fewer" | "lower" | "above" | "below"));
    let bound = bound || or_more;
    if bound {
        c.add("money:threshold");
    }
    // The words right at the sum say what it is: "a salary of $X",
    // "valued at $X", "revenues of $X", "$X of coverage".
    if m.has(cl.money_named_not_payment, near(3, 0).0, at) || m.has(cl.money_named_not_payment, at_end, near(0, 2).1) {
        c.add("money:not_payment_adjacent");
    }
    if m.has(cl.money_spend, n0, n1) {
        c.add("money:spend");
    }
    // A worked example ("For example, if the volume traded is $10.1
    // billion, the fee is ...", "by way of illustration") shows how a
    // formula works; its sums fall due to nobody.
    let lower = |i: usize| toks[i].lower.as_str();
    let next = |i: usize, k: usize| toks.get(i + k).map_or("", |t| t.lower.as_str());
    // Not "payable by way of wire transfer": only "by way of example" or "of illustration".
    let example = (cs..ce).any(|i| match lower(i) {
        "for" => matches!(next(i, 1), "example" | "instance"),
        "illustration" | "illustrative" | "hypothetical" => true,
        _ => false,
    });
    if example {
        c.add("money:example");
    }
    // A lead-in before a colon says what the sums after it are:
    // "Allowances included in the Price: fixtures $3,000; paving $9,500",
    // "Insurance limits: $2,000,000 per occurrence".
    if let Some(colon) = (0..at).rev().find(|&i| toks[i].lower == ":") {
        if !(colon..at).any(|i| toks[i].lower == ".") {
            let lead = (0..colon).rev().find(|&i| matches!(toks[i].lower.as_str(), "." | ";" | ":")).map_or(0, |i| i + 1);
            if m.has(cl.money_named_not_payment, lead, colon) || m.has(cl.money_held_in_price, lead, colon) {
                c.add("money:not_payment_leadin");
            }
        }
    }
    if m.has(cl.money_not_payment, n0, n1) {
        c.add("money:not_payment_near");
    } else if m.has(cl.money_not_payment, cs, ce) {
        c.add("money:not_payment_clause");
    }
    if m.has(cl.topic_not_schedule, cs, ce) {
        c.add("topic:not_schedule");
    }
    if m.has(cl.share_of_price, at_end, near(0, 8).1) {
        c.add("share:of_price");
    }
    if m.has(cl.on_request, cs, ce) {
        c.add("request");
    }
    if m.has(cl.conditional, cs, at) {
        c.add("cond:before");
    }
    if (n0..n1).any(|i| toks[i].lower.contains("***")) || toks[n0..n1].windows(2).any(|w| w[0].lower == "[" && w[1].lower.starts_with('*')) {
        c.add("redacted_near");
    }
    if (cs..at).any(|i| matches!(toks[i].lower.as_str(), "total" | "aggregate" | "maximum" | "up")) {
        c.add("money:total_before");
    }
    if (at_end..(at_end + 3).min(ce)).any(|i| matches!(toks[i].lower.as_str(), "each" | "per" | "every")) {
        c.add("money:each_after");
    }
    if (cs..ce).any(|i| matches!(toks[i].lower.as_str(), "shall" | "will" | "must" | "agrees")) {
        c.add("modal");
    }
}

/// Time of a payment: a date in its clause, a relative deadline, a
/// recurrence, the event it is due upon (`trigger`).
fn money_time(f: &Finder<'_>, seg: &Segment, m: &Marked, (cs, ce): (usize, usize), after: usize, c: &mut Candidate) {
    clause::clause_timing(f, seg, m, (cs, ce), m.token_at(after).min(ce.saturating_sub(1)), c);
    if c.date.is_none() {
        // "upon execution of this Agreement", "on Final Acceptance".
        let toks = &m.toks;
        // The event after the amount, before the next sum ("$31,000 payable
        // upon Go-Live and $31,000 payable upon completion of ..."); else
        // the one before it ("Upon signing, the Client shall pay $5,000").
        let here = m.token_at(after).min(ce);
        let next_sum = (here..ce).find(|&i| toks[i].lower.starts_with(['$', '€', '£']) || toks[i].lower == "$").unwrap_or(ce);
        // "following" opens an event unless it is an adjective ("the following payments").
        let adjective = |i: usize| i > 0 && matches!(toks[i - 1].lower.as_str(), "the" | "these" | "those");
        // "on execution", "at signing", "at the closing": an event noun right after "on" or "at".
        let event_at = |i: usize| {
            matches!(toks[i].lower.as_str(), "on" | "at") && {
                let j = if toks.get(i + 1).is_some_and(|t| t.lower == "the") { i + 2 } else { i + 1 };
                j < ce && (matches!(toks[j].lower.as_str(), "signing" | "execution") || m.covers(f.classes.noun_event, j))
            }
        };
        let opens = |i: usize| {
            toks[i].lower == "upon" || toks[i].lower == "following" && !adjective(i) || toks[i].lower == "on" && toks.get(i + 1).is_some_and(|t| t.capital || t.lower == "the") || event_at(i)
        };
        if let Some(u) = (here..next_sum).find(|&i| opens(i)).or_else(|| (cs..here).find(|&i| opens(i))) {
            let end = (u + 1..ce).find(|&i| matches!(toks[i].lower.as_str(), "," | ";" | "." | "(" | "and" | "shall" | "will" | "which" | "is" | "are")).unwrap_or(ce);
            if end > u + 1 {
                let mut t = name_from(&seg.text, m, u + 1, end, 12);
                // "following the date on which there is a design freeze":
                // the event is the relative date's anchor, not "date".
                let date_word = t.split_whitespace().next().is_some_and(|w| w.eq_ignore_ascii_case("date") || w.eq_ignore_ascii_case("day"));
                if let Some(r) = c.relative.as_ref().filter(|_| date_word) {
                    t = r.anchor.clone();
                }
                if !t.is_empty() {
                    c.trigger = Some(t);
                    c.add("trigger");
                    // Due at an event, as "upon" says it.
                    if event_at(u) && c.has("time:none") {
                        c.features.retain(|x| x != "time:none");
                        c.add("time:upon");
                    }
                }
            }
        }
    }
}

/// A payment's name: the payment noun phrase nearest the amount ("upfront
/// payment", "Retainer Fee"), else the subject's words before the amount.
fn money_name(f: &Finder<'_>, seg: &Segment, m: &Marked, (cs, ce): (usize, usize), at: usize, at_end: usize) -> String {
    let cl = &f.classes;
    let toks = &m.toks;
    // The nearest payment noun before, then after.
    let before = m.hits.iter().filter(|h| Some(h.class) == cl.noun_money && h.end <= at && h.start >= cs).max_by_key(|h| h.end);
    let after = m.hits.iter().filter(|h| Some(h.class) == cl.noun_money && h.start >= at_end && h.end <= ce).min_by_key(|h| h.start);
    let pick = match (before, after) {
        (Some(b), Some(a)) => {
            if at - b.end <= a.start - at_end + 2 {
                Some(b)
            } else {
                Some(a)
            }
        }
        (b, a) => b.or(a),
    };
    if let Some(h) = pick {
        // Up to three modifiers before the noun ("first Milestone payment").
        let mut s = h.start;
        while s > cs
            && s + 3 > h.start
            && toks[s - 1].word
            && !super::NP_STOP.contains(toks[s - 1].lower.as_str())
            && !super::DETERMINERS.contains(&toks[s - 1].lower.as_str())
            && !matches!(toks[s - 1].lower.as_str(), "of" | "pay" | "a" | "an" | "the" | "and" | "or")
        {
            s -= 1;
        }
        let name = name_from(&seg.text, m, s, h.end, 6);
        if !name.is_empty() {
            return name;
        }
    }
    "Payment".to_string()
}

/// A payment's name: its payment noun, and the event it is due upon when
/// there is one ("Fixed Fee upon Final Acceptance").
fn payment_name(noun: String, trigger: Option<&str>) -> String {
    match trigger {
        Some(t) if !t.is_empty() => {
            let t: String = t.split_whitespace().take(8).collect::<Vec<_>>().join(" ");
            if noun == "Payment" {
                format!("Payment upon {t}")
            } else {
                format!("{noun} upon {t}")
            }
        }
        _ => noun,
    }
}

/// One candidate per date when a clause lists several for one amount
/// ("$500,000 due on each of July 1, 2026; October 1, 2026 and ..."),
/// else the candidate as it is.
fn expand_dates(f: &Finder<'_>, seg: &Segment, m: &Marked, (cs, ce): (usize, usize), c: Candidate, _recurring: bool, out: &mut Vec<Candidate>) {
    let toks = &m.toks;
    let (b0, b1) = (toks[cs].start, toks[ce - 1].end);
    // The dates after the amount, to the end of the sentence (a list of
    // dates runs over semicolons).
    let tail_end = seg.text.len();
    let dates = f.timing_dates(&seg.text, c.span.1.min(tail_end), tail_end);
    // "$100,000 in two equal installments, the first on April 1 and the
    // second on October 1": one payment per date, each its equal part.
    if let Some(n) = dates.first().and_then(|d| equal_parts(&seg.text[c.span.1..d.2])).filter(|&n| n >= 2 && n == dates.len() as u64) {
        if let Some(total) = c.amount {
            let part = total.value.0 / i128::from(n);
            if part * i128::from(n) == total.value.0 {
                for (d, amb, _) in dates {
                    let mut one = c.clone();
                    one.amount = Some(normalise::Money { value: normalise::Cents(part), ..total });
                    one.date = Some(d);
                    one.ambiguous = amb;
                    one.add("date:listed");
                    out.push(one);
                }
                return;
            }
        }
    }
    let listed = dates.len() >= 2 && {
        let between = &seg.text[c.span.1..dates[0].2];
        let lower = between.to_lowercase();
        lower.contains("dates") || lower.contains("each of") || lower.contains("following")
    };
    if !listed {
        let _ = (b0, b1);
        out.push(c);
        return;
    }
    for (d, amb, _) in dates {
        let mut one = c.clone();
        one.date = Some(d);
        one.ambiguous = amb;
        one.add("date:listed");
        out.push(one);
    }
}

/// "in two equal installments": how many equal parts a sum is paid in.
fn equal_parts(text: &str) -> Option<u64> {
    static EQUAL: once_cell::sync::Lazy<regex::Regex> =
        once_cell::sync::Lazy::new(|| regex::Regex::new(r"(?i)\bin\s+([a-z]+|\d{1,2})(?:\s*\(\d{1,2}\))?\s+equal\s+(?:[a-z]+\s+)?(?:installments|instalments|payments)\b").unwrap());
    let c = EQUAL.captures(text)?;
    normalise::parse_count(&c[1]).map(u64::from)
}

/// Ordinal words that name an instalment ("the second instalment").
const ORDINALS: &[&str] = &["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "final", "last", "remaining", "initial", "1st", "2nd", "3rd", "4th", "5th"];

fn is_instalment(word: &str) -> bool {
    word.starts_with("installment") || word.starts_with("instalment") || word == "tranche" || word == "tranches"
}

/// Instalments listed one by one after the amount that each is: "in four
/// installments of $153,000, each 25% of the Budget, as follows: (a) the
/// first installment within 30 days after the Effective Date; (b) the
/// second installment on January 15, 2026; ...": one payment candidate per
/// instalment, with that amount and the instalment's own time.
pub fn instalments(f: &Finder<'_>, segments: &[Segment], i: usize, out: &mut Vec<Candidate>) {
    let before = out.len();
    let each = listed_instalments(f, segments, i, out);
    // The amount each instalment is stood for them; the listed instalments
    // replace it.
    if let Some(span) = each {
        if out.len() > before {
            out.retain(|c| !(c.segment == i && c.family == Family::Amount && c.span == span && !c.has("instalment:listed")));
        }
    }
}

/// The listed instalments' candidates; returns the span of the amount each is.
fn listed_instalments(f: &Finder<'_>, segments: &[Segment], i: usize, out: &mut Vec<Candidate>) -> Option<(usize, usize)> {
    let seg = &segments[i];
    // Most sentences speak of no instalments: a byte search says so first.
    let lower = seg.text.to_ascii_lowercase();
    if !lower.contains("instal") && !lower.contains("tranche") {
        return None;
    }
    let m = Marked::new(&seg.text, f.lex);
    let toks = &m.toks;
    // "instalments of AMOUNT" or "equal instalments" with "AMOUNT each".
    let k = toks.iter().position(|t| is_instalment(&t.lower) && t.lower.ends_with('s'))?;
    let amounts = normalise::find_amounts_with(&seg.text, || f.ctx.dollar());
    let after_k = toks[k].end;
    let each = amounts.iter().find(|a| a.start >= after_k && a.start <= after_k + 12).or_else(|| {
        // "$X each" anywhere in the sentence.
        amounts.iter().find(|a| seg.text[a.end..].trim_start().to_lowercase().starts_with("each"))
    });
    let each = each?;
    let share = normalise::find_percents(&seg.text).into_iter().find(|p| p.start > each.end && p.start < each.end + 80).map(|p| p.value);
    // The listed instalments: in this segment after the amount, and in the
    // next few segments.
    for (j, s) in segments.iter().enumerate().skip(i).take(4) {
        if s.kind == crate::segment::SegmentKind::Heading {
            break;
        }
        let sm = if j == i { None } else { Some(Marked::new(&s.text, f.lex)) };
        let sm = sm.as_ref().unwrap_or(&m);
        let st = &sm.toks;
        let from = if j == i { m.token_at(each.end) } else { 0 };
        for p in from..st.len() {
            // "the second instalment on ...", "the first upon signature".
            let opens = |n: &crate::lexicon::Token| {
                is_instalment(&n.lower) || matches!(n.lower.as_str(), "payment" | "on" | "upon" | "by" | "within" | "following" | "after" | "at" | "due" | "no" | "not" | "when" | "one")
            };
            if !(ORDINALS.contains(&st[p].lower.as_str()) && st.get(p + 1).is_some_and(opens)) {
                continue;
            }
            // This instalment's clause: to the next ";" or the next ordinal instalment.
            let end = (p + 2..st.len()).find(|&q| st[q].lower == ";" || ORDINALS.contains(&st[q].lower.as_str()) && st.get(q + 1).is_some_and(opens)).unwrap_or(st.len());
            if end <= p + 2 {
                continue;
            }
            let mut c = Candidate::new(Family::Amount, Kind::Payment, s, j, (st[p].start, st[end - 1].end));
            c.amount = Some(each.money);
            c.percent = share;
            let named = if is_instalment(&st[p + 1].lower) || st[p + 1].lower == "payment" { name_from(&s.text, sm, p, p + 2, 4) } else { format!("{} instalment", st[p].lower) };
            c.name = named;
            c.add("instalment:listed");
            money_time(f, s, sm, (p, end), st[p + 1].end, &mut c);
            out.push(c);
        }
    }
    Some((each.start, each.end))
}

#[cfg(test)]
mod tests {
    use super::times_before;

    #[test]
    fn counted_instalments() {
        let at = |t: &str| times_before(t, t.len());
        assert_eq!(at("and ten installments of "), 10);
        assert_eq!(at("in four (4) equal quarterly instalments of "), 4);
        assert_eq!(at("followed by 12 monthly payments each of "), 12);
        assert_eq!(at("an initial installment in the amount of "), 1);
        assert_eq!(at("the fee of "), 1);
    }
}
