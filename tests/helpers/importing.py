"""Importing in the tests: the `importing` fixture's clean-up, fixture files, apply and preview."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from locator.extensions import db
from locator.importers.pipeline import run_import
from locator.models import Center, ImportRun, Place, Service, center_service
from locator.places import refresh_places

FIXTURES = Path(__file__).parents[1] / "fixtures" / "imports"


def imports_cleaned_up():
    """Yield the session; then remove every listing, code and run the test's imports added.

    The `importing` fixture of conftest.py wraps it (on top of `app_ctx`).
    """
    centers = set(db.session.scalars(sa.select(Center.id)))
    codes = set(db.session.scalars(sa.select(Service.code)))
    yield db.session
    db.session.rollback()
    added = sa.select(Center.id).where(Center.id.not_in(centers))
    db.session.execute(sa.delete(center_service).where(center_service.c.center_id.in_(added)))
    db.session.execute(sa.delete(Center).where(Center.id.not_in(centers)))
    db.session.execute(sa.delete(Service).where(Service.code.not_in(codes)))
    db.session.execute(sa.delete(ImportRun))
    refresh_places(db.session)
    db.session.commit()


def fixture(name: str) -> Path:
    """A file of tests/fixtures/imports."""
    return FIXTURES / name


def apply(paths, **options):
    """Apply an import of these files (a path or a list) on the app's session."""
    paths = paths if isinstance(paths, list) else [paths]
    return run_import(db.session, paths, dry_run=False, **options)


def preview(paths, **options):
    """Preview an import of these files."""
    paths = paths if isinstance(paths, list) else [paths]
    return run_import(db.session, paths, dry_run=True, **options)


def center(name1: str) -> Center:
    """The one center of that name."""
    return db.session.scalars(sa.select(Center).where(Center.name1 == name1)).one()


def codes_of(name1: str) -> set[str]:
    """The service codes of the center of that name."""
    return {service.code for service in center(name1).services}


def snapshot() -> tuple[list, list, list]:
    """Every center, link and place row, to compare a directory before and after."""
    return (
        db.session.execute(sa.select(Center.__table__).order_by(Center.id)).all(),
        db.session.execute(sa.select(center_service).order_by("center_id", "service_code")).all(),
        db.session.execute(sa.select(Place.__table__).order_by(Place.id)).all(),
    )
