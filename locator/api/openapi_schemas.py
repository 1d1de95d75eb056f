"""JSON Schemas (draft 2020-12, as OpenAPI 3.1 uses) of what the API's views answer.

Closed objects (additionalProperties: false): a field a view adds without saying so here
fails the schemathesis run in the suite.
"""

from __future__ import annotations


def closed(properties: dict, required: list[str] | None = None) -> dict:
    """An object with exactly these properties (all required unless required says)."""
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties) if required is None else required,
        "additionalProperties": False,
    }


TEXT = {"type": "string"}
TEXTS = {"type": "array", "items": TEXT}
INTEGER = {"type": "integer"}
NUMBER_OR_NULL = {"type": ["number", "null"]}

ADDRESS = {"street1": TEXT, "street2": TEXT, "city": TEXT, "state": TEXT, "zip": TEXT}
LISTING = {
    "id": INTEGER,
    "slug": TEXT,
    "name1": {"type": "string", "description": "The center's name."},
    "name2": {"type": "string", "description": "A second name line (often the operator)."},
}
PLACEMENT = {
    "latitude": NUMBER_OR_NULL,
    "longitude": NUMBER_OR_NULL,
    "approximate_location": {
        "type": "boolean",
        "description": "True when the point is the ZIP code's center or was looked up from "
        "a typed place; false when it is the listing's own or was found from its street "
        "address (the Census geocoder).",
    },
    "placement": {
        "enum": ["source", "address", "zip", "city", "geocoder", ""],
        "description": "How the point was found: the listing's own coordinates (source), its "
        "street address (address), its ZIP code's or city's center (zip, city: distances are "
        "about so many miles), an online look-up (geocoder), or none.",
    },
}

LANGUAGE = {
    "lang": {
        "enum": ["en", "es"],
        "description": "The language of the labels: lang if given, else the best of "
        "Accept-Language, else en.",
    },
}
SERVICE_LABELS = {
    "service_labels": {
        "type": "object",
        "additionalProperties": TEXT,
        "description": "Each service code and filter of this answer with its label in the "
        "language asked for (codes and filter names themselves stay in English).",
    },
}

SCHEMAS = {
    "Error": closed(
        {
            "error": {"type": "string", "description": "What went wrong, in a sentence."},
            "status": INTEGER,
            "request_id": {"type": "string", "description": "Quote it when reporting a fault."},
        },
        required=["error", "status"],
    ),
    "BadRequest": closed(
        {
            "error": TEXT,
            "status": {"const": 400},
            "errors": {
                "type": "object",
                "description": "Each wrong parameter, with why.",
                "additionalProperties": TEXTS,
            },
            "candidates": {
                "type": "array",
                "items": TEXT,
                "description": "Places the location may mean, largest first: send one of them.",
            },
            "suggestions": {
                "type": "array",
                "items": TEXT,
                "description": "Known places spelled like the location that was not found.",
            },
        },
        required=["error", "status", "errors"],
    ),
    "CenterSummary": closed(
        {
            **LISTING,
            "address": closed(ADDRESS),
            "phones": closed({"main": TEXT, "intake": TEXT}),
            "website": TEXT,
            **PLACEMENT,
            "distance_miles": {
                "type": ["number", "null"],
                "description": "Miles from the searched location, to one decimal.",
            },
            "services": {**TEXTS, "description": "The center's service codes."},
        }
    ),
    "CentersPage": closed(
        {
            **LANGUAGE,
            "location": closed(
                {
                    "label": {
                        "type": "string",
                        "description": "The place searched, as understood.",
                    },
                    "kind": {"enum": ["zip", "city", "state", "coordinates", "address"]},
                    "latitude": {"type": "number"},
                    "longitude": {"type": "number"},
                }
            ),
            "radius": {
                "type": ["integer", "null"],
                "description": "Miles; null for a state, searched whole.",
            },
            "services": {**TEXTS, "description": "The filters applied."},
            "ignored_services": {**TEXTS, "description": "Filters not known, so ignored."},
            "page": INTEGER,
            "pages": INTEGER,
            "per_page": INTEGER,
            "total": {"type": "integer", "description": "Centers found (a floor when capped)."},
            "total_is_capped": {"type": "boolean", "description": "True: total or more."},
            "centers": {"type": "array", "items": {"$ref": "#/components/schemas/CenterSummary"}},
            **SERVICE_LABELS,
        }
    ),
    "Center": closed(
        {
            **LANGUAGE,
            **LISTING,
            "address": closed({**ADDRESS, "county": TEXT}),
            "phones": closed({"main": TEXT, "intake": TEXTS, "hotline": TEXT}),
            "website": TEXT,
            **PLACEMENT,
            "facility_type": TEXT,
            "services": {**TEXTS, "description": "Every service code, A to Z."},
            "last_verified": {"type": ["string", "null"], "format": "date"},
            "source": {"type": "string", "description": "Where the listing came from."},
            **SERVICE_LABELS,
        }
    ),
    "Place": closed(
        {
            "label": {"type": "string", "description": "What to put in the search box."},
            "description": {"type": "string", "description": "A ZIP code's city and state."},
            "kind": {"enum": ["city", "zip"]},
            "city": TEXT,
            "state": TEXT,
            "zip": {"type": ["string", "null"]},
            "latitude": {"type": "number"},
            "longitude": {"type": "number"},
        },
        required=["label", "kind", "city", "state", "zip", "latitude", "longitude"],
    ),
    "PlacesPage": closed(
        {
            "query": {"type": "string", "description": "q with its spaces collapsed."},
            "places": {"type": "array", "items": {"$ref": "#/components/schemas/Place"}},
        }
    ),
}
