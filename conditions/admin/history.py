"""History of an article: compare any two of its revisions."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from reversion.models import Revision

from .. import diff
from ..models import Condition


def compare_view(model_admin, request, pk):
    """Show the field-by-field diff between any two revisions."""
    condition = get_object_or_404(Condition, pk=pk)
    if not model_admin.has_view_permission(request, condition):
        raise PermissionDenied
    revisions = Revision.objects.filter(
        version__content_type__model="condition",
        version__content_type__app_label="conditions",
        version__object_id=str(pk),
    )
    old = get_object_or_404(revisions, pk=request.GET.get("old"))
    new = get_object_or_404(revisions, pk=request.GET.get("new"))
    if old.pk > new.pk:
        old, new = new, old
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "original": condition,
        "title": _("Compare revisions"),
        "old": old,
        "new": new,
        "diff": diff.compare_revisions(condition.pk, old, new),
    }
    return TemplateResponse(request, "admin/conditions/condition/compare.html", context)
