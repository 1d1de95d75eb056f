"""Places written in Spanish (issue 13): "Nueva York", "San Juan, PR", "Pensilvania",
accented or not, wherever a place is typed: the search box, site search and the API."""

import pytest

from locator.geo import LocationError, resolve_location, state_abbr

SPANISH_PLACES = [
    # Nueva York is the city, as New York is, with the state offered beside it.
    ("Nueva York", "city", "New York, NY", ("New York State",)),
    ("nueva york", "city", "New York, NY", ("New York State",)),
    ("Ciudad de Nueva York", "city", "New York, NY", ()),
    ("Nueva York, NY", "city", "New York, NY", ()),
    ("estado de Nueva York", "state", "New York", ()),
    ("el estado de nueva york", "state", "New York", ()),
    ("Nueva York (estado)", "state", "New York", ()),
    ("San Juan, PR", "city", "San Juan, PR", ()),
    ("San Juan, Puerto Rico", "city", "San Juan, PR", ()),
    ("Filadelfia, Pensilvania", "city", "Philadelphia, PA", ()),
    ("Nueva Orleans", "city", "New Orleans, LA", ()),
    ("Albuquerque, Nuevo México", "city", "Albuquerque, NM", ()),
    ("Charlotte carolina del norte", "city", "Charlotte, NC", ()),
    ("Nuevo México", "state", "New Mexico", ()),
    ("Nuevo Mexico", "state", "New Mexico", ()),
    ("Pensilvania", "state", "Pennsylvania", ()),
    ("Carolina del Norte", "state", "North Carolina", ()),
    ("carolina del sur", "state", "South Carolina", ()),
    ("Dakota del Norte", "state", "North Dakota", ()),
    ("Dakota del Sur", "state", "South Dakota", ()),
    ("Virginia Occidental", "state", "West Virginia", ()),
    ("Luisiana", "state", "Louisiana", ()),
    ("Misuri", "state", "Missouri", ()),
    ("Misisipi", "state", "Mississippi", ()),
    ("Hawái", "state", "Hawaii", ()),
    ("Hawai", "state", "Hawaii", ()),
    ("Nueva Jersey", "state", "New Jersey", ()),
    ("Distrito de Columbia", "state", "District of Columbia", ()),
    ("Islas Vírgenes", "state", "Virgin Islands", ()),
    ("islas virgenes de los estados unidos", "state", "Virgin Islands", ()),
    ("Samoa Americana", "state", "American Samoa", ()),
]


@pytest.mark.parametrize(("text", "kind", "label", "offered"), SPANISH_PLACES)
def test_spanish_place_names_resolve_like_the_english_ones(text, kind, label, offered):
    location = resolve_location(text)
    assert (location.kind, location.label, location.alternatives) == (kind, label, offered)


def test_english_names_and_namesakes_are_unchanged():
    assert resolve_location("New York").alternatives == ("New York State",)
    assert resolve_location("Carolina, PR").label == "Carolina, PR"  # a city, not a Carolina
    assert resolve_location("San Juan").label == "San Juan, PR"
    assert state_abbr("Pensilvania") == "PA" and state_abbr("MO") == "MO"
    with pytest.raises(LocationError):
        resolve_location("Nueva Yorkshire")


def test_the_search_box_takes_a_spanish_place(client):
    response = client.get("/search", query_string={"location": "Nueva York"})
    assert response.status_code == 200
    assert "New York, NY" in response.get_data(as_text=True)
    response = client.get("/search", query_string={"location": "Texas"})
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("typed", "label"),
    [
        ("Pensilvania", "Pennsylvania"),
        ("Carolina del Norte", "North Carolina"),
        ("san juan, pr", "San Juan, PR"),
        ("Austin, Texas", "Austin, TX"),
    ],
)
def test_the_api_takes_a_spanish_place(client, typed, label):
    body = client.get("/api/v1/centers", query_string={"location": typed}).get_json()
    assert body["location"]["label"] == label


def test_site_search_takes_a_spanish_place(client):
    html = client.get("/site-search", query_string={"q": "desintoxicación texas"}).get_data(
        as_text=True
    )
    assert "Lady Bird Lake Detox (Test)" in html


@pytest.mark.parametrize(
    ("typed", "first"),
    [("Nueva Y", "New York, NY"), ("nueva orl", "New Orleans, LA"), ("Filad", "Philadelphia, PA")],
)
def test_the_place_suggestions_know_spanish_city_names(client, typed, first):
    body = client.get("/api/v1/places", query_string={"q": typed}).get_json()
    assert body["places"][0]["label"] == first
    aus = client.get("/api/v1/places", query_string={"q": "aus"}).get_json()["places"]
    assert aus[0]["label"] == "Austin, TX"


def test_the_finding_box_takes_a_spanish_place(client):
    slug = "can-people-recover-from-heroin-addiction"
    html = client.get(f"/articles/{slug}", query_string={"location": "Pensilvania"}).get_data(
        as_text=True
    )
    assert 'href="/rehab/pennsylvania"' in html
    html = client.get(f"/articles/{slug}", query_string={"location": "Nueva York"}).get_data(
        as_text=True
    )
    assert 'href="/rehab/new-york/new-york"' in html
