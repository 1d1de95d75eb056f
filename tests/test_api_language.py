"""The API in Spanish (issue 13): codes and fields stay English, labels follow `lang` or
Accept-Language, and answers say they vary on the header."""

import pytest

SPANISH = {"Accept-Language": "es-US,es;q=0.9,en;q=0.4"}


def centers(client, headers=None, **query):
    query = {"location": "78701", "radius": "10", **query}
    return client.get("/api/v1/centers", query_string=query, headers=headers or {})


def test_labels_are_english_by_default(client):
    response = centers(client, service="methadone")
    body = response.get_json()
    assert body["lang"] == "en"
    assert body["service_labels"]["methadone"] == "Methadone"
    assert body["service_labels"]["METH"] == "Methadone"
    assert "Accept-Language" in response.headers["Vary"]


@pytest.mark.parametrize(
    ("query", "headers"),
    [({"lang": "es"}, {}), ({}, SPANISH), ({}, {"Accept-Language": "es-MX"}), ({"lang": "ES"}, {})],
)
def test_spanish_labels_beside_the_same_codes(client, query, headers):
    english = centers(client, service="methadone").get_json()
    body = centers(client, headers, service="methadone", **query).get_json()
    assert body["lang"] == "es"
    assert body["services"] == english["services"] == ["methadone"]
    assert [c["services"] for c in body["centers"]] == [c["services"] for c in english["centers"]]
    assert body["service_labels"]["methadone"] == "Metadona"
    assert body["service_labels"]["METH"] == "Metadona"
    every_code = {code for c in body["centers"] for code in c["services"]}
    assert every_code | {"methadone"} == set(body["service_labels"])


def test_an_explicit_lang_wins_over_the_header(client):
    body = centers(client, SPANISH, lang="en", service="detox").get_json()
    assert (body["lang"], body["service_labels"]["detox"]) == ("en", "Detox")


def test_a_language_we_do_not_speak(client):
    assert centers(client, {"Accept-Language": "fr-FR,de"}).get_json()["lang"] == "en"
    response = centers(client, lang="fr")
    assert response.status_code == 400
    assert response.get_json()["errors"] == {"lang": ["Use lang=en or lang=es."]}
    assert "Accept-Language" in response.headers["Vary"]


def test_one_center_in_spanish(client):
    listed = centers(client, service="methadone").get_json()["centers"][0]
    response = client.get(f"/api/v1/centers/{listed['id']}", headers=SPANISH)
    body = response.get_json()
    assert body["lang"] == "es" and "Accept-Language" in response.headers["Vary"]
    assert set(body["service_labels"]) == set(body["services"])
    methadone = {"METH": "Metadona", "MU": "Usa metadona en el tratamiento"}
    found = [code for code in methadone if code in body["services"]]
    assert found and all(body["service_labels"][code] == methadone[code] for code in found)
    assert client.get(f"/api/v1/centers/{listed['id']}?lang=xx").status_code == 400


def test_the_api_page_documents_the_language(client):
    html = client.get("/api/").get_data(as_text=True)
    assert "<dt><code>lang</code>" in html and "<dt><code>Accept-Language</code>" in html
    assert "(in the headers)" in html
