"""The map: drawn from the app's own Leaflet, tiles from the configured server only, in step
with the list, and absent when no tile server is configured or JavaScript is off."""

from __future__ import annotations

import re

import pytest

from tests.helpers.browser import needs_chromium, needs_leaflet
from tests.helpers.page_types import page_path

pytestmark = [pytest.mark.e2e, needs_chromium, needs_leaflet]

RESULTS = "/search?location=Austin%2C+TX&radius=25"


def drawn_map(page, path: str):
    """Open a page and wait until its map has placed its markers."""
    page.goto(path)
    box = page.locator("#map[data-markers]")
    box.wait_for()
    return box


def test_results_map_has_a_marker_for_each_result_with_a_popup(js_page):
    page = js_page
    drawn_map(page, RESULTS)
    cards = page.locator("li.center-card")
    markers = page.locator("#map .map-marker")
    assert markers.count() == cards.count() > 0
    assert markers.first.get_attribute("title").startswith("1. ")
    assert markers.first.get_attribute("role") == "button"  # Leaflet makes them focusable
    markers.first.focus()  # markers overlap where centers are close: open it from the keyboard
    page.keyboard.press("Enter")
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    first_name = cards.first.locator(".center-name a").inner_text()
    link = popup.get_by_role("link", name=first_name)
    assert link.get_attribute("href") == cards.first.locator(".center-name a").get_attribute("href")
    assert re.search(r"\d+\.\d mi away", popup.inner_text())
    assert page.context.request_log.tiles, "no tile was asked of the configured tile server"


def test_pointing_at_or_focusing_a_result_lights_up_its_marker(js_page):
    page = js_page
    drawn_map(page, RESULTS)
    second_marker = page.locator("#map .map-marker").nth(1)
    second_card = page.locator("li.center-card").nth(1)
    second_card.hover()
    assert "is-highlighted" in second_marker.get_attribute("class")
    page.mouse.move(0, 0)
    assert "is-highlighted" not in second_marker.get_attribute("class")
    second_card.locator(".center-name a").focus()
    assert "is-highlighted" in second_marker.get_attribute("class")
    page.mouse.move(0, 0)
    second_marker.dispatch_event("mouseover")
    assert "is-highlighted" in second_card.get_attribute("class")


@pytest.mark.parametrize("name", ["city", "center"])
def test_city_and_center_pages_have_a_map(name, js_page, live_server):
    box = drawn_map(js_page, page_path(live_server.app, name))
    assert int(box.get_attribute("data-markers")) >= 1
    assert box.get_attribute("aria-label").startswith("Map ")


def test_without_a_tile_server_there_is_no_map_and_no_leaflet(js_page, live_server):
    page = js_page
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    tile_url = live_server.app.config["LOCATOR_TILE_URL"]
    live_server.app.config["LOCATOR_TILE_URL"] = ""
    try:
        page.goto(RESULTS)
        page.wait_for_load_state("networkidle")
    finally:
        live_server.app.config["LOCATOR_TILE_URL"] = tile_url
    assert page.locator("#map").count() == 0
    assert not [url for url in asked if "leaflet" in url or "/tiles/" in url]
    assert page.locator("li.center-card").count() > 0  # the list stands on its own


def test_without_javascript_the_list_stands_alone(open_context):
    page = open_context(java_script_enabled=False).new_page()
    page.goto(RESULTS)
    assert page.locator("#map").is_hidden()
    cards = page.locator("li.center-card")
    assert cards.count() > 0
    assert cards.first.get_by_role("link", name=re.compile(r"^Call ")).is_visible()
