"""Publications: what readers see, one snapshot per condition and language."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.dispatch import Signal
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from ..fields import REASON_MAX_CHARS, SUMMARY_MAX_CHARS, text_field_options
from .content import Condition

#: Sent inside the transaction that changes what readers see of an article
#: (a publication made, replaced or withdrawn), with ``condition_id`` and the
#: ``languages`` whose publication changed. The public side listens: it
#: re-renders and purges what shows the article.
publication_changed = Signal()


class PublicationQuerySet(models.QuerySet):
    def current(self):
        """Return the live publication of each condition and language."""
        return self.filter(is_current=True)

    def in_language(self, language):
        return self.filter(language=language)

    def recent(self, days=30):
        """Return publications made in the last `days` days."""
        return self.filter(published_at__gte=timezone.now() - timedelta(days=days))

    def live(self, condition, language):
        """Return the live publication of a condition in a language, or None.

        The one lookup of "what readers see of X in L"; `condition` is a
        Condition or its id.
        """
        return (
            self.filter(
                is_current=True,
                condition_id=getattr(condition, "pk", condition),
                language=language,
            )
            .select_related("revision")
            .first()
        )


class Publication(models.Model):
    """What readers see: a snapshot of one approved revision in one language.

    Rows are never edited after creation, except that ``is_current`` moves to
    the newest one and that a re-confirmation ("reviewed, no changes")
    renews the review byline of the live rows; older rows are the public
    history of the article.
    """

    condition = models.ForeignKey(
        Condition, on_delete=models.CASCADE, related_name="publications"
    )
    language = models.CharField(_("language"), max_length=10)
    revision = models.ForeignKey(
        "reversion.Revision",
        on_delete=models.PROTECT,
        related_name="publications",
        verbose_name=_("revision"),
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200)
    summary = models.TextField(
        _("summary"), blank=True, **text_field_options(SUMMARY_MAX_CHARS)
    )
    snapshot = models.JSONField(_("snapshot"))
    published_at = models.DateTimeField(_("published"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("published by"),
    )
    is_current = models.BooleanField(_("live"), default=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_reason = models.TextField(
        _("reason for withdrawal"),
        blank=True,
        **text_field_options(REASON_MAX_CHARS),
    )
    # The approval this publication carries out; the byline comes from here.
    review = models.ForeignKey(
        "conditions.ReviewRequest",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="publications",
        verbose_name=_("review"),
    )
    reviewer_name = models.CharField(_("reviewed by"), max_length=200, blank=True)
    reviewer_credentials = models.CharField(
        _("reviewer's credentials"), max_length=100, blank=True
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    next_review_on = models.DateField(_("next review due"), null=True, blank=True)
    # Translations: the source publication they were translated from, the
    # hashes of the source texts they match, and since when the source has
    # moved on (shown to readers as a notice).
    source_publication = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="translations",
        verbose_name=_("translated from"),
    )
    source_hashes = models.JSONField(_("source text hashes"), default=dict)
    outdated_since = models.DateTimeField(
        _("source updated since"), null=True, blank=True
    )

    objects = PublicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["-published_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["condition", "language"],
                condition=Q(is_current=True),
                name="one_live_publication_per_language",
            ),
            models.UniqueConstraint(
                fields=["language", "slug"],
                condition=Q(is_current=True),
                name="unique_live_slug_per_language",
            ),
        ]
        indexes = [models.Index(fields=["language", "slug", "is_current"])]

    def __str__(self):
        return f"{self.title} [{self.language}] {self.published_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        return condition_url(self.language, self.slug)

    @property
    def reviewer_display(self):
        """Return the reviewer's name with credentials, as on the page."""
        if self.reviewer_credentials:
            return f"{self.reviewer_name}, {self.reviewer_credentials}"
        return self.reviewer_name


def condition_url(language, slug):
    """Return the public address of a condition page in a language."""
    with translation.override(language):
        return reverse("library:article", kwargs={"slug": slug})
