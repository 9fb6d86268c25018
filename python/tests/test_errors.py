"""Errors carry their place; missing files are FileNotFoundError; warnings are warnings."""

import errno
import warnings

import pytest

import tgexport
from conftest import TESTDATA


def test_error_is_a_value_error():
    assert issubclass(tgexport.Error, ValueError)
    assert issubclass(tgexport.TgexportWarning, UserWarning)


def test_bytes_that_are_not_utf8_name_their_place(tmp_path):
    path = tmp_path / "copy.txt"
    path.write_bytes("ok\n\u00e9t\u00e9 ".encode() + b"\xff\n")
    with pytest.raises(tgexport.Error) as raised:
        list(tgexport.read(path))
    error = raised.value
    assert (error.line, error.column, error.offset) == (2, 5, 9)
    assert error.path == str(path)
    assert "invalid UTF-8 at line 2, column 5 (byte offset 9)" in str(error)
    with pytest.raises(tgexport.Error) as raised:
        tgexport.parse(path)
    assert (raised.value.line, raised.value.column, raised.value.offset) == (2, 5, 9)


def test_broken_tgexport_json_names_its_place(tmp_path):
    path = tmp_path / "export.json"
    path.write_text('{"schema_version": 1, "format": "text", "messages": [\n')
    with pytest.raises(tgexport.Error) as raised:
        tgexport.parse(path)
    error = raised.value
    assert (error.line, error.column, error.offset) == (2, 1, 54)
    assert str(error).startswith(f"{path}: tgexport_json input, line 2, column 1")


def test_an_error_without_a_place_has_none(tmp_path):
    path = tmp_path / "other.json"
    path.write_text('{"hello": "world"}\n')
    with pytest.raises(tgexport.Error, match="not a Telegram export") as raised:
        tgexport.read(path)
    error = raised.value
    assert (error.line, error.column, error.offset) == (None, None, None)
    assert error.path == str(path)


def test_a_missing_file_is_file_not_found(tmp_path):
    missing = tmp_path / "nothing.json"
    for call in (tgexport.read, tgexport.parse):
        with pytest.raises(FileNotFoundError) as raised:
            call(missing)
        assert raised.value.errno == errno.ENOENT
        assert raised.value.filename == str(missing)


def test_warnings_name_file_and_line():
    path = TESTDATA / "tdesktop_json" / "broken_bad_date.json"
    with pytest.warns(tgexport.TgexportWarning) as caught:
        messages = list(tgexport.read(path))
    assert messages
    [warning] = caught
    assert str(warning.message).startswith(f"{path}:9:4: message id 60")
    assert "expected a date-time" in str(warning.message)
    with pytest.warns(tgexport.TgexportWarning) as caught:
        export = tgexport.parse(path)
    assert [str(w.message) for w in caught] == [
        f"{path}:9:4: {w['message']}" for w in export["warnings"]
    ]


def test_warnings_come_once_the_input_is_read():
    path = TESTDATA / "tdesktop_json" / "broken_truncated.json"
    messages = tgexport.read(path)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        next(messages)
        with pytest.raises(tgexport.TgexportWarning, match=r"\(byte offset 925\): the input ends"):
            list(messages)
