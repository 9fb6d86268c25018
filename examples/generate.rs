//! Writes large, realistic, reproducible inputs for benchmarks and scale tests.
//!
//! ```sh
//! cargo run --release --example generate -- text --size 1G -o /tmp/copy.txt
//! cargo run --release --example generate -- tdesktop-json --size 1G --seed 7 -o /tmp/result.json
//! cargo run --release --example generate -- tdesktop-html --size 100M -o /tmp/messages.html
//! cargo run --release --example generate -- tme-html --size 100M -o /tmp/page.html
//! ```
//!
//! The same seed and size always give the same bytes.

use std::io::{BufWriter, Write};
use std::path::PathBuf;

use clap::{Parser, ValueEnum};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

#[derive(Debug, Parser)]
struct Args {
    /// What to write.
    format: Kind,
    /// Approximate size: bytes, or with K, M or G.
    #[arg(long, default_value = "10M", value_parser = parse_size)]
    size: u64,
    /// Seed of the random choices.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Output file (standard output when omitted).
    #[arg(short, long)]
    output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Kind {
    /// A browser copy of a t.me/s channel page.
    Text,
    /// Telegram Desktop's result.json.
    TdesktopJson,
    /// Telegram Desktop's messages.html.
    TdesktopHtml,
    /// A saved t.me/s channel page.
    TmeHtml,
}

fn parse_size(text: &str) -> Result<u64, String> {
    let (digits, unit) = text.split_at(
        text.find(|c: char| !c.is_ascii_digit())
            .unwrap_or(text.len()),
    );
    let scale = match unit {
        "" => 1,
        "K" => 1 << 10,
        "M" => 1 << 20,
        "G" => 1 << 30,
        _ => {
            return Err(format!(
                "expected a size such as 500K, 10M or 1G, found {text:?}"
            ));
        }
    };
    digits
        .parse::<u64>()
        .map(|n| n * scale)
        .map_err(|e| e.to_string())
}

const CHANNELS: &[&str] = &[
    "Russian MFA 🇷🇺",
    "Example News 🇬🇧",
    "МИД России",
    "Partner Channel",
    "Daily Digest 🇫🇷🇩🇪",
];
const MARKERS: &[&str] = &[
    "📆",
    "ℹ️",
    "💬",
    "✍️",
    "📻",
    "🤝",
    "👉",
    "🕯🌟",
    "7️⃣8️⃣",
    "🇷🇺",
    "👨‍👩‍👧",
    "👍🏽",
    "📌",
    "🗓",
];
const SENTENCES: &[&str] = &[
    "On September 7, 1945, Allied troops took part in a joint parade in Berlin.",
    "The delegation discussed trade, energy and the situation in the region.",
    "Having forgotten about the language barrier, soldiers exchanged patches and household items.",
    "12 мая 2025 года в Москве прошла встреча, посвящённая памяти дипломатов.",
    "Мероприятия пройдут 4-5 мая 2024 г. во всех регионах страны.",
    "Министр ответил на вопросы журналистов о переговорах и санкциях.",
    "代表团讨论了贸易、能源以及地区局势。",
    "A historical meeting took place 7️⃣8️⃣ years ago – on April 25, 1945.",
    "Read the full statement at https://example.org/statements/2024/05/09 and share it.",
    "Follow @ExampleChannel and t.me/ExampleNews for updates on 6 May 1906 anniversaries.",
];
const HASHTAGS: &[&str] = &[
    "#WeWereAllies",
    "#Victory78",
    "#ПодвигБытьДипломатом",
    "#Победа80",
    "#HistoryOfDiplomacy",
    "#报道",
    "#中文",
];
const PLACEHOLDERS: &[&str] = &[
    "This media is not supported in your browser",
    "Media is too big",
    "Please open Telegram to view this post",
];

fn paragraph(rng: &mut ChaCha8Rng) -> String {
    let mut line = String::new();
    if rng.random_bool(0.5) {
        line.push_str(MARKERS.choose(rng).unwrap());
        if rng.random_bool(0.8) {
            line.push(' ');
        }
    }
    for i in 0..rng.random_range(1..4) {
        if i > 0 {
            line.push(' ');
        }
        line.push_str(SENTENCES.choose(rng).unwrap());
    }
    line
}

fn text_post(rng: &mut ChaCha8Rng, out: &mut impl Write) -> std::io::Result<()> {
    if rng.random_bool(0.4) {
        writeln!(out, "Forwarded from {}", CHANNELS.choose(rng).unwrap())?;
    }
    if rng.random_bool(0.2) {
        if rng.random_bool(0.3) {
            writeln!(
                out,
                "{}:{:02}",
                rng.random_range(0..10),
                rng.random_range(0..60)
            )?;
        }
        writeln!(out, "{}", PLACEHOLDERS.choose(rng).unwrap())?;
        if rng.random_bool(0.8) {
            writeln!(out, "VIEW IN TELEGRAM")?;
        }
    }
    let body: Vec<String> = (0..rng.random_range(1..7))
        .map(|_| paragraph(rng))
        .collect();
    let tag_count = rng.random_range(0..3);
    let tags: Vec<&str> = HASHTAGS.choose_multiple(rng, tag_count).copied().collect();
    let mut lines = body;
    if rng.random_bool(0.1) {
        lines.push("Learn more".to_owned());
    }
    if !tags.is_empty() {
        lines.push(tags.join(" "));
    }
    for line in &lines {
        writeln!(out, "{line}")?;
    }
    // Copies of t.me pages repeat a block of each post right after it.
    if rng.random_bool(0.5) && lines.len() > 1 {
        for line in &lines[1..] {
            writeln!(out, "{line}")?;
        }
    }
    if rng.random_bool(0.7) {
        writeln!(
            out,
            "{}.{}K views",
            rng.random_range(1..999),
            rng.random_range(0..10)
        )?;
        if rng.random_bool(0.3) {
            writeln!(out, "edited")?;
        }
        writeln!(
            out,
            "{}:{:02}",
            rng.random_range(0..24),
            rng.random_range(0..60)
        )?;
    }
    Ok(())
}

fn text(rng: &mut ChaCha8Rng, size: u64, out: &mut Counted<impl Write>) -> std::io::Result<()> {
    writeln!(
        out,
        "Russian MFA – Telegram\nRussian MFA\n1.15K subscribers\n6.1K photos\n359 videos\n2 files\n1.97K links"
    )?;
    writeln!(
        out,
        "Official channel of an imaginary ministry.\nDownload Telegram"
    )?;
    while out.written < size {
        text_post(rng, out)?;
    }
    Ok(())
}

fn json_text_parts(rng: &mut ChaCha8Rng) -> (serde_json::Value, serde_json::Value) {
    use serde_json::json;
    let mut parts = Vec::new();
    let mut entities = Vec::new();
    for _ in 0..rng.random_range(1..5) {
        let (part, entity) = match rng.random_range(0..10) {
            0 => (
                json!({"type": "bold", "text": "Important:"}),
                json!({"type": "bold", "text": "Important:"}),
            ),
            1 => {
                let tag = *HASHTAGS.choose(rng).unwrap();
                (
                    json!({"type": "hashtag", "text": tag}),
                    json!({"type": "hashtag", "text": tag}),
                )
            }
            2 => {
                let link = json!({"type": "text_link", "text": "source", "href": "https://example.org/a?b=1"});
                (link.clone(), link)
            }
            3 => {
                let emoji = json!({"type": "custom_emoji", "text": "🔥", "document_id": "stickers/sticker.webp"});
                (emoji.clone(), emoji)
            }
            4 => (
                json!({"type": "mention", "text": "@ExampleNews"}),
                json!({"type": "mention", "text": "@ExampleNews"}),
            ),
            _ => {
                let text = format!("{}\n", paragraph(rng));
                (json!(text), json!({"type": "plain", "text": text}))
            }
        };
        parts.push(part);
        entities.push(entity);
    }
    (json!(parts), json!(entities))
}

fn json_message(rng: &mut ChaCha8Rng, id: u64) -> serde_json::Value {
    use serde_json::json;
    let unix = 1_600_000_000 + id * 97;
    let date = chrono::DateTime::from_timestamp(unix as i64, 0)
        .unwrap()
        .naive_utc()
        .format("%Y-%m-%dT%H:%M:%S")
        .to_string();
    if rng.random_bool(0.03) {
        let action = *["pin_message", "edit_group_photo", "create_channel"]
            .choose(rng)
            .unwrap();
        return json!({"id": id, "type": "service", "date": date, "date_unixtime": unix.to_string(),
            "actor": "Russian MFA", "actor_id": "channel1001", "action": action, "message_id": id.saturating_sub(3)});
    }
    let (text, entities) = json_text_parts(rng);
    let mut m = json!({"id": id, "type": "message", "date": date, "date_unixtime": unix.to_string(),
        "from": "Russian MFA", "from_id": "channel1001", "text": text, "text_entities": entities});
    let object = m.as_object_mut().unwrap();
    if rng.random_bool(0.2) {
        object.insert("edited".into(), json!(date));
        object.insert("edited_unixtime".into(), json!((unix + 60).to_string()));
    }
    if rng.random_bool(0.2) {
        object.insert(
            "forwarded_from".into(),
            json!(CHANNELS.choose(rng).unwrap()),
        );
    }
    if rng.random_bool(0.1) {
        object.insert("reply_to_message_id".into(), json!(id.saturating_sub(5)));
    }
    match rng.random_range(0..20) {
        0..=5 => {
            object.insert(
                "photo".into(),
                json!(format!("photos/photo_{id}@01-01-2024_00-00-00.jpg")),
            );
            object.insert("width".into(), json!(1280));
            object.insert("height".into(), json!(720));
        }
        6..=8 => {
            let kind = *[
                "video_file",
                "voice_message",
                "sticker",
                "animation",
                "audio_file",
                "video_message",
            ]
            .choose(rng)
            .unwrap();
            object.insert(
                "file".into(),
                json!("(File not included. Change data exporting settings to download.)"),
            );
            object.insert("media_type".into(), json!(kind));
            object.insert("mime_type".into(), json!("video/mp4"));
            object.insert("duration_seconds".into(), json!(rng.random_range(1..600)));
        }
        9 => {
            object.insert("poll".into(), json!({"question": "Which date?", "closed": false, "total_voters": 10,
                "answers": [{"text": "May 9", "voters": 7, "chosen": false}, {"text": "May 8", "voters": 3, "chosen": true}]}));
        }
        10 => {
            object.insert(
                "location_information".into(),
                json!({"latitude": 55.75, "longitude": 37.61}),
            );
        }
        _ => {}
    }
    if rng.random_bool(0.3) {
        object.insert(
            "reactions".into(),
            json!([{"type": "emoji", "count": rng.random_range(1..500), "emoji": "🔥"}]),
        );
    }
    m
}

fn tdesktop_json(
    rng: &mut ChaCha8Rng,
    size: u64,
    out: &mut Counted<impl Write>,
) -> std::io::Result<()> {
    write!(
        out,
        "{{\n \"name\": \"Russian MFA\",\n \"type\": \"public_channel\",\n \"id\": 1001,\n \"messages\": ["
    )?;
    // tdesktop's layout: one space of indentation a level, messages two levels deep.
    let mut message = Vec::new();
    let mut id = 1;
    while out.written < size {
        out.write_all(if id == 1 { b"\n  " } else { b",\n  " })?;
        message.clear();
        let formatter = serde_json::ser::PrettyFormatter::with_indent(b" ");
        let mut serializer = serde_json::Serializer::with_formatter(&mut message, formatter);
        serde::Serialize::serialize(&json_message(rng, id), &mut serializer)?;
        // JSON strings hold no raw newline: every one starts a line to indent.
        for (i, line) in message.split(|&b| b == b'\n').enumerate() {
            if i > 0 {
                out.write_all(b"\n  ")?;
            }
            out.write_all(line)?;
        }
        id += 1;
    }
    writeln!(out, "\n ]\n}}")
}

/// `text` with the characters HTML gives a meaning escaped.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The inner HTML of a post's text: paragraphs split by `<br>`, then hashtags written as
/// `tag` makes a link of one.
fn html_text(rng: &mut ChaCha8Rng, tag: impl Fn(&str) -> String) -> String {
    let mut lines: Vec<String> = (0..rng.random_range(1..6))
        .map(|_| escape(&paragraph(rng)))
        .collect();
    let tag_count = rng.random_range(0..3);
    let tags: Vec<String> = HASHTAGS
        .choose_multiple(rng, tag_count)
        .map(|t| tag(t))
        .collect();
    if !tags.is_empty() {
        lines.push(tags.join(" "));
    }
    lines.join("<br>")
}

/// Telegram Desktop's messages.html: one page, the layout its exporter writes.
fn tdesktop_html(
    rng: &mut ChaCha8Rng,
    size: u64,
    out: &mut Counted<impl Write>,
) -> std::io::Result<()> {
    writeln!(
        out,
        "<!DOCTYPE html>\n<html>\n <head>\n  <meta charset=\"utf-8\"/>\n<title>Exported Data</title>\n </head>\n <body>\n  <div class=\"page_wrap\">\n   <div class=\"page_header\">\n    <div class=\"content\">\n     <div class=\"text bold\">\nRussian MFA\n     </div>\n    </div>\n   </div>\n   <div class=\"page_body chat_page\">\n    <div class=\"history\">"
    )?;
    let mut id = 1;
    while out.written < size {
        let unix = 1_600_000_000 + id * 97;
        let time = chrono::DateTime::from_timestamp(unix as i64 + 3 * 3600, 0).unwrap();
        if rng.random_bool(0.03) {
            writeln!(
                out,
                "     <div class=\"message service\" id=\"message{id}\">\n      <div class=\"body details\">\nRussian MFA pinned a message\n      </div>\n     </div>"
            )?;
            id += 1;
            continue;
        }
        let hashtag = |t: &str| {
            let name = &t[1..];
            format!("<a href=\"\" onclick=\"return ShowHashtag(&quot;{name}&quot;)\">{t}</a>")
        };
        let text = html_text(rng, hashtag);
        writeln!(
            out,
            "     <div class=\"message default clearfix\" id=\"message{id}\">\n      <div class=\"body\">\n       <div class=\"pull_right date details\" title=\"{} UTC+03:00\">\n{}\n       </div>\n       <div class=\"from_name\">\nRussian MFA\n       </div>",
            time.format("%d.%m.%Y %H:%M:%S"),
            time.format("%H:%M")
        )?;
        if rng.random_bool(0.3) {
            writeln!(
                out,
                "       <div class=\"media_wrap clearfix\">\n        <a class=\"photo_wrap clearfix pull_left\" href=\"photos/photo_{id}.jpg\">\n         <img class=\"photo\" src=\"photos/photo_{id}_thumb.jpg\" style=\"width: 260px; height: 173px\"/>\n        </a>\n       </div>"
            )?;
        }
        if rng.random_bool(0.4) {
            writeln!(
                out,
                "       <div class=\"forwarded body\">\n        <div class=\"from_name\">\n{}\n        </div>\n        <div class=\"text\">\n{text}\n        </div>\n       </div>",
                escape(CHANNELS.choose(rng).unwrap())
            )?;
        } else {
            writeln!(out, "       <div class=\"text\">\n{text}\n       </div>")?;
        }
        writeln!(out, "      </div>\n     </div>")?;
        id += 1;
    }
    writeln!(out, "    </div>\n   </div>\n  </div>\n </body>\n</html>")
}

/// A t.me/s channel page as a browser saves it.
fn tme_html(rng: &mut ChaCha8Rng, size: u64, out: &mut Counted<impl Write>) -> std::io::Result<()> {
    writeln!(
        out,
        "<!DOCTYPE html>\n<html>\n  <head>\n    <meta charset=\"utf-8\">\n    <title>Russian MFA – Telegram</title>\n    <meta property=\"og:title\" content=\"Russian MFA\">\n  </head>\n  <body class=\"widget_frame_base tgme_webpreview_channel\">\n    <main class=\"tgme_main\">\n      <div class=\"tgme_container\">\n        <section class=\"tgme_right_column\">\n          <div class=\"tgme_channel_info\">\n            <div class=\"tgme_channel_info_header\"><div class=\"tgme_channel_info_header_title_wrap\"><div class=\"tgme_channel_info_header_title\"><span dir=\"auto\">Russian MFA</span></div></div><div class=\"tgme_channel_info_header_username\"><a href=\"https://t.me/mfa_example\">@mfa_example</a></div></div>\n            <div class=\"tgme_channel_info_counters\"><div class=\"tgme_channel_info_counter\"><span class=\"counter_value\">1.15K</span> <span class=\"counter_type\">subscribers</span></div></div>\n            <div class=\"tgme_channel_info_description\">Official channel of an imaginary ministry.</div>\n          </div>\n        </section>\n        <section class=\"tgme_channel_history js-message_history\">"
    )?;
    let mut id = 1;
    while out.written < size {
        let unix = 1_600_000_000 + id * 97;
        let time = chrono::DateTime::from_timestamp(unix as i64, 0).unwrap();
        let hashtag = |t: &str| format!("<a href=\"?q=%23{}\">{t}</a>", &t[1..]);
        let text = html_text(rng, hashtag);
        write!(
            out,
            "          <div class=\"tgme_widget_message_wrap js-widget_message_wrap\"><div class=\"tgme_widget_message text_not_supported_wrap js-widget_message\" data-post=\"mfa_example/{id}\"><div class=\"tgme_widget_message_bubble\"><div class=\"tgme_widget_message_author accent_color\"><a class=\"tgme_widget_message_owner_name\" href=\"https://t.me/mfa_example\"><span dir=\"auto\">Russian MFA</span></a></div>"
        )?;
        if rng.random_bool(0.4) {
            write!(
                out,
                "<div class=\"tgme_widget_message_forwarded_from accent_color\">Forwarded from&nbsp;<a class=\"tgme_widget_message_forwarded_from_name\" href=\"https://t.me/example_news/{id}\"><span dir=\"auto\">{}</span></a></div>",
                escape(CHANNELS.choose(rng).unwrap())
            )?;
        }
        if rng.random_bool(0.2) {
            write!(
                out,
                "<div class=\"message_media_not_supported_wrap\"><div class=\"message_media_not_supported\"><div class=\"message_media_not_supported_label\">{}</div><a href=\"https://t.me/mfa_example/{id}\" class=\"message_media_view_in_telegram\">VIEW IN TELEGRAM</a></div></div>",
                PLACEHOLDERS.choose(rng).unwrap()
            )?;
        }
        writeln!(
            out,
            "<div class=\"tgme_widget_message_text js-message_text\" dir=\"auto\">{text}</div><div class=\"tgme_widget_message_footer compact js-message_footer\"><div class=\"tgme_widget_message_info short js-message_info\"><span class=\"tgme_widget_message_views\">{}.{}K</span><span class=\"copyonly\"> views</span><span class=\"tgme_widget_message_meta\"><a class=\"tgme_widget_message_date\" href=\"https://t.me/mfa_example/{id}\"><time datetime=\"{}\" class=\"time\">{}</time></a></span></div></div></div></div></div>",
            rng.random_range(1..999),
            rng.random_range(0..10),
            time.format("%Y-%m-%dT%H:%M:%S+00:00"),
            time.format("%H:%M")
        )?;
        id += 1;
    }
    writeln!(
        out,
        "        </section>\n      </div>\n    </main>\n  </body>\n</html>"
    )
}

/// Counts what passes through, so generators know when the size is reached.
struct Counted<W> {
    inner: W,
    written: u64,
}

impl<W: Write> Write for Counted<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.written += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

fn main() -> std::io::Result<()> {
    let args = Args::parse();
    let sink: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(std::fs::File::create(path)?),
        None => Box::new(std::io::stdout().lock()),
    };
    let mut out = Counted {
        inner: BufWriter::with_capacity(1 << 20, sink),
        written: 0,
    };
    let mut rng = ChaCha8Rng::seed_from_u64(args.seed);
    match args.format {
        Kind::Text => text(&mut rng, args.size, &mut out)?,
        Kind::TdesktopJson => tdesktop_json(&mut rng, args.size, &mut out)?,
        Kind::TdesktopHtml => tdesktop_html(&mut rng, args.size, &mut out)?,
        Kind::TmeHtml => tme_html(&mut rng, args.size, &mut out)?,
    }
    out.flush()
}

#[test]
fn same_seed_same_bytes_and_text_parses_back_exactly() {
    let generate = |seed| {
        let mut out = Counted {
            inner: Vec::new(),
            written: 0,
        };
        text(&mut ChaCha8Rng::seed_from_u64(seed), 64 << 10, &mut out).unwrap();
        out.inner
    };
    let bytes = generate(3);
    assert_eq!(bytes, generate(3));
    assert_ne!(bytes, generate(4));
    let copy = String::from_utf8(bytes).unwrap();
    let export = tgexport::text::parse(&copy).unwrap();
    assert!(export.channel.is_some());
    assert!(export.messages.len() > 50);
    assert!(export.messages.iter().any(|m| m.duplicate.is_some()));
    assert_eq!(
        tgexport::text::render::render(&export, Vec::new()).unwrap(),
        copy.as_bytes()
    );
}

#[test]
fn generated_result_json_is_valid_json() {
    let mut out = Counted {
        inner: Vec::new(),
        written: 0,
    };
    tdesktop_json(&mut ChaCha8Rng::seed_from_u64(1), 64 << 10, &mut out).unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.inner).unwrap();
    assert!(json["messages"].as_array().unwrap().len() > 20);
    // Laid out as tdesktop writes it, which readers may rely on for speed.
    let text = String::from_utf8(out.inner).unwrap();
    assert!(text.starts_with("{\n \"name\": "), "{}", &text[..40]);
    assert!(text.contains("\n  },\n  {\n   \"date\": "));
}

#[test]
fn generated_html_pages_read_as_their_formats() {
    for (kind, format) in [
        (Kind::TdesktopHtml, tgexport::Format::TdesktopHtml),
        (Kind::TmeHtml, tgexport::Format::TmeHtml),
    ] {
        let mut out = Counted {
            inner: Vec::new(),
            written: 0,
        };
        let rng = &mut ChaCha8Rng::seed_from_u64(1);
        match kind {
            Kind::TdesktopHtml => tdesktop_html(rng, 64 << 10, &mut out).unwrap(),
            _ => tme_html(rng, 64 << 10, &mut out).unwrap(),
        }
        let reader = tgexport::read(&out.inner[..]).unwrap();
        assert_eq!(reader.format(), format);
        let export = reader.into_export().unwrap();
        assert!(export.warnings.is_empty(), "{:?}", export.warnings);
        assert!(export.messages.len() > 20, "{format:?}");
        assert!(export.messages.iter().any(|m| !m.hashtags.is_empty()));
        assert!(export.messages.iter().any(|m| m.forwarded_from.is_some()));
        // Service messages of Telegram Desktop's pages carry no time of their own.
        let dated = export.messages.iter().filter(|m| m.date.is_some()).count();
        assert!(dated * 10 > export.messages.len() * 9, "{format:?}");
    }
}

#[test]
fn generated_inputs_read_the_same_in_parallel() {
    type Generator = fn(&mut ChaCha8Rng, u64, &mut Counted<Vec<u8>>) -> std::io::Result<()>;
    let generators: [Generator; 4] = [text, tdesktop_json, tdesktop_html, tme_html];
    for generate in generators {
        let mut out = Counted {
            inner: Vec::new(),
            written: 0,
        };
        generate(&mut ChaCha8Rng::seed_from_u64(2), 512 << 10, &mut out).unwrap();
        let json = |parallel: bool| {
            let mut reader = tgexport::read(&out.inner[..]).unwrap();
            if parallel {
                reader = reader.parallel().unwrap();
            }
            tgexport::write::json(&mut reader, Vec::new()).unwrap()
        };
        let in_order = json(false);
        assert!(in_order.len() > 100 << 10);
        assert!(
            in_order == json(true),
            "{}",
            String::from_utf8_lossy(&in_order[..80])
        );
    }
}
