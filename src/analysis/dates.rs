//! Calendar dates written in English or Russian: `September 7, 1945`, `6 May 1906`,
//! `3 Sept 2024`, `12 мая 2025 года`, `4-5 мая 2024 г.`, `1 сент. 2024`; and dates without a
//! year (`On 4 December`, `12 мая`), kept as month and day.

use chrono::NaiveDate;
use nom::{
    IResult, Parser,
    branch::alt,
    bytes::complete::tag,
    character::complete::{char, digit1, satisfy, space1},
    combinator::{consumed, opt},
    sequence::preceded,
};

use crate::DateMention;

/// English month names, as dates and day separators write them.
pub(crate) const ENGLISH_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Russian month names in the genitive case, as dates write them.
const RUSSIAN_MONTHS: [&str; 12] = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
];

fn month_named<'a>(
    names: &'static [&'static str; 12],
) -> impl Parser<&'a str, Output = u32, Error = nom::error::Error<&'a str>> {
    move |input: &'a str| {
        let bytes = input.as_bytes();
        // Comparing the first two bytes (one Cyrillic letter) first skips most names
        // without a call to `memcmp`.
        let lead = bytes.first_chunk::<2>();
        names
            .iter()
            .zip(1..)
            .find(|(name, _)| {
                lead == name.as_bytes().first_chunk::<2>() && bytes.starts_with(name.as_bytes())
            })
            .map(|(name, number)| (&input[name.len()..], number))
            .filter(|(rest, _)| !rest.starts_with(char::is_alphabetic))
            .ok_or_else(|| failure(input, nom::error::ErrorKind::Tag))
    }
}

/// Abbreviated English month names (`Sept` before `Sep`, so the longer wins), each may take
/// a dot.
const ENGLISH_ABBREVIATIONS: [(&str, u32); 12] = [
    ("Jan", 1),
    ("Feb", 2),
    ("Mar", 3),
    ("Apr", 4),
    ("Jun", 6),
    ("Jul", 7),
    ("Aug", 8),
    ("Sept", 9),
    ("Sep", 9),
    ("Oct", 10),
    ("Nov", 11),
    ("Dec", 12),
];

/// Abbreviated Russian month names, which are written with a dot.
const RUSSIAN_ABBREVIATIONS: [(&str, u32); 14] = [
    ("янв.", 1),
    ("февр.", 2),
    ("фев.", 2),
    ("мар.", 3),
    ("апр.", 4),
    ("июн.", 6),
    ("июл.", 7),
    ("авг.", 8),
    ("сент.", 9),
    ("сен.", 9),
    ("окт.", 10),
    ("нояб.", 11),
    ("ноя.", 11),
    ("дек.", 12),
];

/// An abbreviated English month, `Sept` or `Sept.`.
fn english_abbreviation(input: &str) -> IResult<&str, u32> {
    ENGLISH_ABBREVIATIONS
        .iter()
        .find_map(|(name, number)| {
            let rest = input.strip_prefix(name)?;
            let rest = rest.strip_prefix('.').unwrap_or(rest);
            (!rest.starts_with(char::is_alphabetic)).then_some((rest, *number))
        })
        .ok_or_else(|| failure(input, nom::error::ErrorKind::Tag))
}

/// An abbreviated Russian month, `сент.`.
fn russian_abbreviation(input: &str) -> IResult<&str, u32> {
    RUSSIAN_ABBREVIATIONS
        .iter()
        .find_map(|(name, number)| Some((input.strip_prefix(name)?, *number)))
        .ok_or_else(|| failure(input, nom::error::ErrorKind::Tag))
}

/// An English month, written out or abbreviated.
fn english_month(input: &str) -> IResult<&str, u32> {
    month_initial(input)?;
    alt((month_named(&ENGLISH_MONTHS), english_abbreviation)).parse(input)
}

/// An English or Russian month, written out or abbreviated.
fn any_month(input: &str) -> IResult<&str, u32> {
    month_initial(input)?;
    alt((
        month_named(&ENGLISH_MONTHS),
        month_named(&RUSSIAN_MONTHS),
        english_abbreviation,
        russian_abbreviation,
    ))
    .parse(input)
}

/// Fails at once where no month can start, before the month tables are searched.
fn month_initial(input: &str) -> IResult<&str, ()> {
    if input.starts_with(|c| MONTH_INITIALS.contains(c)) {
        Ok((input, ()))
    } else {
        Err(failure(input, nom::error::ErrorKind::Tag))
    }
}

fn failure(input: &str, kind: nom::error::ErrorKind) -> nom::Err<nom::error::Error<&str>> {
    nom::Err::Error(nom::error::Error::new(input, kind))
}

/// A whole run of `digits` ASCII digits, as a number: the day of `7` or `07`, a year.
fn number<'a>(
    digits: std::ops::RangeInclusive<usize>,
) -> impl Parser<&'a str, Output = u32, Error = nom::error::Error<&'a str>> {
    move |input: &'a str| {
        let (rest, run) = digit1(input)?;
        if !digits.contains(&run.len()) {
            return Err(failure(input, nom::error::ErrorKind::Digit));
        }
        let value = run.bytes().fold(0, |n, d| n * 10 + u32::from(d - b'0'));
        Ok((rest, value))
    }
}

fn day(input: &str) -> IResult<&str, u32> {
    number(1..=2).parse(input)
}

fn year(input: &str) -> IResult<&str, i32> {
    // Four digits fit an `i32`.
    number(4..=4).map(|y| y as i32).parse(input)
}

/// A date as parsed, before the calendar checks it: year, month, first day, last day.
type Written = (i32, u32, (u32, Option<u32>));

/// A day or a range of days: `4`, `4-5`, `4–5`.
fn days(input: &str) -> IResult<&str, (u32, Option<u32>)> {
    let dash = satisfy(|c| c == '-' || c == '–');
    (day, opt(preceded(dash, day))).parse(input)
}

/// `September 7, 1945`, `September 7 1945`, `Sept. 7, 1945`.
fn month_day_year(input: &str) -> IResult<&str, Written> {
    let (rest, (month, _, days, _, _, year)) =
        (english_month, space1, days, opt(char(',')), space1, year).parse(input)?;
    Ok((rest, (year, month, days)))
}

/// `6 May 1906`, `3 Sept 2024`, `12 мая 2025 года`, `4-5 мая 2024 г.`, `1 сент. 2024`.
fn day_month_year(input: &str) -> IResult<&str, Written> {
    let (rest, (days, _, month, _, year, _)) = (
        days,
        space1,
        any_month,
        space1,
        year,
        opt(preceded(char(' '), alt((tag("года"), tag("г."))))),
    )
        .parse(input)?;
    Ok((rest, (year, month, days)))
}

/// One written date, parsed and checked against the calendar: the text it spans, the
/// (first) day, and the last day of a range.
pub(crate) fn date(input: &str) -> IResult<&str, (&str, NaiveDate, Option<NaiveDate>)> {
    let (rest, (text, (y, m, (first, last)))) =
        consumed(alt((month_day_year, day_month_year))).parse(input)?;
    let start = NaiveDate::from_ymd_opt(y, m, first);
    let end = match last {
        None => Some(None),
        Some(last) if last > first => NaiveDate::from_ymd_opt(y, m, last).map(Some),
        Some(_) => None,
    };
    match (start, end) {
        (Some(start), Some(end)) => Ok((rest, (text, start, end))),
        _ => Err(failure(input, nom::error::ErrorKind::Verify)),
    }
}

/// `4 December`, `December 4`, `12 мая`: a month and day with no year after them (a year
/// would make it a whole [`date`]); yields the text, the month and the day.
pub(crate) fn month_day(input: &str) -> IResult<&str, (&str, u32, u32)> {
    let (rest, (text, (month, day))) = consumed(alt((
        (english_month, preceded(space1, day)),
        (day, preceded(space1, any_month)).map(|(day, month)| (month, day)),
    )))
    .parse(input)?;
    // A leap year admits every month and day there is.
    let real = NaiveDate::from_ymd_opt(2000, month, day).is_some();
    let year_follows = (opt(char(',')), space1, year)
        .parse(rest)
        .is_ok_and(|(after, _)| !after.starts_with(|c: char| c.is_ascii_digit()));
    // Nor may it run on into a word, a range or a keycap (`7️⃣`).
    let glued = rest.starts_with(|c: char| {
        c.is_alphanumeric() || matches!(c, '-' | '–' | '\u{FE0F}' | '\u{20E3}')
    });
    if real && !year_follows && !glued {
        Ok((rest, (text, month, day)))
    } else {
        Err(failure(input, nom::error::ErrorKind::Verify))
    }
}

/// Every date written in `text`, in order.
///
/// ```
/// let dates = tgexport::analysis::find_dates("On September 7, 1945, 12 мая 2025 года, 4 May.");
/// let days: Vec<_> = dates.iter().map(|d| d.date.map(|d| d.to_string())).collect();
/// assert_eq!(days, [Some("1945-09-07".into()), Some("2025-05-12".into()), None]);
/// assert_eq!((dates[2].month, dates[2].day), (Some(5), Some(4)));
/// ```
pub fn find_dates(text: &str) -> Vec<DateMention> {
    let mut found = Vec::new();
    let bytes = text.as_bytes();
    let mut resume = 0;
    // Every form ends with white space and a four-digit year, and its first number (the
    // day) is one of the two digit runs right before that year (`4` of `4-5 мая 2024`):
    // only those runs, once each, are places to try, as the day of `6 May 1906` or after
    // the month of `September 7, 1945`.
    let mut recent: [Option<(usize, usize)>; 2] = [None; 2];
    let mut tried_to = 0;
    for (at, len) in digit_runs(bytes) {
        let is_year = len == 4 && at > 0 && matches!(bytes[at - 1], b' ' | b'\t');
        // A month and day with no year after them is known at once; one with a year is
        // left for that year's run.
        if len <= 2
            && at >= resume
            && bytes
                .get(at + len)
                .is_none_or(|b| !b.is_ascii_alphanumeric())
            && month_may_stand_by(text, at, len)
            && let Some(end) = month_day_at(text, at, &mut found)
        {
            resume = end;
        }
        if is_year {
            for (run, run_len) in recent.into_iter().flatten() {
                if run < resume.max(tried_to) || !may_be_day(bytes, run, run_len) {
                    continue;
                }
                tried_to = run + 1;
                if let Some(end) = date_at(text, run, &mut found) {
                    resume = end;
                    break;
                }
            }
        }
        recent = [recent[1], Some((at, len))];
    }
    found
}

/// The letters every month name and abbreviation starts with, English and Russian.
const MONTH_INITIALS: &str = "JFMASONDяфмаисонд";

/// Whether a month could stand right after the day run at `at` (`4 December`, `12 мая`)
/// or right before it (`December 4`): first letters, tested before the month tables are.
fn month_may_stand_by(text: &str, at: usize, len: usize) -> bool {
    let after = &text[at + len..];
    let word = after.trim_start_matches([' ', '\t']);
    if word.len() < after.len() && word.starts_with(|c| MONTH_INITIALS.contains(c)) {
        return true;
    }
    // `September 7, 1945` is a whole date, read at its year: no month and day alone.
    let after_comma = after.strip_prefix(',').unwrap_or(after);
    let year = after_comma.trim_start_matches([' ', '\t']);
    let year_follows = year.len() < after_comma.len()
        && year.len() >= 4
        && year.as_bytes()[..4].iter().all(u8::is_ascii_digit)
        && !year.as_bytes().get(4).is_some_and(u8::is_ascii_digit);
    !year_follows && month_before(text, at).is_some()
}

/// Tries a date whose day is the digit run at `at`, written with the month before it or
/// after it; pushes it and gives where it ends.
fn date_at(text: &str, at: usize, found: &mut Vec<DateMention>) -> Option<usize> {
    mention_at(text, at, found, |input| {
        let (rest, (written, date, end)) = date(input).ok()?;
        Some((rest, mention(written, Some(date), end, None)))
    })
}

/// Tries a month and day without a year whose day is the digit run at `at`; pushes it and
/// gives where it ends.
fn month_day_at(text: &str, at: usize, found: &mut Vec<DateMention>) -> Option<usize> {
    mention_at(text, at, found, |input| {
        let (rest, (written, month, day)) = month_day(input).ok()?;
        Some((rest, mention(written, None, None, Some((month, day)))))
    })
}

/// A mention of `written`: a date (and the end of its range), or a month and day.
fn mention(
    written: &str,
    date: Option<NaiveDate>,
    end: Option<NaiveDate>,
    month_day: Option<(u32, u32)>,
) -> DateMention {
    DateMention {
        text: written.to_owned(),
        date,
        end,
        month: month_day.map(|(month, _)| month),
        day: month_day.map(|(_, day)| day),
    }
}

/// Tries `parse` where the month before the digit run at `at` starts, then at the run
/// itself; pushes what it reads and gives where that ends.
fn mention_at(
    text: &str,
    at: usize,
    found: &mut Vec<DateMention>,
    parse: impl Fn(&str) -> Option<(&str, DateMention)>,
) -> Option<usize> {
    for start in [month_before(text, at), Some(at)].into_iter().flatten() {
        if glued(text, start) {
            continue;
        }
        if let Some((rest, mention)) = parse(&text[start..]) {
            found.push(mention);
            return Some(text.len() - rest.len());
        }
    }
    None
}

/// Whether the digit run at `at` can be a day: one or two digits, then white space, a
/// comma, or the dash of a range (`–` starts with byte 0xE2).
fn may_be_day(bytes: &[u8], at: usize, len: usize) -> bool {
    len <= 2
        && bytes
            .get(at + len)
            .is_some_and(|b| matches!(b, b' ' | b'\t' | b',' | b'-' | 0xE2))
}

/// Offsets and lengths of the runs of ASCII digits in `bytes`.
fn digit_runs(bytes: &[u8]) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut at = 0;
    std::iter::from_fn(move || {
        let start = at + next_digit(&bytes[at..])?;
        let len = bytes[start..]
            .iter()
            .position(|b| !b.is_ascii_digit())
            .unwrap_or(bytes.len() - start);
        at = start + len;
        Some((start, len))
    })
}

/// Offset of the first ASCII digit in `bytes`, eight bytes at a time: most of a text is
/// letters, and this runs over all of it.
fn next_digit(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    let mut words = bytes.chunks_exact(8);
    let mut skipped = 0;
    for word in &mut words {
        // Digits become bytes below 10; the lowest byte flagged below 10 is exact (the
        // flags above it may be borrows, which do not matter).
        let shifted = u64::from_le_bytes(word.try_into().expect("eight bytes")) ^ (0x30 * ONES);
        let below_ten = shifted.wrapping_sub(10 * ONES) & !shifted & HIGHS;
        if below_ten != 0 {
            return Some(skipped + below_ten.trailing_zeros() as usize / 8);
        }
        skipped += 8;
    }
    words
        .remainder()
        .iter()
        .position(u8::is_ascii_digit)
        .map(|i| skipped + i)
}

/// Start of the English month name right before the number at `at` (`September 7`).
fn month_before(text: &str, at: usize) -> Option<usize> {
    let before = text[..at].trim_end_matches(' ');
    if before.len() == at {
        return None;
    }
    let before = before.strip_suffix('.').unwrap_or(before);
    let word = before.rsplit(|c: char| !c.is_ascii_alphabetic()).next()?;
    (ENGLISH_MONTHS.contains(&word) || ENGLISH_ABBREVIATIONS.iter().any(|(a, _)| *a == word))
        .then(|| before.len() - word.len())
}

/// Whether a date starting at `at` would be inside a word or number, or the second half
/// of a range already rejected (`5-4 мая`).
fn glued(text: &str, at: usize) -> bool {
    let mut before = text[..at].chars().rev();
    match before.next() {
        Some('-' | '–') => before.next().is_some_and(|c| c.is_ascii_digit()),
        Some(c) => c.is_alphanumeric(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dates(text: &str) -> Vec<(String, String, Option<String>)> {
        find_dates(text)
            .into_iter()
            .map(|d| {
                let day = d.date.map_or_else(
                    || format!("--{:02}-{:02}", d.month.unwrap(), d.day.unwrap()),
                    |date| date.to_string(),
                );
                (d.text, day, d.end.map(|e| e.to_string()))
            })
            .collect()
    }

    #[test]
    fn english_dates() {
        assert_eq!(
            date("September 7, 1945."),
            Ok((
                ".",
                (
                    "September 7, 1945",
                    NaiveDate::from_ymd_opt(1945, 9, 7).unwrap(),
                    None
                )
            ))
        );
        assert_eq!(dates("on 6 May 1906 and April 25 1945")[1].1, "1945-04-25");
        assert_eq!(dates("on 6 May 1906")[0].0, "6 May 1906");
    }

    #[test]
    fn russian_dates_with_ranges_and_suffixes() {
        assert_eq!(
            dates("12 мая 2025 года и 4-5 мая 2024 г. в Москве"),
            [
                ("12 мая 2025 года".into(), "2025-05-12".into(), None),
                (
                    "4-5 мая 2024 г.".into(),
                    "2024-05-04".into(),
                    Some("2024-05-05".into())
                ),
            ]
        );
    }

    #[test]
    fn abbreviated_months() {
        assert_eq!(dates("on 3 Sept 2024")[0].1, "2024-09-03");
        assert_eq!(dates("on 3 Sep. 2024")[0].1, "2024-09-03");
        assert_eq!(dates("Sept. 3, 2024")[0].0, "Sept. 3, 2024");
        assert_eq!(dates("1 сент. 2024 г.")[0].1, "2024-09-01");
        assert_eq!(dates("5 Dec 1999")[0].1, "1999-12-05");
        // A word that starts like an abbreviation is not one.
        assert!(dates("5 Decades 1999").is_empty());
    }

    #[test]
    fn dates_without_a_year_are_month_and_day() {
        assert_eq!(
            dates("On 4 December, and November 16; 12 мая"),
            [
                ("4 December".into(), "--12-04".into(), None),
                ("November 16".into(), "--11-16".into(), None),
                ("12 мая".into(), "--05-12".into(), None),
            ]
        );
        assert_eq!(dates("3 Sept")[0].1, "--09-03");
        assert_eq!(dates("On 4 December, 15 people came")[0].1, "--12-04");
        for text in ["31 June", "May 5th", "4-5 мая", "10 марта2"] {
            assert!(dates(text).iter().all(|d| d.0 != text), "{text}");
        }
        // With a year, a month and day is a whole date, once.
        assert_eq!(dates("4 December 2024").len(), 1);
        assert!(dates("February 30, 2023").is_empty());
    }

    #[test]
    fn impossible_or_partial_dates_are_not_dates() {
        assert!(dates("February 30, 2023").is_empty());
        assert!(dates("November and May").is_empty());
        assert!(dates("5-4 мая 2024").is_empty());
        assert!(dates("in 1945 troops").is_empty());
        assert!(dates("x16 May 19456").is_empty());
    }

    #[test]
    fn digit_runs_cross_skipped_blocks() {
        let text = format!("{}12 {}3", "x".repeat(40), "y".repeat(70));
        let runs: Vec<_> = digit_runs(text.as_bytes()).collect();
        assert_eq!(runs, [(40, 2), (113, 1)]);
        assert_eq!(next_digit(b"abc"), None);
    }

    #[test]
    fn only_short_runs_before_a_separator_are_days() {
        assert!(may_be_day(b"4-5", 0, 1));
        assert!(may_be_day("4–5".as_bytes(), 0, 1));
        assert!(may_be_day(b"12 ", 0, 2));
        assert!(!may_be_day(b"123 ", 0, 3));
        assert!(!may_be_day(b"12x", 0, 2));
        assert!(!may_be_day(b"12", 0, 2));
    }

    #[test]
    fn a_day_two_runs_before_the_year_is_tried_once() {
        // `8` and `4` are runs before a year, neither a day; the range's `4` is.
        assert_eq!(dates("7️⃣8️⃣ 4-5 мая 2024 г.")[0].0, "4-5 мая 2024 г.");
        assert_eq!(dates("Room 12, 3 1945 and May 1 1945").len(), 1);
    }

    #[test]
    fn every_month_starts_with_an_initial_the_prefilter_knows() {
        let names = ENGLISH_MONTHS.iter().chain(&RUSSIAN_MONTHS);
        let abbreviations = ENGLISH_ABBREVIATIONS.iter().chain(&RUSSIAN_ABBREVIATIONS);
        for name in names.chain(abbreviations.map(|(name, _)| name)) {
            assert!(name.starts_with(|c| MONTH_INITIALS.contains(c)), "{name}");
        }
    }

    /// The plain search `find_dates` shortens: a date tried at every digit run.
    fn every_run(text: &str) -> Vec<DateMention> {
        let mut found = Vec::new();
        let mut resume = 0;
        for (at, _) in digit_runs(text.as_bytes()) {
            if at >= resume
                && let Some(end) =
                    date_at(text, at, &mut found).or_else(|| month_day_at(text, at, &mut found))
            {
                resume = end;
            }
        }
        found
    }

    proptest::proptest! {
        #[test]
        fn trying_only_days_before_years_finds_the_same_dates(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![
                    "1", "12", "2024", "1945", "19456", " ", "  ", ", ", "-", "–", "x",
                    "May", "September", "мая", "сентября", "года", "г.", "7️⃣", "\n",
                    "Sept", "Sept.", "сент.", "Dec", ",", "\t",
                ]),
                0..24,
            ),
        ) {
            let text = pieces.concat();
            proptest::prop_assert_eq!(find_dates(&text), every_run(&text));
        }
    }

    #[test]
    fn the_next_digit_is_found_at_every_place_of_a_word() {
        for at in 0..24 {
            for digit in [b'0', b'9'] {
                let mut bytes = vec![b'x'; 24];
                bytes[at] = digit;
                // Bytes next to the digits in value must not count.
                bytes[(at + 1) % 24] = b'/';
                bytes[(at + 2) % 24] = b':';
                assert_eq!(next_digit(&bytes), Some(at), "{at} {digit}");
            }
        }
        assert_eq!(next_digit("/:ЯЖ\u{ff}".as_bytes()), None);
    }
}
