"""Moderators deciding while the nightly flow writes: a writer process doing
batches in the same DuckDB file, 20 simultaneous decisions over real HTTP.
No decision is lost, none overwritten, no error page, and the writer finishes."""

from __future__ import annotations

import re
import subprocess
import sys
import threading
from pathlib import Path

import httpx
from review_live import LiveServer, add_account, sign_in

WRITER = Path(__file__).with_name("review_nightly_writer.py")
MODERATORS = ["mod1", "mod2", "mod3", "mod4"]


def _post_all(base_url: str, jobs: list[tuple[dict, dict, dict]]) -> list[httpx.Response]:
    """Sends every (cookies, headers, form) at the same moment, one thread each."""
    start = threading.Barrier(len(jobs))
    responses: list[httpx.Response | None] = [None] * len(jobs)

    def send(index: int, cookies: dict, headers: dict, form: dict) -> None:
        with httpx.Client(base_url=base_url, cookies=cookies, timeout=60) as client:
            start.wait()
            responses[index] = client.post("/decide", data=form, headers=headers)

    threads = [threading.Thread(target=send, args=(i, *job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    assert all(r is not None for r in responses), "a decision request never returned"
    return responses


def test_decisions_under_load_while_the_nightly_flow_writes(review_db: Path):
    for name in MODERATORS:
        add_account(review_db, name)
    with LiveServer(review_db) as server:
        sessions = {}
        for name in MODERATORS:
            client, token = sign_in(server.base_url, name)
            sessions[name] = ({"pw_session": client.cookies["pw_session"]},
                              {"HX-Request": "true", "X-CSRF-Token": token})
            client.close()
        items = server.query("SELECT article_id, pledge_id FROM v_review_queue ORDER BY score DESC, article_id")
        first, second = items[:20], items[20:25]
        stop = review_db.with_name("stop-writing")
        writer = subprocess.Popen([sys.executable, str(WRITER), str(review_db), str(stop), "0.03"],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            assert writer.stdout.readline().strip() == "started"
            jobs = [(*sessions[MODERATORS[i % 4]], {"article_id": a, "pledge_id": p, "action": "approve"})
                    for i, (a, p) in enumerate(first)]
            responses = _post_all(server.base_url, jobs)
            race = [(*sessions[name], {"article_id": a, "pledge_id": p, "action": "reject"})
                    for a, p in second for name in ("mod1", "mod2")]
            race_responses = _post_all(server.base_url, race)
            stop.touch()
            out, err = writer.communicate(timeout=60)
        finally:
            writer.kill()
        assert writer.returncode == 0, err
        batches = int(out.strip())
        assert batches >= 3, "the writer should have had turns while moderators decided"

        for response in responses:
            assert response.status_code == 200, response.text
            assert 'data-state="approve"' in response.text and "エラー" not in response.text
        decided = server.query("SELECT article_id, pledge_id, moderator FROM decisions WHERE action = 'approve'")
        assert sorted((a, p) for a, p, _ in decided) == sorted(first)
        assert sorted(m for *_, m in decided) == sorted(MODERATORS[i % 4] for i in range(20))

        by_item = server.query("SELECT article_id, pledge_id, list(moderator) FROM decisions WHERE action = 'reject' "
                               "GROUP BY ALL")
        assert sorted((a, p) for a, p, _ in by_item) == sorted(second)
        assert all(len(names) == 1 for *_, names in by_item), "a racing decision overwrote another"
        winners = {(a, p): names[0] for a, p, names in by_item}
        for (_, _, form), response in zip(race, race_responses, strict=True):
            winner = winners[(form["article_id"], form["pledge_id"])]
            assert response.status_code in (200, 409), response.text
            if response.status_code == 409:
                assert f"既に {winner} さんが却下しています" in response.text
        assert sorted(r.status_code for r in race_responses) == [200] * 5 + [409] * 5
        assert server.query("SELECT count(*) FROM articles WHERE outlet = '夜間新聞'") == [(20 * batches,)]


def test_a_plain_form_post_when_busy_offers_to_send_the_same_input_again(server, monkeypatch):
    monkeypatch.setenv("PLEDGEWATCH_DB_LOCK_TIMEOUT", "0.3")
    article_id, pledge_id = server.query("SELECT article_id, pledge_id FROM v_review_queue LIMIT 1")[0]
    client, token = sign_in(server.base_url, "hanako")
    form = {"csrf_token": token, "article_id": article_id, "pledge_id": pledge_id, "action": "reject",
            "note": "関係のない記事", "view": "sort=uncertain"}
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys; con = duckdb.connect(sys.argv[1]); "
                               "print('locked', flush=True); sys.stdin.readline()", str(server.db.path)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        busy = client.post("/decide", data=form)
    finally:
        holder.communicate("\n", timeout=10)
    assert busy.status_code == 503 and "もう一度送信する" in busy.text
    again = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', busy.text))
    assert again == form
    sent = client.post("/decide", data=again)
    assert sent.status_code == 303 and sent.headers["location"] == "/queue?sort=uncertain"
    assert server.query("SELECT moderator, action, note FROM decisions") == [("hanako", "reject", "関係のない記事")]
    client.close()
