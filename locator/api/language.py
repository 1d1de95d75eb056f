"""The language of an API answer's labels: `?lang=` when given, else Accept-Language.

Codes, keys and field names stay English in every language; only the labels beside them
change. An explicit `lang` the site does not speak is a 400 naming the parameter (a client
that asks for a language by name should hear it was not understood); an Accept-Language
without a language we speak is answered in English, as browsers send whatever they know.
"""

from __future__ import annotations

from flask import Request

from locator.taxonomy import DEFAULT_LANGUAGE, LANGUAGES


class LanguageError(ValueError):
    """A `lang` parameter the API does not speak; the message says which it does."""


def lang_message() -> str:
    """What a wrong `lang` is told."""
    return "Use lang=" + " or lang=".join(LANGUAGES) + "."


def requested_language(request: Request) -> str:
    """The language asked for: `lang` wins over Accept-Language; English by default."""
    explicit = request.args.get("lang")
    if explicit is not None:
        chosen = explicit.strip().lower()
        if chosen not in LANGUAGES:
            raise LanguageError(lang_message())
        return chosen
    return request.accept_languages.best_match(LANGUAGES, default=DEFAULT_LANGUAGE)


def vary_on_language(response):
    """Mark an answer that depends on Accept-Language, for caches."""
    response.vary.add("Accept-Language")
    return response
