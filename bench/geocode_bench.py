"""Measure street-level geocoding and a report submission, against a local Census stand-in.

    .venv/bin/python bench/geocode_bench.py                  # 20,000 addresses, SQLite
    .venv/bin/python bench/geocode_bench.py --database-url postgresql+psycopg://...

Fills a scratch database with listings placed at a ZIP centre, starts tests/census_server.py
(the Census batch CSV format) in a child process, and times `geocode_centers` in batches of
the Census maximum (10,000) with no pause between them. The app's own time is its process
CPU time (the server's work is in the other process); the wall time includes the server's.
Then it times report submissions (the POST, checked and stored) with the Flask test client.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path[:] = [str(REPO)] + [p for p in sys.path if Path(p or ".").resolve() != HERE]

import sqlalchemy as sa  # noqa: E402

from locator import create_app  # noqa: E402
from locator.cli import init_database  # noqa: E402
from locator.extensions import db  # noqa: E402
from locator.models import Center  # noqa: E402

ZIP_POINT = (30.2711, -97.7437)  # Austin, 78701


def answer(row: dict):
    """Nine addresses in ten are matched, near the ZIP centre; the tenth is not."""
    number = int(row["id"])
    if number % 10 == 0:
        return None
    return (ZIP_POINT[0] + (number % 97) / 10_000, ZIP_POINT[1] - (number % 89) / 10_000)


def serve(port_queue) -> None:
    """The Census stand-in, in this child process until it is ended."""
    from tests.helpers.census_server import CensusBehaviour, CensusServer

    server = CensusServer(CensusBehaviour(answer=answer))
    port_queue.put(server.url)
    server.httpd.serve_forever()


def fill(count: int) -> None:
    """`count` listings at the ZIP centre of 78701, each with its own street address."""
    rows = [
        {
            "slug": f"bench-geocode-{i}", "name1": f"Bench Program {i}", "name2": "",
            "street1": f"{100 + i} Congress Ave", "street2": "", "city": "Austin", "state": "TX",
            "zip": "78701", "county": "", "phone": "", "intake1": "", "intake2": "",
            "hotline": "", "website": "", "latitude": ZIP_POINT[0], "longitude": ZIP_POINT[1],
            "placement": "zip", "facility_type": "substance_use", "source": "bench",
            "source_id": str(i), "published": True, "unpublished_reason": "",
        }
        for i in range(1, count + 1)
    ]  # fmt: skip
    for start in range(0, count, 5000):
        db.session.execute(sa.insert(Center), rows[start : start + 5000])
    db.session.commit()


def time_geocoding(url: str, count: int) -> dict:
    """Run one geocoding pass; wall and CPU seconds and the counts."""
    from locator.geo.census_client import CensusBatchGeocoder
    from locator.importers.street_points import geocode_centers

    geocoder = CensusBatchGeocoder(url, timeout=600)
    wall, cpu = time.perf_counter(), time.process_time()
    report = geocode_centers(db.session, geocoder, batch_size=10_000, min_delay=0)
    return {
        "wall": time.perf_counter() - wall,
        "cpu": time.process_time() - cpu,
        "report": report,
    }


def time_reports(app, samples: int) -> list[float]:
    """Milliseconds per report submission (POST checked and stored, then the redirect)."""
    import re

    slug = db.session.scalar(sa.select(Center.slug).limit(1))
    client = app.test_client()
    page = client.get(f"/centers/{slug}/report").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    data = {"kind": "wrong_phone", "note": "Rings a pharmacy.", "email": "", "csrf_token": token}
    times = []
    for _ in range(samples):
        start = time.perf_counter()
        response = client.post(f"/centers/{slug}/report", data=data)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 303, response.status_code
    return times


def main() -> None:
    """Parse the options, run both measurements, print the lines for bench/RESULTS.md."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--addresses", type=int, default=20_000)
    parser.add_argument("--reports", type=int, default=200)
    parser.add_argument("--database-url", default="")
    options = parser.parse_args()
    os.environ["LOCATOR_REPORT_RATE_LIMIT"] = "1000000 per hour"
    with tempfile.TemporaryDirectory() as scratch:
        url = options.database_url or f"sqlite:///{Path(scratch) / 'bench.sqlite3'}"
        app = create_app({"SQLALCHEMY_DATABASE_URI": url})
        queue = multiprocessing.get_context("spawn").Queue()
        server = multiprocessing.get_context("spawn").Process(target=serve, args=(queue,))
        server.start()
        try:
            endpoint = queue.get(timeout=30)
            with app.app_context():
                db.drop_all()
                with db.engine.begin() as connection:
                    connection.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
                init_database()
                fill(options.addresses)
                result = time_geocoding(endpoint, options.addresses)
                report_times = time_reports(app, options.reports)
                engine = db.engine.dialect.name
        finally:
            server.terminate()
            server.join()
    report = result["report"]
    print(f"engine: {engine}; {options.addresses:,} addresses in {report.batches} batches")
    print(f"geocoding: {result['wall']:.1f} s wall, {result['cpu']:.1f} s of the app's CPU; "
          f"{report.summary()}")  # fmt: skip
    ordered = sorted(report_times)
    print(
        f"report submission: median {statistics.median(ordered):.1f} ms, "
        f"p95 {ordered[int(len(ordered) * 0.95) - 1]:.1f} ms over {len(ordered)}"
    )


if __name__ == "__main__":
    main()
