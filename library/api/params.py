"""The API's query parameters: checked, and spelled one way in addresses.

A request's parameters become a ``ListQuery`` (or an ``ApiError`` for a
value the API does not accept: 400). The stored page of a list, and every
link the API gives, use the canonical address of its query: parameters in
one order, defaults left out (``/api/v1/conditions/?language=es&page=2``).
"""

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")


class ApiError(Exception):
    """A parameter the API does not accept: answered 400 with the message."""

    def __init__(self, parameter, message):
        super().__init__(message)
        self.parameter = parameter
        self.message = message


def language_codes():
    return [code for code, _name in settings.LANGUAGES]


def language_of(params):
    """Return the language asked for (the source language by default)."""
    language = params.get("language", settings.SOURCE_LANGUAGE)
    if language not in language_codes():
        raise ApiError(
            "language",
            _("Unknown language: use one of %(codes)s.")
            % {"codes": ", ".join(language_codes())},
        )
    return language


def with_query(path, pairs):
    """Return a path with the query of the pairs whose value is not empty."""
    query = urlencode([(name, value) for name, value in pairs if value], safe=":")
    return f"{path}?{query}" if query else path


def language_pairs(language):
    return [("language", "" if language == settings.SOURCE_LANGUAGE else language)]


def iso(value):
    """Return a datetime as ISO 8601 in UTC, to the second."""
    return value.astimezone(UTC).replace(microsecond=0).isoformat()


#: An RFC 3339 date-time (the OpenAPI "date-time" format), or a date.
MOMENT = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})"
    r"(?:[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?"
    r"(?:([Zz])|([+-])(\d{2}):(\d{2}))?)?$"
)


def _moment(text):
    """Return an ISO 8601 date-time (or date) as an aware datetime in UTC.

    Without an offset it is UTC, a date is its midnight in UTC; fractions
    of a second are dropped, and a leap second (:60) counts as the second
    before it.
    """
    match = MOMENT.match(text)
    try:
        if match is None:
            raise ValueError(text)
        year, month, day, hour, minute, second = (
            int(value or 0) for value in match.groups()[:6]
        )
        offset = timedelta(0)
        if match[8]:
            offset = timedelta(hours=int(match[9]), minutes=int(match[10]))
            offset = -offset if match[8] == "-" else offset
        moment = datetime(
            year, month, day, hour, minute, min(second, 59), tzinfo=timezone(offset)
        )
    except ValueError:
        raise ApiError(
            "modified_since",
            _(
                "Give modified_since as an ISO 8601 date-time or date, "
                "such as %(example)s."
            )
            % {"example": "2026-01-31T09:00:00Z"},
        ) from None
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        # Before the year 1 or after 9999 in UTC: every article, or none.
        edge = date.min if moment.year == 1 else date.max
        return datetime.combine(edge, time(), tzinfo=UTC)


def _page(text):
    if not (text.isascii() and text.isdigit()) or int(text) < 1:
        raise ApiError("page", _("Give page as a whole number from 1."))
    return int(text)


@dataclass(frozen=True)
class ListQuery:
    """What a list of conditions shows: language, filters and page."""

    language: str
    category: str = ""
    modified_since: datetime | None = None
    page: int = 1

    @classmethod
    def from_params(cls, params):
        """Return the query of a request's GET parameters (ApiError if wrong)."""
        language = language_of(params)
        category = params.get("category")
        if category is not None and not SLUG.match(category):
            raise ApiError("category", _("Give category as a category's slug."))
        since = params.get("modified_since")
        return cls(
            language=language,
            category=category or "",
            modified_since=None if since is None else _moment(since),
            page=_page(params.get("page", "1")),
        )

    def path(self, page=None):
        """Return the canonical address of this list (of another page)."""
        page = self.page if page is None else page
        return with_query(
            reverse("library_api:conditions"),
            [
                *language_pairs(self.language),
                ("category", self.category),
                ("modified_since", self._since()),
                ("page", str(page) if page > 1 else ""),
            ],
        )

    def _since(self):
        if self.modified_since is None:
            return ""
        return iso(self.modified_since).replace("+00:00", "Z")

    @property
    def keep(self):
        """Store the page? Not for modified_since: each moment is an address."""
        return self.modified_since is None


def condition_path(language, slug):
    """Return the API address of an article in a language."""
    return with_query(
        reverse("library_api:condition", kwargs={"slug": slug}),
        language_pairs(language),
    )


def categories_path(language):
    return with_query(reverse("library_api:categories"), language_pairs(language))
