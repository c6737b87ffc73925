"""What the publication checks found in each article (conditions.workflow.checks)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .content import Condition


class PublicationCheckResult(models.Model):
    """The reasons an article fails the publication checks, as last computed.

    One row per article that fails at least one check: its live and pending
    revisions as of ``checked_at``. ``reasons`` is a list of
    {"check", "language", "params"}; the text is made in the reader's
    language when shown. Refreshed when a publication changes, when a
    change is submitted, and by ``run_daily_checks``.
    """

    condition = models.OneToOneField(
        Condition,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="check_result",
        verbose_name=_("condition"),
    )
    reasons = models.JSONField(_("reasons"), default=list)
    checked_at = models.DateTimeField(_("checked"))

    class Meta:
        verbose_name = _("publication check result")
        verbose_name_plural = _("publication check results")

    def __str__(self):
        return f"{self.condition_id}: {len(self.reasons)}"
