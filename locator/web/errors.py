"""Error pages for people and JSON errors for API clients; never a stack trace."""

from __future__ import annotations

import contextlib
import logging
import re
import secrets

from flask import Flask, current_app, g, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import HTTPException, TooManyRequests

from locator.api.errors import error_response
from locator.web.catalog import gettext as _

log = logging.getLogger(__name__)


def wants_json() -> bool:
    """API paths, and clients that prefer JSON to HTML, get JSON errors."""
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return (
        best == "application/json"
        and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]
    )


# Page titles and, where the view gave none of its own, messages for the errors people meet,
# in the page's language (werkzeug's own names and descriptions are English only).
TITLES = {
    400: _l("Something in that request can't be used"),
    403: _l("Not allowed"),
    404: _l("Page not found"),
    405: _l("That can't be done at this address"),
    413: _l("Too large"),
}
MESSAGES = {
    400: _l("The address or the form holds something this site can't read. Please check it."),
    403: _l("This page is not open to visitors."),
    404: _l("The address may be mistyped, or the listing may have been removed."),
    405: _l("This address can't take that kind of request. Please use the site's own links."),
}


def error_title(error: HTTPException, status: int) -> str:
    """A page title for an HTTP error, in the page's language."""
    if status in TITLES:
        return str(TITLES[status])
    if status >= 500:
        return _("Sorry")
    return _("Error %(status)s", status=status)


def handle_http_error(error: HTTPException):
    """Any HTTP error: a short page or JSON body with the right status."""
    status = error.code or 500
    description = error.description if status < 500 else _("Something went wrong on our side.")
    if description == type(error).description and status in MESSAGES and not wants_json():
        description = str(MESSAGES[status])  # werkzeug's default wording, in English only
    if status == 413:
        limit = round((current_app.config.get("MAX_CONTENT_LENGTH") or 0) / (1024 * 1024), 1)
        description = _(
            "That upload is too large: the limit is %(limit)s MB. Split the file and try again.",
            limit=format(limit, "g"),
        )
    # Keep the error's own headers, such as a 405's Allow (which HTTP requires).
    headers = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]
    if wants_json():
        response = error_response(status, error.name if status >= 500 else description)
        response.headers.extend(headers)
        return response
    template = "errors/404.html" if status == 404 else "errors/error.html"
    title = error_title(error, status)
    page = render_template(template, status=status, title=title, message=description)
    return page, status, headers


FORM_EXPIRED = _l("This form has expired. Please go back, reload the page and submit again.")


def handle_csrf_error(error: CSRFError):
    """A form sent without its valid token: 400 and how to recover, never the token's details."""
    if wants_json():
        return error_response(400, str(FORM_EXPIRED))
    page = render_template(
        "errors/error.html", status=400, title=_("This form has expired"), message=FORM_EXPIRED
    )
    return page, 400


def handle_too_many_requests(error: TooManyRequests):
    """429: JSON for API clients; for people, a page that says to call instead and how."""
    if wants_json():
        return error_response(429, "Too many requests. Please wait a while before trying again.")
    return render_template("errors/429.html"), 429


def handle_database_unavailable(error: Exception):
    """The database is unreachable or locked: 503, and the helpline still shows.

    The page must not touch the database again: templates would load a signed-in admin
    (Flask-Login's `current_user`) and ask whether sample data is loaded, so both are settled
    here first, and a second failure can't turn the 503 into a bare 500.
    """
    from locator.extensions import db, login_manager
    from locator.web.templating import unknown_provenance

    log.error("database unavailable (request %s): %s", g.get("request_id"), type(error).__name__)
    g._login_user = login_manager.anonymous_user()  # what Flask-Login's current_user returns
    g.provenance = unknown_provenance()  # the notice of base.html, without asking
    # The connection may be gone; the pool pre-pings on the next checkout.
    with contextlib.suppress(DBAPIError):
        db.session.rollback()
    message = _("The directory is unavailable for a moment. Please try again in a few minutes.")
    if wants_json():
        return error_response(503, message)
    page = render_template(
        "errors/error.html", status=503, title=_("Temporarily unavailable"), message=message
    )
    return page, 503, {"Retry-After": "30"}


def handle_unexpected(error: Exception):
    """An unexpected failure: logged with a request id (path only, never the query)."""
    log.exception(
        "unhandled error on %s %s (request %s)", request.method, request.path, g.get("request_id")
    )
    message = _(
        "Something went wrong on our side. If you contact us about it, "
        "give this reference: %(reference)s.",
        reference=g.get("request_id", "-"),
    )
    if wants_json():
        return error_response(500, "Internal Server Error", request_id=g.get("request_id"))
    page = render_template("errors/error.html", status=500, title=_("Sorry"), message=message)
    return page, 500


_REQUEST_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")


def assign_request_id() -> None:
    """Use the proxy's X-Request-ID when it is well formed, else make one."""
    given = request.headers.get("X-Request-ID", "")
    g.request_id = given if _REQUEST_ID.match(given) else secrets.token_hex(8)


def add_request_id_header(response):
    """Send the request id back, so a person's report can be matched to the log."""
    if "request_id" in g:
        response.headers["X-Request-ID"] = g.request_id
    return response


def init_app(app: Flask) -> None:
    """Register the handlers."""
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(TooManyRequests, handle_too_many_requests)
    app.register_error_handler(OperationalError, handle_database_unavailable)
    app.register_error_handler(DBAPIError, handle_database_unavailable)
    app.register_error_handler(Exception, handle_unexpected)
    app.before_request(assign_request_id)
    app.after_request(add_request_id_header)
