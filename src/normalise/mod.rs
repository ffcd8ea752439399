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
pub mod numbers;
pub mod percent;
pub mod relative;
mod text;

#[cfg(test)]
mod proptests;

pub use amount::{dollar_currency, find_amounts, parse_amount, FoundAmount, Money};
pub use calendar::Calendar;
pub use date::{
    find_dates, infer_order, parse_date, DateOrder, FoundDate, OrderEvidence, Precision,
};
pub use numbers::{parse_number_words, parse_ordinal};
pub use percent::{find_percents, FoundPercent};
pub use relative::{apply, find_relatives, Direction, FoundRelative, Relative, Unit};

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
