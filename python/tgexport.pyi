"""Telegram channel exports, typed: browser copies of t.me/s pages, Telegram Desktop's
result.json and HTML export, saved t.me pages.

read(path) streams messages as dicts (one line of `tgexport convert --to jsonl` each),
parse(path) gives the whole export as `--to json` does, to_arrow(paths) and
to_pandas(paths) give one typed row per message.
"""

import os
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, Literal, Optional, Union

if TYPE_CHECKING:
    import pandas
    import pyarrow

__version__: str

StrPath = Union[str, "os.PathLike[str]"]
Format = Literal[
    "text",
    "tdesktop_json",
    "tdesktop_html",
    "tme_html",
    "tgexport_jsonl",
    "tdesktop-json",
    "tdesktop-html",
    "tme-html",
    "tgexport-jsonl",
]

class Error(ValueError):
    """An input tgexport cannot read, or cannot read further.

    Each attribute is None where the error has no such place.
    """

    path: Optional[str]
    """The file the error happened in."""
    line: Optional[int]
    """1-based line."""
    column: Optional[int]
    """1-based column, in characters."""
    offset: Optional[int]
    """Bytes from the start of the file."""

class TgexportWarning(UserWarning):
    """A problem that did not stop reading; the message starts with the file and line, or
    byte offset, where it was noticed."""

class Messages(Iterator[dict[str, Any]]):
    """The messages of one input, one dict each, read as they are asked for.

    Any thread may use it, several at once: each message is handed to exactly one
    __next__ call, and the next message is waited for without the GIL.
    """

    @property
    def format(self) -> str:
        """The format being read: text, tdesktop_json, tdesktop_html, tme_html or
        tgexport_jsonl."""
    def __iter__(self) -> "Messages": ...
    def __next__(self) -> dict[str, Any]: ...

def read(
    path: StrPath, format: Optional[Format] = None, tz: Optional[str] = None
) -> Messages:
    """The messages of the export at `path`, one dict per message, each what one line of
    `tgexport convert --to jsonl` holds, read as they are asked for.

    `path` is a file or a Telegram Desktop HTML export's folder (or any of its pages);
    `format` skips detection; `tz` (such as "+03:00") is the offset of times the export
    wrote without one, as `convert --tz`. Raises FileNotFoundError for a missing file and
    tgexport.Error for input that cannot be read; the input's warnings are issued as
    TgexportWarning once its last message was read.
    """

def parse(
    path: StrPath, format: Optional[Format] = None, tz: Optional[str] = None
) -> dict[str, Any]:
    """The whole export at `path` as one dict: what `tgexport convert --to json` writes.

    Raises as read() does; the input's warnings are issued as TgexportWarning (and
    listed under "warnings").
    """

def to_arrow(
    path_or_paths: Union[StrPath, Iterable[StrPath]],
    format: Optional[Format] = None,
    tz: Optional[str] = None,
) -> "pyarrow.Table":
    """The messages of one or more exports as a pyarrow.Table: one row per message, with
    the columns of tgexport's Parquet output (source, index, id, chat, kind, date, edited,
    from, forwarded_from, reply_to, media, hashtags, mentions, links, views, reactions,
    text, message).

    `path_or_paths` is one path, or an iterable of paths read in order into one table, each
    row naming its input in `source` (null for a single path). `format` and `tz` are as
    for read(): without `tz`, a time written without an offset is a null cell. Raises as
    read() does, at
    the first input that fails; each input's warnings are issued as TgexportWarning.
    Needs pyarrow 15 or later.
    """

def to_pandas(
    path_or_paths: Union[StrPath, Iterable[StrPath]],
    format: Optional[Format] = None,
    tz: Optional[str] = None,
) -> "pandas.DataFrame":
    """to_arrow()'s table as a pandas DataFrame: `date` and `edited` as
    datetime64[us, UTC], index, id, reply_to and views as pandas' nullable Int64, lists as
    arrays, strings in pandas' default string dtype. Needs pandas 2 or later.
    """
