"""XLIFF 1.2 export of translation units, for CAT tools.

An export holds one ``<file>`` per article (``original="condition/<pk>"``)
for one target language, with one ``<trans-unit>`` per unit (``id`` = the
unit key, e.g. ``section.12.body``): the approved source text, the current
translation if there is one, and notes (the field, and for an outdated unit
the older source text its translation was made from). Rich HTML bodies
travel as escaped text (``datatype="html"``). Each trans-unit carries the
fingerprint of its source text in ``extradata`` (``sha256:<hex>``, see
``translations.source_hash``), which the import checks.
"""

import xml.etree.ElementTree as ET

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import languages, translations
from ..models import Condition, Publication, TranslationProgress
from .format import HASH_PREFIX, NOTE_FROM, XLIFF_NS, XML_SPACE

FIELD_HINTS = {
    "slug": "URL slug: lowercase letters, digits and hyphens, no spaces.",
    "also_called": "One name per line.",
    "body": "HTML: translate the text, keep the tags.",
}


class NothingToExport(ValueError):
    """No article has a unit to export in that language."""


#: Articles whose units are read together (a few queries per batch).
BATCH_SIZE = 100


def _wanted(include):
    if include not in ("needs", "all"):
        raise ValueError(f"include must be 'needs' or 'all', not {include!r}")
    if include == "needs":
        return {translations.MISSING, translations.OUTDATED}
    return set(translations.STATUS_LABELS)


def export_units(condition, language, include="needs"):
    """Return the units of an article an export holds.

    include="needs": the missing and outdated ones; "all": every unit.
    Units without source text are left out.
    """
    wanted = _wanted(include)
    return [
        u
        for u in translations.units(condition, language)
        if u.status in wanted and u.source.strip()
    ]


def export(conditions, language, *, include="needs"):
    """Return an XLIFF 1.2 document (bytes) of these articles' units.

    One <file> per article that has units to export; raises NothingToExport
    when none has.
    """
    stats = {}
    data = b"".join(stream(conditions, language, include=include, stats=stats))
    if not stats["files"]:
        raise NothingToExport(_nothing(language))
    return data


def stream(conditions, language, *, include="needs", stats=None, progress=None):
    """Yield an XLIFF 1.2 document in pieces: one <file> per article.

    Articles are read in batches of BATCH_SIZE, each batch's units in a
    few queries, so memory and queries per batch stay bounded however many
    articles there are. `stats` (a dict) receives the counts of files and
    units written; `progress(n)` is called as articles are done.
    """
    wanted = _wanted(include)
    if language not in languages.targets():
        raise ValueError(f"{language!r} is not a target language of this site")
    stats = {} if stats is None else stats
    stats.update(files=0, units=0)
    now = timezone.now().replace(microsecond=0).isoformat().replace("+00:00", "Z")
    yield (
        f'<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<xliff version="1.2" xmlns="{XLIFF_NS}">\n'
    ).encode()
    for batch in _batches(conditions):
        by_condition = translations.units_for(batch, language)
        for condition in batch:
            units = [
                u
                for u in by_condition[condition.pk]
                if u.status in wanted and u.source.strip()
            ]
            if units:
                element = _file(condition, units, language, now)
                ET.indent(element, level=1)
                stats["files"] += 1
                stats["units"] += len(units)
                yield b"  " + ET.tostring(element, encoding="unicode").encode() + b"\n"
        if progress is not None:
            progress(len(batch))
    yield b"</xliff>\n"


def _batches(conditions):
    if hasattr(conditions, "iterator"):  # a queryset: do not hold every row
        conditions = conditions.iterator(chunk_size=BATCH_SIZE)
    batch = []
    for condition in conditions:
        batch.append(condition)
        if len(batch) == BATCH_SIZE:
            yield batch
            batch = []
    if batch:
        yield batch


def _nothing(language):
    return _("Nothing to translate into %(language)s: every field is up to date.") % {
        "language": language
    }


def _file(condition, units, language, now):
    source = settings.SOURCE_LANGUAGE
    file = ET.Element(
        "file",
        {
            "original": f"condition/{condition.pk}",
            "source-language": source,
            "target-language": language,
            "datatype": "html",
            "product-name": "healthinfo",
            "date": now,
        },
    )
    header = ET.SubElement(file, "header")
    ET.SubElement(header, "tool", {"tool-id": "healthinfo", "tool-name": "healthinfo"})
    note = ET.SubElement(header, "note", {"from": NOTE_FROM})
    note.text = f"{condition} ({getattr(condition, f'slug_{source}')})"
    body = ET.SubElement(file, "body")
    for unit in units:
        body.append(_trans_unit(unit))
    return file


def _trans_unit(unit):
    element = ET.Element(
        "trans-unit",
        {
            "id": unit.key,
            "resname": unit.key,
            "datatype": "html" if unit.rich else "plaintext",
            "extradata": HASH_PREFIX + translations.source_hash(unit.source),
            XML_SPACE: "preserve",
        },
    )
    ET.SubElement(element, "source").text = unit.source
    if unit.target:
        state = (
            "needs-review-translation"
            if unit.status == translations.OUTDATED
            else "translated"
        )
        ET.SubElement(element, "target", {"state": state}).text = unit.target
    label = str(unit.label)
    hint = FIELD_HINTS.get(unit.field)
    note = ET.SubElement(element, "note", {"from": NOTE_FROM})
    note.text = f"{label}. {hint}" if hint else label
    if unit.status == translations.OUTDATED:
        note = ET.SubElement(
            element, "note", {"from": NOTE_FROM, "annotates": "source"}
        )
        if unit.translated_from:
            note.text = (
                "The source changed since the current translation. The "
                "translation was made from this older source text:\n"
                + unit.translated_from
            )
        else:
            note.text = (
                "The current translation was not made from this source text: "
                "check it against the source."
            )
    return element


def export_filename(language, condition=None):
    if condition is None:
        return f"healthinfo-{language}.xlf"
    slug = getattr(condition, f"slug_{settings.SOURCE_LANGUAGE}") or condition.pk
    return f"{slug}.{language}.xlf"


def conditions_needing(language):
    """Return the articles (not archived) with missing or outdated units.

    One query, from the translation progress rows; in id order.
    """
    return (
        Condition.objects.filter(
            pk__in=TranslationProgress.objects.in_language(language)
            .needing_export()
            .values("condition_id")
        )
        .exclude(status=Condition.Status.ARCHIVED)
        .order_by("pk")
    )


def conditions_published():
    """Return the articles (not archived) published in the source, by id."""
    return (
        Condition.objects.filter(
            pk__in=Publication.objects.current()
            .in_language(settings.SOURCE_LANGUAGE)
            .values("condition_id")
        )
        .exclude(status=Condition.Status.ARCHIVED)
        .order_by("pk")
    )
