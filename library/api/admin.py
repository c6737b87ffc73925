"""Partners' API keys, managed by editors in the admin.

A key is made when it is added, and shown once in the confirmation message:
it is stored as its digest only. *Replace the key* makes a new one for a
partner whose key leaked; *active* switches a key off (401) without
deleting it.
"""

from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import access
from .models import ApiKey


def _show_key(request, api_key, key):
    messages.success(
        request,
        _(
            "The API key of “%(name)s” is %(key)s. Copy it now: it is stored "
            "as a digest and cannot be shown again."
        )
        % {"name": api_key.name, "key": key},
    )


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ["name", "prefix", "rate_limit", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "prefix"]
    readonly_fields = ["prefix", "created_at"]
    fields = ["name", "rate_limit", "is_active", "prefix", "created_at"]
    actions = ["replace_keys"]

    def save_model(self, request, obj, form, change):
        key = None if change else obj.new_key()
        super().save_model(request, obj, form, change)
        if key:
            _show_key(request, obj, key)

    @admin.action(
        description=gettext_lazy("Replace the key of the selected API keys"),
        permissions=["change"],
    )
    def replace_keys(self, request, queryset):
        for api_key in queryset:
            old = api_key.digest
            key = api_key.new_key()
            api_key.save(update_fields=["prefix", "digest"])
            access.forget(old)
            _show_key(request, api_key, key)
