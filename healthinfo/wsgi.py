"""WSGI entry point; production uses healthinfo.settings.prod."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "healthinfo.settings.prod")

application = get_wsgi_application()
