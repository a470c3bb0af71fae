#!/usr/bin/env python3
"""Stdlib consistency check for data/realnews.

Run `python3 data/realnews/check.py`; exit status 0 means the four JSONL files agree with each
other and with README.md (query table and counts-json block), so a hand edit that breaks the set
is caught before it reaches an evaluation; where the shared evaluation set sits beside the
repository (../shared/realnews), no article may share a URL or a 20-character run with it.
"""
import collections
import datetime
import json
import re
import sys
from pathlib import Path
from urllib.parse import urlparse

HERE = Path(__file__).resolve().parent
KINDS = ("positive", "hard_negative", "other_actor")
# Surname alone is ambiguous for many owners: shared with other people in the items
# (鈴木, 山下, 菅, 小泉, 福田, 松井, 森, 上田, 橋本, 細川, 宮沢/宮澤, 北川, 中田, 村山,
# 阿部, 平松, 河野, 本村, 丸山, 中野, 池田, 中谷, 小川, 松本, 遠藤, 佐藤, 知念, 藤本, 岸本), a place
# or a common word (長崎, 門川, 新田, 西脇, 一見, 西, 横田; 三原 inside 非核三原則), or a prefix
# of another name (後藤 of 後藤田): these strings decide "owner named".
NAME_FORMS = {
    "鈴木康友": ("鈴木康友", "鈴木知事"),
    "山下真": ("山下真", "山下知事"),
    "玉城デニー": ("玉城",),
    "横山英幸": ("横山",),
    "高島宗一郎": ("高島",),
    "鈴木憲和": ("鈴木憲和", "鈴木農相", "鈴木農水相", "鈴木農林水産", "鈴木新農水相", "鈴木大臣"),
    "山本一太": ("山本一太", "山本知事"),
    "郡和子": ("郡和子", "郡市長", "郡氏"),
    "菅義偉": ("菅義偉", "菅首相", "菅総理", "菅政権", "菅内閣"),
    "鈴木健太": ("鈴木健太", "鈴木知事"),
    "菅直人": ("菅直人", "菅首相", "菅総理", "菅内閣"),
    "小泉純一郎": ("小泉純一郎", "小泉首相", "小泉総理", "小泉内閣"),
    "長崎幸太郎": ("長崎幸太郎", "長崎知事", "長崎氏"),
    "後藤田正純": ("後藤田",),
    "泉房穂": ("泉房穂", "泉市長", "泉氏"),
    "石原慎太郎": ("石原慎太郎", "石原知事", "石原都知事", "石原氏"),
    "湯崎英彦": ("湯崎", "湯﨑"),
    "福田康夫": ("福田康夫", "福田首相", "福田総理", "福田内閣", "福田前総理", "福田元首相", "福田元総理"),
    "上田清司": ("上田清司", "上田知事", "上田前知事", "上田氏"),
    "橋本龍太郎": ("橋本龍太郎", "橋本竜太郎", "橋本首相", "橋本総理", "橋本内閣"),
    "森喜朗": ("森喜朗", "森首相", "森総理", "森内閣"),
    "小渕恵三": ("小渕恵三", "小渕首相", "小渕総理", "小渕内閣"),
    "松井一郎": ("松井一郎", "松井知事", "大阪市の松井市長", "松井大阪市長", "大阪・松井市長"),
    "門川大作": ("門川大作", "門川市長", "門川氏"),
    "細川護熙": ("細川護熙", "細川護煕", "細川首相", "細川総理", "細川内閣", "細川政権", "細川元首相", "細川氏"),
    "宮澤喜一": ("宮澤喜一", "宮沢喜一", "宮澤首相", "宮沢首相", "宮澤内閣", "宮沢内閣", "宮澤総理", "宮沢総理"),
    "北川正恭": ("北川正恭", "北川知事", "北川元知事", "北川三重県知事"),
    "中田宏": ("中田宏", "中田市長", "中田前市長", "中田氏"),
    "村山富市": ("村山富市", "村山首相", "村山総理", "村山内閣", "村山元首相"),
    "阿部守一": ("阿部守一", "阿部知事"),
    "平松邦夫": ("平松邦夫", "平松市長", "平松氏", "平松さん"),
    "本村賢太郎": ("本村賢太郎", "本村市長", "本村氏"),
    "新田八朗": ("新田八朗", "新田知事", "新田氏"),
    "河野俊嗣": ("河野俊嗣", "河野知事"),
    "西脇隆俊": ("西脇隆俊", "西脇知事", "西脇氏", "西脇京都府知事"),
    "一見勝之": ("一見勝之", "一見知事", "一見氏"),
    "丸山達也": ("丸山達也", "丸山知事"),
    "中野祐介": ("中野祐介", "中野市長", "中野氏", "中野浜松市長"),
    "池田豊人": ("池田豊人", "池田知事"),
    "中谷元": ("中谷元", "中谷防衛", "中谷大臣", "中谷前防衛", "中谷前大臣", "中谷 元", "中谷氏"),
    "小川晶": ("小川晶", "小川市長", "小川前市長", "小川氏"),
    "松本洋平": ("松本洋平", "松本文科", "松本文部科学", "松本大臣", "松本新大臣"),
    "三原じゅん子": ("三原じゅん子", "三原大臣", "三原こども", "三原氏"),
    "遠藤彰良": ("遠藤彰良", "遠藤市長", "遠藤徳島市長", "遠藤氏"),
    "佐藤栄一": ("佐藤栄一", "佐藤 栄一", "佐藤市長", "佐藤さん"),
    "知念覚": ("知念覚", "知念市長", "知念氏", "知念那覇市長"),
    "西秀記": ("西秀記", "西 秀記", "西市長", "西氏", "西さん"),
    "横田美香": ("横田美香", "横田 美香", "横田知事", "横田氏"),
    "藤本悦志": ("藤本悦志", "藤本 悦志", "藤本市長", "藤本氏"),
    "岸本聡子": ("岸本聡子", "岸本 聡子", "岸本区長", "岸本氏"),
    "山口祥義": ("山口祥義", "山口知事"),
    "浜田省司": ("浜田省司", "濵田省司", "浜田知事", "濵田知事"),
    "馳浩": ("馳浩", "馳知事", "馳氏", "馳さん"),
    "佐藤樹一郎": ("佐藤樹一郎", "佐藤知事", "佐藤氏"),
    "仲川げん": ("仲川げん", "仲川元庸", "仲川市長", "仲川氏"),
    "大西秀人": ("大西秀人", "高松市の大西市長", "大西秀人市長"),
}
problems: list[str] = []


def rows(name: str) -> list[dict]:
    out = []
    for n, line in enumerate((HERE / name).read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError as e:
                problems.append(f"{name}:{n}: not JSON ({e})")
    return out


def named(politician: str, text: str) -> bool:
    return any(form in text for form in NAME_FORMS.get(politician, (politician[:2],)))


pledges = {p["id"]: p for p in rows("pledges.jsonl")}
articles = rows("articles.jsonl")
gold = {g["article_id"]: g["pledge_ids"] for g in rows("gold.jsonl")}
labels = {lab["article_id"]: lab for lab in rows("labels.jsonl")}
readme = (HERE / "README.md").read_text(encoding="utf-8")

for p in pledges.values():
    for field in ("id", "politician", "party", "title", "source_url", "origin", "evidence"):
        if field not in p:
            problems.append(f"pledge {p.get('id')}: no {field}")
    if not str(p.get("source_url", "")).startswith("http"):
        problems.append(f"pledge {p['id']}: source_url is not a URL")
    if p.get("politician") == "" and not p.get("party"):
        problems.append(f"pledge {p['id']}: party pledge without party")
    if not p.get("title") or not p.get("evidence"):
        problems.append(f"pledge {p['id']}: empty title or evidence")

ids = [a.get("id") for a in articles]
for dup, n in collections.Counter(ids).items():
    if n > 1:
        problems.append(f"article id {dup} appears {n} times")
for dup, n in collections.Counter(a.get("url") for a in articles).items():
    if n > 1:
        problems.append(f"URL appears {n} times: {dup}")
for a in articles:
    aid = a.get("id")
    if not re.fullmatch(r"rx\d{4}", str(aid)):
        problems.append(f"article id {aid!r} is not rxNNNN")
    if set(a) != {"id", "title", "body", "url", "published"}:
        problems.append(f"article {aid}: fields {sorted(a)}")
    if not a.get("body") or len(a["body"]) > 230:
        problems.append(f"article {aid}: body empty or over 230 characters")
    if not str(a.get("url", "")).startswith("http"):
        problems.append(f"article {aid}: url is not a URL")
    d = a.get("published")
    if d is not None:
        try:
            ok = bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", d)) and datetime.date.fromisoformat(d)
        except (TypeError, ValueError):
            ok = False
        if not ok:
            problems.append(f"article {aid}: published {d!r} is not YYYY-MM-DD")
    if aid not in gold:
        problems.append(f"article {aid}: no gold row")
    if aid not in labels:
        problems.append(f"article {aid}: no labels row")
for aid in set(gold) | set(labels):
    if aid not in ids:
        problems.append(f"gold/labels row for unknown article {aid}")
for aid, pids in gold.items():
    if len(set(pids)) != len(pids):
        problems.append(f"gold {aid}: repeated pledge id")
    for pid in pids:
        if pid not in pledges:
            problems.append(f"gold {aid}: unknown pledge {pid}")
for aid, lab in labels.items():
    if lab.get("kind") not in KINDS:
        problems.append(f"label {aid}: kind {lab.get('kind')!r}")
    elif (lab["kind"] == "positive") != bool(gold.get(aid)):
        problems.append(f"label {aid}: kind {lab['kind']} disagrees with gold {gold.get(aid)}")
    if not lab.get("note"):
        problems.append(f"label {aid}: empty note")
    m = re.search(r"\[beyond the quote: ([^\]—]+) —", lab.get("note", ""))
    if m and any(x.strip() not in gold.get(aid, []) for x in m.group(1).split(",")):
        problems.append(f"label {aid}: beyond-the-quote id not in gold")

section = re.search(r"^## Query log.*?(?=^## |\Z)", readme, flags=re.M | re.S)
table = re.findall(r"^\| (\d+) \| .* \| (\d+) \|$", section.group(0) if section else "", flags=re.M)
if [int(n) for n, _ in table] != list(range(1, len(table) + 1)):
    problems.append("README query log is not numbered 1..N")
used = collections.Counter(lab.get("query_no") for lab in labels.values())
for n, items in table:
    if used.get(int(n), 0) != int(items):
        problems.append(f"query {n}: README says {items} items, labels give {used.get(int(n), 0)}")
for q in used:
    if not isinstance(q, int) or not 1 <= q <= len(table):
        problems.append(f"labels use query_no {q!r}, not in the README query log")

# The set must stay apart from the evaluation material outside the repository: a shared URL or a shared
# 20-character run of headline or lead would let that material leak into what is reported as unseen news.
SHARED = HERE.parents[2] / "shared" / "realnews"
if (SHARED / "articles.jsonl").is_file():
    outside_text = (SHARED / "articles.jsonl").read_text(encoding="utf-8")
    outside = [json.loads(line) for line in outside_text.splitlines() if line.strip()]
    runs = {seg[i : i + 20] for o in outside for seg in (o["title"], o["body"]) for i in range(len(seg) - 19)}
    outside_urls = {o["url"] for o in outside}
    for a in articles:
        if a.get("url") in outside_urls:
            problems.append(f"article {a.get('id')}: URL also in {SHARED}")
        for seg in (a.get("title", ""), a.get("body", "")):
            hit = next((seg[i : i + 20] for i in range(len(seg) - 19) if seg[i : i + 20] in runs), None)
            if hit:
                problems.append(f"article {a.get('id')}: shares the run {hit!r} with {SHARED}")

kinds = collections.Counter(lab.get("kind") for lab in labels.values())
positives = [a for a in articles if gold.get(a["id"])]
per_pledge = collections.Counter(pid for a in positives for pid in gold[a["id"]])
unnamed = 0
for a in positives:
    owners = [pledges[p]["politician"] for p in gold[a["id"]] if p in pledges and pledges[p]["politician"]]
    if owners and not any(named(o, a["title"] + a["body"]) for o in owners):
        unnamed += 1
dates = sorted(a["published"] for a in articles if a.get("published"))
notes = [labels.get(a["id"], {}).get("note", "") for a in positives]
counts = {
    "articles": len(articles),
    "positive": kinds["positive"],
    "hard_negative": kinds["hard_negative"],
    "other_actor": kinds["other_actor"],
    "gold_links": sum(len(gold.get(a["id"], [])) for a in articles),
    "pledges": len(pledges),
    "party_pledges": sum(1 for p in pledges.values() if not p["politician"]),
    "pledges_with_positive": len(per_pledge),
    "max_positives_per_pledge": max(per_pledge.values(), default=0),
    "owners": len({p["politician"] or p["party"] for p in pledges.values()}),
    "owners_with_positives": len({pledges[p]["politician"] or pledges[p]["party"] for p in per_pledge}),
    "positives_owner_not_named": unnamed,
    "regress_clear": sum(1 for n in notes if n.startswith("REGRESS:")),
    "beyond_quote_labels": sum(1 for a in articles if "[beyond the quote:" in labels.get(a["id"], {}).get("note", "")),
    "sites": len({urlparse(a["url"]).netloc.lower().removeprefix("www.") for a in articles}),
    "dated_articles": len(dates),
    "date_min": dates[0] if dates else None,
    "date_max": dates[-1] if dates else None,
    "titled_articles": sum(1 for a in articles if a["title"]),
    "search_calls": len(table),
}
block = re.search(r"<!-- counts-json\n(.*?)\ncounts-json -->", readme, flags=re.S)
stated = json.loads(block.group(1)) if block else {}
if not block:
    problems.append("README has no counts-json block")
for k in sorted(set(counts) | set(stated)):
    if stated.get(k, "missing") != counts.get(k, "unchecked"):
        problems.append(f"count {k}: README {stated.get(k, 'missing')!r}, files {counts.get(k, 'unchecked')!r}")
for k in ("articles", "positive", "hard_negative", "other_actor", "pledges", "search_calls"):
    if f"**{counts[k]}**" not in readme:
        problems.append(f"README table does not show **{counts[k]}** ({k})")

print(json.dumps(counts, ensure_ascii=False))
if problems:
    print(f"FAIL: {len(problems)} problem(s)")
    for line in problems[:100]:
        print("  -", line)
    sys.exit(1)
print("PASS")
