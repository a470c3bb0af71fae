"""Every annotated fixture page: title, time, and the start and end of the body.

Expectations are read from ../shared/fixtures at test time (never copied
here). Comparisons ignore whitespace differences: the sources disagree on
U+3000 vs ASCII spaces and on how <br> maps to line breaks.
"""

from __future__ import annotations

import json
from collections import Counter

import pytest
from extractor_fixtures import FIXTURES, fixture_pages

from extractors.article import extract_article
from extractors.dates import parse_datetime
from extractors.text import squash

PAGES = fixture_pages()
EDGE = 20  # characters compared at each end of the body

# Where we knowingly disagree with the source's annotation (see bench/README.md).
KNOWN_DISAGREEMENTS = {
    ("html/buzzap/mercury_2019.html", "published"): (
        "annotation copies a <time> labelled +00:00 that shows JST wall time; the page's "
        "article:published_time (00:18Z = 09:18 JST) agrees with the visible 09:18"
    ),
    ("html/scan_netsecurity/mercury_2019.html", "body_start"): (
        "paywalled page: the annotated prefix is a photo caption; we return the page's summary"
    ),
}


def _load(entry: dict):
    expected = json.loads((FIXTURES / entry["expected"]).read_text(encoding="utf-8"))
    article = extract_article((FIXTURES / entry["html"]).read_bytes(), entry["url"])
    return expected, article


def _check_known(entry: dict, aspect: str) -> None:
    reason = KNOWN_DISAGREEMENTS.get((entry["html"], aspect))
    if reason:
        pytest.xfail(reason)


def _ids(entries):
    return [e["html"].removeprefix("html/").removesuffix(".html") for e in entries]


@pytest.mark.parametrize("entry", PAGES, ids=_ids(PAGES))
def test_title(entry):
    expected, article = _load(entry)
    if expected["title"] is None:
        assert article.title, "a title should still be found"
        return
    assert " ".join(article.title.split()) == " ".join(expected["title"].split())


@pytest.mark.parametrize("entry", PAGES, ids=_ids(PAGES))
def test_published_to_the_minute(entry):
    expected, article = _load(entry)
    if expected["published"] is None:
        return
    _check_known(entry, "published")
    want = parse_datetime(expected["published"]).replace(second=0, microsecond=0)
    assert article.published is not None
    assert article.published.utcoffset().total_seconds() == 9 * 3600
    assert article.published.replace(second=0, microsecond=0) == want


@pytest.mark.parametrize("entry", PAGES, ids=_ids(PAGES))
def test_body_start(entry):
    expected, article = _load(entry)
    _check_known(entry, "body_start")
    got = squash(article.body)
    assert len(got) >= EDGE
    if expected["body"] is not None:
        assert got[:EDGE] == squash(expected["body"])[:EDGE]
    else:
        # A prefix may open with a caption or dateline we drop: our start must lie inside it.
        assert got[:EDGE] in squash(expected["body_prefix"])


@pytest.mark.parametrize(
    "entry", [e for e in PAGES if e["body_match"] != "prefix"],
    ids=_ids([e for e in PAGES if e["body_match"] != "prefix"]),
)  # fmt: skip
def test_body_end(entry):
    expected, article = _load(entry)
    assert squash(article.body)[-EDGE:] == squash(expected["body"])[-EDGE:]


@pytest.mark.parametrize("entry", PAGES, ids=_ids(PAGES))
def test_generic_extractor_alone_finds_most_of_the_body(entry):
    expected = json.loads((FIXTURES / entry["expected"]).read_text(encoding="utf-8"))
    article = extract_article((FIXTURES / entry["html"]).read_bytes(), entry["url"], use_rules=False)
    assert article.rule == "generic"
    if expected["body"] is None:
        return
    got, want = Counter(squash(article.body)), Counter(squash(expected["body"]))
    common = sum((got & want).values())
    assert 2 * common / (sum(got.values()) + sum(want.values())) >= 0.8


def test_every_annotated_page_is_covered():
    if not PAGES:
        pytest.skip("../shared/fixtures is not present")
    assert len(PAGES) >= 22
