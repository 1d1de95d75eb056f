"""Importing listings from the web: upload, preview (a dry run), then apply on request.

Uploads are kept in instance/imports/<token>/ between the preview and the apply, and removed
after (or swept once older than LOCATOR_UPLOAD_MAX_AGE_HOURS). The apply runs in a background
thread (unless LOCATOR_IMPORT_IN_BACKGROUND is off), so a long file does not hold a request
open; the runs page shows its progress.
"""

from __future__ import annotations

import os
import secrets
import shutil
import threading
from pathlib import Path

import sqlalchemy as sa
from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user
from werkzeug.datastructures import FileStorage

from locator.admin import bp
from locator.admin.audit import record_audit
from locator.extensions import db
from locator.importers.formats import FORMATS
from locator.importers.normalize import clean_text
from locator.importers.pipeline import ImportFileError, run_import, unexpected_failure
from locator.importers.report import rejected_rows_csv
from locator.importers.stale_runs import mark_stale_runs
from locator.importers.uploads import sweep_old_uploads, uploads_root
from locator.models import ImportRun

KNOWN_SUFFIXES = {".csv", ".xlsx", ".json", ".zip", ".txt"}
RUNS_SHOWN = 30


def _upload_folder(token: str) -> Path:
    return uploads_root() / token


def _save_uploads(files: list[FileStorage]) -> tuple[str, list[Path], list[str]]:
    """Store the uploads under server-chosen names; the people's names are kept for display."""
    token = secrets.token_hex(16)
    folder = _upload_folder(token)
    folder.mkdir(parents=True)
    paths, names = [], []
    for number, upload in enumerate(files):
        suffix = Path(upload.filename or "").suffix.lower()
        path = folder / f"upload-{number}{suffix if suffix in KNOWN_SUFFIXES else '.dat'}"
        upload.save(path)
        paths.append(path)
        names.append(clean_text(upload.filename)[:200] or path.name)
    return token, paths, names


def _discard(token: str) -> None:
    shutil.rmtree(_upload_folder(token), ignore_errors=True)


def _options() -> dict:
    """The format, source and full-refresh choices of the upload form."""
    chosen = request.form.get("format", "")
    return {
        "format": chosen if chosen in FORMATS else None,
        "source": (request.form.get("source") or "").strip()[:60] or None,
        "full_refresh": request.form.get("full_refresh") == "1",
        "taxonomy_terms": (request.form.get("taxonomy_terms") or "").strip()[:2000] or None,
    }


def _recent_runs() -> list[ImportRun]:
    return list(
        db.session.scalars(sa.select(ImportRun).order_by(ImportRun.id.desc()).limit(RUNS_SHOWN))
    )


@bp.get("/imports")
def imports():
    """The upload form and the latest runs, with the progress of any running one."""
    mark_stale_runs(db.session)  # a run whose worker died reads "unfinished", not "running"
    db.session.commit()
    sweep_old_uploads()
    runs = _recent_runs()
    running = any(run.status == "running" for run in runs)
    return render_template(
        "admin/imports.html", runs=runs, formats=FORMATS, refresh=running, error=None
    )


@bp.post("/imports")
def preview_import():
    """Save the uploads and show what applying them would do; nothing is written yet."""
    files = [f for f in request.files.getlist("files") if f and f.filename]
    if not files:
        return _form_error("Choose a file to import.")
    options = _options()
    sweep_old_uploads()
    token, paths, names = _save_uploads(files)
    try:
        report = run_import(
            db.session, paths, dry_run=True, admin_email=current_user.email,
            original_names=names, **options,
        )  # fmt: skip
    except ImportFileError as error:
        _discard(token)
        return _form_error(error.message)
    except Exception as error:  # whatever a hostile file breaks: a message, never a 500
        _discard(token)
        db.session.rollback()
        if isinstance(error, sa.exc.OperationalError):
            raise  # the database is down: the outage page says so
        current_app.logger.exception("An import preview failed")
        return _form_error(unexpected_failure(error))
    session["pending_import"] = {"run_id": report.run_id, "token": token, "names": names,
                                 **options}  # fmt: skip
    return render_template("admin/import_preview.html", report=report, names=names)


def _form_error(message: str):
    page = render_template(
        "admin/imports.html", runs=_recent_runs(), formats=FORMATS, refresh=False, error=message
    )
    return page, 400


@bp.post("/imports/<int:run_id>/apply")
def apply_import(run_id: int):
    """Apply a previewed import: the same files, in one transaction."""
    pending = session.get("pending_import")
    if not pending or pending.get("run_id") != run_id:
        flash("That preview has expired or was already applied. Upload the file again.", "error")
        return redirect(url_for("admin.imports"))
    session.pop("pending_import")
    folder = _upload_folder(pending["token"])
    if not folder.is_dir():  # swept: older than LOCATOR_UPLOAD_MAX_AGE_HOURS
        flash("That preview has expired or was already applied. Upload the file again.", "error")
        return redirect(url_for("admin.imports"))
    os.utime(folder)  # young again, so that no sweep removes it while it is applied
    paths = sorted(folder.glob("upload-*"), key=lambda p: int(p.stem.split("-")[1]))
    job = {
        "paths": paths, "names": pending["names"], "format": pending["format"],
        "source": pending["source"], "full_refresh": pending["full_refresh"],
        "taxonomy_terms": pending.get("taxonomy_terms"), "token": pending["token"],
        "admin_id": current_user.id, "email": current_user.email,
    }  # fmt: skip
    app = current_app._get_current_object()
    if app.config.get("LOCATOR_IMPORT_IN_BACKGROUND", True):
        thread = threading.Thread(target=_apply_in_context, args=(app, job), daemon=True)
        app.extensions.setdefault("locator.import_threads", []).append(thread)
        thread.start()
        flash("The import is being applied. This page shows its progress.", "info")
        return redirect(url_for("admin.imports"))
    new_run_id = _apply(job)
    return redirect(
        url_for("admin.import_run", run_id=new_run_id) if new_run_id else url_for("admin.imports")
    )


def _apply_in_context(app, job: dict) -> None:
    with app.app_context():
        _apply(job)


def _apply(job: dict) -> int | None:
    """Run the apply and audit it; failures are recorded on the run by the pipeline."""
    from locator.models import AdminUser

    try:
        report = run_import(
            db.session, job["paths"], dry_run=False, admin_email=job["email"],
            original_names=job["names"], format=job["format"], source=job["source"],
            full_refresh=job["full_refresh"], taxonomy_terms=job.get("taxonomy_terms"),
        )  # fmt: skip
    except Exception:  # recorded on the run (and logged) by the pipeline
        db.session.rollback()
        return None
    finally:
        _discard(job["token"])
    admin = db.session.get(AdminUser, job["admin_id"])
    summary = f"Imported {', '.join(job['names'])[:200]}: " + ", ".join(
        f"{report.counts[k]} {k}" for k in ("new", "changed", "unchanged", "rejected")
    )
    record_audit(
        db.session, admin, "import", "import_run", report.run_id, summary, after=dict(report.counts)
    )
    db.session.commit()
    return report.run_id


@bp.get("/imports/<int:run_id>")
def import_run(run_id: int):
    """One run: who, when, which file, what it found or did."""
    run = db.get_or_404(ImportRun, run_id)
    return render_template("admin/import_run.html", run=run, refresh=run.status == "running")


@bp.get("/imports/<int:run_id>/rejected.csv")
def rejected_csv(run_id: int):
    """The run's rejected and unplaced rows with their reasons, as a spreadsheet file."""
    run = db.get_or_404(ImportRun, run_id)
    if not run.rejected:
        abort(404)
    return Response(
        rejected_rows_csv(run),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="import-{run.id}-rejected.csv"'},
    )
