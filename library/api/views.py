"""The API's views: thin, over the page store (library/store.py).

Each names the stored address of what was asked (canonical: see params.py)
and how to render it. Keys and rate limits are checked before the view, by
middleware.py. Errors are JSON (access.error).
"""

from django.http import HttpResponsePermanentRedirect
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from .. import store
from . import access, documents, openapi, params
from .params import ApiError, ListQuery


def _invalid(request, problem):
    with translation.override(access.message_language(request)):
        return access.error(
            400, "invalid_parameter", problem.message, parameter=problem.parameter
        )


def _not_found(request, message=None):
    with translation.override(access.message_language(request)):
        return access.error(
            404, "not_found", message or _("Nothing is published at this address.")
        )


def _serve(request, path, render, not_found=None):
    response = store.serve(request, path, render)
    if response is None:
        return _not_found(request, not_found)
    return response


@require_safe
def root(request):
    return _serve(request, request.path, documents.render_root)


@require_safe
def openapi_json(request):
    return _serve(request, request.path, openapi.render_openapi)


@require_safe
def conditions(request):
    """A page of the live articles of a language, A to Z, maybe filtered."""
    try:
        query = ListQuery.from_params(request.GET)
    except ApiError as problem:
        return _invalid(request, problem)
    with translation.override(query.language):
        missing = _("No such list: its category or its page does not exist.")
    return _serve(
        request, query.path(), lambda: documents.render_conditions(query), missing
    )


@require_safe
def condition(request, slug):
    """A live article, in the language asked for (the source by default)."""
    try:
        language = params.language_of(request.GET)
    except ApiError as problem:
        return _invalid(request, problem)
    with translation.override(language):
        missing = _("No article is published at this address in this language.")
    return _serve(
        request,
        params.condition_path(language, slug),
        lambda: documents.render_condition(language, slug),
        missing,
    )


@require_safe
def categories(request):
    try:
        language = params.language_of(request.GET)
    except ApiError as problem:
        return _invalid(request, problem)
    return _serve(
        request,
        params.categories_path(language),
        lambda: documents.render_categories(language),
    )


def unknown(request, rest=""):
    """Any other address under the API: a JSON 404 (or the address with "/")."""
    if not request.path.endswith("/"):
        try:
            match = resolve(request.path + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not unknown:
            query = request.META.get("QUERY_STRING", "")
            return HttpResponsePermanentRedirect(
                request.path + "/" + (f"?{query}" if query else "")
            )
    return _not_found(request)
