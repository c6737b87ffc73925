"""What every public page shares: languages, sorting, addresses, rendering."""

import re
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


#: Letters with a place of their own in a language's alphabet, after the
#: letter they follow (Spanish Ñ after N). Other accented letters file under
#: their base letter.
OWN_LETTERS = {"es": {"ñ": "n"}}
#: The group of titles that start with a digit or a sign.
OTHERS = "#"


def alphabet(language):
    """Return the A–Z letters of a language in order, then "#"."""
    letters = []
    own = OWN_LETTERS.get(language, {})
    for code in range(ord("A"), ord("Z") + 1):
        letters.append(chr(code))
        letters += [
            extra.upper() for extra, after in own.items() if after.upper() == chr(code)
        ]
    return [*letters, OTHERS]


def sort_key(title, language):
    """Return the key that sorts titles as readers of the language expect.

    Case and accents do not count (Á sorts with A), except where the language
    has a letter of its own: Spanish Ñ comes after N. Apostrophes join words
    (Alzheimer's = Alzheimers), other signs separate them, so that shorter
    words come first ("Ear infection" before "Earache"); numbers sort by
    value ("Type 2" before "Type 10").
    """
    own = OWN_LETTERS.get(language, {})
    out = []
    for c in unicodedata.normalize("NFC", title).casefold():
        if c in own:
            # "{" follows "z": the letter sorts after every word of the one
            # before it.
            out.append(own[c] + "{")
            continue
        for d in unicodedata.normalize("NFKD", c):
            if unicodedata.combining(d) or d in "'’":
                continue
            out.append(d if d.isalnum() else " ")
    words = "".join(out).split()
    return " ".join(
        re.sub(r"\d+", lambda number: number.group().zfill(10), word) for word in words
    )


def stored_sort_key(title, language):
    """Return sort_key() as a string that sorts the same in every database.

    A database sorts text by its collation, which may ignore spaces and
    signs: the hexadecimal of the UTF-8 bytes sorts by code point in any of
    them.
    """
    return sort_key(title, language).encode()[:500].hex()


def letter_of(title, language):
    """Return the A–Z letter a title is filed under ("#" for digits and signs)."""
    own = OWN_LETTERS.get(language, {})
    for c in unicodedata.normalize("NFC", title):
        if c.isalpha():
            if c.casefold() in own:
                return c.upper()
            base = unicodedata.normalize("NFKD", c)[0].upper()
            return base if "A" <= base <= "Z" else OTHERS
        if c.isdigit():
            return OTHERS
    return OTHERS


def letter_slug(letter):
    """Return the address part of a letter ("a", "ñ"; "0-9" for "#")."""
    return "0-9" if letter == OTHERS else letter.lower()


def letter_from_slug(slug, language):
    """Return the letter of an address part, or None if the language has none."""
    letters = {letter_slug(letter): letter for letter in alphabet(language)}
    return letters.get(slug)


def render(template, context, *, language, tags, **fields):
    """Render a template in a language into a Rendered page."""
    with translation.override(language):
        body = render_to_string(template, {"LANGUAGE_CODE": language, **context})
    return Rendered(body=body.encode(), tags=set(tags), language=language, **fields)
