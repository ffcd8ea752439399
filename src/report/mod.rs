//! `contract-milestones report`: the portfolio as one self-contained HTML
//! page (inline CSS, JavaScript and SVG; nothing fetched from the network).
//!
//! The page shows a timeline across contracts, cash flow by month per
//! currency, the next 90 days, what needs attention, and per contract its
//! document fields, parties and schedule with page and evidence. The figures
//! come from [`crate::summary`] and [`crate::due`]; this module only lays
//! them out. Everything is readable without JavaScript; the script adds
//! filters, sorting and tooltips.
//!
//! The page is a pure function of the documents and the day: the same input
//! gives the same bytes (no clock, no random ids). All text taken from
//! documents goes through [`esc`].

mod svg;

use std::fmt::Write as _;

use chrono::NaiveDate;

use crate::due::{self, State, Window};
use crate::normalise::{Currency, Money, RenewalKind};
use crate::record::{Document, Kind, Record, Status};
use crate::summary::{self, Month, Summary};

const CSS: &str = include_str!("report.css");
const JS: &str = include_str!("report.js");

/// How far ahead the "next days" list looks.
pub const NEXT_DAYS: u32 = 90;

/// Escape text for HTML element content and quoted attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters other than tab and newline are not allowed in HTML text.
            c if c.is_control() && c != '\t' && c != '\n' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// `USD 92,500.00`.
fn money(m: Money) -> String {
    format!("{} {}", m.currency, m.value.grouped())
}

fn percent(p: f64) -> String {
    // 12.5 → "12.5%", 10 → "10%".
    let s = format!("{p:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    format!("{s}%")
}

/// One dated record as the timeline and the lists see it.
struct Mark<'a> {
    contract: usize,
    record: &'a Record,
    date: NaiveDate,
    overdue: bool,
}

/// What the page counts, for tests and the browser check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    /// Timeline lanes: one per document whose status is `ok`.
    pub lanes: usize,
    /// Timeline marks: records with a date, in those documents.
    pub marks: usize,
    /// Schedule table rows: every record of every document.
    pub rows: usize,
    /// Documents whose status is not `ok`.
    pub failed: usize,
}

/// The counts a page of these documents shows.
pub fn counts(docs: &[Document]) -> Counts {
    let ok = || docs.iter().filter(|d| d.status == Status::Ok);
    Counts { lanes: ok().count(), marks: ok().flat_map(|d| &d.records).filter(|r| r.date.is_some()).count(), rows: docs.iter().map(|d| d.records.len()).sum(), failed: docs.len() - ok().count() }
}

/// The HTML page for these documents as of `as_of`.
pub fn render(docs: &[Document], as_of: NaiveDate) -> String {
    let s = summary::summarise(docs, as_of);
    let next = due::report(docs, &Window { as_of, within_days: NEXT_DAYS, since: None });
    let marks: Vec<Mark> = docs
        .iter()
        .enumerate()
        .filter(|(_, d)| d.status == Status::Ok)
        .flat_map(|(i, d)| d.records.iter().filter_map(move |r| r.date.map(|date| Mark { contract: i, record: r, date, overdue: r.kind.is_schedule() && date < as_of })))
        .collect();
    let c = counts(docs);
    let day = as_of.format("%Y-%m-%d").to_string();

    let mut h = String::with_capacity(64 * 1024);
    h.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    h.push_str("<meta name=\"generator\" content=\"contract-milestones ");
    h.push_str(env!("CARGO_PKG_VERSION"));
    h.push_str("\">\n");
    let _ = writeln!(h, "<title>Contract portfolio as of {day}</title>");
    let _ = writeln!(h, "<style>\n{CSS}</style>\n</head>");
    let _ = writeln!(h, "<body data-as-of=\"{day}\" data-lanes=\"{}\" data-marks=\"{}\" data-rows=\"{}\" data-failed=\"{}\">", c.lanes, c.marks, c.rows, c.failed);
    h.push_str("<a class=\"skip\" href=\"#main\">Skip to the report</a>\n");
    h.push_str("<header>\n");
    let _ = writeln!(h, "<h1>Contract portfolio <span class=\"sub\">as of {day}</span></h1>");
    let items: usize = docs.iter().map(|d| d.records.len()).sum();
    let _ = writeln!(
        h,
        "<p class=\"lede\">{} document{}: {} read, {} not read. {} item{} ({} dated), {} overdue, {} due in the next {NEXT_DAYS} days.</p>",
        s.documents,
        plural(s.documents),
        s.documents - s.not_ok,
        s.not_ok,
        items,
        plural(items),
        marks.len(),
        s.overdue,
        next.items.iter().filter(|i| i.state == State::Due).count(),
    );
    h.push_str(&nav());
    h.push_str("</header>\n<main id=\"main\" tabindex=\"-1\">\n");
    h.push_str(&filters(docs));
    h.push_str(&timeline_section(docs, &marks, as_of));
    h.push_str(&cash_flow_section(&s, as_of));
    h.push_str(&next_section(&next, docs));
    h.push_str(&attention_section(&s, docs));
    h.push_str(&overview_section(&s, docs));
    h.push_str(&contracts_section(docs, as_of));
    h.push_str(&failed_section(docs));
    // Inside <main>: a shown tooltip is page content, and content belongs in a landmark.
    h.push_str("<div id=\"tip\" role=\"tooltip\" hidden></div>\n</main>\n");
    let _ = writeln!(
        h,
        "<footer><p>Made by contract-milestones {} from {} document{}. Every item links to its page and the sentence it was read from; check them against the contract.</p></footer>",
        env!("CARGO_PKG_VERSION"),
        s.documents,
        plural(s.documents)
    );
    let _ = writeln!(h, "<script>\n{JS}</script>\n</body>\n</html>");
    h
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn nav() -> String {
    let links = [("timeline", "Timeline"), ("cash-flow", "Cash flow"), ("next", "Next 90 days"), ("attention", "Needs attention"), ("overview", "Contracts"), ("failed", "Documents not read")];
    let mut h = String::from("<nav aria-label=\"Sections\"><ul>");
    for (id, label) in links {
        let _ = write!(h, "<li><a href=\"#{id}\">{label}</a></li>");
    }
    h.push_str("</ul></nav>\n");
    h
}

fn contract_id(i: usize) -> String {
    format!("c{}", i + 1)
}

/// The filter form: hidden until the script shows it (it does nothing without the script).
fn filters(docs: &[Document]) -> String {
    let mut h = String::from("<form id=\"filters\" class=\"filters\" hidden aria-label=\"Filters\">\n<fieldset><legend>Kind</legend>");
    for k in Kind::ALL {
        let _ = write!(h, "<label><input type=\"checkbox\" name=\"kind\" value=\"{k}\" checked> {k}s</label> ");
    }
    h.push_str("</fieldset>\n<label>Contract <select name=\"contract\"><option value=\"\">all contracts</option>");
    for (i, d) in docs.iter().enumerate().filter(|(_, d)| d.status == Status::Ok) {
        let _ = write!(h, "<option value=\"{}\">{}</option>", contract_id(i), esc(&d.path));
    }
    h.push_str("</select></label>\n<label>From <input type=\"date\" name=\"from\"></label>\n<label>To <input type=\"date\" name=\"to\"></label>\n");
    h.push_str("<button type=\"reset\">Show all</button>\n<p id=\"filter-status\" role=\"status\" aria-live=\"polite\"></p>\n</form>\n");
    h
}

fn timeline_section(docs: &[Document], marks: &[Mark], as_of: NaiveDate) -> String {
    let mut h = String::from("<section id=\"timeline\" aria-labelledby=\"timeline-h\">\n<h2 id=\"timeline-h\">Timeline</h2>\n");
    h.push_str("<p>One lane per contract that was read; a mark per dated milestone (circle), deliverable (square) and payment (diamond). The vertical line is the as-of day. Overdue milestones and deliverables are red with a ring and are named \"overdue\". Hover or focus a mark (Tab) for its name, date, amount, page and evidence.</p>\n");
    h.push_str(&svg::legend());
    let lanes: Vec<(usize, &Document)> = docs.iter().enumerate().filter(|(_, d)| d.status == Status::Ok).collect();
    if lanes.is_empty() {
        h.push_str("<p>No contract was read, so there is nothing to draw.</p>\n");
    } else {
        // Every mark is a tab stop; a keyboard user can jump past them all.
        h.push_str("<a class=\"skip-inline\" href=\"#cash-flow\">Skip the timeline's marks</a>\n<div class=\"scroll\">");
        h.push_str(&svg::timeline(&lanes, marks, as_of));
        h.push_str("</div>\n");
        let undated: usize = lanes.iter().map(|(_, d)| d.records.iter().filter(|r| r.date.is_none()).count()).sum();
        if undated > 0 {
            let _ = writeln!(
                h,
                "<p>{undated} item{} without a resolvable date {} not on the timeline (they are in the contract tables below).</p>",
                plural(undated),
                if undated == 1 { "is" } else { "are" }
            );
        }
    }
    h.push_str("</section>\n");
    h
}

fn cash_flow_section(s: &Summary, as_of: NaiveDate) -> String {
    let mut h = String::from("<section id=\"cash-flow\" aria-labelledby=\"cash-flow-h\">\n<h2 id=\"cash-flow-h\">Cash flow by month</h2>\n");
    let mut currencies: Vec<Currency> = s.by_month.iter().map(|m| m.currency).collect();
    currencies.sort_unstable();
    currencies.dedup();
    if currencies.is_empty() {
        h.push_str("<p>No payment with an amount was found.</p>\n</section>\n");
        return h;
    }
    h.push_str("<p>Payments with an amount, by the month they fall due, one chart per currency (currencies are never added together). Payments without a date are counted beside the chart. The dashed line is the as-of day. The filters above do not change these charts: they show every payment.</p>\n");
    for cur in currencies {
        let rows: Vec<&summary::MonthTotal> = s.by_month.iter().filter(|m| m.currency == cur).collect();
        let dated: Vec<&summary::MonthTotal> = rows.iter().copied().filter(|m| m.month != Month::Undated).collect();
        let undated = rows.iter().find(|m| m.month == Month::Undated);
        let total = s.payment_totals.iter().find(|t| t.currency == cur).map_or_else(String::new, |t| t.value.grouped());
        let _ = writeln!(h, "<div class=\"currency\" data-currency=\"{0}\">\n<h3>{0} <span class=\"sub\">total {0} {1}</span></h3>\n<div class=\"chart-row\">", esc(cur.as_str()), total);
        if dated.is_empty() {
            h.push_str("<p>No dated payment in this currency.</p>");
        } else {
            h.push_str("<div class=\"scroll\">");
            h.push_str(&svg::bars(cur, &dated, as_of));
            h.push_str("</div>");
        }
        match undated {
            Some(u) => {
                let _ = write!(h, "<p class=\"undated\"><strong>Undated:</strong> {} payment{}, {} {}</p>", u.payments, plural(u.payments), esc(cur.as_str()), u.value.grouped());
            }
            None => h.push_str("<p class=\"undated\"><strong>Undated:</strong> none</p>"),
        }
        h.push_str("</div>\n");
        if !dated.is_empty() {
            let _ = write!(h, "<table class=\"months\"><caption>{} payments by month</caption><thead><tr><th scope=\"col\">Month</th><th scope=\"col\" class=\"num\">Amount</th><th scope=\"col\" class=\"num\">Payments</th></tr></thead><tbody>", esc(cur.as_str()));
            for m in &rows {
                let _ = write!(h, "<tr><th scope=\"row\">{}</th><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>", m.month, m.value.grouped(), m.payments);
            }
            h.push_str("</tbody></table>\n");
        }
        h.push_str("</div>\n");
    }
    h.push_str("</section>\n");
    h
}

fn kind_label(kind: &str) -> String {
    kind.replace('_', " ")
}

fn next_section(next: &due::DueReport, docs: &[Document]) -> String {
    let mut h = String::new();
    let _ = writeln!(h, "<section id=\"next\" aria-labelledby=\"next-h\">\n<h2 id=\"next-h\">Next {NEXT_DAYS} days <span class=\"sub\">{} to {}</span></h2>", next.as_of, next.until);
    let due: Vec<&due::DueItem> = next.items.iter().filter(|i| i.state == State::Due).collect();
    if due.is_empty() {
        h.push_str("<p>Nothing falls due.</p>\n</section>\n");
        return h;
    }
    h.push_str("<ol class=\"items\">\n");
    for i in due {
        let cid = docs.iter().position(|d| d.path == i.path).map(contract_id).unwrap_or_default();
        let when = match i.days {
            0 => "today".to_string(),
            1 => "tomorrow".to_string(),
            n => format!("in {n} days"),
        };
        let amount = i.amount.map(|m| format!(", <strong>{}</strong>", esc(&money(m)))).unwrap_or_default();
        let page = if i.page > 0 { format!(", p.&nbsp;{}", i.page) } else { String::new() };
        let _ = writeln!(
            h,
            "<li data-kind=\"{}\" data-contract=\"{cid}\" data-date=\"{}\"><time datetime=\"{1}\">{1}</time> <span class=\"when\">({when})</span> <span class=\"kind k-{0}\">{}</span> {}{amount} <span class=\"where\">{}{page}</span></li>",
            i.kind.as_str(),
            i.date,
            kind_label(i.kind.as_str()),
            esc(&i.name),
            esc(&i.path),
        );
    }
    h.push_str("</ol>\n</section>\n");
    h
}

fn attention_section(s: &Summary, docs: &[Document]) -> String {
    let mut h = String::from("<section id=\"attention\" aria-labelledby=\"attention-h\">\n<h2 id=\"attention-h\">Needs attention</h2>\n");
    let overdue: Vec<(usize, &summary::ContractSummary, &summary::Item)> = s.contracts.iter().enumerate().flat_map(|(ci, c)| c.overdue.iter().map(move |i| (ci, c, i))).collect();
    let _ = writeln!(h, "<h3>Overdue <span class=\"sub\">{} milestone{} and deliverable{} dated before {}</span></h3>", overdue.len(), plural(overdue.len()), plural(overdue.len()), s.as_of);
    if overdue.is_empty() {
        h.push_str("<p>Nothing is overdue.</p>\n");
    } else {
        h.push_str("<ol class=\"items\">\n");
        let mut sorted = overdue;
        sorted.sort_by(|a, b| (&a.2.date, &a.1.path, a.2.page).cmp(&(&b.2.date, &b.1.path, b.2.page)));
        for (ci, c, i) in sorted {
            let _ = writeln!(
                h,
                "<li class=\"overdue\" data-kind=\"{}\" data-contract=\"{}\" data-date=\"{}\"><span class=\"flag\">Overdue</span> <time datetime=\"{2}\">{2}</time> <span class=\"when\">({} days late)</span> <span class=\"kind k-{0}\">{0}</span> {} <span class=\"where\">{}, p.&nbsp;{}</span></li>",
                i.kind,
                contract_id(ci),
                i.date,
                -i.days,
                esc(&i.name),
                esc(&c.path),
                i.page
            );
        }
        h.push_str("</ol>\n");
    }
    if !s.terms_ending.is_empty() {
        h.push_str("<h3>Terms ending in the next 12 months</h3>\n<ul class=\"items\">\n");
        for t in &s.terms_ending {
            let renewal = match (&t.renewal_period, t.renewal) {
                (Some(p), RenewalKind::Automatic) => format!("renews for {} unless notice is given", esc(p)),
                (Some(p), _) => format!("may be renewed for {}", esc(p)),
                _ => "ends".to_string(),
            };
            let opt_out = match t.opt_out_deadline {
                Some(d) if d < s.as_of => format!("; the last day to give notice, {d}, has passed"),
                Some(d) => format!("; give notice by <strong>{d}</strong>"),
                None => String::new(),
            };
            let cid = docs.iter().position(|d| d.path == t.path).map(contract_id).unwrap_or_default();
            let _ =
                writeln!(h, "<li data-contract=\"{cid}\"><time datetime=\"{0}\">{0}</time> <span class=\"when\">(in {1} days)</span> {2}: {renewal}{opt_out}</li>", t.term_end, t.days, esc(&t.path));
        }
        h.push_str("</ul>\n");
    }
    if s.not_ok > 0 {
        let _ = writeln!(h, "<p>{} document{} could not be read: see <a href=\"#failed\">Documents not read</a>.</p>", s.not_ok, plural(s.not_ok));
    }
    h.push_str("</section>\n");
    h
}

/// A header cell the script makes sortable (`data-sort`: how to compare).
fn th(label: &str, sort: &str, class: &str) -> String {
    let class = if class.is_empty() { String::new() } else { format!(" class=\"{class}\"") };
    format!("<th scope=\"col\" data-sort=\"{sort}\"{class}>{label}</th>")
}

fn overview_section(s: &Summary, docs: &[Document]) -> String {
    let mut h = String::from("<section id=\"overview\" aria-labelledby=\"overview-h\">\n<h2 id=\"overview-h\">Contracts</h2>\n");
    h.push_str("<div class=\"scroll\"><table class=\"sortable\"><caption>One row per document; the links lead to each contract's fields and schedule.</caption><thead><tr>");
    for (label, sort, class) in [
        ("Contract", "text", ""),
        ("Status", "text", ""),
        ("Milestones", "num", "num"),
        ("Deliverables", "num", "num"),
        ("Payments", "num", "num"),
        ("Payment total", "text", ""),
        ("Next due", "text", ""),
        ("Overdue", "num", "num"),
    ] {
        h.push_str(&th(label, sort, class));
    }
    h.push_str("</tr></thead><tbody>\n");
    for (i, (c, d)) in s.contracts.iter().zip(docs).enumerate() {
        let totals = if c.payment_totals.is_empty() {
            "—".to_string()
        } else {
            c.payment_totals.iter().map(|t| format!("{} {}", esc(t.currency.as_str()), t.value.grouped())).collect::<Vec<_>>().join("<br>")
        };
        let next = c.next_due.as_ref().map_or("—".to_string(), |n| format!("<time datetime=\"{0}\">{0}</time> {1}", n.date, esc(&n.name)));
        let link = if d.status == Status::Ok { format!("<a href=\"#{}\">{}</a>", contract_id(i), esc(&c.path)) } else { format!("<a href=\"#failed\">{}</a>", esc(&c.path)) };
        let overdue_cell = if c.overdue.is_empty() { "0".to_string() } else { format!("<span class=\"flag\">{} overdue</span>", c.overdue.len()) };
        let _ = writeln!(
            h,
            "<tr data-contract=\"{}\"><th scope=\"row\">{link}</th><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{totals}</td><td>{next}</td><td class=\"num\" data-value=\"{}\">{overdue_cell}</td></tr>",
            contract_id(i),
            status_text(d.status),
            c.milestones,
            c.deliverables,
            c.payments,
            c.overdue.len()
        );
    }
    h.push_str("</tbody></table></div>\n</section>\n");
    h
}

fn status_text(s: Status) -> String {
    if s == Status::Ok {
        "ok".into()
    } else {
        format!("<span class=\"flag\">{}</span>", s.as_str())
    }
}

fn field_row(h: &mut String, doc: &Document, label: &str, field: &str, value: Option<String>) {
    let ev = doc.evidence.get(field);
    if value.is_none() && ev.is_none() {
        return;
    }
    let _ = write!(h, "<dt>{label}</dt><dd>{}", value.unwrap_or_else(|| "—".into()));
    if let Some(e) = ev {
        if let Some(r) = &e.reason {
            let _ = write!(h, " <span class=\"why\">({})</span>", esc(r));
        }
        let _ = write!(h, "<blockquote class=\"evidence\"><span class=\"page\">p.&nbsp;{}</span> {}</blockquote>", e.page, esc(&e.text));
    }
    h.push_str("</dd>");
}

fn contracts_section(docs: &[Document], as_of: NaiveDate) -> String {
    let mut h = String::from("<section id=\"contracts\" aria-labelledby=\"contracts-h\">\n<h2 id=\"contracts-h\">Contract details</h2>\n");
    for (i, d) in docs.iter().enumerate().filter(|(_, d)| d.status == Status::Ok) {
        let cid = contract_id(i);
        let _ = writeln!(h, "<article id=\"{cid}\" class=\"contract\" data-contract=\"{cid}\" aria-labelledby=\"{cid}-h\">\n<h3 id=\"{cid}-h\">{}</h3>", esc(&d.path));
        h.push_str("<dl class=\"fields\">");
        let _ = write!(h, "<dt>Pages</dt><dd>{}</dd>", d.pages.map_or("—".into(), |p| p.to_string()));
        let date = |v: Option<NaiveDate>| v.map(|s| format!("<time datetime=\"{0}\">{0}</time>", s));
        field_row(&mut h, d, "Effective date", "effective_date", date(d.effective_date));
        field_row(&mut h, d, "Expiration date", "expiration_date", date(d.expiration_date));
        field_row(&mut h, d, "Contract price", "contract_price", d.contract_price.map(|m| esc(&money(m))));
        field_row(
            &mut h,
            d,
            "Renewal",
            "renewal",
            d.renewal.map(|r| format!("{} for {}{}", if r.auto { "renews by itself" } else { "may be renewed" }, r.period, r.count.map_or(String::new(), |n| format!(", at most {n} times")))),
        );
        field_row(&mut h, d, "Notice period", "notice_period", d.notice_period.map(|p| p.to_string()));
        field_row(&mut h, d, "Opt-out deadline", "opt_out_deadline", d.opt_out_deadline.map(|x| format!("<time datetime=\"{0}\">{0}</time> (initial term)", x.format("%Y-%m-%d"))));
        if let Some(t) = d.term_in_force(as_of, &crate::normalise::Calendar::weekends_only()) {
            let _ = write!(
                h,
                "<dt>Term in force on {}</dt><dd>ends {}{}</dd>",
                as_of.format("%Y-%m-%d"),
                t.term_end.format("%Y-%m-%d"),
                t.opt_out_deadline.map_or(String::new(), |x| format!("; notice by {}", x.format("%Y-%m-%d")))
            );
        }
        h.push_str("<dt>Parties</dt><dd>");
        if d.parties.is_empty() {
            h.push('—');
        } else {
            h.push_str("<ul class=\"parties\">");
            for p in &d.parties {
                let _ = write!(h, "<li>{}</li>", esc(p));
            }
            h.push_str("</ul>");
        }
        h.push_str("</dd>");
        if let Some(e) = &d.engine {
            let _ = write!(h, "<dt>Text from</dt><dd>{}{}</dd>", esc(e), if d.ocr_pages.is_empty() { String::new() } else { format!("; OCR on pages {}", join_pages(&d.ocr_pages)) });
        }
        if !d.pages_without_text.is_empty() {
            let _ = write!(h, "<dt>Pages without text</dt><dd>{}</dd>", join_pages(&d.pages_without_text));
        }
        for w in &d.warnings {
            let _ = write!(h, "<dt>Warning</dt><dd>{}</dd>", esc(w));
        }
        h.push_str("</dl>\n");
        if d.records.is_empty() {
            h.push_str("<p>No milestone, deliverable or payment was found.</p>\n");
        } else {
            let _ =
                write!(h, "<div class=\"scroll\"><table class=\"sortable schedule\"><caption>Schedule of {} ({} item{})</caption><thead><tr>", esc(&d.path), d.records.len(), plural(d.records.len()));
            for (label, sort, class) in
                [("Kind", "text", ""), ("Name", "text", ""), ("Date", "text", ""), ("Amount", "num", "num"), ("Share", "num", "num"), ("Page", "num", "num"), ("Evidence", "text", "")]
            {
                h.push_str(&th(label, sort, class));
            }
            h.push_str("</tr></thead><tbody>\n");
            for r in &d.records {
                h.push_str(&record_row(&cid, r, as_of));
            }
            h.push_str("</tbody></table></div>\n");
        }
        h.push_str("</article>\n");
    }
    h.push_str("</section>\n");
    h
}

fn join_pages(p: &[u32]) -> String {
    p.iter().map(u32::to_string).collect::<Vec<_>>().join(", ")
}

fn record_row(cid: &str, r: &Record, as_of: NaiveDate) -> String {
    let day = r.date;
    let overdue = r.kind.is_schedule() && day.is_some_and(|d| d < as_of);
    let date = match (day, &r.relative, &r.trigger) {
        (Some(d), _, _) => format!("<time datetime=\"{0}\">{0}</time>{1}", d.format("%Y-%m-%d"), if overdue { " <span class=\"flag\">overdue</span>" } else { "" }),
        (None, _, Some(t)) => format!("<span class=\"why\">upon {}</span>", esc(t)),
        (None, Some(_), None) => "<span class=\"why\">relative to an event</span>".into(),
        (None, None, None) => "<span class=\"why\">no date</span>".into(),
    };
    let (amount, amount_value) = match r.amount {
        Some(m) => (esc(&money(m)), m.value.0.to_string()),
        None => ("—".into(), String::new()),
    };
    let share = r.percent.map_or("—".into(), percent);
    format!(
        "<tr class=\"rec{}\" data-kind=\"{}\" data-contract=\"{cid}\" data-date=\"{}\"><td><span class=\"kind k-{1}\">{1}</span></td><th scope=\"row\">{}</th><td data-value=\"{2}\">{date}</td><td class=\"num\" data-value=\"{amount_value}\">{amount}</td><td class=\"num\" data-value=\"{}\">{share}</td><td class=\"num\">{}</td><td class=\"evidence\">{}</td></tr>\n",
        if overdue { " overdue" } else { "" },
        r.kind.as_str(),
        day.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default(),
        esc(&r.name),
        r.percent.map_or(String::new(), |p| p.to_string()),
        r.page,
        esc(&r.text),
    )
}

fn failed_section(docs: &[Document]) -> String {
    let mut h = String::from("<section id=\"failed\" aria-labelledby=\"failed-h\">\n<h2 id=\"failed-h\">Documents not read</h2>\n");
    let failed: Vec<&Document> = docs.iter().filter(|d| d.status != Status::Ok).collect();
    if failed.is_empty() {
        h.push_str("<p>Every document was read.</p>\n</section>\n");
        return h;
    }
    h.push_str("<div class=\"scroll\"><table class=\"sortable failed\"><caption>Documents whose text could not be read, with the reason</caption><thead><tr>");
    for (label, sort) in [("Document", "text"), ("Status", "text"), ("Reason", "text")] {
        h.push_str(&th(label, sort, ""));
    }
    h.push_str("</tr></thead><tbody>\n");
    for d in failed {
        let _ =
            writeln!(h, "<tr class=\"fail\"><th scope=\"row\">{}</th><td><span class=\"flag\">{}</span></td><td>{}</td></tr>", esc(&d.path), d.status.as_str(), esc(d.error.as_deref().unwrap_or("")));
    }
    h.push_str("</tbody></table></div>\n</section>\n");
    h
}

#[cfg(test)]
mod tests;
