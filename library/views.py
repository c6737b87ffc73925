"""Public pages: thin views over stored pages (see store.py).

Each view names the address and how to render it; a stored page answers
with one indexed query, a missing one is rendered from publications.
"""

from django.http import Http404
from django.utils.translation import get_language

from . import store
from .pages.article import render_article
from .pages.listings import render_az


def _serve(request, render):
    response = store.serve(request, request.path, render)
    if response is None:
        raise Http404
    return response


def home(request):
    """The home page of a language."""
    language = get_language()
    return _serve(request, lambda: render_az(language))


def article(request, slug):
    """A condition's page in the active language."""
    language = get_language()
    return _serve(request, lambda: render_article(language, slug))
