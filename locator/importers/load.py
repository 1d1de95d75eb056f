"""The service table, kept in step with the taxonomy file."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from locator.models import Service
from locator.taxonomy import Taxonomy


def sync_services(session: Session, taxonomy: Taxonomy) -> None:
    """Make the service table match the taxonomy file (codes kept from imports stay)."""
    existing = {s.code: s for s in session.scalars(sa.select(Service))}
    for definition in taxonomy.services.values():
        row = existing.get(definition.code)
        if row is None:
            session.add(
                Service(
                    code=definition.code,
                    label=definition.label,
                    category=definition.category,
                    position=definition.position,
                )
            )
        else:
            row.label, row.category = definition.label, definition.category
            row.position = definition.position
    session.flush()
