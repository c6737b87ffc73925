"""Content-Security-Policy (django-csp), imported by base.py."""

from csp.constants import NONCE, NONE, SELF

# One policy for the whole site, the admin included: scripts and styles
# from the site only, nothing from another host, no inline event handler,
# no inline script or style but what carries the response's nonce. Only
# the admin uses the nonce: the rich-text editor's import map and the
# <style> that stands in for Tiptap's own (conditions/admin/editor.py),
# rendered by the `with_nonce` filter. django-csp names the nonce in the
# header only on a response that used it, so public pages, stored and
# served as bytes, keep `script-src 'self'` and must never use it: a
# stored nonce would be replayed (tests/test_admin_csp.py pins it).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
