"""Translation tracking: which source text each translated field came from."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

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
    source_text = models.TextField(_("source text translated"))
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
