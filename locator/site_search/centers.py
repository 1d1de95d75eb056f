"""Keeping the centers' search index current, in set-based SQL and the caller's transaction."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import sqlalchemy as sa
from sqlalchemy.orm import Session

from locator.geo import AREAS
from locator.models import Center, Service, center_service
from locator.site_search.tables import (
    CENTER_FTS,
    CENTER_FTS_COLUMNS,
    center_fts,
    center_search,
    is_sqlite,
    rebuild_fts,
)

# Ids per statement when only some centers change: well under every engine's parameter cap.
ID_CHUNK = 500


def _indexed_text() -> sa.Select:
    """One row of searchable text per published center (both names, place, services)."""
    name = Center.name1 + sa.case((Center.name2 != "", " (" + Center.name2 + ")"), else_="")
    state_name = sa.case(AREAS, value=Center.state, else_=Center.state)
    place = sa.case((Center.city != "", Center.city + ", " + state_name), else_=state_name)
    services = (
        sa.select(sa.func.aggregate_strings(Service.label, "; "))
        .join(center_service, center_service.c.service_code == Service.code)
        .where(center_service.c.center_id == Center.id)
        .scalar_subquery()
    )
    return sa.select(Center.id, name, place, Center.state, sa.func.coalesce(services, "")).where(
        Center.published.is_(True)
    )


def _insert_indexed_text(session: Session, chosen: sa.ColumnElement[bool] | None) -> None:
    select = _indexed_text() if chosen is None else _indexed_text().where(chosen)
    columns = ["center_id", "name", "place", "state", "services"]
    session.execute(sa.insert(center_search).from_select(columns, select))


def _chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    unique = sorted(set(ids))
    for start in range(0, len(unique), ID_CHUNK):
        yield unique[start : start + ID_CHUNK]


def _fts5_feed(ids: list[int], remove: bool = False) -> sa.Insert:
    """Feed stored rows to the FTS5 index: add them, or take them out.

    An external-content index removes a row by being told the text it indexed, which the
    search table still holds until it is replaced.
    """
    text = [center_search.c[name] for name in CENTER_FTS_COLUMNS]
    target = ["rowid", *CENTER_FTS_COLUMNS]
    rows = sa.select(center_search.c.center_id, *text)
    if remove:
        target = [CENTER_FTS, *target]
        rows = sa.select(sa.literal("delete"), center_search.c.center_id, *text)
    return sa.insert(center_fts).from_select(target, rows.where(center_search.c.center_id.in_(ids)))


def _refresh_all(session: Session, sqlite: bool) -> None:
    session.execute(sa.delete(center_search))
    _insert_indexed_text(session, None)
    if sqlite:
        rebuild_fts(session, center_fts)


def _refresh_some(session: Session, ids: list[int], sqlite: bool) -> None:
    if sqlite:
        session.execute(_fts5_feed(ids, remove=True))
    session.execute(sa.delete(center_search).where(center_search.c.center_id.in_(ids)))
    _insert_indexed_text(session, Center.id.in_(ids))
    if sqlite:
        session.execute(_fts5_feed(ids))


def refresh_center_index(session: Session, center_ids: Iterable[int] | None = None) -> None:
    """Bring the centers' search index up to date (all centers when `center_ids` is None).

    Call it in the same transaction as any change to listings: the given centers are
    re-read, and those now unpublished or deleted leave the index.
    """
    session.flush()  # the index is built from what the session has changed, too
    sqlite = is_sqlite(session)
    if center_ids is None:
        _refresh_all(session, sqlite)
        return
    for ids in _chunks(center_ids):
        _refresh_some(session, ids, sqlite)


def fill_empty_center_index(session: Session) -> bool:
    """Index every center when the index is empty but published centers exist.

    That is the state right after the migration that creates the index, on a database
    that already had listings; returns whether it indexed.
    """
    indexed = session.scalar(sa.select(center_search.c.center_id).limit(1))
    published = session.scalar(sa.select(Center.id).where(Center.published.is_(True)).limit(1))
    if indexed is not None or published is None:
        return False
    refresh_center_index(session)
    return True
