"""Local development: DEBUG on, SQLite unless DATABASE_URL is set."""

from .base import *  # noqa: F403

DEBUG = True
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
INTERNAL_IPS = ["127.0.0.1"]

# Serve static files from the app folders; no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Serve the public renditions (MEDIA_ROOT/public/ at PUBLIC_MEDIA_URL), and
# only them: uploaded originals stay private (healthinfo/urls.py).
SERVE_PUBLIC_MEDIA = True
