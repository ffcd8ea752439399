//! Normalisers: pure functions that turn the text of a contract into typed
//! values — dates, relative deadlines, business-day arithmetic, money amounts,
//! percentages and number words. They know nothing about PDFs, so they can be
//! tested on strings alone and run over every sentence of every document.
//!
//! Every `find_*` function returns non-overlapping matches in text order, with
//! byte offsets into the text it was given (the finders tolerate PDF noise such
//! as odd spaces and words hyphenated across lines and map spans back). A
//! normaliser that cannot read its input returns nothing; it never guesses.

pub mod amount;
pub mod calendar;
pub mod date;
pub mod money;
pub mod numbers;
pub mod percent;
pub mod period;
pub mod relative;
mod text;

#[cfg(test)]
mod proptests;

#[cfg(test)]
mod tests {
    #[test]
    fn compile_makes_word_boundaries_ascii_and_leaves_escapes_alone() {
        let re = super::compile(r"\bpounds?\b|\\b|\Bx").unwrap();
        assert_eq!(re.as_str(), r"(?-u:\b)pounds?(?-u:\b)|\\b|(?-u:\B)x");
        // Same answers as Unicode boundaries next to ASCII and to non-word
        // characters such as curly quotes.
        assert!(re.is_match("“pounds”"));
        assert!(!re.is_match("poundsterling"));
    }
}

pub use amount::{dollar_currency, find_amounts, find_amounts_with, may_contain_amount, parse_amount, FoundAmount};
pub use calendar::Calendar;
pub use date::{find_dates, find_dates_with, infer_order, parse_date, parse_date_with, DateOrder, FoundDate, OrderEvidence, Precision, MONTH_NAMES};
pub use money::{Cents, Currency, Money, MoneyError};
pub use numbers::{parse_number_words, parse_ordinal};
pub use percent::{find_percents, FoundPercent};
pub use period::{find_period, opt_out_deadline, parse_count, parse_period, term_as_of, Period, Renewal, RenewalKind, TermAsOf};
pub use relative::{anchor_key, apply, find_relatives, Direction, FoundRelative, Relative, Unit};

/// Compile a normaliser's pattern with ASCII word boundaries: every `\b`
/// (and `\B`) becomes `(?-u:\b)`.
///
/// Why: the regex crate's fast engine (a lazy DFA) cannot evaluate a Unicode
/// `\b` once the text holds a non-ASCII character, and then falls back to a
/// much slower NFA simulation; PDF text nearly always holds one (curly
/// quotes, dashes, "§"), and some of these patterns scan a whole document
/// (figures: `docs/performance.md`). The boundaries here sit
/// around digits, month names, currency codes and number words, where an
/// ASCII boundary means the same; the classes (`\w`, `\d`, `(?i)`) stay
/// Unicode.
pub(crate) fn compile(pattern: &str) -> Result<regex::Regex, regex::Error> {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some(b @ ('b' | 'B')) => {
                out.push_str("(?-u:\\");
                out.push(b);
                out.push(')');
            }
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    regex::Regex::new(&out)
}

/// A whole document's text as [`document_date_order`] and
/// [`document_dollar`] read it, cleaned once for both; `None` when cleaning
/// changes nothing (then they read the text itself).
pub fn clean_document(full_text: &str) -> Option<String> {
    match text::Cleaned::new(full_text).text {
        std::borrow::Cow::Owned(cleaned) => Some(cleaned),
        std::borrow::Cow::Borrowed(_) => None,
    }
}

/// What a whole document (cleaned: [`clean_document`]) says about how to
/// read its numeric dates: the order, and whether evidence (not the
/// default) decided it.
pub fn document_date_order(cleaned: &str) -> (DateOrder, bool) {
    OrderEvidence::gather_cleaned(cleaned).decide()
}

/// The currency a bare `$` means in a whole document (cleaned:
/// [`clean_document`]).
pub fn document_dollar(cleaned: &str) -> Currency {
    amount::dollar_currency_cleaned(cleaned)
}

/// Anything found at a byte span of a searched text.
pub trait Spanned {
    /// The byte range in the searched text.
    fn span(&self) -> std::ops::Range<usize>;

    /// True when the two spans share at least one byte.
    fn overlaps(&self, other: &dyn Spanned) -> bool {
        let (a, b) = (self.span(), other.span());
        a.start < b.end && b.start < a.end
    }
}

macro_rules! spanned {
    ($($t:ty),*) => {$(
        impl Spanned for $t {
            fn span(&self) -> std::ops::Range<usize> {
                self.start..self.end
            }
        }
    )*};
}
spanned!(FoundDate, FoundRelative, FoundAmount, FoundPercent);
