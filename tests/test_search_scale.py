"""Nearest-first search on a dense directory: what a brute-force geopy scan finds, through
every spatial index the engine has (R*Tree or B-tree boxes on SQLite; PostGIS, earthdistance
or B-tree on PostgreSQL), with ties, the radius's edge, pages 1 to 3, capped totals, city
and state scopes, and writes that the index must follow at once."""

from __future__ import annotations

import random

import pytest
import sqlalchemy as sa
from geopy.distance import great_circle

from locator import search
from locator.extensions import db
from locator.models import Center, Service, center_service
from locator.search import indexes
from locator.taxonomy import current_taxonomy
from tests.helpers.factories import center_row, replace_source

METROS = {"NY": ("New York", 40.7128, -74.0060), "IL": ("Chicago", 41.8781, -87.6298),
          "CO": ("Denver", 39.7392, -104.9903)}  # fmt: skip
SPOT = (39.7500, -104.9990)  # forty centers at this one point (Denver)
EDGE_ORIGIN = (41.5000, -88.5000)  # a ring of centers around 25 miles from here (Illinois)
SERVICE_RATES = {"METH": 0.05, "BU": 0.3, "MD": 0.6, "SP": 0.35, "OP": 0.8, "RES": 0.15,
                 "ACM": 0.1}  # fmt: skip
FILTER_SETS = [(), (("DM", "METH", "MM", "MU"),), (("BU", "METH"),), (("BU", "METH"), ("MD",)),
               (("SP",), ("OP",))]  # fmt: skip


def _point_at(origin: tuple[float, float], miles: float, bearing: float) -> tuple[float, float]:
    found = great_circle(miles=miles).destination(origin, bearing)
    return found.latitude, found.longitude


def _services(rng: random.Random) -> str:
    return " ".join(code for code, rate in SERVICE_RATES.items() if rng.random() < rate)


def dense_rows(seed: int = 3) -> list[dict[str, str]]:
    """3,000-odd centers: clouds around three metros, one crowded spot, a ring at the edge
    of a radius, a sparse scatter, and some unpublished or unplaced ones."""
    rng = random.Random(seed)
    placed: list[tuple[str, str, float, float]] = []
    for state, (city, lat, lon) in METROS.items():
        for _ in range(800):  # dense in the middle: distance drawn as a square
            point = _point_at((lat, lon), 60 * rng.random() ** 2, rng.uniform(0, 360))
            placed.append((state, city if rng.random() < 0.5 else "Suburb", *point))
    placed += [("CO", "Denver", *SPOT)] * 40
    placed += [("IL", "Ringtown", *_point_at(EDGE_ORIGIN, 25 + rng.uniform(-1e-4, 1e-4), b))
               for b in range(0, 360, 6)]  # fmt: skip
    placed += [("KS", "Prairie", rng.uniform(30, 47), rng.uniform(-120, -75)) for _ in range(300)]
    rows = []
    for n, (state, city, lat, lon) in enumerate(placed, start=1):
        hidden = n % 97 == 0
        rows.append(center_row(source="scale", source_id=f"S{n}", name1=f"Scale Center {n} (Test)",
                               city=city, state=state, latitude=f"{lat:.6f}",
                               longitude=f"{lon:.6f}", published="0" if hidden else "1",
                               services=_services(rng)))  # fmt: skip
    rows += [center_row(source="scale", source_id="S-unplaced", name1="Unplaced (Test)",
                        state="NY", services="METH")]  # fmt: skip
    return rows


@pytest.fixture(scope="module")
def dense(directory):
    """The dense centers added to the test directory for this module, then taken out."""
    with directory.app_context():
        replace_source(db.session, "scale", dense_rows(), current_taxonomy())
        db.session.commit()
    yield directory
    with directory.app_context():
        replace_source(db.session, "scale", [], current_taxonomy())
        db.session.commit()


@pytest.fixture(scope="module")
def every_center(dense):
    """(id, latitude, longitude, state, city) of every published, placed center, the codes
    each offers, and the scan's distances from each origin asked so far."""
    with dense.app_context():
        rows = db.session.execute(
            sa.select(
                Center.id, Center.latitude, Center.longitude, Center.state, Center.city
            ).where(Center.published.is_(True), Center.latitude.is_not(None))
        ).all()
        offered: dict[int, set[str]] = {row.id: set() for row in rows}
        for center_id, code in db.session.execute(sa.select(center_service)):
            offered.setdefault(center_id, set()).add(code)
    return rows, offered, {}


def scan(every_center, origin, radius=None, groups=(), where=lambda row: True):
    """The reference: every row measured with geopy, filtered, sorted by (distance, id).

    Each origin's distances are measured once for the module: the tests ask the same
    origins through every kind of index (the rows do not change)."""
    rows, offered, measured = every_center
    if origin not in measured:
        measured[origin] = [great_circle(origin, (r.latitude, r.longitude)).miles for r in rows]
    found = []
    for row, miles in zip(rows, measured[origin], strict=True):
        if not where(row) or not all(offered[row.id] & set(codes) for codes in groups):
            continue
        if radius is None or miles <= radius:
            found.append((miles, row.id))
    return sorted(found)


def kinds_of_index(connection) -> list[str]:
    """Every way this engine can search: its spatial indexes' queries and plain boxes."""
    if connection.dialect.name == "sqlite":
        return ["rtree", "btree"]
    installed = set(connection.execute(sa.text("SELECT extname FROM pg_extension")).scalars())
    kinds = ["btree"]
    if "postgis" in installed:
        kinds.append("postgis")
    if "earthdistance" in installed:
        kinds.append("earthdistance")
    return kinds


def _kind_for(wanted: str, best: str, kinds: list[str]) -> str | None:
    if wanted == "its best index":
        return best
    if wanted == "B-tree boxes":
        return "btree" if best != "btree" else None
    other = [kind for kind in ("postgis", "earthdistance") if kind in kinds and kind != best]
    return other[0] if other else None


@pytest.fixture(params=["its best index", "B-tree boxes", "the other GiST index"])
def index_kind(request, dense, monkeypatch):
    """Run a test through each kind of index the engine offers."""
    with dense.app_context():
        with db.engine.connect() as connection:
            best = indexes.spatial_index(connection)
            kind = _kind_for(request.param, best, kinds_of_index(connection))
        if kind is None:
            pytest.skip(f"not on this database (its best index: {best})")
        monkeypatch.setitem(indexes._indexes, db.engine, kind)
        yield kind
        db.session.rollback()


def assert_page_matches(page, expected, page_number, per_page=20):
    """Ids and distances of one page, and the total (a floor when capped)."""
    start = (page_number - 1) * per_page
    wanted = expected[start : start + per_page]
    assert [c.id for c in page.results] == [i for _, i in wanted]
    for center, (miles, _) in zip(page.results, wanted, strict=True):
        assert center.distance == pytest.approx(miles, abs=1e-6)
    if page.total_is_capped:
        assert len(expected) > page.total >= max(search.COUNT_CAP, page_number * per_page)
    else:
        assert page.total == len(expected)


def test_the_best_index_is_used(dense):
    with dense.app_context(), db.engine.connect() as connection:
        best = indexes.spatial_index(connection)
        installed = kinds_of_index(connection)
    expected = (
        "rtree"
        if "rtree" in installed
        else next((kind for kind in ("postgis", "earthdistance") if kind in installed), "btree")
    )
    assert best == expected


@pytest.mark.parametrize("bits", ["masked", "none"])
def test_pages_one_to_three_equal_a_scan_of_every_row(index_kind, every_center, bits, monkeypatch):
    if bits == "none":  # codes without a bit in the service mask: checked on center_service
        monkeypatch.setitem(indexes._bits, db.engine, {})
    rng = random.Random(5)
    origins = [(lat, lon) for _, lat, lon in METROS.values()] + [SPOT, EDGE_ORIGIN]
    origins += [_point_at(rng.choice(origins), rng.uniform(0, 40), rng.uniform(0, 360))
                for _ in range(25)]  # fmt: skip
    for origin in origins:
        radius = rng.choice([5, 10, 25, 50, 100])
        groups = rng.choice(FILTER_SETS)
        expected = scan(every_center, origin, radius, groups)
        for page_number in (1, 2, 3):
            page = search.nearby_centers(db.session, origin, radius, groups, page=page_number)
            assert_page_matches(page, expected, page_number)


def test_centers_at_one_spot_come_in_id_order_across_pages(index_kind, every_center):
    expected = scan(every_center, SPOT, 1)
    assert len(expected) >= 40
    ids = []
    for page_number in (1, 2, 3):
        page = search.nearby_centers(db.session, SPOT, 1, page=page_number)
        assert_page_matches(page, expected, page_number)
        ids += [c.id for c in page.results]
    at_spot = [c for c in ids if c in {i for miles, i in expected if miles == 0}]
    assert at_spot == sorted(at_spot)


@pytest.mark.parametrize("nudge", [1 + 1e-12, 1 - 1e-12])
def test_the_radius_edge_is_where_the_scan_puts_it(index_kind, every_center, nudge):
    ring = scan(every_center, EDGE_ORIGIN, 26, where=lambda row: row.city == "Ringtown")
    for miles, _ in ring[::7]:
        radius = miles * nudge
        expected = scan(every_center, EDGE_ORIGIN, radius)
        page = search.nearby_centers(db.session, EDGE_ORIGIN, radius, per_page=100)
        assert_page_matches(page, expected, 1, per_page=100)


def test_a_crowded_area_counts_to_the_cap_and_says_so(index_kind, every_center):
    new_york = METROS["NY"][1:]
    expected = scan(every_center, new_york, 25)
    assert len(expected) > 200
    first = search.nearby_centers(db.session, new_york, 25)
    assert (first.total, first.total_is_capped, first.total_label) == (100, True, "100+")
    assert first.page_label == "Page 1" and first.pages == 6
    sixth = search.nearby_centers(db.session, new_york, 25, page=6)
    assert sixth.total == 120 and sixth.total_is_capped
    assert_page_matches(sixth, expected, 6)


def test_city_first_then_the_rest_by_distance(index_kind, every_center):
    state, (city, lat, lon) = "CO", METROS["CO"]
    in_city = scan(every_center, (lat, lon), 25, where=lambda r: (r.state, r.city) == (state, city))
    others = scan(every_center, (lat, lon), 25, where=lambda r: (r.state, r.city) != (state, city))
    expected = in_city + others
    for page_number in (1, 2, 3):
        page = search.nearby_centers(
            db.session, (lat, lon), 25, page=page_number, city_first=(state, city.upper())
        )
        start = (page_number - 1) * 20
        assert [c.id for c in page.results] == [i for _, i in expected[start : start + 20]]


def test_a_whole_state_nearest_its_centre_first(index_kind, every_center):
    centre = (42.9, -75.5)
    expected = scan(every_center, centre, None, where=lambda row: row.state == "NY")
    for page_number in (1, 3):
        page = search.nearby_centers(db.session, centre, None, state="NY", page=page_number)
        assert_page_matches(page, expected, page_number)


def test_nearest_beyond_any_radius(index_kind, every_center):
    middle_of_nowhere = (47.5, -110.0)
    expected = scan(every_center, middle_of_nowhere, 6000, (("DM", "METH", "MM", "MU"),))[:5]
    found = search.nearest_beyond(db.session, middle_of_nowhere, [("DM", "METH", "MM", "MU")])
    assert [c.id for c in found] == [i for _, i in expected]


def _found_near(point: tuple[float, float]) -> set[str]:
    page = search.nearby_centers(db.session, point, 1, per_page=100)
    return {c.name1 for c in page.results}


def test_the_index_follows_every_write_at_once(index_kind):
    here, there = (44.5, -100.3), (44.9, -100.9)
    name = "Moving Clinic (Test)"
    db.session.execute(sa.insert(Center).values(  # a bulk Core insert, as importers do
        slug="moving-clinic-test", name1=name, state="SD", source="scale-move",
        latitude=here[0], longitude=here[1], published=True))  # fmt: skip
    assert name in _found_near(here)
    center = db.session.scalar(sa.select(Center).where(Center.slug == "moving-clinic-test"))
    center.latitude, center.longitude = there
    db.session.flush()
    assert name not in _found_near(here) and name in _found_near(there)
    center.published = False
    db.session.flush()
    assert name not in _found_near(there)
    center.published = True
    db.session.flush()
    assert name in _found_near(there)
    db.session.execute(sa.delete(Center).where(Center.source == "scale-move"))
    assert name not in _found_near(there)


def _codes_of(center_id: int) -> set[str]:
    """The codes whose bits the center's mask holds."""
    mask = db.session.scalar(sa.select(Center.service_mask).where(Center.id == center_id))
    bits = dict(db.session.execute(sa.text("SELECT code, bit FROM service_bit")).all())
    return {code for code, bit in bits.items() if mask & (1 << bit)}


def _offers_methadone_near(point: tuple[float, float]) -> set[str]:
    page = search.nearby_centers(db.session, point, 1, [("METH",)], per_page=100)
    return {c.name1 for c in page.results}


def test_service_masks_follow_every_writer_of_the_links(index_kind):
    point, name = (44.2, -103.2), "Mask Clinic (Test)"
    center = Center(slug="mask-clinic-test", name1=name, state="SD", source="scale-mask",
                    latitude=point[0], longitude=point[1])  # fmt: skip
    db.session.add(center)
    db.session.flush()
    assert _codes_of(center.id) == set() and name not in _offers_methadone_near(point)
    links = [{"center_id": center.id, "service_code": code} for code in ("METH", "MD", "SP")]
    db.session.execute(sa.insert(center_service), links)  # a bulk Core insert, as importers do
    assert _codes_of(center.id) == {"METH", "MD", "SP"}
    assert name in _offers_methadone_near(point)
    spanish = sa.and_(
        center_service.c.center_id == center.id, center_service.c.service_code == "SP"
    )
    db.session.execute(sa.update(center_service).where(spanish).values(service_code="BU"))
    assert _codes_of(center.id) == {"METH", "MD", "BU"}
    mine = center_service.c.center_id == center.id
    db.session.execute(
        sa.delete(center_service).where(mine, center_service.c.service_code == "METH")
    )
    assert _codes_of(center.id) == {"MD", "BU"} and name not in _offers_methadone_near(point)
    db.session.expire_all()
    center = db.session.get(Center, center.id)
    center.services.append(db.session.get(Service, "METH"))  # through the ORM, as admins edit
    db.session.flush()
    assert _codes_of(center.id) == {"MD", "BU", "METH"} and name in _offers_methadone_near(point)
    center.services.clear()
    db.session.flush()
    assert _codes_of(center.id) == set() and name not in _offers_methadone_near(point)


def test_codes_without_a_bit_are_found_by_the_join(index_kind, every_center):
    unmasked = [code for code in ("ACM", "DSF", "HV") if code not in _bits()]
    assert unmasked, "these codes were expected to have no bit"
    groups = [(unmasked[0], "METH"), ("MD",)]  # one group with and one without bits
    for origin in [(lat, lon) for _, lat, lon in METROS.values()]:
        expected = scan(every_center, origin, 50, groups)
        assert_page_matches(search.nearby_centers(db.session, origin, 50, groups), expected, 1)


def _bits() -> dict[str, int]:
    return dict(db.session.execute(sa.text("SELECT code, bit FROM service_bit")).all())


def test_results_page_and_api_say_when_the_count_is_capped(dense):
    client = dense.test_client()
    page = client.get("/search?location=40.7128,-74.0060&radius=25")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "100+ centers" in html and "Page 1." in html and 'rel="next"' in html
    assert "Page 1 of" not in html
    body = client.get("/api/v1/centers?location=40.7128,-74.0060&radius=25").get_json()
    assert (body["total"], body["total_is_capped"]) == (100, True)
