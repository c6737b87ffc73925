"""Form media under the Content-Security-Policy: every tag with the nonce.

``{{ media|with_nonce:request.csp_nonce }}`` (``{% load csp_nonce %}``)
renders a form's media as ``{{ media }}`` does, with the request's CSP
nonce on each tag. The rich-text editor's import map is an inline script,
and the policy refuses inline script without the nonce
(healthinfo/settings/csp.py); the site's change form
(templates/admin/change_form.html) and the translation workspace use it.
"""

from django import template
from js_asset import Media

register = template.Library()


@register.filter
def with_nonce(media, nonce):
    """Return the media, rendered with ``nonce`` on each of its tags."""
    if not media:
        return media
    # A lazy nonce (django-csp's request.csp_nonce) is generated only when
    # the media has something to render: the header then names it.
    return Media.from_media(media, nonce=nonce)
