//! Points in time as Telegram exports give them: sometimes with an offset, sometimes only
//! the exporting machine's wall-clock time.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDateTime, TimeZone, Timelike, Utc};

/// A date and time, with its UTC offset when the source knew it.
///
/// Serialised as RFC 3339: `2023-11-16T10:20:00Z` when taken from a Unix time,
/// `2021-05-14T23:28:11+03:00` with a known offset, and `2021-05-14T23:28:11` (no offset)
/// for the naive local time of old Telegram Desktop exports.
///
/// ```
/// use tgexport::Timestamp;
/// let t: Timestamp = "2021-05-14T23:28:11+03:00".parse().unwrap();
/// assert_eq!(t.to_string(), "2021-05-14T23:28:11+03:00");
/// assert_eq!(t.to_utc().unwrap().to_rfc3339(), "2021-05-14T20:28:11+00:00");
/// ```
///
/// Timestamps order by the instant they stand for, so messages of any source sort by
/// time. A time without an offset orders as if it were UTC (the time it would stand for
/// with [`Timestamp::assume_offset`] of zero). Two timestamps of one instant written with
/// different offsets are not equal (equality keeps what the source wrote); they order by
/// offset, a missing offset first, so that `Ord` agrees with `Eq` and `Hash`.
///
/// ```
/// use tgexport::Timestamp;
/// let mut times: Vec<Timestamp> = ["2021-05-14T23:28:11+03:00", "2021-05-14T21:00:00Z", "2021-05-14T20:30:00"]
///     .iter()
///     .map(|t| t.parse().unwrap())
///     .collect();
/// times.sort();
/// let sorted: Vec<String> = times.iter().map(|t| t.to_string()).collect();
/// assert_eq!(sorted, ["2021-05-14T23:28:11+03:00", "2021-05-14T20:30:00", "2021-05-14T21:00:00Z"]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Timestamp {
    local: NaiveDateTime,
    offset: Option<FixedOffset>,
}

impl Timestamp {
    /// A wall-clock time whose offset is unknown.
    pub fn naive(local: NaiveDateTime) -> Self {
        Self {
            local,
            offset: None,
        }
    }

    /// A time with a known UTC offset.
    pub fn with_offset(time: DateTime<FixedOffset>) -> Self {
        Self {
            local: time.naive_local(),
            offset: Some(*time.offset()),
        }
    }

    /// The time of a Unix timestamp (seconds), in UTC; `None` when out of range.
    pub fn from_unix(seconds: i64) -> Option<Self> {
        let utc = DateTime::<Utc>::from_timestamp(seconds, 0)?;
        Some(Self {
            local: utc.naive_utc(),
            offset: Some(FixedOffset::east_opt(0)?),
        })
    }

    /// The wall-clock time as written in the source.
    pub fn local(&self) -> NaiveDateTime {
        self.local
    }

    /// The UTC offset, when the source gave one.
    pub fn offset(&self) -> Option<FixedOffset> {
        self.offset
    }

    /// This instant in UTC, when the offset is known.
    pub fn to_utc(&self) -> Option<DateTime<Utc>> {
        let offset = self.offset?;
        offset
            .from_local_datetime(&self.local)
            .single()
            .map(|t| t.with_timezone(&Utc))
    }

    /// Gives a naive time the offset `offset` (the `--tz` fix for old exports);
    /// a time that already has one is returned unchanged.
    pub fn assume_offset(self, offset: FixedOffset) -> Self {
        Self {
            offset: self.offset.or(Some(offset)),
            ..self
        }
    }
}

impl Timestamp {
    /// What orders timestamps: the instant (UTC for a naive time), then the offset.
    fn sort_key(&self) -> (i64, u32, Option<i32>) {
        let offset = self.offset.map(|o| o.local_minus_utc());
        let utc = self.local.and_utc();
        let seconds = utc.timestamp() - i64::from(offset.unwrap_or(0));
        (seconds, utc.timestamp_subsec_nanos(), offset)
    }
}

impl Ord for Timestamp {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.sort_key().cmp(&other.sort_key())
    }
}

impl PartialOrd for Timestamp {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Field by field for the usual years: `format` parses its format string every time.
        let (date, time) = (self.local.date(), self.local.time());
        if (0..=9999).contains(&date.year()) {
            write!(
                f,
                "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
                date.year(),
                date.month(),
                date.day(),
                time.hour(),
                time.minute(),
                time.second()
            )?;
        } else {
            write!(f, "{}", self.local.format("%Y-%m-%dT%H:%M:%S"))?;
        }
        match self.offset {
            None => Ok(()),
            Some(offset) if offset.local_minus_utc() == 0 => f.write_str("Z"),
            Some(offset) => write!(f, "{offset}"),
        }
    }
}

/// The text was not an RFC 3339 date-time with or without an offset.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("expected a date-time like 2021-05-14T23:28:11 or 2021-05-14T23:28:11+03:00, found {0:?}")]
pub struct TimestampError(String);

impl FromStr for Timestamp {
    type Err = TimestampError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        if let Ok(time) = DateTime::parse_from_rfc3339(text) {
            return Ok(Self::with_offset(time));
        }
        NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S")
            .map(Self::naive)
            .map_err(|_| TimestampError(text.to_owned()))
    }
}

super::string_form!(
    Timestamp,
    pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})?$",
    description = "RFC 3339 date-time; no offset when the source did not know it."
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unix_time_is_utc_with_z() {
        let t = Timestamp::from_unix(1_689_613_123).unwrap();
        assert_eq!(t.to_string(), "2023-07-17T16:58:43Z");
        assert_eq!(t.to_string().parse::<Timestamp>().unwrap(), t);
    }

    #[test]
    fn naive_time_has_no_offset_until_assumed() {
        let t: Timestamp = "2020-01-02T03:04:05".parse().unwrap();
        assert_eq!(t.offset(), None);
        assert_eq!(t.to_utc(), None);
        let fixed = t.assume_offset(FixedOffset::east_opt(3 * 3600).unwrap());
        assert_eq!(fixed.to_string(), "2020-01-02T03:04:05+03:00");
        assert_eq!(
            fixed.to_utc().unwrap().to_rfc3339(),
            "2020-01-02T00:04:05+00:00"
        );
    }

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    #[test]
    fn timestamps_order_by_instant() {
        assert!(at("2021-05-14T23:28:11+03:00") < at("2021-05-14T21:00:00Z"));
        assert!(at("2021-05-14T20:30:00") < at("2021-05-14T21:00:00+00:00"));
        assert!(at("2021-05-14T20:30:00") > at("2021-05-14T22:00:00+03:00"));
    }

    #[test]
    fn one_instant_with_two_offsets_orders_by_offset_and_is_not_equal() {
        let (naive, utc, moscow) = (
            at("2021-05-14T20:00:00"),
            at("2021-05-14T20:00:00Z"),
            at("2021-05-14T23:00:00+03:00"),
        );
        assert_eq!(utc.to_utc(), moscow.to_utc());
        assert_ne!(utc, moscow);
        assert!(naive < utc && utc < moscow);
        let mut sorted = [moscow, utc, naive, utc];
        sorted.sort();
        assert_eq!(sorted, [naive, utc, utc, moscow]);
        let set: std::collections::HashSet<_> = sorted.into_iter().collect();
        assert_eq!(set.len(), 3);
    }

    #[test]
    fn extreme_times_order_without_overflow() {
        let (min, max) = (
            Timestamp::naive(NaiveDateTime::MIN)
                .assume_offset(FixedOffset::west_opt(86_399).unwrap()),
            Timestamp::naive(NaiveDateTime::MAX)
                .assume_offset(FixedOffset::east_opt(86_399).unwrap()),
        );
        assert!(min < max);
    }

    #[test]
    fn years_beyond_four_digits_keep_their_sign() {
        let far = Timestamp::from_unix(400_000_000_000).unwrap();
        assert_eq!(far.to_string(), "+14645-06-30T15:06:40Z");
    }

    #[test]
    fn garbage_is_an_error_that_quotes_it() {
        let err = "yesterday".parse::<Timestamp>().unwrap_err();
        assert!(err.to_string().contains("\"yesterday\""));
    }
}
