"""Flask CLI commands: init-db, seed."""

from __future__ import annotations

import time
from pathlib import Path

import click
import sqlalchemy as sa
from flask import Flask, current_app
from flask.cli import with_appcontext

from locator.database import upgrade_database
from locator.extensions import db
from locator.importers.load import replace_source, sync_services
from locator.importers.own_csv import read_rows
from locator.models import Center
from locator.taxonomy import current_taxonomy

SAMPLE_FILE = "sample_directory.csv"


def init_database() -> None:
    """Migrate the schema to the newest version and load the service taxonomy."""
    upgrade_database()
    sync_services(db.session, current_taxonomy())
    db.session.commit()


def load_sample_directory(path: Path | None = None) -> int:
    """Replace the sample listings with the shipped sample file, in one transaction."""
    path = path or Path(current_app.config["LOCATOR_DATA_DIR"]) / SAMPLE_FILE
    try:
        count = replace_source(db.session, "sample", read_rows(path), current_taxonomy())
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return count


@click.command("init-db")
@with_appcontext
def init_db_command() -> None:
    """Create or migrate the database and load the service taxonomy."""
    init_database()
    click.echo("Database ready.")


@click.command("seed")
@with_appcontext
@click.option("--if-empty", is_flag=True, help="Only load when the directory has no listings.")
def seed_command(if_empty: bool) -> None:
    """(Re)load the sample directory: fictitious listings for trying the app."""
    init_database()
    if if_empty and db.session.scalar(sa.select(sa.func.count()).select_from(Center)):
        click.echo("The directory already has listings; nothing loaded.")
        return
    started = time.perf_counter()
    count = load_sample_directory()
    click.echo(f"Loaded {count} sample listings in {time.perf_counter() - started:.1f} s.")


def init_app(app: Flask) -> None:
    """Register the commands."""
    app.cli.add_command(init_db_command)
    app.cli.add_command(seed_command)
