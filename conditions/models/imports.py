"""Where imported articles came from, so that a re-import updates them."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .content import Condition


class ImportedRecord(models.Model):
    """One record of an outside source (a MedlinePlus topic, a JSON-LD page)
    and the article it was imported into.

    ``source`` names the importer ("medlineplus", "jsonld"); ``key`` is the
    record's identity there (a topic id, a page URL). ``digest`` is a hash of
    the record as last imported: an unchanged record is skipped.
    """

    source = models.CharField(_("source"), max_length=30)
    key = models.CharField(_("key"), max_length=500)
    condition = models.ForeignKey(
        Condition,
        on_delete=models.CASCADE,
        related_name="imported_records",
        verbose_name=_("condition"),
    )
    digest = models.CharField(_("digest"), max_length=64, blank=True)
    imported_at = models.DateTimeField(_("imported"), auto_now=True)

    class Meta:
        verbose_name = _("imported record")
        verbose_name_plural = _("imported records")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "key"], name="unique_imported_record"
            )
        ]

    def __str__(self):
        return f"{self.source}:{self.key}"
