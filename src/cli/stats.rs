//! `tgexport stats`: the first questions about an archive, answered as a table or JSON.

use std::collections::BTreeMap;
use std::io::Write;

use comfy_table::{Cell, Table, presets::UTF8_FULL_CONDENSED};
use rayon::prelude::*;
use serde::Serialize;
use tgexport::stats::{Stats, Tally};
use tgexport::{Error, Warning};

use super::InputArgs;
use super::diagnostic::Diagnostics;
use super::inputs::{self, Input};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    input: InputArgs,
    /// Print JSON instead of tables.
    #[arg(long)]
    json: bool,
    /// How many of the most frequent hashtags, sources, domains… to list (tables: 10 when
    /// omitted; JSON: all when omitted).
    #[arg(long)]
    top: Option<usize>,
}

impl Args {
    pub fn strict(&self) -> bool {
        self.input.strict
    }
}

/// What one input gave: its counts so far, its warnings, and the error that stopped it.
struct Part {
    stats: Stats,
    warnings: Vec<Warning>,
    error: Option<Error>,
}

pub fn run(args: &Args, diagnostics: &mut Diagnostics) -> Result<(), Error> {
    let inputs = inputs::expand(&args.input)?;
    let progress = inputs::files_progress(inputs.len(), &args.input);
    let parts: Vec<Part> = inputs
        .par_iter()
        .map(|input| {
            let part = count(input, &args.input, inputs.len() == 1);
            progress.inc(1);
            part
        })
        .collect();
    progress.finish_and_clear();
    let mut stats = Stats::default();
    let mut warnings = Vec::new();
    for (input, part) in inputs.iter().zip(parts) {
        // The counts of an input that failed midway are left out, as its other counts
        // would be wrong without saying so.
        match part.error {
            Some(err) => match input.skipped(&err) {
                Some(warning) => {
                    diagnostics.warn(input.path(), std::slice::from_ref(&warning));
                    warnings.push(named(warning, input));
                }
                None => diagnostics.error(&err),
            },
            None => stats.merge(part.stats),
        }
        diagnostics.warn(input.path(), &part.warnings);
        warnings.extend(part.warnings.into_iter().map(|w| named(w, input)));
    }
    let out = if args.json {
        json(&stats, args.top, &warnings)?
    } else {
        tables(&stats, args.top.unwrap_or(10))
    };
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(out.as_bytes())?;
    Ok(stdout.flush()?)
}

/// Counts the messages of `input`.
fn count(input: &Input, args: &InputArgs, show_progress: bool) -> Part {
    let mut part = Part {
        stats: Stats::default(),
        warnings: Vec::new(),
        error: None,
    };
    let mut reader = match inputs::open(input, args, show_progress) {
        Ok(reader) => reader,
        Err(err) => {
            part.error = Some(err);
            return part;
        }
    };
    for message in reader.by_ref() {
        match message {
            Ok(message) => part.stats.add(&message),
            Err(err) => {
                part.error = Some(input.blame(err));
                break;
            }
        }
    }
    part.warnings = reader.warnings();
    part
}

/// `warning`, naming the input it came from when it names no file of its own.
fn named(mut warning: Warning, input: &Input) -> Warning {
    if warning.file.is_none() {
        warning.file = input.path().map(|p| p.display().to_string());
    }
    warning
}

/// The stats as pretty JSON, lists cut to `top` (with how many distinct values each
/// had), and the warnings of the run.
fn json(stats: &Stats, top: Option<usize>, warnings: &[Warning]) -> Result<String, Error> {
    #[derive(Serialize)]
    struct Report<'a> {
        #[serde(flatten)]
        stats: &'a Stats,
        #[serde(skip_serializing_if = "Option::is_none")]
        distinct: Option<BTreeMap<&'static str, usize>>,
        warnings: &'a [Warning],
    }
    let mut cut;
    let mut report = Report {
        stats,
        distinct: None,
        warnings,
    };
    if let Some(top) = top {
        cut = stats.clone();
        let mut distinct = BTreeMap::new();
        for (name, tally) in cut.tallies_mut() {
            distinct.insert(name, tally.len());
            tally.keep_top(top);
        }
        report.distinct = Some(distinct);
        report.stats = &cut;
    }
    let mut json = serde_json::to_string_pretty(&report).map_err(|e| Error::Serialize {
        format: "JSON",
        message: e.to_string(),
    })?;
    json.push('\n');
    Ok(json)
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
