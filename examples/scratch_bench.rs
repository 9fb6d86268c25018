// SCRATCH: not to be committed.
use std::time::Instant;
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let path = &args[1];
    let mode = args.get(2).map(String::as_str).unwrap_or("parse");
    if mode == "date" {
        let mut n = 0;
        for _ in 0..100_000 {
            for d in [
                "12 мая 2025 года",
                "September 7, 1945",
                "4-5 мая 2024 г.",
                "6 May 1906",
            ] {
                n += tgexport::analysis::date(std::hint::black_box(d)).is_ok() as usize;
            }
        }
        println!("{n}");
        return;
    }
    let bytes = std::fs::metadata(path).unwrap().len() as f64;
    let t = Instant::now();
    let mut reader = tgexport::read_path(path, None).unwrap();
    let n = match mode {
        "parse" => reader.by_ref().filter(|m| m.is_ok()).count(),
        _ => {
            tgexport::write::jsonl(&mut reader, std::io::sink()).unwrap();
            0
        }
    };
    let s = t.elapsed().as_secs_f64();
    println!("{mode} {n} msgs {:.3}s {:.1} MB/s", s, bytes / 1e6 / s);
}
