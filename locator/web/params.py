"""The one parser of numeric query parameters: ASCII digits only, within bounds, or a 400.

`str.isdigit()` accepts superscripts ("²"), which `int()` then refuses (a 500), and `int()`
itself reads fullwidth and Arabic-Indic digits ("５", "٥") as numbers. A page number or a
radius is typed with 0-9 or comes from our own links, so anything else is bad input.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from locator.web.catalog import gettext as _

MAX_PAGE = 10_000
# Twelve characters are plenty for any bound here, and `int()` never sees a huge string.
_DIGITS = re.compile(r"[0-9]{1,12}")


class ParameterError(ValueError):
    """A numeric parameter that is not a whole number in range; the message says what is."""


def whole_number(raw: str | None, minimum: int, maximum: int, message: str) -> int:
    """`raw` (surrounding spaces allowed) as an int from minimum to maximum, or ParameterError."""
    text = (raw or "").strip(" \t")
    if not _DIGITS.fullmatch(text) or not minimum <= int(text) <= maximum:
        raise ParameterError(message)
    return int(text)


def page_message(maximum: int = MAX_PAGE) -> str:
    """What a wrong page number is told."""
    return _(
        "The page must be a whole number from 1 to %(maximum)s, written with the digits 0-9.",
        maximum=maximum,
    )


def page_number(args: Mapping[str, str], maximum: int = MAX_PAGE) -> int:
    """The `page` of a query string, 1 when absent; ParameterError when wrong."""
    raw = args.get("page")
    return 1 if raw is None else whole_number(raw, 1, maximum, page_message(maximum))
