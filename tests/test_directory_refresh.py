"""Keeping the directory true through refreshes: editions without ids, gone centers, admins'
edits, and one facility from two sources."""

from __future__ import annotations

import csv

import sqlalchemy as sa

from locator.admin.center_changes import save_center_edit
from locator.extensions import db
from locator.models import Center
from tests.helpers.importing import apply, fixture, preview

SOURCE = "edition-test"


class Admin:
    id = None
    email = "editor@example.org"


def _centers() -> dict[str, Center]:
    query = sa.select(Center).where(Center.source == SOURCE)
    return {center.name1: center for center in db.session.scalars(query)}


def _older_edition() -> list[dict[str, str]]:
    with fixture("edition_older.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_older_edition_fixture_varies_what_editions_vary():
    # Derived from 20 real rows of the shipped directory: suites added, "Street"/"St" and
    # "Pike"/"Pk" swapped, new name2, new phones, a name in capitals with "Inc.", a name with
    # its words reordered; one facility is in the older edition only, one in the newer only.
    with fixture("edition_current.csv").open(encoding="utf-8", newline="") as handle:
        current = list(csv.DictReader(handle))
    older = _older_edition()
    same = [(o, c) for o, c in zip(older[:19], current[:19], strict=True)]
    assert sum(o["street1"] != c["street1"] for o, c in same) >= 8
    assert sum(o["phone"] != c["phone"] for o, c in same) >= 6
    assert sum(o["name2"] != c["name2"] for o, c in same) >= 3
    assert sum(o["name1"] != c["name1"] for o, c in same) >= 4


def test_a_new_edition_recognises_its_facilities_and_unpublishes_the_gone(importing):
    first = apply(fixture("edition_older.csv"), format="directory", source=SOURCE)
    assert first.counts["new"] == 20
    before = {center.id for center in _centers().values()}
    options = {"format": "directory", "source": SOURCE, "full_refresh": True}
    previewed = preview(fixture("edition_current.csv"), **options)
    report = apply(fixture("edition_current.csv"), **options)
    for counts in (previewed.counts, report.counts):
        assert counts["new"] == 1 and counts["unpublished"] == 1
        assert counts["changed"] + counts["unchanged"] == 19 and counts["changed"] >= 10
    centers = _centers()
    assert len(centers) == 21  # the gone one is kept, unpublished
    gone = centers["Dynamic Youth Community Inc"]
    assert not gone.published and "absent from the full refresh" in gone.unpublished_reason
    kept = {c.id for c in centers.values() if c.name1 != "RMC Health System"}
    assert kept == before
    assert centers["Highland Health Rivers"].published  # renamed by the newer edition
    again = apply(fixture("edition_current.csv"), **options)  # re-keyed: found by id now
    assert again.counts["unchanged"] == 20 and again.counts["new"] == 0


def test_an_admins_edit_survives_the_next_refresh_and_the_disagreement_shows(
    importing, admin_client
):
    options = {"format": "directory", "source": SOURCE, "full_refresh": True}
    apply(fixture("edition_current.csv"), **options)
    center = _centers()["Samaritas"]
    source_phone = center.phone
    values = {name: getattr(center, name) for name in (
        "name1", "name2", "street1", "street2", "city", "state", "zip", "county", "phone",
        "intake1", "intake2", "hotline", "website", "latitude", "longitude", "facility_type",
        "published", "last_verified")}  # fmt: skip
    values["phone"] = "(248) 555-0199"
    codes = [service.code for service in center.services] + ["VET"]
    save_center_edit(db.session, center, values, codes, Admin())
    db.session.commit()
    assert set(center.overrides) == {"phone", "services"}

    report = apply(fixture("edition_current.csv"), **options)
    db.session.refresh(center)
    assert center.phone == "(248) 555-0199" and "VET" in {s.code for s in center.services}
    assert center.overrides["phone"] == {"admin": "(248) 555-0199", "source": source_phone}
    assert report.counts["new"] == 0
    page = admin_client.get(f"/admin/centers/{center.id}/edit").get_data(as_text=True)
    assert "Where the source now disagrees" in page and source_phone in page


LOCATOR_HEADER = (
    "name1,name2,street1,street2,city,state,zip,zip4,county,phone,intake_prompt,intake1,"
    "intake2,website,latitude,longitude,type_facility,sa,op,mu,md"
)


def test_one_facility_from_two_sources_is_one_center_with_the_exact_point(importing, tmp_path):
    apply(fixture("edition_current.csv"), format="directory", source=SOURCE)
    center = _centers()["Catholic Charities"]
    assert center.placement == "zip" and center.approximate
    download = tmp_path / "locator.csv"
    download.write_text(
        f"{LOCATOR_HEADER}\n"
        f"Catholic Charities,,45 Wadsworth St.,,{center.city},{center.state},{center.zip},,,"
        f"{center.phone},,,,charities.example.org,"
        f"{center.latitude + 0.01:.5f},{center.longitude - 0.01:.5f},SA,1,1,1,1\n",
        encoding="utf-8",
    )
    report = apply(download, format="locator_csv")
    assert report.counts["matched_across_sources"] == 1 and report.counts["new"] == 0
    db.session.refresh(center)
    assert center.placement == "source" and not center.approximate
    assert center.website == "https://charities.example.org"
    assert {"MU", "MD"} <= {service.code for service in center.services}
    exact = (center.latitude, center.longitude)
    apply(fixture("edition_current.csv"), format="directory", source=SOURCE)  # ZIP-placed
    db.session.refresh(center)
    assert (center.latitude, center.longitude) == exact and center.placement == "source"
    assert preview(download, format="locator_csv").counts["matched_across_sources"] == 1


def test_an_admin_removes_a_source_after_confirming_and_it_is_audited(admin_client):
    # No app context is held across requests here: each request gets its own, as in serving.
    from locator.models import AuditEntry
    from tests.helpers.forms import post_form, text

    app = admin_client.application
    with app.app_context():
        apply(fixture("edition_current.csv"), format="directory", source=SOURCE)
    try:
        listed = text(admin_client.get("/admin/sources"))
        assert SOURCE in listed and "<td>20</td>" in listed
        path = f"/admin/sources/{SOURCE}/remove"
        assert "Its 20 listings leave the public site" in text(admin_client.get(path))
        done = post_form(admin_client, path, path)
        assert done.status_code == 303, text(done)[-500:]
        assert f"source={SOURCE}" not in text(admin_client.get("/admin/sources"))
        with app.app_context():
            assert not _centers()
            entry = db.session.scalars(
                sa.select(AuditEntry).where(AuditEntry.action == "source.remove")
            ).one()
            assert entry.target_id == SOURCE and entry.before["listings"] == 20
        assert admin_client.get("/admin/sources/nothing-here/remove").status_code == 404
    finally:
        with app.app_context():
            db.session.execute(sa.delete(Center).where(Center.source == SOURCE))
            db.session.commit()
