"""The Spanish site in a real browser (issue 13): no English sentence of the catalog on the
Spanish pages, nothing serious for axe-core, and phone screenshots to look at."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.helpers.browser import SCREENSHOTS, needs_axe, needs_chromium, serious_axe_violations
from tests.helpers.browser import TALL_PHONE as PHONE

pytestmark = [pytest.mark.e2e, needs_chromium]

CATALOG = Path(__file__).resolve().parents[2] / "locator/translations/es/LC_MESSAGES/messages.po"
CENTER = "/es/centers/congress-avenue-recovery-test-austin-tx"
WITH_FILTERS = "/es/search?location=78701&radius=25&service=methadone&service=medicaid"
ARTICLE = "/es/articles/es-posible-recuperarse-de-la-adiccion-a-la-heroina?location=Austin%2C+TX"
ARTICLE_WITH_CITY = (
    "/es/articles/probabilidades-de-recuperarse-de-la-adiccion-a-la-heroina?location=Austin%2C+TX"
)
# name: the Spanish page, walked for English sentences and by axe-core.
SPANISH_PAGES = {
    "home": "/es/",
    "results-with-filters": WITH_FILTERS,
    "center": CENTER,
    "article": ARTICLE,
    "articles": "/es/articles/",
    "helpline": "/es/helpline",
    "contact": "/es/contact",
    "report-problem": CENTER + "/report",
    "state": "/es/rehab/texas",
    "city": "/es/rehab/texas/austin",
    "privacy": "/es/privacy",
    "site-search": "/es/site-search?q=austin",
    "not-found": "/es/no-such-page",
}
SHOTS = ("home", "results-with-filters", "center", "article", "helpline")
_PLACEHOLDER = re.compile(r"%\(\w+\)s|\{\w+\}")
_TAG = re.compile(r"<[^>]+>")


def english_sentences() -> list[str]:
    """Every run of words (two or more) of the catalog's English msgids that Spanish words.

    A msgid is cut at its placeholders and tags; pieces the Spanish keeps as they are (a
    name, "FindTreatment.gov") are left out, and so are single words, which a place or
    center name could hold ("Main", "Me").
    """
    with CATALOG.open("rb") as file:
        catalog = read_po(file, locale="es")
    pieces: set[str] = set()
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        spanish = " ".join(strings)
        for msgid in ids:
            text = _TAG.sub("|", msgid.replace("&amp;", "&"))
            for piece in _PLACEHOLDER.sub("|", text).split("|"):
                piece = " ".join(piece.split()).strip(" .,:;()“”?")
                if len(piece.split()) >= 2 and piece not in spanish:
                    pieces.add(piece)
    return sorted(pieces, key=len, reverse=True)


@pytest.fixture(scope="module")
def sentences() -> list[str]:
    found = english_sentences()
    assert len(found) > 200  # the whole catalog, not an empty or unreadable file
    return found


def _visible_text(page) -> str:
    """What a reader sees and hears: the text, and the labels screen readers read out."""
    labels = page.evaluate(
        """() => [...document.querySelectorAll('[aria-label],[placeholder],[title],[alt]')]
          .map((el) => ['aria-label', 'placeholder', 'title', 'alt']
            .map((name) => el.getAttribute(name) || '').join(' ')).join(' ')"""
    )
    return " ".join(f"{page.inner_text('body')} {labels} {page.title()}".split())


@pytest.mark.parametrize("name", list(SPANISH_PAGES))
def test_no_english_sentence_on_a_spanish_page(name, open_context, sentences):
    page = open_context(viewport=PHONE).new_page()
    response = page.goto(SPANISH_PAGES[name])
    assert response.status == (404 if name == "not-found" else 200)
    assert page.evaluate("document.documentElement.lang") == "es"
    for details in page.locator("details").all():  # the folded filters and site search too
        details.evaluate("element => { element.open = true; }")
    seen = _visible_text(page)
    english = [sentence for sentence in sentences if sentence in seen]
    assert english == [], f"English on {SPANISH_PAGES[name]}: {english}"


def test_the_scripts_speak_spanish_on_spanish_pages(open_context, live_server):
    context = open_context(viewport=PHONE)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    page.goto(WITH_FILTERS)
    page.get_by_role("button", name="Copiar enlace").click()
    page.get_by_text("Enlace copiado.").wait_for()
    page.goto("/es/")
    page.locator("#location").focus()
    page.keyboard.type("san", delay=40)
    page.get_by_role("option").first.wait_for()
    assert page.get_by_role("listbox", name="Lugares sugeridos").is_visible()
    page.wait_for_function(
        "() => /lugares sugeridos/.test(document.querySelector('[role=status]').textContent)"
    )


def test_the_language_switch_keeps_the_search(open_context):
    page = open_context(viewport=PHONE).new_page()
    page.goto(WITH_FILTERS)
    page.get_by_role("link", name="English").click()
    page.wait_for_url(re.compile(r"/search\?location=78701&radius=25&service=methadone"))
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.locator("h1").inner_text() == "Treatment centers near 78701 (Austin, TX)"
    page.get_by_role("link", name="Español").click()
    page.wait_for_url(re.compile(r"/es/search\?location=78701"))
    assert page.locator("h1").inner_text() == "Centros de tratamiento cerca de 78701 (Austin, TX)"


def test_a_browser_in_spanish_is_offered_spanish(open_context):
    page = open_context(viewport=PHONE, locale="es-US").new_page()
    page.goto("/")
    assert page.evaluate("document.documentElement.lang") == "en"  # never sent there
    page.get_by_role("link", name="ver la página en español").click()
    page.wait_for_url(re.compile(r"/es/$"))
    assert page.locator("h1").inner_text() == (
        "Encuentre tratamiento para las drogas y el alcohol cerca de usted"
    )


@needs_axe
@pytest.mark.parametrize("name", list(SPANISH_PAGES))
def test_axe_finds_nothing_serious_on_spanish_pages(name, open_context):
    page = open_context().new_page()
    page.goto(SPANISH_PAGES[name])
    if page.locator("#map").count():
        page.wait_for_selector("#map[data-markers]")
    for details in page.locator("details").all():
        details.evaluate("element => { element.open = true; }")
    assert serious_axe_violations(page) == []


@pytest.mark.parametrize("name", SHOTS)
def test_spanish_phone_screenshots(name, open_context):
    """Home, results with filters, a center, an article with its filled links and the
    helpline page, on a 390×844 phone, saved for the issue's closing note."""
    page = open_context(viewport=PHONE, device_scale_factor=2, is_mobile=True).new_page()
    page.goto(SPANISH_PAGES[name])
    if page.locator("#map").count():
        page.wait_for_selector("#map[data-markers]")
    if name == "article":  # an article whose [city] link is filled: scroll to that link
        page.goto(ARTICLE_WITH_CITY)
        city = page.locator(".article-body a[href='/es/rehab/texas/austin']")
        assert city.inner_text() == "programas de tratamiento cerca de Austin, TX"
        assert (
            page.locator(
                ".article-body a[href^='/search'], .article-body a[href^='/rehab']"
            ).count()
            == 0
        )
        city.scroll_into_view_if_needed()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shot = SCREENSHOTS / f"es-{name}-390x844.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000
