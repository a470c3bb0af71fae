"""Articles written for the classifier tests; dates chosen against the
catalog's roles table."""

from __future__ import annotations

from datetime import datetime

from catalog.model import Catalog, Pledge, Politician
from classifiers.documents import Document
from pledgewatch.jst import JST


def name_only(*owners: tuple[str, str]) -> Catalog:
    """A catalog as a pledges file gives it: (politician's name, pledge title)
    pairs, the name as the id, no roles."""
    return Catalog(
        politicians=tuple(Politician(id=name, name=name) for name in dict.fromkeys(n for n, _ in owners)),
        pledges=tuple(Pledge(id=f"p{i}", politician_id=name, title=title) for i, (name, title) in enumerate(owners)),
    )


def article(article_id: str, title: str, body: str, day: str | None = None) -> Document:
    published = datetime.fromisoformat(day).replace(tzinfo=JST) if day else None
    return Document(article_id, title, body, published)


ARTICLES = {
    "gasoline": article(
        "t-gasoline",
        "ガソリン税の暫定税率、年末に廃止へ",
        "高市首相は5日、ガソリン税に上乗せされている暫定税率を年末に廃止すると表明した。"
        "家計と物流の燃料費負担を軽くする狙いがある。\n"
        "補助金を段階的に増やし、ガソリン価格を引き下げる。",
        "2025-11-05T18:00",
    ),
    "nursery": article(
        "t-nursery",
        "都、第一子の保育料を無償化",
        "小池知事は記者会見で、第一子の保育料を9月から無償化すると発表した。待機児童の解消にも取り組む。",
        "2025-06-01T10:00",
    ),
    "title_only": article(
        "t-title-only",
        "首相、防災庁の設置へ準備組織",
        "首相は防災庁の設置に向けた準備組織を内閣府に立ち上げると述べた。避難所の質も高める。",
        "2025-01-15T12:00",
    ),
    "unrelated": article(
        "t-unrelated",
        "プロ野球、今季の観客動員が過去最多",
        "日本野球機構は今季の観客動員数が過去最多になったと発表した。各球団の本拠地で入場者が増えた。",
        "2025-10-01T09:00",
    ),
    "politician_only": article(
        "t-politician-only",
        "玉木代表、地元で街頭演説",
        "国民民主党の玉木代表は地元の香川県で街頭演説し、支持者に感謝を伝えた。",
        "2025-08-01T17:00",
    ),
}
