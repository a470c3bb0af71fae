"""産経ニュース (www.sankei.com), an Arc XP site."""

from .base import OutletRule


class SankeiV1(OutletRule):
    """Body split over several lazily loaded div.article-body blocks; all are read."""

    name = "sankei"
    version = 1
    outlet = "産経新聞"
    hosts = ("www.sankei.com",)
    body = ("article div.article-body",)
    title_suffix = r"\s*[-–]\s*産経ニュース$"
