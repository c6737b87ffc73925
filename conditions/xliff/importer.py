"""XLIFF 1.2 import of translations from CAT tools.

The import compares each trans-unit's source fingerprint (``extradata``) and
``<source>`` text with the *current* approved source: a source that changed
since the export refuses the file, as does anything else wrong (malformed
XML, a DTD or entity declaration, an unknown article or unit, a language the
user does not translate). Problems are collected for the whole file and
nothing is changed unless there are none; then every article is saved and
submitted for translation review in one transaction.

Importing the same file twice changes nothing the second time: a unit whose
text is already in the working copy and up to date is skipped, and an
article with no changed unit is not submitted again.

A target identical to the working copy of an *outdated* unit counts as
"still correct for the new source" only when the translator confirmed it:
its state no longer says it needs work (``needs-*`` or ``new``), or the
trans-unit is ``approved="yes"``. Empty targets are left alone (they never
clear a translation).

A file larger than ``settings.XLIFF_MAX_BYTES`` is refused before a byte of
it is parsed, and no more than that is ever read; a translation longer than
its field allows (``settings.RICH_TEXT_MAX_CHARS`` for a body) refuses the
file like any other problem.
"""

import io
import os
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

import defusedxml
import defusedxml.ElementTree as SafeET
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .. import roles, translations, workflow
from ..fields import check_length, sanitize_html
from ..models import Condition
from .format import HASH_PREFIX, XLIFF_NS

#: Target states that mean "not done yet": such a target is not a confirmation.
UNCONFIRMED_STATES = {
    "new",
    "needs-translation",
    "needs-adaptation",
    "needs-l10n",
    "needs-review-translation",
    "needs-review-adaptation",
    "needs-review-l10n",
}
#: Inline elements that only mark segments; their text is the target's text.
SEGMENT_MARKERS = {"mrk"}
ORIGINAL_RE = re.compile(r"condition/([0-9]+)")
MAX_PK = 2**63 - 1  # larger ids name no article (and overflow SQLite)


@dataclass
class Problem:
    """One reason a file was refused: where (file, unit) and what."""

    message: str
    file: str = ""
    unit: str = ""

    def __str__(self):
        where = " ".join(p for p in (self.file, self.unit) if p)
        return f"{where}: {self.message}" if where else self.message


@dataclass
class ArticleResult:
    """What an import did (or would do) to one article in one language."""

    condition: Condition
    language: str
    original: str
    values: dict = field(default_factory=dict)
    changed: list = field(default_factory=list)
    unchanged: int = 0
    untranslated: list = field(default_factory=list)
    unconfirmed: list = field(default_factory=list)
    request: object = None


@dataclass
class ImportReport:
    filename: str = ""
    problems: list = field(default_factory=list)
    articles: list = field(default_factory=list)
    applied: bool = False

    @property
    def rejected(self):
        return bool(self.problems)

    @property
    def changed(self):
        return any(a.changed for a in self.articles)

    def add(self, message, file="", unit=""):
        self.problems.append(Problem(str(message), file, unit))

    def as_text(self):
        lines = []
        if self.rejected:
            lines.append(
                ngettext(
                    "The file was rejected; nothing was changed (%(count)s problem):",
                    "The file was rejected; nothing was changed (%(count)s problems):",
                    len(self.problems),
                )
                % {"count": len(self.problems)}
            )
            lines.extend(f"  {p}" for p in self.problems)
            return "\n".join(lines)
        for article in self.articles:
            values = {"article": article.condition, "language": article.language}
            if article.changed:
                line = _(
                    "%(article)s (%(language)s): %(count)s field(s) updated and "
                    "submitted for review"
                )
                values["count"] = len(article.changed)
            elif article.values and not self.applied:
                line = _("%(article)s (%(language)s): %(count)s field(s) to update")
                values["count"] = len(article.values)
            else:
                line = _("%(article)s (%(language)s): no changes")
            lines.append(line % values)
            if article.unconfirmed:
                lines.append(
                    "  "
                    + _("still outdated (translation not confirmed): %(keys)s")
                    % {"keys": ", ".join(article.unconfirmed)}
                )
        return "\n".join(lines)


def _local(tag):
    """Return (namespace, local name) of an ElementTree tag."""
    if tag.startswith("{"):
        namespace, _sep, name = tag[1:].partition("}")
        return namespace, name
    return "", tag


def _children(element, name):
    return [c for c in element if _local(c.tag)[1] == name]


def _child(element, name):
    found = _children(element, name)
    return found[0] if found else None


def size_error(size, *, unknown=False):
    """Return why a file of this many bytes is refused, or None.

    unknown: the file was found larger than the cap while it was read.
    """
    limit = settings.XLIFF_MAX_BYTES
    if unknown:
        return _(
            "The file is larger than %(limit)s, the most an XLIFF import "
            "accepts. Export fewer articles at a time."
        ) % {"limit": filesizeformat(limit)}
    if size is None or size <= limit:
        return None
    size, limit = file_sizes(size, limit)
    return _(
        "The file is too large (%(size)s): an XLIFF import accepts at most "
        "%(limit)s. Export fewer articles at a time."
    ) % {"size": size, "limit": limit}


def file_sizes(size, limit):
    """Return two sizes as people read them (in bytes if they read the same)."""
    shown = filesizeformat(size), filesizeformat(limit)
    if shown[0] == shown[1]:
        shown = tuple(
            ngettext("%(size)d byte", "%(size)d bytes", n) % {"size": n}
            for n in (size, limit)
        )
    return shown


def _size(source):
    """Return the size of bytes or a binary file without reading it, or None."""
    if isinstance(source, bytes | bytearray | memoryview):
        return len(source)
    size = getattr(source, "size", None)  # Django's File and UploadedFile
    if isinstance(size, int):
        return size
    try:
        return os.fstat(source.fileno()).st_size
    except (AttributeError, OSError, io.UnsupportedOperation):
        return None


class _Capped(io.RawIOBase):
    """A binary file read by the parser, refused beyond XLIFF_MAX_BYTES.

    The size is checked before parsing; this holds even for a file that
    grows meanwhile, or whose size could not be known.
    """

    def __init__(self, source, limit):
        self.source, self.left = source, limit

    def readable(self):
        return True

    def readinto(self, buffer):
        data = self.source.read(min(len(buffer), self.left + 1))
        if len(data) > self.left:
            raise _TooLarge
        self.left -= len(data)
        buffer[: len(data)] = data
        return len(data)


class _TooLarge(Exception):
    pass


def parse(source):
    """Parse XLIFF safely; return (root, None) or (None, error message).

    source is bytes or a binary file, read in chunks as it is parsed.
    """
    if isinstance(source, bytes | bytearray | memoryview):
        source = io.BytesIO(source)
    elif hasattr(source, "seek"):
        source.seek(0)
    try:
        root = SafeET.parse(
            io.BufferedReader(_Capped(source, settings.XLIFF_MAX_BYTES)),
            forbid_dtd=True,
            forbid_entities=True,
            forbid_external=True,
        ).getroot()
    except _TooLarge:
        return None, size_error(None, unknown=True)
    except defusedxml.DTDForbidden:
        return None, _(
            "The file contains a document type declaration (DTD), which is not "
            "allowed in an XLIFF file."
        )
    except defusedxml.EntitiesForbidden:
        return None, _("The file declares XML entities, which are not allowed.")
    except defusedxml.ExternalReferenceForbidden:
        return None, _("The file refers to external resources, which is not allowed.")
    except ET.ParseError as error:
        return None, _("The file is not well-formed XML: %(error)s") % {"error": error}
    except (ValueError, UnicodeError) as error:
        return None, _("The file cannot be read as XML: %(error)s") % {"error": error}
    namespace, name = _local(root.tag)
    if name != "xliff" or namespace not in (XLIFF_NS, ""):
        return None, _(
            "This is not an XLIFF 1.2 file (root element “%(tag)s”): export "
            "XLIFF 1.2 from your translation tool."
        ) % {"tag": name}
    if not (root.get("version") or "1.2").startswith("1."):
        return None, _("Only XLIFF 1.2 is supported, not version %(version)s.") % {
            "version": root.get("version")
        }
    return root, None


def _language(code):
    """Return the site's target language a file's language code means, or None.

    Case and region variants are accepted (es-ES → es) when the site has no
    closer match.
    """
    code = (code or "").strip().lower().replace("_", "-")
    codes = [c.lower() for c, _n in settings.LANGUAGES]
    if code in codes:
        return code
    primary = code.split("-")[0]
    return primary if primary in codes else None


def _text(element):
    """Return the text of a <source> or <target>; raise ValueError on markup."""
    if element is None:
        return ""
    for child in element.iter():
        if child is not element and _local(child.tag)[1] not in SEGMENT_MARKERS:
            raise ValueError(_local(child.tag)[1])
    return "".join(element.itertext())


def _normalise(text):
    return " ".join((text or "").split())


def _source_fingerprint(element):
    """Return the source hash an exported trans-unit carries, or None."""
    extradata = element.get("extradata") or ""
    if extradata.startswith(HASH_PREFIX):
        return extradata.removeprefix(HASH_PREFIX)
    return None


def import_file(source, *, user, filename="", dry_run=False):
    """Validate an XLIFF 1.2 file and, if nothing is wrong, apply it.

    source is the file's bytes or a binary file (an upload, an open file):
    one above XLIFF_MAX_BYTES is refused before it is parsed. Returns an
    ImportReport: with problems (``rejected``), nothing was changed;
    otherwise every article's units were saved as one translation revision
    and submitted for review (articles with no change are left alone).
    dry_run validates only. Raises PermissionDenied for a user who
    translates no language.
    """
    languages = roles.languages_for(user, roles.TRANSLATORS)
    if not languages:
        raise PermissionDenied(_("You are not a translator of any language."))
    report = ImportReport(filename=filename)
    error = size_error(_size(source))
    if error:
        report.add(error)
        return report
    root, error = parse(source)
    if error:
        report.add(error)
        return report
    files = _children(root, "file")
    if not files:
        report.add(_("The file holds no <file> element: nothing to import."))
        return report
    with transaction.atomic():
        _validate(report, files, user=user, languages=languages)
        if report.rejected or dry_run:
            return report
        try:
            with transaction.atomic():
                _apply(report, user=user)
        except (
            translations.TranslationError,
            workflow.TransitionError,
            ValidationError,
        ) as error:
            for article in report.articles:
                article.changed, article.request = [], None
            report.add(" ".join(getattr(error, "messages", [str(error)])))
            return report
        report.applied = True
    return report


def _validate(report, files, *, user, languages):
    seen = set()
    slugs = {}
    pks = sorted(
        {
            int(m.group(1))
            for f in files
            if (m := ORIGINAL_RE.fullmatch(f.get("original") or ""))
            and int(m.group(1)) <= MAX_PK
        }
    )
    # Lock the articles until the import commits: no source publication or
    # workspace save can slip in between the checks and the changes.
    conditions = {
        c.pk: c
        for c in Condition.objects.select_for_update().filter(pk__in=pks).order_by("pk")
    }
    for number, file in enumerate(files, 1):
        original = file.get("original") or ""
        where = original or _("file %(number)s") % {"number": number}
        match = ORIGINAL_RE.fullmatch(original)
        if not match:
            report.add(
                _("“original” must be “condition/<id>”, as exported, not “%(value)s”.")
                % {"value": original},
                where,
            )
            continue
        condition = conditions.get(int(match.group(1)))
        if condition is None:
            report.add(_("There is no such article."), where)
            continue
        where = f"{original} ({condition})"
        ok = True
        source_language = (file.get("source-language") or "").strip().lower()
        if _language(source_language) != settings.SOURCE_LANGUAGE:
            report.add(
                _(
                    "The source language is “%(found)s”; articles are translated "
                    "from “%(source)s”."
                )
                % {"found": source_language, "source": settings.SOURCE_LANGUAGE},
                where,
            )
            ok = False
        declared = file.get("target-language") or ""
        language = _language(declared)
        if language is None:
            report.add(
                _("“%(code)s” is not a language of this site.")
                % {"code": declared or _("(no target language)")},
                where,
            )
            continue
        if language == settings.SOURCE_LANGUAGE:
            report.add(
                _("The target language is the source language (“%(code)s”).")
                % {"code": declared},
                where,
            )
            continue
        if language not in languages:
            report.add(
                _("You do not translate into “%(code)s”.") % {"code": declared},
                where,
            )
            continue
        if (condition.pk, language) in seen:
            report.add(_("This article appears twice for the same language."), where)
            continue
        seen.add((condition.pk, language))
        article = ArticleResult(
            condition=condition, language=language, original=original
        )
        if _validate_units(report, file, article, where, slugs) and ok:
            report.articles.append(article)


def _validate_units(report, file, article, where, slugs):
    """Check one <file>'s trans-units and plan its values; return True if ok."""
    by_key = {u.key: u for u in translations.units(article.condition, article.language)}
    before = len(report.problems)
    body = _child(file, "body")
    elements = (
        []
        if body is None
        else [e for e in body.iter() if _local(e.tag)[1] == "trans-unit"]
    )
    seen = set()
    for element in elements:
        key = element.get("id") or ""
        if not key:
            report.add(_("A trans-unit has no id."), where)
            continue
        if key in seen:
            report.add(_("This unit appears twice."), where, key)
            continue
        seen.add(key)
        unit = by_key.get(key)
        if unit is None:
            report.add(
                _(
                    "Not a translatable field of this article (removed since the "
                    "export, or not from this site)."
                ),
                where,
                key,
            )
            continue
        if (element.get("translate") or "yes") == "no":
            continue
        try:
            source_text = _text(_child(element, "source"))
            target_element = _child(element, "target")
            target = _text(target_element).strip()
        except ValueError as error:
            report.add(
                _(
                    "The unit contains inline markup (<%(tag)s>) that this import "
                    "does not accept: keep HTML as plain text."
                )
                % {"tag": error},
                where,
                key,
            )
            continue
        current = translations.source_hash(unit.source)
        fingerprint = _source_fingerprint(element)
        if (fingerprint is not None and fingerprint != current) or _normalise(
            source_text
        ) != _normalise(unit.source):
            report.add(
                _(
                    "The source text changed since the export (or was edited in "
                    "the file): export the article again and translate the new "
                    "source."
                ),
                where,
                key,
            )
            continue
        if not target:
            article.untranslated.append(key)
            continue
        model_field = unit.model._meta.get_field(f"{unit.field}_{article.language}")
        try:
            # As given (a huge text is refused before it is sanitised), then
            # as it would be stored.
            check_length(model_field, target, label=unit.label)
            if unit.rich:
                target = sanitize_html(target)
                check_length(model_field, target, label=unit.label)
        except ValidationError as error:
            report.add(" ".join(error.messages), where, key)
            continue
        if unit.rich:
            if not target.strip():
                report.add(
                    _(
                        "Nothing is left of the translation once unsafe HTML "
                        "is removed."
                    ),
                    where,
                    key,
                )
                continue
        if unit.field == "slug":
            try:
                translations.check_slug(article.condition, article.language, target)
            except (ValidationError, translations.TranslationError) as error:
                report.add(
                    " ".join(getattr(error, "messages", [str(error)])), where, key
                )
                continue
            other = slugs.setdefault((article.language, target), article.condition.pk)
            if other != article.condition.pk:
                report.add(
                    _("Another article in this file uses the same slug."), where, key
                )
                continue
        if target == unit.target:
            confirmed = (
                target_element.get("state") or ""
            ) not in UNCONFIRMED_STATES or element.get("approved") == "yes"
            if unit.status == translations.OUTDATED and not confirmed:
                article.unconfirmed.append(key)
                continue
            if unit.status != translations.OUTDATED:
                article.unchanged += 1
                continue
        article.values[key] = target
    return len(report.problems) == before


def _apply(report, *, user):
    note = _("Imported from XLIFF %(filename)s") % {"filename": report.filename or "-"}
    for article in report.articles:
        if not article.values:
            continue
        article.changed = translations.save_translation(
            article.condition,
            language=article.language,
            values=article.values,
            user=user,
            comment=note,
        )
        if article.changed:
            article.request = workflow.submit_translation(
                article.condition, language=article.language, user=user, note=note
            )
