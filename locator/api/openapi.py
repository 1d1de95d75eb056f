"""The OpenAPI 3.1 description of the JSON API, served at /api/openapi.json.

Written by hand, next to the views it describes; tests/test_openapi.py runs schemathesis
against it, so a view that answers something the description does not allow fails the suite.
The human-readable page at /api/ (locator.api.docs) is rendered from this same document.
"""

from __future__ import annotations

from locator.api.openapi_schemas import SCHEMAS
from locator.forms import MAX_PAGE, RADIUS_CHOICES

MAX_CENTER_ID = 2_147_483_647  # the id column is a 32-bit integer on PostgreSQL


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema_name: str, description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": _ref(schema_name)}},
    }


ERRORS = {
    "429": {"$ref": "#/components/responses/TooManyRequests"},
    "503": {"$ref": "#/components/responses/Unavailable"},
}

LANGUAGE_PARAMETERS = [
    {
        "name": "lang",
        "in": "query",
        "description": "The language of the labels (service_labels): en or es. Codes, filter "
        "names and field names stay in English. Wins over Accept-Language; any other value "
        "is a 400 that names lang.",
        "schema": {"type": "string", "enum": ["en", "es"]},
        "example": "es",
    },
    {
        "name": "Accept-Language",
        "in": "header",
        "description": "Used when lang is not given: es (es-MX, es-US, ...) gives Spanish "
        "labels; anything else, English. Answers vary on it (Vary: Accept-Language).",
        "schema": {"type": "string"},
        "example": "es-US,es;q=0.9,en;q=0.5",
    },
]

CENTERS_PARAMETERS = [
    {
        "name": "location",
        "in": "query",
        "required": True,
        "description": "A ZIP code (78701 or 78701-1234), a city and state (Austin, TX), a city "
        "alone, a state (Texas or TX), coordinates (30.2672,-97.7431) or a street address "
        "ending in a ZIP code. A state searches the whole state, without a radius.",
        "schema": {"type": "string", "maxLength": 200},
        "examples": {"zip": {"value": "78701"}, "city": {"value": "Austin, TX"}},
    },
    {
        "name": "radius",
        "in": "query",
        "description": "Miles around the location.",
        "schema": {"type": "integer", "enum": list(RADIUS_CHOICES), "default": 25},
    },
    {
        "name": "service",
        "in": "query",
        "description": "Filters, repeated: a filter name (detox, methadone, medicaid, spanish, "
        "...) or a raw service code (DT, METH, MD, ...). Filters of one group match if any "
        "does; groups must all match. Unknown values are ignored and listed in "
        "ignored_services; only the first 50 are read.",
        "style": "form",
        "explode": True,
        "schema": {"type": "array", "items": {"type": "string"}},
        "examples": {"detox_and_medicaid": {"value": ["detox", "medicaid"]}},
    },
    {
        "name": "page",
        "in": "query",
        "description": "Which page; its size is the site's setting (20 by default), "
        "given back as per_page.",
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1},
    },
    *LANGUAGE_PARAMETERS,
]

PATHS = {
    "/api/v1/centers": {
        "get": {
            "operationId": "listCenters",
            "summary": "Centers near a location, nearest first",
            "description": "The same search as the site's /search page, with the same page size.",
            "parameters": CENTERS_PARAMETERS,
            "responses": {
                "200": _json("CentersPage", "One page of centers, nearest first."),
                "400": _json(
                    "BadRequest",
                    "A parameter is wrong, or the location was not found or names several "
                    "places (candidates lists them, largest first).",
                ),
                **ERRORS,
            },
        }
    },
    "/api/v1/centers/{id}": {
        "get": {
            "operationId": "getCenter",
            "summary": "One published center",
            "parameters": [
                {
                    "name": "id",
                    "in": "path",
                    "required": True,
                    "description": "The center's id, as a list of centers gives it.",
                    "schema": {"type": "integer", "minimum": 0, "maximum": MAX_CENTER_ID},
                    "example": 1,
                },
                *LANGUAGE_PARAMETERS,
            ],
            "responses": {
                "200": _json("Center", "Everything the directory holds about the center."),
                "400": _json("BadRequest", "lang names a language the API does not speak."),
                "404": _json("Error", "No published center has this id."),
                **ERRORS,
            },
        }
    },
    "/api/v1/places": {
        "get": {
            "operationId": "suggestPlaces",
            "summary": "Place suggestions for a search box",
            "description": "Up to 8 cities or ZIP codes starting with q, most populous first, "
            "from the offline gazetteer. Answers may be cached for a day.",
            "parameters": [
                {
                    "name": "q",
                    "in": "query",
                    "required": True,
                    "description": "The start of a city name (aus, austin, t) or of a ZIP code "
                    "(787). Spaces are collapsed; at most 100 characters.",
                    "schema": {"type": "string"},
                    "example": "aus",
                }
            ],
            "responses": {
                "200": _json("PlacesPage", "The suggestions (possibly none)."),
                "400": _json("BadRequest", "q is missing, empty or too long."),
                **ERRORS,
            },
        }
    },
}

DOCUMENT = {
    "openapi": "3.1.0",
    "info": {
        "title": "Treatment Locator API",
        "version": "1",
        "summary": "Addiction-treatment centers near a place, read-only.",
        "description": "A read-only JSON API over the directory of treatment centers. No key "
        "is needed; every client address may send a limited number of requests a minute "
        "(429 beyond it, with Retry-After). Nothing a client sends is logged or stored. "
        "Codes and field names are English; labels come in English or Spanish (lang=es, or "
        "Accept-Language: es).",
    },
    "paths": PATHS,
    "components": {
        "schemas": SCHEMAS,
        "responses": {
            "TooManyRequests": {
                "description": "Too many requests from this address; wait Retry-After seconds.",
                "headers": {
                    "Retry-After": {
                        "description": "Seconds to wait before the next request.",
                        "schema": {"type": "integer"},
                    }
                },
                "content": {"application/json": {"schema": _ref("Error")}},
            },
            "Unavailable": _json(
                "Error", "The directory's database is unreachable for a moment; try again."
            ),
        },
    },
}
