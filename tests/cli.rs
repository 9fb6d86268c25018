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
