"""GET /api/v1/centers and /api/v1/centers/<id>: the directory as JSON."""

from __future__ import annotations

from collections.abc import Iterable

from flask import jsonify, request

from locator import search
from locator.api import bp
from locator.api.errors import bad_request, not_found
from locator.api.language import LanguageError, requested_language, vary_on_language
from locator.api.openapi import MAX_CENTER_ID
from locator.forms import SearchForm
from locator.geo import AmbiguousLocation, LocationError, resolve_location
from locator.geocoding import address_geocoder
from locator.models import Center
from locator.read_replica import read_session
from locator.taxonomy import Taxonomy, current_taxonomy

# Points from the listing itself, or found from its street address (the Census geocoder).
EXACT_PLACEMENTS = ("source", "address")
ADDRESS_FIELDS = ("street1", "street2", "city", "state", "zip")


def center_json(center: Center | search.CenterSummary, detail: bool = False) -> dict:
    """A center as the API tells it: what a result list shows (a summary, with its distance),
    or with `detail` everything of one center."""
    data = {
        "id": center.id,
        "slug": center.slug,
        "name1": center.name1,
        "name2": center.name2,
        "address": {name: getattr(center, name) for name in ADDRESS_FIELDS},
        "phones": {"main": center.phone},
        "website": center.website,
        "latitude": center.latitude,
        "longitude": center.longitude,
        "approximate_location": center.placement not in EXACT_PLACEMENTS,
        "placement": center.placement,
    }
    if not detail:
        data["phones"]["intake"] = center.intake1
        distance = center.distance
        data["distance_miles"] = None if distance is None else round(distance, 1)
        data["services"] = list(center.services)
        return data
    data["address"]["county"] = center.county
    data["phones"]["intake"] = [p for p in (center.intake1, center.intake2) if p]
    data["phones"]["hotline"] = center.hotline
    verified = center.last_verified
    data.update(
        facility_type=center.facility_type,
        services=sorted(s.code for s in center.services),
        last_verified=verified.isoformat() if verified else None,
        source=center.source,
    )
    return data


def service_labels(taxonomy: Taxonomy, values: Iterable[str], lang: str) -> dict[str, str]:
    """Each filter key or code of an answer → its label in the language asked for."""
    return {
        value: taxonomy.filter_label(value, lang)
        if value in taxonomy.filters
        else taxonomy.label(value, lang)
        for value in sorted(set(values))
    }


@bp.get("/centers")
def centers():
    """Centers near a location, nearest first: the same parameters as /search."""
    try:
        lang = requested_language(request)
    except LanguageError as error:
        return vary_on_language(bad_request({"lang": [str(error)]}))
    return vary_on_language(_centers(lang))


def _centers(lang: str):
    form = SearchForm(request.args)
    if not form.location.data:
        return bad_request({"location": ["Give a ZIP code, a city and state, or coordinates."]})
    if not form.validate():
        return bad_request(form.errors)
    try:
        location = resolve_location(form.location.data, address_geocoder())
    except AmbiguousLocation as choice:
        return bad_request(
            {"location": [choice.message]},
            candidates=[c.label for c in choice.candidates],
        )
    except LocationError as error:
        return bad_request({"location": [error.message]}, suggestions=error.suggestions)
    taxonomy = current_taxonomy()
    query = form.search_query(taxonomy).near(location)
    page = search.find(read_session(), query)
    codes = [code for center in page.results for code in center.services]
    return jsonify(
        lang=lang,
        location={
            "label": location.label,
            "kind": location.kind,
            "latitude": location.latitude,
            "longitude": location.longitude,
        },
        radius=query.radius,
        services=query.selection.accepted,
        ignored_services=query.selection.unknown,
        page=page.page,
        pages=page.pages,
        per_page=page.per_page,
        total=page.total,
        total_is_capped=page.total_is_capped,
        centers=[center_json(c) for c in page.results],
        service_labels=service_labels(taxonomy, [*query.selection.accepted, *codes], lang),
    )


@bp.get("/centers/<int:center_id>")
def center(center_id: int):
    """One published center."""
    try:
        lang = requested_language(request)
    except LanguageError as error:
        return vary_on_language(bad_request({"lang": [str(error)]}))
    return vary_on_language(_center(center_id, lang))


def _center(center_id: int, lang: str):
    # An id beyond the column's range names no center (and SQLite cannot even bind it).
    if center_id > MAX_CENTER_ID:
        return not_found(f"No published center has the id {center_id}.")
    found = search.published_center(read_session(), id=center_id)
    if found is None:
        return not_found(f"No published center has the id {center_id}.")
    taxonomy = current_taxonomy()
    labels = service_labels(taxonomy, (s.code for s in found.services), lang)
    # A code the taxonomy lacks keeps its import's own wording, as the center page shows it.
    labels.update(
        {s.code: s.label for s in found.services if s.code not in taxonomy.services and s.label}
    )
    return jsonify(lang=lang, **center_json(found, detail=True), service_labels=labels)
