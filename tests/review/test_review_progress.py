"""The progress page at a catalog's size (issue 14, item 5): a page of at most
PAGE_SIZE pledges with counts for the whole filter, page links that keep the
filters, and filters by politician (typed, as in the queue), party, furthest
stage and words, over the big_server catalog of 6,000+ pledges."""

from __future__ import annotations

import html
import re

from review_live import LiveServer, signed_in

from review.routes.pages import PAGE_SIZE

ROW = re.compile(r'<td><a href="/pledges/([^"]+)">')
ORDER = ("SELECT p.id FROM pledges p JOIN politicians pol ON pol.id = p.politician_id {where} "
         "ORDER BY coalesce(pol.reading, pol.name), pol.id, p.id")


def shown(page: str) -> list[str]:
    ids = ROW.findall(page)
    assert len(ids) <= PAGE_SIZE
    return ids


def total(page: str) -> int:
    return int(re.search(r"この条件の公約 <strong>(\d+)</strong> 件", page).group(1))


def link(page: str, rel: str) -> str:
    return html.unescape(re.search(rf'<a href="(/progress\?[^"]*)" rel="{rel}">', page).group(1))


def ordered(server: LiveServer, where: str = "", params: list | None = None) -> list[str]:
    return [pid for (pid,) in server.query(ORDER.format(where=where), params)]


def test_a_page_at_a_time_in_owner_order_with_links_to_the_next(big_server):
    everything = ordered(big_server)
    with signed_in(big_server.base_url, "hanako") as (client, _):
        first = client.get("/progress").text
        second = client.get(link(first, "next")).text
        back = client.get(link(second, "prev")).text
        pages = -(-len(everything) // PAGE_SIZE)
        last = client.get("/progress", params={"page": pages}).text
        beyond = client.get("/progress", params={"page": 99_999}).text
    assert len(everything) > 6_000 and total(first) == len(everything)
    assert shown(first) == everything[:PAGE_SIZE] and shown(second) == everything[PAGE_SIZE:2 * PAGE_SIZE]
    assert shown(back) == shown(first)
    assert f"1–{PAGE_SIZE} 件目（1 / {pages} ページ" in first
    assert shown(last) == everything[(pages - 1) * PAGE_SIZE:] and 'rel="next"' not in last
    assert shown(beyond) == shown(last), "a page past the end shows the last one"
    owner = dict(big_server.query("SELECT id, politician_id FROM pledges"))
    mine = [p for p in everything if owner[p] == owner[everything[0]]]
    assert f"公約 {len(mine)} 件のうち" in first.split('class="pol-card"')[1]
    splits = [k for k in range(1, pages) if owner[everything[k * PAGE_SIZE - 1]] == owner[everything[k * PAGE_SIZE]]]
    whole = next(k for k in range(1, pages) if k not in splits)
    with signed_in(big_server.base_url, "hanako") as (client, _):
        before, after = (client.get("/progress", params={"page": k}).text for k in (splits[0], splits[0] + 1))
        ends, starts = (client.get("/progress", params={"page": k}).text for k in (whole, whole + 1))
    assert "次のページに続く" in before and "前のページから続く" in after, "an owner split over two pages says so"
    assert "次のページに続く" not in ends and "前のページから続く" not in starts
    assert "<select name=\"politician\"" not in first and "<option value=\"syn-" not in first, \
        "no list of every politician"


def test_filters_narrow_and_the_page_links_keep_them(big_server):
    komei = ordered(big_server, "WHERE pol.party = ? OR (pol.kind = 'party' AND pol.name = ?)", ["公明党", "公明党"])
    ishiba = ordered(big_server, "WHERE pol.id = 'ishiba-shigeru'")
    with signed_in(big_server.base_url, "hanako") as (client, _):
        party = client.get("/progress", params={"party": "公明党"}).text
        party_next = client.get(link(party, "next")).text
        typed = client.get("/progress", params={"politician_q": "いしば", "politician": ""}).text
        words = client.get("/progress", params={"q": "最低賃金"}).text
        both = client.get("/progress", params={"q": "最低賃金", "party": "自由民主党"}).text
    assert total(party) == len(komei) > PAGE_SIZE and shown(party) + shown(party_next) == komei[:2 * PAGE_SIZE]
    assert "party=%E5%85%AC%E6%98%8E%E5%85%9A" in link(party, "next")
    assert shown(typed) == ishiba and 'name="politician" value="ishiba-shigeru"' in typed
    matched = shown(words)
    assert "ishiba-minimum-wage" in matched and total(words) < len(ordered(big_server)) // 5
    texts = big_server.query("SELECT p.title || coalesce(p.description, '') || array_to_string(coalesce(p.keywords, "
                             "[]), ' ') FROM pledges p WHERE list_contains(?, p.id)", [matched])
    assert all("最低賃金" in t for (t,) in texts)
    assert 0 < total(both) < total(words) and set(shown(both)) <= set(ordered(
        big_server, "WHERE pol.party = '自由民主党' OR pol.name = '自由民主党'"))


def test_a_shared_name_is_offered_not_applied(big_server):
    name, count = big_server.query(
        "SELECT name, count(*) FROM politicians WHERE id LIKE 'syn-%' AND kind = 'person' "
        "GROUP BY name HAVING count(*) > 1 ORDER BY count(*) DESC, name LIMIT 1")[0]
    with signed_in(big_server.base_url, "hanako") as (client, _):
        page = client.get("/progress", params={"politician_q": name, "politician": "", "party": "無所属"}).text
    offered = re.findall(r'<a href="/progress\?party=%E7%84%A1%E6%89%80%E5%B1%9E&amp;politician=(syn-\d+)">'
                         + re.escape(name) + "</a>", page)
    assert len(offered) == count and "まだ絞り込んでいません" in page


def test_the_stage_filter_finds_a_pledge_by_its_furthest_stage(big_server):
    with signed_in(big_server.base_url, "hanako") as (client, token):
        queue = client.get("/queue").text
        article, pledge = re.search(r'data-article="([^"]+)" data-pledge="([^"]+)"', queue).groups()
        done = client.post("/decide", data={"article_id": article, "pledge_id": pledge, "action": "approve",
                                            "stage": "成立", "direction": "前進"},
                           headers={"HX-Request": "true", "X-CSRF-Token": token})
        assert done.status_code == 200
        reached = client.get("/progress", params={"stage": "成立"}).text
        none = client.get("/progress", params={"stage": "none"}).text
        everything = client.get("/progress").text
    assert shown(reached) == [pledge] and total(reached) == 1
    row = re.search(rf'<a href="/pledges/{pledge}">.*?</tr>', reached, re.S).group(0)
    assert "成立" in row and '<td class="num">80%</td>' in row
    staged = big_server.query("SELECT count(*) FROM v_pledge_progress WHERE furthest_stage IS NOT NULL")[0][0]
    assert total(none) == total(everything) - staged
    assert "成立 <strong>1</strong>" in everything
