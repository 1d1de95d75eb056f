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
from locator.importers.contributions import contributed, union_of, with_source
from locator.importers.desired_values import desired_values, keep_exact_point, same_value
from locator.importers.matching import TolerantMatcher
from locator.importers.normalize import match_key
from locator.importers.overrides import keep_admin_fields
from locator.importers.report import KEPT_CHANGES, KEPT_ROWS, ImportReport
from locator.importers.row_to_listing import Listing, RejectedRow
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
        record = contributed(
            existing["services_by_source"], existing["source"], existing["source_id"], old_codes
        )
        record = with_source(record, listing.source, listing.source_id, codes)
        update = {}
        values = listing.values
        kept = existing.get("overrides") or {}
        if values.get("placement") == "source" and existing["placement"] != "source":
            update = {name: values[name] for name in ("latitude", "longitude", "placement")}
        for name in ("phone", "intake1", "hotline", "website", "county"):
            if values.get(name) and not existing[name] and name not in kept:
                update[name] = values[name]
        union = self._contribution(existing, record, union_of(record), old_codes, plan)
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

    def _contribution(self, existing, record, codes, old_codes, plan: BatchPlan) -> list[str]:
        """Store a changed record of each source's services; returns the codes to link (the
        admin's own, when an admin edited the services)."""
        _store_record(existing, record, plan)
        overrides = existing.get("overrides") or {}
        if "services" not in overrides:
            return codes
        codes, updated = keep_admin_fields({"services": overrides["services"]}, {}, codes,
                                           existing, old_codes)  # fmt: skip
        if updated is not None:
            merged = {**overrides, **updated}
            plan.updates.append({"id": existing["id"], "overrides": merged})
            plan.hidden.setdefault(existing["id"], []).append(("overrides", overrides, merged))
        return codes

    def _plan_update(self, listing, existing, values, codes, services, plan: BatchPlan) -> None:
        old_codes = services.get(existing["id"], [])
        keep_exact_point(values, existing)
        if existing["source_id"] != listing.source_id:  # recognised without its id: re-key
            plan.updates.append({"id": existing["id"], "source_id": listing.source_id})
            hidden = [("source_id", existing["source_id"], listing.source_id)]
            plan.hidden.setdefault(existing["id"], []).extend(hidden)
        if existing["services_by_source"]:  # other sources gave services too: keep theirs
            record = with_source(
                existing["services_by_source"], listing.source, listing.source_id, codes
            )
            codes = union_of(record)
            _store_record(existing, record, plan)
        codes, overrides = keep_admin_fields(
            existing.get("overrides"), values, codes, existing, old_codes
        )
        diffs = [(n, existing[n], v) for n, v in values.items() if not same_value(existing[n], v)]
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
            Center.services_by_source,
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


def _store_record(existing: dict, record: dict, plan: BatchPlan) -> None:
    """Write a center's changed record of each source's services (undone with the batch)."""
    if record != existing["services_by_source"]:
        plan.updates.append({"id": existing["id"], "services_by_source": record})
        hidden = [("services_by_source", existing["services_by_source"], record)]
        plan.hidden.setdefault(existing["id"], []).extend(hidden)
