"""An import as an admin does it, in Chromium: upload part of the real National Directory,
watch the preview and the apply move on their own page, then review a second file's changed
listings by name with their fields before and after. With JavaScript off the page refreshes
itself instead."""

from __future__ import annotations

import csv
import gzip
import io
import re
import time
from pathlib import Path

import pytest

from locator.importers import pipeline
from tests.helpers.browser import SCREENSHOTS, needs_chromium
from tests.helpers.importing import imports_cleaned_up

pytestmark = [pytest.mark.e2e, needs_chromium]

DIRECTORY = Path(__file__).resolve().parents[2] / "data" / "samhsa-national-directory.csv.gz"
ROWS = 1500
CHANGED = 40


def directory_part(rows: int, changed_phones: int = 0) -> bytes:
    """The first rows of the real directory as CSV; the first `changed_phones` get a new phone."""
    with gzip.open(DIRECTORY, "rt", encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=reader.fieldnames)
        writer.writeheader()
        for number, row in enumerate(reader):
            if number == rows:
                break
            if number < changed_phones:
                row["phone"] = f"555-010-{number:04d}"
            writer.writerow(row)
    return out.getvalue().encode()


@pytest.fixture
def slow_jobs(live_server, background_jobs, monkeypatch):
    """Jobs in the thread pool, 100 listings a batch and a pause after each: about five seconds
    a pass, so the page (which asks each second) sees the count move at least twice."""
    commit_batch = pipeline._commit_batch

    def commit_then_pause(session, upsert):
        commit_batch(session, upsert)
        time.sleep(0.3)

    monkeypatch.setattr(pipeline, "BATCH_SIZE", 100)
    monkeypatch.setattr(pipeline, "_commit_batch", commit_then_pause)
    with live_server.app.app_context():
        cleanup = imports_cleaned_up()
        next(cleanup)
    yield
    with live_server.app.app_context():
        next(cleanup, None)


def sign_in(page, admin_user) -> None:
    page.goto("/admin/sign-in")
    page.get_by_label("Email").fill(admin_user.email)
    page.get_by_label("Password").fill(admin_user.password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/admin/$"))


def upload(page, name: str, content: bytes) -> None:
    page.goto("/admin/imports")
    page.set_input_files(
        "#files", files=[{"name": name, "mimeType": "text/csv", "buffer": content}]
    )
    page.get_by_role("button", name="Preview the import").click()
    page.wait_for_url(re.compile(r"/admin/imports/\d+$"))


def watch_progress(page, shot: str | None) -> None:
    """See the progress move (rows done of the total, a rate), then the finished page."""
    page.locator("#progress-rows").wait_for(timeout=20_000)
    # Both readings are taken inside the page: once the run ends the page reloads and the
    # element is gone, so reading it again from here would race with that reload.
    moved = page.wait_for_function(
        """() => {
            const text = document.getElementById('progress-rows')?.textContent || '';
            if (!/^[1-9][0-9]* of [0-9]+ rows$/.test(text)) return false;
            window.firstRows = window.firstRows || text;
            return text !== window.firstRows && [window.firstRows, text,
                document.getElementById('progress-phase')?.textContent || ''];
        }""",
        timeout=30_000,
    ).json_value()  # it moved without a reload by hand
    first, then, phase = moved
    assert " of " in first and " of " in then and phase
    if shot:  # the rate needs two readings; a run that ends first has no picture
        page.wait_for_function(
            "() => /rows a second/.test(document.getElementById('progress-rate')?.textContent)"
            " || document.querySelector('.admin-table.counts')"
        )
        if page.locator("#progress-rate").count():
            page.screenshot(path=str(SCREENSHOTS / shot), full_page=False)
    page.locator(".admin-table.counts").wait_for(timeout=60_000)  # the result, reloaded


def test_preview_and_apply_move_by_themselves_then_changes_are_reviewed(
    open_context, admin_user, slow_jobs
):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = open_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(page, admin_user)

    upload(page, "national-directory.csv", directory_part(ROWS))
    watch_progress(page, "import-preview-progress-1280x900.png")
    assert "What applying this file would do" in page.content()
    assert "SAMHSA National Directory" in page.locator("#run-format").inner_text()
    page.get_by_role("button", name="Apply this import").click()
    page.wait_for_url(re.compile(r"/admin/imports/\d+$"))
    watch_progress(page, "import-apply-progress-1280x900.png")
    assert "What the import did" in page.content()

    upload(page, "national-directory-new-phones.csv", directory_part(ROWS, CHANGED))
    watch_progress(page, None)
    page.get_by_role("link", name=re.compile(r"^Changed \(\d+\)$")).click()
    table = page.locator("table.changes")
    assert f"Changed: {CHANGED} listings" in table.locator("caption").inner_text()
    first_change = table.locator("tbody tr").first
    assert "(555) 010-" in first_change.locator("ins").first.inner_text()
    assert first_change.locator("del").first.inner_text() != ""
    page.screenshot(path=str(SCREENSHOTS / "import-preview-changed-full.png"), full_page=True)
    page.locator("#changes-title").scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "import-preview-changed-1280x900.png"))

    name = first_change.locator("th").inner_text()
    page.get_by_label("Name contains").fill(name[:12])
    page.get_by_role("button", name="Filter").click()
    page.wait_for_load_state()
    assert all(
        name[:12].lower() in cell.lower()
        for cell in page.locator("table.changes tbody th").all_inner_texts()
    )


def test_without_javascript_the_page_refreshes_itself(open_context, admin_user, slow_jobs):
    page = open_context(java_script_enabled=False).new_page()
    sign_in(page, admin_user)
    upload(page, "national-directory.csv", directory_part(600))
    assert page.locator('noscript, meta[http-equiv="refresh"]').count() >= 1
    page.locator(".admin-table.counts").wait_for(timeout=60_000)  # the meta refresh reloaded it
    assert "What applying this file would do" in page.content()
