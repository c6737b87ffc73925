"""Saving translations into the working copy, unit by unit."""

from collections import defaultdict

from django.core.validators import validate_slug
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import roles
from ..fields import check_length, sanitize_html
from ..models import Condition, FieldTranslation
from ..versioning import save_revision
from . import progress
from .units import IN_REVIEW, UP_TO_DATE, source_hash, units


class TranslationError(Exception):
    """The translation cannot be saved as given (nothing was changed)."""


def save_translation(condition, *, language, values, user, comment=""):
    """Write translated texts into the working copy as one new revision.

    values maps unit keys to texts. Only units of this language's article
    are accepted: any other key (another language, the source, an unknown
    object) refuses the whole save. Returns the keys that changed.
    """
    roles.require_language(user, language, roles.TRANSLATORS)
    by_key = {u.key: u for u in units(condition, language)}
    unknown = sorted(set(values) - set(by_key))
    if unknown:
        raise TranslationError(
            _("These fields cannot be translated here: %(keys)s")
            % {"keys": ", ".join(unknown)}
        )
    changed = []
    now = timezone.now()
    with transaction.atomic(), progress.batch():
        Condition.objects.select_for_update().filter(pk=condition.pk).first()
        # Read the objects once per model, write each model's rows in one
        # UPDATE and the records in one statement: an article's whole
        # translation is a handful of queries, not a few per field.
        wanted = defaultdict(set)
        for key in values:
            wanted[by_key[key].model].add(by_key[key].pk)
        objects = {
            (model, obj.pk): obj
            for model, pks in wanted.items()
            for obj in model.objects.filter(pk__in=pks)
        }
        dirty, columns, records = defaultdict(dict), defaultdict(set), []
        for key, text in values.items():
            unit = by_key[key]
            text = (text or "").strip()
            if unit.rich:
                text = sanitize_html(text)
            column = f"{unit.field}_{language}"
            # Written with bulk_update, which runs no validator: the caps here.
            check_length(unit.model._meta.get_field(column), text, label=unit.label)
            if unit.field == "slug" and text:
                check_slug(condition, language, text)
            obj = objects[unit.model, unit.pk]
            up_to_date = unit.status in (UP_TO_DATE, IN_REVIEW)
            if getattr(obj, column) == text and (up_to_date or not text):
                continue
            setattr(obj, column, text)
            dirty[unit.model][obj.pk] = obj
            columns[unit.model].add(column)
            records.append(
                FieldTranslation(
                    condition=condition,
                    language=language,
                    key=key,
                    source_hash=source_hash(unit.source),
                    source_text=unit.source,
                    translated_at=now,
                    translated_by=user,
                )
            )
            changed.append(key)
        for model, rows in dirty.items():
            model.objects.bulk_update(list(rows.values()), sorted(columns[model]))
        FieldTranslation.objects.bulk_create(
            records,
            update_conflicts=True,
            unique_fields=["condition", "language", "key"],
            update_fields=[
                "source_hash",
                "source_text",
                "translated_at",
                "translated_by",
            ],
        )
        if changed:
            condition.refresh_from_db()  # the revision holds the saved texts
            save_revision(
                condition,
                user=user,
                comment=comment
                or _("Translation (%(language)s)") % {"language": language},
            )
    return changed


def check_slug(condition, language, slug):
    """Refuse (TranslationError, ValidationError) a slug that cannot be used."""
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
    progress.refresh(condition, [language])
