"""What a Spanish reader sees: results, a center, forms and their messages, articles, dates,
numbers and plurals, all in Spanish; place and center names as they are."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from locator.content import current_library
from locator.content.check import articles_folders, check_articles
from locator.extensions import db, limiter
from locator.models import ContactRequest
from tests.helpers.forms import csrf_token, text

CENTER = "/es/centers/congress-avenue-recovery-test-austin-tx"
WITH_FILTERS = "/es/search?location=78701&service=methadone&service=medicaid"
EN_ARTICLE = "can-people-recover-from-heroin-addiction"
ES_ARTICLE = "es-posible-recuperarse-de-la-adiccion-a-la-heroina"


def visible(page: str) -> str:
    """The words a reader sees, one space apart."""
    page = re.sub(r"(?s)<(script|style|head)\b.*?</\1>", " ", page)
    page = re.sub(r"<[^>]+>", " ", page).replace("&nbsp;", " ")
    return " ".join(page.split())


@pytest.fixture(autouse=True)
def fresh_limits():
    limiter.reset()
    yield
    limiter.reset()


def test_results_with_filters_in_spanish(client):
    response = client.get(WITH_FILTERS)
    assert response.status_code == 200
    page = visible(text(response))
    assert "Centros de tratamiento cerca de 78701 (Austin, TX)" in page
    assert re.search(r"\b2 centros a menos de 25 millas, del más cercano al más lejano\.", page)
    assert "Congress Avenue Recovery (Test)" in page  # names as they are
    assert "a 0.5 mi" in page  # U.S. Spanish writes the decimal point
    assert "Llamar al (512) 555-0101 x12" in page and "Cómo llegar" in page
    assert "Verificado por última vez el 1 de junio de 2026" in page
    assert "Filtros (2 elegidos)" in page and "Quitar todos los filtros" in page
    assert "Solo se muestran:" in page and "Aplicar filtros" in page
    assert "Guarde esta lista" in page and "Versión para imprimir" in page


def test_one_result_is_singular_and_counts_are_plural(client):
    one = visible(text(client.get("/es/search?location=78701&radius=5&service=detox")))
    assert re.search(r"\b1 centro a menos de 5 millas", one)
    many = visible(text(client.get("/es/rehab/texas")))
    assert re.search(r"\b\d+ centros, por ciudad\.", many)
    assert "Programas de rehabilitación en Texas" in many


def test_pages_of_results_in_spanish(client):
    page = text(client.get("/es/search?location=Texas&service=outpatient&radius=50"))
    assert re.search(r"Página 1 de \d+", page)
    assert re.search(r'rel="next" href="/es/search\?[^"]*page=2[^"]*">Siguiente →', page)
    past = visible(text(client.get("/es/search?location=Texas&service=outpatient&page=999")))
    assert "No existe la página 999" in past and "Ir a la última página" in past


def test_a_center_page_in_spanish(client):
    page = visible(text(client.get(CENTER)))
    assert "Congress Avenue Recovery (Test)" in page
    for words in ("Contacto", "Principal:", "Admisiones:", "Línea directa:", "Servicios",
                  "Sobre esta ficha", "Última verificación 1 de junio de 2026",
                  "Verificado por su fuente en junio de 2026",
                  "Reportar un problema con esta ficha", "Guarde esta ficha"):  # fmt: skip
        assert words in page
    assert 'href="/es/centers/congress-avenue-recovery-test-austin-tx/report"' in text(
        client.get(CENTER)
    )


def test_place_resolution_speaks_spanish(client):
    unknown = client.get("/es/search?location=zzzzqqq")
    assert unknown.status_code == 400
    assert "No encontramos “zzzzqqq”. Pruebe con un código postal (78701)" in text(unknown)
    zip_code = text(client.get("/es/search?location=00000"))
    assert "No conocemos el código postal 00000." in zip_code
    choice = visible(text(client.get("/es/search?location=Springfield")))
    assert "Hay más de un lugar llamado “Springfield”. ¿Cuál busca?" in choice
    assert "Springfield, IL" in choice


def test_a_state_offered_beside_its_city_is_named_in_spanish(client):
    page = text(client.get("/es/search?location=Nueva+York"))
    assert ">estado de Nueva York</a>" in page and "New York State" not in visible(page)
    state = re.search(r'href="([^"]+)">estado de Nueva York<', page).group(1)
    whole_state = text(client.get(state.replace("&amp;", "&")))  # read back as the state
    assert "centros en New York, primero los más cercanos a su centro geográfico" in whole_state
    assert "New York State" in text(client.get("/search?location=New+York"))
    choices = visible(text(client.get("/es/search?location=Washington")))
    assert "estado de Washington" in choices and "Washington State" not in choices


def test_bad_search_parameters_are_answered_in_spanish(client):
    radius = client.get("/es/search?location=78701&radius=7")
    assert radius.status_code == 400
    assert "Elija una distancia de 5, 10, 25, 50 o 100 millas." in text(radius)
    page = client.get("/es/rehab/texas?page=0")
    assert page.status_code == 400
    assert "La página debe ser un número entero del 1 al 10000" in text(page)
    english = client.get("/search?location=78701&radius=7")
    assert "Choose a radius of 5, 10, 25, 50 or 100 miles." in text(english)


def test_the_api_keeps_english_messages(client):
    response = client.get("/api/v1/centers?location=zzzzqqq", headers={"Accept-Language": "es"})
    assert response.status_code == 400
    assert "We couldn't find" in text(response)


def test_the_helpline_page_in_spanish_with_samhsas_number(client):
    page = visible(text(client.get("/es/helpline")))
    assert "¿Quién contesta en la Línea Nacional de Ayuda de SAMHSA?" in page
    assert "1-800-662-4357" in page and "1-800-487-4889" in page
    assert "La llamada es gratuita" in page and "Inglés y español." in page
    assert "Este sitio no recibe nada por las llamadas" in page


def test_privacy_page_in_spanish(client):
    page = visible(text(client.get("/es/privacy")))
    assert "Lo que este sitio guarda" in page and "Lo que este sitio no guarda" in page
    assert "solo durante 30 días" in page


def test_the_contact_form_and_its_messages_in_spanish(client, directory):
    form = visible(text(client.get("/es/contact")))
    assert "¿Cómo podemos comunicarnos con usted?" in form
    assert "Por la mañana" in form and "Para un ser querido" in form
    sent = client.post(
        "/es/contact",
        data={
            "csrf_token": csrf_token(client, "/es/contact"),
            "phone": "12",
            "best_time": "noon",
            "for_whom": "",
            "message": "",
            "website": "",
        },
    )
    assert sent.status_code == 400
    page = visible(text(sent))
    assert "Revise lo siguiente antes de enviar" in page
    assert "Escriba un número de teléfono de EE. UU. con su código de área" in page
    assert "Elija un momento del día de la lista." in page
    assert "Elija para quién es la ayuda." in page
    assert "Marque la casilla para aceptar" in page
    with directory.app_context():
        before = db.session.scalar(sa.select(sa.func.max(ContactRequest.id))) or 0
    good = client.post(
        "/es/contact",
        data={
            "csrf_token": csrf_token(client, "/es/contact"),
            "phone": "512 555 0123",
            "best_time": "evening",
            "for_whom": "me",
            "message": "",
            "consent": "y",
            "website": "",
        },
    )
    try:
        assert good.status_code == 302 and good.location.endswith("/es/contact/sent")
        thanks = visible(text(client.get("/es/contact/sent")))
        assert "Gracias: recibimos su solicitud" in thanks
        assert "Este no es un servicio de emergencias" in thanks
    finally:
        with directory.app_context():
            db.session.execute(sa.delete(ContactRequest).where(ContactRequest.id > before))
            db.session.commit()


def test_the_report_form_and_its_messages_in_spanish(client):
    path = CENTER + "/report"
    form = visible(text(client.get(path)))
    assert "Reportar un problema con esta ficha" in form
    assert "El número de teléfono está mal" in form and "Enviar el reporte" in form
    sent = client.post(
        path,
        data={"csrf_token": csrf_token(client, path), "kind": "", "email": "x@", "website": ""},
    )
    assert sent.status_code == 400
    page = visible(text(sent))
    assert "Elija qué está mal en la ficha." in page
    assert "Escriba un correo electrónico como nombre@ejemplo.com, o deje el campo vacío." in page
    long_note = client.post(
        path, data={"csrf_token": csrf_token(client, path), "kind": "other", "note": "x" * 1001}
    )
    assert "La nota no puede pasar de 1,000 caracteres." in text(long_note)


def test_an_expired_form_is_explained_in_spanish(client):
    response = client.post("/es/contact", data={"phone": "512 555 0123"})
    assert response.status_code == 400
    assert "Este formulario ha caducado" in text(response)


def test_the_spanish_articles_list_only_spanish_articles(client, app):
    page = text(client.get("/es/articles/"))
    with app.app_context():
        spanish = current_library().newest_first("es")
        english = current_library().newest_first("en")
    assert len(spanish) == len(english) == 4
    for article in spanish:
        assert f'href="/es/articles/{article.slug}"' in page
    for article in english:
        assert f'/articles/{article.slug}"' not in page
    assert "Artículos sobre tratamiento y recuperación" in page
    assert "Actualizado el" in page


def test_a_spanish_article_fills_its_links_with_spanish_pages(client):
    response = client.get(f"/es/articles/{ES_ARTICLE}?location=Austin, TX")
    assert response.status_code == 200
    page = text(response)
    assert '<html lang="es"' in page
    assert "Publicado el 21 de noviembre de 2026" in visible(page)
    assert (
        ">Centros de tratamiento para la heroína, las drogas y el alcohol en Austin, TX</a>" in page
    )
    assert 'href="/es/rehab/texas/austin"' in page and 'href="/es/rehab/texas"' in page
    search_links = re.findall(r'href="(/[^"]*search\?[^"]*)"', page)
    assert search_links and all(link.startswith("/es/search?") for link in search_links)
    assert 'href="/search?' not in page and 'href="/rehab/' not in page
    assert switch_of(page) == f"/articles/{EN_ARTICLE}?location=Austin%2C+TX"


def test_a_spanish_article_without_a_place_says_su_zona(client):
    page = visible(text(client.get(f"/es/articles/{ES_ARTICLE}")))
    assert "Explore los programas de rehabilitación por estado" in page
    assert "your area" not in page and "your state" not in page


def switch_of(page: str) -> str:
    return (
        re.search(r'<a class="language-switch" href="([^"]+)"', page).group(1).replace("&amp;", "&")
    )


def test_english_and_spanish_articles_link_to_each_other(client):
    english = text(client.get(f"/articles/{EN_ARTICLE}"))
    assert switch_of(english) == f"/es/articles/{ES_ARTICLE}"
    assert f'hreflang="es" href="http://localhost/es/articles/{ES_ARTICLE}"' in english
    spanish = text(client.get(f"/es/articles/{ES_ARTICLE}"))
    assert switch_of(spanish) == f"/articles/{EN_ARTICLE}"
    assert f'hreflang="en" href="http://localhost/articles/{EN_ARTICLE}"' in spanish
    assert f'hreflang="x-default" href="http://localhost/articles/{EN_ARTICLE}"' in spanish


def test_a_slug_in_the_other_language_leads_to_its_twin(client):
    to_spanish = client.get(f"/es/articles/{EN_ARTICLE}")
    assert to_spanish.status_code == 301
    assert to_spanish.location.endswith(f"/es/articles/{ES_ARTICLE}")
    to_english = client.get(f"/articles/{ES_ARTICLE}")
    assert to_english.status_code == 301 and to_english.location.endswith(f"/articles/{EN_ARTICLE}")
    assert client.get("/es/articles/no-such-article").status_code == 404


def test_every_spanish_article_has_its_english_twin(app):
    with app.app_context():
        library = current_library()
        for article in library.newest_first("es"):
            twin = library.twin(article, "en")
            assert twin is not None and twin.slug == article.translation_of
            assert len(twin.sources) == len(article.sources)
            assert library.twin(twin, "es") == article


def test_check_articles_reads_the_spanish_folder_too(app):
    with app.app_context():
        folders = articles_folders()
        assert [folder.name for folder in folders] == ["articles", "es"]
        assert check_articles(folders) == []
