"""Translation tracking: units, their status per language, and saving translations.

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
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import publishing
from .fields import sanitize_html
from .models import (
    Condition,
    FieldTranslation,
    Image,
    Publication,
    ReviewRequest,
    Section,
)

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


def target_languages():
    """Return the codes of the languages translated from the source."""
    return [c for c, _n in settings.LANGUAGES if c != settings.SOURCE_LANGUAGE]


def source_hash(text):
    """Return the fingerprint of a source text (whitespace at the ends ignored)."""
    return hashlib.sha256((text or "").strip().encode()).hexdigest()


def languages_for(user, role):
    """Return the languages in which the user is a translator or reviewer.

    role is "Translators" or "Translation reviewers"; the groups are named
    "Translators (es)" and so on. Superusers have every language.
    """
    if user.is_superuser:
        return target_languages()
    names = set(user.groups.values_list("name", flat=True))
    return [code for code in target_languages() if f"{role} ({code})" in names]


def require_language(user, language, role):
    if language not in languages_for(user, role):
        raise PermissionDenied(
            _("You are not a member of “%(role)s (%(language)s)”.")
            % {"role": role, "language": language}
        )


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

    @property
    def rich(self):
        return (self.model, self.field) in RICH_FIELDS

    @property
    def status_label(self):
        return STATUS_LABELS[self.status]


def unit_key(model, pk, field):
    return f"{model._meta.model_name}.{pk}.{field}"


def live_source(condition):
    """Return the live source-language publication of a condition, or None."""
    return (
        Publication.objects.current()
        .filter(condition=condition, language=settings.SOURCE_LANGUAGE)
        .select_related("revision")
        .first()
    )


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
    live = live_source(condition)
    if live is None:
        return []
    content = publishing.RevisionContent(live.revision)
    working = {
        Condition: {condition.pk: condition},
        Section: {s.pk: s for s in condition.sections.all()},
        Image: {i.pk: i for i in condition.images.all()},
    }
    records = {
        r.key: r
        for r in FieldTranslation.objects.filter(condition=condition, language=language)
    }
    pending = (
        ReviewRequest.objects.pending()
        .filter(condition=condition, language=language)
        .first()
    )
    live_translation = (
        Publication.objects.current()
        .filter(condition=condition, language=language)
        .values_list("published_at", flat=True)
        .first()
    )
    result = []
    for model, obj, field, text in source_units(content, condition.pk):
        current = working[model].get(obj.pk)
        if current is None:  # removed from the working copy since
            continue
        key = unit_key(model, obj.pk, field)
        record = records.get(key)
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
        )
        if not unit.target:
            unit.status = MISSING
        elif record is None or record.source_hash != source_hash(text):
            unit.status = OUTDATED
        elif (
            pending is not None
            and record.translated_at <= pending.submitted_at
            and (live_translation is None or record.translated_at > live_translation)
        ):
            unit.status = IN_REVIEW
        else:
            unit.status = UP_TO_DATE
        result.append(unit)
    return result


def _unit_label(model, obj, field):
    verbose = model._meta.get_field(field).verbose_name
    if model is Condition:
        return str(verbose).capitalize()
    source = settings.SOURCE_LANGUAGE
    if model is Section:
        name = getattr(obj, f"heading_{source}") or obj.get_kind_display()
        return _("Section “%(name)s”: %(field)s") % {"name": name, "field": verbose}
    name = getattr(obj, f"alt_text_{source}") or obj.pk
    return _("Image “%(name)s”: %(field)s") % {"name": str(name)[:40], "field": verbose}


class TranslationError(Exception):
    """The translation cannot be saved as given (nothing was changed)."""


def save_translation(condition, *, language, values, user, comment=""):
    """Write translated texts into the working copy as one new revision.

    values maps unit keys to texts. Only units of this language's article
    are accepted: any other key (another language, the source, an unknown
    object) refuses the whole save. Returns the keys that changed.
    """
    require_language(user, language, "Translators")
    by_key = {u.key: u for u in units(condition, language)}
    unknown = sorted(set(values) - set(by_key))
    if unknown:
        raise TranslationError(
            _("These fields cannot be translated here: %(keys)s")
            % {"keys": ", ".join(unknown)}
        )
    changed = []
    now = timezone.now()
    with transaction.atomic():
        Condition.objects.select_for_update().filter(pk=condition.pk).first()
        for key, text in values.items():
            unit = by_key[key]
            text = (text or "").strip()
            if unit.rich:
                text = sanitize_html(text)
            if unit.field == "slug" and text:
                _check_slug(condition, language, text)
            obj = unit.model.objects.get(pk=unit.pk)
            column = f"{unit.field}_{language}"
            up_to_date = unit.status in (UP_TO_DATE, IN_REVIEW)
            if getattr(obj, column) == text and (up_to_date or not text):
                continue
            setattr(obj, column, text)
            obj.save(update_fields=[column])
            FieldTranslation.objects.update_or_create(
                condition=condition,
                language=language,
                key=key,
                defaults={
                    "source_hash": source_hash(unit.source),
                    "source_text": unit.source,
                    "translated_at": now,
                    "translated_by": user,
                },
            )
            changed.append(key)
        if changed:
            condition.refresh_from_db()  # the revision holds the saved texts
            publishing.save_revision(
                condition,
                user=user,
                comment=comment
                or _("Translation (%(language)s)") % {"language": language},
            )
    return changed


def _check_slug(condition, language, slug):
    from django.core.validators import validate_slug

    validate_slug(slug)
    clash = Condition.objects.filter(**{f"slug_{language}": slug}).exclude(
        pk=condition.pk
    )
    if clash.exists():
        raise TranslationError(_("Another condition already uses this slug."))


def mark_up_to_date(condition, language, keys, *, user):
    """Record that existing translations match the current source (e.g. demo data)."""
    by_key = {u.key: u for u in units(condition, language)}
    now = timezone.now()
    for key in keys:
        unit = by_key[key]
        FieldTranslation.objects.update_or_create(
            condition=condition,
            language=language,
            key=key,
            defaults={
                "source_hash": source_hash(unit.source),
                "source_text": unit.source,
                "translated_at": now,
                "translated_by": user,
            },
        )


def translation_basis(condition, language, source, text):
    """Return {unit key: source hash} a translation being published matches.

    For a unit translated from the current source text, or not translated at
    all (a partial translation, published as such), that is the source's
    hash; for an outdated unit, the hash of the older text it came from.
    """
    records = {
        r.key: r.source_hash
        for r in FieldTranslation.objects.filter(condition=condition, language=language)
    }
    basis = {}
    for key, current in source.source_hashes.items():
        model_name, pk, field = key.split(".")
        model = {m._meta.model_name: m for m in UNIT_FIELDS}[model_name]
        obj = text.objects[model].get(int(pk))
        translated = obj is not None and getattr(obj, f"{field}_{language}", "")
        basis[key] = records.get(key, current) if translated else current
    return basis


def source_published(condition, publication, previous, content, *, minor):
    """Flag live translations outdated by a new source publication.

    A change the medical reviewer confirmed as minor moves every up-to-date
    translation onto the new source text instead.
    """
    new = publication.source_hashes
    if minor and previous is not None:
        texts = {
            unit_key(model, obj.pk, field): text
            for model, obj, field, text in source_units(content, condition.pk)
        }
        for key, old_hash in previous.source_hashes.items():
            if key in new and new[key] != old_hash:
                FieldTranslation.objects.filter(
                    condition=condition, key=key, source_hash=old_hash
                ).update(source_hash=new[key], source_text=texts[key])
    for live in (
        Publication.objects.current()
        .filter(condition=condition)
        .exclude(language=settings.SOURCE_LANGUAGE)
    ):
        basis = dict(live.source_hashes)
        if minor and previous is not None:
            for key, old_hash in previous.source_hashes.items():
                if basis.get(key) == old_hash and key in new:
                    basis[key] = new[key]
        outdated = basis != new
        live.source_hashes = basis
        if outdated and live.outdated_since is None:
            live.outdated_since = publication.published_at
        elif not outdated:
            live.outdated_since = None
        live.save(update_fields=["source_hashes", "outdated_since"])
