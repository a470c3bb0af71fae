"""The pledge catalog as plain immutable data.

Every later stage (recognition, scoring, review) reads these records, so they
carry only what the catalog file states; derived lookups live on `Catalog`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Role:
    """An office held for a time; it lets an article that says only 首相 or 知事
    be attributed to whoever held the office on the article's date."""

    title: str
    organization: str | None = None
    start: date | None = None
    end: date | None = None
    bodies: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    region: str | None = None  # the prefecture (or 国) the office is in: tells 同姓同名 apart

    def covers(self, day: date | None) -> bool:
        if day is None:
            return self.end is None
        if self.start is not None and day < self.start:
            return False
        return not (self.end is not None and day > self.end)


PERSON = "person"
PARTY = "party"


@dataclass(frozen=True)
class Politician:
    """A pledge's owner: a person, or a party (`kind` PARTY) whose pledges are
    its manifesto items and whose acts are its leader's, its organs' and its own."""

    id: str
    name: str
    reading: str | None = None
    aliases: tuple[str, ...] = ()
    party: str | None = None
    roles: tuple[Role, ...] = ()
    kind: str = PERSON

    @property
    def is_party(self) -> bool:
        return self.kind == PARTY

    @property
    def surname(self) -> str:
        """Japanese names in the catalog are written without a space; an explicit
        alias list wins, otherwise the first two characters are the usual surname."""
        for alias in self.aliases:
            if self.name.startswith(alias) and alias != self.name:
                return alias
        return self.name[:2]


@dataclass(frozen=True)
class Pledge:
    id: str
    politician_id: str
    title: str
    description: str = ""
    keywords: tuple[str, ...] = ()
    made_on: date | None = None
    source_url: str | None = None


@dataclass(frozen=True)
class Catalog:
    politicians: tuple[Politician, ...]
    pledges: tuple[Pledge, ...]
    _by_id: dict[str, Politician] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_id.update({p.id: p for p in self.politicians})

    def politician(self, politician_id: str) -> Politician:
        return self._by_id[politician_id]

    def pledges_of(self, politician_id: str) -> list[Pledge]:
        return [p for p in self.pledges if p.politician_id == politician_id]
