"""What every template can use: where the listings come from, phone and distance formatting."""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers
from flask import Flask, current_app, g
from sqlalchemy.exc import SQLAlchemyError

from locator import search
from locator.config import DEFAULT_HELPLINE_NUMBER
from locator.forms import SearchForm
from locator.geo import AREAS, STATE_SLUGS, slugify
from locator.read_replica import read_session
from locator.taxonomy import current_taxonomy
from locator.web import card_facts, print_view

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
DIRECTORY_NAME = (
    "SAMHSA's National Directories of Drug and Alcohol Use and Mental Health Treatment Facilities"
)
# The notice atop every listing page: short, so that a phone still shows the first result.
DIRECTORY_SHORT_NAME = "SAMHSA's National Directories of treatment facilities"
OFFICIAL_LOCATOR_URL = "https://findtreatment.gov"
SOURCE_LABELS = {SAMPLE_SOURCE: "Sample directory (fictitious listings generated for testing)"}


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
    """Where the published listings come from, asked once per request (two index lookups)."""
    if "provenance" not in g:
        edition = current_app.config["LOCATOR_DIRECTORY_EDITION"]
        try:
            session = read_session()
            sample = search.source_published(session, SAMPLE_SOURCE)
            directory = search.source_published(session, DIRECTORY_SOURCE)
        except SQLAlchemyError:  # the error page of a database outage must still render
            read_session().rollback()
            g.provenance = unknown_provenance()
        else:
            g.provenance = Provenance(sample, directory, edition)
    return g.provenance


def source_label(source: str) -> str:
    """A source as people read it; the National Directory with its edition."""
    if source == DIRECTORY_SOURCE:
        edition = current_app.config["LOCATOR_DIRECTORY_EDITION"]
        return f"{DIRECTORY_NAME}, {edition} edition"
    return SOURCE_LABELS.get(source, source)


def directions_url(latitude: float, longitude: float) -> str:
    """A link to directions to a point, from the configured template."""
    return current_app.config["LOCATOR_DIRECTIONS_URL"].format(lat=latitude, lon=longitude)


def init_app(app: Flask) -> None:
    """Register the template helpers."""
    app.jinja_env.filters["tel_href"] = tel_href
    app.jinja_env.filters["miles"] = lambda d: f"{d:.1f}"
    app.jinja_env.filters["leading_labels"] = lambda codes, count: (
        current_taxonomy().leading_labels(codes, count)
    )
    app.context_processor(lambda: {"provenance": provenance()})
    app.jinja_env.globals.update(
        directions_url=directions_url,
        taxonomy=current_taxonomy,
        most_used_filters=MOST_USED_FILTERS,
        source_label=source_label,
        state_slug=STATE_SLUGS.get,
        state_name=AREAS.get,
        slugify=slugify,
        empty_search_form=lambda: SearchForm(formdata=None),
        default_helpline_number=DEFAULT_HELPLINE_NUMBER,
    )
    card_facts.init_app(app)
    print_view.init_app(app)
