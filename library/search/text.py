"""Text as search sees it: plain text, keys, words, and safe highlights."""

import html
import re
import unicodedata

from django.utils.html import escape
from django.utils.safestring import mark_safe

#: The engines mark a match between these two characters (Unicode private
#: use: they never occur in indexed text, which is cleaned of them).
START, STOP = "\ue000", "\ue001"
ELLIPSIS = "…"

_TAG = re.compile(r"<[^>]+>")
_BLOCK = re.compile(
    r"</?(?:p|li|ul|ol|h[1-6]|div|br|tr|td|th|blockquote|figure|figcaption)\b",
    re.IGNORECASE,
)
_SPACE = re.compile(r"\s+")
_NOT_WORD = re.compile(r"[\W_]+")


def clean(text):
    """Return text without the highlight markers and with spaces collapsed."""
    return _SPACE.sub(" ", (text or "").replace(START, "").replace(STOP, "")).strip()


def plain(markup):
    """Return the text of sanitised HTML, blocks separated by spaces."""
    markup = _BLOCK.sub(lambda m: " " + m.group(0), markup or "")
    return clean(html.unescape(_TAG.sub("", markup)))


def unaccent(text):
    """Return text without diacritics (á → a, ñ → n, ü → u)."""
    return "".join(
        c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)
    )


def key(text):
    """Return the form names and words are compared in.

    Lower case, no accents, punctuation as single spaces: "Aarskog-Scott
    síndrome" → "aarskog scott sindrome".
    """
    return _NOT_WORD.sub(" ", unaccent(text.casefold())).strip()


def words(text):
    """Return the words of a text, as typed (no accents removed)."""
    return [w for w in _NOT_WORD.split(text or "") if w]


def highlighted(text):
    """Return an engine's marked text as safe HTML with <mark> elements.

    The text is escaped first, then the markers become tags: nothing from
    the text itself is ever trusted as markup.
    """
    parts = []
    open_ = False
    for piece in re.split(f"([{START}{STOP}])", text or ""):
        if piece == START and not open_:
            parts.append("<mark>")
            open_ = True
        elif piece == STOP and open_:
            parts.append("</mark>")
            open_ = False
        elif piece not in (START, STOP):
            parts.append(escape(piece))
    if open_:
        parts.append("</mark>")
    return mark_safe("".join(parts))  # every piece of text was escaped


def has_match(text):
    return START in (text or "")
