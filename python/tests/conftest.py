"""Shared fixtures: the repository's test inputs and the `tgexport` binary to compare with."""

import json
import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
TESTDATA = REPO / "testdata"

# Every input file of the repository's fixtures (the fuzz seeds excepted). A folder is
# left out: the CLI picks a folder's result.json over its HTML pages, the library (and so
# this package) reads a folder as its HTML export.
INPUTS = sorted(
    path
    for folder in ("text", "tdesktop_json", "tdesktop_html", "tme_html")
    for path in (TESTDATA / folder).iterdir()
    if path.is_file()
)


def fixture_id(path: Path) -> str:
    return str(path.relative_to(TESTDATA))


@pytest.fixture(scope="session")
def cli() -> Path:
    """The `tgexport` binary: $TGEXPORT_BIN, else the repository's debug build."""
    binary = Path(os.environ.get("TGEXPORT_BIN", REPO / "target" / "debug" / "tgexport"))
    if not binary.is_file():
        pytest.fail(f"no tgexport binary at {binary}: run `cargo build` or set TGEXPORT_BIN")
    return binary


def run_cli(cli: Path, *args: object) -> subprocess.CompletedProcess:
    """`tgexport ARGS…`, its output captured; the exit code is the caller's to check."""
    return subprocess.run(
        [str(cli), *map(str, args)], capture_output=True, check=False
    )


def convert(cli: Path, path: Path, to: str):
    """What `tgexport convert PATH --to TO` writes, parsed: a list of dicts for jsonl, a
    dict for json; None when the CLI fails on the input."""
    done = run_cli(cli, "convert", path, "--to", to)
    if done.returncode != 0:
        return None
    text = done.stdout.decode()
    if to == "jsonl":
        # Not splitlines(): it also splits at U+2028 and other characters inside strings.
        return [json.loads(line) for line in text.split("\n") if line]
    return json.loads(text)
