from __future__ import annotations

import pytest

from extractors.article import extract_article
from extractors.rules import REGISTRY, RULE_CLASSES, rule_for, rules_for

PROSE = "".join(
    f"<p>{text}</p>"
    for text in (
        "政府は３日、物価高対策として新たな給付金の支給を閣議決定した。対象は住民税非課税世帯。",
        "首相は記者会見で「生活に困っている方々に速やかに届けたい」と述べ、年度内の支給を目指す。",
        "野党は「選挙目当てのばらまきだ」と批判しており、国会審議では財源が焦点となる見通しだ。",
    )
)
OUTLETS = {"朝日新聞", "読売新聞", "毎日新聞", "産経新聞", "日本経済新聞", "東京新聞", "中日新聞",
           "NHK", "時事通信", "共同通信"}  # fmt: skip


def test_required_outlets_have_rules():
    assert {cls.outlet for cls in RULE_CLASSES} >= OUTLETS


@pytest.mark.parametrize("cls", RULE_CLASSES, ids=lambda c: c.__name__)
def test_rules_are_declarative_and_registered(cls):
    rule = cls()
    assert rule.id == f"{cls.name}@{cls.version}"
    assert rule.body and all(isinstance(s, str) for s in rule.body)
    for host in cls.hosts:
        assert host == host.lower() and "/" not in host
        assert any(type(r) is cls for r in REGISTRY[host])
    if rule.title_suffix:
        assert rule.suffix_pattern.search("見出し") is None


def test_rule_matches_exact_host_only():
    assert rule_for("https://www.asahi.com/articles/X.html").name == "asahi"
    assert rule_for("http://127.0.0.1:8000/asahi/articles/1") is None
    assert rule_for("https://asahi.example.jp/articles/1") is None
    assert rule_for(None) is None
    assert rules_for("not a url") == []


def test_rule_used_when_its_container_is_present():
    html = f"""<html><head><title>見出し：朝日新聞デジタル</title></head><body>
<main id="main"><h1>見出し</h1><div class="nfyQp">{PROSE}</div></main></body></html>"""
    article = extract_article(html, "https://www.asahi.com/articles/X.html")
    assert article.rule == "asahi@1"
    assert article.outlet == "朝日新聞"
    assert article.title == "見出し"


def test_rule_failure_falls_back_to_generic_and_is_recorded():
    html = f"""<html><head><title>見出し：朝日新聞デジタル</title></head><body>
<main id="main"><h1>見出し</h1><section class="new-layout">{PROSE}</section></main></body></html>"""
    article = extract_article(html, "https://www.asahi.com/articles/X.html")
    assert article.rule == "asahi@1→generic"
    assert article.body.count("\n\n") == 2
    assert article.title == "見出し"


def test_outlet_name_without_real_host_uses_generic():
    """The demo site uses outlet names with its own layouts on loopback: no rule applies."""
    html = f"""<html lang="ja"><head><title>見出し - 朝日新聞</title>
<meta property="og:site_name" content="朝日新聞"></head><body><article><h1>見出し</h1>
<div class="entry">{PROSE}</div></article></body></html>"""
    article = extract_article(html, "http://127.0.0.1:8765/asahi/articles/1.html")
    assert article.rule == "generic"
    assert article.outlet == "朝日新聞"
    assert article.title == "見出し"


def test_use_rules_false_skips_rules():
    html = f'<html><body><main id="main"><div class="nfyQp">{PROSE}</div></main></body></html>'
    article = extract_article(html, "https://www.asahi.com/a.html", use_rules=False)
    assert article.rule == "generic"
