"""The benchmark settings without a page cache: every public request reaches
the view, which serves the stored page with one query (see bench/settings.py).
"""

from bench.settings import *  # noqa: F403

CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
