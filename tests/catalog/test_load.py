from pathlib import Path

import pytest

from catalog.load import CatalogError, load_catalog, load_pledges_jsonl

ROOT = Path(__file__).resolve().parents[2]
GOOD = """
[[politicians]]
id = "a"
name = "山田太郎"
aliases = ["山田"]

[[politicians.roles]]
title = "知事"
start = 2020-01-01

[[pledges]]
id = "a-1"
politician = "a"
title = "県立高校を無償化する"
"""


def test_shipped_catalog_loads():
    catalog = load_catalog(ROOT / "data" / "pledges.toml")
    assert len(catalog.politicians) >= 8 and len(catalog.pledges) >= 25
    takaichi = catalog.politician("takaichi-sanae")
    assert takaichi.surname == "高市"
    prime_minister = takaichi.roles[0]
    assert prime_minister.title == "首相" and prime_minister.covers(prime_minister.start)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "pledges.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("change", "line", "field"),
    [
        (('politician = "a"', 'politician = "b"'), 13, "pledges[0].politician"),
        (("start = 2020-01-01", 'start = "last year"'), 9, "politicians.roles[0].start"),
        (('title = "県立高校を無償化する"', "title = 42"), 14, "pledges[0].title"),
        (('id = "a-1"', 'id = "A 1"'), 12, "pledges[0].id"),
    ],
)
def test_broken_catalog_names_file_line_and_field(tmp_path, change, line, field):
    path = write(tmp_path, GOOD.replace(*change))
    with pytest.raises(CatalogError) as error:
        load_catalog(path)
    assert str(error.value).startswith(f"{path}:{line}: {field}:")


def test_syntax_error_names_the_line(tmp_path):
    path = write(tmp_path, GOOD.replace('name = "山田太郎"', 'name = "山田太郎'))
    with pytest.raises(CatalogError, match=r"pledges.toml:4: syntax"):
        load_catalog(path)


def test_duplicate_pledge_id(tmp_path):
    path = write(tmp_path, GOOD + GOOD.split("[[pledges]]")[1].join(["[[pledges]]", ""]))
    with pytest.raises(CatalogError, match="duplicate id 'a-1'"):
        load_catalog(path)


def test_pledges_jsonl_errors_carry_line_numbers(tmp_path):
    path = tmp_path / "p.jsonl"
    path.write_text('{"id": "p1", "politician": "高市早苗", "title": "日米同盟"}\n{"id": "p2", "title": ""}\n',
                    encoding="utf-8")
    with pytest.raises(CatalogError, match=r"p.jsonl:2: politician"):
        load_pledges_jsonl(path)
    path.write_text('{"id": "p1", "politician": "高市早苗", "title": "日米同盟"}\n{oops\n', encoding="utf-8")
    with pytest.raises(CatalogError, match=r"p.jsonl:2: json"):
        load_pledges_jsonl(path)


def test_pledges_jsonl_party_owner_and_bad_lines_reported_one_by_one(tmp_path):
    path = tmp_path / "p.jsonl"
    path.write_text(
        '{"id": "p1", "politician": "高市早苗", "party": "自由民主党", "title": "日米同盟"}\n'
        '{"id": "p2", "politician": "", "party": "自由民主党", "title": "女性議員を3割に"}\n'
        '{"id": "p3", "title": "持ち主のない公約"}\n'
        '{"id": "p4", "party": "自由民主党", "title": "政策活動費の透明化"}\n',
        encoding="utf-8",
    )
    with pytest.raises(CatalogError, match=r"p.jsonl:3: politician: a pledge needs a politician"):
        load_pledges_jsonl(path)
    errors = []
    catalog = load_pledges_jsonl(path, on_error=errors.append)
    assert [str(e).split(": ")[0] for e in errors] == [f"{path}:3"]
    assert [p.id for p in catalog.pledges] == ["p1", "p2", "p4"]
    party = catalog.politician(catalog.pledges[1].politician_id)
    assert party.is_party and party.name == "自由民主党"
    assert catalog.pledges[2].politician_id == party.id
    person = catalog.politician("高市早苗")
    assert not person.is_party and person.party == "自由民主党"


def test_toml_party_pledges(tmp_path):
    text = GOOD + '\n[[parties]]\nid = "ishin"\nname = "日本維新の会"\naliases = ["維新"]\n\n' \
        '[[pledges]]\nid = "ishin-1"\nparty = "ishin"\ntitle = "副首都をつくる"\n'
    catalog = load_catalog(write(tmp_path, text))
    pledge = next(p for p in catalog.pledges if p.id == "ishin-1")
    owner = catalog.politician(pledge.politician_id)
    assert owner.is_party and owner.aliases == ("維新",)
    with pytest.raises(CatalogError, match="unknown party 'nope'"):
        load_catalog(write(tmp_path, text.replace('party = "ishin"', 'party = "nope"')))
