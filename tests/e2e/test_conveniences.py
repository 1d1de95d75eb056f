"""What JavaScript adds to the search box: place suggestions and "use my location"."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from tests.helpers.browser import needs_chromium

pytestmark = [pytest.mark.e2e, needs_chromium]

AUSTIN = {"latitude": 30.2672, "longitude": -97.7431}


def type_slowly(page, text: str) -> None:
    """Type as a person does, key by key, into the focused element."""
    page.keyboard.type(text, delay=40)


def test_pick_a_suggestion_with_the_keyboard_only(js_page):
    page = js_page
    page.goto("/")
    box = page.locator("#location")
    box.focus()
    type_slowly(page, "aus")
    listbox = page.get_by_role("listbox", name="Suggested places")
    listbox.wait_for()
    assert box.get_attribute("role") == "combobox"
    assert box.get_attribute("aria-expanded") == "true"
    assert box.get_attribute("aria-controls") == listbox.get_attribute("id")
    options = listbox.get_by_role("option")
    assert options.first.inner_text() == "Austin, TX"  # the largest Austin first
    assert options.count() <= 8
    page.wait_for_function(
        "() => /places suggested/.test(document.querySelector('[role=status]').textContent)"
    )
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    first = options.first
    assert box.get_attribute("aria-activedescendant") == first.get_attribute("id")
    assert first.get_attribute("aria-selected") == "true"
    page.keyboard.press("Enter")  # takes the place, does not search yet
    assert box.input_value() == "Austin, TX"
    assert box.get_attribute("aria-expanded") == "false"
    assert listbox.is_hidden()
    assert urlsplit(page.url).path == "/"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search\?"))
    assert page.locator("h1").inner_text() == "Treatment centers near Austin, TX"


def test_escape_closes_the_suggestions_and_keeps_the_text(js_page):
    page = js_page
    page.goto("/")
    page.locator("#location").focus()
    type_slowly(page, "spring")
    page.get_by_role("listbox").wait_for()
    page.keyboard.press("Escape")
    assert page.get_by_role("listbox", include_hidden=True).is_hidden()
    assert page.locator("#location").get_attribute("aria-expanded") == "false"
    assert page.locator("#location").input_value() == "spring"


def test_zip_codes_are_suggested_from_their_first_digits(js_page):
    page = js_page
    page.goto("/")
    page.locator("#location").focus()
    type_slowly(page, "7870")
    option = page.get_by_role("option").first
    option.wait_for()
    assert re.match(r"7870\d Austin, TX", option.inner_text())
    option.click()
    assert re.fullmatch(r"7870\d", page.locator("#location").input_value())


def test_without_javascript_the_box_is_a_plain_text_field(open_context):
    page = open_context(java_script_enabled=False).new_page()
    page.goto("/")
    box = page.locator("#location")
    assert box.get_attribute("role") is None
    assert page.get_by_role("listbox", include_hidden=True).count() == 0
    assert page.get_by_role("button", name="Use my location").count() == 0
    box.fill("austin tx")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search\?"))
    assert "Austin, TX" in page.locator("h1").inner_text()


def test_use_my_location_searches_near_the_browser_position(open_context):
    context = open_context(permissions=["geolocation"], geolocation=AUSTIN)
    page = context.new_page()
    page.goto("/")
    page.get_by_role("button", name="Use my location").click()
    page.wait_for_url(re.compile(r"/search\?"))
    assert parse_qs(urlsplit(page.url).query)["location"] == ["30.267,-97.743"]
    assert page.locator("h1").inner_text() == "Treatment centers near Austin, TX"
    assert page.get_by_role("link", name="Congress Avenue Recovery (Test)").is_visible()


def test_use_my_location_refused_leaves_the_text_box_usable(open_context):
    page = open_context(permissions=[]).new_page()
    page.goto("/")
    page.get_by_role("button", name="Use my location").click()
    message = page.locator("#location-status")
    # "Finding your location…" comes first; wait for the refusal to replace it.
    expect(message).to_contain_text("did not share your location")
    assert message.get_attribute("role") == "status"
    box = page.locator("#location")
    assert "location-status" in box.get_attribute("aria-describedby")
    assert urlsplit(page.url).path == "/"
    expect(box).to_be_focused()
    page.keyboard.type("78701")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search\?"))
    assert "78701" in page.locator("h1").inner_text()


def test_use_my_location_timing_out_says_so(open_context):
    context = open_context()
    # The browser's own time-out cannot be forced; this stands in for a position that never comes.
    context.add_init_script(
        "navigator.geolocation.getCurrentPosition ="
        " (found, failed) => setTimeout(() => failed({code: 3}), 50);"
    )
    page = context.new_page()
    page.goto("/")
    page.get_by_role("button", name="Use my location").click()
    message = page.locator("#location-status.is-problem")
    message.wait_for()
    assert "took too long" in message.inner_text()
    assert page.locator("#location").is_editable()
