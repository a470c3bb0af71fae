"""時事ドットコム (www.jiji.com)."""

from .base import OutletRule


class JijiV1(OutletRule):
    """No saved page: selectors follow the site's article markup; failures fall back to generic."""

    name = "jiji"
    version = 1
    outlet = "時事通信"
    hosts = ("www.jiji.com",)
    body = ("div.ArticleText", "article div.ArticleText")
    title_suffix = r"\s*[：:]\s*時事ドットコム$"
