from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    """The public reading side: pages, search, feeds and the API.

    It reads publications only (the read model of conditions.models), never
    the working copy, and keeps what it renders from them.
    """

    name = "library"
    verbose_name = _("Public library")

    def ready(self):
        from . import receivers

        receivers.connect()
