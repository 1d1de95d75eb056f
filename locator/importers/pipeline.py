"""The import pipeline, one for every format: parse → normalise → place → validate → match →
upsert.

`run_import` reads the files twice, streaming: the first pass (first_pass.py) counts the rows,
finds rows that describe the same listing and asks the optional online geocoder; the second
normalises and matches batch by batch and, when applying, writes. A preview (`dry_run=True`,
the default) writes no listing, only the list of what would change (changes.py). An apply
commits batch by batch, each batch with its own list of changes, so that no other writer waits
long; if anything fails, or the process dies (its heartbeat stops), undo.py takes the
committed batches back: the directory ends as if nothing had been applied.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path

from sqlalchemy.orm import Session

from locator.importers.changes import ChangeLog
from locator.importers.detect import detect_format
from locator.importers.files import ImportFileError, files_digest
from locator.importers.first_pass import first_pass
from locator.importers.formats import FORMATS, ImportFormat
from locator.importers.heartbeat import Heartbeat
from locator.importers.hsds import SKIP, wanted_terms
from locator.importers.normalize import key_hash
from locator.importers.place import optional_geocoder
from locator.importers.refresh import unpublish_absent
from locator.importers.report import ImportReport
from locator.importers.row_to_listing import Listing, RejectedRow, build_listing, merge_listings
from locator.importers.runs import claim_apply_lock, fail_run, finish_run, resume_run, start_run
from locator.importers.services import ServiceMapper
from locator.importers.undo import undo_run
from locator.importers.upsert import DirectoryUpsert
from locator.models import utcnow
from locator.places import refresh_places
from locator.site_search import refresh_center_index
from locator.taxonomy import current_taxonomy

__all__ = ["ImportFileError", "ImportReport", "run_import", "unexpected_failure"]

BATCH_SIZE = 1000
logger = logging.getLogger(__name__)
Progress = Callable[[int, int | None], None]


def run_import(
    session: Session,
    paths: list[Path],
    *,
    format: str | None = None,
    source: str | None = None,
    dry_run: bool = True,
    full_refresh: bool = False,
    admin_email: str = "cli",
    original_names: list[str] | None = None,
    progress: Progress | None = None,
    run_id: int | None = None,
    taxonomy_terms: str | None = None,
) -> ImportReport:
    """Preview (dry_run) or apply an import of listing files; every run is recorded.

    `taxonomy_terms` (HSDS): import only the services with one of these terms (codes, names
    or ids, separated by commas). Commits the session (the run record first, then the
    outcome). Raises ImportFileError with a message for the person when a file cannot be used,
    and ImportBusyError (a kind of it) when another import is being applied; messages name
    files by `original_names`. `run_id` names a run recorded beforehand (a queued job); else
    one is recorded now.
    """
    started = time.perf_counter()
    paths = [Path(path) for path in paths]
    shown = dict(zip([p.name for p in paths], original_names or [], strict=False))
    if run_id is None:
        run_id = _start(session, paths, shown, format, source, dry_run, full_refresh, admin_email)
    else:
        resume_run(session, run_id)
    report: ImportReport | None = None
    with Heartbeat(session.get_bind(), run_id) as beat:
        try:
            chosen = _chosen_format(paths, format)
            source = source or chosen.default_source
            report = ImportReport(chosen.name, source, dry_run, full_refresh)
            report.run_id = run_id
            mapper = ServiceMapper(current_taxonomy())
            mapper.wanted_terms = wanted_terms(taxonomy_terms)
            tracker = _Tracker(beat, progress)
            _execute(session, run_id, paths, chosen, report, tracker, shown, mapper)
            report.duration_seconds = time.perf_counter() - started
            finish_run(session, run_id, report, "previewed" if dry_run else "applied")
            session.commit()
        except Exception as error:
            session.rollback()
            if not dry_run:
                beat.set_phase("undoing")
                undo_run(session, run_id)
            if report is not None:
                report.duration_seconds = time.perf_counter() - started
            fail_run(session, run_id, _failure_message(error, shown), report)
            raise
    report.applied = not dry_run
    return report


class _Tracker:
    """Passes a run's progress to its heartbeat and to the caller's callback."""

    def __init__(self, beat: Heartbeat, callback: Progress | None) -> None:
        self.beat, self.callback = beat, callback

    def __call__(self, done: int, total: int | None) -> None:
        self.beat.progress(done, total)
        if self.callback is not None:
            self.callback(done, total)

    def phase(self, name: str) -> None:
        """Say what the run does now."""
        self.beat.set_phase(name)


def _start(session, paths, shown, format, source, dry_run, full_refresh, admin_email) -> int:
    size, digest = files_digest(path for path in paths if path.exists())
    names = [shown.get(path.name, path.name) for path in paths]
    return start_run(
        session,
        admin_email=admin_email,
        source=source or "",
        file_name=", ".join(names)[:300],
        file_size=size,
        sha256=digest,
        format=format or "",
        dry_run=dry_run,
        full_refresh=full_refresh,
    )


def unexpected_failure(error: BaseException) -> str:
    """What an admin is told of an error that is not the file's fault: never its text, which
    may hold SQL or a path; the server's log has it."""
    return (
        f"The import failed and changed nothing (an unexpected {type(error).__name__}; "
        "the server's log has the details)."
    )


def _failure_message(error: Exception, shown: dict[str, str]) -> str:
    if not isinstance(error, ImportFileError):
        logger.error("An import failed", exc_info=error)
        return unexpected_failure(error)
    for stored, original in shown.items():  # name uploads as the person knows them
        error.message = error.message.replace(stored, original)
    error.args = (error.message,)
    return error.message


def _chosen_format(paths: list[Path], name: str | None) -> ImportFormat:
    missing = [path.name for path in paths if not path.exists()]
    if missing:
        raise ImportFileError(f"There is no file named {', '.join(missing)}.")
    if name is None:
        return FORMATS[detect_format(paths, set(current_taxonomy().services))]
    if name not in FORMATS:
        raise ImportFileError(f"Unknown format {name!r}; choose one of {', '.join(FORMATS)}.")
    return FORMATS[name]


def _execute(session, run_id, paths, chosen: ImportFormat, report, tracker, shown, mapper):
    # Read twice, streaming each time; closing() ends each reading (and removes an HSDS zip's
    # extracted folder) at once, even when it stops half-way.
    rows = lambda: closing(chosen.read(paths, mapper))  # noqa: E731
    with rows() as first_rows:
        duplicates, total, points = first_pass(first_rows, report.source, optional_geocoder())
    tracker(0, total)
    tracker.phase("matching" if report.dry_run else "writing")
    if not report.dry_run:
        claim_apply_lock(session, run_id)
    upsert = DirectoryUpsert(session, report, utcnow())
    upsert.changes = ChangeLog(run_id)
    held: dict[int, Listing] = {}
    geocode = points.get if points else None
    names = shown if len(paths) > 1 else None  # several files: say which one a line is in
    with rows() as second_rows:
        for batch in _batches(_listings(second_rows, report, duplicates, held, geocode, names)):
            upsert.handle(batch)
            _commit_batch(session, upsert)
            tracker(report.counts["rows"], total)
    for batch in _batches(iter(held.values())):
        upsert.handle(batch)
        _commit_batch(session, upsert)
    tracker(report.counts["rows"], total)
    tracker.phase("finishing")
    if report.full_refresh:
        unpublish_absent(session, upsert, report)
        _commit_batch(session, upsert)
    counts = report.counts
    if not report.dry_run and counts["new"] + counts["changed"] + counts["unpublished"]:
        refresh_places(session)


def _commit_batch(session: Session, upsert: DirectoryUpsert) -> None:
    """Commit one batch with its list of changes and its centers' search entries."""
    changes = upsert.changes
    ids = [c["center_id"] for c in changes.pending]
    if ids and not upsert.report.dry_run:
        refresh_center_index(session, ids)
    changes.flush(session)
    session.commit()


def _listings(rows, report: ImportReport, duplicates, held, geocode, names):
    """Normalised listings; rows of a listing given more than once are held back to merge."""
    for row in rows:
        if SKIP in row.fields:
            report.counts["skipped"] += 1
            continue
        report.counts["rows"] += 1
        built = build_listing(row, report.source, geocode)
        prefix = f"{names.get(row.file, row.file)}: " if names is not None else ""
        if isinstance(built, RejectedRow):
            report.reject(RejectedRow(built.line, prefix + built.reason, built.row))
            continue
        for warning in built.warnings:
            report.warn(built.line, prefix + warning)
        for code, label in built.services.items():
            if label is not None:  # a code or label the taxonomy does not know
                report.note_unknown_code(code, label)
        key = key_hash(f"{built.source}\x1f{built.source_id}")
        if key not in duplicates:
            yield built
        elif key in held:
            merge_listings(held[key], built)
            report.counts["merged"] += 1
        else:
            held[key] = built


def _batches(listings: Iterator[Listing]) -> Iterator[list[Listing]]:
    batch: list[Listing] = []
    for listing in listings:
        batch.append(listing)
        if len(batch) >= BATCH_SIZE:
            yield batch
            batch = []
    if batch:
        yield batch
