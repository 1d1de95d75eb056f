"""Removing every listing of one source (the sample data, or a source loaded by mistake)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from locator.admin.audit import Actor, record_audit
from locator.models import Center
from locator.places import refresh_places
from locator.site_search import refresh_center_index


def source_counts(session: Session) -> dict[str, int]:
    """Each source with its number of listings (published or not)."""
    query = sa.select(Center.source, sa.func.count()).group_by(Center.source)
    return {source: count for source, count in session.execute(query).all()}


def remove_source(session: Session, source: str, admin: Actor | None) -> int:
    """Delete every listing of the source, in the caller's transaction, with an audit entry.

    Returns how many went; 0 (and no entry) when the source has none.
    """
    count = source_counts(session).get(source, 0)
    if not count:
        return 0
    session.execute(sa.delete(Center).where(Center.source == source))
    refresh_places(session)
    refresh_center_index(session)
    summary = f"Removed the {count} listings of source {source}"
    record_audit(session, admin, "source.remove", "source", source[:60], summary,
                 {"source": source, "listings": count})  # fmt: skip
    return count
