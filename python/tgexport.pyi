"""Telegram channel exports, typed: browser copies of t.me/s pages, Telegram Desktop's
result.json and HTML export, saved t.me pages.

read(path) streams messages as dicts (one line of `tgexport convert --to jsonl` each),
parse(path) gives the whole export as `--to json` does, to_arrow(paths) and
to_pandas(paths) give one typed row per message.
"""

import os
from collections.abc import Iterator
from typing import Any, Literal, Optional, Union

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
    """The messages of one input, one dict each, read as they are asked for."""

    @property
    def format(self) -> str:
        """The format being read: text, tdesktop_json, tdesktop_html, tme_html or
        tgexport_jsonl."""
    def __iter__(self) -> "Messages": ...
    def __next__(self) -> dict[str, Any]: ...

def read(path: StrPath, format: Optional[Format] = None) -> Messages:
    """The messages of the export at `path`, one dict per message, each what one line of
    `tgexport convert --to jsonl` holds, read as they are asked for.

    `path` is a file or a Telegram Desktop HTML export's folder (or any of its pages);
    `format` skips detection. Raises FileNotFoundError for a missing file and
    tgexport.Error for input that cannot be read; the input's warnings are issued as
    TgexportWarning once its last message was read.
    """

def parse(path: StrPath, format: Optional[Format] = None) -> dict[str, Any]:
    """The whole export at `path` as one dict: what `tgexport convert --to json` writes.

    Raises as read() does; the input's warnings are issued as TgexportWarning (and
    listed under "warnings").
    """
