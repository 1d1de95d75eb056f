"""Who answers the helpline shown at the top of every page."""

from __future__ import annotations

from flask import current_app, render_template

from locator.config import DEFAULT_HELPLINE_NUMBER
from locator.public import bp


@bp.get("/helpline")
def helpline():
    """Who answers the helpline number, what they help with, what it costs, and privacy."""
    number = current_app.config["LOCATOR_HELPLINE_NUMBER"]
    return render_template(
        "public/helpline.html", national_line=number.strip() == DEFAULT_HELPLINE_NUMBER
    )
