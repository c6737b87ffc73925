"""Test settings: fast hashing, in-memory email, temporary media, a SQLite file."""

import os
import tempfile

from .base import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = tempfile.mkdtemp(prefix="healthinfo-test-media-")
STORAGES = {
    **STORAGES,  # noqa: F405  (originals private, renditions public, as in base)
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The public renditions are served as in dev (healthinfo/urls.py), so tests
# fetch them; the uploaded originals are not.
SERVE_PUBLIC_MEDIA = True

# Serve static files from the app folders; no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Two-factor authentication is off in tests (they log in with force_login);
# tests/test_two_factor.py turns it on with override_settings.
TWO_FACTOR_REQUIRED = False

# SQLite's test database is a file, not memory: tests/test_login_throttling.py
# checks that another process sharing the database (another worker) counts
# the same failed logins. One file per test run, never synced to disk.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(
            "/dev/shm" if os.path.isdir("/dev/shm") else tempfile.gettempdir(),
            f"healthinfo-test-{os.getpid()}.sqlite3",
        )
    }
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = (  # noqa: F405
        "PRAGMA synchronous=OFF"
    )

# Tests clear the cache to force a miss; a worker's own copy of cached pages
# (library/worker_copy.py) would answer instead. tests/test_worker_copy.py
# turns it on with workers of its own.
PAGE_CACHE_WORKER_COPY = False
