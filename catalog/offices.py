"""Who held which office when (`data/offices.toml`), as roles for the catalog.

A pledges file names a politician and nothing else, and an article often names
only the office or the body acting for it (「政府は」「官房長官は」「県は」「維新は」).
The office book is general knowledge of Japanese public offices and parties,
tied to no pledge: it gives a name-only politician the roles their name held,
a party its short names, and the prime minister of each date the cabinet,
the chief cabinet secretary and the ministries and agencies that act for them.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from pathlib import Path

from catalog.files import parse_toml
from catalog.load import CatalogError
from catalog.model import Catalog, Politician, Role

DEFAULT_OFFICES = Path(__file__).resolve().parents[1] / "data" / "offices.toml"
PRIME_MINISTER = "内閣総理大臣"
# A party's leader acts for the party: the party's names are bodies of the post.
LEADER_TITLES = frozenset({"総裁", "代表", "共同代表", "委員長", "党首"})


@dataclass(frozen=True)
class Holding:
    name: str
    role: Role
    reading: str | None = None
    party: str | None = None


@dataclass(frozen=True)
class OfficeBook:
    holdings: tuple[Holding, ...]
    parties: dict[str, tuple[str, ...]]  # party name → short names

    def roles_of(self, name: str) -> tuple[Role, ...]:
        key = _key(name)
        return tuple(h.role for h in self.holdings if _key(h.name) == key)

    def party_names(self, name: str) -> tuple[str, ...]:
        """The party's full name and short names, whichever of them `name` is."""
        key = _key(name)
        for full, aliases in self.parties.items():
            if key in {_key(full), *map(_key, aliases)}:
                return (full, *aliases)
        return (name,)

    def people(self) -> tuple[Politician, ...]:
        """Every office holder as a politician with roles and no pledges: the
        recogniser knows who else acts in an article and when it was written."""
        by_name: dict[str, list[Holding]] = {}
        for holding in self.holdings:
            by_name.setdefault(_key(holding.name), []).append(holding)
        return tuple(
            Politician(id=f"office:{key}", name=held[0].name, reading=held[0].reading, party=held[0].party,
                       roles=tuple(h.role for h in held))
            for key, held in by_name.items()
        )


def _key(name: str) -> str:
    return unicodedata.normalize("NFKC", name).replace(" ", "").replace("\u3000", "")


def _cabinet_bodies(raw: dict, path: Path) -> tuple[str, ...]:
    """The national ministries and agencies: each acts for the prime minister of
    its date, whether the book names its minister (国's 省 and 庁 offices) or not
    (`[government] bodies`, such as 気象庁 and 内閣府)."""
    ministries = (
        body for office in raw.get("offices", [])
        if office.get("region") == "国" and str(office.get("organization", "")).endswith(("省", "庁"))
        for body in (office["organization"], *office.get("bodies", ()))
    )
    government = raw.get("government", {})
    bodies = government.get("bodies", []) if isinstance(government, dict) else None
    if not isinstance(bodies, list) or not all(isinstance(b, str) and b.strip() for b in bodies):
        raise CatalogError(path, None, "government.bodies", "must be a list of non-empty strings")
    return tuple(dict.fromkeys((*ministries, *bodies)))


def load_offices(path: Path | str = DEFAULT_OFFICES) -> OfficeBook:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CatalogError(path, None, "file", "not found") from None
    raw = parse_toml(text, path, CatalogError)
    parties = {p["name"]: tuple(p.get("aliases", ())) for p in raw.get("parties", [])}
    offices = raw.get("offices", [])
    cabinet_bodies = _cabinet_bodies(raw, path)
    holdings = []
    for number, office in enumerate(offices):
        title = office.get("title")
        if not isinstance(title, str) or not office.get("holders"):
            raise CatalogError(path, None, f"offices[{number}]", "needs a title and holders")
        organization = office.get("organization")
        bodies = tuple(office.get("bodies", ()))
        if title == PRIME_MINISTER:
            bodies += ("官房長官", "閣議", "閣議決定", *cabinet_bodies)
        if title in LEADER_TITLES and organization in parties:
            bodies += (organization, *parties[organization])
        for holder in office["holders"]:
            role = Role(
                title=title,
                organization=organization,
                start=_date(holder.get("start")),
                end=_date(holder.get("end")),
                bodies=tuple(dict.fromkeys(bodies)),
                aliases=tuple(office.get("aliases", ())),
                region=office.get("region"),
            )
            holdings.append(Holding(holder["name"], role, holder.get("reading"), holder.get("party")))
    return OfficeBook(tuple(holdings), parties)


def _date(value: object) -> date | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


@lru_cache(maxsize=4)
def default_offices() -> OfficeBook | None:
    """The shipped office book, or None where the file is absent (a trimmed install)."""
    return load_offices(DEFAULT_OFFICES) if DEFAULT_OFFICES.is_file() else None


def with_offices(catalog: Catalog, book: OfficeBook | None) -> Catalog:
    """Politicians the catalog gives no roles get the roles their name held;
    parties get their short names. A catalog's own roles always win."""
    if book is None:
        return catalog
    politicians = []
    for politician in catalog.politicians:
        if politician.is_party:
            names = book.party_names(politician.name)
            aliases = tuple(dict.fromkeys((*politician.aliases, *(n for n in names if n != politician.name))))
            politicians.append(replace(politician, aliases=aliases))
        elif not politician.roles and (roles := book.roles_of(politician.name)):
            politicians.append(replace(politician, roles=roles))
        else:
            politicians.append(politician)
    return Catalog(politicians=tuple(politicians), pledges=catalog.pledges)

