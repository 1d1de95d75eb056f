"""'Report a problem with this listing', the admins' queue, and freshness people can see."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from locator.extensions import db, limiter
from locator.inbox.listing_reports import months_ago
from locator.models import AuditEntry, Center, ListingReport, utcnow
from locator.places import refresh_places
from locator.site_search import refresh_center_index
from tests.helpers.forms import csrf_token, post_form, text

SLUG = "report-scratch-clinic-test-scratchville-vt"
PAGE = f"/centers/{SLUG}"
FORM = f"{PAGE}/report"


@pytest.fixture(autouse=True)
def fresh_limits():
    """Each test starts with no sendings counted."""
    limiter.reset()
    yield
    limiter.reset()


def _scratch(slug: str, name: str, source_id: str, **fields) -> Center:
    return Center(
        slug=slug,
        name1=name,
        street1="1 Main St",
        city="Scratchville",
        state="VT",
        zip="05602",
        phone="(802) 555-0150",
        latitude=44.2601,
        longitude=-72.5754,
        placement="zip",
        source="report-test",
        source_id=source_id,
        published=True,
        **fields,
    )


@pytest.fixture
def listing(directory):
    """A published listing of its own, and a second one; both removed (with audit) after."""
    with directory.app_context():
        first = _scratch(SLUG, "Report Scratch Clinic (Test)", "R1")
        second = _scratch(
            "report-other-clinic-test-scratchville-vt", "Report Other Clinic (Test)", "R2"
        )
        db.session.add_all([first, second])
        db.session.flush()
        ids = [first.id, second.id]
        refresh_places(db.session)
        refresh_center_index(db.session, ids)
        db.session.commit()
    yield ids[0]
    with directory.app_context():
        db.session.execute(sa.delete(ListingReport).where(ListingReport.center_id.in_(ids)))
        db.session.execute(sa.delete(Center).where(Center.source == "report-test"))
        db.session.flush()
        refresh_places(db.session)
        refresh_center_index(db.session, ids)
        db.session.execute(
            sa.delete(AuditEntry).where(
                AuditEntry.target_type == "center", AuditEntry.target_id.in_([str(i) for i in ids])
            )
        )
        db.session.commit()


def other_id(directory) -> int:
    with directory.app_context():
        return db.session.scalar(sa.select(Center.id).where(Center.source_id == "R2"))


def send(client, path: str = FORM, **fields):
    data = {"kind": "wrong_phone", "note": "", "email": "", "website": "", **fields}
    data["csrf_token"] = csrf_token(client, path)
    return client.post(path, data={k: v for k, v in data.items() if v is not None})


def reports_of(directory, center_id: int) -> list[ListingReport]:
    with directory.app_context():
        query = sa.select(ListingReport).where(ListingReport.center_id == center_id)
        found = list(db.session.scalars(query.order_by(ListingReport.id)))
        for report in found:
            db.session.expunge(report)
        return found


def reported_on(directory, center_id: int) -> date | None:
    with directory.app_context():
        return db.session.get(Center, center_id).reported_on


def test_every_center_page_links_to_the_form(client, listing):
    page = text(client.get(PAGE))
    assert f'href="{FORM}"' in page and "Report a problem with this listing" in page
    form = text(client.get(FORM))
    for label in ("The program has closed", "The phone number is wrong", "The address is wrong",
                  "The services have changed", "Something else"):  # fmt: skip
        assert label in form
    assert 'name="csrf_token"' in form and 'class="contact-trap"' in form
    assert "You don't need to give your name." in form and 'name="name"' not in form
    assert client.get("/centers/no-such-center/report").status_code == 404


def test_a_report_is_stored_and_the_reporter_is_told_what_happens_next(client, listing, directory):
    before = reports_of(directory, listing)
    response = send(client, kind="closed", note="Nobody answers; the door is locked.",
                    email=" reader@example.org ")  # fmt: skip
    assert response.status_code == 303 and response.headers["Location"] == f"{FORM}/sent"
    sent = text(client.get(f"{FORM}/sent"))
    assert "What happens next" in sent and "calls the program" in sent
    assert "erased when the report is dealt with" in sent
    [report] = reports_of(directory, listing)[len(before) :]
    assert (report.kind, report.note, report.email, report.status) == (
        "closed", "Nobody answers; the door is locked.", "reader@example.org", "open",
    )  # fmt: skip
    today = utcnow().date()
    assert reported_on(directory, listing) == today
    notice = f"A visitor reported a possible change on {today.strftime('%B %-d, %Y')}; call ahead."
    assert notice in text(client.get(PAGE))
    results = text(client.get("/search?location=05602&radius=5"))
    card = results[results.index("Report Scratch Clinic (Test)") :][:1500]
    assert notice in card
    other = results[results.index("Report Other Clinic (Test)") :][:1500]
    assert "A visitor reported" not in other


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"kind": None}, "Choose what is wrong with the listing."),
        ({"kind": "haunted"}, "Choose what is wrong with the listing."),
        ({"email": "not-an-address"}, "Enter an email address like name@example.com"),
        ({"note": "x" * 1001}, "Keep the note to 1,000 characters."),
    ],
)
def test_bad_input_is_sent_back_with_a_message_and_nothing_stored(
    client, listing, directory, fields, message
):
    response = send(client, **fields)
    assert response.status_code == 400 and message in text(response)
    assert reports_of(directory, listing) == []
    if "note" in fields:
        assert "x" * 1001 in text(response)  # what was typed is not lost


def test_a_bot_filling_the_honeypot_is_answered_like_a_person_but_nothing_is_kept(
    client, listing, directory
):
    response = send(client, website="https://spam.example/")
    assert response.status_code == 303 and response.headers["Location"] == f"{FORM}/sent"
    assert reports_of(directory, listing) == []


def test_a_report_without_its_form_token_is_refused(client, listing, directory):
    response = client.post(FORM, data={"kind": "closed"})
    assert response.status_code == 400 and "expired" in text(response)
    assert reports_of(directory, listing) == []


def test_too_many_reports_from_one_address_get_429(client, listing, directory, monkeypatch):
    monkeypatch.setitem(directory.config, "LOCATOR_REPORT_RATE_LIMIT", "2 per hour")
    assert [send(client, kind=None).status_code for _ in range(3)] == [400, 400, 400]
    assert [send(client).status_code for _ in range(3)] == [303, 303, 429]
    assert len(reports_of(directory, listing)) == 2
    other = directory.test_client()
    other.environ_base["REMOTE_ADDR"] = "198.51.100.9"
    assert send(other).status_code == 303  # per client address
    assert client.get(FORM).status_code == 200  # reading the form is never limited


def _seed_reports(directory, listing: int) -> dict[str, int]:
    """Two reports on the listing (older, newer) and one on the other listing, newest of all."""
    now = utcnow()
    with directory.app_context():
        rows = {
            "old": ListingReport(center_id=listing, kind="wrong_phone", email="a@example.org",
                                 created_at=now - timedelta(days=3)),
            "new": ListingReport(center_id=listing, kind="closed", note="Closed in May",
                                 created_at=now - timedelta(days=1)),
            "other": ListingReport(center_id=other_id(directory), kind="other",
                                   created_at=now - timedelta(hours=1)),
        }  # fmt: skip
        db.session.add_all(rows.values())
        db.session.flush()
        for center_id in (listing, other_id(directory)):
            db.session.get(Center, center_id).reported_on = now.date()
        db.session.commit()
        return {name: row.id for name, row in rows.items()}


@pytest.mark.parametrize("admin_user", ["owner", "editor"], indirect=True)
def test_the_queue_groups_reports_by_center_newest_first(admin_client, listing, directory):
    _seed_reports(directory, listing)
    for path in ("/admin/", "/admin/reports"):
        page = text(admin_client.get(path))
        assert page.index("Report Other Clinic (Test)") < page.index("Report Scratch Clinic (Test)")
    queue = text(admin_client.get("/admin/reports"))
    group = queue[queue.index(f'id="center-{listing}"') :]
    assert group.index("The program has closed") < group.index("The phone number is wrong")
    assert "a@example.org" in group and "Closed in May" in group
    assert "3 open reports" in text(admin_client.get("/admin/"))
    edit = text(admin_client.get(f"/admin/centers/{listing}/edit"))
    assert f'href="/admin/reports#center-{listing}">read the open reports' in edit


def test_reports_are_for_admins_only(client, listing, directory):
    _seed_reports(directory, listing)
    response = client.get("/admin/reports")
    assert response.status_code == 302 and "/admin/sign-in" in response.headers["Location"]
    assert "a@example.org" not in text(client.get(PAGE))


@pytest.mark.parametrize("admin_user", ["editor"], indirect=True)
def test_dismissing_closes_the_ticked_reports_erases_emails_and_is_audited(
    admin_client, admin_user, listing, directory
):
    ids = _seed_reports(directory, listing)
    path = f"/admin/reports/{listing}/resolve"
    missing = post_form(admin_client, path, "/admin/reports", resolution="dismissed")
    assert missing.status_code == 400 and "Tick the reports this answers." in text(missing)
    response = post_form(
        admin_client, path, "/admin/reports", resolution="dismissed", reports=[str(ids["old"])]
    )
    assert response.status_code == 303
    old, new = reports_of(directory, listing)
    assert (old.status, old.resolution, old.email, old.resolved_by) == (
        "resolved", "dismissed", "", admin_user.email,
    )  # fmt: skip
    assert new.status == "open" and reported_on(directory, listing) == new.created_at.date()
    # Another center's report id does nothing here.
    post_form(admin_client, path, "/admin/reports", resolution="edited",
              reports=[str(ids["other"]), str(ids["new"])])  # fmt: skip
    assert reports_of(directory, other_id(directory))[0].status == "open"
    assert reports_of(directory, listing)[1].resolution == "edited"
    assert reported_on(directory, listing) is None
    with directory.app_context():
        entries = list(db.session.scalars(
            sa.select(AuditEntry).where(AuditEntry.action == "reports.resolve",
                                        AuditEntry.target_id == str(listing))
            .order_by(AuditEntry.id)
        ))  # fmt: skip
    assert [e.after["resolution"] for e in entries] == ["dismissed", "edited"]
    assert entries[0].after["closed_reports"] == [ids["old"]]
    assert all("a@example.org" not in str(e.before) + str(e.after) for e in entries)


def test_unpublishing_closes_every_open_report_on_the_center(
    admin_client, client, listing, directory
):
    _seed_reports(directory, listing)
    path = f"/admin/reports/{listing}/resolve"
    no_reason = post_form(admin_client, path, "/admin/reports", resolution="unpublished")
    assert no_reason.status_code == 400 and "Say why the listing comes off" in text(no_reason)
    response = post_form(
        admin_client, path, "/admin/reports", resolution="unpublished", reason="Closed"
    )
    assert response.status_code == 303
    assert {r.status for r in reports_of(directory, listing)} == {"resolved"}
    with directory.app_context():
        center = db.session.get(Center, listing)
        assert (center.published, center.unpublished_reason) == (False, "Closed")
        actions = set(
            db.session.scalars(
                sa.select(AuditEntry.action).where(AuditEntry.target_id == str(listing))
            )
        )
    assert {"center.unpublish", "reports.resolve"} <= actions
    assert client.get(PAGE).status_code == 404


def test_center_pages_say_when_and_how_a_listing_was_verified(
    admin_client, client, listing, directory, monkeypatch
):
    monkeypatch.setitem(directory.config, "LOCATOR_DIRECTORY_EDITION", "2025")
    assert "As listed by its source; not yet checked by phone by us." in text(client.get(PAGE))

    def set_source(source: str) -> None:
        with directory.app_context():
            db.session.get(Center, listing).source = source
            db.session.commit()

    set_source("samhsa-directory")  # the National Directory: its edition is named
    try:
        edition = "As listed in the 2025 edition of the National Directory"
        assert edition in text(client.get(PAGE))
        edit = f"/admin/centers/{listing}/edit"
        assert post_form(admin_client, f"/admin/centers/{listing}/verify", edit).status_code == 303
        page = text(client.get(PAGE))
        assert f"Verified {utcnow().date().strftime('%B %Y')} by phone." in page
        assert edition not in page
    finally:
        set_source("report-test")


def test_listings_not_verified_for_the_set_months_are_listed_for_admins(
    admin_client, listing, directory, monkeypatch
):
    today = utcnow().date()
    with directory.app_context():
        db.session.get(Center, listing).last_verified = months_ago(today, 19)
        db.session.get(Center, other_id(directory)).last_verified = months_ago(today, 17)
        db.session.commit()
    page = text(admin_client.get("/admin/unverified?source=report-test"))
    assert "not verified for 18 months" in page
    assert "Report Scratch Clinic (Test)" in page and "Report Other Clinic (Test)" not in page
    monkeypatch.setitem(directory.config, "LOCATOR_STALE_MONTHS", 12)
    assert "Report Other Clinic (Test)" in text(
        admin_client.get("/admin/unverified?source=report-test")
    )
    assert admin_client.get("/admin/unverified?page=0").status_code == 400


@pytest.mark.parametrize(
    ("today", "months", "expected"),
    [
        (date(2026, 11, 27), 18, date(2025, 5, 27)),
        (date(2026, 3, 31), 1, date(2026, 2, 28)),
        (date(2024, 3, 31), 1, date(2024, 2, 29)),
        (date(2026, 1, 15), 13, date(2024, 12, 15)),
    ],
)
def test_months_ago(today, months, expected):
    assert months_ago(today, months) == expected


def test_the_form_page_is_never_cached_and_the_center_page_still_is(client, listing):
    assert client.get(PAGE).headers["Cache-Control"] == "public, max-age=300"
    assert client.get(FORM).headers["Cache-Control"] == "private, no-store"  # holds a token


def test_deleting_a_reported_center_removes_its_reports_from_the_queue(
    admin_client, listing, directory
):
    ids = _seed_reports(directory, listing)
    path = f"/admin/centers/{listing}/delete"
    assert post_form(admin_client, path, path).status_code == 303
    with directory.app_context():
        left = set(db.session.scalars(sa.select(ListingReport.id)))
    assert ids["old"] not in left and ids["new"] not in left and ids["other"] in left
    queue = admin_client.get("/admin/reports")
    assert queue.status_code == 200 and f'id="center-{listing}"' not in text(queue)
    assert f'id="center-{other_id(directory)}"' in text(queue)
