//! English number words to integers: cardinals ("thirty", "twenty-five",
//! "one hundred and twenty", "two thousand twenty-five") and ordinals ("first",
//! "21st", "twenty-first"). The other normalisers use these for the words in
//! "thirty (30) days", "Fifty Thousand Dollars" and "the first day of March".

const SMALL: [&str; 20] =
    ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"];

const TENS: [(&str, u64); 9] = [
    ("twenty", 20),
    ("thirty", 30),
    ("forty", 40),
    ("fourty", 40), // a common misspelling in contracts
    ("fifty", 50),
    ("sixty", 60),
    ("seventy", 70),
    ("eighty", 80),
    ("ninety", 90),
];

const SCALES: [(&str, u64); 4] = [("thousand", 1_000), ("million", 1_000_000), ("billion", 1_000_000_000), ("trillion", 1_000_000_000_000)];

/// Ordinal word → the cardinal word it stands for.
const ORDINALS: [(&str, &str); 32] = [
    ("first", "one"),
    ("second", "two"),
    ("third", "three"),
    ("fourth", "four"),
    ("fifth", "five"),
    ("sixth", "six"),
    ("seventh", "seven"),
    ("eighth", "eight"),
    ("ninth", "nine"),
    ("tenth", "ten"),
    ("eleventh", "eleven"),
    ("twelfth", "twelve"),
    ("thirteenth", "thirteen"),
    ("fourteenth", "fourteen"),
    ("fifteenth", "fifteen"),
    ("sixteenth", "sixteen"),
    ("seventeenth", "seventeen"),
    ("eighteenth", "eighteen"),
    ("nineteenth", "nineteen"),
    ("twentieth", "twenty"),
    ("thirtieth", "thirty"),
    ("fortieth", "forty"),
    ("fiftieth", "fifty"),
    ("sixtieth", "sixty"),
    ("seventieth", "seventy"),
    ("eightieth", "eighty"),
    ("ninetieth", "ninety"),
    ("hundredth", "hundred"),
    ("thousandth", "thousand"),
    ("millionth", "million"),
    ("billionth", "billion"),
    ("zeroth", "zero"),
];

/// Regex fragment (no groups) matching a run of cardinal number words, e.g.
/// "two thousand and twenty-five"; callers add `\b` and `(?i)`.
pub(crate) fn number_words_pattern() -> String {
    let mut words: Vec<&str> = SMALL.to_vec();
    words.extend(TENS.iter().map(|t| t.0));
    words.push("hundred");
    words.extend(SCALES.iter().map(|t| t.0));
    words.sort_by_key(|w| std::cmp::Reverse(w.len()));
    let alt = words.join("|");
    format!(r"(?:{alt})(?:(?:\s?-\s?|\s)(?:and\s)?(?:{alt}))*")
}

/// Regex fragment (no groups) matching ordinal words from "first" to "ninety-ninth".
pub(crate) fn ordinal_words_pattern() -> String {
    let tens = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety";
    let mut units: Vec<&str> = ORDINALS[..19].iter().map(|o| o.0).collect();
    units.sort_by_key(|w| std::cmp::Reverse(w.len()));
    let units = units.join("|");
    let tenths = ORDINALS[19..27].iter().map(|o| o.0).collect::<Vec<_>>().join("|");
    format!(r"(?:(?:(?:{tens})(?:\s?-\s?|\s))?(?:{units})|{tenths})")
}

fn small_value(w: &str) -> Option<u64> {
    if let Some(i) = SMALL.iter().position(|s| *s == w) {
        return Some(i as u64);
    }
    TENS.iter().find(|t| t.0 == w).map(|t| t.1)
}

fn scale_value(w: &str) -> Option<u64> {
    SCALES.iter().find(|t| t.0 == w).map(|t| t.1)
}

/// Parse "tens [unit] | teen | unit" (1..=99) at `i`; "a" counts as 1 only before
/// "hundred" or a scale word ("a hundred", "a thousand").
fn below_100(t: &[&str], i: usize) -> Option<(u64, usize)> {
    let w = *t.get(i)?;
    if w == "a" {
        let next = *t.get(i + 1)?;
        return (next == "hundred" || scale_value(next).is_some()).then_some((1, i + 1));
    }
    let v = small_value(w)?;
    if v == 0 {
        return None;
    }
    if v >= 20 {
        if let Some(u) = t.get(i + 1).and_then(|n| small_value(n)) {
            if (1..=9).contains(&u) {
                return Some((v + u, i + 2));
            }
        }
    }
    Some((v, i + 1))
}

/// Parse a group below a scale word: "[n hundred] [and] [n]" (1..=9999 allowing
/// "twenty-five hundred").
fn group(t: &[&str], i: usize) -> Option<(u64, usize)> {
    let (mut v, mut j) = below_100(t, i)?;
    if t.get(j) == Some(&"hundred") {
        v *= 100;
        j += 1;
        if t.get(j) == Some(&"and") {
            j += 1;
        }
        if let Some((r, k)) = below_100(t, j) {
            v += r;
            j = k;
        } else if j > 0 && t.get(j - 1) == Some(&"and") {
            j -= 1; // a dangling "and" is not part of the number
        }
    }
    Some((v, j))
}

fn parse_tokens(t: &[&str]) -> Option<u64> {
    if t.is_empty() {
        return None;
    }
    if t == ["zero"] {
        return Some(0);
    }
    let mut total: u64 = 0;
    let mut last_scale = u64::MAX;
    let mut i = 0;
    loop {
        let (g, j) = group(t, i)?;
        i = j;
        if i == t.len() {
            return total.checked_add(g);
        }
        let scale = scale_value(t[i])?;
        if scale >= last_scale {
            return None;
        }
        last_scale = scale;
        total = total.checked_add(g.checked_mul(scale)?)?;
        i += 1;
        if i == t.len() {
            return Some(total);
        }
        if t[i] == "and" {
            // "two thousand and twenty-five"
            i += 1;
            if i == t.len() {
                return None;
            }
        }
    }
}

/// Split into lowercase word tokens; hyphens and commas separate words.
fn tokens(s: &str, buf: &mut String) -> Option<()> {
    if !s.is_ascii() {
        return None;
    }
    buf.clear();
    for c in s.chars() {
        buf.push(match c {
            '-' | ',' => ' ',
            c => c.to_ascii_lowercase(),
        });
    }
    Some(())
}

/// Parse English cardinal number words ("one hundred and twenty") to a number.
pub fn parse_number_words(s: &str) -> Option<u64> {
    let mut buf = String::with_capacity(s.len());
    tokens(s, &mut buf)?;
    let t: Vec<&str> = buf.split_whitespace().collect();
    if t.first() == Some(&"and") || t.last() == Some(&"and") {
        return None;
    }
    parse_tokens(&t)
}

/// Parse an ordinal ("first", "twenty-first", "21st", "21 st") to its number.
pub fn parse_ordinal(s: &str) -> Option<u32> {
    let s = s.trim();
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        let n_end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
        let suffix = s[n_end..].trim_start().to_ascii_lowercase();
        if !matches!(suffix.as_str(), "st" | "nd" | "rd" | "th") || n_end > 9 {
            return None;
        }
        let n: u32 = s[..n_end].parse().ok()?;
        return (n > 0).then_some(n);
    }
    let mut buf = String::with_capacity(s.len());
    tokens(s, &mut buf)?;
    let mut t: Vec<&str> = buf.split_whitespace().collect();
    let last = t.last_mut()?;
    *last = ORDINALS.iter().find(|o| o.0 == *last)?.1;
    let n = parse_tokens(&t)?;
    if n == 0 {
        return None;
    }
    u32::try_from(n).ok()
}

#[cfg(test)]
pub(crate) fn to_words(n: u64) -> String {
    fn below_1000(n: u64, out: &mut Vec<String>) {
        if n >= 100 {
            out.push(SMALL[(n / 100) as usize].to_string());
            out.push("hundred".into());
        }
        let r = n % 100;
        if r >= 20 {
            let tens = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];
            match r % 10 {
                0 => out.push(tens[(r / 10) as usize].into()),
                u => out.push(format!("{}-{}", tens[(r / 10) as usize], SMALL[u as usize])),
            }
        } else if r > 0 {
            out.push(SMALL[r as usize].into());
        }
    }
    if n == 0 {
        return "zero".into();
    }
    let mut out = Vec::new();
    let mut rest = n;
    for (name, scale) in SCALES.iter().rev() {
        if rest >= *scale {
            below_1000(rest / scale, &mut out);
            out.push((*name).into());
            rest %= scale;
        }
    }
    below_1000(rest, &mut out);
    out.join(" ")
}

#[cfg(test)]
pub(crate) fn to_ordinal_words(n: u32) -> String {
    let w = to_words(n as u64);
    let (head, last) = match w.rfind([' ', '-']) {
        Some(i) => (&w[..=i], &w[i + 1..]),
        None => ("", w.as_str()),
    };
    let ord = ORDINALS.iter().find(|o| o.1 == last).map(|o| o.0).unwrap();
    format!("{head}{ord}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn cardinals() {
        let cases: &[(&str, Option<u64>)] = &[
            ("zero", Some(0)),
            ("one", Some(1)),
            ("thirty", Some(30)),
            ("Thirty", Some(30)),
            ("twenty-five", Some(25)),
            ("twenty five", Some(25)),
            ("ninety-nine", Some(99)),
            ("one hundred", Some(100)),
            ("a hundred", Some(100)),
            ("one hundred twenty", Some(120)),
            ("one hundred and twenty", Some(120)),
            ("One Hundred Twenty-Five", Some(125)),
            ("two thousand twenty-five", Some(2025)),
            ("two thousand and twenty-five", Some(2025)),
            ("twenty-five hundred", Some(2500)),
            ("fifty thousand", Some(50_000)),
            ("Fifty Thousand", Some(50_000)),
            ("two million five hundred thousand", Some(2_500_000)),
            ("one million, two hundred thousand", Some(1_200_000)),
            ("nine hundred ninety-nine thousand nine hundred ninety-nine", Some(999_999)),
            ("three billion", Some(3_000_000_000)),
            ("fourty", Some(40)),
            ("nineteen hundred ninety-nine", Some(1999)),
            // negatives
            ("", None),
            ("and", None),
            ("thirty and", None),
            ("five five", None),
            ("twenty thirty", None),
            ("thousand", None),
            ("one thousand one million", None),
            ("ten 10", None),
            ("thirtyfive", None),
            ("first", None),
            ("a", None),
            ("zero one", None),
            ("twenty zero", None),
            ("dreißig", None),
        ];
        for (s, want) in cases {
            assert_eq!(parse_number_words(s), *want, "input {s:?}");
        }
    }

    #[test]
    fn ordinals() {
        let cases: &[(&str, Option<u32>)] = &[
            ("first", Some(1)),
            ("First", Some(1)),
            ("1st", Some(1)),
            ("1 st", Some(1)),
            ("2nd", Some(2)),
            ("3rd", Some(3)),
            ("third", Some(3)),
            ("twelfth", Some(12)),
            ("twenty-first", Some(21)),
            ("twenty first", Some(21)),
            ("thirty-first", Some(31)),
            ("21ST", Some(21)),
            ("twentieth", Some(20)),
            ("one hundredth", Some(100)),
            ("one hundred and first", Some(101)),
            ("fifteenth", Some(15)),
            // negatives
            ("", None),
            ("1", None),
            ("one", None),
            ("0th", None),
            ("zeroth", None),
            ("1xx", None),
            ("first second", None),
            ("twenty-first day", None),
        ];
        for (s, want) in cases {
            assert_eq!(parse_ordinal(s), *want, "input {s:?}");
        }
    }

    #[test]
    fn patterns_match_whole_words() {
        let re = regex::Regex::new(&format!(r"(?i)^{}$", number_words_pattern())).unwrap();
        for s in ["twenty-five", "two thousand and twenty-five", "Fifty Thousand", "seventeen"] {
            assert!(re.is_match(s), "{s}");
        }
        let ord = regex::Regex::new(&format!(r"(?i)^{}$", ordinal_words_pattern())).unwrap();
        for s in ["first", "twenty-first", "thirtieth", "Fifteenth", "seventeenth"] {
            assert!(ord.is_match(s), "{s}");
        }
    }

    proptest! {
        #[test]
        fn cardinal_words_round_trip(n in 0u64..10_000_000_000) {
            prop_assert_eq!(parse_number_words(&to_words(n)), Some(n));
        }

        #[test]
        fn ordinal_words_round_trip(n in 1u32..100_000) {
            prop_assert_eq!(parse_ordinal(&to_ordinal_words(n)), Some(n));
        }
    }
}
