"""The layout's fixed parts, the site header and footer, written once per language and kept.

They hold about thirty translated words, links and the helpline, the same on every page in
one language; writing them took 0.06–0.08 ms of a results page's 2 ms. What varies
per page (the link to the other language) sits between two kept parts. The key holds all
they depend on: the language, the path the app is served under, and the helpline settings.
In debug, where templates reload when edited, they are written anew for every page.
"""

from __future__ import annotations

from flask import Flask, current_app, request
from markupsafe import Markup

from locator.web.i18n import current_language

TEMPLATE = "_partials/layout_parts.html"
PARTS = ("header_start", "header_end", "footer")
_KEPT = "locator.layout_parts"
# Keys differ only by language, mount path and settings: a handful; this bounds the odd case.
MAX_KEPT = 64


def _written(app: Flask, name: str, language: str) -> Markup:
    template = app.jinja_env.get_template(TEMPLATE)
    context = template.new_context({"lang": language})
    # Jinja wrote it with autoescape on, as every .html template: it is markup already.
    return Markup("".join(template.blocks[name](context)))  # noqa: S704  # nosec B704


def layout_part(name: str) -> Markup:
    """The part `name` of PARTS for the current page's language."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    language = current_language()
    if app.jinja_env.auto_reload:
        return _written(app, name, language)
    config = app.config
    key = (
        name,
        language,
        request.script_root,
        config["LOCATOR_HELPLINE_NUMBER"],
        config["LOCATOR_HELPLINE_NAME"],
    )
    kept: dict = app.extensions[_KEPT]
    part = kept.get(key)
    if part is None:
        if len(kept) >= MAX_KEPT:
            kept.clear()
        part = kept[key] = _written(app, name, language)
    return part


def init_app(app: Flask) -> None:
    """Make `layout_part` a template global."""
    app.extensions[_KEPT] = {}
    app.jinja_env.globals["layout_part"] = layout_part
