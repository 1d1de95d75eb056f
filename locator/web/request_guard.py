"""Refuse requests whose path or form holds a NUL character, before any view reads them.

No slug or form field ever holds one, and PostgreSQL refuses text that does: without this
guard a "%00" in a center's or city's address reached the database and was answered as an
outage (503) instead of as the bad input it is (400), and a form field holding one could not
be stored. Query parameters are left to the views, which read them as text (a search for an
odd character finds nothing); an address that matches no route stays a 404.
"""

from __future__ import annotations

from flask import Flask, abort, request
from flask_babel import lazy_gettext as _l

NUL = "\x00"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
MESSAGE = _l(
    "The address or the form holds a character that can't be used here (a null character). "
    "Please check what was typed and try again."
)


def holds_nul() -> bool:
    """Whether a routed path, or a form field's name or value, holds a NUL."""
    if request.url_rule is not None and NUL in request.path:
        return True
    if request.method != "POST" or request.mimetype not in FORM_TYPES:
        return False
    return any(NUL in key or NUL in value for key, value in request.form.items(multi=True))


def refuse_nul() -> None:
    """400 for a request that holds a NUL character."""
    if holds_nul():
        abort(400, str(MESSAGE))


def init_app(app: Flask) -> None:
    """Check every request first."""
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_nul)
