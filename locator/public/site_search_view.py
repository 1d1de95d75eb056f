"""The site search page: articles and treatment centers matching a few words."""

from __future__ import annotations

from flask import current_app, render_template, request

from locator.extensions import limiter
from locator.public import bp
from locator.read_replica import read_session
from locator.site_search import search_site
from locator.site_search.places import place_offer
from locator.taxonomy import current_taxonomy
from locator.web.i18n import current_language
from locator.web.params import ParameterError, page_number


def search_rate_limit() -> str:
    """The per-address limit on site searches, from the settings."""
    return current_app.config["LOCATOR_SEARCH_RATE_LIMIT"]


@bp.get("/site-search")
@limiter.limit(search_rate_limit)
def site_search():
    """Articles and treatment centers holding the words of `q`, in two groups, with pages."""
    text = request.args.get("q", "")
    try:
        page = page_number(request.args)
    except ParameterError as error:
        page_error = str(error)
        return render_template("public/site_search.html", text=text, page_error=page_error), 400
    if not text.strip():
        return render_template("public/site_search.html", text="")
    results = search_site(read_session(), text, page, lang=current_language())
    # A query that names a place gets the locator's answer first (on the first page only).
    offer = place_offer(read_session(), text, current_taxonomy()) if page == 1 else None
    return render_template("public/site_search.html", text=text, results=results, offer=offer)
