"""Settings shared by every environment; dev, test and prod extend them."""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "insecure-dev-key-change-me")
DEBUG = False
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h]

INSTALLED_APPS = [
    # modeltranslation must come before admin (and before reversion
    # registration), or per-language columns are not versioned.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "reversion",
    "django_prose_editor",
    "csp",
    "conditions",
    "library",
    "library.search",
    "library.api",
    # -- accounts: login throttling (issue 9, part 1)
    # django-axes, shown in the admin as "Login security" (settings/accounts.py).
    "conditions.apps.LoginSecurityConfig",
    # -- accounts: two-factor authentication (issue 9, part 2)
    # django-otp's authenticator (TOTP) and backup codes; the pages, the
    # editors' reset screen and the log (settings/two_factor.py).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "accounts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # A body above REQUEST_MAX_BYTES is answered 413 before it is read.
    "healthinfo.middleware.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # API keys and rate limits, before the cache answers (docs/api.md).
    "library.api.middleware.ApiAccessMiddleware",
    # Public pages from the cache, before sessions and the rest.
    "library.middleware.PublicPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # -- accounts: login throttling (issue 9, part 1)
    # Turns a refused login into the lockout page (429).
    "axes.middleware.AxesMiddleware",
    # -- accounts: two-factor authentication (issue 9, part 2)
    # Whether the session gave a second factor (request.user.is_verified()),
    # then an admin user who must give one sees nothing else of the admin.
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.TwoFactorMiddleware",
]

ROOT_URLCONF = "healthinfo.urls"
WSGI_APPLICATION = "healthinfo.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=60
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# A read replica of the primary (PostgreSQL streaming replication): public
# pages render from it when it is up to date (library/routers.py).
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"], conn_max_age=60
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["library.routers.PublicReadsRouter"]

if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# django-axes' backend first: it refuses a locked-out login before the
# password is checked. Password validators and sessions: accounts.py.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Languages: the first is the source language of every article. Adding one
# is a change here plus `makemigrations` (see docs/languages.md).
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("es", _("Spanish")),
]
SOURCE_LANGUAGE = LANGUAGE_CODE
# Search: the PostgreSQL text search configuration of each language (its
# stemmer and stop words; made accent-blind by library/search). "simple" if absent.
SEARCH_CONFIGURATIONS = {"en": "english", "es": "spanish"}
# locale/vendor: Spanish for packages that ship none (django-axes).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "vendor"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
# Public pages read publications, never translated columns; in the admin an
# empty field must look empty, not borrow another language's text.
MODELTRANSLATION_ENABLE_FALLBACKS = False
MODELTRANSLATION_AUTO_POPULATE = False
MODELTRANSLATION_CUSTOM_FIELDS = ("RichTextField",)
# Which fields are translated is declared in conditions/translated_fields.py
# (modeltranslation would otherwise look for a module named "translation").
MODELTRANSLATION_TRANSLATION_FILES = ("conditions.translated_fields",)

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Pictures: two areas under MEDIA_ROOT. Uploaded originals (the default
# storage, MEDIA_ROOT/uploads/) are private: never served to readers, staff
# see them through the admin at ORIGINALS_URL (conditions/admin/media.py,
# login and view permission). Publication writes WebP renditions and a
# JPEG/PNG fallback to the public area, MEDIA_ROOT/public/ (the "public"
# storage, conditions/publishing/renditions.py), served at PUBLIC_MEDIA_URL
# by the web server, or by Django itself when SERVE_PUBLIC_MEDIA is on (dev).
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
PUBLIC_MEDIA_URL = MEDIA_URL + "public/"
ORIGINALS_URL = "/admin/conditions/condition/originals/"
SERVE_PUBLIC_MEDIA = False
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"base_url": ORIGINALS_URL},
    },
    "public": {"BACKEND": "conditions.publishing.renditions.PublicStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# The admin's translation tabs would load jQuery UI from a CDN: use the
# vendored copy (npm package jquery-ui) instead.
JQUERY_UI_URL = "vendor/jquery-ui/jquery-ui.min.js"

LOGIN_URL = "admin:login"

# Public pages may be cached by a CDN (and browsers) for this many seconds;
# publishing purges them from the CDN at once (PURGE_BACKEND).
PUBLIC_CACHE_SECONDS = int(os.environ.get("PUBLIC_CACHE_SECONDS", "300"))
# How long the site's own cache keeps a public page (publishing invalidates
# it at once, whatever this says).
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "86400"))
# With Redis, each web worker keeps its own copy of the pages it served and
# learns of publications by pub/sub, so a cached page costs no round trip
# (library/worker_copy.py). A publication waits until every worker has it.
PAGE_CACHE_WORKER_COPY = os.environ.get("PAGE_CACHE_WORKER_COPY", "1") == "1"
# Caches in front of the site: library.purge.NoPurge, or
# library.purge.HttpPurge to send PURGE requests to PURGE_URL (Varnish,
# nginx, a CDN), with PURGE_TOKEN as a bearer token if set.
PURGE_BACKEND = os.environ.get("PURGE_BACKEND", "library.purge.NoPurge")
PURGE_URL = os.environ.get("PURGE_URL", "")
PURGE_TOKEN = os.environ.get("PURGE_TOKEN", "")

# The syndication API (/api/v1/, docs/api.md): requests a minute from one
# client address without a key (None: no limit; 0: a key is required), the
# articles on a page of a list, and how many proxies in front of the site
# append the client's address to X-Forwarded-For.
API_ANONYMOUS_RATE_LIMIT = 60
API_PAGE_SIZE = 25
API_TRUSTED_PROXIES = 0

# The site's public address, for links in notification emails.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
# The most addresses one sitemap file lists (the protocol's limit); above
# it, /sitemap.xml is an index of /sitemap-<n>.xml sections.
SITEMAP_MAX_URLS = 50_000

# Four-eyes: nobody approves a change they wrote or edited. Only a
# single-person site should set REVIEW_ALLOW_SELF_APPROVAL=1.
REVIEW_ALLOW_SELF_APPROVAL = os.environ.get("REVIEW_ALLOW_SELF_APPROVAL") == "1"
# NHS England: a clinical review at least every three years. An article can
# set its own interval (Condition.review_interval_days).
REVIEW_INTERVAL_DAYS = 3 * 365
# An article this many days past its next-review date says so on its public
# page ("This page is due for review"); None (the default) never does. Run
# `refresh_overdue_pages` daily so that stored pages show it in time
# (docs/review-cycle.md).
REVIEW_OVERDUE_NOTICE_DAYS = (
    int(os.environ["REVIEW_OVERDUE_NOTICE_DAYS"])
    if os.environ.get("REVIEW_OVERDUE_NOTICE_DAYS")
    else None
)

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "library@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# Content-Security-Policy of public pages and the admin (csp.py); limits of
# uploads, texts and requests (limits.py); login throttling, passwords and
# sessions (accounts.py); two-factor authentication (two_factor.py).
from .accounts import *  # noqa: E402, F403
from .csp import *  # noqa: E402, F403
from .limits import *  # noqa: E402, F403
from .publication_checks import *  # noqa: E402, F403
from .readability import *  # noqa: E402, F403
from .two_factor import *  # noqa: E402, F403
