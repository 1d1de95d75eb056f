"""The gazetteer resolves every form of location a person types, offline."""

import pytest
import sqlalchemy as sa

from locator.extensions import db
from locator.geo import (
    AmbiguousLocation,
    LocationError,
    miles_between,
    resolve_location,
    slugify,
)
from locator.geo.online import answer_key, cached_lookup
from locator.geocoding import address_geocoder
from locator.models import GeocodeCache


@pytest.mark.parametrize(
    ("text", "kind", "label"),
    [
        ("78701", "zip", "78701 (Austin, TX)"),
        ("02134", "zip", "02134 (Allston, MA)"),
        ("78701-1234", "zip", "78701 (Austin, TX)"),
        ("Austin, TX", "city", "Austin, TX"),
        ("austin texas", "city", "Austin, TX"),
        ("  AUSTIN ,  tx ", "city", "Austin, TX"),
        ("Saint Louis MO", "city", "Saint Louis, MO"),
        ("St. Louis, MO", "city", "Saint Louis, MO"),
        ("Ft Worth TX", "city", "Fort Worth, TX"),
        ("Washington DC", "city", "Washington, DC"),
        ("San Juan, Puerto Rico", "city", "San Juan, PR"),
        ("Texas", "state", "Texas"),
        ("TX", "state", "Texas"),
        ("district of columbia", "state", "District of Columbia"),
        ("30.2672,-97.7431", "coordinates", "Near Austin, TX"),
        ("100 Congress Ave, Austin, TX 78701", "address", "78701 (Austin, TX)"),
        ("Albuquerque", "city", "Albuquerque, NM"),
        ("Helena, MT", "city", "Helena, MT"),
        ("billings mt", "city", "Billings, MT"),
        ("MT", "state", "Montana"),
    ],
)
def test_forms_of_location(text, kind, label):
    location = resolve_location(text)
    assert (location.kind, location.label) == (kind, label)


def test_zip_point_is_the_zip_centroid():
    location = resolve_location("78701")
    assert location.point == pytest.approx((30.2713, -97.7426), abs=1e-4)


def test_ambiguous_city_offers_candidates_most_populous_first():
    with pytest.raises(AmbiguousLocation) as caught:
        resolve_location("Springfield")
    labels = [c.label for c in caught.value.candidates]
    assert len(labels) >= 5
    assert {"Springfield, IL", "Springfield, MA", "Springfield, MO"} <= set(labels)
    sizes = [c.population for c in caught.value.candidates]
    assert sizes == sorted(sizes, reverse=True)


def test_address_without_zip_falls_back_to_its_city_and_says_so():
    location = resolve_location("100 Congress Ave, Austin, TX")
    assert location.label == "Austin, TX"
    assert "ZIP" in location.note


def test_address_without_zip_uses_the_online_geocoder_when_given():
    asked = []

    def fake_geocoder(address):
        asked.append(address)
        return (30.2747, -97.7404)

    location = resolve_location("1100 Congress Ave Austin", fake_geocoder)
    assert asked == ["1100 Congress Ave Austin"]
    assert location.kind == "address"
    assert location.point == (30.2747, -97.7404)


@pytest.mark.parametrize(
    ("text", "message_part"),
    [
        ("", "Enter a ZIP code"),
        ("x" * 2000, "too long"),
        ("00000", "don't know the ZIP code 00000"),
        ("91.5,-97", "Latitude must be between"),
        ("30,-200", "longitude between"),
        ("Qwxyzzy", "Try a ZIP code"),
    ],
)
def test_unknown_text_says_which_forms_work(text, message_part):
    with pytest.raises(LocationError) as caught:
        resolve_location(text)
    assert message_part in caught.value.message


def test_misspelled_city_gets_close_matches():
    with pytest.raises(LocationError) as caught:
        resolve_location("Austn, TX")
    assert "Austin, TX" in caught.value.suggestions


def test_great_circle_miles():
    austin, dallas = (30.2672, -97.7431), (32.7767, -96.7970)
    assert miles_between(austin, dallas) == pytest.approx(182.1, abs=0.5)


@pytest.mark.parametrize(
    ("text", "slug"),
    [("New York", "new-york"), ("Cataño", "catano"), ("Coeur d'Alene", "coeur-dalene")],
)
def test_slugs_are_lowercase_ascii_with_hyphens(text, slug):
    assert slugify(text) == slug


class DictAnswers:
    """Remembered answers in a dict, as any store the caller hands in."""

    def __init__(self):
        self.kept = {}

    def recall(self, key):
        return (key in self.kept, self.kept.get(key))

    def remember(self, key, point):
        self.kept[key] = point


def test_the_online_geocoder_is_asked_once_per_address_found_or_not():
    asked = []

    def fake_geocoder(address):
        asked.append(address)
        return None if "Nowhere" in address else (30.2747, -97.7404)

    answers = DictAnswers()
    for typed in ("1100 Congress Ave Austin", "1100  congress ave AUSTIN", "1 Nowhere Rd"):
        cached_lookup(typed, fake_geocoder, answers)
    assert cached_lookup("1 Nowhere Rd", fake_geocoder, answers) is None
    assert cached_lookup("1100 Congress Ave Austin", fake_geocoder, answers) == (30.2747, -97.7404)
    assert asked == ["1100 Congress Ave Austin", "1 Nowhere Rd"]
    assert all("Congress" not in key and "Nowhere" not in key for key in answers.kept)


def test_the_apps_geocoder_keeps_its_answers_in_the_table_without_the_address(app_ctx, monkeypatch):
    asked = []
    app_ctx.extensions["locator.geocoder"] = lambda address: asked.append(address) or (1.5, 2.5)
    monkeypatch.setitem(app_ctx.config, "LOCATOR_GEOCODER_ENABLED", True)
    try:
        lookup = address_geocoder()
        assert lookup("77 Quiet Lane Springfield") == (1.5, 2.5)
        assert address_geocoder()("77 quiet lane springfield") == (1.5, 2.5)
        assert asked == ["77 Quiet Lane Springfield"]
        row = db.session.get(GeocodeCache, answer_key("77 Quiet Lane Springfield"))
        assert (row.latitude, row.longitude) == (1.5, 2.5)
    finally:
        del app_ctx.extensions["locator.geocoder"]
        db.session.execute(sa.delete(GeocodeCache))
        db.session.commit()
