"""Importing from the admin area: upload, preview job, review by name, apply job with the
preview's token, and the bad files people send."""

import io

import pytest
import sqlalchemy as sa

from locator.extensions import db
from locator.jobs import wait_for_jobs
from locator.jobs.imports import STALE_PREVIEW
from locator.models import AuditEntry, Center
from tests.helpers.admin_imports import PREVIEW_TOKEN, apply_preview, latest_run, upload
from tests.helpers.forms import csrf_token, text
from tests.helpers.importing import FIXTURES, imports_cleaned_up


@pytest.fixture
def importing(directory):
    with directory.app_context():
        yield from imports_cleaned_up()
        db.session.execute(sa.delete(AuditEntry).where(AuditEntry.action == "import"))
        db.session.commit()


def test_preview_lists_new_centers_by_name_then_apply_then_reimport(
    admin_client, importing, synchronous
):
    content = (FIXTURES / "locator.csv").read_bytes()
    preview = upload(admin_client, "locator.csv", content)
    assert preview.status_code == 303
    page = text(admin_client.get(preview.headers["Location"]))
    assert "preview: nothing written" in page
    assert "FindTreatment.gov facility download" in page  # the format it recognised
    assert "Lakeside Detox (Test)" in page  # new centers are listed by name
    assert (
        db.session.scalar(sa.select(Center).where(Center.name1 == "Lakeside Detox (Test)")) is None
    )

    applied = apply_preview(admin_client, latest_run().id)
    assert applied.status_code == 303
    run = latest_run()
    assert (run.status, run.dry_run) == ("applied", False)
    center = db.session.scalar(sa.select(Center).where(Center.name1 == "Lakeside Detox (Test)"))
    assert center is not None and center.published
    audit = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "import"))
    assert audit is not None and "locator.csv" in audit.summary
    assert "Lakeside Detox (Test)" in text(admin_client.get(f"/centers/{center.slug}"))
    again = upload(admin_client, "locator.csv", content)
    assert '<th scope="row">New</th><td>0</td>' in text(admin_client.get(again.headers["Location"]))


def test_a_changed_center_shows_its_fields_before_and_after(admin_client, importing, synchronous):
    content = (FIXTURES / "own.csv").read_bytes()
    apply_preview(admin_client, upload(admin_client, "own.csv", content) and latest_run().id)
    changed = content.replace(b"(512) 555-0170", b"(512) 555-0199")
    upload(admin_client, "own-changed.csv", changed)
    page = text(admin_client.get(f"/admin/imports/{latest_run().id}?kind=changed"))
    assert "Changed (1)" in page and "Juniper Path Clinic (Test)" in page
    assert "<del>(512) 555-0170</del> → <ins>(512) 555-0199</ins>" in page
    filtered = text(admin_client.get(f"/admin/imports/{latest_run().id}?kind=changed&q=wren"))
    assert "Juniper Path Clinic" not in filtered and "None that match" in filtered


def test_apply_needs_the_previews_token(admin_client, importing, synchronous):
    upload(admin_client, "own.csv", (FIXTURES / "own.csv").read_bytes())
    run_id = latest_run().id
    refused = apply_preview(admin_client, run_id, token="0" * 32)
    assert refused.status_code == 303
    assert "expired" in text(admin_client.get(refused.headers["Location"]))
    assert latest_run().id == run_id  # no apply was started


def test_apply_is_refused_when_the_directory_changed_since_the_preview(
    admin_client, importing, synchronous
):
    upload(admin_client, "own.csv", (FIXTURES / "own.csv").read_bytes())
    run_id = latest_run().id
    page = text(admin_client.get(f"/admin/imports/{run_id}"))
    some = db.session.scalars(sa.select(Center).order_by(Center.id)).first()
    before = some.phone
    some.phone = "(512) 555-0188"  # an admin edits a listing meanwhile
    db.session.commit()
    try:
        data = {"csrf_token": csrf_token(admin_client, "/admin/imports"),
                "preview_token": PREVIEW_TOKEN.search(page).group(1)}  # fmt: skip
        refused = admin_client.post(f"/admin/imports/{run_id}/apply", data=data)
        assert STALE_PREVIEW in text(admin_client.get(refused.headers["Location"]))
        assert latest_run().id == run_id
    finally:
        some.phone = before
        db.session.commit()


def test_apply_in_the_background_shows_progress_then_the_result(
    admin_client, importing, directory, background_jobs
):
    preview = upload(admin_client, "own.csv", (FIXTURES / "own.csv").read_bytes())
    wait_for_jobs(directory)
    page = text(admin_client.get(preview.headers["Location"]))
    assert "Juniper Path Clinic (Test)" in page
    response = apply_preview(admin_client, latest_run().id)
    assert response.status_code == 303
    wait_for_jobs(directory)
    page = text(admin_client.get(response.headers["Location"]))
    assert "What the import did" in page and "applied" in page
    imports_page = text(admin_client.get("/admin/imports"))
    applied, _, previews = imports_page.partition("Latest previews")
    assert applied.count("<td>own.csv</td>") == 1  # the apply; its preview is listed apart
    assert previews.count("<td>own.csv</td>") == 1


def test_rejected_rows_download_neutralises_formulas_in_the_header_too(
    admin_client, importing, synchronous
):
    content = b"name1,state,city,=cmd()\n=HYPERLINK(1),ZZ,Austin,x\nGood Place,TX,Austin,y\n"
    upload(admin_client, "bad.csv", content, format="own_csv")
    run = latest_run()
    if not run.rejected:
        pytest.skip(f"this file was not rejected: {run.error or run.counts}")
    csv_file = text(admin_client.get(f"/admin/imports/{run.id}/rejected.csv"))
    header = csv_file.splitlines()[0]
    assert header.startswith("line,problem,reason") and ",'=cmd()" in header
    assert ",=" not in csv_file


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


def test_hsds_as_separate_files_with_its_datapackage(admin_client, importing, synchronous):
    folder = FIXTURES / "hsds"
    token = csrf_token(admin_client, "/admin/imports")
    files = [(io.BytesIO(p.read_bytes()), p.name) for p in sorted(folder.iterdir()) if p.is_file()]
    response = admin_client.post("/admin/imports", data={"csrf_token": token, "files": files},
                                 content_type="multipart/form-data")  # fmt: skip
    assert response.status_code == 303, text(response)
    run = latest_run()
    assert (run.status, run.format) == ("previewed", "hsds"), run.error
    assert "Open Referral HSDS 3.0 data package" in text(
        admin_client.get(f"/admin/imports/{run.id}")
    )


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


def test_apply_of_an_unknown_run_is_404(admin_client):
    token = csrf_token(admin_client, "/admin/imports")
    response = admin_client.post("/admin/imports/999999/apply", data={"csrf_token": token})
    assert response.status_code == 404


def test_imports_need_a_signed_in_admin(client):
    assert client.get("/admin/imports").status_code == 302
    assert client.get("/admin/imports/1/progress.json").status_code in (302, 401)
    assert client.post("/admin/imports").status_code in (302, 400)


def test_many_long_file_names_stay_out_of_the_session_cookie(admin_client, importing, synchronous):
    """Issue 14: the names of many uploads once overflowed the cookie and signed the admin out."""
    content = (FIXTURES / "locator.csv").read_bytes()
    token = csrf_token(admin_client, "/admin/imports")
    names = [f"{'listings-of-the-county-health-department-' * 4}{n:03}.csv" for n in range(60)]
    files = [(io.BytesIO(content), name) for name in names]
    response = admin_client.post(
        "/admin/imports",
        data={"csrf_token": token, "files": files},
        content_type="multipart/form-data",
    )
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    cookies = [h for h in response.headers.getlist("Set-Cookie") if h.startswith("session=")]
    assert all(len(cookie) < 4096 for cookie in cookies)  # what browsers keep
    assert admin_client.get("/admin/").status_code == 200  # still signed in
    run = latest_run()
    assert run.file_name.startswith(names[0])  # the names live in the run instead
