"""Reading hand-edited input files with errors that say file, line and field.

Catalogs, pledge files, article files and gold files are written by people
and by other tools; a bad line must be reported where it is, not as a trace.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pledgewatch.errors import PledgewatchError


class InputFileError(PledgewatchError, ValueError):
    """An input file that cannot be used; the message says where and why."""

    def __init__(self, path: Path | str, line: int | None, field: str, message: str) -> None:
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {field}: {message}")
        self.path, self.line, self.field = str(path), line, field


def parse_toml(text: str, path: Path, error: type[InputFileError] = InputFileError) -> dict[str, Any]:
    """The TOML document, or `error` naming the line tomllib complains about
    (its `lineno` where this Python has it, else the line in its message)."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None)
        if line is None:
            match = re.search(r"line (\d+)", str(exc))
            line = int(match.group(1)) if match else None
        raise error(path, line, "syntax", str(exc)) from None


def json_problem(exc: json.JSONDecodeError) -> str:
    """json's own message stops short ("Invalid control character at"): the
    column and the text there finish it, with a hint for the usual cause."""
    near = exc.doc[max(0, exc.pos - 12):exc.pos + 12]
    text = f"{exc.msg.removesuffix(' at')} at column {exc.colno}, near {near!r}"
    if exc.msg.startswith("Invalid control character"):
        text += " (a line break or tab inside a string must be written \\n or \\t)"
    return text


def read_jsonl(path: Path | str, error: type[InputFileError] = InputFileError) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) for each non-blank line; a BOM is tolerated."""
    path = Path(path)
    try:
        handle = path.open(encoding="utf-8-sig")
    except FileNotFoundError:
        raise error(path, None, "file", "not found") from None
    with handle:
        try:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise error(path, number, "json", json_problem(exc)) from None
                if not isinstance(record, dict):
                    raise error(path, number, "json", "each line must be a JSON object")
                yield number, record
        except UnicodeDecodeError as exc:
            raise error(path, None, "file", f"not UTF-8 ({exc.reason})") from None
