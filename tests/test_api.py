"""The JSON API answers what /search answers."""


def test_centers_near_a_zip(client):
    body = client.get("/api/v1/centers?location=78701&radius=10").get_json()
    assert body["location"]["label"] == "78701 (Austin, TX)"
    assert body["radius"] == 10 and body["page"] == 1
    assert body["total"] >= 2
    first = body["centers"][0]
    assert set(first) >= {
        "id",
        "slug",
        "name1",
        "name2",
        "address",
        "phones",
        "website",
        "latitude",
        "longitude",
        "distance_miles",
        "services",
    }
    distances = [c["distance_miles"] for c in body["centers"]]
    assert distances == sorted(distances)


def test_filter_names_and_raw_codes_are_both_accepted(client):
    by_name = client.get("/api/v1/centers?location=78701&service=methadone").get_json()
    by_code = client.get(
        "/api/v1/centers?location=78701&service=METH&service=MU&service=MM&service=DM"
    ).get_json()
    assert by_name["total"] == by_code["total"] > 0
    assert all({"METH", "MU", "MM", "DM"} & set(c["services"]) for c in by_name["centers"])


def test_unknown_service_is_ignored_and_reported(client):
    body = client.get("/api/v1/centers?location=78701&service=teleportation").get_json()
    assert body["ignored_services"] == ["teleportation"]


def test_one_center(client):
    listed = client.get("/api/v1/centers?location=78701&radius=5").get_json()["centers"][0]
    body = client.get(f"/api/v1/centers/{listed['id']}").get_json()
    assert body["name1"] == listed["name1"] and "last_verified" in body


def test_bad_parameters_name_the_parameter(client):
    response = client.get("/api/v1/centers?location=78701&radius=abc&page=0")
    assert response.status_code == 400
    errors = response.get_json()["errors"]
    assert "radius" in errors and "page" in errors


def test_unknown_location_and_missing_center(client):
    response = client.get("/api/v1/centers?location=Qwxyzzy")
    assert response.status_code == 400 and "location" in response.get_json()["errors"]
    missing = client.get("/api/v1/centers/999999")
    assert missing.status_code == 404 and missing.is_json


def test_the_api_pages_as_the_pages_do(directory):
    directory.config["LOCATOR_PER_PAGE"] = 7
    try:
        client = directory.test_client()
        body = client.get("/api/v1/centers?location=78701&radius=100").get_json()
        page = client.get("/search?location=78701&radius=100").get_data(as_text=True)
    finally:
        directory.config["LOCATOR_PER_PAGE"] = 20
    assert body["per_page"] == 7 and len(body["centers"]) == 7 and body["pages"] > 1
    assert page.count('class="center-card"') == 7
    state = client.get("/api/v1/centers?location=Texas").get_json()
    assert state["radius"] is None and state["location"]["kind"] == "state"
    assert state["per_page"] == 20 and len(state["centers"]) == 20
