//! Service messages: Telegram Desktop writes only an English sentence (`X pinned this
//! message`), so the action is recognised from the sentence's fixed words.

use serde_json::{Map, Value};

use crate::{Action, ActionKind, Peer};

/// How a sentence of one action kind is built around its variable parts.
enum Shape {
    /// The whole sentence.
    Exactly(&'static str),
    /// Starts with this (`Channel title changed to «…»`); no actor.
    Starts(&'static str),
    /// The actor's name, then this (`X pinned this message`).
    AfterActor(&'static str),
}

/// Sentences as Telegram Desktop writes them; the first that fits wins, so longer
/// phrases come before the shorter ones they contain (` removed group photo` before
/// ` removed `).
const SENTENCES: &[(Shape, ActionKind)] = &[
    (
        Shape::Exactly("Channel photo changed"),
        ActionKind::EditGroupPhoto,
    ),
    (
        Shape::Exactly("Channel photo removed"),
        ActionKind::DeleteGroupPhoto,
    ),
    (Shape::Exactly("History cleared"), ActionKind::ClearHistory),
    (Shape::Starts("Channel «"), ActionKind::CreateChannel),
    (
        Shape::Starts("Channel title changed to «"),
        ActionKind::EditGroupTitle,
    ),
    (Shape::Starts("Voice chat"), ActionKind::GroupCall),
    (
        Shape::AfterActor(" created group «"),
        ActionKind::CreateGroup,
    ),
    (
        Shape::AfterActor(" changed group title to «"),
        ActionKind::EditGroupTitle,
    ),
    (
        Shape::AfterActor(" changed group photo"),
        ActionKind::EditGroupPhoto,
    ),
    (
        Shape::AfterActor(" removed group photo"),
        ActionKind::DeleteGroupPhoto,
    ),
    (
        Shape::AfterActor(" joined group by link from "),
        ActionKind::JoinGroupByLink,
    ),
    (
        Shape::AfterActor(" converted this group to a supergroup"),
        ActionKind::MigrateToSupergroup,
    ),
    (
        Shape::AfterActor(" converted a basic group to this supergroup"),
        ActionKind::MigrateFromGroup,
    ),
    (
        Shape::AfterActor(" created topic «"),
        ActionKind::TopicCreated,
    ),
    (Shape::AfterActor(" changed topic "), ActionKind::TopicEdit),
    (
        Shape::AfterActor(" started voice chat"),
        ActionKind::GroupCall,
    ),
    (Shape::AfterActor(" pinned "), ActionKind::PinMessage),
    (Shape::AfterActor(" scored "), ActionKind::GameScore),
    (Shape::AfterActor(" invited "), ActionKind::InviteMembers),
    (Shape::AfterActor(" removed "), ActionKind::RemoveMembers),
];

/// The action a service sentence records. The sentence itself is always kept as the
/// `text` field; a sentence no rule fits has the kind `unknown`. `message_id` is the
/// message the sentence links to (the pinned one).
pub(super) fn action(sentence: &str, message_id: Option<i64>) -> Action {
    let (kind, actor) = SENTENCES
        .iter()
        .find_map(|(shape, kind)| {
            let actor = match *shape {
                Shape::Exactly(whole) => (sentence == whole).then_some(None)?,
                Shape::Starts(start) => sentence.starts_with(start).then_some(None)?,
                Shape::AfterActor(words) => Some(sentence.split_once(words)?.0),
            };
            Some((kind.clone(), actor.filter(|name| !name.is_empty())))
        })
        .unwrap_or_else(|| (ActionKind::Other("unknown".to_owned()), None));
    let mut fields = Map::new();
    fields.insert("text".to_owned(), sentence.into());
    if let Some(title) = quoted(sentence) {
        fields.insert("title".to_owned(), title.into());
    }
    if let Some(id) = message_id {
        fields.insert("message_id".to_owned(), Value::from(id));
    }
    Action {
        kind,
        actor: actor.map(|name| Peer::new(Some(name.to_owned()), None)),
        fields,
    }
}

/// The text between `«` and `»`.
fn quoted(sentence: &str) -> Option<&str> {
    let (_, rest) = sentence.split_once('«')?;
    Some(rest.rsplit_once('»')?.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_name_kind_actor_and_title() {
        let created = action("Channel «Reading Room» created", None);
        assert_eq!(created.kind, ActionKind::CreateChannel);
        assert_eq!(created.actor, None);
        assert_eq!(created.fields["title"], "Reading Room");

        let pinned = action("Reading Room pinned this message", Some(3));
        assert_eq!(pinned.kind, ActionKind::PinMessage);
        assert_eq!(pinned.actor.unwrap().name.as_deref(), Some("Reading Room"));
        assert_eq!(pinned.fields["message_id"], 3);

        let photo = action("Ann removed group photo", None);
        assert_eq!(photo.kind, ActionKind::DeleteGroupPhoto);
    }

    #[test]
    fn unknown_sentences_are_kept() {
        let odd = action("Something new happened", None);
        assert_eq!(odd.kind.as_str(), "unknown");
        assert_eq!(odd.fields["text"], "Something new happened");
    }
}
