"""Flask CLI commands: init-db, seed."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

import click
import sqlalchemy as sa
from flask import Flask, current_app
from flask.cli import with_appcontext

from locator.admin.commands import (
    create_admin_command,
    deactivate_admin_command,
    require_totp_command,
)
from locator.content.check import check_articles_command
from locator.database import upgrade_database
from locator.extensions import db
from locator.geo import prepare_gazetteer
from locator.importers.commands import (
    export_centers_command,
    import_centers_command,
    remove_source_command,
)
from locator.importers.geocode_command import geocode_centers_command
from locator.importers.load import sync_services
from locator.importers.pipeline import run_import
from locator.importers.report import ImportReport, report_lines
from locator.importers.uploads import sweep_uploads_command
from locator.inbox.contact_requests import describe_age, parse_age, purge_contact_requests
from locator.inbox.notices import send_notices_command
from locator.jobs.worker import worker_command
from locator.models import Center
from locator.site_search import fill_empty_center_index, index_articles
from locator.taxonomy import current_taxonomy

SAMPLE_FILE = "sample_directory.csv"
DIRECTORY_FILE = "samhsa-national-directory.csv.gz"
ARTICLES_FOLDER = "articles"


def init_database() -> None:
    """Migrate the schema to the newest version and load the service taxonomy."""
    upgrade_database()
    sync_services(db.session, current_taxonomy())
    index_articles(db.session, Path(current_app.config["LOCATOR_DATA_DIR"]) / ARTICLES_FOLDER)
    fill_empty_center_index(db.session)  # listings loaded before the site search existed
    db.session.commit()
    prepare_gazetteer()  # its compact file, so that no worker has to build it


def load_directory(path: Path | None = None) -> ImportReport:
    """Load the shipped National Directory through the import pipeline, in one transaction."""
    path = path or Path(current_app.config["LOCATOR_DATA_DIR"]) / DIRECTORY_FILE
    return run_import(db.session, [path], format="directory", dry_run=False, admin_email="seed")


def load_sample_directory(path: Path | None = None) -> int:
    """(Re)load the fictitious sample listings through the import pipeline; returns their count.

    A full refresh of the source `sample`: sample listings no longer in the file are unpublished.
    """
    path = path or Path(current_app.config["LOCATOR_DATA_DIR"]) / SAMPLE_FILE
    report = run_import(
        db.session, [path], format="own_csv", dry_run=False, full_refresh=True, admin_email="seed"
    )
    counts = report.counts
    return counts["new"] + counts["changed"] + counts["unchanged"]


@click.command("init-db")
@with_appcontext
def init_db_command() -> None:
    """Create or migrate the database and load the service taxonomy."""
    init_database()
    click.echo("Database ready.")


@click.command("seed")
@with_appcontext
@click.option("--if-empty", is_flag=True, help="Only load when the directory has no listings.")
@click.option("--sample", is_flag=True, help="Load the fictitious sample listings instead.")
def seed_command(if_empty: bool, sample: bool) -> None:
    """Load the National Directory shipped in data/ (or, with --sample, the sample listings)."""
    init_database()
    if if_empty and db.session.scalar(sa.select(sa.func.count()).select_from(Center)):
        click.echo("The directory already has listings; nothing loaded.")
        return
    started = time.perf_counter()
    if sample:
        count = load_sample_directory()
        seconds = time.perf_counter() - started
        click.echo(f"Loaded {count} sample listings in {seconds:.1f} s.")
        click.echo("Every page says they are fictitious; `remove-source sample` removes them.")
        return
    report = load_directory()
    for line in report_lines(report)[:2]:
        click.echo(line)
    click.echo(f"Loaded the National Directory in {time.perf_counter() - started:.1f} s.")


@click.command("index-articles")
@with_appcontext
def index_articles_command() -> None:
    """Rebuild the site search's index of the articles in data/articles."""
    folder = Path(current_app.config["LOCATOR_DATA_DIR"]) / ARTICLES_FOLDER
    report = index_articles(db.session, folder)
    db.session.commit()
    for problem in report.problems:
        click.echo(f"Skipped: {problem}", err=True)
    click.echo(f"Indexed {report.indexed} {'article' if report.indexed == 1 else 'articles'}.")


def _age_option(ctx: click.Context, param: click.Parameter, value: str | None) -> timedelta | None:
    """Parse --older-than ("30d", "12h"); a bad value stops the command with exit code 2."""
    if value is None:
        return None
    try:
        return parse_age(value)
    except ValueError as error:
        raise click.BadParameter(str(error), ctx, param) from error


@click.command("purge-contact-requests")
@with_appcontext
@click.option(
    "--older-than",
    metavar="AGE",
    callback=_age_option,
    help="Like 30d or 12h. Default: LOCATOR_CONTACT_RETENTION_DAYS days.",
)
def purge_contact_requests_command(older_than: timedelta | None) -> None:
    """Delete requests to be contacted older than the given age (the retention period)."""
    age = older_than or timedelta(days=current_app.config["LOCATOR_CONTACT_RETENTION_DAYS"])
    count = purge_contact_requests(db.session, age)
    db.session.commit()
    noun = "request" if count == 1 else "requests"
    click.echo(f"Deleted {count} contact {noun} older than {describe_age(age)}.")


def init_app(app: Flask) -> None:
    """Register the commands."""
    app.cli.add_command(init_db_command)
    app.cli.add_command(create_admin_command)
    app.cli.add_command(deactivate_admin_command)
    app.cli.add_command(require_totp_command)
    app.cli.add_command(seed_command)
    app.cli.add_command(import_centers_command)
    app.cli.add_command(export_centers_command)
    app.cli.add_command(remove_source_command)
    app.cli.add_command(geocode_centers_command)
    app.cli.add_command(check_articles_command)
    app.cli.add_command(index_articles_command)
    app.cli.add_command(purge_contact_requests_command)
    app.cli.add_command(worker_command)
    app.cli.add_command(send_notices_command)
    app.cli.add_command(sweep_uploads_command)
