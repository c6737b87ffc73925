"""``{% readability_panel condition %}``: the reading grades of an article's
saved working copy, per section and language (conditions/admin/readability_panel.py).
"""

from django import template

from ..admin import readability_panel as panel

register = template.Library()


@register.inclusion_tag("admin/conditions/readability/panel.html")
def readability_panel(condition, saved_copy=True):
    """Render the reading-grade panel of an article's saved working copy."""
    return {"readability": panel.for_condition(condition), "saved_copy": saved_copy}
