"""Shared fixtures; pytest-django provides db, client and admin_client."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from .browser import browser  # noqa: F401  (one Chromium for the whole session)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Start every test with an empty cache.

    The database is rolled back after each test, the cache is not: a page
    cached by one test (under an invalidation sequence that the rollback
    makes reusable) would otherwise answer the next test's request.
    """
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Start and end every test in the default language.

    LocaleMiddleware activates the language of each request in the test
    client's thread and leaves it active: a test that fetched a Spanish page
    last would otherwise run the next one's messages and emails in Spanish.
    """
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
