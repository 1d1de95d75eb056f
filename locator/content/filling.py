"""Filling placeholders for one reader, and the "Finding what you're looking for?" box."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from flask import url_for
from flask_babel import gettext as _
from markupsafe import Markup

from locator import search
from locator.content.articles import Article
from locator.content.placeholders import MARKDOWN
from locator.content.reader_location import ReaderLocation
from locator.geo import AREAS, STATE_SLUGS, gazetteer, slugify
from locator.models import Place
from locator.read_replica import read_session
from locator.web.i18n import current_language, localized_path

NEAREST_CITY_MILES = 50
SEARCH_PATH = "/search"


# The box, in the same grammar as the articles: one text with a city, one without. Each is
# translated whole (placeholders kept), and parsed once per language.
def box_source(with_place: bool) -> str:
    """The box's text in the page's language."""
    if with_place:
        return _(
            'Try: [url link="city_link"][city] Heroin, Drug and Alcohol Treatment Centers[/url]'
            "\n\n"
            'Or view all: [url link="region_link"][region] Rehab Programs[/url]'
            "\n\n"
            'Or use our [url link="/site-search"]site search[/url]'
        )
    return _(
        '[url link="search_link"]Find Heroin, Drug and Alcohol Treatment Centers near you[/url]'
        "\n\n"
        '[url link="states_link"]Browse Rehab Programs by State[/url]'
        "\n\n"
        'Or use our [url link="/site-search"]site search[/url]'
    )


_BOX_TOKENS: dict[tuple[str, bool], list] = {}


def box_tokens(with_place: bool) -> list:
    """The box's parsed text in the page's language."""
    key = (current_language(), with_place)
    if key not in _BOX_TOKENS:
        _BOX_TOKENS[key] = MARKDOWN.parse(box_source(with_place))
    return _BOX_TOKENS[key]


def with_location(path: str, location_text: str) -> str:
    """A site path; a search path gets `location=` added when known, its own query kept."""
    parts = urlsplit(path)
    if not location_text or parts.path != SEARCH_PATH:
        return path
    query = parse_qsl(parts.query, keep_blank_values=True)
    if any(key == "location" for key, _ in query):
        return path
    return urlunsplit(parts._replace(query=urlencode([*query, ("location", location_text)])))


class PlaceFill:
    """What placeholders say for one reader: their nearest city with centers, or general words."""

    def __init__(self, place: Place | None, location_text: str = "") -> None:
        self.place = place
        self.location_text = location_text
        search_href = with_location(url_for("public.search_results"), location_text)
        states_href = url_for("public.states_index")
        self.links = {
            "search_link": search_href,
            "states_link": states_href,
            "city_link": search_href,
            "region_link": states_href,
        }
        self.values = {"city": _("your area"), "region": _("your state")}
        if place is not None:
            state_slug = STATE_SLUGS[place.state]
            self.links["city_link"] = url_for(
                "public.city_page", state_slug=state_slug, city_slug=place.slug
            )
            self.links["region_link"] = url_for("public.state_page", state_slug=state_slug)
            self.values = {"city": f"{place.city}, {place.state}", "region": AREAS[place.state]}

    def value(self, name: str) -> str:
        """The text of [city] or [region]."""
        return self.values[name]

    def href(self, link: str) -> str:
        """Where a [url link="…"] goes: a site path in the page's language (`/helpline` is
        `/es/helpline` in a Spanish article; named links are built in it already)."""
        if link in self.links:
            return self.links[link]
        return localized_path(with_location(link, self.location_text), current_language())


def fill_for_reader(reader: ReaderLocation) -> PlaceFill:
    """The fill for an article's reader: the city with centers nearest to them, if any."""
    location = reader.location
    if location is None:
        return PlaceFill(None)
    if location.kind == "state":
        place = search.largest_place(read_session(), location.state)
    else:
        place = search.nearest_place(read_session(), location.point, NEAREST_CITY_MILES)
    return PlaceFill(place, reader.search_text)


def render_markdown(tokens: list, fill: PlaceFill) -> Markup:
    """HTML of parsed tokens with one reader's values; every value escaped by the rules."""
    # Safe to mark (bandit's B704 and ruff's S704 are false positives here): raw HTML is off,
    # so the renderer escapes every text and value it writes (tests/test_properties.py checks
    # it on generated articles).
    return Markup(MARKDOWN.renderer.render(tokens, MARKDOWN.options, {"fill": fill}))  # noqa: S704  # nosec


def render_article(article: Article, fill: PlaceFill) -> Markup:
    """An article's body for one reader."""
    return render_markdown(article.tokens, fill)


@dataclass(frozen=True)
class FindingBox:
    """The box's links, and the location in use with where a new one is sent."""

    html: Markup
    location_label: str = ""
    change_action: str = ""


def finding_box(fill: PlaceFill, location_label: str = "", change_action: str = "") -> FindingBox:
    """The box for a fill: the city and state when there is a place, general links if not."""
    html = render_markdown(box_tokens(fill.place is not None), fill)
    return FindingBox(html, location_label, change_action)


def city_page_finding_box(state: str, city: str) -> FindingBox:
    """The box of a city page, whose location is the page's own city."""
    place = search.place_by_slug(read_session(), state, slugify(city))
    if place is None:
        found = gazetteer().city(city, state)
        point = (found.latitude, found.longitude) if found else None
        place = search.nearest_place(read_session(), point, NEAREST_CITY_MILES) if point else None
    label = f"{city}, {state}"
    return finding_box(PlaceFill(place, label), label, url_for("public.search_results"))


def state_page_finding_box(state: str) -> FindingBox:
    """The box of a state page, whose location is the state's largest city with centers."""
    place = search.largest_place(read_session(), state)
    fill = PlaceFill(place, AREAS[state])
    return finding_box(fill, AREAS[state], url_for("public.search_results"))
