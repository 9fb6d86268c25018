//! `tgexport stats`: the first questions about an archive, answered as a table or JSON.

use comfy_table::{Cell, Table, presets::UTF8_FULL_CONDENSED};
use rayon::prelude::*;
use tgexport::Error;
use tgexport::stats::{Stats, Tally};

use super::InputArgs;
use super::inputs;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    input: InputArgs,
    /// Print JSON instead of tables.
    #[arg(long)]
    json: bool,
    /// How many of the most frequent hashtags, sources, domains… to list.
    #[arg(long, default_value_t = 10)]
    top: usize,
}

pub fn run(args: &Args) -> Result<(), Error> {
    let inputs = inputs::expand(&args.input)?;
    let progress = inputs::files_progress(inputs.len(), &args.input);
    let partial: Vec<Result<Stats, Error>> = inputs
        .par_iter()
        .map(|input| {
            let mut stats = Stats::default();
            for message in inputs::open(input, &args.input, inputs.len() == 1)? {
                stats.add(&message.map_err(|e| input.blame(e))?);
            }
            progress.inc(1);
            Ok(stats)
        })
        .collect();
    progress.finish_and_clear();
    let mut stats = Stats::default();
    for part in partial {
        stats.merge(part?);
    }
    if args.json {
        let json = serde_json::to_string_pretty(&stats).map_err(|e| Error::Serialize {
            format: "JSON",
            message: e.to_string(),
        })?;
        println!("{json}");
    } else {
        print!("{}", tables(&stats, args.top));
    }
    Ok(())
}

fn table(header: [&str; 2]) -> Table {
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED).set_header(header);
    table
}

fn tables(stats: &Stats, top: usize) -> String {
    let mut summary = table(["summary", "value"]);
    let date = |d: Option<tgexport::Timestamp>| d.map_or("-".to_owned(), |d| d.to_string());
    summary.add_row(["messages".to_owned(), stats.messages.to_string()]);
    summary.add_row(["first date".to_owned(), date(stats.first_date)]);
    summary.add_row(["last date".to_owned(), date(stats.last_date)]);
    summary.add_row(["repeated blocks".to_owned(), stats.duplicates.to_string()]);
    summary.add_row([
        "paragraph lines".to_owned(),
        stats.paragraph_lines.to_string(),
    ]);
    let mut out = format!("{summary}\n");
    if !stats.per_month.is_empty() {
        let mut months = table(["month", "messages"]);
        for (month, count) in &stats.per_month {
            months.add_row([month.clone(), count.to_string()]);
        }
        out.push_str(&format!("{months}\n"));
    }
    let ranked: [(&str, &Tally); 6] = [
        ("forwarded from", &stats.forwards),
        ("hashtag", &stats.hashtags),
        ("mention", &stats.mentions),
        ("link domain", &stats.link_domains),
        ("media", &stats.media),
        ("emoji marker", &stats.markers),
    ];
    for (title, tally) in ranked.into_iter().filter(|(_, tally)| !tally.is_empty()) {
        let mut list = table([title, "count"]);
        for (value, count) in tally.ranked().into_iter().take(top) {
            list.add_row([Cell::new(value), Cell::new(count)]);
        }
        if tally.len() > top {
            list.add_row([
                Cell::new(format!("… {} more", tally.len() - top)),
                Cell::new(""),
            ]);
        }
        out.push_str(&format!("{list}\n"));
    }
    out
}
