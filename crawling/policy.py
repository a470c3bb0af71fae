"""How politely and how defensively we fetch (DESIGN §7)."""

from __future__ import annotations

from dataclasses import dataclass

from pledgewatch import settings

CONTACT_URL = settings.contact_url()


@dataclass(frozen=True)
class CrawlPolicy:
    user_agent: str = f"pledgewatch/0.1 (+{CONTACT_URL}; news research for pledge tracking)"
    min_gap_s: float = 1.0
    connect_timeout_s: float = 10.0
    read_timeout_s: float = 20.0
    total_timeout_s: float = 60.0
    max_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 5
    max_retries: int = 2
    backoff_base_s: float = 0.5
    max_retry_after_s: float = 120.0
    max_connections: int = 32
    respect_robots: bool = True
    allow_local: bool = False
    parse_timeout_s: float = 20.0
    parse_workers: int = 2
