"""Removing every listing of one source (the sample data, or a source loaded by mistake).

A source's contributions go and nothing else: centers of other sources that it matched lose
its services and keep their own; a center of this source that another source matched too
stays, as that other source's listing with that source's services.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from locator.admin.audit import Actor, record_audit
from locator.importers.contributions import (
    matched_counts,
    relink,
    union_of,
    withdraw_source,
    without_source,
)
from locator.models import Center
from locator.places import refresh_places
from locator.site_search import refresh_center_index


def source_counts(session: Session) -> dict[str, int]:
    """Each source with its number of listings (published or not)."""
    query = sa.select(Center.source, sa.func.count()).group_by(Center.source)
    return {source: count for source, count in session.execute(query).all()}


def removal_counts(session: Session, source: str) -> tuple[int, int]:
    """(the source's own listings, centers of other sources it gave services to)."""
    return source_counts(session).get(source, 0), matched_counts(session).get(source, 0)


def remove_source(session: Session, source: str, admin: Actor | None) -> int:
    """Remove the source's listings and services, in the caller's transaction, with an audit
    entry. Returns how many listings went; 0 (and no entry) when the source has none."""
    count, matched = removal_counts(session, source)
    if not count + matched:
        return 0
    withdrawn = withdraw_source(session, source)
    kept = _hand_over(session, source)
    session.execute(sa.delete(Center).where(Center.source == source))
    refresh_places(session)
    refresh_center_index(session)
    summary = f"Removed the {count} listings of source {source}"
    if withdrawn or kept:
        summary += (f" and its services from {len(withdrawn) + kept} centers that other "
                    "sources list too")  # fmt: skip
    details = {"source": source, "listings": count}
    if withdrawn or kept:
        details["matched"] = len(withdrawn) + kept
    record_audit(session, admin, "source.remove", "source", source[:60], summary, details)
    return count


def _hand_over(session: Session, source: str) -> int:
    """The source's centers that other sources list too become the first such source's."""
    query = sa.select(Center.id, Center.services_by_source, Center.overrides).where(
        Center.source == source, Center.services_by_source.is_not(None)
    )
    kept = 0
    for row in session.execute(query).all():
        others = sorted(name for name in row.services_by_source or {} if name != source)
        if not others:
            continue
        heir = others[0]
        heir_id = row.services_by_source[heir].get("source_id")
        taken = sa.select(Center.id).where(Center.source == heir, Center.source_id == heir_id)
        if heir_id is not None and session.scalar(taken) is not None:
            continue  # the other source has its own listing of it: this one goes
        rest = without_source(row.services_by_source, source, heir)
        values = {"source": heir, "source_id": heir_id, "services_by_source": rest}
        session.execute(sa.update(Center).where(Center.id == row.id).values(values))
        if "services" not in (row.overrides or {}):
            relink(session, row.id, union_of(rest or {heir: row.services_by_source[heir]}))
        kept += 1
    return kept
