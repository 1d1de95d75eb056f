"""The site search page: articles and treatment centers matching a few words."""

from __future__ import annotations

import re

from flask import current_app, render_template, request

from locator.extensions import limiter
from locator.forms import MAX_PAGE
from locator.public import bp
from locator.read_replica import read_session
from locator.site_search import search_site
from locator.site_search.places import place_offer
from locator.taxonomy import current_taxonomy

PAGE_NUMBER = re.compile(r"[0-9]{1,6}")
PAGE_ERROR = f"The page must be a whole number from 1 to {MAX_PAGE}."


def page_number(raw: str) -> int | None:
    """A page number from 1 to MAX_PAGE, or None when the text is anything else."""
    raw = raw.strip()
    if not PAGE_NUMBER.fullmatch(raw) or not 1 <= int(raw) <= MAX_PAGE:
        return None
    return int(raw)


def search_rate_limit() -> str:
    """The per-address limit on site searches, from the settings."""
    return current_app.config["LOCATOR_SEARCH_RATE_LIMIT"]


@bp.get("/site-search")
@limiter.limit(search_rate_limit)
def site_search():
    """Articles and treatment centers holding the words of `q`, in two groups, with pages."""
    text = request.args.get("q", "")
    page = page_number(request.args.get("page", "1"))
    if page is None:
        return render_template("public/site_search.html", text=text, page_error=PAGE_ERROR), 400
    if not text.strip():
        return render_template("public/site_search.html", text="")
    results = search_site(read_session(), text, page)
    # A query that names a place gets the locator's answer first (on the first page only).
    offer = place_offer(read_session(), text, current_taxonomy()) if page == 1 else None
    return render_template("public/site_search.html", text=text, results=results, offer=offer)
