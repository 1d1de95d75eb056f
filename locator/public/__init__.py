"""Pages for people looking for treatment."""

from flask import Blueprint

bp = Blueprint("public", __name__)

# Each module registers its routes on bp.
from locator.public import (  # noqa: E402
    articles,  # noqa: F401
    contact,  # noqa: F401
    helpline,  # noqa: F401
    privacy,  # noqa: F401
    report_problem,  # noqa: F401
    site_search_view,  # noqa: F401
    views,  # noqa: F401
)
