"""HSDS as found in the wild: 2.0 packages (singular table names) and a taxonomy-term filter."""

from __future__ import annotations

import sqlalchemy as sa

from locator.extensions import db
from locator.models import Center
from tests.helpers.importing import apply, fixture, preview


def _names() -> set[str]:
    return set(db.session.scalars(sa.select(Center.name1).where(Center.source == "hsds")))


def test_an_hsds_2_package_reads_like_a_3_one(importing):
    report = apply(fixture("hsds2"))
    assert report.format == "hsds" and report.counts["new"] == 2
    assert _names() == {"Prairie Wind Services (Test)", "Hilltop Pantry (Test)"}
    prairie = db.session.scalars(
        sa.select(Center).where(Center.name1 == "Prairie Wind Services (Test)")
    ).one()
    assert (prairie.street1, prairie.zip, prairie.phone) == (
        "1400 Broadway",
        "80203",
        "(303) 555-0190",
    )
    assert prairie.placement == "source"
    labels = {service.label for service in prairie.services}
    assert {"Substance Use Disorder Treatment", "Methadone"} <= labels


def test_only_services_with_the_chosen_terms_are_imported(importing, admin_client):
    report = apply(fixture("hsds2"), taxonomy_terms="Substance use disorder treatment, Methadone")
    assert report.counts["new"] == 1 and report.counts["skipped"] == 1
    assert _names() == {"Prairie Wind Services (Test)"}
    three = preview(fixture("hsds"), taxonomy_terms="OP").counts  # an HSDS 3.0 package
    assert three["new"] == 1 and three["skipped"] == 3  # loc2 offers no outpatient care
    form = admin_client.get("/admin/imports").get_data(as_text=True)
    assert 'name="taxonomy_terms"' in form


def test_the_command_takes_the_term_list(importing):
    from flask import current_app

    result = current_app.test_cli_runner().invoke(
        args=["import-centers", str(fixture("hsds2")), "--taxonomy-terms", "x3", "--dry-run"]
    )
    assert result.exit_code == 0, result.output
    assert "1 new" in result.output and "1 skipped" in result.output
