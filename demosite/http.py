"""The request handler every loopback test server here builds on: the demo
site, the crawler's fault-injection server and the benchmarks' news servers."""

from __future__ import annotations

import socket
from http.server import BaseHTTPRequestHandler


class LoopbackHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self) -> None:
        """Headers and body go out in two writes; without TCP_NODELAY each
        response waits ~40 ms on the client's delayed ACK."""
        super().setup()
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def send(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: tests and benchmarks count requests themselves."""
