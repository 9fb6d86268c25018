//! Streams an export of any size to JSON Lines on standard output, holding one message in
//! memory at a time.
//!
//! ```sh
//! cargo run --release --example stream_jsonl -- big-export.txt > posts.jsonl
//! ```

use std::io::{BufReader, Write};

fn stream(input: impl std::io::BufRead + Send, out: impl Write) -> tgexport::Result<()> {
    let mut reader = tgexport::read(input)?;
    tgexport::write::jsonl(&mut reader, out)?;
    Ok(())
}

fn main() -> tgexport::Result<()> {
    let path = std::env::args().nth(1).unwrap_or_else(|| "-".to_owned());
    let stdout = std::io::BufWriter::new(std::io::stdout().lock());
    if path == "-" {
        stream(BufReader::new(std::io::stdin()), stdout)
    } else {
        stream(BufReader::new(std::fs::File::open(&path)?), stdout)
    }
}

#[test]
fn one_line_per_message() {
    let input = std::fs::read("testdata/text/mfa_forwards.txt").unwrap();
    let mut out = Vec::new();
    stream(&input[..], &mut out).unwrap();
    let lines: Vec<serde_json::Value> = out
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| serde_json::from_slice(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["forwarded_from"]["name"], "Russian MFA");
}
