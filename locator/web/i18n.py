"""The site in English and Spanish: the language comes from the URL, never from a cookie.

Every page of the public blueprint has two addresses, the same path in English and under
`/es` in Spanish (`/search?…` and `/es/search?…`), so a page can be shared, bookmarked and
cached as it is. Each public rule is registered twice with a `lang` default (see
`BilingualBlueprint`); `url_for` fills `lang` with the page's own language, so the links of a
Spanish page stay Spanish, and `localized_url_for(endpoint, lang, ...)` names the other one.
The request's language is read from its path alone (`current_language()`), which also serves
pages that match no rule, such as a 404 under `/es/`.

`Accept-Language` never chooses the language: the English home page only offers Spanish to a
browser that prefers it, and says so to caches with `Vary: Accept-Language`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import ROUND_HALF_EVEN, Decimal
from functools import lru_cache
from typing import TypeVar
from urllib.parse import urlencode

from babel.dates import format_date, format_skeleton
from flask import Blueprint, Flask, Request, Response, current_app, g, request, url_for
from flask.globals import _cv_request
from flask_babel import Babel, format_decimal, get_locale

LANGUAGES = ("en", "es")
DEFAULT_LANGUAGE = "en"
SPANISH = "es"
PREFIXES = {"en": "", "es": "/es"}
# Each language named in itself, for the switch.
NAMES = {"en": "English", "es": "Español"}
# The locales dates and numbers are written in: U.S. English, and the Spanish of the United
# States (CLDR's es_US: "27 de noviembre de 2026", "17,250", "2.5"), as U.S. readers write them.
LOCALES = {"en": "en_US", "es": "es_US"}
HOME_ENDPOINT = "public.index"
_ENVIRON_KEY = "locator.language"
_TENTH = Decimal("0.1")
T = TypeVar("T")


class BilingualBlueprint(Blueprint):
    """A blueprint whose every rule answers at its path and at the same path under `/es`."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.bilingual_endpoints: set[str] = set()

    def add_url_rule(self, rule, endpoint=None, view_func=None, **options) -> None:
        """Register `rule` in English and `/es` + `rule` in Spanish, one endpoint for both."""
        if endpoint is None and view_func is not None:
            endpoint = view_func.__name__
        defaults = options.pop("defaults", None) or {}
        for lang in LANGUAGES:
            super().add_url_rule(
                PREFIXES[lang] + rule,
                endpoint,
                view_func,
                defaults={**defaults, "lang": lang},
                **options,
            )
        self.bilingual_endpoints.add(f"{self.name}.{endpoint}")


def path_language(path: str) -> str:
    """The language a path is in: Spanish under `/es/`, else English."""
    prefix = PREFIXES[SPANISH]
    return SPANISH if path == prefix or path.startswith(prefix + "/") else DEFAULT_LANGUAGE


def per_request(key: str, compute: Callable[[Request], T], outside: T) -> T:
    """A value worked out once per request and kept in its WSGI environ under `key`;
    `outside` when there is no request (commands, jobs). It reads the request context
    itself: a page asks for its language and catalog some hundred times, and each read
    through the `request` proxy costs ten times more."""
    context = _cv_request.get(None)
    if context is None:
        return outside
    environ = context.request.environ
    found = environ.get(key)
    if found is None:
        found = environ[key] = compute(context.request)
    return found


def current_language() -> str:
    """The language of the page being made, read from its path: `en` outside a request."""
    return per_request(_ENVIRON_KEY, lambda page: path_language(page.path), DEFAULT_LANGUAGE)


def current_locale() -> str:
    """The Babel locale of the page being made (dates, numbers; the catalog is the language's)."""
    return LOCALES[current_language()]


def long_date(day: dt.date) -> str:
    """ "November 27, 2026" / "27 de noviembre de 2026" (dates are UTC days here)."""
    return _long_date(day, current_locale())


@lru_cache(maxsize=4096)
def _long_date(day: dt.date, locale: str) -> str:
    # Babel parses the locale's pattern at each call: a list of twenty cards writes twenty.
    return format_date(day, "long", locale=locale)


def month_year(day: dt.date) -> str:
    """ "November 2026" / "noviembre de 2026"."""
    return format_skeleton("yMMMM", day, locale=get_locale())


def number(value: int | float) -> str:
    """A count with the locale's grouping: "17,250"."""
    return format_decimal(value)


def miles(distance: float) -> str:
    """A distance with one decimal, "2.5": rounded half to even as Babel's "0.0" pattern does,
    without its per-call lookups (a results page writes twenty). U.S. English and U.S.
    Spanish both write a decimal point."""
    return str(Decimal(repr(distance)).quantize(_TENTH, ROUND_HALF_EVEN))


def is_spanish() -> bool:
    """Whether the page being made is in Spanish."""
    return current_language() == SPANISH


def without_language_prefix(path: str) -> str:
    """A path as its English twin reads it (`/es/search` → `/search`, `/es/` → `/`)."""
    prefix = PREFIXES[SPANISH]
    if path_language(path) == SPANISH:
        return path[len(prefix) :] or "/"
    return path


def _bilingual(endpoint: str | None) -> bool:
    return bool(endpoint) and endpoint in current_app.extensions["locator.bilingual_endpoints"]


def localized_url_for(endpoint: str, lang: str, **values) -> str:
    """`url_for` in a given language; endpoints with one language (admin, API) ignore it."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}")
    from locator.web.fixed_links import template_url_for  # it reads the language here

    if _bilingual(endpoint):
        values["lang"] = lang
    return template_url_for(endpoint, **values)


def localized_path(path: str, lang: str) -> str:
    """A site path moved into a language (`/articles/x`, "es" → `/es/articles/x`)."""
    english = without_language_prefix(path)
    if lang == DEFAULT_LANGUAGE:
        return english
    return PREFIXES[lang] + (english if english != "/" else "/")


def set_twins(paths: dict[str, str], *, equivalent: bool = True) -> None:
    """Name this page's twins where they are not at the same path in the other language (an
    article has a slug in each). `equivalent=False`: the other page is only somewhere to go
    (an article not translated yet leads to the other language's list), not a translation,
    so no hreflang is declared."""
    g.language_twins = paths
    g.twins_equivalent = equivalent


def twin_url(lang: str) -> str | None:
    """This page in another language, its query string kept; None for a page with one language.

    Pages that matched no rule (a 404) move by their path, so that "page not found" can be
    read in either language.
    """
    if "language_twins" in g:
        target = g.language_twins.get(lang)
        if target is None:
            return None
    elif request.url_rule is None:
        target = localized_path(request.path, lang)
    elif _bilingual(request.endpoint):
        target = localized_url_for(request.endpoint, lang, **(request.view_args or {}))
    else:
        return None
    query = urlencode(list(request.args.items(multi=True)))  # as sent, but well encoded
    return f"{target}?{query}" if query else target


def language_links(twins: dict[str, str | None]) -> list[tuple[str, str]]:
    """`(hreflang, absolute URL)` of this page in each language and as x-default (English),
    from its `twin_url` in each language."""
    if not g.get("twins_equivalent", True):
        return []
    links = []
    host = request.host_url.rstrip("/")
    for lang in LANGUAGES:
        href = twins[lang]
        if href is None:
            return []
        links.append((lang, host + href))
    links.append(("x-default", links[0][1]))
    return links


def offers_spanish() -> bool:
    """The English home page, asked for by a browser that prefers Spanish to English."""
    if request.endpoint != HOME_ENDPOINT or is_spanish():
        return False
    return request.accept_languages.best_match(LANGUAGES, default=DEFAULT_LANGUAGE) == SPANISH


def _add_language(endpoint: str, values: dict) -> None:
    """Links of a page stay in its language unless `lang` is given."""
    if "lang" not in values and _bilingual(endpoint):
        values["lang"] = current_language()


def _drop_language(endpoint: str | None, values: dict | None) -> None:
    """Views read the language with current_language(), not as an argument."""
    if values:
        values.pop("lang", None)


def _vary_on_language(response: Response) -> Response:
    """The English home page differs by Accept-Language (the offer of Spanish)."""
    if request.endpoint == HOME_ENDPOINT and not is_spanish():
        response.vary.add("Accept-Language")
    return response


def _template_globals() -> dict:
    lang = current_language()
    other = SPANISH if lang == DEFAULT_LANGUAGE else DEFAULT_LANGUAGE
    twins = {each: twin_url(each) for each in LANGUAGES}
    offer_spanish = offers_spanish()
    return {
        "lang": lang,
        "other_lang": other,
        "other_lang_name": NAMES[other],
        "other_lang_url": twins[other],
        "language_links": language_links(twins),
        "offer_spanish": offer_spanish,
        "spanish_home": url_for(HOME_ENDPOINT, lang=SPANISH) if offer_spanish else "",
    }


def init_app(app: Flask, *blueprints: BilingualBlueprint) -> None:
    """Flask-Babel with the URL's language, and the hooks that keep links in it."""
    from locator.web import catalog  # it reads the language from here

    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LANGUAGE)
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", "UTC")
    Babel(app, locale_selector=current_locale)
    catalog.init_app(app)  # after Babel: its own gettext for templates replaces Babel's
    endpoints: set[str] = set()
    for blueprint in blueprints:
        endpoints |= blueprint.bilingual_endpoints
    app.extensions["locator.bilingual_endpoints"] = frozenset(endpoints)
    app.url_defaults(_add_language)
    app.url_value_preprocessor(_drop_language)
    app.after_request(_vary_on_language)
    app.context_processor(_template_globals)
    app.jinja_env.globals.update(localized_url_for=localized_url_for, localized_path=localized_path)
    app.jinja_env.filters.update(
        long_date=long_date, month_year=month_year, number=number, miles=miles
    )
