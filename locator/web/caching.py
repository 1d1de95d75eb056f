"""Cache headers: static files versioned by content and kept a year, HTML by what it holds.

A static URL carries `?v=<hash of the file>`, so a changed file gets a new URL and the old
one can be cached for good. Pages are cached briefly; pages that hold a form token, a
session or what a person typed are kept out of shared caches, or not stored at all. A
Spanish page has its own URL (`/es/...`), so caches keep the two languages apart by URL; the
English home page also says `Vary: Accept-Language` (see locator.web.i18n).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from flask import Flask, Response, current_app, g, request, session

from locator.web.i18n import without_language_prefix

LONG_LIVED = "public, max-age=31536000, immutable"
UNVERSIONED = "no-cache"  # an old or missing version: revalidate every time
PUBLIC_PAGE = "public, max-age=300"
# Pages whose URL holds what a person typed (a location, words), and pages filled for their
# reader (an article naming the reader's city, from the URL, the session or the IP address):
# only the reader's browser keeps them.
TYPED_QUERY_PAGE = "private, max-age=300"
PERSONAL = "private, no-store"
NOT_STORED = "no-store"
TYPED_QUERY_PREFIXES = ("/search", "/site-search", "/api/")
PERSONAL_PREFIXES = ("/admin",)


def file_hashes(folder: str | Path) -> dict[str, str]:
    """A short content hash of every file under a folder, keyed by its path in URLs."""
    root = Path(folder)
    if not root.is_dir():
        return {}
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()[:12]
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def _static_folder(app: Flask, endpoint: str) -> str | None:
    if endpoint == "static":
        return app.static_folder
    blueprint = app.blueprints.get(endpoint.rpartition(".")[0])
    return blueprint.static_folder if blueprint else None


def static_version(app: Flask, endpoint: str, filename: str) -> str | None:
    """The content hash of a static file, hashed once per folder (each time when debugging)."""
    folder = _static_folder(app, endpoint)
    if folder is None:
        return None
    known = app.extensions["locator.static_hashes"]
    if folder not in known or app.debug:
        known[folder] = file_hashes(folder)
    return known[folder].get(filename)


def add_static_version(endpoint: str, values: dict) -> None:
    """url_for('static', filename=...) gets `v=<hash>` unless the caller gave one."""
    if endpoint != "static" and not endpoint.endswith(".static"):
        return
    if "filename" in values and "v" not in values:
        version = static_version(current_app, endpoint, values["filename"])
        if version:
            values["v"] = version


def _personal(response: Response) -> bool:
    """A form token, a cookie being set, or a session that holds something about the reader.

    (Every page reads the session, if only to learn that nobody is signed in: an empty one
    makes no page personal.)
    """
    return (
        request.path.startswith(PERSONAL_PREFIXES)
        or "csrf_token" in g
        or "Set-Cookie" in response.headers
        or (session.accessed and len(session) > 0)
    )


def filled_per_reader() -> None:
    """Mark the current page as filled for its reader: no shared cache may keep it."""
    g.filled_per_reader = True


def page_cache_control(response: Response) -> str:
    """The Cache-Control a dynamic response deserves."""
    if request.method not in ("GET", "HEAD") or response.status_code >= 400:
        return NOT_STORED
    if _personal(response):
        return PERSONAL
    typed = without_language_prefix(request.path).startswith(TYPED_QUERY_PREFIXES)
    if typed or g.get("filled_per_reader"):
        return TYPED_QUERY_PAGE
    return PUBLIC_PAGE


def static_cache_control() -> str:
    """A year for the current version of a file; revalidation for any other URL of it."""
    filename = (request.view_args or {}).get("filename", "")
    version = static_version(current_app, request.endpoint or "", filename)
    return LONG_LIVED if version and request.args.get("v") == version else UNVERSIONED


def set_cache_headers(response: Response) -> Response:
    """Set Cache-Control where the view did not."""
    endpoint = request.endpoint or ""
    if endpoint == "static" or endpoint.endswith(".static"):
        if response.status_code in (200, 304):
            response.headers["Cache-Control"] = static_cache_control()
        return response
    if "Cache-Control" not in response.headers:
        response.headers["Cache-Control"] = page_cache_control(response)
    return response


def init_app(app: Flask) -> None:
    """Hash the static files once and register the URL and header hooks."""
    app.extensions["locator.static_hashes"] = {app.static_folder: file_hashes(app.static_folder)}
    app.url_defaults(add_static_version)
    app.after_request(set_cache_headers)
