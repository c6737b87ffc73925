"""What the API keeps: the keys of its partners.

A key is shown once, when it is made, and stored as its SHA-256 digest: a
random 256-bit key needs no slow hash, and a request's key is found by one
indexed lookup of its digest (see access.py).
"""

import hashlib
import secrets

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

#: Every key starts with this, so that a leaked key is recognisable.
KEY_PREFIX = "hl_"
#: How much of the key the admin shows to tell keys apart.
SHOWN_CHARACTERS = 10


class ApiKey(models.Model):
    """A partner's key: its own rate limit, and a way to switch it off."""

    name = models.CharField(
        _("name"),
        max_length=200,
        help_text=_("Who uses this key, such as the partner's name."),
    )
    prefix = models.CharField(_("key starts with"), max_length=20, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    rate_limit = models.PositiveIntegerField(
        _("requests per minute"),
        default=600,
        validators=[MinValueValidator(1)],
        help_text=_("Requests over this number in a minute are refused (429)."),
    )
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Requests with an inactive key are refused (401)."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name

    @staticmethod
    def digest_of(key):
        return hashlib.sha256(key.encode()).hexdigest()

    def new_key(self):
        """Give the key a new random value and return it (shown only now)."""
        key = KEY_PREFIX + secrets.token_urlsafe(32)
        self.prefix = key[:SHOWN_CHARACTERS]
        self.digest = self.digest_of(key)
        return key
