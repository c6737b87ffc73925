"""The editors' list of articles failing the publication checks, and why.

Reads the stored results (``PublicationCheckResult``, refreshed at every
transition and by ``run_daily_checks``): one page of rows with their
articles, the same number of queries whatever the size of the library.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from ..models import PublicationCheckResult
from ..workflow import checks

PER_PAGE = 50


def may_see(user):
    """Return True for editors (who unpublish and schedule articles)."""
    return user.is_active and user.has_perm("conditions.unpublish_condition")


@admin.register(PublicationCheckResult)
class PublicationCheckResultAdmin(admin.ModelAdmin):
    """Articles failing publication checks: a list only, for editors."""

    def has_module_permission(self, request):
        return may_see(request.user)

    def has_view_permission(self, request, obj=None):
        return may_see(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        raise PermissionDenied

    def changelist_view(self, request, extra_context=None):
        """Every article in review, scheduled or published that fails a check."""
        if not may_see(request.user):
            raise PermissionDenied
        page = Paginator(checks.failing(), PER_PAGE).get_page(request.GET.get("page"))
        rows = [
            {
                "condition": result.condition,
                "status": result.condition.get_status_display(),
                "url": reverse(
                    "admin:conditions_condition_change", args=[result.condition_id]
                ),
                "reasons": [str(reason) for reason in checks.reasons_of(result)],
                "checked_at": result.checked_at,
            }
            for result in page
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Articles failing publication checks"),
            "rows": rows,
            "page": page,
        }
        return TemplateResponse(
            request, "admin/conditions/publication_checks.html", context
        )
