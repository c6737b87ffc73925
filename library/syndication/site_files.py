"""What crawlers and browsers ask the site's root for: robots.txt, favicon.ico.

Neither depends on publications: they are answered from settings and a
static file, with headers that let caches keep them.
"""

import hashlib
from functools import cache

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import Http404, HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils.cache import get_conditional_response, patch_cache_control

from ..pages.common import absolute, language_codes, url

#: Addresses no crawler should fetch: the editorial admin, and (per
#: language) search results, when the site has a search page.
PRIVATE = ["/admin/"]
SEARCH_NAMES = ("search",)
#: How long browsers and caches may keep these files.
MAX_AGE = 24 * 60 * 60


def robots_lines():
    lines = ["User-agent: *", "Allow: /"]
    lines += [f"Disallow: {path}" for path in PRIVATE]
    for name in SEARCH_NAMES:
        for code in language_codes():
            try:
                lines.append(f"Disallow: {url(name, code)}")
            except NoReverseMatch:
                break
    lines += ["", f"Sitemap: {absolute(reverse('sitemap'))}"]
    return lines


def _respond(request, body, content_type):
    response = HttpResponse(body, content_type=content_type)
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return get_conditional_response(request, etag=etag, response=response)


def robots_txt(request):
    """/robots.txt: public pages allowed, the admin and search results not."""
    body = ("\n".join(robots_lines()) + "\n").encode()
    return _respond(request, body, "text/plain; charset=utf-8")


@cache
def _favicon():
    """Return the icon's bytes: from static/, or the collected static files."""
    found = finders.find("favicon.ico")
    try:
        if found:
            with open(found, "rb") as file:
                return file.read()
        with staticfiles_storage.open("favicon.ico") as file:
            return file.read()
    except OSError:
        return None


def favicon(request):
    """/favicon.ico, for browsers and tools that look for it at the root."""
    body = _favicon()
    if body is None:
        raise Http404
    return _respond(request, body, "image/x-icon")
