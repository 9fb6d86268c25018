"""to_arrow() and to_pandas(): the library's Arrow table, typed, row for row the messages."""

import json
import warnings
from datetime import datetime

import pandas as pd
import pyarrow as pa
import pytest

import tgexport
from conftest import INPUTS, TESTDATA, fixture_id

CHANNEL = TESTDATA / "tdesktop_json" / "2024_channel.json"
COPY = TESTDATA / "text" / "footers.txt"

STRING_LIST = pa.list_(pa.field("item", pa.string()))
UTC = pa.timestamp("us", tz="UTC")


def readable(path):
    """Whether tgexport reads `path` (some fixtures are inputs it refuses)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", tgexport.TgexportWarning)
            list(tgexport.read(path))
    except tgexport.Error:
        return False
    return True


def test_columns_and_types():
    table = tgexport.to_arrow(CHANNEL)
    types = {field.name: field.type for field in table.schema}
    assert list(types) == [
        "source", "index", "id", "chat", "kind", "date", "edited", "from",
        "forwarded_from", "reply_to", "media", "hashtags", "mentions", "links", "views",
        "reactions", "text", "message",
    ]
    for name in ("source", "chat", "kind", "from", "forwarded_from", "text", "message"):
        assert types[name] == pa.string(), name
    for name in ("index", "id", "reply_to", "views"):
        assert types[name] == pa.int64(), name
    assert types["date"] == types["edited"] == UTC
    for name in ("media", "hashtags", "mentions"):
        assert pa.types.is_list(types[name]) and types[name].value_type == pa.string(), name
    links, reactions = types["links"].value_type, types["reactions"].value_type
    assert [(f.name, f.type) for f in links] == [("text", pa.string()), ("url", pa.string())]
    assert [(f.name, f.type) for f in reactions] == [("emoji", pa.string()), ("count", pa.int64())]


@pytest.mark.parametrize("path", [p for p in INPUTS if readable(p)], ids=fixture_id)
def test_a_row_per_message_holding_its_json(path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", tgexport.TgexportWarning)
        messages = list(tgexport.read(path))
        table = tgexport.to_arrow(path)
    assert table.num_rows == len(messages)
    assert [json.loads(m) for m in table.column("message").to_pylist()] == messages
    assert table.column("index").to_pylist() == [m["index"] for m in messages]
    assert table.column("id").to_pylist() == [m.get("id") for m in messages]
    assert table.column("hashtags").to_pylist() == [m["hashtags"] for m in messages]
    assert table.column("source").null_count == table.num_rows


def test_dates_are_instants_in_utc():
    table = tgexport.to_arrow(CHANNEL)
    for cell, message in zip(table.column("date").to_pylist(), tgexport.read(CHANNEL)):
        written = datetime.fromisoformat(message["date"].replace("Z", "+00:00"))
        assert cell == written


def test_several_inputs_are_one_table_naming_each():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", tgexport.TgexportWarning)
        table = tgexport.to_arrow([CHANNEL, str(COPY)])
        counts = [len(list(tgexport.read(p))) for p in (CHANNEL, COPY)]
    assert table.column("source").to_pylist() == [str(CHANNEL)] * counts[0] + [str(COPY)] * counts[1]
    # A list names the input even when it holds one.
    assert set(tgexport.to_arrow([CHANNEL]).column("source").to_pylist()) == {str(CHANNEL)}
    assert tgexport.to_arrow([]).num_rows == 0


def test_an_empty_input_is_an_empty_table_of_the_schema():
    table = tgexport.to_arrow(TESTDATA / "text" / "empty.txt")
    assert table.num_rows == 0
    assert table.schema == tgexport.to_arrow(CHANNEL).schema


def test_errors_and_warnings_are_those_of_read(tmp_path):
    bad = tmp_path / "copy.txt"
    bad.write_bytes(b"ok\n\xff\n")
    with pytest.raises(tgexport.Error) as raised:
        tgexport.to_arrow([CHANNEL, bad])
    assert (raised.value.path, raised.value.line, raised.value.offset) == (str(bad), 2, 3)
    with pytest.raises(FileNotFoundError):
        tgexport.to_pandas(tmp_path / "missing.json")
    with pytest.raises(TypeError, match="a path"):
        tgexport.to_arrow(42)
    broken = TESTDATA / "tdesktop_json" / "broken_bad_date.json"
    with pytest.warns(tgexport.TgexportWarning, match=r"broken_bad_date\.json:9:4: "):
        tgexport.to_arrow(broken)


def test_pandas_dtypes():
    df = tgexport.to_pandas([CHANNEL, COPY])
    assert str(df["date"].dtype) == "datetime64[us, UTC]"
    assert str(df["edited"].dtype) == "datetime64[us, UTC]"
    for name in ("index", "id", "reply_to", "views"):
        assert df[name].dtype == pd.Int64Dtype(), name
    assert pd.api.types.is_string_dtype(df["text"].dtype)
    assert df["id"].isna().any() and not df["index"].isna().any()
    first = df.iloc[0]
    assert first["date"] == pd.Timestamp("2024-01-10T08:00:00Z")
    assert list(df.columns) == tgexport.to_arrow(CHANNEL).column_names
    assert len(df) == tgexport.to_arrow([CHANNEL, COPY]).num_rows


def test_times_without_an_offset_are_null_until_tz_gives_it():
    old = TESTDATA / "tdesktop_json" / "2020_personal_chat.json"
    with pytest.warns(tgexport.TgexportWarning, match="9 messages have a time without a UTC offset"):
        table = tgexport.to_arrow(old)
    assert table.column("date").null_count == table.num_rows == 9
    assert json.loads(table.column("message")[0].as_py())["date"] == "2020-03-14T09:26:53"
    df = tgexport.to_pandas(old, tz="+03:00")
    assert df["date"].notna().all()
    assert df["date"].iloc[0] == pd.Timestamp("2020-03-14T06:26:53Z")
    assert next(tgexport.read(old, tz="+03:00"))["date"] == "2020-03-14T09:26:53+03:00"
    assert tgexport.parse(old, tz="-05:30")["messages"][0]["date"] == "2020-03-14T09:26:53-05:30"
    with pytest.raises(ValueError, match="expected a UTC offset such as"):
        tgexport.to_arrow(old, tz="Europe/Moscow")
