"""中日新聞Web (www.chunichi.co.jp); same CMS as 東京新聞."""

from .base import OutletRule


class ChunichiV1(OutletRule):
    """Paragraphs are bare text in div.block elements under #entry."""

    name = "chunichi"
    version = 1
    outlet = "中日新聞"
    hosts = ("www.chunichi.co.jp",)
    body = ("#entry div.block",)
    title_suffix = r"\s*[：:]\s*中日新聞(?:Web)?$"
