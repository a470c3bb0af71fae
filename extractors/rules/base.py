"""Declarative per-outlet rules.

A rule names where an outlet keeps its article text, how it decorates
titles and where it states the publication time. Rules are versioned:
when an outlet changes its layout, add `FooV2` next to `FooV1` instead of
editing it, so pages saved under the old layout keep extracting.
"""

from __future__ import annotations

import re
from typing import ClassVar


class OutletRule:
    """Subclass and set the class attributes; instances carry no state.

    date_source entries are tried in order: "jsonld", "meta" (published
    metadata), "time" (<time datetime>), "meta:<name>" (one <meta>),
    "css:<selector>" (text, or the datetime/content attribute, of the first match).
    """

    name: ClassVar[str]
    version: ClassVar[int]
    outlet: ClassVar[str]
    hosts: ClassVar[tuple[str, ...]]
    body: ClassVar[tuple[str, ...]]  # container selectors, first that matches wins
    exclude: ClassVar[tuple[str, ...]] = ()  # removed inside the container
    title_suffix: ClassVar[str | None] = None
    date_source: ClassVar[tuple[str, ...]] = ("jsonld", "meta", "time")

    @property
    def id(self) -> str:
        return f"{self.name}@{self.version}"

    @property
    def suffix_pattern(self) -> re.Pattern | None:
        return re.compile(self.title_suffix) if self.title_suffix else None

    def __repr__(self) -> str:
        return f"<OutletRule {self.id}>"
