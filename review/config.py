"""What the review app needs to run: the database file, the key that signs its
tokens, and the few limits worth changing in one place."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from pledgewatch import settings
from pledgewatch.settings import SECRET_ENV


@dataclass(frozen=True)
class ReviewConfig:
    db: Path
    secret: bytes = field(repr=False)
    session_lifetime: timedelta = timedelta(hours=12)
    page_size: int = 25
    throttle_window: timedelta = timedelta(minutes=15)
    max_failures_per_name: int = 5
    max_failures_per_client: int = 30
    known_address_for: timedelta = timedelta(days=30)
    # Addresses of reverse proxies whose X-Forwarded-For/-Proto are believed;
    # from anyone else those headers are ignored ($PLEDGEWATCH_TRUSTED_PROXIES).
    trusted_proxies: tuple[str, ...] = ()
    # Labels are Japanese only; with this on, each also shows an English gloss
    # ($PLEDGEWATCH_REVIEW_ENGLISH=1).
    english: bool = False


def english_from_env() -> bool:
    return settings.review_english()


def trusted_proxies_from_env() -> tuple[str, ...]:
    """PLEDGEWATCH_TRUSTED_PROXIES: comma-separated addresses or networks."""
    return settings.trusted_proxies()


def load_secret_key(db: Path) -> bytes:
    """PLEDGEWATCH_SECRET_KEY, or a key generated once beside the database
    (var/secret_key by default, mode 0600) so sessions survive a restart without
    anyone having to invent a secret."""
    configured = settings.secret_key()
    if configured:
        if len(configured) < 32:
            raise ValueError(f"{SECRET_ENV} must be at least 32 characters long")
        return configured.encode()
    path = db.parent / "secret_key"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes().strip()
    key = os.urandom(32).hex().encode()
    with os.fdopen(fd, "wb") as handle:
        handle.write(key + b"\n")
    return key
