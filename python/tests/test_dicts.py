"""read() and parse(): the dicts are what the CLI's JSON Lines and JSON hold."""

import gc
import pathlib
import warnings

import pytest

import tgexport
from conftest import INPUTS, TESTDATA, convert, fixture_id


# Each function against the CLI's output it stands for.
FUNCTIONS = {
    "jsonl": lambda path: list(tgexport.read(path)),
    "json": tgexport.parse,
}


@pytest.mark.parametrize("path", INPUTS, ids=fixture_id)
@pytest.mark.parametrize("to", FUNCTIONS, ids=["read=jsonl", "parse=json"])
def test_the_dicts_are_the_cli_output(cli, path, to):
    expected = convert(cli, path, to)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", tgexport.TgexportWarning)
        if expected is None:
            with pytest.raises(tgexport.Error):
                FUNCTIONS[to](path)
        else:
            assert FUNCTIONS[to](path) == expected


def test_inputs_cover_every_format():
    formats = set()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", tgexport.TgexportWarning)
        for path in INPUTS:
            try:
                formats.add(tgexport.read(path).format)
            except tgexport.Error:
                pass
    assert formats == {"text", "tdesktop_json", "tdesktop_html", "tme_html"}


def test_read_is_lazy_and_takes_path_objects():
    path = pathlib.Path(TESTDATA / "tdesktop_json" / "2024_channel.json")
    messages = tgexport.read(path)
    assert iter(messages) is messages
    first = next(messages)
    assert (first["index"], first["id"], first["date"]) == (0, 1, "2024-01-10T08:00:00Z")
    rest = list(messages)
    assert [m["index"] for m in rest] == list(range(1, len(rest) + 1))
    assert list(messages) == []


def test_an_iterator_left_early_ends_its_reading():
    path = TESTDATA / "tdesktop_json" / "2024_channel.json"
    for _ in range(50):
        next(tgexport.read(path))
    gc.collect()


def test_format_skips_detection():
    path = TESTDATA / "text" / "footers.txt"
    assert tgexport.read(path, format="text").format == "text"
    with pytest.raises(tgexport.Error, match="expected `{`"):
        tgexport.read(path, "tdesktop-json")
    with pytest.raises(ValueError, match="unknown format \"csv\""):
        tgexport.read(path, format="csv")


def test_a_folder_is_one_export():
    folder = TESTDATA / "tdesktop_html" / "folder"
    export = tgexport.parse(folder)
    assert export["format"] == "tdesktop_html"
    assert list(tgexport.read(folder)) == export["messages"]
    assert tgexport.parse(folder / "messages2.html") == export
    # The library reads a folder as its HTML export, even beside a result.json.
    assert tgexport.read(TESTDATA / "tdesktop_html" / "pair").format == "tdesktop_html"
