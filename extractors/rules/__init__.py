"""Registry of outlet rules by host name; newer versions of a rule are tried first."""

from __future__ import annotations

from urllib.parse import urlsplit

from .asahi import AsahiV1
from .base import OutletRule
from .chunichi import ChunichiV1
from .jiji import JijiV1
from .kyodo import KyodoV1
from .mainichi import MainichiV1
from .nhk import NhkV1
from .nikkei import NikkeiV1
from .sankei import SankeiV1
from .tokyo_np import TokyoNpV1
from .yomiuri import YomiuriV1

RULE_CLASSES: tuple[type[OutletRule], ...] = (
    AsahiV1, YomiuriV1, MainichiV1, SankeiV1, NikkeiV1, TokyoNpV1, ChunichiV1, NhkV1,
    JijiV1, KyodoV1,
)  # fmt: skip


def _build_registry() -> dict[str, list[OutletRule]]:
    registry: dict[str, list[OutletRule]] = {}
    for cls in RULE_CLASSES:
        for host in cls.hosts:
            registry.setdefault(host, []).append(cls())
    for rules in registry.values():
        rules.sort(key=lambda rule: rule.version, reverse=True)
    return registry


REGISTRY = _build_registry()


def rules_for(url: str | None) -> list[OutletRule]:
    """All versions registered for the URL's exact host, newest first."""
    if not url:
        return []
    try:
        host = (urlsplit(url).hostname or "").rstrip(".")
    except ValueError:
        return []
    return REGISTRY.get(host, [])


def rule_for(url: str | None) -> OutletRule | None:
    rules = rules_for(url)
    return rules[0] if rules else None


__all__ = ["REGISTRY", "OutletRule", "rule_for", "rules_for"]
