"""The links every page repeats: the layout's navigation and the static files.

Flask builds each link through its URL map and the URL defaults (the page's language, a static
file's version), some 15 µs a link; a results page has twenty such links that are the same on
every page of its language. Templates' `url_for` keeps those, per app, language and script
root; a link with any other argument is built as usual. Not while debugging, where static
files change and their versions with them.
"""

from __future__ import annotations

from flask import Flask, current_app, request, url_for

from locator.web.i18n import current_language

_EXTENSION = "locator.fixed_links"


def _fixed(endpoint: str, values: dict) -> bool:
    """A link with no argument but its language, or a static file named by its path alone."""
    if not values or values.keys() == {"lang"}:
        return True
    return len(values) == 1 and "filename" in values and endpoint.rpartition(".")[2] == "static"


def template_url_for(endpoint: str, **values) -> str:
    """`url_for`, kept for the links every page repeats."""
    app = current_app._get_current_object()  # the app itself: one dict per app
    if app.debug or not _fixed(endpoint, values):
        return url_for(endpoint, **values)
    lang = values.get("lang") or current_language()
    key = (endpoint, values.get("filename"), lang, request.script_root)
    links = app.extensions[_EXTENSION]
    found = links.get(key)
    if found is None:
        found = links[key] = url_for(endpoint, **values)
    return found


def init_app(app: Flask) -> None:
    """Templates build links through the keeper."""
    app.extensions[_EXTENSION] = {}
    app.jinja_env.globals["url_for"] = template_url_for
