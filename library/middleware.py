"""The fast path: public pages from the cache, before the rest of Django.

Placed right after WhiteNoise: a page in the cache (Redis when REDIS_URL
is set) is answered with its stored bytes and headers, or a 304, without
sessions, authentication or a database query. A miss goes through the
whole stack to the view, whose response carries ``library_epoch``: the
newest invalidation it is current as of, under which it is cached (see
store.py). A response is cached only under its own address
(``library_path``): ``/en/?x=1``, ``/en/?x=2``… are answered from the
stored page of ``/en/`` but never cached, so made-up query strings cannot
fill the cache.

On a cache miss, a stored page in a language (an article, a listing: the
pages whose address names their language) is answered here too, from its
one indexed query, without the rest of the stack: sessions, CSRF, locale,
URL resolving and the views add nothing to a stored page but three headers,
which ``_short_path`` adds itself (Content-Length, the site's
Content-Security-Policy, whose public form has no nonce, and
X-Frame-Options). A test compares its
headers with those of the whole stack, page kind by page kind.
"""

from functools import cache

from csp.constants import HEADER as CSP_HEADER
from csp.utils import build_policy
from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.encoding import iri_to_uri
from django.utils.http import parse_http_date_safe

from . import store

#: Addresses that are never public pages.
PRIVATE_PREFIXES = ("/admin/", "/static/", "/media/", "/i18n/")


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD") or request.path.startswith(
            PRIVATE_PREFIXES
        ):
            return self.get_response(request)
        key = request.get_full_path()
        entry = store.cached(key)
        if entry is not None:
            return self._from_cache(request, entry)
        response = self._short_path(request, key)
        if response is not None:
            return response
        response = self.get_response(request)
        epoch = getattr(response, "library_epoch", None)
        if (
            epoch is not None
            and response.status_code == 200
            and iri_to_uri(getattr(response, "library_path", "")) == key
        ):
            store.remember(key, response, epoch)
        return response

    def _short_path(self, request, key):
        """Answer a stored page in a language from the database, or None."""
        if key != request.path:
            return None  # a query string: the view decides what it means
        fields = store.lookup(key)
        if fields is None or not fields["language"]:
            # The view serves it without looking it up again (store.serve).
            request.library_lookup = (key, fields)
            return None
        response = store.respond(request, fields)
        # What CommonMiddleware, django-csp and XFrameOptionsMiddleware add.
        response.headers.setdefault("Content-Length", str(len(response.content)))
        response.headers.setdefault(CSP_HEADER, public_policy())
        response.headers.setdefault(
            "X-Frame-Options", getattr(settings, "X_FRAME_OPTIONS", "DENY").upper()
        )
        if response.status_code == 200:
            store.remember(key, response, fields["epoch"])
        return response

    def _from_cache(self, request, entry):
        response = HttpResponse(entry["body"], status=entry["status"])
        for name, value in entry["headers"]:
            response[name] = value
        last_modified = parse_http_date_safe(response.get("Last-Modified", ""))
        return get_conditional_response(
            request,
            etag=response.get("ETag"),
            last_modified=last_modified,
            response=response,
        )


@cache
def public_policy():
    """The Content-Security-Policy header of a public page (no nonce)."""
    return build_policy()
