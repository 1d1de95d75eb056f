"""Which source gave which services of a center that several sources list (one facility, one
center).

A center matched by a second source records each source's services in
`Center.services_by_source` ({source: {"source_id": ..., "codes": [...]}}); its links are their
union. An import replaces its own source's entry only, so a refresh of one source never drops
what another gave; a full refresh that no longer lists the facility, and removing the source,
take the source's entry away. An admin's own service edit (`overrides["services"]`) stays
linked whatever the sources say.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import Session

from locator.models import Center, center_service


class Withdrawal(NamedTuple):
    """A center that loses one source's services: its record and links before and after."""

    center_id: int
    record_before: dict
    record_after: dict | None
    codes_before: list[str]
    codes_after: list[str]

    def diffs(self) -> list[tuple[str, object, object]]:
        """The change as an import's change list holds it (undone field by field)."""
        found: list[tuple[str, object, object]] = [
            ("services_by_source", self.record_before, self.record_after)
        ]
        if self.codes_before != self.codes_after:
            found.append(("services", " ".join(self.codes_before), " ".join(self.codes_after)))
        return found


def contributed(
    record: dict | None, own_source: str, own_id: str | None, own_codes: list[str]
) -> dict[str, dict]:
    """The record of a center, started from its own source's links when it has none yet."""
    if record:
        return {source: dict(entry) for source, entry in record.items()}
    return {own_source: {"source_id": own_id, "codes": sorted(own_codes)}}


def with_source(record: dict[str, dict], source: str, source_id: str | None, codes) -> dict:
    """The record with `source`'s entry replaced by these codes."""
    return {**record, source: {"source_id": source_id, "codes": sorted(set(codes))}}


def union_of(record: dict[str, dict]) -> list[str]:
    """Every code some source of the record gives, sorted."""
    return sorted({code for entry in record.values() for code in entry.get("codes") or ()})


def without_source(record: dict[str, dict], source: str, own_source: str) -> dict | None:
    """The record without `source`; None once only the center's own source is left."""
    rest = {name: entry for name, entry in record.items() if name != source}
    rest.setdefault(own_source, {"source_id": None, "codes": []})
    return rest if len(rest) > 1 else None


def matched_counts(session: Session) -> dict[str, int]:
    """Per source, how many centers of other sources it gave services to."""
    counts: dict[str, int] = {}
    for own, record in _recorded(session):
        for source in record:
            if source != own:
                counts[source] = counts.get(source, 0) + 1
    return counts


def withdraw_source(
    session: Session,
    source: str,
    keep: Callable[[int], bool] | None = None,
    max_id: int | None = None,
    write: bool = True,
) -> list[Withdrawal]:
    """Take `source`'s services off the centers of other sources it matched (but those `keep`
    says to keep); returns what changed, or would change when not writing."""
    done: list[Withdrawal] = []
    query = sa.select(Center.id, Center.source, Center.services_by_source, Center.overrides)
    query = query.where(Center.services_by_source.is_not(None), Center.source != source)
    if max_id is not None:
        query = query.where(Center.id <= max_id)
    for row in session.execute(query).all():
        record = row.services_by_source or {}
        if source not in record or (keep is not None and keep(row.id)):
            continue
        rest = without_source(record, source, row.source)
        own = {row.source: record.get(row.source) or {}}
        before, after = union_of(record), union_of(rest or own)
        if "services" in (row.overrides or {}):  # an admin's own list stays linked
            after = before
        done.append(Withdrawal(row.id, record, rest, before, after))
        if write:
            values = {"services_by_source": rest}
            session.execute(sa.update(Center).where(Center.id == row.id).values(values))
            if after != before:
                relink(session, row.id, after)
    return done


def relink(session: Session, center_id: int, codes: list[str]) -> None:
    """Replace a center's links (the mask triggers follow)."""
    session.execute(sa.delete(center_service).where(center_service.c.center_id == center_id))
    if codes:
        rows = [{"center_id": center_id, "service_code": code} for code in codes]
        session.execute(sa.insert(center_service), rows)


def _recorded(session: Session) -> Iterable[tuple[str, dict]]:
    query = sa.select(Center.source, Center.services_by_source)
    yield from session.execute(query.where(Center.services_by_source.is_not(None))).all()
