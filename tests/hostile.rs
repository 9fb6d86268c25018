//! Inputs that are broken or built to hurt, each with its exact expected outcome.

use tgexport::{Error, Format};

fn text(input: &[u8]) -> tgexport::Result<tgexport::Export> {
    tgexport::read_as(input, Format::Text)?.into_export()
}

#[test]
fn a_100_mb_single_line_is_one_paragraph() {
    let line = "word ".repeat(20 << 20);
    let export = tgexport::text::parse(&line).unwrap();
    assert_eq!(export.messages.len(), 1);
    assert_eq!(export.messages[0].paragraphs.len(), 1);
    assert_eq!(export.messages[0].text.len(), line.len());
}

#[test]
fn a_million_hashtags_are_all_found_once() {
    let tags: String = (0..1_000_000).map(|i| format!("#t{i} ")).collect();
    let message = &tgexport::text::parse(&tags).unwrap().messages[0];
    assert_eq!(message.hashtags.len(), 1_000_000);
    assert_eq!(message.entities.len(), 1_000_000);
    assert_eq!(message.hashtags[999_999], "#t999999");
}

#[test]
fn emoji_only_lines_are_markers_with_empty_text() {
    let export = tgexport::text::parse("🇷🇺🇷🇺🇷🇺\n👨‍👩‍👧👨‍👩‍👧\n7️⃣\n").unwrap();
    let paragraphs = &export.messages[0].paragraphs;
    assert_eq!(paragraphs.len(), 3);
    assert!(
        paragraphs
            .iter()
            .all(|p| p.marker.is_some() && p.text.is_empty())
    );
    assert_eq!(
        paragraphs[0].marker.as_ref().unwrap().name,
        "flag: Russia, flag: Russia, flag: Russia"
    );
}

#[test]
fn invalid_utf8_mid_file_names_its_line_and_offset() {
    let mut input = "Forwarded from A\nfine line\n".repeat(1000).into_bytes();
    input.extend_from_slice(b"broken \xE2\x82 line\n");
    let err = text(&input).unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidUtf8 {
                line: 2001,
                column: 8,
                offset: 27007
            }
        ),
        "{err}"
    );
}

#[test]
fn nul_bytes_are_text_and_survive_the_round_trip() {
    let input = "Forwarded from A\0B\nbody\0\0\n";
    let export = tgexport::text::parse(input).unwrap();
    assert_eq!(
        export.messages[0]
            .forwarded_from
            .as_ref()
            .unwrap()
            .name
            .as_deref(),
        Some("A\0B")
    );
    assert_eq!(
        tgexport::text::render::render(&export, Vec::new()).unwrap(),
        input.as_bytes()
    );
}

#[test]
fn truncated_text_is_what_it_is_and_renders_back() {
    let full = std::fs::read_to_string("testdata/text/mfa_forwards.txt").unwrap();
    let mut cut = full.len() / 2;
    while !full.is_char_boundary(cut) {
        cut -= 1;
    }
    let export = tgexport::text::parse(&full[..cut]).unwrap();
    assert_eq!(
        tgexport::text::render::render(&export, Vec::new()).unwrap(),
        &full.as_bytes()[..cut]
    );
}

#[test]
fn truncated_html_pages_keep_what_they_have() {
    for page in [
        "testdata/tdesktop_html/channel.html",
        "testdata/tme_html/page.html",
    ] {
        let full = std::fs::read_to_string(page).unwrap();
        let whole = tgexport::parse(&full).unwrap().messages.len();
        let mut cut = full.len() * 2 / 3;
        while !full.is_char_boundary(cut) {
            cut -= 1;
        }
        let partial = tgexport::parse(&full[..cut]).unwrap();
        assert!(
            !partial.messages.is_empty() && partial.messages.len() <= whole,
            "{page}"
        );
    }
}

#[test]
fn binary_data_is_not_an_export() {
    let err = tgexport::parse_bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidUtf8 {
                line: 1,
                column: 1,
                offset: 0
            }
        ),
        "{err}"
    );
}

#[test]
/// Its time, and linear growth of parse time, are measured by `benches/scaling.rs`.
fn one_huge_repeated_block_is_found() {
    let block: String = (0..50_000).map(|i| format!("line {i}\n")).collect();
    let input = format!("Forwarded from A\n{block}{block}");
    let message = &tgexport::text::parse(&input).unwrap().messages[0];
    assert_eq!(message.duplicate.unwrap().of.len(), 50_000);
}
