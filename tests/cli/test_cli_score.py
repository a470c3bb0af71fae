"""`pledgewatch score`: the batch scoring contract of DESIGN §6, files in, file out."""

import json

from pledgewatch.cli import main

PLEDGES = [
    {"id": "p1", "politician": "高市早苗", "title": "日米同盟を外交・安全保障の基軸に据える",
     "keywords": ["日米同盟", "日米首脳会談"]},
    {"id": "p2", "politician": "小池百合子", "title": "第一子の保育料を無償化する"},
    {"id": 3, "politician": "山田太郎", "title": "県立高校の給食費を無償化する",
     "description": "県立高校の給食費をなくす。"},
]
ARTICLES = [
    {"id": "a1", "title": "高市首相、日米首脳会談で同盟強化を確認",
     "body": "高市首相は28日、来日した米大統領と会談し、日米同盟を外交・安全保障の基軸とする方針を確認した。",
     "published": "2026-10-28T15:00:00+09:00", "url": "https://example.jp/a1"},
    {"id": "a2", "title": "都、第一子の保育料を無償に",
     "body": "小池知事は第一子の保育料を9月から無償にすると発表した。"},
    {"id": "a3", "title": "山田知事、給食費無償化の予算案",
     "body": "山田知事は県立高校の給食費を無償にする予算案を示した。", "published": "2026-02-01"},
]


def write_jsonl(path, rows):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def test_score_writes_one_line_per_scored_pair(tmp_path, capsys):
    pledges = write_jsonl(tmp_path / "p.jsonl", PLEDGES)
    articles = write_jsonl(tmp_path / "a.jsonl", ARTICLES)
    out = tmp_path / "c.jsonl"
    assert main(["score", "--pledges", str(pledges), "--articles", str(articles), "--out", str(out)]) == 0
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert lines
    pairs = {(line["article_id"], line["pledge_id"]) for line in lines}
    assert len(pairs) == len(lines)
    for line in lines:
        assert set(line) == {"article_id", "pledge_id", "score", "evidence"}
        assert 0.0 <= line["score"] <= 1.0
    best = {}
    for line in lines:
        if line["score"] > best.get(line["article_id"], (None, -1))[1]:
            best[line["article_id"]] = (line["pledge_id"], line["score"])
    assert best["a1"][0] == "p1" and best["a2"][0] == "p2" and best["a3"][0] == "3"


def test_malformed_article_line_is_reported_with_its_line_number(tmp_path, capsys):
    pledges = write_jsonl(tmp_path / "p.jsonl", PLEDGES)
    articles = tmp_path / "a.jsonl"
    articles.write_text(json.dumps(ARTICLES[0], ensure_ascii=False) + "\n{\"id\": \"a2\", \"title\": \n",
                        encoding="utf-8")
    out = tmp_path / "c.jsonl"
    assert main(["score", "--pledges", str(pledges), "--articles", str(articles), "--out", str(out)]) == 2
    assert "a.jsonl:2" in capsys.readouterr().err
    assert not out.exists()


def test_malformed_pledge_line_is_reported_with_its_line_number(tmp_path, capsys):
    pledges = tmp_path / "p.jsonl"
    pledges.write_text(json.dumps(PLEDGES[0], ensure_ascii=False) + "\n\n[1, 2]\n", encoding="utf-8")
    articles = write_jsonl(tmp_path / "a.jsonl", ARTICLES)
    assert main(["score", "--pledges", str(pledges), "--articles", str(articles), "--out",
                 str(tmp_path / "c.jsonl")]) == 2
    assert "p.jsonl:3" in capsys.readouterr().err


def test_score_accepts_party_pledges_and_skips_only_a_line_without_owner(tmp_path, capsys):
    pledges = write_jsonl(tmp_path / "p.jsonl", [
        *PLEDGES,
        {"id": "party-1", "politician": "", "party": "日本維新の会", "title": "企業団体献金の完全廃止"},
        {"id": "party-2", "party": "国民民主党", "title": "ガソリン税の暫定税率を廃止する"},
        {"id": "nobody", "title": "誰のものでもない公約"},
    ])
    articles = write_jsonl(tmp_path / "a.jsonl", [
        *ARTICLES,
        {"id": "a4", "title": "維新、企業・団体献金の禁止法案を提出",
         "body": "日本維新の会は企業・団体献金を全面的に禁止する政治資金規正法改正案を衆院に提出した。",
         "published": "2025-03-03"},
    ])
    out = tmp_path / "c.jsonl"
    assert main(["score", "--pledges", str(pledges), "--articles", str(articles), "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "p.jsonl:6: politician" in err and "party" in err
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    scores = {(line["article_id"], line["pledge_id"]): line["score"] for line in lines}
    assert ("a4", "party-1") in scores
    assert scores[("a4", "party-1")] == max(s for (a, _), s in scores.items() if a == "a4")
    assert not any(p == "nobody" for _, p in scores)


def score_from(folder, tmp_path, **env):
    import os
    import subprocess
    import sys

    pledges = write_jsonl(tmp_path / "p.jsonl", PLEDGES)
    articles = write_jsonl(tmp_path / "a.jsonl", ARTICLES)
    return subprocess.run([sys.executable, "-m", "pledgewatch.cli", "score", "--pledges", str(pledges),
                           "--articles", str(articles), "--out", str(tmp_path / "c.jsonl")],
                          cwd=folder, env={**os.environ, **env}, capture_output=True, text=True, timeout=120,
                          check=False)


def test_score_from_any_folder_uses_the_installed_model_and_says_which(tmp_path):
    import os

    from classifiers.model_store import promoted_version
    from pledgewatch.settings import ROOT

    env = {k: v for k, v in os.environ.items() if k != "PLEDGEWATCH_MODELS"}
    done = score_from(tmp_path, tmp_path, **env)
    version = promoted_version(ROOT / "models")
    assert done.returncode == 0, done.stderr
    assert f"model {version} ({ROOT / 'models' / version}.skops)" in done.stderr


def test_score_with_pledgewatch_models_and_a_warning_when_none_is_found(tmp_path):
    from classifiers.scoring import COLD_START_VERSION

    empty = tmp_path / "no-models"
    empty.mkdir()
    done = score_from(tmp_path, tmp_path, PLEDGEWATCH_MODELS=str(empty))
    assert done.returncode == 0, done.stderr
    assert f"no promoted model in {empty}" in done.stderr and COLD_START_VERSION in done.stderr
