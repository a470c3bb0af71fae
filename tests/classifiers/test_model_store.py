"""Model files are data, never code: only the exact types the shipped pipeline
holds are loaded, and only a file whose sha256 promoted.json recorded at
promotion (issue 13, item 2)."""

from __future__ import annotations

import builtins
import json
import logging
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from skops_attack import with_exec_entry

from classifiers.model_store import PROMOTED, TRUSTED_TYPES, load_promoted, promote, promoted_version
from classifiers.scoring import COLD_START_VERSION, PledgeScorer

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "models"
# Plain data containers skops rebuilds; calling one of these builds a value, runs nothing.
DATA_BUILTINS = {"dict", "list", "str", "tuple", "int", "float", "bool", "set", "frozenset", "bytes", "slice"}


def schema_types(path: Path) -> set[str]:
    with zipfile.ZipFile(path) as archive:
        schema = json.loads(archive.read("schema.json"))
    found: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if "__module__" in node and "__class__" in node:
                found.add(f"{node['__module__']}.{node['__class__']}")
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    return found


def shipped_copy(tmp_path: Path) -> tuple[Path, str]:
    models = tmp_path / "models"
    shutil.copytree(SHIPPED, models)
    return models, promoted_version(models)


def add_exec_node(path: Path, code: str) -> None:
    path.write_bytes(with_exec_entry(path.read_bytes(), code, inside="content"))


def test_trusted_types_are_named_and_hold_no_builtin_callables():
    shipped = schema_types(SHIPPED / f"{promoted_version(SHIPPED)}.skops")
    assert shipped <= set(TRUSTED_TYPES)
    assert len(TRUSTED_TYPES) == len(set(TRUSTED_TYPES))
    for name in TRUSTED_TYPES:
        assert not name.endswith(".*") and "." in name, name
        module, _, attr = name.rpartition(".")
        if module == "builtins":
            assert attr in DATA_BUILTINS and isinstance(getattr(builtins, attr), type), name


def test_model_that_calls_exec_is_refused_and_runs_nothing(tmp_path, catalog, caplog):
    models, version = shipped_copy(tmp_path)
    marker = tmp_path / "ran"
    add_exec_node(models / f"{version}.skops", f"open({str(marker)!r}, 'w').write('x')")
    promote(models, version)  # whoever can write the model can write promoted.json too
    with caplog.at_level(logging.WARNING):
        scorer = PledgeScorer.load(catalog, models)
    assert not marker.exists()
    assert scorer.model_version == COLD_START_VERSION
    assert "builtins.exec" in caplog.text and "cold-start" in caplog.text


def test_score_command_with_an_exec_model_scores_cold_and_runs_nothing(tmp_path):
    models, version = shipped_copy(tmp_path)
    marker = tmp_path / "ran"
    add_exec_node(models / f"{version}.skops", f"open({str(marker)!r}, 'w').write('x')")
    promote(models, version)
    pledges = tmp_path / "p.jsonl"
    pledges.write_text(json.dumps({"id": "p1", "politician": "高市早苗", "title": "日米同盟を基軸に"},
                                  ensure_ascii=False) + "\n", encoding="utf-8")
    articles = tmp_path / "a.jsonl"
    articles.write_text(json.dumps({"id": "a1", "title": "高市首相、日米同盟", "body": "日米同盟を確認した。"},
                                   ensure_ascii=False) + "\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "pledgewatch.cli", "score", "--pledges", str(pledges),
                           "--articles", str(articles), "--out", str(tmp_path / "c.jsonl"),
                           "--models", str(models)], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert not marker.exists()
    assert "builtins.exec" in done.stderr and COLD_START_VERSION in done.stderr


def test_model_file_changed_after_promotion_is_refused(tmp_path, caplog):
    models, version = shipped_copy(tmp_path)
    promote(models, version)
    assert load_promoted(models) is not None
    recorded = json.loads((models / PROMOTED).read_text(encoding="utf-8"))
    assert len(recorded["sha256"][f"{version}.skops"]) == 64
    path = models / f"{version}.skops"
    path.write_bytes(path.read_bytes() + b"\0")
    with caplog.at_level(logging.WARNING):
        assert load_promoted(models) is None
    assert "sha256" in caplog.text and str(path) in caplog.text


def test_promotion_without_a_recorded_hash_is_refused(tmp_path, caplog):
    models, version = shipped_copy(tmp_path)
    (models / PROMOTED).write_text(json.dumps({"version": version}), encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        assert load_promoted(models) is None
    assert "no sha256" in caplog.text


@pytest.mark.parametrize("version", ["../models/x", "/etc/passwd", ""])
def test_promoted_version_must_be_a_plain_name(tmp_path, caplog, version):
    (tmp_path / PROMOTED).write_text(json.dumps({"version": version, "sha256": {}}), encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        assert load_promoted(tmp_path) is None
    assert PROMOTED in caplog.text


def test_shipped_promotion_records_the_hashes():
    recorded = json.loads((SHIPPED / PROMOTED).read_text(encoding="utf-8"))
    version = recorded["version"]
    assert set(recorded["sha256"]) == {f"{version}.skops", f"{version}.json"}
    assert load_promoted(SHIPPED) is not None
