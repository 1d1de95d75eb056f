"""Every code, filter and heading of the taxonomy is worded in Spanish, from the data files."""

import csv
from pathlib import Path

import pytest

from locator.taxonomy import CATEGORY_ORDER, category_label, load_taxonomy, unknown_label
from locator.web.result_cards import label_tables, leading_labels

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture(scope="module")
def taxonomy():
    return load_taxonomy(DATA)


def test_every_shipped_code_has_its_own_spanish_label(taxonomy):
    assert len(taxonomy.services) == 314
    unworded = [c for c in taxonomy.services if c not in taxonomy.translations["es"]]
    assert unworded == []
    same = [c for c, d in taxonomy.services.items() if taxonomy.label(c, "es") == d.label]
    # only proper names and words that Spanish writes the same way
    assert set(same) <= {"MD", "MC", "DSF", "DROPE", "HALOP", "F25", "F36", "F37", "N24", "N40"}


def test_every_filter_and_heading_has_a_spanish_label(taxonomy):
    unworded = [k for k in taxonomy.filters if f"filter:{k}" not in taxonomy.translations["es"]]
    assert unworded == []
    same = [k for k, f in taxonomy.filters.items() if taxonomy.filter_label(k, "es") == f.label]
    assert same == ["medicaid", "medicare", "lgbtq"]
    assert taxonomy.filter_label("detox", "es") == "Desintoxicación"
    assert taxonomy.filter_label("sliding-fee", "es") == "Escala móvil de pago"
    for category in CATEGORY_ORDER:
        assert category_label(category, "es") != category_label(category, "en"), category


@pytest.mark.parametrize(
    ("code", "spanish"),
    [
        ("METH", "Metadona"),
        ("DT", "Desintoxicación"),
        ("BWN", "Buprenorfina con naloxona"),
        ("RES", "Tratamiento residencial"),
        ("OP", "Tratamiento ambulatorio"),
        ("TELE", "Telemedicina"),
        ("SS", "Escala móvil de pago"),
        ("AD", "Adolescentes"),
        ("VET", "Veteranos"),
        ("GL", "Personas LGBTQ+"),
    ],
)
def test_spanish_labels_read_as_spanish(taxonomy, code, spanish):
    assert taxonomy.label(code, "es") == spanish
    assert taxonomy.service(code, "es").label == spanish
    assert taxonomy.service(code).label == taxonomy.services[code].label  # English unchanged


def test_unknown_codes_and_languages(taxonomy):
    assert taxonomy.label("QQQ", "es") == "Otro servicio (código QQQ)"
    assert unknown_label("QQQ") == "Other service (code QQQ)"
    assert taxonomy.label("METH", "fr") == "Methadone"  # a language the file lacks: English
    [(heading, [definition])] = taxonomy.grouped(["QQQ"], lang="es")
    assert (heading, definition.label) == ("Otros", "Otro servicio (código QQQ)")
    # an import's own wording of a code the taxonomy lacks is shown as it is
    [(_, [named])] = taxonomy.grouped(["QQQ"], {"QQQ": "Equine therapy"}, lang="es")
    assert named.label == "Equine therapy"


def test_pages_get_grouped_codes_and_filters_in_spanish(taxonomy):
    groups = dict(taxonomy.grouped(["METH", "MD", "SP"], lang="es"))
    assert [d.label for d in groups["Medicamentos para el trastorno por consumo de opioides"]] == [
        "Metadona"
    ]
    assert [d.label for d in groups["Servicios de idiomas"]] == ["Español"]
    form = dict(taxonomy.filters_by_category("es"))
    assert "Desintoxicación" in [f.label for f in form["Tipo de atención"]]
    assert taxonomy.filters["detox"].label == "Detox"  # the shared filter is not reworded
    spanish = taxonomy.worded("es")
    tags = leading_labels(label_tables(spanish), spanish, ["SS", "METH", "ZZZ"])
    assert tags[0] == "Metadona" and tags[-1] == "Otro servicio (código ZZZ)"  # unknown last


def test_a_row_without_spanish_falls_back_to_english(tmp_path):
    for name in ("taxonomy.csv", "filters.csv"):
        with (DATA / name).open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        rows[0]["label_es"] = ""
        with (tmp_path / name).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    partial = load_taxonomy(tmp_path)
    assert partial.label("SA", "es") == "Substance use treatment"
    assert partial.filter_label("substance-use", "es") == "Substance use treatment"
    assert partial.label("DT", "es") == "Desintoxicación"


def test_a_pages_view_reads_every_label_in_its_language(taxonomy):
    spanish = taxonomy.worded("es")
    assert spanish is taxonomy.worded("es") and taxonomy.worded("en") is taxonomy
    assert spanish.services["METH"].label == "Metadona"
    assert spanish.filters["detox"].label == "Desintoxicación"
    assert spanish.service("QQQ").label == "Otro servicio (código QQQ)"
    assert spanish.label("METH", "en") == "Methadone"  # an explicit language still wins
    assert dict(spanish.filters_by_category())["Tipo de atención"][0].label == (
        "Tratamiento por consumo de sustancias"
    )
    assert spanish.select(["detox"]).groups == taxonomy.select(["detox"]).groups
    assert taxonomy.services["METH"].label == "Methadone"  # the English one is unchanged
