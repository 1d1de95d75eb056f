"""The count beside each filter: how many centers in reach offer it, with the choices made in
the other groups (choices within a group add up, so a group's own choices are set aside)."""

from __future__ import annotations

import re

import pytest

from locator import search
from locator.extensions import db
from locator.models import Center, Service
from locator.search.count_cache import cached_filter_counts
from locator.search.filter_counts import filter_counts
from locator.search.query import SearchQuery
from locator.taxonomy import current_taxonomy

AUSTIN = (30.2672, -97.7431)
SOME_FILTERS = ["detox", "residential", "methadone", "buprenorphine", "medicaid", "spanish"]


def query(taxonomy, chosen, **reach) -> SearchQuery:
    """The search of these filters in this reach (a point and radius, or a state's list)."""
    return SearchQuery(taxonomy.select(chosen), **reach)


def listed(taxonomy, chosen, **reach) -> int:
    """How many results the list shows for these filters."""
    return search.find(db.session, query(taxonomy, chosen, **reach)).total


@pytest.mark.parametrize(
    "chosen", [[], ["detox"], ["detox", "residential"], ["methadone", "medicaid"]]
)
@pytest.mark.parametrize(
    "reach", [{"point": AUSTIN, "radius": 100}, {"state": "TX"}], ids=["radius", "state"]
)
def test_counts_match_the_results_of_that_filter_with_the_other_groups(app_ctx, chosen, reach):
    taxonomy = current_taxonomy()
    counts = filter_counts(db.session, taxonomy, query(taxonomy, chosen, **reach))
    for key in SOME_FILTERS:
        group = taxonomy.filters[key].category
        others = [k for k in chosen if taxonomy.filters[k].category != group]
        assert counts[key] == listed(taxonomy, [*others, key], **reach), key
    assert set(counts) == set(taxonomy.filters)


@pytest.mark.parametrize(
    "reach", [{"point": AUSTIN, "radius": 100}, {"state": "TX"}], ids=["radius", "state"]
)
def test_a_chosen_code_outside_the_service_mask_still_counts_right(app_ctx, reach):
    # TRMA (trauma) has no bit in center.service_mask: the counts are made by joins instead.
    taxonomy = current_taxonomy()
    counts = filter_counts(db.session, taxonomy, query(taxonomy, ["TRMA"], **reach))
    for key in SOME_FILTERS:
        assert counts[key] == listed(taxonomy, ["TRMA", key], **reach), key
    assert (
        counts["detox"] < filter_counts(db.session, taxonomy, query(taxonomy, [], **reach))["detox"]
    )


def test_nothing_in_reach_counts_zero_everywhere(app_ctx):
    taxonomy = current_taxonomy()
    counts = filter_counts(db.session, taxonomy, query(taxonomy, [], point=(0.0, -150.0), radius=5))
    assert set(counts.values()) == {0}


def test_search_page_shows_the_counts_beside_the_filters(client, app_ctx):
    html = client.get("/search?location=Austin%2C+TX&radius=100").get_data(as_text=True)
    taxonomy = current_taxonomy()
    expected = listed(taxonomy, ["detox"], point=AUSTIN, radius=100)
    shown = re.search(r'value="detox"[^>]*> <span>Detox <span class="count">(\d+)<', html)
    assert shown and int(shown.group(1)) == expected


@pytest.mark.parametrize("path", ["/rehab/texas", "/rehab/texas/austin"])
def test_place_pages_show_counts_too(client, path):
    html = client.get(path).get_data(as_text=True)
    assert re.search(r'value="medicaid" > <span>Medicaid <span class="count">\d+<', html)


def test_counts_are_kept_a_while_and_forgotten_at_a_commit(app_ctx):
    taxonomy = current_taxonomy()
    reach = {"point": AUSTIN, "radius": 25}
    kept = cached_filter_counts(db.session, taxonomy, query(taxonomy, [], **reach))
    clinic = Center(slug="cache-clinic-test", name1="Cache Clinic (Test)", state="TX",
                    source="test-cache", latitude=AUSTIN[0], longitude=AUSTIN[1],
                    published=True, services=[db.session.get(Service, "METH")])  # fmt: skip
    db.session.add(clinic)
    db.session.flush()
    counted = filter_counts(db.session, taxonomy, query(taxonomy, [], **reach))
    assert counted["methadone"] == kept["methadone"] + 1
    # Not yet committed: the page still shows what it counted a moment ago.
    assert cached_filter_counts(db.session, taxonomy, query(taxonomy, [], **reach)) == kept
    db.session.commit()
    try:
        again = cached_filter_counts(db.session, taxonomy, query(taxonomy, [], **reach))
        assert again["methadone"] == kept["methadone"] + 1
    finally:
        db.session.delete(clinic)
        db.session.commit()
    assert cached_filter_counts(db.session, taxonomy, query(taxonomy, [], **reach)) == kept
