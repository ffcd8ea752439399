//! Positioned spans → lines and cells, the same way for every engine.
//!
//! A line is the spans that share a baseline; inside a line, a gap wider than
//! a word space separates words, and a gap wider than [`CELL_GAP_EM`] ems
//! separates cells (table columns, or the two halves of a two-column page).

use super::{Origin, RawPage, Span};

/// A gap this many ems wide or wider starts a new cell.
pub const CELL_GAP_EM: f32 = 1.4;
/// A gap this many ems wide or wider is a word space.
const WORD_GAP_EM: f32 = 0.12;

/// A piece of a line separated from its neighbours by a wide gap.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// The cell's text, words joined by single spaces.
    pub text: String,
    /// Left edge in points.
    pub x0: f32,
    /// Right edge in points.
    pub x1: f32,
    /// The words (or runs) the cell is made of: each one's left edge and
    /// where it starts in `text`, so a table can split a cell that ran into
    /// the next column. Offsets rather than strings: a long document keeps
    /// every page laid out at once, and a string per word doubled that.
    starts: Vec<(f32, u32)>,
}

impl Cell {
    /// A cell of one piece.
    pub fn new(text: &str, x0: f32, x1: f32) -> Cell {
        Cell { text: text.to_string(), x0, x1, starts: vec![(x0, 0)] }
    }

    /// One cell made of several, left to right (their texts joined by a space).
    pub fn joined(cells: &[Cell]) -> Cell {
        let mut out = Cell { text: String::new(), x0: cells.first().map_or(0.0, |c| c.x0), x1: cells.last().map_or(0.0, |c| c.x1), starts: Vec::new() };
        for c in cells {
            if !out.text.is_empty() {
                out.text.push(' ');
            }
            let base = out.text.len() as u32;
            out.starts.extend(c.starts.iter().map(|(x, at)| (*x, at + base)));
            out.text.push_str(&c.text);
        }
        out
    }

    /// A cell of pieces, each with its left edge, joined by single spaces
    /// (pieces empty after squashing spaces are left out).
    fn of_pieces<'a>(x0: f32, x1: f32, pieces: impl IntoIterator<Item = (f32, &'a str)> + Clone) -> Cell {
        // Sized exactly: a long document keeps all its cells at once.
        let (count, len) = pieces.clone().into_iter().filter(|p| !p.1.is_empty()).fold((0, 0), |(n, l), p| (n + 1, l + p.1.len() + 1));
        let mut cell = Cell { text: String::with_capacity(len.saturating_sub(1)), x0, x1, starts: Vec::with_capacity(count) };
        for (px, piece) in pieces {
            if piece.is_empty() {
                continue;
            }
            if !cell.text.is_empty() {
                cell.text.push(' ');
            }
            cell.starts.push((px, cell.text.len() as u32));
            cell.text.push_str(piece);
        }
        cell
    }

    /// The pieces, each with its left edge.
    pub fn pieces(&self) -> impl Iterator<Item = (f32, &str)> + '_ {
        self.starts.iter().enumerate().map(|(i, &(px, at))| {
            let end = self.starts.get(i + 1).map_or(self.text.len(), |&(_, next)| next as usize - 1);
            (px, &self.text[at as usize..end])
        })
    }

    /// Split the cell before the first piece that starts at or right of `x`.
    pub fn split_at_x(&self, x: f32) -> Option<(Cell, Cell)> {
        let i = self.starts.iter().position(|(px, _)| *px >= x)?;
        if i == 0 {
            return None;
        }
        let pieces: Vec<(f32, &str)> = self.pieces().collect();
        let left = Cell::of_pieces(self.x0, self.starts[i].0 - 1.0, pieces[..i].iter().copied());
        let right = Cell::of_pieces(self.starts[i].0, self.x1, pieces[i..].iter().copied());
        Some((left, right))
    }
}

/// One line of text on a page.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// The cells, left to right; a plain line has one.
    pub cells: Vec<Cell>,
    /// Baseline, from the page top.
    pub y: f32,
    /// Dominant font size.
    pub size: f32,
    /// Mostly bold.
    pub bold: bool,
    /// Page text, or (when any of it is) annotation or form-field text.
    pub origin: Origin,
}

impl Line {
    /// Left edge.
    pub fn x0(&self) -> f32 {
        self.cells.first().map_or(0.0, |c| c.x0)
    }
    /// Right edge.
    pub fn x1(&self) -> f32 {
        self.cells.last().map_or(0.0, |c| c.x1)
    }
    /// The whole line's text, cells joined by a space.
    pub fn text(&self) -> String {
        let mut s = String::new();
        for c in &self.cells {
            if !s.is_empty() {
                s.push(' ');
            }
            s.push_str(&c.text);
        }
        s
    }
}

/// A page of lines, top to bottom.
#[derive(Debug, Clone, Default)]
pub struct Page {
    /// 1-based page number.
    pub number: u32,
    /// Width in points.
    pub width: f32,
    /// Height in points.
    pub height: f32,
    /// Lines, top to bottom.
    pub lines: Vec<Line>,
    /// Drawn horizontal rules: y, x0, x1.
    pub hrules: Vec<(f32, f32, f32)>,
    /// Drawn vertical rules: x, y0, y1.
    pub vrules: Vec<(f32, f32, f32)>,
}

impl Page {
    /// Plain text of the page, a line per line.
    pub fn text(&self) -> String {
        let mut s = String::new();
        for l in &self.lines {
            s.push_str(&l.text());
            s.push('\n');
        }
        s
    }
    /// Number of non-space characters on the page.
    pub fn char_count(&self) -> usize {
        self.lines.iter().flat_map(|l| l.cells.iter()).map(|c| c.text.chars().filter(|ch| !ch.is_whitespace()).count()).sum()
    }
}

/// Build lines from a page's spans.
pub fn build_page(raw: RawPage) -> Page {
    let RawPage { number, width, height, mut spans, hrules, vrules } = raw;
    spans.retain(|s| s.x0.is_finite() && s.x1.is_finite() && s.y.is_finite());
    spans.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x0.total_cmp(&b.x0)));
    let mut lines = Vec::new();
    let mut group: Vec<Span> = Vec::new();
    let mut group_y = 0.0f32;
    let mut group_size = 0.0f32;
    for span in spans {
        if !group.is_empty() {
            let tol = 0.45 * group_size.min(span.size).max(2.0);
            if (span.y - group_y).abs() > tol {
                lines.push(make_line(std::mem::take(&mut group)));
            }
        }
        if group.is_empty() {
            group_y = span.y;
            group_size = span.size;
        }
        group.push(span);
    }
    if !group.is_empty() {
        lines.push(make_line(group));
    }
    lines.retain(|l: &Line| !l.cells.is_empty());
    lines.shrink_to_fit();
    Page { number, width, height, lines, hrules, vrules }
}

/// A cell while its line is being built: its edges and its pieces, each a
/// left edge and the text drawn from there up to the next word gap.
struct CellDraft {
    x0: f32,
    x1: f32,
    pieces: Vec<(f32, String)>,
}

fn make_line(mut spans: Vec<Span>) -> Line {
    spans.sort_by(|a, b| a.x0.total_cmp(&b.x0));
    let y = spans.iter().map(|s| s.y).sum::<f32>() / spans.len() as f32;
    let mut sizes: Vec<f32> = spans.iter().map(|s| s.size).collect();
    sizes.sort_by(f32::total_cmp);
    let size = sizes[sizes.len() / 2];
    let bold_chars: usize = spans.iter().filter(|s| s.bold).map(|s| s.text.len()).sum();
    let all_chars: usize = spans.iter().map(|s| s.text.len()).sum();
    let mut cells: Vec<CellDraft> = Vec::new();
    let mut prev: Option<&Span> = None;
    for s in &spans {
        let text = s.text.as_str();
        let new_piece;
        match prev {
            None => {
                cells.push(CellDraft { x0: s.x0, x1: s.x1, pieces: Vec::new() });
                new_piece = true;
            }
            Some(p) => {
                // Fake bold draws the same glyphs twice, a hair apart.
                if p.text == s.text && (s.x0 - p.x0).abs() < 0.3 * s.size {
                    continue;
                }
                let gap = s.x0 - cells.last().map_or(p.x1, |c| c.x1);
                let em = s.size.max(p.size);
                if gap >= CELL_GAP_EM * em {
                    cells.push(CellDraft { x0: s.x0, x1: s.x1, pieces: Vec::new() });
                    new_piece = true;
                } else {
                    let last = cells.last().and_then(|c| c.pieces.last()).map_or("", |p| p.1.as_str());
                    new_piece = gap >= WORD_GAP_EM * em || last.ends_with(char::is_whitespace) || text.starts_with(char::is_whitespace);
                }
            }
        }
        let cell = cells.last_mut().expect("a cell was pushed first");
        cell.x1 = cell.x1.max(s.x1);
        match cell.pieces.last_mut() {
            Some(last) if !new_piece => last.1.push_str(text),
            _ => cell.pieces.push((s.x0, text.to_string())),
        }
        prev = Some(s);
    }
    let mut cells: Vec<Cell> = cells
        .into_iter()
        .map(|draft| {
            let squashed: Vec<(f32, String)> = draft.pieces.into_iter().map(|(px, t)| (px, squash_spaces(&t))).collect();
            Cell::of_pieces(draft.x0, draft.x1, squashed.iter().map(|(px, t)| (*px, t.as_str())))
        })
        .filter(|c| !c.text.is_empty())
        .collect();
    cells.shrink_to_fit();
    let origin = spans.iter().map(|s| s.origin).find(|o| *o != Origin::Page).unwrap_or_default();
    Line { cells, y, size, bold: all_chars > 0 && bold_chars * 2 > all_chars, origin }
}

/// Collapse runs of white space (including no-break and other Unicode
/// spaces) to one ASCII space and trim. Characters that are canonically the
/// same as an ASCII one become it: some producers write every semicolon as
/// U+037E GREEK QUESTION MARK, which Unicode normalisation maps to ";".
pub fn squash_spaces(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for ch in s.chars() {
        if ch.is_whitespace() || ch == '\u{00a0}' || ch == '\u{200b}' {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(if ch == '\u{037e}' { ';' } else { ch });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(text: &str, x0: f32, x1: f32, y: f32) -> Span {
        Span { text: text.into(), x0, x1, y, size: 10.0, ..Span::default() }
    }

    #[test]
    fn words_cells_and_lines() {
        let raw = RawPage {
            number: 1,
            width: 600.0,
            height: 800.0,
            hrules: vec![],
            vrules: vec![],
            spans: vec![span("Due", 100.0, 118.0, 50.3), span("Item", 10.0, 30.0, 50.0), span("one", 32.0, 48.0, 50.0), span("Second", 10.0, 40.0, 64.0), span("line", 42.0, 60.0, 64.1)],
        };
        let page = build_page(raw);
        assert_eq!(page.lines.len(), 2);
        let cells: Vec<&str> = page.lines[0].cells.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(cells, ["Item one", "Due"]);
        assert_eq!(page.lines[1].text(), "Second line");
    }

    #[test]
    fn glyphs_without_gaps_join_into_words() {
        let spans = "Fee".chars().enumerate().map(|(i, c)| span(&c.to_string(), i as f32 * 5.0, i as f32 * 5.0 + 5.0, 10.0)).collect();
        let page = build_page(RawPage { number: 1, width: 100.0, height: 100.0, spans, ..RawPage::default() });
        assert_eq!(page.lines[0].text(), "Fee");
    }

    #[test]
    fn squash_handles_unicode_spaces() {
        assert_eq!(squash_spaces("  a\u{00a0} b\u{2009}c  "), "a b c");
        assert_eq!(squash_spaces("servers\u{037e} backups"), "servers; backups");
    }

    #[test]
    fn a_cell_keeps_its_words_and_splits_between_them() {
        let spans = vec![span("Phase", 10.0, 35.0, 20.0), span("one", 37.0, 52.0, 20.0), span("  30", 55.0, 70.0, 20.0), span("days", 72.0, 92.0, 20.0)];
        let page = build_page(RawPage { number: 1, width: 100.0, height: 100.0, spans, ..RawPage::default() });
        let cell = &page.lines[0].cells[0];
        assert_eq!(cell.text, "Phase one 30 days");
        let pieces: Vec<(f32, &str)> = cell.pieces().collect();
        assert_eq!(pieces, [(10.0, "Phase"), (37.0, "one"), (55.0, "30"), (72.0, "days")]);
        let (left, right) = cell.split_at_x(54.0).expect("splits before 30");
        assert_eq!((left.text.as_str(), left.x0, left.x1), ("Phase one", 10.0, 54.0));
        assert_eq!((right.text.as_str(), right.x0, right.x1), ("30 days", 55.0, 92.0));
        assert_eq!(right.pieces().collect::<Vec<_>>(), [(55.0, "30"), (72.0, "days")]);
        assert!(cell.split_at_x(5.0).is_none(), "nothing left of the first word");
    }
}
