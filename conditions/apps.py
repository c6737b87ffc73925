from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConditionsConfig(AppConfig):
    name = "conditions"
    verbose_name = _("Health library")

    def ready(self):
        # Registered here, after modeltranslation has added the per-language
        # columns, so that every language's columns are versioned.
        from . import versioning

        versioning.register_models()
