"""共同通信 (www.47news.jp, english.kyodonews.net)."""

from .base import OutletRule


class KyodoV1(OutletRule):
    """No saved page: selectors follow the sites' article markup; failures fall back to generic."""

    name = "kyodo"
    version = 1
    outlet = "共同通信"
    hosts = ("www.47news.jp", "english.kyodonews.net")
    body = ("div.post_content", "div.article-body", "div.main__body")
    title_suffix = r"\s*[|｜]\s*(?:47NEWS.*|KYODO NEWS.*|Kyodo News.*)$"
