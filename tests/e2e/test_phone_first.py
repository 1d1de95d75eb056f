"""Issue 12 in a real browser: the locator's search first on a 390×844 phone, the count line
and first card on the first screen, the width used on a desktop, directions in the phone's
own maps app, a list to keep; and the screenshots to look at."""

from __future__ import annotations

import re
from contextlib import contextmanager

import pytest

from tests.helpers.browser import DESKTOP, SCREENSHOTS, needs_chromium
from tests.helpers.browser import TALL_PHONE as PHONE

pytestmark = [pytest.mark.e2e, needs_chromium]

SHOTS = SCREENSHOTS / "phone-first"  # inside the checkout, apart from other tests' pictures
TEST_CENTER = "Congress Avenue Recovery (Test)"
WITH_FILTERS = "/search?location=78701&radius=25&service=methadone&service=medicaid&service=spanish"
RURAL = "/search?location=59001&radius=25"
ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Mobile Safari/537.36"
)
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)
FIRST_FIELD = """() => {
  const fields = [...document.querySelectorAll(
    'input:not([type=hidden]), select, textarea')];
  // checkVisibility: a field in a closed <details> has a box but is not shown.
  const shown = fields.filter((el) => el.checkVisibility({visibilityProperty: true}));
  return shown.length ? shown[0].id : null;
}"""


@contextmanager
def no_map(app):
    """The app without a tile server, for the layout of the list beside the filters."""
    saved = app.config["LOCATOR_TILE_URL"]
    app.config["LOCATOR_TILE_URL"] = ""
    try:
        yield
    finally:
        app.config["LOCATOR_TILE_URL"] = saved


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("path", ["/", WITH_FILTERS])
def test_on_a_phone_the_first_field_is_the_locators_search(open_context, path, javascript):
    page = open_context(viewport=PHONE, java_script_enabled=javascript).new_page()
    page.goto(path)
    assert page.evaluate(FIRST_FIELD) == "location"
    assert page.locator("#site-search-q").is_hidden()
    page.get_by_text("Search the site").click()  # the folded site search opens on a tap
    assert page.locator("#site-search-q").is_visible()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize(
    "path", [WITH_FILTERS, "/search?location=New+York%2C+NY&radius=100", RURAL]
)
def test_on_a_phone_the_count_and_first_card_are_on_the_first_screen(
    open_context, path, javascript
):
    page = open_context(viewport=PHONE, java_script_enabled=javascript).new_page()
    page.goto(path)
    summary = page.locator("p.summary").first.bounding_box()
    assert summary["y"] + summary["height"] <= PHONE["height"]
    card = page.locator("li.center-card").first.bounding_box()
    name = page.locator("li.center-card h3").first.bounding_box()
    assert card["y"] < name["y"] + name["height"] <= PHONE["height"], (card, name)


def test_on_a_desktop_the_filters_stand_beside_the_list(open_context, live_server):
    with no_map(live_server.app):
        page = open_context(viewport=DESKTOP).new_page()
        page.goto(WITH_FILTERS)
        panel = page.locator("aside.filter-panel").bounding_box()
        cards = page.locator("ol.center-list").bounding_box()
        assert panel["x"] + panel["width"] <= cards["x"]
        assert panel["y"] < cards["y"] + cards["height"] and cards["y"] < panel["y"] + 900
        # Open beside the list, without a click.
        assert page.locator("label.check", has_text="Detox").first.is_visible()
        assert cards["width"] > 700


def test_on_a_desktop_with_a_map_the_list_stands_beside_it(js_page):
    page = js_page
    page.goto("/search?location=New+York%2C+NY&radius=100")
    page.wait_for_selector("#map[data-markers]")
    cards = page.locator("ol.center-list").bounding_box()
    map_box = page.locator("#map").bounding_box()
    assert cards["x"] + cards["width"] <= map_box["x"]
    assert abs(map_box["y"] - cards["y"]) < 200


@pytest.mark.parametrize(
    ("agent", "start"),
    [
        (ANDROID, "geo:30.265,-97.745?q=30.265,-97.745("),
        (IPHONE, "https://maps.apple.com/?daddr=30.265,-97.745"),
        (None, "https://www.openstreetmap.org/directions?route=%3B30.265%2C-97.745"),
    ],
    ids=["android", "iphone", "desktop"],
)
def test_directions_open_the_phones_own_maps_app(open_context, agent, start):
    options = {"viewport": PHONE, **({"user_agent": agent} if agent else {})}
    context = open_context(**options)
    page = context.new_page()
    for path in ("/search?location=78701", "/centers/congress-avenue-recovery-test-austin-tx"):
        page.goto(path)
        page.wait_for_load_state("load")
        link = page.locator("a.directions").first
        assert link.get_attribute("href").startswith(start)
    # Nothing was asked of any other host (the context's guard fails the test otherwise).
    assert context.request_log.refused == []


def test_without_javascript_directions_are_the_web_map(open_context):
    page = open_context(viewport=PHONE, java_script_enabled=False, user_agent=ANDROID).new_page()
    page.goto("/search?location=78701")
    assert (
        page.locator("a.directions")
        .first.get_attribute("href")
        .startswith("https://www.openstreetmap.org/")
    )


def test_copy_link_copies_the_search(open_context, live_server):
    context = open_context(viewport=PHONE)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    page.goto(WITH_FILTERS)
    page.get_by_role("button", name="Copy link").click()
    page.get_by_text("Link copied.").wait_for()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == live_server.url + WITH_FILTERS


def test_without_javascript_the_link_is_there_to_copy_by_hand(open_context, live_server):
    page = open_context(viewport=PHONE, java_script_enabled=False).new_page()
    page.goto(WITH_FILTERS)
    assert page.get_by_role("button", name="Copy link").is_hidden()
    assert page.locator("#keep-link").input_value() == live_server.url + WITH_FILTERS


def pdf_pages(page) -> int:
    """How many pages the page prints on (US Letter)."""
    return len(re.findall(rb"/Type\s*/Page[^s]", page.pdf(format="Letter")))


def test_a_center_prints_on_one_page_with_large_phone_numbers(js_page):
    page = js_page
    page.goto("/centers/congress-avenue-recovery-test-austin-tx?print=1")
    assert page.locator("html.print-view").count() == 1
    for hidden in ("form.search-form", ".keep-list", ".site-search-fold", ".breadcrumbs"):
        assert page.locator(hidden).count() == 0 or page.locator(hidden).first.is_hidden()
    size = page.locator(".phones a").first.evaluate("a => parseFloat(getComputedStyle(a).fontSize)")
    assert size >= 20
    assert pdf_pages(page) == 1


def test_a_printed_result_list_shows_big_numbers_and_no_controls(js_page):
    page = js_page
    page.goto(WITH_FILTERS)
    page.emulate_media(media="print")
    assert page.locator("aside.filter-panel").is_hidden()
    assert page.locator(".keep-list").is_hidden()
    call = page.locator("li.center-card .button.call").first
    assert call.evaluate("a => parseFloat(getComputedStyle(a).fontSize)") >= 20


SCREENS = {
    "home": "/",
    "results-filters": WITH_FILTERS,
    "rural-59001-25mi": RURAL,
    "center": "/centers/congress-avenue-recovery-test-austin-tx",
    "site-search-detox-denver": "/site-search?q=detox+denver",
}


@pytest.mark.parametrize("name", list(SCREENS))
def test_screenshots_for_the_issue(open_context, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    for size in (PHONE, DESKTOP):
        page = open_context(viewport=size).new_page()
        page.goto(SCREENS[name])
        if page.locator("#map").count():
            page.wait_for_selector("#map[data-markers]")
        page.screenshot(path=SHOTS / f"{name}-{size['width']}x{size['height']}.png")
        page.screenshot(
            path=SHOTS / f"{name}-{size['width']}x{size['height']}-full.png", full_page=True
        )
        page.close()


def test_screenshot_of_the_list_beside_the_filters(open_context, live_server):
    SHOTS.mkdir(parents=True, exist_ok=True)
    with no_map(live_server.app):
        for size in (PHONE, DESKTOP):
            page = open_context(viewport=size).new_page()
            page.goto(WITH_FILTERS.replace("radius=25", "radius=100"))
            name = f"results-filters-no-map-{size['width']}x{size['height']}"
            page.screenshot(path=SHOTS / f"{name}.png")
            page.screenshot(path=SHOTS / f"{name}-full.png", full_page=True)
            page.close()
