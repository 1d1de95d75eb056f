"""The dashboard's sections, each a template and a function that gathers what it shows.

The dashboard answers "what needs me?": each section's function returns None when it has
nothing to show to this admin, and the page shows the others in order. A new section is one
entry in SECTIONS (and its template): merges touch one line here, nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask_login import current_user
from sqlalchemy.orm import Session

from locator.admin.queries import directory_counts, latest_audit_entries, open_contact_requests
from locator.importers.heartbeat import is_dead
from locator.models import Center, ContactRequest, ImportRun, utcnow

FAILED_IMPORTS_SHOWN_DAYS = 7
LISTED = 10


@dataclass(frozen=True)
class Section:
    """One part of the dashboard: its template and what it shows (None: nothing)."""

    template: str
    gather: Callable[[Session], dict | None]


def requests_waiting(session: Session) -> dict | None:
    """Contact requests not yet answered, and notices the mail server refused (owners only)."""
    if not getattr(current_user, "is_owner", False):
        return None
    unsent = sa.select(sa.func.count()).where(
        ContactRequest.handled.is_(False),
        ContactRequest.notified_at.is_(None),
        ContactRequest.notify_attempts > 0,
    )
    return {"open_requests": open_contact_requests(session), "unsent": session.scalar(unsent)}


def imports_needing_attention(session: Session) -> dict | None:
    """Imports at work now, and those that failed or stopped in the last week."""
    now = utcnow()
    active = list(
        session.scalars(
            sa.select(ImportRun)
            .where(ImportRun.status.in_(("queued", "running")))
            .order_by(ImportRun.id.desc())
        )
    )
    failed = list(
        session.scalars(
            sa.select(ImportRun)
            .where(
                ImportRun.status.in_(("failed", "unfinished")),
                ImportRun.created_at > now - timedelta(days=FAILED_IMPORTS_SHOWN_DAYS),
            )
            .order_by(ImportRun.id.desc())
            .limit(LISTED)
        )
    )
    dead = {run.id for run in active if is_dead(run, now)}
    return {"active": active, "failed": failed, "dead": dead}


def listings(session: Session) -> dict | None:
    """The directory's counts, not verified for over a year among them."""
    return {"counts": directory_counts(session, utcnow().date())}


def edits_the_source_disputes(session: Session) -> dict | None:
    """Centers where the last import says otherwise than an admin's edit.

    Needs the record of admin-edited fields (`Center.overrides`, with the source's last
    value beside the admin's); while the directory has no such record, nothing is shown.
    """
    overrides = getattr(Center, "overrides", None)
    if overrides is None:
        return None
    from locator.importers.overrides import disagreements

    disputed = []
    query = sa.select(Center.id, Center.name1, Center.city, Center.state, overrides).where(
        overrides.is_not(None)
    )
    for row in session.execute(query.order_by(Center.name1)):
        found = disagreements(row[4])
        if found:
            disputed.append({"id": row.id, "name": row.name1, "city": row.city,
                             "state": row.state, "fields": found})  # fmt: skip
    return {"disputed": disputed[:LISTED], "disputed_count": len(disputed)}


def visitors_reports(session: Session) -> dict | None:
    """Visitors' reports of wrong listings (issue 17's queue)."""
    from locator.inbox.listing_reports import report_queue_context

    return report_queue_context(session)


def latest_changes(session: Session) -> dict | None:
    """What admins did last."""
    return {"entries": latest_audit_entries(session)}


SECTIONS = [
    Section("admin/dashboard/requests.html", requests_waiting),
    Section("admin/dashboard/reports.html", visitors_reports),
    Section("admin/dashboard/imports.html", imports_needing_attention),
    Section("admin/dashboard/disputed.html", edits_the_source_disputes),
    Section("admin/dashboard/listings.html", listings),
    Section("admin/dashboard/audit.html", latest_changes),
]


def gathered_sections(session: Session) -> list[tuple[str, dict]]:
    """The sections with something to show, each as (template, what it shows)."""
    shown = []
    for section in SECTIONS:
        data = section.gather(session)
        if data is not None:
            shown.append((section.template, data))
    return shown
