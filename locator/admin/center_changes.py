"""Changes an admin makes to a listing, each with what the public site reads and an audit entry.

Every function works in the caller's transaction: it changes the listing, rebuilds the place
counts and the listing's search index, and adds the audit entry. The caller commits once, so
the public pages and the audit log never disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from locator.admin.audit import Actor, changed_fields, jsonable, record_audit
from locator.models import AuditEntry, Center, Service
from locator.models.center_fields import DECIDED_FIELDS, LISTING_FIELDS, STATUS_FIELDS
from locator.places import refresh_places
from locator.site_search import refresh_center_index

EDITABLE_FIELDS = (*LISTING_FIELDS, *STATUS_FIELDS)
AUDITED_FIELDS = (*EDITABLE_FIELDS, *DECIDED_FIELDS, "verified_by", "services")
# What an admin's edit overrides for good: the next import of the listing's source leaves these
# fields as the admin set them (publication and verification are decided apart).
OVERRIDABLE_FIELDS = LISTING_FIELDS


class CannotPublish(ValueError):
    """The listing can't be shown on the public site; the message says why."""


def snapshot(center: Center) -> dict:
    """The listing's audited fields as JSON-ready values, services as a sorted list of codes."""
    values = {field: getattr(center, field) for field in AUDITED_FIELDS if field != "services"}
    values["services"] = sorted(service.code for service in center.services)
    return jsonable(values)


def _refresh_public_views(session: Session, center_id: int) -> None:
    session.flush()
    refresh_places(session)
    refresh_center_index(session, [center_id])


def _change(
    session: Session,
    center: Center,
    admin: Actor,
    action: str,
    summary: str,
    mutate: Callable[[Center], None],
) -> AuditEntry | None:
    """Apply `mutate`, then refresh and audit; None (and nothing written) when nothing changed."""
    before = snapshot(center)
    mutate(center)
    old, new = changed_fields(before, snapshot(center))
    if not new:
        return None
    _refresh_public_views(session, center.id)
    return record_audit(session, admin, action, "center", center.id, summary, old, new)


def _services(session: Session, codes: Iterable[str]) -> list[Service]:
    wanted = sorted(set(codes))
    return (
        list(session.scalars(sa.select(Service).where(Service.code.in_(wanted)))) if wanted else []
    )


def save_center_edit(
    session: Session, center: Center, values: dict, service_codes: Iterable[str], admin: Actor
) -> AuditEntry | None:
    """Write the edit form's values and services; None when nothing changed."""
    services = _services(session, service_codes)

    def apply(listing: Center) -> None:
        before = snapshot(listing)
        point_before = (listing.latitude, listing.longitude)
        verified_before = listing.last_verified
        for field in EDITABLE_FIELDS:
            setattr(listing, field, values[field])
        if (listing.latitude, listing.longitude) != point_before:
            # A point an admin typed counts as the listing's own, not an approximation.
            listing.placement = "source" if listing.latitude is not None else ""
        if listing.published:
            listing.unpublished_reason = ""
        if listing.last_verified != verified_before:  # a date typed by this admin is theirs
            listing.verified_by = admin.email if listing.last_verified else ""
        listing.services = services
        _record_overrides(listing, before, snapshot(listing))

    return _change(session, center, admin, "center.edit", f"Edited {values['name1']}", apply)


def _record_overrides(center: Center, before: dict, after: dict) -> None:
    """Remember the fields this edit changed, so that imports leave them as the admin set them.

    `overrides` maps each such field to {"admin": value set, "source": value the source
    gave last, when it disagrees}; the import fills "source" (see importers.overrides).
    """
    overrides = dict(center.overrides or {})
    for field in (*OVERRIDABLE_FIELDS, "services"):
        if before.get(field) != after.get(field):
            overrides[field] = {"admin": after.get(field), "source": None}
    if "latitude" in overrides or "longitude" in overrides:  # a point is one thing
        for field in ("latitude", "longitude", "placement"):
            overrides.setdefault(field, {"admin": after.get(field), "source": None})
    center.overrides = overrides or None


def publish_center(session: Session, center: Center, admin: Actor) -> AuditEntry | None:
    """Show the listing on the public site; CannotPublish when it has no coordinates."""
    if center.latitude is None or center.longitude is None:
        raise CannotPublish(
            "This listing has no coordinates, so nobody could find it by location. "
            "Add its latitude and longitude, then publish it."
        )

    def apply(listing: Center) -> None:
        listing.published, listing.unpublished_reason = True, ""

    return _change(session, center, admin, "center.publish", f"Published {center.name1}", apply)


def unpublish_center(
    session: Session, center: Center, reason: str, admin: Actor
) -> AuditEntry | None:
    """Take the listing off the public site, keeping the reason on it."""

    def apply(listing: Center) -> None:
        listing.published, listing.unpublished_reason = False, reason

    summary = f"Unpublished {center.name1}: {reason}"
    return _change(session, center, admin, "center.unpublish", summary, apply)


def mark_verified(session: Session, center: Center, today: date, admin: Actor) -> AuditEntry | None:
    """Record that the listing's details were checked today, and by whom."""

    def apply(listing: Center) -> None:
        listing.last_verified, listing.verified_by = today, admin.email

    summary = f"Marked {center.name1} verified on {today.isoformat()}"
    return _change(session, center, admin, "center.verify", summary, apply)


def delete_center(session: Session, center: Center, admin: Actor) -> AuditEntry:
    """Delete the listing; the audit entry keeps all of it, so it could be entered again."""
    center_id, before = center.id, snapshot(center)
    before.update(slug=center.slug, source=center.source, source_id=center.source_id)
    session.delete(center)
    _refresh_public_views(session, center_id)
    summary = f"Deleted {center.name1}"
    return record_audit(session, admin, "center.delete", "center", center_id, summary, before)
