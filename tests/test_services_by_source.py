"""One facility from two sources: each source's refresh and removal change only the services
that source gave, and searches by filter follow."""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app

from locator.admin.center_changes import save_center_edit
from locator.extensions import db
from locator.models import AuditEntry, Center, center_service
from tests.helpers.importing import apply, fixture

# The treatment locator's download: flag columns for services (methadone, Medicaid...).
LOCATOR_HEADER = (
    "name1,name2,street1,street2,city,state,zip,zip4,county,phone,intake_prompt,intake1,"
    "intake2,website,latitude,longitude,type_facility,sa,op,mu,md"
)
OWN = "own-directory-test"
SECOND = "second-locator-test"
NAME = "Catholic Charities"  # in edition_current.csv: no methadone (MU), Medicaid (MD)


class Admin:
    id = None
    email = "editor@example.org"


def _center() -> Center:
    db.session.expire_all()
    query = sa.select(Center).where(Center.name1 == NAME, Center.source.in_((OWN, SECOND)))
    return db.session.scalars(query).one()


def _codes(center: Center) -> set[str]:
    query = sa.select(center_service.c.service_code).where(center_service.c.center_id == center.id)
    return set(db.session.scalars(query))


def _masked_codes(center: Center) -> set[str]:
    """The codes whose bits the center's service mask holds."""
    bits = dict(db.session.execute(sa.text("SELECT code, bit FROM service_bit")).all())
    return {code for code, bit in bits.items() if center.service_mask & (1 << bit)}


def _assert_mask_follows(center: Center) -> None:
    bits = dict(db.session.execute(sa.text("SELECT code, bit FROM service_bit")).all())
    assert _masked_codes(center) == {code for code in _codes(center) if code in bits}


def _download(tmp_path, center: Center, methadone: int, medicaid: int, name: str = NAME):
    path = tmp_path / f"locator-{methadone}{medicaid}-{len(name)}.csv"
    path.write_text(
        f"{LOCATOR_HEADER}\n"
        f"{name},,45 Wadsworth St.,,{center.city},{center.state},{center.zip},,,"
        f"{center.phone},,,,charities.example.org,,,SA,1,1,{methadone},{medicaid}\n",
        encoding="utf-8",
    )
    return path


def _methadone_ids(client, center: Center) -> set[int]:
    body = client.get(f"/api/v1/centers?location={center.zip}&radius=5&service=methadone")
    assert body.status_code == 200
    return {result["id"] for result in body.get_json()["centers"]}


def _own_refresh():
    return apply(fixture("edition_current.csv"), format="directory", source=OWN,
                 full_refresh=True)  # fmt: skip


def _second(path, full_refresh: bool = True):
    return apply(path, format="locator_csv", source=SECOND, full_refresh=full_refresh)


def test_the_second_sources_services_survive_the_first_sources_refresh(importing, tmp_path):
    app = current_app
    client = app.test_client()
    apply(fixture("edition_current.csv"), format="directory", source=OWN)
    center = _center()
    own_codes = _codes(center)
    assert "MU" not in own_codes and "MD" in own_codes
    assert center.id not in _methadone_ids(client, center)

    report = _second(_download(tmp_path, center, methadone=1, medicaid=1))
    assert report.counts["matched_across_sources"] == 1 and report.counts["new"] == 0
    center = _center()
    assert _codes(center) == own_codes | {"MU", "SA", "OP"}
    assert center.id in _methadone_ids(client, center)
    _assert_mask_follows(center)

    refreshed = _own_refresh()  # the first source's full refresh: methadone stays
    assert refreshed.counts["unpublished"] == 0
    center = _center()
    assert center.source == OWN and "MU" in _codes(center)
    assert center.id in _methadone_ids(client, center)
    _assert_mask_follows(center)

    _second(_download(tmp_path, center, methadone=0, medicaid=1))  # no longer lists methadone
    center = _center()
    assert _codes(center) == own_codes | {"SA", "OP"}  # Medicaid stays: the first source has it
    assert center.id not in _methadone_ids(client, center)
    _assert_mask_follows(center)
    assert _own_refresh().counts["changed"] == 0  # and the first source's links are its own


def test_a_full_refresh_of_the_second_source_without_the_facility_takes_only_its_services(
    importing, tmp_path
):
    apply(fixture("edition_current.csv"), format="directory", source=OWN)
    own_codes = _codes(_center())
    _second(_download(tmp_path, _center(), methadone=1, medicaid=0))
    assert "MU" in _codes(_center())
    other = _download(tmp_path, _center(), 1, 0, name="A Different Clinic Entirely")
    report = _second(other)  # the second source's new edition lists another facility only
    assert report.counts["new"] == 1
    center = _center()
    assert _codes(center) == own_codes and center.published and center.source == OWN
    assert center.services_by_source is None
    _assert_mask_follows(center)


def test_removing_the_second_source_removes_only_its_services(importing, tmp_path):
    app = current_app
    client = app.test_client()
    apply(fixture("edition_current.csv"), format="directory", source=OWN)
    own_codes = _codes(_center())
    _second(_download(tmp_path, _center(), methadone=1, medicaid=1))
    listed = app.test_cli_runner().invoke(args=["remove-source", SECOND], input="n\n")
    assert "taken off 1 center that other sources list" in listed.output
    assert "Nothing was deleted" in listed.output
    assert "MU" in _codes(_center())

    result = app.test_cli_runner().invoke(args=["remove-source", SECOND, "--yes"])
    assert result.exit_code == 0, result.output
    center = _center()
    assert center.source == OWN and _codes(center) == own_codes
    assert center.id not in _methadone_ids(client, center)
    _assert_mask_follows(center)
    entry = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.target_id == SECOND)).one()
    assert entry.before["matched"] == 1
    db.session.delete(entry)
    db.session.commit()


def test_removing_the_first_source_leaves_the_facility_as_the_second_sources(importing, tmp_path):
    app = current_app
    client = app.test_client()
    apply(fixture("edition_current.csv"), format="directory", source=OWN)
    center_id = _center().id
    _second(_download(tmp_path, _center(), methadone=1, medicaid=0))
    result = app.test_cli_runner().invoke(args=["remove-source", OWN, "--yes"])
    assert result.exit_code == 0, result.output
    center = _center()
    assert (center.id, center.source) == (center_id, SECOND)
    assert _codes(center) == {"SA", "OP", "MU"} and center.services_by_source is None
    assert center.id in _methadone_ids(client, center)
    _assert_mask_follows(center)
    again = _second(_download(tmp_path, center, methadone=1, medicaid=0))
    # Found by its id; its fields become the second source's own.
    assert again.counts["new"] == 0 and again.counts["changed"] + again.counts["unchanged"] == 1
    assert _center().id == center_id and _center().street1 == "45 Wadsworth St."
    db.session.execute(sa.delete(AuditEntry).where(AuditEntry.target_id == OWN))
    db.session.commit()


def test_an_admins_service_edit_survives_both_sources_refreshes(importing, tmp_path):
    apply(fixture("edition_current.csv"), format="directory", source=OWN)
    _second(_download(tmp_path, _center(), methadone=1, medicaid=1))
    center = _center()
    values = {name: getattr(center, name) for name in (
        "name1", "name2", "street1", "street2", "city", "state", "zip", "county", "phone",
        "intake1", "intake2", "hotline", "website", "latitude", "longitude", "facility_type",
        "published", "last_verified")}  # fmt: skip
    chosen = sorted((_codes(center) - {"MD"}) | {"VET"})
    save_center_edit(db.session, center, values, chosen, Admin())
    db.session.commit()
    _second(_download(tmp_path, center, methadone=0, medicaid=1))
    _own_refresh()
    center = _center()
    assert _codes(center) == set(chosen)
    _assert_mask_follows(center)
    # What the sources now say, beside the admin's list, for the admin page.
    assert "MD" in center.overrides["services"]["source"]


def test_an_admin_sees_and_removes_a_source_that_only_added_services(admin_client, tmp_path):
    from tests.helpers.forms import post_form, text

    app = admin_client.application
    with app.app_context():
        apply(fixture("edition_current.csv"), format="directory", source=OWN)
        own_codes = _codes(_center())
        _second(_download(tmp_path, _center(), methadone=1, medicaid=1))
    try:
        listed = text(admin_client.get("/admin/sources"))
        assert SECOND in listed
        path = f"/admin/sources/{SECOND}/remove"
        asked = text(admin_client.get(path))
        assert "its services leave 1 center that other sources list too" in asked
        assert post_form(admin_client, path, path).status_code == 303
        with app.app_context():
            assert _codes(_center()) == own_codes
    finally:
        with app.app_context():
            for source in (OWN, SECOND):
                db.session.execute(sa.delete(Center).where(Center.source == source))
            db.session.commit()
