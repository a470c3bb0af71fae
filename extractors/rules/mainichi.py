"""毎日新聞 (mainichi.jp)."""

from .base import OutletRule


class MainichiV1(OutletRule):
    name = "mainichi"
    version = 1
    outlet = "毎日新聞"
    hosts = ("mainichi.jp",)
    body = ("section#articledetail-body", "div.articledetail-body")
    title_suffix = r"\s*[|｜\-]\s*毎日新聞$"
