"""One import run's page: its progress while it works, then what it found or did.

While a job works, the page refreshes itself: a small script polls `progress.json` each
second, and without JavaScript a meta refresh reloads the page. It only reads, so it answers
at once whatever the job writes. A finished preview lists its changes by name, a page at a
time, with the fields before and after, and the form that applies it.
"""

from __future__ import annotations

from flask import Response, abort, current_app, jsonify, render_template, request, url_for

from locator.admin import bp
from locator.admin.imports import FORMAT_CHOICES
from locator.admin.pagination import paginate, requested_page
from locator.extensions import db
from locator.importers.changes import KINDS, change_counts, changes_query
from locator.importers.heartbeat import is_dead
from locator.importers.report import rejected_rows_csv
from locator.jobs import enqueue, uses_worker
from locator.models import ImportRun, utcnow

PHASES = {
    "queued": "Waiting for its turn",
    "reading": "Reading the file",
    "matching": "Matching listings with the directory",
    "writing": "Writing listings",
    "finishing": "Updating places and search",
    "undoing": "Taking back what was written",
}
KIND_LABELS = {"new": "New", "changed": "Changed", "gone": "Unpublished", "matched": "Matched"}


def progress_of(run: ImportRun) -> dict:
    """The run's progress as the page and its script show it."""
    now = utcnow()
    dead = is_dead(run, now)
    elapsed = ((run.heartbeat_at or now) - (run.started_at or run.created_at)).total_seconds()
    rate = run.rows_done / elapsed if run.rows_done and elapsed > 0 else None
    left = None
    if rate and run.rows_total and run.status == "running":
        left = max(0, round((run.rows_total - run.rows_done) / rate))
    working = run.status in ("queued", "running") and not dead
    return {
        "status": "stopped" if dead else run.status,
        "phase": PHASES.get(run.phase, run.phase) if working else "",
        "rows_done": run.rows_done,
        "rows_total": run.rows_total,
        "rate": round(rate) if rate else None,
        "seconds_left": left,
        "working": working,
        "dead": dead,
        "url": url_for("admin.import_run", run_id=run.id),
    }


def _review(run: ImportRun) -> dict:
    counts = change_counts(db.session, run.id)
    kind = request.args.get("kind") or next((k for k in KINDS if counts[k]), "new")
    if kind not in KINDS:
        abort(400, f"The kind must be one of {', '.join(KINDS)}.")
    name = (request.args.get("q") or "").strip()[:100]
    state = (request.args.get("state") or "").strip()[:2]
    query = changes_query(run.id, kind, name, state)
    page = paginate(db.session, query, requested_page(request.args))
    return {"change_counts": counts, "kind": kind, "q": name, "state": state, "page": page}


@bp.get("/imports/<int:run_id>")
def import_run(run_id: int):
    """One run: its progress while it works; then who, when, which file, what it found."""
    run = db.get_or_404(ImportRun, run_id)
    progress = progress_of(run)
    if progress["dead"]:
        enqueue("recover")  # undo what it wrote and mark it, in a job: this page only reads
    review = _review(run) if run.status in ("previewed", "applied") else {}
    return render_template(
        "admin/import_run.html",
        run=run,
        progress=progress,
        kind_labels=KIND_LABELS,
        format_label=FORMAT_CHOICES.get(run.format, (run.format,))[0],
        waiting_for_worker=run.status == "queued" and uses_worker(current_app),
        **review,
    )


@bp.get("/imports/<int:run_id>/progress.json")
def import_progress(run_id: int):
    """The run's progress, for the page's script."""
    return jsonify(progress_of(db.get_or_404(ImportRun, run_id)))


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
