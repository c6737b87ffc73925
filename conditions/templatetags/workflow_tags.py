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


@register.simple_tag
def translation_reports(user):
    """Return (language name, report URL) for the languages the user works in."""
    from conditions.admin_translations import can_see_report, language_name
    from conditions.translations import target_languages

    return [
        (
            language_name(code),
            reverse("admin:conditions_condition_translation_report", args=[code]),
        )
        for code in target_languages()
        if can_see_report(user, code)
    ]
