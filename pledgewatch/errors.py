"""The one family of errors that mean "the input or the situation is wrong,
not the code": the command line prints them as one line, without a traceback.

It lives apart from the command line so that any module can raise one without
importing `pledgewatch.cli` (under `python -m pledgewatch.cli` that import made
a second copy of the module and its error classes, and a user error escaped
as a traceback).
"""

from __future__ import annotations


class PledgewatchError(Exception):
    """Something the person running pledgewatch can fix; the message says what."""


class UsageError(PledgewatchError):
    """A problem with the command's arguments or input files."""
