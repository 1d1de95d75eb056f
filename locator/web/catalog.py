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
from flask import Flask, current_app
from flask_babel import get_translations
from flask_wtf.i18n import messages_path
from jinja2 import pass_eval_context
from jinja2.nodes import EvalContext
from markupsafe import Markup

from locator.web.i18n import DEFAULT_LANGUAGE, LOCALES, current_language, per_request

_ENGLISH = NullTranslations()  # the messages are written in English
_ENVIRON_KEY = "locator.catalog"


def page_catalog() -> NullTranslations:
    """The catalog of the page being made (English outside a request), found at its first
    word and kept for the request."""
    return per_request(_ENVIRON_KEY, lambda _page: _catalog(current_language()), _ENGLISH)


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
    if lang == DEFAULT_LANGUAGE:  # English outside a request too
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


# Templates' words, with Jinja's "newstyle" gettext contract (what `install_gettext_callables(
# newstyle=True)` would install, one call shallower: a page says some hundred words): the
# translation is marked safe when autoescaping and always %-formatted, its variables escaped.
def _formatted(eval_ctx: EvalContext, text: str, variables: dict) -> str:
    # The catalogs' texts are the site's own (the templates' and the reviewed .po files'), as
    # trusted as the templates: Jinja's i18n marks them safe in the same way.
    worded = Markup(text) if eval_ctx.autoescape else text  # noqa: S704  # nosec B704
    return worded % variables


@pass_eval_context
def _template_gettext(eval_ctx: EvalContext, message: str, /, **variables) -> str:
    text = page_catalog().ugettext(message)
    return _formatted(eval_ctx, text, variables)


@pass_eval_context
def _template_ngettext(eval_ctx: EvalContext, singular: str, plural: str, num: int, /, **variables):
    variables.setdefault("num", num)
    text = page_catalog().ungettext(singular, plural, num)
    return _formatted(eval_ctx, text, variables)


@pass_eval_context
def _template_pgettext(eval_ctx: EvalContext, context: str, message: str, /, **variables):
    variables.setdefault("context", context)
    text = page_catalog().upgettext(context, message)
    return _formatted(eval_ctx, text, variables)


@pass_eval_context
def _template_npgettext(
    eval_ctx: EvalContext, context: str, singular: str, plural: str, num: int, /, **variables
):
    variables.setdefault("context", context)
    variables.setdefault("num", num)
    text = page_catalog().unpgettext(context, singular, plural, num)
    return _formatted(eval_ctx, text, variables)


def init_app(app: Flask) -> None:
    """Templates' `_`, `gettext` and the rest read the catalogs kept here (after Babel's)."""
    app.extensions["locator.catalogs"] = {}
    app.extensions["locator.form_catalogs"] = {}
    app.jinja_env.newstyle_gettext = True  # how `{% trans %}` blocks are compiled
    app.jinja_env.globals.update(
        _=_template_gettext,
        gettext=_template_gettext,
        ngettext=_template_ngettext,
        pgettext=_template_pgettext,
        npgettext=_template_npgettext,
    )
