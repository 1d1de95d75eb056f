"""Exports from the admin area: the whole directory or a search, as CSV or HSDS, streamed."""

import csv
import io
import zipfile

import sqlalchemy as sa

from locator.extensions import db
from locator.models import Center


def _rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


def test_the_whole_directory_as_csv_is_streamed(admin_client, app_ctx):
    response = admin_client.get("/admin/export/centers.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.is_streamed
    assert response.headers["Content-Disposition"].startswith('attachment; filename="centers-')
    rows = _rows(response)
    assert rows[0][:3] == ["source", "source_id", "name1"]
    assert len(rows) - 1 == db.session.scalar(sa.select(sa.func.count()).select_from(Center))


def test_a_search_exports_only_what_it_finds(admin_client, app_ctx):
    texas = db.session.scalar(
        sa.select(sa.func.count()).select_from(Center).where(Center.state == "TX")
    )
    rows = _rows(admin_client.get("/admin/export/centers.csv?state=TX"))
    assert len(rows) - 1 == texas > 0
    assert {row[rows[0].index("state")] for row in rows[1:]} == {"TX"}
    page = admin_client.get("/admin/centers?state=TX&page=1").get_data(as_text=True)
    assert "/admin/export/centers.csv?state=TX" in page  # the page offers it, without `page`


def test_formulas_are_neutralised_in_the_csv(admin_client, app_ctx):
    center_id, before = db.session.execute(
        sa.select(Center.id, Center.name2).order_by(Center.id).limit(1)
    ).one()
    that_center = sa.update(Center).where(Center.id == center_id)
    db.session.execute(that_center.values(name2="=HYPERLINK(1)"))
    db.session.commit()
    try:
        rows = _rows(admin_client.get("/admin/export/centers.csv"))
        name2 = rows[0].index("name2")
        assert "'=HYPERLINK(1)" in {row[name2] for row in rows[1:]}
        assert not any(cell.startswith("=") for row in rows for cell in row)
    finally:  # by statement: the export detaches the session's objects as it streams
        db.session.execute(that_center.values(name2=before))
        db.session.commit()


def test_the_hsds_package_is_a_zip_of_its_tables(admin_client, app_ctx):
    response = admin_client.get("/admin/export/centers-hsds.zip?state=TX")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.get_data()))
    assert "datapackage.json" in archive.namelist()
    organizations = archive.read("organizations.csv").decode().splitlines()
    texas = db.session.scalar(
        sa.select(sa.func.count()).select_from(Center).where(Center.state == "TX")
    )
    assert len(organizations) - 1 == texas


def test_bad_filters_are_a_400_and_exports_need_an_admin(admin_client, client):
    assert admin_client.get("/admin/export/centers.csv?published=maybe").status_code == 400
    assert client.get("/admin/export/centers.csv").status_code == 302
