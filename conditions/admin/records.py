"""Records the workflow writes: the audit log and the publications.

Both are read-only here: only workflow transitions and publishing write them.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ..models import AuditEntry, Publication
from ..workflow.transitions import AUDIT_ACTIONS, TRANSITIONS
from .base import ReadOnlyAdmin

#: The audit log's action -> what happened, in the interface language.
DESCRIPTIONS = {
    action: TRANSITIONS[name].description for name, action in AUDIT_ACTIONS.items()
}


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """The audit log: written by workflow transitions."""

    list_display = [
        "created_at",
        "condition_title",
        "what",
        "from_state",
        "to_state",
        "actor",
        "comment",
    ]
    list_filter = ["action"]
    search_fields = ["condition_title", "comment"]
    list_select_related = ["actor"]

    @admin.display(description=_("action"), ordering="action")
    def what(self, entry):
        return DESCRIPTIONS.get(entry.action, entry.action)


@admin.register(Publication)
class PublicationAdmin(ReadOnlyAdmin):
    """Publications are records: readable by editors, changed only by publishing."""

    list_display = ["title", "language", "published_at", "published_by", "is_current"]
    list_filter = ["language", "is_current"]
    search_fields = ["title", "slug"]
    list_select_related = ["published_by"]
    readonly_fields = [
        "condition",
        "language",
        "revision",
        "title",
        "slug",
        "summary",
        "published_at",
        "published_by",
        "is_current",
        "withdrawn_at",
    ]
    exclude = ["snapshot"]
