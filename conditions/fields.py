"""Rich-text model field: edited with django-prose-editor, sanitised with nh3.

Also the limits every editorial text shares: the web addresses a reference
or a link may have, and how long a text may be.
"""

import re
from html.parser import HTMLParser

import nh3
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, URLValidator
from django.utils.deconstruct import deconstructible
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django_prose_editor.config import allowlist_from_extensions, expand_extensions
from django_prose_editor.fields import ProseEditorField

#: What writers may use in article bodies; the nh3 allow-list derives from it,
#: so the editor can never produce markup that the sanitiser strips.
RICH_TEXT_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Heading": {"levels": [3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HardBreak": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    "History": True,
}

# Fixed caps of the plain texts (characters). Rich-text bodies have a
# configurable one: settings.RICH_TEXT_MAX_CHARS.
#: Other names of a condition, one per line.
ALSO_CALLED_MAX_CHARS = 2000
#: A condition's summary: one or two sentences, the meta description.
SUMMARY_MAX_CHARS = 1000
#: The medical disclaimer under every article.
DISCLAIMER_MAX_CHARS = 5000
#: An author's change note for the reviewer.
NOTE_MAX_CHARS = 2000
#: Why an article was unpublished or archived.
REASON_MAX_CHARS = 1000
#: A reviewer's comment, and the comment of an audit entry (which copies a
#: note, a reason or a comment).
COMMENT_MAX_CHARS = 10000

# ------------------------------------------------------------ web addresses

#: Characters a reference's or a link's address may not hold: they end an
#: HTML attribute or a URL in plain text (quotes, angle brackets, the
#: backtick), or are not part of a URL at all (whitespace, control
#: characters). A real address has them percent-encoded (%22, %27, %3C…).
UNSAFE_URL_CHARS = re.compile(r"[\"'<>`\s\x00-\x1f\x7f]")

_http_url = URLValidator(schemes=["http", "https"])
#: What browsers strip from the ends of an href (HTML's ASCII whitespace).
_HTML_SPACE = " \t\n\r\f"


def validate_web_url(value):
    """Refuse anything but a full http(s) address without quotes, <, > or spaces."""
    if UNSAFE_URL_CHARS.search(value):
        raise ValidationError(
            _(
                "A web address cannot contain quotes, angle brackets (< >) or "
                "spaces: copy it from the browser's address bar, where they "
                "are percent-encoded."
            ),
            code="unsafe_url",
        )
    try:
        _http_url(value)
    except ValidationError:
        raise ValidationError(
            _("Enter a full web address starting with http:// or https://."),
            code="invalid_url",
        ) from None


def is_safe_href(value):
    """Return True if a rich-text link may point there.

    A full http(s) address (as for references), a mailto: address, or an
    address on this site ("/en/conditions/asthma/": a link to another
    article; the API writes it out in full); all without quotes, angle
    brackets or whitespace. Other addresses are not kept: "//host/…" and
    "/\\host" lead to another host, and a "#fragment" or "page.html"
    means nothing outside the article page.
    """
    if value.startswith("/") and not value.startswith(("//", "/\\")):
        return len(value) > 1 and not UNSAFE_URL_CHARS.search(value)
    if value.lower().startswith("mailto:"):
        return len(value) > len("mailto:") and not UNSAFE_URL_CHARS.search(value)
    try:
        validate_web_url(value)
    except ValidationError:
        return False
    return True


class _Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs.extend(value or "" for name, value in attrs if name == "href")


def hrefs(html):
    """Return the address of every link in html ("" for an empty one)."""
    if "href" not in (html or ""):
        return []
    parser = _Links()
    parser.feed(html)
    parser.close()
    return parser.hrefs


def unsafe_hrefs(html):
    """Return the link addresses in html that the sanitiser would remove."""
    return [h for h in hrefs(html) if not is_safe_href(h.strip(_HTML_SPACE))]


def _link_filter(element, attribute, value):
    """Keep a link's address only if it is safe (nh3's attribute_filter).

    Spaces at its ends are dropped, as browsers do; anywhere else they make
    the address unsafe.
    """
    if element == "a" and attribute == "href":
        value = value.strip(_HTML_SPACE)
        return value if is_safe_href(value) else None
    return value


def _sanitizer(extensions):
    """Return the nh3 sanitiser of the editor's extensions, links checked."""
    cleaner = nh3.Cleaner(
        **allowlist_from_extensions(expand_extensions(extensions)),
        attribute_filter=_link_filter,
    )

    def sanitize(html):
        html = cleaner.clean(html)
        # ProseMirror always sends at least one empty paragraph: that is empty.
        return "" if re.fullmatch(r"<(\w+)></\1>", html) else html

    return sanitize


#: Every rich text is cleaned with this: on save, at publication, on display.
#: A link whose address is unsafe keeps its words but loses its href.
sanitize_html = _sanitizer(RICH_TEXT_EXTENSIONS)

# ------------------------------------------------------------- text lengths


@deconstructible
class RichTextLengthValidator:
    """Refuse a rich text longer than settings.RICH_TEXT_MAX_CHARS.

    The setting is read when a text is checked, so changing it needs no
    migration. The length is that of the HTML, as stored.
    """

    code = "rich_text_too_long"

    def __call__(self, value):
        limit = settings.RICH_TEXT_MAX_CHARS
        if limit and len(value) > limit:
            raise ValidationError(
                _(
                    "This text is too long: %(length)s characters of HTML, and "
                    "at most %(limit)s are allowed. Split it into several "
                    "sections."
                ),
                code=self.code,
                params={
                    "length": number_format(len(value), force_grouping=True),
                    "limit": number_format(limit, force_grouping=True),
                },
            )

    def __eq__(self, other):
        return isinstance(other, RichTextLengthValidator)


def check_length(model_field, value, *, label=""):
    """Raise ValidationError if value is longer than the model field allows.

    The message names the field (label, or its verbose name) and the limit:
    for the places where it is not shown beside the field (an XLIFF import's
    report, a translation saved outside its form, a workflow note).
    """
    validators = [
        v
        for v in model_field.validators
        if isinstance(v, MaxLengthValidator | RichTextLengthValidator)
    ]
    if model_field.max_length and not any(
        isinstance(v, MaxLengthValidator) for v in validators
    ):
        validators.append(MaxLengthValidator(model_field.max_length))
    for validator in validators:
        try:
            validator(value or "")
        except ValidationError as error:
            raise ValidationError(
                _("%(field)s: %(error)s"),
                code=error.code,
                params={
                    "field": label or model_field.verbose_name,
                    "error": " ".join(error.messages),
                },
            ) from None


def text_field_options(limit):
    """Return a TextField's max_length and validators for a fixed cap.

    Django's TextField passes max_length to its form field (a maxlength on
    the textarea) but never checks it in the model: the validator does, for
    every way in (admin forms, the translator workspace, XLIFF).
    """
    return {"max_length": limit, "validators": [MaxLengthValidator(limit)]}


class RichTextField(ProseEditorField):
    """A text field whose HTML is sanitised on every save, not only in forms.

    Its length is capped by settings.RICH_TEXT_MAX_CHARS, in every language
    (django-modeltranslation copies the validators to body_en, body_es…).
    """

    default_validators = [RichTextLengthValidator()]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("extensions", RICH_TEXT_EXTENSIONS)
        kwargs.setdefault("sanitize", sanitize_html)
        super().__init__(*args, **kwargs)

    def clean(self, value, instance):
        # The validators see the text as sent (ProseEditorField.clean), then
        # as it will be stored.
        value = super().clean(value, instance)
        self.run_validators(value)
        return value

    def pre_save(self, model_instance, add):
        value = super().pre_save(model_instance, add)
        if value:
            value = self.sanitize(value)
            setattr(model_instance, self.attname, value)
        return value
