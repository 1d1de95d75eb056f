"""How much one import file may hold: rows, zip members and expanded bytes (settings).

Outside an app (a script calling the importers directly) the defaults apply.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, has_app_context

MB = 1024 * 1024
DEFAULT_MAX_ROWS = 1_000_000
DEFAULT_MAX_ZIP_MEMBERS = 1_000
DEFAULT_MAX_EXPANDED_MB = 200


@dataclass(frozen=True, slots=True)
class ImportLimits:
    """The caps that keep a hostile or runaway file from taking the server's time and memory."""

    max_rows: int = DEFAULT_MAX_ROWS
    max_zip_members: int = DEFAULT_MAX_ZIP_MEMBERS
    max_expanded_bytes: int = DEFAULT_MAX_EXPANDED_MB * MB


def current_limits() -> ImportLimits:
    """The limits the app is configured with, or the defaults outside an app."""
    if not has_app_context():
        return ImportLimits()
    config = current_app.config
    return ImportLimits(
        max_rows=int(config.get("LOCATOR_IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS)),
        max_zip_members=int(config.get("LOCATOR_IMPORT_MAX_ZIP_MEMBERS", DEFAULT_MAX_ZIP_MEMBERS)),
        max_expanded_bytes=int(
            float(config.get("LOCATOR_IMPORT_MAX_EXPANDED_MB", DEFAULT_MAX_EXPANDED_MB)) * MB
        ),
    )
