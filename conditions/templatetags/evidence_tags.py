from django import template

from conditions.evidence import links

register = template.Library()


@register.simple_tag
def broken_links_count():
    """Return how many references had a broken link at their last check."""
    return links.broken().count()
