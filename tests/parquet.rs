//! Parquet written by `tgexport::write::ParquetTable`, read back with the parquet crate:
//! the columns' types, their values on the fixtures, nulls, lists, row groups, and the
//! `message` column against JSON Lines.

use std::path::Path;

use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::basic::{LogicalType, TimeUnit as ParquetUnit};
use tgexport::arrow_array::cast::AsArray;
use tgexport::arrow_array::types::{Int64Type, TimestampMicrosecondType};
use tgexport::arrow_array::{Array, RecordBatch};
use tgexport::arrow_schema::{DataType, Field, TimeUnit};
use tgexport::chrono::FixedOffset;
use tgexport::write::ParquetTable;
use tgexport::{Reader, Warning};

/// What a Parquet file holds: its batches as read back, and its row groups' row counts.
struct ReadBack {
    batches: Vec<RecordBatch>,
    row_groups: Vec<i64>,
    schema: parquet::schema::types::SchemaDescPtr,
}

/// `reader` written as one Parquet file and read back, with the table's warnings.
fn round_trip(mut reader: Reader<'_>, source: Option<&str>) -> (ReadBack, Vec<Warning>) {
    let mut table = ParquetTable::new(Vec::new()).unwrap();
    let warnings = table.write(&mut reader, source.map(str::to_owned)).unwrap();
    let bytes = table.finish().unwrap();
    let mut file = tempfile::tempfile().unwrap();
    std::io::Write::write_all(&mut file, &bytes).unwrap();
    let builder = ParquetRecordBatchReaderBuilder::try_new(file).unwrap();
    let metadata = builder.metadata().clone();
    let batches = builder
        .build()
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    let read_back = ReadBack {
        batches,
        row_groups: metadata.row_groups().iter().map(|g| g.num_rows()).collect(),
        schema: metadata.file_metadata().schema_descr_ptr(),
    };
    (read_back, warnings)
}

/// A fixture written and read back: one batch, since it is small.
fn fixture(path: &str) -> (RecordBatch, Vec<Warning>) {
    let (mut back, warnings) = round_trip(tgexport::read_path(path, None).unwrap(), None);
    assert_eq!(back.batches.len(), 1);
    (back.batches.remove(0), warnings)
}

fn int(batch: &RecordBatch, column: &str, row: usize) -> Option<i64> {
    let array = batch
        .column_by_name(column)
        .unwrap()
        .as_primitive::<Int64Type>();
    array.is_valid(row).then(|| array.value(row))
}

fn string(batch: &RecordBatch, column: &str, row: usize) -> Option<String> {
    let array = batch.column_by_name(column).unwrap().as_string::<i32>();
    array.is_valid(row).then(|| array.value(row).to_owned())
}

fn time(batch: &RecordBatch, column: &str, row: usize) -> Option<i64> {
    let array = batch
        .column_by_name(column)
        .unwrap()
        .as_primitive::<TimestampMicrosecondType>();
    array.is_valid(row).then(|| array.value(row))
}

fn strings(batch: &RecordBatch, column: &str, row: usize) -> Vec<String> {
    let list = batch.column_by_name(column).unwrap().as_list::<i32>();
    let items = list.value(row);
    let items = items.as_string::<i32>();
    (0..items.len())
        .map(|i| items.value(i).to_owned())
        .collect()
}

/// The items of a list of structs of a string and a second field, as (string, second).
fn pairs<T>(
    batch: &RecordBatch,
    column: &str,
    row: usize,
    second: impl Fn(&dyn Array, usize) -> T,
) -> Vec<(Option<String>, T)> {
    let list = batch.column_by_name(column).unwrap().as_list::<i32>();
    let items = list.value(row);
    let items = items.as_struct();
    let first = items.column(0).as_string::<i32>();
    (0..items.len())
        .map(|i| {
            let text = first.is_valid(i).then(|| first.value(i).to_owned());
            (text, second(items.column(1).as_ref(), i))
        })
        .collect()
}

const MICROS: i64 = 1_000_000;

#[test]
fn every_column_has_the_type_of_issue_13() {
    let (back, _) = round_trip(
        tgexport::read_path("testdata/tdesktop_json/2024_channel.json", None).unwrap(),
        None,
    );
    let schema = back.batches[0].schema();
    let string = DataType::Utf8;
    let int = DataType::Int64;
    let utc = DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into()));
    let list = |item: DataType| DataType::List(Field::new("item", item, false).into());
    let pair = |a: (&str, DataType, bool), b: (&str, DataType, bool)| {
        list(DataType::Struct(
            vec![Field::new(a.0, a.1, a.2), Field::new(b.0, b.1, b.2)].into(),
        ))
    };
    let expected = [
        ("source", string.clone(), true),
        ("index", int.clone(), false),
        ("id", int.clone(), true),
        ("chat", string.clone(), true),
        ("kind", string.clone(), false),
        ("date", utc.clone(), true),
        ("edited", utc, true),
        ("from", string.clone(), true),
        ("forwarded_from", string.clone(), true),
        ("reply_to", int.clone(), true),
        ("media", list(string.clone()), false),
        ("hashtags", list(string.clone()), false),
        ("mentions", list(string.clone()), false),
        (
            "links",
            pair(
                ("text", string.clone(), false),
                ("url", string.clone(), true),
            ),
            false,
        ),
        ("views", int.clone(), true),
        (
            "reactions",
            pair(("emoji", string.clone(), true), ("count", int, false)),
            false,
        ),
        ("text", string.clone(), false),
        ("message", string, false),
    ];
    let found: Vec<_> = schema
        .fields()
        .iter()
        .map(|f| (f.name().as_str(), f.data_type().clone(), f.is_nullable()))
        .collect();
    let expected: Vec<_> = expected
        .iter()
        .map(|(n, t, null)| (*n, t.clone(), *null))
        .collect();
    assert_eq!(found, expected);
    assert_eq!(schema, tgexport::arrow::schema());

    // In Parquet itself, times are instants (adjusted to UTC) in microseconds, which is
    // what DuckDB, Spark and pandas read as time-zone-aware timestamps.
    let date = back
        .schema
        .columns()
        .iter()
        .find(|c| c.name() == "date")
        .unwrap();
    assert_eq!(
        date.logical_type_ref(),
        Some(&LogicalType::timestamp(true, ParquetUnit::MICROS))
    );
}

#[test]
fn a_channel_export_fills_its_columns() {
    let (batch, warnings) = fixture("testdata/tdesktop_json/2024_channel.json");
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(batch.num_rows(), 13);
    assert_eq!(string(&batch, "kind", 0).as_deref(), Some("service"));
    // Message 3: a photo with an edit, a hashtag and three reactions.
    assert_eq!(
        (int(&batch, "index", 2), int(&batch, "id", 2)),
        (Some(2), Some(3))
    );
    assert_eq!(string(&batch, "kind", 2).as_deref(), Some("message"));
    assert_eq!(time(&batch, "date", 2), Some(1_706_941_800 * MICROS));
    assert_eq!(time(&batch, "edited", 2), Some(1_706_942_712 * MICROS));
    assert_eq!(time(&batch, "edited", 3), None);
    assert_eq!(
        string(&batch, "from", 2).as_deref(),
        Some("Harbour Weather")
    );
    assert_eq!(strings(&batch, "media", 2), ["photo"]);
    assert_eq!(strings(&batch, "hashtags", 2), ["#storm"]);
    let count = |array: &dyn Array, i| array.as_primitive::<Int64Type>().value(i);
    assert_eq!(
        pairs(&batch, "reactions", 2, count),
        [(Some("🙏".to_owned()), 41), (None, 7), (None, 3)]
    );
    assert!(
        string(&batch, "text", 2)
            .unwrap()
            .starts_with("🌊 Storm warning")
    );
    assert_eq!(
        string(&batch, "forwarded_from", 3).as_deref(),
        Some("Coast Guard News")
    );
    // What the source lacks is null, and lists are empty rather than null.
    assert_eq!(string(&batch, "forwarded_from", 2), None);
    assert_eq!(string(&batch, "chat", 2), None);
    assert_eq!(string(&batch, "source", 2), None);
    assert_eq!(int(&batch, "reply_to", 2), None);
    assert_eq!(int(&batch, "views", 2), None);
    assert_eq!(strings(&batch, "mentions", 2), Vec::<String>::new());
    let links = batch.column_by_name("links").unwrap();
    assert_eq!(
        (links.null_count(), links.as_list::<i32>().value(2).len()),
        (0, 0)
    );
}

#[test]
fn replies_mentions_links_views_and_chats() {
    let (chat, _) = fixture("testdata/tdesktop_json/2020_personal_chat.json");
    assert_eq!(int(&chat, "reply_to", 1), Some(101));
    assert_eq!(strings(&chat, "mentions", 1), ["@fieldtrip_bot"]);
    let url = |array: &dyn Array, i| {
        let urls = array.as_string::<i32>();
        urls.is_valid(i).then(|| urls.value(i).to_owned())
    };
    assert_eq!(
        pairs(&chat, "links", 1, url),
        [(
            Some("the shared map".to_owned()),
            Some("https://maps.example.org/route/7".to_owned())
        )]
    );
    assert_eq!(
        string(&chat, "forwarded_from", 4).as_deref(),
        Some("Trip Club")
    );

    let (copy, _) = fixture("testdata/text/links_and_mentions.txt");
    let links = pairs(&copy, "links", 0, url);
    assert_eq!(links.len(), 7);
    assert_eq!(links[4], (Some("Learn more".to_owned()), None));
    assert_eq!(strings(&copy, "hashtags", 0), ["#one", "#two", "#три"]);
    assert_eq!(int(&copy, "id", 0), None);

    let (page, _) = fixture("testdata/tme_html/page.html");
    assert_eq!(int(&page, "views", 0), Some(1200));
    assert_eq!(int(&page, "views", 5), Some(3100));

    // A whole-account export names each message's chat: its title, else its id.
    let (account, _) = fixture("testdata/tdesktop_json/account.json");
    let chats: Vec<_> = (0..4).map(|row| string(&account, "chat", row)).collect();
    let expected = ["Ben", "Ben", "5550001", "Old News"].map(|c| Some(c.to_owned()));
    assert_eq!(chats, expected);
}

#[test]
fn times_without_an_offset_are_null_and_counted_until_given_one() {
    let path = "testdata/tdesktop_json/2020_personal_chat.json";
    let (batch, warnings) = fixture(path);
    let dates = batch.column_by_name("date").unwrap();
    assert_eq!(dates.null_count(), batch.num_rows());
    assert_eq!(warnings.len(), 1);
    let expected = format!(
        "{} messages have a time without a UTC offset",
        batch.num_rows()
    );
    assert!(warnings[0].message.starts_with(&expected), "{warnings:?}");
    assert!(warnings[0].message.contains("--tz"));
    // The message JSON keeps the time as written.
    let json: serde_json::Value =
        serde_json::from_str(&string(&batch, "message", 0).unwrap()).unwrap();
    assert_eq!(json["date"], "2020-03-14T09:26:53");

    let moscow = FixedOffset::east_opt(3 * 3600).unwrap();
    let reader = tgexport::read_path(path, None)
        .unwrap()
        .assume_offset(moscow);
    let (back, warnings) = round_trip(reader, None);
    assert!(warnings.is_empty(), "{warnings:?}");
    let utc = tgexport::chrono::DateTime::parse_from_rfc3339("2020-03-14T06:26:53Z").unwrap();
    assert_eq!(
        time(&back.batches[0], "date", 0),
        Some(utc.timestamp_micros())
    );
    assert_eq!(
        back.batches[0].column_by_name("date").unwrap().null_count(),
        0
    );
}

#[test]
fn a_source_name_fills_the_column_and_the_json() {
    let reader = tgexport::read_path("testdata/text/reactions.txt", None).unwrap();
    let (back, _) = round_trip(reader, Some("copies/reactions.txt"));
    let batch = &back.batches[0];
    for row in 0..batch.num_rows() {
        assert_eq!(
            string(batch, "source", row).as_deref(),
            Some("copies/reactions.txt")
        );
        let json: serde_json::Value =
            serde_json::from_str(&string(batch, "message", row).unwrap()).unwrap();
        assert_eq!(json["source"], "copies/reactions.txt");
    }
}

/// The fixtures that read without error.
fn fixtures() -> Vec<std::path::PathBuf> {
    let mut paths = Vec::new();
    for dir in ["tdesktop_json", "tdesktop_html", "text", "tme_html"] {
        for entry in std::fs::read_dir(Path::new("testdata").join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.is_file()
                && tgexport::read_path(&path, None).is_ok_and(|mut r| r.all(|m| m.is_ok()))
            {
                paths.push(path);
            }
        }
    }
    paths.sort();
    paths
}

#[test]
fn the_message_column_is_the_json_lines_line() {
    let paths = fixtures();
    assert!(paths.len() > 30, "{paths:?}");
    for path in paths {
        let jsonl =
            tgexport::write::jsonl(&mut tgexport::read_path(&path, None).unwrap(), Vec::new())
                .unwrap();
        let lines: Vec<&str> = std::str::from_utf8(&jsonl).unwrap().lines().collect();
        let (back, _) = round_trip(tgexport::read_path(&path, None).unwrap(), None);
        let messages: Vec<String> = back
            .batches
            .iter()
            .flat_map(|b| (0..b.num_rows()).map(|row| string(b, "message", row).unwrap()))
            .collect();
        assert_eq!(messages, lines, "{}", path.display());
    }
}

#[test]
fn many_messages_fill_several_row_groups_in_order() {
    let posts = 70_000;
    let copy: String = (0..posts)
        .map(|i| format!("Forwarded from A\n#t{i}\n"))
        .collect();
    let (back, _) = round_trip(tgexport::read(copy.as_bytes()).unwrap(), None);
    assert!(back.row_groups.len() >= 2, "{:?}", back.row_groups);
    assert_eq!(back.row_groups.iter().sum::<i64>(), posts);
    let mut expected = 0;
    for batch in &back.batches {
        for row in 0..batch.num_rows() {
            assert_eq!(int(batch, "index", row), Some(expected));
            assert_eq!(strings(batch, "hashtags", row), [format!("#t{expected}")]);
            expected += 1;
        }
    }
    assert_eq!(expected, posts);
}
