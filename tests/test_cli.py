"""The set-up commands, invoked as a person would."""

import sqlalchemy as sa

from locator.extensions import db
from locator.models import Center, Place


def test_init_db_is_repeatable(directory):
    result = directory.test_cli_runner().invoke(args=["init-db"])
    assert result.exit_code == 0 and "Database ready" in result.output


def test_seed_if_empty_keeps_an_existing_directory(directory):
    result = directory.test_cli_runner().invoke(args=["seed", "--if-empty"])
    assert result.exit_code == 0 and "nothing loaded" in result.output


def test_sample_file_loads_with_places_kept_current(app_ctx, tmp_path):
    from locator.cli import load_sample_directory
    from tools.sample_directory import generate_centers, write_csv

    path = tmp_path / "sample.csv"
    write_csv(path, generate_centers(120, seed=3))
    before = db.session.scalar(sa.select(sa.func.count()).select_from(Center))
    try:
        assert load_sample_directory(path) == 120
        published = Center.published.is_(True)
        samples = db.session.scalar(
            sa.select(sa.func.count()).where(Center.source == "sample", published)
        )
        assert samples == 120  # the rest unpublished by the full refresh, not deleted
        counted = db.session.scalar(sa.select(sa.func.sum(Place.center_count)))
        published = db.session.scalar(sa.select(sa.func.count()).where(Center.published.is_(True)))
        assert counted == published
    finally:
        from locator.taxonomy import current_taxonomy
        from tests.helpers.factories import replace_source

        replace_source(db.session, "sample", generate_centers(600, seed=7), current_taxonomy())
        db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Center)) == before
