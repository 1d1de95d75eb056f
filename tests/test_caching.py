"""Cache headers: versioned static files kept a year, pages cached as their content allows."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from locator.web.caching import file_hashes

STATIC = Path(__file__).resolve().parents[1] / "locator" / "static"


def stylesheet_url(client) -> str:
    html = client.get("/").get_data(as_text=True)
    return re.search(r'href="(/static/site\.css\?v=[0-9a-f]+)"', html).group(1)


def test_static_urls_carry_a_hash_of_the_file(client):
    url = stylesheet_url(client)
    expected = hashlib.sha256((STATIC / "site.css").read_bytes()).hexdigest()[:12]
    assert url.endswith(f"?v={expected}")


def test_the_current_version_of_a_static_file_is_kept_a_year(client):
    with client.get(stylesheet_url(client)) as response:
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"


@pytest.mark.parametrize("suffix", ["", "?v=0123456789ab"])
def test_an_unversioned_or_old_url_is_revalidated(client, suffix):
    with client.get("/static/site.css" + suffix) as response:
        assert response.headers["Cache-Control"] == "no-cache"


def test_a_changed_file_gets_a_new_version(tmp_path):
    (tmp_path / "js").mkdir()
    script = tmp_path / "js" / "a.js"
    script.write_text("one")
    before = file_hashes(tmp_path)["js/a.js"]
    script.write_text("two")
    assert file_hashes(tmp_path)["js/a.js"] != before
    assert file_hashes(tmp_path / "missing") == {}


def test_scripts_are_versioned_too(client):
    html = client.get("/").get_data(as_text=True)
    assert re.search(r'src="/static/js/place-suggestions\.js\?v=[0-9a-f]{12}" defer', html)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/", "public, max-age=300"),
        ("/rehab/", "public, max-age=300"),
        ("/rehab/texas/austin", "public, max-age=300"),
        ("/centers/congress-avenue-recovery-test-austin-tx", "public, max-age=300"),
        ("/no-such-page", "no-store"),
        ("/search?location=78701&page=0", "no-store"),
    ],
)
def test_pages_are_cached_as_their_content_allows(client, path, expected):
    assert client.get(path).headers["Cache-Control"] == expected


def test_results_are_kept_out_of_shared_caches(client):
    # The URL holds the place a person searched for.
    header = client.get("/search?location=78701").headers["Cache-Control"]
    assert header.startswith("private")


@pytest.mark.parametrize("path", ["/contact", "/admin/sign-in"])
def test_pages_with_a_form_token_are_not_stored(client, path):
    response = client.get(path)
    if response.status_code == 404:
        pytest.skip(f"{path} is not part of the app yet")
    assert "no-store" in response.headers["Cache-Control"]


def test_a_page_read_with_a_session_holding_the_last_search_is_private(client):
    client.get("/search?location=78701")  # remembered for the articles
    assert client.get("/rehab/").headers["Cache-Control"] == "private, no-store"


def test_a_form_sent_is_not_stored(client):
    response = client.post("/contact", data={})
    assert response.headers["Cache-Control"] == "no-store"


ARTICLE = "/articles/medications-for-opioid-use-disorder"


def test_an_article_filled_from_the_url_is_private(client):
    response = client.get(ARTICLE + "?location=Austin%2C+TX")
    assert "Austin" in response.get_data(as_text=True)
    assert response.headers["Cache-Control"].startswith("private")


def test_an_article_filled_from_the_last_search_is_private(client):
    client.get("/search?location=Austin%2C+TX")
    response = client.get(ARTICLE)
    assert "Austin" in response.get_data(as_text=True)
    assert response.headers["Cache-Control"].startswith("private")


def test_an_article_is_private_even_without_a_place_found(client):
    # With GeoIP on, the next reader's copy names their city: no shared cache may keep any.
    response = client.get(ARTICLE)
    assert response.status_code == 200
    assert response.headers["Cache-Control"].startswith("private")
    assert client.get("/articles/").headers["Cache-Control"] == "public, max-age=300"
