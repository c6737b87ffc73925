"""Translation units and their status per language.

A *unit* is one translatable field of one object of an article, e.g. the body
of a section. Its source text is the one in the live source-language
publication (translators translate approved text only). When a translator
saves a unit, a ``FieldTranslation`` row remembers a hash and a copy of the
source text it was translated from; a later source publication that changes
that text makes the unit *outdated*, and the copy lets the translator see the
source diff since their version.
"""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import (
    Condition,
    FieldTranslation,
    Image,
    Publication,
    ReviewRequest,
    Section,
)
from ..versioning import RevisionContent

MISSING = "missing"
UP_TO_DATE = "up_to_date"
OUTDATED = "outdated"
IN_REVIEW = "in_review"

STATUS_LABELS = {
    MISSING: gettext_lazy("Missing"),
    UP_TO_DATE: gettext_lazy("Up to date"),
    OUTDATED: gettext_lazy("Outdated"),
    IN_REVIEW: gettext_lazy("In review"),
}

#: Translated fields per model, in the order a translator works through them.
UNIT_FIELDS = {
    Condition: ("title", "slug", "also_called", "summary"),
    Section: ("heading", "body"),
    Image: ("alt_text", "caption"),
}
RICH_FIELDS = {(Section, "body")}
#: Section kinds whose text is clinical advice: outdated ones come first.
CLINICAL_KINDS = {
    "definition",
    "causes",
    "symptoms",
    "diagnosis",
    "treatment",
    "prevention",
    "when_to_see_doctor",
}


def source_hash(text):
    """Return the fingerprint of a source text (whitespace at the ends ignored)."""
    return hashlib.sha256((text or "").strip().encode()).hexdigest()


@dataclass
class Unit:
    """One translatable field of an article in one target language."""

    key: str
    model: type
    pk: int
    field: str
    label: str
    source: str
    target: str
    status: str = MISSING
    translated_from: str | None = None
    clinical: bool = False
    #: For a section's units: [kind, source heading, field].
    section: list | None = None

    @property
    def rich(self):
        return (self.model, self.field) in RICH_FIELDS

    @property
    def status_label(self):
        return STATUS_LABELS[self.status]


def unit_key(model, pk, field):
    return f"{model._meta.model_name}.{pk}.{field}"


def source_units(content, condition_id):
    """Yield (model, obj, field, source text) for the translatable source texts."""
    source = settings.SOURCE_LANGUAGE
    condition = content.condition(condition_id)
    for field in UNIT_FIELDS[Condition]:
        yield Condition, condition, field, getattr(condition, f"{field}_{source}") or ""
    for model in (Section, Image):
        for obj in content.children(model, condition_id):
            for field in UNIT_FIELDS[model]:
                text = getattr(obj, f"{field}_{source}") or ""
                if text:
                    yield model, obj, field, text


def source_hashes(content, condition_id):
    """Return {unit key: hash} of a revision's source texts."""
    return {
        unit_key(model, obj.pk, field): source_hash(text)
        for model, obj, field, text in source_units(content, condition_id)
    }


def units(condition, language):
    """Return the units of an article in a language with their status.

    Source texts come from the live source publication; targets from the
    working copy. An article never published in the source has no units.
    """
    return units_for([condition], language)[condition.pk]


def units_for(conditions, language):
    """Return {condition id: [Unit, …]} for many articles in a few queries.

    The same as `units()` for each article, with a number of queries that
    does not depend on how many articles are asked for.
    """
    conditions = {c.pk: c for c in conditions}
    result = {pk: [] for pk in conditions}
    if not conditions:
        return result
    ids = list(conditions)
    sources = {
        p.condition_id: p
        for p in Publication.objects.current().filter(
            condition_id__in=ids, language=settings.SOURCE_LANGUAGE
        )
    }
    if not sources:
        return result
    contents = RevisionContent.many([p.revision_id for p in sources.values()])
    working = {
        Condition: conditions,
        Section: {
            s.pk: s for s in Section.objects.filter(condition_id__in=list(sources))
        },
        Image: {i.pk: i for i in Image.objects.filter(condition_id__in=list(sources))},
    }
    records = {
        (r.condition_id, r.key): r
        for r in FieldTranslation.objects.filter(
            condition_id__in=list(sources), language=language
        )
    }
    pending = {
        r.condition_id: r
        for r in ReviewRequest.objects.pending().filter(
            condition_id__in=list(sources), language=language
        )
    }
    live_translations = dict(
        Publication.objects.current()
        .filter(condition_id__in=list(sources), language=language)
        .values_list("condition_id", "published_at")
    )
    source = settings.SOURCE_LANGUAGE
    for condition_id, live in sources.items():
        content = contents[live.revision_id]
        request = pending.get(condition_id)
        live_translation = live_translations.get(condition_id)
        for model, obj, field, text in source_units(content, condition_id):
            current = working[model].get(obj.pk)
            if current is None:  # removed from the working copy since
                continue
            key = unit_key(model, obj.pk, field)
            record = records.get((condition_id, key))
            unit = Unit(
                key=key,
                model=model,
                pk=obj.pk,
                field=field,
                label=_unit_label(model, obj, field),
                source=text,
                target=getattr(current, f"{field}_{language}") or "",
                translated_from=record.source_text if record else None,
                clinical=model is Section and obj.kind in CLINICAL_KINDS,
                section=(
                    [obj.kind, getattr(obj, f"heading_{source}"), field]
                    if model is Section
                    else None
                ),
            )
            if not unit.target:
                unit.status = MISSING
            elif record is None or record.source_hash != source_hash(text):
                unit.status = OUTDATED
            elif (
                request is not None
                and record.translated_at <= request.submitted_at
                and (
                    live_translation is None or record.translated_at > live_translation
                )
            ):
                unit.status = IN_REVIEW
            else:
                unit.status = UP_TO_DATE
            result[condition_id].append(unit)
    return result


def _unit_label(model, obj, field):
    verbose = model._meta.get_field(field).verbose_name
    if model is Condition:
        return str(verbose).capitalize()
    source = settings.SOURCE_LANGUAGE
    if model is Section:
        return section_label(obj.kind, getattr(obj, f"heading_{source}"), field)
    name = getattr(obj, f"alt_text_{source}") or obj.pk
    return _("Image “%(name)s”: %(field)s") % {"name": str(name)[:40], "field": verbose}


def section_label(kind, heading, field):
    """Return the label of a section's unit: its heading (or kind) and field."""
    name = heading or Section.Kind(kind).label
    verbose = Section._meta.get_field(field).verbose_name
    return _("Section “%(name)s”: %(field)s") % {"name": name, "field": verbose}
