"""What one batch of an import writes (its plan) and the writing, in the caller's transaction.

locator.importers.upsert makes the plan of each batch; this module turns it into statements.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from locator.importers.slugs import assign_slugs
from locator.models import Center, Service, center_service
from locator.search.indexes import masks_of, service_bits

LINK_INSERT_JSON = (
    "INSERT INTO center_service (center_id, service_code) "
    "SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?)"
)
LINK_INSERT_ARRAYS = (
    "INSERT INTO center_service (center_id, service_code) "
    "SELECT links.center_id, (%s::varchar[])[links.pick] "
    "FROM unnest(%s::integer[], %s::integer[]) AS links(center_id, pick)"
)


@dataclass
class BatchPlan:
    """What one batch writes: new rows, updated rows, and the services of both."""

    inserts: list[dict] = field(default_factory=list)
    insert_services: list[list[str]] = field(default_factory=list)
    updates: list[dict] = field(default_factory=list)
    relinks: dict[int, list[str]] = field(default_factory=dict)
    new_services: dict[str, str] = field(default_factory=dict)
    # For the change list (changes.py): each insert's line; per changed center its line,
    # diffs and name; centers matched across sources; and changes the review need not show
    # but an undo must take back (a re-keyed id, the admin-edit record).
    insert_lines: list[int] = field(default_factory=list)
    diffs: dict[int, tuple[int, list, dict]] = field(default_factory=dict)
    across: dict[int, tuple[int, list, dict]] = field(default_factory=dict)
    hidden: dict[int, list] = field(default_factory=dict)


def write_batch(session: Session, plan: BatchPlan, now: datetime) -> list[int]:
    """Write one batch in the caller's transaction; returns the ids of the new centers."""
    if plan.new_services:
        session.execute(
            sa.insert(Service),
            [{"code": c, "label": label, "category": "other", "position": 0}
             for c, label in plan.new_services.items()],
        )  # fmt: skip
    new_ids: list[int] = []
    if plan.inserts:
        assign_slugs(session, plan.inserts)
        bits = service_bits(session.connection())
        for row, codes in zip(plan.inserts, plan.insert_services, strict=True):
            # Written with the row, so that linking its services changes nothing more.
            row["service_mask"], row["service_mask2"] = masks_of(codes, bits)
        new_ids = _insert_centers(session, plan.inserts, now)
    if plan.updates:
        session.execute(sa.update(Center), plan.updates)
    if plan.relinks:
        session.execute(
            sa.delete(center_service).where(center_service.c.center_id.in_(list(plan.relinks)))
        )
    links = [
        (center_id, code)
        for center_id, codes in [
            *zip(new_ids, plan.insert_services, strict=True),
            *plan.relinks.items(),
        ]
        for code in codes
    ]
    connection = session.connection()
    if links and connection.dialect.name == "sqlite":
        # One statement for the batch's links (a directory row has some 75), as one JSON
        # array: each statement keeps the pages it changes in a statement journal (for the
        # foreign keys and the mask trigger), so one statement a link, even by the driver's
        # executemany, journaled the same pages tens of thousands of times: 2 to 3 times
        # the work.
        connection.exec_driver_sql(LINK_INSERT_JSON, (json.dumps(links),))
    elif links and connection.dialect.name == "postgresql":
        # One statement for the batch's links: the mask trigger runs once per statement, and
        # psycopg's executemany sends one statement per row. The ids go as array literals
        # (the driver's list adapter costs more than the insert), codes by their position
        # in the batch's list of distinct codes.
        distinct = sorted({code for _, code in links})
        position = {code: n for n, code in enumerate(distinct, start=1)}
        ids = "{" + ",".join(str(center_id) for center_id, _ in links) + "}"
        picks = "{" + ",".join(str(position[code]) for _, code in links) + "}"
        connection.exec_driver_sql(LINK_INSERT_ARRAYS, (distinct, ids, picks))
    elif links:
        session.execute(
            sa.insert(center_service), [{"center_id": c, "service_code": s} for c, s in links]
        )
    return new_ids


def _insert_centers(session: Session, rows: list[dict], now: datetime) -> list[int]:
    # One executemany, then one query for the ids: SQLite cannot return ids in order.
    table = Center.__table__
    session.execute(
        sa.insert(table), [{**row, "created_at": now, "updated_at": now} for row in rows]
    )
    ids: dict[tuple[str, str], int] = {}
    for source in {row["source"] for row in rows}:
        wanted = [row["source_id"] for row in rows if row["source"] == source]
        query = sa.select(table.c.source_id, table.c.id).where(
            table.c.source == source, table.c.source_id.in_(wanted)
        )
        ids.update({(source, source_id): id_ for source_id, id_ in session.execute(query)})
    return [ids[(row["source"], row["source_id"])] for row in rows]
