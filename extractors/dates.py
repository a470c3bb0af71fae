"""Date parsing for pages and feeds; every result is aware and expressed in JST.

Japanese sites mix ISO 8601 (extended and basic), RFC 822, slashed dates, 年月日 with 午前/午後,
imperial eras and full-width digits, and often omit the offset: a naive
time on a Japanese page means Japan time.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime

from pledgewatch.jst import JST

_FULLWIDTH = str.maketrans(
    "０１２３４５６７８９：／－＋．　",
    "0123456789:/-+. ",
)
_ERAS = {"令和": 2018, "平成": 1988, "昭和": 1925, "大正": 1911, "明治": 1867}
_NAMED_ZONES = {"JST": "+0900", "KST": "+0900", "UTC": "+0000", "GMT": "+0000", "UT": "+0000"}

_ISO = re.compile(
    r"(?P<y>\d{4})-(?P<mo>\d{1,2})-(?P<d>\d{1,2})"
    r"(?:[T\s]+(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:[.,]\d+)?)?)?"
    r"\s*(?P<tz>Z|[+-]\d{2}(?::?\d{2})?(?![\d:]))?"
)
# ISO 8601's basic format (20180619T055000+0900): the "T" is required, so that
# other runs of digits (article ids, phone numbers) are never read as dates.
_ISO_BASIC = re.compile(
    r"(?<!\d)(?P<y>\d{4})(?P<mo>\d{2})(?P<d>\d{2})T(?P<h>\d{2})(?P<mi>\d{2})(?P<s>\d{2})?(?:[.,]\d+)?"
    r"(?P<tz>Z|[+-]\d{2}(?::?\d{2})?)?(?!\d)"
)
_SLASHED = re.compile(
    r"(?P<y>\d{4})[/.](?P<mo>\d{1,2})[/.](?P<d>\d{1,2})"
    r"(?:\s*(?:\([^)]{1,3}\)|（[^）]{1,3}）|[A-Za-z]{3})?\s*(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2}))?)?"
)
_JAPANESE = re.compile(
    r"(?:(?P<era>令和|平成|昭和|大正|明治)\s*(?P<ey>\d{1,2}|元)|(?P<y>\d{4}))\s*年\s*"
    r"(?P<mo>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"
    r"(?:\s*(?:\([^)]{1,3}\)|（[^）]{1,3}）))?"
    r"(?:\s*(?P<ampm>午前|午後)?\s*(?P<h>\d{1,2})\s*(?:時|:)\s*(?:(?P<mi>\d{1,2})\s*分?)?)?"
)
_RFC822_HINT = re.compile(r"^\s*(?:[A-Za-z]{3},?\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{2,4}")


def parse_datetime(text: str) -> datetime | None:
    """Parse the first date found in `text`; naive values are JST; None when there is none."""
    if not text:
        return None
    text = text.translate(_FULLWIDTH).strip()
    if not text:
        return None
    for parse in (_parse_iso, _parse_iso_basic, _parse_rfc822, _parse_japanese, _parse_slashed):
        try:
            result = parse(text)
        except (ValueError, OverflowError):
            result = None
        if result is not None:
            return result.astimezone(JST)
    return None


_UTC_LABEL = re.compile(r"(?:\d(?:Z|[+-]00:?00)|\b(?:UTC|GMT|UT)|[+-]0000)\s*$", re.IGNORECASE)


def states_utc(text: str) -> bool:
    """The value carries a UTC label (…Z, +00:00, GMT): the only label that can
    be Japanese wall time mislabelled, nine hours off."""
    return bool(_UTC_LABEL.search((text or "").translate(_FULLWIDTH).strip()))


def parse_time_of_day(text: str) -> datetime | None:
    """Like `parse_datetime`, but None unless the date found states a time of day
    (a date alone is midnight, which must not pass for an exact time)."""
    stripped = (text or "").translate(_FULLWIDTH).strip()
    for pattern in (_ISO, _ISO_BASIC, _JAPANESE, _SLASHED):
        m = pattern.search(stripped)
        if m:
            return parse_datetime(text) if m.group("h") is not None else None
    return parse_datetime(text)


def _build(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0, tz=None) -> datetime:
    day_overflow = h == 24
    value = datetime(y, mo, d, 0 if day_overflow else h, mi, s, tzinfo=tz or JST)
    return value + timedelta(days=1) if day_overflow else value


def _offset(raw: str | None) -> tzinfo | None:
    if not raw:
        return None
    if raw == "Z":
        return UTC
    sign = -1 if raw[0] == "-" else 1
    digits = raw[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _parse_iso(text: str) -> datetime | None:
    m = _ISO.search(text)
    if not m:
        return None
    g = m.groupdict()
    return _build(
        int(g["y"]),
        int(g["mo"]),
        int(g["d"]),
        int(g["h"] or 0),
        int(g["mi"] or 0),
        int(g["s"] or 0),
        _offset(g["tz"]),
    )


def _parse_iso_basic(text: str) -> datetime | None:
    m = _ISO_BASIC.search(text)
    if not m:
        return None
    g = m.groupdict()
    return _build(int(g["y"]), int(g["mo"]), int(g["d"]), int(g["h"]), int(g["mi"]), int(g["s"] or 0),
                  _offset(g["tz"]))


def _parse_rfc822(text: str) -> datetime | None:
    if not _RFC822_HINT.match(text):
        return None
    zone = text.rsplit(None, 1)[-1].upper()
    if zone in _NAMED_ZONES:
        text = text[: -len(zone)] + _NAMED_ZONES[zone]
    try:
        value = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    return value if value.tzinfo else value.replace(tzinfo=JST)


def _parse_japanese(text: str) -> datetime | None:
    m = _JAPANESE.search(text)
    if not m:
        return None
    g = m.groupdict()
    year = int(g["y"]) if not g["era"] else _ERAS[g["era"]] + (1 if g["ey"] == "元" else int(g["ey"]))
    hour = int(g["h"] or 0)
    if g["ampm"] == "午後" and hour < 12:
        hour += 12
    elif g["ampm"] == "午前" and hour == 12:
        hour = 0
    return _build(year, int(g["mo"]), int(g["d"]), hour, int(g["mi"] or 0))


def _parse_slashed(text: str) -> datetime | None:
    m = _SLASHED.search(text)
    if not m:
        return None
    g = m.groupdict()
    return _build(
        int(g["y"]),
        int(g["mo"]),
        int(g["d"]),
        int(g["h"] or 0),
        int(g["mi"] or 0),
        int(g["s"] or 0),
    )
