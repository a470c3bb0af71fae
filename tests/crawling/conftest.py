"""A fault-injection web server on 127.0.0.1: one path per failure the crawler
must survive, plus feeds that link to them."""

from __future__ import annotations

import gzip
import threading
import time
from collections import Counter
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from demosite.http import LoopbackHandler

ARTICLE = """<!DOCTYPE html><html lang="ja"><head><meta charset="{charset}"><title>{title}｜テスト新聞</title>
<meta property="og:site_name" content="テスト新聞"></head><body><nav><a href="/">トップ</a><a href="/p">政治</a></nav>
<article><h1>{title}</h1><time datetime="2026-03-05T09:00:00+09:00">2026年3月5日 午前9時</time>
<div class="body"><p>{title}について、政府は5日、関係閣僚会議を開き、今後の対応を協議した。首相は会議の冒頭、
「国民の生活を守るため、あらゆる手段を講じる」と述べ、関係省庁に具体策の取りまとめを指示した。</p>
<p>会議では、財源の確保や実施時期について意見が交わされた。与党内からは早期の実施を求める声が上がる一方、
財政規律を重視する立場からは慎重な検討を求める意見も出た。政府は来月中にも方針を決める。</p>
<p>野党は「対応が遅すぎる」と批判しており、国会審議でも論点となりそうだ。</p></div></article>
<footer>Copyright テスト新聞</footer></body></html>"""

Response = tuple[int, dict[str, str], bytes | Callable[[BaseHTTPRequestHandler], None]]


def article(title: str, charset: str = "utf-8") -> bytes:
    return ARTICLE.format(title=title, charset=charset).encode(charset)


def rss(base: str, paths: list[str], encoding: str = "utf-8") -> bytes:
    items = "".join(
        f"<item><title>記事{i}</title><link>{p if p.startswith('http') or not p.startswith('/') else base + p}</link>"
        f"<pubDate>Thu, 05 Mar 2026 09:00:00 +0900</pubDate></item>"
        for i, p in enumerate(paths)
    )
    return (f'<?xml version="1.0" encoding="{encoding}"?><rss version="2.0"><channel><title>テスト</title>'
            f"<link>{base}/</link>{items}</channel></rss>").encode(encoding)


class FaultServer:
    """Routes map a path to a function of (server, request count) returning
    (status, headers, body); a callable body streams itself."""

    def __init__(self) -> None:
        self.routes: dict[str, Callable[[FaultServer, int], Response]] = {}
        self.requests: Counter[str] = Counter()
        self.times: dict[str, list[float]] = {}
        self._lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def route(self, path: str, fn: Callable[[FaultServer, int], Response]) -> None:
        self.routes[path] = fn

    def page(self, path: str, title: str, **headers: str) -> None:
        self.route(path, lambda s, n: (200, {"Content-Type": "text/html; charset=utf-8", **headers}, article(title)))

    def feed(self, path: str, paths: list[str]) -> None:
        self.route(path, lambda s, n: (200, {"Content-Type": "application/rss+xml"}, rss(s.base, paths)))


def _handler(server: FaultServer) -> type[LoopbackHandler]:
    class Handler(LoopbackHandler):
        def do_GET(self) -> None:
            path = self.path
            with server._lock:
                server.requests[path] += 1
                server.times.setdefault(path, []).append(time.monotonic())
                count = server.requests[path]
            fn = server.routes.get(path)
            status, headers, body = fn(server, count) if fn else (404, {"Content-Type": "text/plain"}, b"not found")
            if callable(body):
                body(self)
                return
            self.send(status, headers, body)

    return Handler


@pytest.fixture
def fault_server():
    server = FaultServer()
    server.route("/robots.txt", lambda s, n: (200, {"Content-Type": "text/plain"},
                                               b"User-agent: *\nDisallow: /private/\nCrawl-delay: 0\n"))
    server.thread.start()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


def gzip_bomb(size: int) -> bytes:
    return gzip.compress(b"\0" * size, compresslevel=9)
