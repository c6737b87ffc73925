"""The two-factor log, and staff accounts as the reset screen lists them."""

from django.conf import settings
from django.contrib.auth.models import User
from django.db import models
from django.utils.translation import gettext_lazy as _


class TwoFactorEvent(models.Model):
    """One change to an account's two-factor authentication: who, when, why."""

    class Action(models.TextChoices):
        ENROLLED = "enrolled", _("set up")
        BACKUP_CODES = "backup_codes", _("new backup codes")
        RESET = "reset", _("reset by another user")

    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("account"),
    )
    # Kept when the account is deleted, like the audit log's article title.
    username = models.CharField(_("username"), max_length=150)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("two-factor log entry")
        verbose_name_plural = _("two-factor log")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.username}: {self.action}"


class TwoFactorAccount(User):
    """A staff account seen from its two-factor authentication (the reset screen)."""

    class Meta:
        proxy = True
        verbose_name = _("two-factor account")
        verbose_name_plural = _("two-factor accounts")
