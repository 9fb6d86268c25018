//! Which channels a channel forwards from: CSV edges `channel,forwarded_from,posts`, ready
//! for Gephi, networkx or a spreadsheet.
//!
//! ```sh
//! cargo run --example forward_graph -- testdata/text/*.txt > edges.csv
//! ```

use std::collections::BTreeMap;

/// Edges of the forward graph of the exports at `paths`; a channel without a title in its
/// export is named after its file.
fn forward_edges(paths: &[String]) -> tgexport::Result<BTreeMap<(String, String), usize>> {
    let mut edges = BTreeMap::new();
    for path in paths {
        let export = tgexport::parse_path(path)?;
        let channel = export
            .channel
            .and_then(|c| c.title)
            .unwrap_or_else(|| path.clone());
        for message in &export.messages {
            if let Some(source) = message.forwarded_from.as_ref().and_then(|f| f.name.clone()) {
                *edges.entry((channel.clone(), source)).or_default() += 1;
            }
        }
    }
    Ok(edges)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let paths: Vec<String> = std::env::args().skip(1).collect();
    let mut out = csv::Writer::from_writer(std::io::stdout().lock());
    out.write_record(["channel", "forwarded_from", "posts"])?;
    for ((channel, source), posts) in forward_edges(&paths)? {
        out.write_record([channel, source, posts.to_string()])?;
    }
    out.flush()?;
    Ok(())
}

#[test]
fn edges_of_the_fixtures() {
    let paths = [
        "testdata/text/mfa_forwards.txt",
        "testdata/text/channel_header.txt",
    ]
    .map(str::to_owned);
    let edges = forward_edges(&paths).unwrap();
    assert_eq!(
        edges[&(
            "testdata/text/mfa_forwards.txt".to_owned(),
            "Russian MFA".to_owned()
        )],
        3
    );
    assert_eq!(
        edges[&("Ministry of Examples".to_owned(), "Example News".to_owned())],
        1
    );
    assert_eq!(edges.len(), 2);
}
