from datetime import datetime, timedelta

import pytest

from extractors.dates import parse_datetime
from pledgewatch.jst import JST


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026年1月3日 午前9時5分", datetime(2026, 1, 3, 9, 5, tzinfo=JST)),
        ("2026年1月3日 午後9時5分", datetime(2026, 1, 3, 21, 5, tzinfo=JST)),
        ("2026年1月3日 午後0時30分", datetime(2026, 1, 3, 12, 30, tzinfo=JST)),
        ("2026年1月3日 午前0時", datetime(2026, 1, 3, 0, 0, tzinfo=JST)),
        ("令和8年1月3日", datetime(2026, 1, 3, tzinfo=JST)),
        ("令和元年5月1日", datetime(2019, 5, 1, tzinfo=JST)),
        ("平成31年4月30日", datetime(2019, 4, 30, tzinfo=JST)),
        ("２０２６年１月３日　９時５分", datetime(2026, 1, 3, 9, 5, tzinfo=JST)),
        ("2026年01月03日 12時00分更新", datetime(2026, 1, 3, 12, 0, tzinfo=JST)),
        ("2026年1月3日（土） 08時15分", datetime(2026, 1, 3, 8, 15, tzinfo=JST)),
        ("2026/01/03 09:05", datetime(2026, 1, 3, 9, 5, tzinfo=JST)),
        ("２０２６／０１／０３　０９：０５", datetime(2026, 1, 3, 9, 5, tzinfo=JST)),
        ("2026.1.3 Sat 8:15", datetime(2026, 1, 3, 8, 15, tzinfo=JST)),
        ("2026-01-03T09:05:00+09:00", datetime(2026, 1, 3, 9, 5, tzinfo=JST)),
        ("2026-01-03T09:05:00+0900", datetime(2026, 1, 3, 9, 5, tzinfo=JST)),
        ("2026-01-03T00:05:00.000Z", datetime(2026, 1, 3, 9, 5, tzinfo=JST)),
        ("2026-01-03 09:05:00", datetime(2026, 1, 3, 9, 5, tzinfo=JST)),
        ("2026-01-03", datetime(2026, 1, 3, tzinfo=JST)),
        ("Sat, 03 Jan 2026 09:05:00 +0900", datetime(2026, 1, 3, 9, 5, tzinfo=JST)),
        ("Sat, 03 Jan 2026 00:05:00 GMT", datetime(2026, 1, 3, 9, 5, tzinfo=JST)),
        ("Sat, 03 Jan 2026 09:05:00 JST", datetime(2026, 1, 3, 9, 5, tzinfo=JST)),
    ],
)
def test_formats_parse_to_aware_jst(text, expected):
    result = parse_datetime(text)
    assert result == expected
    assert result.utcoffset() == timedelta(hours=9)


@pytest.mark.parametrize("text", ["", "   ", "no date here", "2026-02-30", "13月40日"])
def test_unparseable_gives_none(text):
    assert parse_datetime(text) is None
