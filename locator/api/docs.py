"""/api/openapi.json and /api/: the API's description, for machines and for people.

The page is rendered on the server from the same OpenAPI document, so the two never
disagree; it needs no script and loads nothing from elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import Blueprint, jsonify, render_template

from locator.api.openapi import DOCUMENT

bp = Blueprint("api_docs", __name__)

# A request to try for each operation, linked from the page; a center's id comes from a list.
EXAMPLES = {
    "listCenters": "/api/v1/centers?location=78701&radius=10&service=detox&service=medicaid",
    "suggestPlaces": "/api/v1/places?q=aus",
}


@dataclass(frozen=True)
class SchemaField:
    """One property of a JSON answer, for the page: its type in words and its own fields."""

    name: str
    kind: str
    description: str = ""
    fields: list[SchemaField] = field(default_factory=list)


def resolve(schema: dict) -> dict:
    """The schema a `$ref` points at (only local references are used)."""
    while "$ref" in schema:
        *_, section, name = schema["$ref"].split("/")
        schema = DOCUMENT["components"][section][name]
    return schema


def kind_in_words(schema: dict) -> str:
    """A schema's type in words: "text", "whole number from 1 to 10000", "list of text"..."""
    schema = resolve(schema)
    if "enum" in schema:
        return "one of " + ", ".join(str(value) for value in schema["enum"])
    if "const" in schema:
        return str(schema["const"])
    types = schema.get("type", "object")
    types = [types] if isinstance(types, str) else types
    words = [_TYPE_WORDS.get(name, name) for name in types if name != "null"]
    text = " or ".join(words)
    if "array" in types:
        text = "list of " + kind_in_words(schema.get("items", {}))
    if "minimum" in schema and "maximum" in schema:
        text += f" from {schema['minimum']} to {schema['maximum']}"
    if "maxLength" in schema:
        text += f", at most {schema['maxLength']} characters"
    return text + (", or null" if "null" in types else "")


_TYPE_WORDS = {
    "string": "text",
    "integer": "whole number",
    "number": "number",
    "boolean": "true or false",
    "object": "object",
}


def schema_fields(schema: dict) -> list[SchemaField]:
    """The properties of an object schema (and of the objects in a list), nested."""
    schema = resolve(schema)
    if schema.get("type") == "array":
        return schema_fields(schema.get("items", {}))
    return [
        SchemaField(name, kind_in_words(sub), _description(sub), schema_fields(sub))
        for name, sub in schema.get("properties", {}).items()
    ]


def _description(schema: dict) -> str:
    return schema.get("description") or resolve(schema).get("description", "")


def operations() -> list[dict]:
    """Each operation of the document, with what the page shows of it."""
    return [
        {
            "method": method.upper(),
            "path": path,
            "operation": operation,
            "parameters": [(p, kind_in_words(p["schema"])) for p in operation["parameters"]],
            "responses": responses(operation),
            "example": EXAMPLES.get(operation["operationId"]),
        }
        for path, methods in DOCUMENT["paths"].items()
        for method, operation in methods.items()
    ]


def responses(operation: dict) -> list[tuple[str, str, list[SchemaField]]]:
    """(status, description, fields of the JSON body) of each answer of an operation."""
    found = []
    for status, response in operation["responses"].items():
        response = resolve(response)
        schema = response["content"]["application/json"]["schema"]
        found.append((status, response["description"], schema_fields(schema)))
    return found


@bp.get("/openapi.json")
def openapi_json():
    """The OpenAPI 3.1 description of the JSON API."""
    return jsonify(DOCUMENT)


@bp.get("/")
def api_page():
    """The API described for people: endpoints, parameters, answers and examples."""
    return render_template("api/index.html", info=DOCUMENT["info"], operations=operations())
