"""Articles as a reader sees them: filled for their location, with sources and the box."""

import json
import re
from pathlib import Path

import pytest
from mmdb_writer import MMDBWriter
from netaddr import IPSet

from locator.content import current_library
from locator.content.articles import parse_article
from tests.helpers.articles import BROKEN_BODY, write_article

SLUG = "chances-of-recovering-from-heroin-addiction"
ARTICLES = sorted(p.stem for p in (Path(__file__).parent.parent / "data/articles").glob("*.md"))


def text(response) -> str:
    return response.get_data(as_text=True)


def box(page: str) -> str:
    return page[page.index('<aside class="finding-box"') :]


def hrefs(html: str) -> list[str]:
    return re.findall(r'href="([^"]*)"', html)


def test_article_list_shows_titles_descriptions_and_dates(client):
    page = text(client.get("/articles/"))
    for slug in ARTICLES:
        assert f'href="/articles/{slug}"' in page
    assert "Recovering From Heroin Addiction: What the Odds Really Look Like" in page
    assert "Returning to use after heroin treatment is common" in page
    assert 'Updated <time datetime="2026-11-21">November 21, 2026</time>' in page


def test_article_page_has_title_dates_body_sources_and_box(client):
    response = client.get(f"/articles/{SLUG}")
    assert response.status_code == 200
    page = text(response)
    assert "<h1>Recovering From Heroin Addiction: What the Odds Really Look Like</h1>" in page
    assert "Published <time" in page and "November 21, 2026" in page
    assert "Reviewed by" not in page
    assert "<h2>A long-term condition, not a character flaw</h2>" in page
    assert '<li id="source-5">Substance Abuse and Mental Health Services Administration.' in page
    assert '<a href="#source-1">1</a>, <a href="#source-2">2</a>' in page
    assert (
        page.index("<h2>A long-term")
        < page.index('id="sources-title"')
        < page.index("Finding what you're looking for?")
    )


@pytest.mark.parametrize("slug", ARTICLES)
@pytest.mark.parametrize("query", ["", "?location=78701"])
def test_no_raw_placeholder_reaches_a_reader(client, slug, query):
    page = text(client.get(f"/articles/{slug}{query}"))
    for raw in ("[city]", "[region]", "[url", "[/url]", 'link="'):
        assert raw not in page
    assert not re.search(r"\[\d+(, \d+)*\]", page.replace("<sup", "\n"))


def test_a_zip_code_fills_in_austin(client):
    page = text(client.get(f"/articles/{SLUG}?location=78701"))
    assert '<a href="/rehab/texas/austin">treatment programs near Austin, TX</a>' in page
    assert 'href="/search?service=otp&amp;location=78701"' in page
    finding = box(page)
    assert '<a href="/rehab/texas/austin">Austin, TX Heroin, Drug and Alcohol' in finding
    assert '<a href="/rehab/texas">Texas Rehab Programs</a>' in finding
    assert 'href="/site-search"' in finding
    assert "Change location" in finding and 'name="location"' in finding
    assert f'action="/articles/{SLUG}"' in finding


def test_region_link_goes_to_the_state_page(client):
    page = text(client.get("/articles/can-people-recover-from-heroin-addiction?location=78701"))
    assert '<a href="/rehab/texas">treatment programs across Texas</a>' in page


def test_a_state_as_location_uses_its_largest_city(client):
    page = text(client.get("/articles/can-people-recover-from-heroin-addiction?location=Colorado"))
    assert '<a href="/rehab/colorado">treatment programs across Colorado</a>' in page
    assert "location=Colorado" in page


def test_no_location_offers_the_near_you_box(client):
    page = text(client.get(f"/articles/{SLUG}"))
    assert '<a href="/search">treatment programs near your area</a>' in page
    finding = box(page)
    assert (
        '<a href="/search">Find Heroin, Drug and Alcohol Treatment Centers near you</a>' in finding
    )
    assert '<a href="/rehab/">Browse Rehab Programs by State</a>' in finding
    assert "Change location" not in finding


def test_a_place_with_no_center_within_50_miles_uses_general_words(client):
    page = text(client.get(f"/articles/{SLUG}?location=25.0,-90.0"))
    assert "treatment programs near your area" in page
    assert "Find Heroin, Drug and Alcohol Treatment Centers near you" in page


def test_the_last_search_fills_in_the_city(directory):
    client = directory.test_client()
    assert client.get("/search?location=Denver, CO").status_code == 200
    page = text(client.get(f"/articles/{SLUG}"))
    assert '<a href="/rehab/colorado/denver">treatment programs near Denver, CO</a>' in page
    assert "location=Denver%2C+CO" in page
    assert "Location in use: Denver, CO." in page
    # a location in the URL wins over the last search
    assert "Austin, TX" in text(client.get(f"/articles/{SLUG}?location=78701"))


def session_data(client, app) -> dict:
    cookie = client.get_cookie("session")
    return app.session_interface.get_signing_serializer(app).loads(cookie.value)


@pytest.mark.parametrize(
    "typed",
    ["78701", "100 Congress Ave, Austin, TX 78701", "30.2672,-97.7431", "Austin, TX"],
)
def test_session_keeps_only_city_and_state(directory, typed):
    client = directory.test_client()
    client.get("/search", query_string={"location": typed})
    saved = session_data(client, directory)
    assert saved == {"reader_place": {"city": "Austin", "state": "TX"}}
    cookie = client.get_cookie("session").value
    assert "78701" not in json.dumps(saved) and "Congress" not in json.dumps(saved)
    assert "30.2" not in json.dumps(saved) and "Congress" not in cookie


def test_a_state_search_is_not_kept(directory):
    client = directory.test_client()
    client.get("/search?location=Texas")
    assert client.get_cookie("session") is None


HOSTILE = [
    "<script>alert(1)</script>",
    "\"'><img src=x onerror=alert(1)>",
    '[url link="javascript:alert(1)"]x[/url]',
    "[city]",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_location_in_the_url_is_ignored_with_a_notice(client, value):
    response = client.get(f"/articles/{SLUG}", query_string={"location": value})
    assert response.status_code == 200
    page = text(response)
    assert "We couldn&#39;t use that location." in page
    assert "<script>alert" not in page and "<img src=x" not in page
    assert not any(h.startswith("javascript") for h in hrefs(page))
    assert "Find Heroin, Drug and Alcohol Treatment Centers near you" in page


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_location_in_the_session_is_ignored(directory, value):
    client = directory.test_client()
    with client.session_transaction() as session:
        session["reader_place"] = {"city": value, "state": "TX"}
    page = text(client.get(f"/articles/{SLUG}"))
    assert "<script>alert" not in page and "<img src=x" not in page
    assert not any(h.startswith("javascript") for h in hrefs(page))
    assert "Find Heroin, Drug and Alcohol Treatment Centers near you" in page


def test_junk_in_the_session_is_ignored(directory):
    client = directory.test_client()
    with client.session_transaction() as session:
        session["reader_place"] = ["Austin", "TX"]
    assert client.get(f"/articles/{SLUG}").status_code == 200


def test_an_ambiguous_location_asks_for_the_state(client):
    page = text(client.get(f"/articles/{SLUG}?location=Springfield"))
    assert "Add the state, for example “Springfield, MO”." in page


def test_unknown_article_is_a_404(client):
    response = client.get("/articles/no-such-article")
    assert response.status_code == 404
    assert "We couldn't find that page" in text(response)


def test_a_broken_article_shows_its_placeholders_as_plain_text(client, tmp_path, monkeypatch):
    article = parse_article(write_article(tmp_path, BROKEN_BODY))
    with client.application.app_context():
        monkeypatch.setitem(current_library().by_slug, article.slug, article)
    page = text(client.get("/articles/broken-article?location=78701"))
    assert "First paragraph near Austin, TX." in page
    assert "[url link=&#34;javascript:alert(1)&#34;]a bad link[/url]" in page.replace(
        "&quot;", "&#34;"
    )
    assert "[town]" in page and "[2]" in page
    assert not any(h.startswith("javascript") for h in hrefs(page))


def test_reviewer_line_only_when_set(client, tmp_path, monkeypatch):
    path = write_article(tmp_path, "Body.\n")
    path.write_text(
        path.read_text().replace(
            "sources:", "reviewer: Dr. Ada Example\nreviewed: 2026-02-03\nsources:"
        )
    )
    article = parse_article(path)
    with client.application.app_context():
        monkeypatch.setitem(current_library().by_slug, article.slug, article)
    page = text(client.get("/articles/broken-article"))
    assert "Reviewed by Dr. Ada Example on" in page and "February 3, 2026" in page


def test_city_and_state_pages_end_with_the_box(client):
    city = box(text(client.get("/rehab/texas/austin")))
    assert '<a href="/rehab/texas/austin">Austin, TX Heroin, Drug and Alcohol' in city
    assert 'action="/search"' in city
    state = box(text(client.get("/rehab/colorado")))
    assert '<a href="/rehab/colorado">Colorado Rehab Programs</a>' in state


def write_city_database(path: Path) -> Path:
    writer = MMDBWriter(ip_version=6, database_type="GeoLite2-City", ipv4_compatible=True)
    writer.insert_network(
        IPSet(["203.0.113.0/24"]),
        {
            "city": {"names": {"en": "Austin"}},
            "country": {"iso_code": "US", "names": {"en": "United States"}},
            "subdivisions": [{"iso_code": "TX", "names": {"en": "Texas"}}],
            "location": {"latitude": 30.2672, "longitude": -97.7431},
        },
    )
    writer.insert_network(
        IPSet(["198.51.100.0/24"]),
        {"country": {"iso_code": "FR"}, "location": {"latitude": 48.85, "longitude": 2.35}},
    )
    writer.to_db_file(str(path))
    return path


@pytest.fixture
def geoip_database(directory):
    """Point the app at a database file for one test, then forget it."""

    def use(path):
        directory.config["LOCATOR_GEOIP_DATABASE"] = str(path)

    yield use
    directory.config["LOCATOR_GEOIP_DATABASE"] = ""
    _path, reader = directory.extensions.pop("locator.geoip", (None, None))
    if reader is not None:
        reader.close()


def get_from(client, address):
    return text(client.get(f"/articles/{SLUG}", environ_base={"REMOTE_ADDR": address}))


def test_ip_geolocation_fills_in_the_city_when_configured(client, tmp_path, geoip_database):
    geoip_database(write_city_database(tmp_path / "city.mmdb"))
    assert "treatment programs near Austin, TX" in get_from(client, "203.0.113.9")
    for elsewhere in ("198.51.100.7", "192.0.2.1", "127.0.0.1"):
        assert "treatment programs near your area" in get_from(client, elsewhere)


@pytest.mark.parametrize("content", [None, b"not a database"])
def test_a_missing_or_broken_geoip_database_is_skipped(client, tmp_path, geoip_database, content):
    path = tmp_path / "city.mmdb"
    if content is not None:
        path.write_bytes(content)
    geoip_database(path)
    page = get_from(client, "203.0.113.9")
    assert "treatment programs near your area" in page


def test_an_article_filled_from_the_ip_address_is_private(client, tmp_path, geoip_database):
    geoip_database(write_city_database(tmp_path / "city.mmdb"))
    response = client.get(f"/articles/{SLUG}", environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert "treatment programs near Austin, TX" in text(response)
    assert response.headers["Cache-Control"] == "private, max-age=300"
