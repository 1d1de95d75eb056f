"""What every template can use: the sample-data notice, phone and distance formatting."""

from __future__ import annotations

import re

import phonenumbers
from flask import Flask, current_app, g
from sqlalchemy.exc import SQLAlchemyError

from locator import card_facts, print_view, search
from locator.config import DEFAULT_HELPLINE_NUMBER
from locator.forms import SearchForm
from locator.geo import AREAS, STATE_SLUGS, slugify
from locator.read_replica import read_session
from locator.taxonomy import current_taxonomy

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
SOURCE_LABELS = {"sample": "Sample directory (fictitious listings generated for testing)"}


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


def sample_data_loaded() -> bool:
    """Whether the sample directory is loaded, asked once per request."""
    if "sample_data_loaded" not in g:
        try:
            g.sample_data_loaded = search.sample_data_loaded(read_session())
        except SQLAlchemyError:  # the error page of a database outage must still render
            read_session().rollback()
            g.sample_data_loaded = False
    return g.sample_data_loaded


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
    app.jinja_env.globals.update(
        sample_data_loaded=sample_data_loaded,
        directions_url=directions_url,
        taxonomy=current_taxonomy,
        most_used_filters=MOST_USED_FILTERS,
        source_label=lambda s: SOURCE_LABELS.get(s, s),
        state_slug=STATE_SLUGS.get,
        state_name=AREAS.get,
        slugify=slugify,
        empty_search_form=lambda: SearchForm(formdata=None),
        default_helpline_number=DEFAULT_HELPLINE_NUMBER,
    )
    card_facts.init_app(app)
    print_view.init_app(app)
