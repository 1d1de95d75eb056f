"""The search form, shared by the pages, the place pages and the API (bound to the query
string, no CSRF): the one reader of a search's arguments, which it turns into a SearchQuery."""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from wtforms import Field, StringField
from wtforms.validators import Length, ValidationError

from locator.search.query import DEFAULT_RADIUS, SearchQuery
from locator.taxonomy import Taxonomy
from locator.web.catalog import gettext as _
from locator.web.form_fields import PageForm
from locator.web.params import MAX_PAGE, ParameterError, page_message, whole_number

RADIUS_CHOICES = (5, 10, 25, 50, 100)
# More `service` values than this are dropped (filters are a few dozen).
MAX_SERVICES = 50


def _whole_number(field: Field, minimum: int, maximum: int, message: str) -> int:
    try:
        return whole_number(field.data, minimum, maximum, message)
    except ParameterError as error:
        raise ValidationError(str(error)) from None


class ServiceValues(Field):
    """Every `service` value (filter keys or raw codes), up to MAX_SERVICES. Unknown ones
    are not refused: the taxonomy reports them beside the results."""

    def process_formdata(self, valuelist: list[str]) -> None:
        self.data = valuelist[:MAX_SERVICES]


class SearchForm(PageForm):
    """`location`, `radius`, `service` and `page` of a search."""

    class Meta:
        csrf = False  # a GET search changes nothing, and its URL must be shareable

    location = StringField(
        _l("ZIP code, city or address"),
        validators=[Length(max=200, message=_l("Keep the location under 200 characters."))],
    )
    radius = StringField(_l("Within"), default=str(DEFAULT_RADIUS))
    page = StringField(_l("Page"), default="1")
    service = ServiceValues(default=list)

    def validate_radius(self, field: Field) -> None:
        """Only the radius choices the form offers."""
        first = ", ".join(str(r) for r in RADIUS_CHOICES[:-1])
        message = _(
            "Choose a radius of %(first)s or %(last)s miles.", first=first, last=RADIUS_CHOICES[-1]
        )
        value = _whole_number(field, 0, 10_000, message)
        if value not in RADIUS_CHOICES:
            raise ValidationError(message)

    def validate_page(self, field: Field) -> None:
        """A page number from 1."""
        _whole_number(field, 1, MAX_PAGE, page_message())

    @property
    def radius_miles(self) -> int:
        """The validated radius (the default when it is wrong: the page says so)."""
        if self.radius.errors:
            return DEFAULT_RADIUS
        return int((self.radius.data or "").strip(" \t") or DEFAULT_RADIUS)

    @property
    def page_number(self) -> int:
        """The validated page (1 when it is wrong: the page says so beside the form)."""
        return 1 if self.page.errors else int((self.page.data or "").strip(" \t") or 1)

    def search_query(self, taxonomy: Taxonomy) -> SearchQuery:
        """The arguments as a search, not placed yet (see SearchQuery), after `validate`.
        Every list (pages and API) has the one page size, LOCATOR_PER_PAGE."""
        return SearchQuery(
            taxonomy.select(self.service.data or []),
            page=self.page_number,
            per_page=current_app.config["LOCATOR_PER_PAGE"],
            radius=DEFAULT_RADIUS if self.radius is None else self.radius_miles,
        )


class PlaceListForm(SearchForm):
    """The arguments of a state's or a city's page: `service` and `page` (the place is in
    the path, the radius fixed)."""

    location = None
    radius = None
