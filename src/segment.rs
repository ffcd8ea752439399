//! Segment stage: lines → the units the rules see.
//!
//! Running headers and footers are dropped, two-column pages are read column
//! by column, table rows are rebuilt from cell positions (multi-line cells
//! joined, the header row remembered, also across a page break), and prose is
//! cut into paragraphs, list items and sentences, with line-end hyphenation
//! joined. Every segment knows the section heading it sits under.

use std::collections::HashMap;

use crate::text::{Line, Origin, Page};

named_enum! {
    /// What a segment is.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum SegmentKind {
        /// A sentence of a paragraph.
        Sentence = "sentence",
        /// A numbered or lettered list item (one sentence of it).
        ListItem = "list_item",
        /// A table row, cells joined by " | ".
        TableRow = "table_row",
        /// A heading line.
        Heading = "heading",
    }
}

/// One unit of text the rules run over.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    /// What it is.
    pub kind: SegmentKind,
    /// 1-based page.
    pub page: u32,
    /// The text (table rows: cells joined by " | ").
    pub text: String,
    /// Table rows: the cells.
    pub cells: Vec<String>,
    /// Table rows: the header row's cells, when the table has one.
    pub header: Vec<String>,
    /// The section heading above it.
    pub heading: String,
    /// The run-in title of the numbered paragraph it belongs to ("(c)
    /// Long-Term Forecast." gives "Long-Term Forecast"), when it has one.
    pub title: String,
    /// Page text, or (when any of it is) annotation or form-field text.
    pub origin: Origin,
}

/// Cut pages into segments.
pub fn segment(pages: &[Page]) -> Vec<Segment> {
    let furniture = running_furniture(pages);
    // Some producers' fonts all claim to be bold; then bold says nothing.
    let (bold, all) = pages.iter().flat_map(|p| p.lines.iter()).fold((0usize, 0usize), |(b, a), l| (b + usize::from(l.bold), a + 1));
    let bold_means_something = all == 0 || bold * 10 < all * 6;
    let mut out = Vec::new();
    let mut heading = String::new();
    let mut table: Option<Table> = None;
    let mut para: Option<Para> = None;
    for page in pages {
        let kept: Vec<&Line> = page.lines.iter().filter(|l| !is_furniture(l, page, &furniture)).collect();
        // The page's first and last lines: a bare page number there is
        // furniture even above the margin (a tall footer area).
        let top = kept.iter().map(|l| l.y).fold(f32::INFINITY, f32::min);
        let bottom = kept.iter().map(|l| l.y).fold(f32::NEG_INFINITY, f32::max);
        let lines = kept.into_iter().filter(|l| !((l.y >= bottom || l.y <= top) && is_page_number(&l.text()))).cloned().collect();
        let body = Page { lines, hrules: Vec::new(), vrules: page.vrules.clone(), ..*page };
        let mut owned: Vec<Line> = reading_order(body);
        if !bold_means_something {
            owned.iter_mut().for_each(|l| l.bold = false);
        }
        // A clause number set apart from its text ("4.1      Unless otherwise
        // terminated ...") is a numbered paragraph, not a two-column table.
        for l in owned.iter_mut().filter(|l| numbered_prose(l)) {
            l.cells = vec![crate::text::layout::Cell::joined(&l.cells)];
        }
        let lines: Vec<&Line> = owned.iter().collect();
        let mut prev_y: Option<f32> = None;
        let mut prev_size = 10.0f32;
        for (i, line) in lines.iter().enumerate() {
            let gap = prev_y.map(|y| line.y - y);
            let big_gap = gap.is_some_and(|g| g > 1.75 * prev_size.max(line.size) || g < -prev_size);
            prev_y = Some(line.y);
            prev_size = line.size;
            // Tables: a line with two or more cells, or a line that fits an open table's columns.
            if let Some(t) = table.as_mut() {
                let continued_page = t.page != page.number;
                let recut = t.recut(line);
                if t.accepts(&recut, big_gap && !continued_page) {
                    if continued_page && t.is_header_again(&recut) {
                        t.page = page.number;
                        continue;
                    }
                    t.page = page.number;
                    t.add(&recut, &page.hrules);
                    continue;
                }
                flush_table(table.take(), &heading, &mut out);
            }
            if line.cells.len() >= 2 && looks_tabular(line, lines.get(i + 1).copied()) {
                flush_para(para.take(), &heading, &mut out);
                let mut t = Table::new(page.number, line, &page.vrules);
                // A table that goes on from the previous page keeps its header.
                let first_on_page = i == 0;
                if let Some(h) = out.last().filter(|s| first_on_page && s.kind == SegmentKind::TableRow && s.page + 1 == page.number && s.header.len() == t.columns.len()) {
                    if !h.header.is_empty() && h.header.iter().map(|s| s.as_str()).ne(line.cells.iter().map(|c| c.text.as_str())) {
                        t.header = Some(h.header.clone());
                        t.rows.clear();
                        t.add(line, &page.hrules);
                    }
                }
                table = Some(t);
                continue;
            }
            let text = line.text();
            if is_heading(line, &text) {
                flush_para(para.take(), &heading, &mut out);
                // A heading set on several lines ("CUMULATIVE" / "MINIMUM" /
                // "PURCHASES", "EXHIBIT B" / "MILESTONES") is one heading:
                // a line right under a short heading line (a label broken
                // over lines, not a title line such as "Acme Insurance
                // Agency, LLC" over "Franchise Agreement") continues it.
                let stacked = !big_gap && out.last().is_some_and(|s| s.kind == SegmentKind::Heading && s.page == page.number && s.text.split_whitespace().count() <= 3);
                heading = if stacked { format!("{heading} {text}") } else { text.clone() };
                out.push(Segment { kind: SegmentKind::Heading, page: page.number, text, cells: vec![], header: vec![], heading: heading.clone(), title: String::new(), origin: line.origin });
                continue;
            }
            // "(1st) day of ..." after "the first" is not a list item: a marker
            // starts an item only where the text before it ended a sentence.
            // So does the next marker of the list the paragraph is an item of
            // ("2." after "1. Needs assessment report - within 30 days"),
            // whatever ends the line before.
            // A line that labels its item ("Phase 2 - Design: ...",
            // "Milestone 3: ...") after another such line starts an item too.
            let label = item_label(&text);
            let marker = list_marker(&text).or(label);
            let next_in_list = |p: &Para| p.marker.as_deref().zip(marker).is_some_and(|(a, b)| marker_follows(a, b) || label == Some(a));
            let starts_item = marker.is_some() && para.as_ref().is_none_or(|p| big_gap || p.text.trim_end().ends_with(['.', ':', ';']) || p.page != page.number || next_in_list(p));
            match para.as_mut() {
                Some(p) if !big_gap && !starts_item && p.page == page.number => p.push(&text, line.origin),
                // A paragraph running over a page break continues when it ended mid-sentence.
                Some(p) if p.page != page.number && !starts_item && !p.text.trim_end().ends_with(['.', ':', ';']) && starts_lowercase(&text) => p.push(&text, line.origin),
                _ => {
                    flush_para(para.take(), &heading, &mut out);
                    para = Some(Para { page: page.number, text: text.clone(), item: starts_item, marker: marker.filter(|_| starts_item).map(str::to_string), origin: line.origin });
                }
            }
        }
        // Tables may continue on the next page; paragraphs too (handled above).
    }
    flush_table(table.take(), &heading, &mut out);
    flush_para(para.take(), &heading, &mut out);
    mark_titles(&mut out);
    out
}

/// The kind of a list marker, for telling a sibling paragraph from a sub-item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MarkerKind {
    Number,
    Letter,
}

fn marker_kind(marker: &str) -> MarkerKind {
    let m = marker.trim().trim_start_matches("Section").trim_start_matches("SECTION").trim_start_matches("Article").trim_start_matches("ARTICLE").trim();
    if m.starts_with(|c: char| c.is_ascii_digit()) {
        MarkerKind::Number
    } else {
        MarkerKind::Letter
    }
}

/// A paragraph's run-in title: "(c) Long-Term Forecast.", "8. RETAINER
/// FEE.", "Section 3.3 Delivery of Lobby Promotions." — a marker, then a few
/// capitalised words and a full stop or colon.
pub fn run_in_title(text: &str) -> Option<String> {
    let marker = list_marker(text)?;
    let rest = text[marker.len()..].trim();
    let body = rest.strip_suffix(['.', ':']).unwrap_or(rest).trim();
    let words: Vec<&str> = body.split_whitespace().collect();
    if words.is_empty() || words.len() > 8 || body.contains([';', ',']) && words.len() > 5 {
        return None;
    }
    const SMALL: &[&str] = &["of", "and", "the", "for", "to", "in", "on", "with", "a", "an", "or", "by", "&", "-", "–", "/", "at", "under"];
    let capitalised = words.iter().all(|w| {
        let first = w.trim_start_matches(['(', '"', '\u{201c}']).chars().next();
        SMALL.contains(&w.to_lowercase().as_str()) || first.is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
    });
    let has_letters = body.chars().filter(|c| c.is_alphabetic()).count() >= 3;
    (capitalised && has_letters && !SMALL.contains(&words[0].to_lowercase().as_str())).then(|| body.to_string())
}

/// Give each segment the run-in title of the paragraph it is under: a
/// title holds until the next heading, the next title, or the next
/// paragraph numbered like the title's.
fn mark_titles(segments: &mut [Segment]) {
    let mut current: Option<(String, MarkerKind)> = None;
    for seg in segments.iter_mut() {
        if seg.kind == SegmentKind::Heading {
            current = None;
            continue;
        }
        if seg.kind != SegmentKind::TableRow {
            if let Some(t) = run_in_title(&seg.text) {
                let kind = list_marker(&seg.text).map_or(MarkerKind::Number, marker_kind);
                current = Some((t, kind));
            } else if let Some(m) = list_marker(&seg.text) {
                let kind = marker_kind(m);
                if current.as_ref().is_some_and(|(_, k)| *k == kind || kind == MarkerKind::Number) {
                    current = None;
                }
            }
        }
        if let Some((t, _)) = &current {
            seg.title = t.clone();
        }
    }
}

/// The word a line labels its item with ("phase" for "Phase 2 - Design:
/// ..."), when it starts with one and a number.
fn item_label(text: &str) -> Option<&'static str> {
    static LABEL: once_cell::sync::Lazy<regex::Regex> = once_cell::sync::Lazy::new(|| {
        regex::Regex::new(r"^(?i:(milestone|deliverable|phase|stage|task|step|wave|sprint|work\s+package))\s*(?:no\.?\s*|#\s*)?(?:[0-9]{1,2}(?:\.[0-9]{1,2})*[a-z]?|[IVX]{1,4}|[A-H])\b").unwrap()
    });
    let c = LABEL.captures(text)?;
    let w = c.get(1)?.as_str().to_ascii_lowercase();
    ["milestone", "deliverable", "phase", "stage", "task", "step", "wave", "sprint"].into_iter().find(|x| *x == w).or(Some("work package"))
}

/// Whether list marker `b` comes right after `a` in one list: "1." then
/// "2.", "3.1" then "3.2", "(a)" then "(b)", "(iii)" then "(iv)", written
/// alike.
fn marker_follows(a: &str, b: &str) -> bool {
    let parts = |m: &str| {
        let m = m.trim();
        let core: String = m.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '.').collect::<String>().trim_end_matches('.').to_string();
        let shape: String = m.chars().map(|c| if c.is_ascii_alphanumeric() { 'x' } else { c }).collect::<String>();
        (core, shape.split('x').filter(|p| !p.is_empty()).map(str::to_string).collect::<Vec<_>>())
    };
    let ((ca, sa), (cb, sb)) = (parts(a), parts(b));
    if sa != sb || ca.is_empty() || cb.is_empty() {
        return false;
    }
    const ROMAN: &[&str] = &["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"];
    let (pa, la) = ca.rsplit_once('.').map_or(("", ca.as_str()), |(p, l)| (p, l));
    let (pb, lb) = cb.rsplit_once('.').map_or(("", cb.as_str()), |(p, l)| (p, l));
    if pa != pb {
        return false;
    }
    if let (Ok(x), Ok(y)) = (la.parse::<u32>(), lb.parse::<u32>()) {
        return y == x + 1;
    }
    if let (Some(x), Some(y)) = (ROMAN.iter().position(|r| r.eq_ignore_ascii_case(la)), ROMAN.iter().position(|r| r.eq_ignore_ascii_case(lb))) {
        if y == x + 1 && la.chars().all(|c| c.is_lowercase()) == lb.chars().all(|c| c.is_lowercase()) {
            return true;
        }
    }
    let (mut xa, mut xb) = (la.chars(), lb.chars());
    match (xa.next(), xa.next(), xb.next(), xb.next()) {
        (Some(x), None, Some(y), None) if x.is_ascii_alphabetic() && y.is_ascii_alphabetic() => y as u32 == x as u32 + 1 && x.is_lowercase() == y.is_lowercase(),
        _ => false,
    }
}

fn starts_lowercase(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_lowercase())
}

struct Para {
    page: u32,
    text: String,
    item: bool,
    /// The list marker it starts with, when it is a list item.
    marker: Option<String>,
    origin: Origin,
}

impl Para {
    fn push(&mut self, line: &str, origin: Origin) {
        join_line(&mut self.text, line);
        self.origin = self.origin.or(origin);
    }
}

/// Append a line to running text, joining line-end hyphenation.
fn join_line(text: &mut String, line: &str) {
    let hyphenated = text.ends_with('-') && text[..text.len() - 1].chars().last().is_some_and(|c| c.is_alphabetic()) && line.chars().next().is_some_and(|c| c.is_lowercase());
    // "issued-for-" + "construction" keeps its hyphen: the word was already a compound.
    let compound = hyphenated && text[..text.len() - 1].rsplit(char::is_whitespace).next().is_some_and(|w| w.contains('-'));
    // "Go-" + "Live": a hyphenated compound broken after its hyphen.
    let broken_compound = text.ends_with('-') && text[..text.len() - 1].chars().last().is_some_and(|c| c.is_alphabetic()) && line.chars().next().is_some_and(|c| c.is_uppercase());
    if hyphenated && !compound {
        text.pop();
    } else if hyphenated || broken_compound {
        // Keep the hyphen, no space.
    } else if !text.is_empty() {
        text.push(' ');
    }
    text.push_str(line);
}

fn flush_para(para: Option<Para>, heading: &str, out: &mut Vec<Segment>) {
    let Some(p) = para else { return };
    let kind = if p.item { SegmentKind::ListItem } else { SegmentKind::Sentence };
    for s in sentences(&p.text) {
        out.push(Segment { kind, page: p.page, text: s, cells: vec![], header: vec![], heading: heading.to_string(), title: String::new(), origin: p.origin });
    }
}

struct Table {
    page: u32,
    columns: Vec<(f32, f32)>,
    header: Option<Vec<String>>,
    header_origin: Origin,
    /// Each row's page, cells and origin.
    rows: Vec<(u32, Vec<String>, Origin)>,
    last_y: f32,
    last_page: u32,
    min_gap: Option<f32>,
    header_bold: bool,
    size: f32,
    /// x of the drawn vertical borders, when the table has them.
    vcuts: Vec<f32>,
}

impl Table {
    fn new(page: u32, line: &Line, vrules: &[(f32, f32, f32)]) -> Table {
        // Drawn vertical borders through this line, within its reach, are
        // the column boundaries.
        let mut vcuts: Vec<f32> = vrules.iter().filter(|(_, y0, y1)| *y0 - 3.0 <= line.y && line.y <= *y1 + 3.0).map(|(x, _, _)| *x).collect();
        vcuts.sort_by(f32::total_cmp);
        vcuts.dedup_by(|a, b| (*a - *b).abs() < 3.0);
        let columns: Vec<(f32, f32)> = if vcuts.len() >= 3 {
            vcuts.windows(2).map(|w| (w[0], w[1])).filter(|(a, b)| b - a > 6.0).collect()
        } else {
            vcuts.clear();
            line.cells.iter().map(|c| (c.x0, c.x1)).collect()
        };
        let mut t = Table { page, columns, header: None, header_origin: line.origin, rows: vec![], last_y: line.y, last_page: page, min_gap: None, header_bold: line.bold, size: line.size, vcuts };
        let line = t.recut(line);
        let mut first: Vec<String> = vec![String::new(); t.columns.len()];
        for c in &line.cells {
            if let Some(i) = t.column_of(c.x0, c.x1) {
                join_line(&mut first[i], &c.text);
            }
        }
        let looks_header = line.bold || !line.cells.iter().any(|c| c.text.chars().any(|ch| ch.is_ascii_digit()));
        if looks_header {
            t.header = Some(first);
        } else {
            t.rows.push((page, first, line.origin));
        }
        t
    }

    /// The line's cells, with any cell that runs across a column start cut
    /// there (borderless tables where a long cell reaches the next column).
    fn recut(&self, line: &Line) -> Line {
        let mut cells = Vec::with_capacity(line.cells.len() + 1);
        let starts: Vec<f32> = if self.vcuts.is_empty() { self.columns.iter().skip(1).map(|c| c.0).collect() } else { self.vcuts.clone() };
        for c in &line.cells {
            let mut cur = c.clone();
            for &col_x0 in &starts {
                if cur.x0 < col_x0 - 2.0 && cur.x1 > col_x0 + 2.0 {
                    let at = if self.vcuts.is_empty() { col_x0 - 0.6 * self.size } else { col_x0 };
                    if let Some((l, r)) = cur.split_at_x(at) {
                        cells.push(l);
                        cur = r;
                    }
                }
            }
            cells.push(cur);
        }
        Line { cells, ..line.clone() }
    }

    fn column_of(&self, x0: f32, x1: f32) -> Option<usize> {
        if !self.vcuts.is_empty() {
            let mid = (x0 + x1) / 2.0;
            return self.columns.iter().position(|&(a, b)| a - 2.0 <= mid && mid <= b + 2.0);
        }
        let tol = self.size * 1.2;
        // Best overlap with a known column, else the column whose start is nearest.
        let mut best: Option<(usize, f32)> = None;
        for (i, &(c0, c1)) in self.columns.iter().enumerate() {
            let overlap = x1.min(c1.max(c0 + 1.0)) - x0.max(c0);
            let score = if overlap > 0.0 {
                overlap
            } else if (x0 - c0).abs() < tol {
                0.1
            } else {
                continue;
            };
            if best.is_none_or(|(_, s)| score > s) {
                best = Some((i, score));
            }
        }
        best.map(|(i, _)| i)
    }

    fn accepts(&self, line: &Line, big_gap: bool) -> bool {
        if big_gap && line.y - self.last_y > 3.0 * self.size {
            return false;
        }
        if line.cells.len() > self.columns.len() + 1 {
            return false;
        }
        // A heading after a gap ends the table.
        if big_gap && line.cells.len() == 1 && is_heading(line, &line.cells[0].text) {
            return false;
        }
        // Every cell must sit under a column, and a lone cell must not be a
        // full-width paragraph line.
        let all_fit = line.cells.iter().all(|c| self.column_of(c.x0, c.x1).is_some());
        if !all_fit {
            return false;
        }
        if line.cells.len() == 1 {
            let c = &line.cells[0];
            let span_right = self.columns.last().map_or(0.0, |l| l.1);
            let span_left = self.columns.first().map_or(0.0, |f| f.0);
            if self.columns.len() >= 2 && c.x1 - c.x0 > 0.8 * (span_right - span_left) {
                return false;
            }
        }
        true
    }

    fn is_header_again(&self, line: &Line) -> bool {
        self.header.as_ref().is_some_and(|h| {
            let cells: Vec<&str> = line.cells.iter().map(|c| c.text.as_str()).collect();
            cells.len() == h.len() && cells.iter().zip(h).all(|(a, b)| *a == b.as_str())
        })
    }

    fn add(&mut self, line: &Line, hrules: &[(f32, f32, f32)]) {
        let n = self.columns.len();
        let mut placed: Vec<Option<String>> = vec![None; n];
        for c in &line.cells {
            if let Some(i) = self.column_of(c.x0, c.x1) {
                let slot = placed[i].get_or_insert_with(String::new);
                join_line(slot, &c.text);
            }
        }
        // Where a row ends: lines inside a multi-line cell sit one line pitch
        // apart, rows are further apart (cell padding). Without padding, a
        // line with a first cell and values after a row that had values
        // starts a row too; a line with only a first cell continues it.
        let gap = line.y - self.last_y;
        let new_page = self.last_page != self.page || gap < 0.0;
        let pitch = self.min_gap.unwrap_or(1.25 * self.size);
        let big_gap = new_page || gap > pitch * 1.3;
        let has_first = placed[0].is_some();
        let has_values = placed.iter().skip(1).any(Option::is_some);
        let prev_has_values = match self.rows.last() {
            Some((_, r, _)) => r.iter().skip(1).any(|c| !c.is_empty()),
            None => true,
        };
        let header_continues = self.rows.is_empty() && self.header.is_some() && !big_gap && line.bold == self.header_bold && self.header_bold;
        // Drawn row borders decide, when the table has them: a row is every
        // line between two rules, however its cells are aligned.
        let (left, right) = (self.columns.first().map_or(0.0, |c| c.0), self.columns.last().map_or(0.0, |c| c.1));
        // Borders are often drawn cell by cell: add up the pieces at one height.
        let coverage = |at: f32| -> f32 { hrules.iter().filter(|(y, _, _)| (y - at).abs() < 1.5).map(|(_, x0, x1)| (x1.min(right) - x0.max(left)).max(0.0)).sum() };
        let width = (right - left).max(1.0);
        let ruled_rows = !self.vcuts.is_empty() && hrules.iter().any(|(y, _, _)| coverage(*y) > 0.9 * width);
        let rule_between = hrules.iter().any(|(y, _, _)| *y > self.last_y && *y < line.y && coverage(*y) > 0.5 * width);
        let starts_row = if ruled_rows {
            // A ruled table continued on a new page starts a new row there.
            rule_between || new_page
        } else if self.rows.is_empty() && self.header.is_none() {
            true
        } else if header_continues {
            false
        } else if self.rows.is_empty() {
            true
        } else {
            has_first && (big_gap || (has_values && prev_has_values))
        };
        if !starts_row {
            let target = match self.rows.last_mut() {
                Some(r) => {
                    r.2 = r.2.or(line.origin);
                    &mut r.1
                }
                None => {
                    self.header_origin = self.header_origin.or(line.origin);
                    self.header.as_mut().expect("a header or a row exists")
                }
            };
            target.resize(n.max(target.len()), String::new());
            for (i, p) in placed.into_iter().enumerate() {
                if let Some(t) = p {
                    join_line(&mut target[i], &t);
                }
            }
        } else {
            self.rows.push((self.page, placed.into_iter().map(Option::unwrap_or_default).collect(), line.origin));
        }
        if !new_page && gap > 0.5 * self.size {
            self.min_gap = Some(self.min_gap.map_or(gap, |m| m.min(gap)));
        }
        self.last_y = line.y;
        self.last_page = self.page;
    }
}

fn flush_table(table: Option<Table>, heading: &str, out: &mut Vec<Segment>) {
    let Some(t) = table else { return };
    let header = t.header.clone().unwrap_or_default();
    if t.rows.is_empty() {
        // A header alone is one line of text.
        if !header.is_empty() {
            let text = header.join(" ");
            out.push(Segment { kind: SegmentKind::Sentence, page: t.page, text, cells: vec![], header: vec![], heading: heading.to_string(), title: String::new(), origin: t.header_origin });
        }
        return;
    }
    for (page, cells, origin) in t.rows {
        let text = cells.iter().filter(|c| !c.is_empty()).cloned().collect::<Vec<_>>().join(" | ");
        out.push(Segment { kind: SegmentKind::TableRow, page, text, cells, header: header.clone(), heading: heading.to_string(), title: String::new(), origin });
    }
}

/// A two-cell line is tabular unless it is one prose line with a wide gap.
fn looks_tabular(line: &Line, next: Option<&Line>) -> bool {
    if line.cells.len() >= 3 {
        return true;
    }
    // Two cells: a table when the next line is also cut at about the same place.
    let split = line.cells[1].x0;
    next.is_some_and(|n| n.cells.len() >= 2 && n.cells.iter().skip(1).any(|c| (c.x0 - split).abs() < 2.0 * line.size)) || line.bold
}

fn is_heading(line: &Line, text: &str) -> bool {
    let words = text.split_whitespace().count();
    if words == 0 || words > 12 || text.ends_with([',', ';']) {
        return false;
    }
    let letters: Vec<char> = text.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() < 3 {
        return false;
    }
    let upper = letters.iter().all(|c| c.is_uppercase());
    // An all-capitals line that ends a sentence is the tail of a disclaimer
    // in capitals ("... OR COMMERCIAL SUCCESS OF PRODUCT."), unless it is
    // numbered or named like a heading ("ARTICLE 16 NOTICES.").
    let ends_sentence = text.trim_end().ends_with(['.', ';', ',']);
    let named = list_marker(text).is_some() || {
        let first = text.split_whitespace().next().unwrap_or("").to_ascii_lowercase();
        matches!(first.as_str(), "article" | "section" | "schedule" | "exhibit" | "appendix" | "annex" | "part" | "attachment")
    };
    (line.bold && !text.ends_with('.')) || (upper && letters.len() >= 4 && (!ends_sentence || named))
}

/// The list marker at the start of a line ("1.", "3.2", "(a)", "a)", "•").
pub fn list_marker(text: &str) -> Option<&str> {
    static RE: once_cell::sync::Lazy<regex::Regex> = once_cell::sync::Lazy::new(|| {
        regex::Regex::new(r"^(?:(?:Section|Article|ARTICLE|SECTION)\s+)?(?:\d{1,2}(?:\.\d{1,2}){0,3}\.?|\([a-zA-Z0-9]{1,4}\)|[a-z]\)|[ivx]{1,4}[.)]|[a-zA-Z]\.|[•·▪◦\-–*])\s").unwrap()
    });
    if let Some(m) = RE.find(text) {
        return Some(m.as_str());
    }
    // A typewriter bullet: "o   Train the staff".
    let rest = text.strip_prefix('o')?;
    let spaces = rest.len() - rest.trim_start().len();
    (spaces > 0 && rest.trim_start().starts_with(|c: char| c.is_uppercase())).then(|| &text[..1 + spaces])
}

/// Split running text into sentences. A period ends a sentence when a space
/// and a capital (or a list marker) follow and the word before it is not a
/// known abbreviation.
pub fn sentences(text: &str) -> Vec<String> {
    const ABBREV: &[&str] = &[
        "no", "nos", "inc", "co", "corp", "ltd", "llc", "mr", "mrs", "ms", "dr", "st", "sec", "art", "e.g", "i.e", "u.s", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
        "dec", "approx", "incl", "vs", "p", "pp", "para", "fig", "n.v", "b.v", "s.a", "gmbh", "plc", "ag", "etc", "l.p", "u.k", "ph.d", "jr", "sr", "esq",
    ];
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if (c == b'.' || c == b';' || c == b'?' || c == b'!') && i + 2 < bytes.len() && bytes[i + 1] == b' ' {
            let next = text[i + 2..].chars().next().unwrap_or(' ');
            let word_start = text[..i].rfind([' ', '(']).map_or(0, |p| p + 1);
            let word = text[word_start..i].to_ascii_lowercase();
            // Not an end: abbreviations, initials, and list numbers ("1.", "3.2.", "iv.").
            // "3." and "3.2." number a list; "2026." ends a sentence.
            let list_number = !word.is_empty() && word.chars().all(|ch| ch.is_ascii_digit() || ch == '.') && word.split('.').all(|g| g.len() <= 2);
            let numbering = list_number || (word_start == start && list_marker(&text[start..]).is_some_and(|m| m.trim_end().len() == i + 1 - start));
            let abbrev = c == b'.' && (numbering || ABBREV.contains(&word.as_str()) || (word.len() == 1 && word.chars().all(|ch| ch.is_alphabetic())));
            // "(a) ..." may start a sentence; "(the “Company”) and ..." goes on one.
            let aside = next == '(' && text[i + 3..].split([' ', ')']).next().is_some_and(|w| w.len() >= 3 && w.chars().all(|ch| ch.is_lowercase()) && text[i + 3 + w.len()..].starts_with(' '));
            let ends = match c {
                b';' => false,
                _ => (next.is_uppercase() || (next == '(' && !aside) || next == '"' || next == '\u{201c}') && !abbrev,
            };
            if ends {
                let s = text[start..=i].trim();
                if !s.is_empty() {
                    out.push(s.to_string());
                }
                start = i + 2;
            }
        }
        i += 1;
    }
    let rest = text[start..].trim();
    if !rest.is_empty() {
        out.push(rest.to_string());
    }
    out
}

/// Text of a line with digits folded, for spotting repeated furniture.
fn furniture_key(text: &str) -> String {
    text.chars().map(|c| if c.is_ascii_digit() { '#' } else { c.to_ascii_lowercase() }).collect()
}

fn running_furniture(pages: &[Page]) -> HashMap<String, usize> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for page in pages {
        let mut seen = std::collections::HashSet::new();
        for l in &page.lines {
            if in_margin(l, page) {
                let key = furniture_key(&l.text());
                if seen.insert(key.clone()) {
                    *counts.entry(key).or_default() += 1;
                }
            }
        }
    }
    let needed = if pages.len() >= 3 { pages.len().div_ceil(2) } else { 2 };
    counts.retain(|_, n| *n >= needed);
    counts
}

fn in_margin(l: &Line, page: &Page) -> bool {
    let h = if page.height > 0.0 { page.height } else { 792.0 };
    l.y < 0.09 * h || l.y > 0.91 * h
}

fn is_furniture(l: &Line, page: &Page, furniture: &HashMap<String, usize>) -> bool {
    if !in_margin(l, page) {
        return false;
    }
    let text = l.text();
    if furniture.contains_key(&furniture_key(&text)) {
        return true;
    }
    is_page_number(&text)
}

/// Whether a line is a clause number and the clause's prose: two cells,
/// the first only a number or letter ("4.1", "(b)", "iv."), the second
/// words enough to be running text.
fn numbered_prose(l: &Line) -> bool {
    static NUMBER: once_cell::sync::Lazy<regex::Regex> =
        once_cell::sync::Lazy::new(|| regex::Regex::new(r"^(?:(?:Section|SECTION|Article|ARTICLE)\s+)?(?:\d{1,2}(?:\.\d{1,2}){0,3}\.?|\(\d{1,2}\)|\([a-zA-Z]{1,4}\)|[a-zA-Z]{1,4}[.)])$").unwrap());
    l.cells.len() == 2 && NUMBER.is_match(l.cells[0].text.trim()) && l.cells[1].text.split_whitespace().count() >= 8
}

/// "12", "- 12 -", "Page 3 of 10".
fn is_page_number(text: &str) -> bool {
    static PAGE_NO: once_cell::sync::Lazy<regex::Regex> = once_cell::sync::Lazy::new(|| regex::Regex::new(r"(?i)^(?:-\s*)?(?:page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?(?:\s*-)?$").unwrap());
    PAGE_NO.is_match(text.trim())
}

/// Lines in reading order. A two-column page (a gutter near the middle that
/// many prose lines have text on both sides of, and few lines cross) is read
/// left column first, then right; lines that cross the gutter (a title, a
/// full-width heading) stay in place and divide the page into bands.
fn reading_order(page: Page) -> Vec<Line> {
    let Some(gutter) = find_gutter(&page) else { return page.lines };
    let lines = &page.lines;
    let mut out = Vec::with_capacity(lines.len() + 16);
    let mut left: Vec<Line> = Vec::new();
    let mut right: Vec<Line> = Vec::new();
    for l in lines {
        let crosses = l.cells.iter().any(|c| c.x0 < gutter - 1.0 && c.x1 > gutter + 1.0);
        if crosses {
            out.append(&mut left);
            out.append(&mut right);
            out.push(l.clone());
            continue;
        }
        let (lc, rc): (Vec<_>, Vec<_>) = l.cells.iter().cloned().partition(|c| c.x1 <= gutter + 1.0);
        if !lc.is_empty() {
            left.push(Line { cells: lc, ..l.clone() });
        }
        if !rc.is_empty() {
            right.push(Line { cells: rc, ..l.clone() });
        }
    }
    out.append(&mut left);
    out.append(&mut right);
    out
}

fn words(s: &str) -> usize {
    s.split_whitespace().count()
}

/// The x of a two-column page's gutter, if the page has one.
fn find_gutter(page: &Page) -> Option<f32> {
    if page.width <= 0.0 || page.lines.len() < 10 {
        return None;
    }
    // What the scan below asks of every line at every x, computed once per
    // line: the drawn verticals at its height, its cells' extents and word
    // counts.
    struct LineFacts {
        verticals: Vec<f32>,
        cells: Vec<(f32, f32, usize)>,
        short_cells: usize,
    }
    let facts: Vec<LineFacts> = page
        .lines
        .iter()
        .map(|l| {
            let cells: Vec<(f32, f32, usize)> = l.cells.iter().map(|c| (c.x0, c.x1, words(&c.text))).collect();
            LineFacts {
                verticals: page.vrules.iter().filter(|(_, y0, y1)| *y0 - 2.0 <= l.y && l.y <= *y1 + 2.0).map(|(vx, _, _)| *vx).collect(),
                short_cells: cells.iter().filter(|c| c.2 <= 2).count(),
                cells,
            }
        })
        .collect();
    let mut best: Option<(f32, usize)> = None;
    let mut x = page.width * 0.38;
    while x <= page.width * 0.62 {
        let mut crossing = 0;
        let mut both = 0;
        let mut one_side = 0;
        for l in &facts {
            // A table row (three or more cells, or cells between drawn
            // borders) is not two columns of prose: inside a ruled table's
            // horizontal extent (its vertical borders at this height).
            let ruled = l.verticals.len() >= 2 && l.verticals.iter().any(|v| *v < x - 2.0) && l.verticals.iter().any(|v| *v > x + 2.0);
            let tabular = ruled || (l.cells.len() >= 3 && l.short_cells >= 2);
            if tabular || l.cells.iter().any(|c| c.0 < x - 1.0 && c.1 > x + 1.0) {
                crossing += 1;
            } else {
                let left = l.cells.iter().filter(|c| c.1 <= x).map(|c| c.2).sum::<usize>();
                let right = l.cells.iter().filter(|c| c.0 >= x).map(|c| c.2).sum::<usize>();
                if left >= 4 && right >= 4 {
                    both += 1;
                }
                if left >= 3 || right >= 3 {
                    one_side += 1;
                }
            }
        }
        // Prose on both sides of the gutter on many lines, few lines across it.
        if both >= 5 && one_side >= 10 && crossing * 2 <= one_side && best.is_none_or(|(_, b)| both > b) {
            best = Some((x, both));
        }
        x += 4.0;
    }
    best.map(|(x, _)| x)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::layout::Cell;

    /// The segments' texts of one page of single-cell lines, 12 points apart.
    fn segment_texts(texts: &[&str]) -> Vec<String> {
        let lines = texts.iter().enumerate().map(|(i, t)| Line { y: 100.0 + 12.0 * i as f32, ..line(&[t]) }).collect();
        let page = Page { number: 1, width: 612.0, height: 792.0, lines, hrules: vec![], vrules: vec![] };
        segment(&[page]).into_iter().map(|s| s.text).collect()
    }

    fn line(cells: &[&str]) -> Line {
        let cells = cells.iter().enumerate().map(|(i, t)| Cell::new(t, 72.0 + 100.0 * i as f32, 150.0 + 100.0 * i as f32)).collect();
        Line { cells, y: 100.0, size: 10.0, bold: false, origin: Origin::Page }
    }

    #[test]
    fn a_clause_number_set_apart_is_a_numbered_paragraph() {
        assert!(numbered_prose(&line(&["4.1", "Unless ended earlier, the term of this lease begins on signing and runs"])));
        assert!(numbered_prose(&line(&["(b)", "the Supplier shall send a written report of the tests to the Buyer"])));
        // A table's row: a short second cell, or more than two cells.
        assert!(!numbered_prose(&line(&["4.1", "Kick-off meeting"])));
        assert!(!numbered_prose(&line(&["1", "Kick-off meeting held with both project teams present", "June 1, 2026"])));
        assert!(!numbered_prose(&line(&["Phase 2", "Integration testing of the billing module against the agreed test plan"])));
        let joined = Cell::joined(&line(&["4.1", "Unless ended earlier"]).cells);
        assert_eq!(joined.text, "4.1 Unless ended earlier");
    }

    #[test]
    fn a_heading_set_on_several_lines_is_one_heading() {
        let at = |t: &str, y: f32| Line { y, ..line(&[t]) };
        let lines = vec![
            at("EXHIBIT B", 100.0),
            at("MINIMUM PURCHASES", 112.0),
            at("The Distributor shall order the goods listed below.", 130.0),
            at("PRICES", 200.0),
            at("Each unit is priced as quoted.", 215.0),
        ];
        let page = Page { number: 1, width: 612.0, height: 792.0, lines, hrules: vec![], vrules: vec![] };
        let segs = segment(&[page]);
        let under = |text: &str| segs.iter().find(|s| s.text.starts_with(text)).map(|s| s.heading.clone());
        assert_eq!(under("The Distributor").as_deref(), Some("EXHIBIT B MINIMUM PURCHASES"));
        // A heading after body text starts afresh.
        assert_eq!(under("Each unit").as_deref(), Some("PRICES"));
        // A title line over the section heading is no part of it.
        let lines = vec![at("ACME INSURANCE AGENCY, LLC", 100.0), at("FRANCHISE AGREEMENT", 112.0), at("The Franchisee shall open the business.", 130.0)];
        let page = Page { number: 1, width: 612.0, height: 792.0, lines, hrules: vec![], vrules: vec![] };
        let segs = segment(&[page]);
        assert_eq!(segs.iter().find(|s| s.text.starts_with("The Franchisee")).map(|s| s.heading.as_str()), Some("FRANCHISE AGREEMENT"));
    }

    #[test]
    fn the_next_marker_of_a_list_starts_an_item_without_a_full_stop_before_it() {
        assert!(marker_follows("1. ", "2. "));
        assert!(marker_follows("3.1 ", "3.2 "));
        assert!(marker_follows("(a) ", "(b) "));
        assert!(marker_follows("(iii) ", "(iv) "));
        assert!(!marker_follows("(a) ", "b) "));
        assert!(!marker_follows("1. ", "3. "));
        assert!(!marker_follows("3.1 ", "4.2 "));
        let segs = segment_texts(&[
            "The Consultant shall deliver:",
            "1. Inventory of the archive - within 30 days after the Effective Date",
            "2. Digitisation plan - May 15, 2027",
            "we will pay on the 1st day of each month and on the",
            "(1st) business day after each holiday.",
        ]);
        assert!(segs.iter().any(|s| s == "2. Digitisation plan - May 15, 2027 we will pay on the 1st day of each month and on the (1st) business day after each holiday."), "{segs:?}");
        assert!(segs.iter().any(|s| s == "1. Inventory of the archive - within 30 days after the Effective Date"), "{segs:?}");
    }

    #[test]
    fn lines_that_label_their_items_are_items_each() {
        let segs = segment_texts(&[
            "The work runs in three phases:",
            "Phase 1 - Survey: May 3, 2027 to June 4, 2027",
            "Phase 2 - Build: June 7, 2027 to August 27, 2027",
            "Phase 3 - Handover: September 1, 2027",
        ]);
        assert_eq!(segs.len(), 4, "{segs:?}");
        assert_eq!(segs[2], "Phase 2 - Build: June 7, 2027 to August 27, 2027");
        assert_eq!(item_label("Work Package 3: data model"), Some("work package"));
        assert_eq!(item_label("Phases of the work"), None);
    }

    #[test]
    fn bare_page_numbers() {
        for t in ["12", "- 12 -", "Page 3 of 10", "page 3/10"] {
            assert!(is_page_number(t), "{t}");
        }
        for t in ["12 months", "2026.", "Section 12"] {
            assert!(!is_page_number(t), "{t}");
        }
    }

    #[test]
    fn sentences_respect_abbreviations() {
        let s = sentences("Payment is due on Mar. 3, 2025 to Acme Inc. The next one follows. Then (a) more.");
        assert_eq!(s, ["Payment is due on Mar. 3, 2025 to Acme Inc. The next one follows.", "Then (a) more."]);
        // A degree after a name, and an aside in parentheses, go on the sentence.
        let s = sentences("This Agreement is made by Ann Lee, Ph.D. (the “Consultant”) and Acme. It ends. (b) Next. (ii) Then.");
        assert_eq!(s, ["This Agreement is made by Ann Lee, Ph.D. (the “Consultant”) and Acme.", "It ends.", "(b) Next.", "(ii) Then."]);
    }

    #[test]
    fn a_year_ends_a_sentence_and_a_list_number_does_not() {
        let s = sentences("Deliver the plan by March 20, 2026. The Architect shall then present it. See 3.2. Then more.");
        assert_eq!(s, ["Deliver the plan by March 20, 2026.", "The Architect shall then present it.", "See 3.2. Then more."]);
    }

    #[test]
    fn hyphenation_is_joined() {
        let mut t = String::from("the imple-");
        join_line(&mut t, "mentation plan");
        assert_eq!(t, "the implementation plan");
        let mut t = String::from("Kick-");
        join_line(&mut t, "Off");
        assert_eq!(t, "Kick-Off");
        let mut t = String::from("the issued-for-");
        join_line(&mut t, "construction drawings");
        assert_eq!(t, "the issued-for-construction drawings");
    }

    #[test]
    fn run_in_titles() {
        assert_eq!(run_in_title("(c) Long-Term Forecast.").as_deref(), Some("Long-Term Forecast"));
        assert_eq!(run_in_title("8. RETAINER FEE.").as_deref(), Some("RETAINER FEE"));
        assert_eq!(run_in_title("Section 3.3 Delivery of Lobby Promotions.").as_deref(), Some("Delivery of Lobby Promotions"));
        assert_eq!(run_in_title("(a) the Supplier shall deliver."), None);
        assert_eq!(run_in_title("Long-Term Forecast."), None);
    }

    #[test]
    fn list_markers() {
        assert_eq!(list_marker("3.2 Contractor shall"), Some("3.2 "));
        assert_eq!(list_marker("(b) the Beta"), Some("(b) "));
        assert_eq!(list_marker("Contractor shall"), None);
        assert_eq!(list_marker("c. Write the first drafts"), Some("c. "));
        assert_eq!(list_marker("o   Train the staff"), Some("o   "));
        assert_eq!(list_marker("or Train"), None);
        assert_eq!(list_marker("U.S. dollars"), None);
    }
}
