"""Matching listings against the directory batch by batch, and writing them (unless previewing).

Each batch looks its matches up with IN queries on (source, source_id), which the unique
index answers; nothing loads the whole center table.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from locator.importers.batch_write import BatchPlan, write_batch
from locator.importers.matching import TolerantMatcher
from locator.importers.normalize import match_key
from locator.importers.overrides import keep_admin_fields
from locator.importers.place import IMPORT_PREFIX
from locator.importers.report import KEPT_CHANGES, KEPT_ROWS, ImportReport
from locator.importers.row_to_listing import Listing, RejectedRow, facility_type
from locator.models import Center, Service, center_service
from locator.models.center_fields import (
    DECIDED_FIELDS,
    LISTING_FIELDS,
    STATUS_FIELDS,
    column_default,
)

# The columns a listing sets, compared with the stored center's to tell what changed.
COMPARED = (*LISTING_FIELDS, *STATUS_FIELDS, *DECIDED_FIELDS)
# Every insert of a batch carries the same columns: what a listing leaves out takes its default.
NEW_DEFAULTS = {name: column_default(name) for name in COMPARED if name not in ("name1", "state")}
# What the Census geocoder was sent: while these are unchanged, its point is kept.
STREET_ADDRESS = ("street1", "city", "state", "zip")
CHANGED_IDS_LIMIT = 50_000  # past this the search index is rebuilt whole


class DirectoryUpsert:
    """Per-import state: known service codes, centers seen (for full refresh), changed ids."""

    def __init__(self, session: Session, report: ImportReport, now: datetime) -> None:
        self.session, self.report, self.now = session, report, now
        self.known_codes = set(session.scalars(sa.select(Service.code)))
        self.max_id = session.scalar(sa.select(sa.func.max(Center.id))) or 0
        self.seen = bytearray(self.max_id // 8 + 1)  # one bit per existing center
        self.changed_ids: array[int] | None = array("q")  # 8 bytes an id
        self.sources: set[str] = set()
        self.matcher = TolerantMatcher(session, self.max_id)
        self.changes = None  # a ChangeLog when the run keeps its list of changes

    def handle(self, batch: list[Listing]) -> None:
        """Match a batch, count it into the report and, when applying, write it."""
        plan = self._plan(batch)
        new_ids = None
        if not self.report.dry_run:
            new_ids = write_batch(self.session, plan, self.now)
            self.note_changed(new_ids + [row["id"] for row in plan.updates])
        if self.changes is not None:
            self.changes.batch(plan, new_ids)

    def _plan(self, batch: list[Listing]) -> BatchPlan:
        matches = self._existing(batch)
        services = self._services_of([row["id"] for row in matches.values()])
        plan = BatchPlan()
        for listing in batch:
            self.sources.add(listing.source)
            existing = matches.get((listing.source, listing.source_id))
            self._plan_one(listing, existing, services, plan)
        return plan

    def _plan_one(self, listing: Listing, existing, services, plan: BatchPlan) -> None:
        codes = self._codes(listing, plan)
        if existing is not None and existing.get("across"):
            self._mark_seen(existing["id"])
            self._plan_across(listing, existing, codes, services, plan)
            return
        values = desired_values(listing, existing)
        if listing.unplaced_reason:
            self.report.counts["unplaced"] += 1
            if len(self.report.unplaced) < KEPT_ROWS:
                reason = listing.unplaced_reason
                self.report.unplaced.append(RejectedRow(listing.line, reason, listing.raw))
        if existing is None:
            self.report.counts["new"] += 1
            plan.inserts.append({**NEW_DEFAULTS, **values, "source": listing.source,
                                 "source_id": listing.source_id})  # fmt: skip
            plan.insert_services.append(codes)
            plan.insert_lines.append(listing.line)
        else:
            self._mark_seen(existing["id"])
            self._plan_update(listing, existing, values, codes, services, plan)

    def _codes(self, listing: Listing, plan: BatchPlan) -> list[str]:
        codes = sorted(listing.services)
        for code in codes:
            if code not in self.known_codes:  # an "other" code seen for the first time
                plan.new_services[code] = listing.services[code] or code
                self.known_codes.add(code)
        return codes

    def _plan_across(self, listing, existing, codes, services, plan: BatchPlan) -> None:
        """Another source's center: it gains the services and, if exact, the point; its own
        fields stay the other source's."""
        self.report.counts["matched_across_sources"] += 1
        old_codes = services.get(existing["id"], [])
        union = sorted(set(old_codes) | set(codes))
        update = {}
        values = listing.values
        if values.get("placement") == "source" and existing["placement"] != "source":
            update = {name: values[name] for name in ("latitude", "longitude", "placement")}
        for name in ("phone", "intake1", "hotline", "website", "county"):
            if values.get(name) and not existing[name]:
                update[name] = values[name]
        if union != old_codes:
            plan.relinks[existing["id"]] = union
        if update:
            plan.updates.append({**update, "id": existing["id"], "updated_at": self.now})
        diffs = [(name, existing[name], value) for name, value in update.items()]
        if union != old_codes:
            diffs.append(("services", " ".join(old_codes), " ".join(union)))
        plan.across[existing["id"]] = (listing.line, diffs, existing)
        if update or union != old_codes:
            self.report.counts["changed"] += 1
        else:
            self.report.counts["unchanged"] += 1

    def _plan_update(self, listing, existing, values, codes, services, plan: BatchPlan) -> None:
        old_codes = services.get(existing["id"], [])
        keep_exact_point(values, existing)
        if existing["source_id"] != listing.source_id:  # recognised without its id: re-key
            plan.updates.append({"id": existing["id"], "source_id": listing.source_id})
            hidden = [("source_id", existing["source_id"], listing.source_id)]
            plan.hidden.setdefault(existing["id"], []).extend(hidden)
        codes, overrides = keep_admin_fields(
            existing.get("overrides"), values, codes, existing, old_codes
        )
        diffs = [(n, existing[n], v) for n, v in values.items() if not _same(existing[n], v)]
        if old_codes != codes:
            diffs.append(("services", " ".join(old_codes), " ".join(codes)))
            plan.relinks[existing["id"]] = codes
        if overrides is not None:  # what the source now says beside an admin's edit
            plan.updates.append({"id": existing["id"], "overrides": overrides})
            hidden = [("overrides", existing.get("overrides"), overrides)]
            plan.hidden.setdefault(existing["id"], []).extend(hidden)
        if not diffs:
            self.report.counts["unchanged"] += 1
            return
        self.report.counts["changed"] += 1
        plan.updates.append({**values, "id": existing["id"], "updated_at": self.now})
        plan.diffs[existing["id"]] = (listing.line, diffs, values)
        if len(self.report.changes) < KEPT_CHANGES:
            self.report.changes.append(
                {"line": listing.line, "name": values["name1"], "diffs": diffs[:5]}
            )

    def _existing(self, batch: list[Listing]) -> dict[tuple[str, str], dict]:
        columns = [
            Center.id,
            Center.source,
            Center.source_id,
            Center.overrides,
            *map(Center.__table__.c.get, COMPARED),
        ]
        found: dict[tuple[str, str], dict] = {}
        by_source: dict[str, list[Listing]] = {}
        for listing in batch:
            by_source.setdefault(listing.source, []).append(listing)
        for source, listings in by_source.items():
            ids = [listing.source_id for listing in listings]
            query = sa.select(*columns).where(Center.source == source, Center.source_id.in_(ids))
            for row in self.session.execute(query).mappings():
                found[(source, row["source_id"])] = dict(row)
            self._match_without_ids(source, listings, found, columns)
            for row in found.values():
                self.matcher.claim(row["id"])
            unmatched = [x for x in listings if (source, x.source_id) not in found]
            found.update(self.matcher.match(source, unmatched, columns))
        return found

    def _match_without_ids(self, source, listings, found, columns) -> None:
        # Centers stored without an id (added by hand) match on name, street and ZIP.
        keyed = [
            x
            for x in listings
            if x.source_id.startswith("k-") and (source, x.source_id) not in found
        ]
        zips = {str(x.values["zip"]) for x in keyed}
        if not zips:
            return
        query = sa.select(*columns).where(
            Center.source == source, Center.source_id.is_(None), Center.zip.in_(zips)
        )
        for row in self.session.execute(query).mappings():
            key = match_key(row["name1"], row["name2"], row["street1"], row["zip"])
            found.setdefault((source, key), dict(row))

    def _services_of(self, center_ids: list[int]) -> dict[int, list[str]]:
        codes: dict[int, list[str]] = {}
        if center_ids:
            query = sa.select(center_service.c.center_id, center_service.c.service_code).where(
                center_service.c.center_id.in_(center_ids)
            )
            for center_id, code in self.session.execute(query):
                codes.setdefault(center_id, []).append(code)
        return {center_id: sorted(found) for center_id, found in codes.items()}

    def _mark_seen(self, center_id: int) -> None:
        if center_id <= self.max_id:
            self.seen[center_id >> 3] |= 1 << (center_id & 7)

    def was_seen(self, center_id: int) -> bool:
        """True when this import matched the center."""
        return center_id > self.max_id or bool(self.seen[center_id >> 3] & (1 << (center_id & 7)))

    def note_changed(self, ids: Iterable[int]) -> None:
        """Remember ids whose search entry must be refreshed (all, past the limit)."""
        if self.changed_ids is not None:
            self.changed_ids.extend(ids)
            if len(self.changed_ids) > CHANGED_IDS_LIMIT:
                self.changed_ids = None


def desired_values(listing: Listing, existing: dict | None) -> dict[str, object]:
    """The columns the listing sets, with publication decided for this import."""
    values = dict(listing.values)
    values["facility_type"] = facility_type(listing.type_hint, listing.services)
    if listing.unplaced_reason:
        values["published"], values["unpublished_reason"] = False, listing.unplaced_reason
    elif listing.published is not None:  # the file says (the project's own CSV)
        values["published"] = listing.published
        if listing.published:
            values["unpublished_reason"] = ""
    elif (
        existing is None
        or existing["published"]
        or existing["unpublished_reason"].startswith(IMPORT_PREFIX)
    ):
        values["published"], values["unpublished_reason"] = True, ""
    # else: a person unpublished it; the import leaves that decision alone
    keep_street_point(values, existing)
    return values


def keep_street_point(values: dict[str, object], existing: dict | None) -> None:
    """Keep a point the Census geocoder found from the street address while the address stays.

    The source gives only the ZIP code or city again, so its point would undo the geocoding.
    """
    if existing is None or existing["placement"] != "address":
        return
    if values.get("placement") not in ("zip", "city"):
        return  # the source now gives a point of its own (or none): that wins
    if all(_same(existing[name], values.get(name)) for name in STREET_ADDRESS):
        values.update(
            latitude=existing["latitude"], longitude=existing["longitude"], placement="address"
        )


def keep_exact_point(values: dict, existing: dict) -> None:
    """A ZIP- or city-centre point never replaces an exact one (of the same ZIP code)."""
    if (
        values.get("placement") in ("zip", "city")
        and existing["placement"] == "source"
        and values.get("zip") == existing["zip"]
        and existing["latitude"] is not None
    ):
        values.update(latitude=existing["latitude"], longitude=existing["longitude"])
        values["placement"] = "source"


def _same(old: object, new: object) -> bool:
    if isinstance(old, float) or isinstance(new, float):
        if old is None or new is None:
            return old is new
        return round(float(old), 6) == round(float(new), 6)
    return old == new
