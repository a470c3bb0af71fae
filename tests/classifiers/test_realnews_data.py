"""data/realnews is hand-grown round by round: its stdlib check (ids, one gold
and one label row per article, kinds agreeing with gold, the README's query log
and counts) runs with the tests, so a broken merge never reaches training."""

import subprocess
import sys
from pathlib import Path

from classifiers.datasets import read_realnews

DATA = Path(__file__).resolve().parents[2] / "data" / "realnews"


def test_the_set_agrees_with_its_readme():
    done = subprocess.run([sys.executable, str(DATA / "check.py")], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout[-2000:]
    assert done.stdout.rstrip().endswith("PASS")


def test_the_set_loads_with_a_kind_and_an_event_for_every_article():
    labelled = read_realnews(DATA, "realnews-extra")
    assert set(labelled.kinds) == set(labelled.gold) == {d.id for d in labelled.documents}
    assert set(labelled.groups) == set(labelled.gold)
    assert all(labelled.gold[a] for a, kind in labelled.kinds.items() if kind == "positive")
