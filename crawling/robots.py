"""robots.txt per origin, fetched once per crawl and cached."""

from __future__ import annotations

from urllib.robotparser import RobotFileParser


class RobotsRules:
    def __init__(self, text: str | None, user_agent: str) -> None:
        self._agent = user_agent.split("/")[0]
        self._parser: RobotFileParser | None = None
        self._delay: float | None = None
        if text is not None:
            parser = RobotFileParser()
            parser.parse(text.splitlines())
            self._parser = parser
            self._delay = _crawl_delay(text, self._agent)

    def allowed(self, url: str) -> bool:
        return self._parser is None or self._parser.can_fetch(self._agent, url)

    @property
    def crawl_delay(self) -> float | None:
        return self._delay

    @classmethod
    def from_response(cls, status: int | None, text: str | None, user_agent: str) -> RobotsRules:
        """Missing robots.txt (4xx) allows everything; an unreachable one (5xx or
        network error) disallows everything for this run, as RFC 9309 asks."""
        if status == 200:
            return cls(text or "", user_agent)
        if status is not None and 400 <= status < 500:
            return cls(None, user_agent)
        return cls("User-agent: *\nDisallow: /\n", user_agent)


def _crawl_delay(text: str, agent: str) -> float | None:
    """The stdlib parser drops fractional delays ("Crawl-delay: 0.5"), which
    sites do use; our own group's value wins over the '*' group's."""
    delays: dict[str, float] = {}
    agents: list[str] = []
    in_rules = False
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if ":" not in line:
            continue
        key, value = (part.strip() for part in line.split(":", 1))
        key = key.lower()
        if key == "user-agent":
            if in_rules:
                agents, in_rules = [], False
            agents.append(value.lower())
            continue
        in_rules = True
        if key == "crawl-delay":
            try:
                delay = float(value)
            except ValueError:
                continue
            for name in agents:
                delays.setdefault(name, delay)
    return delays.get(agent.lower(), delays.get("*"))
