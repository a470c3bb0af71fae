"""Inputs that are not what they claim get a clear error or warning (issue 13, item 9)."""

from __future__ import annotations

import gzip
import json

import pytest

from crawling.policy import CrawlPolicy
from pledgewatch.cli import main


@pytest.mark.parametrize("content", [
    gzip.compress(b"<html><head><title>x</title></head><body><p>" + "本文".encode() * 500 + b"</p></body></html>"),
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4,
    b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <</Type /Catalog>> endobj\n" + bytes(range(256)) * 4,
], ids=["gzip", "png", "pdf"])
def test_extract_of_a_binary_file_is_refused(tmp_path, capsys, content):
    page = tmp_path / "page.html"
    page.write_bytes(content)
    assert main(["extract", str(page)]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "not an HTML page" in captured.err and str(page) in captured.err


def test_extract_of_a_page_over_the_crawler_cap_is_refused(tmp_path, capsys):
    cap = CrawlPolicy().max_bytes
    page = tmp_path / "huge.html"
    with page.open("wb") as handle:
        handle.write(b"<html><head><title>big</title></head><body>")
        handle.write((b"<p>" + "あ".encode() * 1000 + b"</p>\n") * (cap // 3000 + 10))
        handle.write(b"</body></html>")
    assert page.stat().st_size > cap
    assert main(["extract", str(page)]) == 2
    err = capsys.readouterr().err
    assert f"{cap:,}" in err and "cap" in err


def test_broken_json_line_message_is_whole(tmp_path, capsys):
    pledges = tmp_path / "p.jsonl"
    pledges.write_text(json.dumps({"id": "p1", "politician": "高市早苗", "title": "日米同盟"}, ensure_ascii=False)
                       + "\n", encoding="utf-8")
    articles = tmp_path / "a.jsonl"
    articles.write_text('{"id": "a1", "title": "東京都の予算", "body": "一行目\n二行目"}\n', encoding="utf-8")
    assert main(["score", "--pledges", str(pledges), "--articles", str(articles), "--out", "-"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"pledgewatch: {articles}:1: json: ")
    assert not err.endswith(" at") and "column 45" in err and "line break" in err, err


def test_gold_lines_naming_unknown_articles_or_pledges_are_reported(tmp_path, capsys):
    pledges = tmp_path / "p.jsonl"
    pledges.write_text(json.dumps({"id": "p1", "politician": "高市早苗", "title": "日米同盟"}, ensure_ascii=False)
                       + "\n", encoding="utf-8")
    articles = tmp_path / "a.jsonl"
    articles.write_text(json.dumps({"id": "a1", "title": "高市首相", "body": "日米同盟を確認した。"},
                                   ensure_ascii=False) + "\n", encoding="utf-8")
    gold = tmp_path / "g.jsonl"
    gold.write_text("".join(json.dumps(r) + "\n" for r in [
        {"article_id": "a1", "pledge_ids": ["p1", "p9"]}, {"article_id": "a7", "pledge_ids": ["p1"]}]),
        encoding="utf-8")
    assert main(["evaluate", "--pledges", str(pledges), "--articles", str(articles), "--gold", str(gold)]) == 0
    err = capsys.readouterr().err
    assert "1 gold article not in the articles file (a7)" in err
    assert "1 gold pledge not in the pledges file (p9)" in err
