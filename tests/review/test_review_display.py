"""What moderators see: whole words highlighted, evidence that adds to the
lead, rejected items marked as rejected, numbers under their headers
(issue 13, item 12)."""

from __future__ import annotations

import re
from pathlib import Path

from review_live import signed_in

from review.templating import evidence_sentences, highlight

CSS = Path(__file__).resolve().parents[2] / "review" / "static" / "review.css"


def test_highlight_marks_whole_words_not_pieces():
    assert str(highlight("東京都の市立小中学校で", ["都", "市立", "小", "中学校"])) == (
        "<mark>東京都</mark>の<mark>市立小中学校</mark>で")
    assert str(highlight("小池知事は保育料を無償に", ["保育"])) == "小池知事は<mark>保育料</mark>を無償に"
    assert str(highlight("ガソリン税の暫定税率", ["ガソリン"])) == "<mark>ガソリン</mark>税の暫定税率"
    assert str(highlight("<b>都</b>", ["都"])) == "&lt;b&gt;<mark>都</mark>&lt;/b&gt;"


def test_evidence_sentence_already_in_the_lead_is_not_repeated():
    lead = "高市首相は28日、米大統領と会談した。日米同盟の強化を確認した。"
    evidence = {"sentences": ["日米同盟の強化を確認した。", "共同声明には防衛費の増額も盛り込まれた。"]}
    assert evidence_sentences(evidence, lead) == ["共同声明には防衛費の増額も盛り込まれた。"]
    assert evidence_sentences({"sentence": "日米同盟の強化を確認した"}, lead) == []
    assert evidence_sentences(evidence, None) == evidence["sentences"]


def test_a_rejected_item_is_not_bordered_like_an_approved_one():
    css = CSS.read_text(encoding="utf-8")
    rule = re.search(r'\.item\.done\[data-state="reject"\]\s*\{([^}]*)\}', css)
    assert rule and "var(--bad)" in rule.group(1)


def test_progress_numbers_sit_under_their_headers(server):
    with signed_in(server.base_url, "hanako") as (client, _):
        html = client.get("/progress").text
    head = re.search(r"<thead><tr>(.*?)</tr></thead>", html, re.S).group(1)
    headers = re.findall(r'<th scope="col"( class="num")?>', head)
    row = re.search(r"<tbody>\s*<tr>(.*?)</tr>", html, re.S).group(1)
    cells = re.findall(r'<td( class="num")?>', row)
    assert len(headers) == len(cells) and headers == cells
    css = CSS.read_text(encoding="utf-8")
    assert re.search(r"th\.num[^{]*\{[^}]*text-align:\s*right", css)
