//! A message and the parts it is made of.

use serde::{Deserialize, Serialize};

use chrono::FixedOffset;

use super::{
    Chat, DateMention, EmojiInfo, Entity, Link, Media, Peer, PeerId, Timestamp, open_enum,
};

/// One post of a channel (or message of a chat), from any input format.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Message {
    /// Position in the export, from 0.
    pub index: usize,
    /// Telegram's message id, when the input has it (negative for migrated groups).
    pub id: Option<i64>,
    /// The chat it belongs to, in an export of several chats (a Telegram Desktop export of
    /// a whole account); `None` when the export is one chat, named by [`Export::channel`].
    ///
    /// [`Export::channel`]: crate::Export::channel
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chat: Option<Chat>,
    /// Ordinary message, service message or unsupported.
    #[serde(default)]
    pub kind: MessageKind,
    /// First and last source line (1-based), for plain-text input.
    pub lines: Option<LineRange>,
    /// When it was posted.
    pub date: Option<Timestamp>,
    /// When it was last edited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edited: Option<Timestamp>,
    /// Who posted it.
    pub from: Option<Peer>,
    /// The post author's signature in a channel.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// Where it was forwarded from.
    pub forwarded_from: Option<Forward>,
    /// Where a saved message was saved from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub saved_from: Option<String>,
    /// The message it replies to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to: Option<ReplyTo>,
    /// The inline bot it was sent via (`@bot`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub via_bot: Option<String>,
    /// Attached media, or the placeholders a browser showed instead.
    pub media: Vec<Media>,
    /// What a service message records.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<Action>,
    /// The whole text: paragraphs joined by `\n` (with the blank lines a plain-text copy set
    /// between them), each with its emoji marker.
    pub text: String,
    /// The text's lines, each with its leading emoji marker split off.
    pub paragraphs: Vec<Paragraph>,
    /// Formatting and recognised spans of `text`.
    pub entities: Vec<Entity>,
    /// Hashtags as written (with `#`), unique, in order of first appearance.
    pub hashtags: Vec<String>,
    /// Mentions as written (with `@`), unique, in order of first appearance.
    pub mentions: Vec<String>,
    /// Links: URLs in the text, text links, and labels whose URL was lost.
    pub links: Vec<Link>,
    /// Calendar dates written in the text.
    pub dates: Vec<DateMention>,
    /// A block of lines the source repeated right after itself (kept once in `text`).
    pub duplicate: Option<Duplicate>,
    /// View count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub views: Option<u64>,
    /// The footer of a plain-text copy or web preview (views, `edited`, time, day).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub footer: Option<Footer>,
    /// Reactions and their counts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reactions: Vec<Reaction>,
    /// Inline keyboard, row by row.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub buttons: Vec<Vec<Button>>,
    /// Keys of the source this version of tgexport does not know, as found.
    #[serde(default, skip_serializing_if = "serde_json::Map::is_empty")]
    pub extra: serde_json::Map<String, serde_json::Value>,
    /// The input the message was read from, when several were read together.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

impl Message {
    /// An empty ordinary message at `index`.
    pub fn new(index: usize) -> Self {
        Self {
            index,
            id: None,
            chat: None,
            kind: MessageKind::Message,
            lines: None,
            date: None,
            edited: None,
            from: None,
            author: None,
            forwarded_from: None,
            saved_from: None,
            reply_to: None,
            via_bot: None,
            media: Vec::new(),
            action: None,
            text: String::new(),
            paragraphs: Vec::new(),
            entities: Vec::new(),
            hashtags: Vec::new(),
            mentions: Vec::new(),
            links: Vec::new(),
            dates: Vec::new(),
            duplicate: None,
            views: None,
            footer: None,
            reactions: Vec::new(),
            buttons: Vec::new(),
            extra: serde_json::Map::new(),
            source: None,
        }
    }

    /// Gives every time of the message that has no offset the offset `offset`: posting,
    /// editing, forwarding and reaction times (the `--tz` fix for exports that wrote the
    /// exporting machine's wall-clock time); see [`Timestamp::assume_offset`].
    pub fn assume_offset(&mut self, offset: FixedOffset) {
        let forwarded = self.forwarded_from.as_mut().and_then(|f| f.date.as_mut());
        let reacted = self
            .reactions
            .iter_mut()
            .flat_map(|r| &mut r.recent)
            .filter_map(|recent| recent.date.as_mut());
        for time in [self.date.as_mut(), self.edited.as_mut(), forwarded]
            .into_iter()
            .flatten()
            .chain(reacted)
        {
            *time = time.assume_offset(offset);
        }
    }
}

/// The kind of a [`Message`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum MessageKind {
    /// An ordinary post.
    #[default]
    Message,
    /// A service message (channel created, message pinned, …); see [`Message::action`].
    Service,
    /// A message the exporting client could not show.
    Unsupported,
}

/// First and last line (1-based, inclusive), serialised as `[first, last]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(from = "[u32; 2]", into = "[u32; 2]")]
#[cfg_attr(feature = "schema", schemars(with = "[u32; 2]"))]
pub struct LineRange {
    /// First line.
    pub first: u32,
    /// Last line.
    pub last: u32,
}

impl LineRange {
    /// The lines `first..=last`.
    pub fn new(first: u32, last: u32) -> Self {
        Self { first, last }
    }

    /// How many lines the range covers (0 when `last < first`).
    pub fn len(&self) -> u32 {
        (self.last + 1).saturating_sub(self.first)
    }

    /// Whether the range covers no line.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl From<[u32; 2]> for LineRange {
    fn from([first, last]: [u32; 2]) -> Self {
        Self { first, last }
    }
}

impl From<LineRange> for [u32; 2] {
    fn from(range: LineRange) -> Self {
        [range.first, range.last]
    }
}

/// A source line kept as written, with its 1-based number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct SourceLine {
    /// 1-based line number.
    pub line: u32,
    /// The line without its line ending.
    pub text: String,
}

impl SourceLine {
    /// Line `line` reading `text`.
    pub fn new(line: u32, text: impl Into<String>) -> Self {
        Self {
            line,
            text: text.into(),
        }
    }
}

/// Where a message was forwarded from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Forward {
    /// The source's name (`Russian MFA`); `None` when hidden.
    pub name: Option<String>,
    /// The source's id, when the export has it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<PeerId>,
    /// Emoji written after the name (`🇷🇺`).
    #[serde(default)]
    pub emoji: Vec<EmojiInfo>,
    /// When the original was posted, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<Timestamp>,
    /// Link to the source (its channel or the original post), in web previews.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The `Forwarded from …` line, for plain text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// What followed `Forwarded from `, when the name and emoji alone do not spell it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw: Option<String>,
}

/// The message a message replies to.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct ReplyTo {
    /// Id of the replied-to message.
    pub message_id: Option<i64>,
    /// Chat of the replied-to message when it is another chat.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub peer_id: Option<PeerId>,
    /// Whether the replied-to message is in another chat (its chat is `peer_id` when the
    /// source names it; Telegram Desktop's HTML only says `a message in another chat`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub other_chat: bool,
    /// Who wrote the replied-to message, when the source shows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// Quoted text of the replied-to message, when the source shows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

/// One line of a message's text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Paragraph {
    /// Source line (1-based), for plain text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// Emoji leading the line (`📆`, `ℹ️`), when there is one.
    pub marker: Option<Marker>,
    /// The line after its marker and the space that follows it.
    pub text: String,
}

impl Paragraph {
    /// Appends the line as the source wrote it: marker, separator, text.
    ///
    /// ```
    /// let p = tgexport::analysis::paragraph(None, "📆  May 9");
    /// let mut line = String::new();
    /// p.push_written(&mut line);
    /// assert_eq!(line, "📆  May 9");
    /// ```
    pub fn push_written(&self, line: &mut String) {
        if let Some(marker) = &self.marker {
            line.push_str(&marker.emoji);
            line.push_str(&marker.separator);
        }
        line.push_str(&self.text);
    }
}

/// Emoji that lead a paragraph, such as `📆` or `🕯🌟`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Marker {
    /// The emoji as written.
    pub emoji: String,
    /// Their Unicode names, joined by `, ` (`spiral calendar`).
    pub name: String,
    /// White space between the emoji and the text (often `" "`, sometimes none).
    #[serde(default)]
    pub separator: String,
}

/// A block of lines the source repeated right after itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Duplicate {
    /// The repeated lines (file lines for plain text, else lines of the message text).
    pub lines: LineRange,
    /// The lines they repeat.
    pub of: LineRange,
}

/// The footer of a post in a plain-text copy or a web preview: views, `edited`, time,
/// day separator.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Footer {
    /// View count (`214.4K views` → 214400).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub views: Option<u64>,
    /// Whether the post was marked `edited`.
    #[serde(default)]
    pub edited: bool,
    /// Time of day as shown (`10:20`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<String>,
    /// A day separator that followed the post (`November 16`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub day: Option<String>,
    /// The footer's lines as written (plain text only).
    pub lines: Vec<SourceLine>,
}

open_enum! {
    /// What a service message records (`action` in Telegram Desktop exports).
    pub enum ActionKind {
        /// The channel was created.
        CreateChannel = "create_channel",
        /// A group was created.
        CreateGroup = "create_group",
        /// A message was pinned.
        PinMessage = "pin_message",
        /// The chat photo changed.
        EditGroupPhoto = "edit_group_photo",
        /// The chat photo was removed.
        DeleteGroupPhoto = "delete_group_photo",
        /// The chat was renamed.
        EditGroupTitle = "edit_group_title",
        /// Members were invited.
        InviteMembers = "invite_members",
        /// A member left or was removed.
        RemoveMembers = "remove_members",
        /// A member joined by link.
        JoinGroupByLink = "join_group_by_link",
        /// A group became a supergroup.
        MigrateToSupergroup = "migrate_to_supergroup",
        /// A supergroup was created from a group.
        MigrateFromGroup = "migrate_from_group",
        /// The history was cleared.
        ClearHistory = "clear_history",
        /// A phone call.
        PhoneCall = "phone_call",
        /// A group call.
        GroupCall = "group_call",
        /// A forum topic was created.
        TopicCreated = "topic_created",
        /// A forum topic was edited.
        TopicEdit = "topic_edit",
        /// A game score.
        GameScore = "score_in_game",
        /// A payment was sent.
        SendPayment = "send_payment",
        /// A boost was applied.
        BoostApply = "boost_apply",
        /// A screenshot was taken.
        TakeScreenshot = "take_screenshot",
        /// A service text of its own (`information_text`); Telegram Desktop writes no
        /// `action` name for it.
        CustomAction = "custom_action",
        /// A bot was allowed to send messages.
        AllowSendingMessages = "allow_sending_messages",
        /// A bot was added to the attachment menu.
        AttachMenuBotAllowed = "attach_menu_bot_allowed",
        /// A web app bot was allowed to send messages.
        WebAppBotAllowed = "web_app_bot_allowed",
        /// Telegram Passport values were sent.
        SendPassportValues = "send_passport_values",
        /// A contact joined Telegram.
        JoinedTelegram = "joined_telegram",
        /// A shared live location came within a distance of another.
        ProximityReached = "proximity_reached",
        /// A phone number was requested.
        RequestedPhoneNumber = "requested_phone_number",
        /// Members were invited to a group call.
        InviteToGroupCall = "invite_to_group_call",
        /// The auto-delete timer changed.
        SetMessagesTtl = "set_messages_ttl",
        /// A group call was scheduled.
        GroupCallScheduled = "group_call_scheduled",
        /// The chat theme changed.
        EditChatTheme = "edit_chat_theme",
        /// A join request was approved.
        JoinGroupByRequest = "join_group_by_request",
        /// A web app sent data.
        SendWebviewData = "send_webview_data",
        /// Telegram Premium was gifted.
        SendPremiumGift = "send_premium_gift",
        /// A profile photo was suggested.
        SuggestProfilePhoto = "suggest_profile_photo",
        /// A peer was shared through a bot button.
        RequestedPeer = "requested_peer",
        /// A gift code was won or given.
        GiftCodePrize = "gift_code_prize",
        /// A giveaway started.
        GiveawayLaunch = "giveaway_launch",
        /// A giveaway ended.
        GiveawayResults = "giveaway_results",
        /// The chat wallpaper changed.
        SetChatWallpaper = "set_chat_wallpaper",
        /// The chat wallpaper was set to another chat's.
        SetSameChatWallpaper = "set_same_chat_wallpaper",
        /// A payment was refunded.
        RefundedPayment = "refunded_payment",
        /// Stars were gifted.
        SendStarsGift = "send_stars_gift",
        /// Stars were won in a giveaway.
        StarsPrize = "stars_prize",
        /// A star gift was sent.
        SendStarGift = "send_star_gift",
        /// A conference call.
        ConferenceCall = "conference_call",
    }
}

/// The action of a service message: its kind and its own fields as found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Action {
    /// What happened.
    #[serde(rename = "type")]
    pub kind: ActionKind,
    /// Who did it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<Peer>,
    /// The action's other fields (`message_id`, `title`, `members`, …), as found.
    #[serde(default, flatten)]
    pub fields: serde_json::Map<String, serde_json::Value>,
}

open_enum! {
    /// The kind of a [`Reaction`].
    pub enum ReactionKind {
        /// An ordinary emoji.
        Emoji = "emoji",
        /// A custom (sticker) emoji.
        CustomEmoji = "custom_emoji",
        /// A paid (star) reaction.
        Paid = "paid",
        /// A reaction whose picture a plain-text copy lost (a custom emoji or paid star
        /// shows as an image, which a copy drops): only its count is known.
        Unknown = "unknown",
    }
}

/// A reaction and how often it was given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Reaction {
    /// Emoji, custom emoji or paid.
    #[serde(rename = "type")]
    pub kind: ReactionKind,
    /// The emoji, for emoji reactions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub emoji: Option<String>,
    /// The sticker document, for custom emoji.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_id: Option<String>,
    /// How many gave it.
    pub count: u64,
    /// Recent reactors, as far as the export lists them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recent: Vec<RecentReaction>,
    /// Keys of the source this version of tgexport does not know, as found.
    #[serde(default, skip_serializing_if = "serde_json::Map::is_empty")]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// Someone who reacted recently, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct RecentReaction {
    /// Who reacted.
    pub from: Peer,
    /// When, as the export gives it (Telegram Desktop: the exporting machine's local time).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<Timestamp>,
    /// Keys of the source this version of tgexport does not know, as found.
    #[serde(default, skip_serializing_if = "serde_json::Map::is_empty")]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// A button of an inline keyboard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Button {
    /// Button type as the export names it (`url`, `callback`, …).
    #[serde(rename = "type")]
    pub kind: String,
    /// The label.
    pub text: String,
    /// Its URL or callback data, when it has one; callback data is base64url, as
    /// Telegram Desktop writes it (`dataBase64`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<String>,
    /// Text a login (`auth`) button shows when forwarded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forward_text: Option<String>,
    /// Id of a button that asks to share a peer (`request_peer`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub button_id: Option<i64>,
    /// Keys of the source this version of tgexport does not know, as found.
    #[serde(default, skip_serializing_if = "serde_json::Map::is_empty")]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl Button {
    /// A button of `kind` labelled `text`, with no data.
    pub fn new(kind: impl Into<String>, text: impl Into<String>) -> Self {
        Self {
            kind: kind.into(),
            text: text.into(),
            data: None,
            forward_text: None,
            button_id: None,
            extra: serde_json::Map::new(),
        }
    }
}
