"""Importing from the admin area: upload, preview, apply, and the bad files people send."""

import io

import pytest
import sqlalchemy as sa

from locator.extensions import db
from locator.models import AuditEntry, Center, ImportRun
from tests.admin_helpers import csrf_token, text
from tests.test_importers_support import FIXTURES, imports_cleaned_up


@pytest.fixture
def importing(directory):
    with directory.app_context():
        yield from imports_cleaned_up()


@pytest.fixture
def synchronous(directory):
    directory.config["LOCATOR_IMPORT_IN_BACKGROUND"] = False
    yield
    directory.config["LOCATOR_IMPORT_IN_BACKGROUND"] = True


def upload(client, name, content, **fields):
    token = csrf_token(client, "/admin/imports")
    data = {"csrf_token": token, "files": (io.BytesIO(content), name), **fields}
    return client.post("/admin/imports", data=data, content_type="multipart/form-data")


def test_preview_then_apply_then_reimport_changes_nothing(admin_client, importing, synchronous):
    content = (FIXTURES / "locator.csv").read_bytes()
    preview = upload(admin_client, "locator.csv", content)
    page = text(preview)
    assert preview.status_code == 200 and "Nothing has been written yet" in page
    assert (
        db.session.scalar(sa.select(Center).where(Center.name1 == "Lakeside Detox (Test)")) is None
    )
    run_id = db.session.scalar(sa.select(sa.func.max(ImportRun.id)))
    applied = admin_client.post(
        f"/admin/imports/{run_id}/apply",
        data={"csrf_token": csrf_token(admin_client, "/admin/imports")},
    )
    assert applied.status_code == 302
    db.session.expire_all()
    center = db.session.scalar(sa.select(Center).where(Center.name1 == "Lakeside Detox (Test)"))
    assert center is not None and center.published
    audit = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "import"))
    assert audit is not None and "locator.csv" in audit.summary
    assert "Lakeside Detox (Test)" in text(admin_client.get(f"/centers/{center.slug}"))
    again = text(upload(admin_client, "locator.csv", content))
    assert '<th scope="row">New</th><td>0</td>' in again
    db.session.execute(sa.delete(AuditEntry).where(AuditEntry.action == "import"))
    db.session.commit()


def test_apply_in_the_background_shows_progress_then_the_result(admin_client, importing, directory):
    upload(admin_client, "own.csv", (FIXTURES / "own.csv").read_bytes())
    run_id = db.session.scalar(sa.select(sa.func.max(ImportRun.id)))
    token = csrf_token(admin_client, "/admin/imports")
    response = admin_client.post(f"/admin/imports/{run_id}/apply", data={"csrf_token": token})
    assert response.headers["Location"].endswith("/admin/imports")
    for thread in directory.extensions.pop("locator.import_threads", []):
        thread.join(timeout=60)
    page = text(admin_client.get("/admin/imports"))
    assert "applied" in page
    db.session.execute(sa.delete(AuditEntry).where(AuditEntry.action == "import"))
    db.session.commit()


def test_rejected_rows_download(admin_client, importing, synchronous):
    upload(admin_client, "locator.csv", (FIXTURES / "locator.csv").read_bytes())
    run = db.session.scalar(sa.select(ImportRun).order_by(ImportRun.id.desc()))
    if run.rejected:
        csv_file = admin_client.get(f"/admin/imports/{run.id}/rejected.csv")
        assert csv_file.status_code == 200 and csv_file.mimetype == "text/csv"
        assert "line,problem,reason" in text(csv_file)
    else:
        assert admin_client.get(f"/admin/imports/{run.id}/rejected.csv").status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.csv", b"", "The file is empty."),
        ("binary.csv", bytes(range(256)) * 40, "This file is not a CSV, XLSX, JSON or HSDS zip."),
        ("columns.csv", b"city,zip\nAustin,78701\n", "name1"),
    ],
)
def test_bad_files_are_refused_with_a_clear_message(
    admin_client, importing, name, content, message
):
    before = db.session.scalar(sa.select(sa.func.count()).select_from(Center))
    response = upload(admin_client, name, content)
    assert response.status_code == 400
    assert message in text(response)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Center)) == before


def test_no_file_chosen(admin_client):
    token = csrf_token(admin_client, "/admin/imports")
    response = admin_client.post("/admin/imports", data={"csrf_token": token})
    assert response.status_code == 400 and "Choose a file" in text(response)


def test_upload_over_the_limit_is_413_with_a_clear_page(admin_client, directory):
    # A small limit keeps the test client's body in memory (no spooled temporary file).
    directory.config["MAX_CONTENT_LENGTH"] = 200 * 1024
    try:
        response = upload(admin_client, "big.csv", b"x" * (300 * 1024))
    finally:
        directory.config["MAX_CONTENT_LENGTH"] = 50 * 1024 * 1024
    assert response.status_code == 413 and "the limit is 0.2 MB" in text(response)


def test_apply_without_a_preview_is_refused(admin_client):
    token = csrf_token(admin_client, "/admin/imports")
    response = admin_client.post("/admin/imports/999999/apply", data={"csrf_token": token})
    assert response.status_code == 302
    assert "expired" in text(admin_client.get("/admin/imports"))


def test_imports_need_a_signed_in_admin(client):
    assert client.get("/admin/imports").status_code == 302
    assert client.post("/admin/imports").status_code in (302, 400)
