"""Politician recognition on real sentences against a catalog the size of a pledge site (not a test).

The sentences (`data/recognition/sentences.jsonl`) are single sentences quoted
from stored public pages, each with the politicians it names. The catalog is
the real people those sentences name (`data/recognition/people.csv`, with their
offices), the office book (`data/offices.toml`), and --politicians synthetic
politicians whose names follow real name distributions (`catalog/synthetic.py`):
hundreds of them share a surname with someone in the sentences, some a full name.

A politician counts as recognised when the recogniser names them as a person
(full name, surname with title or honorific, or a bare title resolved by the
roles table); a body or place (「県は」「政府が」) is not a naming and is left out.
Precision and recall are over (sentence, politician) pairs.

Usage: .venv/bin/python bench/recognition.py [--politicians 5000] [--no-readme] [--show]
Rewrites the recognition section of bench/README.md; the last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from readme import write_section  # noqa: E402

from catalog.model import Catalog  # noqa: E402
from catalog.offices import default_offices, with_offices  # noqa: E402
from catalog.rows import read_catalog_file  # noqa: E402
from catalog.synthetic import synthetic_politicians  # noqa: E402
from classifiers.documents import Document  # noqa: E402
from classifiers.recognition import Recognizer  # noqa: E402
from classifiers.tokenize import get_tokenizer  # noqa: E402

DATA = ROOT / "data" / "recognition"
NAMING = frozenset({"name", "surname_title", "title", "surname"})


def load_sentences(path: Path = DATA / "sentences.jsonl") -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def build_recognizer(politicians: int, tokenizer) -> Recognizer:
    people = read_catalog_file(DATA / "people.csv").catalog.politicians
    catalog = Catalog(politicians=(*people, *synthetic_politicians(politicians)), pledges=())
    book = default_offices()
    return Recognizer(with_offices(catalog, book), tokenizer, book.people() if book else ())


def named(recognizer: Recognizer, tokenizer, sentence: dict) -> tuple[set[str], dict[str, str]]:
    """Who the recogniser names in one sentence, and who it left unresolved."""
    day = sentence.get("published")
    published = datetime.fromisoformat(f"{day}T12:00:00+09:00") if day else None
    doc = Document(id=sentence["id"], title="", body=sentence["text"], published=published)
    found = recognizer.recognize(tokenizer.analyze(doc))
    return {pid for pid, m in found.items() if m.kind in NAMING}, found.unresolved


def evaluate(recognizer: Recognizer, tokenizer, sentences: list[dict], show: bool = False) -> dict:
    true_positive = predicted = expected = 0
    bare_total = bare_clean = unresolved = 0
    for sentence in sentences:
        got, notes = named(recognizer, tokenizer, sentence)
        want = set(sentence["expected"])
        true_positive += len(got & want)
        predicted += len(got)
        expected += len(want)
        unresolved += len(notes)
        if not want:
            bare_total += 1
            bare_clean += not got
        if show and got != want:
            print(f"{sentence['id']}: expected {sorted(want)}, got {sorted(got)} {sorted(notes)}")
    return {
        "sentences": len(sentences),
        "pairs_expected": expected,
        "pairs_predicted": predicted,
        "precision": round(true_positive / predicted, 3) if predicted else 1.0,
        "recall": round(true_positive / expected, 3) if expected else 1.0,
        "no_politician_sentences_crediting_nobody": f"{bare_clean}/{bare_total}",
        "unresolved_notes": unresolved,
    }


def readme_section(result: dict, args) -> str:
    return "\n".join([
        "Produced by `.venv/bin/python bench/recognition.py` (re-run to refresh).",
        "",
        f"Method: {result['sentences']} single sentences quoted from stored public pages "
        "(`data/recognition/`, each with the politicians it names) recognised against a catalog of "
        f"{result['catalog_politicians']:,} politicians: the {result['real_people']} real people the sentences name, "
        "with their offices, the office book's holders, and "
        f"{args.politicians:,} synthetic politicians named from real name distributions (dozens per common "
        "surname, some full names shared). Counted: (sentence, politician) pairs named as a person "
        "(full name, surname with title or honorific, resolved bare title); bodies and places are not namings.",
        "",
        "| measure | value |",
        "|---|---|",
        f"| precision | {result['precision']:.3f} |",
        f"| recall | {result['recall']:.3f} |",
        f"| pairs expected / predicted | {result['pairs_expected']} / {result['pairs_predicted']} |",
        f"| sentences naming no catalog politician that credit nobody | "
        f"{result['no_politician_sentences_crediting_nobody']} |",
        f"| names left unresolved (同姓同名 etc., said so in the evidence) | {result['unresolved_notes']} |",
        f"| recogniser build, s | {result['build_s']:.1f} |",
    ])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--politicians", type=int, default=5_000)
    parser.add_argument("--show", action="store_true", help="print every sentence whose result differs")
    parser.add_argument("--no-readme", action="store_true", help="do not rewrite bench/README.md")
    args = parser.parse_args()
    tokenizer = get_tokenizer()
    start = time.perf_counter()
    recognizer = build_recognizer(args.politicians, tokenizer)
    build_s = time.perf_counter() - start
    sentences = load_sentences()
    result = evaluate(recognizer, tokenizer, sentences, show=args.show)
    real = len(read_catalog_file(DATA / "people.csv").catalog.politicians)
    book = default_offices()
    result.update({
        "catalog_politicians": args.politicians + real + (len(book.people()) if book else 0),
        "real_people": real,
        "build_s": round(build_s, 2),
        "as_of": date.today().isoformat(),
    })
    if not args.no_readme:
        write_section("recognition", "Recognition at catalog size", readme_section(result, args))
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
