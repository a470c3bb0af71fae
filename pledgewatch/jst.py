"""Japan Standard Time: the zone every date is read and shown in. One object,
so that a stored time, a page's dateline and a moderator's date filter agree."""

from __future__ import annotations

from zoneinfo import ZoneInfo

JST = ZoneInfo("Asia/Tokyo")
