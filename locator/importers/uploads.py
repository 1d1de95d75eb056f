"""Uploaded import files kept between a preview and its apply, and the sweep of old ones.

Each web upload lives in instance/imports/<token>/ until it is applied or refused. A preview
that is never applied would stay there forever, so folders older than
LOCATOR_UPLOAD_MAX_AGE_HOURS are removed when the imports page is opened, when a new upload
arrives, and by `flask --app locator sweep-uploads`.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

DEFAULT_MAX_AGE_HOURS = 24.0


def uploads_root() -> Path:
    """The folder that holds every pending upload's folder."""
    return Path(current_app.instance_path) / "imports"


def sweep_uploads(root: Path, max_age_hours: float, now: float | None = None) -> int:
    """Remove what in `root` was last changed more than `max_age_hours` ago; return how many."""
    if not root.is_dir():
        return 0
    cutoff = (time.time() if now is None else now) - max_age_hours * 3600
    removed = 0
    for entry in root.iterdir():
        try:
            if entry.lstat().st_mtime >= cutoff:
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
        except FileNotFoundError:  # another worker swept it first
            continue
        removed += 1
    return removed


def sweep_old_uploads() -> int:
    """Sweep the app's uploads folder with the configured age."""
    hours = float(current_app.config.get("LOCATOR_UPLOAD_MAX_AGE_HOURS", DEFAULT_MAX_AGE_HOURS))
    return sweep_uploads(uploads_root(), hours)


@click.command("sweep-uploads")
@with_appcontext
def sweep_uploads_command() -> None:
    """Delete uploaded import files never applied, older than LOCATOR_UPLOAD_MAX_AGE_HOURS."""
    count = sweep_old_uploads()
    hours = current_app.config.get("LOCATOR_UPLOAD_MAX_AGE_HOURS", DEFAULT_MAX_AGE_HOURS)
    noun = "upload" if count == 1 else "uploads"
    click.echo(f"Removed {count} {noun} older than {hours:g} hours.")
