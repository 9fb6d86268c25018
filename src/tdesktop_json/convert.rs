//! Turning a raw message object into a [`Message`].

use serde_json::value::RawValue;

use super::damage::{self, Damage};
use super::media;
use super::raw::{RawButton, RawMessage, RawPeerId, RawReaction};
use super::text::Text;
use super::values::{Int, Str};
use crate::{
    Action, ActionKind, Button, Forward, Message, MessageKind, Peer, Reaction, ReactionKind,
    RecentReaction, ReplyTo, Timestamp, analysis,
};

/// Converts a raw message at position `index` of the export, and analyses its text.
///
/// A service message keeps its keys beyond the common ones in [`Action::fields`]; any
/// other message keeps keys this module does not know in [`Message::extra`]. A value that
/// has the right JSON type but cannot be read (a date that is not one) is left out and
/// added to `damage`.
pub(crate) fn message(
    mut raw: Box<RawMessage<'_>>,
    index: usize,
    damage: &mut Vec<Damage>,
) -> Message {
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
    message.date = time("date", raw.date.take(), raw.date_unixtime, damage);
    message.edited = time("edited", raw.edited.take(), raw.edited_unixtime, damage);
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
            // tdesktop writes the peer only for a message of another chat.
            other_chat: raw.reply_to_peer_id.is_some(),
            ..ReplyTo::default()
        });
    }

    let text = match (raw.text_entities.take(), raw.text) {
        (Some(text), _) => text,
        (None, Some(text)) => parse_text(text, damage),
        (None, None) => Text::default(),
    };
    (message.text, message.entities) = (text.text, text.entities);
    message.media.extend(media::take(&mut raw));
    let reactions = raw.reactions.take().unwrap_or_default().into_iter();
    message.reactions = (reactions.enumerate())
        .map(|(i, raw)| reaction(raw, &format!("reactions[{i}]"), damage))
        .collect();
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
    message
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

/// The `text` of an export without `text_entities`; parts that do not read are read as
/// their plain text, each a [`Damage`].
fn parse_text(text: &RawValue, damage: &mut Vec<Damage>) -> Text {
    if let Ok(text) = serde_json::from_str(text.get()) {
        return text;
    }
    let mut json = text.get();
    let fixed = damage::without_lone_surrogates(json, &mut Vec::new());
    json = fixed.as_deref().unwrap_or(json);
    let value = match serde_json::from_str::<serde_json::Value>(json) {
        Ok(value) => damage::text_parts("text", value, damage),
        // Nothing else in it could break: the message it is in parsed.
        Err(err) => {
            damage.push(Damage::value("text", err, text.get().into()));
            return Text::default();
        }
    };
    if fixed.is_some() {
        damage.push(Damage::value(
            "text",
            "escaped lone surrogates, read as U+FFFD",
            text.get().into(),
        ));
    }
    serde_json::from_value(value).unwrap_or_default()
}

/// The time of `key`: UTC from its Unix time where the export has one (`date_unixtime`),
/// else the exporting machine's wall-clock time as written; `None`, with a [`Damage`],
/// when it is no time.
fn time(
    key: &str,
    local: Option<Str<'_>>,
    unix: Option<Int>,
    damage: &mut Vec<Damage>,
) -> Option<Timestamp> {
    if let Some(Int(seconds)) = unix {
        let time = Timestamp::from_unix(seconds);
        if time.is_none() {
            let problem = format!("Unix time {seconds} is out of range");
            damage.push(Damage::value(
                format!("{key}_unixtime"),
                problem,
                seconds.into(),
            ));
        }
        return time;
    }
    let local = local?;
    local
        .parse()
        .map_err(|err| damage.push(Damage::value(key, err, local.into_string().into())))
        .ok()
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

/// A reaction (at `path` of the message); a recent reactor's date that is no date is
/// left out, with a [`Damage`].
fn reaction(raw: RawReaction<'_>, path: &str, damage: &mut Vec<Damage>) -> Reaction {
    let recent = (raw.recent.unwrap_or_default().into_iter().enumerate())
        .map(|(i, recent)| RecentReaction {
            from: Peer::new(
                recent.from.flatten().map(Str::into_string),
                recent.from_id.flatten().map(|RawPeerId(id)| id),
            ),
            date: recent.date.flatten().and_then(|date| {
                date.parse()
                    .map_err(|err| {
                        let path = format!("{path}.recent[{i}].date");
                        damage.push(Damage::value(path, err, date.into_string().into()));
                    })
                    .ok()
            }),
            extra: recent.unknown.into_iter().collect(),
        })
        .collect();
    Reaction {
        // `type` and `count` are required: always there.
        kind: ReactionKind::from(raw.kind.as_deref().unwrap_or_default()),
        emoji: raw.emoji.flatten().map(Str::into_string),
        document_id: raw.document_id.flatten().map(Str::into_string),
        count: raw.count.unwrap_or_default(),
        recent,
        extra: raw.unknown.into_iter().collect(),
    }
}

fn button(raw: RawButton<'_>) -> Button {
    let mut button = Button::new(
        // `type` is required: always there.
        raw.kind.map(Str::into_string).unwrap_or_default(),
        raw.text.flatten().map(Str::into_string).unwrap_or_default(),
    );
    // Callback buttons carry their data base64-encoded, next to an empty `data`.
    button.data = (raw.data_base64.flatten().or(raw.data.flatten()))
        .filter(|data| !data.is_empty())
        .map(Str::into_string);
    button.forward_text = raw.forward_text.flatten().map(Str::into_string);
    button.button_id = raw.button_id.flatten().map(|Int(id)| id);
    button.extra = raw.unknown.into_iter().collect();
    button
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unix_time_wins_over_local_time() {
        let local = serde_json::from_str::<Str<'_>>(r#""2023-07-18T00:23:39""#).unwrap();
        let mut damage = Vec::new();
        let t = time(
            "date",
            Some(local.clone()),
            Some(Int(1_689_611_019)),
            &mut damage,
        );
        assert_eq!(t.unwrap().to_string(), "2023-07-17T16:23:39Z");
        let t = time("date", Some(local), None, &mut damage);
        assert!(damage.is_empty());
        assert_eq!(t.unwrap().to_string(), "2023-07-18T00:23:39");
    }

    #[test]
    fn a_bad_date_is_left_out_and_kept_as_damage() {
        let bad = serde_json::from_str::<Str<'_>>(r#""yesterday""#).unwrap();
        let mut damage = Vec::new();
        assert_eq!(time("edited", Some(bad), None, &mut damage), None);
        assert_eq!(damage[0].path, "edited");
        assert!(
            damage[0].problem.contains("\"yesterday\""),
            "{}",
            damage[0].problem
        );
        assert_eq!(damage[0].kept, damage::Kept::Value("yesterday".into()));
    }
}
