"""Synthetic catalogs the size of a real pledge site, for benchmarks and tests.

Names are drawn from the real distributions in `data/names/` (the commonest
surnames and given names by rank, the rest composed of common name
characters), so a catalog of 5,000 holds dozens of 佐藤 and 田中 and some full
names twice or more, as a national catalog of local politicians
does; unique invented strings would make recognition look easier than it is.
Offices are local ones (prefectural and city assembly members, mayors, town
heads) and Diet seats, spread over the real prefectures and cities below.
"""

from __future__ import annotations

import random
from datetime import date

from catalog.local_offices import PREFECTURES, office_role
from catalog.model import PARTY, Catalog, Pledge, Politician
from catalog.names import NAMES, read_names

# Cities and towns with their prefecture (facts); organisations of the synthetic offices.
_PLACES = """
旭川市:北海道 函館市:北海道 帯広市:北海道 弘前市:青森県 八戸市:青森県 盛岡市:岩手県 石巻市:宮城県
秋田市:秋田県 酒田市:山形県 郡山市:福島県 いわき市:福島県 水戸市:茨城県 つくば市:茨城県 宇都宮市:栃木県
前橋市:群馬県 高崎市:群馬県 川越市:埼玉県 所沢市:埼玉県 越谷市:埼玉県 船橋市:千葉県 柏市:千葉県
松戸市:千葉県 八王子市:東京都 町田市:東京都 府中市:東京都 藤沢市:神奈川県 横須賀市:神奈川県
長岡市:新潟県 富山市:富山県 金沢市:石川県 福井市:福井県 甲府市:山梨県 松本市:長野県 長野市:長野県
岐阜市:岐阜県 浜松市:静岡県 沼津市:静岡県 豊田市:愛知県 岡崎市:愛知県 津市:三重県 四日市市:三重県
大津市:滋賀県 宇治市:京都府 豊中市:大阪府 枚方市:大阪府 東大阪市:大阪府 姫路市:兵庫県 西宮市:兵庫県
奈良市:奈良県 和歌山市:和歌山県 米子市:鳥取県 松江市:島根県 倉敷市:岡山県 福山市:広島県 下関市:山口県
徳島市:徳島県 高松市:香川県 松山市:愛媛県 高知市:高知県 久留米市:福岡県 佐賀市:佐賀県 佐世保市:長崎県
大分市:大分県 宮崎市:宮崎県 鹿児島市:鹿児島県 那覇市:沖縄県 箱根町:神奈川県 軽井沢町:長野県
白川村:岐阜県 ニセコ町:北海道 小鹿野町:埼玉県 美浜町:福井県 大崎町:鹿児島県 嬬恋村:群馬県
"""
PLACES = tuple(tuple(item.split(":")) for item in _PLACES.split())
PARTIES = (
    ("syn-ldp", "自由民主党"), ("syn-cdp", "立憲民主党"), ("syn-ishin", "日本維新の会"), ("syn-komei", "公明党"),
    ("syn-dpfp", "国民民主党"), ("syn-jcp", "日本共産党"), ("syn-reiwa", "れいわ新選組"), ("syn-sdp", "社会民主党"),
    ("syn-sanseito", "参政党"), ("syn-hoshu", "日本保守党"),
)
_START = date(2015, 4, 30)


# The lists hold the most frequent names; real people mostly have rarer ones
# (the 200 commonest surnames cover about a third of Japan). The rest of the
# names are composed of common name characters: 川野, 本山, 健司, 和美.
_LISTED_SHARE = 0.35
_SURNAME_PARTS = ("山 川 田 野 本 中 村 井 木 藤 原 島 松 小 大 高 石 森 岡 上 西 北 東 長 吉 宮 谷 沢 浜 橋",
                  "田 川 野 本 村 井 木 原 島 口 崎 沢 谷 岡 山 内 尾 林 上 下 松 部 瀬 森 浦 塚 場 江 池 永")
_GIVEN_PARTS = ("健 正 和 浩 隆 勝 秀 英 雅 信 博 洋 幸 孝 俊 敏 義 達 裕 直 美 恵 由 久 京 智 陽 真 千 友",
                "一 二 司 也 樹 人 夫 男 彦 介 輔 明 志 之 史 平 治 郎 子 美 代 江 恵 香 里 奈 枝 絵 穂 乃")
# Frequencies fall off more slowly than 1/rank among the commonest names
# (佐藤 is about 30 times as frequent as the 200th surname).
_EXPONENT = 0.65


def _zipf(names: tuple[str, ...]) -> list[float]:
    return [rank ** -_EXPONENT for rank in range(1, len(names) + 1)]


def _draw(rng: random.Random, listed: tuple[str, ...], weights: list[float], parts: tuple[str, str]) -> str:
    if rng.random() < _LISTED_SHARE:
        return rng.choices(listed, weights)[0]
    first, second = (p.split() for p in parts)
    return rng.choice(first) + rng.choice(second)


def synthetic_politicians(count: int, seed: int = 14) -> tuple[Politician, ...]:
    """`count` politicians, each with one local office or Diet seat and a
    party; ids `syn-00000`… so they never clash with a real catalog's."""
    rng = random.Random(seed)
    surnames, given = read_names(NAMES / "surnames.txt"), read_names(NAMES / "given_names.txt")
    surname_weights, given_weights = _zipf(surnames), _zipf(given)
    people = []
    for n in range(count):
        name = _draw(rng, surnames, surname_weights, _SURNAME_PARTS) + _draw(rng, given, given_weights, _GIVEN_PARTS)
        party = rng.choices(PARTIES, [30, 15, 10, 10, 8, 8, 4, 3, 3, 2])[0][1] if rng.random() < 0.7 else "無所属"
        role = _office(rng)
        people.append(Politician(id=f"syn-{n:05d}", name=name, party=party, roles=(role,)))
    return tuple(people)


def _office(rng: random.Random):
    kind = rng.random()
    if kind < 0.40:
        prefecture = rng.choice(PREFECTURES)
        title = {"東京都": "都議", "北海道": "道議", "大阪府": "府議", "京都府": "府議"}.get(prefecture, "県議")
        return office_role(title, f"{prefecture}議会", None, _START)
    place, prefecture = rng.choice(PLACES)
    if kind < 0.88:
        return office_role(place[-1] + "議", f"{place}議会", prefecture, _START)
    if kind < 0.94:
        return office_role(f"{place[-1]}長", place, prefecture, _START)
    return office_role(rng.choice(("衆院議員", "参院議員")), None, prefecture, _START)


def synthetic_catalog(politicians: int, pledges: int, templates: tuple[Pledge, ...], parties: int = 10,
                      seed: int = 7, people: tuple[Politician, ...] = ()) -> Catalog:
    """`pledges` pledges over the synthetic politicians (plus `people`, a real
    catalog's politicians) and `parties` parties, each pledge a title,
    description and keyword mix drawn from `templates` with a fixed seed."""
    rng = random.Random(seed)
    owners = [*people, *synthetic_politicians(politicians, seed)]
    party_owners = [Politician(id=pid, name=name, kind=PARTY) for pid, name in PARTIES[:parties]]
    keyword_pool = sorted({k for p in templates for k in p.keywords})
    everyone = [*owners, *party_owners]
    made = []
    for n in range(pledges):
        owner = everyone[n % len(everyone)] if n < len(everyone) else rng.choice(everyone)
        template = rng.choice(templates)
        made.append(Pledge(
            id=f"syn-pledge-{n:06d}",
            politician_id=owner.id,
            title=template.title,
            description=rng.choice(templates).description,
            keywords=tuple(rng.sample(keyword_pool, min(len(keyword_pool), rng.randint(3, 6)))),
        ))
    return Catalog(politicians=tuple(everyone), pledges=tuple(made))

