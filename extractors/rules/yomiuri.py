"""読売新聞オンライン (www.yomiuri.co.jp)."""

from .base import OutletRule


class YomiuriV1(OutletRule):
    """WordPress layout: numbered p.parN paragraphs in div.p-main-contents."""

    name = "yomiuri"
    version = 1
    outlet = "読売新聞"
    hosts = ("www.yomiuri.co.jp",)
    body = ("article.article-content div.p-main-contents",)
    exclude = ("figure", "[class*='p-ad']", "a.c-square-arrow-btn")
    title_suffix = r"\s*[：:][^：:]*(?:\s[:：]\s*)?読売新聞(?:オンライン)?$"
