"""Typed SQLAlchemy 2 models: the directory's tables and their small behaviour.

The directory's own tables are here; visitors', the admin area's and the imports' tables are in
the modules beside this one, and every model is imported from `locator.models`.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from locator.extensions import db
from locator.models.accounts import AdminSetting, AdminUser, AuditEntry
from locator.models.clock import utcnow
from locator.models.imports import ImportChange, ImportRun
from locator.models.visitors import ContactRequest, ListingReport

__all__ = [
    "AdminSetting",
    "AdminUser",
    "AuditEntry",
    "Center",
    "ContactRequest",
    "GeocodeCache",
    "ImportChange",
    "ImportRun",
    "ListingReport",
    "Place",
    "Service",
    "center_service",
    "utcnow",
]


center_service = sa.Table(
    "center_service",
    db.metadata,
    sa.Column("center_id", sa.ForeignKey("center.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("service_code", sa.ForeignKey("service.code", ondelete="CASCADE"), primary_key=True),
    # Filters ask "which centers offer code X": the reverse order makes that an index lookup.
    sa.Index("ix_center_service_code_center", "service_code", "center_id"),
)


class Service(db.Model):
    """One service code of the federal taxonomy (or an unknown code kept from an import)."""

    __tablename__ = "service"

    code: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
    label: Mapped[str] = mapped_column(sa.String(200))
    category: Mapped[str] = mapped_column(sa.String(40), default="other")
    position: Mapped[int] = mapped_column(default=0)


class Center(db.Model):
    """A treatment facility, with the fields of the federal directory."""

    __tablename__ = "center"
    __table_args__ = (
        sa.UniqueConstraint("source", "source_id", name="uq_center_source_source_id"),
        # The bounding-box prefilter of every nearby search reads this index.
        sa.Index("ix_center_published_lat_lon", "published", "latitude", "longitude"),
        sa.Index("ix_center_state_city", "state", "city"),
        # "Is sample data loaded?", asked by every page: without `published` in this index,
        # SQLite reads the published index instead, every row of it when there is none.
        sa.Index("ix_center_source_published", "source", "published"),
        # Imports look for a facility that came without its id among the centers of its ZIP.
        sa.Index("ix_center_zip", "zip"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(200), unique=True)
    name1: Mapped[str] = mapped_column(sa.String(300))
    name2: Mapped[str] = mapped_column(sa.String(300), default="")
    street1: Mapped[str] = mapped_column(sa.String(300), default="")
    street2: Mapped[str] = mapped_column(sa.String(300), default="")
    city: Mapped[str] = mapped_column(sa.String(120), default="")
    state: Mapped[str] = mapped_column(sa.String(2))
    zip: Mapped[str] = mapped_column(sa.String(5), default="")
    county: Mapped[str] = mapped_column(sa.String(120), default="")
    phone: Mapped[str] = mapped_column(sa.String(40), default="")
    intake1: Mapped[str] = mapped_column(sa.String(40), default="")
    intake2: Mapped[str] = mapped_column(sa.String(40), default="")
    hotline: Mapped[str] = mapped_column(sa.String(40), default="")
    website: Mapped[str] = mapped_column(sa.String(500), default="")
    latitude: Mapped[float | None] = mapped_column(sa.Float)
    longitude: Mapped[float | None] = mapped_column(sa.Float)
    # How the point was found: "source" (the listing's own), "zip" (ZIP centroid,
    # approximate), "geocoder" (online lookup), "address" (the Census batch geocoder, from the
    # street address) or "" when the center is unplaced.
    placement: Mapped[str] = mapped_column(sa.String(20), default="source")
    facility_type: Mapped[str] = mapped_column(sa.String(20), default="substance_use")
    source: Mapped[str] = mapped_column(sa.String(60))
    source_id: Mapped[str | None] = mapped_column(sa.String(120))
    published: Mapped[bool] = mapped_column(default=True)
    unpublished_reason: Mapped[str] = mapped_column(sa.String(300), default="")
    last_verified: Mapped[date | None] = mapped_column(sa.Date)
    # The admin who marked the listing verified (their email); "" when the date came with an
    # import, so pages say "verified by phone" only when one of us called.
    verified_by: Mapped[str] = mapped_column(sa.String(254), default="", server_default="")
    # The Census batch geocoder's last answer for this address ("matched" or "unmatched"; ""
    # never asked) and when: a run skips addresses asked since the listing last changed.
    geocode_status: Mapped[str] = mapped_column(sa.String(20), default="", server_default="")
    geocoded_at: Mapped[datetime | None] = mapped_column()
    # The day of the newest open visitor report (None: none open), kept on the row so that a
    # page of results shows it without another query.
    reported_on: Mapped[date | None] = mapped_column(sa.Date)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # One bit per filterable service code the center offers (the bits are the table
    # service_bit's), written by database triggers on center_service (migration 0004) whoever
    # writes the links: search filters test it in the row they visit anyway, instead of
    # joining center_service once per candidate.
    service_mask: Mapped[int] = mapped_column(sa.BigInteger, default=0, server_default="0")
    # The same for the filter codes that found no bit there, all 63 being taken (their bits
    # are the table service_bit2's, migration 0015).
    service_mask2: Mapped[int] = mapped_column(sa.BigInteger, default=0, server_default="0")
    # The fields an admin changed by hand ({field: value set}): imports leave them alone.
    overrides: Mapped[dict | None] = mapped_column(sa.JSON)
    # When other sources matched this center too (one facility, one center), which services
    # each source gave: {source: {"source_id": its listing's id, "codes": [...]}}, the center's
    # own source included; its links are their union. None: only its own source gave any.
    # Each source's import and removal replace only that source's entry (importers.contributions).
    services_by_source: Mapped[dict | None] = mapped_column(sa.JSON(none_as_null=True))

    services: Mapped[list[Service]] = relationship(
        secondary=center_service, order_by=(Service.category, Service.position)
    )

    @property
    def approximate(self) -> bool:
        """True when the point is a ZIP code's or city's centre (or a looked-up guess), not the
        facility's own or its street address's."""
        return self.placement not in ("source", "address")

    @property
    def display_name(self) -> str:
        """Both names, as the federal directory shows them."""
        return f"{self.name1} ({self.name2})" if self.name2 else self.name1


class Place(db.Model):
    """A city that has published centers: what city pages, state pages and 'nearest city' read.

    Rebuilt from the center table whenever listings change (see locator.places).
    """

    __tablename__ = "place"
    __table_args__ = (
        sa.UniqueConstraint("state", "slug", name="uq_place_state_slug"),
        sa.Index("ix_place_lat_lon", "latitude", "longitude"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    state: Mapped[str] = mapped_column(sa.String(2))
    city: Mapped[str] = mapped_column(sa.String(120))
    slug: Mapped[str] = mapped_column(sa.String(140))
    latitude: Mapped[float] = mapped_column(sa.Float)
    longitude: Mapped[float] = mapped_column(sa.Float)
    center_count: Mapped[int] = mapped_column(default=0)


class GeocodeCache(db.Model):
    """Answers of the optional online geocoder, so each address is asked at most once.

    Keyed by a SHA-256 of the normalised address: the point is kept, the typed text is not.
    A row with no point records that the address was not found.
    """

    __tablename__ = "geocode_cache"

    query_hash: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    latitude: Mapped[float | None] = mapped_column(sa.Float)
    longitude: Mapped[float | None] = mapped_column(sa.Float)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
