//! t.me/s web previews: fixtures, and a page against its plain-text browser copy.

use std::path::Path;

use tgexport::{Format, Media, MediaKind, Message};

fn read(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/tme_html")
        .join(name);
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn pages() {
    insta::glob!("../testdata/tme_html", "*.html", |path| {
        let export = tgexport::parse_path(path).unwrap();
        assert_eq!(export.format, Format::TmeHtml);
        insta::assert_json_snapshot!(export);
    });
}

/// What a browser copy can show of a media item: only the placeholders (and the
/// duration above them); photos and playable media leave no text.
fn shown_in_copy(media: &[Media]) -> Vec<(MediaKind, Option<u32>)> {
    media
        .iter()
        .filter_map(|m| {
            let kind = m
                .placeholder
                .clone()
                .or_else(|| m.kind.placeholder().map(|_| m.kind.clone()))?;
            Some((kind, m.duration_seconds))
        })
        .collect()
}

/// The text as a copy keeps it: a copy has no blank lines inside a post.
fn lines(message: &Message) -> Vec<&str> {
    message
        .text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .collect()
}

#[test]
fn a_page_and_its_browser_copy_agree() {
    let html = tgexport::tme_html::parse(&read("page.html")).unwrap();
    let copy = tgexport::text::parse(&read("page.copy.txt")).unwrap();

    let (from_html, from_copy) = (html.channel.unwrap(), copy.channel.unwrap());
    assert_eq!(from_html.title, from_copy.title);
    assert_eq!(from_html.username, from_copy.username);
    assert_eq!(from_html.description, from_copy.description);
    assert_eq!(from_html.counters, from_copy.counters);

    assert_eq!(html.messages.len(), copy.messages.len());
    for (post, copied) in html.messages.iter().zip(&copy.messages) {
        let id = post.id;
        let forward = |m: &Message| {
            m.forwarded_from
                .as_ref()
                .map(|f| (f.name.clone(), f.emoji.clone()))
        };
        assert_eq!(forward(post), forward(copied), "forward of post {id:?}");
        assert_eq!(
            shown_in_copy(&post.media),
            shown_in_copy(&copied.media),
            "media of post {id:?}"
        );
        assert_eq!(post.hashtags, copied.hashtags, "hashtags of post {id:?}");
        assert_eq!(post.mentions, copied.mentions, "mentions of post {id:?}");
        assert_eq!(lines(post), lines(copied), "text of post {id:?}");
        assert_eq!(post.paragraphs.len(), copied.paragraphs.len());
        for (a, b) in post.paragraphs.iter().zip(&copied.paragraphs) {
            assert_eq!((&a.marker, &a.text), (&b.marker, &b.text), "post {id:?}");
        }
        assert_eq!(post.views, copied.views, "views of post {id:?}");
        let edited = |m: &Message| m.footer.as_ref().map(|f| f.edited);
        assert_eq!(edited(post), edited(copied), "edited mark of post {id:?}");
        assert_eq!(
            as_copied(post),
            as_copied(copied),
            "text rendering of post {id:?}"
        );
    }
}

/// A message rendered as plain text, without the `[photo]` lines a copy has no text for.
fn as_copied(message: &Message) -> Vec<String> {
    let silent: Vec<String> = message
        .media
        .iter()
        .map(|m| format!("[{}]", m.kind))
        .collect();
    tgexport::text::render::canonical_message_lines(message)
        .into_iter()
        .map(|line| line.into_owned())
        .filter(|line| !silent.contains(line))
        .collect()
}

/// The model as JSON without the source line numbers, which re-indenting moves.
fn without_lines(mut value: serde_json::Value) -> serde_json::Value {
    match &mut value {
        serde_json::Value::Object(fields) => {
            fields.remove("line");
            for field in fields.values_mut() {
                *field = without_lines(field.take());
            }
        }
        serde_json::Value::Array(items) => {
            for item in items {
                *item = without_lines(item.take());
            }
        }
        _ => {}
    }
    value
}

#[test]
fn a_page_saved_re_indented_reads_as_the_page_on_one_line() {
    let one_line = tgexport::tme_html::parse(&read("page.html")).unwrap();
    let re_indented = tgexport::tme_html::parse(&read("page_indented.html")).unwrap();
    assert!(read("page_indented.html").contains("reading\n"));
    let json = |export| without_lines(serde_json::to_value(export).unwrap());
    assert_eq!(json(&re_indented), json(&one_line));
}

#[test]
fn detected_by_their_classes() {
    let export = tgexport::parse(&read("embed.html")).unwrap();
    assert_eq!(export.format, Format::TmeHtml);
    assert_eq!(export.messages[0].id, Some(104));
    assert_eq!(
        export.channel.unwrap().username.as_deref(),
        Some("bench_notes")
    );
}

#[test]
fn html_without_posts_is_an_error() {
    let err = tgexport::tme_html::parse("<div class=\"tgme_page\">nothing</div>").unwrap_err();
    assert!(err.to_string().contains("tgme_widget_message"), "{err}");
}

#[test]
fn a_page_that_says_no_posts_found_is_a_channel_without_posts() {
    let page = concat!(
        r#"<div class="tgme_channel_info"><div class="tgme_channel_info_header_title"><span>Quiet</span></div></div>"#,
        r#"<section class="tgme_channel_history"><div class="tgme_widget_message_wrap js-widget_message_wrap">"#,
        r#"<div class="tgme_widget_message_centered"><div class="tme_no_messages_found">No posts found</div></div>"#,
        "</div></section>"
    );
    let export = tgexport::tme_html::parse(page).unwrap();
    assert!(export.messages.is_empty());
    assert!(export.warnings.is_empty(), "{:?}", export.warnings);
    assert_eq!(export.channel.unwrap().title.as_deref(), Some("Quiet"));
    let without_header = &page[page.find("<section").unwrap()..];
    let export = tgexport::tme_html::parse(without_header).unwrap();
    assert!(export.messages.is_empty() && export.warnings.is_empty());
}

#[test]
fn a_sticker_and_its_fallback_placeholder_are_one_media_item() {
    let fallback = r#"<div class="message_media_not_supported_wrap media_not_supported_cont"><div class="message_media_not_supported"><div class="message_media_not_supported_label">This media is not supported in your browser</div><a href="https://t.me/bench/5" class="message_media_view_in_telegram">VIEW IN TELEGRAM</a></div></div>"#;
    let sticker = r#"<div class="tgme_widget_message_sticker_wrap media_supported_cont"><div class="tgme_widget_message_tgsticker_wrap"><picture class="tgme_widget_message_tgsticker js-tgsticker_image"><source type="application/x-tgsticker" srcset="https://cdn.example.org/s.tgs"><source type="image/svg+xml" srcset="data:image/svg+xml;base64,AA"></picture></div></div>"#;
    for (first, second) in [(fallback, sticker), (sticker, fallback)] {
        let page = format!(
            r#"<div class="tgme_widget_message" data-post="bench/5"><div class="tgme_widget_message_bubble">{first}{second}</div></div>"#
        );
        let export = tgexport::tme_html::parse(&page).unwrap();
        let media = &export.messages[0].media;
        assert_eq!(media.len(), 1, "{media:?}");
        assert_eq!(media[0].kind, MediaKind::Sticker);
        assert_eq!(media[0].placeholder, Some(MediaKind::NotSupported));
        assert!(media[0].view_in_telegram);
        assert_eq!(
            media[0].url.as_deref(),
            Some("https://cdn.example.org/s.tgs")
        );
        assert!(export.warnings.is_empty());
    }
}
