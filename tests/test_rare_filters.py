"""Rare filters read an index of only their own centers (migration 0014): the same answers as
the general spatial index and as a scan of every row, after imports, edits, deletes and a
source's removal, on either engine."""

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
# Groups as the pages ask them: each rare filter, two rare filters of one category (one
# slot holds both), a rare filter with a common one, two rare ones, and one no slot holds.
GROUP_SETS = [(("NP",),), (("HH",),), (METHADONE,), (("OTP",),), ((*METHADONE, "OTP"),),
              (DETOX,), (METHADONE, ("MD",)), (("HH",), DETOX), (("HH", "MD"),)]  # fmt: skip
RATES = {"NP": 0.1, "HH": 0.15, "METH": 0.12, "OTP": 0.06, "DT": 0.15, "RD": 0.1, "MD": 0.6}
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


def assert_sqlite_rare_rtree_is_exact() -> None:
    """SQLite: the rare R*Tree holds one entry per (published placed center, slot it offers)."""
    if db.engine.dialect.name != "sqlite":
        return
    slots = db.session.execute(sa.text("SELECT slot, mask FROM rare_filter")).all()
    points = db.session.execute(
        sa.text("SELECT id, latitude, longitude, service_mask FROM center_point")
    ).all()
    expected = {
        (center_id * indexes.RARE_SLOTS + slot, lat, lon)
        for center_id, lat, lon, mask in points
        for slot, slot_mask in slots
        if mask & slot_mask
    }
    stored = db.session.execute(sa.text("SELECT id, min_lat, min_lon FROM center_rare_rtree"))
    assert {entry[0] for entry in stored} == {entry[0] for entry in expected}


def test_the_rare_filters_have_slots_and_every_code_a_bit(app_ctx):
    connection = db.session.connection()
    slots = indexes.rare_filter_slots(connection)
    bits = indexes.known_bits(connection)
    assert len(slots) == 4
    methadone = sum(1 << bits[code] for code in METHADONE)
    assert indexes.rare_slot([methadone], slots)[0] == 2
    assert indexes.rare_slot([1 << bits["OTP"]], slots)[0] == 2
    assert indexes.rare_slot([1 << bits["MD"]], slots) is None
    # Two groups: the rarest slot that holds either.
    assert indexes.rare_slot([methadone, 1 << bits["NP"]], slots)[0] == 0


def test_a_rare_filter_reads_its_own_index(rare_source):
    sent: list[tuple[str, object]] = []

    def record(_conn, _cursor, statement, parameters, _context, _many):
        sent.append((statement, parameters))

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        search.nearby_centers(db.session, CENTRES[0], 25, [METHADONE])
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    connection = db.session.connection()
    index = indexes.spatial_index(connection)
    statement, parameters = next((s, p) for s, p in sent if "service_mask" in s)
    if index == "rtree":
        assert "center_rare_rtree" in statement
    elif index in indexes.WALKING_INDEXES:
        connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
        plan = connection.exec_driver_sql("EXPLAIN " + statement, parameters).scalars().all()
        assert any("ix_center_rare_2" in line for line in plan), plan
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
    for center in centers[:30]:
        if methadone not in center.services:
            center.services.append(methadone)
    for center in centers[30:60]:
        center.services = [s for s in center.services if s.code not in ("METH", "HH", "DT")]
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
            center_service.c.center_id.in_(ids), center_service.c.service_code.in_(DETOX)
        )
    )
    db.session.execute(sa.delete(Center).where(Center.id.in_([c.id for c in centers[140:170]])))
    assert_rare_equals_general_and_scan()
    remove_source(db.session, SOURCE, None)
    assert_rare_equals_general_and_scan()
    assert not _page(CENTRES[0], 50, [("HH",)]).results
