"""Public pages: thin views over stored pages (see store.py).

Each view names the address and how to render it; a stored page answers
with one indexed query, a missing one is rendered from publications.
"""

from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import get_language

from . import store
from .pages.article import render_article
from .pages.common import letter_from_slug, url
from .pages.listings import render_az, render_category, render_home, render_letter


def _serve(request, render):
    response = store.serve(request, request.path, render)
    if response is None:
        raise Http404
    return response


def home(request):
    """The home page of a language: search, letters, categories, newest."""
    language = get_language()
    return _serve(request, lambda: render_home(language))


def az(request):
    """The A to Z index of a language: its letters and how many articles each."""
    language = get_language()
    return _serve(request, lambda: render_az(language))


def letter(request, letter):
    """The articles filed under one letter, A to Z."""
    language = get_language()
    if letter_from_slug(letter, language) is None:
        if letter_from_slug(letter.lower(), language) is None:
            raise Http404
        return redirect(url("letter", language, letter=letter.lower()), permanent=True)
    # Stored under the address as reverse() spells it ("%C3%B1" for "ñ").
    path = url("letter", language, letter=letter)
    response = store.serve(request, path, lambda: render_letter(language, letter))
    if response is None:
        raise Http404
    return response


def category(request, slug, page=None):
    """One page of a category's articles, A to Z."""
    language = get_language()
    if page == 1:
        return redirect(url("category", language, slug=slug), permanent=True)
    return _serve(request, lambda: render_category(language, slug, page or 1))


def article(request, slug):
    """A condition's page in the active language."""
    language = get_language()
    return _serve(request, lambda: render_article(language, slug))
