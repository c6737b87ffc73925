"""What library/registry.py calls for the API: its tagger and its listings."""

from functools import partial

from ..pages.common import language_codes
from . import documents, openapi, params


def list_tags(condition_id, languages):
    """The tagger: an article changed in these languages; drop their lists.

    The article's own API page carries ``condition:<id>``, which the
    registry's article tagger returns already.
    """
    return {documents.list_tag(language) for language in languages}


def listing_pages():
    """Yield (path, render) of the API's pages that render_pages renders.

    The root, this description, and in each language the first page of the
    list and the categories; other pages are rendered at their next request.
    """
    yield params.reverse("library_api:root"), documents.render_root
    yield params.reverse("library_api:openapi"), openapi.render_openapi
    for code in language_codes():
        query = params.ListQuery(language=code)
        yield query.path(), partial(documents.render_conditions, query)
        yield params.categories_path(code), partial(documents.render_categories, code)
