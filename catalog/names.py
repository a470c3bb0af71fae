"""Lists of common Japanese names (`data/names/`): facts about how names are
distributed, used to keep a bare common surname from crediting anyone and to
draw synthetic catalogs that look like real ones."""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path

NAMES = Path(__file__).resolve().parents[1] / "data" / "names"


def read_names(path: Path) -> tuple[str, ...]:
    """One name a line, most frequent first; `#` starts a comment line."""
    lines = path.read_text(encoding="utf-8").splitlines()
    names = (unicodedata.normalize("NFKC", line.strip()) for line in lines)
    return tuple(dict.fromkeys(n for n in names if n and not n.startswith("#")))


@lru_cache(maxsize=1)
def common_surnames() -> frozenset[str]:
    path = NAMES / "surnames.txt"
    return frozenset(read_names(path)) if path.is_file() else frozenset()
