from django import template
from django.urls import reverse

from conditions import workflow

register = template.Library()


@register.simple_tag
def work_queues(user):
    """Return the user's dashboards with counts and links, for the admin index."""
    changelist = reverse("admin:conditions_condition_changelist")
    return [
        {"label": label, "count": queryset.count(), "url": f"{changelist}?queue={key}"}
        for key, (label, queryset) in workflow.work_queues(user).items()
    ]
