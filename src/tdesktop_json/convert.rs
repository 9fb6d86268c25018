//! Turning a raw message object into a [`Message`].

use serde_json::value::RawValue;

use super::media;
use super::raw::{Int, RawButton, RawMessage, RawPeerId, RawReaction, Str};
use super::text::Text;
use crate::{
    Action, ActionKind, Button, Forward, Message, MessageKind, Peer, Reaction, ReactionKind,
    RecentReaction, ReplyTo, Timestamp, analysis,
};

/// A value that has the right JSON type but cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Invalid {
    /// Where in the message, as a JSON path (`date`, `reactions[0].recent[1].date`).
    pub(crate) path: String,
    /// What was expected, and what was found.
    pub(crate) message: String,
    /// The address of the offending byte in the parsed input, when known: the reader
    /// turns it into a line and column of the file.
    pub(crate) address: Option<usize>,
}

impl Invalid {
    fn new(path: impl Into<String>, message: impl ToString) -> Self {
        Self {
            path: path.into(),
            message: message.to_string(),
            address: None,
        }
    }

    /// This error, inside the value at `path`.
    fn under(self, path: &str) -> Self {
        Self {
            path: format!("{path}.{}", self.path),
            ..self
        }
    }
}

/// Converts a raw message at position `index` of the export, and analyses its text.
///
/// A service message keeps its keys beyond the common ones in [`Action::fields`]; any
/// other message keeps keys this module does not know in [`Message::extra`].
pub(crate) fn message(mut raw: Box<RawMessage<'_>>, index: usize) -> Result<Message, Invalid> {
    let mut message = Message::new(index);
    message.id = raw.id.map(|Int(id)| id);
    message.kind = match raw.kind.as_deref() {
        None | Some("message") => MessageKind::Message,
        Some("service") => MessageKind::Service,
        Some("unsupported") => MessageKind::Unsupported,
        Some(other) => {
            message.extra.insert("type".into(), other.into());
            MessageKind::Message
        }
    };
    message.date = time("date", raw.date.take(), raw.date_unixtime)?;
    message.edited = time("edited", raw.edited.take(), raw.edited_unixtime)?;
    message.from = peer(raw.from.take(), raw.from_id);
    message.author = raw.author.take().map(Str::into_string);
    if raw.forwarded_from.is_some() || raw.forwarded_from_id.is_some() {
        message.forwarded_from = Some(Forward {
            name: raw.forwarded_from.take().flatten().map(Str::into_string),
            id: raw.forwarded_from_id.map(|RawPeerId(id)| id),
            ..Forward::default()
        });
    }
    message.saved_from = raw.saved_from.take().flatten().map(Str::into_string);
    message.via_bot = raw.via_bot.take().map(Str::into_string);

    let service = message.kind == MessageKind::Service
        || raw.action.is_some()
        || raw.actor.is_some()
        || raw.actor_id.is_some();
    let mut fields = if service {
        take_action_fields(&mut raw)
    } else {
        serde_json::Map::new()
    };
    if raw.reply_to_message_id.is_some() || raw.reply_to_peer_id.is_some() {
        message.reply_to = Some(ReplyTo {
            message_id: raw.reply_to_message_id.map(|Int(id)| id),
            peer_id: raw.reply_to_peer_id.map(|RawPeerId(id)| id),
            ..ReplyTo::default()
        });
    }

    let text = match (raw.text_entities.take(), raw.text) {
        (Some(text), _) => text,
        (None, Some(text)) => parse_text(text)?,
        (None, None) => Text::default(),
    };
    (message.text, message.entities) = (text.text, text.entities);
    message.media.extend(media::take(&mut raw));
    let reactions = raw.reactions.take().unwrap_or_default().into_iter();
    message.reactions = (reactions.enumerate())
        .map(|(i, raw)| reaction(raw).map_err(|e| e.under(&format!("reactions[{i}]"))))
        .collect::<Result<_, _>>()?;
    let rows = raw
        .inline_bot_buttons
        .take()
        .unwrap_or_default()
        .into_iter();
    message.buttons = rows
        .map(|row| row.into_iter().map(button).collect())
        .collect();

    let unknown = std::mem::take(&mut raw.unknown).into_iter();
    if service {
        fields.extend(unknown);
        message.action = Some(Action {
            kind: raw
                .action
                .as_deref()
                .map_or(ActionKind::CustomAction, ActionKind::from),
            actor: peer(raw.actor.take(), raw.actor_id),
            fields,
        });
    } else {
        message.extra.extend(unknown);
    }
    analysis::analyze(&mut message);
    Ok(message)
}

/// Takes the keys that mean something else in a service message than beside media, as
/// action fields.
fn take_action_fields(raw: &mut RawMessage<'_>) -> serde_json::Map<String, serde_json::Value> {
    let mut fields = serde_json::Map::new();
    if let Some(title) = raw.title.take() {
        fields.insert("title".into(), title.into_string().into());
    }
    if let Some(seconds) = raw.duration_seconds.take() {
        fields.insert("duration_seconds".into(), seconds.into());
    }
    // The chat of a pinned message (beside `message_id`), not of a reply.
    if raw.reply_to_message_id.is_none()
        && let Some(RawPeerId(chat)) = raw.reply_to_peer_id.take()
    {
        fields.insert("reply_to_peer_id".into(), chat.to_string().into());
    }
    fields
}

/// The `text` of an export without `text_entities`.
fn parse_text(text: &RawValue) -> Result<Text, Invalid> {
    serde_json::from_str(text.get()).map_err(|_| {
        let mut json = serde_json::Deserializer::from_str(text.get());
        match serde_path_to_error::deserialize::<_, Text>(&mut json) {
            Err(err) => {
                let inner = err.inner();
                // serde_json counts from the start of `text`'s value; where that value
                // lies in the input is known from its address.
                let (line, column) = (inner.line().max(1), inner.column().max(1));
                let line_start = match line {
                    1 => 0,
                    _ => memchr::memchr_iter(b'\n', text.get().as_bytes())
                        .nth(line - 2)
                        .map_or(0, |newline| newline + 1),
                };
                Invalid {
                    address: Some(text.get().as_ptr() as usize + line_start + column - 1),
                    ..Invalid::new(
                        join_path("text", &err.path().to_string()),
                        super::document::without_position(inner),
                    )
                }
            }
            Ok(_) => unreachable!("parsing failed once"),
        }
    })
}

/// `path` below `parent`, for a path from `serde_path_to_error` (`.` is the root).
pub(super) fn join_path(parent: &str, path: &str) -> String {
    match path {
        "." => parent.to_owned(),
        _ if path.starts_with('[') => format!("{parent}{path}"),
        _ => format!("{parent}.{path}"),
    }
}

/// The time of `key`: UTC from its Unix time where the export has one (`date_unixtime`),
/// else the exporting machine's wall-clock time as written.
fn time(
    key: &str,
    local: Option<Str<'_>>,
    unix: Option<Int>,
) -> Result<Option<Timestamp>, Invalid> {
    if let Some(Int(seconds)) = unix {
        return Timestamp::from_unix(seconds).map(Some).ok_or_else(|| {
            Invalid::new(
                format!("{key}_unixtime"),
                format!("Unix time {seconds} is out of range"),
            )
        });
    }
    local
        .map(|text| text.parse().map_err(|err| Invalid::new(key, err)))
        .transpose()
}

/// A name that may be `null` and an id; `None` when the export has neither.
fn peer(name: Option<Option<Str<'_>>>, id: Option<RawPeerId>) -> Option<Peer> {
    (name.is_some() || id.is_some()).then(|| {
        Peer::new(
            name.flatten().map(Str::into_string),
            id.map(|RawPeerId(id)| id),
        )
    })
}

fn reaction(raw: RawReaction<'_>) -> Result<Reaction, Invalid> {
    let recent = (raw.recent.into_iter().enumerate())
        .map(|(i, recent)| {
            let date = recent.date.map(|date| {
                date.parse()
                    .map_err(|err| Invalid::new(format!("recent[{i}].date"), err))
            });
            Ok(RecentReaction {
                from: Peer::new(
                    recent.from.map(Str::into_string),
                    recent.from_id.map(|RawPeerId(id)| id),
                ),
                date: date.transpose()?,
            })
        })
        .collect::<Result<_, Invalid>>()?;
    Ok(Reaction {
        kind: ReactionKind::from(&*raw.kind),
        emoji: raw.emoji.map(Str::into_string),
        document_id: raw.document_id.map(Str::into_string),
        count: raw.count,
        recent,
    })
}

fn button(raw: RawButton<'_>) -> Button {
    let mut button = Button::new(
        raw.kind.into_string(),
        raw.text.map(Str::into_string).unwrap_or_default(),
    );
    // Callback buttons carry their data base64-encoded, next to an empty `data`.
    button.data = (raw.data_base64.or(raw.data))
        .filter(|data| !data.is_empty())
        .map(Str::into_string);
    button.forward_text = raw.forward_text.map(Str::into_string);
    button.button_id = raw.button_id.map(|Int(id)| id);
    button
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unix_time_wins_over_local_time() {
        let local = serde_json::from_str::<Str<'_>>(r#""2023-07-18T00:23:39""#).unwrap();
        let t = time("date", Some(local.clone()), Some(Int(1_689_611_019))).unwrap();
        assert_eq!(t.unwrap().to_string(), "2023-07-17T16:23:39Z");
        let t = time("date", Some(local), None).unwrap();
        assert_eq!(t.unwrap().to_string(), "2023-07-18T00:23:39");
    }

    #[test]
    fn a_bad_date_names_its_key() {
        let bad = serde_json::from_str::<Str<'_>>(r#""yesterday""#).unwrap();
        let err = time("edited", Some(bad), None).unwrap_err();
        assert_eq!(err.path, "edited");
        assert!(err.message.contains("\"yesterday\""), "{}", err.message);
    }
}
