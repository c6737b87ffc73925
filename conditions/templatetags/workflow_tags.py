from django import template
from django.urls import reverse

from conditions import languages, roles, workflow

register = template.Library()


@register.simple_tag
def work_queues(user):
    """Return the user's dashboards with counts and links, for the admin index."""
    changelist = reverse("admin:conditions_condition_changelist")
    return [
        {"label": label, "count": queryset.count(), "url": f"{changelist}?queue={key}"}
        for key, (label, queryset) in workflow.work_queues(user).items()
    ]


@register.simple_tag
def translation_reports(user):
    """Return (language name, report URL) for the languages the user works in."""
    return [
        (
            languages.name(code),
            reverse("admin:conditions_condition_translation_report", args=[code]),
        )
        for code in languages.targets()
        if roles.can_see_translation_report(user, code)
    ]
