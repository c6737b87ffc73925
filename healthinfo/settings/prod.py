"""Production: every secret and host comes from the environment."""

import os
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .mail import email_settings

DEBUG = False

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("Set DJANGO_SECRET_KEY (50+ random characters).")
if not ALLOWED_HOSTS:  # noqa: F405
    raise ImproperlyConfigured("Set ALLOWED_HOSTS (comma-separated host names).")
CSRF_TRUSTED_ORIGINS = [
    o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o
]

# The links in notification emails start with SITE_URL. base.py's default
# (http://127.0.0.1:8000) is for dev and tests only: production requires it.
SITE_URL = os.environ.get("SITE_URL", "")
_site = urlsplit(SITE_URL)
if _site.scheme not in ("http", "https") or not _site.netloc:
    raise ImproperlyConfigured(
        "Set SITE_URL to the site's public address, e.g. "
        "https://health.example.org (used for links in notification emails)."
    )

# Outgoing mail: EMAIL_URL, e.g. smtp://user:password@mail.example.org:587?tls=1
# (see healthinfo/settings/mail.py for the forms it takes).
if not os.environ.get("EMAIL_URL"):
    raise ImproperlyConfigured(
        "Set EMAIL_URL to the outgoing mail server, e.g. "
        "smtp://user:password@mail.example.org:587?tls=1 (or consolemail:// "
        "to print mails on stdout)."
    )
globals().update(email_settings(os.environ["EMAIL_URL"]))
# Notification mails come from DEFAULT_FROM_EMAIL: a real address of the
# site's domain (mail relays refuse base.py's library@localhost). Django's
# error reports to ADMINS come from SERVER_EMAIL.
if "@" not in os.environ.get("DEFAULT_FROM_EMAIL", ""):
    raise ImproperlyConfigured(
        "Set DEFAULT_FROM_EMAIL to the address notification mails come from, "
        "e.g. library@health.example.org."
    )
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)  # noqa: F405

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING["root"]["level"] = "INFO"  # noqa: F405
