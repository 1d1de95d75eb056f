"""The page's words in its language: gettext and ngettext for templates and for code that
writes what people read.

Flask-Babel finds the catalog again at every call (through `g`, the locale and its domain),
about 10 µs each; a results page asks for some 150 words. Here the language is read once per
request (`current_language`) and each language's catalog is kept for the process's life: the
same Babel `Translations` Flask-Babel loads, taken from it the first time a language is asked.
Lazy strings (`lazy_gettext`, for forms and module constants) stay Flask-Babel's.
"""

from __future__ import annotations

from babel.support import NullTranslations, Translations
from flask import Flask, current_app, has_request_context
from flask.globals import _cv_request
from flask_babel import get_translations
from flask_wtf.i18n import messages_path

from locator.web.i18n import DEFAULT_LANGUAGE, LOCALES, current_language

_ENGLISH = NullTranslations()
_ENVIRON_KEY = "locator.catalog"  # the messages are written in English


def page_catalog() -> NullTranslations:
    """The catalog of the page being made (English outside a request), kept in the request's
    environ after its first word."""
    context = _cv_request.get(None)
    if context is None:
        return _ENGLISH
    environ = context.request.environ
    found = environ.get(_ENVIRON_KEY)
    if found is None:
        found = environ[_ENVIRON_KEY] = _catalog(current_language())
    return found


def _catalog(lang: str) -> NullTranslations:
    if lang == DEFAULT_LANGUAGE:
        return _ENGLISH
    catalogs = current_app.extensions["locator.catalogs"]
    found = catalogs.get(lang)
    if found is None:
        found = catalogs[lang] = get_translations()
    return found


def form_catalog() -> Translations | None:
    """WTForms' own messages ("This field is required.") in the page's language, for a form's
    `Meta.get_translations`; None in English. Flask-WTF reads its catalog file again for
    every request that makes a form."""
    lang = current_language()
    if lang == DEFAULT_LANGUAGE or not has_request_context():
        return None
    catalogs = current_app.extensions["locator.form_catalogs"]
    found = catalogs.get(lang)
    if found is None:
        found = catalogs[lang] = Translations.load(messages_path(), [LOCALES[lang]], "wtforms")
    return found


def gettext(message: str, **variables) -> str:
    """`message` in the page's language, with `%(name)s` filled from `variables`."""
    text = page_catalog().ugettext(message)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, num: int, **variables) -> str:
    """The singular or a plural form for `num`, as the language counts; `%(num)s` is `num`."""
    variables.setdefault("num", num)
    return page_catalog().ungettext(singular, plural, num) % variables


def init_app(app: Flask) -> None:
    """Templates' `_`, `gettext` and `ngettext` read the catalogs kept here (after Babel's)."""
    app.extensions["locator.catalogs"] = {}
    app.extensions["locator.form_catalogs"] = {}
    app.jinja_env.install_gettext_callables(
        gettext=lambda message: page_catalog().ugettext(message),
        ngettext=lambda singular, plural, n: page_catalog().ungettext(singular, plural, n),
        pgettext=lambda context, message: page_catalog().upgettext(context, message),
        npgettext=lambda context, singular, plural, n: page_catalog().unpgettext(
            context, singular, plural, n
        ),
        newstyle=True,
    )
