"""Response headers that protect readers, and a log filter that keeps what they seek out of logs."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, request
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer

_QUERY = re.compile(r"\?[^\s\"]*")
_SEGMENT = r"[^\s?\"/#]+"
# Paths that name what a reader looks at, with the shape each keeps in the log. The admin
# area's own paths (/admin/centers/12/edit) stay readable: admins' actions are no secret.
_WATCHED_PATHS = (
    (re.compile(rf"(?<=/api/v1/centers/){_SEGMENT}"), "<id>"),
    (re.compile(rf"(?<!/admin)(?<!/api/v1)/centers/{_SEGMENT}"), "/centers/<slug>"),
    (re.compile(rf"/rehab/{_SEGMENT}/{_SEGMENT}"), "/rehab/<state>/<city>"),
    (re.compile(rf"/rehab/(?!<state>){_SEGMENT}"), "/rehab/<state>"),
)


def redact(text: str) -> str:
    """A log text without query strings, and with center and place paths reduced to shapes."""
    text = _QUERY.sub("?…", text)
    for pattern, shape in _WATCHED_PATHS:
        text = pattern.sub(shape, text)
    return text


def content_security_policy(tile_url: str | None) -> str:
    """The policy: our own origin only; map tiles only from the configured server."""
    images = "'self' data:"
    if tile_url:
        parts = urlsplit(tile_url.replace("{s}", "a"))
        host = parts.netloc.replace("a.", "*.", 1) if "{s}" in tile_url else parts.netloc
        images += f" {parts.scheme}://{host}"
    return (
        "default-src 'self'; script-src 'self'; style-src 'self'; "
        f"img-src {images}; connect-src 'self'; font-src 'self'; object-src 'none'; "
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )


def set_security_headers(response: Response) -> Response:
    """Add the headers to every response."""
    headers = response.headers
    headers.setdefault(
        "Content-Security-Policy",
        content_security_policy(current_app.config.get("LOCATOR_TILE_URL")),
    )
    headers.setdefault("X-Content-Type-Options", "nosniff")
    # A search URL holds a location: it must not reach the sites a reader clicks through to.
    headers.setdefault("Referrer-Policy", "no-referrer")
    headers.setdefault("Permissions-Policy", "geolocation=(self), camera=(), microphone=()")
    headers.setdefault("X-Frame-Options", "DENY")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response


class QueryStringFilter(logging.Filter):
    """Drops query strings from log lines, and the center or place a path names: they tell
    what people searched for and looked at."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record without them; never drops the record itself."""
        if isinstance(record.args, Mapping):
            # gunicorn's access log: named atoms, among them the bare query string "q".
            for key, value in record.args.items():
                if isinstance(value, str):
                    record.args[key] = "…" if key == "q" and value else redact(value)
        elif record.args:
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        return True


class SigningSessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie sessions, with the signing serializer made once per secret key
    (Flask makes a new one to read and another to write each cookie: about 20 µs a request)."""

    def __init__(self) -> None:
        self._kept: tuple[tuple, URLSafeTimedSerializer | None] | None = None

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        """Flask's serializer, made again only when the keys change."""
        keys = (app.secret_key, tuple(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        if self._kept is None or self._kept[0] != keys:
            self._kept = (keys, super().get_signing_serializer(app))
        return self._kept[1]


def init_app(app: Flask) -> None:
    """Register the headers, the session's signing and the log filter (Werkzeug's and
    gunicorn's access logs)."""
    app.after_request(set_security_headers)
    app.session_interface = SigningSessionInterface()
    for name in ("werkzeug", "gunicorn.access"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, QueryStringFilter) for f in logger.filters):
            logger.addFilter(QueryStringFilter())
