//! t.me/s web previews: fixtures, and a page against its plain-text browser copy.

use std::path::Path;

use tgexport::{EntityKind, Format, Media, MediaKind, Message};

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

/// A forward as a copy shows it: the source's name and the emoji after it.
fn forward(message: &Message) -> Option<(Option<String>, Vec<tgexport::EmojiInfo>)> {
    message
        .forwarded_from
        .as_ref()
        .map(|f| (f.name.clone(), f.emoji.clone()))
}

/// The text as a copy keeps it: a copy has no blank lines inside a post.
fn lines(message: &Message) -> Vec<&str> {
    message
        .text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .collect()
}

/// `page.hand-copy.txt` is a copy written by hand as a styled page reads (one footer line,
/// no author line above each post); the `*.copy.txt` files are Chromium's.
#[test]
fn a_page_and_its_browser_copy_agree() {
    let html = tgexport::tme_html::parse(&read("page.html")).unwrap();
    let copy = tgexport::text::parse(&read("page.hand-copy.txt")).unwrap();

    let (from_html, from_copy) = (html.channel.unwrap(), copy.channel.unwrap());
    assert_eq!(from_html.title, from_copy.title);
    assert_eq!(from_html.username, from_copy.username);
    assert_eq!(from_html.description, from_copy.description);
    assert_eq!(from_html.counters, from_copy.counters);

    assert_eq!(html.messages.len(), copy.messages.len());
    for (post, copied) in html.messages.iter().zip(&copy.messages) {
        let id = post.id;
        assert_eq!(forward(post), forward(copied), "forward of post {id:?}");
        assert_eq!(
            media_in_copy(&post.media),
            media_in_copy(&copied.media),
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

// Browser copies: `scripts/browser-copy.sh` has Chromium select all of each page in
// testdata/tme_html/ and writes what it copied beside it as NAME.copy.txt.

/// Text as the clipboard gets it: no-break spaces are plain spaces.
fn as_copied_text(text: &str) -> String {
    text.replace('\u{a0}', " ")
}

/// Where `text` stands in `copy` as whole lines, at or after `from`.
fn find_lines(copy: &str, text: &str, from: usize) -> Option<usize> {
    copy[from..]
        .match_indices(text)
        .map(|(at, _)| from + at)
        .find(|&at| {
            let end = at + text.len();
            (at == 0 || copy[..at].ends_with('\n'))
                && (end == copy.len() || copy[end..].starts_with('\n'))
        })
}

/// The lines of `text` that are not blank.
fn without_blank_lines(text: &str) -> String {
    text.lines()
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every text the HTML reader finds is what the browser shows, as whole lines and in
/// page order. A browser sets a block (`<pre>`, `<blockquote>`) apart with an empty line
/// that the message's own text does not have, so texts holding one are matched without
/// blank lines; all others must stand in the copy exactly, blank lines included.
#[test]
fn the_html_reader_shows_each_text_as_the_browser_does() {
    for page in [
        "page",
        "page_indented",
        "channel_ru",
        "empty",
        "rich",
        "embed",
    ] {
        let export = tgexport::tme_html::parse(&read(&format!("{page}.html"))).unwrap();
        let copy = read(&format!("{page}.copy.txt"));
        let copy_without_blanks = without_blank_lines(&copy);
        let description = export.channel.as_ref().and_then(|c| c.description.clone());
        let texts = description
            .map(|d| (d, false))
            .into_iter()
            .chain(export.messages.iter().map(|m| {
                let blocks = m
                    .entities
                    .iter()
                    .any(|e| matches!(e.kind, EntityKind::Pre | EntityKind::Blockquote));
                (m.text.clone(), blocks)
            }));
        let mut at = 0;
        for (text, has_blocks) in texts.filter(|(t, _)| !t.is_empty()) {
            let shown = as_copied_text(&text);
            if !has_blocks {
                assert!(
                    find_lines(&copy, &shown, 0).is_some(),
                    "{page}: the browser does not show, as whole lines:\n{shown}"
                );
            }
            let shown = without_blank_lines(&shown);
            let found = find_lines(&copy_without_blanks, &shown, at);
            assert!(
                found.is_some(),
                "{page}: the browser does not show, in page order after byte {at}:\n{shown}"
            );
            at = found.unwrap() + shown.len();
        }
    }
}

#[test]
fn the_browser_shows_a_re_indented_page_as_the_page_on_one_line() {
    assert_eq!(read("page_indented.copy.txt"), read("page.copy.txt"));
}

/// A reaction as a copy shows it: its emoji, or only its count when its picture (a
/// custom emoji, a paid star) has no text.
fn reactions(message: &Message) -> Vec<(Option<String>, u64)> {
    message
        .reactions
        .iter()
        .map(|r| (r.emoji.clone(), r.count))
        .collect()
}

/// Media as a copy can show it: a placeholder (with a duration above it), a document's
/// name and size; a photo or a playable item leaves no text.
fn media_in_copy(media: &[Media]) -> Vec<(MediaKind, Option<u32>, Option<String>)> {
    media
        .iter()
        .filter_map(|m| {
            let kind = if m.kind == MediaKind::Document {
                MediaKind::Document
            } else {
                m.placeholder
                    .clone()
                    .or_else(|| m.kind.placeholder().map(|_| m.kind.clone()))?
            };
            Some((kind, m.duration_seconds, m.file_name.clone()))
        })
        .collect()
}

/// Records a disagreement between the readers, to report all of them at once.
fn differ<T: PartialEq + std::fmt::Debug>(wrong: &mut Vec<String>, what: String, text: T, html: T) {
    if text != html {
        wrong.push(format!(
            "{what}:\n  text reader: {text:?}\n  HTML reader: {html:?}"
        ));
    }
}

/// The text reader and the HTML reader on the same page, post by post: the browser's
/// copy read as text against the page read as HTML. Fails listing every disagreement.
fn readers_agree_on_browser_copy(page: &str) {
    let html = tgexport::tme_html::parse(&read(&format!("{page}.html"))).unwrap();
    let copy = tgexport::text::parse(&read(&format!("{page}.copy.txt"))).unwrap();
    let mut wrong = Vec::new();
    let channel = |export: &tgexport::Export| {
        export.channel.as_ref().map(|c| {
            let description = c.description.as_deref().map(as_copied_text);
            (c.title.clone(), c.username.clone(), description)
        })
    };
    differ(
        &mut wrong,
        "channel header".into(),
        channel(&copy),
        channel(&html),
    );
    let first_lines = |export: &tgexport::Export| -> Vec<String> {
        let first = |m: &Message| m.text.lines().next().unwrap_or_default().to_owned();
        export.messages.iter().map(first).collect()
    };
    differ(
        &mut wrong,
        "posts (first line of each)".into(),
        first_lines(&copy),
        first_lines(&html)
            .iter()
            .map(|l| as_copied_text(l))
            .collect(),
    );
    if copy.messages.len() == html.messages.len() {
        for (post, copied) in html.messages.iter().zip(&copy.messages) {
            let id = post.id;
            let mut check = |what: &str, of: &dyn Fn(&Message) -> String| {
                differ(
                    &mut wrong,
                    format!("{what} of post {id:?}"),
                    of(copied),
                    of(post),
                );
            };
            check("forward", &|m| format!("{:?}", forward(m)));
            check("media", &|m| format!("{:?}", media_in_copy(&m.media)));
            check("reactions", &|m| format!("{:?}", reactions(m)));
            check("hashtags", &|m| format!("{:?}", m.hashtags));
            check("text", &|m| format!("{:?}", as_copied_text(&m.text)));
        }
    }
    assert!(
        wrong.is_empty(),
        "{page}: the readers disagree on\n{}",
        wrong.join("\n")
    );
}

#[test]
fn readers_agree_on_the_browser_copy_of_an_empty_channel() {
    readers_agree_on_browser_copy("empty");
}

// The copies of pages with posts hold what a page saved as HTML only shows when opened
// again: an author line above each post, `1.2K views10:20` footers, reaction lines,
// documents.

#[test]
fn readers_agree_on_the_browser_copy_of_a_page() {
    readers_agree_on_browser_copy("page");
}

#[test]
fn readers_agree_on_the_browser_copy_of_a_re_indented_russian_page() {
    readers_agree_on_browser_copy("channel_ru");
}

#[test]
fn buttons_under_the_bubble_are_the_posts_buttons() {
    let page = concat!(
        r#"<div class="tgme_widget_message" data-post="bench/7"><div class="tgme_widget_message_bubble">"#,
        r#"<div class="tgme_widget_message_text">Jobs</div></div>"#,
        r#"<div class="tgme_widget_message_inline_keyboard"><div class="tgme_widget_message_inline_row">"#,
        r#"<a class="tgme_widget_message_inline_button url_button" href="https://example.org/job/">"#,
        r#"<span class="tgme_widget_message_inline_button_text">Post a job</span></a></div></div></div>"#,
    );
    let export = tgexport::tme_html::parse(page).unwrap();
    assert!(export.warnings.is_empty(), "{:?}", export.warnings);
    let buttons = &export.messages[0].buttons;
    assert_eq!(buttons.len(), 1);
    assert_eq!(buttons[0][0].text, "Post a job");
    assert_eq!(
        buttons[0][0].data.as_deref(),
        Some("https://example.org/job/")
    );
}
