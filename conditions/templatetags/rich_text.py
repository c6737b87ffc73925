"""Stored rich text, shown as formatted text: sanitised at display time.

``{{ value|rich_text }}`` (``{% load rich_text %}``) in templates, and
``render_rich_text()`` for the admin's read-only fields: the one way stored
rich text becomes safe HTML on an editorial screen. It was sanitised on save,
but a value written around the model (a queryset update, a raw import) may
not have been, so it is never marked safe without the sanitiser.
"""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from ..fields import sanitize_html

register = template.Library()


def render_rich_text(value, language=None):
    """Return rich text as ``<div class="rich-text">`` with sanitised HTML."""
    lang = format_html(' lang="{}"', language) if language else ""
    return format_html(
        '<div class="rich-text"{}>{}</div>', lang, mark_safe(sanitize_html(value or ""))
    )


@register.filter
def rich_text(value, language=None):
    """Render stored rich text (HTML) sanitised, in a ``div.rich-text``."""
    return render_rich_text(value, language)
