#!/usr/bin/env bash
# Side-by-side speed and memory of tgexport and what a user would use instead, on the same
# files:
#   result.json -> JSON Lines: tgexport, jq -c '.messages[]', a Python json.load loop,
#                  DuckDB (read_json + unnest to JSON Lines) and the chatpack crate's
#                  streaming Telegram reader (sender and text only), on a generated file;
#   a real export: ../shared/realworld's trantor result.json (third-party data: built here
#                  at run time, never committed), its messages repeated REAL_TIMES times
#                  (default 50, ~190 MB) in Telegram Desktop's own layout, and the same
#                  messages written compact on one line as json.dump or jq -c write them;
#   plain-text copy: tgexport (convert, and stats: parse and summary) vs wc -l and cat
#                  (the floor);
#   HTML exports:  tgexport alone on a generated messages.html and t.me page;
#   one input, one core and both: the same binary under taskset -c 0 and free;
#   many inputs:   the copy split into 8 files, on one core and on every core.
#
# Usage: scripts/compare.sh [SIZE]      SIZE of the generated files as the generator
#                                       takes it (default 1G; 100M runs quickly)
# Needs: cargo, jq, python3 (with venv and pip, for DuckDB), /usr/bin/time, taskset
# (Debian: apt-get install time jq python3-venv).
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-1G}
real_times=${REAL_TIMES:-50}
realworld=${REALWORLD:-../shared/realworld/trantor_library/result.json}
work=${TMPDIR:-/tmp}/tgexport-compare
mkdir -p "$work"

for tool in jq python3 /usr/bin/time taskset; do
    command -v "$tool" >/dev/null || { echo "compare.sh needs $tool" >&2; exit 2; }
done

cargo build --release --quiet --bin tgexport --example generate
bin=target/release/tgexport
[ -s "$work/result-$size.json" ] || target/release/examples/generate tdesktop-json --size "$size" -o "$work/result-$size.json"
[ -s "$work/copy-$size.txt" ] || target/release/examples/generate text --size "$size" -o "$work/copy-$size.txt"
[ -s "$work/messages-$size.html" ] || target/release/examples/generate tdesktop-html --size "$size" -o "$work/messages-$size.html"
[ -s "$work/page-$size.html" ] || target/release/examples/generate tme-html --size "$size" -o "$work/page-$size.html"

# The chatpack peer: a throwaway program built outside the repository.
peer="$work/chatpack-peer"
if [ ! -x "$peer/target/release/chatpack-peer" ]; then
    mkdir -p "$peer/src"
    cat > "$peer/Cargo.toml" <<'TOML'
[package]
name = "chatpack-peer"
version = "0.0.0"
edition = "2021"

[dependencies]
chatpack = "0.7"
serde_json = "1"
TOML
    cat > "$peer/src/main.rs" <<'RUST'
use std::io::Write;

use chatpack::streaming::{StreamingParser, TelegramStreamingParser};

fn main() {
    let path = std::env::args().nth(1).expect("a result.json");
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for message in TelegramStreamingParser::new().stream(&path).expect("readable") {
        let message = message.expect("a message");
        let line = serde_json::json!({"sender": message.sender, "content": message.content});
        writeln!(out, "{line}").unwrap();
    }
}
RUST
    (cd "$peer" && cargo build --release --quiet)
fi

# The real export scaled: the bytes of its messages repeated in its own layout, and the
# same messages written compact.
real="$work/real-x$real_times.json"
real_compact="$work/real-x$real_times-compact.json"
if [ -f "$realworld" ] && [ ! -s "$real_compact" ]; then
    python3 - "$realworld" "$real_times" "$real" "$real_compact" <<'PY'
import json, sys
source, times, pretty, compact = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
data = open(source, "rb").read()
opening = b'"messages": [\n'
start = data.index(opening) + len(opening)
end = data.rindex(b"\n ]\n}")
with open(pretty, "wb") as out:
    out.write(data[:start] + b",\n".join([data[start:end]] * times) + data[end:])
export = json.loads(data)
export["messages"] = export["messages"] * times
with open(compact, "w", encoding="utf-8") as out:
    json.dump(export, out, ensure_ascii=False, separators=(",", ":"))
PY
fi

# The DuckDB peer, in a scratch virtual environment; its row is left out when pip cannot
# install it.
duckdb_python="$work/venv/bin/python"
if [ ! -x "$duckdb_python" ] || ! "$duckdb_python" -c 'import duckdb' 2>/dev/null; then
    python3 -m venv "$work/venv" && "$work/venv/bin/pip" install --quiet duckdb ||
        echo "DuckDB could not be installed: its rows are left out" >&2
fi
duckdb_query='import os, sys
import duckdb
path = sys.argv[1]
limit = os.path.getsize(path) + 1
duckdb.sql(f"""COPY (SELECT unnest(m) FROM (SELECT unnest(messages) AS m
    FROM read_json('\''{path}'\'', maximum_object_size = {limit})))
    TO '\''/dev/null'\'' (FORMAT json)""")'
duckdb_row() {
    if "$duckdb_python" -c 'import duckdb' 2>/dev/null; then
        once "DuckDB read_json + unnest" "$2" "$duckdb_python" -c "$duckdb_query" "$1"
    fi
}

python_loop='import json, sys
with open(sys.argv[1], encoding="utf-8") as f:
    export = json.load(f)
with open(sys.argv[2], "w", encoding="utf-8") as out:
    for message in export["messages"]:
        out.write(json.dumps(message, ensure_ascii=False) + "\n")'

# run NAME BYTES COMMAND...: prints seconds, MB/s and peak memory of the fastest of
# $RUNS runs (default 3; the machine this was written on varies by 15% from minute to
# minute), and leaves its seconds in $seconds for `ratio`. The slow peers run once: see
# `once`.
seconds=0
run() {
    local name=$1 bytes=$2
    shift 2
    local stats best=""
    for _ in $(seq "${RUNS:-3}"); do
        stats=$( { /usr/bin/time -f "%e %M" "$@" > /dev/null; } 2>&1 | tail -n 1)
        if [ -z "$best" ] || awk -v a="${stats% *}" -v b="${best% *}" 'BEGIN { exit !(a < b) }'; then
            best=$stats
        fi
    done
    seconds=${best% *}
    report "$name" "$bytes" "$best"
}

# ratio TEXT A B: prints TEXT and A/B, two times from `run` of the same table.
ratio() {
    awk -v t="$1" -v a="$2" -v b="$3" 'BEGIN { printf "  %-52s %6.2fx\n", t, a / (b > 0 ? b : 0.01) }'
}

# once NAME BYTES COMMAND...: as `run`, with a single run.
once() {
    RUNS=1 run "$@"
}

# report NAME BYTES "SECONDS KB": one line of the table.
report() {
    local name=$1 bytes=$2 stats=$3
    local seconds=${stats% *} kb=${stats#* }
    awk -v n="$name" -v s="$seconds" -v kb="$kb" -v b="$bytes" \
        'BEGIN { printf "%-34s %8.2f s %9.1f MB/s %9.1f MB peak\n", n, s, b / 1e6 / (s > 0 ? s : 0.01), kb / 1024 }'
}

json="$work/result-$size.json"
text="$work/copy-$size.txt"
json_bytes=$(stat -c %s "$json")
text_bytes=$(stat -c %s "$text")
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
# Each file is read once before its tools run, so all of them find it in the page cache
# (the jq and Python runs take gigabytes and can push it out).
warm() { cat "$1" > /dev/null; }

echo
echo "result.json -> JSON Lines, $json_bytes bytes"
warm "$json"
run "tgexport convert --to jsonl" "$json_bytes" "$bin" convert "$json" --to jsonl
run "tgexport stats (parse + summary)" "$json_bytes" "$bin" stats "$json" --json
run "chatpack streaming (sender, text)" "$json_bytes" "$peer/target/release/chatpack-peer" "$json"
once "jq -c '.messages[]'" "$json_bytes" jq -c '.messages[]' "$json"
once "python3 json.load loop" "$json_bytes" python3 -c "$python_loop" "$json" /dev/null
duckdb_row "$json" "$json_bytes"
echo
if [ -s "$real_compact" ]; then
    real_bytes=$(stat -c %s "$real")
    compact_bytes=$(stat -c %s "$real_compact")
    echo "real export: trantor result.json x$real_times, Telegram Desktop's layout, $real_bytes bytes"
    warm "$real"
    run "tgexport convert --to jsonl" "$real_bytes" "$bin" convert "$real" --to jsonl
    pretty_seconds=$seconds
    run "tgexport stats (parse + summary)" "$real_bytes" "$bin" stats "$real" --json
    once "jq -c '.messages[]'" "$real_bytes" jq -c '.messages[]' "$real"
    ratio "jq / tgexport convert (target: at least 20x)" "$seconds" "$pretty_seconds"
    duckdb_row "$real" "$real_bytes"
    echo "the same messages written compact, $compact_bytes bytes"
    warm "$real_compact"
    run "tgexport convert --to jsonl" "$compact_bytes" "$bin" convert "$real_compact" --to jsonl
    ratio "compact / pretty, per message (target: at most 1.1x)" "$seconds" "$pretty_seconds"
    echo
else
    echo "real export: $realworld not found, its rows are left out"
    echo
fi
echo "plain-text copy, $text_bytes bytes"
warm "$text"
run "tgexport convert --to jsonl" "$text_bytes" "$bin" convert "$text" --to jsonl
convert_seconds=$seconds
run "tgexport stats (parse + summary)" "$text_bytes" "$bin" stats "$text" --json
run "wc -l" "$text_bytes" wc -l "$text"
ratio "tgexport convert / wc -l (target: within 12x)" "$convert_seconds" "$seconds"
run "cat > /dev/null" "$text_bytes" cat "$text"
echo
# HTML exports have no peer that reads them; their rows show speed and flat memory.
for html in "$work/messages-$size.html" "$work/page-$size.html"; do
    html_bytes=$(stat -c %s "$html")
    echo "$(basename "$html"), $html_bytes bytes"
    warm "$html"
    run "tgexport convert --to jsonl" "$html_bytes" "$bin" convert "$html" --to jsonl
    run "tgexport stats (parse + summary)" "$html_bytes" "$bin" stats "$html" --json
    echo
done

# One input, one core and both: the same binary held to core 0 by taskset, then free.
echo "one input on one core and on $(nproc)"
one_inputs=("$text" "$work/messages-$size.html")
if [ -s "$real" ]; then
    one_inputs=("$real" "${one_inputs[@]}")
else
    one_inputs=("$json" "${one_inputs[@]}")
fi
for input in "${one_inputs[@]}"; do
    input_bytes=$(stat -c %s "$input")
    warm "$input"
    run "$(basename "$input"), 1 core" "$input_bytes" taskset -c 0 "$bin" convert "$input" --to jsonl
    one_core=$seconds
    run "$(basename "$input"), $(nproc) cores" "$input_bytes" "$bin" convert "$input" --to jsonl
    ratio "1 core / $(nproc) cores" "$one_core" "$seconds"
done
echo

# Both cores at work: stats reads several inputs in parallel (rayon); convert reads each
# input on a thread of its own while it writes, in input order. The same copy split into
# 8 files at line ends, the process held to one core (taskset) and then free.
parts="$work/parts-$size"
if [ ! -d "$parts" ]; then
    mkdir -p "$parts"
    split -n l/8 -d --additional-suffix=.txt "$text" "$parts/part-"
fi
echo "many inputs: the plain-text copy as 8 files, $text_bytes bytes"
cat "$parts"/* > /dev/null
run "tgexport stats, 1 core" "$text_bytes" taskset -c 0 "$bin" stats "$parts" --json
run "tgexport stats, $(nproc) cores" "$text_bytes" "$bin" stats "$parts" --json
run "tgexport convert, 1 core" "$text_bytes" taskset -c 0 "$bin" convert "$parts" --to jsonl
run "tgexport convert, $(nproc) cores" "$text_bytes" "$bin" convert "$parts" --to jsonl

# ---------------------------------------------------------------------------------------
# Python, from file to DataFrame (issue 13): tgexport.to_pandas on a result.json against
# pandas.read_json(lines=True) on tgexport's own JSON Lines of the same input (written
# beforehand, not timed), each in a fresh interpreter, best wall time of 3 and the peak
# RSS of the runs. Self-contained: its own input size (PY_SIZE, default 200M, since
# read_json needs many times the file's size in memory) and a virtual environment under
# target/ with the package built in release.
py_size=${PY_SIZE:-200M}
py_work=${TMPDIR:-/tmp}/tgexport-compare
py_venv=target/python-compare
py_json="$py_work/result-$py_size.json"
py_jsonl="$py_work/result-$py_size.jsonl"
mkdir -p "$py_work"
cargo build --release --quiet --bin tgexport --example generate
[ -s "$py_json" ] || target/release/examples/generate tdesktop-json --size "$py_size" -o "$py_json"
[ -s "$py_jsonl" ] || target/release/tgexport convert "$py_json" --to jsonl -o "$py_jsonl"
# As if activated: maturin's build backend runs the `maturin` found on PATH.
export PATH="$PWD/$py_venv/bin:$PATH"
if [ ! -x "$py_venv/bin/python" ]; then
    python3 -m venv "$py_venv"
    "$py_venv/bin/pip" install --quiet --disable-pip-version-check maturin pyarrow pandas
fi
"$py_venv/bin/pip" install --quiet --disable-pip-version-check --no-build-isolation ./python

# py_run LABEL FILE CODE: CODE reads sys.argv[1] into `df` (or `table`) and prints its
# row count, so that every row of the table is seen to hold the same messages.
py_run() {
    local label=$1 file=$2 code=$3 best="" peak=0 rows wall rss
    for _ in 1 2 3; do
        rows=$(/usr/bin/time -f "%e %M" -o "$py_work/py-time" \
            "$py_venv/bin/python" -c "import sys; $code" "$file")
        read -r wall rss < "$py_work/py-time"
        if [ -z "$best" ] || awk "BEGIN { exit !($wall < $best) }"; then best=$wall; fi
        if [ "$rss" -gt "$peak" ]; then peak=$rss; fi
    done
    printf '%-52s %8.2f s %8d MiB %10s rows\n' "$label" "$best" $((peak / 1024)) "$rows"
}

echo "file to DataFrame: $(basename "$py_json") $(stat -c %s "$py_json") bytes, its JSON Lines $(stat -c %s "$py_jsonl") bytes"
cat "$py_json" "$py_jsonl" > /dev/null
py_run "tgexport.to_pandas(result.json)" "$py_json" \
    "import tgexport; df = tgexport.to_pandas(sys.argv[1]); print(len(df))"
py_run "tgexport.to_arrow(result.json) (pyarrow.Table)" "$py_json" \
    "import tgexport; table = tgexport.to_arrow(sys.argv[1]); print(table.num_rows)"
py_run "pandas.read_json(jsonl, lines=True)" "$py_jsonl" \
    "import pandas; df = pandas.read_json(sys.argv[1], lines=True); print(len(df))"
