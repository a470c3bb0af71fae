"""Every command says what it does in `--help` and has a row in the README's
command table (issue 16, item 6)."""

from __future__ import annotations

import argparse
import re

from pledgewatch.cli import _parser
from pledgewatch.settings import ROOT


def _commands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> dict[tuple[str, ...], str | None]:
    """Leaf commands, each with the help its parent's subparsers give it."""
    found: dict[tuple[str, ...], str | None] = {}
    for action in parser._actions:
        if not isinstance(action, argparse._SubParsersAction):
            continue
        helps = {choice.dest: choice.help for choice in action._choices_actions}
        for name, sub in action.choices.items():
            nested = _commands(sub, (*path, name))
            found.update(nested or {(*path, name): helps.get(name)})
    return found


def _leading_words(usage: str) -> list[str]:
    words = []
    for word in usage.split():
        if not re.fullmatch(r"[a-z]+", word):
            break
        words.append(word)
    return words


def test_every_command_has_help_and_a_row_in_the_readme_table():
    commands = _commands(_parser())
    assert len(commands) >= 20
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = {" ".join(_leading_words(row)) for row in re.findall(r"^\| `pledgewatch ([^`]+)` \|", readme, flags=re.M)}
    assert {path: text for path, text in commands.items() if not (text or "").strip()} == {}
    assert sorted(" ".join(path) for path in commands if " ".join(path) not in rows) == []
