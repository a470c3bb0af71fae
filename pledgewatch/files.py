"""Writing a file whole or not at all."""

from __future__ import annotations

import os
from pathlib import Path


def write_atomic(path: Path | str, data: bytes) -> None:
    """Readers see the old file or the new one, never half of one: a model, a
    candidates file or an export cut short by a full disk or a Ctrl-C would
    look valid. The partial file is removed if writing fails."""
    target = Path(path)
    partial = target.with_name(target.name + ".partial")
    try:
        partial.write_bytes(data)
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
