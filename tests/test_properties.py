"""Property-based tests (hypothesis): whatever text arrives, no exception escapes the
gazetteer's parser, the placeholder renderer or the importers' normalisers, and no public
query parameter crashes a page or puts unescaped markup from its input into the HTML."""

from __future__ import annotations

import math
import re
from urllib.parse import quote_from_bytes, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from locator.content import current_library
from locator.content.filling import PlaceFill, render_markdown
from locator.content.placeholders import MARKDOWN
from locator.geo import AREAS, LocationError, ResolvedLocation, resolve_location
from locator.importers import normalize
from tests.helpers.examples import examples

BOUNDED = settings(
    max_examples=examples(150),
    deadline=None,
    derandomize=True,  # the same examples on every run: a failure is reproducible
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
MARK = "xss7f3"
HOSTILE = [
    f"<script>{MARK}</script>",
    f'"><img src=x onerror={MARK}>',
    f"'><script>{MARK}",
    f"</title><script>{MARK}</script>",
    f"<img/src=x onerror={MARK}>",
    f"<svg onload={MARK}>",
    f'[url link="/search?q=<script>{MARK}"]x[/url]',
]
# Markup injected from input: a tag whose attributes carry the marker, or a script holding it.
INJECTED = re.compile(
    rf"<(?:script|img|svg)\b[^>]*{MARK}|<script\b[^>]*>[^<]*{MARK}", re.IGNORECASE
)
hostile_text = st.one_of(
    st.text(max_size=60),
    st.builds(
        lambda before, payload, after: before + payload + after,
        st.text(max_size=15),
        st.sampled_from(HOSTILE),
        st.text(max_size=15),
    ),
)


# --- the gazetteer's parser ------------------------------------------------------------

state_names = st.sampled_from([*AREAS, *AREAS.values()])
typed_places = st.one_of(
    st.text(max_size=250),
    st.from_regex(r"\A[0-9]{3,6}(-[0-9]{0,5})?\Z"),
    st.builds("{} {}".format, st.floats(-200, 200), st.floats(-400, 400)),
    st.builds("{}, {}".format, st.text(max_size=30), state_names),
    st.builds("{} {} {}".format, st.integers(0, 99999), st.text(max_size=20), state_names),
)


@BOUNDED
@given(text=typed_places)
def test_any_typed_location_resolves_or_says_why(app, text):
    try:
        place = resolve_location(text)
    except LocationError as error:
        assert error.message.strip()
        return
    assert isinstance(place, ResolvedLocation) and place.label
    assert -90 <= place.latitude <= 90 and -180 <= place.longitude <= 180


# --- the placeholder renderer --------------------------------------------------------

MARKDOWN_TAGS = re.compile(
    r"</?(?:p|em|strong|a|code|pre|h[1-6]|ul|ol|li|blockquote|hr|br|img|sup)"
    r"(?:\s+[a-z-]+=\"[^\"<>]*\")*\s*/?>"
)
article_pieces = st.sampled_from(
    [
        "[city]", "[region]", '[url link="city_link"]', '[url link="/search?service=detox"]',
        '[url link="javascript:alert(1)"]', "[/url]", "[1]", "[1, 3]", "[url", "[", "]", "<",
        ">", "<b>", "&", '"', "`", "*", "_", "\n", "\n\n", "# ", "> ", "- ", "1. ", "![a](<x>)",
        "[t](javascript:x)", "<http://a.example/<x>>", *HOSTILE,
    ]
)  # fmt: skip
article_bodies = st.one_of(
    st.text(max_size=200), st.lists(st.one_of(article_pieces, st.text(max_size=8))).map("".join)
)


class HostileFill:
    """A reader whose place names are themselves markup."""

    def value(self, name: str) -> str:
        return f"<script>{MARK}</script> & {name}"

    def href(self, link: str) -> str:
        return f'/search?location="><img src=x onerror={MARK}>'


def assert_no_markup_from_input(html: str) -> None:
    """Every "<" left once the renderer's own tags are taken out came from input unescaped."""
    assert "<" not in MARKDOWN_TAGS.sub("", html), html


@BOUNDED
@given(body=article_bodies, sources=st.none() | st.integers(0, 5))
def test_rendered_articles_never_hold_unescaped_markup_from_their_text(body, sources):
    tokens = MARKDOWN.parse(body, {} if sources is None else {"source_count": sources})
    html = MARKDOWN.renderer.render(tokens, MARKDOWN.options, {"fill": HostileFill()})
    assert_no_markup_from_input(html)
    assert not INJECTED.search(html)


@BOUNDED
@given(body=article_bodies, location_text=hostile_text)
def test_a_readers_location_is_escaped_in_links(directory, body, location_text):
    with directory.test_request_context("/"):
        html = str(render_markdown(MARKDOWN.parse(body), PlaceFill(None, location_text)))
    assert_no_markup_from_input(html)


# --- the importers' normalisers ------------------------------------------------------

cell_values = st.one_of(
    st.none(), st.text(max_size=80), st.integers(), st.floats(allow_nan=True), st.booleans()
)
phone_like = st.from_regex(r"\A\+?1?[ (]?\d{3}\)?[ .-]?\d{3}[ .-]?\d{4}(?: ?x\d{1,9})?\Z")
states = st.sampled_from([None, "", *AREAS])
WEB_SCHEMES = ("http://", "https://")
US_PHONE = re.compile(r"\([0-9]{3}\) [0-9]{3}-[0-9]{4}(?: x[0-9]+)?")


zip_like = st.from_regex(r"\A\s?\d{1,10}(?:[-.]\d{0,5})?\s?\Z")  # any script's digits


@BOUNDED
@given(value=cell_values, text=st.text(max_size=80) | zip_like | phone_like, state=states)
def test_normalisers_take_any_value_without_raising(value, text, state):
    assert isinstance(normalize.clean_text(value), str)
    assert normalize.normalize_state(text) in (None, *AREAS)
    assert normalize.normalize_zip(text, state) in ("", None) or re.fullmatch(
        r"[0-9]{5}", normalize.normalize_zip(text, state)
    )
    shown, ok = normalize.normalize_phone(text)
    assert isinstance(shown, str) and (not ok or shown == "" or US_PHONE.fullmatch(shown))
    url, ok = normalize.normalize_url(text)
    assert (url, ok) == ("", False) or (ok and (url == "" or url.startswith(WEB_SCHEMES)))
    assert isinstance(normalize.normalize_city(text), str)
    coordinate = normalize.parse_coordinate(value)
    assert coordinate is None or math.isfinite(coordinate)
    assert normalize.match_key(text, text, text, text[:5]).startswith("k-")
    assert isinstance(normalize.key_hash(text), int)
    assert normalize.digits_only(text).isdigit() or normalize.digits_only(text) == ""


@pytest.mark.parametrize(
    ("given_zip", "expected"), [("７８７０１", "78701"), ("٧٨٧٠١", None), ("78701-١٢٣٤", None)]
)
def test_zip_codes_in_other_digits_are_read_or_refused_never_stored_as_they_are(
    given_zip, expected
):
    assert normalize.normalize_zip(given_zip, "TX") == expected


@pytest.mark.parametrize(
    ("given_phone", "expected"),
    [("(٥١٢) ٥٥٥-٠١٠٠", "(512) 555-0100"), ("512 555 0100 ext ٠١", "(512) 555-0100 x01")],
)
def test_phone_numbers_in_other_digits_are_shown_in_ascii(given_phone, expected):
    assert normalize.normalize_phone(given_phone) == (expected, True)


# --- every public query parameter ----------------------------------------------------

ALLOWED = {200, 400, 404, 429}
REDIRECTS = {301, 308}  # an encoded "/" in a path segment makes "//", which Flask merges


@pytest.fixture(scope="module")
def web(directory):
    """A client, and an article's address to read with ?location=."""
    with directory.app_context():
        slug = current_library().newest_first()[0].slug
    return directory.test_client(), f"/articles/{slug}"


def encoded(value: str | bytes) -> str:
    """Text as UTF-8, bytes as they are (often invalid UTF-8), percent-encoded."""
    raw = value if isinstance(value, bytes) else value.encode("utf-8")
    return quote_from_bytes(raw, safe="")


def check_answer(response, allowed: set[int] = ALLOWED) -> None:
    """A normal status, and no markup from the input in a page."""
    assert response.status_code in allowed, (response.status_code, response.request.url)
    if response.status_code in REDIRECTS:  # "//" in a path is merged: never to another site
        assert urlsplit(response.headers["Location"]).netloc in ("", "localhost")
    if response.mimetype == "text/html":
        html = response.get_data(as_text=True)
        assert not INJECTED.search(html), response.request.url


QUERY_PARAMETERS = [
    ("/search", "location=78701", "location"),
    ("/search", "location=78701", "radius"),
    ("/search", "location=78701", "page"),
    ("/search", "location=Austin%2C+TX", "service"),
    ("/api/v1/centers", "location=78701", "location"),
    ("/api/v1/centers", "location=78701", "radius"),
    ("/api/v1/centers", "location=78701", "page"),
    ("/api/v1/centers", "location=78701", "service"),
    ("/api/v1/places", "", "q"),
    ("/rehab/texas", "", "page"),
    ("/rehab/texas", "", "service"),
    ("/rehab/texas/austin", "", "page"),
    ("/rehab/texas/austin", "", "service"),
    ("/site-search", "", "q"),
    ("/site-search", "q=detox", "page"),
    ("ARTICLE", "", "location"),
]
values = st.one_of(hostile_text, st.binary(max_size=40))
QUICK = settings(BOUNDED, max_examples=examples(25))


@pytest.mark.parametrize(("path", "fixed", "name"), QUERY_PARAMETERS)
@QUICK
@given(value=values)
def test_any_query_parameter_gets_a_normal_answer(web, path, fixed, name, value):
    client, article = web
    path = article if path == "ARTICLE" else path
    query = "&".join(part for part in (fixed, f"{name}={encoded(value)}") if part)
    check_answer(client.get(f"{path}?{query}"))


@pytest.mark.parametrize(
    "template", ["/rehab/{}", "/rehab/texas/{}", "/centers/{}", "/articles/{}"]
)
@QUICK
@given(value=values)
def test_any_path_segment_gets_a_normal_answer(web, template, value):
    client, _ = web
    check_answer(client.get(template.format(encoded(value) or "x")), ALLOWED | REDIRECTS)
