//! Inputs the fuzzers found (`testdata/fuzz/<target>/`), replayed through the very checks
//! of the fuzz targets, and nesting far deeper than a fuzzer builds.

use std::path::Path;

use tgexport::{Error, Format};

#[path = "../fuzz/src/lib.rs"]
mod checks;

/// Runs every file of `testdata/fuzz/<target>/` through `check`, naming those that fail.
fn replay(target: &str, check: fn(&[u8])) {
    let folder = Path::new("testdata/fuzz").join(target);
    let mut files: Vec<_> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no inputs in {}", folder.display());
    let failed: Vec<_> = files
        .iter()
        .filter(|path| {
            let input = std::fs::read(path).unwrap();
            std::panic::catch_unwind(|| check(&input)).is_err()
        })
        .collect();
    assert!(failed.is_empty(), "failed: {failed:?}");
}

#[test]
fn text() {
    replay("text", checks::text);
}

#[test]
fn tdesktop_json() {
    replay("tdesktop_json", checks::tdesktop_json);
}

#[test]
fn tdesktop_json_message() {
    replay("tdesktop_json_message", checks::tdesktop_json_message);
}

#[test]
fn tdesktop_html() {
    replay("tdesktop_html", checks::tdesktop_html);
}

#[test]
fn tme_html() {
    replay("tme_html", checks::tme_html);
}

const DEEP: usize = 100_000;

/// The messages `format` reads from `input`, the first error ending the list.
fn read(input: &str, format: Format) -> tgexport::Result<Vec<tgexport::Message>> {
    tgexport::read_as(input.as_bytes(), format)?.collect()
}

#[test]
fn a_message_nested_100_000_deep_is_a_damaged_message_at_its_position() {
    let json = format!(
        "{{\"messages\":[{}{}]}}",
        "[".repeat(DEEP),
        "]".repeat(DEEP)
    );
    let export = tgexport::parse_bytes(json.as_bytes()).unwrap();
    assert_eq!(export.messages.len(), 1);
    assert_eq!(
        export.warnings[0].message,
        "the message messages[0], line 1, column 14: broken JSON: invalid type: sequence, \
         expected a message object; the key it is in is lost, read on from the next key; the \
         message's text is kept in its `extra.tgexport_damaged`"
    );
}

#[test]
fn a_value_nested_100_000_deep_in_a_message_is_damage_about_recursion() {
    let json = format!(
        "{{\"messages\":[{{\"id\":7,\"extra\":{}{}}}]}}",
        "[".repeat(DEEP),
        "]".repeat(DEEP)
    );
    let export = tgexport::parse_bytes(json.as_bytes()).unwrap();
    assert_eq!(export.messages[0].id, Some(7));
    // serde_json refuses a 128th level: the message's object and then its 127th bracket.
    let column = "{\"messages\":[{\"id\":7,\"extra\":".len() + 127;
    let warning = &export.warnings[0].message;
    assert!(
        warning.starts_with(&format!(
            "message id 7 (messages[0]), line 1, column {column}: broken JSON: recursion limit exceeded"
        )),
        "{warning}"
    );
}

#[test]
fn a_message_cut_off_100_000_deep_is_a_warning() {
    let json = format!("{{\"messages\":[{}", "[".repeat(DEEP));
    let mut reader = tgexport::read_as(json.as_bytes(), Format::TdesktopJson).unwrap();
    assert!(reader.next().is_none());
    let warnings = reader.warnings();
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0].offset, Some(json.len() as u64));
}

/// A Telegram Desktop page and a t.me page, each with one message whose text is `text`.
fn pages(text: &str) -> [(String, Format); 2] {
    [
        (
            format!(
                "<div class=\"page_wrap\"><div class=\"history\"><div class=\"message default \
                 clearfix\" id=\"message1\"><div class=\"body\"><div class=\"text\">{text}</div>\
                 </div></div></div></div>"
            ),
            Format::TdesktopHtml,
        ),
        (
            format!(
                "<div class=\"tgme_widget_message_wrap\"><div class=\"tgme_widget_message\" \
                 data-post=\"a/1\"><div class=\"tgme_widget_message_bubble\"><div \
                 class=\"tgme_widget_message_text\">{text}</div></div></div></div>"
            ),
            Format::TmeHtml,
        ),
    ]
}

#[test]
fn formatting_nested_100_000_deep_is_read_as_far_as_browsers_nest() {
    let text = format!("{}deep{}", "<b>".repeat(DEEP), "</b>".repeat(DEEP));
    for (page, format) in pages(&text) {
        let messages = read(&page, format).unwrap();
        assert_eq!(messages[0].text, "deep", "{format:?}");
        // One bold entity per element left open; the rest of the tags close themselves.
        assert!(
            (500..=512).contains(&messages[0].entities.len()),
            "{format:?}: {}",
            messages[0].entities.len()
        );
    }
}

#[test]
fn end_tags_of_no_open_element_are_read_past() {
    let text = format!("{}deep{}", "<b>".repeat(DEEP), "</i>".repeat(DEEP));
    let outside = format!("<div>{}{}", "<span>".repeat(DEEP), "</i>".repeat(DEEP));
    // A search through every open element for each end tag took minutes; the time is
    // measured by `benches/scaling.rs`, here what is read.
    for (page, format) in pages(&text) {
        let messages = read(&page, format).unwrap();
        assert!(messages[0].text.contains("deep"), "{format:?}");
    }
    let err = read(&outside, Format::TmeHtml).unwrap_err();
    assert!(matches!(err, Error::NotAnExport { .. }), "{err}");
}
