"""The result cards written in Python (locator.web.card_markup): every listing's text is
escaped where it lands, and a card's words are the page's language's."""

from __future__ import annotations

from datetime import date

import pytest

from locator.search.results import CenterSummary
from locator.web.card_markup import result_card_items

HOSTILE = CenterSummary(
    id=1,
    slug="hostile-center",
    name1='Hope <script>alert(1)</script> & "Care"',
    name2="Unit\x1fB",  # the character the card joins its texts with
    street1="12 <b>Main</b> St",
    street2="Suite 'A'",
    city="Austin",
    state="TX",
    zip="78701",
    phone="(512) 555-0100",
    intake1="",
    website="",
    latitude=30.27,
    longitude=-97.74,
    placement="address",
    last_verified=date(2026, 11, 2),
    source="sample",
    reported_on=None,
    distance=1.25,
    services=("MD", "METH", "SP"),
)


def cards(app, path: str, center: CenterSummary = HOSTILE) -> str:
    with app.test_request_context(path):
        return str(result_card_items([center], ("methadone",)))


def test_a_listing_s_markup_is_shown_as_text_never_run(directory):
    html = cards(directory, "/search")
    assert "<script>" not in html and "<b>" not in html
    name = "Hope &lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;Care&#34;"
    assert f'<a href="/centers/hostile-center">{name}</a>' in html
    assert (
        '<p class="address">12 &lt;b&gt;Main&lt;/b&gt; St, Suite &#39;A&#39;<br>Austin, TX 78701'
        in html
    )


def test_a_text_holding_the_joining_character_keeps_every_field_in_place(directory):
    html = cards(directory, "/search")
    assert '<p class="center-name2">Unit\x1fB</p>' in html
    assert "Austin, TX 78701" in html and "Call (512)\u00a0555-0100" in html
    assert '<span aria-hidden="true">✓</span> Methadone</li>' in html


@pytest.mark.parametrize(
    ("path", "words"),
    [("/search", ("Medicaid", "Methadone", "Last verified November 2, 2026")),
     ("/es/search", ("Medicaid", "Metadona", "2 de noviembre de 2026"))],
)  # fmt: skip
def test_a_card_s_words_are_the_page_s_language_s(directory, path, words):
    for _ in range(2):  # the second time from the words kept for this set of codes
        html = cards(directory, path)
        assert all(word in html for word in words)
    english_only = "Last verified" if path.startswith("/es") else "Verificado"
    assert english_only not in html
