from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _after_migrate(sender, **kwargs):
    from . import access

    access.grant_editors()


class LibraryApiConfig(AppConfig):
    """The syndication API: live articles as JSON for partners (docs/api.md)."""

    name = "library.api"
    label = "library_api"
    verbose_name = _("Syndication API")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import access

        access.connect()
        post_migrate.connect(_after_migrate, sender=self)
