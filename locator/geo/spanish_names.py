"""Places as Spanish speakers write them: "Nueva York", "Pensilvania", "Carolina del Norte",
"estado de Nueva York". Only names that differ from the English ones are listed; accents and
case never matter (the gazetteer's `name_key` folds them).

The place box, the place pages' finder, the site search and the API all go through
`resolve_location`, which reads a Spanish name as its English twin first; `state_abbr`
knows the Spanish state names too. Pure data and text: nothing here reads settings or a
database.
"""

from __future__ import annotations

import re

# Spanish name → the state's English name, as `us` and AREAS spell it.
SPANISH_STATES: dict[str, str] = {
    "Carolina del Norte": "North Carolina",
    "Carolina del Sur": "South Carolina",
    "Dakota del Norte": "North Dakota",
    "Dakota del Sur": "South Dakota",
    "Distrito de Columbia": "District of Columbia",
    "Estados Federados de Micronesia": "Federated States of Micronesia",
    "Micronesia": "Federated States of Micronesia",
    "Hawái": "Hawaii",
    "Islas Marianas del Norte": "Northern Mariana Islands",
    "Marianas del Norte": "Northern Mariana Islands",
    "Islas Marshall": "Marshall Islands",
    "Islas Vírgenes": "Virgin Islands",
    "Islas Vírgenes de los Estados Unidos": "Virgin Islands",
    "Islas Vírgenes de EE. UU.": "Virgin Islands",
    "Islas Vírgenes Estadounidenses": "Virgin Islands",
    "Luisiana": "Louisiana",
    "Misisipi": "Mississippi",
    "Misisipí": "Mississippi",
    "Misuri": "Missouri",
    "Nueva Jersey": "New Jersey",
    "Nuevo Hampshire": "New Hampshire",
    "Nueva Hampshire": "New Hampshire",
    "Nuevo México": "New Mexico",
    "Nueva York": "New York",
    "Palaos": "Palau",
    "Pensilvania": "Pennsylvania",
    "Samoa Americana": "American Samoa",
    "Virginia Occidental": "West Virginia",
}

# Spanish name → the city's English name, for cities whose Spanish name is not their own.
# ("San Luis" is left out: it is also a city of Arizona and of Colorado.)
SPANISH_CITIES: dict[str, str] = {
    "Nueva York": "New York",
    "Ciudad de Nueva York": "New York City",
    "Nueva Orleans": "New Orleans",
    "Filadelfia": "Philadelphia",
}

# The state's English name → its Spanish one (the first listed of several).
_SPANISH_STATE_NAME = {english: spanish for spanish, english in reversed(SPANISH_STATES.items())}


def spanish_place_label(label: str) -> str:
    """A place offered to a Spanish reader: "New York State" (a state offered beside its
    namesake city) as "estado de Nueva York", which the place box reads back as the state;
    a city's label ("Springfield, IL") stays as it is."""
    if not label.endswith(" State"):
        return label
    english = label.removesuffix(" State")
    return f"estado de {_SPANISH_STATE_NAME.get(english, english)}"


# "estado de Nueva York", "el estado de Texas", "Nueva York (estado)": the state, never its
# namesake city.
_STATE_PHRASE = re.compile(
    r"^(?:(?:el\s+)?estado\s+de\s+(.+)|(.+?)\s*\(\s*estado\s*\))$", re.IGNORECASE
)


def spanish_state_phrase(text: str) -> str | None:
    """The state part of "estado de Nueva York" or "Nueva York (estado)", else None."""
    match = _STATE_PHRASE.match(text.strip())
    return (match.group(1) or match.group(2)).strip() if match else None
