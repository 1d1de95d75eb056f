"""Write listings into the database in bulk, in the caller's transaction."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from itertools import islice

import sqlalchemy as sa
from sqlalchemy.orm import Session

from locator.geo import slugify
from locator.models import Center, Service, center_service, utcnow
from locator.places import refresh_places
from locator.site_search import refresh_center_index
from locator.taxonomy import Taxonomy

BATCH = 1000


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


def unique_slug(base: str, taken: set[str]) -> str:
    """A slug not yet taken: the base, or the base with -2, -3, ..."""
    base = base[:150].strip("-") or "center"
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    taken.add(slug)
    return slug


def _center_values(row: dict[str, str], taken: set[str]) -> dict:
    latitude = float(row["latitude"]) if row["latitude"] else None
    longitude = float(row["longitude"]) if row["longitude"] else None
    now = utcnow()
    return {
        "slug": unique_slug(slugify(f"{row['name1']} {row['city']} {row['state']}"), taken),
        "name1": row["name1"],
        "name2": row["name2"],
        "street1": row["street1"],
        "street2": row["street2"],
        "city": row["city"],
        "state": row["state"].upper(),
        "zip": row["zip"],
        "county": row["county"],
        "phone": row["phone"],
        "intake1": row["intake1"],
        "intake2": row["intake2"],
        "hotline": row["hotline"],
        "website": row["website"],
        "latitude": latitude,
        "longitude": longitude,
        "placement": "source" if latitude is not None else "",
        "facility_type": row["facility_type"] or "substance_use",
        "source": row["source"],
        "source_id": row["source_id"] or None,
        "published": row["published"] not in {"0", "false", "False", ""},
        "unpublished_reason": "",
        "last_verified": date.fromisoformat(row["last_verified"]) if row["last_verified"] else None,
        "created_at": now,
        "updated_at": now,
    }


def _batches(rows: Iterable[dict[str, str]]) -> Iterator[list[dict[str, str]]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, BATCH)):
        yield batch


def replace_source(
    session: Session, source: str, rows: Iterable[dict[str, str]], taxonomy: Taxonomy
) -> int:
    """Replace every listing of one source with these rows; returns the count loaded.

    Used to (re)load the sample directory. Unknown service codes are kept as "Other".
    """
    session.execute(sa.delete(Center).where(Center.source == source))
    known = set(session.scalars(sa.select(Service.code)))
    taken = set(session.scalars(sa.select(Center.slug)))
    loaded = 0
    for batch in _batches(rows):
        values = [_center_values(row, taken) for row in batch]
        ids = (
            session.execute(
                sa.insert(Center).returning(Center.id, sort_by_parameter_order=True), values
            )
            .scalars()
            .all()
        )
        links = []
        for center_id, row in zip(ids, batch, strict=True):
            for code in dict.fromkeys(row["services"].upper().split()):
                if code not in known:
                    other = taxonomy.service(code)
                    session.add(Service(code=code, label=other.label, category="other", position=0))
                    session.flush()
                    known.add(code)
                links.append({"center_id": center_id, "service_code": code})
        if links:
            session.execute(sa.insert(center_service), links)
        loaded += len(batch)
    refresh_places(session)
    refresh_center_index(session)
    return loaded
