"""No string left behind: every string people read has its Spanish translation, up to date.

The catalog is extracted again from the templates and the Python code, with the options of
`make messages`, and compared with the committed Spanish catalog.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "locator" / "translations" / "es" / "LC_MESSAGES" / "messages.po"
COMPILED = CATALOG.with_suffix(".mo")
# The same options as BABEL_EXTRACT in the Makefile (`--ignore-dirs`: Babel skips folders whose
# names start with "_" unless told otherwise, and the template partials are in `_partials`).
EXTRACT = ["extract", "-F", "babel.cfg", "-k", "lazy_gettext", "-k", "_l",
           "--no-location", "--sort-output", "--omit-header", "--ignore-dirs=.*"]  # fmt: skip
_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The strings of the current sources, as `make messages` extracts them."""
    output = tmp_path_factory.mktemp("catalog") / "messages.pot"
    pybabel = Path(sys.executable).with_name("pybabel")
    subprocess.run(  # noqa: S603 (our own pybabel, fixed arguments)
        [str(pybabel), "-q", *EXTRACT, "-o", str(output), "."],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with output.open("rb") as file:
        return read_po(file)


@pytest.fixture(scope="module")
def spanish():
    with CATALOG.open("rb") as file:
        return read_po(file, locale="es")


def _ids(catalog) -> set:
    return {(message.context, message.id) for message in catalog if message.id}


def test_the_spanish_catalog_has_every_string_of_the_sources(extracted, spanish):
    missing = _ids(extracted) - _ids(spanish)
    assert not missing, f"not in the Spanish catalog (run `make messages`): {sorted(missing)}"


def test_the_spanish_catalog_has_no_string_the_sources_dropped(extracted, spanish):
    stale = _ids(spanish) - _ids(extracted)
    assert not stale, f"no longer in the sources (run `make messages`): {sorted(stale)}"


def test_every_string_has_its_spanish_translation(spanish):
    untranslated = [
        message.id
        for message in spanish
        if message.id
        and (
            not message.string
            or (isinstance(message.string, tuple) and not all(message.string))
            or message.fuzzy
        )
    ]
    assert not untranslated, f"no Spanish translation (or fuzzy): {untranslated}"


def test_translations_keep_every_placeholder(spanish):
    for message in spanish:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(_PLACEHOLDER.findall(ids[-1])) | set(_PLACEHOLDER.findall(ids[0]))
        for string in strings:
            found = set(_PLACEHOLDER.findall(string))
            # A singular may leave out %(count)s ("un centro"), never invent one.
            assert found <= wanted, (message.id, string)
            assert wanted - {"count", "num"} <= found, (message.id, string)


def test_plurals_have_every_spanish_form(spanish):
    for message in spanish:
        if message.pluralizable:
            assert len(message.string) == spanish.num_plurals, message.id


def test_the_compiled_catalog_is_current():
    assert COMPILED.exists(), "run `make install`: it compiles the catalogs"
    assert COMPILED.stat().st_mtime >= CATALOG.stat().st_mtime, "run `make install` again"
