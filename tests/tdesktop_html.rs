//! Telegram Desktop HTML exports: fixtures, parity with `result.json`, folders.

use std::path::{Path, PathBuf};

use tgexport::{Export, Format, Message, MessageKind};

fn testdata(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/tdesktop_html")
        .join(path)
}

mod common;

/// The real export pair shared by the team, when this checkout has it.
fn realworld() -> Option<PathBuf> {
    common::realworld("trantor_library/messages.html").map(|page| page.parent().unwrap().to_owned())
}

#[test]
fn single_pages() {
    insta::glob!("../testdata/tdesktop_html", "*.html", |path| {
        let input = std::fs::read_to_string(path).unwrap();
        let export = tgexport::tdesktop_html::parse(&input).unwrap();
        assert_eq!(export.format, Format::TdesktopHtml);
        insta::assert_json_snapshot!(export);
    });
}

#[test]
fn export_folders() {
    insta::glob!("../testdata/tdesktop_html", "*/messages.html", |path| {
        // Any page stands for its whole folder.
        let export = tgexport::parse_path(path).unwrap();
        insta::assert_json_snapshot!(export);
    });
}

/// What the parity check compares, as both readers give it.
#[derive(Debug, PartialEq)]
struct Seen {
    id: Option<i64>,
    kind: MessageKind,
    /// To the second, in UTC where the offset is known; service messages carry no date
    /// in HTML.
    date: Option<String>,
    sender: Option<String>,
    forward: Option<String>,
    /// `None` inside for replies into another chat, whose id HTML does not show.
    reply: Option<(bool, Option<i64>)>,
    media: Vec<String>,
    text: String,
    hashtags: Vec<String>,
}

fn seen(message: &Message) -> Seen {
    let service = message.kind == MessageKind::Service;
    let date = message.date.filter(|_| !service).map(|d| match d.to_utc() {
        Some(utc) => utc.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        None => d.to_string(),
    });
    Seen {
        id: message.id,
        kind: message.kind,
        date,
        sender: message.from.as_ref().and_then(|f| f.name.clone()),
        forward: message.forwarded_from.as_ref().and_then(|f| f.name.clone()),
        reply: message
            .reply_to
            .as_ref()
            .map(|r| (r.other_chat, r.message_id.filter(|_| !r.other_chat))),
        media: message.media.iter().map(|m| m.kind.to_string()).collect(),
        text: message.text.clone(),
        hashtags: message.hashtags.clone(),
    }
}

/// Asserts that the HTML and the `result.json` of one export agree message by message.
fn assert_parity(html: &Export, json: &Export) {
    assert_eq!(
        (html.format, json.format),
        (Format::TdesktopHtml, Format::TdesktopJson)
    );
    assert_eq!(html.messages.len(), json.messages.len(), "message count");
    let differences: Vec<String> = html
        .messages
        .iter()
        .zip(&json.messages)
        .map(|(html, json)| (seen(html), seen(json)))
        .filter(|(html, json)| html != json)
        .map(|(html, json)| format!("html {html:?}\njson {json:?}"))
        .collect();
    assert!(
        differences.is_empty(),
        "{} messages differ, first:\n{}",
        differences.len(),
        differences[0]
    );
}

#[test]
fn hand_written_pair_agrees_with_its_json() {
    let html = tgexport::parse_path(testdata("pair")).unwrap();
    let json = tgexport::parse_path(testdata("pair/result.json")).unwrap();
    assert_parity(&html, &json);
}

#[test]
fn real_pair_agrees_with_its_json() {
    let Some(folder) = realworld() else { return };
    let html = tgexport::parse_path(folder.join("messages.html")).unwrap();
    let json = tgexport::parse_path(folder.join("result.json")).unwrap();
    assert_parity(&html, &json);
}

#[test]
fn real_export_facts() {
    let Some(folder) = realworld() else { return };
    let export = tgexport::parse_path(folder.join("messages.html")).unwrap();
    assert!(export.warnings.is_empty(), "{:?}", export.warnings);
    assert_eq!(
        export.channel.as_ref().unwrap().title.as_deref(),
        Some("川陀大学图书馆")
    );
    let messages = &export.messages;
    assert_eq!(messages.len(), 924);
    let count = |pred: &dyn Fn(&Message) -> bool| messages.iter().filter(|m| pred(m)).count();
    assert_eq!(count(&|m| m.kind == MessageKind::Service), 16);
    assert_eq!(count(&|m| m.reply_to.is_some()), 84);
    assert_eq!(count(&|m| !m.reactions.is_empty()), 319);
    assert_eq!(count(&|m| m.author.is_some()), 513);
    let entities = |kind: &str| {
        messages
            .iter()
            .flat_map(|m| &m.entities)
            .filter(|e| e.kind.as_str() == kind)
            .count()
    };
    assert_eq!(entities("hashtag"), 4375);
    assert_eq!(entities("blockquote"), 101);
    assert_eq!(entities("pre"), 6);
    let media = |kind: &str| {
        messages
            .iter()
            .flat_map(|m| &m.media)
            .filter(|m| m.kind.as_str() == kind)
            .count()
    };
    assert_eq!(media("photo"), 484);
    assert_eq!(media("video_file"), 12);
    let poll = messages.iter().find(|m| m.id == Some(1010)).unwrap().media[0]
        .poll
        .as_ref()
        .unwrap();
    assert_eq!(poll.total_voters, Some(109));
}

#[test]
fn folders_stream_page_by_page() {
    let mut reader = tgexport::read_path(testdata("folder"), None).unwrap();
    assert_eq!(
        reader.channel().unwrap().title.as_deref(),
        Some("Tide Tables")
    );
    let first = reader.next().unwrap().unwrap();
    assert_eq!(first.id, Some(1));
    let rest: Vec<Message> = reader.map(Result::unwrap).collect();
    // Message 3 opens page 2 as `joined`: its sender comes from the end of page 1.
    assert_eq!(rest[1].id, Some(3));
    assert_eq!(
        rest[1].from.as_ref().unwrap().name.as_deref(),
        Some("Tide Tables")
    );
}

#[test]
fn errors_name_the_page() {
    let folder = tempfile::tempdir().unwrap();
    std::fs::copy(
        testdata("folder/messages.html"),
        folder.path().join("messages.html"),
    )
    .unwrap();
    let mut broken = std::fs::read(testdata("folder/messages2.html")).unwrap();
    broken.extend_from_slice(b"\n<p>\xff</p>");
    std::fs::write(folder.path().join("messages2.html"), broken).unwrap();

    let err = tgexport::parse_path(folder.path()).unwrap_err().to_string();
    assert!(
        err.contains("messages2.html: invalid UTF-8 at line"),
        "{err}"
    );
}

#[test]
fn unknown_markup_is_kept_and_located() {
    let export = tgexport::parse_path(testdata("unknown.html")).unwrap();
    let kept = &export.messages[0].extra["html"];
    assert_eq!(
        kept[0]["element"],
        "div.media.clearfix.pull_left.media_hologram"
    );
    let warning = &export.warnings[0];
    assert_eq!(warning.line, Some(64));
    assert!(warning.message.contains("media_hologram"), "{warning:?}");
    assert_eq!(export.messages[1].kind, MessageKind::Unsupported);
}

#[test]
fn a_reply_to_another_chat_is_a_reply() {
    let export = tgexport::parse_path(testdata("channel.html")).unwrap();
    let message = export.messages.iter().find(|m| m.id == Some(9)).unwrap();
    let reply = message.reply_to.as_ref().expect("a reply");
    assert_eq!((reply.message_id, reply.other_chat), (None, true));
}

#[test]
fn a_link_whose_text_starts_with_at_keeps_its_target() {
    let page = r#"<div class="page_wrap"><div class="history">
<div class="message default clearfix" id="message3"><div class="body">
<div class="pull_right date details" title="14.05.2021 23:28:11 UTC+03:00">23:28</div>
<div class="from_name">Reading Room</div>
<div class="text">Via <a href="https://m.weibo.example/n/someone">@someone</a> and <a href="https://t.me/durov">@durov</a></div>
</div></div></div></div>"#;
    let export = tgexport::tdesktop_html::parse(page).unwrap();
    let entities = &export.messages[0].entities;
    let found: Vec<_> = (entities.iter())
        .map(|e| (e.kind.as_str(), e.text.as_str(), e.href.as_deref()))
        .collect();
    assert_eq!(
        found,
        [
            (
                "text_link",
                "@someone",
                Some("https://m.weibo.example/n/someone")
            ),
            ("mention", "@durov", None)
        ]
    );
}

#[test]
fn real_links_whose_text_starts_with_at_agree_with_the_json() {
    let Some(folder) = realworld() else { return };
    let at_links = |export: &Export| -> Vec<(String, Option<String>)> {
        (export.messages.iter().flat_map(|m| &m.entities))
            .filter(|e| e.text.starts_with('@'))
            .map(|e| (e.kind.to_string(), e.href.clone()))
            .collect()
    };
    let html = at_links(&tgexport::parse_path(folder.join("messages.html")).unwrap());
    let json = at_links(&tgexport::parse_path(folder.join("result.json")).unwrap());
    assert!(
        html.iter()
            .any(|(kind, href)| kind == "text_link" && href.is_some())
    );
    assert_eq!(html, json);
}
