"""Importing listings from the web: upload, a preview job, review, then an apply job.

Uploads are kept in instance/imports/<token>/ between the preview and the apply, and removed
after (or swept once older than LOCATOR_UPLOAD_MAX_AGE_HOURS). Every step runs as a job
(locator.jobs), never in the request: the upload answers at once with the run's page, which
follows the job's progress by itself.
"""

from __future__ import annotations

import hmac
import secrets
from pathlib import Path

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.datastructures import FileStorage
from werkzeug.utils import secure_filename

from locator.admin import bp
from locator.extensions import db
from locator.importers.detect import detect_format
from locator.importers.files import ImportFileError
from locator.importers.formats import FORMATS
from locator.importers.normalize import clean_text
from locator.importers.pipeline import unexpected_failure
from locator.importers.uploads import sweep_old_uploads
from locator.jobs import enqueue
from locator.jobs.imports import (
    apply_refusal,
    discard_uploads,
    queue_apply,
    queue_preview,
    upload_folder,
    upload_paths,
)
from locator.models import ImportRun
from locator.taxonomy import current_taxonomy

KNOWN_SUFFIXES = {".csv", ".xlsx", ".json", ".zip", ".txt"}
RUNS_SHOWN = 30
PACKAGE_FILE = "datapackage.json"
# Each format as its publisher names it, and where an admin gets the file.
FORMAT_CHOICES = {
    "directory": (
        "SAMHSA National Directory of Substance Use and Mental Health Treatment Facilities",
        "The yearly spreadsheet (XLSX or CSV) from SAMHSA's National Directories page.",
    ),
    "locator_csv": (
        "FindTreatment.gov facility download (CSV or XLSX)",
        "The download button above the results of a search on FindTreatment.gov.",
    ),
    "locator_json": (
        "FindTreatment.gov locator API (JSON pages)",
        "The pages the locator's API answers, saved as .json files; choose them together.",
    ),
    "hsds": (
        "Open Referral HSDS 3.0 data package",
        "A zip, or its CSV files chosen together with their datapackage.json.",
    ),
    "own_csv": (
        "This site's own CSV export",
        "Made by Export on the Centers page, or by flask --app locator export-centers.",
    ),
}


def _save_uploads(files: list[FileStorage]) -> tuple[str, list[str]]:
    """Store the uploads under server-chosen names; the people's names are kept for display.

    Files sent with a datapackage.json are an HSDS package: they keep their own (cleaned)
    names in one folder, since the package names its tables by file name.
    """
    token = secrets.token_hex(16)
    folder = upload_folder(token)
    names = [
        clean_text(upload.filename or "")[:200] or f"file {n + 1}" for n, upload in enumerate(files)
    ]
    package = any(Path(name).name == PACKAGE_FILE for name in names)
    target = folder / "package" if package else folder
    target.mkdir(parents=True)
    for number, upload in enumerate(files):
        suffix = Path(upload.filename or "").suffix.lower()
        if package:
            stored = secure_filename(Path(upload.filename or "").name) or f"file-{number}"
        else:
            stored = f"upload-{number}{suffix if suffix in KNOWN_SUFFIXES else '.dat'}"
        upload.save(target / stored)
    return token, names


def _options() -> dict:
    """The format, source and full-refresh choices of the upload form."""
    chosen = request.form.get("format", "")
    return {
        "format": chosen if chosen in FORMATS else None,
        "source": (request.form.get("source") or "").strip()[:60] or None,
        "full_refresh": request.form.get("full_refresh") == "1",
        "taxonomy_terms": (request.form.get("taxonomy_terms") or "").strip()[:2000] or None,
    }


def imports_page_context() -> dict:
    """What the imports page lists: jobs at work, applied imports, the latest previews."""
    at_work = sa.select(ImportRun).where(ImportRun.status.in_(("queued", "running")))
    applies = sa.select(ImportRun).where(ImportRun.dry_run.is_(False))
    previews = sa.select(ImportRun).where(
        ImportRun.dry_run.is_(True), ImportRun.status.not_in(("queued", "running"))
    )
    newest = (ImportRun.id.desc(),)
    return {
        "active": list(db.session.scalars(at_work.order_by(*newest))),
        "runs": list(db.session.scalars(applies.order_by(*newest).limit(RUNS_SHOWN))),
        "previews": list(db.session.scalars(previews.order_by(*newest).limit(5))),
        "formats": FORMAT_CHOICES,
    }


@bp.get("/imports")
def imports():
    """The upload form, the jobs at work, the applied imports and the latest previews."""
    sweep_old_uploads()
    context = imports_page_context()
    return render_template("admin/imports.html", error=None, **context)


@bp.post("/imports")
def preview_import():
    """Save the uploads and queue their preview; the run's page follows it."""
    files = [f for f in request.files.getlist("files") if f and f.filename]
    if not files:
        return _form_error("Choose a file to import.")
    sweep_old_uploads()
    token, names = _save_uploads(files)
    options = _options()
    paths = upload_paths(token)
    try:  # the header tells the format at once; the rows are read by the job
        options["format"] = options["format"] or detect_format(paths, _known_codes())
    except Exception as error:  # whatever a hostile file breaks: a message, never a 500
        discard_uploads(token)
        if isinstance(error, sa.exc.OperationalError):
            raise  # the database is down: the outage page says so
        if not isinstance(error, ImportFileError):
            current_app.logger.exception("Recognising an import's format failed")
            return _form_error(unexpected_failure(error))
        return _form_error(_named(error.message, paths, names))
    run = queue_preview(db.session, current_user, token, names, options)
    enqueue("preview", run.id)
    db.session.refresh(run)
    if run.status == "failed":  # the job already ran (tests) and refused the file
        return _form_error(run.error)
    return redirect(url_for("admin.import_run", run_id=run.id), 303)


def _known_codes() -> set[str]:
    return set(current_taxonomy().services)


def _named(message: str, paths: list[Path], names: list[str]) -> str:
    """The message with the stored files named as the person named them."""
    for path, name in zip(paths, names, strict=False):
        message = message.replace(path.name, name)
    return message


def _form_error(message: str):
    page = render_template("admin/imports.html", error=message, **imports_page_context())
    return page, 400


@bp.post("/imports/<int:run_id>/apply")
def apply_import(run_id: int):
    """Apply a reviewed preview: only with its token, and only if nothing changed since."""
    preview = db.get_or_404(ImportRun, run_id)
    if not preview.dry_run:
        abort(404)
    token = request.form.get("preview_token", "")
    if not preview.preview_token or not hmac.compare_digest(token, preview.preview_token):
        flash("That preview has expired or was already applied. Upload the file again.", "error")
        return redirect(url_for("admin.import_run", run_id=run_id), 303)
    refusal = apply_refusal(db.session, preview)
    if refusal:
        flash(refusal, "error")
        return redirect(url_for("admin.import_run", run_id=run_id), 303)
    run = queue_apply(db.session, preview, current_user)
    enqueue("apply", run.id)
    if current_app.config.get("LOCATOR_IMPORT_IN_BACKGROUND", True):
        flash("The import is being applied. This page shows its progress.", "info")
    return redirect(url_for("admin.import_run", run_id=run.id), 303)
