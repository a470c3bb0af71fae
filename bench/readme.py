"""Each benchmark owns one section of bench/README.md, between its markers."""

from __future__ import annotations

from pathlib import Path

README = Path(__file__).resolve().parent / "README.md"


def markers(key: str) -> tuple[str, str]:
    return f"<!-- {key}:start -->", f"<!-- {key}:end -->"


def write_section(key: str, heading: str, section: str) -> None:
    """Only the text between the section's markers changes; a README without
    them gets the section appended under `heading`."""
    start, end = markers(key)
    text = README.read_text(encoding="utf-8") if README.is_file() else "# Benchmarks\n"
    if start in text and end in text:
        head, rest = text.split(start, 1)
        text = f"{head}{start}\n{section}\n{end}{rest.split(end, 1)[1]}"
    else:
        text = f"{text.rstrip()}\n\n## {heading}\n\n{start}\n{section}\n{end}\n"
    README.write_text(text, encoding="utf-8")
