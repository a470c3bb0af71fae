"""A role from what an import row says: office, organisation, region.

A pledge site lists an office as 「知事」「千葉県知事」「市議」 with the prefecture
or city beside it; the recogniser needs the words news uses for it. They follow
from the kind of office and its organisation by rule, for every prefecture,
city, ward, town and village alike: the governor of 千葉県 is 千葉県知事 or
県知事, acts as 県 or 県庁 (「県は」), and 千葉県 names the place; a mayor of a
town acts as 町 or 町役場. Assembly members, deputies and speakers act for
themselves, not for the body, so they get names and no acting body.
"""

from __future__ import annotations

import unicodedata
from datetime import date
from functools import lru_cache

from catalog.model import Role

NATIONAL = "国"
_PREFECTURES = """
北海道 青森県 岩手県 宮城県 秋田県 山形県 福島県 茨城県 栃木県 群馬県 埼玉県 千葉県 東京都 神奈川県
新潟県 富山県 石川県 福井県 山梨県 長野県 岐阜県 静岡県 愛知県 三重県 滋賀県 京都府 大阪府 兵庫県
奈良県 和歌山県 鳥取県 島根県 岡山県 広島県 山口県 徳島県 香川県 愛媛県 高知県 福岡県 佐賀県 長崎県
熊本県 大分県 宮崎県 鹿児島県 沖縄県
"""
PREFECTURES = tuple(_PREFECTURES.split())

# Heads of an executive: title → (the organisation's last character(s), the office building).
_HEADS = {
    "知事": (("都", "道", "府", "県"), {"都": "都庁", "道": "道庁", "府": "府庁", "県": "県庁"}),
    "市長": (("市",), {"市": "市役所"}),
    "区長": (("区",), {"区": "区役所"}),
    "町長": (("町",), {"町": "町役場"}),
    "村長": (("村",), {"村": "村役場"}),
}
_DEPUTIES = {"副知事": "知事", "副市長": "市長", "副区長": "区長", "副町長": "町長", "副村長": "村長"}
# Assembly members: the short title by the kind of assembly (都議, 県議 …).
_MEMBERS = {"都": "都議", "道": "道議", "府": "府議", "県": "県議", "市": "市議", "区": "区議", "町": "町議",
            "村": "村議"}
_MEMBER_TITLES = frozenset({*_MEMBERS.values(), "議員", "議会議員"})
_PRIME_MINISTER = frozenset({"首相", "内閣総理大臣", "総理", "総理大臣"})
_PARTY_HEADS = frozenset({"総裁", "代表", "共同代表", "委員長", "党首"})


@lru_cache(maxsize=65_536)
def office_role(office: str, organization: str | None, region: str | None, start: date | None = None,
                end: date | None = None, aliases: tuple[str, ...] = ()) -> Role:
    """The role, its aliases and acting bodies; ValueError (with what is
    missing) for a local office whose organisation cannot be placed. Cached:
    a catalog of 30,000 rows names a few thousand distinct offices."""
    office, organization, region = (_norm(office), organization and _norm(organization), region and _norm(region))
    if organization and office.startswith(organization) and office != organization:
        office = office[len(organization):]  # 千葉県知事 with organisation 千葉県
    extra: tuple[str, ...] = ()
    bodies: tuple[str, ...] = ()
    if office in _HEADS or office in _DEPUTIES:
        head = _DEPUTIES.get(office, office)
        suffixes, buildings = _HEADS[head]
        kind = _suffix(organization, suffixes, head)
        own = office[1:] if office.startswith(kind) else office  # 横浜市 + 長, 横浜市 + 副市長
        extra = (f"{organization}{own}", *((f"{kind}{office}",) if head == "知事" else ()))
        if office in _HEADS:
            bodies = tuple(b for b in (organization, kind, buildings[kind]) if b)
        region = region or (organization if head == "知事" else None)
    elif office == "議長":
        if not organization:
            raise ValueError("a 議長 needs its organisation (千葉県議会, 横浜市議会, 衆議院)")
        place = organization.removesuffix("議会")
        extra = (f"{organization}議長", *((f"{place[-1]}議会議長",) if place != organization else ()))
        region = region or _prefecture(place)
    elif office in _MEMBER_TITLES or office.endswith("議員"):
        if organization:
            place = organization.removesuffix("議会")
            short = _MEMBERS.get(place[-1:])
            if short:
                extra = (f"{place}議", short, f"{place}議会議員")
                office = short if office in _MEMBER_TITLES else office
            region = region or _prefecture(place)
    elif office in _PRIME_MINISTER:
        office, extra = "首相", tuple(sorted(_PRIME_MINISTER - {"首相"}))
        organization = organization or "内閣"
        bodies = ("政府", "内閣", "官邸", "首相官邸")
        region = region or NATIONAL
    elif organization and office in _PARTY_HEADS:
        bodies = (organization,)
    elif organization and organization.endswith(("省", "庁")):
        bodies = (organization,)
        region = region or NATIONAL
    return Role(
        title=office,
        organization=organization,
        start=start,
        end=end,
        bodies=tuple(dict.fromkeys(b for b in bodies if b)),
        aliases=tuple(dict.fromkeys(a for a in (*extra, *map(_norm, aliases)) if a and a != office)),
        region=region,
    )


_EXAMPLES = {"知事": "千葉県", "市長": "横浜市", "区長": "世田谷区", "町長": "箱根町", "村長": "白川村"}


def _suffix(organization: str | None, suffixes: tuple[str, ...], head: str) -> str:
    if not organization or not organization.endswith(suffixes) or len(organization) < 2:
        raise ValueError(f"a {head} or deputy needs an organization ending in {'/'.join(suffixes)} "
                         f"(such as {_EXAMPLES[head]}), got {organization or 'none'!r}")
    return organization[-1]


def _prefecture(place: str) -> str | None:
    return place if len(place) > 1 and place.endswith(("都", "道", "府", "県")) else None


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace(" ", "").replace("\u3000", "")
