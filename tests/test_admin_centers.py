"""Editing listings in the admin area, and the public pages that follow at once."""

from __future__ import annotations

import re
from datetime import date

import pytest
import sqlalchemy as sa

from locator.extensions import db
from locator.models import AuditEntry, Center, Service
from locator.places import refresh_places
from locator.site_search import refresh_center_index
from tests.helpers.forms import csrf_token, post_form, text

SLUG = "scratch-listing-admin-test-scratchville-vt"


def _save_center(center: Center) -> int:
    db.session.add(center)
    db.session.flush()
    refresh_places(db.session)
    refresh_center_index(db.session, [center.id])
    db.session.commit()
    return center.id


@pytest.fixture
def listing(directory):
    """A published listing of its own in Scratchville, VT; deleted (with its audit) after."""
    with directory.app_context():
        services = db.session.scalars(sa.select(Service).where(Service.code.in_(["SA", "OP"])))
        center_id = _save_center(
            Center(
                slug=SLUG,
                name1="Scratch Listing (Admin Test)",
                street1="1 Main St",
                city="Scratchville",
                state="VT",
                zip="05602",
                phone="(802) 555-0150",
                website="https://scratch.example.org/",
                latitude=44.2601,
                longitude=-72.5754,
                source="admin-test",
                published=True,
                last_verified=date(2024, 1, 15),
                services=list(services),
            )
        )
    yield center_id
    with directory.app_context():
        db.session.execute(sa.delete(Center).where(Center.source == "admin-test"))
        db.session.flush()
        refresh_places(db.session)
        refresh_center_index(db.session, [center_id])
        db.session.execute(
            sa.delete(AuditEntry).where(
                AuditEntry.target_type == "center", AuditEntry.target_id == str(center_id)
            )
        )
        db.session.commit()


def load(directory, center_id: int) -> Center | None:
    with directory.app_context():
        center = db.session.get(Center, center_id)
        if center is not None:
            center.service_codes = sorted(s.code for s in center.services)
            db.session.expunge(center)
        return center


def audit_entries(directory, center_id: int) -> list[AuditEntry]:
    with directory.app_context():
        query = sa.select(AuditEntry).where(
            AuditEntry.target_type == "center", AuditEntry.target_id == str(center_id)
        )
        entries = list(db.session.scalars(query.order_by(AuditEntry.id)))
        db.session.expunge_all()
        return entries


def edit_fields(**changes) -> dict:
    """The edit form as the listing fixture fills it, with some fields changed."""
    fields = {
        "name1": "Scratch Listing (Admin Test)",
        "name2": "",
        "street1": "1 Main St",
        "street2": "",
        "city": "Scratchville",
        "state": "VT",
        "zip": "05602",
        "county": "",
        "phone": "(802) 555-0150",
        "intake1": "",
        "intake2": "",
        "hotline": "",
        "website": "https://scratch.example.org/",
        "latitude": "44.2601",
        "longitude": "-72.5754",
        "facility_type": "substance_use",
        "published": "y",
        "last_verified": "2024-01-15",
        "services": ["SA", "OP"],
    }
    fields.update(changes)
    return {key: value for key, value in fields.items() if value is not None}


def save_edit(client, center_id: int, **changes):
    path = f"/admin/centers/{center_id}/edit"
    return post_form(client, path, path, **edit_fields(**changes))


def test_edit_page_shows_every_field_with_labels(admin_client, listing):
    page = text(admin_client.get(f"/admin/centers/{listing}/edit"))
    for label in ("Name", "Street address", "ZIP code", "Main phone", "Hotline", "Latitude"):
        assert f">{label}</label>" in page
    assert 'value="Scratch Listing (Admin Test)"' in page
    assert '<option selected value="VT">Vermont (VT)</option>' in page
    assert page.count("<option value=") + page.count("<option selected") >= 52 + 3
    assert 'name="services" value="OP" checked' in page
    assert "Medications for opioid use disorder" in page  # services grouped by category


def test_rename_and_move_shows_on_public_pages_at_once(admin_client, client, listing, directory):
    assert "Scratchville" in text(client.get("/rehab/vermont"))
    response = save_edit(
        admin_client, listing, name1="Renamed Listing (Admin Test)", city="Testburg"
    )
    assert response.status_code == 303
    assert "Changes saved." in text(admin_client.get(response.headers["Location"]))
    public = text(client.get(f"/centers/{SLUG}"))
    assert "Renamed Listing (Admin Test)" in public and "Scratch Listing" not in public
    state_page = text(client.get("/rehab/vermont"))
    assert 'Testburg</a> <span class="count">1</span>' in state_page
    assert "Scratchville" not in state_page
    [entry] = audit_entries(directory, listing)
    assert entry.action == "center.edit"
    assert entry.before == {"name1": "Scratch Listing (Admin Test)", "city": "Scratchville"}
    assert entry.after == {"name1": "Renamed Listing (Admin Test)", "city": "Testburg"}


def test_services_and_coordinates_are_saved(admin_client, listing, directory):
    response = save_edit(
        admin_client, listing, services=["SA", "DT", "BU"], latitude="44.3", longitude="-72.6"
    )
    assert response.status_code == 303
    center = load(directory, listing)
    assert center.service_codes == ["BU", "DT", "SA"]
    assert (center.latitude, center.longitude) == (44.3, -72.6)
    [entry] = audit_entries(directory, listing)
    assert entry.before["services"] == ["OP", "SA"] and entry.after["services"] == [
        "BU",
        "DT",
        "SA",
    ]
    assert entry.after["latitude"] == 44.3


def test_saving_unchanged_values_writes_no_audit_entry(admin_client, listing, directory):
    response = save_edit(admin_client, listing)
    assert "Nothing was changed." in text(admin_client.get(response.headers["Location"]))
    assert audit_entries(directory, listing) == []


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"state": "ZZ"}, "state", "Choose a state, DC or Puerto Rico from the list."),
        ({"latitude": "999"}, "latitude", "Enter the latitude as a number from -90 to 90"),
        ({"latitude": "nan"}, "latitude", "Enter the latitude as a number from -90 to 90"),
        ({"longitude": "-181"}, "longitude", "Enter the longitude as a number from -180 to 180"),
        ({"website": "javascript:alert(1)"}, "website", "starts with https:// or http://"),
        ({"website": "ftp://files.example.org/"}, "website", "starts with https:// or http://"),
        ({"website": "http://["}, "website", "starts with https:// or http://"),
        ({"website": "https://[::1"}, "website", "starts with https:// or http://"),
        ({"zip": "1234"}, "zip", "Enter a 5-digit ZIP code"),
        ({"zip": "７８７０１"}, "zip", "Enter a 5-digit ZIP code"),
        ({"phone": "12"}, "phone", "Enter a US phone number"),
        ({"name1": ""}, "name1", "Enter the center&#39;s name."),
        ({"street2": "n" * 301}, "street2", "Keep this to 300 characters."),
        ({"city": "c" * 121}, "city", "Keep this to 120 characters."),
        ({"hotline": "5" * 41}, "hotline", "Keep this to 40 characters."),
        ({"last_verified": "2026-13-01"}, "last_verified", "Enter the date as YYYY-MM-DD"),
        ({"last_verified": "2999-01-01"}, "last_verified", "can&#39;t be in the future"),
        ({"facility_type": "spa"}, "facility_type", "Choose a facility type"),
        ({"services": ["SA", "NOPE"]}, "services", "Choose services from the list."),
        ({"longitude": ""}, "longitude", "Give both latitude and longitude, or neither."),
        (
            {"latitude": "", "longitude": ""},
            "published",
            "without coordinates can&#39;t be published",
        ),
    ],
)
def test_invalid_values_are_refused_and_nothing_changes(
    admin_client, listing, directory, changes, field, message
):
    before = load(directory, listing)
    response = save_edit(admin_client, listing, name2="Should not be saved", **changes)
    assert response.status_code == 400
    page = text(response)
    assert message in page
    assert f'id="{field}-error"' in page
    assert re.search(rf'aria-describedby="[^"]*\b{field}-error\b', page)
    assert "Nothing was saved" in page
    after = load(directory, listing)
    assert (after.name2, after.state, after.latitude, after.website) == (
        before.name2,
        before.state,
        before.latitude,
        before.website,
    )
    assert audit_entries(directory, listing) == []


def test_unpublish_removes_the_listing_from_public_pages(admin_client, client, listing, directory):
    near = "/search?location=44.2601,-72.5754&radius=5"
    assert "Scratch Listing (Admin Test)" in text(client.get(near))
    path = f"/admin/centers/{listing}/unpublish"
    response = post_form(admin_client, path, f"/admin/centers/{listing}/edit", reason="Closed")
    assert response.status_code == 303
    assert client.get(f"/centers/{SLUG}").status_code == 404
    assert "Scratch Listing (Admin Test)" not in text(client.get(near))
    assert "Scratchville" not in text(client.get("/rehab/vermont"))
    [entry] = audit_entries(directory, listing)
    assert entry.action == "center.unpublish" and "Closed" in entry.summary
    assert entry.before == {"published": True, "unpublished_reason": ""}
    assert entry.after == {"published": False, "unpublished_reason": "Closed"}


def test_unpublish_needs_a_reason(admin_client, listing, directory):
    path = f"/admin/centers/{listing}/unpublish"
    response = post_form(admin_client, path, f"/admin/centers/{listing}/edit", reason="  ")
    assert response.status_code == 400
    assert "Say why the listing is unpublished" in text(response)
    assert load(directory, listing).published is True


def test_publish_shows_the_listing_again(admin_client, client, listing, directory):
    edit = f"/admin/centers/{listing}/edit"
    post_form(admin_client, f"/admin/centers/{listing}/unpublish", edit, reason="Checking")
    response = post_form(admin_client, f"/admin/centers/{listing}/publish", edit)
    assert response.status_code == 303
    assert client.get(f"/centers/{SLUG}").status_code == 200
    entries = audit_entries(directory, listing)
    assert [e.action for e in entries] == ["center.unpublish", "center.publish"]
    assert entries[1].before == {"published": False, "unpublished_reason": "Checking"}
    assert entries[1].after == {"published": True, "unpublished_reason": ""}


def test_publishing_an_unplaced_listing_is_refused(admin_client, listing, directory):
    save_edit(admin_client, listing, latitude="", longitude="", published=None)
    response = post_form(
        admin_client, f"/admin/centers/{listing}/publish", f"/admin/centers/{listing}/edit"
    )
    assert response.status_code == 409
    assert "This listing has no coordinates" in text(response)
    assert load(directory, listing).published is False
    assert [e.action for e in audit_entries(directory, listing)] == ["center.edit"]


def test_mark_verified_today(admin_client, admin_user, listing, directory):
    edit = f"/admin/centers/{listing}/edit"
    response = post_form(admin_client, f"/admin/centers/{listing}/verify", edit)
    assert response.status_code == 303
    center = load(directory, listing)
    today = center.last_verified
    assert today == date.today() and center.verified_by == admin_user.email
    [entry] = audit_entries(directory, listing)
    assert entry.action == "center.verify"
    assert entry.before == {"last_verified": "2024-01-15", "verified_by": ""}
    assert entry.after == {"last_verified": today.isoformat(), "verified_by": admin_user.email}


def test_delete_asks_first_then_removes_the_listing(admin_client, client, listing, directory):
    path = f"/admin/centers/{listing}/delete"
    confirm = admin_client.get(path)
    assert confirm.status_code == 200 and "Delete Scratch Listing (Admin Test)?" in text(confirm)
    assert load(directory, listing) is not None
    response = post_form(admin_client, path, path)
    assert response.status_code == 303 and response.headers["Location"] == "/admin/centers"
    assert load(directory, listing) is None
    assert client.get(f"/centers/{SLUG}").status_code == 404
    assert "Scratchville" not in text(client.get("/rehab/vermont"))
    [entry] = audit_entries(directory, listing)
    assert entry.action == "center.delete" and entry.after is None
    assert entry.before["name1"] == "Scratch Listing (Admin Test)"
    assert entry.before["services"] == ["OP", "SA"]


def test_actions_on_a_missing_listing_answer_404(admin_client):
    assert admin_client.get("/admin/centers/999999/edit").status_code == 404
    token = csrf_token(admin_client, "/admin/")
    for action in ("publish", "verify", "delete"):
        response = admin_client.post(f"/admin/centers/999999/{action}", data={"csrf_token": token})
        assert response.status_code == 404


def test_a_facility_type_from_an_import_stays_choosable(admin_client, listing, directory):
    with directory.app_context():
        db.session.get(Center, listing).facility_type = "opioid_program"
        db.session.commit()
    assert '<option selected value="opioid_program">' in text(
        admin_client.get(f"/admin/centers/{listing}/edit")
    )
    response = save_edit(admin_client, listing, facility_type="opioid_program", name2="Annex")
    assert response.status_code == 303
    assert load(directory, listing).name2 == "Annex"
