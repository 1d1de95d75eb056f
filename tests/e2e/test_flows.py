"""What a person does on the site, in Chromium, with JavaScript on and again with it off."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa

from locator.extensions import db
from locator.models import ContactRequest
from tests.helpers.browser import needs_chromium
from tests.helpers.page_types import page_path

pytestmark = [pytest.mark.e2e, needs_chromium]

TEST_CENTER = "Congress Avenue Recovery (Test)"


def search_from_home(page, text: str, radius: str = "25") -> None:
    """Type a place into the home page's search box and press the Search button."""
    page.goto("/")
    page.fill("#location", text)
    page.select_option("#radius", radius)
    page.locator("form.search-form button[type=submit]", has_text="Search").click()
    page.wait_for_url(re.compile(r"/search\?"))


def query_of(page) -> dict[str, list[str]]:
    """The current URL's query parameters."""
    return parse_qs(urlsplit(page.url).query)


def test_search_by_zip_from_the_home_page(page):
    search_from_home(page, "78701")
    assert "78701" in page.locator("h1").inner_text()
    assert page.get_by_role("link", name=TEST_CENTER).is_visible()
    assert query_of(page)["location"] == ["78701"]


def test_search_by_city_and_state_from_the_home_page(page):
    search_from_home(page, "Austin, TX")
    assert page.locator("h1").inner_text() == "Treatment centers near Austin, TX"
    summary = page.locator("p.summary").inner_text()
    assert re.match(r"\d+ centers? within 25 miles", summary)
    assert page.get_by_role("link", name=TEST_CENTER).is_visible()


def test_a_place_that_is_not_known_says_so_next_to_the_box(page):
    search_from_home(page, "Qwxyzzy, TX")
    box = page.locator("#location")
    assert box.get_attribute("aria-invalid") == "true"
    error = page.locator("#" + box.get_attribute("aria-describedby").split()[0])
    assert "couldn't find" in error.inner_text()
    assert error.get_attribute("role") == "alert"


def test_apply_and_clear_filters(page):
    page.goto("/search?location=Austin%2C+TX&radius=100")
    everything = int(page.locator("p.summary").inner_text().split()[0])
    page.locator("details.filters > summary").click()
    detox = page.locator("label.check", has=page.locator("input[value=detox]"))
    offered = int(detox.locator(".count").inner_text().split()[0])
    assert 0 < offered < everything
    detox.locator("input").check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"service=detox"))
    assert int(page.locator("p.summary").inner_text().split()[0]) == offered
    assert page.get_by_role("link", name="Remove filter Detox").is_visible()
    page.get_by_role("link", name="Clear all filters").click()
    page.wait_for_load_state()
    assert "service" not in query_of(page)
    assert int(page.locator("p.summary").inner_text().split()[0]) == everything


def test_page_through_results(page):
    search_from_home(page, "New York, NY", radius="100")
    assert "Page 1 of 2" in page.locator("p.summary").inner_text()
    assert page.locator("ol.center-list > li").count() == 20
    page.get_by_role("link", name="Next →").click()
    page.wait_for_url(re.compile(r"page=2"))
    assert "Page 2 of 2" in page.locator("p.summary").inner_text()
    assert page.locator("ol.center-list").get_attribute("start") == "21"
    page.get_by_role("link", name="← Previous").click()
    page.wait_for_url(re.compile(r"page=1"))
    assert "Page 1 of 2" in page.locator("p.summary").inner_text()


def test_open_a_center_with_call_and_directions_links(page):
    search_from_home(page, "78701")
    card = page.locator("li.center-card", has=page.get_by_role("link", name=TEST_CENTER))
    assert card.get_by_role("link", name=re.compile(r"^Call ")).get_attribute("href") == (
        "tel:+15125550101;ext=12"
    )
    assert card.get_by_role("link", name="Directions").get_attribute("href").startswith("https://")
    card.get_by_role("link", name=TEST_CENTER).click()
    page.wait_for_url(re.compile(r"/centers/"))
    assert page.locator("h1").inner_text() == TEST_CENTER
    phones = page.locator(".phones a[href^='tel:']")
    assert phones.count() == 3  # main, intake and hotline
    directions = page.get_by_role("link", name="Directions")
    assert "30.265" in directions.get_attribute("href")


def skip_unless_page(page, path_name: str) -> str:
    """The path of a page type, or a skip while the app does not have that page."""
    path = page_path(page.context.live_app, path_name)
    if path is None:
        pytest.skip(f"the {path_name} page is not part of the app yet")
    return path


def test_an_article_speaks_of_the_place_last_searched(page):
    skip_unless_page(page, "article")
    search_from_home(page, "Austin, TX")
    page.goto("/articles/chances-of-recovering-from-heroin-addiction")
    body = page.locator(".article-body").inner_text()
    assert "Austin" in body
    assert not re.search(r"\[(city|region|url|/url)[\] ]", body), "a placeholder was left unfilled"
    detox = page.get_by_role("link", name=re.compile("detox", re.I)).first
    assert "service=detox" in detox.get_attribute("href")


def test_site_search_finds_centers_and_articles(page):
    path = skip_unless_page(page, "site-search")
    page.goto(path.split("?")[0])
    page.fill("#site-search-page-q", "detox")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"q=detox"))
    assert page.get_by_role("link", name="Lady Bird Lake Detox (Test)").is_visible()
    page.get_by_role("link", name="Lady Bird Lake Detox (Test)").click()
    assert page.locator("h1").inner_text() == "Lady Bird Lake Detox (Test)"


@pytest.fixture
def forget_contact_requests(live_server):
    """Delete the requests a test sends, so that other tests count only their own."""
    app = live_server.app
    with app.app_context():
        last = db.session.scalar(sa.select(sa.func.max(ContactRequest.id))) or 0
    yield
    with app.app_context():
        db.session.execute(sa.delete(ContactRequest).where(ContactRequest.id > last))
        db.session.commit()


def test_contact_form_shows_an_error_then_sends(page, forget_contact_requests):
    path = skip_unless_page(page, "contact")
    page.goto(path)
    send = page.locator("form.contact-form button[type=submit]")
    send.click()
    page.wait_for_load_state()
    summary = page.locator(".error-summary")
    assert summary.get_attribute("role") == "alert"
    assert "phone number or an email address" in summary.inner_text()
    phone = page.locator("#phone")
    assert phone.get_attribute("aria-invalid") == "true"
    assert "reach-error" in phone.get_attribute("aria-describedby")
    summary.get_by_role("link").first.click()  # the summary's links lead to the fields
    phone.fill("(512) 555-0123")
    page.get_by_label("Someone I care about").check()
    page.locator("#consent").check()
    page.locator("form.contact-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/contact/sent"))
    assert "we have your request" in page.locator("h1").inner_text()
