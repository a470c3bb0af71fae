"""Errors raised by the extractors, so callers can log a reason instead of a traceback."""


class ExtractionError(ValueError):
    """The input is not an HTML article page we can use (no title and no body, or not HTML)."""


class FeedError(ValueError):
    """The input cannot be read as a feed or sitemap at all."""
