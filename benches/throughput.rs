//! Throughput of each stage, in bytes of input per second.
//!
//! ```sh
//! cargo bench --bench throughput
//! ```
//!
//! Inputs are the fixtures of `testdata/`, repeated to a few megabytes, so the benches run
//! on a fresh clone (the JSON bench reads the real export in `../shared/realworld` when it
//! is there); `examples/generate.rs` writes larger inputs for whole-program runs and
//! `scripts/compare.sh` runs them against other tools.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

// The allocator the command-line tool ships with, so these numbers are the tool's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The fixtures of `folder` with extension `ext`, concatenated and repeated to about `size` bytes.
fn corpus(folder: &str, ext: &str, size: usize) -> String {
    let mut files: Vec<_> = std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    files.sort();
    let one: String = files
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap().replace('\u{FEFF}', "") + "\n")
        .collect();
    one.repeat(size / one.len() + 1)
}

fn text(c: &mut Criterion) {
    let input = corpus("testdata/text", "txt", 8 << 20);
    let mut group = c.benchmark_group("text");
    group.throughput(Throughput::Bytes(input.len() as u64));
    group.sample_size(10);
    group.bench_function("parse", |b| {
        b.iter(|| tgexport::text::parse(black_box(&input)).unwrap())
    });
    group.bench_function("convert_jsonl", |b| {
        b.iter(|| {
            let mut reader = tgexport::read_as(input.as_bytes(), tgexport::Format::Text).unwrap();
            tgexport::write::jsonl(&mut reader, std::io::sink()).unwrap()
        })
    });
    let export = tgexport::text::parse(&input).unwrap();
    group.bench_function("render", |b| {
        b.iter(|| tgexport::text::render::render(black_box(&export), std::io::sink()))
    });
    group.finish();
}

/// A result.json: the real export beside the repository when present, else the 2024
/// fixture's messages repeated to about `size` bytes.
fn result_json(size: usize) -> Vec<u8> {
    let real = std::path::Path::new("../shared/realworld/trantor_library/result.json");
    if let Ok(bytes) = std::fs::read(real) {
        return bytes;
    }
    let fixture = std::fs::read("testdata/tdesktop_json/2024_channel.json").unwrap();
    let mut export: serde_json::Value = serde_json::from_slice(&fixture).unwrap();
    let messages = export["messages"].as_array().unwrap().clone();
    let copies = size / fixture.len() + 1;
    export["messages"] = messages
        .iter()
        .cycle()
        .take(messages.len() * copies)
        .cloned()
        .collect();
    serde_json::to_vec_pretty(&export).unwrap()
}

fn tdesktop_json(c: &mut Criterion) {
    let input = result_json(4 << 20);
    let mut group = c.benchmark_group("tdesktop_json");
    group.throughput(Throughput::Bytes(input.len() as u64));
    group.sample_size(10);
    group.bench_function("parse", |b| {
        b.iter(|| {
            tgexport::read_as(black_box(&input[..]), tgexport::Format::TdesktopJson)
                .unwrap()
                .count()
        })
    });
    group.bench_function("convert_jsonl", |b| {
        b.iter(|| {
            let mut reader = tgexport::read_as(&input[..], tgexport::Format::TdesktopJson).unwrap();
            tgexport::write::jsonl(&mut reader, std::io::sink()).unwrap()
        })
    });
    group.finish();
}

fn analysis(c: &mut Criterion) {
    let input = corpus("testdata/text", "txt", 4 << 20);
    let mut group = c.benchmark_group("analysis");
    group.throughput(Throughput::Bytes(input.len() as u64));
    group.sample_size(10);
    group.bench_function("entities", |b| {
        b.iter(|| tgexport::analysis::detect_entities(black_box(&input)))
    });
    group.bench_function("dates", |b| {
        b.iter(|| tgexport::analysis::find_dates(black_box(&input)))
    });
    group.bench_function("markers", |b| {
        b.iter(|| {
            input
                .lines()
                .filter(|l| tgexport::analysis::split_leading(l).is_some())
                .count()
        })
    });
    let lines: Vec<&str> = input.lines().collect();
    group.bench_function("duplicates", |b| {
        b.iter(|| tgexport::analysis::find_repeat(black_box(&lines), |_| true))
    });
    group.finish();
}

criterion_group!(benches, text, tdesktop_json, analysis);
criterion_main!(benches);
