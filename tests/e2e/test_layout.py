"""Every page type at phone and desktop widths: screenshots to look at, and nothing too wide."""

from __future__ import annotations

import re

import pytest

from tests.helpers.browser import DESKTOP, PHONE, SCREENSHOTS, horizontal_overflow, needs_chromium
from tests.helpers.page_types import PAGE_TYPES, open_page_type, page_path

pytestmark = [pytest.mark.e2e, needs_chromium]

# 320 px is the narrowest phone; 640 px is a 1280 px window zoomed to 200%.
NARROW = {"width": 320, "height": 640}
ZOOMED = {"width": 640, "height": 450}


@pytest.mark.parametrize("name", list(PAGE_TYPES))
def test_screenshots_and_no_sideways_scrolling(name, open_context, live_server):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = open_page_type(open_context(viewport=PHONE), live_server, name)
    too_wide = []
    for size in (PHONE, NARROW, ZOOMED, DESKTOP):
        page.set_viewport_size(size)
        width, height = size["width"], size["height"]
        if horizontal_overflow(page) > 0:
            too_wide.append(f"{width} px: {horizontal_overflow(page)} px too wide")
        if size in (PHONE, DESKTOP):
            page.screenshot(path=SCREENSHOTS / f"{name}-{width}x{height}.png", full_page=True)
    assert not too_wide


def test_no_page_scrolls_sideways_without_javascript(open_context, live_server):
    context = open_context(viewport=PHONE, java_script_enabled=False)
    too_wide = []
    for name in PAGE_TYPES:
        if page_path(live_server.app, name) is None:
            continue
        page = open_page_type(context, live_server, name, javascript=False)
        for size in (PHONE, NARROW, ZOOMED):
            page.set_viewport_size(size)
            if horizontal_overflow(page) > 0:
                too_wide.append(f"{name} at {size['width']} px: {horizontal_overflow(page)} px")
        page.close()
    assert not too_wide


def test_a_printed_results_page_is_a_list_to_take_to_a_phone(js_page):
    page = js_page
    page.goto("/search?location=Austin%2C+TX&radius=25")
    page.wait_for_selector("#map[data-markers]")
    page.emulate_media(media="print")
    assert page.locator("#map").is_hidden()
    assert page.locator("form.search-form").is_hidden()
    assert page.locator(".site-footer").is_hidden()
    card = page.locator("li.center-card").first
    assert card.get_by_role("link", name=re.compile(r"^Call \(")).is_visible()
    assert card.locator(".address").is_visible()
    assert card.get_by_role("link", name="Directions").is_hidden()
