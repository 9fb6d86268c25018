//! `--dedupe`: dropping messages an earlier input already had, across formats.
//!
//! A message is known by several keys: its id in its channel, the channel named by each
//! name an input may give it (numeric id, username, title), and its normalised text. Two
//! inputs of one channel in different formats share at least one: a `result.json` and
//! the same chat's `messages.html` share the title and ids; a t.me page and its copied
//! text share only the text. Each key also carries the message's time, where the input
//! has one, and a key matches only when the times agree, so that two channels of one
//! title, or one text posted twice, are not taken for one message.

use std::hash::{Hash, Hasher};

use chrono::Timelike;
use rustc_hash::{FxHashMap, FxHasher};
use tgexport::analysis::{Markers, plain_text};
use tgexport::{Channel, Message};

/// When a message was posted, as far as its input says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    /// Minutes since the epoch, when the time has an offset.
    minute: Option<i64>,
    /// Minutes since midnight of the time as shown (`10:20`).
    shown: u32,
}

impl Stamp {
    fn of(message: &Message) -> Option<Self> {
        if let Some(date) = message.date {
            let local = date.local();
            let minute = date.offset().map(|offset| {
                let utc = local - chrono::Duration::seconds(offset.local_minus_utc().into());
                utc.and_utc().timestamp().div_euclid(60)
            });
            return Some(Self {
                minute,
                shown: local.hour() * 60 + local.minute(),
            });
        }
        let time = message.footer.as_ref()?.time.as_deref()?;
        let (hours, minutes) = time.split_once(':')?;
        Some(Self {
            minute: None,
            shown: hours.parse::<u32>().ok()? * 60 + minutes.parse::<u32>().ok()?,
        })
    }

    /// Whether two times can be one: equal to the minute when both are instants, else
    /// equal as shown.
    fn agrees(self, other: Self) -> bool {
        match (self.minute, other.minute) {
            (Some(a), Some(b)) => a == b,
            _ => self.shown == other.shown,
        }
    }
}

/// The keys seen in earlier inputs and in the current one, and how many were dropped.
#[derive(Debug, Default)]
pub struct Dedupe {
    seen: FxHashMap<u64, Vec<Option<Stamp>>>,
    current: FxHashMap<u64, Vec<Option<Stamp>>>,
    /// Messages dropped so far.
    pub dropped: usize,
}

impl Dedupe {
    /// Whether to keep `message` of an input whose channel is `channel`: `false` when an
    /// earlier input had it.
    pub fn keep(&mut self, channel: Option<&Channel>, message: &Message) -> bool {
        let stamp = Stamp::of(message);
        let keys = keys(channel, message);
        let repeated = keys.iter().any(|key| {
            self.seen.get(key).is_some_and(|stamps| {
                stamps.iter().any(|seen| match (seen, stamp) {
                    (Some(seen), Some(stamp)) => seen.agrees(stamp),
                    _ => true,
                })
            })
        });
        for key in keys {
            self.current.entry(key).or_default().push(stamp);
        }
        self.dropped += usize::from(repeated);
        !repeated
    }

    /// Ends an input: its messages are matched against from now on (and not before, so
    /// that one input's own repeats are kept).
    pub fn next_input(&mut self) {
        for (key, stamps) in self.current.drain() {
            self.seen.entry(key).or_default().extend(stamps);
        }
    }
}

/// The keys of `message`: its id under every name of its chat, and its text.
fn keys(channel: Option<&Channel>, message: &Message) -> Vec<u64> {
    let hash = |value: &dyn Fn(&mut FxHasher)| {
        let mut hasher = FxHasher::default();
        value(&mut hasher);
        hasher.finish()
    };
    let mut keys = Vec::new();
    if let Some(id) = message.id {
        // An account export names each message's chat; other inputs, their channel.
        let (number, username, title) = match (&message.chat, channel) {
            (Some(chat), _) => (chat.id, None, chat.title.as_deref()),
            (None, Some(channel)) => (
                channel.id,
                channel.username.as_deref(),
                channel.title.as_deref(),
            ),
            (None, None) => (None, None, None),
        };
        if let Some(number) = number {
            keys.push(hash(&|h| ("id", number, id).hash(h)));
        }
        if let Some(username) = username {
            keys.push(hash(&|h| ("username", username.to_lowercase(), id).hash(h)));
        }
        if let Some(title) = title {
            keys.push(hash(&|h| ("title", normalised(title), id).hash(h)));
        }
    }
    let text = normalised(&plain_text(message, Markers::Strip));
    if !text.is_empty() {
        keys.push(hash(&|h| ("text", &text).hash(h)));
    }
    keys
}

/// `text` in lower case, its words separated by single spaces.
fn normalised(text: &str) -> String {
    text.to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stamp(date: Option<&str>, footer_time: Option<&str>) -> Option<Stamp> {
        let mut message = Message::new(0);
        message.date = date.map(|d| d.parse().unwrap());
        if let Some(time) = footer_time {
            let json =
                serde_json::json!({"views": null, "edited": false, "time": time, "lines": []});
            message.footer = Some(serde_json::from_value(json).unwrap());
        }
        Stamp::of(&message)
    }

    #[test]
    fn one_instant_in_two_offsets_agrees_and_a_shown_time_compares_as_shown() {
        let utc = stamp(Some("2024-04-01T06:05:30Z"), None).unwrap();
        let local = stamp(Some("2024-04-01T08:05:00+02:00"), None).unwrap();
        assert!(utc.agrees(local));
        let later = stamp(Some("2024-04-01T08:06:00+02:00"), None).unwrap();
        assert!(!utc.agrees(later));
        let shown = stamp(None, Some("6:05")).unwrap();
        assert!(shown.agrees(utc) && !shown.agrees(local));
        // Without an offset, the wall-clock time is all there is.
        let naive = stamp(Some("2024-04-01T08:05:00"), None).unwrap();
        assert!(naive.agrees(local) && naive.minute.is_none());
        assert_eq!(stamp(None, Some("soon")), None);
    }

    #[test]
    fn keys_name_the_id_under_each_channel_name_and_the_text() {
        let mut message = Message::new(0);
        message.id = Some(5);
        message.text = "Quay  3\nis CLOSED".into();
        let json: Channel = serde_json::from_value(
            serde_json::json!({"title": "Quay Notes", "id": 17, "counters": {}}),
        )
        .unwrap();
        let html: Channel =
            serde_json::from_value(serde_json::json!({"title": "quay notes ", "counters": {}}))
                .unwrap();
        let (from_json, from_html) = (keys(Some(&json), &message), keys(Some(&html), &message));
        assert_eq!(from_json.len(), 3);
        assert_eq!(from_html.len(), 2);
        assert!(from_html.iter().all(|key| from_json.contains(key)));
        message.id = None;
        assert_eq!(keys(None, &message), keys(Some(&json), &message));
    }
}
