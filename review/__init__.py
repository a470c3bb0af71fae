"""The moderators' web app: a queue of suggested (article → pledge) links, decided
one keystroke at a time, every decision appended to DuckDB (DESIGN §2, §4).

FastAPI + Jinja2 templates + htmx shipped as a static file: no front-end build.
"""

from review.app import create_app
from review.config import ReviewConfig

__all__ = ["ReviewConfig", "create_app"]
