"""Stages in the review app: the queue shows the suggestion with one key per
stage and direction, a decision keeps what was chosen, and the pledge and
progress pages show how far each pledge has come (issue 15)."""

from __future__ import annotations

import re

from review_live import signed_in

STAGES = ("表明", "検討", "決定", "予算・法案", "成立", "実施")


def _first_item(html: str) -> tuple[str, str, str]:
    article, pledge = re.search(r'data-article="([^"]+)" data-pledge="([^"]+)"', html).groups()
    suggested = re.search(r'data-suggested-stage="([^"]*)"', html).group(1)
    return article, pledge, suggested


def test_the_queue_shows_the_suggestion_and_a_key_for_each_stage_and_direction(server):
    with signed_in(server.base_url, "hanako") as (client, _):
        html = client.get("/queue").text
    item = html[html.index('<article class="item"'):html.index("</article>")]
    assert re.search(r'class="stage-suggested">.*<strong>(' + "|".join(STAGES) + r")</strong>", item, re.S)
    for number, name in enumerate(STAGES, 1):
        assert f'data-stage="{name}"' in item and f"<kbd>{number}</kbd> {name}" in item
    for key, name in (("+", "前進"), ("-", "後退"), ("=", "停滞")):
        assert f"<kbd>{key}</kbd> {name}" in item
    assert re.search(r'<input type="hidden" name="stage" value="(' + "|".join(STAGES) + ')">', item)


def test_a_kept_stage_shows_on_the_pledge_timeline_and_the_progress_page(server):
    with signed_in(server.base_url, "hanako") as (client, token):
        article, pledge, _ = _first_item(client.get("/queue").text)
        done = client.post("/decide", data={"article_id": article, "pledge_id": pledge, "action": "approve",
                                            "stage": "予算・法案", "direction": "前進"},
                           headers={"HX-Request": "true", "X-CSRF-Token": token})
        assert done.status_code == 200
        page = client.get(f"/pledges/{pledge}").text
        progress = client.get("/progress").text
    assert re.search(r"到達した段階 <strong class=\"stage-badge stage-4\">予算・法案</strong>", page)
    assert "進捗度の目安 <strong>60%</strong>" in page
    assert re.search(rf'<a href="#act-{article}" class="marker stage-4">', page)
    assert re.search(rf'<li id="act-{article}">.*?<span class="stage-badge stage-4">予算・法案</span>', page, re.S)
    row = re.search(rf'<a href="/pledges/{pledge}">.*?</tr>', progress, re.S).group(0)
    assert "予算・法案" in row and '<td class="num">60%</td>' in row
    assert server.query("SELECT suggested_progress FROM v_pledge_progress WHERE pledge_id = ?", [pledge]) == [(60,)]
