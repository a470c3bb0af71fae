"""Typos in the hand-edited TOML files are errors with file, line and the
nearest known name; a non-empty file that yields nothing is an error too
(issue 13, item 8)."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalog.load import CatalogError, load_catalog
from crawling.sources import SourcesError, load_sources
from pledgewatch.cli import main

CATALOG = """\
[[politicians]]
id = "a"
name = "山田太郎"

[[politicians.roles]]
title = "知事"
start = 2020-01-01

[[pledges]]
id = "a-1"
politician = "a"
title = "県立高校を無償化する"
keywords = ["無償化"]
"""

SOURCES = """\
[defaults]
max_items = 20

[[sources]]
id = "one"
outlet = "某新聞"
kind = "rss"
url = "https://example.jp/rss.xml"
enabled = true
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("old", "new", "line", "expected"), [
    ('keywords = ["無償化"]', 'keywrods = ["無償化"]', 13,
     "pledges[0].keywrods: unknown key; did you mean 'keywords'?"),
    ('start = 2020-01-01', 'strat = 2020-01-01', 7, "politicians.roles[0].strat: unknown key; did you mean 'start'?"),
    ('name = "山田太郎"', 'name = "山田太郎"\nreadng = "やまだ"', 4, "politicians[0].readng: unknown key; did you mean "
                                                                 "'reading'?"),
    ('[[pledges]]', '[[pledge]]', 9, "pledge: unknown table [[pledge]]; did you mean [[pledges]]?"),
    ('[[politicians.roles]]', '[[politicians.role]]', 5, "politicians[0].role: unknown key; did you mean 'roles'?"),
])
def test_catalog_typos_name_file_line_and_nearest_key(tmp_path, old, new, line, expected):
    path = write(tmp_path, "pledges.toml", CATALOG.replace(old, new))
    with pytest.raises(CatalogError) as caught:
        load_catalog(path)
    assert str(caught.value) == f"{path}:{line}: {expected}"


def test_politician_table_imports_nothing_and_says_why(tmp_path, capsys):
    path = write(tmp_path, "pledges.toml", CATALOG.replace("[[politicians]]", "[[politician]]"))
    assert main(["--db", str(tmp_path / "pw.duckdb"), "catalog", "import", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path}:1: politician: unknown table [[politician]]; did you mean [[politicians]]?" in err
    assert not (tmp_path / "pw.duckdb").exists()


def test_a_non_empty_catalog_without_pledges_is_an_error(tmp_path):
    only_people = CATALOG[:CATALOG.index("[[pledges]]")]
    with pytest.raises(CatalogError, match="no pledges"):
        load_catalog(write(tmp_path, "pledges.toml", only_people))
    assert load_catalog(write(tmp_path, "empty.toml", "# nothing yet\n")).pledges == ()


@pytest.mark.parametrize(("old", "new", "line", "expected"), [
    ("enabled = true", "enabeld = true", 9, "sources[0].enabeld: unknown key; did you mean 'enabled'?"),
    ('url = "https://example.jp/rss.xml"', 'url = "https://example.jp/rss.xml"\nmin_gap = 2', 9,
     "sources[0].min_gap: unknown key; did you mean 'min_gap_s'?"),
    ("max_items = 20", "max_item = 20", 2, "defaults.max_item: unknown key; did you mean 'max_items'?"),
    ("[[sources]]", "[[source]]", 4, "source: unknown table [[source]]; did you mean [[sources]]?"),
    ("[defaults]", "[default]", 1, "default: unknown table [default]; did you mean [defaults]?"),
])
def test_sources_typos_name_file_line_and_nearest_key(tmp_path, old, new, line, expected):
    path = write(tmp_path, "sources.toml", SOURCES.replace(old, new))
    with pytest.raises(SourcesError) as caught:
        load_sources(path)
    assert str(caught.value) == f"{path}:{line}: {expected}"


def test_a_non_empty_sources_file_without_sources_is_an_error(tmp_path):
    with pytest.raises(SourcesError, match="no sources"):
        load_sources(write(tmp_path, "sources.toml", "[defaults]\nmax_items = 5\n"))
