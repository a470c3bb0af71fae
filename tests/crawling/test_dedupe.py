import hashlib
from datetime import UTC, datetime

from crawling.articles import to_record
from crawling.dedupe import assign_duplicates, content_hash, estimate_jaccard, fingerprint, jaccard
from crawling.model import Source
from extractors.model import ExtractedArticle

STORY = ("政府は5日、物価高対策を柱とする経済対策を閣議決定した。ガソリン税の暫定税率廃止に伴う財源も盛り込んだ。"
         "首相は記者団に「国民生活を守るため、あらゆる手段を講じる」と述べた。総額は約21兆円となる見通しだ。"
         "与党内には財政規律を懸念する声もあり、今後の国会審議で議論となりそうだ。")


def record(url: str, body: str, published: datetime) -> object:
    article = ExtractedArticle(url=url, title="見出し", body=body, published=published, lang="ja", outlet=None,
                               rule="generic")
    return to_record(article, requested_url=url, item=None,
                     source=Source(id="s", outlet="共同", kind="rss", url="https://example.jp/rss"),
                     run_id="r", fetched_at=datetime.now(UTC))


def test_exact_copy_shares_the_content_hash_whatever_the_width_and_spacing():
    assert content_hash(STORY) == content_hash(STORY.replace("5", "５").replace("。", "。\n\n"))


def test_lightly_edited_wire_copy_is_a_near_duplicate_and_other_stories_are_not():
    edited = STORY.replace("述べた", "語った").replace("見通しだ", "見込みだ").replace("今後の", "")
    other = "小池知事は都議会で、第一子の保育料を来年度から無償化する方針を表明した。所要額は約100億円を見込む。" * 3
    assert bin(fingerprint(STORY).simhash ^ fingerprint(edited).simhash).count("1") <= 16
    assert jaccard(STORY, edited) > 0.7 and jaccard(STORY, other) < 0.1
    day = datetime(2026, 3, 5, 9, tzinfo=UTC)
    first = record("https://a.example.jp/1", STORY, day)
    copy = record("https://b.example.jp/2", edited, day.replace(hour=10))
    unrelated = record("https://c.example.jp/3", other, day)
    marked = assign_duplicates([first, copy, unrelated], [], lambda ids: {}, lambda ids: {})
    assert [a.dup_of for a in marked] == [None, first.id, None]


def test_stored_originals_are_found_through_their_bodies():
    stored = record("https://a.example.jp/1", STORY, datetime(2026, 3, 5, tzinfo=UTC))
    copy = record("https://b.example.jp/2", STORY.replace("述べた", "語った"), datetime(2026, 3, 6, tzinfo=UTC))
    marked = assign_duplicates([copy], [(stored.id, stored.content_hash, stored.simhash)],
                               lambda ids: {stored.id: stored.sketch} if stored.id in ids else {},
                               lambda ids: {stored.id: stored.body} if stored.id in ids else {})
    assert marked[0].dup_of == stored.id


def test_the_sketch_estimates_similarity_without_the_other_body():
    edited = STORY.replace("述べた", "語った").replace("見通しだ", "見込みだ")
    long_story = STORY * 6 + "。".join(f"第{n}項の説明が続く" for n in range(80))
    other = "小池知事は都議会で、第一子の保育料を来年度から無償化する方針を表明した。所要額は約100億円を見込む。" * 3
    sketch = fingerprint(STORY).sketch
    near, far, empty = estimate_jaccard(sketch, [fingerprint(edited).sketch, fingerprint(other).sketch, b""])
    assert abs(near - jaccard(STORY, edited)) < 0.15 and far < 0.1 and empty == 0.0
    long_sketch = fingerprint(long_story).sketch
    assert len(long_sketch) == 64 * 8
    assert estimate_jaccard(long_sketch, [fingerprint(long_story + "追記。").sketch])[0] > 0.8
    assert not estimate_jaccard(b"", [sketch]).any()


def test_fingerprints_stay_comparable_with_those_already_stored():
    """Stored articles keep the SimHash and sketch of the night they were
    crawled: a faster way of computing them must give the same values."""
    long_story = STORY + "".join(f"第{i}回の会合で{i * 7}件を審議した。" for i in range(60))
    short, long = fingerprint(STORY), fingerprint(long_story)
    assert (short.simhash, hashlib.sha256(short.sketch).hexdigest()) == (
        0xCAF90C59E0B8DC10, "a93f48b132282b4f43ce4979422dee96ae1ee9606d026b8277a5ade5a77ff6e3")
    assert (long.simhash, hashlib.sha256(long.sketch).hexdigest()) == (
        0x3C5997192EFDC20C, "9fe0229cc66c347af30b737fc68f48f52c0b83bda2644751c7752ec91fd6b77e")
