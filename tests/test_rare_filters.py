"""Rare filters read an index of only their own centers (migrations 0014 and 0015): the same
answers as the general spatial index and as a scan of every row, after imports, edits,
deletes and a source's removal, on either engine; and the service masks of both words, which
those indexes are built on, equal what the links say throughout."""

from __future__ import annotations

import random

import pytest
import sqlalchemy as sa
from geopy.distance import great_circle

from locator import search
from locator.extensions import db
from locator.importers.remove import remove_source
from locator.models import Center, Service, center_service
from locator.search import indexes
from tests.helpers.factories import center_row
from tests.helpers.importing import apply

METHADONE = ("DM", "METH", "MM", "MU")
DETOX = ("DT", "HID", "RD", "OD")
# Other languages and day treatment: codes of both words of the masks (migration 0015).
LANGUAGES = ("FX", "NX", "F4", "F17", "F19", "F25", "F28", "F30", "F31", "F35", "F36", "F37",
             "F42", "F43", "F47", "F66", "F67", "F70", "F81", "F92", "N24", "N40")  # fmt: skip
DAY = ("ODT", "PHDT", "PH")
# Sign language and children and teens: the last two slots (migration 0016).
SIGN, TEENS = ("AH",), ("CHLD", "AD")
# Groups as the pages ask them: each rare filter, two rare filters of one category (one
# slot holds both), a rare filter with a common one, two rare ones, one no slot holds, and
# one code of the second word alone, or with a code of the first that no slot holds.
GROUP_SETS = [(("NP",),), (("HH",),), (METHADONE,), (("OTP",),), ((*METHADONE, "OTP"),),
              (DETOX,), (METHADONE, ("MD",)), (("HH",), DETOX), (("HH", "MD"),),
              (LANGUAGES,), (DAY,), (LANGUAGES, METHADONE), (DAY, ("MD",)), (("F4",),),
              (("PH", "MD"),), (SIGN,), (TEENS,), (SIGN, DETOX)]  # fmt: skip
RATES = {"NP": 0.1, "HH": 0.15, "METH": 0.12, "OTP": 0.06, "DT": 0.15, "RD": 0.1, "MD": 0.6,
         "FX": 0.04, "F4": 0.06, "N24": 0.04, "ODT": 0.06, "PHDT": 0.04, "PH": 0.08,
         "AH": 0.08, "CHLD": 0.06, "AD": 0.1}  # fmt: skip
CENTRES = ((41.2, -95.9), (35.1, -106.6))  # Omaha and Albuquerque: room of their own
SOURCE = "rare"


def _rows(seed: int) -> list[dict[str, str]]:
    rng = random.Random(seed)
    rows = []
    for n in range(400):
        miles, bearing = 40 * rng.random() ** 1.5, rng.random() * 360
        place = great_circle(miles=miles).destination(CENTRES[n % 2], bearing)
        codes = " ".join(code for code, rate in RATES.items() if rng.random() < rate)
        rows.append(center_row(source=SOURCE, source_id=f"R{n}", name1=f"Rare Center {n} (Test)",
                               city="Omaha" if n % 2 == 0 else "Albuquerque",
                               state="NE" if n % 2 == 0 else "NM",
                               latitude=f"{place.latitude:.6f}", longitude=f"{place.longitude:.6f}",
                               services=codes or "SA"))  # fmt: skip
    return rows


@pytest.fixture
def rare_source(importing, tmp_path):
    """The rare source's 400 centers, imported for one test; removed after."""
    from tools.sample_directory import write_csv

    path = tmp_path / "rare.csv"
    write_csv(path, _rows(5))
    apply(path, format="own_csv", source=SOURCE)
    yield path


def _scan_input() -> tuple[dict[int, set[str]], dict[tuple, dict[int, float]]]:
    """What the brute-force scan reads, once a check (54 scans): each center's codes, and
    each published placed center's distance from both centres."""
    offered: dict[int, set[str]] = {}
    for center_id, code in db.session.execute(sa.select(center_service)):
        offered.setdefault(center_id, set()).add(code)
    rows = db.session.execute(
        sa.select(Center.id, Center.latitude, Center.longitude).where(
            Center.published.is_(True), Center.latitude.is_not(None)
        )
    ).all()
    miles_from = {
        origin: {i: great_circle(origin, (lat, lon)).miles for i, lat, lon in rows}
        for origin in CENTRES
    }
    return offered, miles_from


def _scan(origin, radius, groups, scanned) -> list[tuple[float, int]]:
    offered, miles_from = scanned
    return sorted(
        (miles, center_id)
        for center_id, miles in miles_from[origin].items()
        if miles <= radius and all(offered.get(center_id, set()) & set(codes) for codes in groups)
    )


def _page(origin, radius, groups, page=1, rare=True):
    """A page through the rare filters' indexes, or (rare=False) through the general one."""
    if rare:
        return search.nearby_centers(db.session, origin, radius, groups, page=page)
    kept = indexes._rare.get(db.engine)
    indexes._rare[db.engine] = ()  # as though the database had no rare filters' indexes
    try:
        return search.nearby_centers(db.session, origin, radius, groups, page=page)
    finally:
        if kept is None:
            indexes._rare.pop(db.engine, None)
        else:
            indexes._rare[db.engine] = kept


def _answer(page) -> tuple:
    return [c.id for c in page.results], [round(c.distance, 9) for c in page.results], (
        page.total, page.total_is_capped)  # fmt: skip


def assert_rare_equals_general_and_scan() -> None:
    """Every group set from both centres at three radii, pages 1 and 2."""
    db.session.flush()
    scanned = _scan_input()
    for origin in CENTRES:
        for radius in (5, 25, 50):
            for groups in GROUP_SETS:
                expected = _scan(origin, radius, groups, scanned)
                for number in (1, 2):
                    page = _page(origin, radius, groups, number)
                    assert _answer(page) == _answer(_page(origin, radius, groups, number, False))
                    wanted = expected[(number - 1) * 20 : number * 20]
                    assert [c.id for c in page.results] == [i for _, i in wanted]
                    for center, (miles, _) in zip(page.results, wanted, strict=True):
                        assert center.distance == pytest.approx(miles, abs=1e-6)
                    if not page.total_is_capped:
                        assert page.total == len(expected)
    assert_sqlite_rare_rtree_is_exact()


def assert_masks_follow_the_links() -> None:
    """Each center's two service masks hold the bits of its codes, and no other."""
    bits = indexes.service_bits(db.session.connection())
    codes: dict[int, list[str]] = {}
    for center_id, code in db.session.execute(sa.select(center_service)):
        codes.setdefault(center_id, []).append(code)
    for center_id, first, second in db.session.execute(
        sa.select(Center.id, Center.service_mask, Center.service_mask2)
    ):
        assert (first, second) == indexes.masks_of(codes.get(center_id, []), bits), center_id


def assert_sqlite_rare_rtree_is_exact() -> None:
    """SQLite: the rare R*Tree holds one entry per (published placed center, slot it offers),
    and the narrow table the centers' masks."""
    assert_masks_follow_the_links()
    if db.engine.dialect.name != "sqlite":
        return
    slots = indexes.rare_filter_slots(db.session.connection())
    points = db.session.execute(
        sa.text("SELECT p.id, p.service_mask, p.service_mask2, c.service_mask, "
                "c.service_mask2 FROM center_point AS p JOIN center AS c ON c.id = p.id")
    ).all()  # fmt: skip
    assert all(row[1:3] == row[3:5] for row in points)
    expected = {
        center_id * indexes.RARE_SLOTS + slot
        for center_id, first, second, _, _ in points
        for slot, slot_mask in slots
        if (first | second << indexes.SECOND_WORD) & slot_mask
    }
    stored = db.session.execute(sa.text("SELECT id, min_slot, max_slot FROM center_rare_rtree"))
    entries = {entry_id: (low, high) for entry_id, low, high in stored}
    assert set(entries) == expected
    # Each entry 1 wide on the slot axis (migration 0015), so that the tree can choose nodes.
    spread = indexes.RARE_SLOT_SPREAD
    assert all(
        (low, high) == ((i % indexes.RARE_SLOTS) * spread, (i % indexes.RARE_SLOTS) * spread + 1)
        for i, (low, high) in entries.items()
    )


def test_the_rare_filters_have_slots_and_every_code_a_bit(app_ctx):
    connection = db.session.connection()
    slots = indexes.rare_filter_slots(connection)
    bits = indexes.known_bits(connection)
    assert len(slots) == 8

    def mask(codes) -> int:
        return sum(1 << bits[code] for code in codes)

    assert indexes.rare_slot([mask(METHADONE)], slots)[0] == 2
    assert indexes.rare_slot([mask(["OTP"])], slots)[0] == 2
    assert indexes.rare_slot([mask(["MD"])], slots) is None
    # Two groups: the first slot that holds either.
    assert indexes.rare_slot([mask(METHADONE), mask(["NP"])], slots)[0] == 0
    # Other languages and day treatment: codes of both words.
    assert {bits[code] >= indexes.SECOND_WORD for code in (*LANGUAGES, *DAY)} == {True, False}
    assert indexes.rare_slot([mask(LANGUAGES)], slots)[0] == 4
    assert indexes.rare_slot([mask(["F4"])], slots)[0] == 4
    assert indexes.rare_slot([mask(DAY)], slots)[0] == 5
    assert indexes.rare_slot([mask(["PH", "MD"])], slots) is None
    assert indexes.rare_slot([mask(SIGN)], slots)[0] == 6
    assert indexes.rare_slot([mask(TEENS)], slots)[0] == 7
    assert indexes.rare_slot([mask(["AD"])], slots)[0] == 7


@pytest.mark.parametrize(
    ("groups", "slot"), [([METHADONE], 2), ([LANGUAGES], 4), ([DAY], 5), ([SIGN], 6), ([TEENS], 7)]
)
def test_a_rare_filter_reads_its_own_index(rare_source, groups, slot):
    sent: list[tuple[str, object]] = []

    def record(_conn, _cursor, statement, parameters, _context, _many):
        sent.append((statement, parameters))

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        search.nearby_centers(db.session, CENTRES[0], 25, groups)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    connection = db.session.connection()
    index = indexes.spatial_index(connection)
    statement, parameters = next((s, p) for s, p in sent if "service_mask" in s)
    # Tested by the masks alone: no join on the links.
    assert "center_service AS cs0" not in statement
    if index == "rtree":
        assert f"r.min_slot = {slot * indexes.RARE_SLOT_SPREAD}" in statement
    elif index in indexes.WALKING_INDEXES:
        connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
        plan = connection.exec_driver_sql("EXPLAIN " + statement, parameters).scalars().all()
        assert any(f"ix_center_rare_{slot}" in line for line in plan), plan
    else:
        pytest.skip(f"no rare filters' index beside a {index} index")


def test_imports_edits_deletes_and_removal_keep_the_rare_indexes_exact(rare_source, tmp_path):
    from tools.sample_directory import write_csv

    assert_rare_equals_general_and_scan()
    # A new edition of the source: services changed, points moved, some unpublished.
    rows = _rows(6)
    for n, row in enumerate(rows):
        row["published"] = "0" if n % 11 == 0 else "1"
    write_csv(tmp_path / "second.csv", rows)
    apply(tmp_path / "second.csv", format="own_csv", source=SOURCE, full_refresh=True)
    assert_rare_equals_general_and_scan()
    # An admin's edits through the ORM: a move, links added and taken away, a publication.
    centers = db.session.scalars(sa.select(Center).where(Center.source == SOURCE)).all()
    methadone, free = db.session.get(Service, "METH"), db.session.get(Service, "NP")
    language, day = db.session.get(Service, "F17"), db.session.get(Service, "PH")
    for center in centers[:30]:
        for service in (methadone, language) if center.id % 2 else (methadone, day):
            if service not in center.services:
                center.services.append(service)
    for center in centers[30:60]:
        center.services = [
            s for s in center.services if s.code not in ("METH", "HH", "DT", "F4", "PH", "FX")
        ]
    for center in centers[60:70]:
        center.latitude, center.longitude = center.latitude + 0.2, center.longitude - 0.2
    for center in centers[70:80]:
        center.published = not center.published
    if free not in centers[80].services:
        centers[80].services.append(free)
    db.session.flush()
    assert_rare_equals_general_and_scan()
    # Links written in bulk, as an import does, and centers deleted outright.
    ids = [center.id for center in centers[100:140]]
    db.session.execute(
        sa.delete(center_service).where(
            center_service.c.center_id.in_(ids),
            center_service.c.service_code.in_((*DETOX, "N24", "PH")),
        )
    )
    # A link's code changed in place: a language of the second word becomes one of the first.
    db.session.execute(
        sa.update(center_service)
        .where(
            center_service.c.center_id.in_(ids),
            center_service.c.service_code == "F4",
            center_service.c.center_id.not_in(
                sa.select(center_service.c.center_id).where(center_service.c.service_code == "FX")
            ),
        )
        .values(service_code="FX")
    )
    db.session.execute(sa.delete(Center).where(Center.id.in_([c.id for c in centers[140:170]])))
    assert_rare_equals_general_and_scan()
    remove_source(db.session, SOURCE, None)
    assert_rare_equals_general_and_scan()
    assert not _page(CENTRES[0], 50, [("HH",)]).results
    assert not _page(CENTRES[0], 50, [LANGUAGES]).results
