"""Filters stand for the codes of both federal formats."""

from locator.taxonomy import CATEGORY_ORDER


def test_filters_cover_both_federal_formats(app_ctx):
    from locator.taxonomy import current_taxonomy

    taxonomy = current_taxonomy()
    assert set(taxonomy.filters["methadone"].codes) == {"METH", "MU", "MM", "DM"}
    assert {"BU", "BUM", "DB", "UB", "BWN", "BWON", "BERI", "BSDM"} <= set(
        taxonomy.filters["buprenorphine"].codes
    )
    assert set(taxonomy.filters["naltrexone"].codes) == {"NU", "UN", "NXN", "VTRL"}
    selection = taxonomy.select(["methadone", "BU", "medicaid", "bogus"])
    assert selection.unknown == ["bogus"]
    assert len(selection.groups) == 2  # medications OR'd together, payment apart
    assert [c for c in CATEGORY_ORDER][-1] == "other"
