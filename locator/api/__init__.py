"""The read-only JSON API."""

from flask import Blueprint

bp = Blueprint("api", __name__)

from locator.api import views  # noqa: E402,F401  (registers the routes)
