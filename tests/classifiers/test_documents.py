import json
from datetime import date

import pytest

from classifiers.documents import InputError, read_articles_jsonl


def write(path, lines):
    path.write_text("".join(lines), encoding="utf-8")
    return path


def test_reads_articles_with_optional_fields(tmp_path):
    path = write(
        tmp_path / "a.jsonl",
        [
            json.dumps({"id": "a1", "title": "題", "body": "本文。", "published": "2025-10-21"}) + "\n",
            "\n",
            json.dumps({"id": 7, "title": "t", "body": "b", "url": "https://example.jp/7"}) + "\n",
            json.dumps({"id": "a3", "title": "t", "body": "b", "published": "2025-10-20T23:30:00Z"}) + "\n",
        ],
    )
    docs = read_articles_jsonl(path)
    assert [d.id for d in docs] == ["a1", "7", "a3"]
    assert docs[0].day == date(2025, 10, 21)
    assert docs[1].published is None and docs[1].url == "https://example.jp/7"
    # 23:30 UTC is already the next day in Japan, which decides who held office.
    assert docs[2].day == date(2025, 10, 21)


@pytest.mark.parametrize(
    ("line", "where"),
    [
        ('{"id": "a2", "title": \n', "a.jsonl:2: json"),
        ("[1, 2]\n", "a.jsonl:2: json"),
        ('{"title": "t", "body": "b"}\n', "a.jsonl:2: id"),
        ('{"id": "a1", "title": "t", "body": "b"}\n', "a.jsonl:2: id: duplicate"),
        ('{"id": "a2", "title": "t", "body": "b", "published": "yesterday"}\n', "a.jsonl:2: published"),
        ('{"id": "a2", "title": 3, "body": "b"}\n', "a.jsonl:2: title"),
        ('{"id": "a2", "title": "", "body": " "}\n', "a.jsonl:2: body"),
    ],
)
def test_malformed_line_names_file_line_and_field(tmp_path, line, where):
    path = write(tmp_path / "a.jsonl", ['{"id": "a1", "title": "t", "body": "b"}\n', line])
    with pytest.raises(InputError) as error:
        read_articles_jsonl(path)
    assert where in str(error.value)


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="not found"):
        read_articles_jsonl(tmp_path / "none.jsonl")
