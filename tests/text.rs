//! The plain-text format end to end: one snapshot per fixture, and exact rendering.

use tgexport::{Export, Format};

fn render(export: &Export) -> Vec<u8> {
    tgexport::text::render::render(export, Vec::new()).expect("renders")
}

/// Every fixture: its JSON is the reviewed snapshot, it renders back byte for byte, and so
/// does the model read back from that JSON.
#[test]
fn fixtures() {
    insta::glob!("../testdata/text", "*.txt", |path| {
        let input = std::fs::read(path).unwrap();
        let export = tgexport::parse_bytes(&input).unwrap();
        assert_eq!(export.format, Format::Text);
        assert_eq!(render(&export), input, "render(parse(x)) == x");

        let mut reader = tgexport::read(&input[..]).unwrap();
        let json =
            String::from_utf8(tgexport::write::json(&mut reader, Vec::new()).unwrap()).unwrap();
        assert_eq!(
            json,
            serde_json::to_string_pretty(&export).unwrap() + "\n",
            "streamed JSON == whole JSON"
        );

        let back: Export = serde_json::from_str(&json).unwrap();
        assert_eq!(back, export, "JSON -> model is lossless");
        assert_eq!(render(&back), input, "JSON -> model -> text == input");

        insta::assert_snapshot!(json);
    });
}

fn messages(input: &str) -> Vec<tgexport::Message> {
    tgexport::parse(input).unwrap().messages
}

#[test]
fn seed_has_three_forwards_each_with_one_duplicate_block() {
    let export = tgexport::parse_path("testdata/text/mfa_forwards.txt").unwrap();
    assert_eq!(export.messages.len(), 3);
    for message in &export.messages {
        let forward = message.forwarded_from.as_ref().unwrap();
        assert_eq!(forward.name.as_deref(), Some("Russian MFA"));
        assert_eq!(forward.emoji[0].country.as_deref(), Some("RU"));
        let duplicate = message
            .duplicate
            .expect("every post of the seed repeats a block");
        assert_eq!(duplicate.lines.len(), duplicate.of.len());
        assert_eq!(duplicate.lines.first, duplicate.of.last + 1);
    }
    assert_eq!(export.messages[1].hashtags, ["#WeWereAllies", "#Victory78"]);
    assert_eq!(
        export.messages[2].media[0].kind,
        tgexport::MediaKind::NotSupported
    );
    assert!(export.messages[2].media[0].view_in_telegram);
    assert_eq!(
        export.messages[2].hashtags,
        ["#HistoryOfDiplomacy", "#WeWereAllies"]
    );
    let dates: Vec<String> = export.messages[2]
        .dates
        .iter()
        .filter_map(|d| d.date.map(|date| date.to_string()))
        .collect();
    assert_eq!(dates, ["1933-11-16", "2023-11-15"]);
}

#[test]
fn duplicate_block_is_kept_once_in_text() {
    let [message] = &messages("Forwarded from X\nhead\na\nb\na\nb\n")[..] else {
        panic!("one message")
    };
    assert_eq!(message.text, "head\na\nb");
    assert_eq!(message.paragraphs.len(), 3);
}

#[test]
fn lines_without_a_header_are_not_taken_for_one() {
    let export = tgexport::parse("Just a title\nand a line\n").unwrap();
    assert!(export.channel.is_none());
    assert_eq!(export.messages[0].paragraphs.len(), 2);
}

#[test]
fn header_needs_counters_or_a_page_title_with_download_line() {
    let export =
        tgexport::parse("Name – Telegram\nName\nAbout us\nDownload Telegram\nPost\n").unwrap();
    let channel = export.channel.unwrap();
    assert_eq!(channel.title.as_deref(), Some("Name"));
    assert_eq!(channel.description.as_deref(), Some("About us"));
    assert_eq!(export.messages[0].text, "Post");
}

#[test]
fn a_bare_number_is_a_view_count_only_beside_other_footer_lines() {
    let alone = messages("Post\n1945\n");
    assert_eq!(alone[0].views, None);
    assert_eq!(alone[0].text, "Post\n1945");
    let beside = messages("Post\n1945\n10:20\n");
    assert_eq!(beside[0].views, Some(1945));
    assert_eq!(
        beside[0].footer.as_ref().unwrap().time.as_deref(),
        Some("10:20")
    );
}

#[test]
fn anything_after_a_footer_starts_a_new_post() {
    let posts = messages("One\n1K views\nTwo\n");
    assert_eq!(posts.len(), 2);
    assert_eq!(
        (posts[0].views, posts[1].text.as_str()),
        (Some(1000), "Two")
    );
}

#[test]
fn a_clock_before_a_placeholder_is_the_media_duration() {
    let posts = messages("Caption\n0:42\nMedia is too big\n");
    assert_eq!(posts.len(), 2);
    assert_eq!(posts[1].media[0].duration_seconds, Some(42));
    assert_eq!(posts[1].media[0].line, Some(2));
}

#[test]
fn keycaps_fold_in_plain_text() {
    let posts = messages("7️⃣8️⃣ years ago\n");
    assert_eq!(
        tgexport::analysis::fold_keycaps(&posts[0].text),
        "78 years ago"
    );
}

#[test]
fn invalid_utf8_names_line_and_offset() {
    let err = tgexport::parse_bytes(b"Forwarded from X\nbad \xc3\x28 byte\n").unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid UTF-8 at line 2, column 5 (byte offset 21): expected UTF-8 text"
    );
    let streamed = tgexport::read(&b"Forwarded from X\nbad \xc3\x28 byte\n"[..])
        .and_then(|r| r.into_export())
        .unwrap_err();
    assert_eq!(streamed.to_string(), err.to_string());
}

#[test]
fn rendering_a_model_whose_lines_collide_is_an_error() {
    let mut export = tgexport::parse("a\nb\n").unwrap();
    let mut copy = export.messages[0].clone();
    copy.index = 1;
    export.messages.push(copy);
    let err = tgexport::text::render::render(&export, Vec::new()).unwrap_err();
    assert!(err.to_string().contains("line 1 is out of place"), "{err}");
}

#[test]
fn reaction_lines_end_posts_and_keep_lost_pictures_as_unknown() {
    let export = tgexport::parse_path("testdata/text/reactions.txt").unwrap();
    assert_eq!(export.messages.len(), 6);
    let first = &export.messages[0].reactions;
    assert_eq!(
        first
            .iter()
            .map(|r| (r.emoji.as_deref(), r.count))
            .collect::<Vec<_>>(),
        [(Some("👍"), 48), (Some("👏"), 3), (Some("🥰"), 1)]
    );
    let lost = &export.messages[3].reactions[0];
    assert_eq!(
        (&lost.kind, lost.emoji.as_deref(), lost.count),
        (&tgexport::ReactionKind::Unknown, None, 7)
    );
    // `2024` under a line that leads on is text, not a count.
    assert!(export.messages[5].reactions.is_empty());
    assert!(export.messages[5].text.contains("\n2024\n"));
}

#[test]
fn posts_without_footers_split_only_on_strong_evidence() {
    let split = tgexport::parse_path("testdata/text/footerless_posts.txt").unwrap();
    let firsts: Vec<u32> = split
        .messages
        .iter()
        .map(|m| m.lines.unwrap().first)
        .collect();
    assert_eq!(firsts, [4, 9, 14]);
    let weak = tgexport::parse_path("testdata/text/footerless_weak.txt").unwrap();
    assert_eq!(weak.messages.len(), 1);
}

#[test]
fn a_file_name_over_a_size_is_a_document() {
    let export = tgexport::parse_path("testdata/text/documents.txt").unwrap();
    let documents: Vec<_> = export
        .messages
        .iter()
        .flat_map(|m| &m.media)
        .map(|d| {
            (
                d.file_name.as_deref().unwrap(),
                d.details["size"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        documents,
        [
            ("Microservices_in_practice.pdf", "6.2 MB"),
            ("annual report 2024.docx", "845.3 KB"),
            ("quarterly_data.csv", "1 GB")
        ]
    );
}

/// A header for the tests below: the channel's title is what author lines repeat.
const HEADER: &str = "Pier Log\n@pier_log\n12 subscribers\nDownload Telegram\n";

#[test]
fn no_posts_found_under_the_header_is_a_channel_without_posts() {
    let export = tgexport::parse(&format!("{HEADER}No posts found\n")).unwrap();
    assert!(export.messages.is_empty());
    assert_eq!(export.channel.unwrap().header.len(), 5);
    // Anywhere else it is a paragraph like any other.
    let posts = messages(&format!(
        "{HEADER}Pier Log\nOne\n1 view10:00\nNo posts found\n"
    ));
    assert_eq!(posts[1].text, "No posts found");
}

#[test]
fn once_posts_open_with_author_lines_each_one_opens_a_post() {
    let posts = messages(&format!(
        "{HEADER}Pier Log\nOne\n5 views10:00\nPier Log\nTwo, its footer lost\nPier Log\nThree\n"
    ));
    let texts: Vec<&str> = posts.iter().map(|m| m.text.as_str()).collect();
    assert_eq!(texts, ["One", "Two, its footer lost", "Three"]);
    assert!(
        posts
            .iter()
            .all(|m| m.from.as_ref().unwrap().name.as_deref() == Some("Pier Log"))
    );
    // Before any author line, the title alone inside a post is one of its paragraphs.
    let posts = messages(&format!("{HEADER}One\nPier Log\nstill one\n"));
    assert_eq!(posts.len(), 1);
    assert_eq!(posts[0].text, "One\nPier Log\nstill one");
}
