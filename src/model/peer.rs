//! Senders, forward sources and other parties of a message.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Someone a message names: its sender, a forward source, the actor of a service message.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Peer {
    /// Display name; `None` when the export hides it (deleted accounts).
    pub name: Option<String>,
    /// Telegram id, when the export has it.
    pub id: Option<PeerId>,
}

impl Peer {
    /// A peer with a name and maybe an id.
    pub fn new(name: Option<String>, id: Option<PeerId>) -> Self {
        Self { name, id }
    }
}

/// What kind of party a [`PeerId`] names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PeerKind {
    /// A user or bot.
    User,
    /// A basic group.
    Chat,
    /// A channel or supergroup.
    Channel,
}

/// A Telegram peer id, serialised the way current exports write it: `user123`,
/// `chat123`, `channel123`.
///
/// ```
/// use tgexport::{PeerId, PeerKind};
/// let id: PeerId = "channel1878264527".parse().unwrap();
/// assert_eq!((id.kind, id.id), (PeerKind::Channel, 1878264527));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PeerId {
    /// User, chat or channel.
    pub kind: PeerKind,
    /// The bare id.
    pub id: i64,
}

impl PeerId {
    /// Decodes the bare numbers of older exports, which packed the kind into high bits:
    /// bit 32 for users and bit 33 for chats and channels. A number with neither is a user.
    pub fn from_packed(value: i64) -> Self {
        const USER: i64 = 1 << 32;
        const CHAT: i64 = 1 << 33;
        if (CHAT..CHAT << 1).contains(&value) {
            Self {
                kind: PeerKind::Channel,
                id: value - CHAT,
            }
        } else if (USER..CHAT).contains(&value) {
            Self {
                kind: PeerKind::User,
                id: value - USER,
            }
        } else {
            Self {
                kind: PeerKind::User,
                id: value,
            }
        }
    }
}

impl fmt::Display for PeerId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let prefix = match self.kind {
            PeerKind::User => "user",
            PeerKind::Chat => "chat",
            PeerKind::Channel => "channel",
        };
        write!(f, "{prefix}{}", self.id)
    }
}

/// The text was not a peer id such as `user123`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("expected a peer id like user123, chat123 or channel123, found {0:?}")]
pub struct PeerIdError(String);

impl FromStr for PeerId {
    type Err = PeerIdError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (kind, digits) = [
            ("user", PeerKind::User),
            ("chat", PeerKind::Chat),
            ("channel", PeerKind::Channel),
        ]
        .into_iter()
        .find_map(|(prefix, kind)| text.strip_prefix(prefix).map(|rest| (kind, rest)))
        .ok_or_else(|| PeerIdError(text.to_owned()))?;
        let id = digits.parse().map_err(|_| PeerIdError(text.to_owned()))?;
        Ok(Self { kind, id })
    }
}

super::string_form!(
    PeerId,
    pattern = "^(user|chat|channel)-?[0-9]+$",
    description = "A peer id: user123, chat123 or channel123."
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_ids_decode_to_their_kind() {
        assert_eq!(
            PeerId::from_packed((1 << 32) + 42),
            PeerId {
                kind: PeerKind::User,
                id: 42
            }
        );
        assert_eq!(
            PeerId::from_packed((1 << 33) + 7),
            PeerId {
                kind: PeerKind::Channel,
                id: 7
            }
        );
        assert_eq!(
            PeerId::from_packed(99),
            PeerId {
                kind: PeerKind::User,
                id: 99
            }
        );
    }

    #[test]
    fn string_ids_round_trip() {
        for text in ["user1", "chat22", "channel1878264527"] {
            assert_eq!(text.parse::<PeerId>().unwrap().to_string(), text);
        }
        assert!("group5".parse::<PeerId>().is_err());
        assert!("user".parse::<PeerId>().is_err());
    }
}
