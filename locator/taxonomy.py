"""The service taxonomy (federal locator codes) and the filters people pick from.

Read once from data/taxonomy.csv and data/filters.csv at start-up, never per request. Each
file words its codes in English (`label`) and in every other language the site speaks
(`label_es`, ...); `Taxonomy.label` and its siblings take the language. Codes, filter keys and
categories stay the same in every language.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
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
CATEGORY_LABELS_ES: dict[str, str] = {
    "type_of_care": "Tipo de atención",
    "service_setting": "Modalidad del servicio",
    "facility_type": "Tipo de centro",
    "emergency": "Servicios de emergencia de salud mental",
    "opioid_medications": "Medicamentos para el trastorno por consumo de opioides",
    "alcohol_medications": "Medicamentos para el trastorno por consumo de alcohol",
    "other_pharmacotherapies": "Otros medicamentos",
    "detox_substances": "Desintoxicación, por sustancia",
    "treatment_approaches": "Enfoques de tratamiento",
    "payment_accepted": "Formas de pago aceptadas",
    "payment_assistance": "Ayuda con el pago",
    "age_groups": "Edades y sexos atendidos",
    "special_programs": "Programas y grupos especiales",
    "language_services": "Servicios de idiomas",
    "screening": "Evaluación y detección",
    "testing": "Pruebas",
    "vaccinations": "Vacunas",
    "counseling_education": "Consejería y educación",
    "transitional": "Servicios de transición",
    "recovery_support": "Apoyo para la recuperación",
    "ancillary": "Otros servicios",
    "operated_by": "Administrado por",
    "licensing": "Licencias y acreditaciones",
    "smoking": "Normas sobre fumar y vapear",
    "other": "Otros",
}
DEFAULT_LANGUAGE = "en"
# The languages the taxonomy is worded in besides English: a `label_<lang>` column in both files.
LANGUAGES: tuple[str, ...] = (DEFAULT_LANGUAGE, "es")
_UNKNOWN_LABELS = {"en": "Other service (code {code})", "es": "Otro servicio (código {code})"}
_CATEGORY_LABELS = {"en": CATEGORY_LABELS, "es": CATEGORY_LABELS_ES}


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
    """The codes and filters, with lookups used by search, pages and importers.

    `lang` is the language this instance's `label` fields and methods speak by default:
    English for the one loaded at start-up, another for a page's view (`worded`).
    """

    services: dict[str, ServiceDef]
    filters: dict[str, Filter]
    # language → code or "filter:<key>" → label, English included
    translations: dict[str, dict[str, str]] = field(default_factory=dict)
    lang: str = DEFAULT_LANGUAGE
    _views: dict[str, Taxonomy] = field(default_factory=dict, repr=False, compare=False)
    # What other modules work out once from this view (the result cards' label tables).
    derived: dict[str, object] = field(default_factory=dict, repr=False, compare=False)

    def label(self, code: str, lang: str | None = None) -> str:
        """A code's label in a language; English only for a code the file has no wording for."""
        lang = lang or self.lang
        if code not in self.services:
            return unknown_label(code, lang)
        return self._worded(code, lang)

    def filter_label(self, key: str, lang: str | None = None) -> str:
        """A filter's label in a language (KeyError for a key that is no filter)."""
        if key not in self.filters:
            raise KeyError(key)
        return self._worded(f"filter:{key}", lang or self.lang)

    def _worded(self, key: str, lang: str) -> str:
        worded = self.translations.get(lang, {}).get(key)
        return worded or self.translations[DEFAULT_LANGUAGE][key]

    def worded(self, lang: str) -> Taxonomy:
        """The same codes and filters with their labels in a language: what a page in that
        language reads (`service(code).label`, `filters[key].label`). Made once a language."""
        if lang == self.lang:
            return self
        if lang not in self._views:
            self._views[lang] = Taxonomy(
                {
                    code: replace(d, label=self.label(code, lang))
                    for code, d in self.services.items()
                },
                {
                    key: replace(f, label=self.filter_label(key, lang))
                    for key, f in self.filters.items()
                },
                self.translations,
                lang,
            )
        return self._views[lang]

    def service(self, code: str, lang: str | None = None) -> ServiceDef:
        """The definition of a code, worded in a language; unknown codes are kept under
        "Other", named as such."""
        lang = lang or self.lang
        known = self.services.get(code)
        if known is None:
            return ServiceDef(code, unknown_label(code, lang), "other", 10_000)
        return known if lang == self.lang else replace(known, label=self.label(code, lang))

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
        self,
        codes: Iterable[str],
        labels: Mapping[str, str] | None = None,
        lang: str | None = None,
    ) -> list[tuple[str, list[ServiceDef]]]:
        """Codes grouped by category in the fixed display order, for a center's page.

        `labels` names codes the taxonomy does not know (an import's own wording, shown as
        it is in every language), never shown as a bare code.
        """
        lang = lang or self.lang
        buckets: dict[str, list[ServiceDef]] = {}
        for code in codes:
            definition = self.service(code, lang)
            given = (labels or {}).get(code, "")
            if code not in self.services and given and given != code:
                definition = ServiceDef(code, given, "other", definition.position)
            buckets.setdefault(definition.category, []).append(definition)
        return [
            (category_label(c, lang), sorted(buckets[c], key=lambda s: (s.position, s.code)))
            for c in CATEGORY_ORDER
            if c in buckets
        ]

    def filters_by_category(self, lang: str | None = None) -> list[tuple[str, list[Filter]]]:
        """The filter choices grouped for the search form, worded in a language."""
        lang = lang or self.lang
        buckets: dict[str, list[Filter]] = {}
        for item in self.filters.values():
            worded = replace(item, label=self.filter_label(item.key, lang))
            buckets.setdefault(item.category, []).append(worded)
        return [(category_label(c, lang), buckets[c]) for c in CATEGORY_ORDER if c in buckets]


def category_label(category: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """A category's heading in a language (English for a language the site does not speak)."""
    return _CATEGORY_LABELS.get(lang, CATEGORY_LABELS).get(category, CATEGORY_LABELS[category])


def unknown_label(code: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """What people read for a code the taxonomy does not know."""
    return _UNKNOWN_LABELS.get(lang, _UNKNOWN_LABELS[DEFAULT_LANGUAGE]).format(code=code)


def load_taxonomy(data_dir: str | Path) -> Taxonomy:
    """Read the taxonomy and filter files."""
    data = Path(data_dir)
    services: dict[str, ServiceDef] = {}
    translations: dict[str, dict[str, str]] = {lang: {} for lang in LANGUAGES}
    with (data / "taxonomy.csv").open(encoding="utf-8", newline="") as handle:
        for position, row in enumerate(csv.DictReader(handle)):
            code = row["code"].strip().upper()
            category = row["category"].strip()
            if category not in CATEGORY_LABELS:
                raise ValueError(f"taxonomy.csv: unknown category {category!r} for {code}")
            services[code] = ServiceDef(code, row["label"].strip(), category, position)
            _translated(row, code, translations)
    filters: dict[str, Filter] = {}
    with (data / "filters.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            codes = tuple(row["codes"].split())
            missing = [c for c in codes if c not in services]
            if missing:
                raise ValueError(f"filters.csv: {row['key']} names unknown codes {missing}")
            key = row["key"].strip()
            filters[key] = Filter(key, row["label"].strip(), row["category"].strip(), codes)
            _translated(row, f"filter:{key}", translations)
    return Taxonomy(services, filters, translations)


def _translated(row: Mapping[str, str | None], key: str, into: dict[str, dict[str, str]]) -> None:
    """Keep a row's `label` and `label_<lang>` wordings; an empty one is left out (English is
    shown)."""
    for lang, labels in into.items():
        column = "label" if lang == DEFAULT_LANGUAGE else f"label_{lang}"
        worded = (row.get(column) or "").strip()
        if worded:
            labels[key] = worded


def init_app(app: Flask) -> None:
    """Load the taxonomy once for the app's lifetime."""
    app.extensions["locator.taxonomy"] = load_taxonomy(app.config["LOCATOR_DATA_DIR"])


def current_taxonomy(lang: str = DEFAULT_LANGUAGE) -> Taxonomy:
    """The taxonomy of the running app; with `lang`, its view worded in that language (what a
    page in that language shows)."""
    return current_app.extensions["locator.taxonomy"].worded(lang)
