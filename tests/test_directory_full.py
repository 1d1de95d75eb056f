"""The shipped National Directory, loaded whole through the import pipeline (slow: about half
a minute), into a database of its own that is dropped afterwards: taking 17,000 listings out of
the shared database again would cost seconds more."""

from __future__ import annotations

import random
import time

import pytest
import sqlalchemy as sa

from locator.cli import load_directory
from locator.extensions import db, limiter
from locator.models import Center
from locator.taxonomy import current_taxonomy
from tests.helpers.databases import migrated_app, scratch_database
from tests.helpers.directory_files import raw_codes_shown, services_shown

SOURCE = "samhsa-directory"


@pytest.fixture
def full_directory(directory):
    """An app whose database holds the real directory alone, loaded (and timed) for the test."""
    try:
        with (
            scratch_database(directory.config["SQLALCHEMY_DATABASE_URI"], "full") as url,
            migrated_app(url) as app,
        ):
            with app.app_context():
                started = time.perf_counter()
                report = load_directory()
                report.duration_seconds = time.perf_counter() - started
            print(f"\nNational Directory: {report.counts} in {report.duration_seconds:.1f} s")
            yield app, report
    finally:
        limiter.init_app(directory)  # the limiter is shared: give it back its storage


@pytest.mark.slow
def test_the_real_directory_loads_whole_and_every_page_explains_its_codes(full_directory):
    app, loaded = full_directory
    counts = loaded.counts
    assert counts["rows"] == 20_524 and counts["rejected"] == 5 and counts["unplaced"] == 0
    legend = [item for item in loaded.rejected if item.row["facility_id"] == "substance_12205"]
    assert legend and "legend" in legend[0].reason
    assert counts["unknown_codes"] == 0
    assert 17_000 < counts["new"] < 17_627  # both directories' rows of a facility merged
    client = app.test_client()
    with app.app_context():
        codes = set(current_taxonomy().services)
        slugs = db.session.scalars(
            sa.select(Center.slug).where(Center.source == SOURCE).order_by(Center.id)
        ).all()
        territories = dict(
            db.session.execute(
                sa.select(Center.state, sa.func.count())
                .where(Center.state.in_(("GU", "MP", "VI")), Center.published.is_(True))
                .where(Center.latitude.is_not(None))
                .group_by(Center.state)
            ).all()
        )
        withheld = db.session.scalars(
            sa.select(Center.slug).where(Center.source == SOURCE, Center.street1 == "")
        ).all()
        dashes = db.session.scalar(
            sa.select(sa.func.count()).where(Center.street1.in_(("- - -", "---", "-")))
        )
    assert territories == {"GU": 3, "MP": 1, "VI": 1}
    # The source writes "- - -" where it withholds an address: no page shows that as a street.
    assert dashes == 0 and len(withheld) > 500
    page = client.get(f"/centers/{withheld[0]}").get_data(as_text=True)
    assert '<p class="address">- - -' not in page and '<p class="address"><br>' not in page
    assert "No street address is listed: ask for it when you call." in page
    raw, explained = [], 0
    for slug in random.Random(11).sample(slugs, 200):
        page = client.get(f"/centers/{slug}").get_data(as_text=True)
        raw += [(slug, label) for label in raw_codes_shown(page, codes)]
        explained += len(services_shown(page))
        assert "SAMHSA&#39;s National Directories" in page
    assert raw == [] and explained > 200 * 10
    guam = client.get("/rehab/guam").get_data(as_text=True)
    assert guam.count('href="/centers/') >= 3
