//! Telegram Desktop `result.json`: hand-made fixtures of every era, and real exports
//! when `../shared/realworld` is there.

use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use serde_json::Value;
use tgexport::{Export, Format, Message};

/// Every fixture read whole: the export as JSON, or the error it is.
#[test]
fn fixtures() {
    insta::glob!("../testdata/tdesktop_json", "*.json", |path| {
        let bytes = std::fs::read(path).unwrap();
        match tgexport::parse_bytes(&bytes) {
            Ok(export) => {
                let mut reader = tgexport::read(&bytes[..]).unwrap();
                let json = tgexport::write::json(&mut reader, Vec::new()).unwrap();
                // A chat named after its messages (sorted keys) is written after them too.
                let streamed: Export = serde_json::from_slice(&json).unwrap();
                assert_eq!(streamed, export, "streamed JSON == whole export");
                insta::assert_json_snapshot!(export)
            }
            Err(err) => insta::assert_snapshot!(err.to_string()),
        }
    });
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("testdata/tdesktop_json")
            .join(name),
    )
    .unwrap()
}

/// A reader that hands out at most `chunk` bytes per read.
struct Trickle<'a> {
    data: &'a [u8],
    chunk: usize,
}

impl Read for Trickle<'_> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let n = self.chunk.min(out.len()).min(self.data.len());
        out[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}

/// `bytes` read as a stream that arrives `chunk` bytes at a time.
fn streamed(bytes: &[u8], chunk: usize) -> Export {
    let input = BufReader::with_capacity(chunk, Trickle { data: bytes, chunk });
    tgexport::read(input).unwrap().into_export().unwrap()
}

/// The messages of `bytes`, each parsed on its own from a whole-document parse with
/// `serde_json`, re-serialised compactly: an independent account of where each
/// message starts and ends, and of which chat it is in.
fn one_by_one(bytes: &[u8]) -> Vec<Message> {
    let document: Value = serde_json::from_slice(bytes).unwrap();
    let single = document
        .get("messages")
        .map(|messages| (Value::Null, false, messages));
    let lists = ["chats", "left_chats"].into_iter().flat_map(|section| {
        let chats = document[section]["list"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        chats.into_iter().map(move |chat| {
            (
                chat.clone(),
                section == "left_chats",
                chat["messages"].clone(),
            )
        })
    });
    let mut found = Vec::new();
    let chats: Vec<_> = single
        .map(|(c, l, m)| (c, l, m.clone()))
        .into_iter()
        .chain(lists)
        .collect();
    for (chat, left, messages) in chats {
        for message in messages.as_array().unwrap() {
            let wrapped = serde_json::json!({ "messages": [message] });
            let mut export = tgexport::parse(&wrapped.to_string()).unwrap();
            let mut message = export.messages.remove(0);
            message.index = found.len();
            if chat != Value::Null {
                let mut named = serde_json::json!({
                    "title": chat.get("name").cloned().unwrap_or(Value::Null),
                    "id": chat["id"],
                    "type": chat["type"],
                });
                if left {
                    named["left"] = Value::Bool(true);
                }
                message.chat = Some(serde_json::from_value(named).unwrap());
            }
            found.push(message);
        }
    }
    found
}

#[test]
fn streaming_agrees_with_a_whole_document_parse() {
    for name in [
        "2020_personal_chat.json",
        "2022_supergroup.json",
        "2024_channel.json",
        "account.json",
    ] {
        let bytes = fixture(name);
        let whole = one_by_one(&bytes);
        for chunk in [1, 7, 64, 1 << 16] {
            assert_eq!(
                streamed(&bytes, chunk).messages,
                whole,
                "{name}, chunks of {chunk}"
            );
        }
    }
}

#[test]
fn an_interrupted_export_keeps_its_complete_messages() {
    let bytes = fixture("broken_truncated.json");
    let export = streamed(&bytes, 5);
    assert_eq!(export.messages.len(), 2);
    assert_eq!(export.warnings.len(), 1);
    assert_eq!(export.warnings[0].offset, Some(bytes.len() as u64));
}

#[test]
fn a_value_of_the_wrong_type_costs_that_value_not_the_message() {
    let bytes = fixture("broken_wrong_id.json");
    let export = tgexport::parse_bytes(&bytes).unwrap();
    assert_eq!(export.messages.len(), 4);
    let damaged = &export.messages[3];
    assert_eq!((damaged.id, damaged.text.as_str()), (None, "bad id"));
    assert_eq!(damaged.extra["tgexport_damaged"][0]["value"], "abc");
    assert_eq!(export.warnings.len(), 1);
    let warning = &export.warnings[0];
    assert_eq!(warning.line, Some(46));
    assert!(
        warning
            .message
            .starts_with("the message messages[3], line 46, column 4: `id`"),
        "{}",
        warning.message
    );
}

/// The messages of `bytes` with the byte at `at` replaced by `byte`.
fn damaged(mut bytes: Vec<u8>, at: usize, byte: u8) -> Vec<u8> {
    bytes[at] = byte;
    bytes
}

#[test]
fn damage_of_every_kind_costs_only_the_damaged_part() {
    let clean = fixture("2024_channel.json");
    let text = String::from_utf8(clean.clone()).unwrap();
    let gusts = text.find("Gusts").unwrap();
    // A byte that is not UTF-8 inside a string, and one in the structure between keys.
    let in_string = damaged(clean.clone(), gusts, 0xFF);
    let in_structure = damaged(
        clean.clone(),
        text[..gusts].rfind("\"text\"").unwrap() - 1,
        0xFF,
    );
    let surrogate = text.replace("Gusts", "Gusts \\ud800").into_bytes();
    let float_peer = text.replacen("\"from_id\": \"channel2100200300\"", "\"from_id\": 5.5", 1);
    let not_an_entity = text.replacen(
        "\"text_entities\": [\n    {",
        "\"text_entities\": [42,\n    {",
        1,
    );
    for (what, bytes, extra) in [
        ("a byte in a string", in_string, "bytes"),
        ("a byte between keys", in_structure, "raw"),
        ("a lone surrogate", surrogate, "escape"),
        ("a float peer id", float_peer.into_bytes(), "value"),
        (
            "an entity that is a number",
            not_an_entity.into_bytes(),
            "value",
        ),
    ] {
        let export = tgexport::parse_bytes(&bytes).unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(export.messages.len(), 13, "{what}");
        let hurt: Vec<_> = (export.messages.iter())
            .filter(|m| m.extra.contains_key("tgexport_damaged"))
            .collect();
        assert_eq!(hurt.len(), 1, "{what}");
        let records = hurt[0].extra["tgexport_damaged"].as_array().unwrap();
        assert!(
            records.iter().any(|r| r.get(extra).is_some()),
            "{what}: {records:?}"
        );
        let id = hurt[0].id.unwrap();
        assert!(
            export
                .warnings
                .iter()
                .any(|w| w.message.contains(&format!("message id {id} ")) && w.line.is_some()),
            "{what}: {:?}",
            export.warnings
        );
    }
}

#[test]
fn broken_json_in_one_message_keeps_the_keys_around_the_break() {
    let export = tgexport::parse_bytes(&fixture("broken_syntax.json")).unwrap();
    let broken = &export.messages[1];
    // Only `from`, whose comma is missing, is lost… and it is not even: the break is
    // after its value.
    assert_eq!((broken.id, broken.text.as_str()), (Some(71), "x"));
    assert_eq!(broken.from.as_ref().unwrap().name.as_deref(), Some("Typos"));
    assert_eq!(export.warnings[0].line, Some(25));
}

#[test]
fn a_byte_flipped_in_a_real_export_costs_one_message_at_most() {
    let Some(path) = realworld("trantor_library") else {
        return;
    };
    let clean = std::fs::read(&path).unwrap();
    let whole = tgexport::parse_bytes(&clean).unwrap();
    // In the middle of the file, and wherever it lands: in a string or in the structure.
    for at in [clean.len() / 2, clean.len() / 3, clean.len() / 4 + 1] {
        let export = tgexport::parse_bytes(&damaged(clean.clone(), at, 0xFF)).unwrap();
        assert_eq!(export.messages.len(), 924, "byte {at}");
        let same = (export.messages.iter().zip(&whole.messages))
            .filter(|(a, b)| a == b)
            .count();
        assert_eq!(same, 923, "byte {at}");
        let hurt = (export.messages.iter())
            .find(|m| m.extra.contains_key("tgexport_damaged"))
            .unwrap();
        let name = format!("message id {} ", hurt.id.unwrap());
        assert!(
            export
                .warnings
                .iter()
                .all(|w| w.message.starts_with(&name) && w.offset.is_some()),
            "byte {at}: {:?}",
            export.warnings
        );
        assert!(
            export.warnings.iter().any(|w| w.offset == Some(at as u64)),
            "byte {at}"
        );
    }
}

#[test]
fn tz_gives_naive_times_an_offset() {
    let bytes = fixture("2020_personal_chat.json");
    let offset = chrono::FixedOffset::east_opt(3 * 3600).unwrap();
    let reader = tgexport::read(&bytes[..]).unwrap().assume_offset(offset);
    let export = reader.into_export().unwrap();
    let edited = export.messages[1].edited.unwrap();
    assert_eq!(edited.to_string(), "2020-03-14T09:33:40+03:00");
    assert_eq!(
        edited.to_utc().unwrap().to_rfc3339(),
        "2020-03-14T06:33:40+00:00"
    );
    // Times that came with an offset keep it.
    let bytes = fixture("2024_channel.json");
    let export = tgexport::read(&bytes[..])
        .unwrap()
        .assume_offset(offset)
        .into_export()
        .unwrap();
    assert_eq!(
        export.messages[0].date.unwrap().to_string(),
        "2024-01-10T08:00:00Z"
    );
    let recent = &export.messages[2].reactions[0].recent[0];
    assert_eq!(
        recent.date.unwrap().to_string(),
        "2024-02-03T07:31:10+03:00"
    );
}

#[test]
#[cfg(feature = "cli")]
fn the_cli_converts_to_jsonl_with_tz() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/tdesktop_json/2020_personal_chat.json");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_tgexport"))
        .args(["convert", "--to", "jsonl", "--tz", "-05:00"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let lines: Vec<Value> = (String::from_utf8(output.stdout).unwrap().lines())
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(lines.len(), 9);
    assert_eq!(lines[0]["date"], "2020-03-14T09:26:53-05:00");
}

mod common;

/// A real export's `result.json` beside the repository, or `None` where it is absent.
fn realworld(name: &str) -> Option<PathBuf> {
    common::realworld(&format!("{name}/result.json"))
}

/// The parts of a raw `text` or `text_entities` value, concatenated.
fn concatenated(text: &Value) -> String {
    match text {
        Value::String(text) => text.clone(),
        Value::Array(parts) => parts
            .iter()
            .map(|part| match part {
                Value::String(text) => text.as_str(),
                part => part["text"].as_str().unwrap(),
            })
            .collect(),
        other => panic!("not a text: {other}"),
    }
}

/// Facts every real export must keep: one message per raw message, texts that are the
/// parts concatenated, one entity per non-plain part, nothing left in `extra`.
fn check_against_raw(path: &Path) -> (Export, Vec<Value>) {
    let bytes = std::fs::read(path).unwrap();
    let export = tgexport::parse_bytes(&bytes).unwrap();
    assert_eq!(export.format, Format::TdesktopJson);
    assert!(export.warnings.is_empty(), "{:?}", export.warnings);
    let raw: Value = serde_json::from_slice(&bytes).unwrap();
    let raw = raw["messages"].as_array().unwrap().clone();
    assert_eq!(export.messages.len(), raw.len());
    for (message, raw) in export.messages.iter().zip(&raw) {
        assert_eq!(message.id, raw["id"].as_i64());
        assert_eq!(
            message.text,
            concatenated(&raw["text"]),
            "message {:?}",
            message.id
        );
        assert_eq!(message.text, concatenated(&raw["text_entities"]));
        let spans = (raw["text_entities"].as_array().unwrap().iter())
            .filter(|p| p["type"] != "plain" && p["text"] != "")
            .count();
        assert_eq!(message.entities.len(), spans, "message {:?}", message.id);
        assert!(
            message.extra.is_empty(),
            "unexplained keys {:?}",
            message.extra
        );
        let from_unix = raw["date_unixtime"].as_str().unwrap().parse().unwrap();
        assert_eq!(message.date, tgexport::Timestamp::from_unix(from_unix));
    }
    // Byte-exact streaming in small pieces gives the same.
    assert_eq!(streamed(&bytes, 4093).messages, export.messages);
    (export, raw)
}

#[test]
fn trantor_library() {
    let Some(path) = realworld("trantor_library") else {
        return;
    };
    let (export, raw) = check_against_raw(&path);
    let channel = export.channel.unwrap();
    assert_eq!(
        (channel.id, channel.kind.as_deref()),
        (Some(1878264527), Some("public_channel"))
    );
    let messages = &export.messages;
    assert_eq!(messages.len(), 924);
    let entities = || messages.iter().flat_map(|m| &m.entities);
    assert_eq!(
        entities()
            .filter(|e| e.kind == tgexport::EntityKind::Hashtag)
            .count(),
        4375
    );
    assert_eq!(
        entities()
            .filter(|e| e.kind == tgexport::EntityKind::TextLink)
            .count(),
        3337
    );
    let quotes: Vec<_> = entities().filter_map(|e| e.collapsed).collect();
    assert_eq!(
        (quotes.len(), quotes.iter().filter(|&&c| c).count()),
        (101, 1)
    );
    let count_kind = |kind: &str| {
        messages
            .iter()
            .filter(|m| m.media.first().is_some_and(|x| x.kind.as_str() == kind))
            .count()
    };
    assert_eq!(
        [
            "photo",
            "video_file",
            "document",
            "audio_file",
            "sticker",
            "poll"
        ]
        .map(count_kind),
        [484, 12, 10, 1, 1, 1]
    );
    let pins = messages.iter().filter(|m| {
        m.action
            .as_ref()
            .is_some_and(|a| a.kind == tgexport::ActionKind::PinMessage)
    });
    assert_eq!(pins.count(), 14);
    assert_eq!(messages.iter().filter(|m| m.edited.is_some()).count(), 880);
    assert_eq!(messages.iter().filter(|m| m.author.is_some()).count(), 513);
    assert_eq!(messages.iter().filter(|m| m.reply_to.is_some()).count(), 84);
    assert_eq!(
        messages.iter().filter(|m| !m.reactions.is_empty()).count(),
        319
    );
    let poll = messages
        .iter()
        .find_map(|m| m.media.first()?.poll.as_ref())
        .unwrap();
    assert_eq!((poll.answers.len(), poll.total_voters), (4, Some(109)));
    // The channel's new picture is the media of its service message.
    let picture = messages.iter().find(|m| {
        m.action
            .as_ref()
            .is_some_and(|a| a.kind == tgexport::ActionKind::EditGroupPhoto)
    });
    assert_eq!(picture.unwrap().media[0].width, Some(640));
    let raw_photos = raw.iter().filter(|m| m.get("photo").is_some()).count();
    assert_eq!(raw_photos, count_kind("photo"));
}

#[test]
fn pachumarchive() {
    let Some(path) = realworld("pachumarchive") else {
        return;
    };
    let (export, _) = check_against_raw(&path);
    let messages = &export.messages;
    assert_eq!(messages.len(), 6);
    assert!(
        messages
            .iter()
            .flat_map(|m| &m.entities)
            .any(|e| e.kind == tgexport::EntityKind::CustomEmoji)
    );
    assert_eq!(messages[0].hashtags, ["#КиноСтрим", "#ОСД"]);
    assert!(messages[0].media[0].not_included);
    assert!(messages.iter().any(|m| !m.reactions.is_empty()));
}

#[test]
fn an_empty_pre_language_stays() {
    let text = String::from_utf8(fixture("2024_channel.json")).unwrap();
    let json = text.replacen(
        "\"text_entities\": [\n    {",
        "\"text_entities\": [{\"type\": \"pre\", \"text\": \"x = 1\", \"language\": \"\"},\n    {",
        1,
    );
    let export = tgexport::parse(&json).unwrap();
    let pre = (export.messages.iter().flat_map(|m| &m.entities))
        .find(|e| e.kind == tgexport::EntityKind::Pre)
        .unwrap();
    assert_eq!(pre.language.as_deref(), Some(""));
}

#[test]
fn unknown_keys_are_kept_where_they_occur() {
    let json = r#"{"name": "Keys", "type": "public_channel", "id": 5, "messages": [
      {"id": 1, "type": "message", "date": "2024-05-01T10:00:00",
       "text_entities": [{"type": "bold", "text": "b", "shade": 3}],
       "reactions": [{"type": "emoji", "count": 2, "emoji": "👍", "glow": true,
                      "recent": [{"from": "A", "from_id": "user1", "date": "2024-05-01T10:01:00", "via": "x"}]}],
       "inline_bot_buttons": [[{"type": "url", "text": "Go", "data": "https://e.x", "style": "red"}]]},
      {"id": 2, "type": "message", "date": "2024-05-01T10:02:00", "text": "",
       "poll": {"question": "Q", "closed": false, "total_voters": 1, "mood": "calm",
                "answers": [{"text": "A", "voters": 1, "chosen": false, "badge": 1}]}},
      {"id": 3, "type": "message", "date": "2024-05-01T10:03:00", "text": "",
       "contact_information": {"first_name": "Ann", "phone_number": "+1", "note": "n"}},
      {"id": 4, "type": "message", "date": "2024-05-01T10:04:00", "text": "",
       "location_information": {"latitude": 1.5, "longitude": 2.5, "accuracy": 10}}]}"#;
    let export = tgexport::parse(json).unwrap();
    let m = &export.messages;
    assert_eq!(m[0].entities[0].extra["shade"], 3);
    assert_eq!(m[0].reactions[0].extra["glow"], true);
    assert_eq!(m[0].reactions[0].recent[0].extra["via"], "x");
    assert_eq!(m[0].buttons[0][0].extra["style"], "red");
    let poll = m[1].media[0].poll.as_ref().unwrap();
    assert_eq!(
        (&poll.extra["mood"], &poll.answers[0].extra["badge"]),
        (&"calm".into(), &1.into())
    );
    assert_eq!(m[2].media[0].contact.as_ref().unwrap().extra["note"], "n");
    assert_eq!(
        m[3].media[0].location.as_ref().unwrap().extra["accuracy"],
        10
    );
    assert!(export.warnings.is_empty(), "{:?}", export.warnings);
}

#[test]
fn an_account_export_keeps_its_chats_without_messages_and_its_own_sections() {
    let text = String::from_utf8(fixture("account.json")).unwrap();
    // A left chat without messages, with a key of its own, first in `left_chats`.
    let left = text.find("\"left_chats\"").unwrap();
    let list = left + text[left..].find("\"list\": [").unwrap() + "\"list\": [".len();
    let quiet = r#"{"name": "Quiet", "type": "public_channel", "id": 77, "pinned": true},"#;
    let json = format!("{}{quiet}{}", &text[..list], &text[list..]);
    for bytes in [text.as_bytes(), json.as_bytes()] {
        let export = tgexport::parse_bytes(bytes).unwrap();
        assert_eq!(
            export.extra["about"],
            "Here is the data you requested. Remember: Telegram is ad free, it doesn't sell your data."
        );
        assert_eq!(export.extra["personal_information"]["user_id"], 5550001);
        assert!(
            export
                .chats
                .iter()
                .any(|c| c.title.as_deref() == Some("Old News") && c.left)
        );
    }
    let export = tgexport::parse(&json).unwrap();
    let quiet = export.chats.iter().find(|c| c.id == Some(77)).unwrap();
    assert_eq!((quiet.title.as_deref(), quiet.left), (Some("Quiet"), true));
    assert_eq!(quiet.extra["pinned"], true);
    assert!(
        export
            .messages
            .iter()
            .all(|m| m.chat.as_ref().unwrap().id != Some(77))
    );
    // A stream read in small pieces sees the same.
    let streamed = streamed(json.as_bytes(), 7);
    assert_eq!(
        (streamed.chats, streamed.extra),
        (export.chats, export.extra)
    );
}

#[test]
fn a_damage_warning_gives_the_byte_offset_past_letters_of_two_bytes() {
    let json = "{\"messages\": [\n{\"text\": \"жжж\", \"id\": \"x\"}]}";
    let export = tgexport::parse(json).unwrap();
    let warning = &export.warnings[0];
    // Column 17 counts characters; the offset counts bytes, three more for the letters.
    assert_eq!((warning.line, warning.column), (Some(2), Some(17)));
    assert_eq!(warning.offset, Some(json.find("\"id\"").unwrap() as u64));
}
