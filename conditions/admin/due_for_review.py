"""The "Due for review" screen: live articles overdue for medical review,
due within 30 days and within 90 days, with who is responsible for each."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from ..workflow import due

#: Rows shown of each group on the overview; ?group=… lists one in full.
CAP = 25
PER_PAGE = 50


def may_see(user):
    """Return True for those who act on reviews: writers, reviewers, editors."""
    return user.has_perm("conditions.review_condition") or user.has_perm(
        "conditions.submit_condition"
    )


def due_view(model_admin, request):
    """Show the three groups, each capped, or one group paginated.

    A fixed number of queries whatever the size of the library: the counts
    in one, then per group its rows and the people responsible for them.
    """
    if not may_see(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    only = request.GET.get("group", "")
    if only not in due.GROUPS:
        only = ""
    counts = due.due_for_review(today=today).aggregate(
        **{key: Count("pk", filter=due.window(key, today)) for key in due.GROUPS}
    )
    groups, page = [], None
    for key, (label, _first, _last) in due.GROUPS.items():
        if only and key != only:
            continue
        rows = due.due_for_review(key, today=today)
        if only:
            page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
            rows = page.object_list
        else:
            rows = rows[:CAP]
        groups.append(
            {
                "key": key,
                "label": label,
                "count": counts[key],
                "rows": due.with_people(rows, today=today),
                "capped": not only and counts[key] > CAP,
            }
        )
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": _("Due for review"),
        "today": today,
        "groups": groups,
        "only": only,
        "page": page,
        "cap": CAP,
    }
    return TemplateResponse(
        request, "admin/conditions/condition/due_for_review.html", context
    )
