//! The command line as scripts use it: outputs, exit codes, atomic `-o`.

use std::process::{Command, Output};

fn tgexport(args: &[&str], stdin: Option<&[u8]>) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_tgexport"))
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin.unwrap_or_default()).unwrap();
    drop(input);
    child.wait_with_output().unwrap()
}

const SEED: &str = "testdata/text/mfa_forwards.txt";

#[test]
fn convert_to_json_by_default() {
    let out = tgexport(&["convert", SEED], None);
    assert!(out.status.success());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["format"], "text");
    assert_eq!(json["messages"].as_array().unwrap().len(), 3);
    assert_eq!(json["messages"][0]["forwarded_from"]["name"], "Russian MFA");
}

#[test]
fn jsonl_has_one_message_per_line() {
    let out = tgexport(&["convert", SEED, "--to", "jsonl"], None);
    assert!(out.status.success());
    let lines: Vec<serde_json::Value> = out
        .stdout
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| serde_json::from_slice(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[2]["media"][0]["kind"], "not_supported");
}

#[test]
fn text_and_json_round_trip_through_the_cli() {
    let original = std::fs::read(SEED).unwrap();
    let text = tgexport(&["convert", SEED, "--to", "text"], None);
    assert_eq!(text.stdout, original);
    let json = tgexport(&["convert", SEED], None);
    let back = tgexport(&["convert", "-", "--to", "text"], Some(&json.stdout));
    assert!(
        back.status.success(),
        "{}",
        String::from_utf8_lossy(&back.stderr)
    );
    assert_eq!(back.stdout, original);
}

#[test]
fn output_file_is_written_whole_or_not_at_all() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.json");
    let out = tgexport(&["convert", SEED, "-o", good.to_str().unwrap()], None);
    assert!(out.status.success());
    assert!(serde_json::from_slice::<serde_json::Value>(&std::fs::read(&good).unwrap()).is_ok());

    let bad_input = dir.path().join("bad.txt");
    let mut bytes = b"Forwarded from X\n".repeat(2000);
    bytes.extend_from_slice(b"broken \xff byte\n");
    std::fs::write(&bad_input, bytes).unwrap();
    let bad = dir.path().join("bad.json");
    let out = tgexport(
        &[
            "convert",
            bad_input.to_str().unwrap(),
            "-o",
            bad.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(!bad.exists(), "no partial output");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        2,
        "only good.json and bad.txt: no temporary file left"
    );
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("invalid UTF-8 at line 2001, column 8"),
        "{stderr}"
    );
    assert!(stderr.contains("bad.txt"), "{stderr}");
}

#[test]
fn usage_errors_exit_with_2_and_missing_files_with_1() {
    assert_eq!(
        tgexport(&["convert", SEED, "--to", "yaml"], None)
            .status
            .code(),
        Some(2)
    );
    let missing = tgexport(&["convert", "no/such/file.txt"], None);
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no/such/file.txt"));
}

#[test]
fn forced_input_format_overrides_detection() {
    let out = tgexport(
        &["convert", "-", "--from", "text", "--to", "jsonl"],
        Some(b"{not json, a post}\n"),
    );
    assert!(out.status.success());
    let message: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(message["text"], "{not json, a post}");
}

#[test]
fn several_inputs_are_tagged_and_kept_in_order() {
    let out = tgexport(
        &[
            "convert",
            SEED,
            "testdata/text/cyrillic.txt",
            "--to",
            "jsonl",
        ],
        None,
    );
    assert!(out.status.success());
    let sources: Vec<String> = out
        .stdout
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| {
            serde_json::from_slice::<serde_json::Value>(l).unwrap()["source"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(sources, [SEED, SEED, SEED, "testdata/text/cyrillic.txt"]);
}

#[test]
fn several_inputs_as_json_are_an_array_of_exports() {
    let out = tgexport(&["convert", SEED, "testdata/text/empty.txt"], None);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let exports = json.as_array().unwrap();
    assert_eq!(exports.len(), 2);
    assert_eq!(exports[0]["messages"].as_array().unwrap().len(), 3);
    assert_eq!(exports[1]["messages"].as_array().unwrap().len(), 0);
}

#[test]
fn the_same_input_named_twice_is_read_once() {
    let out = tgexport(&["convert", SEED, SEED, "--to", "jsonl"], None);
    assert_eq!(out.stdout.iter().filter(|&&b| b == b'\n').count(), 3);
}

#[test]
fn dedupe_drops_what_repeats_across_inputs_and_says_how_many() {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("copy.txt");
    std::fs::copy(SEED, &copy).unwrap();
    let out = tgexport(
        &[
            "convert",
            SEED,
            copy.to_str().unwrap(),
            "--dedupe",
            "--to",
            "jsonl",
        ],
        None,
    );
    assert!(out.status.success());
    assert_eq!(out.stdout.iter().filter(|&&b| b == b'\n').count(), 3);
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim(),
        "--dedupe dropped 3 repeated messages"
    );
}

#[test]
fn csv_has_a_header_and_one_row_per_message() {
    let out = tgexport(&["convert", SEED, "--to", "csv"], None);
    let mut reader = csv::Reader::from_reader(&out.stdout[..]);
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        tgexport::write::CSV_HEADER
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 3);
    assert_eq!(&rows[0][7], "Russian MFA");
    assert_eq!(&rows[2][10], "[\"not_supported\"]");
    assert!(
        rows[0][16].contains('\n'),
        "multi-line text stays one quoted field"
    );
}

/// The CSV rows of `args`, as maps from column to cell.
fn csv_rows(args: &[&str]) -> Vec<std::collections::HashMap<String, String>> {
    let out = tgexport(args, None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let mut reader = csv::Reader::from_reader(&out.stdout[..]);
    let header = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|row| {
            header
                .iter()
                .map(str::to_owned)
                .zip(row.unwrap().iter().map(str::to_owned))
                .collect()
        })
        .collect()
}

#[test]
fn csv_has_kind_chat_and_reply_and_lists_as_json_arrays() {
    let rows = csv_rows(&[
        "convert",
        "testdata/tdesktop_json/account.json",
        "--to",
        "csv",
    ]);
    assert_eq!(
        rows[0]["chat"], "Ben",
        "account exports name each row's chat"
    );
    assert_eq!(rows[0]["hashtags"], "[\"#notes\"]");
    let rows = csv_rows(&[
        "convert",
        "testdata/tdesktop_json/2022_supergroup.json",
        "--to",
        "csv",
    ]);
    assert!(rows.iter().any(|row| row["kind"] == "service"));
    let reply = rows.iter().find(|row| row["id"] == "5").unwrap();
    assert_eq!(
        (reply["reply_to"].as_str(), reply["reply_to_chat"].as_str()),
        ("88", "channel1400000001"),
        "a reply to another chat names it"
    );
    // A link label whose URL the copy lost holds spaces: a JSON array keeps it one item.
    let rows = csv_rows(&[
        "convert",
        "testdata/text/links_and_mentions.txt",
        "--to",
        "csv",
    ]);
    let links: Vec<String> = serde_json::from_str(&rows[0]["links"]).unwrap();
    assert!(links.contains(&"Learn more".to_owned()), "{links:?}");
    assert!(
        links.contains(&"https://www.example.net/mirror".to_owned()),
        "{links:?}"
    );
    let media: Vec<String> = serde_json::from_str(&rows[0]["media"]).unwrap();
    assert!(media.is_empty());
}

#[test]
fn stats_as_json_counts_the_seed() {
    let out = tgexport(&["stats", SEED, "--json"], None);
    assert!(out.status.success());
    let stats: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(stats["messages"], 3);
    assert_eq!(stats["duplicates"], 3);
    assert_eq!(
        stats["forwards"][0],
        serde_json::json!({"value": "Russian MFA", "count": 3})
    );
    assert_eq!(
        stats["hashtags"][0],
        serde_json::json!({"value": "#WeWereAllies", "count": 3})
    );
}

#[test]
fn stats_table_names_each_section() {
    let out = tgexport(&["stats", "testdata/text"], None);
    let table = String::from_utf8(out.stdout).unwrap();
    for heading in [
        "messages",
        "forwarded from",
        "hashtag",
        "link domain",
        "media",
        "emoji marker",
    ] {
        assert!(table.contains(heading), "{heading} missing from\n{table}");
    }
}

#[test]
fn errors_show_the_offending_line_with_a_caret() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.txt");
    std::fs::write(&path, b"fine\nbad \xff here\n").unwrap();
    let out = tgexport(&["convert", path.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.starts_with("error: invalid UTF-8 at line 2, column 5"),
        "{stderr}"
    );
    assert!(stderr.contains("bad.txt:2:5"), "{stderr}");
    assert!(stderr.contains("2 | bad \u{FFFD} here"), "{stderr}");
    assert!(stderr.contains("    ^ not UTF-8"), "{stderr}");
}

#[test]
fn a_wrong_type_in_result_json_is_a_warning_placed_in_characters() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("result.json");
    let json = "{\"name\": \"Кот\", \"type\": \"public_channel\", \"id\": 1, \"messages\": [\n\
                {\"type\": \"message\", \"text\": \"жжж\", \"id\": \"x\", \"date\": \"2020-01-01T00:00:00\"}\n]}\n";
    std::fs::write(&path, json).unwrap();
    let out = tgexport(&["convert", path.to_str().unwrap(), "--to", "jsonl"], None);
    // The message is read without its id; the run goes on.
    assert_eq!(out.status.code(), Some(0));
    let message: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(message["text"], "жжж");
    assert_eq!(message["extra"]["tgexport_damaged"][0]["value"], "x");
    let stderr = String::from_utf8(out.stderr).unwrap();
    // The `id` key is byte 39 of its line, character 36: three Cyrillic letters before it.
    assert!(stderr.contains("line 2, column 36"), "{stderr}");
    assert!(stderr.contains("result.json:2:36"), "{stderr}");
    // --strict makes the same damage a failure.
    let out = tgexport(&["convert", path.to_str().unwrap(), "--strict"], None);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn tz_gives_naive_times_an_offset() {
    let input = r#"{"schema_version": 1, "format": "tdesktop_json", "channel": null, "messages": [
        {"index": 0, "id": 1, "lines": null, "date": "2020-01-02T03:04:05", "from": null, "forwarded_from": null,
         "media": [], "text": "", "paragraphs": [], "entities": [], "hashtags": [], "mentions": [], "links": [],
         "dates": [], "duplicate": null}]}"#;
    let out = tgexport(
        &["convert", "-", "--tz", "+03:00", "--to", "jsonl"],
        Some(input.as_bytes()),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let message: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(message["date"], "2020-01-02T03:04:05+03:00");
}

#[test]
fn snapshot_check_passes_on_fresh_snapshots_and_flags_a_change() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(SEED, dir.path().join("seed.txt")).unwrap();
    let corpus = dir.path().to_str().unwrap();
    assert_eq!(tgexport(&["snapshot", corpus], None).status.code(), Some(0));
    let snap = dir.path().join("snapshots/seed.txt.snap");
    let stored = std::fs::read_to_string(&snap).unwrap();
    assert!(
        stored.starts_with("---\nsource: tgexport snapshot\nexpression: \"seed.txt\"\n---\n{"),
        "{stored}"
    );
    assert_eq!(
        tgexport(&["snapshot", corpus, "--check"], None)
            .status
            .code(),
        Some(0)
    );

    let copy = std::fs::read_to_string(dir.path().join("seed.txt")).unwrap();
    std::fs::write(
        dir.path().join("seed.txt"),
        copy.replace("#Victory78", "#Victory80"),
    )
    .unwrap();
    let out = tgexport(&["snapshot", corpus, "--check"], None);
    assert_eq!(out.status.code(), Some(3));
    let diff = String::from_utf8(out.stdout).unwrap();
    assert!(
        diff.contains("-        \"#Victory78\"\n+        \"#Victory80\""),
        "{diff}"
    );
    assert!(
        dir.path().join("snapshots/seed.txt.snap.new").exists(),
        "pending snapshot for cargo insta review"
    );
    assert_eq!(
        std::fs::read_to_string(&snap).unwrap(),
        stored,
        "--check never rewrites a snapshot"
    );
}

#[test]
fn schema_command_prints_the_library_schema() {
    let out = tgexport(&["schema"], None);
    let printed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(printed, tgexport::schema());
    let message: serde_json::Value =
        serde_json::from_slice(&tgexport(&["schema", "--message"], None).stdout).unwrap();
    assert_eq!(message["title"], "Message");
}

#[test]
fn output_to_a_device_writes_through_it_instead_of_replacing_it() {
    let out = tgexport(&["convert", SEED, "-o", "/dev/null"], None);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let null = std::fs::metadata("/dev/null").unwrap();
    assert!(!null.is_file(), "/dev/null is still a device");
}

/// A file `name` in a new temporary folder, holding `bytes`.
fn temp_file(name: &str, bytes: &[u8]) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    (dir, path.to_str().unwrap().to_owned())
}

/// The channel fixture cut off inside its fifth message, as an interrupted export is.
fn cut_off_export() -> (tempfile::TempDir, String) {
    let whole = std::fs::read("testdata/tdesktop_json/2024_channel.json").unwrap();
    temp_file("half.json", &whole[..3743])
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn every_output_mode_and_stats_print_warnings_on_stderr() {
    let (_dir, half) = cut_off_export();
    let runs: [&[&str]; 6] = [
        &["convert", &half, "--to", "json"],
        &["convert", &half, "--to", "jsonl"],
        &["convert", &half, "--to", "csv"],
        &["convert", &half, "--to", "text"],
        &["stats", &half],
        &["stats", &half, "--json"],
    ];
    for args in runs {
        let out = tgexport(args, None);
        let stderr = stderr(&out);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
        assert!(
            stderr.starts_with("warning: the input ends at byte offset 3743"),
            "{args:?}: {stderr}"
        );
        // Line and column of the end of the file, where the export was cut.
        assert!(
            stderr.contains(&format!(" --> {half}:184:14\n")),
            "{args:?}: {stderr}"
        );
        assert!(
            stderr.ends_with("warning: 1 warning emitted\n"),
            "{args:?}: {stderr}"
        );
    }
    let stats = tgexport(&["stats", &half, "--json"], None);
    let stats: serde_json::Value = serde_json::from_slice(&stats.stdout).unwrap();
    assert_eq!(stats["messages"], 4);
    let warnings = stats["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0]["file"], half.as_str());
    assert_eq!(warnings[0]["offset"], 3743);
}

#[test]
fn a_flood_of_warnings_is_cut_short_and_counted() {
    let mut page = String::from(
        "<!DOCTYPE html><html><body><div class=\"page_wrap\">\
         <div class=\"page_body chat_page\"><div class=\"history\">\n",
    );
    for i in 0..25 {
        page.push_str(&format!("<aside class=\"ad\">ad {i}</aside>\n"));
    }
    page.push_str("</div></div></div></body></html>\n");
    let (_dir, path) = temp_file("messages.html", page.as_bytes());
    let out = tgexport(&["convert", &path, "--to", "jsonl"], None);
    let stderr = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_eq!(
        stderr.matches("warning: unknown element aside.ad").count(),
        20
    );
    assert!(stderr.contains(&format!(" --> {path}:21\n")), "{stderr}");
    assert!(
        stderr.ends_with(
            "warning: 5 more warnings not shown (`--to json` lists them all)\n\
             warning: 25 warnings emitted\n"
        ),
        "{stderr}"
    );
    let json = tgexport(&["convert", &path], None);
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(json["warnings"].as_array().unwrap().len(), 25);
}

#[test]
fn strict_fails_on_any_warning_and_writes_no_file() {
    let (dir, half) = cut_off_export();
    let target = dir.path().join("out.jsonl");
    let out = tgexport(
        &[
            "convert",
            &half,
            "--to",
            "jsonl",
            "--strict",
            "-o",
            target.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(!target.exists(), "no file under --strict with a warning");
    let printed = stderr(&out);
    assert!(printed.contains("warning: the input ends"), "{printed}");
    assert!(printed.contains("not written: --strict"), "{printed}");
    assert_eq!(
        tgexport(&["stats", &half, "--strict"], None).status.code(),
        Some(1)
    );
    // Without warnings, --strict changes nothing.
    let clean = tgexport(&["convert", SEED, "--strict", "--to", "jsonl"], None);
    assert_eq!(clean.status.code(), Some(0), "{}", stderr(&clean));
}

/// A copy with a byte that is not UTF-8 after many posts, so that it is met while the
/// posts before it are being written.
fn broken_midway() -> (tempfile::TempDir, String) {
    let mut bytes = b"Forwarded from X\nhello\n".repeat(40_000);
    bytes.extend_from_slice(b"broken \xff byte\n");
    temp_file("broken.txt", &bytes)
}

#[test]
fn json_written_before_a_failure_is_closed_and_parses() {
    let (_dir, broken) = broken_midway();
    let out = tgexport(&["convert", &broken], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("invalid UTF-8 at line 80001"));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("complete JSON");
    assert!(json["messages"].as_array().unwrap().len() > 30_000);
    let last = json["warnings"].as_array().unwrap().last().unwrap();
    assert!(
        last["message"]
            .as_str()
            .unwrap()
            .starts_with("reading stopped here, the messages after this point are missing"),
        "{last}"
    );

    // Several inputs: the array of exports is closed too, and the next input is read.
    let out = tgexport(&["convert", &broken, SEED], None);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("complete JSON");
    assert_eq!(json[1]["messages"].as_array().unwrap().len(), 3);
}

#[test]
fn csv_and_jsonl_written_before_a_failure_are_whole_rows() {
    let (_dir, broken) = broken_midway();
    let out = tgexport(&["convert", &broken, "--to", "jsonl"], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.ends_with(b"\n"));
    for line in out.stdout.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
        serde_json::from_slice::<serde_json::Value>(line).expect("a whole line");
    }
    let out = tgexport(&["convert", &broken, SEED, "--to", "csv"], None);
    assert_eq!(out.status.code(), Some(1));
    let mut reader = csv::Reader::from_reader(&out.stdout[..]);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(
        rows.last().unwrap()[0],
        *SEED,
        "the input after the broken one"
    );
}

#[test]
fn json_that_is_not_an_export_is_refused() {
    for json in [
        &b"{\"a\": 1}"[..],
        b"[1, 2, 3]\n",
        b"{\"name\": \"x\", \"id\": 3}",
    ] {
        let out = tgexport(&["convert", "-", "--to", "jsonl"], Some(json));
        let stderr = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert!(out.stdout.is_empty());
        assert!(
            stderr.starts_with("error: not a Telegram export: ")
                && stderr.contains("expected a Telegram Desktop result.json"),
            "{stderr}"
        );
    }
    // Empty exports are still exports.
    for json in [&b"{\"messages\": []}"[..], b"{\"chats\": {\"list\": []}}"] {
        let out = tgexport(&["convert", "-"], Some(json));
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    }
}

#[test]
fn tgexport_output_reads_back_as_json_and_json_lines() {
    let fixture = "testdata/tdesktop_json/2024_channel.json";
    let jsonl = tgexport(&["convert", fixture, "--to", "jsonl"], None).stdout;
    let back = tgexport(&["convert", "-", "--to", "jsonl"], Some(&jsonl));
    assert_eq!(back.status.code(), Some(0), "{}", stderr(&back));
    assert_eq!(back.stdout, jsonl, "JSON Lines read back unchanged");
    let json = tgexport(&["convert", "-"], Some(&jsonl)).stdout;
    let json: serde_json::Value = serde_json::from_slice(&json).unwrap();
    assert_eq!(json["format"], "tgexport_jsonl");

    // The JSON of several inputs: an array of exports.
    let many = tgexport(&["convert", fixture, SEED], None).stdout;
    let back = tgexport(&["convert", "-", "--to", "jsonl"], Some(&many));
    let sources: Vec<String> = back
        .stdout
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| serde_json::from_slice::<serde_json::Value>(l).unwrap()["source"].to_string())
        .collect();
    assert_eq!(sources.len(), 13 + 3);
    assert!(
        stderr(&back).contains("several formats"),
        "{}",
        stderr(&back)
    );

    // A line that is not a message is an error naming the line.
    let mut damaged = jsonl.clone();
    damaged.extend_from_slice(b"{\"index\": \"x\"}\n");
    let out = tgexport(&["convert", "-", "--to", "jsonl"], Some(&damaged));
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("tgexport_jsonl input, line 14, column"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_folder_skips_files_that_are_not_exports_and_names_them() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        "testdata/tdesktop_json/2024_channel.json",
        dir.path().join("result.json"),
    )
    .unwrap();
    std::fs::write(dir.path().join("config.json"), b"{\"theme\": \"dark\"}\n").unwrap();
    let folder = dir.path().to_str().unwrap();
    let out = tgexport(&["convert", folder, "--to", "jsonl"], None);
    let stderr = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_eq!(out.stdout.iter().filter(|&&b| b == b'\n').count(), 13);
    assert!(
        stderr.starts_with("warning: skipped this file, not a Telegram export: "),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!(" --> {folder}/config.json\n")),
        "{stderr}"
    );
    // The same file named on the command line is an error.
    let named = dir.path().join("config.json");
    let out = tgexport(&["convert", named.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn one_failing_input_of_several_is_reported_and_the_others_converted() {
    let (_dir, not_export) = temp_file("settings.json", b"{\"a\": 1}");
    let out = tgexport(
        &[
            "convert",
            SEED,
            &not_export,
            "testdata/text/cyrillic.txt",
            "--to",
            "jsonl",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(out.stdout.iter().filter(|&&b| b == b'\n').count(), 4);
    let stderr = stderr(&out);
    assert!(
        stderr.contains(&format!("error: {not_export}: not a Telegram export")),
        "{stderr}"
    );
    let stats = tgexport(&["stats", SEED, &not_export, "--json"], None);
    assert_eq!(stats.status.code(), Some(1));
    let stats: serde_json::Value = serde_json::from_slice(&stats.stdout).unwrap();
    assert_eq!(stats["messages"], 3);
}

#[test]
fn a_closed_pipe_ends_the_run_quietly() {
    use std::io::Read;
    let (_dir, big) = temp_file("big.txt", &b"Forwarded from X\nhello\n".repeat(100_000));
    let mut child = Command::new(env!("CARGO_BIN_EXE_tgexport"))
        .args(["convert", &big, "--to", "jsonl"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0; 100];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    // Reading end dropped, as `head` does.
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stderr(&out), "");
}

#[test]
fn stats_json_lists_only_the_top_when_asked() {
    let out = tgexport(&["stats", "testdata/text", "--json", "--top", "1"], None);
    let stats: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let all = tgexport(&["stats", "testdata/text", "--json"], None);
    let all: serde_json::Value = serde_json::from_slice(&all.stdout).unwrap();
    for list in [
        "forwards",
        "hashtags",
        "mentions",
        "link_domains",
        "media",
        "markers",
    ] {
        let full = all[list].as_array().unwrap();
        assert!(full.len() > 1, "{list} has a list to cut");
        assert_eq!(stats[list].as_array().unwrap()[..], full[..1], "{list}");
        assert_eq!(stats["distinct"][list], full.len(), "{list}");
    }
}

/// The `source` of each JSON Lines message of `args`, and what stderr said.
fn sources(args: &[&str]) -> (Vec<String>, String) {
    let out = tgexport(args, None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let sources = out
        .stdout
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| {
            let message: serde_json::Value = serde_json::from_slice(l).unwrap();
            message["source"].as_str().unwrap().to_owned()
        })
        .collect();
    (sources, stderr(&out))
}

#[test]
fn dedupe_knows_one_channel_in_two_formats() {
    // result.json names the channel by number and title, messages.html by title only.
    let json = "testdata/tdesktop_html/pair/result.json";
    let html = "testdata/tdesktop_html/pair/messages.html";
    let (kept, said) = sources(&["convert", json, html, "--dedupe", "--to", "jsonl"]);
    assert_eq!(kept.len(), 7);
    assert!(kept.iter().all(|source| source == json), "{kept:?}");
    assert_eq!(said, "--dedupe dropped 7 repeated messages\n");

    // A t.me page and its copied text share only text and time.
    let page = "testdata/tme_html/page.html";
    let copy = "testdata/tme_html/page.hand-copy.txt";
    let (kept, said) = sources(&["convert", page, copy, "--dedupe", "--to", "jsonl"]);
    assert_eq!(kept.iter().filter(|s| *s == copy).count(), 1, "{kept:?}");
    assert_eq!(said, "--dedupe dropped 5 repeated messages\n");
}

#[test]
fn dedupe_keeps_same_text_at_another_time_and_an_inputs_own_repeats() {
    let post =
        |time: &str| format!("Forwarded from Port Office\nQuay 3 is closed\n1.2K views {time}\n");
    let dir = tempfile::tempdir().unwrap();
    let morning = dir.path().join("morning.txt");
    let evening = dir.path().join("evening.txt");
    std::fs::write(&morning, post("10:20").repeat(2)).unwrap();
    std::fs::write(&evening, post("18:05")).unwrap();
    let (kept, said) = sources(&[
        "convert",
        morning.to_str().unwrap(),
        evening.to_str().unwrap(),
        "--dedupe",
        "--to",
        "jsonl",
    ]);
    assert_eq!(kept.len(), 3, "{kept:?}");
    assert_eq!(said, "--dedupe dropped 0 repeated messages\n");
}

/// The rows of a Parquet file: each row's `source` and `index`, and the row count.
fn parquet_rows(path: &std::path::Path) -> Vec<(Option<String>, i64)> {
    use tgexport::arrow_array::Array;
    use tgexport::arrow_array::cast::AsArray;
    use tgexport::arrow_array::types::Int64Type;
    let file = std::fs::File::open(path).unwrap();
    let reader = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file)
        .unwrap()
        .build()
        .unwrap();
    let mut rows = Vec::new();
    for batch in reader {
        let batch = batch.unwrap();
        let sources = batch.column_by_name("source").unwrap().as_string::<i32>();
        let indexes = batch.column_by_name("index").unwrap();
        let indexes = indexes.as_primitive::<Int64Type>();
        for row in 0..batch.num_rows() {
            let source = sources.is_valid(row).then(|| sources.value(row).to_owned());
            rows.push((source, indexes.value(row)));
        }
    }
    rows
}

fn file_names(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn parquet_needs_a_file_and_is_written_whole() {
    let out = tgexport(&["convert", SEED, "--to", "parquet"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("-o FILE"), "{}", stderr(&out));
    assert!(out.stdout.is_empty());

    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("seed.parquet");
    let target = target.to_str().unwrap();
    let out = tgexport(&["convert", SEED, "--to", "parquet", "-o", target], None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // One input is written as itself: no source.
    assert_eq!(
        parquet_rows(target.as_ref()),
        [(None, 0), (None, 1), (None, 2)]
    );

    // A failing input writes nothing, and leaves the earlier file as it was.
    let (_bad_dir, not_export) = temp_file("settings.json", b"{\"a\": 1}");
    let before = std::fs::read(target).unwrap();
    let out = tgexport(
        &[
            "convert",
            SEED,
            &not_export,
            "--to",
            "parquet",
            "-o",
            target,
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("not written: 1 input(s) failed"));
    assert_eq!(std::fs::read(target).unwrap(), before);
    assert_eq!(
        file_names(dir.path()),
        ["seed.parquet"],
        "no temporary file left"
    );
}

#[test]
fn parquet_to_a_folder_writes_one_file_per_input() {
    let dir = tempfile::tempdir().unwrap();
    // Two Telegram Desktop exports, each a `result.json` in a folder of one name.
    for side in ["a", "b"] {
        let export = dir.path().join(side).join("ChatExport_2024-03-03");
        std::fs::create_dir_all(&export).unwrap();
        std::fs::copy(
            "testdata/tdesktop_json/2024_channel.json",
            export.join("result.json"),
        )
        .unwrap();
    }
    let a = dir.path().join("a/ChatExport_2024-03-03/result.json");
    let b = dir.path().join("b/ChatExport_2024-03-03/result.json");
    let (a, b) = (a.to_str().unwrap(), b.to_str().unwrap());
    let folder = dir.path().join("tables");
    let target = format!("{}/", folder.display());
    let out = tgexport(
        &["convert", SEED, a, b, "--to", "parquet", "-o", &target],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        file_names(&folder),
        [
            "ChatExport_2024-03-03-2.parquet",
            "ChatExport_2024-03-03.parquet",
            "mfa_forwards.parquet"
        ]
    );
    let seed = parquet_rows(&folder.join("mfa_forwards.parquet"));
    assert_eq!(seed.len(), 3);
    assert!(
        seed.iter()
            .all(|(source, _)| source.as_deref() == Some(SEED))
    );
    let second = parquet_rows(&folder.join("ChatExport_2024-03-03-2.parquet"));
    assert_eq!(second.len(), 13);
    assert_eq!(second[12], (Some(b.to_owned()), 12));

    // With --dedupe, a later input keeps only what no earlier one had: the second copy
    // of the export is an empty table, so the folder holds each message once.
    // (An existing folder needs no slash.)
    let deduped = dir.path().join("deduped");
    std::fs::create_dir(&deduped).unwrap();
    let out = tgexport(
        &[
            "convert",
            a,
            b,
            "--dedupe",
            "--to",
            "parquet",
            "-o",
            deduped.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("--dedupe dropped 13 repeated messages"));
    assert_eq!(
        parquet_rows(&deduped.join("ChatExport_2024-03-03.parquet")).len(),
        13
    );
    assert_eq!(
        parquet_rows(&deduped.join("ChatExport_2024-03-03-2.parquet")).len(),
        0
    );
}

#[test]
fn a_failing_input_leaves_the_parquet_folder_unwritten() {
    let dir = tempfile::tempdir().unwrap();
    let not_export = dir.path().join("settings.json");
    std::fs::write(&not_export, b"{\"a\": 1}").unwrap();
    let folder = dir.path().join("tables");
    std::fs::create_dir(&folder).unwrap();
    let out = tgexport(
        &[
            "convert",
            SEED,
            not_export.to_str().unwrap(),
            "--to",
            "parquet",
            "-o",
            folder.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("not written: 1 input(s) failed"));
    assert_eq!(file_names(&folder), Vec::<String>::new());

    // Warnings reach stderr, and under --strict keep the folder empty too.
    let (_half_dir, half) = cut_off_export();
    let out = tgexport(
        &[
            "convert",
            &half,
            "--to",
            "parquet",
            "--strict",
            "-o",
            folder.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).starts_with("warning: the input ends at byte offset 3743"));
    assert_eq!(file_names(&folder), Vec::<String>::new());
}

#[test]
fn parquet_warns_of_times_without_an_offset_unless_tz_gives_it() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("chat.parquet");
    let target = target.to_str().unwrap();
    let chat = "testdata/tdesktop_json/2020_personal_chat.json";
    let out = tgexport(&["convert", chat, "--to", "parquet", "-o", target], None);
    assert_eq!(out.status.code(), Some(0));
    let printed = stderr(&out);
    assert!(
        printed.starts_with("warning: 9 messages have a time without a UTC offset"),
        "{printed}"
    );
    assert!(printed.contains(&format!(" --> {chat}\n")), "{printed}");
    let out = tgexport(
        &[
            "convert", chat, "--to", "parquet", "--tz", "+03:00", "-o", target,
        ],
        None,
    );
    assert_eq!((out.status.code(), stderr(&out)), (Some(0), String::new()));
}
