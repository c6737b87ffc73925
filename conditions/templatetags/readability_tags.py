"""``{% readability_panel condition %}``: the reading grades of an article's
saved working copy, per section and language (conditions/admin/readability_panel.py).

On a change form its user may change, the panel carries the address that
scores unsaved texts, and static/js/readability.js updates it as they type.
"""

from django import template
from django.urls import reverse

from ..admin import readability_panel as panel

register = template.Library()


@register.inclusion_tag("admin/conditions/readability/panel.html", takes_context=True)
def readability_panel(context, condition):
    """Render the reading-grade panel of an article's saved working copy."""
    live = context.get("has_change_permission") and not context.get("is_popup")
    return {
        "readability": panel.for_condition(condition),
        "saved_copy": True,
        "score_url": reverse("admin:conditions_condition_readability") if live else "",
    }
