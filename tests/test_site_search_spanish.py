"""Site search in Spanish (issue 13): the Spanish articles are indexed beside the English
ones, found with or without accents, and put first for a reader searching in Spanish."""

from pathlib import Path

import pytest

from locator.extensions import db
from locator.site_search import index_articles, read_articles, search_site
from locator.site_search.articles import accent_free_words

SHIPPED_ARTICLES = Path(__file__).resolve().parent.parent / "data" / "articles"
SPANISH_SLUGS = {
    "es-posible-recuperarse-de-la-adiccion-a-la-heroina",
    "probabilidades-de-recuperarse-de-la-adiccion-a-la-heroina",
    "como-elegir-y-pagar-un-programa-de-tratamiento",
    "medicamentos-para-el-trastorno-por-consumo-de-opioides",
}


@pytest.fixture
def shipped(app_ctx):
    """The shipped articles, English and Spanish, indexed."""
    report = index_articles(db.session, SHIPPED_ARTICLES)
    db.session.commit()
    return report


def test_the_spanish_folder_is_read_with_its_language():
    texts, problems = read_articles(SHIPPED_ARTICLES)
    assert problems == []
    spanish = {t.slug for t in texts if t.lang == "es"}
    assert spanish == SPANISH_SLUGS
    assert len(texts) == 8
    english = next(t for t in texts if t.slug == "choosing-and-paying-for-treatment")
    assert english.lang == "en"


def test_accented_words_are_kept_without_accents_once():
    folded = accent_free_words("La desintoxicación, sí: ¿desintoxicación?", "Medicaid")
    assert folded == "desintoxicacion si"


@pytest.mark.parametrize("query", ["tratamiento", "metadona", "buprenorfina", "residencial"])
def test_spanish_words_find_spanish_articles(shipped, query):
    found = search_site(db.session, query, lang="es").articles
    assert found.total >= 1
    assert {hit.slug for hit in found.hits} <= SPANISH_SLUGS
    assert all(hit.lang == "es" for hit in found.hits)


def test_a_word_typed_without_its_accents_finds_the_same_articles(shipped):
    accented = search_site(db.session, "desintoxicación", lang="es").articles
    plain = search_site(db.session, "desintoxicacion", lang="es").articles
    assert accented.total == 3
    assert {h.slug for h in plain.hits} == {h.slug for h in accented.hits}


def test_the_readers_language_comes_first(shipped):
    spanish = search_site(db.session, "medicaid", lang="es").articles.hits
    english = search_site(db.session, "medicaid", lang="en").articles.hits
    assert [h.lang for h in spanish] == ["es", "en"]
    assert [h.lang for h in english] == ["en", "es"]


def test_the_page_lists_spanish_articles(client, shipped):
    html = client.get("/site-search", query_string={"q": "tratamiento"}).get_data(as_text=True)
    assert "Cómo elegir un programa de <mark>tratamiento</mark> y cómo pagarlo" in html
