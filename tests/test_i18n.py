"""The site in Spanish: the same pages under /es, links between the twins, the offer."""

from __future__ import annotations

import re

import pytest

from locator.web.i18n import localized_url_for, path_language, without_language_prefix

CENTER = "/centers/congress-avenue-recovery-test-austin-tx"


def text(response) -> str:
    return response.get_data(as_text=True)


def alternates(page: str) -> dict[str, str]:
    return dict(re.findall(r'<link rel="alternate" hreflang="([\w-]+)" href="([^"]+)">', page))


def switch(page: str) -> str:
    return re.search(r'<a class="language-switch" href="([^"]+)"', page).group(1)


@pytest.mark.parametrize(
    "path",
    ["/", "/search?location=78701", "/rehab/", "/rehab/texas", "/rehab/texas/austin", CENTER,
     "/articles/", "/helpline", "/privacy", "/contact", "/site-search?q=detox"],
)  # fmt: skip
def test_every_public_page_has_a_spanish_twin_under_es(client, path):
    spanish_path = "/es" + path
    response = client.get(spanish_path)
    assert response.status_code == 200
    page = text(response)
    assert '<html lang="es"' in page
    assert switch(page) == path.replace("&", "&amp;")
    links = alternates(page)
    assert links["es"] == "http://localhost" + spanish_path.replace("&", "&amp;")
    assert links["en"] == links["x-default"] == "http://localhost" + path.replace("&", "&amp;")
    english = text(client.get(path))
    assert '<html lang="en"' in english
    assert switch(english) == spanish_path.replace("&", "&amp;")
    assert alternates(english) == links


def test_spanish_pages_are_in_spanish_and_link_to_spanish_pages(client):
    page = text(client.get("/es/"))
    assert "Encuentre tratamiento para adicciones cerca de usted" in page
    assert ">Explorar por estado<" in page and ">Buscar<" in page
    assert 'href="/es/rehab/"' in page and 'href="/es/helpline"' in page
    assert 'href="/rehab/"' not in page  # the links stay in Spanish
    assert 'class="language-switch" href="/" hreflang="en" lang="en">English<' in page


def test_the_language_switch_keeps_the_query_string(client):
    page = text(client.get("/es/search?location=78701&service=detox&radius=50"))
    assert switch(page) == "/search?location=78701&amp;service=detox&amp;radius=50"
    english = text(client.get("/search?location=78701&service=detox&radius=50"))
    assert switch(english) == "/es/search?location=78701&amp;service=detox&amp;radius=50"


def test_a_browser_that_prefers_spanish_is_offered_spanish_not_sent_there(client):
    response = client.get("/", headers={"Accept-Language": "es-US,es;q=0.9,en;q=0.5"})
    assert response.status_code == 200  # no redirect
    page = text(response)
    assert '<html lang="en"' in page
    assert 'Este sitio también está en español: <a href="/es/" hreflang="es">' in page
    assert 'class="language-offer" role="region" aria-label="Español" lang="es"' in page
    assert "Accept-Language" in response.headers["Vary"]


def test_no_offer_without_a_preference_for_spanish(client):
    for headers in ({}, {"Accept-Language": "en-US,en;q=0.9,es;q=0.5"}):
        response = client.get("/", headers=headers)
        assert "Este sitio también está en español" not in text(response)
        assert "Accept-Language" in response.headers["Vary"]  # the page may differ by it
    spanish = client.get("/es/", headers={"Accept-Language": "es"})
    assert "Este sitio también está en español" not in text(spanish)
    assert "Accept-Language" not in spanish.headers.get("Vary", "")


def test_a_missing_spanish_page_is_a_404_in_spanish(client):
    response = client.get("/es/no-such-page")
    assert response.status_code == 404
    page = text(response)
    assert '<html lang="es"' in page
    assert "No encontramos esa página" in page
    assert "Puede que la dirección esté mal escrita" in page
    assert switch(page) == "/no-such-page"
    missing_center = client.get("/es/centers/no-such-center")
    assert missing_center.status_code == 404 and "No encontramos esa página" in text(missing_center)


def test_a_bad_request_is_answered_in_spanish(client):
    response = client.get("/es/rehab/texas?page=abc")
    assert response.status_code == 400
    assert '<html lang="es"' in text(response)
    assert "Vaya a la página principal" in text(response)


def test_spanish_pages_cache_like_their_english_twins(client):
    for path in ("/rehab/texas", "/helpline"):
        english = client.get(path).headers["Cache-Control"]
        assert client.get("/es" + path).headers["Cache-Control"] == english
    assert client.get("/es/site-search?q=x").headers["Cache-Control"].startswith("private")


def test_admin_and_api_have_one_language(client):
    assert client.get("/es/admin/").status_code == 404
    assert client.get("/es/api/v1/centers?location=78701").status_code == 404
    api_docs = text(client.get("/api/"))
    assert "language-switch" not in api_docs and 'hreflang="es"' not in api_docs


def test_localized_url_for_names_a_page_in_either_language(app):
    with app.test_request_context("/es/helpline"):
        assert localized_url_for("public.helpline", "en") == "/helpline"
        assert localized_url_for(
            "public.city_page", "es", state_slug="texas", city_slug="austin"
        ) == ("/es/rehab/texas/austin")
        assert localized_url_for("api.centers", "es") == "/api/v1/centers"
        with pytest.raises(ValueError):
            localized_url_for("public.index", "fr")


def test_the_language_comes_from_the_path_alone():
    assert path_language("/es") == path_language("/es/search") == "es"
    assert path_language("/escuelas") == path_language("/") == "en"
    assert without_language_prefix("/es/") == without_language_prefix("/es") == "/"
    assert without_language_prefix("/es/rehab/texas") == "/rehab/texas"
