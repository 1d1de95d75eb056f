"""Field normalisation and upload helpers, value by value."""

from __future__ import annotations

import shutil
import zipfile

import pytest

from locator.importers.files import (
    ImportFileError,
    decode_bytes,
    extract_zip,
    looks_binary,
    text_encoding,
)
from locator.importers.normalize import (
    clean_text,
    normalize_city,
    normalize_phone,
    normalize_state,
    normalize_street,
    normalize_url,
    normalize_zip,
)
from locator.importers.services import ServiceMapper, other_code
from locator.web.templating import tel_href


@pytest.mark.parametrize(
    ("given", "state", "expected"),
    [
        ("2134", "MA", "02134"),
        ("21341234", "MA", "02134"),
        ("7102", "NJ", "07102"),
        ("601", "PR", "00601"),
        ("78701-1234", "TX", "78701"),
        ("787011234", "TX", "78701"),
        ("78701.0", "TX", "78701"),
        ("", "TX", ""),
        ("2134", "TX", None),
        ("ABCDE", "TX", None),
        ("78701-12AB", "TX", None),
    ],
)
def test_zip_codes_become_five_digits(given, state, expected):
    assert normalize_zip(given, state) == expected


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("(512) 555-0100", ("(512) 555-0100", True)),
        ("512.555.0100", ("(512) 555-0100", True)),
        ("+1 512 555 0100", ("(512) 555-0100", True)),
        ("(512) 555-0100 x12", ("(512) 555-0100 x12", True)),
        ("512-555-0100 ext. 12", ("(512) 555-0100 x12", True)),
        ("512 555 0100 extension 7", ("(512) 555-0100 x7", True)),
        ("1-800-662-HELP", ("(800) 662-4357", True)),
        ("555-0100", ("555-0100", False)),
        ("", ("", True)),
    ],
)
def test_phones_get_one_display_form(given, expected):
    assert normalize_phone(given) == expected


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("512.555.0100", "tel:+15125550100"),
        ("512-555-0100 ext. 12", "tel:+15125550100;ext=12"),
        ("1-800-662-HELP", "tel:+18006624357"),
    ],
)
def test_the_call_link_of_a_stored_number_dials_it(given, expected):
    # Stored numbers take a short path past the full parser; both must dial the same.
    shown, _ = normalize_phone(given)
    assert tel_href(shown) == expected
    assert tel_href(shown.replace(" x", " ext. ")) == expected


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("example.org", ("https://example.org", True)),
        ("http://example.org/a?b=1", ("http://example.org/a?b=1", True)),
        ("www.example.org:8080/x", ("https://www.example.org:8080/x", True)),
        ("javascript:alert(1)", ("", False)),
        ("JavaScript:alert(1)", ("", False)),
        ("data:text/html,<b>x</b>", ("", False)),
        ("ftp://example.org", ("", False)),
        ("http://localhost", ("", False)),
        ("https://exa mple.org", ("", False)),
        ("", ("", True)),
    ],
)
def test_websites_get_a_scheme_and_unsafe_ones_are_dropped(given, expected):
    assert normalize_url(given) == expected


def test_states_cities_and_text():
    assert [normalize_state(s) for s in ("tx", "Texas", "MT", "Puerto Rico", "ZZ", "")] == [
        "TX", "TX", "MT", "PR", None, None,
    ]  # fmt: skip
    assert normalize_city("SAINT LOUIS") == "Saint Louis"
    assert normalize_city("McAllen") == "McAllen"
    assert clean_text("  Two   spaces\tand tab ") == "Two spaces and tab"
    assert clean_text(2134.0) == "2134"
    assert [normalize_street(s) for s in ("- - -", " --- ", ".", "12 Main St", "Rte 9")] == [
        "", "", "", "12 Main St", "Rte 9",
    ]  # fmt: skip


def test_labels_map_to_codes_and_unknown_ones_become_other(app_ctx):
    from locator.taxonomy import current_taxonomy

    mapper = ServiceMapper(current_taxonomy())
    assert mapper.code("Outpatient") == ("OP", None)
    assert mapper.code("DETOXIFICATION") == ("DT", None)
    assert mapper.code("Acamprosate (Campral®)") == ("ACM", None)
    assert mapper.code("Equine therapy") == ("X-EQUINE-THERAPY", "Equine therapy")
    long_code = other_code("Recovery support coaching for families")
    assert len(long_code) <= 16 and long_code.startswith("X-RECOVERY")
    assert mapper.raw_code("zz9") == ("ZZ9", "Other service (code ZZ9)")


def test_upload_bytes_decode_in_order_and_binary_is_refused(tmp_path):
    assert decode_bytes("Peñasco".encode()) == "Peñasco"
    assert decode_bytes("Peñasco – “quoted”".encode("cp1252")) == "Peñasco – “quoted”"
    assert decode_bytes(b"caf\x81") == "caf\x81"  # undefined in cp1252: latin-1
    assert looks_binary(b"PK\x03\x04\x00\x00") and not looks_binary(b"name1,state\r\n")
    with pytest.raises(ImportFileError, match="The file is empty"):
        decode_bytes(b"")
    path = tmp_path / "a.csv"
    path.write_bytes("name1\nPeñasco\n".encode("cp1252"))
    assert text_encoding(path) == "cp1252"


def test_zip_members_with_absolute_paths_are_refused(tmp_path):
    archive = tmp_path / "a.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("/etc/cron.d/evil", "x")
    with pytest.raises(ImportFileError, match="unsafe path"):
        extract_zip(archive)
    safe = tmp_path / "b.zip"
    with zipfile.ZipFile(safe, "w") as zipped:
        zipped.writestr("pkg/datapackage.json", "{}")
    folder = extract_zip(safe)
    try:
        assert (folder / "pkg" / "datapackage.json").read_text() == "{}"
    finally:
        shutil.rmtree(folder)
