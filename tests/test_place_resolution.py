"""What people type into the search box, and the place each must find (issue 12).

Each row: the text, then what it must give. "city:LABEL" or "state:LABEL" resolves at
once; "choose:A|B|…" offers a choice whose first entries are A, B… in that order.
"""

import pytest

from locator.geo import AmbiguousLocation, LocationError, miles_between, resolve_location
from locator.geo.locations import StateChoice

TYPED_PLACES = [
    # A big city beats the state of its name; the state is offered beside it.
    ("New York", "city:New York, NY"),
    ("new york", "city:New York, NY"),
    ("New York, NY", "city:New York, NY"),
    ("New York New York", "city:New York, NY"),
    ("New York State", "state:New York"),
    ("the state of New York", "state:New York"),
    ("NY", "state:New York"),
    ("Washington", "choose:Washington, DC|Washington State|Washington, UT"),
    ("washington", "choose:Washington, DC|Washington State"),
    ("Washington State", "state:Washington"),
    ("Washington, DC", "city:Washington, DC"),
    ("Washington DC", "city:Washington, DC"),
    ("Washington, D.C.", "city:Washington, DC"),
    ("WA", "state:Washington"),
    # Short forms and boroughs.
    ("NYC", "city:New York, NY"),
    ("nyc", "city:New York, NY"),
    ("N.Y.C.", "city:New York, NY"),
    ("New York City", "city:New York, NY"),
    ("Manhattan", "city:Manhattan, NY"),
    ("Manhattan, KS", "city:Manhattan, KS"),
    ("Brooklyn", "city:Brooklyn, NY"),
    ("brooklyn ny", "city:Brooklyn, NY"),
    ("Queens", "city:Queens, NY"),
    ("Queens, NY", "city:Queens, NY"),
    ("the Bronx", "city:The Bronx, NY"),
    ("The Bronx, NY", "city:The Bronx, NY"),
    ("Bronx", "city:The Bronx, NY"),
    ("Staten Island", "city:Staten Island, NY"),
    ("LA", "city:Los Angeles, CA"),
    ("L.A.", "city:Los Angeles, CA"),
    ("Los Angeles", "city:Los Angeles, CA"),
    ("Baton Rouge, LA", "city:Baton Rouge, LA"),
    ("Louisiana", "state:Louisiana"),
    ("Philly", "city:Philadelphia, PA"),
    ("Philadelphia", "city:Philadelphia, PA"),
    ("SF", "city:San Francisco, CA"),
    ("San Fran", "city:San Francisco, CA"),
    ("DC", "city:Washington, DC"),
    ("D.C.", "city:Washington, DC"),
    ("District of Columbia", "state:District of Columbia"),
    ("Vegas", "city:Las Vegas, NV"),
    ("Las Vegas", "city:Las Vegas, NV"),
    ("Las Vegas, NM", "city:Las Vegas, NM"),
    ("NOLA", "city:New Orleans, LA"),
    ("ATL", "city:Atlanta, GA"),
    ("Indy", "city:Indianapolis, IN"),
    ("St. Pete", "city:Saint Petersburg, FL"),
    ("SLC", "city:Salt Lake City, UT"),
    ("OKC", "city:Oklahoma City, OK"),
    # Saint, Fort and Mount in every spelling.
    ("St. Louis", "city:Saint Louis, MO"),
    ("St Louis MO", "city:Saint Louis, MO"),
    ("Saint Louis, Missouri", "city:Saint Louis, MO"),
    ("St. Paul", "city:Saint Paul, MN"),
    ("Ft. Worth", "city:Fort Worth, TX"),
    ("Fort Worth, TX", "city:Fort Worth, TX"),
    ("Ft Lauderdale", "city:Fort Lauderdale, FL"),
    ("Ft. Wayne, IN", "city:Fort Wayne, IN"),
    ("Mt. Pleasant, SC", "city:Mount Pleasant, SC"),
    ("Mount Vernon, NY", "city:Mount Vernon, NY"),
    ("Mt Vernon", "choose:Mount Vernon, NY|Mount Vernon, WA"),
    # A big city alone is the one people mean; others of its name are offered beside it.
    ("Austin", "city:Austin, TX"),
    ("Denver", "city:Denver, CO"),
    ("Portland", "city:Portland, OR"),
    ("Portland, ME", "city:Portland, ME"),
    ("Chicago", "city:Chicago, IL"),
    ("Houston", "city:Houston, TX"),
    ("Albuquerque", "city:Albuquerque, NM"),
    ("Boise", "city:Boise, ID"),
    # Names shared by cities of like size: every state that has one, most populous first.
    ("Springfield", "choose:Springfield, MO|Springfield, MA|Springfield, IL|Springfield, OR"),
    ("Kansas City", "choose:Kansas City, MO|Kansas City, KS"),
    ("Columbus", "choose:Columbus, OH|Columbus, GA"),
    ("Helena", "choose:Helena, MT|Helena, AL"),
    ("Springfield, IL", "city:Springfield, IL"),
    ("Springfield, TN", "city:Springfield, TN"),
    ("Kansas City, KS", "city:Kansas City, KS"),
    # States, ZIP codes and points go on as before.
    ("Texas", "state:Texas"),
    ("texas", "state:Texas"),
    ("MT", "state:Montana"),
    ("Puerto Rico", "state:Puerto Rico"),
    ("San Juan, PR", "city:San Juan, PR"),
    ("78701", "zip:78701 (Austin, TX)"),
    ("59001", "zip:59001 (Absarokee, MT)"),
    ("10001", "zip:10001 (New York, NY)"),
    ("30.2672,-97.7431", "coordinates:Near Austin, TX"),
]


def outcome(text: str) -> str:
    """What resolving the text gives, written as the table writes it."""
    try:
        location = resolve_location(text)
    except AmbiguousLocation as choice:
        return "choose:" + "|".join(c.label for c in choice.candidates)
    except LocationError as error:
        return "error:" + error.message
    return f"{location.kind}:{location.label}"


@pytest.mark.parametrize(("text", "expected"), TYPED_PLACES)
def test_typed_places(text, expected):
    found = outcome(text)
    if expected.startswith("choose:"):
        assert found.startswith(expected), found
    else:
        assert found == expected


def test_the_table_is_large_enough():
    assert len(TYPED_PLACES) >= 60


@pytest.mark.parametrize(
    ("text", "offered"),
    [
        ("New York", "New York State"),
        ("LA", "Louisiana"),
        ("Manhattan", "Manhattan, KS"),
        ("Portland", "Portland, ME"),
        ("Austin", "Austin, MN"),
    ],
)
def test_the_other_meaning_is_offered_beside_and_resolves(text, offered):
    location = resolve_location(text)
    assert offered in location.alternatives
    # What is offered is text that finds that other place itself.
    assert outcome(offered).split(":", 1)[1] in (offered, offered.removesuffix(" State"))


def test_springfield_lists_every_state_that_has_one_by_population():
    with pytest.raises(AmbiguousLocation) as caught:
        resolve_location("Springfield")
    states = [c.state for c in caught.value.candidates]
    assert {"TN", "PA", "NJ", "KY", "IL", "MA", "MO", "OR", "OH", "VA"} <= set(states)
    assert len(states) == len(set(states)) >= 20
    people = [c.population for c in caught.value.candidates]
    assert people == sorted(people, reverse=True)
    assert caught.value.example == "Springfield, MO"


def test_washington_offers_the_state_as_a_choice():
    with pytest.raises(AmbiguousLocation) as caught:
        resolve_location("Washington")
    assert caught.value.candidates[1] == StateChoice("WA")


def test_new_york_is_the_city_not_the_middle_of_the_state():
    city = resolve_location("New York")
    state = resolve_location("New York State")
    times_square = (40.758, -73.9855)
    assert miles_between(city.point, times_square) < 5
    assert miles_between(state.point, times_square) > 50


def test_a_borough_without_a_postal_city_has_its_own_point():
    queens = resolve_location("Queens")
    manhattan = resolve_location("Manhattan")
    assert 5 < miles_between(queens.point, manhattan.point) < 15
    assert queens.state == "NY"


def test_a_town_is_placed_at_its_centre_not_its_zip_codes_centroid():
    # Nome's one ZIP code covers a vast area: its centroid lies 45 miles from the town.
    nome = resolve_location("Nome, AK")
    assert miles_between(nome.point, (64.5011, -165.4064)) < 2
