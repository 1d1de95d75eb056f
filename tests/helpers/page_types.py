"""One address for each type of page, for the layout, screenshot and accessibility tests."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from locator.extensions import db
from locator.models import Center

TEST_CENTER = "Congress Avenue Recovery (Test)"

# name: (path, the app's endpoint that must exist for the page to be there)
PAGE_TYPES: dict[str, tuple[str, str]] = {
    "home": ("/", "public.index"),
    "results": ("/search?location=New+York%2C+NY&radius=100", "public.search_results"),
    "no-results": ("/search?location=Nome%2C+AK&radius=5", "public.search_results"),
    "center": ("/centers/{center_slug}", "public.center_detail"),
    "states": ("/rehab/", "public.states_index"),
    "state": ("/rehab/texas", "public.state_page"),
    "city": ("/rehab/texas/austin", "public.city_page"),
    "articles": ("/articles/", "public.articles_index"),
    "article": ("/articles/choosing-and-paying-for-treatment", "public.article"),
    "site-search": ("/site-search?q=detox", "public.site_search"),
    "contact": ("/contact", "public.contact"),
    "report-problem": ("/centers/{center_slug}/report", "public.report_problem"),
    "helpline": ("/helpline", "public.helpline"),
    "privacy": ("/privacy", "public.privacy"),
    "api-docs": ("/api/", "api_docs.api_page"),
    "admin-sign-in": ("/admin/sign-in", "admin.sign_in"),
    "not-found": ("/no-such-page", "public.index"),
}


def hand_made_center_slug(app) -> str:
    """The URL slug of the hand-made Austin center."""
    with app.app_context():
        return db.session.scalar(sa.select(Center.slug).where(Center.name1 == TEST_CENTER))


def page_path(app, name: str) -> str | None:
    """The path of a page type, or None while its view is not part of the app."""
    path, endpoint = PAGE_TYPES[name]
    if endpoint not in app.view_functions:
        return None
    return path.format(center_slug=hand_made_center_slug(app))


def open_page_type(context, live_server, name: str, javascript: bool = True):
    """A page of the type, ready (its map drawn when it has one), or a skip."""
    path = page_path(live_server.app, name)
    if path is None:
        pytest.skip(f"the {name} page is not part of the app yet")
    page = context.new_page()
    page.goto(path)
    if javascript and page.locator("#map").count():
        page.wait_for_selector("#map[data-markers]")
    return page
