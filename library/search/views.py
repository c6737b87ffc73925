"""The search pages: results (HTML) and type-ahead suggestions (JSON).

Neither is stored as a page (queries are open-ended): each is answered from
the index, in a fixed number of queries, with ``Cache-Control: public`` for
a CDN. The site's own cache (library/middleware.py) keeps the response under
the newest invalidation read before the search, like a stored page: the next
publication makes it a miss.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.urls import NoReverseMatch
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language

from .. import routers, store
from ..pages.common import language_codes, language_links, url
from . import service

#: Page numbers shown either side of the current one.
PAGE_WINDOW = 2


def _public(response, language, epoch, path):
    """Mark a response public; the cache in front keeps it under `path` only.

    `path` is the canonical address of what was answered: a request with
    other parameters, or spelt differently, is answered but not cached.
    """
    patch_cache_control(response, public=True, max_age=settings.PUBLIC_CACHE_SECONDS)
    response["Content-Language"] = language
    response.library_epoch = epoch
    response.library_path = path
    return response


def _page_number(value):
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return 1


def search_url(language, query, page=1):
    """Return the address of a page of results in a language."""
    params = {"q": query}
    if page > 1:
        params["page"] = page
    return url("search", language) + "?" + urlencode(params)


def letter_url(language, letter):
    """Return the address of the A–Z listing of a letter."""
    try:
        slug = "0-9" if letter == "#" else letter.lower()
        return url("letter", language, letter=slug)
    except NoReverseMatch:
        return url("home", language)


def _pagination(language, found):
    if found.pages <= 1:
        return None
    first = max(1, found.page - PAGE_WINDOW)
    last = min(found.pages, found.page + PAGE_WINDOW)
    return {
        "previous": search_url(language, found.query, found.page - 1)
        if found.page > 1
        else None,
        "next": search_url(language, found.query, found.page + 1)
        if found.page < found.pages
        else None,
        "pages": [
            {
                "number": number,
                "url": search_url(language, found.query, number),
                "current": number == found.page,
            }
            for number in range(first, last + 1)
        ],
    }


def results(request):
    """The results page of a query in the active language (works without JS)."""
    language = get_language()
    page = _page_number(request.GET.get("page"))
    if page > service.MAX_PAGE:
        raise Http404
    epoch = store.sequence()
    with routers.public_reads():
        found = service.search(language, request.GET.get("q", ""), page)
        letters = (
            service.letters(language)
            if found.query and not found.total and page == 1
            else []
        )
    if page > 1 and not found.results:
        raise Http404
    context = {
        "LANGUAGE_CODE": language,
        "section": "search",
        "found": found,
        "first": (page - 1) * service.PAGE_SIZE + 1,
        "last": (page - 1) * service.PAGE_SIZE + len(found.results),
        "pagination": _pagination(language, found),
        "suggestion_url": search_url(language, found.suggestion)
        if found.suggestion
        else "",
        "letters": [
            {"letter": letter, "url": letter_url(language, letter)}
            for letter in letters
        ],
        "home_url": url("home", language),
        "search_action": url("search", language),
        "suggest_url": url("search_suggest", language),
        "languages": language_links(
            language_codes(),
            language,
            lambda code: (
                search_url(code, found.query) if found.query else url("search", code)
            ),
        ),
    }
    body = render_to_string("library/search.html", context)
    canonical = (
        search_url(language, found.query, page)
        if found.query
        else url("search", language)
    )
    return _public(HttpResponse(body), language, epoch, canonical)


def suggestions(request):
    """Titles and also-called names starting with what is typed, as JSON.

    ``{"query": "diab", "suggestions": [{"name", "title", "url",
    "is_title"}, …]}``
    """
    language = get_language()
    prefix = request.GET.get("q", "")[: service.MAX_PREFIX]
    epoch = store.sequence()
    with routers.public_reads():
        found = service.suggest(language, prefix)
    return _public(
        JsonResponse({"query": prefix, "suggestions": found}),
        language,
        epoch,
        url("search_suggest", language) + "?" + urlencode({"q": prefix}),
    )
