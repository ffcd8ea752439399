//! Running the rules over one segment: which rules may run (the
//! prefilter), every pattern's matches and their role captures, a table
//! row's columns, and the items that follow a list rule's match.

use super::context::ceil_char;
use super::{Capture, Hit, Rejection, Rule, RuleKind, RuleSet, ROLES};
use crate::segment::{Segment, SegmentKind};

impl RuleSet {
    /// Rules matching one segment, and the candidates context conditions rejected.
    pub fn apply(&self, seg: &Segment, want_rejections: bool) -> (Vec<Hit>, Vec<Rejection>) {
        let mut hits = Vec::new();
        let mut rejections = Vec::new();
        let present = self.words_present(&seg.text);
        let mut candidates: Vec<usize> = match &present {
            Some(present) => {
                let mut c = self.unfiltered.clone();
                for (owners, _) in self.keyword_owner.iter().zip(present).filter(|(_, &p)| p) {
                    c.extend(owners);
                }
                c
            }
            None => (0..self.rules.len()).collect(),
        };
        if seg.kind == SegmentKind::TableRow && !seg.header.is_empty() {
            candidates.extend(self.table_rules.iter().copied());
        }
        candidates.sort_unstable();
        candidates.dedup();
        candidates.retain(|&ri| {
            let rule = &self.rules[ri];
            rule.segments.is_empty() || rule.segments.contains(&seg.kind)
        });
        if candidates.is_empty() {
            return (hits, rejections);
        }
        for ri in candidates {
            let rule = &self.rules[ri];
            for hit in rule.find_where(ri, seg, |pi| self.pattern_may_run(ri, pi, present.as_deref())) {
                match rule.context_rejects(seg, hit.span) {
                    None => hits.push(hit),
                    Some(reason) if want_rejections => rejections.push(Rejection { rule: ri, text: seg.text[hit.span.0..hit.span.1].to_string(), reason }),
                    Some(_) => {}
                }
            }
        }
        (hits, rejections)
    }

    /// Every match of rule `ri` in a segment (before context conditions),
    /// whatever the keyword prefilter says.
    pub(crate) fn find(&self, ri: usize, seg: &Segment) -> Vec<Hit> {
        let present = self.words_present(&seg.text);
        self.rules[ri].find_where(ri, seg, |pi| self.pattern_may_run(ri, pi, present.as_deref()))
    }
}

impl Rule {
    /// The records of a list rule: every `each` match in the text after the
    /// main hit and in the following segments, with the main hit's captures
    /// for the roles an item does not set. `segments[0]` holds the main hit.
    pub fn each_hits(&self, ri: usize, main: &Hit, segments: &[Segment]) -> Vec<(usize, Hit)> {
        let Some(re) = &self.each else { return Vec::new() };
        let mut out = Vec::new();
        for (j, seg) in segments.iter().enumerate().take(self.each_reach + 1) {
            let offset = if j == 0 { main.span.1 } else { 0 };
            let Some(text) = seg.text.get(offset..) else { break };
            let before = out.len();
            for caps in re.captures_iter(text) {
                let whole = caps.get(0).expect("group 0");
                let mut captures: Vec<Capture> = Vec::new();
                for name in re.capture_names().flatten() {
                    if let Some(m) = caps.name(name).filter(|m| !m.as_str().trim().is_empty()) {
                        let role = ROLES.iter().find(|r| **r == name).copied().unwrap_or("name");
                        captures.push(Capture { role, text: m.as_str().to_string(), span: Some((m.start() + offset, m.end() + offset)) });
                    }
                }
                for c in &main.captures {
                    if !captures.iter().any(|x| x.role == c.role) {
                        captures.push(Capture { span: None, ..c.clone() });
                    }
                }
                out.push((j, Hit { rule: ri, span: (whole.start() + offset, whole.end() + offset), captures }));
            }
            // The list ends at the first following segment with no item.
            if j > 0 && out.len() == before {
                break;
            }
        }
        out
    }

    /// Every match of this rule in a segment (before context conditions),
    /// trying only the patterns `may_run` (by index) lets through.
    fn find_where(&self, ri: usize, seg: &Segment, may_run: impl Fn(usize) -> bool) -> Vec<Hit> {
        let mut out = Vec::new();
        for (pi, (re, gate)) in self.patterns.iter().zip(&self.gates).enumerate() {
            if !may_run(pi) || !gate.may_match(re, &seg.text) {
                continue;
            }
            // Hits of earlier patterns: a later pattern's hit overlapping one is dropped.
            let earlier = out.len();
            let mut pos = 0;
            while let Some(caps) = re.captures_at(&seg.text, pos) {
                let whole = caps.get(0).expect("group 0");
                // A match that runs into the next clause (`exclude_inside`)
                // may hide a good one starting inside it: look again from
                // the match's second word.
                if self.inside_rejects(whole.as_str()).is_some() {
                    let skip = whole.as_str().char_indices().find(|(_, c)| c.is_whitespace()).map_or(whole.as_str().len(), |(i, _)| i.max(1));
                    pos = ceil_char(&seg.text, whole.start() + skip);
                    if pos >= seg.text.len() {
                        break;
                    }
                    continue;
                }
                // The next search starts after the last capture, not after the
                // whole match: a terminator the match consumed ("; ") may be
                // the opener of the next item in a list.
                let last_capture = re.capture_names().flatten().filter_map(|n| caps.name(n)).map(|m| m.end()).max().filter(|&e| e > whole.start());
                let next = last_capture.unwrap_or(whole.end());
                pos = if next > whole.start() { next } else { whole.end() + seg.text[whole.end()..].chars().next().map_or(1, char::len_utf8) };
                if pos > seg.text.len() {
                    pos = seg.text.len();
                }
                let mut captures = Vec::new();
                for name in re.capture_names().flatten() {
                    if let Some(m) = caps.name(name) {
                        let role = ROLES.iter().find(|r| **r == name).copied().unwrap_or("name");
                        if !m.as_str().trim().is_empty() {
                            captures.push(Capture { role, text: m.as_str().to_string(), span: Some((m.start(), m.end())) });
                        }
                    }
                }
                // Two patterns of one rule may find the same text; keep the first.
                if !out[..earlier].iter().any(|h: &Hit| h.span.0 < next && whole.start() < h.span.1) {
                    out.push(Hit { rule: ri, span: (whole.start(), next.max(whole.start())), captures });
                }
                if pos >= seg.text.len() {
                    break;
                }
            }
        }
        if out.is_empty() && !self.columns.is_empty() && seg.kind == SegmentKind::TableRow && !seg.header.is_empty() {
            let mut captures = Vec::new();
            let mut claimed: Vec<usize> = Vec::new();
            for (role, re) in &self.columns {
                // A column serves one role: the first unclaimed header that matches.
                // A name must have letters: an "Installment" column of bare
                // numbers gives way to the next matching column ("Due upon").
                let usable = |i: usize| role != "name" || seg.cells.get(i).is_some_and(|c| c.chars().filter(|ch| ch.is_alphabetic()).count() >= 3);
                let matched = (0..seg.header.len()).find(|&i| re.is_match(&seg.header[i]) && !(claimed.contains(&i) && role != "rel") && usable(i));
                // No header names the item column ("Key date | Guaranteed Date"):
                // the first column with words in it, when it is not the last.
                // (Schedule tables only: in a payment table an unnamed first
                // column is more often a budget category than an event.)
                let fallback = || (role == "name" && self.kind != RuleKind::Payment).then(|| (0..seg.cells.len().saturating_sub(1)).find(|&i| usable(i))).flatten();
                let Some(col) = matched.or_else(fallback) else { continue };
                claimed.push(col);
                let Some(cell) = seg.cells.get(col).filter(|c| !c.trim().is_empty()) else { continue };
                let role = ROLES.iter().find(|r| **r == role.as_str()).copied().unwrap_or("name");
                if captures.iter().any(|c: &Capture| c.role == role) {
                    continue;
                }
                let span = seg.text.find(cell.as_str()).map(|s| (s, s + cell.len()));
                captures.push(Capture { role, text: cell.clone(), span });
            }
            // The row must give the rule's essential role: a name and a date,
            // amount or percent (whatever columns the rule names beyond `name`).
            let has_name = captures.iter().any(|c| c.role == "name");
            let has_value = captures.iter().any(|c| c.role != "name" && c.role != "trigger");
            let needs_value = self.columns.iter().any(|(r, _)| r != "name" && r != "trigger");
            if has_name && (has_value || !needs_value) {
                out.push(Hit { rule: ri, span: (0, seg.text.len()), captures });
            }
        }
        out
    }
}
