"""Queries of the admin area: the filtered listings table and the dashboard's counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from locator.models import AuditEntry, Center, ContactRequest

STALE_AFTER = timedelta(days=365)


@dataclass(frozen=True)
class CenterFilters:
    """What the listings table is narrowed to; empty values narrow nothing."""

    name: str = ""
    city: str = ""
    state: str = ""
    source: str = ""
    published: bool | None = None
    unplaced: bool = False
    stale: bool = False


def _contains(column: sa.ColumnElement[str], text: str) -> sa.ColumnElement[bool]:
    # lower() on both sides works alike on SQLite and PostgreSQL; autoescape keeps % and _
    # typed by an admin literal.
    return sa.func.lower(column).contains(text.lower(), autoescape=True)


def is_stale(today: date) -> sa.ColumnElement[bool]:
    """Listings not verified for over a year, or never verified."""
    return sa.or_(Center.last_verified.is_(None), Center.last_verified < today - STALE_AFTER)


def is_unplaced() -> sa.ColumnElement[bool]:
    """Listings with no coordinates: they can't be found by a nearby search."""
    return sa.or_(Center.latitude.is_(None), Center.longitude.is_(None))


def center_conditions(filters: CenterFilters, today: date) -> list[sa.ColumnElement[bool]]:
    """The WHERE conditions of the filters (exports read them too)."""
    conditions = []
    if filters.name:
        conditions.append(
            sa.or_(_contains(Center.name1, filters.name), _contains(Center.name2, filters.name))
        )
    if filters.city:
        conditions.append(_contains(Center.city, filters.city))
    if filters.state:
        conditions.append(Center.state == filters.state)
    if filters.source:
        conditions.append(Center.source == filters.source)
    if filters.published is not None:
        conditions.append(Center.published.is_(filters.published))
    if filters.unplaced:
        conditions.append(is_unplaced())
    if filters.stale:
        conditions.append(is_stale(today))
    return conditions


def centers_query(filters: CenterFilters, today: date) -> sa.Select:
    """The listings that match, A to Z by name."""
    return (
        sa.select(Center)
        .where(*center_conditions(filters, today))
        .order_by(Center.name1, Center.id)
    )


def center_sources(session: Session) -> list[str]:
    """Every source that has listings, A to Z."""
    return list(session.scalars(sa.select(Center.source).distinct().order_by(Center.source)))


def _count(session: Session, *conditions: sa.ColumnElement[bool]) -> int:
    query = sa.select(sa.func.count()).select_from(Center).where(*conditions)
    return session.scalar(query) or 0


def directory_counts(session: Session, today: date) -> dict[str, int]:
    """The dashboard's counts of listings by state of care."""
    return {
        "published": _count(session, Center.published.is_(True)),
        "unpublished": _count(session, Center.published.is_(False)),
        "unplaced": _count(session, is_unplaced()),
        "stale": _count(session, is_stale(today)),
    }


def open_contact_requests(session: Session) -> int:
    """How many contact requests are not yet marked handled."""
    query = sa.select(sa.func.count()).where(ContactRequest.handled.is_(False))
    return session.scalar(query) or 0


def latest_audit_entries(session: Session, limit: int = 10) -> list[AuditEntry]:
    """The newest audit entries first."""
    return list(session.scalars(audit_entries_query().limit(limit)))


def audit_entries_query() -> sa.Select:
    """All audit entries, newest first."""
    return sa.select(AuditEntry).order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
