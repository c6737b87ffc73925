"""Settings of the public-side benchmarks (bench/public_*.py, publish_under_load.py).

Production's request path without its secrets: DEBUG off, the same
middleware, WhiteNoise indexing the static files once when a worker starts
(no autorefresh, as in production), the page cache from REDIS_URL (local
memory without it). What differs from production, and why:

- static files come from the finders (no collectstatic), plus
  bench/results/static, where the throughput benchmark writes the article
  page's HTML as a static file;
- no HTTPS redirect (the benchmark speaks plain HTTP to gunicorn);
- mails kept in memory, fast password hashing for the generated accounts;
- pictures under BENCH_MEDIA_ROOT (default ~/.cache/healthinfo-bench/media),
  outside the checkout: the generated libraries are kept in PostgreSQL and
  used by every checkout, and their pictures must be found by all of them.

``bench.settings_nocache`` is the same without any page cache.
"""

import os
from pathlib import Path

from healthinfo.settings.base import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = Path(
    os.environ.get("BENCH_MEDIA_ROOT")
    or Path.home() / ".cache" / "healthinfo-bench" / "media"
)
STATICFILES_DIRS = [*STATICFILES_DIRS, BASE_DIR / "bench" / "results" / "static"]  # noqa: F405
STATIC_ROOT = None  # no collectstatic: WhiteNoise indexes the finders' files
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = False
