//! Inputs that once took quadratic time, at growing sizes: with linear work, each group's
//! throughput stays the same as the input grows. Timings live here rather than in tests,
//! where a loaded machine would make them fail for nothing.
//!
//! ```sh
//! cargo bench --bench scaling
//! ```

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use tgexport::Format;

/// A plain-text copy at 1, 4 and 16 times a fixture's size.
fn text(c: &mut Criterion) {
    let unit = std::fs::read_to_string("testdata/text/mfa_forwards.txt")
        .unwrap()
        .repeat(20);
    let mut group = c.benchmark_group("scaling/text");
    group.sample_size(10);
    for times in [1, 4, 16] {
        let input = unit.repeat(times);
        group.throughput(Throughput::Bytes(input.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(times), &input, |b, input| {
            b.iter(|| tgexport::text::parse(black_box(input)).unwrap())
        });
    }
    group.finish();
}

/// One post whose block of lines repeats once, of growing length.
fn repeated_block(c: &mut Criterion) {
    let mut group = c.benchmark_group("scaling/repeated_block");
    group.sample_size(10);
    for lines in [12_500, 50_000] {
        let block: String = (0..lines).map(|i| format!("line {i}\n")).collect();
        let input = format!("Forwarded from A\n{block}{block}");
        group.throughput(Throughput::Bytes(input.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(lines), &input, |b, input| {
            b.iter(|| tgexport::text::parse(black_box(input)).unwrap())
        });
    }
    group.finish();
}

/// End tags of no open element, deep inside a Telegram Desktop page's message text.
fn unmatched_end_tags(c: &mut Criterion) {
    let mut group = c.benchmark_group("scaling/unmatched_end_tags");
    group.sample_size(10);
    for deep in [25_000, 100_000] {
        let text = format!("{}deep{}", "<b>".repeat(deep), "</i>".repeat(deep));
        let page = format!(
            "<div class=\"page_wrap\"><div class=\"history\"><div class=\"message default \
             clearfix\" id=\"message1\"><div class=\"body\"><div class=\"text\">{text}</div>\
             </div></div></div></div>"
        );
        group.throughput(Throughput::Bytes(page.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(deep), &page, |b, page| {
            b.iter(|| {
                let reader = tgexport::read_as(black_box(page.as_bytes()), Format::TdesktopHtml);
                reader.unwrap().count()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, text, repeated_block, unmatched_end_tags);
criterion_main!(benches);
