//! Counts the hashtags of an archive, most frequent first.
//!
//! ```sh
//! cargo run --example count_hashtags -- testdata/text/*.txt
//! ```

use std::collections::HashMap;
use std::io::BufReader;

fn count_hashtags(paths: &[String]) -> tgexport::Result<Vec<(String, usize)>> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for path in paths {
        let file = std::fs::File::open(path)?;
        for message in tgexport::read(BufReader::new(file))? {
            for tag in message?.hashtags {
                *counts.entry(tag).or_default() += 1;
            }
        }
    }
    let mut ranked: Vec<_> = counts.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Ok(ranked)
}

fn main() -> tgexport::Result<()> {
    let paths: Vec<String> = std::env::args().skip(1).collect();
    for (tag, count) in count_hashtags(&paths)? {
        println!("{count:>6} {tag}");
    }
    Ok(())
}

#[test]
fn counts_the_seed() {
    let ranked = count_hashtags(&["testdata/text/mfa_forwards.txt".to_owned()]).unwrap();
    assert_eq!(ranked[0], ("#WeWereAllies".to_owned(), 3));
    assert_eq!(ranked.len(), 3);
}
