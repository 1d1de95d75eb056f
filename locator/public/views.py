"""Search, center, state and city pages: each view binds input, calls the query modules,
and renders."""

from __future__ import annotations

from flask import abort, current_app, render_template, request

from locator import search
from locator.content.filling import city_page_finding_box, state_page_finding_box
from locator.content.reader_location import remember_search_location
from locator.extensions import limiter
from locator.forms import RADIUS_CHOICES, PlaceListForm, SearchForm
from locator.geo import (
    AREAS,
    STATE_BY_SLUG,
    STATE_SLUGS,
    AmbiguousLocation,
    LocationError,
    gazetteer,
    resolve_location,
    slugify,
    state_location,
)
from locator.geocoding import address_geocoder
from locator.public import bp
from locator.public.list_pages import ListingContext, not_found_places
from locator.read_replica import read_session
from locator.search.count_cache import cached_filter_counts
from locator.taxonomy import current_taxonomy

CITY_PAGE_RADIUS = 25
# Fewer results than this offers the wider radii, each with its count.
FEW_RESULTS = 5


def page_rate_limit() -> str:
    """The per-address limit on search and place pages together, from the settings."""
    return current_app.config["LOCATOR_PAGE_RATE_LIMIT"]


# One count for the HTML pages that search, so that scraping them is no way round the API's.
listing_pages_limit = limiter.shared_limit(page_rate_limit, scope="listing-pages")


@bp.get("/")
def index():
    """The home page: one search box, a radius and the most-used filters."""
    return render_template("public/index.html", form=SearchForm(formdata=None))


@bp.get("/search")
@listing_pages_limit
def search_results():
    """Centers near a typed place, nearest first, with filters and pages."""
    form = SearchForm(request.args)
    valid = form.validate()
    taxonomy = current_taxonomy()
    listing = ListingContext(taxonomy, form.search_query(taxonomy))
    if "location" not in request.args:
        return render_template("public/search.html", form=form, listing=listing)
    if not valid:
        return render_template("public/search.html", form=form, listing=listing), 400
    try:
        location = resolve_location(form.location.data, address_geocoder())
    except AmbiguousLocation as choice:
        return render_template(
            "public/search.html",
            form=form,
            listing=listing,
            candidates=choice.candidates,
            candidates_example=choice.example,
        )
    except LocationError as error:
        form.location.errors = [error.message]
        return render_template(
            "public/search.html", form=form, listing=listing, suggestions=error.suggestions
        ), 400
    listing.query = listing.query.near(location)
    remember_search_location(location)  # its city and state only, for articles' links
    return render_template(
        "public/search.html", form=form, listing=listing, location=location, **_found(listing)
    )


def _found(listing: ListingContext) -> dict:
    """A placed query's results, the nearest centers beyond its radius when none is in it,
    the wider radii that would list more when few are, and the numbers beside the filters."""
    query = listing.query
    results = search.find(read_session(), query)
    beyond, wider = [], []
    if results.total == 0 and query.point is not None:
        beyond = search.nearest_beyond(read_session(), query.point, query.groups)
    if results.total < FEW_RESULTS:
        wider = search.wider(read_session(), query, RADIUS_CHOICES, results.total)
    counts = cached_filter_counts(read_session(), listing.taxonomy, query)
    return {"results": results, "beyond": beyond, "wider": wider, "filter_counts": counts}


@bp.get("/centers/<slug>")
def center_detail(slug: str):
    """Everything known about one published center."""
    center = search.published_center(read_session(), slug=slug)
    if center is None:
        abort(404)
    taxonomy = current_taxonomy()
    return render_template(
        "public/center.html",
        center=center,
        service_groups=taxonomy.grouped(
            (s.code for s in center.services), {s.code: s.label for s in center.services}
        ),
    )


@bp.get("/rehab/")
@listing_pages_limit
def states_index():
    """Every state and territory with its count of centers."""
    counts = search.state_counts(read_session())
    states = [(abbr, name, STATE_SLUGS[abbr], counts.get(abbr, 0)) for abbr, name in AREAS.items()]
    return render_template("public/states.html", states=states, total=sum(counts.values()))


@bp.get("/rehab/<state_slug>")
@listing_pages_limit
def state_page(state_slug: str):
    """A state's cities with centers, A to Z, and its centers, with filters."""
    abbr = STATE_BY_SLUG.get(state_slug)
    if abbr is None:
        return not_found_places(state_slug)
    listing = _place_listing()
    listing.query = listing.query.in_state(abbr)
    return render_template(
        "public/state.html",
        state=abbr,
        state_name=AREAS[abbr],
        cities=search.cities_in_state(read_session(), abbr),
        results=search.find(read_session(), listing.query),
        listing=listing,
        form=SearchForm(formdata=None, location=AREAS[abbr]),
        location=state_location(abbr),
        filter_counts=cached_filter_counts(read_session(), listing.taxonomy, listing.query),
        finding=state_page_finding_box(abbr),
    )


def _place_listing() -> ListingContext:
    """The filters and page of a state's or city's page; a wrong page answers 400."""
    form = PlaceListForm(request.args)
    if not form.validate():
        abort(400, " ".join(error for errors in form.errors.values() for error in errors))
    taxonomy = current_taxonomy()
    return ListingContext(taxonomy, form.search_query(taxonomy))


@bp.get("/rehab/<state_slug>/<city_slug>")
@listing_pages_limit
def city_page(state_slug: str, city_slug: str):
    """A city's centers first, then those within 25 miles, nearest first."""
    abbr = STATE_BY_SLUG.get(state_slug)
    if abbr is None:
        return not_found_places(f"{city_slug} {state_slug}")
    place = search.place_by_slug(read_session(), abbr, city_slug)
    city = gazetteer().city(city_slug.replace("-", " "), abbr)
    if place is None and (city is None or slugify(city.name) != city_slug):
        return not_found_places(city_slug.replace("-", " "), abbr)
    name = place.city if place else city.name
    # The gazetteer's point, as /search and the API resolve "City, ST": one distance
    # everywhere. The mean of the listings' points serves only a city it does not know.
    point = (city.latitude, city.longitude) if city else (place.latitude, place.longitude)
    listing = _place_listing()
    listing.query = listing.query.around_city(point, abbr, name, CITY_PAGE_RADIUS)
    return render_template(
        "public/city.html",
        state=abbr,
        state_name=AREAS[abbr],
        city=name,
        listing=listing,
        radius=CITY_PAGE_RADIUS,
        form=SearchForm(formdata=None, location=f"{name}, {abbr}"),
        finding=city_page_finding_box(abbr, name),
        **_found(listing),
    )
