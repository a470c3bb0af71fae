"""Shape checks for data/offices.toml, the who-held-which-office knowledge base.

A wrong or overlapping date would credit an act to the wrong politician, so the
file is checked for the invariants the crediting step relies on.
"""

import itertools
import tomllib
from datetime import date
from pathlib import Path

import pytest

OFFICES_FILE = Path(__file__).resolve().parents[2] / "data" / "offices.toml"
OPEN_END = date.max


def _load() -> dict:
    with OFFICES_FILE.open("rb") as handle:
        return tomllib.load(handle)


DATA = _load()
OFFICES = DATA["offices"]


def _label(office: dict) -> str:
    return f"{office.get('organization')} {office.get('title')}"


def _span(holder: dict) -> tuple[date, date]:
    start = date.fromisoformat(holder["start"])
    end = date.fromisoformat(holder["end"]) if "end" in holder else OPEN_END
    return start, end


@pytest.mark.parametrize("office", OFFICES, ids=_label)
def test_office_has_required_fields(office: dict) -> None:
    for key in ("title", "organization", "region"):
        assert isinstance(office.get(key), str) and office[key], key
    assert office.get("bodies") and all(isinstance(b, str) and b for b in office["bodies"])
    assert all(isinstance(a, str) and a for a in office.get("aliases", []))
    assert office.get("holders"), "an office lists at least one holder"


@pytest.mark.parametrize("office", OFFICES, ids=_label)
def test_holders_have_name_and_valid_span(office: dict) -> None:
    for holder in office["holders"]:
        assert isinstance(holder.get("name"), str) and holder["name"], holder
        assert " " not in holder["name"] and "\u3000" not in holder["name"], holder
        start, end = _span(holder)
        assert start <= end, holder


@pytest.mark.parametrize("office", OFFICES, ids=_label)
def test_holders_in_time_order_without_overlap(office: dict) -> None:
    spans = [_span(holder) for holder in office["holders"]]
    starts = [start for start, _ in spans]
    assert starts == sorted(starts), "holders are listed in time order"
    if office.get("concurrent"):
        return
    for (_, earlier_end), (later_start, _) in itertools.pairwise(spans):
        assert earlier_end <= later_start, f"{_label(office)}: terms overlap"


def test_party_names_unique_and_holders_use_them() -> None:
    names = [party["name"] for party in DATA["parties"]]
    assert len(names) == len(set(names))
    used = {h["party"] for office in OFFICES for h in office["holders"] if "party" in h}
    assert used <= set(names), used - set(names)


def test_office_identity_unique() -> None:
    keys = [(o["organization"], o["title"]) for o in OFFICES]
    assert len(keys) == len(set(keys))


def test_government_bodies_are_distinct_names_and_a_broken_list_is_named(tmp_path: Path) -> None:
    from catalog.load import CatalogError
    from catalog.offices import load_offices

    bodies = DATA["government"]["bodies"]
    assert len(bodies) == len(set(bodies)) and all(b.strip() for b in bodies)
    broken = tmp_path / "offices.toml"
    broken.write_text(OFFICES_FILE.read_text(encoding="utf-8").replace('"気象庁",', '"",'), encoding="utf-8")
    with pytest.raises(CatalogError, match=r"government\.bodies"):
        load_offices(broken)
