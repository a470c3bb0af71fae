import pytest

from extractors.urls import canonicalize_url, is_http_url, resolve_url


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTPS://WWW.Example.COM:443/a/b.html#top", "https://www.example.com/a/b.html"),
        ("http://example.com:80", "http://example.com/"),
        ("http://example.com:8080/x", "http://example.com:8080/x"),
        (
            "https://ex.jp/a?utm_source=tw&utm_medium=sns&b=2&a=1&fbclid=z&gclid=y&ref=top",
            "https://ex.jp/a?a=1&b=2",
        ),
        ("https://ex.jp/a?yclid=1&mc_cid=2&mc_eid=3&_ga=4", "https://ex.jp/a"),
        ("https://ex.jp/a?q=%E6%97%A5%E6%9C%AC&page=2", "https://ex.jp/a?page=2&q=%E6%97%A5%E6%9C%AC"),
    ],
)
def test_canonicalize(url, expected):
    assert canonicalize_url(url) == expected


def test_canonicalize_is_idempotent():
    url = canonicalize_url("HTTP://Ex.jp:80/a/?z=1&a=&utm_campaign=x#f")
    assert canonicalize_url(url) == url


@pytest.mark.parametrize(
    ("url", "ok"),
    [("https://ex.jp/", True), ("http://ex.jp", True), ("ftp://ex.jp/", False),
     ("javascript:alert(1)", False), ("/relative", False), ("https://", False)],
)  # fmt: skip
def test_is_http_url(url, ok):
    assert is_http_url(url) is ok


def test_resolve_only_keeps_http_urls():
    assert resolve_url("/news/1#c", "https://Ex.jp/top/") == "https://ex.jp/news/1"
    assert resolve_url("mailto:a@b", "https://ex.jp/") is None
    assert resolve_url("  ", "https://ex.jp/") is None
