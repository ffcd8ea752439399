//! The page's charts as plain SVG: the timeline across contracts and the
//! monthly cash-flow bars. Plain SVG keeps the page small and lets every
//! mark carry its own title, label and data for the script.

use std::fmt::Write as _;

use chrono::{Datelike, Months, NaiveDate};

use super::{contract_id, esc, money, Mark};
use crate::normalise::Currency;
use crate::record::{Document, Kind};
use crate::summary::{Month, MonthTotal};

const WIDTH: f64 = 1100.0;
const LABEL: f64 = 250.0;
const RIGHT: f64 = 24.0;
const AXIS: f64 = 34.0;
const LANE: f64 = 30.0;

fn first_of_month(d: NaiveDate) -> NaiveDate {
    d.with_day(1).expect("day 1 exists")
}

/// Months between ticks so that there are at most about twelve.
fn tick_step(months: u32) -> u32 {
    [1, 2, 3, 6, 12, 24, 60, 120].into_iter().find(|s| months / s <= 12).unwrap_or(240)
}

fn months_between(a: NaiveDate, b: NaiveDate) -> u32 {
    ((b.year() - a.year()) * 12 + b.month() as i32 - a.month() as i32).max(0) as u32
}

/// A path shorter than `max` characters, its middle elided.
fn short(s: &str, max: usize) -> String {
    let n = s.chars().count();
    if n <= max {
        return s.to_string();
    }
    let head: String = s.chars().take(max / 2 - 1).collect();
    let tail: String = s.chars().skip(n - (max - max / 2)).collect();
    format!("{head}…{tail}")
}

/// The shape of a mark at (x, y): circle, square or diamond by kind.
fn shape(kind: Kind, x: f64, y: f64) -> String {
    match kind {
        Kind::Milestone => format!("<circle class=\"shape\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"6.5\"/>"),
        Kind::Deliverable => format!("<rect class=\"shape\" x=\"{:.1}\" y=\"{:.1}\" width=\"12\" height=\"12\"/>", x - 6.0, y - 6.0),
        Kind::Payment => format!("<path class=\"shape\" d=\"M{x:.1} {:.1}L{:.1} {y:.1}L{x:.1} {:.1}L{:.1} {y:.1}Z\"/>", y - 8.0, x + 8.0, y + 8.0, x - 8.0),
    }
}

/// The key to the timeline's shapes (an SVG of its own, so it reads without the chart).
pub(super) fn legend() -> String {
    let mut h = String::from("<ul class=\"legend\" aria-label=\"Timeline key\">");
    for &kind in Kind::ALL {
        let _ = write!(h, "<li><svg width=\"20\" height=\"20\" viewBox=\"0 0 20 20\" aria-hidden=\"true\"><g class=\"k-{0}\">{1}</g></svg> {0}</li>", kind.as_str(), shape(kind, 10.0, 10.0));
    }
    let _ = write!(
        h,
        "<li><svg width=\"24\" height=\"20\" viewBox=\"0 0 24 20\" aria-hidden=\"true\"><g class=\"overdue\"><circle class=\"ring\" cx=\"12\" cy=\"10\" r=\"9\"/>{}</g></svg> overdue</li>",
        shape(Kind::Milestone, 12.0, 10.0)
    );
    h.push_str("<li><svg width=\"20\" height=\"20\" viewBox=\"0 0 20 20\" aria-hidden=\"true\"><line class=\"today\" x1=\"10\" y1=\"0\" x2=\"10\" y2=\"20\"/></svg> as-of day</li></ul>\n");
    h
}

/// The timeline: a lane per contract, a mark per dated record.
pub(super) fn timeline(lanes: &[(usize, &Document)], marks: &[Mark], as_of: NaiveDate) -> String {
    let lo = marks.iter().map(|m| m.date).min().unwrap_or(as_of).min(as_of);
    let hi = marks.iter().map(|m| m.date).max().unwrap_or(as_of).max(as_of);
    let start = first_of_month(lo);
    let end = first_of_month(hi).checked_add_months(Months::new(1)).unwrap_or(hi);
    let span = (end - start).num_days().max(1) as f64;
    let plot = WIDTH - LABEL - RIGHT;
    let x = |d: NaiveDate| LABEL + (d - start).num_days() as f64 / span * plot;
    let height = AXIS + LANE * lanes.len() as f64 + 8.0;
    let mut h = String::new();
    let _ = write!(
        h,
        "<svg class=\"timeline\" role=\"group\" aria-labelledby=\"timeline-title\" viewBox=\"0 0 {WIDTH} {height}\" width=\"{WIDTH}\" height=\"{height}\" data-start=\"{}\" data-end=\"{}\"><title id=\"timeline-title\">Timeline from {0} to {1}: {} contracts, {} dated items</title>",
        start.format("%Y-%m-%d"),
        end.format("%Y-%m-%d"),
        lanes.len(),
        marks.len()
    );
    // Month ticks and grid lines.
    let months = months_between(start, end);
    let step = tick_step(months);
    h.push_str("<g class=\"axis\" aria-hidden=\"true\">");
    let mut t = start;
    let mut year = None;
    while t <= end {
        let tx = x(t);
        // The year on the first tick of each year, so a long axis stays readable.
        let label = if year != Some(t.year()) { t.format("%b %Y").to_string() } else { t.format("%b").to_string() };
        year = Some(t.year());
        let _ = write!(h, "<line x1=\"{tx:.1}\" y1=\"{:.1}\" x2=\"{tx:.1}\" y2=\"{:.1}\"/><text x=\"{tx:.1}\" y=\"{:.1}\">{label}</text>", AXIS - 6.0, height - 8.0, AXIS - 12.0);
        match t.checked_add_months(Months::new(step)) {
            Some(n) => t = n,
            None => break,
        }
    }
    h.push_str("</g>");
    for (row, (i, doc)) in lanes.iter().enumerate() {
        let y0 = AXIS + LANE * row as f64;
        let cy = y0 + LANE / 2.0;
        let cid = contract_id(*i);
        let _ = write!(
            h,
            "<g class=\"lane\" data-contract=\"{cid}\" role=\"group\" aria-label=\"{}\"><rect class=\"band{}\" x=\"0\" y=\"{y0:.1}\" width=\"{WIDTH}\" height=\"{LANE}\"/><text class=\"lane-label\" x=\"8\" y=\"{:.1}\"><title>{0}</title>{}</text>",
            esc(&doc.path),
            if row % 2 == 1 { " odd" } else { "" },
            cy + 4.0,
            esc(&short(&doc.path, 34))
        );
        for m in marks.iter().filter(|m| m.contract == *i) {
            h.push_str(&mark(m, &doc.path, x(m.date), cy));
        }
        h.push_str("</g>");
    }
    let tx = x(as_of);
    let _ = write!(
        h,
        "<g class=\"today-g\" aria-hidden=\"true\"><line class=\"today\" x1=\"{tx:.1}\" y1=\"{:.1}\" x2=\"{tx:.1}\" y2=\"{:.1}\"/><text class=\"today-label\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"{}\">as of {}</text></g>",
        AXIS - 4.0,
        height - 4.0,
        tx + if tx > WIDTH - 120.0 { -4.0 } else { 4.0 },
        AXIS - 24.0,
        if tx > WIDTH - 120.0 { "end" } else { "start" },
        as_of.format("%Y-%m-%d")
    );
    h.push_str("</svg>");
    h
}

fn mark(m: &Mark, path: &str, x: f64, y: f64) -> String {
    let r = m.record;
    let date = m.date.format("%Y-%m-%d").to_string();
    let amount = r.amount.map(money);
    let mut label = format!("{}{}: {}, {}", if m.overdue { "Overdue " } else { "" }, r.kind.as_str(), r.name, date);
    if let Some(a) = &amount {
        let _ = write!(label, ", {a}");
    }
    let _ = write!(label, ", page {}, {}", r.page, path);
    let ring = if m.overdue { format!("<circle class=\"ring\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"10.5\"/>") } else { String::new() };
    format!(
        "<g class=\"mark k-{}{}\" role=\"img\" tabindex=\"0\" aria-label=\"{}\" data-kind=\"{0}\" data-contract=\"{}\" data-path=\"{}\" data-name=\"{}\" data-date=\"{date}\" data-amount=\"{}\" data-page=\"{}\" data-text=\"{}\"><title>{2}</title>{ring}{}</g>",
        r.kind.as_str(),
        if m.overdue { " overdue" } else { "" },
        esc(&label),
        contract_id(m.contract),
        esc(path),
        esc(&r.name),
        esc(amount.as_deref().unwrap_or("")),
        r.page,
        esc(&r.text),
        shape(r.kind, x, y)
    )
}

/// A round number at or above `v` for the top of a bar chart's scale.
fn nice_ceiling(v: i128) -> i128 {
    if v <= 0 {
        return 100;
    }
    let mut p = 1i128;
    while p * 10 <= v {
        p *= 10;
    }
    for m in [1, 2, 5, 10] {
        if p * m >= v {
            return p * m;
        }
    }
    p * 10
}

/// `9250000` cents → `92.5k`: short labels for the scale.
fn compact(cents: i128) -> String {
    let units = cents as f64 / 100.0;
    let (v, suffix) = if units.abs() >= 1e9 {
        (units / 1e9, "bn")
    } else if units.abs() >= 1e6 {
        (units / 1e6, "M")
    } else if units.abs() >= 1e3 {
        (units / 1e3, "k")
    } else {
        (units, "")
    };
    let s = format!("{v:.1}");
    format!("{}{suffix}", s.trim_end_matches(".0"))
}

/// The cash-flow bars of one currency: a bar per month from the first dated
/// payment's month to the last one's (months without payments stay empty).
pub(super) fn bars(currency: Currency, months: &[&MonthTotal], as_of: NaiveDate) -> String {
    let dated: Vec<(NaiveDate, &MonthTotal)> = months
        .iter()
        .filter_map(|m| match m.month {
            Month::Of(first) => Some((first, *m)),
            Month::Undated => None,
        })
        .collect();
    let (Some(first), Some(last)) = (dated.iter().map(|d| d.0).min(), dated.iter().map(|d| d.0).max()) else { return String::new() };
    let n = months_between(first, last) + 1;
    let max = dated.iter().map(|(_, m)| m.value.0).max().unwrap_or(0);
    let top = nice_ceiling(max);
    let (left, right, head, foot) = (90.0, 16.0, 16.0, 40.0);
    let slot = ((WIDTH - left - right) / n as f64).min(60.0);
    let width = left + right + slot * n as f64;
    let height = 240.0;
    let plot = height - head - foot;
    let y = |c: i128| head + plot - (c as f64 / top as f64) * plot;
    let cur = esc(currency.as_str());
    let mut h = String::new();
    let _ = write!(
        h,
        "<svg class=\"bars\" role=\"group\" aria-labelledby=\"bars-{cur}-title\" viewBox=\"0 0 {width:.1} {height}\" width=\"{width:.1}\" height=\"{height}\"><title id=\"bars-{cur}-title\">{cur} payments by month, {} to {}</title>",
        first.format("%Y-%m"),
        last.format("%Y-%m")
    );
    h.push_str("<g class=\"axis\" aria-hidden=\"true\">");
    for k in 0..=4 {
        let v = top / 4 * k;
        let yy = y(v);
        let _ = write!(
            h,
            "<line x1=\"{left}\" y1=\"{yy:.1}\" x2=\"{:.1}\" y2=\"{yy:.1}\"/><text class=\"ytick\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            width - right,
            left - 6.0,
            yy + 4.0,
            compact(v)
        );
    }
    h.push_str("</g>");
    let label_every = ((n as f64 * 48.0 / (WIDTH - left - right)).ceil() as u32).max(1);
    for k in 0..n {
        let month = first.checked_add_months(Months::new(k)).expect("within the range");
        let bx = left + slot * k as f64;
        if k % label_every == 0 {
            let label = if k == 0 || month.month() == 1 { month.format("%b %Y").to_string() } else { month.format("%b").to_string() };
            let _ = write!(h, "<text class=\"xtick\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" aria-hidden=\"true\">{label}</text>", bx + slot / 2.0, height - foot + 16.0);
        }
        let Some((_, m)) = dated.iter().find(|(d, _)| *d == month) else { continue };
        let c = m.value.0;
        let top_y = y(c.max(0));
        let label = format!("{}: {cur} {}, {} payment{}", m.month, m.value.grouped(), m.payments, if m.payments == 1 { "" } else { "s" });
        let _ = write!(
            h,
            "<rect class=\"bar\" role=\"img\" aria-label=\"{label}\" data-month=\"{}\" data-value=\"{}\" x=\"{:.1}\" y=\"{top_y:.1}\" width=\"{:.1}\" height=\"{:.1}\"><title>{label}</title></rect>",
            m.month,
            m.value,
            bx + slot * 0.15,
            slot * 0.7,
            (y(0) - top_y).max(1.0)
        );
    }
    // The as-of day, where it falls within the chart's months.
    let last_end = last.checked_add_months(Months::new(1)).unwrap_or(last);
    if first <= as_of && as_of < last_end {
        let k = months_between(first, as_of);
        let month = first.checked_add_months(Months::new(k)).expect("within the range");
        let next = month.checked_add_months(Months::new(1)).unwrap_or(month);
        let frac = (as_of - month).num_days() as f64 / (next - month).num_days().max(1) as f64;
        let tx = left + slot * (k as f64 + frac);
        let _ = write!(h, "<line class=\"today\" x1=\"{tx:.1}\" y1=\"{:.1}\" x2=\"{tx:.1}\" y2=\"{:.1}\" aria-hidden=\"true\"/>", head - 4.0, y(0));
    }
    let _ = write!(h, "<line class=\"baseline\" x1=\"{left}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" aria-hidden=\"true\"/>", y(0), width - right, y(0));
    h.push_str("</svg>");
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scale_and_labels() {
        assert_eq!(nice_ceiling(9_250_000), 10_000_000);
        assert_eq!(nice_ceiling(12_000), 20_000);
        assert_eq!(compact(9_250_000), "92.5k");
        assert_eq!(compact(100_000_000), "1M");
        assert_eq!(tick_step(11), 1);
        assert_eq!(tick_step(30), 3);
        assert_eq!(short("abcdefghij", 6), "ab…hij");
    }
}
