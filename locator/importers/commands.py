"""The import-centers and export-centers commands (registered in locator.cli)."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from locator.extensions import db
from locator.importers.export import export_csv, export_hsds
from locator.importers.formats import FORMATS
from locator.importers.pipeline import ImportFileError, run_import, unexpected_failure
from locator.importers.remove import removal_counts, remove_source, source_counts
from locator.importers.report import report_lines


class ProgressBar:
    """A progress bar on stderr, opened once the first pass knows the row count."""

    def __init__(self) -> None:
        self.bar = None
        self.shown = 0

    def __call__(self, done: int, total: int | None) -> None:
        if self.bar is None:
            self.bar = click.progressbar(length=total or 0, label="Importing", file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.shown)
        self.shown = done

    def close(self) -> None:
        """Finish the bar's line."""
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


@click.command("import-centers")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "format_name",
    type=click.Choice(list(FORMATS)),
    help="Read the files as this format instead of telling it from their content.",
)
@click.option("--dry-run", is_flag=True, help="Show what would change; write no listing.")
@click.option("--source", help="Source name of the listings (default: per format).")
@click.option("--full-refresh", is_flag=True,
              help="The file is the source's complete export: unpublish its listings absent "
                   "from the file (never deletes).")  # fmt: skip
@click.option("--taxonomy-terms", metavar="TERMS",
              help="HSDS: import only the services with one of these taxonomy terms (codes, "
                   "names or ids, separated by commas).")  # fmt: skip
@with_appcontext
def import_centers_command(paths, format_name, dry_run, source, full_refresh, taxonomy_terms):
    """Import center listings from PATH... (one format; pages of a JSON export together).

    Prints a progress bar to stderr, then the report: counts, rejected rows with their line
    numbers and reasons, a few changes. Exit status: 0 when the import was applied (even if
    it changed nothing) or when a --dry-run preview succeeded (nothing is applied then);
    1 when the import failed or was refused, or when every row was rejected, so that nothing
    was applied.
    """
    bar = ProgressBar()
    try:
        report = run_import(db.session, list(paths), format=format_name, source=source,
                            dry_run=dry_run, full_refresh=full_refresh, progress=bar,
                            taxonomy_terms=taxonomy_terms)  # fmt: skip
    except ImportFileError as error:
        bar.close()
        click.echo(f"Nothing was imported: {error.message}", err=True)
        sys.exit(1)
    except Exception as error:
        bar.close()
        click.echo(unexpected_failure(error), err=True)
        sys.exit(1)
    bar.close()
    for line in report_lines(report):
        click.echo(line)
    counts = report.counts
    if dry_run:
        click.echo("Dry run: nothing was applied. Run again without --dry-run to apply.")
    elif not counts["new"] + counts["changed"] + counts["unchanged"]:
        click.echo("Nothing was applied: no row could be imported.", err=True)
        sys.exit(1)


@click.command("export-centers")
@click.option("--format", "format_name", type=click.Choice(["csv", "hsds"]), default="csv",
              show_default=True, help="csv: the locator CSV; hsds: an HSDS 3.0 zip.")  # fmt: skip
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def export_centers_command(format_name: str, path: Path) -> None:
    """Write every listing to PATH (published or not), to import again or share."""
    write = export_hsds if format_name == "hsds" else export_csv
    count = write(db.session, path)
    click.echo(f"Wrote {count} listings to {path}.")


@click.command("remove-source")
@click.argument("source")
@click.option("--yes", is_flag=True, help="Remove without asking.")
@with_appcontext
def remove_source_command(source: str, yes: bool) -> None:
    """Delete every listing of SOURCE (e.g. `sample`), after saying how many; audited."""
    count, matched = removal_counts(db.session, source)
    if not count + matched:
        counts = source_counts(db.session)
        known = ", ".join(f"{name} ({n})" for name, n in sorted(counts.items())) or "none"
        click.echo(f"No listing has the source {source!r}. Sources: {known}.", err=True)
        sys.exit(1)
    click.echo(f"{count} listings of source {source!r} would be deleted.")
    if matched:
        centers = "1 center" if matched == 1 else f"{matched} centers"
        click.echo(f"Its services would be taken off {centers} that other sources list too.")
    if not yes and not click.confirm("Delete them?", default=False):
        click.echo("Nothing was deleted.")
        return
    remove_source(db.session, source, None)
    db.session.commit()
    click.echo(f"Deleted {count} listings of source {source!r}.")
