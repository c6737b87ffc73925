"""How far each article's translation is: the rows the report reads.

``refresh()`` recomputes one article's ``TranslationProgress`` rows from its
units. It is called wherever what they count changes: when a revision of the
article is saved, when a language is published or unpublished, and when a
translation request changes state (see conditions/apps.py and
conditions/workflow/transitions.py). Inside ``batch()`` (an operation that
does several of these, or a generator writing many articles) the refreshes
are collected and done once, for all the articles together, at its end.
"""

import threading
from contextlib import ContextDecorator

from ..languages import source, targets
from ..models import (
    Condition,
    Publication,
    ReviewRequest,
    Section,
    TranslationProgress,
)
from ..readability.articles import summary as readability_summary
from .units import IN_REVIEW, MISSING, OUTDATED, UP_TO_DATE, units_for

COUNTED = {
    MISSING: "missing",
    UP_TO_DATE: "up_to_date",
    OUTDATED: "outdated",
    IN_REVIEW: "in_review",
}


_pending = threading.local()


class batch(ContextDecorator):
    """Collect the refreshes made inside the block; do them once at its end.

    Nested blocks join the outermost one. On an error nothing is refreshed:
    the transaction that the block belongs to is being undone anyway.
    """

    def __enter__(self):
        self.outer = getattr(_pending, "languages", None) is None
        if self.outer:
            _pending.languages = {}
        return self

    def __exit__(self, error_type, error, traceback):
        if not self.outer:
            return False
        pending, _pending.languages = _pending.languages, None
        if error_type is None:
            by_languages = {}
            for condition_id, languages in pending.items():
                key = tuple(sorted(languages)) if languages else None
                by_languages.setdefault(key, []).append(condition_id)
            for languages, ids in by_languages.items():
                refresh_many(ids, list(languages) if languages else None)
        return False


def refresh(condition, languages=None):
    """Recompute the progress rows of one article (every target language)."""
    pending = getattr(_pending, "languages", None)
    if pending is None:
        refresh_many([condition.pk], languages)
        return
    known = pending.get(condition.pk, set())
    # None (every language) absorbs any list of languages.
    if condition.pk in pending and not known:
        return
    pending[condition.pk] = set() if languages is None else known | set(languages)


def refresh_many(condition_ids, languages=None):
    """Recompute the progress rows of these articles, a few queries per language."""
    conditions = list(Condition.objects.filter(pk__in=list(condition_ids)))
    sections = {condition.pk: [] for condition in conditions}
    for section in Section.objects.filter(condition__in=conditions):
        sections[section.condition_id].append(section)
    source_grades = {
        pk: readability_summary(found, source()) for pk, found in sections.items()
    }
    for language in languages or targets():
        by_condition = units_for(conditions, language)
        pending = set(
            ReviewRequest.objects.pending()
            .filter(condition__in=conditions, language=language)
            .values_list("condition_id", flat=True)
        )
        rows = [
            _row(pk, language, found, pk in pending)
            for pk, found in by_condition.items()
            if found
        ]
        for row in rows:
            # The report's reading grades: the source's beside this language's.
            row.readability = {
                source(): source_grades[row.condition_id],
                language: readability_summary(sections[row.condition_id], language),
            }
        TranslationProgress.objects.filter(
            condition__in=conditions, language=language
        ).delete()
        TranslationProgress.objects.bulk_create(rows)


def _row(condition_id, language, found, pending):
    counts = dict.fromkeys(COUNTED.values(), 0)
    for unit in found:
        counts[COUNTED[unit.status]] += 1
    clinical = [u.section for u in found if u.clinical and u.status == OUTDATED]
    return TranslationProgress(
        condition_id=condition_id,
        language=language,
        total=len(found),
        needs_export=sum(
            1
            for unit in found
            if unit.status in (MISSING, OUTDATED) and unit.source.strip()
        ),
        outdated_clinical=clinical,
        outdated_clinical_count=len(clinical),
        pending=pending,
        **counts,
    )


def backfill():
    """Compute the rows missing for published articles (e.g. a new language)."""
    published = Publication.objects.current().filter(language=source())
    for language in targets():
        ids = list(
            published.exclude(
                condition_id__in=TranslationProgress.objects.filter(
                    language=language
                ).values("condition_id")
            ).values_list("condition_id", flat=True)
        )
        for start in range(0, len(ids), 200):
            refresh_many(ids[start : start + 200], [language])
