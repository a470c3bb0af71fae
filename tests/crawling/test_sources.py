"""The source list file, and suspension of sources that keep failing."""

from __future__ import annotations

import pytest
from test_faults import crawl_feed

from crawling.sources import SourcesError, load_sources
from pledgewatch.cli import main
from pledgewatch.settings import DATA
from storage.crawl import resume_sources
from storage.db import reader, transaction

GOOD = """
[defaults]
min_gap_s = 2

[[sources]]
id = "a"
outlet = "朝日新聞"
kind = "rdf"
url = "https://www.asahi.com/rss/asahi/newsheadlines.rdf"
"""


def test_shipped_sources_files_are_valid():
    real = load_sources(DATA / "sources.toml")
    assert len(real) >= 8 and all(s.url.startswith("https://") and not s.is_local for s in real)
    demo = load_sources(DATA / "demo_site" / "sources.toml", "http://127.0.0.1:8765")
    assert all(s.is_local and s.url.startswith("http://127.0.0.1:8765/") for s in demo)


@pytest.mark.parametrize(("change", "message"), [
    (('kind = "rdf"', 'kind = "podcast"'), r":8: sources\[0\].kind: 'podcast' is not one of"),
    (("url = \"https://www", "url = \"ftp://www"), r":9: sources\[0\].url: .* is not an http\(s\) URL"),
    (("min_gap_s = 2", "min_gap_s = -1"), r"sources\[0\].min_gap_s: must be a number"),
    (('id = "a"', 'id = "A B"'), r":6: sources\[0\].id"),
])
def test_broken_sources_file_names_line_and_field(tmp_path, change, message):
    path = tmp_path / "sources.toml"
    path.write_text(GOOD.replace(*change), encoding="utf-8")
    with pytest.raises(SourcesError, match=message):
        load_sources(path)


def test_placeholder_needs_a_base_url(tmp_path):
    path = tmp_path / "sources.toml"
    path.write_text(GOOD.replace("https://www.asahi.com", "{base}"), encoding="utf-8")
    with pytest.raises(SourcesError, match=r"uses \{base\}"):
        load_sources(path)
    assert load_sources(path, "http://127.0.0.1:1")[0].url.startswith("http://127.0.0.1:1/rss")


def test_source_failing_runs_in_a_row_is_suspended_then_resumed(fault_server, db_file, monkeypatch, capsys):
    monkeypatch.setenv("PLEDGEWATCH_SUSPEND_AFTER", "2")
    fault_server.route("/feed/down.xml", lambda s, n: (404, {}, b"gone"))
    for _ in range(2):
        assert crawl_feed(fault_server, db_file, "/feed/down.xml", source_id="down")["/feed/down.xml"][0] == "error"
    with reader(db_file) as con:
        failures, suspended = con.execute(
            "SELECT consecutive_failures, suspended FROM v_source_health WHERE source_id = 'down'").fetchone()
    assert failures == 2 and suspended
    assert crawl_feed(fault_server, db_file, "/feed/down.xml", source_id="down") == {}
    assert fault_server.requests["/feed/down.xml"] == 2

    sources_file = db_file.parent / "sources.toml"
    sources_file.write_text(f'[[sources]]\nid = "down"\noutlet = "テスト新聞"\nkind = "rss"\n'
                            f'url = "{fault_server.base}/feed/down.xml"\nlocal = true\n', encoding="utf-8")
    assert main(["--db", str(db_file), "sources", "check", "--sources", str(sources_file)]) == 0
    assert "SUSPENDED" in capsys.readouterr().out

    with transaction(db_file) as con:
        assert resume_sources(con, ["down"]) == 1
    crawl_feed(fault_server, db_file, "/feed/down.xml", source_id="down")
    assert fault_server.requests["/feed/down.xml"] == 3
