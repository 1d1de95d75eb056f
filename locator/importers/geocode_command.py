"""`flask --app locator geocode-centers`: street-level points from the Census batch geocoder."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click
from flask import current_app
from flask.cli import with_appcontext

from locator.extensions import db
from locator.geo.census import MAX_BATCH
from locator.importers.street_points import GeocodeReport, geocode_centers, pending_count

if TYPE_CHECKING:
    from locator.geo.census_client import CensusBatchGeocoder


def census_geocoder() -> CensusBatchGeocoder:
    """The batch geocoder at the configured endpoint."""
    # Imported here: requests and censusgeocode load only when an admin geocodes.
    from locator.geo.census_client import CensusBatchGeocoder

    config = current_app.config
    return CensusBatchGeocoder(
        config["LOCATOR_CENSUS_GEOCODER_URL"], config["LOCATOR_CENSUS_GEOCODER_TIMEOUT"]
    )


def batch_size() -> int:
    """The configured batch size, within what the Census Bureau accepts."""
    return max(1, min(MAX_BATCH, int(current_app.config["LOCATOR_CENSUS_GEOCODER_BATCH_SIZE"])))


@click.command("geocode-centers")
@click.option("--source", default=None, help="Only listings of this source.")
@click.option(
    "--limit", type=click.IntRange(min=1), default=None, help="Send at most this many addresses."
)
@with_appcontext
def geocode_centers_command(source: str | None, limit: int | None) -> None:
    """Send the street addresses of listings placed at a ZIP code or city to the Census geocoder."""
    config = current_app.config
    waiting = pending_count(db.session, source)
    endpoint = config["LOCATOR_CENSUS_GEOCODER_URL"]
    click.echo(f"{waiting:,} listings wait for a street-level point; sending to {endpoint}")

    def show(report: GeocodeReport) -> None:
        click.echo(f"  batch {report.batches}: {report.summary()}")

    report = geocode_centers(
        db.session,
        census_geocoder(),
        batch_size=batch_size(),
        min_delay=config["LOCATOR_CENSUS_GEOCODER_MIN_DELAY"],
        source=source,
        limit=limit,
        progress=show,
    )
    for error in report.errors:
        click.echo(f"  {error}", err=True)
    click.echo(f"Done: {report.summary()}.")
    if report.failed and not report.matched and not report.unmatched:
        raise SystemExit(1)
