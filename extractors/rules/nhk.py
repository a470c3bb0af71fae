"""NHK (www3.nhk.or.jp, news.web.nhk): NEWS WEB and NEWS WEB EASY share the host."""

from .base import OutletRule


class NhkV1(OutletRule):
    """EASY keeps the article in #js-article-body; NEWS WEB in section.content--detail-body.

    Only the EASY layout is covered by a saved page; the NEWS WEB selectors
    follow its published markup and fall back to the generic extractor if wrong.
    """

    name = "nhk"
    version = 1
    outlet = "NHK"
    hosts = ("www3.nhk.or.jp", "www.nhk.or.jp", "news.web.nhk")
    body = ("#js-article-body", "section.content--detail-body", "div.content--detail-body")
    title_suffix = r"\s*[|｜]\s*NHK.*$"
