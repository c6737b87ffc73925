"""Content-Security-Policy (django-csp), imported by base.py."""

from csp.constants import NONE, SELF

# Public pages allow no inline script and nothing from another host. The
# admin is excluded: its rich-text editor needs an inline import map.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
