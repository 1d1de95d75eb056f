"""Exports from the admin area: the listings (all, or the Centers page's search) as the own CSV
or an HSDS 3.0 package, streamed so that the whole directory is never held in memory."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

from flask import Response, abort, request, stream_with_context
from wtforms import SelectChoice

from locator.admin import bp
from locator.admin.centers import center_filters
from locator.admin.forms import CenterSearchForm
from locator.admin.queries import center_conditions, center_sources
from locator.extensions import db
from locator.importers.export import csv_chunks, export_hsds
from locator.models import utcnow

CHUNK = 64 * 1024


def _where() -> list:
    """The conditions of the Centers page's search in the query string (none: everything)."""
    form = CenterSearchForm(request.args)
    form.source.choices = [SelectChoice("", "Any source"),
                           *map(SelectChoice, center_sources(db.session))]  # fmt: skip
    if not form.validate():
        abort(400, "These search filters are not valid: " + "; ".join(
            f"{name}: {' '.join(errors)}" for name, errors in form.errors.items()
        ))  # fmt: skip
    return center_conditions(center_filters(form), utcnow().date())


def _download(name: str, suffix: str) -> dict[str, str]:
    """Headers of a download named by what it is and when it was made; never cached."""
    filename = f"{name}-{utcnow():%Y%m%d-%H%M}.{suffix}"
    return {
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "no-store",
    }


@bp.get("/export/centers.csv")
def export_centers_csv():
    """The listings as the site's own CSV (it imports back unchanged), streamed."""
    where = _where()
    body = stream_with_context(csv_chunks(db.session, where))
    return Response(body, mimetype="text/csv", headers=_download("centers", "csv"))


def _zip_chunks(where: list) -> Iterator[bytes]:
    """Write the package to a temporary file, then send it a chunk at a time."""
    with tempfile.TemporaryDirectory(prefix="locator-export-") as folder:
        path = Path(folder) / "hsds.zip"
        export_hsds(db.session, path, where)
        with path.open("rb") as handle:
            while chunk := handle.read(CHUNK):
                yield chunk


@bp.get("/export/centers-hsds.zip")
def export_centers_hsds():
    """The listings as an Open Referral HSDS 3.0 package (a zip of CSV tables), streamed."""
    where = _where()
    body = stream_with_context(_zip_chunks(where))
    return Response(body, mimetype="application/zip", headers=_download("centers-hsds", "zip"))
