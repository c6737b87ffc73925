"""Tag-aware word-level diff of rich text (sanitised HTML).

The result keeps the new version's markup (so it is well-formed), shows
deleted text as plain text, marks words whose formatting changed with
``<ins class="diff-format">``, and goes through nh3 once more at the end.
"""

from html.parser import HTMLParser
from typing import NamedTuple

import nh3
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django_prose_editor.config import allowlist_from_extensions, expand_extensions

from ..fields import RICH_TEXT_EXTENSIONS, sanitize_html
from .words import TOKEN_RE, opcodes, render

_ALLOWLIST = allowlist_from_extensions(expand_extensions(RICH_TEXT_EXTENSIONS))
VOID_TAGS = {"br", "hr", "img"}
#: Tags that make a paragraph break: their removal separates deleted words.
BLOCK_TAGS = {"p", "ul", "ol", "li", "h3", "h4", "blockquote", "br"}
#: Tags whose appearance or disappearance around unchanged words is shown as
#: a formatting change (not p/ul/ol/li: a split paragraph is not a change of
#: the words' formatting).
FORMAT_TAGS = {"strong", "em", "a", "h3", "h4", "blockquote"}


class Tag(NamedTuple):
    name: str
    start: bool
    html: str


class _Tokenizer(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tokens = []

    def handle_starttag(self, tag, attrs):
        attributes = "".join(
            f" {name}" if value is None else f' {name}="{escape(value)}"'
            for name, value in attrs
        )
        self.tokens.append(Tag(tag, True, f"<{tag}{attributes}>"))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID_TAGS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag not in VOID_TAGS:
            self.tokens.append(Tag(tag, False, f"</{tag}>"))

    def handle_data(self, data):
        # HTML collapses whitespace: a newline and a space are the same.
        self.tokens.extend(" " if t.isspace() else t for t in TOKEN_RE.findall(data))


def tokenize_html(html):
    parser = _Tokenizer()
    parser.feed(html or "")
    parser.close()
    return parser.tokens


def _track(stack, tag, changed):
    """Keep the stack of open elements (name, changed) up to date."""
    if tag.start:
        if tag.name not in VOID_TAGS:
            stack.append((tag.name, changed))
        return
    for index in range(len(stack) - 1, -1, -1):
        if stack[index][0] == tag.name:
            del stack[index:]
            return


def _formatting_changed(*stacks):
    return any(
        changed and name in FORMAT_TAGS for stack in stacks for name, changed in stack
    )


def clean_diff_html(html):
    """Sanitise a diff fragment: the rich-text allow-list plus ins and del."""
    return nh3.clean(
        html,
        tags=set(_ALLOWLIST["tags"]) | {"ins", "del"},
        attributes={k: set(v) for k, v in _ALLOWLIST.get("attributes", {}).items()},
        url_schemes=set(_ALLOWLIST.get("url_schemes", {"http", "https", "mailto"})),
        link_rel=None,
        allowed_classes={"ins": {"diff-format"}},
    )


def diff_html(old, new):
    """Return a safe word-level diff of two rich-text (HTML) values.

    Both sides are sanitised first (the stored value may have been written
    around the model). The result has the new version's markup; deleted
    words are plain text in <del>, inserted words are in <ins>, and
    unchanged words whose formatting changed are in <ins class="diff-format">.
    """
    a = tokenize_html(sanitize_html(old or ""))
    b = tokenize_html(sanitize_html(new or ""))
    pieces = []
    old_stack, new_stack = [], []
    for op, i1, i2, j1, j2 in opcodes(a, b):
        if op == "equal":
            for ta, tb in zip(a[i1:i2], b[j1:j2], strict=True):
                if isinstance(tb, Tag):
                    _track(old_stack, ta, False)
                    _track(new_stack, tb, False)
                    pieces.append(("tag", tb.html))
                elif _formatting_changed(old_stack, new_stack):
                    pieces.append(("fmt", tb))
                else:
                    pieces.append(("eq", tb))
            continue
        for token in a[i1:i2]:
            if isinstance(token, Tag):
                # Deleted markup is dropped, so the output keeps the new
                # version's (well-formed) structure; a block boundary still
                # separates the deleted words.
                _track(old_stack, token, True)
                if token.name in BLOCK_TAGS:
                    pieces.append(("del", " "))
            else:
                pieces.append(("del", token))
        for token in b[j1:j2]:
            if isinstance(token, Tag):
                _track(new_stack, token, True)
                pieces.append(("tag", token.html))
            else:
                pieces.append(("ins", token))
    return mark_safe(clean_diff_html(render(pieces, collapse=True).strip()))


# --------------------------------------------------------------------------
