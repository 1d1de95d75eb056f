"""Importing through the admin pages: upload a file, read the newest run, apply a preview."""

from __future__ import annotations

import io
import re

import sqlalchemy as sa

from locator.extensions import db
from locator.models import ImportRun
from tests.helpers.forms import csrf_token, text

PREVIEW_TOKEN = re.compile(r'name="preview_token" value="([0-9a-f]+)"')


def upload(client, name, content, **fields):
    """Send one file through the import form; returns the response (not followed)."""
    token = csrf_token(client, "/admin/imports")
    data = {"csrf_token": token, "files": (io.BytesIO(content), name), **fields}
    return client.post("/admin/imports", data=data, content_type="multipart/form-data")


def latest_run() -> ImportRun:
    """The newest import run, read afresh."""
    db.session.expire_all()
    return db.session.scalars(sa.select(ImportRun).order_by(ImportRun.id.desc())).first()


def apply_preview(client, run_id: int, token: str | None = None):
    """Press the apply button of a preview (with its own token unless one is given)."""
    page = text(client.get(f"/admin/imports/{run_id}"))
    found = PREVIEW_TOKEN.search(page)
    assert found, "the preview page has no apply form"
    data = {"csrf_token": csrf_token(client, "/admin/imports"),
            "preview_token": found.group(1) if token is None else token}  # fmt: skip
    return client.post(f"/admin/imports/{run_id}/apply", data=data)
