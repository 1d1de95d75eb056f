"""A fast load of a big generated directory, for the benchmark only (the app's seed path is
unchanged and still loads every directory the pages serve).

Loading a million generated centers through the import pipeline takes 16 minutes on SQLite and
71 on PostgreSQL (bench/RESULTS.md), and its CSV is over the upload limit
(LOCATOR_IMPORT_MAX_EXPANDED_MB). The benchmark times searches, not imports, so here the rows
of `tools.sample_directory.generate_centers` go straight into the app's tables after
`init_database`, in batches: `executemany` on SQLite, COPY on PostgreSQL. Each center is
written with its service masks, as the importer writes a new center. What the migrations keep
by trigger or index is kept by those same triggers and indexes: the R*Tree, its narrow table
and the rare filters' R*Tree on SQLite, the GiST indexes on PostgreSQL. One exception: on
PostgreSQL the links are copied with triggers off (`session_replication_role = replica`),
which skips the mask trigger and the foreign-key checks, three fifths of the time; so every
mask is then checked against the links (`masks_differing`), which also checks SQLite's.
Then the place table is built by the app's own function.

Left out, as nothing here measures them: the site-search index (`flask --app locator init-db`
fills it later, as it does after any load before that index existed), the import run's record
and change list, and matching listings across sources (one source, unique ids).
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Iterator
from datetime import date, datetime

import sqlalchemy as sa

from locator.extensions import db
from locator.importers.normalize import normalize_phone
from locator.importers.slugs import base_slug
from locator.models import Center
from locator.places import refresh_places
from locator.search.indexes import forget_spatial_index, masks_of, service_bits
from tools.sample_directory import generate_centers

BATCH = 20_000
PHONES = ("phone", "intake1", "intake2", "hotline")
TEXT = ("name1", "name2", "street1", "street2", "city", "state", "zip", "county", "website",
        "source", "source_id", "facility_type")  # fmt: skip


def _defaults() -> dict[str, object]:
    """Each center column's Python default, where it has a plain one (as an insert gets)."""
    found = {}
    for column in Center.__table__.columns:
        default = column.default
        if default is not None and default.is_scalar:
            found[column.name] = default.arg
    return found


def center_rows(size: int, seed: int, bits: dict[str, int]) -> Iterator[tuple[dict, list[str]]]:
    """Each generated center as a row of the center table (id 1 upwards), with its codes."""
    now = datetime(2026, 11, 21)
    defaults = _defaults()
    for number, fields in enumerate(generate_centers(size, seed), start=1):
        codes = fields["services"].split()
        row = dict(defaults)
        row.update({name: fields[name] for name in TEXT})
        row.update({name: normalize_phone(fields[name])[0] for name in PHONES})
        row.update(
            id=number,
            slug=f"{base_slug(row['name1'], row['city'], row['state'])}-{number}",
            latitude=float(fields["latitude"]),
            longitude=float(fields["longitude"]),
            placement="source",
            published=fields["published"] == "1",
            last_verified=date.fromisoformat(fields["last_verified"]),
            created_at=now,
            updated_at=now,
        )
        row["service_mask"], row["service_mask2"] = masks_of(codes, bits)
        yield row, codes


def _batches(rows: Iterator[tuple[dict, list[str]]]) -> Iterator[list[tuple[dict, list[str]]]]:
    batch = []
    for item in rows:
        batch.append(item)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _write_sqlite(connection, columns: list[str], batch) -> None:
    insert = (
        f"INSERT INTO center ({', '.join(columns)}) "  # noqa: S608 (the model's own column names)
        f"VALUES ({', '.join('?' for _ in columns)})"
    )
    connection.exec_driver_sql(insert, [tuple(row[c] for c in columns) for row, _ in batch])
    links = [(row["id"], code) for row, codes in batch for code in codes]
    connection.exec_driver_sql(
        "INSERT INTO center_service (center_id, service_code) VALUES (?, ?)", links
    )


def _copy_text(value: object) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def _write_postgresql(connection, columns: list[str], batch) -> None:
    cursor = connection.connection.dbapi_connection.cursor()
    centers = io.StringIO()
    for row, _ in batch:
        centers.write("\t".join(_copy_text(row[c]) for c in columns) + "\n")
    with cursor.copy(f"COPY center ({', '.join(columns)}) FROM STDIN") as copy:
        copy.write(centers.getvalue())
    links = io.StringIO()
    for row, codes in batch:
        links.writelines(f"{row['id']}\t{code}\n" for code in codes)
    # Triggers off for the links alone: the masks are already written (see the docstring).
    cursor.execute("SET LOCAL session_replication_role = replica")
    with cursor.copy("COPY center_service (center_id, service_code) FROM STDIN") as copy:
        copy.write(links.getvalue())
    cursor.execute("SET LOCAL session_replication_role = origin")


def bulk_load(size: int, seed: int, say: Callable[[str], None] = print) -> float:
    """Load `size` generated centers into the app's (freshly initialised) database; seconds."""
    started = time.perf_counter()
    connection = db.session.connection()
    dialect = connection.dialect.name
    bits = service_bits(connection)
    columns = None
    write = _write_sqlite if dialect == "sqlite" else _write_postgresql
    if dialect == "sqlite":
        connection.exec_driver_sql("PRAGMA synchronous=OFF")
    loaded = 0
    for batch in _batches(center_rows(size, seed, bits)):
        columns = columns or sorted(batch[0][0])
        write(connection, columns, batch)
        loaded += len(batch)
        if loaded % 200_000 < BATCH:
            say(f"{loaded:,} centers written ({time.perf_counter() - started:.0f} s)")
    if dialect == "postgresql":
        connection.exec_driver_sql("SELECT setval('center_id_seq', (SELECT max(id) FROM center))")
    refresh_places(db.session)
    say(f"place table built ({time.perf_counter() - started:.0f} s)")
    differing = masks_differing(connection)
    if differing:
        raise RuntimeError(f"{differing} centers' service masks differ from their links")
    db.session.commit()
    forget_spatial_index(db.engine)
    return time.perf_counter() - started


def masks_differing(connection: sa.Connection) -> int:
    """How many centers have a service mask (of either word) other than the OR of their
    links' bits."""
    # A center's codes are distinct: on SQLite a sum of their bits is their OR.
    postgresql = connection.dialect.name == "postgresql"
    bit = "bit_or(1::bigint << sb.bit)" if postgresql else "sum(1 << sb.bit)"
    differing = 0
    for table, column in (("service_bit", "service_mask"), ("service_bit2", "service_mask2")):
        differing += connection.execute(
            sa.text(
                f"SELECT count(*) FROM center AS c LEFT JOIN (SELECT cs.center_id, {bit} AS mask "  # noqa: S608
                f"FROM center_service AS cs JOIN {table} AS sb ON sb.code = cs.service_code "
                "GROUP BY cs.center_id) AS linked ON linked.center_id = c.id "
                f"WHERE c.{column} <> coalesce(linked.mask, 0)"
            )
        ).scalar_one()
    return differing
