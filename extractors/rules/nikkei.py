"""日本経済新聞 (www.nikkei.com)."""

from .base import OutletRule


class NikkeiV1(OutletRule):
    """Hashed CSS-in-JS classes; the article section is marked by a tracking data attribute."""

    name = "nikkei"
    version = 1
    outlet = "日本経済新聞"
    hosts = ("www.nikkei.com",)
    body = ("article section[data-track-article-content]",)
    exclude = ("div[class^='container_']",)  # appointee profiles and related-article boxes
    title_suffix = r"\s*-\s*日本経済新聞$"
