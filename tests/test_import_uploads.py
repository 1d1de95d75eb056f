"""Uploads previewed but never applied are swept once older than LOCATOR_UPLOAD_MAX_AGE_HOURS."""

from __future__ import annotations

import os
import time
from uuid import uuid4

import pytest
import sqlalchemy as sa

from locator.extensions import db
from locator.importers.uploads import sweep_uploads, uploads_root
from locator.models import ImportRun
from tests.helpers.admin_imports import PREVIEW_TOKEN, upload
from tests.helpers.forms import csrf_token, text
from tests.helpers.import_files import csv_listings

HOUR = 3600


def _upload_folder(age_hours: float):
    """A pending upload's folder (with its file) last changed `age_hours` ago."""
    folder = uploads_root() / f"test-{uuid4().hex}"
    folder.mkdir(parents=True)
    (folder / "upload-0.csv").write_text(csv_listings(1))
    then = time.time() - age_hours * HOUR
    os.utime(folder / "upload-0.csv", (then, then))
    os.utime(folder, (then, then))
    return folder


@pytest.fixture
def folders(directory):
    """An old pending upload (two days) and a young one (one hour); removed after."""
    with directory.app_context():
        made = (_upload_folder(48), _upload_folder(1))
    yield made
    for folder in made:
        if folder.exists():
            for path in folder.iterdir():
                path.unlink()
            folder.rmdir()


def test_opening_the_imports_page_sweeps_old_uploads(admin_client, folders):
    old, young = folders
    assert admin_client.get("/admin/imports").status_code == 200
    assert not old.exists() and young.exists()


def test_a_new_upload_sweeps_old_uploads(admin_client, importing, folders, directory):
    old, young = folders
    directory.config["LOCATOR_UPLOAD_MAX_AGE_HOURS"] = 0.5
    try:
        response = upload(admin_client, "listings.csv", csv_listings(2).encode())
    finally:
        directory.config["LOCATOR_UPLOAD_MAX_AGE_HOURS"] = 24.0
    assert response.status_code == 303
    assert not old.exists() and not young.exists()


def test_the_sweep_command_removes_old_uploads(directory, folders):
    old, young = folders
    result = directory.test_cli_runner().invoke(args=["sweep-uploads"])
    assert result.exit_code == 0, result.output
    assert "Removed 1 upload older than 24 hours." in result.output
    assert not old.exists() and young.exists()


def test_sweep_uploads_by_age(tmp_path):
    (tmp_path / "young").mkdir()
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "upload-0.csv").write_text("x")
    (tmp_path / "stray.dat").write_text("x")
    now = time.time() + 25 * HOUR
    os.utime(tmp_path / "young", (now, now))
    assert sweep_uploads(tmp_path, 24, now=now) == 2
    assert [path.name for path in tmp_path.iterdir()] == ["young"]
    assert sweep_uploads(tmp_path / "missing", 24) == 0


def test_applying_a_swept_preview_says_it_expired(admin_client, importing, directory):
    assert upload(admin_client, "listings.csv", csv_listings(2).encode()).status_code == 303
    run_id = db.session.scalar(sa.select(sa.func.max(ImportRun.id)))
    preview_page = text(admin_client.get(f"/admin/imports/{run_id}"))
    then = time.time() - 30 * HOUR
    pending = max(uploads_root().iterdir(), key=lambda path: path.stat().st_mtime)
    for path in [*pending.iterdir(), pending]:
        os.utime(path, (then, then))
    token = csrf_token(admin_client, "/admin/imports")  # opening the page sweeps
    preview_token = PREVIEW_TOKEN.search(preview_page).group(1)
    data = {"csrf_token": token, "preview_token": preview_token}
    response = admin_client.post(f"/admin/imports/{run_id}/apply", data=data)
    assert response.status_code == 303
    assert "That preview has expired" in text(admin_client.get(response.headers["Location"]))
