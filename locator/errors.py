"""Error pages for people and JSON errors for API clients; never a stack trace."""

from __future__ import annotations

import logging

from flask import Flask, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

from locator.api.errors import error_response

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


def handle_http_error(error: HTTPException):
    """Any HTTP error: a short page or JSON body with the right status."""
    status = error.code or 500
    description = error.description if status < 500 else "Something went wrong on our side."
    if wants_json():
        return error_response(status, error.name if status >= 500 else description)
    template = "errors/404.html" if status == 404 else "errors/error.html"
    return render_template(template, status=status, title=error.name, message=description), status


def handle_unexpected(error: Exception):
    """An unexpected failure: logged (path only, never the query), a plain 500 page."""
    log.exception("unhandled error on %s %s", request.method, request.path)
    return handle_http_error(InternalServerError())


def init_app(app: Flask) -> None:
    """Register the handlers."""
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected)
