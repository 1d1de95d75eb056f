"""Import jobs: the uploads' folder, the queued runs, and what the preview and apply jobs do.

An upload becomes a run in status "queued" at once (so the page that follows has something to
show); the preview job fills in what applying would do, and its list of changes. An apply is a
second run that names its preview: it refuses to start when the files or the directory have
changed since that preview, so what was reviewed is what is applied.
"""

from __future__ import annotations

import hashlib
import logging
import os
import secrets
import shutil
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from locator.importers.files import ImportFileError, files_digest
from locator.importers.pipeline import run_import
from locator.importers.uploads import uploads_root
from locator.models import AdminUser, Center, ImportRun, utcnow

STALE_PREVIEW = (
    "The directory has changed since this preview (a listing was edited or another import "
    "was applied), so it may no longer say what applying would do. Upload the file again."
)
CHANGED_FILES = "The uploaded files have changed since the preview. Upload them again."
EXPIRED = (
    "That preview has expired: its uploaded files were removed (they are kept "
    "LOCATOR_UPLOAD_MAX_AGE_HOURS). Upload the file again."
)
log = logging.getLogger(__name__)


def upload_folder(token: str) -> Path:
    """Where a run's uploads are kept between the preview and the apply."""
    return uploads_root() / token


def upload_paths(token: str) -> list[Path]:
    """The stored uploads of a run, in the order they were sent (an HSDS folder whole)."""
    folder = upload_folder(token)
    package = folder / "package"
    if package.is_dir():
        return [package]
    return sorted(folder.glob("upload-*"), key=lambda p: int(p.stem.split("-")[1]))


def discard_uploads(token: str) -> None:
    """Remove a run's uploads (after the apply, or when the preview failed)."""
    if token:
        shutil.rmtree(upload_folder(token), ignore_errors=True)


def directory_fingerprint(session: Session) -> str:
    """A digest that changes whenever a listing is added, removed or changed."""
    count, last_id, last_change = session.execute(
        sa.select(sa.func.count(), sa.func.max(Center.id), sa.func.max(Center.updated_at))
    ).one()
    return hashlib.sha256(f"{count}|{last_id}|{last_change}".encode()).hexdigest()


def queue_preview(session: Session, admin: AdminUser, token: str, names: list[str],
                  options: dict) -> ImportRun:  # fmt: skip
    """Record a queued preview of the uploads under `token`; the caller enqueues its job."""
    size, digest = files_digest(upload_paths(token))
    run = ImportRun(
        status="queued", phase="queued", dry_run=True, admin_email=admin.email,
        admin_id=admin.id, upload_token=token, file_names=names,
        file_name=", ".join(names)[:300], file_size=size, sha256=digest,
        format=options.get("format") or "", source=options.get("source") or "",
        full_refresh=bool(options.get("full_refresh")), preview_token=secrets.token_hex(16),
        taxonomy_terms=options.get("taxonomy_terms") or "",
        directory_fingerprint=directory_fingerprint(session),
    )  # fmt: skip
    session.add(run)
    session.commit()
    return run


def apply_refusal(session: Session, preview: ImportRun) -> str | None:
    """Why this preview can no longer be applied, or None when it can."""
    if preview.applied_by_run_id:
        return "This preview was already applied."
    if preview.status != "previewed":
        return "Only a finished preview can be applied."
    return _changed_since(session, preview)


def queue_apply(session: Session, preview: ImportRun, admin: AdminUser) -> ImportRun:
    """Record a queued apply of a preview, and mark the preview as used."""
    run = ImportRun(
        status="queued", phase="queued", dry_run=False, admin_email=admin.email,
        admin_id=admin.id, upload_token=preview.upload_token, file_names=preview.file_names,
        file_name=preview.file_name, file_size=preview.file_size, sha256=preview.sha256,
        format=preview.format, source=preview.source, full_refresh=preview.full_refresh,
        preview_run_id=preview.id, rows_total=preview.rows_total,
        taxonomy_terms=preview.taxonomy_terms,
    )  # fmt: skip
    session.add(run)
    session.flush()
    preview.applied_by_run_id = run.id
    session.commit()
    return run


def run_preview_job(session: Session, run_id: int) -> None:
    """The preview job: a dry run of the stored uploads into the queued run."""
    run = session.get(ImportRun, run_id)
    if run is None or run.status != "queued":
        return
    token = run.upload_token
    try:
        _run(session, run)
    except Exception as error:  # the run records why (never the error's own text)
        discard_uploads(token)  # nothing is left to apply
        session.rollback()
        if not isinstance(error, ImportFileError):
            log.error("An import preview failed", exc_info=error)


def run_apply_job(session: Session, run_id: int) -> None:
    """The apply job: check the preview still holds, apply, audit, remove the uploads."""
    from locator.admin.audit import record_audit

    run = session.get(ImportRun, run_id)
    if run is None or run.status != "queued":
        return
    preview = session.get(ImportRun, run.preview_run_id)
    refusal = _changed_since(session, preview)
    if refusal:
        run.status, run.phase, run.error, run.finished_at = "failed", "", refusal, utcnow()
        session.commit()
        return
    token = run.upload_token
    try:
        report = _run(session, run)
    except Exception as error:  # recorded on the run (and taken back) by the pipeline
        session.rollback()
        if not isinstance(error, ImportFileError):
            log.error("An import apply failed", exc_info=error)
        return
    finally:
        discard_uploads(token)
    counts = report.counts
    summary = f"Imported {run.file_name[:200]}: " + ", ".join(
        f"{counts[k]} {k}" for k in ("new", "changed", "unchanged", "rejected")
    )
    admin = session.get(AdminUser, run.admin_id) if run.admin_id else None
    record_audit(session, admin, "import", "import_run", run_id, summary, after=dict(counts))
    session.commit()


def _changed_since(session: Session, preview: ImportRun | None) -> str | None:
    if preview is None:
        return "The preview of this import is gone. Upload the file again."
    folder = upload_folder(preview.upload_token)
    if not preview.upload_token or not folder.is_dir():  # swept: too old
        return EXPIRED
    os.utime(folder)  # young again, so that no sweep removes it while it is applied
    paths = upload_paths(preview.upload_token)
    if not paths or files_digest(paths)[1] != preview.sha256:
        return CHANGED_FILES
    if directory_fingerprint(session) != preview.directory_fingerprint:
        return STALE_PREVIEW
    return None


def _run(session: Session, run: ImportRun):
    return run_import(
        session, upload_paths(run.upload_token), format=run.format or None,
        source=run.source or None, dry_run=run.dry_run, full_refresh=run.full_refresh,
        admin_email=run.admin_email, original_names=run.file_names, run_id=run.id,
        taxonomy_terms=run.taxonomy_terms or None,
    )  # fmt: skip
