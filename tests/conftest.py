"""Shared fixtures; pytest-django provides db, client and admin_client."""
