//! Money as values: an exact amount in hundredths ([`Cents`]), an ISO 4217
//! code ([`Currency`]) and the two together ([`Money`]). The output writes
//! an amount as `{"value": "50000.00", "currency": "USD"}`; these types
//! write and read exactly that, so the readers of a run (`due`, `check`,
//! `diff` ...) get numbers and never parse the text again.

use std::fmt;
use std::str::FromStr;

use serde::de::{self, Unexpected};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An amount in hundredths of its currency's unit, whatever the currency:
/// the output writes every amount with two places (yen too). An integer,
/// so sums are exact; i128, so no amount a contract states overflows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Cents(pub i128);

/// A value that is not what [`Cents`], [`Currency`] or [`Money`] read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    /// Not a decimal with exactly two places.
    #[error("`{0}` is not a decimal with two places, like 50000.00")]
    Value(String),
    /// Not three capital letters.
    #[error("`{0}` is not an ISO 4217 code (three capital letters, like USD)")]
    Currency(String),
    /// Not a value, a space and a code.
    #[error("`{0}` is not an amount and a currency, like 50000.00 USD")]
    Money(String),
}

impl Cents {
    /// With thousands grouped: `-1234567.50` → `-1,234,567.50`.
    pub fn grouped(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let a = self.0.unsigned_abs();
        let int = (a / 100).to_string();
        let mut g = String::with_capacity(int.len() + int.len() / 3);
        for (i, ch) in int.chars().enumerate() {
            if i > 0 && (int.len() - i).is_multiple_of(3) {
                g.push(',');
            }
            g.push(ch);
        }
        format!("{sign}{g}.{:02}", a % 100)
    }
}

/// Sums of amounts (totals per currency).
impl std::ops::AddAssign for Cents {
    fn add_assign(&mut self, other: Cents) {
        self.0 += other.0;
    }
}

/// The decimal with two places: `50000.00`, `-2.50`.
impl fmt::Display for Cents {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let a = self.0.unsigned_abs();
        f.pad(&format!("{sign}{}.{:02}", a / 100, a % 100))
    }
}

/// Exactly what [`Display`](fmt::Display) writes (and the JSON Schema
/// allows): an optional `-`, digits, `.`, two digits.
impl FromStr for Cents {
    type Err = MoneyError;

    fn from_str(s: &str) -> Result<Cents, MoneyError> {
        let bad = || MoneyError::Value(s.to_string());
        let (neg, digits) = s.strip_prefix('-').map_or((false, s), |rest| (true, rest));
        let (int, frac) = digits.split_once('.').ok_or_else(bad)?;
        if int.is_empty() || frac.len() != 2 || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let whole: u128 = int.parse().map_err(|_| bad())?;
        let hundredths: u128 = frac.parse().map_err(|_| bad())?;
        let abs = whole.checked_mul(100).and_then(|w| w.checked_add(hundredths)).ok_or_else(bad)?;
        // Through u128, so that i128::MIN (one more than MAX) reads too.
        let v = if neg { 0i128.checked_sub_unsigned(abs) } else { i128::try_from(abs).ok() };
        v.map(Cents).ok_or_else(bad)
    }
}

impl Serialize for Cents {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Cents {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Cents, D::Error> {
        struct V;
        impl de::Visitor<'_> for V {
            type Value = Cents;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a decimal string with two places, like \"50000.00\"")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Cents, E> {
                s.parse().map_err(|_| E::invalid_value(Unexpected::Str(s), &self))
            }
        }
        d.deserialize_str(V)
    }
}

/// An ISO 4217 currency code: three ASCII capital letters. Any such code
/// reads (a run may name one the finders do not know); the finders make
/// only the codes they list.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Currency([u8; 3]);

impl Currency {
    /// US dollars: what `$` means unless a document names another dollar.
    pub const USD: Currency = Currency::code(b"USD");

    /// A code known at compile time; not three capital letters fails the build.
    pub const fn code(code: &[u8; 3]) -> Currency {
        assert!(code[0].is_ascii_uppercase() && code[1].is_ascii_uppercase() && code[2].is_ascii_uppercase(), "a currency code is three capital letters");
        Currency(*code)
    }

    /// The code: `USD`.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).expect("ASCII letters by construction")
    }
}

impl FromStr for Currency {
    type Err = MoneyError;

    fn from_str(s: &str) -> Result<Currency, MoneyError> {
        match s.as_bytes() {
            &[a, b, c] if [a, b, c].iter().all(u8::is_ascii_uppercase) => Ok(Currency([a, b, c])),
            _ => Err(MoneyError::Currency(s.to_string())),
        }
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// `Currency("USD")`, not the bytes.
impl fmt::Debug for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Currency({:?})", self.as_str())
    }
}

impl Serialize for Currency {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Currency, D::Error> {
        struct V;
        impl de::Visitor<'_> for V {
            type Value = Currency;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an ISO 4217 code, three capital letters like \"USD\"")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Currency, E> {
                s.parse().map_err(|_| E::invalid_value(Unexpected::Str(s), &self))
            }
        }
        d.deserialize_str(V)
    }
}

/// An amount of money as the output contract writes it:
/// `{"value": "50000.00", "currency": "USD"}` (the two fields write and
/// read themselves as strings, so the derive keeps that shape and order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Money {
    /// The amount, written with two places.
    pub value: Cents,
    /// Its currency.
    pub currency: Currency,
}

impl Money {
    /// Build from integer minor units (cents); negative values keep their sign.
    pub fn from_minor(minor: i128, currency: Currency) -> Money {
        Money { value: Cents(minor), currency }
    }
}

/// `50000.00 USD`, as tables, calendars and rule examples write an amount.
impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.value, self.currency)
    }
}

/// What [`Display`](fmt::Display) writes: `50000.00 USD`.
impl FromStr for Money {
    type Err = MoneyError;

    fn from_str(s: &str) -> Result<Money, MoneyError> {
        let (value, currency) = s.split_once(' ').ok_or_else(|| MoneyError::Money(s.to_string()))?;
        Ok(Money { value: value.parse()?, currency: currency.parse()? })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn money(s: &str) -> Money {
        s.parse().unwrap()
    }

    #[test]
    fn json_is_the_output_contract_both_ways() {
        let cases = [
            (Money::from_minor(5_000_000, Currency::USD), r#"{"value":"50000.00","currency":"USD"}"#),
            (Money::from_minor(0, Currency::code(b"EUR")), r#"{"value":"0.00","currency":"EUR"}"#),
            (Money::from_minor(5, Currency::code(b"JPY")), r#"{"value":"0.05","currency":"JPY"}"#),
            (Money::from_minor(-250, Currency::USD), r#"{"value":"-2.50","currency":"USD"}"#),
            (Money::from_minor(-7, Currency::USD), r#"{"value":"-0.07","currency":"USD"}"#),
            // Larger than any i64 of cents, and the largest and smallest there are.
            (Money::from_minor(123_456_789_012_345_678_901_234, Currency::code(b"INR")), r#"{"value":"1234567890123456789012.34","currency":"INR"}"#),
            (Money::from_minor(i128::MAX, Currency::USD), r#"{"value":"1701411834604692317316873037158841057.27","currency":"USD"}"#),
            (Money::from_minor(i128::MIN, Currency::USD), r#"{"value":"-1701411834604692317316873037158841057.28","currency":"USD"}"#),
        ];
        for (m, json) in cases {
            assert_eq!(serde_json::to_string(&m).unwrap(), json);
            assert_eq!(serde_json::from_str::<Money>(json).unwrap(), m, "{json}");
        }
        // Pretty JSON (`--format json`) has the same two fields in the same order.
        assert_eq!(serde_json::to_string_pretty(&money("1.00 USD")).unwrap(), "{\n  \"value\": \"1.00\",\n  \"currency\": \"USD\"\n}");
    }

    #[test]
    fn values_are_decimals_with_two_places() {
        assert_eq!("50000.00".parse(), Ok(Cents(5_000_000)));
        assert_eq!("-0.05".parse(), Ok(Cents(-5)));
        assert_eq!("007.10".parse(), Ok(Cents(710)));
        for bad in
            ["50000", "12.5", "1.234", ".50", "-", "1,000.00", " 1.00", "+1.00", "1.0a", "--1.00", "1e3.00", "1701411834604692317316873037158841057.28", "99999999999999999999999999999999999999999.00"]
        {
            assert_eq!(bad.parse::<Cents>(), Err(MoneyError::Value(bad.into())), "{bad:?}");
        }
        let e = serde_json::from_str::<Money>(r#"{"value":"12.5","currency":"USD"}"#).unwrap_err().to_string();
        assert!(e.contains("invalid value: string \"12.5\", expected a decimal string with two places"), "{e}");
        // A number is not a value: the contract writes strings.
        assert!(serde_json::from_str::<Money>(r#"{"value":12.5,"currency":"USD"}"#).is_err());
    }

    #[test]
    fn currency_codes_are_three_capital_letters() {
        assert_eq!("CHF".parse::<Currency>().map(|c| c.to_string()), Ok("CHF".to_string()));
        for bad in ["usd", "US", "USDX", "", "U$D", "ÜSD", "US "] {
            assert_eq!(bad.parse::<Currency>(), Err(MoneyError::Currency(bad.into())), "{bad:?}");
        }
        let e = serde_json::from_str::<Money>(r#"{"value":"1.00","currency":"usd"}"#).unwrap_err().to_string();
        assert!(e.contains("invalid value: string \"usd\", expected an ISO 4217 code"), "{e}");
        assert_eq!(format!("{:?}", Currency::USD), "Currency(\"USD\")");
        // Ordered as their codes are (totals per currency come out sorted).
        assert!(Currency::code(b"EUR") < Currency::code(b"GBP") && Currency::code(b"GBP") < Currency::USD);
    }

    #[test]
    fn text_forms() {
        assert_eq!(money("1250000.50 EUR").to_string(), "1250000.50 EUR");
        assert_eq!(Cents(123_456_789).grouped(), "1,234,567.89");
        assert_eq!(Cents(-100_000).grouped(), "-1,000.00");
        assert_eq!(Cents(5).grouped(), "0.05");
        assert_eq!(format!("{:>8}|", Cents(150)), "    1.50|");
        assert!("1.00USD".parse::<Money>().is_err());
        assert_eq!("1.00 usd".parse::<Money>(), Err(MoneyError::Currency("usd".into())));
    }
}
