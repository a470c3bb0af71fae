"""Each source says which region it covers (issue 14, item 6): 国 or prefectures."""

from __future__ import annotations

import pytest

from crawling.sources import SourcesError, load_sources
from pledgewatch.settings import DATA

SOURCE = """
[[sources]]
id = "kahoku"
outlet = "河北新報"
kind = "rss"
url = "https://kahoku.news/rss/news.xml"
region = {region}
"""


def write(tmp_path, region: str):
    path = tmp_path / "sources.toml"
    path.write_text(SOURCE.format(region=region), encoding="utf-8")
    return path


def test_region_is_one_area_or_a_list_of_them(tmp_path):
    assert load_sources(write(tmp_path, '"宮城県"'))[0].regions == ("宮城県",)
    assert load_sources(write(tmp_path, '["福岡県", "佐賀県"]'))[0].regions == ("福岡県", "佐賀県")
    assert load_sources(write(tmp_path, '"国"'))[0].regions == ("国",)


@pytest.mark.parametrize(("region", "message"), [
    ('"宮城"', r":7: sources\[0\]\.region: '宮城' is not 国 or a prefecture; did you mean '宮城県'\?"),
    ("[]", r":7: sources\[0\]\.region: must be 国, a prefecture such as \"千葉県\", or a list of them"),
    ("3", r":7: sources\[0\]\.region: must be 国, a prefecture"),
])
def test_an_unknown_region_names_line_and_the_nearest_prefecture(tmp_path, region, message):
    with pytest.raises(SourcesError, match=message):
        load_sources(write(tmp_path, region))


def test_every_shipped_official_and_regional_source_says_its_region():
    sources = load_sources(DATA / "sources.toml")
    official = [s for s in sources if s.id.startswith(("gov-", "pref-", "city-", "regional-"))]
    assert official and all(s.regions for s in official)
