"""The pages a person sees: search, center, state and city pages."""

import re

import pytest

from locator import search
from locator.extensions import db


def text(response) -> str:
    return response.get_data(as_text=True)


def test_home_page_has_one_search_box_radius_and_filters(client):
    page = text(client.get("/"))
    assert page.count('name="location"') == 1
    assert 'name="radius"' in page
    for label in ("Detox", "Methadone", "Buprenorphine", "Medicaid"):
        assert label in page
    assert "Sample data." in page


def test_search_by_zip_lists_nearest_first_with_phone_and_distance(client):
    response = client.get("/search?location=78701&radius=100")
    assert response.status_code == 200
    page = text(response)
    assert "Treatment centers near 78701 (Austin, TX)" in page
    distances = [float(d) for d in re.findall(r"<strong>([\d.]+) mi</strong>", page)]
    assert distances == sorted(distances) and len(distances) >= 10
    assert all(re.fullmatch(r"\d+\.\d", d) for d in re.findall(r"<strong>([\d.]+) mi<", page))
    assert 'href="tel:+15125550101;ext=12"' in page
    assert "Congress Avenue Recovery (Test)" in page
    assert "Hidden Listing (Test)" not in page
    assert re.search(r"\d+ centers\s+within 100 miles, nearest first", page)


def test_filters_stay_in_pagination_links(client):
    page = text(client.get("/search?location=Texas&service=outpatient&radius=50"))
    assert len(re.findall(r'class="center-card"', page)) == 20
    next_link = re.search(r'rel="next" href="([^"]+)"', page).group(1)
    assert "service=outpatient" in next_link and "page=2" in next_link
    assert "location=Texas" in next_link


def test_ambiguous_city_offers_a_choice(client):
    page = text(client.get("/search?location=Springfield"))
    assert "Which one?" in page
    assert page.index("Springfield, IL") < page.index("Springfield, OR")


def test_nothing_in_range_offers_the_nearest_beyond(client):
    page = text(client.get("/search?location=65.5,-168.0&radius=5"))
    assert "No centers" in page
    assert "Nearest centers beyond 5 miles" in page
    assert "Nome Remote Care (Test)" in page


def test_center_page_shows_everything_grouped_in_order(client):
    page = text(client.get("/centers/congress-avenue-recovery-test-austin-tx"))
    assert "Outpatient Program" in page
    assert 'href="tel:+15125550102"' in page and 'href="tel:+15125550103"' in page
    assert "https://congress.example.org/" in page
    assert "openstreetmap.org/directions" in page
    order = [
        "Type of care",
        "Service setting",
        "Medications for opioid use disorder",
        "Payment accepted",
        "Language services",
        "Other",
    ]
    positions = [page.index(f"<h3>{heading}</h3>") for heading in order]
    assert positions == sorted(positions)
    assert "ZZ9" in page  # an unknown code is shown under Other, not dropped
    assert "June 1, 2026" in page


def test_directions_link_follows_the_setting(directory):
    directory.config["LOCATOR_DIRECTIONS_URL"] = "https://maps.example.net/?to={lat},{lon}"
    try:
        page = text(directory.test_client().get("/centers/congress-avenue-recovery-test-austin-tx"))
        assert "https://maps.example.net/?to=30.265,-97.745" in page
    finally:
        directory.config["LOCATOR_DIRECTIONS_URL"] = (
            "https://www.openstreetmap.org/directions?route=%3B{lat}%2C{lon}"
        )


def test_states_index_lists_every_area_with_counts(client):
    page = text(client.get("/rehab/"))
    # 50 states, DC, Puerto Rico, four territories and three freely associated states
    assert len(re.findall(r'href="/rehab/[a-z-]+"', page)) == 59
    assert 'href="/rehab/puerto-rico"' in page and 'href="/rehab/district-of-columbia"' in page
    for territory in ("guam", "virgin-islands", "northern-mariana-islands", "palau"):
        assert f'href="/rehab/{territory}"' in page


def test_state_page_lists_cities_and_centers(client):
    page = text(client.get("/rehab/texas"))
    assert "<h1>Texas Rehab Programs</h1>" in page
    assert 'href="/rehab/texas/austin"' in page and 'href="/rehab/texas/round-rock"' in page
    cities = re.findall(r'<li><a href="/rehab/texas/[a-z-]+">([^<]+)</a>', page)
    assert cities == sorted(cities)


@pytest.mark.parametrize(
    ("url", "title", "listing"),
    [
        (
            "/rehab/texas/austin",
            "Austin, TX Heroin, Drug and Alcohol Treatment Centers",
            "Congress Avenue Recovery (Test)",
        ),
        ("/rehab/new-york/new-york", "New York, NY Heroin", "Harbor Light Brooklyn (Test)"),
        (
            "/rehab/district-of-columbia/washington",
            "Washington, DC Heroin",
            "Capitol Hill Counseling (Test)",
        ),
        ("/rehab/puerto-rico/san-juan", "San Juan, PR Heroin", "Centro de Tratamiento (Test)"),
    ],
)
def test_city_pages(client, url, title, listing):
    response = client.get(url)
    assert response.status_code == 200
    assert title in text(response) and listing in text(response)


def test_city_page_lists_the_city_first(client):
    page = text(client.get("/rehab/texas/austin?service=methadone"))
    assert page.index("Congress Avenue Recovery (Test)") < page.index(
        "Round Rock Medication Clinic (Test)"
    )


@pytest.mark.parametrize(
    ("url", "suggestion"),
    [("/rehab/texsa", "Texas"), ("/rehab/texas/austn", "Austin, TX")],
)
def test_unknown_place_is_404_with_closest_matches(client, url, suggestion):
    response = client.get(url)
    assert response.status_code == 404
    assert suggestion in text(response)
    assert 'name="location"' in text(response)


def test_sample_notice_is_on_every_page(client):
    for url in ("/", "/search?location=78701", "/rehab/", "/rehab/texas", "/nowhere"):
        assert "not real treatment facilities" in text(client.get(url))


def test_asking_where_listings_come_from_is_one_index_probe_per_source(app_ctx):
    # Every page asks. A plan over the published index would read every row of a directory
    # that has no sample data (a million, for some operators) on every page.
    if db.session.get_bind().dialect.name != "sqlite":
        pytest.skip("a SQLite query plan")
    sql = search.SOURCES_PUBLISHED.text.replace(":published", "1")
    sql = sql.replace(":first", "'sample'").replace(":second", "'samhsa-directory'")
    plan = db.session.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}").all()
    searches = [row[-1] for row in plan if row[-1].startswith(("SEARCH", "SCAN center"))]
    probe = "SEARCH center USING COVERING INDEX ix_center_source_published"
    assert searches == [f"{probe} (source=? AND published=?)"] * 2


def test_chosen_filters_can_be_removed_one_by_one(client):
    page = text(client.get("/search?location=78701&service=methadone&service=medicaid"))
    remove = re.search(r'href="([^"]+)" aria-label="Remove filter Methadone"', page).group(1)
    assert "service=medicaid" in remove and "methadone" not in remove


def test_a_search_from_coordinates_is_titled_by_the_nearest_place(client):
    page = text(client.get("/search?location=30.2672,-97.7431"))
    assert "<title>Treatment centers near Austin, TX" in page
    assert "Near Austin, TX" not in page.split("</h1>")[0].split("<h1")[1]
