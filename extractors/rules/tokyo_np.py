"""東京新聞 (www.tokyo-np.co.jp); same CMS as 中日新聞."""

from .base import OutletRule


class TokyoNpV1(OutletRule):
    """Paragraphs are bare text in div.block elements under #entry."""

    name = "tokyo_np"
    version = 1
    outlet = "東京新聞"
    hosts = ("www.tokyo-np.co.jp",)
    body = ("#entry div.block",)
    title_suffix = r"\s*[：:]\s*東京新聞(?:デジタル|\s*TOKYO Web)?$"
