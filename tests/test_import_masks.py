"""An import's service masks equal what the links say, however the links were written."""

from __future__ import annotations

import sqlalchemy as sa

from locator.extensions import db
from locator.models import Center, center_service
from tests.helpers.importing import apply, fixture


def _masks_from_links() -> dict[int, int]:
    """Each center's mask computed again from its links (the OR of its codes' bits)."""
    bits = dict(db.session.execute(sa.text("SELECT code, bit FROM service_bit")).all())
    masks: dict[int, int] = {}
    for center_id, code in db.session.execute(sa.select(center_service)):
        if code in bits:
            masks[center_id] = masks.get(center_id, 0) | (1 << bits[code])
    return masks


def _masks_stored() -> dict[int, int]:
    query = sa.select(Center.id, Center.service_mask)
    return {center_id: mask for center_id, mask in db.session.execute(query) if mask}


def test_masks_follow_an_import_a_refresh_and_a_second_source(importing, tmp_path):
    apply(fixture("directory.csv"), format="directory", source="mask-directory")
    apply(fixture("edition_older.csv"), format="directory", source="mask-edition")
    assert _masks_stored() == _masks_from_links()
    # A new edition relinks changed centers; a second source adds links to matched ones.
    apply(fixture("edition_current.csv"), format="directory", source="mask-edition",
          full_refresh=True)  # fmt: skip
    apply(fixture("locator.csv"), format="locator_csv", source="mask-locator")
    assert _masks_stored() == _masks_from_links()
    touched = set(_masks_stored())
    assert len(touched) > 40  # the imports linked services that have bits
