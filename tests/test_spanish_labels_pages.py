"""Spanish pages show every service, filter and heading in Spanish, from the taxonomy's
data (issue 13); the English pages are unchanged."""

import re

import pytest


def html_of(client, url: str, **query) -> str:
    response = client.get(url, query_string=query)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def test_the_spanish_search_form_and_cards_speak_spanish(client):
    html = html_of(client, "/es/search", location="78701", service="methadone")
    assert "Desintoxicación" in html and "Escala móvil de pago" in html  # the filters
    assert "Medicamentos para el trastorno por consumo de opioides" in html  # a heading
    assert "</span> Metadona</li>" in html  # the chosen filter the card meets
    assert "Sliding fee scale" not in html and "</span> Methadone</li>" not in html
    english = html_of(client, "/search", location="78701", service="methadone")
    assert "</span> Methadone</li>" in english and "Desintoxicación" not in english


def test_a_spanish_center_page_groups_its_services_in_spanish(client):
    body = client.get("/api/v1/centers?location=78701&service=methadone").get_json()
    slug = body["centers"][0]["slug"]
    html = html_of(client, f"/es/centers/{slug}")
    assert "Medicamentos para el trastorno por consumo de opioides" in html
    assert re.search(r"<li>(Metadona|Usa metadona en el tratamiento)</li>", html)
    assert "Medications for opioid use disorder" not in html


def test_spanish_site_search_offers_spanish_pages(client):
    html = html_of(client, "/es/site-search", q="metadona cerca de austin tx")
    offer = re.search(r'<section class="place-offer".*?</section>', html, re.S).group(0)
    assert "Congress Avenue Recovery (Test)" in offer and "Metadona" in offer
    assert re.search(r'href="/es/centers/[^"]+"', offer)
    html = html_of(client, "/es/site-search", q="metadona")
    assert 'href="/es/articles/medicamentos-para-el-trastorno-por-consumo-de-opioides"' in html
    assert "Encuentre Metadona cerca de usted" in html
    assert '<form class="search-form near-reader" action="/es/search"' in html


@pytest.mark.parametrize("prefix", ["", "/es"])
def test_a_spanish_article_found_leads_to_its_spanish_page(client, prefix):
    html = html_of(client, f"{prefix}/site-search", q="tratamiento")
    assert 'href="/es/articles/como-elegir-y-pagar-un-programa-de-tratamiento"' in html
    assert (
        client.get("/es/articles/como-elegir-y-pagar-un-programa-de-tratamiento").status_code == 200
    )
