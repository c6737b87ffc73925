from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """Search in the reader's language: its index and its pages."""

    name = "library.search"
    label = "library_search"
    verbose_name = _("Search")

    def ready(self):
        from . import schema

        post_migrate.connect(
            schema.ensure_language_indexes,
            sender=self,
            dispatch_uid="library_search_language_indexes",
        )
