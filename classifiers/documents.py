"""Articles as the classifier sees them, and the score contract's articles file.

The articles file is written by hand or by other tools, so every error names the
file, the line and the field, the same way `catalog.load` does for pledges.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, NoReturn

from catalog.files import InputFileError, read_jsonl
from pledgewatch.jst import JST


@dataclass(frozen=True)
class Document:
    id: str
    title: str
    body: str
    published: datetime | None = None
    url: str | None = None
    outlet: str | None = None

    @property
    def day(self) -> date | None:
        return japan_day(self.published)


def japan_day(moment: datetime | None) -> date | None:
    """The publication date in Japan, which decides who held an office then."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        return moment.date()
    return moment.astimezone(JST).date()


class InputError(InputFileError):
    """An articles or gold file that cannot be used; the message says where and why."""


def parse_published(value: Any) -> datetime | None:
    """Accepts ISO dates and datetimes; a bare date or naive time is read as JST,
    because every source we watch publishes on Japan time."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        text = value.strip().replace("Z", "+00:00")
        moment = datetime.fromisoformat(text)
    else:
        raise ValueError(f"not a date: {value!r}")
    return moment if moment.tzinfo else moment.replace(tzinfo=JST)


def read_articles_jsonl(path: Path | str) -> list[Document]:
    path = Path(path)
    documents: list[Document] = []
    seen: set[str] = set()
    for number, record in read_jsonl(path, InputError):

        def fail(field: str, message: str, number: int = number) -> NoReturn:
            raise InputError(path, number, field, message)

        article_id = record.get("id")
        if isinstance(article_id, int) and not isinstance(article_id, bool):
            article_id = str(article_id)
        if not isinstance(article_id, str) or not article_id.strip():
            fail("id", "must be a non-empty string")
        article_id = article_id.strip()
        if article_id in seen:
            fail("id", f"duplicate id {article_id!r}")
        seen.add(article_id)
        title, body = record.get("title", ""), record.get("body", "")
        if not isinstance(title, str):
            fail("title", "must be a string")
        if not isinstance(body, str):
            fail("body", "must be a string")
        if not title.strip() and not body.strip():
            fail("body", "title and body are both empty")
        try:
            published = parse_published(record.get("published"))
        except ValueError:
            fail(
                "published", f"not a date like 2025-10-21 or 2025-10-21T09:30:00+09:00, got {record.get('published')!r}"
            )
        optional = {}
        for key in ("url", "outlet"):
            value = record.get(key)
            if value is not None and not isinstance(value, str):
                fail(key, "must be a string")
            optional[key] = value or None
        documents.append(Document(article_id, title, body, published, **optional))
    return documents
