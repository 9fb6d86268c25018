//! Abbreviated counts as Telegram shows them: `359`, `1.15K`, `214.4K`, `2M`.

use nom::{
    IResult, Parser,
    character::complete::{digit1, one_of},
    combinator::{map_opt, opt},
    sequence::preceded,
};

/// Parses a count such as `1.15K` into its value (1150). Fractions beyond what the
/// suffix allows (`1.5` with no suffix) are rejected.
pub(crate) fn count(input: &str) -> IResult<&str, u64> {
    map_opt(
        (
            digit1,
            opt(preceded(nom::character::complete::char('.'), digit1)),
            opt(one_of("KMB")),
        ),
        |(whole, fraction, suffix): (&str, Option<&str>, Option<char>)| {
            let scale: u64 = match suffix {
                None => 1,
                Some('K') => 1_000,
                Some('M') => 1_000_000,
                _ => 1_000_000_000,
            };
            let fraction = fraction.unwrap_or("");
            let divisor = 10u64.checked_pow(u32::try_from(fraction.len()).ok()?)?;
            if divisor > scale {
                return None;
            }
            let whole: u64 = whole.parse().ok()?;
            let fraction: u64 = if fraction.is_empty() {
                0
            } else {
                fraction.parse().ok()?
            };
            whole
                .checked_mul(scale)?
                .checked_add(fraction * (scale / divisor))
        },
    )
    .parse(input)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_with_suffixes() {
        for (text, value) in [
            ("359", 359),
            ("1.15K", 1_150),
            ("6.1K", 6_100),
            ("214.4K", 214_400),
            ("2M", 2_000_000),
            ("1.5B", 1_500_000_000),
        ] {
            assert_eq!(count(text), Ok(("", value)), "{text}");
        }
    }

    #[test]
    fn rejects_what_is_not_a_count() {
        assert!(count("K").is_err());
        assert!(count("1.5").is_err());
        assert!(count("1.2345K").is_err());
        assert!(count("99999999999999999999").is_err());
    }
}
