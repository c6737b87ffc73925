"""What every public page shares: languages, sorting, addresses, rendering."""

import unicodedata

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language_info

from ..store import Rendered


def language_codes():
    return [code for code, _name in settings.LANGUAGES]


def url(name, language, **kwargs):
    """Return the address of a public page in a language."""
    with translation.override(language):
        return reverse(f"library:{name}", kwargs=kwargs or None)


def absolute(path):
    """Return an address on the public site (SITE_URL) as a full URL."""
    return settings.SITE_URL.rstrip("/") + path


def language_links(available, current, url_for):
    """Return the language selector entries for the given language codes."""
    return [
        {
            "code": code,
            "name": get_language_info(code)["name_local"],
            "url": url_for(code),
            "current": code == current,
        }
        for code in language_codes()
        if code in available
    ]


def sort_key(title, language):
    """Return the key that sorts titles as readers of the language expect.

    Accents do not count (Á sorts with A), except where the language has a
    letter of its own: Spanish Ñ comes after N.
    """
    text = title.casefold()
    if language == "es":
        text = text.replace("ñ", "n\uffff")
    return "".join(
        c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)
    )


def letter_of(title, language):
    """Return the A–Z letter a title is filed under ("#" for digits and signs)."""
    for c in title.strip():
        if c.isalpha():
            if language == "es" and c.casefold() == "ñ":
                return "Ñ"
            base = unicodedata.normalize("NFKD", c)[0].upper()
            return base if "A" <= base <= "Z" else "#"
        if c.isdigit():
            return "#"
    return "#"


def render(template, context, *, language, tags, **fields):
    """Render a template in a language into a Rendered page."""
    with translation.override(language):
        body = render_to_string(template, {"LANGUAGE_CODE": language, **context})
    return Rendered(body=body.encode(), tags=set(tags), language=language, **fields)
