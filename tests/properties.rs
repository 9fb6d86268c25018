//! Invariants of the plain-text format, over generated inputs: parsing never panics,
//! nothing is lost, rendering is exact, and parse ∘ render is idempotent.

use proptest::prelude::*;
use tgexport::Export;

/// Whether the model keeps `line` as a typed value rather than as text: a browser's media
/// placeholder (a media kind), `VIEW IN TELEGRAM` (a flag) or a clock reading in its one
/// canonical form (seconds: `0:12`, `1:02:03`, not `00:12`).
fn kept_as_typed_value(line: &str) -> bool {
    use tgexport::MediaKind;
    let placeholder = [
        MediaKind::NotSupported,
        MediaKind::TooBig,
        MediaKind::OpenInTelegram,
    ]
    .iter()
    .any(|kind| kind.placeholder() == Some(line));
    let fields: Option<Vec<u32>> = line
        .split(':')
        .map(|f| (1..=3).contains(&f.len()).then(|| f.parse().ok()).flatten())
        .collect();
    let seconds = match fields.as_deref() {
        Some(&[m, s]) if s < 60 => Some(m * 60 + s),
        Some(&[h, m, s]) if m < 60 && s < 60 => Some(h * 3600 + m * 60 + s),
        _ => None,
    };
    let clock = seconds.is_some_and(|t| {
        let (h, m, s) = (t / 3600, t / 60 % 60, t % 60);
        let canonical = if h > 0 {
            format!("{h}:{m:02}:{s:02}")
        } else {
            format!("{m}:{s:02}")
        };
        canonical == line
    });
    placeholder || line == "VIEW IN TELEGRAM" || clock
}

/// Lines that exercise every construct, mixed with arbitrary text.
fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "\\PC{0,40}",
        1 => Just(String::new()),
        1 => Just("   ".to_owned()),
        1 => "Forwarded from [A-Za-zА-я ]{1,12}( 🇷🇺| 🇬🇧🇫🇷)?",
        1 => prop::sample::select(vec![
            "This media is not supported in your browser",
            "Media is too big",
            "Please open Telegram to view this post",
            "VIEW IN TELEGRAM",
            "Download Telegram",
            "Russian MFA – Telegram",
            "1.15K subscribers",
            "359 videos",
            "214.4K views",
            "edited",
            "10:20",
            "0:12",
            "1945",
            "November 16",
            "Learn more",
            "👍48👏3🥰1",
            "7👍5🙏2",
            "15",
            "Microservices_in_practice.pdf",
            "6.2 MB",
            "On 6 March, Ghana celebrates",
            "#Ghana #IndependenceDay",
            "Russian MFA",
            "A quoted first line…",
            "Download",
            " Download Telegram",
            "to view and join the conversation",
            "No posts found",
            "1.2K views10:20",
            "980 viewsedited  11:05",
            "March 2",
        ]).prop_map(str::to_owned),
        1 => "(📆|ℹ️|✍️|🕯🌟|7️⃣8️⃣|🇷🇺|👨‍👩‍👧|👍🏽) ?[a-z #@.]{0,20}",
        1 => "#[A-Za-zА-я0-9_]{1,8}( @[a-z]{4,8})?",
        1 => "[0-9]{1,2} (May|мая|September) [0-9]{4}( года)?",
    ]
}

/// A whole input: optional BOM, lines, each ended by LF or CRLF, maybe no final ending;
/// sometimes a block of lines repeated right after itself.
fn document() -> impl Strategy<Value = String> {
    (
        any::<bool>(),
        prop::collection::vec((line(), any::<bool>()), 0..24),
        any::<bool>(),
        0usize..4,
    )
        .prop_map(|(bom, lines, final_newline, repeat)| {
            let mut lines = lines;
            if repeat > 0 && lines.len() > repeat {
                let block: Vec<_> = lines[lines.len() - repeat..].to_vec();
                lines.extend(block);
            }
            let mut text = if bom {
                "\u{FEFF}".to_owned()
            } else {
                String::new()
            };
            let count = lines.len();
            for (i, (line, crlf)) in lines.into_iter().enumerate() {
                text.push_str(&line);
                if i + 1 < count || final_newline {
                    text.push_str(if crlf { "\r\n" } else { "\n" });
                }
            }
            text
        })
}

fn render(export: &Export) -> String {
    String::from_utf8(tgexport::text::render::render(export, Vec::new()).unwrap()).unwrap()
}

fn strings(value: &serde_json::Value, out: &mut String) {
    match value {
        serde_json::Value::String(s) => out.push_str(s),
        serde_json::Value::Array(items) => items.iter().for_each(|v| strings(v, out)),
        serde_json::Value::Object(map) => map.values().for_each(|v| strings(v, out)),
        _ => {}
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 512,
        failure_persistence: Some(Box::new(prop::test_runner::FileFailurePersistence::WithSource("regressions"))),
        ..ProptestConfig::default()
    })]

    #[test]
    fn any_string_parses_without_panic(input in "\\PC*") {
        let export = tgexport::text::parse(&input).unwrap();
        prop_assert_eq!(render(&export), input);
    }

    #[test]
    fn render_of_parse_is_the_input(input in document()) {
        let export = tgexport::text::parse(&input).unwrap();
        prop_assert_eq!(render(&export), input);
    }

    #[test]
    fn parse_of_render_is_idempotent(input in document()) {
        let once = tgexport::text::parse(&input).unwrap();
        let twice = tgexport::text::parse(&render(&once)).unwrap();
        prop_assert_eq!(once, twice);
    }

    #[test]
    fn json_round_trip_keeps_the_model(input in document()) {
        let export = tgexport::text::parse(&input).unwrap();
        let back: Export = serde_json::from_str(&serde_json::to_string(&export).unwrap()).unwrap();
        prop_assert_eq!(&back, &export);
        prop_assert_eq!(render(&back), input);
    }

    #[test]
    fn every_visible_character_lands_in_the_model(input in document()) {
        let export = tgexport::text::parse(&input).unwrap();
        let mut kept = String::new();
        strings(&serde_json::to_value(&export).unwrap(), &mut kept);
        for line in input.trim_start_matches('\u{FEFF}').lines() {
            let typed = kept_as_typed_value(line);
            let content = line
                .strip_prefix("Forwarded from ")
                .filter(|name| !name.trim().is_empty())
                .unwrap_or(line);
            for c in content.chars().filter(|c| !c.is_whitespace() && !typed) {
                prop_assert!(kept.contains(c), "{:?} of line {:?} is nowhere in the model", c, line);
            }
        }
    }

    #[test]
    fn streaming_and_whole_parse_agree(input in document()) {
        let whole = tgexport::text::parse(&input).unwrap();
        let streamed = tgexport::read_as(input.as_bytes(), tgexport::Format::Text).unwrap().into_export().unwrap();
        prop_assert_eq!(streamed, whole);
    }
}
