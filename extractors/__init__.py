"""Pages and feeds → articles: decoding, canonical URLs, dates, metadata, body, feed stubs."""

from .article import extract_article, fill_from_feed
from .dates import JST, parse_datetime
from .encoding import decode_document
from .errors import ExtractionError, FeedError
from .feeds import parse_feed
from .model import ExtractedArticle, FeedItem, ParsedFeed
from .rules import OutletRule, rule_for
from .urls import canonicalize_url, is_http_url

__all__ = [
    "JST",
    "ExtractedArticle",
    "ExtractionError",
    "FeedError",
    "FeedItem",
    "OutletRule",
    "ParsedFeed",
    "canonicalize_url",
    "decode_document",
    "extract_article",
    "fill_from_feed",
    "is_http_url",
    "parse_datetime",
    "parse_feed",
    "rule_for",
]
