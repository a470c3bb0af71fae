"""Security of the review app over real HTTP: sessions, CSRF, roles, hostile
article text, SQL-like input, and passwords that never leave argon2."""

from __future__ import annotations

import io
import logging
import re
import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from review_live import PASSWORD, LiveServer, csrf_from, sign_in, signed_in
from review_seed import HOSTILE_TITLE, add_hostile_article

from pledgewatch.cli import main

ANONYMOUS_GETS = ["/", "/queue", "/queue/list", "/pledges/search?q=x", "/search/politicians?q=x",
                  "/search/pledges?q=x", "/relink?article_id=a&pledge_id=takaichi-fiscal", "/pledges/takaichi-fiscal",
                  "/progress", "/audit", "/admin/moderators"]


def _decisions(server: LiveServer) -> list[tuple]:
    return server.query("SELECT moderator, action, article_id, pledge_id FROM decisions ORDER BY id")


def _first_item(server: LiveServer) -> tuple[str, str]:
    return server.query("SELECT article_id, pledge_id FROM v_review_queue ORDER BY score DESC LIMIT 1")[0]


def test_every_page_without_a_session_redirects_to_login(server):
    routes = {path: set(methods) for path, methods in server.app.openapi()["paths"].items()}
    gets = {path for path, methods in routes.items() if "get" in methods}
    assert gets == {"/", "/login", "/queue", "/queue/list", "/pledges/search", "/search/politicians", "/search/pledges",
                    "/relink", "/pledges/{pledge_id}", "/progress", "/audit", "/admin/moderators"}, \
        "a new page needs a line in ANONYMOUS_GETS"
    with httpx.Client(base_url=server.base_url) as client:
        for path in ANONYMOUS_GETS:
            response = client.get(path)
            assert response.status_code == 303, path
            assert response.headers["location"].startswith("/login"), path
        assert client.get("/pledges/takaichi-fiscal").headers["location"] == "/login?next=%2Fpledges%2Ftakaichi-fiscal"
        htmx = client.get("/queue/list", headers={"HX-Request": "true"})
        assert htmx.status_code == 401 and htmx.headers["hx-redirect"] == "/login"
        item = _first_item(server)
        form = {"article_id": item[0], "pledge_id": item[1], "action": "approve", "name": "x", "password": "x" * 12,
                "password2": "x" * 12}
        for path in (p.replace("{name}", "admin") for p, methods in routes.items() if "post" in methods):
            response = client.post(path, data=form)
            if path == "/login":
                assert response.status_code == 403, "the login form needs its CSRF token too"
            else:
                assert response.status_code == 303 and response.headers["location"] == "/login", path
        assert "ログイン" in client.get("/login").text
        assert client.get("/static/htmx.min.js").text.startswith("/*! htmx 2.")
    assert _decisions(server) == []
    assert server.query("SELECT count(*) FROM moderators") == [(3,)]


def test_a_post_without_a_valid_csrf_token_is_refused(server):
    article_id, pledge_id = _first_item(server)
    form = {"article_id": article_id, "pledge_id": pledge_id, "action": "approve"}
    with signed_in(server.base_url, "hanako") as (hanako, token), signed_in(server.base_url, "taro") as (_, other):
        assert hanako.post("/decide", data=form).status_code == 403
        assert hanako.post("/decide", data={**form, "csrf_token": "0" * 64}).status_code == 403
        assert hanako.post("/decide", data={**form, "csrf_token": other}).status_code == 403
        refused = hanako.post("/decide", data=form, headers={"HX-Request": "true", "X-CSRF-Token": other})
        assert refused.status_code == 403 and refused.headers["hx-reswap"] == "none"
        assert hanako.post("/logout").status_code == 403
        assert hanako.get("/queue").status_code == 200, "a refused logout must not end the session"
        assert _decisions(server) == []
        accepted = hanako.post("/decide", data=form, headers={"HX-Request": "true", "X-CSRF-Token": token})
        assert accepted.status_code == 200
    with httpx.Client(base_url=server.base_url) as anonymous:
        anonymous.get("/login")
        assert anonymous.post("/login", data={"name": "hanako", "password": PASSWORD}).status_code == 403
    assert _decisions(server) == [("hanako", "approve", article_id, pledge_id)]


def test_hostile_article_text_is_rendered_inert(server):
    article_id = add_hostile_article(server.db.path)
    with signed_in(server.base_url, "admin") as (client, token):
        page = client.get("/queue")
        assert page.headers["content-security-policy"].startswith("default-src 'self'; script-src 'self'")
        html = page.text
        assert "&lt;script&gt;window.__pwned=1" in html
        for raw in ("<script>window", "<img src=x", "onerror=\"window", "onerror=alert(1)>", "<b onmouseover",
                    'href="javascript:', "href='javascript:"):
            assert raw not in html, raw
        assert re.findall(r"<script[^>]*>", html) == ['<script src="/static/htmx.min.js" defer>',
                                                      '<script src="/static/review.js" defer>']
        client.post("/decide", data={"article_id": article_id, "pledge_id": "takaichi-defense", "action": "approve"},
                    headers={"HX-Request": "true", "X-CSRF-Token": token})
        for path in ("/audit", "/pledges/takaichi-defense", "/queue?outlet=" + HOSTILE_TITLE):
            text = client.get(path).text
            assert "<script>window" not in text and "<img src=x" not in text, path
            assert 'href="javascript:' not in text, path


def test_sql_like_filter_input_cannot_change_a_query(server):
    # "%" is no wildcard: only the pledge with a literal "GDP比2%" in its title matches it
    injections = ["' OR '1'='1", "x'); DROP TABLE decisions; --", "%", "_", "\\", '" OR ""="']
    with signed_in(server.base_url, "admin") as (client, token):
        total = len(server.query("SELECT * FROM v_review_queue"))
        for text in injections:
            for name in ("politician", "pledge", "outlet", "from", "to", "sort"):
                page = client.get("/queue", params={name: text})
                assert page.status_code == 200, (name, text)
                shown = page.text.count('data-state="pending"')
                assert shown == (min(total, 25) if name in ("from", "to", "sort") else 0), (name, text)
            search = client.get("/pledges/search", params={"q": text})
            found = re.findall(r'name="relinked_to" value="([^"]+)"', search.text)
            assert search.status_code == 200 and found == (["takaichi-defense"] if text == "%" else []), text
            assert client.get("/audit", params={"q": text, "moderator": text}).status_code == 200
            decided = client.post("/decide", data={"article_id": text, "pledge_id": text, "action": "approve"},
                                  headers={"HX-Request": "true", "X-CSRF-Token": token})
            assert decided.status_code == 422
    assert len(server.query("SELECT * FROM v_review_queue")) == total
    assert _decisions(server) == []


def test_passwords_are_never_logged_or_stored_in_clear(review_db, accounts, caplog, capfd, monkeypatch):
    secrets = {"wrong": "wrong-password-7f3a9", "new": "fresh-start-password-51c2", "reset": "reset-password-9d0e",
               "cli": "cli-password-a1b2c3"}
    caplog.set_level(logging.DEBUG)
    with LiveServer(review_db, log_level="debug") as server:
        with httpx.Client(base_url=server.base_url) as client:
            form = client.get("/login")
            client.post("/login", data={"csrf_token": csrf_from(form.text), "name": "admin",
                                        "password": secrets["wrong"]})
        with signed_in(server.base_url, "admin") as (admin, token):
            created = admin.post("/admin/moderators", data={
                "csrf_token": token, "name": "newcomer", "password": secrets["new"], "password2": secrets["new"]})
            assert created.status_code == 303
            reset = admin.post("/admin/moderators/newcomer/password", data={
                "csrf_token": token, "password": secrets["reset"], "password2": secrets["reset"]})
            assert reset.status_code == 303
        sign_in(server.base_url, "newcomer", secrets["reset"])[0].close()
    monkeypatch.setattr("sys.stdin", io.StringIO(secrets["cli"] + "\n"))
    assert main(["--db", str(review_db), "moderators", "add", "cliuser", "--password-stdin"]) == 0
    captured = capfd.readouterr()
    logs = caplog.text + captured.out + captured.err
    assert "POST /login" in logs and "POST /admin/moderators" in logs, "the access log was not captured"
    with server.db.reading() as con:
        hashes = [h for (h,) in con.execute("SELECT password_hash FROM moderators").fetchall()]
        texts = []
        for (table,) in con.execute("SELECT table_name FROM duckdb_tables()").fetchall():
            columns = [c for (c,) in con.execute(
                "SELECT column_name FROM duckdb_columns() WHERE table_name = ? AND data_type = 'VARCHAR'",
                [table]).fetchall()]
            for column in columns:
                texts += [v for (v,) in con.execute(f'SELECT "{column}" FROM "{table}"').fetchall() if v]
    raw = review_db.read_bytes()
    wal = review_db.with_name(review_db.name + ".wal")
    raw += wal.read_bytes() if wal.exists() else b""
    for password in (*secrets.values(), PASSWORD):
        assert password not in logs
        assert not any(password in text for text in texts)
        assert password.encode() not in raw
    assert len(hashes) == 5 and all(h.startswith("$argon2id$") for h in hashes)


def test_login_is_throttled_after_repeated_failures(server):
    with httpx.Client(base_url=server.base_url) as client:
        token = csrf_from(client.get("/login").text)
        for _ in range(5):
            failed = client.post("/login", data={"csrf_token": token, "name": "hanako", "password": "guess-guess"})
            assert failed.status_code == 401 and "名前またはパスワードが違います" in failed.text
        blocked = client.post("/login", data={"csrf_token": token, "name": "hanako", "password": PASSWORD})
        assert blocked.status_code == 429 and "15分" in blocked.text
        assert "pw_session" not in blocked.cookies
    sign_in(server.base_url, "taro")[0].close()
    attempts = server.query("SELECT name, succeeded, count(*) FROM login_attempts GROUP BY ALL ORDER BY ALL")
    assert attempts == [("hanako", False, 5), ("taro", True, 1)]


def test_session_cookie_flags_and_logout_really_ends_the_session(server):
    with httpx.Client(base_url=server.base_url) as client:
        token = csrf_from(client.get("/login").text)
        plain = client.post("/login", data={"csrf_token": token, "name": "hanako", "password": PASSWORD})
        cookie = plain.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie
        stolen = client.cookies["pw_session"]
        csrf = csrf_from(client.get("/queue").text)
        assert client.post("/logout", data={"csrf_token": csrf}).headers["location"] == "/login"
    with httpx.Client(base_url=server.base_url, cookies={"pw_session": stolen}) as replay:
        assert replay.get("/queue").headers["location"] == "/login"
    with httpx.Client(base_url=server.base_url) as client:
        token = csrf_from(client.get("/login").text)
        posing = client.post("/login", data={"csrf_token": token, "name": "taro", "password": PASSWORD},
                             headers={"X-Forwarded-Proto": "https"})
        assert "Secure" not in posing.headers["set-cookie"], "only a configured proxy says what is https"
    assert server.query("SELECT count(*) FROM sessions WHERE moderator = 'hanako' AND revoked_at IS NULL") == [(0,)]


def test_the_session_cookie_is_secure_behind_a_configured_https_proxy(review_db, accounts):
    with LiveServer(review_db, trusted_proxies=("127.0.0.1",)) as proxied, \
            httpx.Client(base_url=proxied.base_url) as client:
        token = csrf_from(client.get("/login").text)
        https = client.post("/login", data={"csrf_token": token, "name": "taro", "password": PASSWORD},
                            headers={"X-Forwarded-Proto": "https"})
        assert "Secure" in https.headers["set-cookie"]


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "/\\evil.example"])
def test_login_never_redirects_off_site(server, target):
    with httpx.Client(base_url=server.base_url) as client:
        token = csrf_from(client.get("/login").text)
        response = client.post("/login", data={"csrf_token": token, "name": "hanako", "password": PASSWORD,
                                               "next": target})
        assert response.headers["location"] == "/queue"


def test_moderators_cannot_do_admin_work_and_disabling_ends_sessions(server):
    article_id, pledge_id = _first_item(server)
    with signed_in(server.base_url, "taro") as (taro, taro_token):
        taro.post("/decide", data={"article_id": article_id, "pledge_id": pledge_id, "action": "approve",
                                   "csrf_token": taro_token})
        with signed_in(server.base_url, "hanako") as (hanako, token):
            assert hanako.get("/audit").status_code == 403
            assert hanako.get("/admin/moderators").status_code == 403
            added = hanako.post("/admin/moderators", data={"csrf_token": token, "name": "intruder",
                                                           "password": "x" * 12, "password2": "x" * 12})
            assert added.status_code == 403
            (decision_id,) = server.query("SELECT id FROM decisions")[0]
            undo = hanako.post("/undo", data={"csrf_token": token, "decision_id": str(decision_id),
                                              "back": "audit"})
            assert undo.headers["location"] == "/audit?done=forbidden"
            with signed_in(server.base_url, "admin") as (admin, admin_token):
                assert admin.post("/admin/moderators/hanako/disable",
                                  data={"csrf_token": admin_token}).status_code == 303
                undone = admin.post("/undo", data={"csrf_token": admin_token, "decision_id": str(decision_id),
                                                   "back": "audit"})
                assert undone.headers["location"] == "/audit?done=ok"
                assert "取り消し済み by admin" in admin.get("/audit").text
            assert hanako.get("/queue").headers["location"] == "/login"
    assert server.query("SELECT name FROM moderators WHERE name = 'intruder'") == []
    assert [row[:2] for row in _decisions(server)] == [("taro", "approve"), ("admin", "undo")]


def test_a_moderator_cannot_supersede_anothers_decision_without_an_explicit_logged_override(server):
    article_id, pledge_id = _first_item(server)
    form = {"article_id": article_id, "pledge_id": pledge_id}
    htmx = {"HX-Request": "true"}
    with signed_in(server.base_url, "hanako") as (hanako, token), signed_in(server.base_url, "taro") as (taro, other):
        decided = hanako.post("/decide", data={**form, "action": "approve"}, headers={**htmx, "X-CSRF-Token": token})
        assert decided.status_code == 200
        (first,) = server.query("SELECT id FROM decisions")[0]
        for headers in ({**htmx, "X-CSRF-Token": other}, {}):
            sneaky = taro.post("/decide", data={**form, "action": "reject", "seen": str(first), "csrf_token": other},
                               headers=headers)
            assert sneaky.status_code == 409, sneaky.text
            assert "hanako" in sneaky.text
        assert _decisions(server) == [("hanako", "approve", article_id, pledge_id)]
        # the UI asks: the conflict carries a form that overrides explicitly, naming the decision it replaces
        asked = taro.post("/decide", data={**form, "action": "reject", "seen": str(first)},
                          headers={**htmx, "X-CSRF-Token": other})
        assert 'name="override" value="1"' in asked.text and f'name="seen" value="{first}"' in asked.text
        overridden = taro.post("/decide", data={**form, "action": "reject", "seen": str(first), "override": "1"},
                               headers={**htmx, "X-CSRF-Token": other})
        assert overridden.status_code == 200, overridden.text
    with signed_in(server.base_url, "admin") as (admin, _):
        audit = admin.get("/audit").text
    assert _decisions(server) == [("hanako", "approve", article_id, pledge_id),
                                  ("taro", "reject", article_id, pledge_id)]
    assert server.query("SELECT overrides, previous_action FROM decisions WHERE moderator = 'taro'") == [
        (first, "approve")]
    assert "上書き" in audit


def _login_clients(base_url: str, count: int) -> list[tuple[httpx.Client, str]]:
    clients = []
    for _ in range(count):
        client = httpx.Client(base_url=base_url, timeout=60)
        clients.append((client, csrf_from(client.get("/login").text)))
    return clients


def test_concurrent_wrong_guesses_cannot_race_past_the_name_limit(server):
    clients = _login_clients(server.base_url, 25)
    start = threading.Barrier(len(clients))

    def guess(pair: tuple[httpx.Client, str]) -> int:
        client, token = pair
        start.wait()
        return client.post("/login", data={"csrf_token": token, "name": "hanako", "password": "wrong-guess!"}
                           ).status_code

    try:
        with ThreadPoolExecutor(len(clients)) as pool:
            statuses = sorted(pool.map(guess, clients))
    finally:
        for client, _ in clients:
            client.close()
    assert statuses.count(401) == 5 and statuses.count(429) == 20, statuses
    assert server.query("SELECT count(*) FROM login_attempts WHERE name = 'hanako'") == [(5,)]


def test_forwarded_for_from_anyone_is_ignored(server):
    """40 names guessed with a changing X-Forwarded-For: the real address is throttled after 30."""
    statuses = []
    with httpx.Client(base_url=server.base_url, timeout=60) as client:
        token = csrf_from(client.get("/login").text)
        for number in range(40):
            statuses.append(client.post("/login", data={"csrf_token": token, "name": f"user{number}",
                                                        "password": "wrong-guess!"},
                                        headers={"X-Forwarded-For": f"203.0.113.{number}"}).status_code)
    assert statuses == [401] * 30 + [429] * 10
    assert server.query("SELECT DISTINCT client FROM login_attempts") == [("127.0.0.1",)]


def test_forwarded_headers_count_only_from_a_configured_proxy(review_db, accounts):
    with LiveServer(review_db, trusted_proxies=("127.0.0.1",)) as proxied, \
            httpx.Client(base_url=proxied.base_url, timeout=60) as client:
        token = csrf_from(client.get("/login").text)
        client.post("/login", data={"csrf_token": token, "name": "nobody", "password": "wrong-guess!"},
                    headers={"X-Forwarded-For": "198.51.100.7"})
        assert proxied.query("SELECT client FROM login_attempts") == [("198.51.100.7",)]


def test_an_address_over_its_limit_still_lets_in_names_that_signed_in_from_it(server):
    sign_in(server.base_url, "hanako")[0].close()
    with httpx.Client(base_url=server.base_url, timeout=60) as client:
        token = csrf_from(client.get("/login").text)
        for number in range(30):
            client.post("/login", data={"csrf_token": token, "name": f"user{number}", "password": "wrong-guess!"})
        stranger = client.post("/login", data={"csrf_token": token, "name": "taro", "password": PASSWORD})
        assert stranger.status_code == 429
        colleague = client.post("/login", data={"csrf_token": token, "name": "hanako", "password": PASSWORD})
        assert colleague.status_code == 303
