//! The context conditions of a rule: what around a match rejects it (the
//! words the segment must have, the section heading, the table's columns,
//! what must not be near or inside the match).

use super::Rule;
use crate::segment::Segment;

impl Rule {
    /// Why `exclude_inside` rejects a matched text, if it does.
    pub(super) fn inside_rejects(&self, matched: &str) -> Option<String> {
        let past_first_word = matched.char_indices().find(|(_, c)| c.is_whitespace()).map_or(matched.len(), |(i, _)| i);
        let rest = &matched[past_first_word..];
        self.exclude_inside.iter().find_map(|(src, re)| re.find(rest).map(|m| format!("excluded by `{src}` inside the match (\"{}\")", m.as_str())))
    }

    /// Why the context rejects a match, if it does.
    pub(crate) fn context_rejects(&self, seg: &Segment, span: (usize, usize)) -> Option<String> {
        // A paragraph's run-in title ("1.3 Renewal.") is context of each of
        // its sentences.
        if !self.require.is_empty() && !self.require.iter().any(|r| r.is_match(&seg.text) || r.is_match(&seg.title)) {
            return Some("none of the required words is in the segment or its title".into());
        }
        if !self.heading.is_empty() && !self.heading.iter().any(|r| r.is_match(&seg.heading)) {
            return Some(format!("the section heading {:?} is not one the rule applies under", seg.heading));
        }
        if let Some((src, h)) = self.skip_headers.iter().find_map(|(src, r)| seg.header.iter().find(|h| r.is_match(h)).map(|h| (src, h))) {
            return Some(format!("the table's column {h:?} matches skip_headers `{src}`"));
        }
        if let Some((src, _)) = self.not_heading.iter().find(|(_, r)| r.is_match(&seg.heading)) {
            return Some(format!("the section heading {:?} matches excluded heading `{src}`", seg.heading));
        }
        if let Some(why) = seg.text.get(span.0..span.1).and_then(|m| self.inside_rejects(m)) {
            return Some(why);
        }
        let (lo, hi) = match self.window {
            Some(w) => (floor_char(&seg.text, span.0.saturating_sub(w)), ceil_char(&seg.text, (span.1 + w).min(seg.text.len()))),
            None => (0, seg.text.len()),
        };
        let context = &seg.text[lo..hi];
        for (src, re) in &self.exclude {
            if let Some(m) = re.find(context) {
                return Some(format!("excluded by `{src}` (\"{}\" is near)", m.as_str()));
            }
        }
        None
    }
}

fn floor_char(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

pub(super) fn ceil_char(s: &str, mut i: usize) -> usize {
    while i < s.len() && !s.is_char_boundary(i) {
        i += 1;
    }
    i
}
