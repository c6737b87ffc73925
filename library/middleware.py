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
"""

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
        response = self.get_response(request)
        epoch = getattr(response, "library_epoch", None)
        if (
            epoch is not None
            and response.status_code == 200
            and iri_to_uri(getattr(response, "library_path", "")) == key
        ):
            store.remember(key, response, epoch)
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
