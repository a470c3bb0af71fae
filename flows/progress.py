"""Progress of long stages for whoever is watching.

On a terminal: rich progress bars with counts, rates and time left. Anywhere
else (cron mail, the Prefect worker's log, journald): one JSON object per line
on stderr, throttled to one update per stage every few seconds, so a night of
100,000 articles writes a few dozen lines rather than one per batch.
`PLEDGEWATCH_PROGRESS=bar|lines|off` overrides the choice.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, TextIO

from rich.console import Console, RenderableType
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from pledgewatch import settings


def mode(stream: TextIO | None = None) -> str:
    chosen = settings.progress_mode()
    if chosen in ("bar", "lines", "off"):
        return chosen
    stream = stream or sys.stderr
    return "bar" if stream.isatty() else "lines"


def _interval() -> float:
    return settings.progress_interval_s()


def event(name: str, **fields: Any) -> None:
    """A structured line for log collectors; silent on a terminal, where people
    read the summary the command prints instead."""
    if mode() == "lines":
        _write_line({"event": name, **fields})


def notice(text: str, **fields: Any) -> None:
    """Something the operator must see whatever the mode: a JSON line for log
    collectors, plain text on a terminal."""
    if mode() == "lines":
        _write_line({"event": "notice", "message": text, **fields})
    else:
        sys.stderr.write(f"pledgewatch: {text}\n")
        sys.stderr.flush()


def _write_line(record: dict[str, Any]) -> None:
    line = {"ts": datetime.now(UTC).isoformat(timespec="milliseconds"), **record}
    sys.stderr.write(json.dumps(line, ensure_ascii=False, default=str) + "\n")
    sys.stderr.flush()


class Stage:
    """Counts what a stage has done; `advance` is cheap enough to call per batch."""

    def __init__(self, name: str, total: int | None, unit: str) -> None:
        self.name, self.total, self.unit = name, total, unit
        self.done = 0
        self.started = time.monotonic()
        self._last_line = self.started
        self._bar: Progress | None = None
        self._task: Any = None

    @property
    def rate(self) -> float:
        elapsed = time.monotonic() - self.started
        return self.done / elapsed if elapsed > 0 else 0.0

    def advance(self, count: int = 1) -> None:
        self.done += count
        if self._bar is not None:
            self._bar.update(self._task, completed=self.done)
        elif mode() == "lines" and time.monotonic() - self._last_line >= _interval():
            self._last_line = time.monotonic()
            _write_line(self._record("progress"))

    def _record(self, kind: str) -> dict[str, Any]:
        return {"event": kind, "stage": self.name, "done": self.done, "total": self.total, "unit": self.unit,
                "rate_per_s": round(self.rate, 1), "elapsed_s": round(time.monotonic() - self.started, 2)}


@contextmanager
def stage(name: str, total: int | None = None, unit: str = "articles") -> Iterator[Stage]:
    """`with stage("score", total=len(docs)) as s: ... s.advance(len(batch))`."""
    current = Stage(name, total, unit)
    chosen = mode()
    if chosen == "bar":
        columns = [SpinnerColumn(), TextColumn("[bold]{task.description}")]
        if total is not None:
            columns += [BarColumn(), MofNCompleteColumn(), TaskProgressColumn()]
        columns += [TextColumn("{task.fields[rate]}"), TimeElapsedColumn()]
        if total is not None:
            columns.append(TimeRemainingColumn())
        current._bar = _RateProgress(current, *columns, console=Console(stderr=True), transient=False)
        current._task = current._bar.add_task(name, total=total, rate="")
        current._bar.start()
    elif chosen == "lines":
        _write_line({"event": "stage_started", "stage": name, "total": total, "unit": unit})
    try:
        yield current
    finally:
        if current._bar is not None:
            current._bar.update(current._task, completed=current.done)
            current._bar.stop()
        elif chosen == "lines":
            _write_line(current._record("stage_finished"))


class _RateProgress(Progress):
    """Shows the stage's own rate (articles/s over the whole stage), which is
    steadier than rich's windowed speed when work arrives in batches."""

    def __init__(self, owner: Stage, *columns: Any, **kwargs: Any) -> None:
        super().__init__(*columns, **kwargs)
        self._owner = owner

    def get_renderables(self) -> Iterable[RenderableType]:
        for task in self.tasks:
            task.fields["rate"] = f"{self._owner.rate:,.0f} {self._owner.unit}/s" if self._owner.done else ""
        yield from super().get_renderables()
