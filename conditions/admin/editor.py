"""The rich-text editor of every editing screen, under the CSP.

Tiptap (in django-prose-editor) inserts its base stylesheet as an inline
``<style>``, which the Content-Security-Policy refuses
(healthinfo/settings/csp.py). It skips that when the page already has a
``<style data-tiptap-style>``: the widget's media bring an empty one, which
carries the request's nonce like every tag of the media (the ``with_nonce``
filter), and the same rules as a file (static/vendor/tiptap/tiptap.css).
"""

from django_prose_editor.widgets import AdminProseEditorWidget
from js_asset import InlineStyle, Media

from ..fields import RichTextField

TIPTAP_MEDIA = Media(
    css={
        "all": [
            InlineStyle("", **{"data-tiptap-style": True}),
            "vendor/tiptap/tiptap.css",
        ]
    }
)


class RichTextWidget(AdminProseEditorWidget):
    """django-prose-editor's admin widget, with Tiptap's stylesheet as a file."""

    @property
    def media(self):
        return super().media + TIPTAP_MEDIA


#: An admin's formfield_overrides: its rich-text fields edited with the widget.
FORMFIELD_OVERRIDES = {RichTextField: {"widget": RichTextWidget}}
