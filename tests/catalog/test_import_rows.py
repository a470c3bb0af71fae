"""`pledgewatch catalog import` of CSV, JSONL and TOML rows into real DuckDB files (issue 14, item 1)."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from catalog.rows import ROW_FIELDS, read_catalog_file
from pledgewatch.cli import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "data" / "catalog_examples"


def rows_csv(path: Path, rows: list[dict], header: tuple[str, ...] = ROW_FIELDS, encoding: str = "utf-8") -> Path:
    lines = [",".join(header)]
    lines += [",".join(str(row.get(column, "")) for column in header) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding=encoding)
    return path


def pledge_row(n: int, **extra) -> dict:
    return {"pledge_id": f"p-{n}", "title": f"公約その{n}を実現する", "politician_id": "kawase",
            "politician": "川瀬美緒", **extra}


def query(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.mark.parametrize("suffix", ["csv", "jsonl", "toml"])
def test_the_example_files_import_with_offices_and_parties(tmp_path, capsys, suffix):
    db = tmp_path / "pw.duckdb"
    assert main(["--db", str(db), "catalog", "import", str(EXAMPLES / f"pledges.{suffix}")]) == 0
    out = capsys.readouterr().out
    assert "rejected 0" in out and "retired 0" in out
    roles = json.loads(query(db, "SELECT roles FROM politicians WHERE id = 'ex-kawase-mio'")[0][0])
    assert roles[0]["title"] == "知事" and roles[0]["organization"] == "千葉県" and roles[0]["region"] == "千葉県"
    assert "県" in roles[0]["bodies"] and "千葉県知事" in roles[0]["aliases"]
    speaker = json.loads(query(db, "SELECT roles FROM politicians WHERE id = 'ex-tobe-ken'")[0][0])
    assert "議長" in {r["title"] for r in speaker}


def test_a_bad_row_names_file_line_field_and_is_skipped_alone(tmp_path, capsys):
    path = rows_csv(tmp_path / "pledges.csv", [
        pledge_row(1, office="知事", organization="千葉県"),
        pledge_row(2, made_on="last year"),
        pledge_row(3, politician="川瀬みお"),
        pledge_row(4, office="市長", organization="千葉県"),
        pledge_row(5, politician_id="Kawase 2"),
        pledge_row(6),
    ])
    db = tmp_path / "pw.duckdb"
    assert main(["--db", str(db), "catalog", "import", str(path)]) == 1
    captured = capsys.readouterr()
    errors = [line for line in captured.err.splitlines() if line.startswith("rejected ")]
    assert errors == [
        f"rejected {path}:3: made_on: must be a date like 2025-10-21, got 'last year'",
        f"rejected {path}:4: politician: 'kawase' has name '川瀬美緒' on line 2, here '川瀬みお'",
        f"rejected {path}:5: office: a 市長 or deputy needs an organization ending in 市 (such as 横浜市), "
        "got '千葉県'",
        f"rejected {path}:6: politician_id: 'Kawase 2' must be lower-case letters, digits, '-', '_' or '.'",
    ]
    assert "added 2, changed 0, unchanged 0, retired 0, rejected 4" in captured.out
    assert [r[0] for r in query(db, "SELECT id FROM pledges ORDER BY id")] == ["p-1", "p-6"]


def test_a_missing_pledge_is_retired_and_keeps_its_decisions(tmp_path, capsys):
    db = tmp_path / "pw.duckdb"
    first = rows_csv(tmp_path / "first.csv", [pledge_row(n) for n in (1, 2, 3)])
    assert main(["--db", str(db), "catalog", "import", str(first)]) == 0
    assert "added 3, changed 0, unchanged 0, retired 0, rejected 0" in capsys.readouterr().out
    con = duckdb.connect(str(db))
    con.execute("INSERT INTO decisions (article_id, pledge_id, action, moderator, decided_at) "
                "VALUES ('a1', 'p-3', 'approve', 'hanako', now())")
    con.close()

    second = rows_csv(tmp_path / "second.csv", [pledge_row(1), pledge_row(2, title="公約その2を改める")])
    assert main(["--db", str(db), "catalog", "import", str(second)]) == 0
    assert "added 0, changed 1, unchanged 1, retired 1, rejected 0" in capsys.readouterr().out
    state = dict(query(db, "SELECT id, retired_at IS NOT NULL FROM pledges"))
    assert state == {"p-1": False, "p-2": False, "p-3": True}
    assert query(db, "SELECT pledge_id FROM decisions") == [("p-3",)]

    assert main(["--db", str(db), "catalog", "import", str(first)]) == 0
    assert "added 0, changed 2, unchanged 1, retired 0, rejected 0" in capsys.readouterr().out
    assert query(db, "SELECT count(*) FROM pledges WHERE retired_at IS NOT NULL") == [(0,)]


def test_a_rejected_row_retires_nothing(tmp_path, capsys):
    db = tmp_path / "pw.duckdb"
    assert main(["--db", str(db), "catalog", "import", str(rows_csv(tmp_path / "a.csv", [pledge_row(1),
                                                                                          pledge_row(2)]))]) == 0
    broken = rows_csv(tmp_path / "b.csv", [pledge_row(1), pledge_row(2, made_on="2025-13-01")])
    assert main(["--db", str(db), "catalog", "import", str(broken)]) == 1
    assert "unchanged 1, retired 0, rejected 1" in capsys.readouterr().out
    assert query(db, "SELECT count(*) FROM pledges WHERE retired_at IS NULL") == [(2,)]


def test_jsonl_and_toml_rows_report_their_lines(tmp_path):
    jsonl = tmp_path / "pledges.jsonl"
    jsonl.write_text("\n".join([
        json.dumps(pledge_row(1), ensure_ascii=False),
        "{broken",
        json.dumps({**pledge_row(2), "titel": "x"}, ensure_ascii=False),
        json.dumps({"pledge_id": "p-3", "title": "政党の公約", "party_id": "ex-party", "party": "例示党"},
                   ensure_ascii=False),
    ]) + "\n", encoding="utf-8")
    found = read_catalog_file(jsonl)
    assert [p.id for p in found.catalog.pledges] == ["p-1", "p-3"]
    assert [(e.line, e.field) for e in found.rejected] == [(2, "json"), (3, "titel")]
    assert found.catalog.politician("ex-party").is_party

    toml = tmp_path / "pledges.toml"
    toml.write_text('[[rows]]\npledge_id = "p-1"\ntitle = "公約"\npolitician_id = "a"\npolitician = "山田一郎"\n\n'
                    '[[rows]]\npledge_id = "p-2"\ntitle = "公約"\npolitician_id = "a"\npolitician = "山田一郎"\n'
                    'office = "町長"\norganization = "箱根町"\noffice_start = "someday"\n', encoding="utf-8")
    found = read_catalog_file(toml)
    assert [p.id for p in found.catalog.pledges] == ["p-1"]
    assert [(e.line, e.field) for e in found.rejected] == [(7, "office_start")]
    assert found.kept == {"p-2"}


def test_nested_toml_skips_a_bad_entry_alone(tmp_path):
    path = tmp_path / "pledges.toml"
    path.write_text('[[politicians]]\nid = "a"\nname = "山田一郎"\n\n[[politicians]]\nid = "B"\nname = "山田二郎"\n\n'
                    '[[pledges]]\nid = "a-1"\npolitician = "a"\ntitle = "公約"\n\n'
                    '[[pledges]]\nid = "b-1"\npolitician = "B"\ntitle = "公約"\n', encoding="utf-8")
    found = read_catalog_file(path)
    assert [p.id for p in found.catalog.pledges] == ["a-1"]
    assert [(e.line, e.field) for e in found.rejected] == [(6, "politicians[1].id"), (16, "pledges[1].politician")]
    assert found.kept == {"b-1"}


def test_shift_jis_csv_reads_without_mojibake_and_unknown_columns_are_refused(tmp_path, capsys):
    found = read_catalog_file(rows_csv(tmp_path / "sjis.csv", [pledge_row(1)], encoding="cp932"))
    assert found.catalog.pledges[0].title == "公約その1を実現する"
    bad = rows_csv(tmp_path / "bad.csv", [pledge_row(1)], header=(*ROW_FIELDS[:3], "titel"))
    db = tmp_path / "pw.duckdb"
    assert main(["--db", str(db), "catalog", "import", str(bad)]) == 2
    assert f"{bad}:1: header: unknown column 'titel'" in capsys.readouterr().err
    assert not db.exists()
