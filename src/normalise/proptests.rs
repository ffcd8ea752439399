//! Property tests across the normalisers: every date written in every supported
//! style reads back, every amount in every grouping style reads back, and the
//! date arithmetic agrees with naive day-by-day counting.

use chrono::{Datelike, Days, NaiveDate};
use proptest::prelude::*;

use super::amount::{find_amounts, parse_amount};
use super::calendar::Calendar;
use super::date::{find_dates, parse_date, DateOrder, Precision};
use super::money::{Cents, Currency, Money};
use super::numbers::{to_ordinal_words, to_words};
use super::relative::{apply, Direction, Unit};

const MONTHS: [&str; 12] = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const ABBR: [&str; 12] = ["Jan.", "Feb.", "Mar.", "Apr.", "May", "Jun.", "Jul.", "Aug.", "Sept.", "Oct.", "Nov.", "Dec."];
const STYLES: usize = 24;

fn day_from(i: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(1990, 1, 1).unwrap().checked_add_days(Days::new(i as u64)).unwrap()
}

/// Days from 1990-01-01 to 2060-12-31 inclusive.
fn span_days() -> u32 {
    (NaiveDate::from_ymd_opt(2060, 12, 31).unwrap() - NaiveDate::from_ymd_opt(1990, 1, 1).unwrap()).num_days() as u32 + 1
}

fn suffix(n: u32) -> &'static str {
    match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    }
}

/// `d` written in style `style`, the order to read it with, and its precision.
fn render(d: NaiveDate, style: usize) -> (String, DateOrder, Precision) {
    let (y, m, dd) = (d.year(), d.month(), d.day());
    let name = MONTHS[m as usize - 1];
    let abbr = ABBR[m as usize - 1];
    let short = &name[..3];
    let ord = format!("{dd}{}", suffix(dd));
    let yy = y % 100;
    let mdy = DateOrder::Mdy;
    let day = Precision::Day;
    match style {
        0 => (format!("{name} {dd}, {y}"), mdy, day),
        1 => (format!("{abbr} {dd}, {y}"), mdy, day),
        2 => (format!("{dd} {name} {y}"), mdy, day),
        3 => (format!("{ord} {name} {y}"), mdy, day),
        4 => (format!("{name} {ord}, {y}"), mdy, day),
        5 => (format!("the {ord} day of {name}, {y}"), mdy, day),
        6 => (format!("the {} ({ord}) day of {name}, {y}", to_ordinal_words(dd)), mdy, day),
        7 => (format!("this {ord} day of {name} {y}"), mdy, day),
        8 => (format!("the {} day of {name}, {}", to_ordinal_words(dd), to_words(y as u64)), mdy, day),
        9 => (format!("{m:02}/{dd:02}/{y}"), mdy, day),
        10 => (format!("{dd:02}/{m:02}/{y}"), DateOrder::Dmy, day),
        11 => (format!("{m}/{dd}/{yy:02}"), mdy, day),
        12 => (format!("{dd}/{m}/{yy:02}"), DateOrder::Dmy, day),
        13 => (format!("{y}-{m:02}-{dd:02}"), DateOrder::Dmy, day),
        14 => (format!("{dd:02}.{m:02}.{y}"), mdy, day),
        15 => (format!("{dd}-{short}-{y}"), mdy, day),
        16 => (format!("{name} {dd} {y}"), mdy, day),
        17 => (format!("{name}\u{00A0}{dd} ,\u{2009}{y}"), mdy, day),
        18 if name.len() > 3 => (format!("{}-\n{} {dd}, {y}", &name[..3], &name[3..]), mdy, day),
        18 => (format!("{name}  {dd},\n{y}"), mdy, day),
        19 => (format!("{dd} {} {name} {y}", suffix(dd)), mdy, day),
        20 => (format!("{name} {y}"), mdy, Precision::Month),
        21 => (format!("{dd:02}-{short}-{yy:02}"), mdy, day),
        22 => (format!("the {ord} of {name}, {y}"), mdy, day),
        _ => (format!("{} {dd}, {y}", name.to_uppercase()), mdy, day),
    }
}

/// Minor units written with grouping `sep` every three digits (or Indian lakh
/// grouping) and decimal mark `dec`.
fn group(minor: u64, sep: &str, dec: &str, indian: bool) -> String {
    let int = (minor / 100).to_string();
    let mut parts: Vec<&str> = Vec::new();
    let (mut head, tail) = if int.len() > 3 { int.split_at(int.len() - 3) } else { ("", int.as_str()) };
    let step = if indian { 2 } else { 3 };
    while head.len() > step {
        let (h, p) = head.split_at(head.len() - step);
        parts.push(p);
        head = h;
    }
    if !head.is_empty() {
        parts.push(head);
    }
    parts.reverse();
    parts.push(tail);
    format!("{}{dec}{:02}", parts.join(sep), minor % 100)
}

/// The amount written in grouping style `style` with a currency marker.
fn render_amount(minor: u64, style: usize) -> (String, Currency) {
    let (s, code) = render_amount_code(minor, style);
    (s, code.parse().unwrap())
}

fn render_amount_code(minor: u64, style: usize) -> (String, &'static str) {
    match style {
        0 => (format!("${}", group(minor, ",", ".", false)), "USD"),
        1 => (format!("EUR {}", group(minor, ".", ",", false)), "EUR"),
        2 => (format!("{} €", group(minor, ".", ",", false)), "EUR"),
        3 => (format!("{} €", group(minor, " ", ",", false)), "EUR"),
        4 => (format!("₹{}", group(minor, ",", ".", true)), "INR"),
        5 => (format!("INR {}", group(minor, ",", ".", true)), "INR"),
        6 => (format!("CHF {}", group(minor, "'", ".", false)), "CHF"),
        7 => (format!("£{}", group(minor, ",", ".", false)), "GBP"),
        _ => (format!("{} EUR", group(minor, "\u{202F}", ",", false)), "EUR"),
    }
}

fn naive_business(anchor: NaiveDate, n: u32, after: bool, cal: &Calendar) -> NaiveDate {
    let mut d = anchor;
    let mut left = n;
    while left > 0 {
        d = if after { d.succ_opt().unwrap() } else { d.pred_opt().unwrap() };
        if cal.is_business_day(d) {
            left -= 1;
        }
    }
    d
}

fn days_in_month(y: i32, m: u32) -> u32 {
    let next = if m == 12 { NaiveDate::from_ymd_opt(y + 1, 1, 1) } else { NaiveDate::from_ymd_opt(y, m + 1, 1) };
    next.unwrap().pred_opt().unwrap().day()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn every_date_style_parses_back(i in 0..span_days(), style in 0..STYLES) {
        let d = day_from(i);
        let (s, order, precision) = render(d, style);
        let want = if precision == Precision::Month { d.with_day(1).unwrap() } else { d };
        let got = parse_date(&s, order);
        prop_assert!(got.is_some(), "{s:?} did not parse");
        let got = got.unwrap();
        prop_assert_eq!((got.date, got.precision), (want, precision), "{:?}", s);
        prop_assert_eq!((got.start, got.end), (0, s.len()));
    }

    #[test]
    fn dates_are_found_in_sentences(i in 0..span_days(), style in 0..STYLES) {
        let d = day_from(i);
        let (s, order, precision) = render(d, style);
        let text = format!("Item 4: due on {s}; see Section 3.1.2 and clause 12/2025/7.");
        let found = find_dates(&text, order);
        prop_assert_eq!(found.len(), 1, "{:?}: {:?}", text, found);
        prop_assert_eq!(&text[found[0].start..found[0].end], s.as_str());
        prop_assert_eq!(found[0].precision, precision);
    }

    #[test]
    fn every_amount_style_parses_back(minor in 0u64..=1_000_000_000_000, style in 0usize..9) {
        let (s, cur) = render_amount(minor, style);
        let got = parse_amount(&s, Currency::USD);
        prop_assert_eq!(got, Some(Money::from_minor(minor as i128, cur)), "{:?}", s);
        // The cheap test before the patterns never turns an amount away.
        prop_assert!(super::amount::may_contain_amount(&s), "{:?}", s);
    }

    #[test]
    fn the_cheap_amount_test_lets_every_found_amount_through(text in "[ -~]{0,40}") {
        if !find_amounts(&text, Currency::USD).is_empty() {
            prop_assert!(super::amount::may_contain_amount(&text), "{:?}", text);
        }
    }

    #[test]
    fn worded_amounts_merge_with_figures(dollars in 1u64..10_000_000_000) {
        let s = format!("the sum of {} Dollars (${}) is due", to_words(dollars), group(dollars * 100, ",", ".", false));
        let found = find_amounts(&s, Currency::USD);
        prop_assert_eq!(found.len(), 1, "{:?}: {:?}", s, found);
        prop_assert!(found[0].in_words);
        prop_assert_eq!(found[0].money.value, Cents(dollars as i128 * 100));
        prop_assert!(s[found[0].end..].starts_with(" is due"));
        prop_assert!(super::amount::may_contain_amount(&s));
    }

    #[test]
    fn business_days_match_naive_count(
        start in 0u32..20_000,
        n in 0u32..700,
        after in any::<bool>(),
        holes in proptest::collection::vec(0u32..1_500, 0..60),
    ) {
        let anchor = day_from(start);
        let mut cal = Calendar::weekends_only();
        for h in &holes {
            let d = if after { anchor.checked_add_days(Days::new(*h as u64)) } else { anchor.checked_sub_days(Days::new(*h as u64)) };
            cal.add_holiday(d.unwrap());
        }
        let dir = if after { Direction::After } else { Direction::Before };
        prop_assert_eq!(apply(anchor, n, Unit::BusinessDays, dir, &cal), Some(naive_business(anchor, n, after, &cal)));
        let plain = Calendar::weekends_only();
        prop_assert_eq!(apply(anchor, n, Unit::BusinessDays, dir, &plain), Some(naive_business(anchor, n, after, &plain)));
    }

    #[test]
    fn month_addition_clamps(start in 0u32..span_days(), n in 0u32..1_200, after in any::<bool>()) {
        let anchor = day_from(start);
        let dir = if after { Direction::After } else { Direction::Before };
        let got = apply(anchor, n, Unit::Months, dir, &Calendar::weekends_only()).unwrap();
        let total = anchor.year() * 12 + anchor.month0() as i32 + if after { n as i32 } else { -(n as i32) };
        let (y, m) = (total.div_euclid(12), total.rem_euclid(12) as u32 + 1);
        prop_assert_eq!((got.year(), got.month()), (y, m));
        prop_assert_eq!(got.day(), anchor.day().min(days_in_month(y, m)));
        if n % 12 == 0 {
            prop_assert_eq!(apply(anchor, n / 12, Unit::Years, dir, &Calendar::weekends_only()), Some(got));
        }
    }

    #[test]
    fn day_and_week_arithmetic(start in 0u32..span_days(), n in 0u32..5_000) {
        let anchor = day_from(start);
        let cal = Calendar::weekends_only();
        let fwd = apply(anchor, n, Unit::Days, Direction::After, &cal).unwrap();
        prop_assert_eq!((fwd - anchor).num_days(), n as i64);
        prop_assert_eq!(apply(fwd, n, Unit::Days, Direction::Before, &cal), Some(anchor));
        prop_assert_eq!(apply(anchor, n, Unit::Weeks, Direction::After, &cal), apply(anchor, n * 7, Unit::Days, Direction::After, &cal));
    }
}

#[test]
fn renderers_cover_examples() {
    let d = NaiveDate::from_ymd_opt(2025, 3, 1).unwrap();
    assert_eq!(render(d, 6).0, "the first (1st) day of March, 2025");
    assert_eq!(render(d, 8).0, "the first day of March, two thousand twenty-five");
    assert_eq!(group(125_000_000, ",", ".", true), "12,50,000.00");
    assert_eq!(group(100_000_000_050, ",", ".", true), "1,00,00,00,000.50");
    assert_eq!(group(125_000_000, ".", ",", false), "1.250.000,00");
    assert_eq!(group(5, " ", ",", false), "0,05");
}
