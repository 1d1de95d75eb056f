"""The query functions: nearest first, exactly what a brute-force scan finds."""

import random

import pytest
import sqlalchemy as sa

from locator import search
from locator.extensions import db
from locator.geo import miles_between
from locator.models import Center, center_service

AUSTIN = (30.2672, -97.7431)


def brute_force(points, services, origin, radius, groups):
    """The reference: every published row measured with geopy, filtered and sorted."""
    found = []
    for center_id, latitude, longitude in points:
        if not all(services[center_id] & set(codes) for codes in groups):
            continue
        distance = miles_between(origin, (latitude, longitude))
        if distance <= radius:
            found.append((distance, center_id))
    return sorted(found)


@pytest.fixture(scope="module")
def every_row(directory):
    with directory.app_context():
        points = db.session.execute(
            sa.select(Center.id, Center.latitude, Center.longitude).where(
                Center.published.is_(True), Center.latitude.is_not(None)
            )
        ).all()
        services = {center_id: set() for center_id, _, _ in points}
        for center_id, code in db.session.execute(sa.select(center_service)):
            services.setdefault(center_id, set()).add(code)
    return points, services


FILTER_SETS = [(), (("MD",),), (("BU", "METH"),), (("BU", "METH"), ("MD",)), (("SP",), ("OP",))]


def test_results_equal_a_brute_force_scan(app_ctx, every_row):
    points, services = every_row
    rng = random.Random(11)
    for _ in range(300):
        origin = (rng.uniform(25, 48), rng.uniform(-123, -70))
        radius = rng.choice([5, 10, 25, 50, 100])
        groups = rng.choice(FILTER_SETS)
        expected = brute_force(points, services, origin, radius, groups)
        page = search.nearby_centers(db.session, origin, radius, groups, per_page=20)
        assert page.total == len(expected)
        assert [c.id for c in page.results] == [i for _, i in expected[:20]]
        for center, (distance, _) in zip(page.results, expected, strict=False):
            assert center.distance == pytest.approx(distance, abs=1e-6)


def test_second_page_continues_the_first(app_ctx):
    first = search.nearby_centers(db.session, AUSTIN, 100, per_page=3)
    second = search.nearby_centers(db.session, AUSTIN, 100, page=2, per_page=3)
    assert first.total == second.total > 6
    assert first.results[-1].distance <= second.results[0].distance
    assert not {c.id for c in first.results} & {c.id for c in second.results}


def test_filters_or_within_a_category_and_across_categories(app_ctx):
    either = search.nearby_centers(db.session, AUSTIN, 50, [("BU", "METH")])
    both = search.nearby_centers(db.session, AUSTIN, 50, [("BU", "METH"), ("MC",)])
    names = {c.name1 for c in either.results}
    assert {"Congress Avenue Recovery (Test)", "Lady Bird Lake Detox (Test)"} <= names
    assert [c.name1 for c in both.results if "(Test)" in c.name1] == [
        "Round Rock Medication Clinic (Test)"
    ]
    assert all(set(c.services) & {"MC"} for c in both.results)


def test_unpublished_centers_are_never_found(app_ctx):
    page = search.nearby_centers(db.session, AUSTIN, 5, per_page=100)
    assert "Hidden Listing (Test)" not in {c.name1 for c in page.results}
    assert search.published_center(db.session, slug="hidden-listing-test-austin-tx") is None


def test_whole_state_is_ordered_from_its_centre(app_ctx):
    page = search.nearby_centers(db.session, (31.25, -97.94), None, state="TX", per_page=100)
    assert page.total == search.centers_in_state(db.session, "TX").total
    assert {c.state for c in page.results} == {"TX"}
    distances = [c.distance for c in page.results]
    assert distances == sorted(distances)


def test_city_first_lists_the_city_before_nearer_neighbours(app_ctx):
    page = search.nearby_centers(
        db.session, (30.51, -97.67), 25, city_first=("TX", "Austin"), per_page=100
    )
    cities = [c.city for c in page.results]
    first_other = next(i for i, city in enumerate(cities) if city != "Austin")
    assert all(city != "Austin" for city in cities[first_other:])


def test_nearest_beyond_the_radius(app_ctx):
    nome = (64.5011, -165.4064)
    assert search.nearby_centers(db.session, (65.5, -168.0), 5).total == 0
    beyond = search.nearest_beyond(db.session, (65.5, -168.0))
    assert beyond[0].name1 == "Nome Remote Care (Test)"
    assert beyond[0].distance == pytest.approx(miles_between((65.5, -168.0), nome), abs=1e-6)


def test_nearest_place_with_centers(app_ctx):
    place = search.nearest_place(db.session, (30.27, -97.74), 50)
    assert (place.city, place.state) == ("Austin", "TX")
    assert search.nearest_place(db.session, (0.0, -140.0), 50) is None
