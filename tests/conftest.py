"""Shared fixtures; pytest-django provides db, client and admin_client."""

from .browser import browser  # noqa: F401  (one Chromium for the whole session)
