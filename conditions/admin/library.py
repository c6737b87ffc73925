"""Shared library records: references, contributors, categories, disclaimer."""

from django.conf import settings
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin
from reversion.admin import VersionAdmin

from ..models import Category, Contributor, Disclaimer, Reference
from .base import ChangeNoteMixin
from .references import ReferenceEvidenceMixin


@admin.register(Reference)
class ReferenceAdmin(ReferenceEvidenceMixin, ChangeNoteMixin, VersionAdmin):
    list_display = ["__str__", "year"]
    search_fields = ["title", "authors", "container", "doi", "pmid", "url"]
    fieldsets = [
        (None, {"fields": ["authors", "title", "container"]}),
        (_("Journal"), {"fields": [("year", "volume", "issue", "pages")]}),
        (_("Identifiers"), {"fields": ["doi", "pmid", "url", "accessed"]}),
        (_("Change note"), {"fields": ["change_note"]}),
    ]


@admin.register(Contributor)
class ContributorAdmin(VersionAdmin):
    list_display = ["name", "credentials"]
    search_fields = ["name", "credentials"]


@admin.register(Category)
class CategoryAdmin(VersionAdmin, TabbedTranslationAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = [f"name_{code}" for code, _name in settings.LANGUAGES]
    prepopulated_fields = {
        f"slug_{code}": (f"name_{code}",) for code, _name in settings.LANGUAGES
    }


@admin.register(Disclaimer)
class DisclaimerAdmin(VersionAdmin, TabbedTranslationAdmin):
    def has_add_permission(self, request):
        return not Disclaimer.objects.exists() and super().has_add_permission(request)
