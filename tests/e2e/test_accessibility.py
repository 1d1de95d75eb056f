"""axe-core on every type of page, and the checks axe leaves to people: tap target sizes,
one h1, landmarks, a skip link that works, a visible focus outline."""

from __future__ import annotations

import pytest

from tests.helpers.browser import PHONE, needs_axe, needs_chromium, serious_axe_violations
from tests.helpers.page_types import PAGE_TYPES, open_page_type, page_path

pytestmark = [pytest.mark.e2e, needs_chromium]

# Interactive elements smaller than 44×44 CSS pixels, leaving out links inside a sentence
# (WCAG's inline exception) and checkboxes and radios, whose whole label is the target.
SMALL_TARGETS = """() => {
  const targets = document.querySelectorAll(
    'a[href], button, input:not([type=checkbox]):not([type=radio]):not([type=hidden]),'
    + ' select, textarea, summary, label.check');
  const inSentence = (el) => el.tagName === 'A'
    && el.parentElement.textContent.trim() !== el.textContent.trim()
    && getComputedStyle(el).display === 'inline';
  const small = [];
  for (const el of targets) {
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height || el.closest('[aria-hidden=true], .leaflet-container')) continue;
    if (inSentence(el)) continue;
    if (box.height < 44 || box.width < 44) {
      small.push(`${el.tagName.toLowerCase()} "${el.textContent.trim().slice(0, 30)}"`
        + ` ${Math.round(box.width)}×${Math.round(box.height)}`);
    }
  }
  return small;
}"""


@needs_axe
@pytest.mark.parametrize("name", list(PAGE_TYPES))
def test_axe_finds_nothing_serious(name, open_context, live_server):
    page = open_page_type(open_context(), live_server, name)
    for details in page.locator("details").all():  # check the filters' contents too
        details.evaluate("element => { element.open = true; }")
    assert serious_axe_violations(page) == []


@needs_axe
def test_axe_finds_nothing_serious_with_suggestions_open(js_page):
    page = js_page
    page.goto("/")
    page.locator("#location").focus()
    page.keyboard.type("san", delay=40)
    page.get_by_role("option").first.wait_for()
    page.keyboard.press("ArrowDown")
    assert serious_axe_violations(page) == []


@needs_axe
def test_axe_finds_nothing_serious_in_a_form_with_errors(js_page, live_server):
    page = js_page
    page.goto("/search?location=Qwxyzzy%2C+TX")
    assert serious_axe_violations(page) == []
    if page_path(live_server.app, "contact"):
        page.goto("/contact")
        page.locator("form.contact-form button[type=submit]").click()
        page.wait_for_load_state()
        assert serious_axe_violations(page) == []


@pytest.mark.parametrize("name", list(PAGE_TYPES))
def test_tap_targets_are_at_least_44_pixels(name, open_context, live_server):
    page = open_page_type(open_context(viewport=PHONE), live_server, name)
    for details in page.locator("details").all():
        details.evaluate("element => { element.open = true; }")
    assert page.evaluate(SMALL_TARGETS) == []


@pytest.mark.parametrize("name", list(PAGE_TYPES))
def test_one_h1_landmarks_and_a_working_skip_link(name, open_context, live_server):
    page = open_page_type(open_context(), live_server, name)
    assert page.locator("h1").count() == 1
    assert page.get_by_role("main").count() == 1
    assert page.get_by_role("banner").count() == 1
    assert page.get_by_role("contentinfo").count() == 1
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    assert page.evaluate("() => document.activeElement.className") == "skip-link"
    outline = skip.evaluate("element => getComputedStyle(element).outlineStyle")
    assert outline != "none", "the focused skip link shows no outline"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
