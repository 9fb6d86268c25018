//! `Reader::parallel` reads what reading in order does: the same messages, warnings,
//! channel, chats and errors, and the same output bytes, on every fixture and on large
//! inputs that cross many batches.

use tgexport::{Export, Reader};

fn in_order(bytes: &[u8]) -> Reader<'_> {
    tgexport::read(bytes).unwrap()
}

/// What a reading gave: every message (or error), then the end state, and the JSON and
/// JSON Lines written of the whole input.
type Read = (
    Vec<Result<tgexport::Message, String>>,
    Export,
    Vec<u8>,
    Vec<u8>,
);

/// What reading `bytes` gives in order, and in parallel.
fn both_ways(bytes: &[u8]) -> [Read; 2] {
    let run = |parallel: bool| {
        let reader = in_order(bytes);
        let mut reader = if parallel {
            reader.parallel().unwrap()
        } else {
            reader
        };
        let messages = reader
            .by_ref()
            .map(|m| m.map_err(|e| e.to_string()))
            .collect();
        let export = reader.into_export().unwrap();
        let mut json = in_order(bytes);
        if parallel {
            json = json.parallel().unwrap();
        }
        let json = tgexport::write::json(&mut json, Vec::new())
            .unwrap_or_else(|e| e.to_string().into_bytes());
        let mut lines = in_order(bytes);
        if parallel {
            lines = lines.parallel().unwrap();
        }
        let mut jsonl = Vec::new();
        if let Err(err) = tgexport::write::jsonl(&mut lines, &mut jsonl) {
            jsonl.extend(err.to_string().bytes());
        }
        (messages, export, json, jsonl)
    };
    [run(false), run(true)]
}

fn assert_same(name: &str, bytes: &[u8]) {
    let [here, pooled] = both_ways(bytes);
    assert_eq!(pooled.0, here.0, "{name}: messages");
    assert_eq!(pooled.1, here.1, "{name}: end state");
    assert_eq!(pooled.2, here.2, "{name}: JSON output");
    assert_eq!(pooled.3, here.3, "{name}: JSON Lines output");
}

#[test]
fn every_fixture_reads_the_same_in_parallel() {
    let mut seen = 0;
    for folder in ["text", "tdesktop_json", "tdesktop_html", "tme_html"] {
        for entry in std::fs::read_dir(format!("testdata/{folder}")).unwrap() {
            let path = entry.unwrap().path();
            if path.is_file() {
                assert_same(&path.display().to_string(), &std::fs::read(&path).unwrap());
                seen += 1;
            }
        }
    }
    assert!(seen > 40, "{seen} fixtures");
}

/// A `result.json` of `count` messages in Telegram Desktop's layout, every `every`th one
/// damaged in one of several ways, in `chats` chats of an account (or one channel).
fn result_json(count: usize, every: usize, chats: usize) -> Vec<u8> {
    let message = |id: usize| {
        let text = match (every > 0 && id % every == 0).then(|| id / every % 4) {
            Some(0) => "\"date\": 7,\n   \"text\": [\"a\", {\"type\": 7}]".to_owned(),
            Some(1) => "\"date\": 8,\n   \"text\": \"escape \\x01 here\"".to_owned(),
            Some(2) => "\"text\": [\"a\", {\"type\": 7}, \"b\"]".to_owned(),
            Some(_) => "\"date\": 9,\n   \"text\": \"bad \u{1}\"".to_owned(),
            None => format!("\"text\": \"post {id} #tag @someone https://example.org/{id}\""),
        };
        format!(
            "  {{\n   \"id\": {id},\n   \"type\": \"message\",\n   \"date_unixtime\": \"{}\",\n   {text}\n  }}",
            1_700_000_000 + id
        )
    };
    let messages =
        |range: std::ops::Range<usize>| range.map(message).collect::<Vec<_>>().join(",\n");
    if chats <= 1 {
        return format!(
            "{{\n \"name\": \"Bench\",\n \"type\": \"public_channel\",\n \"id\": 1,\n \"messages\": [\n{}\n ]\n}}\n",
            messages(1..count + 1)
        )
        .into_bytes();
    }
    let per_chat = count / chats;
    let list: Vec<String> = (0..chats)
        .map(|chat| {
            format!(
                "{{\"name\": \"Chat {chat}\", \"type\": \"private_group\", \"id\": {chat}, \"messages\": [\n{}\n]}}",
                messages(chat * per_chat + 1..(chat + 1) * per_chat + 1)
            )
        })
        .collect();
    format!(
        "{{\"about\": \"x\", \"chats\": {{\"list\": [{}]}}}}\n",
        list.join(",\n")
    )
    .into_bytes()
}

#[test]
fn large_result_json_with_damage_and_chats_reads_the_same_in_parallel() {
    for (count, every, chats) in [(1200, 0, 1), (1200, 3, 1), (700, 5, 7), (100, 1, 1)] {
        let json = result_json(count, every, chats);
        let [here, _] = both_ways(&json);
        assert_eq!(here.0.len(), count / chats * chats);
        assert!(here.0.iter().all(Result::is_ok));
        assert_same(
            &format!("{count} messages, every {every} damaged, {chats} chats"),
            &json,
        );
    }
    // More damage than is listed one by one.
    let json = result_json(900, 1, 1);
    let [here, _] = both_ways(&json);
    let unlisted = |w: &tgexport::Warning| w.message.contains("more damaged parts");
    assert!(here.1.warnings.iter().any(unlisted));
    assert_same("damage past the list", &json);
}

#[test]
fn a_cut_off_or_broken_result_json_ends_the_same_in_parallel() {
    let json = result_json(1200, 11, 1);
    for cut in [json.len() / 3, json.len() / 2 + 17, json.len() - 5] {
        assert_same(&format!("cut at {cut}"), &json[..cut]);
    }
    let mut broken = json.clone();
    let at = json.len() / 2;
    let comma = at + json[at..].windows(3).position(|w| w == b"},\n").unwrap() + 1;
    broken[comma] = b'x';
    assert_same("broken between messages", &broken);
}

#[test]
fn a_layout_whose_guess_fails_reads_the_same_in_parallel() {
    // Indented by two, a nested object closes at the messages' indentation.
    let message = |id| format!("  {{\n  \"id\": {id},\n  \"l\": {{\n    \"x\": 1\n  }}\n}}");
    let messages: Vec<String> = (1..500).map(message).collect();
    let json = format!("{{\n\"messages\": [\n{}]}}", messages.join(",\n"));
    assert_same("re-indented", json.as_bytes());
}

/// `json` with the message of id `id` written so that its end, guessed from the layout,
/// is wrong: one line (the guess runs on into the next message) or a nested object
/// closing at the messages' indentation (the guess stops inside it).
fn with_a_wrong_guess(json: &[u8], id: usize, one_line: bool) -> Vec<u8> {
    let json = String::from_utf8(json.to_vec()).unwrap();
    let start = json.find(&format!("  {{\n   \"id\": {id},\n")).unwrap();
    let end = start + json[start..].find("\n  }").unwrap() + "\n  }".len();
    let message = &json[start..end];
    let rewritten = if one_line {
        format!(
            "  {}",
            message
                .trim_start()
                .replace("\n   ", " ")
                .replace("\n  }", " }")
        )
    } else {
        message.replace(
            "\n  }",
            ",\n   \"l\": {\n    \"x\": 1\n  },\n   \"m\": 2\n  }",
        )
    };
    format!("{}{rewritten}{}", &json[..start], &json[end..]).into_bytes()
}

#[test]
fn a_guess_that_fails_late_goes_back_and_reads_the_same_in_parallel() {
    for (count, every, chats) in [(1200, 0, 1), (700, 5, 7)] {
        let json = result_json(count, every, chats);
        // In the first batch, in a later one, in the last message of a chat, the last.
        for id in [2, 333, 400, count] {
            for one_line in [false, true] {
                let name = format!("{chats} chats, id {id} wrong (one line: {one_line})");
                let wrong = with_a_wrong_guess(&json, id, one_line);
                let [here, _] = both_ways(&wrong);
                assert_eq!(here.0.len(), count, "{name}");
                assert!(here.0.iter().all(Result::is_ok), "{name}");
                assert_same(&name, &wrong);
                // Cut off after the wrong guess: the end is where it was.
                let cut = wrong.len() - (wrong.len() - 1) / 7;
                assert_same(&format!("{name}, cut at {cut}"), &wrong[..cut]);
            }
        }
    }
}

/// A writer that fails once `room` bytes were written.
#[derive(Debug)]
struct Full {
    room: usize,
}

impl std::io::Write for Full {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if buf.len() > self.room {
            return Err(std::io::Error::other("full"));
        }
        self.room -= buf.len();
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn a_reader_goes_on_after_json_lines_failed_to_be_written() {
    let json = result_json(1200, 7, 1);
    let mut reader = in_order(&json).parallel().unwrap();
    let err = tgexport::write::jsonl(&mut reader, Full { room: 10_000 }).unwrap_err();
    assert!(err.to_string().contains("full"), "{err}");
    // What the pool held is gone with the failed write; the rest reads in order.
    let ids: Vec<i64> = reader.by_ref().map(|m| m.unwrap().id.unwrap()).collect();
    assert!(
        !ids.is_empty() && ids.len() < 1150,
        "{} read after",
        ids.len()
    );
    assert!(ids.windows(2).all(|w| w[1] == w[0] + 1));
    assert_eq!(ids.last(), Some(&1200));
    assert!(!reader.warnings().is_empty());
}

/// `json` written compact: each line trimmed and joined to the next, as `json.dump` or
/// `jq -c` lay an export out (strings hold no raw newline, so none is changed).
fn compact(json: &[u8]) -> Vec<u8> {
    let json = String::from_utf8(json.to_vec()).unwrap();
    json.lines()
        .map(str::trim_start)
        .collect::<String>()
        .into_bytes()
}

#[test]
fn a_compact_result_json_reads_the_same_in_parallel() {
    for (count, every, chats) in [(1200, 0, 1), (1200, 3, 1), (700, 5, 7)] {
        let json = compact(&result_json(count, every, chats));
        let name = format!("compact, {count} messages, every {every} damaged, {chats} chats");
        let [here, _] = both_ways(&json);
        assert_eq!(here.0.len(), count / chats * chats, "{name}");
        assert!(here.0.iter().all(Result::is_ok), "{name}");
        assert_same(&name, &json);
        for cut in [json.len() / 3, json.len() - 5] {
            assert_same(&format!("{name}, cut at {cut}"), &json[..cut]);
        }
    }
    // With a nested object in a message, as tdesktop writes a poll or a location.
    let json = compact(&with_a_wrong_guess(&result_json(1200, 0, 1), 333, false));
    assert_same("compact, a nested object", &json);
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig {
        cases: 48,
        ..proptest::prelude::ProptestConfig::default()
    })]

    /// Whatever is broken where, in either layout: the pool's guesses, their checks and
    /// the going back give what reading in order gives.
    #[test]
    fn a_damaged_result_json_reads_the_same_in_parallel(
        chats in 1usize..4,
        pretty: bool,
        edits in proptest::collection::vec(
            (0.0f64..1.0, 0usize..40, proptest::sample::select(
                vec!["", "}", "]", "{", "[", ",", "\"", "\n", "\n  }", "},{\"id\":", "\\"],
            )),
            1..4,
        ),
    ) {
        let json = result_json(90, 5, chats);
        let mut json = if pretty { json } else { compact(&json) };
        for (at, removed, inserted) in edits {
            let at = (at * json.len() as f64) as usize;
            let end = (at + removed).min(json.len());
            json.splice(at..end, inserted.bytes());
        }
        // Opening reads up to the first message the same way either way.
        proptest::prop_assume!(tgexport::read(&json[..]).is_ok());
        let [here, pooled] = both_ways(&json);
        proptest::prop_assert_eq!(pooled.0, here.0);
        proptest::prop_assert_eq!(pooled.1, here.1);
        proptest::prop_assert_eq!(pooled.2, here.2);
        proptest::prop_assert_eq!(pooled.3, here.3);
    }
}
