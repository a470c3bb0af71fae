"""Errors raised by the extractors, so callers can log a reason instead of a traceback."""

from pledgewatch.errors import PledgewatchError


class ExtractionError(PledgewatchError, ValueError):
    """The input is not an HTML article page we can use (no title and no body, or not HTML)."""


class FeedError(PledgewatchError, ValueError):
    """The input cannot be read as a feed or sitemap at all."""
