"""`pledgewatch extract` on every real fixture page: no exception, the right title."""

import json
import re

import pytest

from pledgewatch.cli import main


def same_text(a: str, b: str) -> bool:
    """Annotations write the ideographic space U+3000 as an ASCII space."""
    return re.sub(r"\s+", " ", a).strip() == re.sub(r"\s+", " ", b).strip()


def pages(fixtures_dir):
    return sorted((fixtures_dir / "html").glob("*/*.html"))


def test_extract_prints_the_annotated_title_for_every_fixture_page(fixtures_dir, capsys):
    checked = 0
    for page in pages(fixtures_dir):
        expected_file = fixtures_dir / "expected" / page.parent.name / f"{page.stem}.json"
        expected = json.loads(expected_file.read_text(encoding="utf-8")) if expected_file.exists() else {}
        assert main(["extract", str(page), *(["--url", expected["url"]] if expected.get("url") else [])]) == 0
        printed = json.loads(capsys.readouterr().out)
        assert set(printed) >= {"title", "body", "published", "lang", "outlet", "url"}
        assert printed["title"], page
        if expected.get("title"):
            assert same_text(printed["title"], expected["title"]), page
            checked += 1
        if printed["published"]:
            assert printed["published"].endswith("+09:00"), page
    assert checked >= 15


def test_extract_reports_a_missing_file(tmp_path, capsys):
    assert main(["extract", str(tmp_path / "nope.html")]) == 2
    assert "no such file" in capsys.readouterr().err


@pytest.mark.parametrize("content", [b"", b"\x00\x01\x02 binary", b"<html><body></body></html>"])
def test_extract_rejects_pages_without_an_article(tmp_path, capsys, content):
    page = tmp_path / "broken.html"
    page.write_bytes(content)
    assert main(["extract", str(page)]) == 2
    assert capsys.readouterr().err.startswith("pledgewatch: ")
