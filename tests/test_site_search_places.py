"""Site search knows places (issue 12): a query that is or holds a place gets the locator's
results for it, filter words applied, above the article and keyword matches."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from locator.site_search.places import take_apart
from locator.taxonomy import current_taxonomy


def page(client, query: str) -> str:
    response = client.get("/site-search", query_string={"q": query})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def offer_of(html: str) -> str:
    """The place offer's section, or "" when the page has none."""
    found = re.search(r'<section class="place-offer".*?</section>', html, re.S)
    return found.group(0) if found else ""


def see_all_query(html: str) -> dict:
    href = re.search(r'<a class="button see-all" href="([^"]+)"', offer_of(html)).group(1)
    parts = urlsplit(href.replace("&amp;", "&"))
    assert parts.path == "/search"
    return parse_qs(parts.query)


@pytest.mark.parametrize(
    ("query", "filters", "place"),
    [
        ("78701", [], "78701"),
        ("detox denver", ["detox"], "denver"),
        ("Methadone near Austin TX", ["methadone"], "austin tx"),
        ("methadone", ["methadone"], ""),
        ("suboxone clinics in NYC", ["buprenorphine"], "nyc"),
        ("rehab that takes medicaid in texas", ["medicaid"], "texas"),
        ("sliding fee scale denver", ["sliding-fee"], "denver"),
        ("inpatient detox for veterans", ["residential", "detox", "veterans"], ""),
        ("detox in the bronx", ["detox"], "the bronx"),
        ("paying for treatment", [], "paying"),
    ],
)
def test_a_query_is_taken_apart_into_filters_and_a_place(app_ctx, query, filters, place):
    found = take_apart(query, current_taxonomy())
    assert (found.filters, found.place_words) == (filters, place)


def test_a_zip_code_offers_the_locator_results_above_the_word_matches(client):
    html = page(client, "78701")
    offer = offer_of(html)
    assert "Treatment centers near 78701 (Austin, TX)" in offer
    assert "Congress Avenue Recovery (Test)" in offer
    assert html.index('class="place-offer"') < html.index('<p class="summary" role="status">')
    assert see_all_query(html) == {"location": ["78701"], "radius": ["25"]}


def test_filter_words_become_filters_of_the_offer(client):
    html = page(client, "detox denver")
    assert "Treatment centers near Denver, CO: Detox" in offer_of(html)
    assert see_all_query(html) == {"location": ["denver"], "radius": ["25"], "service": ["detox"]}


def test_methadone_near_austin_lists_only_methadone_centers_marked(client):
    offer = offer_of(page(client, "methadone near austin tx"))
    assert "Congress Avenue Recovery (Test)" in offer
    assert "Lady Bird Lake Detox (Test)" not in offer  # no methadone there
    assert "</span> Methadone</li>" in offer


def test_a_filter_alone_offers_to_search_near_the_reader(client):
    offer = offer_of(page(client, "methadone"))
    assert "Find Methadone near you" in offer
    assert '<form class="search-form near-reader" action="/search"' in offer
    assert '<input type="hidden" name="service" value="methadone">' in offer
    assert 'id="location" name="location"' in offer


def test_an_ambiguous_place_offers_the_choice(client):
    offer = offer_of(page(client, "washington"))
    assert offer.index(">Washington, DC<") < offer.index(">Washington State<")
    assert "Not listed?" in offer


@pytest.mark.parametrize("query", ["relapse", "paying for treatment", "hope", "detox or rehab"])
def test_words_that_are_no_place_get_no_place(client, query):
    offer = offer_of(page(client, query))
    assert "Treatment centers near" not in offer


def test_a_state_offers_its_centers(client):
    offer = offer_of(page(client, "detox texas"))
    assert "Treatment centers near Texas: Detox" in offer
    assert "Lady Bird Lake Detox (Test)" in offer


@pytest.mark.parametrize(
    ("query", "filters", "place"),
    [
        ("metadona cerca de austin tx", ["methadone"], "austin tx"),
        ("Metadona cerca de Austin, TX", ["methadone"], "austin tx"),
        ("desintoxicación en Denver", ["detox"], "denver"),
        ("desintoxicacion denver", ["detox"], "denver"),
        ("tratamiento residencial en Nueva York", ["residential"], "nueva york"),
        ("buprenorfina en San Juan, PR", ["buprenorphine"], "san juan pr"),
        ("centros de metadona en carolina del norte", ["methadone"], "carolina del norte"),
        ("metadona distrito de columbia", ["methadone"], "distrito de columbia"),
        ("escala móvil de pago denver", ["sliding-fee"], "denver"),
        ("residencial para veteranos", ["residential", "veterans"], ""),
        ("tratamiento", [], ""),
    ],
)
def test_spanish_words_name_the_same_filters(app_ctx, query, filters, place):
    found = take_apart(query, current_taxonomy())
    assert (found.filters, found.place_words) == (filters, place)


def test_metadona_near_austin_lists_what_methadone_near_austin_lists(client):
    english = offer_of(page(client, "methadone near austin tx"))
    spanish = offer_of(page(client, "metadona cerca de austin tx"))
    assert "Congress Avenue Recovery (Test)" in spanish
    assert "Lady Bird Lake Detox (Test)" not in spanish
    names = re.compile(r"[A-Z][A-Za-z ]+ \(Test\)")
    assert names.findall(spanish) == names.findall(english)
