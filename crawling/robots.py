"""robots.txt per origin, fetched once per crawl and cached."""

from __future__ import annotations

from urllib.robotparser import RobotFileParser


class RobotsRules:
    def __init__(self, text: str | None, user_agent: str) -> None:
        self._agent = user_agent.split("/")[0]
        self._parser: RobotFileParser | None = None
        if text is not None:
            parser = RobotFileParser()
            parser.parse(text.splitlines())
            self._parser = parser

    def allowed(self, url: str) -> bool:
        return self._parser is None or self._parser.can_fetch(self._agent, url)

    @property
    def crawl_delay(self) -> float | None:
        if self._parser is None:
            return None
        delay = self._parser.crawl_delay(self._agent)
        return float(delay) if delay is not None else None

    @classmethod
    def from_response(cls, status: int | None, text: str | None, user_agent: str) -> RobotsRules:
        """Missing robots.txt (4xx) allows everything; an unreachable one (5xx or
        network error) disallows everything for this run, as RFC 9309 asks."""
        if status == 200:
            return cls(text or "", user_agent)
        if status is not None and 400 <= status < 500:
            return cls(None, user_agent)
        return cls("User-agent: *\nDisallow: /\n", user_agent)
