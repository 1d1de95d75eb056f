"""What every template can use: where the listings come from, phone and distance formatting."""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import phonenumbers
import sqlalchemy as sa
from flask import Flask, current_app, g, has_app_context
from flask.templating import Environment
from flask_babel import lazy_gettext as _l
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from locator import search
from locator.config import (
    DEFAULT_HELPLINE_DISCLOSURE,
    DEFAULT_HELPLINE_NAME,
    DEFAULT_HELPLINE_NUMBER,
)
from locator.forms import RADIUS_CHOICES, SearchForm
from locator.geo import AREAS, STATE_SLUGS, slugify
from locator.geo.spanish_names import spanish_place_label
from locator.read_replica import read_session
from locator.taxonomy import Taxonomy, current_taxonomy
from locator.web import layout_parts, print_view
from locator.web.catalog import gettext as _
from locator.web.catalog import ngettext
from locator.web.i18n import current_language

# The filters the home page shows before "more filters".
MOST_USED_FILTERS = (
    "detox",
    "residential",
    "outpatient",
    "methadone",
    "buprenorphine",
    "medicaid",
    "private-insurance",
    "sliding-fee",
    "spanish",
)
SAMPLE_SOURCE = "sample"
DIRECTORY_SOURCE = "samhsa-directory"  # the default source of the National Directory format
DIRECTORY_NAME = _l(
    "SAMHSA's National Directories of Drug and Alcohol Use and Mental Health Treatment Facilities"
)
# The notice atop every listing page: short, so that a phone still shows the first result.
DIRECTORY_SHORT_NAME = _l("SAMHSA's National Directories of treatment facilities")
OFFICIAL_LOCATOR_URL = "https://findtreatment.gov"
# How long a process keeps its answer to "which sources are published" (see provenance()).
PROVENANCE_SECONDS = 5.0
_PROVENANCE = "locator.provenance"
_RADIUS_OPTIONS: dict[str, list[tuple[str, str]]] = {}
SOURCE_LABELS = {SAMPLE_SOURCE: _l("Sample directory (fictitious listings generated for testing)")}


@dataclass(frozen=True)
class Provenance:
    """Which listings a page may show, decided once per request for the notice of base.html."""

    sample: bool
    directory: bool
    edition: str
    directory_name: str = DIRECTORY_NAME
    short_name: str = DIRECTORY_SHORT_NAME
    official_url: str = OFFICIAL_LOCATOR_URL


# How the importers write a number (locator.importers.normalize.normalize_phone).
_STORED_PHONE = re.compile(r"\((\d{3})\) (\d{3})-(\d{4})(?: x(\d+))?")


@lru_cache(maxsize=1024)
def tel_href(phone: str) -> str:
    """A `tel:` URI for a US phone number as written in a listing, extension kept."""
    stored = _STORED_PHONE.fullmatch(phone)
    if stored:  # a results page shows twenty: skip the full parser (about 50 µs each)
        area, exchange, line, extension = stored.groups()
        uri = f"tel:+1{area}{exchange}{line}"
        return f"{uri};ext={extension}" if extension else uri
    try:
        number = phonenumbers.parse(phone, "US")
    except phonenumbers.NumberParseException:
        digits = "".join(ch for ch in phone if ch.isdigit())
        return f"tel:{digits}"
    uri = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return f"tel:{uri};ext={number.extension}" if number.extension else f"tel:{uri}"


def unknown_provenance() -> Provenance:
    """The notice's facts when the database can't be asked: no sample, no directory named."""
    return Provenance(False, False, current_app.config["LOCATOR_DIRECTORY_EDITION"])


def provenance() -> Provenance:
    """Where the published listings come from, asked once per request at most."""
    if "provenance" not in g:
        g.provenance = _kept_provenance()
    return g.provenance


def _kept_provenance() -> Provenance:
    # What is published changes at an import or an admin's edit, not between two pages: the
    # answer is kept PROVENANCE_SECONDS by each process, and forgotten at any commit of its
    # own (another process's shows within those seconds).
    kept = current_app.extensions[_PROVENANCE]
    now = time.monotonic()
    if kept and kept[0] > now:
        return kept[1]
    edition = current_app.config["LOCATOR_DIRECTORY_EDITION"]
    try:
        session = read_session()
        sample, directory = search.sources_published(session, SAMPLE_SOURCE, DIRECTORY_SOURCE)
    except SQLAlchemyError:  # the error page of a database outage must still render
        read_session().rollback()
        return unknown_provenance()
    found = Provenance(sample, directory, edition)
    current_app.extensions[_PROVENANCE] = (now + PROVENANCE_SECONDS, found)
    return found


def _forget_provenance(_connection) -> None:
    if has_app_context() and _PROVENANCE in current_app.extensions:
        current_app.extensions[_PROVENANCE] = None


def source_label(source: str) -> str:
    """A source as people read it; the National Directory with its edition."""
    if source == DIRECTORY_SOURCE:
        edition = current_app.config["LOCATOR_DIRECTORY_EDITION"]
        return _("%(name)s, %(edition)s edition", name=DIRECTORY_NAME, edition=edition)
    return str(SOURCE_LABELS.get(source, source))


def directions_url(latitude: float, longitude: float) -> str:
    """A link to directions to a point, from the configured template."""
    return current_app.config["LOCATOR_DIRECTIONS_URL"].format(lat=latitude, lon=longitude)


def helpline_name() -> str:
    """The helpline's name: SAMHSA's in the page's language, or the configured one as it is."""
    name = current_app.config["LOCATOR_HELPLINE_NAME"]
    return _("SAMHSA National Helpline") if name == DEFAULT_HELPLINE_NAME else name


def helpline_disclosure() -> str:
    """Who answers the helpline: SAMHSA's in the page's language, or the configured text."""
    text = current_app.config["LOCATOR_HELPLINE_DISCLOSURE"]
    if text != DEFAULT_HELPLINE_DISCLOSURE:
        return text
    return _(
        "The SAMHSA National Helpline is run by the Substance Abuse and Mental Health Services "
        "Administration, an agency of the U.S. government. It is free and confidential, and it "
        "answers 24 hours a day, 365 days a year, in English and Spanish. The people who answer "
        "give referrals to local treatment facilities, support groups and community "
        "organizations; they do not provide counseling. Callers are not asked for personal "
        "information, only a ZIP code or similar to find resources nearby. This site receives "
        "nothing from calls to the helpline and is not paid for referrals."
    )


def filters_summary(chosen: int) -> str:
    """The summary of a filters box: "Filters", or "Filters (2 chosen)"."""
    if not chosen:
        return _("Filters")
    return ngettext("Filters (%(num)s chosen)", "Filters (%(num)s chosen)", chosen)


def location_place(location, near: bool = True) -> str:
    """A searched place as a sentence names it: "Austin, TX", or for coordinates "Austin, TX"
    after "near" (`near=True`, the title's own word) or "near Austin, TX" otherwise."""
    label = location.label
    if location.kind == "coordinates" and label.startswith("Near "):
        place = label.removeprefix("Near ")
        return place if near else _("near %(place)s", place=place)
    return label


# Service and filter labels in the page's language (data/taxonomy.csv's `label_es`).
def page_taxonomy() -> Taxonomy:
    """The taxonomy worded in the page's language: codes and keys as ever, labels translated."""
    return current_taxonomy(current_language())


def filter_label(key: str) -> str:
    """A filter's label, as people pick it."""
    return page_taxonomy().filters[key].label


def service_label(code: str) -> str:
    """A service code's label."""
    return page_taxonomy().service(code).label


def radius_options() -> list[tuple[str, str]]:
    """The radius menu's choices as (value, words), worded once per language."""
    lang = current_language()
    found = _RADIUS_OPTIONS.get(lang)
    if found is None:
        found = _RADIUS_OPTIONS[lang] = [
            (str(miles), _("%(miles)s miles", miles=miles)) for miles in RADIUS_CHOICES
        ]
    return found


def script_strings() -> dict[str, str]:
    """What the page's scripts say, in its language (read from a JSON block by static/js)."""
    return {
        "link_copied": _("Link copied."),
        "copy_by_hand": _("Select the link above and copy it."),
        "use_my_location": _("Use my location"),
        "location_refused": _(
            "Your browser did not share your location. Type a ZIP code or a city instead."
        ),
        "location_unavailable": _(
            "Your location could not be found just now. Type a ZIP code or a city instead."
        ),
        "location_timeout": _(
            "Finding your location took too long. Type a ZIP code or a city instead."
        ),
        "location_finding": _("Finding your location…"),
        "location_searching": _("Searching near your location…"),
        "miles_away": _("{miles} mi away"),
        "suggested_places": _("Suggested places"),
        "place_chosen": _("{place} chosen. Press Enter to search."),
        "one_place_suggested": _("1 place suggested. Use the up and down arrow keys to choose."),
        "places_suggested": _(
            "{count} places suggested. Use the up and down arrow keys to choose."
        ),
    }


class TemplateEnvironment(Environment):
    """Flask's Jinja environment, each template's globals a plain dict copy of its own.

    Jinja keeps them as a ChainMap over the environment's, and each `{% from %}` import
    compares their keys with the page's through ChainMap lookups: about 20 µs an import,
    and a results page makes four. The app registers every global before the first
    template loads (a global added later reaches only the templates loaded after it).
    """

    def make_globals(self, d: Mapping[str, Any] | None) -> dict[str, Any]:  # type: ignore[override]
        """The environment's globals and the template's own `d`."""
        return {**self.globals, **(d or {})}


def init_app(app: Flask) -> None:
    """Register the template helpers."""
    app.jinja_env.filters["tel_href"] = tel_href
    app.jinja_env.filters["place_label"] = lambda label: (
        spanish_place_label(label) if current_language() == "es" else label
    )
    app.extensions[_PROVENANCE] = None
    if not sa.event.contains(Engine, "commit", _forget_provenance):
        sa.event.listen(Engine, "commit", _forget_provenance)
    app.context_processor(lambda: {"provenance": provenance()})
    app.jinja_env.globals.update(
        directions_url=directions_url,
        taxonomy=page_taxonomy,
        most_used_filters=MOST_USED_FILTERS,
        source_label=source_label,
        state_slug=STATE_SLUGS.get,
        state_name=AREAS.get,
        slugify=slugify,
        empty_search_form=lambda: SearchForm(formdata=None),
        default_helpline_number=DEFAULT_HELPLINE_NUMBER,
        helpline_name=helpline_name,
        helpline_disclosure=helpline_disclosure,
        filters_summary=filters_summary,
        location_place=location_place,
        script_strings=script_strings,
        radius_options=radius_options,
    )
    app.jinja_env.filters.update(filter_label=filter_label, service_label=service_label)
    print_view.init_app(app)
    layout_parts.init_app(app)
