"""A site search that names a place ("78701", "detox denver", "methadone near austin tx"):
the locator's own results for it, with the words that name filters applied as filters.

The query is split into filter words, words that say nothing ("near", "rehab") and the
rest, which is tried as a place offline. Only plain places count: a single word must be a
city of some size, so that "hope" or "harmony" stay words to look for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from locator import search
from locator.geo import AmbiguousLocation, LocationError, gazetteer, name_key, resolve_location
from locator.geo.locations import ResolvedLocation
from locator.search import SearchQuery
from locator.search.results import ResultPage
from locator.taxonomy import FilterSelection, Taxonomy

OFFER_RADIUS = 25
OFFER_SIZE = 3
# A place named by one word alone must be a city at least this populous (or a short form).
PLAIN_CITY_POPULATION = 10_000
# More words than this are a sentence, not a place.
MAX_PLACE_WORDS = 5
# Words people use for a filter, besides the filters' own names (filter key → words).
FILTER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "detox": ("detox", "detoxification", "withdrawal"),
    "buprenorphine": ("suboxone", "subutex", "sublocade", "bupe"),
    "naltrexone": ("vivitrol",),
    "residential": ("inpatient", "residential"),
    "intensive-outpatient": ("iop",),
    "military-insurance": ("tricare",),
    "spanish": ("espanol",),
    "veterans": ("veteran", "vets"),
    "adolescents": ("teen", "teens", "teenagers", "adolescent", "adolescents", "youth"),
    "women": ("women", "womens"),
    "men": ("mens",),
}
# The same in Spanish, written without accents (`name_key` drops them from queries too);
# each filter's Spanish label counts as well ("Escala móvil de pago").
FILTER_SYNONYMS_ES: dict[str, tuple[str, ...]] = {
    "detox": ("desintoxicacion", "desintoxicarse", "desintoxicaciones"),
    "methadone": ("metadona",),
    "buprenorphine": ("buprenorfina",),
    "naltrexone": ("naltrexona",),
    "residential": ("residencial", "residenciales", "internamiento", "internado"),
    "outpatient": ("ambulatorio", "ambulatoria", "ambulatorios"),
    "intensive-outpatient": ("ambulatorio intensivo",),
    "telehealth": ("telemedicina", "telesalud"),
    "sober-living": ("vivienda de recuperacion", "casa de transicion", "vivienda sobria"),
    "mental-health": ("salud mental",),
    "private-insurance": ("seguro privado", "seguro medico privado"),
    "military-insurance": ("seguro militar",),
    "free": ("gratis", "gratuito", "gratuita", "gratuitos", "sin costo"),
    "sliding-fee": ("escala movil",),
    "adolescents": ("adolescentes", "adolescente", "ninos"),
    "young-adults": ("jovenes", "adultos jovenes"),
    "seniors": ("adultos mayores", "personas mayores", "tercera edad"),
    "women": ("mujeres", "mujer"),
    "men": ("hombres", "hombre"),
    "pregnant": ("embarazadas", "embarazada", "embarazo"),
    "veterans": ("veteranos", "veterano", "veteranas"),
    "spanish": ("en espanol", "hispanohablantes"),
}
# Words around a place that name neither it nor a filter.
_FILLER_TEXT = """
    near nearby in around at close to by me my area for and with the of a an rehab rehabs
    treatment treatments center centers centre centres clinic clinics program programs
    facility facilities drug drugs alcohol addiction substance abuse use services help
    find best options that accept accepts accepting take takes insurance
    cerca en mi mis centro centros clinica clinicas programa programas tratamiento
    tratamientos rehabilitacion adiccion adicciones drogas consumo sustancias ayuda servicios
    para que acepte acepten aceptan acepta seguro buscar busco donde hay mejor mejores
"""
FILLER = frozenset(_FILLER_TEXT.split())
# Spanish words that join a filter to its place ("metadona cerca de Austin", "tratamiento
# de metadona en Denver"). They are kept inside a place ("Distrito de Columbia", "Carolina
# del Norte") and dropped only before its first word.
LEADING_JOINERS = frozenset({"de", "en", "y", "con"})
_ZIP = re.compile(r"^\d{5}(-\d{4})?$")


@dataclass(frozen=True)
class PlaceQuery:
    """A query taken apart: the filters it names and the words left to be a place."""

    filters: list[str]
    place_words: str


@dataclass
class PlaceOffer:
    """The locator's answer for a query: results near a place, a choice of places, or (no
    place named, filters named) an offer to search near the reader."""

    query: PlaceQuery
    selection: FilterSelection = field(default_factory=FilterSelection)
    location: ResolvedLocation | None = None
    results: ResultPage | None = None
    candidates: list = field(default_factory=list)

    @property
    def radius(self) -> int | None:
        """The radius of the results: none for a whole state."""
        return self.search_query.radius if self.location is not None else OFFER_RADIUS

    @property
    def search_query(self) -> SearchQuery:
        """The locator's search for the query's filters near its place."""
        query = SearchQuery(self.selection, per_page=OFFER_SIZE, radius=OFFER_RADIUS)
        return query.near(self.location) if self.location is not None else query


def _filter_phrases(taxonomy: Taxonomy) -> list[tuple[tuple[str, ...], str]]:
    """(words, filter key), longest first: "sliding fee" before "free"."""
    phrases: dict[tuple[str, ...], str] = {}
    for key, chosen in taxonomy.filters.items():
        spanish = (taxonomy.filter_label(key, "es"), *FILTER_SYNONYMS_ES.get(key, ()))
        for text in (key.replace("-", " "), chosen.label, *FILTER_SYNONYMS.get(key, ()), *spanish):
            words = tuple(name_key(text).split())
            if words:
                phrases.setdefault(words, key)
    return sorted(phrases.items(), key=lambda item: -len(item[0]))


def take_apart(text: str, taxonomy: Taxonomy) -> PlaceQuery:
    """Split a query into the filters it names and the words that may be a place."""
    if _ZIP.match(text.strip()):
        return PlaceQuery([], text.strip())
    words = name_key(text).split()
    filters: list[str] = []
    rest: list[str] = []
    phrases = _filter_phrases(taxonomy)
    i = 0
    while i < len(words):
        for phrase, key in phrases:
            if tuple(words[i : i + len(phrase)]) == phrase:
                if key not in filters:
                    filters.append(key)
                i += len(phrase)
                break
        else:
            if words[i] not in FILLER or (words[i] == "the" and rest == [] and i + 1 < len(words)):
                rest.append(words[i])
            i += 1
    if rest and rest[0] == "the" and len(rest) == 1:
        rest = []
    while len(rest) > 1 and rest[0] in LEADING_JOINERS and len(rest) < len(words):
        rest = rest[1:]  # "metadona cerca de austin": "de" joined the place to its filter
    return PlaceQuery(filters, " ".join(rest))


def _plain_place(location: ResolvedLocation, words: str) -> bool:
    """Whether a resolved place was plainly meant: more than one word, a ZIP code or state,
    or a city big enough that its name alone means it."""
    if location.kind != "city" or len(words.split()) > 1:
        return True
    city = gazetteer().city(location.city, location.state)
    return city is None or city.population >= PLAIN_CITY_POPULATION


def _lower_case_code(words: str, text: str) -> bool:
    """Whether the place is a two-letter word written in lower case ("or", "ok", "hi"):
    a word, not a state's code, unless written as one ("OR")."""
    return len(words) == 2 and words.upper() not in text


def place_offer(session: Session, text: str, taxonomy: Taxonomy) -> PlaceOffer | None:
    """The locator's results for the place a query names, or None when it names none
    (and no filter either)."""
    query = take_apart(text, taxonomy)
    words = query.place_words
    if not words or len(words.split()) > MAX_PLACE_WORDS or _lower_case_code(words, text):
        return PlaceOffer(query) if query.filters else None
    try:
        location = resolve_location(words)
    except AmbiguousLocation as choice:
        big = getattr(choice.candidates[0], "population", PLAIN_CITY_POPULATION)
        if big >= PLAIN_CITY_POPULATION or len(words.split()) > 1:
            return PlaceOffer(query, candidates=choice.candidates)
        return PlaceOffer(query) if query.filters else None
    except LocationError:
        return PlaceOffer(query) if query.filters else None
    if not _plain_place(location, words):
        return PlaceOffer(query) if query.filters else None
    offer = PlaceOffer(query, taxonomy.select(query.filters), location)
    offer.results = search.find(session, offer.search_query)
    return offer
