"""What an import found or did: the report, its text form, and the rejected-rows CSV."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from locator.importers.row_to_listing import RejectedRow
from locator.models import ImportRun

KEPT_ROWS = 1000  # rejected or unplaced rows kept with their data; the counts stay exact
KEPT_CHANGES = 10
KEPT_UNPUBLISH = 50
KEPT_WARNINGS = 200
COUNT_NAMES = (
    "rows", "new", "changed", "unchanged", "merged", "matched_across_sources", "unplaced",
    "rejected", "unpublished", "skipped", "warnings", "unknown_codes",
)  # fmt: skip
KEPT_UNKNOWN_CODES = 50


@dataclass
class ImportReport:
    """Counts, rejected rows, a sample of changes and what a full refresh unpublishes."""

    format: str
    source: str
    dry_run: bool = True
    full_refresh: bool = False
    run_id: int | None = None
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNT_NAMES, 0))
    rejected: list[RejectedRow] = field(default_factory=list)
    unplaced: list[RejectedRow] = field(default_factory=list)
    changes: list[dict] = field(default_factory=list)
    unpublish: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    applied: bool = False
    duration_seconds: float = 0.0
    unknown_codes: dict[str, str] = field(default_factory=dict)  # code → label shown

    def note_unknown_code(self, code: str, label: str) -> None:
        """Count a service code the taxonomy does not know (each code once)."""
        if code not in self.unknown_codes:
            self.counts["unknown_codes"] += 1
            if len(self.unknown_codes) < KEPT_UNKNOWN_CODES:
                self.unknown_codes[code] = label

    def reject(self, rejected: RejectedRow) -> None:
        """Count a rejected row and keep it (up to KEPT_ROWS) for the report and the CSV."""
        self.counts["rejected"] += 1
        if len(self.rejected) < KEPT_ROWS:
            self.rejected.append(rejected)

    def warn(self, line: int, message: str) -> None:
        """Count a warning about a row and keep its text (up to KEPT_WARNINGS)."""
        self.counts["warnings"] += 1
        if len(self.warnings) < KEPT_WARNINGS:
            self.warnings.append(f"Line {line}: {message}" if line else message)

    def kept_rows(self) -> list[dict]:
        """Rejected and unplaced rows as JSON-ready dicts, for ImportRun.rejected."""
        return [
            {"kind": kind, "line": item.line, "reason": item.reason, "row": item.row}
            for kind, items in (("rejected", self.rejected), ("unplaced", self.unplaced))
            for item in items
        ]


def rejected_rows_csv(run: ImportRun) -> str:
    """The rejected and unplaced rows of a run as CSV, each with its line and reason."""
    kept = run.rejected or []
    columns: dict[str, None] = {}
    for item in kept:
        columns.update(dict.fromkeys(item.get("row", {})))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["line", "problem", "reason", *(_guard(str(name)) for name in columns)])
    for item in kept:
        row = item.get("row", {})
        cells = [_guard(str(row.get(column, ""))) for column in columns]
        writer.writerow([item["line"], item["kind"], _guard(item["reason"]), *cells])
    return out.getvalue()


def _guard(text: str) -> str:
    # A spreadsheet would run a cell that starts like a formula.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def report_lines(report: ImportReport) -> list[str]:
    """The report as lines of text, for the command line."""
    counts = report.counts
    verb = "Would import" if report.dry_run else "Imported"
    lines = [
        f"{verb} {counts['rows']} rows ({report.format}, source {report.source or 'per row'}):",
        "  " + ", ".join(f"{counts[name]} {name.replace('_', ' ')}" for name in COUNT_NAMES[1:]),
    ]
    if report.unknown_codes:
        shown = ", ".join(sorted(report.unknown_codes))
        lines.append(f"  service codes not in the taxonomy, shown as “Other service”: {shown}")
    for change in report.changes:
        diffs = "; ".join(f"{f}: {o!r} → {n!r}" for f, o, n in change["diffs"])
        lines.append(f"  changed, line {change['line']}: {change['name']}: {diffs}")
    for item in report.rejected[:50]:
        lines.append(f"  rejected, line {item.line}: {item.reason}")
    for item in report.unplaced[:20]:
        lines.append(f"  unplaced, line {item.line}: {item.reason}")
    for entry in report.unpublish:
        verb_u = "would unpublish" if report.dry_run else "unpublished"
        lines.append(f"  {verb_u}: {entry['name']} ({entry['city']}, {entry['state']})")
    lines.extend(f"  warning: {text}" for text in report.warnings[:30])
    return lines
