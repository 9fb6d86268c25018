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
    assert_eq!(&rows[0][5], "Russian MFA");
    assert_eq!(&rows[2][6], "not_supported");
    assert!(
        rows[0][12].contains('\n'),
        "multi-line text stays one quoted field"
    );
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
fn a_wrong_type_in_result_json_gets_a_caret_counted_in_characters() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("result.json");
    let json = "{\"name\": \"Кот\", \"type\": \"public_channel\", \"id\": 1, \"messages\": [\n\
                {\"type\": \"message\", \"text\": \"жжж\", \"id\": \"x\", \"date\": \"2020-01-01T00:00:00\"}\n]}\n";
    std::fs::write(&path, json).unwrap();
    let out = tgexport(&["convert", path.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    // serde_json's byte column 47 is character 44: three Cyrillic letters before it.
    assert!(stderr.contains("(line 2, column 44)"), "{stderr}");
    assert!(stderr.contains("result.json:2:44"), "{stderr}");
    let caret = stderr.lines().find(|l| l.ends_with("^ here")).unwrap();
    let source = stderr.lines().find(|l| l.contains("жжж")).unwrap();
    let column = |line: &str, at: usize| line[..at].chars().count();
    assert_eq!(
        column(caret, caret.find('^').unwrap()),
        column(source, source.find("\", \"date").unwrap()),
        "{stderr}"
    );
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
