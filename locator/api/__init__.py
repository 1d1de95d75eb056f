"""The read-only JSON API."""

from flask import Blueprint, current_app

from locator.extensions import limiter

bp = Blueprint("api", __name__)


def api_rate_limit() -> str:
    """The per-address limit on the API's endpoints together, from the settings."""
    return current_app.config["LOCATOR_API_RATE_LIMIT"]


# One count for the whole API: a client cannot get more by spreading over endpoints.
limiter.shared_limit(api_rate_limit, scope="api")(bp)

# Each module registers its routes; `places` answers the search box's place suggestions.
from locator.api import places, views  # noqa: E402,F401
