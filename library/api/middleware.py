"""API keys and rate limits, checked before the page cache answers.

Placed before library.middleware.PublicPageCacheMiddleware: a response the
cache holds is still counted against the client's limit. API responses do
not vary with Accept-Language or cookies (the language is a parameter), so
the Vary header that later middleware adds is dropped: a cache in front
keeps one copy of each address.
"""

from . import access

PREFIX = "/api/"


class ApiAccessMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(PREFIX):
            return self.get_response(request)
        response = access.check(request) or self.get_response(request)
        if "Vary" in response:
            del response["Vary"]
        return response
