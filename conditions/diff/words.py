"""Word-level diff of plain text: tokens, matching, and the marked-up result.

Removed words are in ``<del>``, added ones in ``<ins>``; all text is
escaped. The rich-text diff (``richtext``) builds on the same pieces.
"""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

from .matching import opcodes as match

TOKEN_RE = re.compile(r"\s+|\w+|[^\w\s]")


def tokenize_text(text):
    return TOKEN_RE.findall(text or "")


def _is_space(token):
    return isinstance(token, str) and token.isspace()


def opcodes(a, b):
    """Return the matcher's opcodes with whitespace-only equal runs between
    two changes folded into one replacement, so that "old words" -> "new
    terms" reads as one <del> and one <ins>, not a word-by-word zigzag."""
    raw = match(a, b)
    for index, (tag, i1, i2, _j1, _j2) in enumerate(raw):
        if (
            tag == "equal"
            and 0 < index < len(raw) - 1
            and all(_is_space(t) for t in a[i1:i2])
        ):
            raw[index] = ("replace", *raw[index][1:])
    merged = []
    for op in raw:
        if merged and op[0] != "equal" and merged[-1][0] != "equal":
            _tag, i1, _i2, j1, _j2 = merged[-1]
            merged[-1] = ("replace", i1, op[2], j1, op[4])
        else:
            merged.append(op)
    return merged


def _wrap(kind, text, linebreaks=False):
    text = escape(text)
    if linebreaks:
        text = text.replace("\n", "<br>")
    if kind == "ins":
        return f"<ins>{text}</ins>"
    if kind == "del":
        return f"<del>{text}</del>"
    if kind == "fmt":
        return f'<ins class="diff-format">{text}</ins>'
    return text


def render(pieces, *, linebreaks=False, collapse=False):
    """Join (kind, text) pieces, merging neighbours of the same kind.

    With ``collapse`` (HTML, where whitespace collapses anyway) the spaces at
    the edges of a removed run are moved outside the <del>.
    """
    runs = []
    for kind, text in pieces:
        if runs and runs[-1][0] == kind and kind != "tag":
            runs[-1][1] += text
        else:
            runs.append([kind, text])
    out = []
    for kind, text in runs:
        if kind == "tag":
            out.append(text)
        elif kind == "del" and text.isspace():
            continue  # a removed space or paragraph break: nothing to show
        elif kind in ("ins", "fmt") and text.isspace():
            out.append(_wrap("eq", text, linebreaks))
        elif kind == "del" and collapse:
            before = " " if text[0].isspace() else ""
            after = " " if text[-1].isspace() else ""
            out.append(before + _wrap(kind, " ".join(text.split())) + after)
        else:
            out.append(_wrap(kind, text, linebreaks))
    return "".join(out)


def diff_text(old, new, *, linebreaks=False):
    """Return a safe word-level diff of two plain texts.

    All text is escaped; with ``linebreaks`` newlines become ``<br>``.
    """
    a, b = tokenize_text(old), tokenize_text(new)
    pieces = []
    for tag, i1, i2, j1, j2 in opcodes(a, b):
        if tag == "equal":
            pieces.append(("eq", "".join(b[j1:j2])))
            continue
        if i2 > i1:
            pieces.append(("del", "".join(a[i1:i2])))
        if j2 > j1:
            pieces.append(("ins", "".join(b[j1:j2])))
    return mark_safe(render(pieces, linebreaks=linebreaks))


# --------------------------------------------------------------------------
# Tag-aware diff of rich text
