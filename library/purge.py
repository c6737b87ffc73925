"""Telling caches in front of the site (a CDN) which addresses changed.

One interface: ``backend().purge(paths)``, called by ``store.invalidate``
with the public paths of the pages that changed. ``PURGE_BACKEND`` (a dotted
path) chooses the backend; a CDN is supported by writing one more class
with a ``purge(paths)`` method.

- ``NoPurge`` (the default): nothing in front of the site.
- ``HttpPurge``: sends ``PURGE <path>`` for each address to ``PURGE_URL``
  (Varnish, nginx's cache purge, Fastly and others accept it), with an
  optional ``PURGE_TOKEN`` in an ``Authorization: Bearer`` header. A purge
  that fails is logged and never undoes the publication: the pages carry
  ``Cache-Control: max-age`` so a cache drops them soon anyway.
"""

import logging
import urllib.error
import urllib.request
from urllib.parse import urljoin

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class NoPurge:
    """Nothing caches the site's pages in front of it."""

    def purge(self, paths):
        return None


class HttpPurge:
    """Send an HTTP PURGE request for each changed address."""

    def __init__(self, url=None, token=None, timeout=5):
        self.url = url or settings.PURGE_URL
        self.token = token if token is not None else settings.PURGE_TOKEN
        self.timeout = timeout

    def purge(self, paths):
        # After the commit: never purge for a change that is rolled back.
        paths = sorted(set(paths))
        if paths:
            transaction.on_commit(lambda: self.send(paths))

    def send(self, paths):
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        for path in paths:
            request = urllib.request.Request(
                urljoin(self.url, path), method="PURGE", headers=headers
            )
            try:
                with urllib.request.urlopen(request, timeout=self.timeout):
                    pass
            except (urllib.error.URLError, OSError) as error:
                logger.warning("Could not purge %s from the cache: %s", path, error)


def backend():
    """Return the configured purge backend."""
    return import_string(settings.PURGE_BACKEND)()
