"""Derive data/taxonomy.csv from the National Directory, its code key and data/service_groups.csv.

Each row's `service_code_info` is groups of codes separated by ` * `, one group per heading of
the printed directory, in the same order for every row of a directory type (empty headings are
left out, so a group's index alone does not name its heading). Codes that share a group in any
row share a heading: joining them (union-find) gives the headings, and service_groups.csv names
each heading's category through one of its codes. Codes already in taxonomy.csv keep their own
label, Spanish label (`label_es`) and category; the others take the key's label and an empty
Spanish label, which the tool lists: write it before shipping (a test checks every code has one).

Run ``python -m tools.build_taxonomy`` after a new edition of the directory or its key.
"""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Iterable, Iterator
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data"
DIRECTORY = DATA / "samhsa-national-directory.csv.gz"
KEY = DATA / "samhsa-service-codes.csv"
GROUPS = DATA / "service_groups.csv"
TAXONOMY = DATA / "taxonomy.csv"
DIRECTORY_TYPES = ("substance", "mental")  # the substance directory's heading wins a tie


def code_groups(service_code_info: str) -> Iterator[list[str]]:
    """The groups of codes of one row (codes are upper-case words; stray text is dropped)."""
    for group in service_code_info.split(" * "):
        codes = [code for code in group.split() if code.isupper() or code[:1].isdigit()]
        if codes:
            yield codes


def headings(rows: Iterable[dict[str, str]], directory_type: str) -> dict[str, str]:
    """Each code of a directory type → a code standing for its heading (union-find)."""
    parent: dict[str, str] = {}

    def find(code: str) -> str:
        parent.setdefault(code, code)
        while parent[code] != code:
            parent[code] = parent[parent[code]]
            code = parent[code]
        return code

    for row in rows:
        if row["directory_type"] != directory_type or not row["name1"].strip():
            continue  # the legend rows at the end carry no name
        for codes in code_groups(row["service_code_info"]):
            for code in codes[1:]:
                parent[find(code)] = find(codes[0])
            find(codes[0])
    return {code: find(code) for code in parent}


def code_categories(rows: list[dict[str, str]], named: list[dict[str, str]]) -> dict[str, str]:
    """Each code of the directory → its category, through the heading named for it."""
    found: dict[str, str] = {}
    for directory_type in DIRECTORY_TYPES:
        roots = headings(rows, directory_type)
        by_root = {
            roots[item["member"]]: item["category"]
            for item in named
            if item["directory_type"] == directory_type and item["member"] in roots
        }
        unnamed = sorted({code for code, root in roots.items() if root not in by_root})
        if unnamed:
            raise ValueError(f"{directory_type}: no category for the heading of {unnamed}")
        for code, root in roots.items():
            found.setdefault(code, by_root[root])
    return found


def key_labels(path: Path = KEY) -> dict[str, str]:
    """The code key's label of each code (the substance directory's wording first)."""
    labels: dict[str, str] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        rows = sorted(csv.DictReader(handle), key=lambda r: r["directory_type"] != "substance")
    for row in rows:
        label = " ".join(row["label"].replace("\ufffd", "").split())
        labels.setdefault(row["code"].strip().upper(), label.rstrip(" ."))
    return labels


def build(existing: list[dict[str, str]]) -> list[dict[str, str]]:
    """The taxonomy rows: those already written first, then every other code of the directory."""
    with gzip.open(DIRECTORY, "rt", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    with GROUPS.open(encoding="utf-8", newline="") as handle:
        named = list(csv.DictReader(handle))
    categories = code_categories(rows, named)
    labels = key_labels()
    known = {row["code"] for row in existing}
    added = [
        {"code": code, "label": labels.get(code, code), "label_es": "", "category": category}
        for code, category in sorted(categories.items())
        if code not in known
    ]
    added.sort(key=lambda row: (ORDER.index(row["category"]), row["code"]))
    return existing + added


ORDER = (
    "type_of_care", "service_setting", "facility_type", "emergency", "opioid_medications",
    "alcohol_medications", "other_pharmacotherapies", "detox_substances", "treatment_approaches",
    "payment_accepted", "payment_assistance", "age_groups", "special_programs",
    "language_services", "screening", "testing", "vaccinations", "counseling_education",
    "transitional", "recovery_support", "ancillary", "operated_by", "licensing", "smoking",
)  # fmt: skip


FIELDS = ("code", "label", "label_es", "category")


def taxonomy_text(rows: list[dict[str, str]]) -> str:
    """The rows as taxonomy.csv holds them."""
    out = io.StringIO()
    writer = csv.DictWriter(out, FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def main() -> None:
    """Rewrite data/taxonomy.csv with every code of the shipped directory."""
    with TAXONOMY.open(encoding="utf-8", newline="") as handle:
        existing = list(csv.DictReader(handle))
    rows = build(existing)
    TAXONOMY.write_text(taxonomy_text(rows), encoding="utf-8")
    print(f"{TAXONOMY.name}: {len(rows)} codes ({len(rows) - len(existing)} added).")
    unworded = [row["code"] for row in rows if not row.get("label_es", "").strip()]
    if unworded:
        print(f"No Spanish label yet (label_es) for: {', '.join(unworded)}")


if __name__ == "__main__":
    main()
