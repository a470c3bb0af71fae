"""Pages and feeds → articles: decoding, canonical URLs, dates, metadata, body, feed stubs."""

from .article import extract_article
from .dates import parse_datetime
from .encoding import decode_document
from .errors import ExtractionError, FeedError
from .feeds import parse_feed
from .model import ExtractedArticle, FeedItem, ParsedFeed
from .rules import OutletRule, rule_for
from .urls import canonicalize_url, is_http_url

__all__ = [
    "ExtractedArticle",
    "ExtractionError",
    "FeedError",
    "FeedItem",
    "OutletRule",
    "ParsedFeed",
    "canonicalize_url",
    "decode_document",
    "extract_article",
    "is_http_url",
    "parse_datetime",
    "parse_feed",
    "rule_for",
]
