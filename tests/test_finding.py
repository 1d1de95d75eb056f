"""Finding the right place and the right center first time (issue 12): places people type,
cards that answer "can I go there?", wider radii, one distance everywhere, directions in
the phone's maps app, and a list to keep."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa

from locator.extensions import db
from locator.models import Center

CONGRESS = "congress-avenue-recovery-test-austin-tx"


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def card_of(page: str, name: str) -> str:
    """The HTML of the result card whose center has this name."""
    for card in page.split('<li class="center-card"')[1:]:
        if f">{name}</a>" in card:
            return card.split("</ol>", 1)[0]
    raise AssertionError(f"no card for {name}")


@pytest.fixture
def changed_center(directory):
    """Change one hand-made center's columns for a test, and put them back after."""
    saved: dict = {}

    def change(slug: str, **values) -> None:
        with directory.app_context():
            center = db.session.scalar(sa.select(Center).where(Center.slug == slug))
            saved.setdefault(slug, {k: getattr(center, k) for k in values})
            db.session.execute(sa.update(Center).where(Center.slug == slug).values(**values))
            db.session.commit()

    yield change
    with directory.app_context():
        for slug, values in saved.items():
            db.session.execute(sa.update(Center).where(Center.slug == slug).values(**values))
        db.session.commit()


# Places people type


def test_new_york_is_the_city_with_the_state_beside_it(client):
    page = text(client.get("/search?location=New+York"))
    assert "Treatment centers near New York, NY" in page
    assert "Harbor Light Brooklyn (Test)" in page
    state_link = re.search(r'<a href="([^"]+)">New York State</a>', page).group(1)
    assert parse_qs(urlsplit(state_link.replace("&amp;", "&")).query)["location"] == [
        "New York State"
    ]
    state_page = text(client.get(state_link.replace("&amp;", "&")))
    assert "in New York, nearest to its centre first" in state_page


def test_washington_offers_dc_first_then_the_state(client):
    page = text(client.get("/search?location=Washington"))
    assert "Which one?" in page
    assert page.index(">Washington, DC<") < page.index(">Washington State<")


def test_springfield_lists_every_state_and_says_what_to_do_if_not_listed(client):
    page = text(client.get("/search?location=Springfield"))
    for label in ("Springfield, MO", "Springfield, TN", "Springfield, PA", "Springfield, NJ"):
        assert f">{label}<" in page
    assert "Not listed?" in page and "for example “Springfield, MO”" in page


@pytest.mark.parametrize(
    ("typed", "heading"),
    [("NYC", "New York, NY"), ("Philly", "Philadelphia, PA"), ("the Bronx", "The Bronx, NY")],
)
def test_short_forms_search_their_city(client, typed, heading):
    assert f"Treatment centers near {heading}" in text(client.get(f"/search?location={typed}"))


# Cards


def test_a_card_marks_the_chosen_filters_the_center_meets(client):
    page = text(
        client.get("/search?location=78701&service=methadone&service=medicaid&service=spanish")
    )
    card = card_of(page, "Congress Avenue Recovery (Test)")
    matches = re.search(r'<ul class="matches"[^>]*>(.*?)</ul>', card).group(1)
    assert re.findall(r"</span> ([^<]+)</li>", matches) == ["Methadone", "Medicaid", "Spanish"]


def test_a_card_marks_only_the_choice_it_meets_within_a_group(client):
    page = text(client.get("/search?location=78701&service=methadone&service=buprenorphine"))
    congress = card_of(page, "Congress Avenue Recovery (Test)")
    detox = card_of(page, "Lady Bird Lake Detox (Test)")
    assert "Methadone</li>" in congress and "Buprenorphine</li>" not in congress
    assert "Buprenorphine</li>" in detox and "Methadone</li>" not in detox


def test_a_card_says_payment_languages_and_when_it_was_verified(client):
    card = card_of(text(client.get("/search?location=78701")), "Congress Avenue Recovery (Test)")
    assert "<dt>Payment</dt><dd>Medicaid</dd>" in card
    assert "<dt>Languages</dt><dd>Spanish</dd>" in card
    assert "Last verified June 1, 2026" in card
    lady_bird = card_of(text(client.get("/search?location=78701")), "Lady Bird Lake Detox (Test)")
    assert "<dt>Payment</dt><dd>Private insurance</dd>" in lady_bird
    assert "Languages" not in lady_bird


def test_an_unverified_listing_names_its_source_and_edition(client, directory, changed_center):
    changed_center(CONGRESS, last_verified=None, source="samhsa-directory")
    saved = directory.config["LOCATOR_DIRECTORY_EDITION"]
    directory.config["LOCATOR_DIRECTORY_EDITION"] = "2031"
    try:
        page = text(client.get("/search?location=78701"))
    finally:
        directory.config["LOCATOR_DIRECTORY_EDITION"] = saved
    card = card_of(page, "Congress Avenue Recovery (Test)")
    assert re.search(r'<p class="listing-origin">From [^<]*2031 edition</p>', card)
    assert "Last verified" not in card


def test_an_approximate_point_gives_an_approximate_distance(client, changed_center):
    exact = card_of(text(client.get("/search?location=78701")), "Congress Avenue Recovery (Test)")
    assert re.search(r'<p class="distance"><strong>[\d.]+ mi</strong> away', exact)
    changed_center(CONGRESS, placement="zip")
    card = card_of(text(client.get("/search?location=78701")), "Congress Avenue Recovery (Test)")
    assert re.search(r'<p class="distance">about <strong>[\d.]+ mi</strong> away', card)
    assert "placed by its ZIP code" in card


# Never a dead end


def summary_count(page: str) -> int:
    summary = re.search(r'<p class="summary" role="status">\s*(\d+)', page)
    return int(summary.group(1)) if summary else 0


def test_few_results_offer_wider_radii_with_true_counts(client):
    page = text(client.get("/search?location=78701&radius=5&service=methadone"))
    assert summary_count(page) < 5
    offered = re.findall(
        r'<a href="([^"]+)"><span>(\d+) miles</span> <span class="wider-count">\((\d+)\+?', page
    )
    radii = [int(miles) for _, miles, _ in offered]
    assert radii and radii == sorted(radii) and set(radii) <= {10, 25, 50, 100}
    for href, _, count in offered:
        assert int(count) > summary_count(page)  # only radii that would list more
        wider = text(client.get(href.replace("&amp;", "&")))
        assert summary_count(wider) == int(count)
        assert "service=methadone" in href


def test_a_city_page_with_few_centers_offers_wider_searches(client):
    page = text(client.get("/rehab/texas/georgetown"))
    assert summary_count(page) < 5
    offered = re.findall(
        r'<a href="([^"]+)"><span>(\d+) miles</span> <span class="wider-count">\((\d+)\+?', page
    )
    radii = [int(miles) for _, miles, _ in offered]
    assert radii and radii == sorted(radii) and set(radii) <= {50, 100}
    for href, _, count in offered:
        assert int(count) > summary_count(page)
        assert summary_count(text(client.get(href.replace("&amp;", "&")))) == int(count)


def test_enough_results_offer_no_wider_radii(client):
    assert "Search farther" not in text(client.get("/search?location=New+York%2C+NY&radius=100"))


def test_no_results_keep_the_nearest_beyond_and_offer_wider_radii(client):
    page = text(client.get("/search?location=78701&radius=5&service=otp"))
    assert "No centers" in page
    assert "Search farther" in page and "<span>25 miles</span>" in page
    assert "Nearest centers beyond 5 miles" in page
    assert "Round Rock Medication Clinic (Test)" in page
    # Radii that would list no more are not offered.
    nothing = text(client.get("/search?location=Nome%2C+AK&radius=5&service=detox"))
    assert "No centers" in nothing and "Search farther" not in nothing
    page = text(client.get("/search?location=65.5,-168.0&radius=5"))
    assert "Nearest centers beyond 5 miles" in page and "Nome Remote Care (Test)" in page


# One distance everywhere


def test_one_distance_on_search_city_page_and_api(client):
    name = "Mile High Recovery (Test)"
    searched = card_of(text(client.get("/search?location=Denver%2C+CO")), name)
    city_page = card_of(text(client.get("/rehab/colorado/denver")), name)
    api = client.get("/api/v1/centers?location=Denver%2C+CO").get_json()
    in_api = next(c for c in api["centers"] if c["name1"] == name)
    miles = re.compile(r"<strong>([\d.]+) mi</strong>")
    assert miles.search(searched).group(1) == miles.search(city_page).group(1)
    assert float(miles.search(searched).group(1)) == in_api["distance_miles"]


# Directions


def test_directions_default_to_the_web_map_and_carry_the_point_for_the_phone(client):
    for path in ("/search?location=78701", f"/centers/{CONGRESS}"):
        page = text(client.get(path))
        link = re.search(r'<a class="button directions"[^>]*>', page).group(0)
        assert 'href="https://www.openstreetmap.org/directions?route=%3B30.265%2C-97.745"' in link
        assert 'data-lat="30.265"' in link and 'data-lon="-97.745"' in link
        assert "/static/js/directions.js" in page


# A list to keep


def test_print_view_of_a_results_page_and_of_a_center(client):
    for path in ("/search?location=78701", f"/centers/{CONGRESS}"):
        normal = text(client.get(path))
        assert re.search(r'href="/static/print.css\?v=\w+" media="print"', normal)
        print_link = re.search(r'<a class="button" href="([^"]+)">Print view</a>', normal).group(1)
        printed = text(client.get(print_link.replace("&amp;", "&")))
        assert '<html lang="en" class="print-view">' in printed
        assert re.search(r'href="/static/print.css\?v=\w+" media="all"', printed)
        assert "Back to the full page" in printed


def test_the_link_to_keep_is_shown_whole_without_javascript(client):
    page = text(client.get("/search?location=78701&service=methadone&print=0"))
    link = re.search(r'<input id="keep-link" type="text" readonly value="([^"]+)">', page).group(1)
    parts = urlsplit(link.replace("&amp;", "&"))
    assert parts.scheme == "http" and parts.path == "/search"
    assert parse_qs(parts.query) == {"location": ["78701"], "service": ["methadone"]}
    assert 'class="copy-link" data-copy="keep-link" hidden' in page


def test_print_stylesheet_makes_phone_numbers_large_and_hides_the_controls(client):
    with client.get("/static/print.css") as response:
        css = response.get_data(as_text=True)
    assert ".actions .button.call, .phones a { font-size: 1.4rem" in css
    for hidden in (".search-form", ".filter-panel", ".keep-list", ".results-map"):
        assert hidden in css.split("{", 1)[0]
