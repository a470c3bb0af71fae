"""Serving the demo news site on loopback, with validators (ETag /
Last-Modified → 304), per-outlet encodings and the faults of site.toml."""

from __future__ import annotations

import hashlib
import threading
from collections import Counter
from email.utils import format_datetime
from http.server import ThreadingHTTPServer
from pathlib import Path

from demosite.http import LoopbackHandler
from demosite.render import FEED_PATHS, render_article, render_feed
from demosite.site import DemoSite, load_site

FEED_TYPES = {"rss2": "application/rss+xml", "atom": "application/atom+xml", "rdf": "application/rdf+xml",
              "sitemap": "application/xml"}
SITE_ROOT = Path(__file__).resolve().parent.parent / "data" / "demo_site"
STABLE_LAST_MODIFIED = "Mon, 02 Nov 2026 00:00:00 GMT"


class DemoServer:
    """`with DemoServer() as server:` serves until the block ends; `server.requests`
    counts requests per path so tests can see what a crawl really fetched."""

    def __init__(self, root: Path | str = SITE_ROOT, host: str = "127.0.0.1", port: int = 0) -> None:
        self.site = load_site(root)
        self.requests: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer((host, port), _handler(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="demo-site", daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> DemoServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def count(self, path: str) -> None:
        with self._lock:
            self.requests[path] += 1

    def respond(self, path: str) -> tuple[int, dict[str, str], bytes]:
        """(status, headers, body) for a path; depends only on the path and on how
        often it was requested."""
        site: DemoSite = self.site
        for fault in site.faults:
            if fault.kind == "server_error" and path.endswith(f"/{fault.article}.html") \
                    and self.requests[path] <= fault.fail_times:
                return 500, {"Content-Type": "text/html; charset=utf-8"}, b"<h1>500 Internal Server Error</h1>"
        if path == "/robots.txt":
            lines = ["User-agent: *", *[f"Disallow: {p}" for p in site.robots_disallow], ""]
            return 200, {"Content-Type": "text/plain; charset=utf-8"}, "\n".join(lines).encode()
        for fault in site.faults:
            if fault.path == path:
                if fault.kind == "not_found":
                    page = "<h1>404 ページが見つかりません</h1>".encode()
                    return 404, {"Content-Type": "text/html; charset=utf-8"}, page
                if fault.kind == "redirect":
                    target = next(a.path for a in site.articles if a.id == fault.article)
                    return 301, {"Location": target}, b""
                if fault.kind == "robots":
                    return 200, {"Content-Type": "text/html; charset=utf-8"}, "<h1>会員限定記事</h1>".encode()
        parts = path.strip("/").split("/")
        outlet = next((o for o in site.outlets if parts and o.slug == parts[0]), None)
        if outlet is None:
            return 404, {"Content-Type": "text/plain"}, b"not found"
        if len(parts) == 2 and parts[1] == FEED_PATHS[outlet.feed]:
            body = render_feed(site, outlet, self.base_url).encode(outlet.encoding, errors="xmlcharrefreplace")
            return 200, {"Content-Type": self._content_type(FEED_TYPES[outlet.feed], outlet.encoding)}, body
        if len(parts) == 3 and parts[1] == "articles" and parts[2].endswith(".html"):
            article = next((a for a in site.articles if a.id == parts[2][:-5] and a.outlet == outlet.slug), None)
            if article is None:
                return 404, {"Content-Type": "text/html; charset=utf-8"}, b"<h1>404</h1>"
            body = render_article(site, article, self.base_url).encode(outlet.encoding, errors="xmlcharrefreplace")
            if any(f.kind == "truncated" and f.article == article.id for f in site.faults):
                body = body[: int(len(body) * 0.55)]
            headers = {
                "Content-Type": self._content_type("text/html", outlet.encoding),
                "Last-Modified": format_datetime(article.published, usegmt=False),
            }
            return 200, headers, body
        return 404, {"Content-Type": "text/plain"}, b"not found"

    @staticmethod
    def _content_type(kind: str, encoding: str) -> str:
        """EUC-JP pages send no charset in the header, as many old sites do, so the
        crawler must find it in the document itself."""
        return kind if encoding == "euc-jp" else f"{kind}; charset={encoding}"


def _handler(server: DemoServer) -> type[LoopbackHandler]:
    class Handler(LoopbackHandler):
        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            server.count(path)
            status, headers, body = server.respond(path)
            etag = f'"{hashlib.sha256(body).hexdigest()[:20]}"' if status == 200 else None
            if etag and self.headers.get("If-None-Match") == etag:
                self.send(304, {"ETag": etag}, b"")
                return
            if etag:
                headers = {"ETag": etag, "Last-Modified": STABLE_LAST_MODIFIED, **headers}
            self.send(status, headers, body)

    return Handler
