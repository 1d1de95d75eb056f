"""The listings table, the dashboard and the audit log, as a signed-in admin sees them."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from locator.admin.audit import changed_fields, record_audit
from locator.extensions import db
from locator.models import AdminUser, AuditEntry, Center
from tests.helpers.forms import text


def rows(page: str) -> list[str]:
    """The names in the listings table, in order."""
    return re.findall(r'<th scope="row"><a href="/admin/centers/\d+/edit">([^<]+)</a>', page)


def count(**where) -> int:
    query = sa.select(sa.func.count()).select_from(Center)
    for column, value in where.items():
        query = query.where(getattr(Center, column) == value)
    return db.session.scalar(query)


def test_listings_table_has_columns_and_50_a_page(admin_client, directory):
    page = text(admin_client.get("/admin/centers"))
    for column in ("Name", "City, state", "Source", "Published", "Last verified"):
        assert f'<th scope="col">{column}</th>' in page
    names = rows(page)
    assert len(names) == 50
    assert [name.lower() for name in names] == sorted(name.lower() for name in names)
    with directory.app_context():
        total = count()
    assert f"{total} listings, A to Z. Page 1 of {-(-total // 50)}." in page
    second = text(admin_client.get("/admin/centers?page=2"))
    assert rows(second)[0] != names[0] and 'rel="prev" href="/admin/centers?page=1"' in second


def test_name_search_is_a_case_insensitive_substring(admin_client):
    page = text(admin_client.get("/admin/centers?q=LADY+bird"))
    assert rows(page) == ["Lady Bird Lake Detox (Test)"]
    assert "1 listing, A to Z." in page


def test_filters_combine(admin_client, directory):
    page = text(admin_client.get("/admin/centers?city=austin&state=TX&source=test&published=no"))
    assert rows(page) == ["Hidden Listing (Test)"]
    with directory.app_context():
        unpublished = count(published=False)
    assert f"{unpublished} listing" in text(admin_client.get("/admin/centers?published=no"))


def test_unplaced_and_not_recently_verified_filters(admin_client, directory):
    with directory.app_context():
        center = db.session.scalar(
            sa.select(Center).where(Center.source == "test", Center.source_id == "T2")
        )
        center_id, name, point = center.id, center.name1, (center.latitude, center.longitude)
        center.latitude = center.longitude = None
        center.last_verified = date.today() - timedelta(days=400)
        db.session.commit()
    try:
        unplaced = text(admin_client.get("/admin/centers?unplaced=y&source=test"))
        assert rows(unplaced) == [name] and "unplaced</span>" in unplaced
        stale = rows(text(admin_client.get("/admin/centers?stale=y&source=test")))
        assert stale == [name]
    finally:
        with directory.app_context():
            center = db.session.get(Center, center_id)
            center.latitude, center.longitude = point
            center.last_verified = date(2026, 6, 1)
            db.session.commit()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("state=ZZ", "Choose a state from the list."),
        ("source=nowhere", "Choose a source from the list."),
        ("published=maybe", "Choose from the list."),
    ],
)
def test_bad_filters_answer_400_with_the_reason(admin_client, query, message):
    response = admin_client.get(f"/admin/centers?{query}")
    assert response.status_code == 400 and message in text(response)


@pytest.mark.parametrize("path", ["/admin/centers", "/admin/audit", "/admin/contact-requests"])
@pytest.mark.parametrize("page", ["0", "abc", "-1", "99999999999"])
def test_bad_page_numbers_answer_400(admin_client, path, page):
    response = admin_client.get(f"{path}?page={page}")
    assert response.status_code == 400
    assert "The page must be a whole number" in text(response)


def test_dashboard_counts_what_needs_attention(admin_client, directory):
    page = text(admin_client.get("/admin/"))
    with directory.app_context():
        published, unpublished = count(published=True), count(published=False)
    assert f"<strong>{published}</strong> published" in page
    assert f"<strong>{unpublished}</strong> unpublished" in page
    assert "<strong>0</strong> unplaced" in page
    assert "not verified for over a year" in page
    for link in ("/admin/centers", "/admin/contact-requests", "/admin/audit"):
        assert f'href="{link}"' in page


@pytest.fixture
def many_entries(directory, admin_user):
    """60 audit entries by the test's admin (removed with the admin after the test)."""
    with directory.app_context():
        admin = db.session.get(AdminUser, admin_user.id)
        for n in range(60):
            record_audit(db.session, admin, "test.note", "test", n, f"Test note {n}")
            db.session.flush()
        db.session.commit()


def test_audit_log_lists_newest_first_50_a_page(admin_client, many_entries, admin_user):
    first = text(admin_client.get("/admin/audit"))
    notes = re.findall(r"Test note (\d+)", first)
    assert len(notes) == 50 and notes[:2] == ["59", "58"]
    assert first.count(admin_user.email) >= 50
    second = re.findall(r"Test note (\d+)", text(admin_client.get("/admin/audit?page=2")))
    assert second[-1] == "0" and len(second) == 10


def test_dashboard_shows_the_latest_audit_entries(admin_client, many_entries):
    page = text(admin_client.get("/admin/"))
    assert re.findall(r"Test note (\d+)", page) == [str(n) for n in range(59, 49, -1)]


def test_audit_entries_keep_only_changed_fields_as_json(app_ctx):
    before, after = changed_fields(
        {"name1": "A", "city": "X", "last_verified": "2024-01-01"},
        {"name1": "B", "city": "X", "last_verified": "2025-01-01"},
    )
    assert before == {"name1": "A", "last_verified": "2024-01-01"}
    assert after == {"name1": "B", "last_verified": "2025-01-01"}
    entry = record_audit(
        db.session,
        None,
        "test.cli",
        "center",
        7,
        "From the command line",
        {"last_verified": date(2024, 1, 1)},
        {"codes": {"B", "A"}},
    )
    db.session.flush()
    assert entry.admin_id is None and entry.admin_email == ""
    assert entry.before == {"last_verified": "2024-01-01"} and entry.after == {"codes": ["A", "B"]}
    assert (
        db.session.scalar(sa.select(AuditEntry.target_id).where(AuditEntry.id == entry.id)) == "7"
    )


def test_no_attribute_is_rendered_empty_or_as_none(admin_client, directory):
    with directory.app_context():
        center_id = db.session.scalar(sa.select(Center.id).where(Center.source_id == "T1"))
    paths = ["/admin/", "/admin/centers?state=ZZ", "/admin/audit", "/admin/contact-requests"]
    pages = [text(admin_client.get(path)) for path in [*paths, f"/admin/centers/{center_id}/edit"]]
    pages.append(text(directory.test_client().get("/admin/sign-in")))
    for page in pages:
        assert '="None"' not in page and 'aria-describedby=""' not in page
    assert 'aria-describedby="state-error" aria-invalid="true"' in pages[1]
