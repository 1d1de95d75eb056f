"""Site search: articles and centers by words, ranked, highlighted, safe with any input."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlalchemy as sa

from locator.extensions import db
from locator.models import Center
from locator.site_search import (
    index_articles,
    marked,
    query_words,
    read_articles,
    refresh_center_index,
    search_site,
)
from locator.site_search.tables import center_search
from locator.site_search.words import fts5_query

SHIPPED_ARTICLES = Path(__file__).resolve().parent.parent / "data" / "articles"

ARTICLES = {
    "staying-in-recovery.md": """---
title: "Staying in Recovery After Detox"
slug: staying-in-recovery
description: "What helps after detox."
published: 2026-11-01
updated: 2026-11-01
sources:
  - publisher: "National Institute on Drug Abuse"
    title: "Principles of Drug Addiction Treatment: A Research-Based Guide (Third Edition)"
  - publisher: "Substance Abuse and Mental Health Services Administration"
    title: "TIP 63: Medications for Opioid Use Disorder"
  - publisher: "Substance Abuse and Mental Health Services Administration"
    title: "Finding Quality Treatment for Substance Use Disorders"
---

Leaving detox is a beginning. Keep naloxone close [1].

## Planning aftercare

A **sober-living** home helps many people. Ask about [url link="city_link"]programs
near [city][/url] today [1, 2].
""",
    "paying.md": """---
title: "Paying for <b>Treatment</b>"
slug: paying-for-treatment
description: "Ways to pay."
published: 2026-11-01
updated: 2026-11-01
sources:
  - publisher: "National Institute on Drug Abuse"
    title: "Principles of Drug Addiction Treatment: A Research-Based Guide (Third Edition)"
  - publisher: "Substance Abuse and Mental Health Services Administration"
    title: "TIP 63: Medications for Opioid Use Disorder"
  - publisher: "Substance Abuse and Mental Health Services Administration"
    title: "Finding Quality Treatment for Substance Use Disorders"
---

Medicaid, a sliding fee or a low deductible can make care affordable [3].
""",
}


@pytest.fixture(scope="module")
def data_dir(directory, tmp_path_factory):
    """A data folder whose articles/ holds the test articles, indexed for the module."""
    data = tmp_path_factory.mktemp("data")
    (data / "articles").mkdir()
    for name, text in ARTICLES.items():
        (data / "articles" / name).write_text(text, encoding="utf-8")
    with directory.app_context():
        index_articles(db.session, data / "articles")
        db.session.commit()
    yield data
    with directory.app_context():
        index_articles(db.session, SHIPPED_ARTICLES)
        db.session.commit()


@pytest.fixture
def site(client, data_dir):
    """A client on the directory, with the test articles indexed."""
    return client


def page_text(client, query: str, **params) -> str:
    response = client.get("/site-search", query_string={"q": query, **params})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def center_names(html: str) -> list[str]:
    """The center names of a results page, without their <mark> tags."""
    if 'id="centers-title"' not in html:
        return []  # nothing matched at all
    section = html.split('id="centers-title"', 1)[1]
    titles = re.findall(r'<a href="/centers/[^"]+">(.*?)</a>', section)
    return [re.sub(r"</?mark>", "", title) for title in titles]


# Articles


def test_finds_an_article_by_a_title_word(site):
    html = page_text(site, "staying")
    assert 'href="/articles/staying-in-recovery"' in html
    assert "<mark>Staying</mark> in Recovery After Detox" in html


def test_finds_an_article_by_a_body_word_and_a_heading(site):
    assert 'href="/articles/paying-for-treatment"' in page_text(site, "deductible")
    assert 'href="/articles/staying-in-recovery"' in page_text(site, "aftercare")


def test_stemming_finds_recovery_when_asked_for_recovering(site):
    html = page_text(site, "recovering")
    assert 'href="/articles/staying-in-recovery"' in html
    assert "<mark>Recovery</mark>" in html


def test_an_article_title_with_markup_is_escaped_then_marked(site):
    html = page_text(site, "paying")
    assert "<mark>Paying</mark> for &lt;b&gt;Treatment&lt;/b&gt;" in html
    assert "<b>Treatment</b>" not in html


def test_article_text_leaves_out_placeholders_and_citations():
    articles, problems = read_articles(SHIPPED_ARTICLES)
    assert problems == [] and len(articles) >= 4
    for article in articles:
        assert "[url" not in article.body and "[/url]" not in article.body
        assert "[city]" not in article.body and "[region]" not in article.body
        assert not re.search(r"\[\d", article.body)


def test_bad_article_files_are_skipped_with_a_reason(tmp_path):
    (tmp_path / "no-front-matter.md").write_text("Just text.", encoding="utf-8")
    (tmp_path / "bad-yaml.md").write_text('---\ntitle: "open\n---\nText', encoding="utf-8")
    (tmp_path / "no-title.md").write_text("---\nslug: x\n---\nText", encoding="utf-8")
    complete = (
        'description: "d"\npublished: 2026-01-01\nupdated: 2026-01-01\n'
        'sources:\n  - publisher: "P"\n    title: "T"\n'
    )
    (tmp_path / "good.md").write_text(
        f'---\ntitle: "Fine"\nslug: good\n{complete}---\nText', "utf-8"
    )
    (tmp_path / "twin.md").write_text(
        f'---\ntitle: "Twin"\nslug: good\n{complete}---\nText', "utf-8"
    )
    articles, problems = read_articles(tmp_path)
    assert [a.slug for a in articles] == ["good"]
    assert len(problems) == 4
    assert any("bad-yaml.md" in p for p in problems)
    assert any("twin.md" in p and "slug good is used by good.md" in p for p in problems)


def test_index_articles_command_reports_its_count(directory, data_dir, monkeypatch):
    monkeypatch.setitem(directory.config, "LOCATOR_DATA_DIR", str(data_dir))
    result = directory.test_cli_runner().invoke(args=["index-articles"])
    assert result.exit_code == 0
    assert "Indexed 2 articles." in result.output


# Centers


def test_finds_a_center_by_name_and_links_to_it(site):
    html = page_text(site, "Congress Avenue")
    assert center_names(html) == ["Congress Avenue Recovery (Test) (Outpatient Program)"]
    assert "<mark>Congress</mark> <mark>Avenue</mark> Recovery (Test)" in html
    assert 'href="/centers/congress-avenue-recovery-test-austin-tx"' in html


def test_finds_centers_by_city_and_by_full_state_name(site):
    assert "Round Rock Medication Clinic (Test)" in center_names(page_text(site, "round rock"))
    html = page_text(site, "Texas Congress")
    assert any("Congress Avenue Recovery" in name for name in center_names(html))
    assert "Austin, <mark>Texas</mark>" in html


def test_finds_centers_by_a_service_label(site):
    found = center_names(page_text(site, "methadone round rock"))
    assert found == ["Round Rock Medication Clinic (Test)"]
    # Lady Bird Lake Detox offers no methadone.
    assert center_names(page_text(site, "methadone lady bird")) == []


def test_an_unpublished_center_is_never_found(site):
    html = page_text(site, "Hidden Listing")
    assert center_names(html) == []
    assert "No articles or treatment centers match “hidden listing”" in html


def test_the_last_word_matches_as_a_prefix(site):
    assert "<mark>Methadone</mark>" in page_text(site, "metha")
    assert center_names(page_text(site, "round ro"))[0].startswith("Round Rock Medication")


def test_results_come_in_two_labelled_groups_with_counts_and_pages(site):
    html = page_text(site, "texas")
    assert re.search(r"Articles \(\d+\)", html)
    counted = re.search(r"Treatment centers \((\d+)\)", html)
    assert counted and int(counted.group(1)) > 10
    assert len(center_names(html)) == 10
    assert "/site-search?q=texas&amp;page=2" in html
    second = center_names(page_text(site, "texas", page="2"))
    assert second and not set(second) & set(center_names(html))


def test_a_page_past_the_end_says_so(site):
    html = page_text(site, "congress", page="50")
    assert "There is no page 50" in html


@pytest.mark.parametrize("page", ["0", "abc", "-1", "1.5", "99999999", "²", "9" * 5000])
def test_a_bad_page_number_gets_a_message(site, page):
    response = site.get("/site-search", query_string={"q": "texas", "page": page})
    assert response.status_code == 400
    assert "The page must be a whole number" in response.get_data(as_text=True)


# The search box and bad input


def test_every_page_has_the_search_box(site):
    for path in ("/", "/rehab/", "/search", "/site-search"):
        html = site.get(path).get_data(as_text=True)
        assert '<form class="site-search-box" action="/site-search" method="get"' in html
        assert '<label for="site-search-q">Search this site</label>' in html
        assert 'id="site-search-q" name="q"' in html


@pytest.mark.parametrize("query", ["", "   ", None])
def test_an_empty_query_shows_the_form_and_a_prompt(site, query):
    response = site.get("/site-search", query_string={} if query is None else {"q": query})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'id="site-search-page-q"' in html and "Type a few words" in html


HOSTILE_QUERIES = [
    '"',
    '"methadone',
    "AND (",
    "methadone AND (",
    "*",
    "metha*",
    "-",
    "-methadone",
    "NEAR",
    "NEAR(methadone texas, 2)",
    ":",
    "name1:congress",
    "'",
    "'; DROP TABLE center; --",
    "\\",
    "&",
    "|",
    "!",
    "<->",
    "methadone & !texas | austin <-> detox",
    "^congress",
    "{name place}: austin",
    "\x00\x02\x03",
]


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_search_engine_syntax_never_fails(site, query):
    response = site.get("/site-search", query_string={"q": query})
    assert response.status_code == 200


@pytest.mark.parametrize("query", ["methadone " * 100, "x" * 1000, 'a" OR ' * 200, "é" * 1500])
def test_a_very_long_query_still_answers(site, query):
    assert site.get("/site-search", query_string={"q": query}).status_code == 200


def test_a_query_with_no_words_says_there_are_no_results(site):
    html = page_text(site, '"*" -- && || !! <-> :')
    assert "No results. Your search has no letters or numbers" in html


def test_typed_markup_is_shown_escaped(site):
    html = page_text(site, "<b>methadone</b>")
    assert "<b>methadone</b>" not in html
    assert 'value="&lt;b&gt;methadone&lt;/b&gt;"' in html


# Query words and highlighting


def test_query_words_are_plain_lower_case_words():
    assert query_words('"Methadone" AND (Texas*) NEAR -detox') == [
        "methadone",
        "texas",
        "near",
        "detox",
    ]
    assert query_words("treatment in the city of Austin") == ["treatment", "city", "austin"]
    assert query_words("who") == ["who"]  # only stop words: kept, not emptied
    assert len(query_words(" ".join(f"w{n}" for n in range(100)))) == 20
    assert query_words("Ünïcödé café_bar") == ["ünïcödé", "café", "bar"]


def test_only_the_last_word_of_two_letters_or_more_is_a_prefix():
    assert fts5_query(["methadone", "tex"]) == '"methadone" "tex"*'
    assert fts5_query(["methadone", "a"]) == '"methadone" "a"'


def test_marked_escapes_before_marking():
    assert marked("a<b>\x02c&d\x03 \x02e\x03") == "a&lt;b&gt;<mark>c&amp;d</mark> <mark>e</mark>"
    assert marked(None) == ""


# Keeping the index current


def _center(name1: str) -> Center:
    return db.session.scalars(sa.select(Center).where(Center.name1 == name1)).one()


def _assert_index_consistent() -> None:
    """On SQLite, FTS5 checks its index against the text it was built from."""
    if db.session.get_bind().dialect.name == "sqlite":
        for index in ("center_search_fts", "article_search_fts"):
            check = f"INSERT INTO {index}({index}, rank) VALUES ('integrity-check', 1)"
            db.session.execute(sa.text(check))  # raises when they disagree


def _found(query: str) -> list[str]:
    hits = search_site(db.session, query).centers.hits
    return [re.sub(r"</?mark>", "", hit.title) for hit in hits]


def test_a_renamed_center_is_found_by_its_new_name(app_ctx):
    center = _center("Congress Avenue Recovery (Test)")
    center.name1 = "Zanzibar <b>Harbor</b> House"
    refresh_center_index(db.session, [center.id])
    found = search_site(db.session, "zanzibar harbor").centers.hits
    assert [hit.slug for hit in found] == [center.slug]
    assert "<mark>Zanzibar</mark> &lt;b&gt;<mark>Harbor</mark>&lt;/b&gt; House" in found[0].title
    assert not any("Congress" in name for name in _found("congress avenue"))
    _assert_index_consistent()


def test_publishing_and_unpublishing_reach_the_index(app_ctx):
    hidden, shown = _center("Hidden Listing (Test)"), _center("Lady Bird Lake Detox (Test)")
    hidden.published, shown.published = True, False
    refresh_center_index(db.session, [hidden.id, shown.id])
    assert _found("hidden listing") == ["Hidden Listing (Test)"]
    assert _found("lady bird lake") == []
    _assert_index_consistent()


def test_a_deleted_center_leaves_the_index(app_ctx):
    center = _center("Nome Remote Care (Test)")
    db.session.delete(center)
    refresh_center_index(db.session, [center.id])
    indexed = sa.select(sa.func.count()).where(center_search.c.center_id == center.id)
    assert db.session.scalar(indexed) == 0
    assert _found("nome remote") == []
    _assert_index_consistent()


def test_a_full_refresh_indexes_every_published_center(app_ctx):
    refresh_center_index(db.session)
    published = sa.select(sa.func.count()).where(Center.published.is_(True))
    indexed = sa.select(sa.func.count()).select_from(center_search)
    assert db.session.scalar(indexed) == db.session.scalar(published)
    assert "Round Rock Medication Clinic (Test)" in _found("round rock medication")
    _assert_index_consistent()


def test_sqlite_reads_the_full_text_index_before_the_centers(app_ctx):
    """Walking the centers first would run the full-text match once per center."""
    if db.session.get_bind().dialect.name != "sqlite":
        pytest.skip("a SQLite query plan")
    from locator.site_search.engines import Fts5Queries

    group = Fts5Queries(["methadone"]).centers()
    matching = sa.select(group.key).select_from(group.source).where(group.matches)
    sql = matching.compile(db.engine, compile_kwargs={"literal_binds": True})
    plan = db.session.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}").all()
    assert plan[0][-1].startswith("SCAN center_search_fts")


def test_init_db_fills_an_empty_center_index(app_ctx):
    """A database with listings from before the site search gets its index at init-db."""
    from locator.site_search import fill_empty_center_index

    db.session.execute(sa.delete(center_search))
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.execute(
            sa.text("INSERT INTO center_search_fts(center_search_fts) VALUES ('delete-all')")
        )
    assert fill_empty_center_index(db.session) is True
    assert _found("round rock medication clinic test") == ["Round Rock Medication Clinic (Test)"]
    assert fill_empty_center_index(db.session) is False
    _assert_index_consistent()
