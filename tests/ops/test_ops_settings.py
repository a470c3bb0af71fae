"""Every PLEDGEWATCH_* variable is read in pledgewatch/settings.py alone and
documented in docs/operations.md (issue 16, item 5)."""

from __future__ import annotations

import re
import subprocess

from pledgewatch.settings import ROOT

NAME = re.compile(r"PLEDGEWATCH_[A-Z_]+[A-Z]")
READ = re.compile(r"""(?:environ\.get|getenv|environ\[)\(?\s*["'](PLEDGEWATCH_[A-Z_]+)""")


def _tracked_python() -> list[str]:
    listed = subprocess.run(["git", "ls-files", "*.py"], cwd=ROOT, capture_output=True, text=True, check=True)
    return listed.stdout.split()


def test_only_the_settings_module_reads_pledgewatch_variables():
    readers = {path for path in _tracked_python() if path != "pledgewatch/settings.py"
               and not path.startswith("tests/") and READ.search((ROOT / path).read_text(encoding="utf-8"))}
    assert readers == set()


def test_every_variable_the_settings_module_reads_is_documented():
    source = (ROOT / "pledgewatch" / "settings.py").read_text(encoding="utf-8")
    names = set(NAME.findall(source))
    documented = set(NAME.findall((ROOT / "docs" / "operations.md").read_text(encoding="utf-8")))
    assert len(names) >= 25
    assert names - documented == set()
