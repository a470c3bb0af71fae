"""朝日新聞デジタル (www.asahi.com)."""

from .base import OutletRule


class AsahiV1(OutletRule):
    """2025 layout: paragraphs directly under a hashed-class <div> in <main id="main">."""

    name = "asahi"
    version = 1
    outlet = "朝日新聞"
    hosts = ("www.asahi.com", "digital.asahi.com")
    body = ("main#main div.nfyQp",)
    exclude = (".notPrint",)
    title_suffix = r"\s*(?:\[[^\]]*\])?\s*[：:]\s*朝日新聞(?:デジタル)?$"
