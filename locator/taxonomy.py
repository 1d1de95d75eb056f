"""The service taxonomy (federal locator codes) and the filters people pick from.

Read once from data/taxonomy.csv and data/filters.csv at start-up, never per request.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask, current_app

CATEGORY_LABELS: dict[str, str] = {
    "type_of_care": "Type of care",
    "service_setting": "Service setting",
    "facility_type": "Type of facility",
    "emergency": "Emergency mental health services",
    "opioid_medications": "Medications for opioid use disorder",
    "alcohol_medications": "Medications for alcohol use disorder",
    "other_pharmacotherapies": "Other medications",
    "detox_substances": "Detox, by substance",
    "treatment_approaches": "Treatment approaches",
    "payment_accepted": "Payment accepted",
    "payment_assistance": "Payment assistance",
    "age_groups": "Ages and sexes served",
    "special_programs": "Special programs and groups",
    "language_services": "Language services",
    "screening": "Assessment and screening",
    "testing": "Testing",
    "vaccinations": "Vaccinations",
    "counseling_education": "Counseling and education",
    "transitional": "Transitional services",
    "recovery_support": "Recovery support",
    "ancillary": "Other services",
    "operated_by": "Operated by",
    "licensing": "Licenses and accreditation",
    "smoking": "Smoking and vaping policy",
    "other": "Other",
}
CATEGORY_ORDER: tuple[str, ...] = tuple(CATEGORY_LABELS)


@dataclass(frozen=True)
class ServiceDef:
    """One code of the taxonomy."""

    code: str
    label: str
    category: str
    position: int


@dataclass(frozen=True)
class Filter:
    """A choice a person sees, standing for one or more codes."""

    key: str
    label: str
    category: str
    codes: tuple[str, ...]


@dataclass
class FilterSelection:
    """What a list of `service=` values asks for.

    `groups` holds one tuple of codes per category: a center must offer at least one
    code of every group (OR within a category, AND across categories).
    """

    groups: list[tuple[str, ...]] = field(default_factory=list)
    accepted: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)


@dataclass
class Taxonomy:
    """The codes and filters, with lookups used by search, pages and importers."""

    services: dict[str, ServiceDef]
    filters: dict[str, Filter]

    def service(self, code: str) -> ServiceDef:
        """The definition of a code; unknown codes are kept under "Other", named as such."""
        return self.services.get(code) or ServiceDef(code, unknown_label(code), "other", 10_000)

    def leading_labels(self, codes: Iterable[str], count: int) -> list[str]:
        """The labels of the first `count` codes in the taxonomy's order (a card's tags)."""
        definitions = sorted(map(self.service, codes), key=lambda s: (s.position, s.code))
        return [definition.label for definition in definitions[:count]]

    def select(self, values: Iterable[str]) -> FilterSelection:
        """Turn filter keys and raw codes into code groups; unknown values are reported."""
        selection = FilterSelection()
        by_category: dict[str, set[str]] = {}
        for raw in values:
            value = raw.strip()
            if not value or value in selection.accepted:
                continue
            chosen = self.filters.get(value.lower())
            if chosen is not None:
                category, codes = chosen.category, chosen.codes
                value = chosen.key
            elif value.upper() in self.services:
                known = self.services[value.upper()]
                category, codes, value = known.category, (known.code,), known.code
            else:
                if value not in selection.unknown:
                    selection.unknown.append(value[:40])
                continue
            if value not in selection.accepted:
                selection.accepted.append(value)
            by_category.setdefault(category, set()).update(codes)
        selection.groups = [
            tuple(sorted(by_category[c])) for c in CATEGORY_ORDER if c in by_category
        ]
        return selection

    def grouped(
        self, codes: Iterable[str], labels: Mapping[str, str] | None = None
    ) -> list[tuple[str, list[ServiceDef]]]:
        """Codes grouped by category in the fixed display order, for a center's page.

        `labels` names codes the taxonomy does not know (an import's own wording), never
        shown as a bare code.
        """
        buckets: dict[str, list[ServiceDef]] = {}
        for code in codes:
            definition = self.service(code)
            given = (labels or {}).get(code, "")
            if code not in self.services and given and given != code:
                definition = ServiceDef(code, given, "other", definition.position)
            buckets.setdefault(definition.category, []).append(definition)
        return [
            (CATEGORY_LABELS[c], sorted(buckets[c], key=lambda s: (s.position, s.code)))
            for c in CATEGORY_ORDER
            if c in buckets
        ]

    def filters_by_category(self) -> list[tuple[str, list[Filter]]]:
        """The filter choices grouped for the search form."""
        buckets: dict[str, list[Filter]] = {}
        for item in self.filters.values():
            buckets.setdefault(item.category, []).append(item)
        return [(CATEGORY_LABELS[c], buckets[c]) for c in CATEGORY_ORDER if c in buckets]


def unknown_label(code: str) -> str:
    """What people read for a code the taxonomy does not know."""
    return f"Other service (code {code})"


def load_taxonomy(data_dir: str | Path) -> Taxonomy:
    """Read the taxonomy and filter files."""
    data = Path(data_dir)
    services: dict[str, ServiceDef] = {}
    with (data / "taxonomy.csv").open(encoding="utf-8", newline="") as handle:
        for position, row in enumerate(csv.DictReader(handle)):
            code = row["code"].strip().upper()
            category = row["category"].strip()
            if category not in CATEGORY_LABELS:
                raise ValueError(f"taxonomy.csv: unknown category {category!r} for {code}")
            services[code] = ServiceDef(code, row["label"].strip(), category, position)
    filters: dict[str, Filter] = {}
    with (data / "filters.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            codes = tuple(row["codes"].split())
            missing = [c for c in codes if c not in services]
            if missing:
                raise ValueError(f"filters.csv: {row['key']} names unknown codes {missing}")
            key = row["key"].strip()
            filters[key] = Filter(key, row["label"].strip(), row["category"].strip(), codes)
    return Taxonomy(services, filters)


def init_app(app: Flask) -> None:
    """Load the taxonomy once for the app's lifetime."""
    app.extensions["locator.taxonomy"] = load_taxonomy(app.config["LOCATOR_DATA_DIR"])


def current_taxonomy() -> Taxonomy:
    """The taxonomy of the running app."""
    return current_app.extensions["locator.taxonomy"]
