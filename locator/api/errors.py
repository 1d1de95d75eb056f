"""JSON error bodies for API clients."""

from __future__ import annotations

from flask import jsonify


def error_response(status: int, message: str, **extra):
    """A JSON error with its status code."""
    response = jsonify(error=message, status=status, **extra)
    response.status_code = status
    return response


def bad_request(errors: dict[str, list[str]], **extra):
    """400, naming each wrong parameter and why."""
    return error_response(400, "Some parameters are not valid.", errors=errors, **extra)


def not_found(message: str = "Not found."):
    """404."""
    return error_response(404, message)
