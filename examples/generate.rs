//! Writes large, realistic, reproducible inputs for benchmarks and scale tests.
//!
//! ```sh
//! cargo run --release --example generate -- text --size 1G -o /tmp/copy.txt
//! cargo run --release --example generate -- tdesktop-json --size 1G --seed 7 -o /tmp/result.json
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
