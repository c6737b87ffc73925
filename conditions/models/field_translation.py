"""Translation tracking: which source text each translated field came from."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..fields import RichTextLengthValidator
from .content import Condition


class FieldTranslation(models.Model):
    """The source text one translated field was translated from.

    ``key`` names the unit (``section.12.body``); a source publication whose
    text hashes differently makes the translation outdated.
    """

    condition = models.ForeignKey(
        Condition, on_delete=models.CASCADE, related_name="field_translations"
    )
    language = models.CharField(_("language"), max_length=10)
    key = models.CharField(_("field"), max_length=100)
    source_hash = models.CharField(_("source hash"), max_length=64)
    # A copy of a unit's source: no longer than the longest, a rich-text body.
    source_text = models.TextField(
        _("source text translated"), validators=[RichTextLengthValidator()]
    )
    translated_at = models.DateTimeField(_("translated"))
    translated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("translated by"),
    )

    class Meta:
        verbose_name = _("field translation")
        verbose_name_plural = _("field translations")
        constraints = [
            models.UniqueConstraint(
                fields=["condition", "language", "key"], name="one_record_per_field"
            )
        ]

    def __str__(self):
        return f"{self.key} [{self.language}]"


class TranslationProgressQuerySet(models.QuerySet):
    def in_language(self, language):
        return self.filter(language=language)

    def needing_export(self):
        """Return the rows with missing or outdated units that have source text."""
        return self.filter(needs_export__gt=0)

    def worst_first(self):
        """Order outdated clinical advice first, then outdated, then missing."""
        return self.order_by(
            "-outdated_clinical_count",
            "-outdated",
            "-missing",
            f"condition__title_{settings.SOURCE_LANGUAGE}",
            "condition_id",
        )


class TranslationProgress(models.Model):
    """How far one article's translation into one language is, unit by unit.

    Derived data, refreshed whenever what it counts changes (a revision, a
    publication, a translation request's transition), so that the
    translation report and the XLIFF batch export read one row per article
    instead of computing every unit of every article.
    """

    condition = models.ForeignKey(
        Condition, on_delete=models.CASCADE, related_name="translation_progress"
    )
    language = models.CharField(_("language"), max_length=10)
    total = models.PositiveIntegerField(_("fields"), default=0)
    missing = models.PositiveIntegerField(_("missing"), default=0)
    up_to_date = models.PositiveIntegerField(_("up to date"), default=0)
    outdated = models.PositiveIntegerField(_("outdated"), default=0)
    in_review = models.PositiveIntegerField(_("in review"), default=0)
    #: Missing or outdated units that have source text: what an export holds.
    needs_export = models.PositiveIntegerField(default=0)
    #: [[section kind, source heading, field], …]: the outdated units of
    #: clinical sections (see translations.units.CLINICAL_KINDS).
    outdated_clinical = models.JSONField(default=list)
    outdated_clinical_count = models.PositiveIntegerField(default=0)
    pending = models.BooleanField(_("awaiting review"), default=False)
    #: {language: readability.articles.summary()} for the source language and
    #: this one: the report's reading grades, scored when the row is refreshed.
    readability = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TranslationProgressQuerySet.as_manager()

    class Meta:
        verbose_name = _("translation progress")
        verbose_name_plural = _("translation progress")
        constraints = [
            models.UniqueConstraint(
                fields=["condition", "language"], name="one_progress_per_language"
            )
        ]
        indexes = [
            models.Index(
                fields=["language", "-outdated_clinical_count", "-outdated"],
                name="progress_worst_first",
            )
        ]

    def __str__(self):
        return f"{self.condition} [{self.language}]"

    @property
    def complete(self):
        return self.missing == 0 and self.outdated == 0
