from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles(sender, **kwargs):
    # Roles follow the languages in settings: a language added later gets
    # its "Translators (xx)" and "Translation reviewers (xx)" groups here.
    from .roles import sync_roles

    sync_roles()


class ConditionsConfig(AppConfig):
    name = "conditions"
    verbose_name = _("Health library")

    def ready(self):
        # Registered here, after modeltranslation has added the per-language
        # columns, so that every language's columns are versioned.
        from . import versioning

        versioning.register_models()
        post_migrate.connect(_sync_roles, sender=self)
