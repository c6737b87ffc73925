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

# Two-factor authentication stays required (healthinfo/settings/two_factor.py),
# but not for the demo accounts of `load_demo` (conditions/demo/loader.py), so
# that `make run` logs in with a username and password alone. An account made
# by hand with a reviewer's or an editor's rights sets it up at its first login.
TWO_FACTOR_EXEMPT_USERNAMES = [
    "admin",
    "editor",
    "author",
    "reviewer",
    "reviewer2",
    "translator_es",
    "translation_reviewer_es",
]
