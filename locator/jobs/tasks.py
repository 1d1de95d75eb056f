"""The tasks a job may run, by name, and the entry point RQ's worker calls."""

from __future__ import annotations

from flask import has_app_context

from locator.extensions import db


def _preview(run_id: int) -> None:
    from locator.jobs.imports import run_preview_job

    run_preview_job(db.session, run_id)


def _apply(run_id: int) -> None:
    from locator.jobs.imports import run_apply_job

    run_apply_job(db.session, run_id)


def _recover() -> None:
    from locator.importers.stale_runs import recover_dead_runs

    recover_dead_runs(db.session)


def _notify() -> None:
    from locator.inbox.notices import send_pending_notices

    send_pending_notices(db.session)


TASKS = {"preview": _preview, "apply": _apply, "recover": _recover, "notify": _notify}


def run_task(task: str, *args) -> None:
    """Run a named task in the current app context."""
    TASKS[task](*args)


def run_in_app(task: str, *args) -> None:
    """What RQ's worker runs: the task, in an app context (one of its own if need be)."""
    if has_app_context():
        try:
            run_task(task, *args)
        finally:
            db.session.remove()
        return
    from locator import create_app

    with create_app().app_context():
        run_task(task, *args)
