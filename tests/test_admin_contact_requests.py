"""Contact requests: shown to signed-in admins alone, handled and deleted without leaking."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import sqlalchemy as sa

from locator.extensions import db
from locator.models import AuditEntry, ContactRequest, utcnow
from tests.helpers.forms import csrf_token, post_form, text

OLDER = {
    "name": "Robin Older",
    "phone": "(512) 555-0177",
    "email": "robin.older@example.org",
    "best_time": "morning",
    "for_whom": "me",
    "message": "Looking for outpatient care.",
}
NEWER = {
    "name": "Sam Newer",
    "phone": "",
    "email": "sam.newer@example.org",
    "best_time": "evening",
    "for_whom": "someone",
    "message": "My sister needs detox.",
}
PERSONAL = (
    "Robin Older",
    "555-0177",
    "robin.older@example.org",
    "Sam Newer",
    "sam.newer@example.org",
)


@pytest.fixture
def requests_stored(directory):
    """Two stored requests (the newer one second); removed after the test."""
    now = utcnow()
    with directory.app_context():
        older = ContactRequest(created_at=now - timedelta(hours=2), consent=True, **OLDER)
        newer = ContactRequest(created_at=now - timedelta(minutes=5), consent=True, **NEWER)
        db.session.add_all([older, newer])
        db.session.commit()
        ids = (older.id, newer.id)
    yield ids
    with directory.app_context():
        db.session.execute(sa.delete(ContactRequest).where(ContactRequest.id.in_(ids)))
        db.session.commit()


def audit_for(directory, request_id: int) -> list[AuditEntry]:
    with directory.app_context():
        query = sa.select(AuditEntry).where(
            AuditEntry.target_type == "contact_request", AuditEntry.target_id == str(request_id)
        )
        entries = list(db.session.scalars(query))
        db.session.expunge_all()
        return entries


def assert_no_personal_details(entry: AuditEntry) -> None:
    stored = json.dumps([entry.summary, entry.before, entry.after])
    for detail in PERSONAL:
        assert detail not in stored


def test_admins_see_requests_newest_first(admin_client, requests_stored):
    page = text(admin_client.get("/admin/contact-requests"))
    assert page.index("Sam Newer") < page.index("Robin Older")
    assert 'href="tel:+15125550177"' in page and 'href="mailto:sam.newer@example.org"' in page
    assert "Someone I care about" in page and "Evening" in page and "My sister needs detox." in page
    assert '<th scope="col">How to reach</th>' in page


def test_nobody_else_sees_them(directory, client, requests_stored):
    response = client.get("/admin/contact-requests")
    assert response.status_code == 302 and "Robin Older" not in text(response)
    as_json = client.get("/admin/contact-requests", headers={"Accept": "application/json"})
    assert as_json.status_code == 401 and "Robin" not in text(as_json)


def test_details_appear_on_no_other_admin_page(admin_client, requests_stored):
    for path in ("/admin/", "/admin/audit", "/admin/centers", "/admin/api/summary"):
        page = text(admin_client.get(path))
        assert not any(detail in page for detail in PERSONAL), path


def test_mark_handled_is_audited_by_number_only(admin_client, directory, requests_stored):
    older_id, _ = requests_stored
    path = f"/admin/contact-requests/{older_id}/handled"
    response = post_form(admin_client, path, "/admin/contact-requests")
    assert response.status_code == 303
    assert f"Request {older_id} marked handled." in text(
        admin_client.get(response.headers["Location"])
    )
    with directory.app_context():
        stored = db.session.get(ContactRequest, older_id)
        assert stored.handled and stored.handled_at is not None
    [entry] = audit_for(directory, older_id)
    assert entry.action == "contact_request.handled" and entry.after == {"handled": True}
    assert_no_personal_details(entry)


def test_delete_asks_first_and_keeps_no_details(admin_client, directory, requests_stored):
    _, newer_id = requests_stored
    path = f"/admin/contact-requests/{newer_id}/delete"
    confirm = admin_client.get(path)
    assert confirm.status_code == 200 and f"Delete contact request {newer_id}?" in text(confirm)
    response = post_form(admin_client, path, path)
    assert response.status_code == 303
    with directory.app_context():
        assert db.session.get(ContactRequest, newer_id) is None
    [entry] = audit_for(directory, newer_id)
    assert entry.action == "contact_request.delete" and entry.before is None
    assert_no_personal_details(entry)
    assert "Sam Newer" not in text(admin_client.get("/admin/contact-requests"))


def test_actions_need_the_form_token(admin_client, directory, requests_stored):
    older_id, _ = requests_stored
    assert admin_client.post(f"/admin/contact-requests/{older_id}/handled").status_code == 400
    assert admin_client.post(f"/admin/contact-requests/{older_id}/delete").status_code == 400
    with directory.app_context():
        assert db.session.get(ContactRequest, older_id).handled is False


def test_a_missing_request_answers_404(admin_client):
    token = csrf_token(admin_client, "/admin/contact-requests")
    response = admin_client.post(
        "/admin/contact-requests/999999/handled", data={"csrf_token": token}
    )
    assert response.status_code == 404
